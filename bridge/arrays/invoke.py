"""Operators invoked through libmxnet's C API with the least Python work per call.

The arithmetic and comparison operators are the hot path of every imperative loop. Python mxnet reaches
MXImperativeInvokeEx through several layers (ufunc helper, generated function, ctypes marshalling); here the
operator handle and its key are resolved once and the same C call is made directly, with the same operator
choice as mxnet 1.9.1's `_ufunc_helper` (table UFUNCS), so results and autograd recording are identical.
"""
import ctypes
from ctypes import POINTER, byref, c_char_p, c_int, c_void_p

import numpy as np
from mxnet.base import _LIB, NDArrayHandle, c_str, check_call, py_str
from mxnet.context import current_context
from mxnet.ndarray.ndarray import NDArray as _MXNDArray
from mxnet.ndarray.sparse import _ndarray_cls

from ..perl import args as _args
from . import guards

_INVOKE = _LIB.MXImperativeInvokeEx
# ctypes types built once (making them per call costs more than the C call's marshalling)
_VOID_P = POINTER(c_void_p)
_INT_P = POINTER(c_int)
_HANDLES = [c_void_p * n for n in range(9)]
_STRINGS = [c_char_p * n for n in range(9)]
_DEFAULT_STORAGE = 0


def _new_ndarray(handle):
    # What NDArray(NDArrayHandle(handle)) makes, without its per-call isinstance assertion.
    array = _MXNDArray.__new__(_MXNDArray)
    array.handle = NDArrayHandle(handle)
    array.writable = True
    return array


def _call(handle, handles, num_keys, keys, vals, out=None):
    """MXImperativeInvokeEx with its C arrays made: the handles of the input arrays, the encoded keys and
    values (c_char_p arrays, or None when num_keys is 0). Returns the output, or the list of outputs when
    there are several, as the generated functions of mx.nd do; with `out` (one array), writes into it.

    libmxnet allocates the outputs itself when it is given none, and leaks them when the operator then fails
    (a shape error cost about 240 bytes for good). So once an operator's count of outputs is known, empty
    arrays are made here and handed to it, and a failure frees them."""
    stypes = _INT_P()
    if out is not None:
        outputs, num_outputs = ctypes.cast(_HANDLES[1](out.handle), _VOID_P), c_int(1)
        if _INVOKE(handle, len(handles), handles, byref(num_outputs), byref(outputs), num_keys, keys, vals,
                   byref(stypes)):
            check_call(-1)  # raises MXNetError with mxnet's message
        return out
    count = _VISIBLE.get(handle.value, 1)  # (most operators have one; a wrong guess is told at once)
    if count == 1:
        made = c_void_p()
        _CREATE_NONE(byref(made))
        outputs, num_outputs, made = _VOID_P(made), c_int(1), (made.value,)
    elif count is not None:
        made = (c_void_p * count)()
        for i in range(count):
            _CREATE_NONE(byref(made, i * _POINTER_SIZE))
        outputs, num_outputs = ctypes.cast(made, _VOID_P), c_int(count)
    if count is not None:
        if _INVOKE(handle, len(handles), handles, byref(num_outputs), byref(outputs), num_keys, keys, vals,
                   byref(stypes)):
            for i in range(count):
                _FREE(c_void_p(made[i]))
            if _COUNT_ERROR not in py_str(_LIB.MXGetLastError()):
                check_call(-1)
            count = None  # this call has another count (split's num_outputs): made by mxnet, then learnt
    if count is None:
        outputs, num_outputs = _VOID_P(), c_int(0)
        if _INVOKE(handle, len(handles), handles, byref(num_outputs), byref(outputs), num_keys, keys, vals,
                   byref(stypes)):
            check_call(-1)
        count = _VISIBLE[handle.value] = num_outputs.value
    if count == 1 and stypes[0] == _DEFAULT_STORAGE:
        return _new_ndarray(outputs[0])
    arrays = [_new_ndarray(outputs[i]) if stypes[i] == _DEFAULT_STORAGE
              else _ndarray_cls(NDArrayHandle(outputs[i]), stype=stypes[i])
              for i in range(count)]
    return arrays[0] if count == 1 else arrays


