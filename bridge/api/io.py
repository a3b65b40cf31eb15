"""AI::MXNet's mx->io: DataDesc and DataBatch objects as AI::MXNet had them, NDArrayIter checking its input, and
mxnet's C++ iterators (CSVIter, MNISTIter, ImageRecordIter, LibSVMIter, ...) refusing a file that is not there.

mxnet's own classes do the work (a Module takes them as they are); what differs is how they are made and
shown: a DataDesc's shape is a tuple (mxnet compares shapes as tuples) and its dtype a name, and it prints
as AI::MXNet printed it, DataDesc[data,3x8x7,float32,NCHW]; @{$desc} is [name, shape] (a namedtuple's items).
"""
import collections
import os

import mxnet as mx
import numpy as np

from ..arrays import invoke
from ..arrays.ndarray import NDArray
from ..handles import objects


def _dtype_name(dtype):
    return np.dtype(dtype).name


def data_desc(name, shape, dtype="float32", layout="NCHW"):
    """mx->io->DataDesc('data', [3, 8, 7], layout => 'TNC') or DataDesc(name => ..., shape => [...])."""
    if not isinstance(name, str):
        raise TypeError(f"DataDesc: name must be a string, not {type(name).__name__}")
    if isinstance(shape, int):
        shape = (shape,)
    try:
        shape = tuple(int(d) for d in shape)
    except (TypeError, ValueError):
        raise TypeError(f"DataDesc: shape must be a list of integers, not {shape!r}") from None
    return mx.io.DataDesc(name, shape, _dtype_name(dtype), layout)


def describe_data_desc(desc):
    """AI::MXNet's string of a DataDesc: DataDesc[NAME,3x8x7,float32,NCHW]."""
    return "DataDesc[%s,%s,%s,%s]" % (desc.name, "x".join(str(d) for d in desc.shape), _dtype_name(desc.dtype),
                                      desc.layout)


class NDArrayIter(mx.io.NDArrayIter):
    """mx->io->NDArrayIter(data => $x, label => $y, batch_size => 10): mxnet's, refusing in one line labels (or
    further data) with fewer samples than the data (mxnet would fail at a later batch, or not at all)."""

    perl_class = "AI::MXNet::NDArrayIter"

    def __init__(self, data, label=None, batch_size=1, shuffle=False, last_batch_handle="pad", data_name="data",
                 label_name="softmax_label", layout="NCHW"):
        if not isinstance(batch_size, int) or batch_size < 1:
            raise ValueError(f"NDArrayIter: batch_size must be a positive integer, not {batch_size!r}")
        if last_batch_handle not in ("pad", "discard", "roll_over"):
            raise ValueError(f"NDArrayIter: last_batch_handle must be 'pad', 'discard' or 'roll_over', "
                             f"not {last_batch_handle!r}")
        super().__init__(data, label, batch_size, shuffle, last_batch_handle, data_name, label_name, layout)
        # mxnet sorts a dict's names (right for a Perl hash, whose order is random); an ordered hash (AI::MXNet's
        # Hash::Ordered, arriving as an OrderedDict) keeps its own order, as AI::MXNet kept it
        for attribute, given in (("data", data), ("label", label)):
            if isinstance(given, collections.OrderedDict):
                order = list(given)
                setattr(self, attribute, sorted(getattr(self, attribute), key=lambda item: order.index(item[0])))
        self.data_list = [array for _, array in self.data + self.label]
        axis = max(layout.find("N"), 0)
        counts = [(name, array.shape[axis] if len(array.shape) > axis else None)
                  for name, array in self.data + self.label]
        first_name, first = counts[0]
        for name, count in counts[1:]:
            # (more is allowed: the first ones are used, as AI::MXNet and mxnet did; AI::MXNet's t/test_loss.t
            # gives 20 labels with 10 samples)
            if count is None or count < first:
                raise ValueError(f"NDArrayIter: {first_name} has {first} samples but {name} has {count}")
        if first == 0:
            raise ValueError(f"NDArrayIter: {first_name} has no samples")

    def next(self):
        # A whole batch inside the data (not the padded, rolled-over or discarded end) of dense arrays, made in one
        # go: what mxnet's next gives, each array sliced by one direct call (mxnet's takes several Python layers).
        start = self.cursor + self.batch_size
        end = start + self.batch_size
        sources = [array for _, array in self.data + self.label]
        if start < 0 or end > self.num_data or not all(type(array) is mx.nd.NDArray for array in sources):
            return super().next()
        self.cursor = start
        values = invoke._strings((str(self.layout.find("N")), str(start), str(end)))
        arrays = [invoke._call(_SLICE_AXIS, invoke._handles([array]), 3, _SLICE_KEYS, values) for array in sources]
        count = len(self.data)
        return mx.io.DataBatch(data=arrays[:count], label=arrays[count:], pad=0, index=None)

    def _getdata(self, data_source, start=None, end=None):
        # A batch of dense arrays: each sliced along the batch axis by one direct call of mxnet's slice_axis
        # (bridge/arrays/invoke.py), the same operator mxnet's NDArrayIter calls through its slower Python layers.
        if not all(type(array) is mx.nd.NDArray for _, array in data_source):
            return super()._getdata(data_source, start, end)
        start = 0 if start is None else start
        if end is None:
            end = data_source[0][1].shape[0] if data_source else 0
        axis = self.layout.find("N")
        values = invoke._strings((str(axis), str(start), str(end)))
        return [invoke._call(_SLICE_AXIS, invoke._handles([array]), 3, _SLICE_KEYS, values)
                for _, array in data_source]

    def _shuffle_data(self):
        # mxnet shuffles a CSR array's rows through scipy, which the bridge does without (a dense copy here)
        np.random.shuffle(self.idx)
        self.data = [(name, _rows(array, self.idx)) for name, array in self.data]
        self.label = [(name, _rows(array, self.idx)) for name, array in self.label]


