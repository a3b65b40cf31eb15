"""Saving and loading NDArrays in mxnet's own file format, so files pass between Perl, Python mxnet and any
other mxnet binding: nd.save(fname, list or dict), nd.load(fname), nd.load_frombuffer(bytes).

libmxnet trusts what a file says: a corrupt size makes it allocate without bound or never return, and a
sparse array whose indices point outside it crashes the first operator that reads it. So every load here
(and mxnet's own nd.load, which Gluon's load_parameters and Module use: bridge/api/loading.py) reads the
file within bounds (`read_file`: the header first, then no more than the file holds), walks its layout
and the indices of its sparse arrays (`check_ndarray_file`) before libmxnet sees the bytes. (mxnet's own
check_format is no help: it crashes itself on a csr array whose indptr is negative.)
"""
import math
import os
import stat
import struct

import mxnet as mx
import numpy as np

from ..perl import args
from .ndarray import unwrap, wrap


class CorruptFile(ValueError):
    """Bytes that are not a whole, consistent NDArray file (or file of another format the bridge reads)."""


# A stream (a pipe, a device) has no length to check sizes against: at most this much of it is read.
STREAM_LIMIT = 1 << 30


def check_path(fname):
    """fname as a file name libmxnet may take: a string without NUL (libmxnet's C string would end there:
    nd.save("a\\0b") wrote the file "a")."""
    if isinstance(fname, bytes):
        fname = fname.decode("utf-8", "surrogateescape")
    if not isinstance(fname, str):
        raise TypeError("a file name must be a string, not %s" % type(fname).__name__)
    if "\0" in fname:
        raise ValueError("file name %r holds a NUL character" % fname)
    return fname


def read_file(fname, header_size, check_header, limit=STREAM_LIMIT):
    """The bytes of file fname, read within bounds: its first header_size bytes go to check_header (which
    raises for a file of another kind) before anything more is read, and no more is read than a regular
    file's length, or `limit` bytes of anything else (nd.load('/dev/zero') reads 24 bytes, not forever)."""
    fname = check_path(fname)
    with open(fname, "rb") as f:
        info = os.fstat(f.fileno())
        head = f.read(header_size)
        check_header(head)
        if stat.S_ISREG(info.st_mode):
            rest = f.read(max(info.st_size - len(head), 0))
        else:
            rest = f.read(limit + 1)
            if len(head) + len(rest) > limit:
                raise CorruptFile("%s: more than %d bytes (not a regular file): refused" % (fname, limit))
    return head + rest


@args.takes_hash
def save(fname, data):
    """Save a list (Perl: array ref) or a dict (Perl: hash ref, name => NDArray) of NDArrays, or one NDArray."""
    mx.nd.save(check_path(fname), unwrap(data))


def load(fname):
    """The NDArrays of a file written by save (or by Python mxnet): a list, or a dict when they have names."""
    return wrap(checked_load(fname))


def load_frombuffer(buf):
    """load, from the bytes of such a file (a Perl string of them may arrive as str: its code points are bytes)."""
    return wrap(checked_load_frombuffer(buf))


def checked_load(fname):
    """mxnet's nd.load(fname), the file read within bounds and checked first (a list or dict of mxnet's
    NDArrays)."""
    fname = check_path(fname)
    data = read_file(fname, _HEADER.size, _check_header)
    try:
        return checked_load_frombuffer(data)
    except CorruptFile as exc:
        raise CorruptFile("%s (in %s)" % (exc, fname)) from None


def checked_load_frombuffer(buf):
    """mxnet's nd.load_frombuffer(buf), the bytes checked first."""
    buf = args.perl_bytes(buf, "load_frombuffer")
    check_ndarray_file(buf)
    return _MX_LOAD_FROMBUFFER(buf)


