"""nd->sparse: csr and row_sparse arrays made as AI::MXNet made them (csr_matrix, row_sparse_array, array), with
the data a user gives checked before libmxnet sees it.

libmxnet trusts a sparse array's parts: a csr array whose indptr runs backwards or past its indices, or whose
column indices (or a row_sparse array's row indices) lie outside the shape, makes its operators read and write
outside their buffers (measured: `asnumpy` of such an array killed the process). AI::MXNet made such arrays
without a word and its `check_format` then reported them, so here too making one succeeds and `check_format`
dies with what is wrong; but the array is never given to libmxnet: every other use dies with the same line
(`InvalidSparseData`). Parts that are only out of order (unsorted or repeated indices) are safe to compute with
and are left to libmxnet, whose `check_format` reports them.
"""
import mxnet as mx
import numpy as np

from . import pdl
from .ndarray import NDArray, array as dense_array, unwrap

_AUX = np.int64  # the aux arrays' dtype (indices, indptr), as libmxnet stores them


class InvalidSparseData(ValueError):
    """A sparse array made from parts that are not a valid csr or row_sparse array."""


class InvalidSparse:
    """What an NDArray mirror holds in place of an mxnet array when the parts it was made from are invalid: its
    stype, shape, dtype and context, its parts (data, indices, indptr, as plain arrays), and the reason. Any
    other use, libmxnet's included (through `handle`), raises InvalidSparseData with the reason."""

    def __init__(self, stype, shape, dtype, ctx, reason, parts):
        self.stype, self.shape, self.context, self.reason = stype, tuple(shape), ctx, reason
        self.dtype = np.dtype(dtype).type
        self._parts = parts
        self.ndim, self.size = len(self.shape), int(np.prod(self.shape))

    def check_format(self, full_check=True):
        raise InvalidSparseData(self.reason)

    def __getattr__(self, name):
        if name in ("data", "indices", "indptr") and name in self._parts:
            return mx.nd.array(self._parts[name], ctx=self.context, dtype=self._parts[name].dtype)
        raise InvalidSparseData("%s (this %s array was made from invalid parts; mxnet cannot use it)"
                                % (self.reason, self.stype))

    def __repr__(self):
        return "<invalid %s array %s: %s>" % (self.stype, "x".join(map(str, self.shape)), self.reason)


def _host(part, dtype=None):
    # a part given as an NDArray, a PDL mirror, numpy or nested lists, as numpy (a copy for libmxnet's arrays)
    part = unwrap(part)
    if isinstance(part, mx.nd.NDArray):
        part = part.asnumpy()
    elif isinstance(part, pdl.PDL):
        part = part.numpy()
    try:
        return np.asarray(part, dtype=dtype)
    except (TypeError, ValueError) as exc:
        raise TypeError("a sparse array's part is an array of numbers, not %r (%s)" % (part, exc)) from None


def _default_dtype(source, dtype):
    # AI::MXNet: the dtype asked for, else the source's own (an NDArray's, numpy's), else float32
    if dtype is not None:
        return np.dtype(dtype).name
    source = unwrap(source)
    if isinstance(source, (mx.nd.NDArray, np.ndarray)):
        return np.dtype(source.dtype).name
    return "float32"


def _context(ctx):
    return mx.current_context() if ctx is None else ctx


def _check_shape(got, wanted):
    if wanted is not None and tuple(got) != tuple(wanted):
        raise ValueError("Shape mismatch detected: %s v.s. %s" % (tuple(got), tuple(wanted)))


def _made(stype, shape, dtype, ctx, parts, problems):
    """The sparse array of these parts (numpy, already of their dtypes), or, when problems says what is wrong
    with them, an array that holds them away from libmxnet (InvalidSparse)."""
    if problems:
        return NDArray(InvalidSparse(stype, shape, dtype, ctx, "; ".join(problems), parts))
    if stype == "csr":
        made = mx.nd.sparse.csr_matrix((parts["data"], parts["indices"], parts["indptr"]), shape=shape,
                                       ctx=ctx, dtype=dtype)
    else:
        made = mx.nd.sparse.row_sparse_array((parts["data"], parts["indices"]), shape=shape, ctx=ctx, dtype=dtype)
    return NDArray(made)


