"""bridge/handles/objects.py: the rules for Python objects that cross as handles (their AI::MXNet class names, the
conversions of arguments and results, how a method is called) and the calling-convention rules Gluon added to
bridge/perl/args.py (class signatures, trailing hashes, booleans)."""
import collections
import inspect

import mxnet as mx
import numpy as np
import pytest

from bridge.perl import args as perl_args
from bridge import gluon, nd, nn
from bridge.api import datasets
from bridge.handles import objects
from bridge.arrays.ndarray import NDArray
from bridge.handles.objects import Proxy, mirror_value, to_mx


@pytest.mark.parametrize("cls, chain", [
    (mx.gluon.nn.Dense, ("AI::MXNet::Gluon::NN::Dense", "AI::MXNet::Gluon::HybridBlock", "AI::MXNet::Gluon::Block")),
    (mx.gluon.loss.L2Loss, ("AI::MXNet::Gluon::L2Loss", "AI::MXNet::Gluon::Loss", "AI::MXNet::Gluon::HybridBlock",
                            "AI::MXNet::Gluon::Block")),
    (mx.gluon.Trainer, ("AI::MXNet::Gluon::Trainer",)),
    (mx.gluon.data.DataLoader, ("AI::MXNet::Gluon::Data::Loader::DataLoader",)),
    (mx.gluon.data.ArrayDataset, ("AI::MXNet::Gluon::Data::ArrayDataset", "AI::MXNet::Gluon::Data::Set")),
    (datasets.FashionMNIST, ("AI::MXNet::Gluon::Data::Vision::DownloadedDataSet::FashionMNIST",
                             "AI::MXNet::Gluon::Data::Vision::DownloadedDataSet::MNIST",
                             "AI::MXNet::Gluon::Data::Vision::DownloadedDataSet", "AI::MXNet::Gluon::Data::Set")),
    (mx.metric.Accuracy, ("AI::MXNet::Accuracy", "AI::MXNet::EvalMetric")),
    (mx.init.Xavier, ("AI::MXNet::Xavier", "AI::MXNet::Initializer")),
    (mx.optimizer.SGD, ("AI::MXNet::SGD", "AI::MXNet::Optimizer")),
    (mx.sym.Symbol, ("AI::MXNet::Symbol",)),
    (collections.OrderedDict, ("AI::MXNet::Bridge::OrderedDict",)),
])
def test_handles_are_named_as_ai_mxnet_named_them(cls, chain):
    # the package names are AI::MXNet's own (perl-package/AI-MXNet/lib/AI/MXNet/Gluon/*.pm, Metric.pm, ...)
    assert objects.perl_classes(cls) == chain + (objects.PERL_ROOT,)


def test_plain_values_are_not_handles():
    for cls in (int, float, str, list, dict, tuple, NDArray, mx.nd.NDArray, np.ndarray, mx.Context):
        assert not objects.is_handle_type(cls), cls


def test_every_class_a_perl_user_may_name_maps_back_to_its_python_class():
    for chain in objects.handle_class_chains():
        cls = objects.python_class(chain[0])
        # (a second name AI::MXNet gave a class is a package whose parent is the class)
        assert objects.perl_classes(cls) == (chain[1:] if chain[0] in objects.PERL_ALIAS_CLASSES else chain)
    assert objects.python_class("AI::MXNet::Gluon::SoftmaxCELoss") is mx.gluon.loss.SoftmaxCrossEntropyLoss
    assert objects.python_class("AI::MXNet::Gluon::Data::Vision::DownloadedDataSet::MNIST") is datasets.MNIST
    with pytest.raises(AttributeError, match="no class AI::MXNet::NoSuch"):
        objects.python_class("AI::MXNet::NoSuch")


def test_values_go_in_as_mxnet_takes_them_and_come_out_as_the_mirror_gives_them():
    x = nd.array([1, 2])
    dense = mx.gluon.nn.Dense(2)
    assert to_mx([x, (x, {"k": x})])[1][1]["k"] is x._a
    assert to_mx(Proxy(dense)) is dense
    out = mirror_value([x._a, (np.float32(1.5), np.arange(2)), dense])
    assert type(out[0]) is NDArray and out[1][0] == 1.5 and type(out[1][0]) is float
    assert type(out[1][1]) is NDArray and out[1][1].asnumpy().tolist() == [0, 1]
    assert type(out[2]) is Proxy and out[2]._target is dense
    keys = mirror_value(collections.OrderedDict(a=1, b=2).keys())
    assert keys == ("a", "b")


def test_a_function_given_to_mxnet_gets_mirror_values_and_gives_back_mxnet_s():
    seen = []

    def transform(data, label):
        seen.append((type(data), type(label)))
        return data * 2, label

    wrapped = to_mx(transform)
    data, label = wrapped(mx.nd.array([1]), np.int32(3))
    assert seen == [(NDArray, int)]
    assert type(data) is mx.nd.NDArray and data.asnumpy().tolist() == [2] and label == 3


