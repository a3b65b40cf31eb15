"""The AI::MXNet bridge: AI::MXNet's names on Python mxnet 1.9.1, for Python users and for the Perl shim.

    from bridge import mx, nd, autograd, mnorm, sclr
    x = nd.array([[1, 2], [3, 4]]); x.attach_grad()
    with autograd.record():
        y = 2 * x * x
    y.backward(); print(x.grad.aspdl(), end="")
"""
import os as _os

import mxnet as _mx

from .api import autograd as _autograd
from .arrays import context as _context
from .api import engine as _engine
from .api import kvstore as _kvstore
from .api import sampler as _sampler
from .handles import block as _block
from .api import datasets as _datasets
from .handles import objects as _objects
from .arrays import files as _io
from .api import random as _random
from .api import runtime as _runtime
from .api import symbol as _symbol
from .arrays.namespace import Namespace
from .arrays.ndarray import NDArray, arange, array, full, ones, reshape, transpose, zeros
from .arrays.pdl import PDL, mnorm, sclr

__version__ = "0.1.0"

random = Namespace("mx.random", _mx.nd.random, functions=_random.FUNCTIONS)
linalg = Namespace("mx.nd.linalg", _mx.nd.linalg)
contrib = Namespace("mx.nd.contrib", _mx.nd.contrib)
image = Namespace("mx.nd.image", _mx.nd.image)
sparse = Namespace("mx.nd.sparse", _mx.nd.sparse)
nd = Namespace("mx.nd", _mx.nd, functions={"array": array, "arange": arange, "reshape": reshape, "transpose": transpose,
                                              "zeros": zeros, "ones": ones, "full": full, "NDArray": NDArray, **_io.FUNCTIONS},
               children={"random": random, "linalg": linalg, "contrib": contrib, "image": image, "sparse": sparse})
autograd = Namespace("mx.autograd", functions=_autograd.FUNCTIONS)
context = Namespace("mx.context", _mx.context, functions=_context.FUNCTIONS)


def _handles(path, module, functions=None, children=None):
    """A namespace of mxnet classes and functions whose objects cross as handles (bridge/handles/objects.py)."""
    return Namespace(path, module, functions=functions, children=children, forwarder=_objects.forward)


_objects.replace_classes(_datasets.MNIST, _datasets.FashionMNIST, _sampler.SplitSampler)
vision = _handles("gluon.data.vision", _mx.gluon.data.vision,
                  functions={"MNIST": _objects.forward(_datasets.MNIST),
                             "FashionMNIST": _objects.forward(_datasets.FashionMNIST)},
                  children={"transforms": _handles("gluon.data.vision.transforms", _mx.gluon.data.vision.transforms)})
nn = _handles("gluon.nn", _mx.gluon.nn)
gluon = _handles("gluon", _mx.gluon, functions={"Block": _block.Block, "HybridBlock": _block.HybridBlock},
                 children={"nn": nn, "loss": _handles("gluon.loss", _mx.gluon.loss),
                           "data": _handles("gluon.data", _mx.gluon.data, children={"vision": vision},
                                            functions={"SplitSampler": _objects.forward(_sampler.SplitSampler)}),
                           "rnn": _handles("gluon.rnn", _mx.gluon.rnn), "utils": _handles("gluon.utils", _mx.gluon.utils)})
mx = Namespace("mx", functions={"cpu": _mx.cpu, "gpu": _mx.gpu, "cpu_pinned": _mx.cpu_pinned, "Context": _mx.Context,
                                "AttrScope": _symbol.attr_scope},
               children={"nd": nd, "autograd": autograd, "random": random, "context": context, "gluon": gluon,
                         "init": _handles("mx.init", _mx.init), "metric": _handles("mx.metric", _mx.metric),
                         "optimizer": _handles("mx.optimizer", _mx.optimizer),
                         "lr_scheduler": _handles("mx.lr_scheduler", _mx.lr_scheduler),
                         "sym": _handles("mx.sym", _mx.sym, children={
                             name: _handles("mx.sym." + name, getattr(_mx.sym, name))
                             for name in ("sparse", "contrib", "linalg", "random", "image")}),
                         "io": _handles("mx.io", _mx.io), "image": _handles("mx.image", _mx.image),
                         "mod": _handles("mx.mod", _mx.mod),
                         "kv": _handles("mx.kv", _mx.kv, functions={"create": _objects.forward(_kvstore.create)}),
                         "engine": Namespace("mx.engine", _mx.engine, functions=_engine.FUNCTIONS),
                         "runtime": Namespace("mx.runtime", functions=_runtime.FUNCTIONS)})

# bridge-parity runs a Perl script and its Python twin with the same seed: both load this module.
if _os.environ.get("AI_MXNET_BRIDGE_SEED", "").strip():
    _random.seed(int(_os.environ["AI_MXNET_BRIDGE_SEED"]))

__all__ = ["mx", "nd", "autograd", "random", "context", "gluon", "nn", "NDArray", "PDL", "mnorm", "sclr"]
