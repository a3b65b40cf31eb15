"""The symbolic half through the bridge's Python names: argument rules the Perl shim relies on (args.py),
error lines (errors.py), DataDesc, Module, callbacks, logging routed to a Perl-like sink, viz."""
import logging

import mxnet as mx
import numpy as np
import pytest

import bridge
from bridge import nd
from bridge.api import io as bridge_io
from bridge.api import viz
from bridge.perl import args as perl_args
from bridge.perl import errors
from bridge.perl import logging as perl_logging


def test_name_shape_pairs_become_tuples():
    positional, _ = perl_args.split_perl_args(mx.mod.Module.bind, [[["data", [10, 10]]], "for_training", 0])
    assert positional == [[("data", (10, 10))]]
    _, keywords = perl_args.split_perl_args(mx.mod.Module.bind, ["data_shapes", [["data", [2.0, 3]]]])
    assert keywords["data_shapes"] == [("data", (2, 3))]
    assert type(keywords["data_shapes"][0][1][0]) is int


def test_integral_floats_are_integers_and_fractions_are_refused():
    positional, _ = perl_args.split_perl_args(mx.nd.ones, [[3.0]])
    assert positional == [[3]] and type(positional[0][0]) is int
    with pytest.raises(TypeError, match="units takes integers, not 21.5"):
        perl_args.split_perl_args(mx.gluon.nn.Dense, [21.5])


def test_documented_numbers_take_numeric_strings():
    assert perl_args.perl_number("0.1") == 0.1 and perl_args.perl_number("50") == 50
    assert perl_args.perl_number("1e3") == 1000.0 and perl_args.perl_number("abc") == "abc"
    positional, keywords = perl_args.split_perl_args(mx.optimizer.SGD, ["momentum", "0.9"])
    assert keywords == {"momentum": 0.9}
    assert perl_args.number_parameters(mx.gluon.nn.Dense)["units"] == (0, True)


def test_a_list_the_callee_documents_as_a_list_stays_a_list():
    _, keywords = perl_args.split_perl_args(bridge.mx.rnn.BucketSentenceIter, [[[1, 2]], 1, "buckets", [2, 3]])
    assert keywords["buckets"] == [2, 3]
    _, keywords = perl_args.split_perl_args(mx.nd.ones, ["shape", [2, 3]])
    assert keywords["shape"] == (2, 3)


def test_an_empty_hash_a_required_positional_needs_is_positional():
    positional, keywords = perl_args.split_perl_args(mx.mod.Module.set_params, [{"w": 1}, {}])
    assert positional == [{"w": 1}, {}] and keywords == {}
    positional, keywords = perl_args.split_perl_args(mx.nd.sum, [nd.ones((2,)), {"axis": 0}])
    assert keywords == {"axis": 0}


def test_error_first_lines():
    with pytest.raises(mx.base.MXNetError) as info:
        mx.sym.FullyConnected(mx.sym.var("x"), mood=1)
    assert errors.first_line(info.value).startswith(
        "Cannot find argument 'mood', Possible Arguments: num_hidden, no_bias, flatten, in operator FullyConnected")
    with pytest.raises(AssertionError) as info:  # mxnet's assert without a message: its source line
        mx.mod.Module(mx.sym.var("data")).forward(mx.io.DataBatch([mx.nd.ones((1,))]))
    assert errors.first_line(info.value) == "AssertionError: assert self.binded and self.params_initialized"
    assert errors.first_line(StopIteration()).startswith("StopIteration: a data iterator is at its end")
    text = "simple_bind error. Arguments:\ndata: (2, 2)\nMXNetError: Error in operator softmax: Shape inconsistent"
    assert errors.first_line(RuntimeError(text)) == (
        "Error in operator softmax: Shape inconsistent (simple_bind error. Arguments: data: (2, 2))")


def test_data_desc_and_its_string():
    desc = bridge_io.data_desc("data", [3, 8.0, 7], layout="TNC")
    assert desc.shape == (3, 8, 7) and desc.dtype == "float32"
    assert repr(desc) == "DataDesc[data,3x8x7,float32,TNC]"
    proxy = bridge.mx.io.DataDesc("x", (2,))
    assert str(proxy) == "DataDesc[x,2,float32,NCHW]"
    with pytest.raises(ValueError, match="NDArrayIter: data has 4 samples but softmax_label has 3"):
        bridge.mx.io.NDArrayIter(data=nd.ones((4, 2)), label=nd.ones((3,)))


