"""The Perl thread's callback service: Perl code runs only on the thread that owns the Perl interpreter.

mxnet runs a custom Function's backward on a thread of its own (its custom-operator pool), and a Perl sub
called there crashes the process. So while an engine call that may need Perl runs, the Perl thread does not
wait inside libmxnet: `serve(fn)` hands the call to a long-lived helper thread (which also waits until the
engine has finished everything, so no Perl callback is still due afterwards) and meanwhile runs the requests
that mxnet's threads queue with `on_perl_thread(fn, ...)`, until the helper is done. Nested serves (a Perl
backward that calls grad or backward) use the next helper; all requests go to the one Perl thread. A nested
serve cannot wait for the whole engine (the enclosing callback's operation is pending until it returns):
it waits for the arrays its call returned, so a nested backward returns before its Perl backwards have run
(they run while the Perl thread serves, after the enclosing callback returns).

A failure inside a request stays on the Perl thread (a Perl die value may hold Perl objects, which only that
thread may release); the waiting thread gets a CallbackFailed marker, and `serve` raises the first failure,
the original exception, once the helper is done.
"""
import gc
import queue
import threading

import mxnet as mx

perl_thread = None  # the thread that owns the Perl interpreter (set by bridge.perl.init); None: no Perl


class CallbackFailed(Exception):
    """Told to the thread that asked for a callback which failed; the failure itself waits in `serve`."""


class NotServing(RuntimeError):
    """A Perl callback was asked for while the Perl thread serves none (and so could never run it)."""


class _Job:
    """fn(*args, **kwargs), run on a helper thread, then a wait for the engine; its result or error."""
    __slots__ = ("call", "wait_all", "result", "error", "done")

    def __init__(self, fn, args, kwargs, wait_all):
        self.call = (fn, args, kwargs)
        self.wait_all = wait_all
        self.result = self.error = None
        self.done = threading.Event()

    def run(self):
        fn, args, kwargs = self.call
        try:
            try:
                self.result = fn(*args, **kwargs)
            finally:
                if self.wait_all:  # every custom backward it started has run: none can ask for Perl afterwards
                    mx.nd.waitall()
            if not self.wait_all:
                # Nested in a callback, whose own operation stays pending until it returns: waitall would wait
                # for it forever. The arrays the call returned (grad's) are waited for instead.
                for array in self.result if isinstance(self.result, list) else ():
                    if isinstance(array, mx.nd.NDArray):
                        array.wait_to_read()
        except BaseException as exc:
            self.error = exc
        self.call = None
        self.done.set()


class _Request:
    """fn(*args), asked for by one of mxnet's threads, run on the Perl thread. Nothing of Perl's may reach
    the asking thread: a failure stays in _failures, and fn and args are dropped on the Perl thread."""
    __slots__ = ("call", "result", "ok", "done")

    def __init__(self, fn, args):
        self.call = (fn, args)
        self.result, self.ok = None, False
        self.done = threading.Event()

    def run(self):
        global _served
        fn, args = self.call
        self.call = None
        _served += 1
        _running.append(self)
        try:
            if not _failures:  # after a failure the rest of the pass is skipped, as a die stops a program
                self.result, self.ok = fn(*args), True
        except BaseException as exc:
            _failures.append(exc)
        finally:
            del fn, args
            _running.remove(self)
            self.done.set()


class _Helper(threading.Thread):
    """A long-lived thread that runs the jobs of one nesting level of `serve` (one per level: a thread per
    call would cost ~17 ms each)."""

    def __init__(self):
        super().__init__(name="bridge-serve-%d" % len(_helpers), daemon=True)
        self.jobs = queue.SimpleQueue()
        self.start()

    def run(self):
        while True:
            job = self.jobs.get()
            job.run()
            del job
            _inbox.put(None)  # wake the Perl thread: the job is done


