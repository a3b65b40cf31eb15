"""AI::MXNet's calling convention, implemented once: how a Perl argument list becomes Python args and kwargs.

A Perl call arrives as one flat list. The rules (AI::MXNet NDArray/Base.pm) are: a trailing hashref holds the
keyword arguments (when its keys are all the callee's keyword names; else it is a positional argument); otherwise trailing `key => value` pairs are keyword arguments when the key names a parameter
of the callee (or is one of out/name/ctx/shape/dtype). Values are then converted by the rules in CONVERSIONS,
which docs/CONVERSIONS.md lists for users (tests/test_args.py keeps the two in step).
"""
import collections
import functools
import inspect
import re

from . import errors

# Keys AI::MXNet always peels off as keyword arguments, whatever the callee declares.
ALWAYS_KEYWORDS = frozenset(("out", "name", "ctx", "shape", "dtype"))


def _unchanged(value):
    # Perl's true/false arrive as Python bools (Inline::Python::Boolean); they must not become ints below.
    return value


def _integral_float_to_int(value):
    # Perl computes 6/2 as the float 3.0 and prints it as 3: an integral float is the integer, as AI::MXNet
    # (which stringified its arguments) took it; mxnet's integer parameters reject "3.0", and nn->Dense(64/2)
    # printed "Dense(None -> 32.0, linear)".
    return int(value) if value.is_integer() else value


def _is_number(value):
    return type(value) in (int, float)


class NumberList:
    """Stands for an array ref of numbers (a shape, most often) in the table."""

    @staticmethod
    def matches(value):
        return type(value) is list and all(map(_is_number, value))


def _number_list_to_tuple(value):
    # An array ref of numbers given as a keyword is a shape-like tuple: shape => [2, 3].
    return tuple(_integral_float_to_int(v) if type(v) is float else v for v in value)


def _integral_floats_in_list(value):
    # ... and given positionally, a list whose integral floats are integers: nd->ones([6/2]).
    return [_integral_float_to_int(v) if type(v) is float else v for v in value]


def _is_name_shape_pair(value):
    return type(value) is list and len(value) >= 2 and type(value[0]) is str and NumberList.matches(value[1])


class NameShapePairs:
    """Stands for a list of [name, [dims]] pairs (a Module's data_shapes) in the table."""

    @staticmethod
    def matches(value):
        return type(value) is list and value != [] and all(map(_is_name_shape_pair, value))


def _name_shape_pairs_to_tuples(value):
    # data_shapes => [['data', [10, 10]]]: (name, shape) tuples, as mxnet compares them (a list shape there made
    # predict die "Shape of unspecified arg: softmax_label changed").
    return [(v[0], _number_list_to_tuple(v[1])) + tuple(v[2:]) for v in value]


def _perl_objects_in_list(value):
    # Perl objects in an array ref are converted as objects are ([mx->cpu(0), mx->cpu(1)], [$perl_block]).
    if not _PERL_TYPES.isdisjoint(map(type, value)):
        return [convert_positional(v) for v in value]
    return value


class ShapesHash:
    """Stands for a hash ref with an array ref of numbers among its values (shapes by name) in the table."""

    @staticmethod
    def matches(value):
        return type(value) is dict and any(map(NumberList.matches, value.values()))


def _shapes_in_hash_to_tuples(value):
    # {data => [1, 3, 28, 28]}: shape tuples, as mxnet wants them (mx->viz->print_summary($sym, $shapes)); Perl
    # objects among the values converted as objects are
    return {k: _number_list_to_tuple(v) if NumberList.matches(v) else convert_positional(v) for k, v in value.items()}


def _perl_objects_in_hash(value):
    # ... and in a hash ref's values (group2ctx => {dev1 => mx->cpu(0)})
    if not _PERL_TYPES.isdisjoint(map(type, value.values())):
        return {k: convert_positional(v) for k, v in value.items()}
    return value


def _perl_object_to_python(value):
    # An AI::MXNet::Context (a Perl object) is the mxnet Context of the same device; a GPU that is not
    # there fails here, with one line (bridge/arrays/context.py). An object of a Perl class extending an AI::MXNet
    # class (a Block, an optimizer, ...) is its twin (bridge/handles/twins.py). A PDL is an NDArray.
    if value.isa("AI::MXNet::Context"):
        from ..arrays.context import device
        return device(value.device_type(), value.device_id())
    if value.isa("AI::MXNet::Bridge::Twin"):
        return value._py()
    if value.isa("AI::MXNet::Bridge::Function"):  # a Python function handed to Perl, coming back
        return value._python()
    if value.isa("PDL"):  # as nd->array($pdl) reads it, one copy (AI::MXNet::NDArray)
        return value._ai_mxnet_ndarray()
    return value


