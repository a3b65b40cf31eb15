"""AI::MXNet's mx->mod: mxnet's Module, BucketingModule and SequentialModule, made and answering as AI::MXNet's.

mxnet's Module is a port of the same design, so its objects serve as they are; what differs is named here:
`mx->mod->Module` without arguments is the class (mx->mod->Module->load($prefix, $epoch)), `predict` and
`iter_predict` give lists as AI::MXNet did, and the warnings AI::MXNet did not give for the default label
name 'softmax_label' are not given.
"""
import inspect
import warnings

import mxnet as mx

from ..handles import objects
from ..perl.args import perl_number

# AI::MXNet warned about a label name missing from the symbol, or missing label shapes, except for the default
# label name 'softmax_label' (a symbol without a loss layer); mxnet warns for it too.
warnings.filterwarnings("ignore", message=r"(?s).*Module\(\.\.\., label_names=\['softmax_label'\]\)")
warnings.filterwarnings("ignore", message=r"Data provided by label_shapes don't match names specified by "
                                          r"label_names \(\[\] vs\. \['softmax_label'\]\)")


def Module(*args, **kwargs):  # noqa: N802 (AI::MXNet's name)
    """mx->mod->Module($symbol, data_names => [...], context => ...); without arguments the class itself, as
    AI::MXNet's mx->mod->Module was (mx->mod->Module->load(...)): Perl gets its name, AI::MXNet::Module."""
    if not args and not kwargs:
        return mx.mod.Module
    return mx.mod.Module(*args, **kwargs)


def load(prefix, epoch, load_optimizer_states=False, **kwargs):
    """mx->mod->load / AI::MXNet::Module->load($prefix, $epoch, $load_optimizer_states, data_names => [...])."""
    return mx.mod.Module.load(prefix, epoch, load_optimizer_states, **kwargs)


def _list_result(result):
    # AI::MXNet returned a list: in list context every output (merge_batches => 0: one list per batch)
    return tuple(result) if type(result) is list else result


def _iter_predict(module, eval_data, num_batch=None, reset=True, sparse_row_id_fn=None):
    """AI::MXNet's $mod->iter_predict($iter): a list of [outputs, nbatch, batch], not a generator."""
    return tuple([outputs, nbatch, batch] for outputs, nbatch, batch
                 in module.iter_predict(eval_data, num_batch=num_batch, reset=reset,
                                        sparse_row_id_fn=sparse_row_id_fn))


def _optimizer_params(kwargs):
    """kwargs' optimizer_params as AI::MXNet's optimizers took them: a number held as a string ('0.1' from the
    command line) is the number (their attributes were Num), and a parameter the optimizer does not take is
    left out, with a warning (a Mouse class ignored it: optimizer => 'adam' with momentum => 0)."""
    params = kwargs.get("optimizer_params")
    if not isinstance(params, dict):
        return kwargs
    params = {k: perl_number(v) for k, v in params.items()}
    optimizer = kwargs.get("optimizer", "sgd")
    cls = mx.optimizer.Optimizer.opt_registry.get(optimizer.lower()) if isinstance(optimizer, str) else None
    if cls is not None:
        taken = set()
        for klass in cls.__mro__:
            if "__init__" in vars(klass) and klass is not object:
                taken.update(inspect.signature(klass.__init__).parameters)
        for name in sorted(set(params) - taken):
            warnings.warn(f"optimizer {optimizer} takes no {name}: left out, as AI::MXNet's optimizers left it")
            del params[name]
    return dict(kwargs, optimizer_params=params)


def _fit(module, train_data, **kwargs):
    return module.fit(train_data, **_optimizer_params(kwargs))


def _init_optimizer(module, **kwargs):
    return module.init_optimizer(**_optimizer_params(kwargs))


def _checked_shapes(method, kind, shapes):
    # each [name, [dims]] or DataDesc; anything else is refused here, in one line, before mxnet computes with it
    for entry in shapes or ():
        if isinstance(entry, mx.io.DataDesc):
            continue
        if not (isinstance(entry, (list, tuple)) and len(entry) >= 2 and isinstance(entry[0], str)
                and isinstance(entry[1], (list, tuple)) and all(isinstance(d, int) for d in entry[1])):
            shown = list(entry) if isinstance(entry, tuple) else entry  # (as Perl wrote it: an array ref)
            raise TypeError(f"{method}: {kind} must be [name, [dims]] pairs or DataDescs, not {shown!r}")
    return shapes


def _bind(module, data_shapes, label_shapes=None, **kwargs):
    return module.bind(_checked_shapes("bind", "data_shapes", data_shapes),
                       _checked_shapes("bind", "label_shapes", label_shapes), **kwargs)


def _reshape(module, data_shapes, label_shapes=None):
    return module.reshape(_checked_shapes("reshape", "data_shapes", data_shapes),
                          _checked_shapes("reshape", "label_shapes", label_shapes))


def _as_method(name, function):
    """function, standing for the modules' method `name`, with its docs (they say which parameters take
    booleans and numbers: bridge/perl/args.py) and its parameters (the module first), as AI::MXNet's method."""
    method = getattr(mx.mod.Module, name)
    signature = inspect.signature(method)
    first, *rest = signature.parameters.values()
    function.__doc__ = method.__doc__
    function.__signature__ = signature.replace(parameters=[first.replace(name="module")] + rest)
    objects.perl_method(name, (mx.mod.BaseModule,), function)


for _name, _function in (("fit", _fit), ("init_optimizer", _init_optimizer), ("bind", _bind),
                         ("reshape", _reshape)):
    _as_method(_name, _function)
objects.perl_result("predict", (mx.mod.BaseModule,), _list_result)
objects.perl_method("iter_predict", (mx.mod.BaseModule,), _iter_predict)

FUNCTIONS = {"Module": objects.forward(Module), "load": objects.forward(load)}
FUNCTIONS["Module"].load = FUNCTIONS["load"]  # mx.mod.Module.load(prefix, epoch), as Perl's mx->mod->Module->load
