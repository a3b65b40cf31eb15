"""AI::MXNet::Symbol, the part autograd needs: what get_symbol returns can be inspected and saved. A Python user
gets mxnet's own Symbol; the Perl shim reaches these methods of it (and AI::MXNet's string) through `method`."""
import functools

import mxnet as mx

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
