"""Python objects other than arrays (Gluon blocks, parameters, trainers, losses, datasets, data loaders,
initialisers, metrics, optimisers, symbols) as they cross the bridge.

Such an object crosses as a handle: the Python object itself, which Perl blesses into the class AI::MXNet
gave it (`perl_classes`), and which a Python user holds through a `Proxy`. Every call on a handle goes
through `call`: arguments go in as mxnet takes them (`to_mx`), results come out as the bridge gives them
(`mirror_value`: mirror NDArrays, handles as Proxies). One set of rules serves both languages.
"""
import collections.abc
import functools
import inspect
import os
import tempfile
import types

import mxnet as mx
import mxnet.kvstore.kvstore_server  # (AI::MXNet::KVStoreServer; starts nothing unless DMLC_ROLE says so)
import numpy as np

from ..perl import args as perl_args, errors
from ..arrays import files
from ..arrays.ndarray import NDArray, array

_PID = os.getpid()  # the process the shim runs in (a DataLoader's workers are others)

# (Python module prefix, AI::MXNet package prefix): the first prefix that matches names the class.
PERL_PACKAGES = (
    ("mxnet.gluon.nn", "AI::MXNet::Gluon::NN::"),
    ("mxnet.gluon.rnn", "AI::MXNet::Gluon::RNN::"),
    ("mxnet.gluon.loss", "AI::MXNet::Gluon::"),
    ("mxnet.gluon.data.vision", "AI::MXNet::Gluon::Data::Vision::"),
    ("mxnet.gluon.data.sampler", "AI::MXNet::Gluon::Data::Sampler::"),
    ("mxnet.gluon.data.dataloader", "AI::MXNet::Gluon::Data::Loader::"),
    ("mxnet.gluon.data", "AI::MXNet::Gluon::Data::"),
    ("mxnet.gluon", "AI::MXNet::Gluon::"),
    ("mxnet.symbol", "AI::MXNet::"),
    ("mxnet.metric", "AI::MXNet::"),
    ("mxnet.initializer", "AI::MXNet::"),
    ("mxnet.optimizer", "AI::MXNet::"),
    ("mxnet.lr_scheduler", "AI::MXNet::"),
    ("mxnet.kvstore", "AI::MXNet::"),
    ("mxnet.io", "AI::MXNet::"),
    ("mxnet.module", "AI::MXNet::Module::"),
    ("mxnet.executor", "AI::MXNet::"),
    ("mxnet.rnn", "AI::MXNet::RNN::"),
    ("mxnet.monitor", "AI::MXNet::"),
    ("mxnet.callback", "AI::MXNet::"),
    ("mxnet.image", "AI::MXNet::Image::"),
    ("mxnet.operator", "AI::MXNet::"),
    ("mxnet.rtc", "AI::MXNet::"),
)

