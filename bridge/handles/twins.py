"""The Python twin of a class written in Perl that extends an AI::MXNet class backed by a Python class.

`package PerlSGD; use Mouse; extends 'AI::MXNet::Optimizer'; method update(...) {...}` makes a Perl class whose
objects each hold a twin: an instance of a subclass of Python's class (here mx.optimizer.Optimizer), made once
per Perl class by `twin_class`. mxnet uses the twin as any object of its class. Where it calls a method (or reads
a property) that the Perl class defines, the twin calls the Perl method, on Perl's thread, with Perl values,
through one dispatcher (`_call_perl`); where it reads or sets one of the base's constructor arguments that the
Perl class declares as an attribute of its own, it reads or sets the Perl attribute. The rest is the Python
base's. From Perl, a method the Perl class does not define reaches the twin through the handle calls
(bridge/handles/objects.py); there, a name the Perl class defines means the base's (`Twin.perl_base_attribute`):
Perl only falls through to Python for it from SUPER:: or a Mouse method modifier.

The Perl side is AI::MXNet::Bridge::Twin (perl_shim/lib/AI/MXNet/Bridge/Twin.pm).
"""
import functools
import inspect
import sys

import mxnet as mx

from ..perl import args as args_
from ..perl import callbacks
from . import block as _block
from .objects import _signature, to_mx

# The Perl subs the shim hands over at load (set_perl_hooks): call a method of a Perl object by its id, read or
# set one of its attributes, make an object of a Perl class (from Python: a registry's create), and make a Perl
# class's twin class.
_perl_call = _perl_attribute = _perl_new = _perl_prepare = None

# AI::MXNet's Perl names for what Python spells as protocols: a Perl Dataset's `at` and `len` are its Python
# __getitem__ and __len__; an LRScheduler's `call` is __call__.
PERL_NAMES = {"at": "__getitem__", "len": "__len__", "call": "__call__"}

# What a Perl class must define, by the Python class it extends: for each method Python leaves to subclasses,
# the Perl names that supply it (any one will do). Construction dies without it; a Block is an exception (Gluon
# makes Blocks that only hold others), whose missing forward dies when it is called (CALLED).
CALLED = (
    (mx.gluon.HybridBlock, ("hybrid_forward", "forward")),  # (with forward alone it runs imperatively)
    (mx.gluon.Block, ("forward",)),
)
REQUIRED = (
    (mx.optimizer.Optimizer, (("update", "update_multi_precision"),)),
    (mx.metric.EvalMetric, (("update",),)),
    (mx.init.Initializer, (("_init_weight", "__call__", "call"),)),
    (mx.lr_scheduler.LRScheduler, (("call", "__call__"),)),
    (mx.gluon.data.Dataset, (("at", "__getitem__"), ("len", "__len__"))),
    (mx.gluon.data.Sampler, (("next", "__iter__"), ("len", "__len__"))),
    (mx.io.DataIter, (("next", "iter_next"),)),
    (mx.operator.CustomOp, (("forward",), ("backward",))),
)

# The registries a Perl class joins with AI::MXNet's `register` (mx->optimizer->create('perlsgd')).
# Each with the AI::MXNet namespace that gets the class's constructor (mx->optimizer->PerlSGD(...)).
REGISTRIES = ((mx.optimizer.Optimizer, mx.optimizer.Optimizer.register, "AI::MXNet::Optimizer"),
              (mx.metric.EvalMetric, mx.metric.register, "AI::MXNet::Metric"),
              (mx.init.Initializer, mx.init.register, "AI::MXNet::Initializer"))

# AI::MXNet's one method for what Python splits in two: a Perl optimizer's create_state and update also serve
# as Python's create_state_multi_precision and update_multi_precision (they took the float32 master copy's
# state as AI::MXNet made it), unless the Perl class defines those too.
SERVES_AS = ((mx.optimizer.Optimizer, {"create_state": "create_state_multi_precision",
                                       "update": "update_multi_precision"}),)

# What mxnet reads of a family's objects as properties though the base class has none: a Perl class's methods
# of these names are those properties (a Perl DataIter's provide_data).
PROPERTIES = ((mx.io.DataIter, ("provide_data", "provide_label", "default_bucket_key")),)

