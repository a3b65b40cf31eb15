"""make mutate: what the test suite really guards. Breaks key behaviours one at a time in a scratch copy of
the checkout, runs the tests that claim to guard each one, and prints a table: behaviour, mutation, caught or
not, and the test that failed by name. A mutation counts as caught only when a test fails by name (a pytest
FAILED line, a Perl "not ok" line); a test process that crashes or hangs without one does not count.

    .venv/bin/python scripts/mutate.py                 # every mutation (about 15 minutes on 2 cores)
    .venv/bin/python scripts/mutate.py --only slice    # those whose behaviour or change mentions "slice"
    .venv/bin/python scripts/mutate.py --list          # the list, without running anything

Not part of `make test`: it runs the focused tests once unchanged (they must pass) and once per mutation.
The scratch copy holds the tracked and untracked (not ignored) files; it uses this checkout's .venv
(AI_MXNET_BRIDGE_VENV for Perl, PYTHONPATH for Python), so no venv is built. Exit status: 0 when every
mutation is caught, 1 otherwise (or when a mutation no longer applies: its text is gone from its file).
"""
import argparse
import os
import pathlib
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from typing import List, Tuple

ROOT = pathlib.Path(__file__).resolve().parent.parent

# Where each mutated behaviour lives: the one place to update when a module moves.
FILES = {
    "pdl": "bridge/arrays/pdl.py",
    "slicing": "bridge/arrays/slicing.py",
    "ndarray": "bridge/arrays/ndarray.py",
    "files": "bridge/arrays/files.py",
    "args": "bridge/perl/args.py",
    "autograd": "bridge/api/autograd.py",
    "parity": "bridge/tools/parity.py",
    "Bridge.pm": "perl_shim/lib/AI/MXNet/Bridge.pm",
    "NDArray.pm": "perl_shim/lib/AI/MXNet/NDArray.pm",
    "Error.pm": "perl_shim/lib/AI/MXNet/Error.pm",
    "Base.pm": "perl_shim/lib/AI/MXNet/Base.pm",
    "Progress.pm": "perl_shim/lib/AI/MXNet/Progress.pm",
}


@dataclass
class Mutation:
    behaviour: str
    change: str            # what the mutant does, in a few words
    file: str              # a key of FILES
    old: str               # text that must occur exactly once in the file
    new: str
    tests: Tuple[str, ...]  # "pytest ARGS..." or "perl FILE.t", run from the scratch root