# Classes AI::MXNet named otherwise than the rule above does.
PERL_RENAMES = {
    "mxnet.gluon.data.dataset.Dataset": "AI::MXNet::Gluon::Data::Set",
    "mxnet.gluon.data.sampler.Sampler": "AI::MXNet::Gluon::Data::Sampler",
    "mxnet.gluon.data.dataset._DownloadedDataset": "AI::MXNet::Gluon::Data::Vision::DownloadedDataSet",
    "mxnet.gluon.data.vision.datasets.MNIST": "AI::MXNet::Gluon::Data::Vision::DownloadedDataSet::MNIST",
    "mxnet.gluon.data.vision.datasets.FashionMNIST":
        "AI::MXNet::Gluon::Data::Vision::DownloadedDataSet::FashionMNIST",
    "mxnet.gluon.data.vision.datasets.CIFAR10": "AI::MXNet::Gluon::Data::Vision::DownloadedDataSet::CIFAR10",
    "mxnet.gluon.utils.HookHandle": "AI::MXNet::Gluon::Utils::HookHandle",
    # AI::MXNet kept a Block's children and a ParameterDict's parameters in a Hash::Ordered
    "collections.OrderedDict": "AI::MXNet::Bridge::OrderedDict",
    "mxnet.module.module.Module": "AI::MXNet::Module",
    "mxnet.module.base_module.BaseModule": "AI::MXNet::Module::Base",
    "mxnet._ctypes.ndarray.CachedOp": "AI::MXNet::CachedOp",
    "mxnet.attribute.AttrScope": "AI::MXNet::Symbol::AttrScope",
    "mxnet.gluon.nn.conv_layers._Conv": "AI::MXNet::Gluon::NN::Conv",
    "mxnet.gluon.nn.conv_layers._Pooling": "AI::MXNet::Gluon::NN::Pooling",
    "mxnet.gluon.rnn.rnn_layer._RNNLayer": "AI::MXNet::Gluon::RNN::Layer",
    "mxnet.gluon.data.dataset.RecordFileDataset": "AI::MXNet::Gluon::Data::RecordFileSet",
    "mxnet.gluon.data.vision.datasets.ImageRecordDataset":
        "AI::MXNet::Gluon::Data::Vision::RecordFileSet::ImageRecordDataset",
    "mxnet.gluon.data.vision.datasets.ImageFolderDataset":
        "AI::MXNet::Gluon::Data::Vision::Set::ImageFolderDataset",
    "mxnet.name.NameManager": "AI::MXNet::Symbol::NameManager",
    "mxnet.name.Prefix": "AI::MXNet::Symbol::Prefix",
    "mxnet.gluon.block._BlockScope": "AI::MXNet::Gluon::BlockScope",
    "mxnet.module.bucketing_module.BucketingModule": "AI::MXNet::Module::Bucketing",
    "mxnet.module.executor_group.DataParallelExecutorGroup": "AI::MXNet::DataParallelExecutorGroup",
    "mxnet.model.BatchEndParams": "AI::MXNet::BatchEndParam",
    "mxnet.rnn.rnn_cell.BaseRNNCell": "AI::MXNet::RNN::Cell::Base",
    "mxnet.rnn.rnn_cell.RNNCell": "AI::MXNet::RNN::Cell",
    "mxnet.rnn.rnn_cell.FusedRNNCell": "AI::MXNet::RNN::FusedCell",
    "mxnet.rnn.rnn_cell.SequentialRNNCell": "AI::MXNet::RNN::SequentialCell",
    "mxnet.rnn.rnn_cell.RNNParams": "AI::MXNet::RNN::Params",
    "mxnet.rnn.rnn_cell.BaseConvRNNCell": "AI::MXNet::RNN::ConvCell::Base",
    "mxnet.rnn.rnn_cell.ConvRNNCell": "AI::MXNet::RNN::ConvCell",
    "mxnet.rnn.io.BucketSentenceIter": "AI::MXNet::BucketSentenceIter",
}

# Second names AI::MXNet gave classes: alias -> the class's name.
PERL_ALIAS_CLASSES = {"AI::MXNet::Zeros": "AI::MXNet::Zero", "AI::MXNet::Ones": "AI::MXNet::One",
                      "AI::MXNet::Gluon::SigmoidBCELoss": "AI::MXNet::Gluon::SigmoidBinaryCrossEntropyLoss",
                      "AI::MXNet::Gluon::SoftmaxCELoss": "AI::MXNet::Gluon::SoftmaxCrossEntropyLoss"}

# Every handle class descends from this Perl class (perl_shim/lib/AI/MXNet/Bridge/Object.pm).
PERL_ROOT = "AI::MXNet::Bridge::Object"


def perl_class(cls):
    """The AI::MXNet package name of a Python class, or None when AI::MXNet had no such class. A class of
    the bridge's own names its package in `perl_class`; a subclass of mxnet's inherits its parent's name."""
    own = cls.__dict__.get("perl_class")
    if own:
        return own
    module = cls.__module__
    if module.startswith("bridge.") or module == "builtins":
        return None
    renamed = PERL_RENAMES.get(f"{module}.{cls.__qualname__}")
    if renamed:
        return renamed
    for prefix, package in PERL_PACKAGES:
        if module == prefix or module.startswith(prefix + "."):
            return package + cls.__qualname__
    return None


