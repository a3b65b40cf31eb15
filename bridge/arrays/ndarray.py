"""The NDArray mirror: an mxnet NDArray with AI::MXNet's names and rules, shared by Python users and the Perl shim.

It wraps a Python mxnet NDArray (attribute `_a`) rather than changing mxnet's class, so plain mxnet code in the
same process is untouched. Every mxnet NDArray method works on it (forwarded, results wrapped); the methods
written out here are the ones whose AI::MXNet meaning differs from Python mxnet's, or that AI::MXNet adds.
"""
import collections
import ctypes
import functools

import mxnet as mx
import numpy as np
from mxnet.ndarray.sparse import _ndarray_cls

from . import invoke, pdl, slicing, transfer
from ..perl import callbacks
from ..perl.args import perl_bytes


_NUMBERS = (int, float, np.generic)  # mxnet's numeric_types
_DTYPES = frozenset(np.dtype(t).name for t in mx.ndarray.ndarray._DTYPE_NP_TO_MX
                    if t is not None and np.dtype(t).kind != "V")  # the dtypes an NDArray holds (not bfloat16)
_MX_NDARRAY = mx.nd.NDArray
_DTYPE_NAMES = {t: np.dtype(t).name for t in mx.ndarray.ndarray._DTYPE_NP_TO_MX if t is not None}  # (np.dtype().name is slow)


# AI::MXNet's class of an array, by its storage type (the shim blesses a sparse array into its own)
PERL_CLASSES = {"default": "AI::MXNet::NDArray", "csr": "AI::MXNet::NDArray::CSR",
                "row_sparse": "AI::MXNet::NDArray::RowSparse"}


def wrap(value):
    """mxnet NDArrays (also inside lists and tuples) -> mirror NDArrays; anything else unchanged."""
    kind = type(value)
    if kind is _MX_NDARRAY or isinstance(value, mx.nd.NDArray):
        return NDArray(value)
    if kind is list or kind is tuple:
        return kind(wrap(v) for v in value)
    if kind is dict:  # nd.load of a named file
        return {k: wrap(v) for k, v in value.items()}
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
    if kind is collections.OrderedDict:  # an ordered hash from Perl (bridge/perl/args.py), kept in its order
        return collections.OrderedDict((k, unwrap(v)) for k, v in value.items())
    return value


def forward(fn):
    """fn, an mxnet function, taking and returning mirror NDArrays. The signature stays fn's (functools.wraps)."""
    @functools.wraps(fn)
    def forwarded(*args, **kwargs):
        if kwargs:
            kwargs = {k: unwrap(v) for k, v in kwargs.items()}
        return wrap(fn(*[unwrap(a) for a in args], **kwargs))
    return forwarded


@functools.lru_cache(maxsize=1024)
def _forwarded_method(name):
    """mxnet's NDArray method `name`, or else mxnet's operator `name` with the array as its first input
    (AI::MXNet made every operator a method: $x->maximum(2)). None for a plain attribute or no such name."""
    method = getattr(mx.nd.NDArray, name, None)
    if method is None and not name.startswith("_"):
        method = getattr(mx.nd, name, None)
    return forward(method) if callable(method) else None


def _fluent_template(self, *args, **kwargs):
    # never called: its compiled form is what `fluent_operator` compares mxnet's methods with
    return op.NAME(self, *args, **kwargs)  # noqa: F821 (mxnet's `op`, in the methods' module)