_classes = {}   # Perl class name -> its twin class


def set_perl_hooks(call, attribute, new, prepare):
    """Called once by AI::MXNet::Bridge::Twin at load."""
    global _perl_call, _perl_attribute, _perl_new, _perl_prepare
    _perl_call, _perl_attribute, _perl_new, _perl_prepare = call, attribute, new, prepare


class Twin:
    """What every twin class has first among its bases: the id of its Perl object, and the Python names of
    what the Perl class defines (`perl_names`: Python name -> Perl name)."""

    _perl_id = None
    perl_class = None
    perl_names = {}

    def perl_base_attribute(self, name):
        """For a name (Perl's) that the Perl class defines: the Python base's attribute (SUPER::update reaches
        the base's update); None otherwise."""
        python_name = PERL_NAMES.get(name, name)
        if python_name not in self.perl_names:
            return None
        attribute = getattr(super(type(self), self), python_name)
        if python_name == "hybrid_forward":  # Perl's $F is a class name: the base wants mxnet's module
            return functools.partial(_hybrid_forward_with_module, attribute)
        return attribute


def _hybrid_forward_with_module(hybrid_forward, F, *args, **kwargs):
    return hybrid_forward({"AI::MXNet::NDArray": mx.nd, "AI::MXNet::Symbol": mx.sym}.get(F, F), *args, **kwargs)


def _call_perl(twin, perl_name, args, kwargs):
    """perl_name of twin's Perl object, called with args and kwargs (as trailing name => value pairs), on the
    Perl thread: the result as mxnet takes it."""
    flat = [item for pair in sorted(kwargs.items()) for item in pair]
    return to_mx(callbacks.on_perl_thread(_perl_method, twin._perl_id, perl_name, *args, *flat))


def _perl_method(*args):
    # On the Perl thread, as all that touches Perl values: the call, and its results made Python's (a Perl object
    # is its twin: create_operator's), so that none reaches one of mxnet's threads
    count, *results = _perl_call(*args)
    results = [args_.convert_positional(r) for r in results]
    return results[0] if count == 1 else tuple(results) if count else None


def _method(perl_name, base_method, stop_at_undef=False):
    # mxnet may pass arguments by name (a CustomOp's forward(is_train=..., req=...)): those the base method
    # names go to Perl in its order, positionally; the rest as name => value pairs. hybrid_forward's Parameters
    # stay name => value pairs, as AI::MXNet passed them (hybrid_forward($F, $x, :$weight, :$bias)).
    try:
        signature = None if perl_name == "hybrid_forward" else inspect.signature(base_method)
    except (TypeError, ValueError):
        signature = None

    def method(self, *args, **kwargs):
        if kwargs and signature is not None:
            bound = signature.bind(self, *args, **kwargs)
            args, kwargs = bound.args[1:], bound.kwargs
        result = _call_perl(self, perl_name, args, kwargs)
        if result is None and stop_at_undef:
            raise StopIteration  # AI::MXNet's iterators gave undef at the end
        return result
    method.mx_facing = True  # (a Block's mirror-facing mixin leaves it as it is)
    method.__name__ = perl_name
    return method


def _iterator(perl_name):
    # A Perl Sampler's next, called until it gives undef, as Python's __iter__ (AI::MXNet iterated with next
    # after reset)
    def __iter__(self):
        if "reset" in type(self).perl_names.values():
            _call_perl(self, "reset", (), {})
        while True:
            value = _call_perl(self, perl_name, (), {})
            if value is None:
                return
            yield value
    return __iter__


def _missing(perl_class, names):
    def missing(self, *args, **kwargs):
        raise NotImplementedError("%s has no method %s (a class that extends %s defines it)"
                                  % (perl_class, " or ".join(names), _perl_name(type(self).twin_base)))
    missing.mx_facing = True
    return missing


def _method_property(perl_name):
    # A Python property (DataIter's provide_data) that the Perl class defines as a method or an accessor
    return property(lambda self: _call_perl(self, perl_name, (), {}))


