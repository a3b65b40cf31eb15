"""The Perl shim's entry points into the bridge (called through Inline::Python from perl_shim/lib).

Every entry point catches its exceptions and returns the Perl-side failure sentinel instead, after keeping the
error for `take_error`: Inline::Python's own exception path loses the message and leaks memory per error, and
this way the shim dies with a proper Perl exception at the caller's line. Values are converted by `to_perl`:
mirror NDArrays reach Perl as themselves (the shim blesses them as AI::MXNet::NDArray; a sparse one as
{"\0sparse": its class, "\0array": array}, blessed into AI::MXNet::NDArray::CSR or ::RowSparse), other objects as
handles {"\0class": package chain, "\0object": object} that the shim blesses into the chain's first package,
and the Gluon twin of a Block written in Perl as {"\0perl": id}, the Perl object's id.
"""
import atexit
import ctypes
import functools
import inspect
import math
import sys
import threading
import types
import warnings

import mxnet as mx
import numpy as np

import bridge
from . import args as _args
from ..handles import block, function, objects, twins
from . import callbacks, errors
from . import logging as _logging  # noqa: F401 (the shim's AI::MXNet::Logging calls perl.logging.route)
from ..api import symbol
from ..arrays import transfer
from ..arrays.context import report as device_report
from ..arrays.invoke import RegisteredOperator
from ..arrays.namespace import Namespace, UnknownOperator
from ..arrays.ndarray import _MX_NDARRAY, PERL_CLASSES, NDArray, _forwarded_method, array, fluent_operator, unwrap, wrap
from ..arrays.pdl import MX_TO_PDL, PDL_TYPES, pdl_dtype

_FAILED = None   # the Perl sentinel object returned in place of a result when a call fails
_error = None    # the exception behind the last _FAILED
_paths = {}      # 'nd.random.uniform' -> the function, resolved once


def init(failed_sentinel, perl_warn=None):
    """Called once by AI::MXNet::Bridge at load; returns the one-line configuration report. perl_warn is the
    Perl sub through which Python's warnings become Perl warnings."""
    global _FAILED
    _FAILED = failed_sentinel
    _args.learn_perl_types(type(failed_sentinel), type(perl_warn) if perl_warn is not None else None)
    if perl_warn is not None:
        _route_warnings(_args.perl_callable(perl_warn))
    objects.to_perl = to_perl  # what a Perl sub given to mxnet (a transform, apply's function) gets
    callbacks.perl_thread = threading.get_ident()  # the shim loads the bridge on Perl's own thread


def _route_warnings(perl_warn):
    shown_by_python = warnings.showwarning

    def show(message, category, filename, lineno, file=None, line=None):
        if threading.get_ident() != callbacks.perl_thread:  # Perl runs on its own thread only
            return shown_by_python(message, category, filename, lineno, file, line)
        perl_warn(f"{category.__name__}: {message}")
    warnings.showwarning = show
    # as Perl's warn (and AI::MXNet's logging): every time, not once a place; what Python hides by default
    # (deprecations) stays hidden
    # (appended: the filters of the bridge's own modules, which hide what AI::MXNet did not warn about, come first)
    warnings.filterwarnings("always", category=UserWarning, append=True)


def at_exit():
    """Perl's END: what Python's exit would do, since the embedded interpreter is never finalized. Runs the
    atexit hooks, mxnet's shutdown among them: it joins mxnet's custom-operator threads, without which the
    process aborts at exit ("terminate called without an active exception") once a custom Function ran."""
    callbacks.stop()
    try:  # an engine error nobody read (its array was dropped) would otherwise be printed by mxnet's shutdown
        mx.nd.waitall()
    except mx.base.MXNetError:
        pass
    atexit._run_exitfuncs()
    function.shutdown()
    _end_without_teardown()
    return 1


