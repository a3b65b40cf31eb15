"""Gluon through the bridge: the Python mirror (layers, printing, Blocks and HybridBlocks written in Python,
indexing, collect_params, Xavier, a Trainer step against SGD by hand, save/load, DataLoader, FashionMNIST from
generated idx files, errors), and across the languages: parameter files saved by Perl load in plain Python
mxnet and the other way round, and the same seeded training run gives the same loss curve in Perl and Python."""
import gzip
import pathlib
import struct
import subprocess
import sys

import mxnet
import numpy as np
import pytest

from bridge import autograd, gluon, mx, nd
from bridge.arrays.ndarray import NDArray

nn = gluon.nn
ROOT = pathlib.Path(__file__).resolve().parent.parent
MAKE_DATA = ROOT / "scripts" / "make_idx_data.py"


def run_perl(code, *args, timeout=300):
    return subprocess.run(["perl", "-Iperl_shim/lib", "-e", code, "--", *map(str, args)], cwd=ROOT,
                          capture_output=True, text=True, timeout=timeout)


def vals(x):
    return x.asnumpy().ravel().tolist()


def make_data(root, train, test):
    subprocess.run([sys.executable, str(MAKE_DATA), "--quiet", "--train", str(train), "--test", str(test),
                    str(root)], check=True)


def read_idx(path):
    """(magic, dims, numbers) of a gzip idx file, read without mxnet."""
    raw = gzip.open(path, "rb").read()
    magic, = struct.unpack(">I", raw[:4])
    ndim = 3 if magic == 2051 else 1
    dims = struct.unpack(">%dI" % ndim, raw[4:4 + 4 * ndim])
    return magic, list(dims), np.frombuffer(raw[4 + 4 * ndim:], dtype=np.uint8)


# The crash course's MixMLP, and a HybridBlock that records the F it is called with.
class MixMLP(gluon.Block):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        with self.name_scope():
            self.blk = nn.Sequential()
            with self.blk.name_scope():
                self.blk.add(nn.Dense(3, in_units=2, activation='relu'))
                self.blk.add(nn.Dense(4, in_units=3, activation='relu'))
            self.dense = nn.Dense(5, in_units=4)

    def forward(self, x):
        return self.dense(nd.relu(self.blk(x)))


class ScaledRelu(gluon.HybridBlock):
    F_SEEN = []

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        with self.name_scope():
            self.dense = nn.Dense(3, in_units=2, weight_initializer='ones')

    def hybrid_forward(self, F, x):
        ScaledRelu.F_SEEN.append(F)
        return F.relu(self.dense(x)) * 2


# -- the Python mirror -----------------------------------------------------------------------------------
def test_layers_and_their_printing():
    dense = nn.Dense(2)
    assert repr(dense) == "Dense(None -> 2, linear)"
    assert repr(nn.Dense(120, in_units=84, activation='relu')) == "Dense(84 -> 120, Activation(relu))"
    assert repr(nn.Conv2D(channels=6, kernel_size=5, activation='relu')) == \
        "Conv2D(None -> 6, kernel_size=(5, 5), stride=(1, 1), Activation(relu))"
    net = nn.Sequential()
    with net.name_scope():
        net.add(nn.Dense(3), nn.Dense(1))
    assert repr(net) == "Sequential(\n  (0): Dense(None -> 3, linear)\n  (1): Dense(None -> 1, linear)\n)"
    dense.initialize()
    x = nd.array([[1, 2, 3], [4, 5, 6]])
    y = dense(x)
    assert type(y) is NDArray and y.shape == (2, 2)
    assert dense.weight.data().shape == (2, 3) and repr(dense) == "Dense(3 -> 2, linear)"
    w, b = dense.weight.data().asnumpy(), dense.bias.data().asnumpy()
    assert b.tolist() == [0, 0]
    np.testing.assert_allclose(y.asnumpy(), x.asnumpy() @ w.T, rtol=1e-6)


