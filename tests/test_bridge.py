"""Unit tests of the Python bridge: the mirror names, AI::MXNet's rules, and the Perl entry points' helpers."""
import mxnet as mx
import numpy as np
import pytest

from bridge import NDArray, autograd, mnorm, nd, sclr
from bridge.perl import args as perl_args
from bridge.perl import entry as perl, errors


def test_array_defaults_to_float32_and_keeps_values():
    x = nd.array([[1, 2], [3, 4]])
    assert isinstance(x, NDArray)
    assert x.shape == (2, 2) and x.dtype == "float32" and x.size == 4
    assert x.asnumpy().tolist() == [[1, 2], [3, 4]]
    assert nd.array(np.arange(3, dtype=np.float64)).dtype == "float32"  # AI::MXNet's default
    assert nd.array([1, 2], dtype="int64").dtype == "int64"
    assert nd.array(5).shape == (1,)  # a number is a one-element array, as a 0-dim PDL was


def test_operators_with_numbers_on_either_side():
    x = nd.array([1, 2, 4])
    assert (1 - x).asnumpy().tolist() == [0, -1, -3]
    assert (8 / x).asnumpy().tolist() == [8, 4, 2]
    assert (2 ** x).asnumpy().tolist() == [2, 4, 16]
    assert (x % 3).asnumpy().tolist() == [1, 2, 1]
    assert (2 < x).asnumpy().tolist() == [0, 0, 1]
    assert (-x).asnumpy().tolist() == [-1, -2, -4]
    y = x
    y += 1  # in place: the same array, as AI::MXNet's += was
    assert y is x and x.asnumpy().tolist() == [2, 3, 5]


def test_bool_follows_python_mxnet():
    assert not nd.array([0])
    assert nd.array([3])
    with pytest.raises(ValueError, match="ambiguous"):
        bool(nd.array([1, 2]))


def test_stringify_is_ai_mxnet_s():
    assert nd.array([[1, 2, 3], [4, 5, 6]]).stringify() == "<AI::MXNet::NDArray 2x3 @cpu(0)>"


def test_slice_rules():
    x = nd.array([[1, 2, 3], [4, 5, 6], [7, 8, 9]])
    assert x.slice("0").asnumpy().tolist() == [[1, 2, 3]]
    assert x.slice(0).shape == (1, 3)
    assert x.slice([1, 2]).asnumpy().tolist() == [[4, 5, 6], [7, 8, 9]]  # end inclusive
    assert x.slice(-1).asnumpy().tolist() == [[7, 8, 9]]
    assert x.slice("X").shape == (3, 3)
    assert x.slice([0, 1], [1, 2]).asnumpy().tolist() == [[2, 3], [5, 6]]
    assert x.at(1).asnumpy().tolist() == [4, 5, 6]
    assert x.slice(begin=(0, 1), end=(1, 3)).asnumpy().tolist() == [[2, 3]]  # mxnet's operator


def test_slice_is_a_view_and_set_writes_through():
    x = nd.array([[1, 2], [3, 4]])
    x.slice(1).set(7)
    assert x.asnumpy().tolist() == [[1, 2], [7, 7]]
    x.slice("X", 0).set(0)  # a crop: assignment goes into the parent
    assert x.asnumpy().tolist() == [[0, 2], [0, 7]]
    x.set([[1, 1], [1, 1]])
    assert x.asnumpy().tolist() == [[1, 1], [1, 1]]
    with pytest.raises(ValueError, match="Shape inconsistant: expected 2,2 vs got 3"):
        x.set([1, 2, 3])


@pytest.mark.parametrize("bad, message", [
    ((3,), "Dimension 0 mismatch slice begin : 3 >= Dim Size: 2"),
    (([1, 0],), r"Dimension 0 slice mismatch \(begin 1 > end 0\)"),
    ((0, 0, 0), "Dimensions size 2 < slices size 3"),
    (("a",), "bad slice: 'a'"),
])
def test_bad_slices_say_what_is_wrong(bad, message):
    with pytest.raises(IndexError, match=message):
        nd.array([[1, 2], [3, 4]]).slice(*bad)


