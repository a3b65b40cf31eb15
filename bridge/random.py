"""AI::MXNet::Random: seeding, plus every sampling operator of mxnet's nd.random (uniform, normal, ...)."""
import mxnet as mx


def seed(seed_state, ctx="all"):
    """Seed mxnet's generators (all devices by default), as mx->random->seed(N) does."""
    if isinstance(ctx, str) and ctx != "all":
        raise ValueError("ctx argument could be either string 'all' or AI::MXNet::Context")
    mx.random.seed(int(seed_state), ctx=ctx)
