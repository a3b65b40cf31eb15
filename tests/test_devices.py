"""Data and training on a device other than the default cpu(0), through the Python mirror: cpu(1) always,
gpu(0) when mxnet sees a GPU (mxnet's CUDA build on a machine with one: `make setup MXNET=mxnet-cu117`; skipped
otherwise, with the reason). Each result is compared with the same work on cpu(0). On a GPU the arrays live in
device memory, where bridge/arrays/transfer.py must take mxnet's own copies instead of the one-copy host path; the
Perl side is perl_shim/t/40-devices.t."""
import types

import mxnet
import numpy as np
import pytest

import bridge
from bridge import gluon, mx, nd, nn
from bridge.arrays import context as devices
GPUS = devices.num_gpus()
DEVICES = [pytest.param(mx.cpu(1), id="cpu1"),
           pytest.param(mx.gpu(0), id="gpu0", marks=[pytest.mark.gpu, pytest.mark.skipif(
               GPUS == 0, reason="no GPU: mxnet sees none (the CPU build, or no device)")])]


def gluon_steps(ctx):
    """A Dense net trained 3 SGD steps on fixed data, on ctx: its parameters afterwards, flat."""
    net = nn.Sequential()
    with net.name_scope():
        net.add(nn.Dense(4, activation="relu", in_units=3), nn.Dense(2, in_units=4))
    net.initialize(init=mx.init.Constant(0.1), ctx=[ctx])
    trainer = gluon.Trainer(net.collect_params(), "sgd", {"learning_rate": 0.5})
    loss_fn = gluon.loss.SoftmaxCrossEntropyLoss()
    x = nd.array([[1, 2, 3], [-1, 0, 2], [0.5, -2, 1]]).as_in_context(ctx)
    y = nd.array([0, 1, 1], ctx=ctx)
    for _ in range(3):
        with mx.autograd.record():
            loss = loss_fn(net(x), y)
        loss.backward()
        trainer.step(3)
    return np.concatenate([p.data(ctx).asnumpy().ravel() for p in net.collect_params().values()])


def module_fit(ctx):
    """A symbolic MLP fitted 2 epochs with Module on ctx: its parameters afterwards, flat."""
    fc = mx.sym.FullyConnected(mx.sym.Variable("data"), num_hidden=4, name="fc1")
    net = mx.sym.SoftmaxOutput(fc, name="softmax")
    x = nd.array([[((i + j) * 7 % 11) / 11 for j in range(3)] for i in range(20)])
    y = nd.array([i % 4 for i in range(20)])
    mod = mx.mod.Module(symbol=net, context=[ctx])
    mod.fit(mx.io.NDArrayIter(data=x, label=y, batch_size=5), num_epoch=2, initializer=mx.init.Constant(0.05),
            optimizer_params={"learning_rate": 0.1})
    args, _ = mod.get_params()
    return np.concatenate([args[k].asnumpy().ravel() for k in sorted(args)])


@pytest.fixture(scope="module")
def on_cpu():
    result = {"gluon": gluon_steps(mx.cpu(0)), "module": module_fit(mx.cpu(0))}
    # (what the devices are compared with: every parameter, moved by the training from its constant start)
    assert result["gluon"].size == 3 * 4 + 4 + 4 * 2 + 2 and (abs(result["gluon"] - 0.1) > 1e-3).sum() > 10
    assert result["module"].size == 4 + 3 * 4 and (abs(result["module"] - 0.05) > 1e-3).sum() > 10
    return result


@pytest.mark.parametrize("ctx", DEVICES)
def test_arrays_to_and_from_the_device(ctx):
    x = nd.array([[1, 2, 3], [4, 5, 6]], ctx=ctx)
    assert x.context == ctx
    assert str(x.aspdl()) == "\n[\n [1 2 3]\n [4 5 6]\n]\n"
    from_numpy = nd.array(np.arange(6, dtype=np.float64).reshape(2, 3) / 4, ctx=ctx)
    assert from_numpy.dtype == "float32" and from_numpy.asnumpy().tolist() == [[0, 0.25, 0.5], [0.75, 1, 1.25]]
    host = nd.array([[7, 8], [9, 10]])
    there = host.as_in_context(ctx)
    assert there.context == ctx and there.asnumpy().tolist() == [[7, 8], [9, 10]]
    assert there.as_in_context(mx.cpu(0)).context == mx.cpu(0)
    assert host.copyto(ctx).context == ctx
    target = nd.zeros((2, 2), ctx=ctx)
    host.copyto(target)
    assert target.asnumpy().tolist() == [[7, 8], [9, 10]]


