"""mx->mod: Python mxnet's Module API, with AI::MXNet's two class-level spellings: mx->mod->Module without
arguments is the class (AI::MXNet::Module), and AI::MXNet::Module->load(...) loads a checkpoint."""
import mxnet as mx

from ..handles import objects


def Module(*args, **kwargs):  # noqa: N802 (AI::MXNet's name)
    """mx->mod->Module($symbol, ...): a new Module; without arguments, the class name, for its class methods
    (mx->mod->Module->load($prefix, $epoch, ...)), as AI::MXNet's returned it."""
    if not args and not kwargs:
        return objects.perl_classes(mx.mod.Module)[0]
    return mx.mod.Module(*args, **kwargs)


Module.__signature__ = objects._signature(mx.mod.Module)

FUNCTIONS = {"Module": Module, "load": mx.mod.Module.load}
