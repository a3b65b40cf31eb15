"""Namespaces that mirror AI::MXNet's (`nd`, `nd->random`, `mx`): explicit functions first, then every
operator of the mxnet module underneath, forwarded with NDArray results wrapped as mirror NDArrays."""
import difflib

import functools

import mxnet.ndarray.op as mx_op
from mxnet.base import MXNetError

from . import invoke
from .ndarray import NDArray, forward, wrap


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
    tree is the one table of AI::MXNet's namespaces; the shim reads it at load (bridge/perl/entry.py).

    Perl reaches a namespace by any name a caller writes (`gluon->$name`), so `lookup` gives only what the
    namespace offers: its functions and children, and the callables mxnet itself defines in `module` (not what
    that module imported from elsewhere, as os or ctypes; of its internal names, only registered operators)."""

    # the namespace's own state: never offered
    _OWN = frozenset(("_path", "_module", "_forwarder", "_known", "_perl", "_perl_calls"))

    def __init__(self, path, module=None, functions=None, children=None, forwarder=forward, perl=None,
                 perl_calls="operators"):
        self._path = path
        self._module = module
        self._forwarder = forwarder  # how an mxnet callable is made to take and give the bridge's values
        self._perl = perl
        self._perl_calls = perl_calls
        self._known = None  # the names a misspelt one is compared with (made when first needed)
        for name, value in {**(functions or {}), **(children or {})}.items():
            setattr(self, name, value)

    def lookup(self, name):
        """The function or child namespace `name`, as a caller from Perl may reach it."""
        if not name.isidentifier() or name in self._OWN or name.startswith("__"):
            raise UnknownOperator(f"unknown operator {name!r} in {self._path}"[:200])
        return getattr(self, name)

    def __getattr__(self, name):
        if name.startswith("__") or name in self._OWN or self._module is None:
            raise AttributeError(name)
        target = getattr(self._module, name, None)
        if name.startswith("_"):
            # mxnet's internal operators (_plus_scalar, _identity_with_attr_like_rhs), which AI::MXNet offered
            # by name as it offered every other; Python keeps them in the module's _internal
            target = getattr(getattr(self._module, "_internal", None), name, None)
        if not _offered(name, target):
            raise UnknownOperator(f"unknown operator {name} in {self._path}{self._hint(name)}")
        function = _operator(name, target) or self._forwarder(target)
        setattr(self, name, function)  # resolved once; later lookups are plain attribute reads
        return function

    def _hint(self, name):
        # the closest public name, among those of the same first letter (difflib over all of mxnet's ~1000
        # names took a millisecond per unknown name)
        if self._known is None:
            names = [n for n in dir(self._module) if _offered(n, getattr(self._module, n, None))]
            names += [n for n in vars(self) if n[0] != "_"]
            self._known = {}
            for n in names:
                self._known.setdefault(n[:1].lower(), []).append(n)
        close = difflib.get_close_matches(name, self._known.get(name[:1].lower(), ()), n=1)
        return f" (did you mean {close[0]}?)" if close else ""

    def __repr__(self):
        return f"<bridge namespace {self._path}>"


# The __module__ mxnet gives the operator functions it generates from its registry
_OPERATOR_MODULES = frozenset(("ndarray", "symbol"))


def _offered(name, target):
    """Whether a namespace offers mxnet's `target` under `name`: a generated operator (by any name), or a
    public function or class that an mxnet module defines."""
    module = getattr(target, "__module__", None) if callable(target) else None
    if module in _OPERATOR_MODULES:
        return True
    return isinstance(module, str) and module.startswith("mxnet.") and not name.startswith("_")
