"""gluon.Trainer's direct update (bridge/api/trainer.py): the same weights as mxnet's own Trainer to the last bit
for SGD, SGD with momentum and Adam, with and without weight decay, clipping, schedulers and lr/wd multipliers,
over several steps; the direct path is really taken in those cases, and every other case (kvstore, several
contexts, float64, subclassed or custom optimizers) is mxnet's own code; stale gradients and the states
behave as mxnet's do."""
import pathlib
import subprocess

import mxnet
import numpy as np
import pytest

import bridge
from bridge.api.trainer import Trainer

STEPS = 4


def make_net(layers=2, dtype="float32", ctx=None):
    """An MLP on 20 inputs (layers Dense layers, 2 parameters each), its weights made by a first forward."""
    net = mxnet.gluon.nn.Sequential()
    for _ in range(layers - 1):
        net.add(mxnet.gluon.nn.Dense(16, activation="relu"))
    net.add(mxnet.gluon.nn.Dense(10))
    net.initialize(mxnet.init.Xavier(), ctx=ctx)
    net.cast(dtype)
    net(mxnet.nd.zeros((1, 20), dtype=dtype, ctx=(ctx or [mxnet.cpu()])[0]))
    return net


def twin_nets(**kwargs):
    """Two such nets with the same weights."""
    first, second = make_net(**kwargs), make_net(**kwargs)
    for a, b in zip(first.collect_params().values(), second.collect_params().values()):
        b.set_data(a.data())
    return first, second


def train(net, trainer, steps=STEPS, dtype="float32", ctx=None):
    loss_fn = mxnet.gluon.loss.SoftmaxCrossEntropyLoss()
    rng = np.random.RandomState(3)
    for _ in range(steps):
        x = rng.uniform(-1, 1, (8, 20)).astype(dtype)
        y = rng.randint(0, 10, 8).astype(dtype)
        contexts = ctx or [mxnet.cpu()]
        with mxnet.autograd.record():
            losses = [loss_fn(net(mxnet.nd.array(x, ctx=c, dtype=dtype)), mxnet.nd.array(y, ctx=c, dtype=dtype))
                      for c in contexts]
        mxnet.autograd.backward(losses)
        trainer.step(8)
    return [p.data(c).asnumpy() for p in net.collect_params().values() for c in (ctx or [mxnet.cpu()])]


@pytest.fixture
def mxnet_updates(monkeypatch):
    """The trainers whose update went through mxnet's own Trainer._update."""
    seen = []
    original = mxnet.gluon.Trainer._update

    def recording(self, ignore_stale_grad=False):
        seen.append(self)
        return original(self, ignore_stale_grad)
    monkeypatch.setattr(mxnet.gluon.Trainer, "_update", recording)
    return seen


def same_training(optimizer, params, mxnet_updates, direct=True, layers=2, dtype="float32", ctx=None,
                  make_optimizer=None):
    ours, theirs = twin_nets(layers=layers, dtype=dtype, ctx=ctx)
    if make_optimizer:
        optimizer, params = make_optimizer(), None
        other_optimizer = make_optimizer()
    else:
        other_optimizer = optimizer
    initial = ours[0].weight.data((ctx or [mxnet.cpu()])[0]).asnumpy()
    trainer = Trainer(ours.collect_params(), optimizer, params)
    reference = mxnet.gluon.Trainer(theirs.collect_params(), other_optimizer, dict(params) if params else None)
    got, want = train(ours, trainer, dtype=dtype, ctx=ctx), train(theirs, reference, dtype=dtype, ctx=ctx)
    assert (trainer in mxnet_updates) is not direct
    assert len(got) == len(want)
    for a, b in zip(got, want):
        assert a.dtype == b.dtype
        assert np.array_equal(a, b), "weights differ from mxnet's Trainer (max %g)" % np.abs(a - b).max()
    assert not np.array_equal(got[0], initial)  # (it did train)
    return trainer


@pytest.mark.parametrize("optimizer, params", [
    ("sgd", {"learning_rate": 0.1}),
    ("sgd", {"learning_rate": 0.1, "wd": 0.01}),
    ("sgd", {"learning_rate": 0.1, "momentum": 0.9}),
    ("sgd", {"learning_rate": 0.1, "momentum": 0.9, "wd": 0.01}),
    ("sgd", {"learning_rate": 0.5, "clip_gradient": 0.01}),
    ("sgd", {"learning_rate": 0.5, "clip_gradient": 0.01, "wd": 0.001}),
    ("sgd", {"learning_rate": 0.5, "clip_gradient": 0.01, "momentum": 0.5, "wd": 0.001}),
    ("sgd", {"learning_rate": 0.1, "rescale_grad": 0.5, "multi_precision": True}),
    ("adam", {"learning_rate": 0.01}),
    ("adam", {"learning_rate": 0.01, "wd": 0.01}),
    ("adam", {"learning_rate": 0.01, "clip_gradient": 0.001, "beta1": 0.8, "epsilon": 1e-6}),
])
def test_the_same_weights_as_mxnets_trainer_to_the_bit(optimizer, params, mxnet_updates):
    same_training(optimizer, params, mxnet_updates)


