"""AI::MXNet::Symbol, the part autograd needs: what get_symbol returns can be inspected and saved. A Python user
gets mxnet's own Symbol; the Perl shim reaches these methods of it (and AI::MXNet's string) through `method`."""
import copy
import functools

import mxnet as mx

from ..handles import objects

METHODS = frozenset(("name", "attr", "list_attr", "attr_dict", "list_arguments", "list_outputs", "list_inputs",
                     "list_auxiliary_states", "tojson", "debug_str", "save", "get_internals", "get_children"))


def stringify(sym):
    """AI::MXNet's string for a Symbol: <AI::MXNet::Symbol NAME>, or for a group
    <AI::MXNet::Symbol group [NAME, NAME]>."""
    name = sym.name
    if name:
        return "<AI::MXNet::Symbol %s>" % name
    return "<AI::MXNet::Symbol group [%s]>" % ", ".join(s.name for s in sym)


def method(sym, name):
    """The bound method `name` of sym, for a name AI::MXNet::Symbol offers here."""
    if not isinstance(sym, mx.sym.Symbol):
        raise TypeError("not a Symbol: %s" % type(sym).__name__)
    if name == "stringify":
        return functools.partial(stringify, sym)
    if name not in METHODS:
        raise AttributeError("AI::MXNet::Symbol has no method %s here (it offers %s)"
                             % (name, ", ".join(sorted(METHODS | {"stringify"}))))
    attribute = getattr(sym, name)
    return attribute if callable(attribute) else lambda: attribute  # `name` is a property in mxnet


def attr_scope(**attrs):
    """AI::MXNet's mx->AttrScope(group => 4): mxnet's AttrScope, its values as strings (AI::MXNet's were Str)."""
    return mx.AttrScope(**{name: str(value) for name, value in attrs.items()})


attr_scope.open_keywords = True  # from Perl, every `name => value` pair is an attribute (bridge/perl/args.py)


def set_attr_scope(scope=None):
    """Make `scope` (an AttrScope, or None for none) the one symbols are made in from now on, as AI::MXNet's
    `local $mx::AttrScope = mx->AttrScope(...)` did: it replaces the current scope (no merging, unlike `with`)."""
    if scope is not None and not isinstance(scope, mx.AttrScope):
        raise TypeError(f"$mx::AttrScope takes an mx->AttrScope(...), not a {type(scope).__name__}")
    mx.attribute.AttrScope._current.value = mx.AttrScope() if scope is None else scope
    return 1


def _deepcopy(sym):
    """AI::MXNet's $sym->deepcopy: a copy of the graph (Python spells it copy.deepcopy(sym))."""
    return copy.deepcopy(sym)


objects.perl_method("deepcopy", (mx.sym.Symbol,), _deepcopy)
