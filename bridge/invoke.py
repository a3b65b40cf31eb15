"""Operators invoked through libmxnet's C API with the least Python work per call.

The arithmetic and comparison operators are the hot path of every imperative loop. Python mxnet reaches
MXImperativeInvokeEx through several layers (ufunc helper, generated function, ctypes marshalling); here the
operator handle and its key are resolved once and the same C call is made directly, with the same operator
choice as mxnet 1.9.1's `_ufunc_helper` (table UFUNCS), so results and autograd recording are identical.
"""
import ctypes
from ctypes import POINTER, byref, c_char_p, c_int, c_void_p

from mxnet.base import _LIB, NDArrayHandle, c_str, check_call
from mxnet.ndarray.sparse import _ndarray_cls

_INVOKE = _LIB.MXImperativeInvokeEx


def _invoke(handle, inputs, keys, vals):
    """MXImperativeInvokeEx: mxnet NDArray inputs, encoded keys (a c_char_p array or None), str values.
    Returns the list of outputs."""
    count = len(inputs)
    outputs = POINTER(c_void_p)()
    num_outputs = c_int(0)
    stypes = POINTER(c_int)()
    num_keys = len(vals)
    check_call(_INVOKE(handle, count, (c_void_p * count)(*[a.handle for a in inputs]),
                       byref(num_outputs), byref(outputs), num_keys, keys,
                       (c_char_p * num_keys)(*[v.encode() for v in vals]) if num_keys else None,
                       byref(stypes)))
    return [_ndarray_cls(NDArrayHandle(outputs[i]), stype=stypes[i]) for i in range(num_outputs.value)]


def _op_handle(name):
    handle = c_void_p()
    check_call(_LIB.NNGetOpHandle(c_str(name), byref(handle)))
    return handle


class Operator:
    """One registered mxnet operator, called with input arrays and at most one `scalar` parameter."""

    __slots__ = ("name", "handle")
    SCALAR_KEY = (c_char_p * 1)(b"scalar")

    def __init__(self, name):
        self.name = name
        self.handle = _op_handle(name)

    def __call__(self, inputs, scalar=None):
        """inputs: mxnet NDArrays; scalar: a number for the `scalar` parameter, or None. One output."""
        if scalar is None:
            return _invoke(self.handle, inputs, None, ())[0]
        return _invoke(self.handle, inputs, self.SCALAR_KEY, (str(float(scalar)),))[0]


class RegisteredOperator:
    """An operator of mx.nd called as its generated Python function is, for the common call (NDArray inputs
    given positionally, parameters as keywords), straight through the C API: the values are str()-ed exactly
    as the generated function does. Any other call (out=, name=, dtype=, ctx=, variable inputs, arrays as
    keywords) goes to `fallback`, the generated function itself."""

    def __init__(self, name, fallback, wrap, array_type):
        self.handle = _op_handle(name)
        self.fallback = fallback
        self._wrap = wrap
        self._array_type = array_type
        info = mx_operator_arguments(name)
        self.inputs = sum(1 for t in info.types if t.startswith("NDArray-or-Symbol"))
        self.variadic = any(t.startswith("NDArray-or-Symbol[]") for t in info.types)
        self._keys = {}
        self.__name__ = name

    def __call__(self, *args, **kwargs):
        array_type = self._array_type
        if (self.variadic or len(args) > self.inputs or not all(type(a) is array_type for a in args)
                or not _PLAIN_KEYWORDS.issuperset(map(type, kwargs.values()))
                or _SPECIAL_KEYWORDS.intersection(kwargs)):
            return self.fallback(*args, **kwargs)
        names = tuple(kwargs)
        keys = self._keys.get(names)
        if keys is None:
            keys = self._keys[names] = (c_char_p * len(names))(*[k.encode() for k in names]) if names else None
        outputs = _invoke(self.handle, [a._a for a in args], keys, [str(v) for v in kwargs.values()])
        return self._wrap(outputs[0] if len(outputs) == 1 else outputs)


# Keyword values that the generated functions pass through str() unchanged, and keywords they treat specially.
_PLAIN_KEYWORDS = frozenset((int, float, bool, str, tuple, list, type(None)))
_SPECIAL_KEYWORDS = frozenset(("out", "name", "dtype", "ctx"))


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
