"""AI::MXNet::Gluon::Block and ::HybridBlock on Python Gluon: the Blocks Perl and Python users subclass.

A Block written by a user is a real Gluon Block whose forward speaks the mirror's values: mxnet calls it with
its NDArrays, the user's code sees mirror NDArrays and handles (bridge/handles/objects.py). The twin of a Block
written in Perl (bridge/handles/twins.py) is such a Block too.
"""
import sys

import mxnet as mx

from .objects import Proxy, mirror_value, to_mx


class _MirrorFacing:
    """What makes a Gluon Block speak the mirror's values (mixed in ahead of mxnet's Block classes)."""

    mirror_facing = True

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        for name in ("forward", "hybrid_forward"):
            fn = cls.__dict__.get(name)
            if fn is not None and not getattr(fn, "mx_facing", False):
                setattr(cls, name, _mx_facing_method(fn, name == "hybrid_forward"))

    def __call__(self, *args, **kwargs):
        spoken_in_mirror = any(type(a) is not mx.nd.NDArray and type(a) is not mx.sym.Symbol for a in args)
        result = super().__call__(*to_mx(args), **to_mx(kwargs))
        return mirror_value(result) if spoken_in_mirror else result

    def __setattr__(self, name, value):
        target = to_mx(value)
        super().__setattr__(name, target)  # registers a child Block or a Parameter, as Gluon does
        if type(value) is Proxy:
            object.__setattr__(self, name, value)  # and the user reads back what was set

    # Gluon's methods that take what a user passes: the bridge's values made mxnet's first.
    def initialize(self, *args, **kwargs):
        return super().initialize(*to_mx(args), **to_mx(kwargs))

    def collect_params(self, select=None):
        """Gluon's ParameterDict; to the user's code, through a Proxy that gives mirror NDArrays (Gluon, which
        calls this on itself, gets its own)."""
        params = super().collect_params(select)
        caller = sys._getframe(1).f_globals.get("__name__", "")
        return params if caller.startswith("mxnet.") else Proxy(params)

    def register_child(self, block, name=None):
        return super().register_child(to_mx(block), name)

    def apply(self, fn):
        return super().apply(to_mx(fn))

    def register_forward_hook(self, hook):
        return super().register_forward_hook(to_mx(hook))

    def register_forward_pre_hook(self, hook):
        return super().register_forward_pre_hook(to_mx(hook))

    def __repr__(self):
        lines = "\n".join("  (%s): %s" % (key, mx.gluon.block._indent(repr(block), 2))
                          for key, block in self._children.items())
        return "%s(\n%s\n)" % (self._class_name(), lines)

    def _class_name(self):
        return type(self).__name__

    def _alias(self):
        return self._class_name().lower()


def _mx_facing_method(fn, hybrid):
    """A user's forward or hybrid_forward as mxnet calls it: mxnet's values in, mirror values to fn, mxnet's
    values back. hybrid_forward's F, mxnet's nd or sym module, becomes the bridge's namespace of it."""
    def method(self, *args, **kwargs):
        if hybrid:
            args = (_mirror_F(args[0]),) + args[1:]
        return to_mx(fn(self, *mirror_value(args), **mirror_value(kwargs)))
    method.mx_facing = True
    method.__name__ = fn.__name__
    method.__doc__ = fn.__doc__
    return method


class Block(_MirrorFacing, mx.gluon.Block):
    """gluon.Block for Python users of the bridge: subclass it and write forward with mirror NDArrays."""
    perl_class = "AI::MXNet::Gluon::Block"


class HybridBlock(_MirrorFacing, mx.gluon.HybridBlock):
    """gluon.HybridBlock for Python users of the bridge: subclass it and write hybrid_forward(F, x, ...)."""
    perl_class = "AI::MXNet::Gluon::HybridBlock"


def name_scope(block, body):
    """$block->name_scope(sub { ... }): runs body with block's name scope entered."""
    with to_mx(block).name_scope():
        return body()


def _mirror_F(module):
    """hybrid_forward's F as the user's code gets it: the bridge's nd for mxnet's, else mx.sym's namespace."""
    import bridge
    return bridge.nd if module is mx.nd else bridge.mx.sym
