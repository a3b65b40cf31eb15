"""bridge.arrays.pdl against real Perl PDL 2.081: the same bytes, dims and type must print and answer the same.

All Perl work runs in one perl process per group (strings/API, mnorm); data goes in as raw bytes so
floats, -0.0 and NaN reach PDL exactly as numpy holds them.
"""
import importlib.util
import math
import os
import subprocess
import sys

import numpy as np
import pytest

if subprocess.run(["perl", "-MPDL", "-e1"], capture_output=True).returncode != 0:
    pytest.skip("perl with PDL is not installed", allow_module_level=True)
HAVE_LINALG = subprocess.run(["perl", "-MPDL", "-MPDL::LinearAlgebra", "-e1"],
                             capture_output=True).returncode == 0


def _load_pdl_module():
    """bridge.arrays.pdl; loaded from its file when the bridge package itself does not import (yet)."""
    try:
        import bridge.arrays.pdl
        return bridge.arrays.pdl
    except Exception:
        path = os.path.join(os.path.dirname(__file__), os.pardir, "bridge", "pdl.py")
        spec = importlib.util.spec_from_file_location("bridge_pdl_standalone", path)
        mod = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = mod
        spec.loader.exec_module(mod)
        return mod


bpdl = _load_pdl_module()
PDL, mnorm, sclr = bpdl.PDL, bpdl.mnorm, bpdl.sclr

PRELUDE = r"""
use strict; use warnings; use PDL;
binmode STDOUT;
$PDL::toolongtoprint = 1_000_000_000;  # as AI::MXNet sets it, and so the mirror
sub mk { my ($t, $hex, @d) = @_; my $p = zeroes(PDL::Type->new($t), @d);
         ${$p->get_dataref} = pack("H*", $hex); $p->upd_data; $p }
sub ser { my $x = shift; ref $x eq 'ARRAY' ? '[' . join(',', map { ser($_) } @$x) . ']' : "$x" }
sub out { print join("\x01", @_), "\x00" }
"""


def perl_pdl(ptype, arr):
    """Perl code building the PDL of this type holding exactly arr's bytes (dims = shape reversed)."""
    data = np.asarray(arr).astype(bpdl.PDL_TYPES[ptype], order="C")  # (ascontiguousarray makes 0-dim 1-D)
    dims = "".join(", %d" % d for d in reversed(data.shape))
    return "mk('%s', '%s'%s)" % (ptype, data.tobytes().hex(), dims)


def run_perl(lines, modules=""):
    """Run the prelude plus lines in one perl; each out(...) call gives one record (a list of fields)."""
    src = PRELUDE + modules + "\n".join(lines) + "\n"
    res = subprocess.run(["perl", "-"], input=src.encode(), capture_output=True, timeout=60)
    assert res.returncode == 0, res.stderr.decode()
    records = res.stdout.decode().split("\x00")
    assert records[-1] == ""
    return [r.split("\x01") for r in records[:-1]]


def perl_scalar(v):
    """How Perl prints the scalar that PDL hands back: NV as %.15g ("0" for -0.0, Inf, NaN), IV as is."""
    if isinstance(v, float):
        if math.isnan(v):
            return "NaN"
        if math.isinf(v):
            return "Inf" if v > 0 else "-Inf"
        return "0" if v == 0 else "%.15g" % v
    return str(v)


def ser(x):
    return "[" + ",".join(ser(e) for e in x) + "]" if isinstance(x, list) else perl_scalar(x)


# -- data --------------------------------------------------------------------------------------------------
RNG = np.random.default_rng(20240601)
INF, NAN = float("inf"), float("nan")
NEG_NAN = -np.float64("nan")  # sign bit set, as x86 makes it for inf-inf
WIDE = (RNG.standard_normal(10000) * 10.0 ** RNG.integers(-12, 13, 10000))
WIDE[::97] = np.round(WIDE[::97])
WIDE[5:10] = [0.0, -0.0, 1.0, -3.0, 1e15]

