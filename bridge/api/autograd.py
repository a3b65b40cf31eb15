"""AI::MXNet::AutoGrad: the scopes take a function (AI::MXNet's `record(sub {...})`) or, in Python, work as
context managers (`with autograd.record():`). Either way the previous recording/training state is restored
when the scope ends, also when the function dies.

Every call that runs a backward pass goes through `backward_pass` (NDArray.backward too): while a graph
holds a Function written in Perl, the pass runs with the Perl thread serving its callbacks (bridge/perl/callbacks.py) and has finished when
the call returns; otherwise it is mxnet's own call, as fast as from Python.
"""
import mxnet as mx

from ..perl import callbacks
from ..handles import function
from . import operator
from ..handles.function import Function
from ..arrays.ndarray import NDArray, unwrap, wrap


def _scope(manager, fn):
    if fn is None:
        return manager
    with manager:
        return fn()


def record(fn=None, train_mode=True):
    """Record the operations fn performs (or the with-block's) so backward can follow them."""
    return _scope(mx.autograd.record(train_mode=train_mode), fn)


def pause(fn=None, train_mode=False):
    """Run fn (or the with-block) with recording off, inside a recording scope."""
    return _scope(mx.autograd.pause(train_mode=train_mode), fn)


def train_mode(fn=None):
    """Run fn (or the with-block) with operators in training behaviour (Dropout drops)."""
    return _scope(mx.autograd.train_mode(), fn)


def predict_mode(fn=None):
    """Run fn (or the with-block) with operators in prediction behaviour."""
    return _scope(mx.autograd.predict_mode(), fn)


def is_recording():
    return mx.autograd.is_recording()


def is_training():
    return mx.autograd.is_training()


def set_is_recording(is_recording):
    """Set the recording state; returns the previous one."""
    return mx.autograd.set_recording(bool(is_recording))


def set_is_training(is_train):
    """Set the training state; returns the previous one."""
    return mx.autograd.set_training(bool(is_train))


def backward_pass(fn, *args, **kwargs):
    """fn(*args, **kwargs), an mxnet call that runs a backward pass (see the module docstring)."""
    if function.in_graph() or operator.registered():
        try:
            return callbacks.serve(fn, *args, **kwargs)
        finally:
            function.release()
    return fn(*args, **kwargs)


def backward(heads, head_grads=None, retain_graph=False, train_mode=True):
    """Gradients of heads (an NDArray or a list of them) with respect to the marked variables, written
    into the variables' gradient arrays. head_grads: one per head (None: ones)."""
    backward_pass(mx.autograd.backward, unwrap(heads), head_grads=unwrap(head_grads),
                   retain_graph=retain_graph, train_mode=train_mode)




def grad(heads, variables, head_grads=None, retain_graph=None, create_graph=False, train_mode=True):
    """Gradients of heads with respect to variables, returned as new arrays (one NDArray for one variable,
    else a list) instead of written into the variables' gradients. create_graph records the computation of
    the gradients, for higher-order gradients; retain_graph defaults to create_graph."""
    grads = backward_pass(mx.autograd.grad, unwrap(heads), unwrap(variables), head_grads=unwrap(head_grads),
                           retain_graph=retain_graph, create_graph=create_graph, train_mode=train_mode)
    return wrap(grads[0] if isinstance(variables, NDArray) else grads)  # mxnet 1.9.1 gives a list always


def mark_variables(variables, gradients, grad_reqs="write"):
    """Mark arrays as variables whose gradients backward writes into gradients (grad_reqs: 'write', 'add',
    'null', or a list of them, one per variable)."""
    mx.autograd.mark_variables(unwrap(variables), unwrap(gradients), grad_reqs=grad_reqs)


def compute_gradient(outputs):
    """backward(outputs), as AI::MXNet names it."""
    backward(outputs)


def grad_and_loss(func, argnum=None):
    """A function that runs func(*args) while recording and returns (gradients, func's result): the gradients
    of the arguments numbered argnum (an int or a list; all arguments when None), which must be NDArrays."""
    def grad_and_loss_func(*args):
        chosen = range(len(args)) if argnum is None else argnum if isinstance(argnum, list) else [argnum]
        variables = [args[i] for i in chosen]
        if not all(isinstance(v, NDArray) for v in variables):
            raise TypeError("type of autograd input should NDArray")
        grads = [v.zeros_like() for v in variables]
        mark_variables(variables, grads)
        outputs = record(lambda: func(*args))
        backward(outputs if isinstance(outputs, list) else [outputs])
        return grads, outputs
    return grad_and_loss_func


def get_symbol(x):
    """The recorded computation that produced x, as an mxnet Symbol."""
    return mx.autograd.get_symbol(unwrap(x))


FUNCTIONS = {f.__name__: f for f in (record, pause, train_mode, predict_mode, is_recording, is_training,
                                     set_is_recording, set_is_training, backward, grad, mark_variables,
                                     compute_gradient, grad_and_loss, get_symbol, Function)}