def test_ndarray_iter_keeps_an_ordered_hash_in_its_order():
    import collections
    ordered = collections.OrderedDict([("b", nd.ones((4, 1))), ("a", nd.zeros((4, 2)))])
    it = bridge.mx.io.NDArrayIter(data=ordered, batch_size=2)
    assert [d.name for d in it.provide_data] == ["b", "a"]
    assert [d.name for d in bridge.mx.io.NDArrayIter(data=dict(ordered), batch_size=2).provide_data] == ["a", "b"]
    assert [a.shape for a in it.next().data] == [(2, 1), (2, 2)]


def test_module_through_the_bridge():
    net = mx.sym.SoftmaxOutput(mx.sym.FullyConnected(mx.sym.var("data"), num_hidden=2, name="fc"), name="softmax")
    it = bridge.mx.io.NDArrayIter(data=nd.array([[1, 0], [0, 1]]), label=nd.array([0, 1]), batch_size=2)
    mod = bridge.mx.mod.Module(net)
    mod.bind(data_shapes=it.provide_data, label_shapes=it.provide_label)
    mod.init_params(initializer=mx.init.One())
    out = mod.predict(it)
    assert isinstance(out, bridge.NDArray) and out.asnumpy().tolist() == [[0.5, 0.5], [0.5, 0.5]]
    assert bridge.mx.mod.Module.load is bridge.mx.mod.load  # as Perl's mx->mod->Module->load
    assert bridge.mx.mod.Module() is mx.mod.Module


def test_speedometer_logs_ai_mxnet_lines(caplog):
    param = mx.model.BatchEndParam(epoch=1, nbatch=0, eval_metric=None, locals=None)
    speedometer = bridge.mx.callback.Speedometer(10, 2)
    with caplog.at_level(logging.INFO):
        for n in range(3):
            speedometer(param._replace(nbatch=n))
    assert [r.getMessage().split("\tSpeed")[0] for r in caplog.records] == ["Iter[1] Batch [2]"]


def test_logging_reaches_the_perl_sink(monkeypatch):
    seen = []
    monkeypatch.setattr(perl_logging.callbacks, "perl_thread", __import__("threading").get_ident())
    root = logging.getLogger()
    level, handlers = root.level, list(root.handlers)
    try:
        perl_logging.route(lambda level, message: seen.append((level, message)))
        logging.info("Epoch[%d] Train-%s=%f", 0, "accuracy", 0.5)
        logging.debug("not at INFO")
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)
    assert seen == [("info", "Epoch[0] Train-accuracy=0.500000")]


def test_viz_graph_and_summary():
    net = mx.sym.FullyConnected(mx.sym.var("data"), num_hidden=4, name="fc1")
    title, fmt, nodes, edges = viz.graph(net, shape={"data": (1, 3)})
    assert (title, fmt) == ("plot", "ps")
    assert ["data", "fc1"] == [name for name, _ in nodes]
    assert nodes[1][1]["label"] == "FullyConnected\n4"
    assert edges == [["fc1", "data", {"dir": "back", "arrowtail": "open", "label": "3"}]]
    assert "Total params: 16" in viz.summary(net, {"data": (1, 3)})


def test_rows_of_a_shuffled_csr_array_without_scipy():
    dense = np.arange(12, dtype=np.float32).reshape(4, 3)
    csr = mx.nd.array(dense).tostype("csr")
    rows = bridge_io._rows(csr, np.array([2, 0, 3, 1]))
    assert rows.stype == "csr" and rows.asnumpy().tolist() == dense[[2, 0, 3, 1]].tolist()


@pytest.mark.parametrize("handle", ["pad", "discard", "roll_over"])
@pytest.mark.parametrize("batch_size", [1, 3, 4, 10])
def test_ndarray_iter_gives_mxnets_batches(handle, batch_size):
    # the bridge's NDArrayIter makes whole batches by direct calls: the same batches, pads and epochs as mxnet's
    data, label = mx.nd.array(np.arange(40).reshape(10, 4)), mx.nd.array(np.arange(10))
    ours = bridge_io.NDArrayIter(data, label, batch_size, last_batch_handle=handle)
    theirs = mx.io.NDArrayIter(data, label, batch_size, last_batch_handle=handle)
    for _ in range(3):
        assert ([(b.data[0].asnumpy().tolist(), b.label[0].asnumpy().tolist(), b.pad) for b in ours]
                == [(b.data[0].asnumpy().tolist(), b.label[0].asnumpy().tolist(), b.pad) for b in theirs])
        ours.reset()
        theirs.reset()
