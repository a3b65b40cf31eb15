"""The direct C-API calls (bridge/arrays/invoke.py) must give exactly what Python mxnet's own layers give."""
import mxnet as mx
import numpy as np
import pytest

from bridge import NDArray, nd
from bridge.arrays import invoke

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


# -- the short way for Perl's common operator call (RegisteredOperator.perl_call, bridge/perl/entry.py call) --------

def _perl_lists(x, w, b, i):
    """(path, flat Perl argument list, whether the short way takes it)"""
    return [
        ("nd.sum", (x, "axis", 1), True),
        ("nd.sum", (x, "axis", 1.0), True),              # 6/2 in Perl: an integral float is the int
        ("nd.sum", (x, "axis", "1", "keepdims", 1), True),
        ("nd.sum", (x,), True),
        ("nd.FullyConnected", (x, w, b, "num_hidden", 3), True),
        ("nd.FullyConnected", (x, w, "num_hidden", 3, "no_bias", 1), True),
        ("nd.split", (x, "num_outputs", 2, "axis", 0), True),  # two outputs
        ("nd.clip", (x, "a_min", -1.5, "a_max", 2.25), True),
        ("nd.sum", (x, "axis", [0, 1]), False),           # array ref: the general rules make it a tuple
        ("nd.sum", (x, {"axis": 1}), False),              # a trailing hash ref
        ("nd.sum", (x, "axis", 1, "axis", 0), False),     # the later pair wins, as in a Perl hash
        ("nd.sum", (x, "axis", True), False),             # a Perl boolean
        ("nd.sum", (x, "out", w), False),                 # out=, name=, dtype=, ctx=: mxnet's own function
        ("nd.sum", (x, "bogus", 1), False),               # not a parameter: a positional for the general way
        ("nd.sum", (x, "axis"), False),                   # a lone key
        ("nd.one_hot", (i, "depth", 3, "dtype", "int32"), False),
        ("nd.add_n", (x, x, x), False),                   # variadic inputs
        ("nd.sum", (x, x, x), False),                     # more arrays than inputs: mxnet's error
        ("nd.dot", (x, x), True),                         # mxnet's shape error either way
    ]


def _outcome(result):
    from bridge.perl import entry as perl
    if result is perl._FAILED:
        return tuple(perl.take_error()[:3])  # ("python", type name, first line)
    if isinstance(result, list):
        return [(r.shape, r.dtype, r.asnumpy().tolist()) for r in result]
    return (result.shape, result.dtype, result.asnumpy().tolist())


def test_perl_calls_take_the_short_way_only_where_it_gives_the_general_result():
    from bridge.perl import entry as perl
    perl.init(object())
    x, w, b = nd.array(A), nd.array(B), nd.array([0.5, -1.0])
    i = nd.array([0, 2])
    for path, args, short in _perl_lists(x, w, b, i):
        function = perl._resolve(path)
        try:
            taken = function.perl_call(args) is not NotImplemented
        except mx.base.MXNetError:  # mxnet's own error, raised on the short way
            taken = True
        assert taken is short, (path, args)
        general = _outcome(perl.call_function(function, *args))
        assert _outcome(perl.call(path, *args)) == general, (path, args)
        assert _outcome(perl.call(path, *args)) == general, (path, args)  # again, from its kept encoding


def test_a_perl_true_is_not_taken_for_a_kept_1():
    # True == 1 in Python, so a kept encoding of `axis => 1` would answer for `axis => True` too
    from bridge.perl import entry as perl
    fc = perl._resolve("nd.FullyConnected")
    x, w = nd.array(A), nd.array(B)
    assert fc.perl_call((x, w, "num_hidden", 2, "no_bias", 1)) is not NotImplemented
    assert fc.perl_call((x, w, "num_hidden", 2, "no_bias", True)) is NotImplemented


def test_kept_encodings_are_bounded_and_stay_right():
    from bridge.perl import entry as perl
    clip = perl._resolve("nd.clip")
    x = nd.array(A)
    for k in range(invoke._PAIRS_KEPT * 2 + 3):
        bound = k / 100
        got = clip.perl_call((x, "a_min", -bound, "a_max", bound))
        assert got.asnumpy().tolist() == mx.nd.clip(x._a, a_min=-bound, a_max=bound).asnumpy().tolist()
        assert len(clip._perl_pairs) <= invoke._PAIRS_KEPT


def test_kept_scalars_keep_the_sign_of_zero_and_stay_bounded():
    x = nd.array([-0.0, 1.0])
    for _ in range(2):  # the second time from what is kept
        assert np.signbit((x + 0.0).asnumpy()).tolist() == [False, False]
        assert np.signbit((x + -0.0).asnumpy()).tolist() == [True, False]
    plus = invoke.Operator("_plus_scalar")
    base = mx.nd.array([-0.0, 1.0])
    for k in range(invoke._SCALARS_KEPT * 2 + 3):
        assert plus([base], k / 7).asnumpy().tolist() == (base + k / 7).asnumpy().tolist()
        assert len(plus._scalars) <= invoke._SCALARS_KEPT


