"""Custom operators written in Perl: mx->operator->register('sqr', 'SqrProp'), then nd->Custom($x, op_type => 'sqr').

SqrProp extends AI::MXNet::CustomOpProp and Sqr, which its create_operator makes, AI::MXNet::CustomOp (AI::MXNet
had neither; the names and methods are Python mxnet's): both are Perl classes with twins (bridge/handles/twins.py).
mxnet runs a custom operator's forward and backward on threads of its own, so while an operator call or a
backward pass that may run a Perl operator is under way, the Perl thread serves those calls
(bridge/perl/callbacks.py), as it does for Perl autograd Functions.
"""
import mxnet as mx

from ..arrays.ndarray import forward
from ..handles import twins
from ..perl import callbacks

_perl_operators = set()   # the op_types registered with a Perl class


def register(reg_name, prop_class):
    """Register the Perl class prop_class (an AI::MXNet::CustomOpProp) as custom operator reg_name."""
    cls = twins.perl_twin_class(prop_class)
    if not issubclass(cls, mx.operator.CustomOpProp):
        raise TypeError("%s is no AI::MXNet::CustomOpProp" % prop_class)
    mx.operator.register(reg_name)(cls)
    _perl_operators.add(reg_name)
    return 1


def registered():
    """Whether a custom operator written in Perl may run: engine calls must then let the Perl thread serve."""
    return bool(_perl_operators)


_custom = forward(mx.nd.Custom)


def Custom(*args, **kwargs):
    """nd->Custom(..., op_type => NAME): a Perl operator's call waits for its forward, the Perl thread serving it
    (mxnet's recording and training state, which is the calling thread's own, goes with it)."""
    if kwargs.get("op_type") not in _perl_operators:
        return _custom(*args, **kwargs)
    recording, training = mx.autograd.is_recording(), mx.autograd.is_training()

    def call():
        with mx.autograd._RecordingStateScope(recording, training):
            return _custom(*args, **kwargs)
    return callbacks.serve(call)


FUNCTIONS = {"register": register}
