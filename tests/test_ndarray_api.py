"""The NDArray surface of AI::MXNet through the Python mirror: creation, methods, save/load and pickling,
dtypes, contexts, the sub-namespaces and the samplers. Expected values come from numpy or from plain
Python mxnet, computed here."""
import pickle

import mxnet as mx
import numpy as np
import pytest

from bridge import NDArray, PDL, context, mx as bmx, nd
from bridge.perl import args as perl_args
from bridge.arrays.pdl import PDLMatrix

M23 = [[1, 2, 3], [4, 5, 6]]


# -- creation -----------------------------------------------------------------------------------------------

def test_arange_takes_ai_mxnet_s_keywords_and_mxnet_s_positional_form():
    assert nd.arange(stop=5).asnumpy().tolist() == list(range(5))
    assert nd.arange(5).asnumpy().tolist() == list(range(5))
    assert nd.arange(start=2, stop=11, step=3).asnumpy().tolist() == [2, 5, 8]
    assert nd.arange(stop=3, repeat=2).asnumpy().tolist() == [0, 0, 1, 1, 2, 2]
    assert nd.arange(stop=3, dtype="int32").dtype == "int32"
    assert isinstance(nd.arange(stop=3), NDArray)


@pytest.mark.parametrize("make, value", [(nd.zeros, 0), (nd.ones, 1), (lambda s, **k: nd.full(s, 2.5, **k), 2.5)])
def test_filled_arrays_take_list_shapes_ctx_and_dtype(make, value):
    x = make([2, 3], ctx=mx.cpu(1), dtype="float64")
    assert x.shape == (2, 3) and x.dtype == "float64" and x.context == mx.cpu(1)
    assert x.asnumpy().tolist() == np.full((2, 3), value).tolist()


def test_empty_concatenate_stack_and_the_like_functions():
    x = nd.array(M23)
    assert nd.empty([2, 4]).shape == (2, 4)
    assert nd.concatenate([x, x], axis=1).asnumpy().tolist() == np.concatenate([M23, M23], axis=1).tolist()
    assert nd.stack(x, x, axis=1).shape == (2, 2, 3)
    assert nd.zeros_like(x).asnumpy().sum() == 0 and nd.ones_like(x).asnumpy().sum() == 6


def test_out_writes_into_the_given_array():
    out = nd.zeros([2, 2])
    nd.ones([2, 2], out=out)
    assert out.asnumpy().tolist() == [[1, 1], [1, 1]]
    nd.relu(nd.array([[-1, 2], [3, -4]]), out=out)
    assert out.asnumpy().tolist() == [[0, 2], [3, 0]]


def test_unknown_dtypes_and_complex_pdls_say_so():
    with pytest.raises(TypeError, match=r"unknown dtype int16 \(MXNet's are bool, float16"):
        nd.array([1, 2], dtype="int16")
    from bridge.arrays.pdl import pdl_dtype
    with pytest.raises(TypeError, match="PDL of type cdouble cannot become an NDArray"):
        pdl_dtype("cdouble")


@pytest.mark.parametrize("ptype", ["byte", "sbyte", "short", "ushort", "long", "ulong", "indx", "longlong",
                                   "ulonglong", "float", "double"])
def test_every_real_pdl_type_converts_to_the_asked_dtype(ptype):
    # a PDL type mxnet lacks (short, ushort, ulong, ulonglong, indx) converts like any other: to float32 by
    # default, or to the dtype asked for, as numpy's astype casts
    p = PDL([[1, 2], [3, 100]], ptype)
    assert nd.array(p).dtype == "float32"
    assert nd.array(p).asnumpy().tolist() == [[1, 2], [3, 100]]
    assert nd.array(p, dtype="int64").asnumpy().tolist() == [[1, 2], [3, 100]]


# -- methods ------------------------------------------------------------------------------------------------

