"""Devices: the current default context (AI::MXNet's AI::MXNet::Context->current_ctx / set_current) and the
check that makes a GPU context fail with one clear line on a machine or build without a GPU."""
import mxnet as mx

_GPUS = mx.context.num_gpus()  # 0 for the CPU-only pip wheel; asked once, at load


class NoGPU(RuntimeError):
    """A GPU context used where there is no GPU."""


def device(device_type, device_id=0):
    """The mxnet Context for a device; a GPU that is not there raises NoGPU (mxnet would print a log line and
    fail later with "Operator ... is not implemented for GPU")."""
    if device_type == "gpu" and int(device_id) >= _GPUS:
        raise NoGPU("gpu(%d) is not available: this mxnet has %s (mxnet %s, pip wheel)" % (
            int(device_id), "%d GPU(s)" % _GPUS if _GPUS else "no GPU support", mx.__version__))
    return mx.Context(device_type, int(device_id))


def current_context():
    """The default context of new arrays (cpu(0) unless set_current changed it)."""
    return mx.context.current_context()


def set_current(ctx):
    """Make ctx the default context of new arrays, in Perl and Python alike (mxnet's own default). Anything
    but a Context is refused (set, a string made every later array creation fail)."""
    if not isinstance(ctx, mx.Context):
        raise TypeError("set_current takes a context (mx->cpu(0), mx->gpu(1)), not %r" % (ctx,))
    mx.Context._default_ctx.value = ctx
    return ctx


def num_gpus():
    return _GPUS


FUNCTIONS = {"current_context": current_context, "current_ctx": current_context, "set_current": set_current,
             "num_gpus": num_gpus, "device": device}