def _attribute_property(name):
    # One of the base's constructor arguments that the Perl class declares as its own attribute: the Perl
    # attribute is the one value (the Python base reads and sets it there)
    def get(self):
        return to_mx(callbacks.on_perl_thread(_perl_attribute_value, self._perl_id, name))

    def set(self, value):
        callbacks.on_perl_thread(_perl_attribute, self._perl_id, name, value)
    return property(get, set)


def _perl_attribute_value(perl_id, name):
    return args_.convert_positional(_perl_attribute(perl_id, name))  # (on the Perl thread)


def constructor_parameters(cls):
    """The names cls takes as keyword arguments (its __init__'s, widened through **kwargs to its bases')."""
    signature = _signature(cls)
    return [p.name for p in (signature.parameters.values() if signature else ())
            if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)]


# Defaults AI::MXNet's classes gave to constructor arguments that Python's require (a Perl Loss says neither).
DEFAULTS = ((mx.gluon.loss.Loss, {"weight": None, "batch_axis": 0}),)


# Attributes AI::MXNet's classes kept in the Perl object, which a Perl subclass updates often: they stay Perl's
# (plain Mouse attributes, as in AI::MXNet: a Perl metric's update adds to sum_metric without a call into
# Python), and the twin reads and sets them there (Python's get and reset use them).
STORED_IN_PERL = ((mx.metric.EvalMetric, ("sum_metric", "num_inst", "global_sum_metric", "global_num_inst")),)


# The families whose AI::MXNet classes took their first constructor arguments positionally, in Python's order
# (python_constructor_arguments: nn->Dense(10, in_units => 5)); AI::MXNet's optimizers and schedulers did not.
POSITIONAL = (mx.gluon.Block, mx.gluon.data.Dataset, mx.gluon.data.Sampler, mx.metric.EvalMetric)


def _stored_in_perl(cls):
    return [name for klass, names in STORED_IN_PERL if issubclass(cls, klass) for name in names]


def describe_base(cls):
    """[constructor arguments, {argument: AI::MXNet's default}, [positional arguments] or None, [attributes kept
    in the Perl object]] of a Python class a Perl class may extend (the attributes of its Mouse class, and its
    python_constructor_arguments)."""
    defaults = {}
    for klass, values in DEFAULTS:
        if issubclass(cls, klass):
            defaults.update(values)
    signature = _signature(cls)
    positional = [p.name for p in signature.parameters.values() if p.kind is p.POSITIONAL_OR_KEYWORD] \
        if signature and issubclass(cls, POSITIONAL) else None
    return [constructor_parameters(cls), defaults, positional, _stored_in_perl(cls)]


def _check_required(perl_class, base, defined):
    # Each method Python leaves to subclasses (REQUIRED) must come from the Perl class, or from its Python base
    for cls, rules in REQUIRED:
        if not issubclass(base, cls):
            continue
        for names in rules:
            python_names = {PERL_NAMES.get(n, n) for n in names}
            if defined & (set(names) | python_names):
                continue
            if any(n in vars(cls) and getattr(base, n, None) is not vars(cls)[n] for n in python_names):
                continue  # the Python base overrides it
            raise TypeError("%s must define %s (a class that extends %s)"
                            % (perl_class, " or ".join(n for n in names if not n.startswith("__")), _perl_name(cls)))
        return


def _perl_name(cls):
    from .objects import perl_classes
    return perl_classes(cls)[0]


def _twin_meta(meta):
    """A metaclass for twins of classes whose metaclass is `meta`: calling a twin class from Python (a registry's
    create, mxnet making a CustomOpProp) makes an object of the Perl class, whose twin it returns."""
    def __call__(cls, *args, **kwargs):
        flat = [item for pair in sorted(kwargs.items()) for item in pair]
        return callbacks.on_perl_thread(_perl_new, cls.perl_class, *args, *flat)
    return type("Perl" + meta.__name__, (meta,), {"__call__": __call__})


_metas = {}


