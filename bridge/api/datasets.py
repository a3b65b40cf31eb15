"""gluon->data->vision->MNIST, FashionMNIST, CIFAR10 and CIFAR100: mxnet's datasets, reading their standard files from
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




class _CifarFiles:
    """Reads CIFAR's binary batch files from root (or from the folder its archive unpacks into: root/
    cifar-10-batches-bin, root/cifar-100-binary); a missing or malformed file is an error that names it (no
    download, no checksum: files made locally in the same format are read as they are)."""

    _folder = None
    _record = 3072 + 1  # bytes of one image and its label(s)

    def _find(self, name):
        for path in (os.path.join(self._root, name), os.path.join(self._root, self._folder, name)):
            if os.path.isfile(path):
                return path
        raise FileNotFoundError("%s: no file %s in %s or %s (CIFAR's binary batch files are read from root, never "
                                "downloaded)" % (type(self).__name__, name, self._root,
                                                 os.path.join(self._root, self._folder)))

    def _read_batch(self, filename):
        size = os.path.getsize(filename)
        if size == 0 or size % self._record:
            raise ValueError("%s: %s is not a CIFAR batch file (%d bytes is no whole number of %d-byte records)"
                             % (type(self).__name__, filename, size, self._record))
        return super()._read_batch(filename)

    def _get_data(self):
        files = self._train_data if self._train else self._test_data
        data, label = zip(*(self._read_batch(self._find(name)) for name, _ in files))
        data = np.concatenate(data)
        self._data = mx.nd.array(data, dtype=data.dtype)
        self._label = np.concatenate(label)


class CIFAR10(_CifarFiles, mx.gluon.data.vision.CIFAR10):
    """gluon->data->vision->CIFAR10(root => ..., train => 1, transform => sub {...}): data_batch_1.bin ..
    data_batch_5.bin (train) or test_batch.bin, each record a label byte and 3072 bytes of pixels."""
    perl_class = "AI::MXNet::Gluon::Data::Vision::DownloadedDataSet::CIFAR10"
    _folder = "cifar-10-batches-bin"


class CIFAR100(_CifarFiles, mx.gluon.data.vision.CIFAR100):
    """gluon->data->vision->CIFAR100(root => ..., fine_label => 0, train => 1): train.bin or test.bin, each
    record a coarse and a fine label byte and 3072 bytes of pixels."""
    perl_class = "AI::MXNet::Gluon::Data::Vision::DownloadedDataSet::CIFAR100"
    _folder = "cifar-100-binary"
    _record = 3072 + 2
