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


# -- Symbol JSON read from users (mx->sym->load, load_json, Storable's thaw, SymbolBlock->imports, Module) ---

class CorruptSymbol(ValueError):
    """A Symbol JSON whose node references do not hold together."""


_MAX_INDEX = 1 << 31


def _entries(value, what, below):
    # a list of [node, output(, version)] entries, each node id in [0, below)
    if not isinstance(value, list):
        raise CorruptSymbol("corrupt Symbol JSON: %s is not a list" % what)
    for entry in value:
        if (not isinstance(entry, list) or len(entry) not in (2, 3)
                or not all(type(v) is int and 0 <= v < _MAX_INDEX for v in entry)):
            raise CorruptSymbol("corrupt Symbol JSON: %s holds %.60r, not [node, output, version]" % (what, entry))
        if entry[0] >= below:
            raise CorruptSymbol("corrupt Symbol JSON: %s refer to node %d, which is not one of nodes 0 to %d"
                                % (what, entry[0], below - 1))


def check_graph(graph):
    """The references of a parsed Symbol JSON (nnvm's graph layout): each node's inputs and control
    dependencies name earlier nodes (the layout is topologically ordered), arg_nodes and heads name nodes
    that exist; subgraphs (control-flow operators') likewise. libmxnet checks some of these at load and
    crashes later on the rest (an input's out-of-range node, a head past the last node)."""
    if not isinstance(graph, dict) or not isinstance(graph.get("nodes"), list):
        raise CorruptSymbol("not a Symbol JSON (no list of nodes)")
    nodes = graph["nodes"]
    for i, node in enumerate(nodes):
        if not isinstance(node, dict) or not isinstance(node.get("op"), str):
            raise CorruptSymbol("corrupt Symbol JSON: node %d is not an operator node" % i)
        _entries(node.get("inputs", []), "the inputs of node %d" % i, i)
        deps = node.get("control_deps", [])
        if not isinstance(deps, list) or not all(type(d) is int and 0 <= d < i for d in deps):
            raise CorruptSymbol("corrupt Symbol JSON: control dependencies of node %d" % i)
        for subgraph in node.get("subgraphs", []):
            check_graph(subgraph)
    args = graph.get("arg_nodes", [])
    if not isinstance(args, list) or not all(type(a) is int and 0 <= a < len(nodes) for a in args):
        raise CorruptSymbol("corrupt Symbol JSON: arg_nodes outside the %d nodes" % len(nodes))
    _entries(graph.get("heads", []), "the heads", len(nodes))


def check_outputs(sym):
    """Each output a loaded Symbol's nodes read (and each of its heads) is one their node has: libmxnet
    takes the output index on trust (infer_shape read past the end). The counts are libmxnet's own, from the
    JSON it writes back (node_row_ptr: where each node's outputs start)."""
    import json
    graph = json.loads(sym.tojson())
    starts = graph.get("node_row_ptr")
    if not starts:
        return sym
    counts = [b - a for a, b in zip(starts, starts[1:])]
    for where, entries in [("the heads", graph["heads"])] + [("the inputs of node %d" % i, n["inputs"])
                                                        for i, n in enumerate(graph["nodes"])]:
        for entry in entries:
            if entry[1] >= counts[entry[0]]:
                raise CorruptSymbol("corrupt Symbol JSON: %s read output %d of node %r, which has %d"
                                    % (where, entry[1], graph["nodes"][entry[0]]["name"], counts[entry[0]]))
    return sym


def checked_load_json(json_str, load_json):
    """mxnet's sym.load_json (passed in: the original), the JSON checked before and after libmxnet reads it."""
    import json
    if isinstance(json_str, str):
        try:
            check_graph(json.loads(json_str))
        except (ValueError, RecursionError) as exc:
            if isinstance(exc, CorruptSymbol):
                raise
            raise CorruptSymbol("not a Symbol JSON (%s)" % str(exc).splitlines()[0]) from None
    return check_outputs(load_json(json_str))


def _deepcopy(sym):
    """AI::MXNet's $sym->deepcopy: a copy of the graph (Python spells it copy.deepcopy(sym))."""
    return copy.deepcopy(sym)


objects.perl_method("deepcopy", (mx.sym.Symbol,), _deepcopy)
