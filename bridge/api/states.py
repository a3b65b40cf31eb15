"""Optimizer states files (Trainer save_states/load_states, Module and KVStore save/load_optimizer_states),
read without running code from the file.

mxnet writes these files with pickle (Updater.get_states: the states, and with dump_optimizer the optimizer
itself) and reads them with pickle.loads, which runs whatever a file's pickle names: a states file whose
pickle reduces to os.system runs its command. `loads` reads them with an Unpickler that builds only what
mxnet's own states hold: numbers, strings, tuples, lists, dicts, numpy arrays and dtypes, NDArrays (their
bytes checked as an NDArray file's are: bridge/arrays/files.py), mxnet's optimizer and learning-rate
scheduler classes. Anything else is refused, naming what the file asked for (bridge/api/loading.py puts
the file's name in front).
"""
import builtins
import copyreg
import functools
import io
import pickle

import mxnet as mx
import numpy as np

from ..arrays.files import check_array_bytes


class UnsafeStates(pickle.UnpicklingError):
    """A states file that names something mxnet's own states never hold."""


def _checked_class(base):
    """base (an mxnet NDArray class) as pickle rebuilds it, with the array's bytes checked before libmxnet
    reads them; the result is a plain instance of base."""
    class Checked(base):
        __slots__ = ()

        def __setstate__(self, state):
            handle = state.get("handle") if isinstance(state, dict) else None
            if handle is not None:
                check_array_bytes(bytes(handle))
            base.__setstate__(self, state)
            self.__class__ = base
    Checked.__name__ = base.__name__
    return Checked


def _optimizer_classes():
    # every optimizer registered (Optimizer.opt_registry: mxnet's, and the bridge's own, as NAG), and mxnet's
    # learning-rate schedulers; asked at each load, as registering goes on
    classes = set(mx.optimizer.Optimizer.opt_registry.values()) | {mx.optimizer.Optimizer}
    schedulers = [mx.lr_scheduler.LRScheduler]
    while schedulers:
        cls = schedulers.pop()
        classes.add(cls)
        schedulers.extend(cls.__subclasses__())
    return {(cls.__module__, cls.__name__): cls for cls in classes if cls.__module__.startswith(("mxnet.", "bridge."))}


_NDARRAYS = {("mxnet.ndarray.ndarray", "NDArray"): mx.nd.NDArray,
             ("mxnet.ndarray.sparse", "CSRNDArray"): mx.nd.sparse.CSRNDArray,
             ("mxnet.ndarray.sparse", "RowSparseNDArray"): mx.nd.sparse.RowSparseNDArray}
_PLAIN = {("builtins", name): getattr(builtins, name)
          for name in ("bytearray", "set", "frozenset", "complex", "slice", "object")}
_NUMPY = {("numpy.core.multiarray", "_reconstruct"): np.core.multiarray._reconstruct,
          ("numpy.core.multiarray", "scalar"): np.core.multiarray.scalar,
          ("numpy.core.numeric", "_frombuffer"): getattr(np.core.numeric, "_frombuffer", None),
          ("numpy", "ndarray"): np.ndarray, ("numpy", "dtype"): np.dtype}


class _StatesUnpickler(pickle.Unpickler):
    """pickle's Unpickler, whose find_class gives only the classes and functions listed above."""

    def __init__(self, file):
        super().__init__(file)
        self.allowed = _optimizer_classes()

    def find_class(self, module, name):
        key = (module, name)
        if key in _NDARRAYS:
            return _CHECKED[key]
        if key == ("copyreg", "_reconstructor"):  # old protocols: object.__new__ of a class, checked too
            return functools.partial(_reconstructor, self.allowed)
        found = _PLAIN.get(key) or _NUMPY.get(key) or self.allowed.get(key)
        if found is None:
            raise UnsafeStates("refused %s.%s (an optimizer states file holds only numbers, arrays and "
                               "mxnet's optimizers)" % (module, name))
        return found


def _reconstructor(allowed, cls, base, state):
    if cls not in allowed.values() or base is not object:
        raise UnsafeStates("refused copyreg._reconstructor(%s, %s)" % (getattr(cls, "__name__", cls),
                                                                      getattr(base, "__name__", base)))
    return copyreg._reconstructor(cls, base, state)


_CHECKED = {key: _checked_class(cls) for key, cls in _NDARRAYS.items()}


def loads(data):
    """pickle.loads for the bytes of an optimizer states file, allowing only what such states hold."""
    try:
        return _StatesUnpickler(io.BytesIO(bytes(data))).load()
    except UnsafeStates:
        raise
    except Exception as exc:  # a truncated or garbled pickle: one line that says what the file is not
        raise UnsafeStates("not an optimizer states file (%s: %s)" % (type(exc).__name__, exc)) from None


def set_states(updater, states):
    """mxnet's Updater.set_states (what every states loader calls), with `loads` in place of pickle.loads."""
    states = loads(states)
    states, optimizer = states if isinstance(states, tuple) and len(states) == 2 else (states, updater.optimizer)
    if not isinstance(states, dict) or not isinstance(optimizer, mx.optimizer.Optimizer):
        raise UnsafeStates("not an optimizer states file (it holds a %s)" % type(states).__name__)
    updater.states, updater.optimizer = states, optimizer
    updater.states_synced = dict.fromkeys(updater.states.keys(), False)