M = Mutation
MUTATIONS: List[Mutation] = [
    # -- the eleven behaviours of issue 21 ------------------------------------------------------------------
    M("type mapping", "int8 arrays give byte PDLs", "pdl",
      '"int8": "sbyte",\n    "bool"', '"int8": "byte",\n    "bool"',
      ("pytest tests/test_pdl.py", "perl perl_shim/t/02-pdl.t")),
    M("slice rules", "slice([b, e]) leaves out row e", "slicing",
      "    return begin, end + 1\n", "    return begin, end + (begin == end)\n",
      ("pytest tests/test_properties.py -k slice", "perl perl_shim/t/03-slice.t")),
    M("mnorm", "'inf' and 'one' swapped", "pdl",
      '_NORMS = {"inf": "0", "one": "1",', '_NORMS = {"inf": "1", "one": "0",',
      ("pytest tests/test_pdl.py -k mnorm",)),
    M("the seed's autograd", "nd.array(NDArray) copies outside the graph", "ndarray",
      "out = source_array._a.astype(dtype, copy=True)", "out = source_array._a.detach().astype(dtype, copy=True)",
      ("pytest tests/test_crosslang.py -k control_flow", "perl perl_shim/t/04-autograd.t")),
    M("the Trainer's hash", "a trailing hash ref is always keywords", "args",
      "    if _takes_var_keywords(fn):\n        return True\n    names",
      "    if True:\n        return True\n    names",
      ("pytest tests/test_gluon.py", "perl perl_shim/t/30-gluon.t")),
    M("overload order", "5 - $x computes $x - 5", "NDArray.pm",
      "'-'  => [qw(__sub__ __rsub__)]", "'-'  => [qw(__sub__ __sub__)]",
      ("perl perl_shim/t/01-overload.t",)),
    M("PDL::Matrix", "asmpdl's dims not swapped", "pdl",
      "return dims[1::-1] + dims[2:] if len(dims) >= 2 else dims", "return dims",
      ("pytest tests/test_ndarray_api.py -k asmpdl", "perl perl_shim/t/10-ndarray.t")),
    M("integer-division guard", "no check before an integer division", "ndarray",
      '    if dtype.kind not in "iu":\n        return', '    if True:\n        return',
      ("pytest tests/test_integer_division.py", "perl perl_shim/t/05-errors.t")),
    M("corrupt-file check", "an array's byte count not checked", "files",
      "        if pos + nbytes > len(buf):\n", "        if False:\n",
      ("pytest tests/test_ndarray_api.py -k files", "perl perl_shim/t/93-hostile-files.t")),
    M("parity verdict", "a failing Python twin does not count", "parity",
      "    if perl.failed or python.failed:\n", "    if perl.failed:\n",
      ("pytest tests/test_parity.py -k fail",)),
    M("PDL 2-D printing", "width threshold 8 instead of 7", "pdl",
      "if width > 7 and self.type in _TYPE_FORMATS:", "if width > 8 and self.type in _TYPE_FORMATS:",
      ("pytest tests/test_pdl.py -k str_matches", "pytest tests/test_crosslang.py -k printing")),
    # -- more, across both languages ----------------------------------------------------------------------
    M("PDL 1-D printing", "width threshold 8 instead of 7", "pdl",
      "if fmt and len(t) > 7 else t", "if fmt and len(t) > 8 else t",
      ("pytest tests/test_pdl.py -k str_matches",)),
    M("PDL printing of -0.0", "a negative zero prints as -0", "pdl",
      '    if x == 0:\n        return "0"\n', "",
      ("pytest tests/test_pdl.py -k str_matches",)),
    M("PDL sum type", "a byte PDL sums as byte", "pdl",
      '_SUM_TYPES = {"byte": "long", ', '_SUM_TYPES = {',
      ("pytest tests/test_pdl.py -k api",)),
    M("negative slice index", "a negative begin is checked unnormalised", "slicing",
      "    begin += dim_size if begin < 0 else 0\n", "",
      ("pytest tests/test_properties.py -k slice", "perl perl_shim/t/03-slice.t")),
    M("Perl numbers as integers", "6/2 reaches mxnet as 3.0", "args",
      "return int(value) if value.is_integer() else value", "return value",
      ("pytest tests/test_invoke.py tests/test_bridge.py", "perl perl_shim/t/07-operators.t")),
    M("keyword pairs", "any trailing string pair is taken as a keyword", "args",
      "args[end - 2] in names or start", "True or start",
      ("pytest tests/test_properties.py -k convention",)),
    M("NDArray files: names", "the number of names not checked", "files",
      "    if names not in (0, count):\n", "    if False:\n",
      ("perl perl_shim/t/93-hostile-files.t",)),
    M("NDArray files: header", "a count larger than the file let through", "files",
      "if magic != _LIST_MAGIC or count > len(buf):", "if magic != _LIST_MAGIC:",
      ("perl perl_shim/t/93-hostile-files.t",)),
    M("parity tolerance", "rtol ignored", "parity",
      "return abs(a - b) <= atol + rtol * max(abs(a), abs(b))", "return abs(a - b) <= atol",
      ("pytest tests/test_parity.py -k tolerance",)),
    M("truth of an NDArray", "every array is true, as in AI::MXNet", "ndarray",
      "    def __bool__(self):\n        return bool(self._a)", "    def __bool__(self):\n        return True",
      ("pytest tests/test_bridge.py", "perl perl_shim/t/90-fuzz.t")),
    M("record's scope", "the recording state is not restored after a die", "autograd",
      "    with manager:\n        return fn()\n",
      "    manager.__enter__()\n    result = fn()\n    manager.__exit__(None, None, None)\n    return result\n",
      ("pytest tests/test_autograd.py", "perl perl_shim/t/04-autograd.t")),
    M("Perl: Ctrl-C", "SIGINT stays with Python", "Bridge.pm",
      "    signal.signal(signal.SIGINT, signal.SIG_DFL)\n", "",
      ("perl perl_shim/t/91-lifecycle.t",)),
    M("Perl: error location", "errors name a line inside the shim", "Error.pm",
      "        next if $frame[0] =~ /^(?:AI::MXNet|Inline::Python|PDL)(?:::|$)/;\n", "",
      ("perl perl_shim/t/05-errors.t", "perl perl_shim/t/90-fuzz.t")),
    M("Perl: comparison order", "5 > $x computes $x > 5", "NDArray.pm",
      "'>'  => [qw(__gt__ __lt__)]", "'>'  => [qw(__gt__ __gt__)]",
      ("perl perl_shim/t/01-overload.t",)),
    M("Perl: .= assignment", ".= does nothing", "NDArray.pm",
      "'.='   => sub { $_[0]->set($_[1]) }", "'.='   => sub { $_[0] }",
      ("perl perl_shim/t/03-slice.t",)),
    M("Perl: PDL::at on N-d", "at($i) is PDL's own", "Base.pm",
      "return $at->($self, @args) if @args != 1 || $self->ndims <= 1;", "return $at->($self, @args);",
      ("perl perl_shim/t/14-testutils.t",)),
    M("Perl: exit in a callback", "exit jumps over Python's frames", "Bridge.pm",
      "        die bless({code => $code}, 'AI::MXNet::Bridge::Exit') if $CALLBACK_DEPTH;\n", "",
      ("perl perl_shim/t/91-lifecycle.t",)),
    M("Perl: progress switch", "AI_MXNET_PROGRESS is ignored", "Progress.pm",
      "$args{force} // $ENV{AI_MXNET_PROGRESS} // -t STDERR", "$args{force} // -t STDERR",
      ("perl perl_shim/t/31-progress.t",)),
]