@functools.lru_cache(maxsize=None)
def perl_classes(cls):
    """The package chain Perl blesses an instance of cls into, most derived first, ending at PERL_ROOT:
    e.g. Dense -> (AI::MXNet::Gluon::NN::Dense, AI::MXNet::Gluon::HybridBlock, AI::MXNet::Gluon::Block, ...)."""
    chain = []
    for c in cls.__mro__:
        name = perl_class(c)
        if name and name not in chain:
            chain.append(name)
    return tuple(chain) + (PERL_ROOT,)


# The modules whose classes a Perl user may name as AI::MXNet classes (AI::MXNet::Gluon::Trainer->new(...),
# AI::MXNet::Gluon::SymbolBlock->imports(...)); the bridge's own replacements are added by bridge/__init__.
HANDLE_MODULES = (mx.gluon, mx.gluon.nn, mx.gluon.rnn, mx.gluon.loss, mx.gluon.data, mx.gluon.data.vision,
                  mx.metric, mx.init, mx.optimizer, mx.lr_scheduler, mx.io, mx.operator, mx.executor, mx.name,
                  mx.rtc, mx.kvstore.kvstore_server, mx.mod, mx.module.executor_group, mx.rnn, mx.monitor,
                  mx.callback, mx.model)
# ... and those its modules keep to themselves.
HANDLE_CLASSES = (mx.nd.CachedOp, mx.gluon.block._BlockScope, mx.gluon.utils.HookHandle, mx.attribute.AttrScope)
_replacements = []


def replace_classes(*classes):
    """The bridge's own subclasses that stand for mxnet's under the same AI::MXNet name (MNIST, ...)."""
    _replacements.extend(classes)
    _python_classes.cache_clear()


@functools.lru_cache(maxsize=None)
def _python_classes():
    found = {}
    for module in HANDLE_MODULES:
        for value in vars(module).values():
            if isinstance(value, type) and not value.__name__.startswith("_") and is_handle_type(value):
                found.setdefault(perl_classes(value)[0], value)
    found.update((perl_classes(cls)[0], cls) for cls in HANDLE_CLASSES + tuple(_replacements))
    found.update((alias, found[name]) for alias, name in PERL_ALIAS_CLASSES.items())
    return found


def python_class(perl_name):
    """The Python class AI::MXNet named perl_name."""
    try:
        return _python_classes()[perl_name]
    except KeyError:
        raise AttributeError(f"no class {perl_name} in the bridge") from None


def handle_class_chains():
    """The package chains of every class a Perl user may name (the shim declares those packages); an alias
    AI::MXNet had is a package whose parent is the class."""
    return [perl_classes(cls) if perl_classes(cls)[0] == name else (name,) + perl_classes(cls)
            for name, cls in _python_classes().items()]


# Classes that AI::MXNet made otherwise than calling them does (DataDesc's shape as a tuple): class -> function.
PERL_CONSTRUCTORS = {}


def perl_constructor(cls, function):
    """Class->new(...) for cls (and its namespace's function of that name) is function, AI::MXNet's way."""
    PERL_CONSTRUCTORS[cls] = function
    constructor.cache_clear()


@functools.lru_cache(maxsize=None)
def constructor(cls):
    """cls called AI::MXNet's way (its keyword names widened as `forward` does), for Class->new(...)."""
    return forward(PERL_CONSTRUCTORS.get(cls, cls))


@functools.lru_cache(maxsize=None)
def is_handle_type(cls):
    """Whether instances of cls cross the bridge as handles (AI::MXNet had a class for them)."""
    return cls is not NDArray and len(perl_classes(cls)) > 1