def test_lenet_shapes_indexing_collect_params():
    net = nn.Sequential()
    with net.name_scope():
        net.add(nn.Conv2D(channels=6, kernel_size=5, activation='relu'),
                nn.MaxPool2D(pool_size=2, strides=2),
                nn.Conv2D(channels=16, kernel_size=3, activation='relu'),
                nn.MaxPool2D(pool_size=2, strides=2),
                nn.Flatten(),
                nn.Dense(120, activation='relu'),
                nn.Dense(84, activation='relu'),
                nn.Dense(10))
    net.initialize()
    assert net(nd.random.uniform(shape=(4, 1, 28, 28))).shape == (4, 10)
    assert len(net) == 8
    assert net[0].weight.data().shape == (6, 1, 5, 5)
    assert net[5].weight.data().shape == (120, 16 * 5 * 5)     # 28 -5-> 24 -/2-> 12 -3-> 10 -/2-> 5
    assert net[5].bias.data().shape == (120,)
    assert type(net[5].bias.data()) is NDArray
    params = net.collect_params()
    prefix = net.prefix
    want = [prefix + layer + "_" + p for layer in ("conv0", "conv1", "dense0", "dense1", "dense2")
            for p in ("weight", "bias")]
    assert list(params) == want and list(params.keys()) == want
    assert params.get("conv0_weight") == net[0].weight


def test_initialize_with_xavier():
    dense = nn.Dense(100, in_units=50)
    dense.initialize(init=mx.init.Xavier())
    w = dense.weight.data().asnumpy()
    assert np.abs(w).max() <= 0.2 + 1e-7 and np.abs(w).max() > 0.19   # sqrt(3 / ((50 + 100) / 2))
    assert abs(w.mean()) < 0.01
    assert set(dense.bias.data().asnumpy().tolist()) == {0}


def test_a_block_written_in_python():
    net = MixMLP(prefix="mix_")
    assert repr(net) == ("MixMLP(\n  (blk): Sequential(\n    (0): Dense(2 -> 3, Activation(relu))\n"
                         "    (1): Dense(3 -> 4, Activation(relu))\n  )\n  (dense): Dense(4 -> 5, linear)\n)")
    assert list(net.collect_params()) == [
        "mix_sequential0_dense0_weight", "mix_sequential0_dense0_bias", "mix_sequential0_dense1_weight",
        "mix_sequential0_dense1_bias", "mix_dense0_weight", "mix_dense0_bias"]
    net.initialize()
    x = nd.array([[0.5, -1], [2, 1]])
    y = net(x)
    assert type(y) is NDArray and y.shape == (2, 5)
    h = x.asnumpy()
    for layer in list(net.blk) + [net.dense]:
        h = h @ layer.weight.data().asnumpy().T + layer.bias.data().asnumpy()
        if layer is not net.dense:
            h = np.maximum(h, 0)
    np.testing.assert_allclose(y.asnumpy(), h, rtol=1e-5, atol=1e-7)

    trainer = gluon.Trainer(net.collect_params(), 'sgd', {'learning_rate': 0.5})
    before = net.dense.weight.data().asnumpy().copy()
    with autograd.record():
        loss = net(x).sum()
    loss.backward()
    grad = net.dense.weight.grad().asnumpy().copy()
    assert np.abs(grad).max() > 0
    trainer.step(2)
    np.testing.assert_allclose(net.dense.weight.data().asnumpy(), before - 0.5 * grad / 2, rtol=1e-6)


def test_initialize_a_python_block_with_an_initializer():
    net = MixMLP()
    net.initialize(init=mx.init.Xavier())
    assert net(nd.ones((1, 2))).shape == (1, 5)


def test_the_parameters_of_a_python_block_give_mirror_arrays():
    net = MixMLP()
    net.initialize()
    param = net.collect_params().get("dense0_weight")
    assert type(param.data()) is NDArray


def test_a_hybrid_block_written_in_python_hybridized():
    net = ScaledRelu(prefix="sr_")
    net.initialize()
    x = nd.array([[1, -2], [3, 4]])
    ScaledRelu.F_SEEN.clear()
    assert vals(net(x)) == [0, 0, 0, 14, 14, 14]       # row sums -1, 7; relu; * 2
    assert ScaledRelu.F_SEEN == [nd]
    net.hybridize()
    ScaledRelu.F_SEEN.clear()
    assert vals(net(x)) == [0, 0, 0, 14, 14, 14]
    assert vals(net(x * 2)) == [0, 0, 0, 28, 28, 28]
    assert ScaledRelu.F_SEEN == [mx.sym]                # traced once, then the cached graph
    x.attach_grad()
    with autograd.record():
        out = net(x).sum()
    out.backward()
    assert vals(net.dense.weight.grad()) == [6, 8, 6, 8, 6, 8]
    assert vals(x.grad) == [0, 0, 6, 6]


