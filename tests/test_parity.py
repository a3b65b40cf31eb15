"""The cross-language parity runner (bridge/tools/parity.py): its normalizer on PDL's and numpy/mxnet's print
styles, the tolerance, and the command (exit status, verdict, --json) on small Perl/Python script pairs."""
import json
import pathlib
import re
import subprocess
import sys
import textwrap

import pytest

from bridge.tools import parity as parity_mod
from bridge.tools.parity import Number, close, compare, normalize, tokens

ROOT = pathlib.Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.pl"))


def arrays(text):
    """(shape, values) of each item of an output (shape None for a text line)."""
    return [(item.shape, item.values()) for item in normalize(text)]


def agree(perl, python, **tol):
    rows, _ = compare(perl, python, **tol)
    return all(r.kind is None for r in rows)


# -- the normalizer --------------------------------------------------------------------------------------
def test_tokens_split_numbers_from_words():
    toks = tokens("epoch 3: loss=0.25, acc 1e-07 float32 2x2 -4.")
    assert [t.value if isinstance(t, Number) else t for t in toks] == [
        "epoch", 3.0, ":", "loss", "=", 0.25, ",", "acc", 1e-07, "float32", "2x2", -4.0]


def test_tokens_read_inf_and_nan_in_either_spelling():
    assert [t.text for t in tokens("Inf -inf NaN nan")] == ["Inf", "-inf", "NaN", "nan"]
    assert tokens("info nano")[0] == "info"


PDL_1D = "[ 4  8]\n"
PDL_2D = "\n[\n [ 4  8]\n [12 16]\n]\n"
PDL_3D = "\n[\n [\n  [0 1]\n  [2 3]\n ]\n [\n  [4 5]\n  [6 7]\n ]\n]\n"
NP_1D = "[4. 8.]\n"
NP_2D = "[[ 4.  8.]\n [12. 16.]]\n"
MX_2D = "\n[[ 4.  8.]\n [12. 16.]]\n<NDArray 2x2 @cpu(0)>\n"
NP_3D = "[[[0 1]\n  [2 3]]\n\n [[4 5]\n  [6 7]]]\n"


@pytest.mark.parametrize("text, shape, values", [
    (PDL_1D, (2,), [4, 8]),
    (PDL_2D, (2, 2), [4, 8, 12, 16]),
    (PDL_3D, (2, 2, 2), list(range(8))),
    (NP_1D, (2,), [4, 8]),
    (NP_2D, (2, 2), [4, 8, 12, 16]),
    (MX_2D, (2, 2), [4, 8, 12, 16]),
    ("\n[1. 2.]\n<NDArray 2 @cpu(0)>\n", (2,), [1, 2]),
    (NP_3D, (2, 2, 2), list(range(8))),
    ("[[[[0 1]]]\n\n\n [[[2 3]]]]\n", (2, 1, 1, 2), [0, 1, 2, 3]),
    ("[1.0, 2.5]\n", (2,), [1, 2.5]),                     # a Python list of numbers
    ("[ True False]\n", (2,), [1, 0]),                   # numpy's booleans, as PDL's 1 and 0
])
def test_an_array_block_is_one_item_of_shape_and_row_major_numbers(text, shape, values):
    assert arrays(text) == [(shape, values)]


def test_the_print_styles_of_one_array_agree():
    styles = [PDL_2D, NP_2D, MX_2D, "[[4, 8], [12, 16]]\n"]
    for a in styles:
        for b in styles:
            assert agree(a, b), (a, b)
    assert agree(PDL_3D, NP_3D)


def test_numpy_wrapped_rows_read_as_pdl_long_rows():
    pdl = "[" + " ".join("%g" % (i / 7) for i in range(30)) + "]\n"
    numpy = ("[0.         0.14285714 0.28571429 0.42857143 0.57142857 0.71428571\n"
             " 0.85714286 1.         1.14285714 1.28571429 1.42857143 1.57142857\n"
             " 1.71428571 1.85714286 2.         2.14285714 2.28571429 2.42857143\n"
             " 2.57142857 2.71428571 2.85714286 3.         3.14285714 3.28571429\n"
             " 3.42857143 3.57142857 3.71428571 3.85714286 4.         4.14285714]\n")
    assert arrays(numpy)[0][0] == (30,)
    assert agree(pdl, numpy)


def test_scalars_and_empty_arrays():
    assert arrays("5\n") == [(None, [5])]
    assert agree("5\n", "5.0\n")
    assert agree("Empty[0]\n", "[]\n")
    assert agree("Empty[2x0]\n", "[]\n")


def test_mixed_text_and_arrays():
    perl = "epoch 1 loss 0.25\n\n[\n [1 2]\n [3 4]\n]\ngrad: [ 4  8]\ndone\n"
    python = "epoch 1 loss 0.250000001\n[[1. 2.]\n [3. 4.]]\ngrad: [4. 8.]\ndone\n"
    items = normalize(perl)
    assert [i.shape for i in items] == [None, (2, 2), None, None]
    assert [i.line for i in items] == [1, 3, 7, 8]
    assert agree(perl, python)