_VISIBLE = {}  # operator handle -> how many outputs its last call had (MXImperativeInvokeEx's visible ones)
_CREATE_NONE, _FREE = _LIB.MXNDArrayCreateNone, _LIB.MXNDArrayFree
_POINTER_SIZE = ctypes.sizeof(c_void_p)
_COUNT_ERROR = "Operator expects"  # a count of outputs that is not this call's (checked before anything runs)


def _handles(arrays):
    count = len(arrays)
    return (_HANDLES[count] if count < 9 else c_void_p * count)(*[a.handle for a in arrays])


def _strings(values):
    """The C array of encoded strings, None for none (keys and values of _call)."""
    count = len(values)
    return (_STRINGS[count] if count < 9 else c_char_p * count)(*[v.encode() for v in values]) if count else None


def _keep(cache, key, value, limit):
    """value, kept in cache under key; a cache holds at most `limit` entries (it is emptied when full)."""
    if len(cache) >= limit:
        cache.clear()
    cache[key] = value
    return value


def _op_handle(name):
    handle = c_void_p()
    check_call(_LIB.NNGetOpHandle(c_str(name), byref(handle)))
    return handle


class Operator:
    """One registered mxnet operator, called with input arrays and at most one `scalar` parameter."""

    __slots__ = ("name", "handle", "_scalars", "_guard")
    SCALAR_KEY = (c_char_p * 1)(b"scalar")

    def __init__(self, name):
        self.name = name
        self.handle = _op_handle(name)
        self._scalars = {}  # scalar -> its encoded value (a loop's constants are encoded once)
        self._guard = guards.checks_for(self.handle.value)  # (bridge/arrays/guards.py: _div_scalar's)

    def __call__(self, inputs, scalar=None):
        """inputs: mxnet NDArrays; scalar: a number for the `scalar` parameter, or None. One output."""
        if self._guard is not None:
            guards.check_arrays(self._guard, inputs, ("scalar",) if scalar is not None else (),
                                (str(float(scalar)),) if scalar is not None else ())
        if scalar is None:
            return _call(self.handle, _handles(inputs), 0, None, None)
        value = self._scalars.get(scalar) if scalar else None  # (0.0 and -0.0 are equal keys: not kept)
        if value is None:
            value = _strings((str(float(scalar)),))
            if scalar:
                _keep(self._scalars, scalar, value, _SCALARS_KEPT)
        return _call(self.handle, _handles(inputs), 1, self.SCALAR_KEY, value)


class Creation:
    """One of mxnet's creation operators (_zeros, _ones, _full) called directly, with the parameters that
    mx.nd.zeros / ones / full give it: shape as given, ctx (the current context by default), dtype's name
    (float32 by default) and, for _full, value (as mxnet's `array[:] = value` gives it). A call's encoded
    shape, ctx and dtype are kept (a loop's are encoded once); a shape that cannot be a key (nested lists)
    gives NotImplemented."""

    def __init__(self, name, value=False):
        self.handle = _op_handle(name)
        names = ("shape", "ctx", "dtype") + (("value",) if value else ())
        self._keys, self._count = _strings(names), len(names)
        self._encoded = {}

    def __call__(self, shape, ctx=None, dtype=None, value=None, out=None):
        if ctx is None:
            ctx = current_context()
        try:
            key = (type(shape), shape if isinstance(shape, int) else tuple(shape), ctx, dtype)
            encoded = self._encoded.get(key)
        except TypeError:  # unhashable
            return NotImplemented
        if encoded is None:
            kind = np.dtype("float32" if dtype is None else dtype)
            encoded = _keep(self._encoded, key, tuple(
                str(v).encode() for v in (shape, ctx, kind.names[0] if kind.names else kind.name)), _PAIRS_KEPT)
        if value is not None:
            encoded += (str(int(value) if isinstance(value, bool) else value).encode(),)
        return _call(self.handle, _HANDLES[0](), self._count, self._keys, _STRINGS[self._count](*encoded), out)

    def fill(self, array, value):
        """`array[:] = value` for a number, as mxnet does it (NDArray._full: _full with out=array)."""
        return self(array.shape, array.context, array.dtype, value, out=array)