def test_record_as_function_and_context_manager():
    x = nd.array([[1, 2], [3, 4]])
    x.attach_grad()
    y = autograd.record(lambda: 2 * x * x)
    y.backward()
    assert x.grad.asnumpy().tolist() == [[4, 8], [12, 16]]
    with autograd.record():
        assert autograd.is_recording()
        z = (x * x).sum()
    assert not autograd.is_recording()
    z.backward()
    assert x.grad.asnumpy().tolist() == [[2, 4], [6, 8]]


def test_record_restores_state_when_the_function_raises():
    def boom():
        raise RuntimeError("boom")
    with pytest.raises(RuntimeError, match="boom"):
        autograd.record(boom)
    assert not autograd.is_recording() and not autograd.is_training()


def test_array_of_an_ndarray_keeps_the_graph():
    a = nd.array([0.25, 0.5])
    a.attach_grad()
    with autograd.record():
        c = nd.array((a * 8).slice("0"))
    c.backward()
    assert a.grad.asnumpy().tolist() == [8, 0]


def test_unknown_operator_names_a_close_match():
    with pytest.raises(AttributeError, match=r"unknown operator sumx in mx.nd \(did you mean sum\?\)"):
        nd.sumx


def test_mirror_forwards_every_mxnet_method():
    x = nd.array([[1, -2]])
    assert isinstance(x.relu(), NDArray) and x.relu().asnumpy().tolist() == [[1, 0]]
    assert nd.sum(x, axis=1).asnumpy().tolist() == [-1]


def test_mnorm_and_sclr_on_aspdl():
    v = nd.array([3, -4]).aspdl()
    assert str(v) == "[3 -4]"  # as perl -MPDL -e "print float([3,-4])" prints
    assert sclr(mnorm(v)) == pytest.approx(5.0)


# -- the Perl convention, in Python ---------------------------------------------------------------------

def test_trailing_pairs_become_keywords_only_for_known_names():
    def uniform(low=0, high=1, shape=None, **kwargs):
        pass
    assert perl_args.split_perl_args(uniform, [0, 1, "shape", [2, 3]]) == ([0, 1], {"shape": (2, 3)})
    assert perl_args.split_perl_args(uniform, ["shape", 2]) == ([], {"shape": 2})
    assert perl_args.split_perl_args(uniform, ["X", 1]) == (["X", 1], {})
    assert perl_args.split_perl_args(uniform, [0, {"high": 2.0}]) == ([0], {"high": 2})
    # a hash ref after a parameter's name is that pair's value, not the keywords (attr => {__mood__ => 'x'})
    def variable(name, attr=None, **kwargs):
        pass
    assert perl_args.split_perl_args(variable, ["v", "attr", {"__mood__": "x"}]) == (["v"], {"attr": {"__mood__": "x"}})
    assert perl_args.split_perl_args(variable, ["v", {"lr_mult": 2}]) == (["v"], {"lr_mult": 2})


def test_attr_scope_as_ai_mxnet_set_it():
    from bridge import mx as bmx
    from bridge.api import symbol
    try:
        symbol.set_attr_scope(bmx.AttrScope(group=4))  # numbers are strings, as AI::MXNet's Str attributes
        inner = mx.sym.Variable("a")
        symbol.set_attr_scope(bmx.AttrScope(__init_bias__=0))  # replaces it: no merging
        replaced = mx.sym.Variable("b")
    finally:
        symbol.set_attr_scope(None)
    assert inner.attr("group") == "4" and replaced.attr("group") is None and replaced.attr("__init_bias__") == "0"
    assert mx.sym.Variable("c").attr("group") is None


def test_integral_floats_become_ints_in_keywords():
    # Perl sends 6/2 as 3.0, which mxnet's integer parameters refuse
    assert perl_args.convert_keyword(3.0) == 3 and isinstance(perl_args.convert_keyword(3.0), int)
    assert perl_args.convert_keyword(0.5) == 0.5
    assert perl_args.convert_keyword(True) is True


def test_conversions_doc_lists_every_rule():
    import pathlib
    doc = (pathlib.Path(__file__).parent.parent / "docs" / "CONVERSIONS.md").read_text()
    for typ, where, rule in perl_args.CONVERSIONS:
        assert f"`{rule.__name__}`" in doc, f"docs/CONVERSIONS.md does not list {rule.__name__}"


def test_mxnet_errors_show_mxnet_s_message_first():
    with pytest.raises(mx.base.MXNetError) as info:
        mx.nd.dot(mx.nd.ones((2, 3)), mx.nd.ones((2, 3))).wait_to_read()
    assert errors.first_line(info.value).endswith("dot shape error: [2,3] X [2,3]")
    assert errors.first_line(info.value).startswith("Check failed")