def test_call_methods_attributes_aliases_and_setters():
    net = mx.gluon.nn.Sequential()
    net.add(mx.gluon.nn.Dense(1), mx.gluon.nn.Dense(2), mx.gluon.nn.Dense(3))
    assert objects.call(net, "len") == 3                          # AI::MXNet's len: __len__
    assert type(objects.call(net, "at", (1,))) is Proxy           # at: __getitem__
    sliced = objects.call(net, "slice", ([1, 2],))                # AI::MXNet's Sequential slice, by index
    assert [b.name for b in sliced._target._children.values()] == [
        b.name for b in list(net._children.values())[1:]]
    param = mx.gluon.Parameter("w", shape=(2,))
    assert objects.call(param, "shape") == [2]                    # an attribute's tuple reads as a list
    objects.call(param, "lr_mult", (3.0,))                        # one argument sets it
    assert param.lr_mult == 3.0
    objects.call(net, "extra", (mx.gluon.nn.Dense(4),))           # a Block takes new attributes, as AI::MXNet's
    assert "extra" in net._children
    with pytest.raises(AttributeError, match="AI::MXNet::Gluon::Parameter has no method or attribute nope"):
        objects.call(param, "nope")


def test_a_method_given_only_integers_gives_what_the_general_way_gives():
    # (only integers: the short way, no argument splitting; anything else: the general way)
    sgd = mx.optimizer.SGD(learning_rate=0.5)
    sgd.set_lr_mult({0: 0.25})
    assert objects.call(sgd, "_get_lr", (0,)) == sgd._get_lr(0) == 0.125
    objects.call(sgd, "_update_count", (3,))
    assert sgd._index_update_count[3] == 1
    net = mx.gluon.nn.Sequential()
    net.add(mx.gluon.nn.Dense(1), mx.gluon.nn.Dense(2))
    assert objects.call(net, "__getitem__", (1,))._target is net[1]   # a handle comes back as a Proxy
    assert objects.call(net, "__len__") == 2
    with pytest.raises(TypeError):
        objects.call(sgd, "_get_lr", (0, 1))                          # as Python says


def test_a_class_signature_takes_the_keywords_its_parents_take():
    sig = objects._signature(mx.gluon.nn.Dense)
    assert list(sig.parameters)[:2] == ["units", "activation"]
    assert sig.parameters["prefix"].kind is inspect.Parameter.KEYWORD_ONLY      # from Block.__init__
    assert not any(p.kind is p.VAR_KEYWORD for p in sig.parameters.values())   # Block takes no **kwargs
    assert "optimizer_params" in objects._signature(mx.gluon.Trainer).parameters


def test_a_trailing_hash_is_data_for_a_callee_without_that_keyword():
    trainer = objects.constructor(mx.gluon.Trainer)
    positional, keywords = perl_args.split_perl_args(trainer, ("params", "sgd", {"learning_rate": 0.1}))
    assert positional == ["params", "sgd", {"learning_rate": 0.1}] and keywords == {}
    positional, keywords = perl_args.split_perl_args(trainer, ("params", "sgd", {"kvstore": "local"}))
    assert positional == ["params", "sgd"] and keywords == {"kvstore": "local"}


def test_perl_s_one_and_zero_are_booleans_where_a_parameter_takes_one():
    unroll = mx.gluon.rnn.LSTMCell.unroll
    assert "merge_outputs" in perl_args.bool_keywords(unroll)      # documented "merge_outputs : bool"
    _, keywords = perl_args.split_perl_args(unroll, (3, "x", "merge_outputs", 1))
    assert keywords["merge_outputs"] is True
    _, keywords = perl_args.split_perl_args(unroll, (3, "x", "layout", "NTC"))
    assert keywords["layout"] == "NTC"
    assert perl_args.bool_keywords(mx.nd.sum) == frozenset()     # an operator's "boolean" is a 0/1 string


def test_a_python_block_speaks_mirror_values_to_the_user_and_mxnet_s_to_gluon():
    class Twice(gluon.Block):
        def forward(self, x):
            assert type(x) is NDArray
            return x * 2

    block = Twice()
    assert type(block(nd.array([1]))) is NDArray                  # spoken to in mirror values
    assert type(block(mx.nd.array([1]))) is mx.nd.NDArray         # spoken to by mxnet code
    seq = nn.Sequential()
    seq.add(block, nn.Dense(1, in_units=1))
    seq.initialize(mx.init.One())
    assert seq(nd.array([[3]])).asnumpy().tolist() == [[6]]
    assert type(block.collect_params()) is Proxy


def test_parameters_and_initializers_print_as_ai_mxnet_printed_them():
    # AI::MXNet's Gluon/Parameter.pm: "Parameter NAME (shape=(...), dtype=..., stype=...)", a ParameterDict
    # as "PREFIX (" then one Parameter a line indented by three spaces, then ")"; an Initializer as its JSON
    dense = nn.Dense(3, prefix="d_")
    assert repr(dense.weight) == "Parameter d_weight (shape=(3, 0), dtype=float32, stype=default)"
    assert repr(dense.collect_params()) == (
        "d_ (\n"
        "   Parameter d_weight (shape=(3, 0), dtype=float32, stype=default)\n"
        "   Parameter d_bias (shape=(3), dtype=float32, stype=default)\n"
        ")")
    assert objects.describe(mx.init.Xavier(magnitude=3)) == \
        '["xavier", {"rnd_type": "uniform", "factor_type": "avg", "magnitude": 3}]'
    assert repr(Proxy(mx.gluon.nn.Dense(2))) == "Dense(None -> 2, linear)"     # a Block: Gluon's listing
