"""AI::MXNet::Random: seeding, plus every sampling operator of mxnet's nd.random (uniform, normal, ...), with
mxnet's argument order (low, high, shape, ...), which is AI::MXNet's."""
import mxnet as mx

from ..arrays.ndarray import unwrap, wrap


def seed(seed_state, ctx="all"):
    """Seed mxnet's generators (all devices by default), as mx->random->seed(N) does."""
    if isinstance(ctx, str) and ctx != "all":
        raise ValueError("ctx argument could be either string 'all' or AI::MXNet::Context")
    mx.random.seed(int(seed_state), ctx=ctx)


def randn(*shape, loc=0, scale=1, dtype=None, ctx=None, out=None, **kwargs):
    """Normal samples: randn(2, 3, loc => 5) as in mxnet, or with the shape as a keyword (randn(shape => [2, 3]),
    as AI::MXNet's tests write it)."""
    if "shape" in kwargs:
        shape = kwargs.pop("shape")
    if len(shape) == 1 and isinstance(shape[0], (list, tuple)):
        shape = shape[0]
    shape = (shape,) if isinstance(shape, int) else tuple(shape)
    options = {"dtype": dtype} if dtype is not None else {}
    return wrap(mx.nd.random.randn(*shape, loc=unwrap(loc), scale=unwrap(scale), ctx=ctx, out=unwrap(out),
                                   **options, **kwargs))


FUNCTIONS = {"seed": seed, "randn": randn}
