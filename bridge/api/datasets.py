"""gluon->data->vision->MNIST and FashionMNIST: mxnet's datasets, reading the standard gzip idx files from
`root` and never downloading them (a missing file is an error that names it and where it was looked for)."""
import gzip
import os
import struct

import mxnet as mx
import numpy as np


class _IdxFiles:
    """Reads the four gzip idx files of an MNIST-format dataset from root; a missing file is an error that
    names it (there is no download here)."""

    def _get_data(self):
        data_name, label_name = (self._train_data if self._train else self._test_data)[0], \
            (self._train_label if self._train else self._test_label)[0]
        data_file, label_file = (os.path.join(self._root, n) for n in (data_name, label_name))
        for path in (data_file, label_file):
            if not os.path.isfile(path):
                raise FileNotFoundError("%s: no file %s in %s (the dataset's gzip idx files are read from root, "
                                        "never downloaded)" % (type(self).__name__, os.path.basename(path),
                                                               self._root))
        with gzip.open(label_file, "rb") as fin:
            magic, count = struct.unpack(">II", fin.read(8))
            label = np.frombuffer(fin.read(), dtype=np.uint8).astype(np.int32)
        with gzip.open(data_file, "rb") as fin:
            magic, count, rows, cols = struct.unpack(">IIII", fin.read(16))
            data = np.frombuffer(fin.read(), dtype=np.uint8)
        if magic != 2051 or data.size != len(label) * rows * cols:
            raise ValueError("%s: %s is not an idx image file with %d images (%d bytes of pixels for %dx%d)"
                             % (type(self).__name__, data_file, len(label), data.size, rows, cols))
        self._data = mx.nd.array(data.reshape(len(label), rows, cols, 1), dtype=data.dtype)
        self._label = label


class MNIST(_IdxFiles, mx.gluon.data.vision.MNIST):
    """gluon->data->vision->MNIST(root => ..., train => 1, transform => sub {...})."""
    perl_class = "AI::MXNet::Gluon::Data::Vision::DownloadedDataSet::MNIST"


class FashionMNIST(_IdxFiles, mx.gluon.data.vision.FashionMNIST):
    """gluon->data->vision->FashionMNIST(root => ..., train => 1, transform => sub {...})."""
    perl_class = "AI::MXNet::Gluon::Data::Vision::DownloadedDataSet::FashionMNIST"