_inbox = queue.SimpleQueue()  # callback requests from mxnet's threads, and the helpers' wake-ups (None)
_helpers = []
_depth = 0         # how many serves are running on the Perl thread now
_running = []      # requests running on the Perl thread now (nested when a callback serves again)
_failures = []     # failures of callbacks, first first; may hold Perl values: only the Perl thread drops them
_stopped = False   # set at exit: no Perl callback can run any more
_served = 0        # requests run for other threads, ever


def requests_served():
    """How many callbacks the Perl thread ran because another thread asked (tests read it)."""
    return _served


def on_perl_thread(fn, *args):
    """fn(*args) on the Perl thread: directly when called there, else queued for the serving Perl thread,
    waiting for it. Raises CallbackFailed when fn failed (the failure is kept for `serve`)."""
    if threading.get_ident() == perl_thread or perl_thread is None:
        return fn(*args)
    if _stopped or _depth == 0:
        raise NotServing("a Perl callback was needed while Perl was not serving callbacks "
                         "(the process is exiting, or an engine call was made outside bridge.perl.callbacks.serve)")
    request = _Request(fn, args)
    del fn, args
    _inbox.put(request)
    request.done.wait()
    if not request.ok:
        raise CallbackFailed()
    return request.result


def failed(exc):
    """Keep exc (raised on one of mxnet's threads, in code that serves a Perl callback) for `serve`."""
    if not isinstance(exc, (CallbackFailed, NotServing)):
        _failures.append(exc)


def serve(fn, *args, **kwargs):
    """fn(*args, **kwargs) on a helper thread, then a wait for the engine (waitall; inside a callback, only for
    the arrays fn returned), while this thread (the Perl thread) runs the Perl callbacks mxnet's threads ask
    for. Returns fn's result; raises the first callback failure, or else fn's own error."""
    global _depth
    if _depth == len(_helpers):
        _helpers.append(_Helper())
    helper = _helpers[_depth]
    if _depth == 0:
        del _failures[:]  # left by callbacks asked for outside any serve
    start = len(_failures)  # the failures before are an enclosing serve's
    job = _Job(fn, args, kwargs, wait_all=_depth == 0)
    # The cyclic collector runs on whichever thread allocates when it is due: while mxnet's threads run
    # Python, it is off, so that it can never free a Perl value (kept in some cycle) on one of them.
    collecting = _depth == 0 and gc.isenabled()
    if collecting:
        gc.disable()
    _depth += 1
    try:
        helper.jobs.put(job)
        while not job.done.is_set():
            request = _inbox.get()
            if request is not None:
                request.run()
            del request
    finally:
        _depth -= 1
        if collecting:
            gc.enable()
    failure = _failures[start] if len(_failures) > start else job.error
    del _failures[start:]
    if failure is None:
        return job.result
    try:
        raise failure
    finally:  # no frame may keep the failure: it can hold Perl values, and a cycle is freed on any thread
        del failure, job


def serving():
    """Whether the Perl thread is serving callbacks now (a Perl callback of mxnet's threads may be running)."""
    return _depth > 0


def wait_for(array):
    """array.wait_to_read(), where the Perl thread may be inside a callback that mxnet's engine waits on (a
    Function's backward): there a plain wait could need that very thread (the array written by another Perl
    backward, which mxnet asks for meanwhile) and never end, so a helper waits while this thread serves."""
    if _depth and threading.get_ident() == perl_thread:
        serve(array.wait_to_read)
    else:
        array.wait_to_read()


def stop():
    """At exit: fail the requests still running or queued (Perl's exit from inside a callback does not return
    to them) and let the engine finish the pass they belonged to, so that mxnet's shutdown, which skips the
    work still queued, does not wait forever for it."""
    global _stopped
    _stopped = True
    pending = list(_running)
    while True:
        try:
            pending.append(_inbox.get_nowait())
        except queue.Empty:
            break
    for request in pending:
        if request is not None:
            request.call = None
            request.done.set()
    if _depth:
        try:
            mx.nd.waitall()
        except Exception:  # the failed pass's error: nobody is left to tell
            pass