class Proxy:
    """A handle as a Python user holds it: every attribute and call goes through `call`, so the mirror's
    NDArrays go in and come out, as they do for a Perl user."""

    __slots__ = ("_target",)

    def __init__(self, target):
        object.__setattr__(self, "_target", target)

    def __getattr__(self, name):
        attribute = getattr(self._target, name)
        if _is_method(attribute):
            return functools.partial(call_callable, attribute)
        return mirror_value(attribute)

    def __setattr__(self, name, value):
        setattr(self._target, name, to_mx(value))

    def __call__(self, *args, **kwargs):
        return call_callable(self._target, *args, **kwargs)

    def __getitem__(self, key):
        return mirror_value(self._target[to_mx(key)])

    def __len__(self):
        return len(self._target)

    def __iter__(self):
        return (mirror_value(item) for item in self._target)

    def __repr__(self):
        return describe(self._target)

    def __enter__(self):  # $block->name_scope's scope, autograd's scopes
        return mirror_value(self._target.__enter__())

    def __exit__(self, *exc):
        return self._target.__exit__(*exc)

    def __eq__(self, other):
        return self._target is to_mx(other)

    def __hash__(self):
        return id(self._target)


def _proxy_operator(name):
    def operator(self, *other):
        return call_callable(getattr(self._target, name), *other)
    operator.__name__ = name
    return operator


# A Symbol held through a Proxy (hybrid_forward's x when hybridized) still takes arithmetic.
for _name in ("add radd sub rsub mul rmul truediv rtruediv pow rpow neg mod rmod "
              "gt ge lt le").split():
    setattr(Proxy, f"__{_name}__", _proxy_operator(f"__{_name}__"))


def _is_method(attribute):
    # A method is called; a Block held as an attribute (callable too) is returned.
    return inspect.ismethod(attribute) or inspect.isbuiltin(attribute) or inspect.isfunction(attribute) \
        or isinstance(attribute, functools.partial)


def mirror_value(value):
    """A value from mxnet as the bridge hands it on: mxnet NDArrays -> mirror NDArrays, numpy arrays ->
    mirror NDArrays, numpy scalars -> Python numbers, handles -> Proxies; inside lists, tuples, dicts."""
    kind = type(value)
    if kind is NDArray or value is None or kind in (bool, int, float, str, bytes):
        return value
    if isinstance(value, mx.nd.NDArray):
        return NDArray(value)
    if kind is list or kind is tuple:
        return kind(mirror_value(v) for v in value)
    if kind is dict:
        return {k: mirror_value(v) for k, v in value.items()}
    if isinstance(value, np.generic):
        return value.item()
    if kind is np.ndarray:
        return array(value, dtype=value.dtype)
    if isinstance(value, (collections.abc.KeysView, collections.abc.ValuesView, collections.abc.ItemsView)):
        return tuple(mirror_value(v) for v in value)  # $params->keys: a list, as AI::MXNet gave it
    if getattr(value, "mirror_facing", False):
        return value  # a bridge Block: it takes and gives mirror values itself
    if kind is types.FunctionType and (value.__module__ or "").startswith("mxnet."):
        return _mirror_facing(value)  # a function mxnet made (mx.callback.do_checkpoint's callback)
    if is_handle_type(kind):
        return Proxy(value)
    return value


def to_mx(value):
    """A value from the bridge as mxnet takes it: mirror NDArrays -> mxnet NDArrays, Proxies -> their
    targets, callables -> functions that give mirror values and take back mxnet's; inside lists, tuples,
    dicts."""
    kind = type(value)
    if kind is NDArray:
        return value._a
    if kind is Proxy:
        return value._target
    if kind is list or kind is tuple:
        return kind(to_mx(v) for v in value)
    if kind is dict:
        return {k: to_mx(v) for k, v in value.items()}
    if kind is collections.OrderedDict:  # (an ordered hash keeps its order: NDArrayIter's data)
        return collections.OrderedDict((k, to_mx(v)) for k, v in value.items())
    if kind is types.FunctionType and hasattr(value, "mx_function"):
        return value.mx_function  # mxnet's own function, given back
    if kind is perl_args.PerlSub.type or inspect.isfunction(value) and not hasattr(value, "mirror_wrapped"):
        return _mx_facing(value)
    return value


