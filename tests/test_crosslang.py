"""Cross-language tests: each Perl example against its Python twin, against the tutorial's text, and
against the numbers the math gives."""
import math
import pathlib
import subprocess
import sys

import numpy as np
import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
PAIRS = sorted(p.stem for p in (ROOT / "examples").glob("*.pl"))


def run_perl(args, stdin=None):
    proc = subprocess.run(["perl", "-Iperl_shim/lib", *args], cwd=ROOT, input=stdin,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def run_python(args):
    proc = subprocess.run([sys.executable, *args], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def test_every_example_has_a_python_twin():
    assert {"autograd_basic", "autograd_control_flow", "ndarray_crash_course"} <= set(PAIRS)
    for name in PAIRS:
        assert (ROOT / "examples" / f"{name}.py").exists()


@pytest.mark.parametrize("name", PAIRS)
def test_perl_and_python_print_the_same(name):
    assert run_perl([f"examples/{name}.pl"]) == run_python([f"examples/{name}.py"])


def test_basic_prints_what_the_tutorial_shows():
    # The tutorial shows the rows " [1 2]" / " [3 4]" and " [ 4  8]" / " [12 16]"; PDL frames a 2-D
    # ndarray as "\n[\n" ... "]\n".
    assert run_perl(["examples/autograd_basic.pl"]) == (
        "\n[\n [1 2]\n [3 4]\n]\n" "\n[\n [ 4  8]\n [12 16]\n]\n")


def test_control_flow_prints_what_the_tutorial_shows():
    assert run_perl(["examples/autograd_control_flow.pl"]) == "[2048 0]\n[2048 1895.89]\n"


CONTROL_FLOW = r"""
use strict; use warnings; use AI::MXNet qw(mx); use PDL::LinearAlgebra;
my $seed = <STDIN>; mx->random->seed($seed);
my $aa = nd->random->uniform(shape => 2); $aa->attach_grad;
my $cc;
mx->autograd->record(sub {
    my $bb = $aa * 2;
    $bb = $bb * 2 while PDL::sclr(PDL::LinearAlgebra::mnorm($bb->aspdl)) < 1000;
    $cc = nd->array($bb->sum >= 0 ? $bb->slice('0') : $bb->slice('1'));
});
$cc->backward;
printf "%.9g %.9g %.9g %.9g %.9g\n", @{ $aa->aspdl->unpdl }, @{ $aa->grad->aspdl->unpdl }, $cc->asscalar;
"""


@pytest.mark.parametrize("seed", [0, 1, 7, 123])
def test_control_flow_gradient_is_the_doubling_factor(seed):
    a0, a1, g0, g1, c = map(float, run_perl(["-e", CONTROL_FLOW], stdin=f"{seed}\n").split())
    # b = a * 2^k with k >= 1 the first power that brings |b| to 1000; c = b[0], so dc/da = [2^k, 0].
    norm = math.hypot(a0, a1)
    k = max(1, math.ceil(math.log2(1000 / norm)))
    assert g0 == 2.0 ** k and g1 == 0.0
    assert c / a0 == pytest.approx(2.0 ** k, rel=1e-6)
    # and the Python mirror computes the same numbers
    from bridge import autograd, mnorm, mx, nd, sclr
    mx.random.seed(seed)
    aa = nd.random.uniform(shape=2)
    aa.attach_grad()
    with autograd.record():
        bb = aa * 2
        while sclr(mnorm(bb.aspdl())) < 1000:
            bb = bb * 2
        cc = nd.array(bb.slice("0"))
    cc.backward()
    assert aa.asnumpy().tolist() == pytest.approx([a0, a1], rel=1e-7)
    assert aa.grad.asnumpy().tolist() == [g0, g1]


def test_pdl_printing_matches_between_languages():
    # The same arrays printed by the Perl shim (real PDL) and by the Python mirror.
    script = r"""
use AI::MXNet qw(mx);
print nd->array([[0.1, 1/3], [2.5, -4]], dtype => 'float64')->aspdl, "|";
print nd->array([[1, 10, 100], [1000, 5, 6]], dtype => 'int32')->aspdl, "|";
print nd->array([[[1.5, 2], [3, 4]], [[100, 2], [3, 4]]])->aspdl, "|";
print nd->array([1e-10, 123456789, 0.1])->aspdl, "|";
print nd->array([-1, 2, 127], dtype => 'int8')->aspdl, "|";
print nd->array([[12345678, 1], [2, 3]], dtype => 'float64')->aspdl, "|";
print nd->array([[12345678, 1], [2, 3]])->aspdl;
"""
    from bridge import nd
    expected = "|".join(str(a.aspdl()) for a in (
        nd.array([[0.1, 1 / 3], [2.5, -4]], dtype="float64"),
        nd.array([[1, 10, 100], [1000, 5, 6]], dtype="int32"),
        nd.array([[[1.5, 2], [3, 4]], [[100, 2], [3, 4]]]),
        nd.array([1e-10, 123456789, 0.1]),
        nd.array([-1, 2, 127], dtype="int8"),
        nd.array([[12345678, 1], [2, 3]], dtype="float64"),   # widest entry 8 characters: PDL's %10.8g
        nd.array([[12345678, 1], [2, 3]])))
    assert run_perl(["-e", script]) == expected