@pytest.mark.parametrize("ctx", DEVICES)
def test_the_tutorials_gradient_on_the_device(ctx):
    x = nd.array([[1, 2], [3, 4]], ctx=ctx)
    x.attach_grad()
    with mx.autograd.record():
        y = (2 * x * x).sum()
    y.backward()
    assert x.grad.context == ctx and str(x.grad.aspdl()) == "\n[\n [ 4  8]\n [12 16]\n]\n"


@pytest.mark.parametrize("ctx", DEVICES)
def test_gluon_module_and_kvstore_give_cpu0s_numbers(ctx, on_cpu):
    parts = gluon.utils.split_and_load(nd.arange(stop=8).reshape((4, 2)), [mx.cpu(0), ctx])
    assert [p.context for p in parts] == [mx.cpu(0), ctx]
    assert np.concatenate([p.asnumpy().ravel() for p in parts]).tolist() == list(range(8))
    np.testing.assert_allclose(gluon_steps(ctx), on_cpu["gluon"], rtol=1e-4, atol=1e-6)
    np.testing.assert_allclose(module_fit(ctx), on_cpu["module"], rtol=1e-4, atol=1e-6)
    kv = mx.kv.create("device")
    kv.init(3, nd.zeros((2, 3)))
    kv.push(3, [nd.ones((2, 3)), nd.ones((2, 3), ctx=ctx) * 2])
    out = nd.zeros((2, 3), ctx=ctx)
    kv.pull(3, out=out)
    assert out.asnumpy().tolist() == [[3] * 3] * 2


@pytest.mark.skipif(devices.CUDA, reason="this mxnet is a CUDA build")
def test_the_configuration_line_names_the_cpu_build():
    import bridge.perl.entry
    assert devices.build() == "mxnet" and devices.report() == "mxnet, CPU build"
    assert "mxnet 1.9.1 (mxnet, CPU build)" in bridge.perl.entry.config_line()


@pytest.fixture
def cuda_build(monkeypatch, tmp_path):
    """bridge.arrays.context as it is with mxnet-cu117 installed: the dist-info's name, CUDA among the features."""
    package = tmp_path / "mxnet"
    package.mkdir()
    (tmp_path / "mxnet_cu117-1.9.1.dist-info").mkdir()
    fake = types.SimpleNamespace(__path__=[str(package)], __version__="1.9.1", base=mxnet.base,
                                 util=types.SimpleNamespace(), gpu=lambda i: ("gpu", i))
    monkeypatch.setattr(devices, "mx", fake)
    monkeypatch.setattr(devices, "CUDA", True)
    return fake


def test_a_cuda_build_reports_its_gpus_and_their_compute_capability(cuda_build, monkeypatch):
    cuda_build.util.get_cuda_compute_capability = lambda ctx: {0: 90, 1: 86}[ctx[1]]
    cuda_build.util.get_gpu_memory = lambda i: (0, 141 * 2**30)
    monkeypatch.setattr(devices, "_GPUS", 2)
    assert devices.build() == "mxnet-cu117"
    assert devices.report() == "mxnet-cu117, CUDA build, 2 GPUs: gpu(0) sm_90 141 GiB; gpu(1) sm_86 141 GiB"


def test_a_cuda_build_without_a_gpu_says_why_in_one_line(cuda_build, monkeypatch):
    monkeypatch.setattr(devices, "_GPUS", 0)
    monkeypatch.setattr(devices, "_NO_GPU_WHY", "CUDA: no CUDA-capable device is detected")
    assert devices.report() == "mxnet-cu117, CUDA build, no GPU seen (CUDA: no CUDA-capable device is detected)"
    with pytest.raises(devices.NoGPU, match=r"^gpu\(0\) is not available: this mxnet \(mxnet-cu117\) sees no GPU "
                                            r"\(CUDA: no CUDA-capable device is detected\)$"):
        devices.device("gpu", 0)


def test_gpus_that_mxnet_cannot_count_are_none_with_the_reason(monkeypatch):
    def fail():
        raise mxnet.base.MXNetError("Traceback ...\nCUDA: CUDA driver version is insufficient for CUDA runtime version")
    monkeypatch.setattr(devices.mx.context, "num_gpus", fail)
    assert devices._count_gpus() == (0, "CUDA: CUDA driver version is insufficient for CUDA runtime version")
