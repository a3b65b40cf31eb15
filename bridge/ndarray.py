"""The NDArray mirror: an mxnet NDArray with AI::MXNet's names and rules, shared by Python users and the Perl shim.

It wraps a Python mxnet NDArray (attribute `_a`) rather than changing mxnet's class, so plain mxnet code in the
same process is untouched. Every mxnet NDArray method works on it (forwarded, results wrapped); the methods
written out here are the ones whose AI::MXNet meaning differs from Python mxnet's, or that AI::MXNet adds.
"""
import functools

import mxnet as mx
import numpy as np

from . import invoke, pdl, slicing


_NUMBERS = (int, float, np.generic)  # mxnet's numeric_types
_MX_NDARRAY = mx.nd.NDArray


def wrap(value):
    """mxnet NDArrays (also inside lists and tuples) -> mirror NDArrays; anything else unchanged."""
    kind = type(value)
    if kind is _MX_NDARRAY or isinstance(value, mx.nd.NDArray):
        return NDArray(value)
    if kind is list or kind is tuple:
        return kind(wrap(v) for v in value)
    return value


def unwrap(value):
    """Mirror NDArrays (also inside lists, tuples and dicts) -> mxnet NDArrays, so mxnet can take them."""
    kind = type(value)
    if kind is NDArray:
        return value._a
    if kind is list or kind is tuple:
        return kind(unwrap(v) for v in value)
    if kind is dict:
        return {k: unwrap(v) for k, v in value.items()}
    return value


def forward(fn):
    """fn, an mxnet function, taking and returning mirror NDArrays. The signature stays fn's (functools.wraps)."""
    @functools.wraps(fn)
    def forwarded(*args, **kwargs):
        if kwargs:
            kwargs = {k: unwrap(v) for k, v in kwargs.items()}
        return wrap(fn(*[unwrap(a) for a in args], **kwargs))
    return forwarded


@functools.lru_cache(maxsize=None)
def _forwarded_method(name):
    """mxnet's NDArray method `name`, or else mxnet's operator `name` with the array as its first input
    (AI::MXNet made every operator a method: $x->maximum(2)). None for a plain attribute or no such name."""
    method = getattr(mx.nd.NDArray, name, None)
    if method is None and not name.startswith("_"):
        method = getattr(mx.nd, name, None)
    return forward(method) if callable(method) else None


class NDArray:
    """An AI::MXNet NDArray: mxnet's NDArray plus `aspdl`, `at`, AI::MXNet's `slice` and `.=` (`set`)."""

    __slots__ = ("_a", "_crop", "__weakref__")

    def __init__(self, array, crop=None):
        self._a = array
        # (parent mirror, begin, end) when this is a multi-dimensional crop, so `set` can write through.
        self._crop = crop

    # -- everything mxnet's NDArray has, forwarded --------------------------------------------------
    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        method = _forwarded_method(name)
        if method is None:
            return wrap(getattr(self._a, name))
        return functools.partial(method, self)

    # -- attributes, with AI::MXNet's spelling of the values ------------------------------------------
    @property
    def shape(self):
        return self._a.shape

    @property
    def size(self):
        return self._a.size

    @property
    def ndim(self):
        return self._a.ndim

    @property
    def dtype(self):
        """The dtype's name, e.g. 'float32', as AI::MXNet gives it (mxnet gives the numpy type)."""
        return np.dtype(self._a.dtype).name

    @property
    def context(self):
        return self._a.context

    @property
    def grad(self):
        return wrap(self._a.grad)

    @property
    def T(self):
        return NDArray(self._a.T)

    def len(self):
        """Length of axis 0 (AI::MXNet's len)."""
        return self._a.shape[0]

    # -- autograd ---------------------------------------------------------------------------------------
    def attach_grad(self, grad_req="write", stype=None):
        self._a.attach_grad(grad_req=grad_req, stype=stype)

    def backward(self, out_grad=None, retain_graph=False, train_mode=True):
        self._a.backward(out_grad=unwrap(out_grad), retain_graph=retain_graph, train_mode=train_mode)

    def detach(self):
        return NDArray(self._a.detach())

    # -- indexing, AI::MXNet's rules (bridge/slicing.py) --------------------------------------------------
    def slice(self, *slices, **kwargs):
        """AI::MXNet slice: slice('0'), slice([1, 2]) (end inclusive), slice('X', 1) full crop, or
        mxnet's slice operator when called with begin=/end=."""
        if kwargs:
            return NDArray(self._a.slice(*unwrap(slices), **unwrap(kwargs)))
        result, crop = slicing.slice_array(self._a, unwrap(slices))
        return NDArray(result, crop and (self,) + crop)

    def at(self, *indices):
        """AI::MXNet at: at(i) is the sub-array at index i of axis 0; at(i, j, ...) a full crop."""
        result, crop = slicing.at_array(self._a, indices)
        return NDArray(result, crop and (self,) + crop)

    def set(self, value):
        """AI::MXNet's `.=`: assign a number, NDArray, nested list or numpy array into this array (or view)."""
        if not self._a.writable:
            raise ValueError("Array is not writable")
        if value is None:
            raise ValueError("set value must be defined")
        value = unwrap(value)
        if isinstance(value, (list, tuple, np.ndarray)):
            value = mx.nd.array(value, ctx=self._a.context, dtype=self._a.dtype)
        if isinstance(value, mx.nd.NDArray) and value.shape != self._a.shape:
            raise ValueError("Shape inconsistant: expected %s vs got %s" % (
                ",".join(map(str, self._a.shape)), ",".join(map(str, value.shape))))
        self[:] = value
        return self

    def _write_back(self):
        # A multi-dimensional crop is a copy (mxnet has no strided views): writes go on to the parent.
        if self._crop is not None:
            parent, begin, end = self._crop
            parent[tuple(slice(b, e) for b, e in zip(begin, end))] = self._a

    # -- leaving mxnet ------------------------------------------------------------------------------------
    def asnumpy(self):
        return self._a.asnumpy()

    def asscalar(self):
        """The single element as a Python number (AI::MXNet: dies unless size is 1)."""
        if self._a.size != 1:
            raise ValueError("ndarray size must be 1")
        return self._a.asnumpy().reshape(-1)[0].item()

    def aspdl(self):
        """A copy as a PDL mirror: prints exactly what Perl's PDL prints for the same data and type."""
        return pdl.PDL.from_mx(self._a)

    def wait_to_read(self):
        self._a.wait_to_read()

    def copy(self):
        return NDArray(self._a.copy())

    # -- printing ----------------------------------------------------------------------------------------
    def stringify(self):
        """AI::MXNet's string for an NDArray: <AI::MXNet::NDArray 2x3 @cpu(0)>."""
        return "<AI::MXNet::NDArray %s @%s>" % ("x".join(map(str, self._a.shape)), self._a.context)

    def __str__(self):
        return str(self._a)

    __repr__ = __str__

    # -- Python protocol --------------------------------------------------------------------------------
    def __bool__(self):
        return bool(self._a)

    def __len__(self):
        return self._a.shape[0]

    def __iter__(self):
        return (NDArray(a) for a in self._a)

    def __getitem__(self, key):
        return wrap(self._a[unwrap(key)])

    def __setitem__(self, key, value):
        self._a[unwrap(key)] = unwrap(value)
        self._write_back()

    def __neg__(self):
        return NDArray(_NEGATE([self._a], -1.0))

    def __abs__(self):
        return NDArray(abs(self._a))


