"""bridge/api/kvstore.py: a store made by mx.kv.create takes keys as AI::MXNet gave them (strings), so integer
and string keys mix, which Python mxnet's own store refuses on this libmxnet; bridge/api/trainer.py: a Trainer
steps a row_sparse parameter with dense gradients."""
import mxnet as mx
import numpy as np
import pytest

from bridge import mx as bmx
from bridge.api import kvstore, trainer


@pytest.mark.parametrize("key, string", [(3, "3"), (3.0, "3"), ("a", "a"), (2.5, "2.5")])
def test_keys_are_the_strings_perl_makes(key, string):
    assert kvstore.perl_key(key) == string


def test_python_mxnet_refuses_mixed_keys_and_the_bridge_takes_them():
    theirs = mx.kv.create()
    theirs.init("a", mx.nd.ones((2,)))
    with pytest.raises(mx.base.MXNetError, match="Mixed key types"):
        theirs.init(3, mx.nd.ones((2,)))
    ours = bmx.kv.create()
    ours.init("a", bmx.nd.ones((2,)))
    ours.init([3, 4], [bmx.nd.ones((2,)) * 3, bmx.nd.ones((2,)) * 4])
    out = bmx.nd.zeros((2,))
    ours.pull(3.0, out=out)
    np.testing.assert_array_equal(out.asnumpy(), [3, 3])


def test_an_updaters_error_reaches_push():
    store = kvstore.create()
    store.init(1, mx.nd.zeros((2,)))

    def failing(key, received, stored):
        raise RuntimeError("no update for key %s" % key)
    store._set_updater(failing)
    with pytest.raises(RuntimeError, match="no update for key 1"):
        store.push(1, mx.nd.ones((2,)))
    store._set_updater(lambda key, received, stored: stored.__iadd__(received))
    store.push(1, mx.nd.ones((2,)))
    out = mx.nd.zeros((2,))
    store.pull(1, out=out)
    np.testing.assert_array_equal(out.asnumpy(), [1, 1])


def test_trainer_steps_a_row_sparse_parameter_with_dense_gradients():
    x = mx.gluon.Parameter("x", shape=(3, 1), stype="row_sparse")
    x.initialize(ctx=[mx.cpu(0)], init="zeros")
    rows = mx.nd.arange(0, 3)
    with pytest.raises(RuntimeError, match="list_data"):  # Python mxnet 1.9.1's own Trainer
        theirs = mx.gluon.Trainer([x], "sgd", {"learning_rate": 1.0})
        with mx.autograd.record():
            for w in x.list_row_sparse_data(rows):
                w.backward()
        theirs.step(1)
    y = mx.gluon.Parameter("y", shape=(3, 1), stype="row_sparse")
    y.initialize(ctx=[mx.cpu(0)], init="zeros")
    ours = trainer.Trainer([y], "sgd", {"learning_rate": 1.0})
    with mx.autograd.record():
        for w in y.list_row_sparse_data(rows):
            (w * 3).backward()
    ours.step(1)
    np.testing.assert_array_equal(y.row_sparse_data(rows).asnumpy().ravel(), [-3, -3, -3])