def test_stringified_ndarrays_agree_across_languages():
    assert agree("<AI::MXNet::NDArray 2x2 @cpu(0)>\n", "<NDArray 2x2 @cpu(0)>\n")
    assert not agree("<AI::MXNet::NDArray 2x2 @cpu(0)>\n", "<NDArray 2x3 @cpu(0)>\n")


def test_what_is_not_an_array_stays_text():
    assert arrays("[INFO] start\n") == [(None, [])]
    assert arrays("[1 2] [3 4]\n") == [(None, [1, 2, 3, 4])]   # two on a line: text, numbers still compared
    assert agree("[1 2] [3 4]\n", "[1. 2.] [3. 4.]\n")
    assert arrays("[[1 2]\n [3]]\n") == [(None, [1, 2]), (None, [3])]  # ragged
    assert arrays("[\n") == [(None, [])]                      # never closed


def test_spaces_do_not_matter_but_words_do():
    assert agree("x  =   1\n", "x = 1\n")
    assert not agree("hello world\n", "hello World\n")
    assert agree("ok\n\n\nok\n", "ok\nok\n")                  # blank lines are layout


# -- the tolerance -------------------------------------------------------------------------------------------
def test_tolerance():
    assert close(2048, 2048.0001)
    assert not close(2048, 2049)
    assert close(1895.89, 1895.8932)                         # PDL's %7g against numpy's digits
    assert close(0, 5e-7) and not close(0, 5e-6)              # atol 1e-6
    assert close(float("nan"), float("nan")) and not close(float("nan"), 1)
    assert close(float("inf"), float("inf")) and not close(float("inf"), -float("inf"))
    assert close(2048, 2049, rtol=1e-3)
    assert agree("2048\n", "2048.0001\n")
    assert not agree("2048\n", "2049\n")
    assert agree("2048\n", "2049\n", rtol=1e-3, atol=0)


def test_why_each_difference():
    rows, numbers = compare("a 1\n[1 2 2048]\n[1 2 3 4]\nsame\nlost\n",
                            "a 1\n[1. 2. 2049.]\n[[1 2]\n [3 4]]\nsame\n")
    assert [r.why for r in rows] == ["", "number 3 differs: 2048 vs 2049.", "shape differs: 4 vs 2x2", "",
                                     "missing line"]
    assert [r.kind for r in rows] == [None, "number", "shape", None, "missing"]
    assert numbers == 4                                      # a 1, and the three of [1 2 2048]
    rows, _ = compare("[\n [1 2]\n [3 4]\n]\n", "[[1 2]\n [3 5]]\n")
    assert rows[0].why == "number 4 differs: 4 vs 5 (element [1, 1])"
    rows, _ = compare("loss 1\n", "loss 1 2\n")
    assert rows[0].why == "text differs (1 vs 2 numbers)"


def test_an_inserted_line_does_not_shift_the_rest():
    rows, _ = compare("a\nb 1\nc 2\nd 3\n", "a\nextra\nb 1\nc 2\nd 3\n")
    assert [(r.kind, r.perl and r.perl.line, r.python and r.python.line) for r in rows] == [
        (None, 1, 1), ("missing", None, 2), (None, 2, 3), (None, 3, 4), (None, 4, 5)]


# -- the report ----------------------------------------------------------------------------------------
def test_the_table_shows_what_differs_side_by_side():
    runs = [parity_mod.Run("Perl", "a.pl", ["perl", "a.pl"], 0, "x 1\n[\n [1 2]\n [3 4]\n]\nend\n"),
            parity_mod.Run("Python", "a.py", ["python", "a.py"], 0, "x 1\n[[1 2]\n [3 5]]\n")]
    rep, rows = parity_mod.report(runs, 0, 1e-5, 1e-6)
    lines = parity_mod.render(rep, rows, runs).splitlines()
    assert lines[0] == "perl a.pl  vs  python a.py  (seed 0, rtol 1e-05, atol 1e-06)"
    assert lines[1].split() == ["perl", "py", "Perl", "Python", "why"]
    assert lines[2].split() == ["2", "2", "[", "[1", "2]", "[3", "4]", "]", "[[1", "2]", "[3", "5]]",
                                "number", "4", "differs:", "4", "vs", "5", "(element", "[1,", "1])"]
    assert lines[3].split() == ["6", "-", "end", "missing", "line"]
    assert lines[4] == "parity: DIFFER (2 of 3 lines)"
    assert len(parity_mod.render(rep, rows, runs, show_all=True).splitlines()) == 6


# -- the command ----------------------------------------------------------------------------------------
# Each script seeds itself from AI_MXNET_BRIDGE_SEED, so these tests check that the runner passes it.
# One runs `python -m bridge.tools.parity` itself; the others call its main() here, which saves a Python start.
PERL_HEAD = "use strict; use warnings; use AI::MXNet qw(mx);\nmx->random->seed($ENV{AI_MXNET_BRIDGE_SEED});\n"
PY_HEAD = "import os\nfrom bridge import mx, nd\nmx.random.seed(int(os.environ['AI_MXNET_BRIDGE_SEED']))\n"