def _end_without_teardown():
    """The process ends now (Perl's END has run; its global destruction follows): libmxnet is not torn down.
    Its engine is a static object whose destructor joins the engine's threads; an operation still running then
    (a free pushed during global destruction is one) could hold the last reference to the engine and destroy
    it from its own thread: std::terminate, "terminate called without an active exception" (1 run in 20 of a
    script that died with work in flight, more with two at once), or a hang. So freeing an NDArray, CachedOp,
    Executor or KVStore no longer reaches libmxnet, and once Perl has destroyed its objects and calls exit(),
    the process leaves with _exit and exit()'s own status (glibc's on_exit passes it), before the C++ static
    destructors: the system takes the memory and threads back, as after Python's os._exit."""
    def nothing(self):
        pass
    for cls in (mx.ndarray.ndarray.NDArrayBase, mx.ndarray.CachedOp, mx.executor.Executor, mx.kvstore.KVStore):
        cls.__del__ = nothing
    for stream in (sys.stdout, sys.stderr):
        stream.flush()
    libc = ctypes.CDLL(None)
    libc.fflush(None)
    libc.on_exit.argtypes = (ctypes.c_void_p, ctypes.c_void_p)
    libc.on_exit(ctypes.cast(libc._exit, ctypes.c_void_p), None)


def config_line():
    """Python, mxnet (its build and devices), numpy, bridge: versions and where they come from; the report to
    paste into a bug report."""
    return "python %s (%s), mxnet %s (%s), numpy %s, bridge %s (%s)" % (
        sys.version.split()[0], sys.executable, mx.__version__, device_report(), np.__version__,
        bridge.__version__, bridge.__file__.rsplit("/", 2)[0])


def take_error():
    """The kept error: ['perl', die value] to rethrow a Perl die unchanged, or
    ['python', type name, first-line message, full text with traceback]."""
    global _error
    exc, _error = _error, None
    if errors.is_perl_die(exc):  # the shim rethrows the value it kept; a blessed one must not cross back
        value = exc.args[0] if exc.args else "Died"
        return ["perl", None if type(value) is _args.PerlObject.type else value]
    return ["python"] + errors.describe(exc)


def _fail(exc):
    global _error
    _error = exc
    return _FAILED


def to_perl(value):
    """A Python result as the shim receives it (see the module docstring)."""
    if type(value) is NDArray:
        return value if type(value._a) is _MX_NDARRAY else _sparse_to_perl(value)
    if value is None or isinstance(value, (bool, int, float, str, bytes)):
        return value
    if isinstance(value, np.generic):
        return value.item()
    kind = type(value)
    if isinstance(value, np.dtype) or isinstance(value, type) and issubclass(value, np.generic):
        return np.dtype(value).name  # a dtype (a custom operator's infer_type gets them) as AI::MXNet named it
    if kind is objects.Proxy:
        value = value._target
        kind = type(value)
    if isinstance(value, (list, tuple)) and (kind is list or kind is tuple or not objects.is_handle_type(kind)):
        return [to_perl(v) for v in value]  # (a namedtuple AI::MXNet had a class for is a handle: DataDesc)
    if type(value) is dict:  # (Perl's keys are strings: an optimizer's states {0: ...} read as $states->{0})
        return {k if type(k) is str else str(k): to_perl(v) for k, v in value.items()}
    if isinstance(value, mx.nd.NDArray):
        return NDArray(value)
    if isinstance(value, mx.Context):
        return {"\0context": [value.device_type, value.device_id]}  # the shim makes an AI::MXNet::Context
    if value is mx.nd or value is bridge.nd:
        return "AI::MXNet::NDArray"  # hybrid_forward's F, as AI::MXNet passed it: a class name
    if value is mx.sym or value is bridge.mx.sym:
        return "AI::MXNet::Symbol"
    if type(value) is _args.PerlObject.type:
        # A blessed Perl object coming back through Python would reach Perl already freed (Inline::Python
        # unwraps it without taking a reference), so it comes back as undef.
        return None
    if type(value) is _args.PerlSub.type:
        return value  # a Perl code ref passing back through Python (a record block's result)
    if getattr(value, "perl_sub", None) is not None:
        return value.perl_sub  # ... or one the bridge made callable (args.perl_callable)
    perl_id = getattr(value, "_perl_id", None)
    if perl_id is not None:
        return {"\0perl": perl_id}  # the twin of a Block written in Perl: the Perl object itself
    if objects.is_handle_type(type(value)):
        return {"\0class": objects.perl_classes(type(value)), "\0object": value}
    if isinstance(value, np.ndarray):
        return to_perl(objects.mirror_value(value))
    if isinstance(value, types.FunctionType):
        return value  # a function made by the bridge (grad_and_loss): the shim makes it a code ref
    if isinstance(value, np.dtype) or isinstance(value, type) and issubclass(value, np.generic):
        return np.dtype(value).name  # a dtype is its name, as AI::MXNet gave it ('float32')
    if isinstance(value, type) and objects.is_handle_type(value):
        return objects.perl_classes(value)[0]  # a class is its AI::MXNet name (mx->mod->Module->load(...))
    raise TypeError(f"cannot hand a Python {type(value).__name__} to Perl")