@functools.lru_cache(maxsize=1024)
def fluent_operator(name):
    """The operator that the NDArray method `name` is no more than, or None: where the mirror does not write
    the method and mxnet's is its generated `return op.NAME(self, *args, **kwargs)` (relu, sum, exp, ... 75 of
    them), or mxnet has no such method and `name` is an operator ($x->maximum(2), as AI::MXNet allowed)."""
    if name.startswith("_") or hasattr(NDArray, name):
        return None
    method = getattr(mx.nd.NDArray, name, None)
    if method is not None:
        code, template = getattr(method, "__code__", None), _fluent_template.__code__
        if (code is None or code.co_code != template.co_code or code.co_names != ("op", name)
                or method.__globals__.get("op") is not mx.nd.op):
            return None
    return getattr(mx.nd.op, name, None)


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
        kind = self._a.dtype
        return _DTYPE_NAMES.get(kind) or np.dtype(kind).name

    @property
    def context(self):
        return self._a.context

    @property
    def grad(self):
        return wrap(self._a.grad)

    @property
    def T(self):
        """The transpose of a 1-D or 2-D array, always a copy (AI::MXNet's T; mxnet returns a 1-D array itself
        and reverses every axis of a larger one)."""
        if self._a.ndim > 2:
            raise ValueError("Only 2D matrix is allowed to be transposed")
        return NDArray(mx.nd.transpose(self._a))

    def len(self):
        """Length of axis 0 (AI::MXNet's len)."""
        return self._a.shape[0]

    # -- autograd ---------------------------------------------------------------------------------------
    def attach_grad(self, grad_req="write", stype=None):
        self._a.attach_grad(grad_req=grad_req, stype=stype)

    def backward(self, out_grad=None, retain_graph=False, train_mode=True):
        """Gradients of this array with respect to the marked variables (AI::MXNet's $y->backward), as a
        backward pass of bridge/api/autograd.py, which serves Perl Functions in the graph on the Perl thread."""
        from ..api.autograd import backward_pass  # bridge/api/autograd.py imports this module
        backward_pass(self._a.backward, out_grad=unwrap(out_grad), retain_graph=retain_graph,
                      train_mode=train_mode)

    def transpose(self, *axes, **kwargs):
        """$x->transpose, $x->transpose([1, 0]), $x->transpose(axes => [1, 0]): see module-level transpose."""
        if "axes" not in kwargs:
            kwargs["axes"] = axes[0] if len(axes) == 1 and isinstance(axes[0], (list, tuple)) else (axes or None)
        return transpose(self, **kwargs)

    def detach(self):
        return NDArray(self._a.detach())

    def astype(self, dtype, copy=True):
        """A copy in another dtype (dtype checked: see known_dtype)."""
        return NDArray(self._a.astype(known_dtype(dtype), copy=copy))

    # -- indexing, AI::MXNet's rules (bridge/arrays/slicing.py) --------------------------------------------------
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
        if isinstance(value, _NUMBERS) and self._a.stype == "default":  # mxnet's `[:] = number`, directly
            if self._a.size:  # (nothing to write into an empty array; _full would refuse its shape)
                _FULL.fill(self._a, value)
                self._write_back()
            return self
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
        return self._ready().asnumpy()

    def asscalar(self):
        """The single element as a Python number (AI::MXNet: dies unless size is 1)."""
        if self._a.size != 1:
            raise ValueError("ndarray size must be 1")
        return self._ready().asnumpy().reshape(-1)[0].item()

    def aspdl(self):
        """A copy as a PDL mirror: prints exactly what Perl's PDL prints for the same data and type."""
        return pdl.PDL.from_mx(self._dense())

    def asmpdl(self):
        """A copy as a mirror of a PDL::Matrix: the same matrix, printed the same way, indexed (row, column)."""
        return pdl.PDLMatrix.from_mx(self._dense())

    def _dense(self):
        # The mxnet array in default storage (a sparse one leaves as its dense copy), its pending writes done.
        self._ready()
        return self._a if type(self._a) is _MX_NDARRAY else self._a.tostype("default")

    def _ready(self):
        # Waited for as bridge/perl/callbacks.py wait_for says (inside a Perl backward, the Perl thread serves
        # while it waits: the array may need another Perl backward first)
        if callbacks.serving():
            callbacks.wait_for(self._a)
        return self._a

    def wait_to_read(self):
        self._ready().wait_to_read()

    def copy(self):
        return NDArray(self._a.copy())

    sever = copy  # AI::MXNet's alias (PDL::NiceSlice's name)

    def copyto(self, other):
        """Copy into another NDArray, which is returned (a crop writes on into its parent), or onto a Context."""
        if type(other) is NDArray:
            self._a.copyto(other._a)
            other._write_back()
            return other
        return wrap(self._a.copyto(unwrap(other)))

    def split_array(self):
        """The sub-arrays along axis 0 as a list of copies, one dimension fewer (a 1-D array gives shape (1,)
        pieces): what Perl's @{$x} gives, through mxnet's split as in AI::MXNet."""
        count = self._a.shape[0]
        if count == 0:
            return []
        parts = mx.nd.split(self._a, num_outputs=count, axis=0, squeeze_axis=self._a.ndim > 1)
        return [NDArray(p) for p in (parts if count > 1 else [parts])]

    def atan2(self, other, reverse=False):
        """Perl's atan2($self, $other) elementwise (atan2($other, $self) when reverse): the quadrant-correct
        angle, through mxnet's arctan2 (AI::MXNet computed arctan($self / $other), wrong for $other < 0)."""
        if not isinstance(other, NDArray):
            other = mx.nd.full(self._a.shape, other, ctx=self._a.context, dtype=self._a.dtype)
        pair = [unwrap(other), self._a] if reverse else [self._a, unwrap(other)]
        return NDArray(_ARCTAN2(pair))

    # -- Storable and pickle: mxnet's own raw bytes (MXNDArraySaveRawBytes) ----------------------------
    def freeze(self):
        """The array as bytes in mxnet's format: what Storable's freeze and pickle store."""
        return bytes(self._a.__getstate__()["handle"])

    @staticmethod
    def thaw(data):
        """An NDArray from freeze's bytes (a Perl string of them may arrive as str: its code points are bytes),
        checked first as a file's array is (bridge/arrays/files.py)."""
        data = perl_bytes(data, "thaw")
        from .files import check_array_bytes  # (files imports this module)
        check_array_bytes(data)
        buffer = (ctypes.c_char * len(data)).from_buffer(bytearray(data))
        handle = mx.base.NDArrayHandle()
        mx.base.check_call(mx.base._LIB.MXNDArrayLoadFromRawBytes(
            buffer, ctypes.c_size_t(len(data)), ctypes.byref(handle)))
        return NDArray(_ndarray_cls(handle))

    def __reduce__(self):
        return NDArray.thaw, (self.freeze(),)

    # -- printing ----------------------------------------------------------------------------------------
    def stringify(self):
        """AI::MXNet's string for an NDArray: <AI::MXNet::NDArray 2x3 @cpu(0)>."""
        return "<%s %s @%s>" % (PERL_CLASSES.get(self._a.stype, PERL_CLASSES["default"]),
                                "x".join(map(str, self._a.shape)), self._a.context)

    def __str__(self):
        return str(self._ready())

    __repr__ = __str__

    # -- Python protocol --------------------------------------------------------------------------------
    def __bool__(self):
        return bool(self._ready())

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
    # Numbers and NDArrays take the direct C call (bridge/arrays/invoke.py); anything else gets mxnet's own
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
_ARCTAN2 = invoke.Operator("_npi_arctan2")  # numpy-style arctan2, which broadcasts; works on plain arrays