PERL_BODY = """
my $x = nd->random->uniform(shape => [2, 3]);
print $x->aspdl;
print "sum: ", $x->sum->asscalar, "\\n";
my $y = nd->array([[1, 2], [3, 4]]) * 1024;
print "$y\\n";
print $y->aspdl;
"""
PY_BODY = """
x = nd.random.uniform(shape=(2, 3))
print(x)
print("sum:", x.sum().asscalar())
y = nd.array([[1, 2], [3, 4]]) * 1024
print(y.stringify())
print(y.asnumpy()%s)
"""


def run_main(capsys, *args):
    """parity's main() in this process: (exit status, stdout)."""
    try:
        status = parity_mod.main([str(a) for a in args])
    except SystemExit as exc:
        status = exc.code
    return status, capsys.readouterr().out


@pytest.fixture
def pair(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)

    def write(perl_body, python_body, name="t"):
        (tmp_path / f"{name}.pl").write_text(PERL_HEAD + textwrap.dedent(perl_body))
        (tmp_path / f"{name}.py").write_text(PY_HEAD + textwrap.dedent(python_body))
        return f"{name}.pl", f"{name}.py"
    return write


def test_a_pair_that_agrees(tmp_path, pair):
    pl, py = pair(PERL_BODY, PY_BODY % "")
    proc = subprocess.run([sys.executable, "-m", "bridge.tools.parity", "--seed", "3", pl, py], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.splitlines()[-1] == "parity: AGREE (4 lines, 12 numbers)"


def test_a_pair_that_differs_in_a_number(capsys, pair):
    pl, py = pair(PERL_BODY, PY_BODY % " + (nd.array([[0, 0], [0, 1]]) * 1).asnumpy()")
    status, out = run_main(capsys, "--json", pl, py)
    assert status == 1, out
    rep = json.loads(out)
    assert set(rep) == {"verdict", "status", "seed", "rtol", "atol", "perl", "python", "lines", "numbers",
                        "differing", "differences"}
    assert (rep["verdict"], rep["status"], rep["seed"], rep["lines"], rep["differing"]) == ("DIFFER", 1, 0, 4, 1)
    assert (rep["rtol"], rep["atol"], rep["numbers"]) == (1e-5, 1e-6, 12)
    assert set(rep["perl"]) == {"script", "command", "returncode", "stderr"}
    assert rep["perl"]["returncode"] == 0 and rep["perl"]["script"] == pl
    assert rep["python"]["command"] == [sys.executable, py]
    (diff,) = rep["differences"]
    assert set(diff) == {"perl_line", "python_line", "perl_text", "python_text", "kind", "why"}
    assert diff["kind"] == "number"
    assert diff["why"] == "number 4 differs: 4096 vs 4097. (element [1, 1])"
    assert (diff["perl_line"], diff["python_line"]) == (9, 7)
    assert "4096" in diff["perl_text"] and "4097." in diff["python_text"]


def test_a_perl_script_that_dies(capsys, pair):
    pl, py = pair('nd->no_such_operator(1);\nprint "never\\n";\n', 'print("never")\n')
    status, out = run_main(capsys, pl, py)
    assert status == 2, out
    assert f"Perl script {pl} exited" in out
    assert "unknown operator no_such_operator" in out          # its stderr, shown
    assert re.search(r"^parity: FAILED \(perl exited \d+\)$", out.splitlines()[-1])


def test_a_python_twin_that_prints_its_lines_and_fails(capsys, pair):
    # the same lines on both sides, so only the twin's exit status can make the verdict
    pl, py = pair('print "x 1\\n";\n', 'print("x 1")\nimport sys\nsys.stderr.write("twin broke\\n")\nsys.exit(3)\n')
    status, out = run_main(capsys, pl, py)
    assert status == 2, out
    assert f"Python script {py} exited 3; its stderr:" in out
    assert "  twin broke" in out
    assert out.splitlines()[-1] == "parity: FAILED (python exited 3)"
    status, out = run_main(capsys, "--json", pl, py)
    rep = json.loads(out)
    assert (status, rep["verdict"], rep["status"], rep["python"]["returncode"]) == (2, "FAILED", 2, 3)
    assert rep["perl"]["returncode"] == 0 and rep["differences"] == []


def test_a_missing_script_is_a_usage_error(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert run_main(capsys, "nope.pl")[0] == 2


@pytest.mark.parametrize("pl", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_the_examples_agree(capsys, monkeypatch, pl):
    monkeypatch.chdir(ROOT)
    status, out = run_main(capsys, pl.relative_to(ROOT))       # the .py twin found by name
    assert status == 0, out
    assert out.splitlines()[-1].startswith("parity: AGREE (")
