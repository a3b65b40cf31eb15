"""Saving and loading NDArrays in mxnet's own file format, so files pass between Perl, Python mxnet and any
other mxnet binding: nd.save(fname, list or dict), nd.load(fname), nd.load_frombuffer(bytes)."""
import math
import struct

import mxnet as mx

from ..perl import args
from .ndarray import unwrap, wrap


@args.takes_hash
def save(fname, data):
    """Save a list (Perl: array ref) or a dict (Perl: hash ref, name => NDArray) of NDArrays, or one NDArray."""
    mx.nd.save(fname, unwrap(data))


def load(fname):
    """The NDArrays of a file written by save (or by Python mxnet): a list, or a dict when they have names."""
    with open(fname, "rb") as f:
        return load_frombuffer(f.read())


def load_frombuffer(buf):
    """load, from the bytes of such a file (a Perl string of them may arrive as str: its code points are bytes)."""
    buf = args.perl_bytes(buf, "load_frombuffer")
    check_ndarray_file(buf)
    return wrap(mx.nd.load_frombuffer(buf))


class CorruptFile(ValueError):
    """Bytes that are not a whole NDArray file."""


_LIST_MAGIC = 0x112
_ARRAY_MAGICS = (0xF993FAC9, 0xF993FACA)  # NDArray format V2 and V3 (numpy shapes)
_V1_MAGIC = 0xF993FAC8
_ITEM_SIZES = {0: 4, 1: 8, 2: 2, 3: 1, 4: 4, 5: 1, 6: 8, 7: 1}  # mxnet type flag -> bytes per element


def check_ndarray_file(buf):
    """Walk the file's layout and refuse bytes whose counts and sizes do not add up, before libmxnet reads
    them: it trusts those numbers, so a corrupt file can make it allocate without bound or never return.
    Sparse arrays and the V1 layout are left to libmxnet; files older than V1 (no format mark) are refused."""
    pos = 0

    def take(fmt):
        nonlocal pos
        size = struct.calcsize(fmt)
        if pos + size > len(buf):
            raise CorruptFile("not an MXNet NDArray file, or a truncated one (ends at byte %d)" % len(buf))
        values = struct.unpack_from(fmt, buf, pos)
        pos += size
        return values

    magic, _reserved, count = take("<QQQ")
    if magic != _LIST_MAGIC or count > len(buf):
        raise CorruptFile("not an MXNet NDArray file (bad header)")
    for _ in range(count):
        array_magic, = take("<I")
        if array_magic == _V1_MAGIC:
            return  # the oldest versioned layout: libmxnet's to read
        if array_magic not in _ARRAY_MAGICS:
            raise CorruptFile("not an MXNet NDArray file, or a corrupt one (unknown array format %#x)" % array_magic)
        stype, = take("<i")
        if stype in (1, 2):
            return  # row_sparse and csr layouts: libmxnet's to read
        if stype != 0:
            raise CorruptFile("corrupt NDArray file: storage type %d" % stype)
        ndim, = take("<i")
        if ndim <= 0:
            continue  # an empty NDArray: nothing more is stored
        if ndim > 32:
            raise CorruptFile("corrupt NDArray file: an array with %d dimensions" % ndim)
        dims = take("<%dq" % ndim)
        _dev_type, _dev_id, type_flag = take("<iii")
        if min(dims) < 0 or type_flag not in _ITEM_SIZES:
            raise CorruptFile("corrupt NDArray file: shape %s, type %d" % (dims, type_flag))
        nbytes = math.prod(dims) * _ITEM_SIZES[type_flag]
        if pos + nbytes > len(buf):
            raise CorruptFile("corrupt or truncated NDArray file: an array of shape %s needs %d bytes, %d are left"
                              % (dims, nbytes, len(buf) - pos))
        pos += nbytes
    names, = take("<Q")
    if names not in (0, count):
        raise CorruptFile("corrupt NDArray file: %d names for %d arrays" % (names, count))
    for _ in range(names):
        length, = take("<Q")
        if pos + length > len(buf):
            raise CorruptFile("corrupt or truncated NDArray file: a name runs past the end")
        pos += length


FUNCTIONS = {"save": save, "load": load, "load_frombuffer": load_frombuffer}