STR_CASES = [
    # 1-D
    ("1d_long", "long", [1, 2, 3]),
    ("1d_double_mixed", "double", [0.1, 1 / 3, 2.5, 1e-10, 1.2345679e8]),
    ("1d_float_mixed", "float", [0.1, 1 / 3, 2.5, 1e-10, 1.2345679e8]),
    ("1d_double_long_ints", "double", [1.2345679, 12345679]),
    ("1d_double_len7_8", "double", [1234567, 12345678, -123456, -1234567]),
    ("1d_double_special", "double", [0.0, -0.0, -1.5, INF, -INF, NAN, NEG_NAN]),
    ("1d_float_special", "float", [INF, -INF, NAN, -0.0, 0.1, 16777217, 3.4e38, 1e-45]),
    ("1d_double_rounding", "double", [5.258698249999999, 9.554173250000002, 999999999999999, 1e14,
                                      2.0 ** 53, 0.1 + 0.2, 1e21, 2.0 ** 63, -(2.0 ** 63)]),
    ("1d_indx", "indx", [1234567890123, 1, -5, -9223372036854775807]),
    ("1d_indx_short", "indx", [123456789, -1]),
    ("1d_longlong", "longlong", [9223372036854775807, -9223372036854775808, 0, 12345678]),
    ("1d_byte", "byte", [0, 255, 7]),
    ("1d_sbyte", "sbyte", [-128, 127, 0]),
    ("1d_short", "short", [-32768, 32767, 0]),
    ("1d_ushort", "ushort", [65535, 0]),
    ("1d_ulong", "ulong", [4294967295, 0]),
    ("1d_ulonglong", "ulonglong", np.array([2 ** 64 - 1, 2 ** 63, 5], dtype=np.uint64)),
    ("1d_one_double", "double", [5.0]),
    ("1d_one_float", "float", [0.1]),
    ("1d_one_long", "long", [-7]),
    # 2-D
    ("2d_long", "long", [[1, 2, 3], [4, 5, 6]]),
    ("2d_long_widths", "long", [[1, 10, 100], [1000, 5, 6]]),
    ("2d_long_wide", "long", [[123456789, -2147483648], [1, 2]]),
    ("2d_double", "double", [[0.1, 1 / 3], [2.5, -4]]),
    ("2d_double_ints", "double", [[1, 2], [3, 4]]),
    ("2d_double_special_wide", "double", [[INF, -0.0, 0.1], [NAN, -INF, 1 / 3]]),
    ("2d_double_special_narrow", "double", [[INF, -0.0], [NEG_NAN, -INF]]),
    ("2d_double_rounding", "double", [[5.258698249999999, 1], [-0.0, 9.554173250000002]]),
    ("2d_float", "float", [[0.1, 1 / 3], [1e-10, 1.2345679e8]]),
    ("2d_float_negzero", "float", [[-0.0, 0.123456789], [3, NAN]]),
    ("2d_indx_wide", "indx", [[123456789, 1], [1, 2]]),
    # widest entry exactly 7 or 8 characters: PDL switches to the type's format above 7
    ("2d_double_width7", "double", [[1234567, 1], [2, 3]]),
    ("2d_double_width8", "double", [[12345678, 1], [2, 3]]),
    ("2d_double_width8_negative", "double", [[-1234567, 1], [2, 3]]),
    ("2d_double_width8_fraction", "double", [[0.5, 1234.125], [2, 3]]),
    ("2d_float_width8", "float", [[12345678, 1], [2, 3]]),
    ("2d_float_width8_fraction", "float", [[0.1234567, 1], [2, 3]]),
    ("2d_indx_width8", "indx", [[12345678, 1], [2, 3]]),
    ("2d_longlong_width8", "longlong", [[12345678, 1], [2, 3]]),
    ("2d_indx_narrow", "indx", [[1, 2], [3, -4]]),
    ("2d_longlong_wide", "longlong", [[123456789012, 1], [1, 2]]),
    ("2d_byte", "byte", [[0, 255], [7, 8]]),
    ("2d_sbyte", "sbyte", [[-128, 1], [2, 3]]),
    ("2d_short", "short", [[-32768, 1], [2, 3]]),
    ("2d_row", "double", [[1.5, 2.5, 3.5]]),
    ("2d_col", "double", [[1.5], [2.5], [3.5]]),
    # 3-D and 4-D
    ("3d_long", "long", np.arange(8).reshape(2, 2, 2)),
    ("3d_long_slice_widths", "long", [[[1, 2], [3, 4]], [[1000, 2], [3, -4]]]),
    ("3d_double_slice_widths", "double", [[[1, 2], [3, 4]], [[0.1, 1 / 3], [-0.0, 2]]]),
    ("3d_float_random", "float", RNG.standard_normal((3, 2, 4))),
    ("3d_sbyte", "sbyte", np.arange(-12, 12).reshape(2, 3, 4)),
    ("4d_double", "double", np.arange(24).reshape(2, 3, 2, 2) / 7),
    ("4d_long", "long", np.arange(36).reshape(3, 2, 3, 2) ** 5),
    ("4d_ones", "double", [[[[1, 2, 3], [0.5, -1e-10, 6]]]]),
    ("4d_indx", "indx", (np.arange(16) * 123456789).reshape(2, 2, 2, 2)),
    # empty, 0-dim
    ("empty_1d", "long", np.zeros(0)),
    ("empty_3x0", "double", np.zeros((0, 3))),
    ("empty_0x3", "double", np.zeros((3, 0))),
    ("empty_3d", "float", np.zeros((2, 0, 3))),
    ("0d_double", "double", np.array(5.0)),
    ("0d_double_frac", "double", np.array(1 / 3)),
    ("0d_float", "float", np.array(0.1)),
    ("0d_long", "long", np.array(-7)),
    ("0d_nan", "double", np.array(NAN)),
    ("0d_negzero", "double", np.array(-0.0)),
    ("0d_inf", "float", np.array(-INF)),
    ("0d_indx_long", "indx", np.array(123456789012)),
    # size limit
    ("n10000_double", "double", WIDE),
    ("n10000_float_2d", "float", WIDE.reshape(100, 100)),
    ("n10000_indx_3d", "indx", np.arange(10000).reshape(10, 10, 100) ** 3),
    ("n10001_long", "long", np.arange(10001).reshape(73, 137)),
    ("n10001_1d", "double", np.arange(10001) / 3),
]