_MX_LOAD_FROMBUFFER = mx.nd.load_frombuffer  # mxnet's own (bridge/api/loading.py wraps it with checked_load_frombuffer)
_HEADER = struct.Struct("<QQQ")
_LIST_MAGIC = 0x112
_ARRAY_MAGICS = (0xF993FAC9, 0xF993FACA)  # NDArray format V2 and V3 (numpy shapes): with a storage type
_V1_MAGIC = 0xF993FAC8                   # V1: int64 shapes, dense only
_ITEM_SIZES = {0: 4, 1: 8, 2: 2, 3: 1, 4: 4, 5: 1, 6: 8, 7: 1}  # mxnet type flag -> bytes per element
_INDEX_DTYPES = {4: "<i4", 6: "<i8"}      # what a sparse array's indices may be: int32, int64
_AUX_COUNTS = {1: 1, 2: 2}                # row_sparse: indices; csr: indptr and indices
_MAX_NDIM = 32


def _check_header(head):
    # (the first words of what check_ndarray_file says of the whole file)
    if len(head) < _HEADER.size:
        _Reader(head).take("<QQQ")
    if _HEADER.unpack_from(head)[0] != _LIST_MAGIC:
        raise CorruptFile("not an MXNet NDArray file (bad header)")


class _Reader:
    """Reads fixed-size fields from a buffer, refusing to read past its end."""

    def __init__(self, buf):
        self.buf, self.pos = buf, 0

    def take(self, fmt):
        size = struct.calcsize(fmt)
        if self.pos + size > len(self.buf):
            raise CorruptFile("not an MXNet NDArray file, or a truncated one (ends at byte %d)" % len(self.buf))
        values = struct.unpack_from(fmt, self.buf, self.pos)
        self.pos += size
        return values

    def skip(self, nbytes, what):
        if nbytes > len(self.buf) - self.pos:
            raise CorruptFile("corrupt or truncated NDArray file: %s needs %d bytes, %d are left"
                              % (what, nbytes, len(self.buf) - self.pos))
        self.pos += nbytes

    def shape(self):
        # (a negative count of dimensions made libmxnet copy the rest of the file into a 4-entry stack buffer)
        ndim, = self.take("<i")
        if ndim < 0 or ndim > _MAX_NDIM:
            raise CorruptFile("corrupt NDArray file: an array with %d dimensions" % ndim)
        return self.take("<%dq" % ndim)


def _item_size(type_flag, dims):
    if type_flag not in _ITEM_SIZES or any(d < 0 for d in dims):
        raise CorruptFile("corrupt NDArray file: shape %s, type %d" % (dims, type_flag))
    return _ITEM_SIZES[type_flag]


def _check_array(r):
    """One array of the layout NDArray::Save writes, from r's position: every count and size adds up."""
    magic, = r.take("<I")
    if magic == _V1_MAGIC:
        stype, nad = 0, 0
    elif magic in _ARRAY_MAGICS:
        stype, = r.take("<i")
        if stype != 0 and stype not in _AUX_COUNTS:
            raise CorruptFile("corrupt NDArray file: storage type %d" % stype)
        nad = _AUX_COUNTS.get(stype, 0)
    else:
        raise CorruptFile("not an MXNet NDArray file, or a corrupt one (unknown array format %#x)" % magic)
    storage = r.shape() if nad else None
    dims = r.shape()
    if not dims:
        return  # an empty NDArray: nothing more is stored
    _dev_type, _dev_id, type_flag = r.take("<iii")
    item = _item_size(type_flag, dims)
    aux = []
    for _ in range(nad):
        aux_type, = r.take("<i")
        aux_dims = r.shape()
        if aux_type not in _INDEX_DTYPES or len(aux_dims) != 1 or aux_dims[0] < 0:
            raise CorruptFile("corrupt NDArray file: sparse indices of type %d, shape %s" % (aux_type, aux_dims))
        aux.append((aux_type, aux_dims))
    if nad:
        _item_size(type_flag, storage)  # (its dims not negative)
        _check_sparse_shapes(stype, dims, storage, [d for _, d in aux])
    r.skip(math.prod(storage if nad else dims) * item, "an array of shape %s" % (dims,))
    indices = []
    for aux_type, (length,) in aux:
        start = r.pos
        r.skip(length * _ITEM_SIZES[aux_type], "the indices of a sparse array of shape %s" % (dims,))
        indices.append(np.frombuffer(r.buf, _INDEX_DTYPES[aux_type], length, start))
    if nad:
        _check_sparse_indices(stype, dims, indices)