# mxnet's operators, with NDArray results wrapped (AI::MXNet overloads the same set).
BINARY_OPERATORS = ("add radd sub rsub mul rmul truediv rtruediv mod rmod pow rpow "
                    "eq ne gt ge lt le").split()
INPLACE_OPERATORS = "iadd isub imul itruediv imod".split()
for _name in BINARY_OPERATORS:
    setattr(NDArray, f"__{_name}__", _binary(f"__{_name}__"))
for _name in INPLACE_OPERATORS:
    setattr(NDArray, f"__{_name}__", _inplace(f"__{_name}__"))
NDArray.__hash__ = object.__hash__  # __eq__ is elementwise, as in mxnet; identity stays hashable


def known_dtype(dtype):
    """dtype as numpy's, if an NDArray can hold it; else TypeError naming the ones it can (mxnet's own error
    for complex64 was the KeyError "<class 'numpy.complex64'>")."""
    kind = np.dtype(dtype)  # (numpy's own error for what is no dtype at all)
    if kind.name not in _DTYPES:
        raise TypeError("unknown dtype %s (MXNet's are %s)" % (kind.name, ", ".join(sorted(_DTYPES))))
    return kind


def array(source_array, ctx=None, dtype="float32"):
    """AI::MXNet's nd->array: from nested lists, numpy, a PDL mirror or an NDArray (default dtype float32).
    From an NDArray the copy is an operator, so autograd records it and gradients flow through."""
    if source_array is None:
        raise TypeError("array: source_array must be defined (nested array refs, a PDL or an NDArray)")
    dtype = known_dtype("float32" if dtype is None else dtype)
    if isinstance(source_array, NDArray):
        out = source_array._a.astype(dtype, copy=True)
        return NDArray(out if ctx is None else out.as_in_context(ctx))
    if isinstance(source_array, mx.nd.NDArray):
        return array(NDArray(source_array), ctx, dtype)
    if isinstance(source_array, pdl.PDL):
        source_array = source_array.numpy()
    if not isinstance(source_array, np.ndarray):
        source_array = np.asarray(source_array, dtype=dtype)
    if source_array.ndim == 0:
        source_array = source_array.reshape(1)  # a Perl number is a one-element array, as a 0-dim PDL was
    # mx.nd.array's own steps (empty, then a copy in), the copy in one pass (bridge/arrays/transfer.py)
    out = mx.nd.empty(source_array.shape, ctx=ctx, dtype=dtype)
    with np.errstate(all="ignore"):
        transfer.write_from(out, source_array)
    return NDArray(out)