def _csr_problems(shape, data, indices, indptr):
    """What makes (data, indices, indptr) no csr array of shape, as one can read it: [] when it is one."""
    rows, cols = shape
    problems = []
    if len(indptr) != rows + 1:
        problems.append("indptr has %d entries; a csr array of %d rows needs %d" % (len(indptr), rows, rows + 1))
    if len(indptr) and indptr[0] != 0:
        problems.append("indptr starts at %d, not 0" % indptr[0])
    if (indptr < 0).any():
        problems.append("indptr holds a negative value")
    if (np.diff(indptr) < 0).any():
        problems.append("indptr decreases (it must not: row i is indices[indptr[i] .. indptr[i+1]-1])")
    if len(indptr) and indptr[-1] != len(indices):
        problems.append("indptr ends at %d but there are %d indices" % (indptr[-1], len(indices)))
    if len(data) != len(indices):
        problems.append("%d data values for %d indices" % (len(data), len(indices)))
    outside = indices[(indices < 0) | (indices >= cols)]
    if outside.size:
        problems.append("column index %d is outside 0..%d" % (outside[0], cols - 1))
    return problems


def _csr_from_parts(data, indices, indptr, shape, ctx, dtype):
    dtype = _default_dtype(data, dtype)
    data, indices, indptr = _host(data, dtype), _host(indices, _AUX), _host(indptr, _AUX)
    if data.ndim != 1 or indices.ndim != 1 or indptr.ndim != 1 or len(indptr) == 0:
        raise ValueError("invalid shape: a csr array's data, indices and indptr are 1-D, indptr not empty")
    if shape is None:
        if len(indices) == 0:
            raise ValueError("invalid shape: give the shape of a csr array without indices")
        shape = (len(indptr) - 1, int(indices.max()) + 1)
    shape = tuple(int(d) for d in shape)
    if len(shape) != 2:
        raise ValueError("invalid shape: a csr array is 2-D, not %s" % (shape,))
    return _made("csr", shape, dtype, _context(ctx), {"data": data, "indices": indices, "indptr": indptr},
                 _csr_problems(shape, data, indices, indptr))