def _sparse_to_perl(value):
    # a sparse array comes with its AI::MXNet class: the shim blesses it into that
    perl_class = PERL_CLASSES.get(value._a.stype, PERL_CLASSES["default"])
    return value if perl_class == PERL_CLASSES["default"] else {"\0sparse": perl_class, "\0array": value}


_PATHS_KEPT = 4096
_UNKNOWN_KEPT = 256
_unknown = {}  # path -> its error's message, for paths that resolve to nothing (at most _UNKNOWN_KEPT kept)


def _resolve(path):
    """The function at `path` ('nd.random.uniform'): a walk through the bridge's namespaces only, each step a
    name a namespace offers (Namespace.lookup), so a name from Perl (`gluon->$name`) reaches nothing else
    ('_module.utils.os.system' reached os.system)."""
    function = _paths.get(path)
    if function is None:
        unknown = _unknown.get(path)
        if unknown is not None:
            raise UnknownOperator(unknown)
        try:
            function = _walk(path)
        except UnknownOperator as exc:
            if len(_unknown) >= _UNKNOWN_KEPT:
                _unknown.clear()
            _unknown[path] = str(exc)
            raise
        if len(_paths) >= _PATHS_KEPT:
            _paths.clear()
        _paths[path] = function
    return function


def _walk(path):
    if path in _INTERNAL:
        return _INTERNAL[path]
    first, *rest = path.split(".")
    function = _ROOTS.get(first)
    if function is None:
        raise UnknownOperator(("unknown namespace %r" % first)[:200])
    for part in rest:
        if not isinstance(function, Namespace):
            raise UnknownOperator(("%s has no name %r" % (getattr(function, "__name__", "it"), part))[:200])
        function = function.lookup(part)
    return function


_ROOTS = {name: value for name, value in vars(bridge).items() if isinstance(value, Namespace)}


def _internal_functions():
    # The bridge's own functions that the shim's modules call by their full path (AI::MXNet::Logging,
    # AI::MXNet::TestUtils): these paths, and no other, reach past the namespaces.
    from . import logging as perl_logging
    from ..api import test_utils
    functions = {"perl.logging.route": perl_logging.route}
    for name in ("check_numeric_gradient", "check_symbolic_forward", "check_symbolic_backward", "get_mnist_ubyte",
                 "get_cifar10"):
        functions["api.test_utils." + name] = getattr(test_utils, name)
    return functions


_INTERNAL = _internal_functions()


def known_name(path, name):
    """Whether `name` is something the shim's namespace `path` (or an NDArray, for AI::MXNet::NDArray's
    methods) offers: AUTOLOAD installs a sub for such names only, so unknown names cost nothing lasting."""
    try:
        _resolve(path + "." + name)
        return 1
    except Exception:
        pass
    return 1 if path == "nd" and name.isidentifier() and (
        hasattr(NDArray, name) or hasattr(mx.nd.NDArray, name) or _forwarded_method(name) is not None) else 0


