"""AI::MXNet::TestUtils' helpers that need mxnet: the numeric and symbolic gradient checks (mxnet.test_utils's,
taking AI::MXNet's arrays and PDLs) and GetMNIST_ubyte / GetCifar10, which find the datasets' files in ./data
(or copy them there from $AI_MXNET_TEST_DATA) and never download them."""
import gzip
import os
import shutil

import mxnet as mx
import numpy as np
import mxnet.test_utils as _mx_test_utils

from ..arrays.ndarray import NDArray

# The files AI::MXNet's tests read, under ./data, as the archives that AI::MXNet downloaded unpacked them.
MNIST_FILES = ("train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte",
               "t10k-labels-idx1-ubyte")
CIFAR_FILES = ("cifar/train.rec", "cifar/test.rec")
SOURCE = "AI_MXNET_TEST_DATA"  # a directory holding the files (or MNIST's .gz files) to take them from


def _numpy(value):
    if isinstance(value, NDArray):
        return value.asnumpy()
    if isinstance(value, mx.nd.NDArray):
        return value.asnumpy()
    if isinstance(value, dict):
        return {k: _numpy(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_numpy(v) for v in value]
    return value


def _mirror(value):
    if isinstance(value, np.ndarray):
        return NDArray(mx.nd.array(value, dtype=value.dtype))
    if isinstance(value, (list, tuple)):
        return [_mirror(v) for v in value]
    if isinstance(value, dict):
        return {k: _mirror(v) for k, v in value.items()}
    return value


def check_numeric_gradient(sym, location, aux_states=None, numeric_eps=None, rtol=None, atol=None, grad_nodes=None,
                           use_forward_train=True, ctx=None, dtype="float32"):
    """Compare sym's gradients at location ({name => PDL or NDArray} or a list in argument order) with finite
    differences; dies with mxnet's message where they differ, else returns 1."""
    _mx_test_utils.check_numeric_gradient(sym, _numpy(location), _numpy(aux_states), numeric_eps, rtol, atol,
                                          grad_nodes, bool(use_forward_train), ctx, dtype=np.dtype(dtype).type)
    return 1


def check_symbolic_forward(sym, location, expected, rtol=None, atol=None, aux_states=None, ctx=None,
                           dtype="float32"):
    """sym's outputs at location against expected (a list in output order, or {name => array}); dies where they
    differ, else returns the outputs as NDArrays."""
    return _mirror(_mx_test_utils.check_symbolic_forward(sym, _numpy(location), _numpy(expected), rtol, atol,
                                                         _numpy(aux_states), ctx, dtype=np.dtype(dtype).type))


def check_symbolic_backward(sym, location, out_grads, expected, rtol=None, atol=None, aux_states=None,
                            grad_req="write", ctx=None, dtype="float32"):
    """sym's gradients at location for out_grads against expected ({name => array} or a list in argument
    order); dies where they differ, else returns the gradients as {name => NDArray}."""
    return _mirror(_mx_test_utils.check_symbolic_backward(sym, _numpy(location), _numpy(out_grads),
                                                          _numpy(expected), rtol, atol, _numpy(aux_states),
                                                          grad_req, ctx, dtype=np.dtype(dtype).type))


def _fetch(caller, names, what, maker, source):
    """Make each of names present under ./data: there already, or taken from the directory source (Perl's
    $ENV{AI_MXNET_TEST_DATA}: a .gz of it is unpacked); else FileNotFoundError naming the file and where it was
    looked for."""
    for name in names:
        target = os.path.join("data", name)
        if os.path.isfile(target):
            continue
        found = None
        if source:
            for candidate in (os.path.join(source, name), os.path.join(source, os.path.basename(name)),
                              os.path.join(source, name + ".gz"), os.path.join(source, os.path.basename(name) + ".gz")):
                if os.path.isfile(candidate):
                    found = candidate
                    break
        if found is None:
            where = f"in {os.path.abspath('data')}" + (f" nor in ${SOURCE} ({source})" if source else "")
            raise FileNotFoundError(f"{caller}: no file {name} {where}; {what} is read from there and never "
                                    f"downloaded ({maker} makes one)")
        os.makedirs(os.path.dirname(target), exist_ok=True)
        if found.endswith(".gz"):
            with gzip.open(found, "rb") as packed, open(target, "wb") as out:
                shutil.copyfileobj(packed, out)
        else:
            shutil.copyfile(found, target)
    return 1


# (the directory comes from the caller: a Perl program's %ENV is not Python's os.environ, read once at start)
def get_mnist_ubyte(source=None):
    """AI::MXNet's GetMNIST_ubyte: MNIST's four idx files under ./data."""
    return _fetch("GetMNIST_ubyte", MNIST_FILES, "MNIST", "scripts/make_idx_data.py --ubyte data",
                  os.environ.get(SOURCE) if source is None else source)


def get_cifar10(source=None):
    """AI::MXNet's GetCifar10: CIFAR-10's RecordIO files under ./data/cifar."""
    return _fetch("GetCifar10", CIFAR_FILES, "CIFAR-10", "scripts/make_cifar_data.py data/cifar",
                  os.environ.get(SOURCE) if source is None else source)