def test_fluent_methods_called_from_perl_give_what_the_general_way_gives(monkeypatch):
    # $x->relu, $x->sum(axis => 1): nd's operator with the array first, where mxnet's method is only that
    from bridge.perl import entry as perl
    from bridge.arrays.ndarray import fluent_operator
    perl.init(object())
    x, i = nd.array(A), nd.array([0, 2])
    calls = [(x, "relu", ()), (x, "exp", ()), (x, "sum", ("axis", 1)), (x, "sum", ("axis", 1.0, "keepdims", 1)),
             (x, "clip", ("a_min", -1, "a_max", 1.5)), (x, "topk", ("k", 2, "ret_typ", "value")),
             (x, "split", ("num_outputs", 3, "axis", 1)), (i, "one_hot", ("depth", 3)),
             (x, "norm", ("ord", 1)), (x, "sum", (x,)), (x, "sum", ("axis", [0, 1])), (x, "sum", ("bogus", 1)),
             (x, "sum", ("axis", 5))]
    assert all(perl._fluent_call(name) is not None for _, name, _ in calls)
    assert fluent_operator("slice") is None and fluent_operator("reshape") is None  # the mirror's own
    # the short way is guarded as the general way is (bridge/arrays/guards.py): no integer division by zero
    ints = nd.array([[1, 2]], dtype="int32")
    with pytest.raises(ZeroDivisionError):
        perl._fluent_call("broadcast_div").perl_call((ints, nd.zeros((1, 2), dtype="int32")))
    short = [_outcome(perl.call_method(obj, name, *args)) for obj, name, args in calls]
    monkeypatch.setattr(perl, "_fluent_call", lambda name: None)
    general = [_outcome(perl.call_method(obj, name, *args)) for obj, name, args in calls]
    assert short == general


# -- creation: nd.zeros / ones / full make mxnet's one operator call directly ---------------------------

@pytest.mark.parametrize("shape", [(2, 3), [2, 3], 4, (0, 3), ()])
@pytest.mark.parametrize("dtype", [None, "float64", "int32", np.uint8, "float16", "bool"])
@pytest.mark.parametrize("ctx", [None, mx.cpu(1)])
def test_creation_gives_what_mxnet_gives(shape, dtype, ctx):
    for mine, theirs, extra in ((nd.zeros, mx.nd.zeros, ()), (nd.ones, mx.nd.ones, ()),
                                (nd.full, mx.nd.full, (-2.5,)), (nd.full, mx.nd.full, (-0.0,))):
        kwargs = {} if dtype is None else {"dtype": dtype}
        try:
            expected = theirs(shape, *extra, ctx=ctx, **kwargs)
            expected.wait_to_read()
        except mx.base.MXNetError:  # (a 0 in zeros' and ones' shape: mxnet's shape inference refuses it)
            with pytest.raises(mx.base.MXNetError, match="inferring shapes failed"):
                mine(shape, *extra, ctx=ctx, **kwargs).wait_to_read()
            continue
        for _ in range(2):  # the second time from the kept encoding
            got = mine(shape, *extra, ctx=ctx, **kwargs)
            assert isinstance(got, NDArray)
            assert (got.shape, got.dtype, got.context) == (expected.shape, np.dtype(expected.dtype).name,
                                                           expected.context)
            np.testing.assert_array_equal(got.asnumpy(), expected.asnumpy())
            assert np.signbit(got.asnumpy()).tolist() == np.signbit(expected.asnumpy()).tolist()


def test_creation_leaves_other_calls_to_mxnet():
    sparse = nd.zeros((2, 3), stype="row_sparse")
    assert sparse.stype == "row_sparse"
    out = nd.zeros((2, 2))
    assert nd.full((2, 2), 7, out=out) is not None and out.asnumpy().tolist() == [[7, 7], [7, 7]]
    assert nd.full((2,), nd.array([3.0])).asnumpy().tolist() == [3, 3]  # an array value: mxnet broadcasts it
    nd.ones((2, 2), out=out)
    assert out.asnumpy().tolist() == [[1, 1], [1, 1]]
    nd.zeros((2, 2), out=out)
    assert out.asnumpy().tolist() == [[0, 0], [0, 0]]
    for shape in ([[2, 3]], "2x3"):  # not a shape: mxnet's message either way
        with pytest.raises(mx.base.MXNetError, match="Invalid Parameter format for shape"):
            mx.nd.zeros(shape)
        with pytest.raises(mx.base.MXNetError, match="Invalid Parameter format for shape"):
            nd.zeros(shape)


@pytest.mark.parametrize("dtype", ["float32", "float64", "float16", "int32", "int8", "uint8", "bool"])
def test_setting_a_number_is_what_mxnet_sets(dtype):
    for value in (2, 2.7, -0.0, True, np.float32(0.1), -300, float("nan")):
        for shape, view in (((3, 4), None), ((3, 4), slice(1, 2)), ((0, 3), None)):
            make = mx.nd.zeros if 0 not in shape else mx.nd.empty
            theirs, mine = make(shape, dtype=dtype), NDArray(make(shape, dtype=dtype))
            target = theirs if view is None else theirs[view]
            with np.errstate(all="ignore"):
                target[:] = value
                (mine if view is None else mine.slice([view.start, view.stop - 1])).set(value)
            expected, got = theirs.asnumpy(), mine.asnumpy()
            assert got.dtype == expected.dtype
            np.testing.assert_array_equal(got, expected)
            assert np.signbit(got.astype("float64")).tolist() == np.signbit(expected.astype("float64")).tolist()