# -- running --------------------------------------------------------------------------------------------------
def scratch_copy(dest):
    """The checkout's tracked and untracked (not ignored) files under dest, and a link to its .venv."""
    listing = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                             capture_output=True, check=True).stdout.decode()
    for rel in filter(None, listing.split("\0")):
        src = ROOT / rel
        if src.is_file():
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / rel)
    (dest / ".venv").symlink_to(ROOT / ".venv")


def command_line(test, python):
    kind, _, rest = test.partition(" ")
    if kind == "pytest":
        return [python, "-m", "pytest", "-q", "-rf", "-p", "no:cacheprovider", *rest.split()]
    if kind == "perl":
        return ["perl", "-Iperl_shim/lib", rest]
    raise ValueError("unknown test kind in %r (pytest ... or perl FILE.t)" % test)


@dataclass
class Result:
    failures: List[str]      # the tests that failed by name
    crashed: str = ""        # how a process ended without naming a failure (signal, timeout), if it did


def run_test(test, scratch, env, timeout):
    """Runs one focused test command; the names of the tests that failed, and whether it crashed."""
    try:
        proc = subprocess.run(command_line(test, env["AI_MXNET_MUTATE_PYTHON"]), cwd=scratch, env=env,
                              stdin=subprocess.DEVNULL, capture_output=True, text=True, errors="replace",
                              timeout=timeout)
    except subprocess.TimeoutExpired:
        return Result([], "timed out after %d s" % timeout)
    out = proc.stdout
    if test.startswith("pytest"):
        failures = re.findall(r"^(?:FAILED|ERROR) (.+?)(?: - .*)?$", out, re.MULTILINE)
    else:
        name = test.split()[-1].rsplit("/", 1)[-1]
        failures = ["%s: %s" % (name, text.strip() or "test " + number) for number, text in
                    re.findall(r"^not ok (\d+)(?: - )?(.*)$", out, re.MULTILINE) if "# TODO" not in text]
    crashed = ""
    if proc.returncode < 0:
        crashed = "killed by signal %d" % -proc.returncode
    elif proc.returncode != 0 and not failures:
        crashed = "exited %d without naming a failure" % proc.returncode
    return Result(failures, crashed)


