"""Custom differentiable functions: AI::MXNet::AutoGrad::Function (forward and backward written in Perl) and,
for the Python mirror, mxnet's own mx.autograd.Function taking and giving mirror NDArrays.

A Perl Function is put into mxnet's graph as mx.autograd.Function puts a Python one (MXCustomFunctionRecord
with a backward and a delete callback), with three differences that Perl needs:
- the backward callback, which mxnet calls on one of its own threads, runs the Perl backward on the Perl
  thread (bridge/perl/callbacks.py), with recording off and training as mxnet asks, as mxnet runs a Python one;
- a failure is kept and raised to the caller of backward as it was (a Perl die stays the die value), not
  printed to stdout and reported as mxnet's "Check failed: ..." later;
- a Perl sub must be released on the Perl thread, and mxnet may delete a graph node on any thread: the Perl
  backward is kept in `_live` by key (mxnet's callbacks hold only the key) and a deleted node's entry is
  dropped on the Perl thread (`release`), never elsewhere; at exit no callback may enter Python any more
  (`shutdown`).
"""
import ctypes
import functools
import itertools
import time

import mxnet as mx
from mxnet.base import MXCallbackList, NDArrayHandle, _LIB, c_array, c_handle_array, check_call

from ..perl import callbacks
from ..arrays.ndarray import NDArray, unwrap, wrap

_BACKWARD = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_int, ctypes.c_int, ctypes.POINTER(ctypes.c_void_p),
                             ctypes.POINTER(ctypes.c_int), ctypes.c_int, ctypes.c_void_p)
_DELETE = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p)
_REQ_ADD = 3  # mxnet's OpReqType kAddTo; 0 is kNullOp, 1 and 2 write

_live = {}       # key -> (mxnet's callbacks, the Perl backward) of a recorded Perl Function still in a graph
_released = []   # keys of the graph nodes mxnet deleted (on any thread): dropped on the Perl thread
_retiring = []   # keys taken from _released by the last release(), dropped by the next
_keys = itertools.count()


def in_graph():
    """True while some graph may hold a Perl Function: a backward may then need Perl callbacks."""
    return bool(_live)


def release():
    """Drop what deleted graph nodes kept (their Perl backward subs): call on the Perl thread only. The entries
    go one call late, so that a thread that has just run a delete callback has long left its code."""
    global _retiring
    for key in _retiring:
        _live.pop(key, None)
    _retiring = []
    while _released:
        _retiring.append(_released.pop())


def shutdown():
    """At exit, once mxnet has finished its work: graph nodes may still be deleted after this, by mxnet's
    threads (the last reference to a node can sit in an operation an engine thread is just discarding) or
    in Perl's global destruction, when Python must no longer be called from another thread (the Perl thread
    keeps the GIL to the end). Every delete callback becomes libc's free(NULL), which does nothing; a thread
    already inside one gets the GIL for a moment to finish it."""
    if not _live:
        return
    noop = ctypes.cast(ctypes.CDLL(None).free, ctypes.CFUNCTYPE(ctypes.c_int))  # contexts are NULL
    for context, _, _ in _live.values():
        context.callbacks[1] = noop
    time.sleep(0.01)


def _arrays(value, rule):
    """One NDArray or a list of them (a Perl sub's result, a Function's inputs) as a list of mirror NDArrays;
    rule says what must be NDArrays when something is not."""
    values = value if isinstance(value, list) else [value]
    for v in values:
        if type(v) is not NDArray:
            raise TypeError("%s NDArrays, not %s" % (rule, "undef" if v is None else type(v).__name__))
    return values


def apply(forward, backward, inputs):
    """forward(*inputs) with recording off; when recording, the outputs enter the graph with backward as
    their gradient: backward(*output_grads) returns one gradient per input. Both are Perl subs. Returns
    forward's NDArray, or its list of NDArrays."""
    release()
    inputs = _arrays(inputs, "a Function's inputs must be")
    recording = mx.autograd.set_recording(False)
    try:
        result = forward(*inputs)
    finally:
        mx.autograd.set_recording(recording)
    outputs = _arrays(result, "forward must return")
    if recording:
        _record([x._a for x in inputs], [y._a for y in outputs], backward)
    return result