def _binary(name):
    # Numbers and NDArrays take the direct C call (bridge/invoke.py); anything else gets mxnet's own
    # operator, so its errors and special cases stay mxnet's.
    array_op, left_scalar_op, right_scalar_op = invoke.binary(invoke.DUNDERS[name][0])
    array_on_right = invoke.DUNDERS[name][1]
    scalar_op = right_scalar_op if array_on_right else left_scalar_op
    fallback = getattr(mx.nd.NDArray, name)

    def op(self, other):
        if isinstance(other, _NUMBERS):
            return NDArray(scalar_op([self._a], other))
        if type(other) is NDArray:
            return NDArray(array_op([other._a, self._a] if array_on_right else [self._a, other._a]))
        result = fallback(self._a, unwrap(other))
        return NotImplemented if result is NotImplemented else wrap(result)
    op.__name__ = name
    return op


def _inplace(name):
    method = getattr(mx.nd.NDArray, name)

    def op(self, other):
        self._a = method(self._a, unwrap(other))
        return self
    op.__name__ = name
    return op


_NEGATE = invoke.Operator("_mul_scalar")  # mxnet's __neg__ is x * -1.0

# mxnet's operators, with NDArray results wrapped (AI::MXNet overloads the same set).
BINARY_OPERATORS = ("add radd sub rsub mul rmul truediv rtruediv mod rmod pow rpow "
                    "eq ne gt ge lt le").split()
INPLACE_OPERATORS = "iadd isub imul itruediv imod".split()
for _name in BINARY_OPERATORS:
    setattr(NDArray, f"__{_name}__", _binary(f"__{_name}__"))
for _name in INPLACE_OPERATORS:
    setattr(NDArray, f"__{_name}__", _inplace(f"__{_name}__"))
NDArray.__hash__ = object.__hash__  # __eq__ is elementwise, as in mxnet; identity stays hashable


def array(source_array, ctx=None, dtype="float32"):
    """AI::MXNet's nd->array: from nested lists, numpy, a PDL mirror or an NDArray (default dtype float32).
    From an NDArray the copy is an operator, so autograd records it and gradients flow through."""
    if isinstance(source_array, NDArray):
        out = source_array._a.astype(dtype, copy=True)
        return NDArray(out if ctx is None else out.as_in_context(ctx))
    if isinstance(source_array, mx.nd.NDArray):
        return array(NDArray(source_array), ctx, dtype)
    if isinstance(source_array, pdl.PDL):
        source_array = source_array.numpy()
    data = np.asarray(source_array, dtype=np.dtype(dtype))
    if data.ndim == 0:
        data = data.reshape(1)  # a Perl number is a one-element array, as a 0-dim PDL was
    return NDArray(mx.nd.array(data, ctx=ctx, dtype=dtype))