class RegisteredOperator:
    """An operator of mx.nd called as its generated Python function is, for the common call (NDArray inputs
    given positionally, parameters as keywords), straight through the C API: the values are str()-ed exactly
    as the generated function does. Any other call (out=, name=, dtype=, ctx=, variable inputs, arrays as
    keywords) goes to `fallback`, the generated function itself."""

    def __init__(self, name, fallback, wrap, array_type):
        self.handle = _op_handle(name)
        self._guard = guards.checks_for(self.handle.value)  # (bridge/arrays/guards.py)
        self.fallback = fallback
        self._wrap = wrap
        self._array_type = array_type
        info = mx_operator_arguments(name)
        self.inputs = sum(1 for t in info.types if t.startswith("NDArray-or-Symbol"))
        self.variadic = any(t.startswith("NDArray-or-Symbol[]") for t in info.types)
        self._keys = {}
        self._perl_pairs = {}
        self.__name__ = name

    def __call__(self, *args, **kwargs):
        if self.variadic or len(args) > self.inputs:
            return self.fallback(*args, **kwargs)
        array_type = self._array_type
        inputs = []
        for a in args:
            if type(a) is not array_type:
                return self.fallback(*args, **kwargs)
            inputs.append(a._a)
        names = tuple(kwargs)
        keys = self._keys.get(names, _MISSING)
        if keys is _MISSING:
            keys = self._keys[names] = _encode_keys(names)
        if keys is _FALLBACK:
            return self.fallback(*args, **kwargs)
        vals = []
        for v in kwargs.values():
            if type(v) not in _PLAIN_KEYWORDS:
                return self.fallback(*args, **kwargs)
            vals.append(str(v))
        if self._guard is not None:
            guards.check_arrays(self._guard, inputs, names, vals)
        return self._wrap(_call(self.handle, _handles(inputs), len(vals), keys, _strings(vals)))

    def perl_call(self, args):
        """A flat Perl argument list, as bridge/perl/args.py's split_perl_args and then __call__ would take it, for
        the common call only: input arrays, then `key => value` pairs naming this operator's parameters, each
        value a Perl number or string (a float that is integral counts as the int, args.convert_keyword).
        Any other list gives NotImplemented: the caller takes the general way. The pairs' C arrays are kept
        per pairs seen (`axis => 1` in a loop is encoded once)."""
        array_type = self._array_type
        count = 0
        for a in args:
            if type(a) is not array_type:
                break
            count += 1
        pairs = args[count:]
        for v in pairs:
            if type(v) not in _PERL_VALUES:  # (also keeps True, equal to 1 as a key, out of the cache)
                return NotImplemented
        encoded = self._perl_pairs.get(pairs)
        if encoded is None:
            encoded = _keep(self._perl_pairs, pairs, self._encode_perl_pairs(pairs), _PAIRS_KEPT)
        if encoded is _FALLBACK or count > self.inputs:
            return NotImplemented
        keys, vals = encoded
        inputs = [a._a for a in args[:count]]
        if self._guard is not None:
            guards.check_arrays(self._guard, inputs, pairs[::2],
                                [str(_args.convert_keyword(v)) for v in pairs[1::2]])
        return self._wrap(_call(self.handle, _handles(inputs), len(pairs) // 2, keys, vals))

    def _encode_perl_pairs(self, pairs):
        # (keys, values) as C arrays for pairs that split_perl_args peels off as they are: keyword names of
        # this operator, each once, none that takes a boolean (args.bool_keywords turns 1 into True there).
        names, values = pairs[::2], pairs[1::2]
        if (self.variadic or len(names) != len(values) or len(names) >= len(_STRINGS)
                or len(set(names)) != len(names) or not all(type(n) is str for n in names)
                or not _args.keyword_names(self).issuperset(names)
                or _args.bool_keywords(self).intersection(names)):
            return _FALLBACK
        keys = _encode_keys(names)
        if keys is _FALLBACK:
            return _FALLBACK
        return keys, _strings([str(_args.convert_keyword(v)) for v in values])


# Perl values (after Inline::Python) that the short way takes; how many pair lists an operator keeps encoded.
_PERL_VALUES = frozenset((int, float, str))
_PAIRS_KEPT = 256
_SCALARS_KEPT = 256


# Keyword values that the generated functions pass through str() unchanged, and keywords they treat specially.
_PLAIN_KEYWORDS = frozenset((int, float, bool, str, tuple, list, type(None)))
_SPECIAL_KEYWORDS = frozenset(("out", "name", "dtype", "ctx"))
_FALLBACK = object()  # keyword names that always take the fallback
_MISSING = object()


def _encode_keys(names):
    """The C array of keyword names for the direct call, None for no names, _FALLBACK if they need it."""
    if _SPECIAL_KEYWORDS.intersection(names) or len(names) >= len(_STRINGS):
        return _FALLBACK
    return _strings(names)


def mx_operator_arguments(name):
    import mxnet as mx
    return mx.operator.get_operator_arguments(name)


# mxnet function -> (operator for two arrays, for array op number, for number op array), as in 1.9.1.
UFUNCS = {
    "add": ("broadcast_add", "_plus_scalar", "_plus_scalar"),
    "subtract": ("broadcast_sub", "_minus_scalar", "_rminus_scalar"),
    "multiply": ("broadcast_mul", "_mul_scalar", "_mul_scalar"),
    "divide": ("broadcast_div", "_div_scalar", "_rdiv_scalar"),
    "modulo": ("broadcast_mod", "_mod_scalar", "_rmod_scalar"),
    "power": ("broadcast_power", "_power_scalar", "_rpower_scalar"),
    "equal": ("broadcast_equal", "_equal_scalar", "_equal_scalar"),
    "not_equal": ("broadcast_not_equal", "_not_equal_scalar", "_not_equal_scalar"),
    "greater": ("broadcast_greater", "_greater_scalar", "_lesser_scalar"),
    "greater_equal": ("broadcast_greater_equal", "_greater_equal_scalar", "_lesser_equal_scalar"),
    "lesser": ("broadcast_lesser", "_lesser_scalar", "_greater_scalar"),
    "lesser_equal": ("broadcast_lesser_equal", "_lesser_equal_scalar", "_greater_equal_scalar"),
}

# Python operator method -> (mxnet function, is the array the right operand)
DUNDERS = {
    "__add__": ("add", False), "__radd__": ("add", True),
    "__sub__": ("subtract", False), "__rsub__": ("subtract", True),
    "__mul__": ("multiply", False), "__rmul__": ("multiply", True),
    "__truediv__": ("divide", False), "__rtruediv__": ("divide", True),
    "__mod__": ("modulo", False), "__rmod__": ("modulo", True),
    "__pow__": ("power", False), "__rpow__": ("power", True),
    "__eq__": ("equal", False), "__ne__": ("not_equal", False),
    "__gt__": ("greater", False), "__ge__": ("greater_equal", False),
    "__lt__": ("lesser", False), "__le__": ("lesser_equal", False),
}


def binary(function):
    """(array op, array-left scalar op, array-right scalar op) as Operators, for an mxnet function name."""
    return tuple(Operator(name) for name in UFUNCS[function])
