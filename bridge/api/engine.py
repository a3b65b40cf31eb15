"""AI::MXNet's mx->engine: mxnet's bulk execution around a Perl sub (`mx->engine->bulk(10, sub {...})`); a
Python user gets mxnet's own scope (`with mx.engine.bulk(10):`)."""
import mxnet as mx

from .autograd import _scope


def bulk(size, fn=None):
    """Run fn (or the with-block) with mxnet's engine bundling up to `size` operators into one push."""
    return _scope(mx.engine.bulk(size), fn)


FUNCTIONS = {"bulk": bulk}