# (id, type, data, at-index tuples in PDL order)
API_CASES = [
    ("1d_double", "double", [0.1, -0.0, 1 / 3, INF, NAN], [(0,), (2,), (-1,), (-5,)]),
    ("1d_float", "float", [0.1, 2.5, -1e-10, NAN], [(0,), (-2,), (3,)]),
    ("2d_long", "long", [[1, 2, 3], [4, 5, 6]], [(0, 0), (2, 0), (0, 1), (-1, -1), (1, 1, 0)]),
    ("2d_byte", "byte", [[200, 100], [255, 3]], [(1, 0), (0, 1)]),
    ("2d_sbyte", "sbyte", [[-128, 100], [127, 3]], [(0, 0)]),
    ("2d_short", "short", [[-32768, 32767], [-1, 3]], [(1, 1)]),
    ("2d_ushort", "ushort", [[65535, 65535], [1, 3]], [(0, 0)]),
    ("2d_longlong", "longlong", [[2 ** 62, 2 ** 62], [1, -3]], [(1, 0)]),
    ("2d_ulonglong", "ulonglong", np.array([[2 ** 64 - 1, 5]], dtype=np.uint64), [(0, 0), (1, 0)]),
    ("2d_ulong", "ulong", [[4294967295, 1]], [(0, 0)]),
    ("1d_long_overflow", "long", [2147483647, 1], [(1,)]),
    ("1d_float_seq", "float", [1e8] + [1] * 20, [(1,)]),
    ("1d_double_seq", "double", [0.1] * 10, [(9,)]),
    ("1d_indx", "indx", [1234567890123, -4], [(0,)]),
    ("3d_double", "double", np.arange(24).reshape(2, 3, 4) / 7, [(0, 0, 0), (3, 2, 1), (-1, 0, -1)]),
    ("4d_float", "float", RNG.standard_normal((2, 1, 2, 3)), [(2, 1, 0, 1)]),
    ("nan_first", "double", [NAN, 1, 3], [(0,)]),
    ("all_nan", "float", [NAN, NAN], [(1,)]),
    ("infs", "double", [INF, -INF, 1], [(0,)]),
    ("one_elem_1d", "double", [0.1], [(0,), (-1,)]),
    ("one_elem_2d", "long", [[7]], [(0, 0)]),
    ("0d_double", "double", np.array(2.5), [(), (0,)]),
    ("0d_float", "float", np.array(0.1), [()]),
    ("0d_byte", "byte", np.array(200), [()]),
    ("empty_double", "double", np.zeros(0), []),
    ("empty_long_2d", "long", np.zeros((3, 0)), []),
    ("empty_byte", "byte", np.zeros((0, 2)), []),
]


@pytest.fixture(scope="module")
def perl_strings():
    lines = ['out("" . %s);' % perl_pdl(t, np.asarray(a)) for _, t, a in STR_CASES]
    return {case[0]: rec[0] for case, rec in zip(STR_CASES, run_perl(lines))}


@pytest.mark.parametrize("case", STR_CASES, ids=[c[0] for c in STR_CASES])
def test_str_matches_perl(case, perl_strings):
    name, ptype, data = case
    p = PDL(np.asarray(data), ptype)
    assert p.type == ptype
    assert str(p) == perl_strings[name]
    assert repr(p) == str(p)


