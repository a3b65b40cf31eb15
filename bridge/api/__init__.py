"""AI::MXNet's API families beyond the array itself, one module each: autograd, random, engine, runtime,
symbol (attribute scopes), datasets (MNIST and FashionMNIST from local files), trainer (Gluon's Trainer with
a direct update), io, module, test_utils, ..."""
import importlib


def __getattr__(name):
    # a family the bridge does not load at import (test_utils) is loaded when the shim first calls into it
    # ('api.test_utils.get_mnist_ubyte')
    if name.startswith("_"):
        raise AttributeError(name)
    try:
        return importlib.import_module(f".{name}", __name__)
    except ModuleNotFoundError as exc:
        if exc.name != f"{__name__}.{name}":
            raise
        raise AttributeError(f"module {__name__} has no attribute {name}") from None