def _ordered_hash_to_dict(value):
    # A Perl ordered hash (Hash::Ordered, or any object with its keys/get/values methods), which AI::MXNet took
    # wherever it took a hash (NDArrayIter's data and label), is a dict in its own order; its values are
    # converted as a hash ref's are. An OrderedDict, so that where order matters it is kept (NDArrayIter's names,
    # which it sorts for a plain hash).
    keys = value.keys()
    keys = list(keys) if isinstance(keys, (list, tuple)) else [] if keys is None else [keys]
    return collections.OrderedDict((key, convert_positional(value.get(key))) for key in keys)


class OrderedHash:
    """Stands for a blessed Perl object that is an ordered hash: one whose class has the methods keys, get and
    values, as Hash::Ordered's has (recognised by its methods: the bridge does not load Hash::Ordered)."""

    @staticmethod
    def matches(value):
        return type(value) is PerlObject.type and all(value.can(name) for name in ("keys", "get", "values"))


class PerlObject:
    """Stands for Inline::Python's `_perl_obj` type (a blessed Perl object inside Python) in the table.
    `type` is that type itself, learned from the first Perl object the shim hands over (bridge/perl.init)."""
    type = None


class PerlSub:
    """Stands for Inline::Python's `_perl_sub` type (a Perl code ref inside Python), learned as PerlObject's."""
    type = None


def perl_callable(fn):
    """A Perl sub as Python calls it: the shim's guarded subs return [errors.DIED, text] when they die, and
    this raises errors.PerlDied then. Its `perl_sub` is the Perl sub itself (to hand back to Perl)."""
    if getattr(fn, "perl_sub", None) is not None:
        return fn

    def call(*args, **kwargs):
        result = fn(*args, **kwargs) if kwargs else fn(*args)  # (given **{}, the sub would get ([args], {}))
        if type(result) is list and len(result) == 2 and type(result[0]) is str and result[0] == errors.DIED:
            raise errors.PerlDied(result[1])
        return result
    call.perl_sub = fn
    return call


# (Python type that arrives from Perl, where the rule applies, conversion). First match wins.
CONVERSIONS = (
    (OrderedHash, "any", _ordered_hash_to_dict),
    (PerlObject, "any", _perl_object_to_python),
    (PerlSub, "any", perl_callable),
    (bool, "keyword", _unchanged),
    (float, "any", _integral_float_to_int),
    (NumberList, "keyword", _number_list_to_tuple),
    (NumberList, "any", _integral_floats_in_list),
    (NameShapePairs, "any", _name_shape_pairs_to_tuples),
    (list, "any", _perl_objects_in_list),
    (ShapesHash, "any", _shapes_in_hash_to_tuples),
    (dict, "any", _perl_objects_in_hash),
)


def _matches(value, typ):
    if typ is OrderedHash:
        return OrderedHash.matches(value)
    if typ is PerlObject or typ is PerlSub:
        return type(value) is typ.type
    matches = getattr(typ, "matches", None)  # a kind of value rather than a type (NumberList)
    return matches(value) if matches is not None else isinstance(value, typ)


_PERL_TYPES = set()  # PerlObject.type and PerlSub.type, once known (bridge/perl/entry.py init)
_CONVERTED = {list, dict, float}  # positional values' types that some rule converts (and _PERL_TYPES)


def learn_perl_types(obj_type, sub_type):
    """Inline::Python's types for Perl objects and subs, learned from the first ones the shim hands over."""
    PerlObject.type, PerlSub.type = obj_type, sub_type
    _PERL_TYPES.update(t for t in (obj_type, sub_type) if t is not None)
    _CONVERTED.update(_PERL_TYPES)


# Keyword values no rule applies to (the common ones), passed on without a look at the rules.
_UNRULED = frozenset((int, str, type(None), tuple))


def convert_keyword(value):
    """Apply the first matching rule of CONVERSIONS to one keyword value."""
    if type(value) in _UNRULED:
        return value
    for typ, where, rule in CONVERSIONS:
        if _matches(value, typ):
            return rule(value)
    return value


_ANY_RULES = tuple((typ, rule) for typ, where, rule in CONVERSIONS if where == "any")


def convert_positional(value):
    """Apply the first matching "any" rule of CONVERSIONS to one positional value."""
    if type(value) not in _CONVERTED:  # (no rule converts it: a number, a string, an array, undef)
        return value
    for typ, rule in _ANY_RULES:
        if _matches(value, typ):
            return rule(value)
    return value