def test_perl_entry_points_return_the_sentinel_and_keep_the_error():
    sentinel = object()
    perl.init(sentinel)
    assert perl.call("nd.no_such_op") is sentinel
    kind, typ, message, trace = perl.take_error()
    assert (kind, typ) == ("python", "UnknownOperator")
    assert message.startswith("unknown operator no_such_op") and "Traceback" in trace
    x = perl.call("nd.array", [[1, 2], [3, 4]], "dtype", "float64")
    assert isinstance(x, NDArray) and x.dtype == "float64"
    assert perl.call_method(x, "shape") == [2, 2]
    assert perl.operator("__rsub__", x, 1).asnumpy().tolist() == [[0, -1], [-2, -3]]
    assert perl.call_method(x, "context") == {"\0context": ["cpu", 0]}  # the shim makes it an AI::MXNet::Context
    # a small array's data comes with its spec, as the PDL's bytes; a large one's is copied by copy_to_pdl
    assert perl.pdl_spec(x) == ["double", [2, 2], np.array([[1, 2], [3, 4]], dtype=np.float64).tobytes()]
    assert perl.pdl_spec(nd.array([[1.5, -2]], dtype="float16")) == ["float", [2, 1],
                                                                      np.array([1.5, -2], np.float32).tobytes()]
    big = nd.zeros((2, perl._BYTES_WITH_SPEC // 8 + 1), dtype="float32")
    assert perl.pdl_spec(big) == ["float", [perl._BYTES_WITH_SPEC // 8 + 1, 2]]


def test_copy_to_pdl_and_back_through_a_buffer():
    import ctypes
    x = nd.array([[1.5, -2], [3, 4], [5, 6]], dtype="float16")
    buf = ctypes.create_string_buffer(6 * 4)
    assert perl.copy_to_pdl(x, ctypes.addressof(buf), 24) == 1
    assert np.frombuffer(buf.raw, dtype=np.float32).tolist() == [1.5, -2, 3, 4, 5, 6]
    y = perl.array_from_pdl(ctypes.addressof(buf), 24, "float", [2, 3], "dtype", "float64")
    assert y.shape == (3, 2) and y.dtype == "float64"
    assert y.asnumpy().tolist() == [[1.5, -2], [3, 4], [5, 6]]


def test_item_assignment_into_a_crop_reaches_the_parent():
    y = nd.array([[1, 2, 3], [4, 5, 6]])
    y.slice("X", [1, 2])[:] = 0
    assert y.asnumpy().tolist() == [[1, 0, 0], [4, 0, 0]]
    crop = y.slice("X", [0])
    crop[:] = 9
    assert y.asnumpy().tolist() == [[9, 0, 0], [9, 0, 0]]


def test_keyword_names_come_from_the_operator_registry_for_kwargs_functions():
    # mxnet's NDArray.sum and nd.concat take (*args, **kwargs); the registry knows their parameters
    assert {"axis", "keepdims", "exclude"} <= perl_args.keyword_names(mx.nd.NDArray.sum)
    assert {"dim", "num_args"} <= perl_args.keyword_names(mx.nd.concat)
    assert perl_args.split_perl_args(mx.nd.concat, ["a", "b", "dim", 1]) == (["a", "b"], {"dim": 1})


def test_transpose_refuses_axes_that_are_not_a_permutation():
    # mxnet 1.9.1 accepts axes (0, 0) and corrupts the heap; the bridge refuses them first
    x = nd.array([[1, 2, 3], [4, 5, 6]])
    for call in (lambda: x.transpose(axes=(0, 0)), lambda: nd.transpose(x, axes=[1, 1]), lambda: x.transpose((0, 0))):
        with pytest.raises(ValueError, match="not a permutation"):
            call()
    expected = [[1, 4], [2, 5], [3, 6]]
    assert x.transpose().asnumpy().tolist() == expected
    assert x.transpose(axes=(1, 0)).asnumpy().tolist() == expected
    assert nd.transpose(x).asnumpy().tolist() == expected
    assert x.T.asnumpy().tolist() == expected


def test_engine_bulk_with_a_block_or_a_function():
    from bridge import mx as bmx
    with bmx.engine.bulk(10):
        x = nd.ones((3,)) * 2 + 1
    assert x.asnumpy().tolist() == [3, 3, 3]
    size = bmx.engine.set_bulk_size(3)
    with pytest.raises(ZeroDivisionError):
        bmx.engine.bulk(10, lambda: 1 / 0)
    assert bmx.engine.set_bulk_size(size) == 3  # the size is back after the error


def test_runtime_features_as_ai_mxnet_gave_them():
    from bridge import mx as bmx
    features = bmx.runtime.Features()
    assert features is bmx.runtime.Features()
    expected = {f.name: int(f.enabled) for f in mx.runtime.feature_list()}
    assert features.features == expected and features.is_enabled("CUDA") == expected["CUDA"]
    with pytest.raises(RuntimeError, match="Feature hello world does not exist"):
        features.is_enabled("hello world")
    assert repr(features).startswith("[\u2716 BLAS_APPLE, ") and "\u2714 OPENMP" in repr(features)


def test_only_names_a_namespace_offers_are_reached_from_perl():
    # '_module.utils.os.system' walked any attribute chain to os.system; a namespace offers only its functions,
    # children, mxnet's own public callables and registered operators
    import bridge
    from bridge.arrays.namespace import UnknownOperator
    from bridge.handles import objects
    for path in ("gluon._module.utils.os.system", "gluon.utils.os.system", "nd._imperative_invoke",
                 "gluon._path", "nd.__class__", "os.system", "nd.NDArray.thaw", "mx.init.sqrt"):
        with pytest.raises(UnknownOperator):
            perl._resolve(path)
    assert perl._resolve("nd._plus_scalar") is bridge.nd._plus_scalar
    assert perl._resolve("gluon.utils.split_and_load")
    with pytest.raises(AttributeError):
        objects.call(mx.gluon.nn.Dense(2), "_children.clear")


def test_smaller_refusals_say_why_in_one_line():
    from bridge import mx as bmx
    with pytest.raises(TypeError, match="set_current takes a context"):
        bmx.context.set_current("garbage")
    assert nd.ones((1,)).context == mx.cpu(0)
    with pytest.raises(TypeError, match=r"^unknown dtype complex64 \(MXNet's are bool, float16"):
        nd.ones((2,)).astype("complex64")
    assert nd.ones((2,)).astype("int32").dtype == "int32"
    # libmxnet's IndexError (ValueError, ...) arrive as Python's, with its traceback layout in the text
    with pytest.raises(IndexError) as info:
        mx.nd.gather_nd(mx.nd.ones((2, 3)), mx.nd.array([[5], [0]])).wait_to_read()
    assert errors.first_line(info.value) == "index 5 is out of bounds for axis 0 with size 2"


def test_a_refused_dataloader_prints_nothing_when_collected():
    import subprocess
    import sys
    code = ("import gc, bridge, mxnet as mx\n"
            "try:\n    mx.gluon.data.DataLoader(mx.gluon.data.ArrayDataset([1, 2]), batch_size=None)\n"
            "except ValueError:\n    pass\ngc.collect()\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0 and "Exception ignored" not in proc.stderr, proc.stderr


def test_the_namespace_table_names_each_namespace_once_and_its_paths_resolve():
    """The one table of AI::MXNet's namespaces (bridge/__init__.py): each namespace has one AI::MXNet class name,
    each name one namespace, and the path the shim calls under resolves to that namespace."""
    import bridge
    from bridge.arrays.namespace import Namespace
    rows = perl.namespace_table()
    packages = [row[0] for row in rows]
    assert len(packages) == len(set(packages))
    for package, path, calls, children in rows:
        target = bridge
        for part in path.split("."):
            target = getattr(target, part)
        assert isinstance(target, Namespace) and target._perl == package
        assert calls in ("operators", "objects", "module")
        assert set(children.values()) <= set(packages)
    table = {row[0]: row for row in rows}
    assert table["AI::MXNet"][3]["initializer"] == table["AI::MXNet"][3]["init"] == "AI::MXNet::Initializer"
    assert table["AI::MXNet::Gluon::NN"][1:3] == ["mx.gluon.nn", "objects"]
    assert table["AI::MXNet::LinAlg::NDArray"][1:3] == ["mx.nd.linalg", "operators"]
    assert bridge.mx.initializer is bridge.mx.init and bridge.mx.symbol is bridge.mx.sym