def test_a_trainer_step_is_sgd():
    net = nn.Dense(1, in_units=2)
    net.initialize(init=mx.init.One())
    trainer = gluon.Trainer(net.collect_params(), 'sgd', {'learning_rate': 0.1})
    x, y = nd.array([[1, 2], [3, 4]]), nd.array([[1], [2]])
    with autograd.record():
        loss = gluon.loss.L2Loss()(net(x), y)
    assert vals(loss) == [2, 12.5]                      # predictions 3, 7; errors 2, 5; err^2 / 2
    loss.backward()
    assert vals(net.weight.grad()) == [17, 24]          # 2 (1, 2) + 5 (3, 4)
    assert vals(net.bias.grad()) == [7]
    trainer.step(2)
    np.testing.assert_allclose(vals(net.weight.data()), [1 - 0.1 * 17 / 2, 1 - 0.1 * 24 / 2], rtol=1e-6)
    np.testing.assert_allclose(vals(net.bias.data()), [-0.1 * 7 / 2], rtol=1e-6)


def test_save_and_load_parameters(tmp_path):
    net = MixMLP()
    net.initialize()
    x = nd.array([[0.3, -0.7], [1.5, 0.2], [-1, -1]])
    want = vals(net(x))
    net.save_parameters(str(tmp_path / "mix.params"))
    other = MixMLP()
    other.initialize()
    assert vals(other(x)) != want
    other.load_parameters(str(tmp_path / "mix.params"))
    assert vals(other(x)) == want
    wrong = nn.Sequential()
    wrong.add(nn.Dense(3, in_units=2))
    with pytest.raises(Exception):
        wrong.load_parameters(str(tmp_path / "mix.params"))


def test_dataloader():
    ds = gluon.data.ArrayDataset(nd.arange(stop=20).reshape((10, 2)), nd.arange(stop=10))
    assert len(ds) == 10
    xi, yi = ds[3]
    assert vals(xi) == [6, 7] and yi == 3
    loader = gluon.data.DataLoader(ds, batch_size=4, shuffle=False)
    batches = [(vals(d), vals(l)) for d, l in loader]
    assert [l for _, l in batches] == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]
    assert all(d == [v for k in l for v in (2 * k, 2 * k + 1)] for d, l in batches)
    assert len(loader) == 3
    shuffled = next(iter(gluon.data.DataLoader(ds, batch_size=10, shuffle=True)))
    assert sorted(vals(shuffled[1])) == list(range(10))


def test_fashion_mnist_from_generated_files(tmp_path):
    make_data(tmp_path, 60, 20)
    magic, dims, labels = read_idx(tmp_path / "t10k-labels-idx1-ubyte.gz")
    assert (magic, dims) == (2049, [20])
    magic, dims, pixels = read_idx(tmp_path / "t10k-images-idx3-ubyte.gz")
    assert (magic, dims) == (2051, [20, 28, 28])
    assert sorted(set(labels.tolist())) == list(range(10))
    raw = gluon.data.vision.FashionMNIST(root=str(tmp_path), train=False)
    assert len(raw) == 20 and len(gluon.data.vision.FashionMNIST(root=str(tmp_path), train=True)) == 60
    image, label = raw[7]
    assert image.shape == (28, 28, 1) and image.dtype == 'uint8'   # the mirror's dtype is a name, as AI::MXNet's
    assert vals(image) == pixels[7 * 784:8 * 784].tolist() and label == labels[7]
    calls = []

    def transform(data, label):
        calls.append(label)
        return data.astype('float32') / 255, label + 100
    ds = gluon.data.vision.FashionMNIST(root=str(tmp_path), train=False, transform=transform)
    timage, tlabel = ds[7]
    assert type(timage) is NDArray and timage.dtype == 'float32'
    np.testing.assert_allclose(vals(timage), pixels[7 * 784:8 * 784] / 255, rtol=1e-6)
    assert tlabel == labels[7] + 100 and len(calls) == 1
    loader = gluon.data.DataLoader(ds, batch_size=8, shuffle=False)
    assert [d.shape[0] for d, _ in loader] == [8, 8, 4]
    assert vals(next(iter(loader))[1]) == (labels[:8] + 100).tolist()


