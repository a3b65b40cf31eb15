"""AI::MXNet's indexing rules (NDArray.pm `slice` and `at`), implemented once for Perl and Python.

- slice(i) or slice('i'): rows [i, i] along axis 0, a view of shape (1, ...).
- slice([b, e]): rows b..e with the end INCLUSIVE; slice([b]) is [b, b]; 'X' is the whole axis.
- several slices at once only as a full crop (one per dimension).
- slice of array refs (or NDArrays) of indices: advanced indexing, via gather_nd.
- at(i): the sub-array at index i of axis 0 (one dimension fewer); at(i, j, ...) a full crop.
Negative indices count from the end. Views share memory with the parent and, while autograd is
recording, are recorded (mxnet's MXNDArraySlice/MXNDArrayAt record themselves).
"""
import numbers

import mxnet as mx


class SliceError(IndexError):
    """A slice that AI::MXNet would have refused; the message says which dimension and why."""


def _as_index(value, what):
    if isinstance(value, bool):
        raise SliceError(f"bad {what}: {value!r}")
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        try:
            return int(value.strip())
        except ValueError:
            pass
    raise SliceError(f"bad {what}: {value!r} (an integer, [begin, end], or 'X' is expected)")


def _bounds(spec, dim_size, axis):
    """One AI::MXNet slice spec -> python (begin, end_exclusive) for an axis of dim_size."""
    if isinstance(spec, str) and spec.strip() == "X":
        begin, end = 0, dim_size - 1
    elif isinstance(spec, (list, tuple)):
        if not 1 <= len(spec) <= 3:
            raise SliceError(f"bad slice for dimension {axis}: {list(spec)!r} ([begin, end] is expected)")
        begin = _as_index(spec[0], "slice begin")
        end = _as_index(spec[1], "slice end") if len(spec) > 1 else begin
        if len(spec) == 3 and spec[2] is not None and _as_index(spec[2], "slice stride") > 1:
            raise SliceError("NDArray does not support slice strides != 1")
    else:
        begin = end = _as_index(spec, "slice")
    for name, value in (("begin", begin), ("end", end)):
        if value >= dim_size or value + dim_size < 0:
            raise SliceError(f"Dimension {axis} mismatch slice {name} : {value} >= Dim Size: {dim_size}")
    begin += dim_size if begin < 0 else 0
    end += dim_size if end < 0 else 0
    if begin > end:
        raise SliceError(f"Dimension {axis} slice mismatch (begin {begin} > end {end})")
    return begin, end + 1


def _check_count(shape, keys, noun, method):
    """One key on axis 0, or one per dimension (a full crop); AI::MXNet's messages otherwise."""
    if not keys:
        raise SliceError(f"No {'slices' if method == 'slice' else 'idxs'} supplied")
    if len(keys) > len(shape):
        raise SliceError(f"Dimensions size {len(shape)} < {noun} size {len(keys)}")
    if len(keys) > 1 and len(keys) != len(shape):
        raise SliceError(f"Dimensions size {len(shape)} != {noun} size {len(keys)}, "
                         f"ndarray only supports either ->{method} on dimension 0 or full crop")


def _is_advanced(slices):
    first = slices[0]
    return isinstance(first, (list, tuple)) and len(first) > 0 and not isinstance(
        first[0], (numbers.Number, str)) or isinstance(first, mx.nd.NDArray)


def slice_array(a, slices):
    """AI::MXNet slice of mx array a. Returns (result, crop) where crop is (begin, end) for a
    multi-dimensional crop (the result is then a copy that `set` must write back), else None."""
    if slices and _is_advanced(slices):
        return _gather(a, slices[0]), None
    shape = a.shape
    _check_count(shape, slices, "slices", "slice")
    bounds = [_bounds(s, shape[i], i) for i, s in enumerate(slices)]
    if len(bounds) == 1:  # (a csr array's rows: a new csr array, through the slice operator)
        return (a._slice(*bounds[0]) if type(a) is mx.nd.NDArray else a[slice(*bounds[0])]), None
    begin = tuple(b for b, _ in bounds)
    end = tuple(e for _, e in bounds)
    return mx.nd.slice(a, begin=begin, end=end), (begin, end)


def _gather(a, key):
    index = key if isinstance(key, mx.nd.NDArray) else None
    if index is None:
        rows = [k if isinstance(k, mx.nd.NDArray) else mx.nd.array(k, ctx=a.context, dtype="int32")
                for k in key]
        index = mx.nd.stack(*rows)
    return mx.nd.gather_nd(a, index)


def at_array(a, indices):
    """AI::MXNet at: one index -> the sub-array along axis 0; one per dimension -> a full crop."""
    shape = a.shape
    _check_count(shape, indices, "indexes", "at")
    idx = [_as_index(i, "index") for i in indices]
    for axis, (i, size) in enumerate(zip(idx, shape)):
        if i >= size or i + size < 0:
            raise SliceError(f"Dimension {axis} mismatch Idx: {i} >= Dim Size: {size}")
    idx = [i + size if i < 0 else i for i, size in zip(idx, shape)]
    if len(idx) == 1:
        return a._at(idx[0]), None
    return slice_array(a, idx)