def test_reshape_special_values_as_mxnet_documents_them():
    x = nd.arange(stop=30).reshape([2, 3, 5])
    for shape, expected in [([-1], (30,)), ([0, -1], (2, 15)), ([-2], (2, 3, 5)), ([-3, -1], (6, 5)),
                            ([-1, 0], (10, 3)), ([2, -4, 3, 1, 5], (2, 3, 1, 5)), ([0, -4, -1, 1, 0], (2, 3, 1, 5))]:
        assert x.reshape(shape).shape == expected
    # -4 splits the input dim it reaches: here dim 1 (3), which 2 x 3 does not make
    with pytest.raises(mx.base.MXNetError, match="Split dims 2, 3 do not divide original dim 3"):
        x.reshape([6, -4, 2, 3])
    assert x.reshape([-1, 15]).reshape([0, -4, 3, -1]).shape == (2, 3, 5)
    assert x.reshape([-1, 0], reverse=True).shape == (6, 5)
    assert x.reshape([6, 5]).asnumpy().tolist() == np.arange(30).reshape(6, 5).tolist()


def test_moveaxis_is_numpy_s():
    data = np.arange(12).reshape(2, 2, 3)
    x = nd.array(data)
    assert x.moveaxis(0, 2).asnumpy().tolist() == np.moveaxis(data, 0, 2).tolist()
    assert x.moveaxis(2, 0).shape == (3, 2, 2)
    assert x.moveaxis(-1, 0).shape == (3, 2, 2)


def test_split_array_is_perl_s_array_dereference():
    x = nd.array(M23)
    rows = x.split_array()
    assert [r.asnumpy().tolist() for r in rows] == M23
    assert nd.zeros([1, 7]).split_array()[0].shape == (7,)
    assert nd.zeros([3, 7, 11]).split_array()[2].shape == (7, 11)
    assert [r.shape for r in nd.array([1, 2, 3]).split_array()] == [(1,), (1,), (1,)]
    assert nd.array(np.zeros((0, 7))).split_array() == []
    rows[0][:] = 9  # copies, as AI::MXNet's split gave
    assert x.asnumpy().tolist() == M23


def test_t_is_a_2d_copy_and_refuses_more_dimensions():
    x = nd.array([1, 2, 3])
    t = x.T
    t[:] = 0
    assert x.asnumpy().tolist() == [1, 2, 3]
    assert nd.array(M23).T.asnumpy().tolist() == np.array(M23).T.tolist()
    with pytest.raises(ValueError, match="Only 2D matrix is allowed to be transposed"):
        nd.zeros([2, 2, 2]).T


def test_copyto_an_array_returns_it_and_writes_through_a_crop():
    x = nd.array(M23)
    target = nd.zeros([2, 3])
    assert x.copyto(target) is target and target.asnumpy().tolist() == M23
    y = nd.zeros([2, 3])
    nd.array([[7], [8]]).copyto(y.slice("X", 1))
    assert y.asnumpy().tolist() == [[0, 7, 0], [0, 8, 0]]
    other = x.copyto(mx.cpu(3))
    assert other.context == mx.cpu(3) and other.asnumpy().tolist() == M23
    assert x.sever().asnumpy().tolist() == M23


def test_atan2_is_the_quadrant_correct_angle():
    data = np.array([[1.0, -2.0], [-3.0, 4.0]], dtype=np.float32)
    x = nd.array(data)
    np.testing.assert_allclose(x.atan2(-1.0).asnumpy(), np.arctan2(data, -1.0), rtol=1e-6)
    np.testing.assert_allclose(x.atan2(2.0, reverse=True).asnumpy(), np.arctan2(2.0, data), rtol=1e-6)
    np.testing.assert_allclose(x.atan2(x * 2).asnumpy(), np.arctan2(data, data * 2), rtol=1e-6)


def test_methods_that_mxnet_has_reach_mxnet():
    x = nd.array(M23)
    assert x.broadcast_to([2, 2, 3]).shape == (2, 2, 3)
    assert x.astype("int32").dtype == "int32"
    assert x.as_in_context(mx.cpu(1)).context == mx.cpu(1)
    assert x.tostype("csr").stype == "csr"
    assert x.len() == 2 and x.ndim == 2 and x.size == 6
    x.wait_to_read()
    nd.waitall()


def test_sparse_arrays_convert_to_pdl_as_dense():
    x = nd.array([[0, 1], [2, 0]]).tostype("csr")
    assert str(x.aspdl()) == str(nd.array([[0, 1], [2, 0]]).aspdl())


def test_asmpdl_is_the_same_matrix_with_row_column_dims():
    m = nd.array(M23).asmpdl()
    assert isinstance(m, PDLMatrix) and m.dims() == [2, 3]
    assert str(m) == str(nd.array(M23).aspdl())
    assert str(nd.array([1, 2]).asmpdl()) == "\n[\n [1]\n [2]\n]\n"  # PDL::Matrix prints a vector as a column