def twin_class(perl_class, base, methods, attributes):
    """The twin class of Perl class `perl_class`, which extends the Python class `base`; `methods` are the subs
    its Perl classes define, `attributes` the attributes they declare. Raises if a method Python leaves to
    subclasses is missing."""
    key = (base, frozenset(methods), frozenset(attributes))
    cls = _classes.get(perl_class)
    if cls is not None and cls.twin_key == key:
        return cls
    namespace, names = {}, {}
    for perl_name in methods:
        name = PERL_NAMES.get(perl_name, perl_name)
        if not name.isidentifier() or name in ("__init__", "__new__", "__del__", "__setattr__", "__getattr__"):
            continue
        current = inspect.getattr_static(base, name, None)
        if isinstance(current, property) or any(issubclass(base, cls) and name in names_
                                                for cls, names_ in PROPERTIES):
            namespace[name] = _method_property(perl_name)
        elif name == "next" and issubclass(base, mx.gluon.data.Sampler):
            namespace["__iter__"] = _iterator(perl_name)
            names["__iter__"] = perl_name
        elif current is not None and callable(getattr(base, name)):
            namespace[name] = _method(perl_name, getattr(base, name),
                                      stop_at_undef=name == "next" and issubclass(base, mx.io.DataIter))
        else:
            continue
        names[name] = perl_name
    for cls, serves in SERVES_AS:
        if issubclass(base, cls):
            for perl_name, python_name in serves.items():
                if perl_name in names and python_name not in names:
                    namespace[python_name] = _method(perl_name, getattr(base, python_name))
                    names[python_name] = perl_name
    parameters = set(constructor_parameters(base)) | set(_stored_in_perl(base))
    for name in attributes:
        if name in parameters and name not in namespace:
            namespace[name] = _attribute_property(name)
    _check_required(perl_class, base, set(methods) | set(names))
    for cls, required in CALLED:
        if issubclass(base, cls):
            if not set(required) & set(methods) and getattr(base, required[0]) is getattr(cls, required[0]):
                namespace[required[0]] = _missing(perl_class, required)
            break
    short = perl_class.rsplit("::", 1)[-1]
    namespace.update(perl_class=perl_class, perl_names=names, twin_key=key, twin_base=base, __module__=__name__,
                     __qualname__=short)
    bases = (Twin, _block._MirrorFacing, base) if issubclass(base, mx.gluon.Block) else (Twin, base)
    meta = _metas.get(type(base))
    if meta is None:
        meta = _metas[type(base)] = _twin_meta(type(base))
    cls = meta(short, bases, namespace)
    _classes[perl_class] = cls
    return cls


def twin_class_of(perl_class):
    """The twin class made for a Perl class."""
    return _classes[perl_class]


def perl_twin_class(perl_class):
    """The twin class of a Perl class named from Python (mx->operator->register('sqr', 'SqrProp')): made now
    if no object of the class was made yet."""
    if perl_class not in _classes:
        callbacks.on_perl_thread(_perl_prepare, perl_class)
    return _classes[perl_class]


def new_twin(perl_id, perl_class, kwargs):
    """The twin of a new Perl object (AI::MXNet::Bridge::Twin's BUILD): made as its class's constructor would
    make it, given the values of the base's constructor arguments that the Perl object has."""
    cls = _classes[perl_class]
    twin = cls.__new__(cls)
    object.__setattr__(twin, "_perl_id", perl_id)
    cls.__init__(twin, **kwargs)
    return twin


def register(perl_class):
    """AI::MXNet's `register` of a Perl class: joins the registry of its family, if it has one, under its own
    name in lower case (mx->optimizer->create('perlsgd')). Returns the family's AI::MXNet namespace, or None."""
    cls = _classes[perl_class]
    for family, add, namespace in REGISTRIES:
        if issubclass(cls, family):
            add(cls)
            return namespace
    return None


def free_twins(twins):
    """The indexes of the twins that nothing in Python holds but their Perl objects: the shim may free those
    Perl objects, and with them their twins. Such a twin is referred to by its Perl object's proxy, the list
    Perl passed, getrefcount's argument, and a Block also by its own name scope."""
    return [i for i in range(len(twins))
            if sys.getrefcount(twins[i]) <= 3 + isinstance(twins[i], mx.gluon.Block)]
