"""gluon->data->vision->MNIST, FashionMNIST, CIFAR10 and CIFAR100: mxnet's datasets, reading their standard files from
`root` and never downloading them (a missing file is an error that names it and where it was looked for)."""
import functools
import gzip
import inspect
import multiprocessing.util
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
        labels = _read_idx(label_file, 2049, 1)
        images = _read_idx(data_file, 2051, 3)
        if len(images) != len(labels):
            raise ValueError("%s: %s holds %d images for %d labels in %s" % (
                type(self).__name__, data_file, len(images), len(labels), label_file))
        self._data = mx.nd.array(images.reshape(images.shape + (1,)), dtype=images.dtype)
        self._label = labels.astype(np.int32)


# The most an idx file may hold once decompressed (MNIST's training images are 47 MB): a gzip bomb's
# header may promise any size, and gzip would inflate it without end.
IDX_LIMIT = 1 << 30


def _read_idx(path, magic, ndim):
    """The uint8 array of a gzip idx file (magic number, ndim big-endian counts, then the bytes), read no
    further than its header's counts say; a file whose header or length disagrees is refused."""
    with gzip.open(path, "rb") as fin:
        try:
            head = fin.read(4 + 4 * ndim)
        except (OSError, EOFError) as exc:
            raise ValueError("%s is not a gzip idx file (%s)" % (path, exc)) from None
        if len(head) != 4 + 4 * ndim or struct.unpack(">I", head[:4])[0] != magic:
            raise ValueError("%s is not an idx file of magic number %d" % (path, magic))
        dims = struct.unpack(">%dI" % ndim, head[4:])
        size = int(np.prod(dims, dtype=np.int64))
        if size > IDX_LIMIT:
            raise ValueError("%s: an idx file of shape %s (%d bytes) is larger than the %d bytes allowed"
                             % (path, dims, size, IDX_LIMIT))
        try:
            data = fin.read(size + 1)
        except (OSError, EOFError) as exc:
            raise ValueError("%s: a corrupt gzip file (%s)" % (path, exc)) from None
    if len(data) != size:
        raise ValueError("%s: an idx file of shape %s holds %s bytes, not %d" % (
            path, dims, "more than %d" % size if len(data) > size else len(data), size))
    return np.frombuffer(data, dtype=np.uint8).reshape(dims)


# mxnet's DataLoader.__del__ reads _worker_pool, which __init__ sets only once its arguments passed: each
# DataLoader refused for its arguments printed "Exception ignored in: DataLoader.__del__" when collected.
mx.gluon.data.DataLoader._worker_pool = None


def _sharing_temp_dir(init):
    """DataLoader's __init__, the multiprocessing temp dir (pymp-*) made first when it starts workers: forked
    after that, they share it, and this process removes it at exit; each worker made its own before, and one
    that was killed left it behind."""
    signature = inspect.signature(init)

    @functools.wraps(init)
    def sharing(self, *args, **kwargs):
        if signature.bind(self, *args, **kwargs).arguments.get("num_workers", 0):
            multiprocessing.util.get_temp_dir()
        init(self, *args, **kwargs)
    return sharing


mx.gluon.data.DataLoader.__init__ = _sharing_temp_dir(mx.gluon.data.DataLoader.__init__)


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
