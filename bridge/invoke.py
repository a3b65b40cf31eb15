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


class Operator:
    """One registered mxnet operator, called with input arrays and at most one `scalar` parameter."""

    __slots__ = ("name", "handle")
    SCALAR_KEY = (c_char_p * 1)(b"scalar")

    def __init__(self, name):
        self.name = name
        self.handle = c_void_p()
        check_call(_LIB.NNGetOpHandle(c_str(name), byref(self.handle)))

    def __call__(self, inputs, scalar=None):
        """inputs: mxnet NDArrays; scalar: a number for the `scalar` parameter, or None. One output."""
        count = len(inputs)
        outputs = POINTER(c_void_p)()
        num_outputs = c_int(0)
        stypes = POINTER(c_int)()
        if scalar is None:
            keys, vals, num_keys = None, None, 0
        else:
            keys, vals, num_keys = self.SCALAR_KEY, (c_char_p * 1)(str(float(scalar)).encode()), 1
        check_call(_INVOKE(self.handle, count, (c_void_p * count)(*[a.handle for a in inputs]),
                           byref(num_outputs), byref(outputs), num_keys, keys, vals, byref(stypes)))
        return _ndarray_cls(NDArrayHandle(outputs[0]), stype=stypes[0])


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
