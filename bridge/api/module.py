"""AI::MXNet's mx->mod: mxnet's Module, BucketingModule and SequentialModule, made and answering as AI::MXNet's.

mxnet's Module is a port of the same design, so its objects serve as they are; what differs is named here:
`mx->mod->Module` without arguments is the class (mx->mod->Module->load($prefix, $epoch)), `predict` and
`iter_predict` give lists as AI::MXNet did, and the warnings AI::MXNet did not give for the default label
name 'softmax_label' are not given.
"""
import warnings

import mxnet as mx

from ..handles import objects

# AI::MXNet warned about a label name missing from the symbol, or missing label shapes, except for the default
# label name 'softmax_label' (a symbol without a loss layer); mxnet warns for it too.
warnings.filterwarnings("ignore", message=r"(?s).*Module\(\.\.\., label_names=\['softmax_label'\]\)")
warnings.filterwarnings("ignore", message=r"Data provided by label_shapes don't match names specified by "
                                          r"label_names \(\[\] vs\. \['softmax_label'\]\)")


def module(*args, **kwargs):
    """mx->mod->Module($symbol, data_names => [...], context => ...); without arguments the class itself, as
    AI::MXNet's mx->mod->Module was (mx->mod->Module->load(...))."""
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


objects.perl_result("predict", (mx.mod.BaseModule,), _list_result)
objects.perl_method("iter_predict", (mx.mod.BaseModule,), _iter_predict)

FUNCTIONS = {"Module": objects.forward(module), "load": objects.forward(load)}