# -- the bridge's own calls from the shim (not names a user reaches) -----------------------------------------

def thaw(data):
    """Storable's thaw of an NDArray (AI::MXNet::NDArray STORABLE_attach)."""
    try:
        return to_perl(NDArray.thaw(data))
    except BaseException as exc:
        return _fail(exc)


def set_attr_scope(scope=None):
    """$mx::AttrScope assigned (AI::MXNet.pm's tie)."""
    try:
        return symbol.set_attr_scope(scope)
    except BaseException as exc:
        return _fail(exc)


def function_apply(forward, backward, inputs):
    """An AI::MXNet::AutoGrad::Function called (bridge/handles/function.py apply)."""
    try:
        return to_perl(function.apply(_args.perl_callable(forward), _args.perl_callable(backward), inputs))
    except BaseException as exc:
        return _fail(exc)


def requests_served():
    """How many Perl callbacks other threads asked for (tests read it)."""
    return callbacks.requests_served()


def serving():
    """Whether the Perl thread serves callbacks of mxnet's threads now (AI::MXNet::Bridge's fork asks)."""
    return 1 if callbacks.serving() else 0


def call(path, *args):
    """A namespace function called from Perl: call('nd.array', [[1, 2]], 'dtype', 'float64')."""
    try:
        function = _resolve(path)
        if type(function) is RegisteredOperator:  # an operator's common call takes the short way
            result = function.perl_call(args)
            if result is not NotImplemented:
                return to_perl(result)
    except BaseException as exc:
        return _fail(exc)
    return call_function(function, *args)


def call_method(obj, name, *args):
    """A method called from Perl on a mirror NDArray; properties (shape, grad, T, ...) read as methods."""
    try:
        if not name.isidentifier():
            raise AttributeError(("unknown NDArray method %r" % name)[:200])
        operator = _fluent_call(name)
        if operator is not None:  # $x->relu, $x->sum(axis => 1): nd's operator, the short way if it can
            result = operator.perl_call((obj,) + args)
            if result is not NotImplemented:
                return to_perl(result)
        method = getattr(NDArray, name, None)
        if isinstance(method, property):
            return to_perl(method.__get__(obj))
        if method is None or name.startswith("_"):
            method = _forwarded_method(name)
            if method is None:
                if hasattr(type(obj._a), name) or type(obj._a) is not _MX_NDARRAY and hasattr(obj._a, name):
                    # (a sparse array's own: $csr->indptr, $rsp->_num_aux, $csr->check_format)
                    if args and getattr(getattr(type(obj._a), name, None), "fset", None):
                        setattr(obj._a, name, *args)  # an accessor: $x->_fresh_grad(0) sets what it reads
                    attribute = getattr(obj._a, name)
                    if callable(attribute) and not isinstance(attribute, mx.nd.NDArray):
                        positional, keywords = _args.split_perl_args(attribute, args)
                        attribute = attribute(*unwrap(positional), **unwrap(keywords))
                    return to_perl(wrap(attribute))
                raise AttributeError(f"unknown NDArray method {name}")
        positional, keywords = _args.split_perl_args(method, args)
        return to_perl(method(obj, *positional, **keywords))
    except BaseException as exc:
        return _fail(exc)


@functools.lru_cache(maxsize=1024)
def _fluent_call(name):
    """nd's operator for the NDArray method `name` where the method is no more than that operator with the
    array as its first input (ndarray.fluent_operator), else None."""
    if fluent_operator(name) is None:
        return None
    function = getattr(bridge.nd, name, None)
    return function if type(function) is RegisteredOperator else None