@functools.lru_cache(maxsize=None)
def keyword_names(fn):
    """Names a Perl caller may pass as `key => value` to fn: its named parameters, ALWAYS_KEYWORDS, and,
    when fn takes **kwargs (mxnet's operators and NDArray methods do), the parameters that mxnet's operator
    registry lists for the operator of fn's name (concat: data, num_args, dim)."""
    names = set(ALWAYS_KEYWORDS)
    try:
        params = inspect.signature(fn).parameters.values()
    except (TypeError, ValueError):
        params = ()
    names.update(p.name for p in params if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY))
    if not params or any(p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD) for p in params):
        names.update(_registry_arguments(getattr(fn, "__name__", "")))
    return frozenset(names)


def _registry_arguments(op_name):
    import mxnet as mx
    try:
        return mx.operator.get_operator_arguments(op_name).names
    except Exception:  # not an operator's name (mxnet raises MXNetError)
        return ()


def perl_bytes(value, what="a byte string"):
    """A Perl byte string as bytes. Inline::Python hands one over as `bytes`, or as `str` when every byte is
    below 0x80 (then its code points are the bytes); a str with wider characters (a decoded Perl string) is
    taken as its UTF-8 encoding, as Perl's own bytes of it are."""
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value)
    if isinstance(value, str):
        try:
            return value.encode("latin-1")
        except UnicodeEncodeError:
            return value.encode("utf-8")
    raise TypeError("%s: expected a string of bytes, not %s" % (what, type(value).__name__))


def takes_hash(fn):
    """Mark fn as taking a hash ref as data (nd->save($file, {name => $array})): for it a trailing hash ref
    is a positional argument, not keyword arguments."""
    fn.takes_hash = True
    return fn


def _pair_value(fn, args):
    # A hash ref after a parameter's name is that pair's value (attr => {mood => 'angry'}), not the keywords.
    return len(args) >= 2 and type(args[-2]) is str and args[-2] in keyword_names(fn)


def _all_keywords(fn, hash_ref):
    # For fn without **kwargs, a trailing hash ref whose keys are not all fn's keyword names is data:
    # Trainer($params, 'sgd', {learning_rate => 0.1}) passes optimizer_params, as AI::MXNet's Trainer took it.
    if _takes_var_keywords(fn):
        return True
    names = keyword_names(fn)
    return all(key in names for key in hash_ref)


def _needed_positionally(fn, args):
    # A hash ref that a required positional parameter would otherwise miss is that parameter's value:
    # $mod->set_params($arg_params, $aux_params) with an empty $aux_params.
    try:
        return len(args) <= _required_positionals(fn) and not args[-1]
    except (TypeError, ValueError):
        return False


@functools.lru_cache(maxsize=None)
def _required_positionals(fn):
    params = inspect.signature(fn).parameters.values()
    return sum(1 for p in params if p.kind is p.POSITIONAL_OR_KEYWORD and p.default is p.empty
               and p.name != "self")


@functools.lru_cache(maxsize=None)
def _takes_var_keywords(fn):
    try:
        return any(p.kind is p.VAR_KEYWORD for p in inspect.signature(fn).parameters.values())
    except (TypeError, ValueError):
        return True


_DOC_BOOL = re.compile(r"^\s*(\w+)\s*:\s*bool\b", re.MULTILINE)
# mxnet documents a parameter that takes a list it changes as "buckets : list of int"
_DOC_LIST = re.compile(r"^\s*(\w+)\s*:\s*list\b", re.MULTILINE)
# ... and one that takes numbers as "units : int", "shape : int or tuple of int", "kernel : Shape(tuple)",
# "momentum : float"
_DOC_NUMBER = re.compile(r"^\s*(\w+)\s*:\s*(?:(int|long|tuple of int|list of int|Shape)|float|double|number|real)\b",
                         re.MULTILINE)


def _documented(fn, owner, pattern):
    # the parameter names of fn that its docstring (or that of the method it overrides in class owner) matches
    docs = [getattr(fn, "__doc__", None)]
    if owner is not None:
        docs += [getattr(getattr(base, fn.__name__, None), "__doc__", None) for base in owner.__mro__]
    return set(name for doc in docs if doc for name in pattern.findall(doc))


@functools.lru_cache(maxsize=None)
def bool_keywords(fn, owner=None):
    """fn's parameters that take a boolean: a bool default, or `name : bool` in its docstring (mxnet's
    numpy-style docs), or in the docstring of the method it overrides when it is a method of class owner.
    Perl has no booleans, so `merge_outputs => 1` arrives as 1; mxnet tests some of these with `is True`."""
    names = _documented(fn, owner, _DOC_BOOL)
    try:
        names.update(p.name for p in inspect.signature(fn).parameters.values() if type(p.default) is bool)
    except (TypeError, ValueError):
        pass
    return frozenset(names)