@pytest.mark.parametrize("optimizer", ["sgd", "adam"])
def test_schedulers_and_more_parameters_than_one_aggregated_update(optimizer, mxnet_updates):
    # 8 parameters: two of mxnet's aggregated chunks of 4, each counted as one update by the scheduler
    same_training(None, None, mxnet_updates, layers=4, make_optimizer=lambda: mxnet.optimizer.create(
        optimizer, learning_rate=0.1, momentum=0.9, wd=0.01,
        lr_scheduler=mxnet.lr_scheduler.FactorScheduler(step=2, factor=0.5))
        if optimizer == "sgd" else mxnet.optimizer.create(
            optimizer, learning_rate=0.01, lr_scheduler=mxnet.lr_scheduler.FactorScheduler(step=3, factor=0.5)))


def test_lr_and_wd_multipliers_are_the_optimizers(mxnet_updates):
    ours, theirs = twin_nets()
    for net in (ours, theirs):
        net[0].weight.lr_mult = 0.5
        net[1].bias.wd_mult = 0
    trainer = Trainer(ours.collect_params(), "sgd", {"learning_rate": 0.1, "wd": 0.1})
    reference = mxnet.gluon.Trainer(theirs.collect_params(), "sgd", {"learning_rate": 0.1, "wd": 0.1})
    for a, b in zip(train(ours, trainer), train(theirs, reference)):
        assert np.array_equal(a, b)
    assert trainer not in mxnet_updates


class Halving(mxnet.optimizer.SGD):
    """A subclass of SGD (as an optimizer written in Perl is): its own update must run."""

    def update_multi_precision(self, index, weight, grad, state):
        for w in weight if isinstance(weight, (list, tuple)) else [weight]:
            w[:] = w * 0.5


@pytest.mark.parametrize("case", ["kvstore", "contexts", "float64", "subclass", "custom"])
def test_every_other_case_is_mxnets_own_trainer(case, mxnet_updates):
    if case == "kvstore":
        ours, theirs = twin_nets()
        trainer = Trainer(ours.collect_params(), "sgd", {"learning_rate": 0.1}, kvstore=mxnet.kv.create("local"))
        reference = mxnet.gluon.Trainer(theirs.collect_params(), "sgd", {"learning_rate": 0.1},
                                        kvstore=mxnet.kv.create("local"))
        for a, b in zip(train(ours, trainer), train(theirs, reference)):
            assert np.array_equal(a, b)
        assert trainer in mxnet_updates
    elif case == "contexts":
        same_training("sgd", {"learning_rate": 0.1, "momentum": 0.9}, mxnet_updates, direct=False,
                      ctx=[mxnet.cpu(0), mxnet.cpu(1)])
    elif case == "float64":
        same_training("sgd", {"learning_rate": 0.1, "momentum": 0.9}, mxnet_updates, direct=False,
                      dtype="float64")
    elif case == "subclass":
        net = make_net()
        before = net[0].weight.data().asnumpy()
        trainer = Trainer(net.collect_params(), Halving(learning_rate=0.1))
        train(net, trainer, steps=1)
        assert np.array_equal(net[0].weight.data().asnumpy(), before * 0.5)
        assert trainer in mxnet_updates
    else:
        same_training(None, None, mxnet_updates, direct=False,
                      make_optimizer=lambda: mxnet.optimizer.create("rmsprop", learning_rate=0.01))


def test_a_stale_gradient_is_mxnets_error_and_ignore_stale_grad_skips_it(mxnet_updates):
    net = make_net()
    trainer = Trainer(net.collect_params(), "sgd", {"learning_rate": 0.1})
    train(net, trainer, steps=1)
    with pytest.raises(UserWarning, match="has not been updated by backward since last `step`"):
        trainer.step(8)
    before = [p.data().asnumpy() for p in net.collect_params().values()]
    trainer.step(8, ignore_stale_grad=True)  # nothing fresh: nothing changes
    assert all(np.array_equal(a, p.data().asnumpy()) for a, p in zip(before, net.collect_params().values()))