def call_function(fn, *args):
    """A Python function that a bridge call returned to Perl (as a code ref), called from Perl."""
    try:
        positional, keywords = _args.split_perl_args(fn, args, open_keywords=getattr(fn, "open_keywords", False))
        # a tuple stays a tuple: a list in list context (my ($sentences, $vocab) = mx->rnn->encode_sentences(...))
        return _method_result(fn(*positional, **keywords))
    except BaseException as exc:
        return _fail(exc)


def call_object(obj, name, *args):
    """A method of a handle called from Perl ($dense->collect_params, $trainer->step(64), ...); an attribute
    reads as a method, and with one argument sets it (bridge/handles/objects.py: call). A tuple result stays a tuple,
    so the shim can return it as a list in list context ($metric->get)."""
    try:
        return _method_result(objects.call(obj, name, args, split=_split_method_args))
    except BaseException as exc:
        return _fail(exc)


def _method_result(result):
    # a tuple stays a tuple: the shim gives it as a list in list context
    return tuple(to_perl(v) for v in result) if type(result) is tuple else to_perl(result)


def class_call(perl_class, name, *args):
    """A class method of an AI::MXNet class called from Perl: Class->new(...) makes one, any other name is the
    Python class's static or class method (AI::MXNet::Gluon::SymbolBlock->imports(...))."""
    try:
        cls = objects.python_class(perl_class)
        if name == "new":
            return call_function(objects.constructor(cls), *args)
        return _method_result(objects.call(cls, name, args, split=_split_method_args))
    except BaseException as exc:
        return _fail(exc)


def namespace_table():
    """[[package, path, calls, {name: child package}], ...]: every AI::MXNet namespace of the bridge's tree
    (bridge/__init__.py), walked from mx, with the path a Perl call resolves and how the shim calls it."""
    rows, seen = [], set()

    def walk(namespace, path):
        if id(namespace) in seen:
            return
        seen.add(id(namespace))
        children = [(name, value) for name, value in vars(namespace).items()
                    if isinstance(value, Namespace) and value._perl]
        rows.append([namespace._perl, path, namespace._perl_calls, {name: child._perl for name, child in children}])
        for name, child in children:
            walk(child, f"{path}.{name}")

    try:
        walk(bridge.mx, "mx")
        return rows
    except BaseException as exc:
        return _fail(exc)


def handle_classes():
    """[package chain, ...] of every class a Perl user may name: the shim declares them (AI::MXNet::Gluon)."""
    try:
        return [list(chain) for chain in objects.handle_class_chains()]
    except BaseException as exc:
        return _fail(exc)


def _split_method_args(method, args):
    # keyword names come from the function (a bound method is made anew on every call: no cache of it)
    owner = type(method.__self__) if inspect.ismethod(method) else None
    return _args.split_perl_args(getattr(method, "__func__", method), args, open_keywords=True, owner=owner)


def twin_base(perl_class):
    """[constructor arguments, positional arguments] of the Python class of an AI::MXNet class a Perl class
    extends (AI::MXNet::Bridge::Twin makes its attributes of them)."""
    try:
        return twins.describe_base(objects.python_class(perl_class))
    except BaseException as exc:
        return _fail(exc)


def twin_class(perl_class, base, methods, attributes):
    """The twin class of a Perl class (bridge/handles/twins.py twin_class); the names of its base's constructor
    arguments go back."""
    try:
        cls = twins.twin_class(perl_class, objects.python_class(base), methods, attributes)
        return twins.constructor_parameters(cls)
    except BaseException as exc:
        return _fail(exc)


def new_twin(perl_id, perl_class, kwargs):
    """The twin of a new object of a Perl class, handed to Perl as itself: the Perl object keeps it."""
    try:
        cls = twins.twin_class_of(perl_class)
        keywords = {k: _args.convert_keyword(v) for k, v in kwargs.items()}
        for name in _args.bool_keywords(cls.__init__).intersection(keywords):
            if type(keywords[name]) is int and keywords[name] in (0, 1):
                keywords[name] = bool(keywords[name])
        return twins.new_twin(perl_id, perl_class, keywords)
    except BaseException as exc:
        return _fail(exc)


