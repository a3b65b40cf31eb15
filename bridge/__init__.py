"""The AI::MXNet bridge: AI::MXNet's names on Python mxnet 1.9.1, for Python users and for the Perl shim.

    from bridge import mx, nd, autograd, mnorm, sclr
    x = nd.array([[1, 2], [3, 4]]); x.attach_grad()
    with autograd.record():
        y = 2 * x * x
    y.backward(); print(x.grad.aspdl(), end="")
"""
import os as _os

from .arrays import startup as _startup

_startup.install()  # before mxnet loads: its operator functions are made when first used

import mxnet as _mx  # noqa: E402

from .api import autograd as _autograd
from .arrays import context as _context
from .arrays import guards as _guards
from .api import engine as _engine
from .api import loading as _loading
from .api import image as _image_api
from .api import kvstore as _kvstore
from .api import module as _module
from .api import operator as _operator
from .api import gluon_utils as _gluon_utils
from .api import metrics as _metrics
from .api import optimizers as _optimizers
from .api import sampler as _sampler
from .handles import block as _block
from .api import datasets as _datasets
from .handles import objects as _objects
from .arrays import files as _io
from .api import random as _random
from .api import recordio as _recordio
from .api import runtime as _runtime
from .api import symbol as _symbol
from .api import io as _data_io
from .api import rnn as _rnn
from .api import viz as _viz
from .api import callback as _callback
from .api import trainer as _trainer
from .arrays import sparse as _sparse
from .arrays.namespace import Namespace
from .arrays.ndarray import NDArray, arange, array, full, ones, reshape, transpose, zeros
from .arrays.pdl import PDL, mnorm, sclr

_loading.install()  # mxnet's readers of users' files check them first (Gluon's, Module's, the mirror's)
_guards.install()   # the operator guard table on mxnet's own paths too (Gluon's, hybridized Blocks', the mirror's)


def __getattr__(name):
    # The version is pyproject.toml's (one number for the Python and the Perl half), read from the installed
    # metadata when asked: looking it up costs a scan of sys.path that every start need not pay.
    if name == "__version__":
        from importlib import metadata
        try:
            return metadata.version("ai-mxnet-bridge")
        except metadata.PackageNotFoundError:  # a source tree put on sys.path by hand, never installed
            return "0+unknown"
    raise AttributeError("module 'bridge' has no attribute %r" % name)

# The namespace tree, with each namespace's AI::MXNet class name: the one table of AI::MXNet's namespaces
# (the Perl shim reads it at load, bridge/perl/entry.py namespace_table). A name given twice is an alias
# AI::MXNet had (mx->init and mx->initializer).
random = Namespace("mx.random", _mx.nd.random, functions=_random.FUNCTIONS, perl="AI::MXNet::Random",
                   perl_calls="module")
linalg = Namespace("mx.nd.linalg", _mx.nd.linalg, perl="AI::MXNet::LinAlg::NDArray")
contrib = Namespace("mx.nd.contrib", _mx.nd.contrib, perl="AI::MXNet::Contrib::NDArray")
image = Namespace("mx.nd.image", _mx.nd.image, perl="AI::MXNet::Image::NDArray")
sparse = Namespace("mx.nd.sparse", _mx.nd.sparse, functions=_sparse.FUNCTIONS, perl="AI::MXNet::NDArray::Sparse")
nd = Namespace("mx.nd", _mx.nd, functions={"array": array, "arange": arange, "reshape": reshape, "transpose": transpose,
                                              "zeros": zeros, "ones": ones, "full": full, "NDArray": NDArray,
                                              "Custom": _operator.Custom, **_io.FUNCTIONS},
               children={"random": random, "linalg": linalg, "contrib": contrib, "image": image, "sparse": sparse},
               perl="AI::MXNet::NDArray", perl_calls="module")
autograd = Namespace("mx.autograd", functions=_autograd.FUNCTIONS, perl="AI::MXNet::AutoGrad", perl_calls="module")
context = Namespace("mx.context", _mx.context, functions=_context.FUNCTIONS, perl="AI::MXNet::Context",
                    perl_calls="module")


def _handles(path, module, perl, functions=None, children=None):
    """A namespace of mxnet classes and functions whose objects cross as handles (bridge/handles/objects.py)."""
    return Namespace(path, module, functions=functions, children=children, forwarder=_objects.forward, perl=perl,
                     perl_calls="objects")


_objects.replace_classes(_datasets.MNIST, _datasets.FashionMNIST, _datasets.CIFAR10, _datasets.CIFAR100)
_objects.replace_classes(_trainer.Trainer, _image_api.ImageIter)
_objects.replace_classes(_recordio.MXRecordIO, _recordio.MXIndexedRecordIO, _recordio.IRHeader)
_objects.replace_classes(_optimizers.NAG, _metrics.Confidence, _metrics.Perplexity, _sampler.SplitSampler)
vision = _handles("gluon.data.vision", _mx.gluon.data.vision, "AI::MXNet::Gluon::Data::Vision",
                  functions={name: _objects.forward(getattr(_datasets, name))
                             for name in ("MNIST", "FashionMNIST", "CIFAR10", "CIFAR100")},
                  children={"transforms": _handles("gluon.data.vision.transforms", _mx.gluon.data.vision.transforms,
                                                   "AI::MXNet::Gluon::Data::Vision::Transforms")})
