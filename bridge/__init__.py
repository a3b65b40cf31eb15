"""The AI::MXNet bridge: AI::MXNet's names on Python mxnet 1.9.1, for Python users and for the Perl shim.

    from bridge import mx, nd, autograd, mnorm, sclr
    x = nd.array([[1, 2], [3, 4]]); x.attach_grad()
    with autograd.record():
        y = 2 * x * x
    y.backward(); print(x.grad.aspdl(), end="")
"""
import os as _os

import mxnet as _mx

from . import autograd as _autograd
from . import context as _context
from . import io as _io
from . import random as _random
from .namespace import Namespace
from .ndarray import NDArray, arange, array, reshape, transpose
from .pdl import PDL, mnorm, sclr

__version__ = "0.1.0"

random = Namespace("mx.random", _mx.nd.random, functions=_random.FUNCTIONS)
linalg = Namespace("mx.nd.linalg", _mx.nd.linalg)
contrib = Namespace("mx.nd.contrib", _mx.nd.contrib)
image = Namespace("mx.nd.image", _mx.nd.image)
sparse = Namespace("mx.nd.sparse", _mx.nd.sparse)
nd = Namespace("mx.nd", _mx.nd, functions={"array": array, "arange": arange, "reshape": reshape, "transpose": transpose, "NDArray": NDArray, **_io.FUNCTIONS},
               children={"random": random, "linalg": linalg, "contrib": contrib, "image": image, "sparse": sparse})
autograd = Namespace("mx.autograd", functions=_autograd.FUNCTIONS)
context = Namespace("mx.context", _mx.context, functions=_context.FUNCTIONS)
mx = Namespace("mx", functions={"cpu": _mx.cpu, "gpu": _mx.gpu, "cpu_pinned": _mx.cpu_pinned, "Context": _mx.Context},
               children={"nd": nd, "autograd": autograd, "random": random, "context": context})

# bridge-parity runs a Perl script and its Python twin with the same seed: both load this module.
if _os.environ.get("AI_MXNET_BRIDGE_SEED", "").strip():
    _random.seed(int(_os.environ["AI_MXNET_BRIDGE_SEED"]))

__all__ = ["mx", "nd", "autograd", "random", "context", "NDArray", "PDL", "mnorm", "sclr"]