def run_tests(tests, scratch, env, timeout):
    failures, crashes = [], []
    for test in tests:
        r = run_test(test, scratch, env, timeout)
        failures += r.failures
        if r.crashed:
            crashes.append("%s: %s" % (test, r.crashed))
    return failures, crashes


def apply(mutation, scratch):
    """Writes the mutant; returns the original text (None when the mutation no longer applies)."""
    path = scratch / FILES[mutation.file]
    text = path.read_text()
    if text.count(mutation.old) != 1:
        return None
    path.write_text(text.replace(mutation.old, mutation.new))
    return text


def table(rows):
    head = ("behaviour", "mutation", "caught", "named failing test")
    widths = [max(len(r[i]) for r in rows + [head]) for i in range(3)]
    line = lambda r: "| %s | %s | %s | %s |" % (r[0].ljust(widths[0]), r[1].ljust(widths[1]), r[2].ljust(widths[2]),
                                             r[3])
    return "\n".join([line(head), "|%s|%s|%s|---|" % tuple("-" * (w + 2) for w in widths)] + [line(r) for r in rows])


def main(argv=None):
    parser = argparse.ArgumentParser(description="Break key behaviours one at a time and see which tests notice.")
    parser.add_argument("--only", help="only mutations whose behaviour or change contains this text")
    parser.add_argument("--list", action="store_true", help="list the mutations and their tests, run nothing")
    parser.add_argument("--timeout", type=int, default=600, help="seconds per test command (default 600)")
    args = parser.parse_args(argv)
    chosen = [m for m in MUTATIONS if not args.only or args.only.lower() in (m.behaviour + " " + m.change).lower()]
    if args.list:
        for m in chosen:
            print("%-28s %-50s %s: %s" % (m.behaviour, m.change, FILES[m.file], "; ".join(m.tests)))
        return 0
    if not chosen:
        parser.error("no mutation matches --only %r" % args.only)

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))    # so the scratch copy is removed
    python = str(ROOT / ".venv" / "bin" / "python")
    with tempfile.TemporaryDirectory(prefix="mutate-") as tmp:
        scratch = pathlib.Path(tmp)
        scratch_copy(scratch)
        env = dict(os.environ, PYTHONPATH=str(scratch), AI_MXNET_BRIDGE_VENV=str(ROOT / ".venv"),
                   PYTHONDONTWRITEBYTECODE="1", AI_MXNET_MUTATE_PYTHON=python)
        env.pop("AI_MXNET_FUZZ_SEED", None)   # the tests' default seeds, as make test runs them
        # unchanged, every focused test must pass, or a failure under a mutation would mean nothing
        tests = list(dict.fromkeys(t for m in chosen for t in m.tests))
        print("baseline: %d focused test commands on the unchanged copy" % len(tests), flush=True)
        failures, crashes = run_tests(tests, scratch, env, args.timeout)
        if failures or crashes:
            print("the focused tests fail without any mutation:\n  " + "\n  ".join(failures + crashes))
            return 1
        rows, all_caught = [], True
        for n, m in enumerate(chosen, 1):
            start = time.time()
            original = apply(m, scratch)
            if original is None:
                rows.append((m.behaviour, m.change, "STALE", "its text is not (once) in %s" % FILES[m.file]))
                all_caught = False
            else:
                try:
                    failures, crashes = run_tests(m.tests, scratch, env, args.timeout)
                finally:
                    (scratch / FILES[m.file]).write_text(original)
                if failures:
                    more = " (+%d more)" % (len(failures) - 1) if len(failures) > 1 else ""
                    rows.append((m.behaviour, m.change, "caught", failures[0] + more))
                else:
                    all_caught = False
                    rows.append((m.behaviour, m.change, "NOT CAUGHT", "; ".join(crashes) or "every test passed"))
            print("[%d/%d] %s: %s (%.0f s)" % (n, len(chosen), m.behaviour, rows[-1][2], time.time() - start),
                  flush=True)
            if original is not None:
                print("".join("    %s\n" % f for f in failures[:4]), end="", flush=True)
    print()
    print(table(rows))
    print("\n%d of %d mutations caught by a named failing test" % (sum(r[2] == "caught" for r in rows), len(rows)))
    return 0 if all_caught else 1


if __name__ == "__main__":
    sys.exit(main())
