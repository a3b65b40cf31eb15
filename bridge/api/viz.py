"""AI::MXNet's mx->viz: print_summary's table and plot_network's graph, as mxnet 1.9.1 computes them.

The Perl shim (AI::MXNet::Visualization) prints the table itself, so it arrives in order with the script's
own output, and builds from the graph's description the GraphViz object AI::MXNet returned. A Python user
has mxnet's mx.viz (print_summary prints; plot_network gives a graphviz Digraph).
"""
import contextlib
import io
from unittest import mock

import mxnet as mx


def summary(symbol, shape=None, line_length=120, positions=(.44, .64, .74, 1.)):
    """The text mx.viz.print_summary prints for symbol (shapes {name => [dims]} if given)."""
    text = io.StringIO()
    with contextlib.redirect_stdout(text):
        mx.viz.print_summary(symbol, shape=shape, line_length=line_length, positions=list(positions))
    return text.getvalue()


class _GraphRecorder:
    """Stands for graphviz's Digraph while mx.viz.plot_network runs: it keeps the nodes and edges it is given."""

    def __init__(self, name="plot", format="ps", **kwargs):
        self.name, self.format, self.nodes, self.edges = name, format, [], []

    def node(self, name, label=None, **attrs):
        # mxnet writes graphviz's escape r"\n" in labels; AI::MXNet's labels held the newline itself
        self.nodes.append([name, dict(attrs, label=(label or name).replace("\\n", "\n"))])

    def edge(self, tail_name, head_name, **attrs):
        self.edges.append([tail_name, head_name, {k: v for k, v in attrs.items() if v != ""}])


def graph(symbol, title="plot", save_format="ps", shape=None, dtype=None, node_attrs=None, hide_weights=True):
    """[title, format, [[node, {attribute => value}], ...], [[from, to, {...}], ...]]: the graph that
    mx.viz.plot_network draws (shapes on the edges when shape {name => [dims]} is given)."""
    with mock.patch("graphviz.Digraph", _GraphRecorder):
        recorded = mx.viz.plot_network(symbol, title=title, save_format=save_format, shape=shape, dtype=dtype,
                                       node_attrs=node_attrs or {}, hide_weights=bool(hide_weights))
    return [recorded.name, recorded.format, recorded.nodes, recorded.edges]


FUNCTIONS = {"summary": summary, "graph": graph}