def _mirror_facing(fn):
    """fn, a function mxnet made, as the bridge's users call it: taking and giving mirror values; given back to
    mxnet (epoch_end_callback => ...), it is fn itself."""
    @functools.wraps(fn)
    def mirror_facing(*args, **kwargs):
        return call_callable(fn, *args, **kwargs)
    mirror_facing.mx_function = fn
    return mirror_facing


def _mx_facing(fn):
    """fn, which takes and gives mirror values (a Perl sub, a Python user's function), as mxnet calls it.
    A Perl sub's list of results is a tuple, as Python's `return data, label` is (a transform's sample)."""
    if type(fn) is perl_args.PerlSub.type:
        fn = perl_args.perl_callable(fn)
    perl = getattr(fn, "perl_sub", None) is not None

    @functools.wraps(fn) if inspect.isfunction(fn) else (lambda f: f)
    def mx_facing(*args, **kwargs):
        if kwargs and not perl:
            result = fn(*mirror_value(args), **mirror_value(kwargs))
        elif perl:  # as Perl takes values (bridge/perl/entry.py to_perl); given **{} it would get ([args], {})
            # keywords as AI::MXNet passed them, trailing `key => value` pairs ($func->(name => 'x', shape => ...))
            pairs = [v for item in kwargs.items() for v in item]
            try:
                result = fn(*[to_perl(v) for v in mirror_value(args + tuple(pairs))])
            except Exception as exc:
                if os.getpid() == _PID or not errors.is_perl_die(exc):
                    raise
                # in a worker process (a DataLoader's): perl.Exception cannot be sent back, its text can
                raise RuntimeError(str(exc.args[0] if exc.args else exc).strip()) from None
        else:
            result = fn(*mirror_value(args))
        if perl and type(result) is list:
            result = tuple(result)
        return to_mx(result)
    mx_facing.mirror_wrapped = True
    if perl:
        mx_facing.__name__ = "custom"  # what names it where mxnet uses a function's name (a CustomMetric)
    return mx_facing


def call_callable(fn, *args, **kwargs):
    """fn(*args, **kwargs) with the arguments made mxnet's and the result made the mirror's."""
    return mirror_value(fn(*to_mx(args), **to_mx(kwargs)))


def forward(fn):
    """fn, a function or class of mxnet's, taking and giving mirror values (for a Namespace)."""
    @functools.wraps(fn)
    def forwarded(*args, **kwargs):
        return call_callable(fn, *args, **kwargs)
    forwarded.__signature__ = _signature(fn)
    # from Perl, trailing `key => value` pairs go to its **kwargs as a method's do:
    # mx->optimizer->create('sgd', learning_rate => 0.1)
    forwarded.open_keywords = True
    return forwarded


def signature_with(fn, **extra):
    """fn's signature as `forward` gives it, with more keyword-only parameters (name=default)."""
    signature = _signature(fn)
    params = [p for p in signature.parameters.values() if p.kind is not p.VAR_KEYWORD]
    params += [inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=default)
               for name, default in extra.items()]
    params += [p for p in signature.parameters.values() if p.kind is p.VAR_KEYWORD]
    return signature.replace(parameters=params)


def _signature(fn):
    """fn's signature; for a class, its __init__'s widened by the named parameters of the parents' __init__s
    that it passes **kwargs on to (Dense(..., **kwargs) -> Block(prefix, params)), as AI::MXNet took them."""
    if not inspect.isclass(fn):
        try:
            return inspect.signature(fn)
        except (TypeError, ValueError):
            return None
    params, seen, open_ended = [], set(), True
    # the first class with an __init__ gives the positionals (a subclass of the bridge's may have none)
    own_class = next((cls for cls in fn.__mro__ if "__init__" in cls.__dict__), fn)
    for cls in fn.__mro__[:-1]:
        init = cls.__dict__.get("__init__")
        if init is None:
            continue
        try:
            own = list(inspect.signature(init).parameters.values())[1:]
        except (TypeError, ValueError):
            break
        for p in own:
            if p.name in seen or p.kind is p.VAR_KEYWORD or (params and p.kind is p.VAR_POSITIONAL):
                continue
            seen.add(p.name)
            params.append(p if not params or cls is own_class else p.replace(kind=p.KEYWORD_ONLY))
        if not any(p.kind is p.VAR_KEYWORD for p in own):
            open_ended = False
            break
    params = sorted(params, key=lambda p: p.kind)  # positionals first, as a signature must have them
    if open_ended:
        params.append(inspect.Parameter("kwargs", inspect.Parameter.VAR_KEYWORD))
    return inspect.Signature(params)