# -- Storable / pickle, save / load ------------------------------------------------------------------------

def test_freeze_and_thaw_round_trip_and_read_plain_mxnet_s_bytes():
    x = nd.array(M23, dtype="float64")
    y = NDArray.thaw(x.freeze())
    assert y.dtype == "float64" and y.asnumpy().tolist() == M23
    z = pickle.loads(pickle.dumps(x))
    assert isinstance(z, NDArray) and z.asnumpy().tolist() == M23
    plain = mx.nd.array([[1.5, 2]])
    assert NDArray.thaw(bytes(plain.__getstate__()["handle"])).asnumpy().tolist() == [[1.5, 2]]
    assert NDArray.thaw(x.freeze().decode("latin-1")).asnumpy().tolist() == M23  # as a Perl string arrives


def test_save_and_load_pass_files_to_and_from_plain_mxnet(tmp_path):
    x, y = nd.array(M23), nd.array([1, 2], dtype="int64")
    listed, named = str(tmp_path / "list.params"), str(tmp_path / "named.params")
    nd.save(listed, [x, y])
    nd.save(named, {"x": x, "y y": y})
    plain = mx.nd.load(listed)
    assert [a.asnumpy().tolist() for a in plain] == [M23, [1, 2]] and plain[1].dtype == np.int64
    assert sorted(mx.nd.load(named)) == ["x", "y y"]
    mx.nd.save(listed, {"w": mx.nd.array([3, 4])})
    loaded = nd.load(listed)
    assert isinstance(loaded["w"], NDArray) and loaded["w"].asnumpy().tolist() == [3, 4]
    raw = open(named, "rb").read()
    for buf in (raw, raw.decode("latin-1")):
        got = nd.load_frombuffer(buf)
        assert isinstance(got["x"], NDArray) and got["x"].asnumpy().tolist() == M23


def test_a_hash_ref_is_data_for_save_but_keywords_elsewhere():
    assert perl_args.split_perl_args(nd.save, ["f", {"data": 1}]) == (["f", {"data": 1}], {})
    assert perl_args.split_perl_args(nd.sum, ["x", {"axis": 1}]) == (["x"], {"axis": 1})


# -- contexts -----------------------------------------------------------------------------------------------

def test_current_context_is_mxnet_s_default_and_can_be_set():
    assert context.current_context() == mx.cpu(0)
    try:
        context.set_current(mx.cpu(2))
        assert nd.ones([2]).context == mx.cpu(2) and mx.context.current_context() == mx.cpu(2)
    finally:
        context.set_current(mx.cpu(0))
    assert bmx.context.current_context() == mx.cpu(0) and bmx.context.num_gpus() == mx.context.num_gpus()


@pytest.mark.skipif(mx.context.num_gpus() > 0, reason="this machine has a GPU")
def test_a_gpu_that_is_not_there_fails_in_one_line():
    from bridge.arrays.context import NoGPU, device
    with pytest.raises(NoGPU, match=r"^gpu\(0\) is not available: this mxnet has no GPU support") as info:
        device("gpu", 0)
    assert "\n" not in str(info.value)
    assert device("cpu", 1) == mx.cpu(1)


# -- sub-namespaces -----------------------------------------------------------------------------------------

def test_linalg_image_contrib_and_sparse_reach_mxnet():
    a, b = np.ones((2, 2)), np.ones((3, 2))
    got = nd.linalg.gemm2(nd.array(a), nd.array(b), transpose_b=1, alpha=2.0)
    assert isinstance(got, NDArray) and got.asnumpy().tolist() == (2 * a @ b.T).tolist()
    assert nd.image.to_tensor(nd.zeros([28, 28, 3])).shape == (3, 28, 28)
    assert nd.contrib.arange_like(nd.ones([4])).asnumpy().tolist() == [0, 1, 2, 3]
    assert nd.sparse.zeros("csr", [2, 3]).stype == "csr"
    with pytest.raises(AttributeError, match=r"unknown operator gemmx in mx.nd.linalg \(did you mean gemm\?\)"):
        nd.linalg.gemmx


# -- random -------------------------------------------------------------------------------------------------