_ZEROS, _ONES, _FULL = invoke.Creation("_zeros"), invoke.Creation("_ones"), invoke.Creation("_full", value=True)


@functools.wraps(mx.nd.zeros)
def zeros(shape, ctx=None, dtype=None, stype=None, **kwargs):
    # mx.nd.zeros's one operator call, made directly (a sparse array, or more keywords: mx.nd.zeros itself)
    made = _ZEROS(shape, ctx, dtype) if stype in (None, "default") and not kwargs else NotImplemented
    return wrap(mx.nd.zeros(shape, ctx, dtype, stype, **unwrap(kwargs)) if made is NotImplemented else made)


@functools.wraps(mx.nd.ones)
def ones(shape, ctx=None, dtype=None, **kwargs):
    made = _ONES(shape, ctx, dtype) if not kwargs else NotImplemented  # (as zeros)
    return wrap(mx.nd.ones(shape, ctx, dtype, **unwrap(kwargs)) if made is NotImplemented else made)


@functools.wraps(mx.nd.full)
def full(shape, val, ctx=None, dtype=np.float32, out=None):
    # mx.nd.full is empty, then `out[:] = val`, which is _full with the value: here that one call, directly
    # (but where a dim is 0: _full refuses the shape, and mx.nd.full gives the empty array)
    direct = out is None and isinstance(val, _NUMBERS) and (shape if isinstance(shape, int) else all(shape))
    made = _FULL(shape, ctx, dtype, val) if direct else NotImplemented
    return wrap(mx.nd.full(shape, unwrap(val), ctx, dtype, unwrap(out)) if made is NotImplemented else made)


def arange(start=0, stop=None, step=1.0, repeat=1, infer_range=None, ctx=None, dtype="float32"):
    """AI::MXNet's nd->arange(start => 0, stop => N, step => 1, repeat => 1): start defaults to 0, so
    arange(stop => 5) works as in AI::MXNet; arange(5) is 0..4 as in mxnet."""
    return NDArray(mx.nd.arange(start, stop, step, repeat, infer_range, unwrap(ctx), dtype))


def reshape(data, shape=None, reverse=False, **kwargs):
    """nd.reshape(data, shape => [...]): the NDArray method's reshape, which checks the target size. mxnet
    1.9.1's reshape *operator* does not check it when the shape holds 0 (a 3x3 array to shape (0,) gives
    shape (3,)) and then corrupts the heap, so the operator is used only for what the method cannot do."""
    if type(data) is NDArray and shape is not None and not kwargs:
        return data.reshape(shape, reverse=reverse)
    return wrap(mx.nd.reshape(unwrap(data), shape=shape, reverse=reverse, **unwrap(kwargs)))


def transpose(data, axes=None, **kwargs):
    """nd.transpose(data, axes => [...]): mxnet's, axes as a tuple (axes that are not a permutation, which
    mxnet 1.9.1 takes and then corrupts the heap with, are refused by bridge/arrays/guards.py)."""
    if axes is not None:
        axes = tuple(axes) if isinstance(axes, (list, tuple)) else (axes,)
    return wrap(mx.nd.transpose(unwrap(data), axes=axes if axes is not None else (), **unwrap(kwargs)))
