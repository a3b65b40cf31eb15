"""Devices: the current default context (AI::MXNet's AI::MXNet::Context->current_ctx / set_current) and the
check that makes a GPU context fail with one clear line on a machine or build without a GPU."""
import glob
import os

import mxnet as mx

CUDA = mx.runtime.Features().is_enabled("CUDA")  # a CUDA build of mxnet (mxnet-cu117, ...), not the CPU one


def _count_gpus():
    """How many GPUs mxnet sees (asked once, at load), and why none when a CUDA build sees none."""
    try:
        return mx.context.num_gpus(), None
    except mx.base.MXNetError as exc:  # a CUDA build without the NVIDIA driver or a device
        lines = str(exc).strip().splitlines()
        return 0, lines[-1] if lines else type(exc).__name__


_GPUS, _NO_GPU_WHY = _count_gpus()


class NoGPU(RuntimeError):
    """A GPU context used where there is no GPU."""


def device(device_type, device_id=0):
    """The mxnet Context for a device; a GPU that is not there raises NoGPU (mxnet would print a log line and
    fail later with "Operator ... is not implemented for GPU")."""
    if device_type == "gpu" and int(device_id) >= _GPUS:
        if not CUDA:
            raise NoGPU("gpu(%d) is not available: this mxnet has no GPU support (mxnet %s, pip wheel)" % (
                int(device_id), mx.__version__))
        raise NoGPU("gpu(%d) is not available: this mxnet (%s) sees %s" % (
            int(device_id), build(), "%d GPU(s)" % _GPUS if _GPUS else "no GPU (%s)" % _NO_GPU_WHY))
    return mx.Context(device_type, int(device_id))


def current_context():
    """The default context of new arrays (cpu(0) unless set_current changed it)."""
    return mx.context.current_context()


def set_current(ctx):
    """Make ctx the default context of new arrays, in Perl and Python alike (mxnet's own default)."""
    mx.Context._default_ctx.value = ctx
    return ctx


def num_gpus():
    return _GPUS


def build():
    """Which pip build of mxnet this is: its distribution's name (mxnet, mxnet-cu117, ...), from the dist-info
    beside the package (a glob: cheaper than a scan of every installed distribution)."""
    suffix = "-%s.dist-info" % mx.__version__
    found = glob.glob(os.path.join(os.path.dirname(mx.__path__[0]), "mxnet*" + suffix))
    return os.path.basename(found[0])[:-len(suffix)].replace("_", "-") if found else "mxnet"


def report():
    """The devices part of the configuration line: the build, and with CUDA the GPUs seen and their compute
    capability (what a CUDA build can run on: its kernels are built for some capabilities only)."""
    if not CUDA:
        return "%s, CPU build" % build()
    if not _GPUS:
        return "%s, CUDA build, no GPU seen (%s)" % (build(), _NO_GPU_WHY)
    gpus = []
    for i in range(_GPUS):
        try:
            capability = mx.util.get_cuda_compute_capability(mx.gpu(i))
            total = mx.util.get_gpu_memory(i)[1]
            gpus.append("gpu(%d) sm_%d %.0f GiB" % (i, capability, total / 2**30))
        except (OSError, RuntimeError, mx.base.MXNetError) as exc:
            gpus.append("gpu(%d) (%s)" % (i, str(exc).strip().splitlines()[-1]))
    return "%s, CUDA build, %d GPU%s: %s" % (build(), _GPUS, "" if _GPUS == 1 else "s", "; ".join(gpus))


FUNCTIONS = {"current_context": current_context, "current_ctx": current_context, "set_current": set_current,
             "num_gpus": num_gpus, "device": device}