def class_has_method(perl_class, name):
    """Whether the Python class of an AI::MXNet class has a method `name` (AI::MXNet's Perl names too)."""
    try:
        return callable(getattr(objects.python_class(perl_class), twins.PERL_NAMES.get(name, name), None))
    except BaseException as exc:
        return _fail(exc)


def register_twin(perl_class):
    """AI::MXNet's register of a Perl class: its family's registry (twins.register); the AI::MXNet namespace
    that gets its constructor goes back (undef for none)."""
    try:
        return twins.register(perl_class)
    except BaseException as exc:
        return _fail(exc)


def twin_attribute(obj, name, *value):
    """An attribute of an AI::MXNet class made a Mouse class: [1, value] read from the Python object (or set
    there, given a value); [0] when Python has none of that name."""
    try:
        if value:
            setattr(obj, name, objects.to_mx(value[0]))
            return [1, None]
        if not hasattr(obj, name):
            return [0]
        return [1, to_perl(objects.mirror_value(getattr(obj, name)))]
    except BaseException as exc:
        return _fail(exc)


def set_twin_hooks(*hooks):
    """AI::MXNet::Bridge::Twin at load: the Perl subs through which twins call their Perl objects."""
    hooks = [_args.perl_callable(h) for h in hooks]
    twins.set_perl_hooks(*[(lambda hook: lambda *args: hook(*[to_perl(a) for a in args]))(h) for h in hooks])
    return 1


def name_scope(obj, body):
    """$block->name_scope(sub {...})."""
    try:
        return to_perl(block.name_scope(obj, _args.perl_callable(body)))
    except BaseException as exc:
        return _fail(exc)


def free_twins(twins_):
    """The indexes of the twins (of Perl objects that only the shim's registry holds) that nothing in Python
    holds either: the shim may free those Perl objects, and with them their twins."""
    try:
        return twins.free_twins(twins_)
    except BaseException as exc:
        return _fail(exc)


def has_attribute(obj, name):
    """Whether a handle (or a Perl Block's twin) has `name` (if not, AI::MXNet made it a new attribute): 2 when
    its class has it (a method: the shim may remember that), 1 when only the object does, 0 when neither."""
    return 2 if hasattr(type(obj), name) else 1 if hasattr(obj, name) else 0


def set_attribute(obj, name, value):
    """A child Block or a Parameter assigned to a Perl Block's attribute, registered with its twin."""
    try:
        setattr(obj, name, objects.to_mx(value))  # the shim sends Perl Blocks as their twins
        return 1
    except BaseException as exc:
        return _fail(exc)


def describe(obj):
    """A handle's string (Perl's "" overload): bridge/handles/objects.py describe."""
    try:
        return objects.describe(obj)
    except BaseException as exc:
        return _fail(exc)


def items(obj):
    """@{$handle}: [length] for what can be indexed (a Sequential's children, a dataset's samples: the shim
    ties an array that reads item i when asked), else the whole list (a DataLoader's batches)."""
    try:
        obj = _items_of(obj)
        if hasattr(obj, "__getitem__") and hasattr(obj, "__len__"):
            return [len(obj)]
        return [None, to_perl(objects.mirror_value(list(obj)))]
    except BaseException as exc:
        return _fail(exc)


def item(obj, index):
    """$handle->[$i] (through the tied array of items): item i, negative from the end."""
    try:
        return to_perl(objects.mirror_value(_items_of(obj)[index]))
    except BaseException as exc:
        return _fail(exc)


def _items_of(obj):
    # a Block's items are its children; anything else's, its own
    return list(obj._children.values()) if isinstance(obj, mx.gluon.Block) else obj


