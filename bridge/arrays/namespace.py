"""Namespaces that mirror AI::MXNet's (`nd`, `nd->random`, `mx`): explicit functions first, then every
operator of the mxnet module underneath, forwarded with NDArray results wrapped as mirror NDArrays."""
import difflib

import functools

import mxnet.ndarray.op as mx_op
from mxnet.base import MXNetError

from . import invoke
from .ndarray import NDArray, forward, guard_division, wrap


def _operator(name, target):
    """The direct-call form of a registered operator (bridge/arrays/invoke.py), or None if name is not one
    (a Python function of mxnet's such as nd.zeros or nd.random.uniform)."""
    if target is not getattr(mx_op, name, None):  # only mxnet's generated functions of registered operators
        return None
    try:
        operator = invoke.RegisteredOperator(name, forward(target), wrap, NDArray)
    except MXNetError:
        return None
    return functools.update_wrapper(operator, target)  # keeps the signature that args.keyword_names reads


class UnknownOperator(AttributeError):
    """A name that is neither written here nor registered in mxnet."""


class Namespace:
    """Names from `functions` (a dict) and `children` (sub-namespaces), then mxnet `module`'s callables, made
    by `forwarder` to take and give the bridge's values.

    `perl` is the AI::MXNet class name of the namespace (mx->gluon->nn is AI::MXNet::Gluon::NN) and
    `perl_calls` how the shim calls into it: "operators" (arrays in, arrays out: nd->linalg), "objects"
    (handles, Perl subs anywhere: gluon->Trainer) or "module" (a Perl module of its own: nd, autograd). This
    tree is the one table of AI::MXNet's namespaces; the shim reads it at load (bridge/perl/entry.py)."""

    def __init__(self, path, module=None, functions=None, children=None, forwarder=forward, perl=None,
                 perl_calls="operators"):
        self._path = path
        self._module = module
        self._forwarder = forwarder  # how an mxnet callable is made to take and give the bridge's values
        self._perl = perl
        self._perl_calls = perl_calls
        for name, value in {**(functions or {}), **(children or {})}.items():
            setattr(self, name, value)

    def __getattr__(self, name):
        if name.startswith("__") or self._module is None:
            raise AttributeError(name)
        target = getattr(self._module, name, None)
        if name.startswith("_"):
            # mxnet's internal operators (_plus_scalar, _identity_with_attr_like_rhs), which AI::MXNet offered
            # by name as it offered every other; Python keeps them in the module's _internal
            target = getattr(getattr(self._module, "_internal", None), name, None)
        if not callable(target):
            known = [n for n in dir(self._module) if not n.startswith("_")] + list(vars(self))
            close = difflib.get_close_matches(name, known, n=1)
            hint = f" (did you mean {close[0]}?)" if close else ""
            raise UnknownOperator(f"unknown operator {name} in {self._path}{hint}")
        function = guard_division(name, _operator(name, target) or self._forwarder(target))
        setattr(self, name, function)  # resolved once; later lookups are plain attribute reads
        return function

    def __repr__(self):
        return f"<bridge namespace {self._path}>"