_SLICE_AXIS = invoke._op_handle("slice_axis")
_SLICE_KEYS = invoke._strings(("axis", "begin", "end"))


def _rows(array, order):
    """array's rows (axis 0) in the order given."""
    if isinstance(array, mx.nd.sparse.CSRNDArray):
        index = mx.nd.array(order, ctx=array.context, dtype="int64")
        return mx.nd.take(array.tostype("default"), index).tostype("csr")
    return mx.nd.array(array.asnumpy()[order], array.context, dtype=array.dtype)


_ARRAYS = "an NDArray, a PDL, or a list or hash of them"


def ndarray_iter(data=None, label=None, batch_size=1, shuffle=False, last_batch_handle="pad", data_name="data",
                 label_name="softmax_label", layout="NCHW"):
    """AI::MXNet's spelling: NDArrayIter($data, label => $label, batch_size => 10) or NDArrayIter(data => ...)."""
    if data is None:
        raise TypeError(f"NDArrayIter: data must be defined ({_ARRAYS})")
    for name, value in (("data", data), ("label", label)):
        values = value.values() if isinstance(value, dict) else value if isinstance(value, list) else [value]
        for v in values:
            if v is not None and not isinstance(v, (mx.nd.NDArray, NDArray, np.ndarray, list)):
                raise TypeError(f"NDArrayIter: {name} must be {_ARRAYS}, not {v!r}")
    return NDArrayIter(data, label, batch_size, shuffle, last_batch_handle, data_name, label_name, layout)


# The parameters of mxnet's C++ iterators that name files they read.
FILE_PARAMETERS = ("image", "label", "data_csv", "label_csv", "path_imgrec", "path_imglist", "path_imgidx",
                   "data_libsvm", "label_libsvm")


def _reading_files(name):
    """mxnet's C++ iterator `name` (mx->io->CSVIter({data_csv => ..., ...})), refusing in one line a file that
    is not there (mxnet's own message may not name it: "LocalFileSystem.ListDirectory error")."""
    make = getattr(mx.io, name)

    def iterator(*args, **kwargs):
        for parameter in FILE_PARAMETERS:
            path = kwargs.get(parameter)
            if isinstance(path, str) and path not in ("", "NULL") and not os.path.isfile(path):
                raise FileNotFoundError(f"{name}: no file {path} ({parameter})")
        return make(*args, **kwargs)
    iterator.__name__ = iterator.__qualname__ = name
    iterator.__doc__ = make.__doc__
    return iterator


objects.perl_string(mx.io.DataDesc, describe_data_desc)
# (also where mxnet writes one into a message: "Data provided by data_shapes don't match names ...")
mx.io.DataDesc.__repr__ = describe_data_desc
objects.perl_constructor(mx.io.DataDesc, data_desc)
objects.replace_classes(NDArrayIter)

FUNCTIONS = {"DataDesc": objects.forward(data_desc), "NDArrayIter": objects.forward(ndarray_iter),
             **{name: objects.forward(_reading_files(name))
                for name in ("CSVIter", "MNISTIter", "ImageRecordIter", "ImageRecordUInt8Iter", "ImageRecordInt8Iter",
                             "ImageDetRecordIter", "LibSVMIter")}}
