"""Property tests (hypothesis) of the rules both languages share: AI::MXNet's slicing, the Perl calling
convention, and the PDL printing mirror against real PDL."""
import subprocess

import mxnet as mx
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bridge.perl import args as perl_args
from bridge.arrays import pdl, slicing

from test_pdl import PRELUDE, perl_pdl

shapes = st.lists(st.integers(1, 4), min_size=1, max_size=3).map(tuple)


def index_spec(size):
    """One AI::MXNet slice spec for an axis of this size, valid or not."""
    i = st.integers(-size - 2, size + 1)
    return st.one_of(i, i.map(str), st.tuples(i, i).map(list), st.tuples(i).map(list), st.just("X"))


def expected_bounds(spec, size):
    """The rows a spec selects, worked out independently of bridge/arrays/slicing.py; None if AI::MXNet refuses it."""
    if spec == "X":
        return 0, size
    b, e = (spec[0], spec[-1]) if isinstance(spec, list) else (int(spec), int(spec))
    if not (-size <= b < size and -size <= e < size):
        return None
    b, e = b % size, e % size
    return (b, e + 1) if b <= e else None


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_slice_on_axis_0_selects_the_rows_numpy_would(data):
    shape = data.draw(shapes)
    spec = data.draw(index_spec(shape[0]))
    values = np.arange(np.prod(shape), dtype=np.float32).reshape(shape)
    bounds = expected_bounds(spec, shape[0])
    if bounds is None:
        with pytest.raises(slicing.SliceError):
            slicing.slice_array(mx.nd.array(values), [spec])
        return
    got, crop = slicing.slice_array(mx.nd.array(values), [spec])
    assert crop is None
    np.testing.assert_array_equal(got.asnumpy(), values[bounds[0]:bounds[1]])


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_a_full_crop_selects_the_block_numpy_would(data):
    shape = data.draw(shapes.filter(lambda s: len(s) > 1))
    specs = [data.draw(index_spec(n)) for n in shape]
    values = np.arange(np.prod(shape), dtype=np.float32).reshape(shape)
    bounds = [expected_bounds(s, n) for s, n in zip(specs, shape)]
    if None in bounds:
        with pytest.raises(slicing.SliceError):
            slicing.slice_array(mx.nd.array(values), specs)
        return
    got, crop = slicing.slice_array(mx.nd.array(values), specs)
    np.testing.assert_array_equal(got.asnumpy(), values[tuple(slice(b, e) for b, e in bounds)])
    assert crop == (tuple(b for b, _ in bounds), tuple(e for _, e in bounds))


perl_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(-10, 10), st.floats(-1e3, 1e3, allow_nan=False),
              st.text(max_size=3)),
    lambda children: st.lists(children, max_size=3), max_leaves=6)


def uniform(low=0, high=1, shape=None, **kwargs):
    """A stand-in with named parameters, as mxnet's functions have."""


@settings(max_examples=300, deadline=None)
@given(st.lists(perl_values, max_size=4),
       st.dictionaries(st.sampled_from(["low", "high", "shape", "dtype", "ctx", "foo"]), perl_values, max_size=3),
       st.booleans())
def test_the_perl_convention_splits_and_keeps_every_argument(positional, keywords, as_hashref):
    # a Perl list: positionals, then keywords as a trailing hashref or as key => value pairs
    flat = list(positional) + ([dict(keywords)] if as_hashref and keywords else
                               [x for kv in keywords.items() for x in kv])
    pos, kw = perl_args.split_perl_args(uniform, tuple(flat))
    names = perl_args.keyword_names(uniform)
    if as_hashref and keywords:
        assert pos == positional and set(kw) == set(keywords)
    else:
        assert set(kw) <= names  # only known names are ever taken as keywords
        # every argument is accounted for: what was not taken as a keyword stays positional, in order
        assert len(pos) + 2 * len(kw) == len(flat)
        assert pos == flat[:len(pos)]
    for key, value in kw.items():
        assert value == perl_args.convert_keyword(keywords[key])


pdl_types = st.sampled_from(["byte", "sbyte", "short", "long", "longlong", "float", "double"])


def pdl_array(ptype):
    dtype = pdl.PDL_TYPES[ptype]
    if dtype.kind == "f":
        # whole numbers of every width too: PDL's 2-D format changes when the widest entry passes 7 characters
        elements = st.one_of(st.floats(-1e9, 1e9, width=8 * dtype.itemsize), st.sampled_from(
            [0.1, 1 / 3, -0.0, 1e-10, float("inf"), float("nan"), 123456789.0, 12345678.0, -1234567.0]),
            st.integers(-10 ** 8, 10 ** 8).map(float))
    else:
        info = np.iinfo(dtype)
        elements = st.integers(int(info.min), int(info.max))
    return st.lists(st.integers(1, 4), min_size=1, max_size=3).flatmap(
        lambda shape: st.lists(elements, min_size=int(np.prod(shape)), max_size=int(np.prod(shape))).map(
            lambda xs: np.array(xs, dtype=dtype).reshape(shape)))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.lists(pdl_types.flatmap(lambda t: st.tuples(st.just(t), pdl_array(t))), min_size=20, max_size=40))
def test_the_pdl_mirror_prints_what_pdl_prints(cases):
    # one perl process per example: each case's bytes go in exactly, PDL prints them
    lines = [f"print {perl_pdl(t, a)}, \"\\x00\";" for t, a in cases]
    out = subprocess.run(["perl", "-"], input=(PRELUDE + "\n".join(lines)).encode(), capture_output=True,
                         timeout=60)
    assert out.returncode == 0, out.stderr.decode()
    printed = out.stdout.decode().split("\x00")
    assert len(printed) == len(cases) + 1 and printed[-1] == "", "perl printed %d records for %d cases" % (
        len(printed) - 1, len(cases))
    for (ptype, array), expected in zip(cases, printed):
        assert str(pdl.PDL(array, ptype)) == expected, (ptype, array)