def next_item(obj):
    """<$handle>: the next batch of a DataLoader (the next item of any iterable); undef at the end, after
    which the next read starts again from the beginning, as AI::MXNet's DataLoader did (and after an error)."""
    try:
        iterator = getattr(obj, "_bridge_iterator", None)
        if iterator is None:
            iterator = iter(obj)
            obj._bridge_iterator = iterator
        try:
            return to_perl(objects.mirror_value(next(iterator)))
        except BaseException:
            obj._bridge_iterator = None  # at the end, or after an error: the next read starts again
            raise
    except StopIteration:
        return None
    except BaseException as exc:
        return _fail(exc)


def read_record(reader):
    """$reader->read on a RecordIO file: the next record (bytes), or undef at the end; one call, since a data
    reader's loop makes one per record."""
    try:
        return reader.read()
    except BaseException as exc:
        return _fail(exc)


def symbol_method(sym, name, *args):
    """A method of an mxnet Symbol called from Perl (AI::MXNet::Symbol)."""
    try:
        method = symbol.method(sym, name)
    except BaseException as exc:
        return _fail(exc)
    return call_function(method, *args)


_OPERATORS = {name: getattr(NDArray, name) for name in dir(NDArray)
              if name.startswith("__") and name[2:-2] in
              ("add radd sub rsub mul rmul truediv rtruediv mod rmod pow rpow eq ne gt ge lt le "
               "iadd isub imul itruediv imod neg abs bool").split()}


def operator(name, obj, *other):
    """An overloaded Perl operator: operator('__rsub__', x, 1) is 1 - x."""
    try:
        result = _OPERATORS[name](obj, *other)
        if result is NotImplemented:
            raise TypeError(f"unsupported operand for {name}: {type(other[0]).__name__}")
        return to_perl(result)
    except BaseException as exc:
        return _fail(exc)


# -- PDL data crosses as one buffer: libmxnet <-> the PDL's own data string, addressed by pointer ----------

_BYTES_WITH_SPEC = 1 << 16  # an array up to this size comes back with its spec: one bridge call, not two


def pdl_spec(obj):
    """[PDL type name, PDL dims] for aspdl: the PDL that the shim allocates before copy_to_pdl fills it; for
    a small array (at most _BYTES_WITH_SPEC) also its data, as the PDL's bytes, so no second call is needed."""
    try:
        ptype, shape = MX_TO_PDL[obj.dtype], obj.shape
        spec = [ptype, list(reversed(shape))]
        target = PDL_TYPES[ptype]
        if math.prod(shape) * target.itemsize <= _BYTES_WITH_SPEC:  # (mxnet's own copy: less set-up)
            spec.append(obj._dense().asnumpy().astype(target, copy=False).tobytes())
        return spec
    except BaseException as exc:
        return _fail(exc)


def copy_to_pdl(obj, address, nbytes):
    """Copy the array's data into the PDL buffer at address (nbytes long), in one copy."""
    try:
        a = obj._dense()
        target = np.dtype(PDL_TYPES[MX_TO_PDL[obj.dtype]])
        if nbytes != a.size * target.itemsize:
            raise ValueError(f"PDL buffer of {nbytes} bytes for {a.size} elements of {target.name}")
        transfer.read_into(a, address, target)  # float16 widens to float on the way
        return 1
    except BaseException as exc:
        return _fail(exc)


def array_from_pdl(address, nbytes, pdl_type, dims, *args):
    """nd->array($pdl, ...): read the PDL's buffer in place (dims reversed to a shape) and copy it once."""
    try:
        dtype = np.dtype(pdl_dtype(pdl_type))
        shape = tuple(reversed(dims))
        if nbytes != int(np.prod(shape, dtype=np.int64)) * dtype.itemsize:
            raise ValueError(f"PDL buffer of {nbytes} bytes for shape {shape} of {dtype.name}")
        buffer = (ctypes.c_char * nbytes).from_address(address) if nbytes else b""
        data = np.frombuffer(buffer, dtype=dtype).reshape(shape)
        positional, keywords = _args.split_perl_args(array, args)
        return array(data, *positional, **keywords)
    except BaseException as exc:
        return _fail(exc)