@functools.lru_cache(maxsize=None)
def list_keywords(fn, owner=None):
    """fn's parameters documented `name : list ...`: an array ref of numbers stays a list there (mxnet sorts
    BucketSentenceIter's buckets in place), where elsewhere it is a shape-like tuple."""
    return frozenset(_documented(fn, owner, _DOC_LIST))


@functools.lru_cache(maxsize=None)
def number_parameters(fn, owner=None):
    """fn's parameters documented as numbers: {name: (position when given positionally or None, integers only)}
    (`units : int`, `shape : int or tuple of int`, `kernel : Shape(tuple)`, `momentum : float`)."""
    docs = [getattr(fn, "__doc__", None)]
    if owner is not None:
        docs += [getattr(getattr(base, fn.__name__, None), "__doc__", None) for base in owner.__mro__]
    found = {}
    for doc in filter(None, docs):
        for name, integer in _DOC_NUMBER.findall(doc):
            found.setdefault(name, bool(integer))
    if not found:
        return {}
    try:
        params = list(inspect.signature(fn).parameters.values())
    except (TypeError, ValueError):
        params = []
    if params and params[0].name in ("self", "cls"):
        params = params[1:]
    positions = {p.name: i for i, p in enumerate(params) if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)}
    return {name: (positions.get(name), integer) for name, integer in found.items()}


_PERL_NUMBER = re.compile(r"\s*[-+]?(?:\d+\.?\d*(?:[eE][-+]?\d+)?|\.\d+(?:[eE][-+]?\d+)?)\s*\Z")


def perl_number(value):
    """A string that Perl reads as a number ('0.9' from the command line) as that number; anything else as it is."""
    if type(value) is str and _PERL_NUMBER.match(value):
        number = float(value)
        return int(number) if number.is_integer() and not any(c in value for c in ".eE") else number
    return value


def _documented_numbers(fn, owner, positional, keywords):
    # A parameter documented as a number takes a number held as a string (Getopt's '0.9', as AI::MXNet's Num
    # and Int took it); one documented as integers refuses a fraction, naming itself (nn->Dense(64/3)).
    for name, (position, integer) in number_parameters(fn, owner).items():
        if name in keywords:
            where, key = keywords, name
        elif position is not None and position < len(positional):
            where, key = positional, position
        else:
            continue
        value = where[key]
        if type(value) is str:
            value = where[key] = perl_number(value)
        elif type(value) is list and str in map(type, value):
            value = where[key] = [perl_number(v) for v in value]
        if not integer:
            continue
        for v in value if type(value) in (list, tuple) else (value,):
            if type(v) is float and not v.is_integer():
                what = getattr(fn, "__qualname__", getattr(fn, "__name__", "the call"))
                raise TypeError(f"{what}: {name} takes integers, not {v!r}")


def split_perl_args(fn, args, open_keywords=False, owner=None):
    """Split a flat Perl argument list for fn into (positional list, keyword dict), AI::MXNet's way. With
    open_keywords, a callee taking **kwargs takes any trailing `key => value` pair after its required
    positionals (a handle's method: $paramdict->get('w', shape => [2], lr_mult => 1)); owner is the class
    whose method fn is (its bases document what fn's parameters take)."""
    kwargs = {}
    if args:
        last = args[-1]
        if (type(last) is dict and not getattr(fn, "takes_hash", False) and _all_keywords(fn, last)
                and not _pair_value(fn, args) and not _needed_positionally(fn, args)):
            kwargs = last
            args = args[:-1]
        elif len(args) >= 2 and type(args[-2]) is str:
            names = keyword_names(fn)
            start = _required_positionals(fn) if open_keywords and _takes_var_keywords(fn) else None
            end = len(args)
            while end >= 2 and type(args[end - 2]) is str and (
                    args[end - 2] in names or start is not None and end - 2 >= start):
                kwargs.setdefault(args[end - 2], args[end - 1])  # the later pair wins, as in a Perl hash
                end -= 2
            args = args[:end]
    if number_parameters(fn, owner):
        args, kwargs = list(args), dict(kwargs)
        _documented_numbers(fn, owner, args, kwargs)
    kinds = set(map(type, args))
    positional = [convert_positional(a) for a in args] if not _CONVERTED.isdisjoint(kinds) else list(args)
    keywords = {k: convert_keyword(v) for k, v in kwargs.items()}
    if keywords:
        for name in bool_keywords(fn, owner).intersection(keywords):
            if type(keywords[name]) is int and keywords[name] in (0, 1):
                keywords[name] = bool(keywords[name])
        for name in list_keywords(fn, owner).intersection(keywords):
            if type(keywords[name]) is tuple and type(kwargs[name]) is list:
                keywords[name] = list(keywords[name])  # mxnet changes it in place (buckets.sort())
    return positional, keywords