nn = _handles("gluon.nn", _mx.gluon.nn, "AI::MXNet::Gluon::NN")
gluon = _handles("gluon", _mx.gluon, "AI::MXNet::Gluon",
                 functions={"Block": _block.Block, "HybridBlock": _block.HybridBlock,
                            "Trainer": _objects.forward(_trainer.Trainer)},
                 children={"nn": nn, "loss": _handles("gluon.loss", _mx.gluon.loss, "AI::MXNet::Gluon::Loss"),
                           "data": _handles("gluon.data", _mx.gluon.data, "AI::MXNet::Gluon::Data",
                                            children={"vision": vision},
                                            functions={"SplitSampler": _objects.forward(_sampler.SplitSampler)}),
                           "rnn": _handles("gluon.rnn", _mx.gluon.rnn, "AI::MXNet::Gluon::RNN"),
                           "utils": _handles("gluon.utils", _mx.gluon.utils, "AI::MXNet::Gluon::Utils",
                                             functions=_gluon_utils.FUNCTIONS)})
_init = _handles("mx.init", _mx.init, "AI::MXNet::Initializer")
_optimizer = _handles("mx.optimizer", _mx.optimizer, "AI::MXNet::Optimizer",
                      functions={name: _objects.forward(cls) for name, cls in _optimizers.FUNCTIONS.items()})
_sym = _handles("mx.sym", _mx.sym, "AI::MXNet::Symbol", children={
    name: _handles("mx.sym." + name, getattr(_mx.sym, name), perl)
    for name, perl in (("sparse", "AI::MXNet::Symbol::Sparse"), ("contrib", "AI::MXNet::Contrib::Symbol"),
                       ("linalg", "AI::MXNet::LinAlg::Symbol"), ("random", "AI::MXNet::Symbol::Random"),
                       ("image", "AI::MXNet::Image::Symbol"))})
_image = _handles("mx.image", _mx.image, "AI::MXNet::Image",
                  functions={name: _objects.forward(f) for name, f in _image_api.FUNCTIONS.items()})
_mod = _handles("mx.mod", _mx.mod, "AI::MXNet::Module", functions=_module.FUNCTIONS)
_kv = _handles("mx.kv", _mx.kv, "AI::MXNet::KVStore", functions={"create": _objects.forward(_kvstore.create)})
mx = Namespace("mx", functions={"cpu": _mx.cpu, "gpu": _mx.gpu, "cpu_pinned": _mx.cpu_pinned, "Context": _mx.Context,
                                "AttrScope": _symbol.attr_scope},
               children={"nd": nd, "ndarray": nd, "autograd": autograd, "random": random, "rnd": random,
                         "context": context, "gluon": gluon,
                         "init": _init, "initializer": _init,
                         "metric": _handles("mx.metric", _mx.metric, "AI::MXNet::Metric", functions={
                             name: _objects.forward(cls) for name, cls in _metrics.FUNCTIONS.items()}),
                         "optimizer": _optimizer, "opt": _optimizer,
                         "lr_scheduler": _handles("mx.lr_scheduler", _mx.lr_scheduler, "AI::MXNet::LRScheduler"),
                         "sym": _sym, "symbol": _sym,
                         "io": _handles("mx.io", _mx.io, "AI::MXNet::IO", functions=_data_io.FUNCTIONS), "image": _image, "img": _image,
                         "mod": _mod, "module": _mod, "kv": _kv, "kvstore": _kv,
                         "mon": _handles("mx.monitor", _mx.monitor, "AI::MXNet::Monitor"),
                         "callback": _handles("mx.callback", _mx.callback, "AI::MXNet::Callback",
                                              functions=_callback.FUNCTIONS),
                         "rnn": _handles("mx.rnn", _mx.rnn, "AI::MXNet::RNN", functions=_rnn.FUNCTIONS),
                         "viz": Namespace("mx.viz", _mx.viz, functions=_viz.FUNCTIONS,
                                          perl="AI::MXNet::Visualization", perl_calls="module"),
                         "recordio": _handles("mx.recordio", _mx.recordio, "AI::MXNet::RecordIO",
                                              functions={name: _objects.forward(f)
                                                         for name, f in _recordio.FUNCTIONS.items()}),
                         "engine": Namespace("mx.engine", _mx.engine, functions=_engine.FUNCTIONS,
                                             perl="AI::MXNet::Engine", perl_calls="objects"),
                         "operator": _handles("mx.operator", _mx.operator, "AI::MXNet::Operator",
                                              functions=_operator.FUNCTIONS),
                         "runtime": Namespace("mx.runtime", functions=_runtime.FUNCTIONS, perl="AI::MXNet::RunTime",
                                              perl_calls="objects")},
               perl="AI::MXNet", perl_calls="module")

# bridge-parity runs a Perl script and its Python twin with the same seed: both load this module.
if _os.environ.get("AI_MXNET_BRIDGE_SEED", "").strip():
    _random.seed(int(_os.environ["AI_MXNET_BRIDGE_SEED"]))

__all__ = ["mx", "nd", "autograd", "random", "context", "gluon", "nn", "NDArray", "PDL", "mnorm", "sclr"]
