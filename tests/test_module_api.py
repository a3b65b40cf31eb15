"""bridge/api/module.py: AI::MXNet's class-level spellings of the Module API."""
import mxnet as mx
import numpy as np

from bridge import mx as bmx
from bridge.api import module


def test_module_without_arguments_is_the_class():
    # (Perl gets the class's AI::MXNet name: bridge/perl/entry.py to_perl)
    assert module.Module() is mx.mod.Module
    from bridge.perl import entry
    assert entry.to_perl(module.Module()) == "AI::MXNet::Module"


def test_load_reads_a_checkpoint_saved_by_python_mxnet(tmp_path):
    data = mx.sym.Variable("data")
    net = mx.sym.FullyConnected(data, num_hidden=2, name="fc")
    mod = mx.mod.Module(net, data_names=["data"], label_names=None)
    mod.bind(data_shapes=[("data", (1, 3))])
    mod.init_params(mx.init.One())
    prefix = str(tmp_path / "net")
    mod.save_checkpoint(prefix, 3)
    loaded = bmx.mod.load(prefix, 3, data_names=["data"], label_names=None)
    loaded.bind(data_shapes=[("data", (1, 3))])
    arg_params, _ = loaded.get_params()
    np.testing.assert_array_equal(arg_params["fc_weight"].asnumpy(), np.ones((2, 3)))