def test_the_data_is_learnable_and_deterministic(tmp_path):
    make_data(tmp_path / "a", 200, 50)
    make_data(tmp_path / "b", 200, 50)
    for name in ("train-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    # the class is where the bright patch is: the brightest 6x6 window's place tells it for every image
    _, _, pixels = read_idx(tmp_path / "a" / "train-images-idx3-ubyte.gz")
    _, _, labels = read_idx(tmp_path / "a" / "train-labels-idx1-ubyte.gz")
    images = pixels.reshape(-1, 28, 28).astype(np.int64)
    windows = np.lib.stride_tricks.sliding_window_view(images, (6, 6), axis=(1, 2)).sum(axis=(3, 4))
    centres = [divmod(int(np.argmax(w)), windows.shape[2]) for w in windows]
    for (top, left), k in zip(centres, labels):
        row, col = divmod(int(k), 4)
        assert abs(top - (2 + row * 8)) <= 1 and abs(left - (1 + col * 7)) <= 1


def test_errors_are_one_line_and_the_process_goes_on(tmp_path):
    with pytest.raises(FileNotFoundError) as info:
        gluon.data.vision.FashionMNIST(root=str(tmp_path), train=False)
    text = str(info.value)
    assert "\n" not in text and "t10k-images-idx3-ubyte.gz" in text and str(tmp_path) in text
    make_data(tmp_path, 10, 10)
    (tmp_path / "train-labels-idx1-ubyte.gz").unlink()
    with pytest.raises(FileNotFoundError, match="train-labels-idx1-ubyte.gz"):
        gluon.data.vision.MNIST(root=str(tmp_path), train=True)
    dense = nn.Dense(3, in_units=2)
    dense.initialize()
    with pytest.raises(mxnet.base.MXNetError, match="[Ss]hape"):
        dense(nd.ones((4, 5)))
    assert dense(nd.ones((4, 2))).shape == (4, 3)
    assert len(gluon.data.vision.FashionMNIST(root=str(tmp_path), train=False)) == 10


# -- across the languages ----------------------------------------------------------------------------------
PERL_HEAD = r"""
use strict; use warnings;
use AI::MXNet qw(mx);
use AI::MXNet::Gluon qw(gluon);
use AI::MXNet::Gluon::NN qw(nn);
package MixMLP;
use AI::MXNet::Gluon::Mouse;
use AI::MXNet::Function::Parameters;
extends 'AI::MXNet::Gluon::Block';
sub BUILD {
    my $self = shift;
    $self->name_scope(sub {
        $self->blk(nn->Sequential);
        $self->blk->name_scope(sub {
            $self->blk->add(nn->Dense(3, in_units => 2, activation => 'relu'));
            $self->blk->add(nn->Dense(4, in_units => 3, activation => 'relu'));
        });
        $self->dense(nn->Dense(5, in_units => 4));
    });
}
method forward($x) { $self->dense->(nd->relu($self->blk->($x))) }
package main;
my $x = nd->array([[0.3, -0.7], [1.5, 0.2], [-1, -1], [2, -3]]);
sub show { print join(' ', map { sprintf '%.9g', $_ } $_[0]->aspdl->list), "\n" }
"""
X = [[0.3, -0.7], [1.5, 0.2], [-1, -1], [2, -3]]


class PlainMixMLP(mxnet.gluon.Block):
    """MixMLP in plain Python mxnet (no bridge), with the same structure and attribute names."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        with self.name_scope():
            self.blk = mxnet.gluon.nn.Sequential()
            with self.blk.name_scope():
                self.blk.add(mxnet.gluon.nn.Dense(3, in_units=2, activation='relu'))
                self.blk.add(mxnet.gluon.nn.Dense(4, in_units=3, activation='relu'))
            self.dense = mxnet.gluon.nn.Dense(5, in_units=4)

    def forward(self, x):
        return self.dense(mxnet.nd.relu(self.blk(x)))


def plain_sequential():
    net = mxnet.gluon.nn.Sequential()
    net.add(mxnet.gluon.nn.Dense(8, in_units=2, activation='tanh'), mxnet.gluon.nn.Dense(3, in_units=8))
    return net


def numbers(line):
    return np.array(line.split(), dtype=np.float64)


def test_parameters_saved_by_perl_load_in_plain_python_mxnet(tmp_path):
    proc = run_perl(PERL_HEAD + r"""
my ($dir) = @ARGV;
mx->random->seed(7);
my $mix = MixMLP->new;
$mix->initialize(init => mx->init->Xavier);
$mix->save_parameters("$dir/mix.params");
show($mix->($x));
my $seq = nn->Sequential;
$seq->add(nn->Dense(8, in_units => 2, activation => 'tanh'), nn->Dense(3, in_units => 8));
$seq->initialize(init => mx->init->Xavier);
$seq->save_parameters("$dir/seq.params");
show($seq->($x));
""", tmp_path)
    assert proc.returncode == 0, proc.stderr
    perl_mix, perl_seq = map(numbers, proc.stdout.splitlines())
    x = mxnet.nd.array(X)
    mix = PlainMixMLP()
    mix.load_parameters(str(tmp_path / "mix.params"))
    seq = plain_sequential()
    seq.load_parameters(str(tmp_path / "seq.params"))
    np.testing.assert_allclose(mix(x).asnumpy().ravel(), perl_mix, rtol=1e-6, atol=1e-7)
    np.testing.assert_allclose(seq(x).asnumpy().ravel(), perl_seq, rtol=1e-6, atol=1e-7)
    assert np.abs(perl_mix).max() > 0 and np.abs(perl_seq).max() > 0


def test_parameters_saved_by_plain_python_mxnet_load_in_perl(tmp_path):
    x = mxnet.nd.array(X)
    mxnet.random.seed(11)
    mix = PlainMixMLP()
    mix.initialize(init=mxnet.init.Xavier())
    mix.save_parameters(str(tmp_path / "mix.params"))
    seq = plain_sequential()
    seq.initialize(init=mxnet.init.Xavier())
    seq.save_parameters(str(tmp_path / "seq.params"))
    proc = run_perl(PERL_HEAD + r"""
my ($dir) = @ARGV;
my $mix = MixMLP->new;
$mix->load_parameters("$dir/mix.params");
show($mix->($x));
my $seq = nn->Sequential;
$seq->add(nn->Dense(8, in_units => 2, activation => 'tanh'), nn->Dense(3, in_units => 8));
$seq->load_parameters("$dir/seq.params");
show($seq->($x));
""", tmp_path)
    assert proc.returncode == 0, proc.stderr
    perl_mix, perl_seq = map(numbers, proc.stdout.splitlines())
    np.testing.assert_allclose(perl_mix, mix(x).asnumpy().ravel(), rtol=1e-6, atol=1e-7)
    np.testing.assert_allclose(perl_seq, seq(x).asnumpy().ravel(), rtol=1e-6, atol=1e-7)


# An MLP on two classes (the sign of x0 * x1, which a linear model cannot learn), full batch, 200 SGD steps.
PERL_TRAINING = r"""
use strict; use warnings;
use AI::MXNet qw(mx);
use AI::MXNet::Gluon qw(gluon);
use AI::MXNet::Gluon::NN qw(nn);
mx->random->seed(42);
my $X = nd->random->normal(shape => [64, 2]);
my $y = nd->prod($X, axis => 1) > 0;
my $net = nn->Sequential;
$net->name_scope(sub { $net->add(nn->Dense(16, activation => 'relu'), nn->Dense(2)) });
$net->initialize(init => mx->init->Xavier);
my $trainer = gluon->Trainer($net->collect_params, 'sgd', {learning_rate => 0.5});
my $loss_fn = gluon->loss->SoftmaxCrossEntropyLoss;
for my $step (1 .. 200) {
    my $loss;
    mx->autograd->record(sub { $loss = $loss_fn->($net->($X), $y) });
    $loss->backward;
    $trainer->step(64);
    printf "%.9g\n", $loss->mean->asscalar;
}
my $acc = mx->metric->Accuracy;
$acc->update([$y], [$net->($X)]);
printf "accuracy %.9g\n", ($acc->get)[1];
"""


def python_training():
    mxnet.random.seed(42)
    X = mxnet.nd.random.normal(shape=(64, 2))
    y = mxnet.nd.prod(X, axis=1) > 0
    net = mxnet.gluon.nn.Sequential()
    with net.name_scope():
        net.add(mxnet.gluon.nn.Dense(16, activation='relu'), mxnet.gluon.nn.Dense(2))
    net.initialize(init=mxnet.init.Xavier())
    trainer = mxnet.gluon.Trainer(net.collect_params(), 'sgd', {'learning_rate': 0.5})
    loss_fn = mxnet.gluon.loss.SoftmaxCrossEntropyLoss()
    losses = []
    for _ in range(200):
        with mxnet.autograd.record():
            loss = loss_fn(net(X), y)
        loss.backward()
        trainer.step(64)
        losses.append(loss.mean().asscalar())
    acc = mxnet.metric.Accuracy()
    acc.update([y], [net(X)])
    return np.array(losses, dtype=np.float64), acc.get()[1]


def test_the_same_training_run_in_perl_and_python():
    proc = run_perl(PERL_TRAINING)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert len(lines) == 201
    perl_losses = np.array(lines[:200], dtype=np.float64)
    perl_accuracy = float(lines[200].split()[1])
    losses, accuracy = python_training()
    np.testing.assert_allclose(perl_losses, losses, rtol=1e-5, atol=1e-7)
    assert perl_accuracy == accuracy
    # and it learned: the loss fell from about log 2 and the quadrants are mostly right
    assert abs(losses[0] - np.log(2)) < 0.2 and losses[-1] < 0.5 * losses[0]
    assert accuracy > 0.8