def _csr_from_coo(data, rows, cols, shape, ctx, dtype):
    # (data, (row, col)): the entries sorted by row, then column, as a csr array's (repeated entries summed)
    dtype = _default_dtype(data, dtype)
    data, rows, cols = _host(data, dtype).reshape(-1), _host(rows, _AUX).reshape(-1), _host(cols, _AUX).reshape(-1)
    if not len(data) == len(rows) == len(cols):
        raise ValueError("coo: %d data values for %d rows and %d columns" % (len(data), len(rows), len(cols)))
    if shape is None:
        if not len(rows):
            raise ValueError("invalid shape: give the shape of a csr array without entries")
        shape = (int(rows.max()) + 1, int(cols.max()) + 1)
    shape = tuple(int(d) for d in shape)
    for name, where, size in (("row", rows, shape[0]), ("column", cols, shape[1])):
        outside = where[(where < 0) | (where >= size)]
        if outside.size:
            raise InvalidSparseData("coo: %s index %d is outside 0..%d" % (name, outside[0], size - 1))
    flat, order = np.unique(rows * shape[1] + cols, return_inverse=True)
    summed = np.zeros(len(flat), dtype=data.dtype)
    np.add.at(summed, order, data)
    indptr = np.concatenate([[0], np.cumsum(np.bincount(flat // shape[1], minlength=shape[0]))]).astype(_AUX)
    return _made("csr", shape, dtype, _context(ctx),
                 {"data": summed, "indices": (flat % shape[1]).astype(_AUX), "indptr": indptr}, [])


def _is_part_list(arg):
    return isinstance(arg, (list, tuple)) and any(
        isinstance(unwrap(a), (list, tuple, np.ndarray, mx.nd.NDArray, pdl.PDL)) for a in arg)


def _from_array(source, stype, shape, ctx, dtype):
    # a sparse array of stype from a dense source, or from a sparse array of that stype (a copy)
    if isinstance(source, mx.nd.NDArray) and source.stype != "default":
        if source.stype != stype:
            raise TypeError("unexpected input type: a %s array for a %s array" % (source.stype, stype))
        _check_shape(source.shape, shape)
        return NDArray(mx.nd.sparse.array(source, ctx=ctx, dtype=dtype))
    dense = dense_array(source, dtype=_default_dtype(source, dtype))
    if ctx is not None and dense.context != ctx:
        dense = dense.as_in_context(ctx)
    _check_shape(dense.shape, shape)
    return NDArray(dense._a.tostype(stype))


def csr_matrix(arg1, shape=None, ctx=None, dtype=None):
    """A csr array, AI::MXNet's ways: from [data, indices, indptr]; from [data, [row, col]] (coordinates);
    from a shape [rows, cols] or undef with `shape =>` (all zeros); from a csr array (a copy); from a dense
    array (NDArray, PDL, nested array refs). Parts that are no valid csr array make an array that only
    `check_format` (which says what is wrong) may be asked about."""
    arg1 = unwrap(arg1)
    if arg1 is None:
        return NDArray(mx.nd.sparse.zeros("csr", shape, ctx=ctx, dtype=dtype or "float32"))
    if isinstance(arg1, (list, tuple)) and len(arg1) == 2 and not _is_part_list(arg1):
        _check_shape(arg1, shape)
        return NDArray(mx.nd.sparse.zeros("csr", tuple(arg1), ctx=ctx, dtype=dtype or "float32"))
    if _is_part_list(arg1):
        if len(arg1) == 3:
            return _csr_from_parts(*arg1, shape, ctx, dtype)
        if len(arg1) == 2 and isinstance(arg1[1], (list, tuple)) and len(arg1[1]) == 2:
            return _csr_from_coo(arg1[0], arg1[1][0], arg1[1][1], shape, ctx, dtype)
        raise ValueError("csr_matrix: give [data, indices, indptr], [data, [row, col]], a shape or an array")
    return _from_array(arg1, "csr", shape, ctx, dtype)


def _row_sparse_from_parts(data, indices, shape, ctx, dtype):
    dtype = _default_dtype(data, dtype)
    data, indices = _host(data, dtype), _host(indices, _AUX)
    if indices.ndim != 1 or data.ndim < 1:
        raise ValueError("invalid shape: a row_sparse array's indices are 1-D and its data has rows")
    if shape is None:
        if len(indices) == 0:
            raise ValueError("invalid shape: give the shape of a row_sparse array without indices")
        shape = (int(indices.max()) + 1,) + data.shape[1:]
    shape = tuple(int(d) for d in shape)
    if data.ndim != len(shape) or int(np.prod(shape[1:])) == 0:
        raise ValueError("invalid shape: data of shape %s for a row_sparse array of shape %s" % (data.shape, shape))
    problems = []
    if data.shape[1:] != shape[1:]:
        problems.append("data rows of shape %s in an array of rows of shape %s" % (data.shape[1:], shape[1:]))
    if data.shape[0] != len(indices):
        problems.append("%d data rows for %d indices" % (data.shape[0], len(indices)))
    outside = indices[(indices < 0) | (indices >= shape[0])]
    if outside.size:
        problems.append("row index %d is outside 0..%d" % (outside[0], shape[0] - 1))
    return _made("row_sparse", shape, dtype, _context(ctx), {"data": data, "indices": indices}, problems)


def row_sparse_array(arg1, shape=None, ctx=None, dtype=None):
    """A row_sparse array, AI::MXNet's ways: from [data, indices] (the rows data[i] at indices[i]); from a shape
    or undef with `shape =>` (all zeros); from a row_sparse array (a copy); from a dense array. Invalid parts
    make an array that only `check_format` may be asked about, as csr_matrix's do."""
    arg1 = unwrap(arg1)
    if arg1 is None:
        return NDArray(mx.nd.sparse.zeros("row_sparse", shape, ctx=ctx, dtype=dtype or "float32"))
    if isinstance(arg1, (list, tuple)):
        if len(arg1) < 2:
            raise ValueError("row_sparse_array: unexpected length of input array: %d" % len(arg1))
        if len(arg1) > 2 or not _is_part_list(arg1):
            _check_shape(arg1, shape)
            return NDArray(mx.nd.sparse.zeros("row_sparse", tuple(arg1), ctx=ctx, dtype=dtype or "float32"))
        return _row_sparse_from_parts(arg1[0], arg1[1], shape, ctx, dtype)
    return _from_array(arg1, "row_sparse", shape, ctx, dtype)


def array(source_array, ctx=None, dtype=None):
    """nd->sparse->array: a copy of a sparse array (dtype and context its own unless given); a dense source makes
    a dense array, as AI::MXNet's did."""
    source = unwrap(source_array)
    if isinstance(source, mx.nd.NDArray) and source.stype != "default":
        return NDArray(mx.nd.sparse.array(source, ctx=ctx, dtype=dtype))
    return dense_array(source_array, ctx=ctx, dtype=dtype)


FUNCTIONS = {"csr_matrix": csr_matrix, "row_sparse_array": row_sparse_array, "array": array}