def _api_python(p, idxs):
    fields = [",".join(map(str, p.dims())), str(p.ndims()), str(p.nelem()),
              ",".join(perl_scalar(v) for v in p.list()), ser(p.unpdl()),
              ";".join(perl_scalar(p.at(*i)) for i in idxs)]
    for r in (p.sum(), p.max(), p.min()):
        fields += [str(r), r.type, str(r.ndims())]
    fields.append(perl_scalar(p.sclr()) if p.nelem() == 1 else "-")
    return fields


@pytest.fixture(scope="module")
def perl_api():
    lines = []
    for _, t, a, idxs in API_CASES:
        at = ", ".join("'' . $p->at(%s)" % ", ".join(map(str, i)) for i in idxs)
        lines.append(
            "{ my $p = %s; my @at = (%s);\n"
            "  out(join(',', $p->dims), $p->ndims, $p->nelem, join(',', $p->list), ser($p->unpdl),\n"
            "      join(';', @at), map({ ('' . $_, '' . $_->type, $_->ndims) } $p->sum, $p->max, $p->min),\n"
            "      $p->nelem == 1 ? '' . $p->sclr : '-'); }"
            % (perl_pdl(t, np.asarray(a)), at))
    return {case[0]: rec for case, rec in zip(API_CASES, run_perl(lines))}


@pytest.mark.parametrize("case", API_CASES, ids=[c[0] for c in API_CASES])
def test_api_matches_perl(case, perl_api):
    name, ptype, data, idxs = case
    assert _api_python(PDL(np.asarray(data), ptype), idxs) == perl_api[name]


def test_sclr_and_at_errors():
    p = PDL(np.array([[1, 2], [3, 4]]), "long")
    with pytest.raises(ValueError):
        p.sclr()  # PDL 2.064+: "multielement ndarray in 'sclr' call"
    with pytest.raises(IndexError):
        PDL(np.zeros(0)).sclr()
    with pytest.raises(IndexError):
        p.at(1)  # too few indices
    with pytest.raises(IndexError):
        p.at(2, 0)
    assert p.at(1, 1, 0) == 4 and p.at(-2, -1) == 3
    assert sclr(5) == 5 and sclr(2.5) == 2.5
    assert sclr(PDL(np.array([0.1]), "float")) == float(np.float32(0.1))
    assert isinstance(PDL(np.array([[3]]), "long").sclr(), int)


def test_empty_max_is_bad():
    b = PDL(np.zeros(0), "double").max()
    assert str(b) == "BAD" and b.at() == "BAD" and b.list() == ["BAD"] and b.unpdl() == ["BAD"]
    assert b.sclr() == -np.finfo(np.float64).max  # the bad value itself, as PDL's sclr gives
    assert PDL(np.zeros(0), "byte").min().sclr() == 255


# mxnet dtype -> the PDL type of aspdl, written from AI::MXNet's Base.pm (DTYPE_MX_TO_PDL, in the PDL type
# numbers of its day: 6 float, 7 double, 0 byte, 3 long, 5 longlong) and DESIGN.md (int8 is sbyte now that
# PDL has it; numpy's bool becomes byte), not from the bridge's own table.
AI_MXNET_PDL_TYPES = {"float32": "float", "float64": "double", "float16": "float", "uint8": "byte",
                      "int32": "long", "int64": "longlong", "int8": "sbyte", "bool": "byte"}


def test_types_and_construction():
    assert {k: v.name for k, v in bpdl.PDL_TYPES.items()} == {
        "byte": "uint8", "sbyte": "int8", "short": "int16", "ushort": "uint16", "long": "int32",
        "ulong": "uint32", "indx": "int64", "longlong": "int64", "ulonglong": "uint64",
        "float": "float32", "double": "float64"}
    assert bpdl.MX_TO_PDL == AI_MXNET_PDL_TYPES
    for dt, t in [("uint8", "byte"), ("int8", "sbyte"), ("int16", "short"), ("uint16", "ushort"),
                  ("int32", "long"), ("uint32", "ulong"), ("int64", "longlong"), ("uint64", "ulonglong"),
                  ("float32", "float"), ("float64", "double")]:
        assert PDL(np.zeros(2, dtype=dt)).type == t
    p = PDL(np.array([[1.7, -2.2, 300.0]]), "byte")
    assert p.numpy().dtype == np.uint8 and p.dims() == [3, 1] and p.list() == [1, 254, 44]
    with pytest.raises(ValueError):
        PDL(np.zeros(2), "complex")


