"""Saving and loading NDArrays in mxnet's own file format, so files pass between Perl, Python mxnet and any
other mxnet binding: nd.save(fname, list or dict), nd.load(fname), nd.load_frombuffer(bytes)."""
import mxnet as mx

from . import args
from .ndarray import unwrap, wrap


@args.takes_hash
def save(fname, data):
    """Save a list (Perl: array ref) or a dict (Perl: hash ref, name => NDArray) of NDArrays, or one NDArray."""
    mx.nd.save(fname, unwrap(data))


def load(fname):
    """The NDArrays of a file written by save (or by Python mxnet): a list, or a dict when they have names."""
    return wrap(mx.nd.load(fname))


def load_frombuffer(buf):
    """load, from the bytes of such a file (a Perl string of them may arrive as str: its code points are bytes)."""
    if isinstance(buf, str):
        buf = buf.encode("latin-1")
    return wrap(mx.nd.load_frombuffer(bytes(buf)))


FUNCTIONS = {"save": save, "load": load, "load_frombuffer": load_frombuffer}