def _check_sparse_shapes(stype, dims, storage, aux):
    # csr: a matrix; its values [nnz], indptr [rows + 1], indices [nnz].
    # row_sparse: values [rows stored, *dims[1:]], indices [rows stored], no more rows than the array has.
    if stype == 2:
        (indptr,), (nnz,) = aux
        ok = len(dims) == 2 and storage == (nnz,) and indptr == dims[0] + 1
    else:
        (rows,), = aux
        ok = len(storage) == len(dims) and storage[0] == rows and rows <= dims[0] and storage[1:] == dims[1:]
    if not ok:
        raise CorruptFile("corrupt NDArray file: a %s array of shape %s whose parts do not match (values %s, "
                          "indices %s)" % ("csr" if stype == 2 else "row_sparse", dims, storage, aux))


def _check_sparse_indices(stype, dims, indices):
    # What libmxnet's sparse kernels take for granted (and mxnet's check_format checks, where it does not
    # crash first): csr's indptr starts at 0, never decreases and ends at the count of values, and each
    # row's column indices ascend within the columns; row_sparse's row indices ascend within the rows.
    kind = "csr" if stype == 2 else "row_sparse"
    if stype == 2:
        indptr, columns = indices
        steps = np.diff(indptr)
        if indptr[0] != 0 or indptr[-1] != len(columns) or (steps < 0).any():
            raise CorruptFile("corrupt NDArray file: a csr array whose indptr is not 0, ..., %d ascending"
                              % len(columns))
        positions, limit = columns, dims[1]
        row_start = np.zeros(len(columns), bool)
        row_start[indptr[:-1][steps > 0]] = True
    else:
        positions, limit = indices[0], dims[0]
        row_start = np.zeros(len(positions), bool)
    if len(positions) and (positions.min() < 0 or positions.max() >= limit):
        raise CorruptFile("corrupt NDArray file: a %s array of shape %s with indices outside [0, %d)"
                          % (kind, dims, limit))
    if ((np.diff(positions) <= 0) & ~row_start[1:]).any():
        raise CorruptFile("corrupt NDArray file: a %s array whose indices do not ascend" % kind)


def check_ndarray_file(buf):
    """Walk the file's layout and refuse bytes whose counts and sizes do not add up, before libmxnet reads
    them. Files older than V1 (no format mark) are refused."""
    r = _Reader(buf)
    magic, _reserved, count = r.take("<QQQ")
    if magic != _LIST_MAGIC or count > len(buf):
        raise CorruptFile("not an MXNet NDArray file (bad header)")
    for _ in range(count):
        _check_array(r)
    names, = r.take("<Q")
    if names not in (0, count):
        raise CorruptFile("corrupt NDArray file: %d names for %d arrays" % (names, count))
    for _ in range(names):
        length, = r.take("<Q")
        if length > len(buf) - r.pos:
            raise CorruptFile("corrupt or truncated NDArray file: a name runs past the end")
        r.pos += length


def check_array_bytes(buf):
    """The bytes of one array (MXNDArraySaveRawBytes: what Storable's freeze and pickle store), checked as
    one array of a file is, and wholly used."""
    r = _Reader(buf)
    _check_array(r)
    if r.pos != len(buf):
        raise CorruptFile("corrupt NDArray bytes: %d bytes after the array" % (len(buf) - r.pos))


FUNCTIONS = {"save": save, "load": load, "load_frombuffer": load_frombuffer}
