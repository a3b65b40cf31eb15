"""AI::MXNet::AutoGrad: the scopes take a function (AI::MXNet's `record(sub {...})`) or, in Python, work as
context managers (`with autograd.record():`). Either way the previous recording/training state is restored
when the scope ends, also when the function dies."""
import mxnet as mx

from .ndarray import unwrap


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


def backward(heads, head_grads=None, retain_graph=False, train_mode=True):
    """Gradients of heads (an NDArray or a list of them) with respect to the marked variables."""
    mx.autograd.backward(unwrap(heads), head_grads=unwrap(head_grads),
                         retain_graph=retain_graph, train_mode=train_mode)


def mark_variables(variables, gradients, grad_reqs="write"):
    mx.autograd.mark_variables(unwrap(variables), unwrap(gradients), grad_reqs=grad_reqs)


FUNCTIONS = {f.__name__: f for f in (record, pause, train_mode, predict_mode, is_recording, is_training,
                                     set_is_recording, set_is_training, backward, mark_variables)}