# AI::MXNet's names for what Python spells as protocols ($dataset->len, $dataset->at(3)).
PERL_ALIASES = {"len": "__len__", "at": "__getitem__", "set": "__setitem__", "exists": "__contains__",
                "delete": "pop"}



def _sequential_slice(seq, indices):
    """AI::MXNet's $seq->slice([1, 2]): a new Sequential of those children (by index, negative from the end)."""
    children = list(seq._children.values())
    new = type(seq)(prefix=seq.prefix)
    with new.name_scope():
        new.add(*[children[i] for i in ([indices] if isinstance(indices, int) else indices)])
    return new


def _symbol_eval(sym, ctx=None, args=None):
    """AI::MXNet's $sym->eval(ctx => $ctx, args => {name => $array}): Python takes the arrays as keywords."""
    return sym.eval(ctx=ctx, **(args or {}))


def _shapes(shapes):
    # {name => [dims]} as the keywords Python's simple_bind and reshape take
    return {name: tuple(dims) for name, dims in (shapes or {}).items()}


def _symbol_simple_bind(sym, ctx=None, grad_req="write", shapes=None, type_dict=None, stype_dict=None,
                        group2ctx=None, shared_arg_names=None, shared_exec=None, shared_buffer=None):
    """AI::MXNet's $sym->simple_bind(ctx => $ctx, shapes => {x => [5, 4]}, ...): Python takes the shapes as
    keywords (and the context first, the current one by default, as AI::MXNet's was)."""
    return sym.simple_bind(mx.current_context() if ctx is None else ctx, grad_req=grad_req, type_dict=type_dict,
                           stype_dict=stype_dict, group2ctx=group2ctx, shared_arg_names=shared_arg_names,
                           shared_exec=shared_exec, shared_buffer=shared_buffer, **_shapes(shapes))


def _executor_reshape(executor, shapes, partial_shaping=False, allow_up_sizing=False):
    """AI::MXNet's $exec->reshape({x => [3, 4]}, allow_up_sizing => 1): Python takes the shapes as keywords."""
    return executor.reshape(partial_shaping=partial_shaping, allow_up_sizing=allow_up_sizing, **_shapes(shapes))


def _augmenter_call(augmenter, src):
    """$aug->($image) gives [$image], as AI::MXNet's augmenters (code refs) gave it; Python's gives the image."""
    return [augmenter(src)]


def _symbol_slice(sym, index):
    """AI::MXNet's $sym->slice('fc2_weight') or ->slice(0): one output of a group, by name or index."""
    return sym[index]


def _block_load_parameters(block, filename, ctx=None, allow_missing=False, ignore_extra=False, cast_dtype=False,
                           dtype_source="current"):
    """Gluon's load_parameters, also of files that AI::MXNet saved: it named the parameters of a Block's first child
    "0weight" (it tested the prefix "0" for truth), where Gluon names them "0.weight"."""
    keywords = dict(ctx=ctx, allow_missing=allow_missing, ignore_extra=ignore_extra, cast_dtype=cast_dtype,
                    dtype_source=dtype_source)
    loaded = to_mx(files.load(filename))
    names = set(block._collect_params_with_prefix()) if isinstance(loaded, dict) else ()
    renamed = {("0." + key[1:] if key not in names and key[:1] == "0" and key[1:2] != "." else key): value
               for key, value in (loaded.items() if names else ())}
    if list(renamed) == list(loaded if names else ()):
        return block.load_parameters(filename, **keywords)
    with tempfile.TemporaryDirectory() as folder:
        fixed = os.path.join(folder, "parameters")
        mx.nd.save(fixed, renamed)
        return block.load_parameters(fixed, **keywords)