def _record(inputs, outputs, backward):
    key = next(_keys)

    def backward_entry(num_ograds, num_igrads, ptrs, reqs, is_train, _):
        # On one of mxnet's threads: nothing here may hold a Perl value (the Perl sub is looked up by key on
        # the Perl thread), or its last reference might go here.
        igrads = []
        try:
            ograds = [mx.nd.NDArray(ctypes.cast(ptrs[i], NDArrayHandle), writable=False)
                      for i in range(num_ograds)]
            igrads = [mx.nd.NDArray(ctypes.cast(ptrs[num_ograds + i], NDArrayHandle), writable=True)
                      for i in range(num_igrads)]
            results = callbacks.on_perl_thread(_run_backward, key, bool(is_train), ograds, num_igrads)
            for igrad, result, req in zip(igrads, results, reqs[:num_igrads]):
                if req == _REQ_ADD:
                    igrad[:] += result
                elif req:
                    igrad[:] = result
        except BaseException as exc:
            callbacks.failed(exc)
            if isinstance(exc, callbacks.NotServing):
                return False
            # The failure reaches the caller of backward through callbacks.serve. Told to mxnet, it would also
            # take mxnet's engine error path, which leaks about 250 bytes each time: mxnet is told that this
            # gradient is done (zero), and the rest of the pass's Perl backwards are skipped.
            for igrad, req in zip(igrads, reqs[:num_igrads]):
                if req and req != _REQ_ADD:
                    igrad[:] = 0
        return True

    def delete_entry(_):
        _released.append(key)
        return True

    functions = [_BACKWARD(backward_entry), _DELETE(delete_entry)]
    context = MXCallbackList(
        ctypes.c_int(len(functions)),
        ctypes.cast(c_array(ctypes.CFUNCTYPE(ctypes.c_int),
                            [ctypes.cast(f, ctypes.CFUNCTYPE(ctypes.c_int)) for f in functions]),
                    ctypes.POINTER(ctypes.CFUNCTYPE(ctypes.c_int))),
        ctypes.cast(c_array(ctypes.c_void_p, [None] * len(functions)), ctypes.POINTER(ctypes.c_void_p)))
    _live[key] = (context, functions, backward)
    try:
        check_call(_LIB.MXCustomFunctionRecord(
            ctypes.c_int(len(inputs)), c_handle_array(inputs), ctypes.c_int(len(outputs)),
            c_handle_array(outputs), ctypes.byref(context)))
    except BaseException:
        _released.append(key)
        raise


def _run_backward(key, is_train, ograds, count):
    # On the Perl thread. mxnet runs a custom backward with recording off and its pass's training mode.
    backward = _live[key][2]
    with mx.autograd.pause(train_mode=is_train):
        grads = _arrays(backward(*[NDArray(g) for g in ograds]), "backward must return")
    if len(grads) != count:
        raise ValueError("backward must return one gradient per input of forward: expected %d, got %d"
                         % (count, len(grads)))
    return [g._a for g in grads]


class Function(mx.autograd.Function):
    """mxnet's own mx.autograd.Function for the Python mirror: subclass it and write forward and backward as
    with mxnet; they take and return mirror NDArrays (mxnet's machinery, which this class keeps, passes
    mxnet's arrays: each subclass's forward and backward are wrapped when the class is made)."""

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        for name in ("forward", "backward"):
            if name in vars(cls):
                setattr(cls, name, _mirrored(vars(cls)[name]))

    def __call__(self, *inputs):
        return wrap(super().__call__(*unwrap(inputs)))


def _mirrored(method):
    @functools.wraps(method)
    def mirrored(self, *arrays):
        return unwrap(method(self, *wrap(arrays)))
    return mirrored