def test_states_are_the_updaters_and_survive_save_and_load(tmp_path, mxnet_updates):
    ours, theirs = twin_nets()
    trainer = Trainer(ours.collect_params(), "sgd", {"learning_rate": 0.1, "momentum": 0.9})
    reference = mxnet.gluon.Trainer(theirs.collect_params(), "sgd", {"learning_rate": 0.1, "momentum": 0.9})
    train(ours, trainer, steps=2)
    train(theirs, reference, steps=2)
    trainer.save_states(str(tmp_path / "ours.states"))
    fresh = Trainer(ours.collect_params(), "sgd", {"learning_rate": 0.1, "momentum": 0.9})
    fresh.load_states(str(tmp_path / "ours.states"))
    for a, b in zip(train(ours, fresh, steps=2), train(theirs, reference, steps=2)):
        assert np.array_equal(a, b)
    assert fresh not in mxnet_updates and trainer not in mxnet_updates


def test_the_mirror_and_perl_get_this_trainer():
    net = bridge.gluon.nn.Dense(2, in_units=3)
    net.initialize()
    trainer = bridge.gluon.Trainer(net.collect_params(), "sgd", {"learning_rate": 0.1})
    assert type(trainer._target) is Trainer
    from bridge.handles import objects
    assert objects.python_class("AI::MXNet::Gluon::Trainer") is Trainer
    assert objects.perl_classes(Trainer)[0] == "AI::MXNet::Gluon::Trainer"


PERL_TRAINING = r"""
use strict; use warnings;
use AI::MXNet qw(mx);
use AI::MXNet::Gluon qw(gluon);
use AI::MXNet::Gluon::NN qw(nn);
my ($optimizer, %params) = ($ARGV[0], split /[=,]/, $ARGV[1]);
my $params = {map { $_ => 0 + $params{$_} } keys %params};
mx->random->seed(5);
my $X = nd->random->normal(shape => [32, 6]);
my $y = nd->array([map { $_ % 3 } 0 .. 31]);
my $net = nn->Sequential;
$net->add(nn->Dense(8, activation => 'relu'), nn->Dense(3));
$net->initialize(init => mx->init->Xavier);
my $trainer = gluon->Trainer($net->collect_params, $optimizer, $params);
print ref($trainer), "\n";
my $loss_fn = gluon->loss->SoftmaxCrossEntropyLoss;
for (1 .. 5) {
    my $loss;
    mx->autograd->record(sub { $loss = $loss_fn->($net->($X), $y) });
    $loss->backward;
    $trainer->step(32);
}
for my $param ($net->collect_params->values) {
    print join(' ', map { sprintf '%.9g', $_ } $param->data->aspdl->list), "\n";
}
"""


@pytest.mark.parametrize("optimizer, params", [
    ("sgd", {"learning_rate": 0.5, "momentum": 0.9, "wd": 0.01}),
    ("sgd", {"learning_rate": 0.5, "wd": 0.01}),
    ("adam", {"learning_rate": 0.05, "wd": 0.01}),
])
def test_a_perl_training_run_gives_mxnets_weights_to_the_bit(optimizer, params):
    root = pathlib.Path(__file__).resolve().parent.parent
    proc = subprocess.run(["perl", "-Iperl_shim/lib", "-e", PERL_TRAINING, "--", optimizer,
                           ",".join(f"{k}={v}" for k, v in params.items())],
                          cwd=root, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0] == "AI::MXNet::Gluon::Trainer"
    mxnet.random.seed(5)
    X = mxnet.nd.random.normal(shape=(32, 6))
    y = mxnet.nd.array([i % 3 for i in range(32)])
    net = mxnet.gluon.nn.Sequential()
    net.add(mxnet.gluon.nn.Dense(8, activation="relu"), mxnet.gluon.nn.Dense(3))
    net.initialize(init=mxnet.init.Xavier())
    trainer = mxnet.gluon.Trainer(net.collect_params(), optimizer, params)
    loss_fn = mxnet.gluon.loss.SoftmaxCrossEntropyLoss()
    for _ in range(5):
        with mxnet.autograd.record():
            loss = loss_fn(net(X), y)
        loss.backward()
        trainer.step(32)
    want = [p.data().asnumpy() for p in net.collect_params().values()]
    got = [np.array(line.split(), dtype=np.float32) for line in lines[1:]]
    assert len(got) == len(want) == 4
    for a, b in zip(got, want):
        # (PDL lists a (rows, columns) array row by row, as numpy's ravel does)
        assert np.array_equal(a, b.ravel()), "Perl's weights differ from mxnet's (max %g)" % np.abs(a - b.ravel()).max()