def _optimizer_create_state(optimizer, index, weight):
    """AI::MXNet's $optimizer->create_state: with multi_precision, the float32 master copy too (Python's
    create_state_multi_precision; AI::MXNet had one method for both)."""
    return optimizer.create_state_multi_precision(index, weight)


def _optimizer_update(optimizer, index, weight, grad, state):
    """AI::MXNet's $optimizer->update: through the master copy when create_state made one (Python's
    update_multi_precision)."""
    return optimizer.update_multi_precision(index, weight, grad, state)


def _module_private(module):
    """AI::MXNet's $mod->_p: the struct of a Module's private fields ($mod->_p->_optimizer), which Python keeps
    as the module's own attributes."""
    return module


# Methods AI::MXNet's classes had and Python's lack or take otherwise: name -> ((classes, function(target, ...)),
# ...), the first whose classes the target is an instance of.
PERL_METHODS = {"slice": (((mx.gluon.nn.Sequential, mx.gluon.nn.HybridSequential), _sequential_slice),
                          ((mx.sym.Symbol,), _symbol_slice)),
                "eval": (((mx.sym.Symbol,), _symbol_eval),),
                "_p": (((mx.module.BaseModule,), _module_private),),
                "simple_bind": (((mx.sym.Symbol,), _symbol_simple_bind),),
                "reshape": (((mx.executor.Executor,), _executor_reshape),),
                "__call__": (((mx.image.Augmenter,), _augmenter_call),),
                "load_parameters": (((mx.gluon.Block,), _block_load_parameters),),
                "create_state": (((mx.optimizer.Optimizer,), _optimizer_create_state),),
                "update": (((mx.optimizer.Optimizer,), _optimizer_update),)}

# Where AI::MXNet gave a method's result another shape than Python does: name -> (classes, adapter).
# $metric->get_name_value and $module->score are hashes {name => value} there; Python gives [(name, value)].
PERL_RESULTS = {"get_name_value": ((mx.metric.EvalMetric,), dict),
                "score": ((mx.module.BaseModule,), dict)}

def _parameter_string(param):
    """AI::MXNet's string of a Parameter: Parameter NAME (shape=(3, 2), dtype=float32, stype=default)."""
    kind = "Constant" if isinstance(param, mx.gluon.Constant) else "Parameter"
    shape = ", ".join(str(d) for d in (param.shape or ()))
    return "%s %s (shape=(%s), dtype=%s, stype=%s)" % (kind, param.name, shape, np.dtype(param.dtype).name,
                                                       param._stype)


def _parameter_dict_string(params):
    """AI::MXNet's string of a ParameterDict: PREFIX (, then a Parameter a line, indented 3, then )."""
    name = params.prefix + " " if params.prefix else ""
    return "%s(\n%s\n)" % (name, "\n".join("   " + _parameter_string(p) for p in params.values()))


# The strings AI::MXNet gave where Python's repr differs: (class, function); the first match counts.
PERL_STRINGS = [(mx.init.Initializer, lambda init: init.dumps()),   # ["xavier", {"magnitude": 3, ...}]
                (mx.gluon.Parameter, _parameter_string),
                (mx.gluon.ParameterDict, _parameter_dict_string)]


def perl_string(cls, function):
    """AI::MXNet's string of a cls is function(obj) (an API module's own row of PERL_STRINGS)."""
    PERL_STRINGS.insert(0, (cls, function))


def perl_method(name, classes, function):
    """AI::MXNet's method `name` of classes is function(target, ...) (an API module's row of PERL_METHODS)."""
    PERL_METHODS[name] = ((classes, function),) + PERL_METHODS.get(name, ())