SAMPLERS = [
    ("uniform", (-1, 1, (2, 3)), {}),
    ("normal", (0, 2, (3,)), {"dtype": "float64"}),
    ("randint", (0, 10, (4,)), {}),
    ("gamma", (9, 0.5, (3,)), {}),
    ("exponential", (4, (3,)), {}),
    ("poisson", (4, (3,)), {}),
    ("negative_binomial", (3, 0.4, (3,)), {}),
    ("generalized_negative_binomial", (2, 0.3, (3,)), {}),
]


@pytest.mark.parametrize("name, args, kwargs", SAMPLERS, ids=[s[0] for s in SAMPLERS])
def test_samplers_give_plain_mxnet_s_numbers_for_the_same_seed(name, args, kwargs):
    mx.random.seed(7)
    expected = getattr(mx.nd.random, name)(*args, **kwargs).asnumpy()
    bmx.random.seed(7)
    got = getattr(nd.random, name)(*args, **kwargs)
    assert isinstance(got, NDArray) and got.dtype == expected.dtype.name
    assert got.asnumpy().tolist() == expected.tolist()


def test_multinomial_shuffle_and_array_parameters_follow_plain_mxnet():
    probs = np.array([[0, 0.1, 0.2, 0.3, 0.4], [0.4, 0.3, 0.2, 0.1, 0]])
    mx.random.seed(3)
    samples, logp = mx.nd.random.multinomial(mx.nd.array(probs), shape=5, get_prob=True)
    bmx.random.seed(3)
    got = nd.random.multinomial(nd.array(probs), shape=5, get_prob=True)
    assert got[0].asnumpy().tolist() == samples.asnumpy().tolist()
    assert got[1].asnumpy().tolist() == logp.asnumpy().tolist()
    mx.random.seed(3)
    expected = mx.nd.random.shuffle(mx.nd.arange(0, 10)).asnumpy().tolist()
    bmx.random.seed(3)
    assert nd.random.shuffle(nd.arange(stop=10)).asnumpy().tolist() == expected
    mx.random.seed(3)
    expected = mx.nd.random.normal(mx.nd.array([0, 10]), mx.nd.array([1, 2]), shape=3).asnumpy().tolist()
    bmx.random.seed(3)
    assert nd.random.normal(nd.array([0, 10]), nd.array([1, 2]), shape=3).asnumpy().tolist() == expected


def test_randn_takes_the_shape_positionally_or_as_a_keyword():
    mx.random.seed(5)
    expected = mx.nd.random.normal(10, 0.5, shape=(2, 3)).asnumpy().tolist()
    for call in (lambda: nd.random.randn(2, 3, loc=10, scale=0.5),
                 lambda: nd.random.randn(shape=[2, 3], loc=10, scale=0.5)):
        bmx.random.seed(5)
        assert call().asnumpy().tolist() == expected


# -- the PDL mirror's slicing, for the crash course's PDL step --------------------------------------------

def test_pdl_slice_is_a_view_and_set_assigns_into_it():
    p = PDL(M23, "float")
    assert str(p.slice("1:2,:")) == str(PDL([[2, 3], [5, 6]], "float"))
    assert str(p.slice("(0),:")) == "[1 4]"
    assert str(p.slice("-1:0")) == str(PDL([[3, 2, 1], [6, 5, 4]], "float"))
    p.slice("1:2,:").set(7)
    assert p.unpdl() == [[1, 7, 7], [4, 7, 7]]
    with pytest.raises(IndexError, match="out of range"):
        p.slice("3")


def test_ndarray_files_whose_sizes_do_not_add_up_are_refused(tmp_path):
    from bridge.arrays import files as io
    good = tmp_path / "good.nd"
    mx.nd.save(str(good), {"w": mx.nd.ones((2, 3)), "s": mx.nd.ones((2, 2)).tostype("csr")})
    data = good.read_bytes()
    io.check_ndarray_file(data)  # a real file, sparse array included, passes
    assert set(nd.load(str(good))) == {"w", "s"}
    with pytest.raises(io.CorruptFile, match="truncated"):
        io.check_ndarray_file(data[:40])
    huge = bytearray(data)
    huge[36:44] = (2 ** 40).to_bytes(8, "little")  # first dimension of the first array
    with pytest.raises(io.CorruptFile, match="needs"):
        io.check_ndarray_file(bytes(huge))
    with pytest.raises(io.CorruptFile, match="unknown array format"):
        io.check_ndarray_file(data[:24] + b"\0\0\0\0" + data[28:])
