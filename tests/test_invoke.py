"""The direct C-API calls (bridge/invoke.py) must give exactly what Python mxnet's own layers give."""
import mxnet as mx
import numpy as np
import pytest

from bridge import NDArray, nd
from bridge import invoke

A = [[1.5, -2.0, 3.0], [0.0, 4.0, -0.5]]
B = [[2.0, 0.5, -1.0], [3.0, -4.0, 2.0]]
ROW = [[1.0, 2.0, 4.0]]


@pytest.mark.parametrize("dunder", sorted(invoke.DUNDERS))
@pytest.mark.parametrize("other", [2, -3, 0.5, np.float32(1.25), True, "array", "row"])
def test_operators_match_mxnet(dunder, other):
    x = nd.array(A)
    if other == "array":
        mine, theirs = nd.array(B), mx.nd.array(B)
    elif other == "row":  # broadcasting
        mine, theirs = nd.array(ROW), mx.nd.array(ROW)
    else:
        mine = theirs = other
    expected = getattr(x._a, dunder)(theirs)
    got = getattr(x, dunder)(mine)
    assert isinstance(got, NDArray)
    np.testing.assert_array_equal(got.asnumpy(), expected.asnumpy())
    assert got.dtype == np.dtype(expected.dtype).name


def test_operators_on_other_types_fail_as_mxnet_does():
    with pytest.raises(TypeError, match="not supported"):
        nd.array(A) + "a"


def test_negation_and_integer_arrays_match_mxnet():
    x = nd.array([[1, -2], [3, 4]], dtype="int32")
    np.testing.assert_array_equal((-x).asnumpy(), (-x._a).asnumpy())
    assert (x * 2).dtype == "int32" and (x * 2).asnumpy().tolist() == [[2, -4], [6, 8]]


CALLS = [
    ("sum", lambda m: ((m(A),), {"axis": 1})),
    ("sum", lambda m: ((m(A),), {"axis": (0, 1), "keepdims": True})),
    ("relu", lambda m: ((m(A),), {})),
    ("dot", lambda m: ((m(A), m(B)), {"transpose_b": True})),
    ("transpose", lambda m: ((m(A),), {"axes": (1, 0)})),
    ("clip", lambda m: ((m(A),), {"a_min": -1, "a_max": 2})),
    ("argmax", lambda m: ((m(A),), {"axis": 1})),
    ("Activation", lambda m: ((m(A),), {"act_type": "tanh"})),
    ("softmax", lambda m: ((m(A),), {"axis": -1})),
    ("FullyConnected", lambda m: ((m(A), m(B), m([1.0, 2.0])), {"num_hidden": 2})),
    ("FullyConnected", lambda m: ((m(A), m(B)), {"num_hidden": 2, "no_bias": True})),
    ("split", lambda m: ((m(A),), {"num_outputs": 3, "axis": 1})),
    ("concat", lambda m: ((m(A), m(B)), {"dim": 0})),
    ("reshape", lambda m: ((m(A),), {"shape": (3, 2)})),
    ("reshape", lambda m: ((m(A),), {"shape": [-1]})),
    ("one_hot", lambda m: ((m([0, 2]),), {"depth": 3, "dtype": "int32"})),
    ("broadcast_add", lambda m: ((m(A), m(ROW)), {})),
]


@pytest.mark.parametrize("name, make", CALLS, ids=[f"{n}{i}" for i, (n, _) in enumerate(CALLS)])
def test_registered_operators_match_mxnet(name, make):
    args, kwargs = make(mx.nd.array)
    expected = getattr(mx.nd, name)(*args, **kwargs)
    args, kwargs = make(nd.array)
    got = getattr(nd, name)(*args, **kwargs)
    if isinstance(expected, list):
        assert isinstance(got, list) and len(got) == len(expected)
        pairs = zip(got, expected)
    else:
        pairs = [(got, expected)]
    for g, e in pairs:
        assert isinstance(g, NDArray)
        np.testing.assert_array_equal(g.asnumpy(), e.asnumpy())
        assert g.dtype == np.dtype(e.dtype).name


def test_registered_operators_record_gradients_like_mxnet():
    def run(array, fc, relu):
        x = array(A)
        w = array(B)
        x.attach_grad()
        w.attach_grad()
        with mx.autograd.record():
            y = relu(fc(x, w, num_hidden=2, no_bias=True)) * 3
        y.backward()
        return x.grad.asnumpy(), w.grad.asnumpy()
    mine = run(nd.array, nd.FullyConnected, nd.relu)
    theirs = run(mx.nd.array, mx.nd.FullyConnected, mx.nd.relu)
    for g, e in zip(mine, theirs):
        np.testing.assert_array_equal(g, e)


def test_registered_operator_errors_are_mxnets():
    with pytest.raises(mx.base.MXNetError, match="dot shape error"):
        nd.dot(nd.array(A), nd.array(A)).wait_to_read()


def test_out_goes_through_mxnets_own_function():
    out = nd.zeros((2,))
    result = nd.sum(nd.array(A), axis=1, out=out)
    assert out.asnumpy().tolist() == [2.5, 3.5]
    assert result.asnumpy().tolist() == [2.5, 3.5]