def perl_result(name, classes, adapt):
    """AI::MXNet gave method `name` of classes as adapt(Python's result) (a row of PERL_RESULTS)."""
    PERL_RESULTS[name] = (classes, adapt)


def describe(obj):
    """A handle's string, as AI::MXNet printed it (PERL_STRINGS), else Gluon's own repr (a Block's listing)."""
    for cls, string in PERL_STRINGS:
        if isinstance(obj, cls):
            return string(obj)
    if type(obj).__repr__ is object.__repr__ and is_handle_type(type(obj)):
        # no string of its own: Perl's default one for an object of its AI::MXNet class, as AI::MXNet's printed
        return "%s=HASH(0x%x)" % (perl_classes(type(obj))[0], id(obj))
    return repr(obj)


# How a value is handed to a Perl sub (bridge/perl/entry.py sets it to its to_perl when the shim loads).
to_perl = mirror_value


def _no_split(method, args):
    return args, {}


def _call_with_target(function, target, args, split):
    # function(target, *args), the arguments split as a method's are
    positional, keywords = split(function, (target,) + tuple(args))
    return call_callable(function, *positional, **keywords)


def call(target, name, args=(), split=_no_split):
    """target.name(*args) for a method, its arguments first split by `split` into positional and keyword
    ones; the attribute's value for anything else (with one argument: set it, as AI::MXNet's accessors did:
    $param->grad_req('null')). On the twin of a Perl object, a name its Perl class defines is the Python base's
    (Perl comes here for it only from SUPER:: or a method modifier)."""
    if not name.isidentifier():  # (a name from Perl: `$handle->$name`)
        raise AttributeError(("%s has no method or attribute %r" % (perl_classes(type(target))[0], name))[:200])
    base_attribute = getattr(target, "perl_base_attribute", None)
    if base_attribute is not None:
        attribute = base_attribute(name)
        if attribute is not None:
            return _call_attribute(target, name, attribute, args, split)
    for classes, method in PERL_METHODS.get(name, ()):
        if isinstance(target, classes):
            return _call_with_target(method, target, args, split)
    try:
        attribute = getattr(target, name)
    except AttributeError:
        # AI::MXNet's alias for a protocol ($seq->at(1)), or its public name for what Python keeps private
        # ($trainer->kvstore: _kvstore)
        for other in (PERL_ALIASES.get(name), "_" + name):
            if other and hasattr(target, other):
                attribute = getattr(target, other)
                break
        else:
            if len(args) == 1 and (isinstance(target, mx.gluon.Block) or hasattr(target, "perl_base_attribute")):
                # AI::MXNet: an unknown method of a Block sets one; so does one of an object of a Perl class,
                # whose AI::MXNet base declared it ($self->sum_metric(0) in a Perl metric's reset)
                setattr(target, name, to_mx(args[0]))
                return None
            function = getattr(mx.sym, name, None) if isinstance(target, mx.sym.Symbol) else None
            if callable(function) and not name.startswith("_"):
                # AI::MXNet made every symbol function a method, the Symbol first: $sym->maximum($other)
                return _call_with_target(function, target, args, split)
            raise AttributeError(f"{perl_classes(type(target))[0]} has no method or attribute {name}") from None
    return _call_attribute(target, name, attribute, args, split)


def _call_attribute(target, name, attribute, args, split):
    if _is_method(attribute):
        if all(type(a) is int for a in args):
            # only integers (a Perl optimizer's $self->_get_lr($index)): no key => value pair, nothing to convert
            result = mirror_value(attribute(*args))
        else:
            positional, keywords = split(attribute, args)
            result = call_callable(attribute, *positional, **keywords)
        classes, adapt = PERL_RESULTS.get(name, ((), None))
        return adapt(result) if isinstance(target, classes) else result
    if args:
        setattr(target, name, to_mx(args[0]))
        return None
    value = mirror_value(attribute)
    return list(value) if type(value) is tuple else value  # a shape is an array ref in any context