def test_from_mx():
    mx = pytest.importorskip("mxnet")
    for dt in ("float32", "float64", "float16", "uint8", "int32", "int64", "int8"):
        p = PDL.from_mx(mx.nd.array([[1, 2, 3], [4, 5, 100]], dtype=dt))
        assert p.type == AI_MXNET_PDL_TYPES[dt] and p.dims() == [3, 2]
        assert p.numpy().dtype == bpdl.PDL_TYPES[p.type]
        assert str(p) == "\n[\n [  1   2   3]\n [  4   5 100]\n]\n"
    assert str(PDL.from_mx(mx.nd.array([0.1]))) == "[    0.1]"


# -- mnorm ---------------------------------------------------------------------------------------------------
MATRIX = [[1, 2], [3, -4]]
VECTOR = [3, -4, 1]
ORDS = [None, 0, 1, 2, 3, "inf", "one", "two", "fro", 5, "foo", -1, 3.0, "3"]
MN_DATA = [
    ("matrix_double", "double", MATRIX),
    ("matrix_float", "float", MATRIX),
    ("matrix_long", "long", MATRIX),
    ("vector_double", "double", VECTOR),
    ("vector_float", "float", VECTOR),
    ("vector_byte", "byte", VECTOR),
    ("random_float", "float", RNG.standard_normal((5, 7))),
    ("random_float_tall", "float", RNG.standard_normal((6, 3)) * 100),
    ("random_double", "double", RNG.standard_normal((4, 4))),
    ("random_float_vector", "float", RNG.standard_normal(9)),
    ("broadcast_double", "double", RNG.standard_normal((2, 3, 3, 2))),
    ("broadcast_unit_dim", "double", RNG.standard_normal((1, 2, 2))),
]
MN_CASES = [(name, t, d, o) for name, t, d in MN_DATA for o in ORDS]


def _perl_ord(o):
    return "undef" if o is None else "'%s'" % o if isinstance(o, str) else repr(o)


@pytest.fixture(scope="module")
def perl_mnorm():
    if not HAVE_LINALG:
        pytest.skip("PDL::LinearAlgebra is not installed")
    code = ("{ my $r = mnorm(%s, %s); out('' . $r, '' . $r->type, join(',', $r->dims),"
            " join(',', map { sprintf '%%.17g', $_ } $r->list)); }")
    lines = [code % (perl_pdl(t, np.asarray(d)), _perl_ord(o)) for _, t, d, o in MN_CASES]
    recs = run_perl(lines, modules="use PDL::LinearAlgebra;\n")
    return {(c[0], repr(c[3])): r for c, r in zip(MN_CASES, recs)}


@pytest.mark.parametrize("case", MN_CASES, ids=["%s-%r" % (c[0], c[3]) for c in MN_CASES])
def test_mnorm_matches_perl(case, perl_mnorm):
    name, ptype, data, o = case
    text, rtype, rdims, values = perl_mnorm[(name, repr(o))]
    r = mnorm(PDL(np.asarray(data), ptype), o)
    assert r.type == rtype
    assert ",".join(map(str, r.dims())) == rdims
    want = [float(v) for v in values.split(",")]
    rtol = 1e-6 if rtype == "float" else 1e-13
    np.testing.assert_allclose(np.asarray(r.list(), dtype=float), want, rtol=rtol)
    assert str(r) == text


def test_mnorm_known_values():
    m, v = PDL(np.array(MATRIX, dtype=float)), PDL(np.array(VECTOR, dtype=float))
    assert [str(mnorm(m, o)) for o in ("inf", "one", "fro", None)] == [
        "7", "6", "5.47722557505166", "5.11667273601693"]
    assert [str(mnorm(v, o)) for o in ("inf", "one", "fro", "two")] == [
        "8", "4", "5.09901951359278", "5.09901951359279"]
    assert mnorm(PDL(np.array(MATRIX), "long"), 1).type == "double"

    class Mirror:  # anything with aspdl, like the bridge's NDArray
        def aspdl(self):
            return m

    assert str(mnorm(Mirror(), "inf")) == "7" and sclr(mnorm(Mirror(), 0)) == 7.0


def test_too_long_to_print_follows_the_threshold(monkeypatch):
    # PDL's own default threshold is 10000 elements; AI::MXNet raised it (bridge.arrays.pdl follows AI::MXNet)
    monkeypatch.setattr(bpdl, "TOO_LONG_TO_PRINT", 10000)
    out = subprocess.run(["perl", "-MPDL", "-e", "print sequence(10001), '|', sequence(100, 100)->slice('0:1,0')"],
                         capture_output=True, text=True, timeout=60).stdout
    long_text, short_text = out.split("|")
    assert str(PDL(np.arange(10001, dtype=np.float64))) == long_text == "TOO LONG TO PRINT"
    assert str(PDL(np.array([[0.0, 1.0]]))) == short_text
