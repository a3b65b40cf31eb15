"""bridge-parity: run a Perl script (AI::MXNet, through the shim) and its Python twin (through `bridge`) with
the same seed and say whether they print the same thing, numbers compared to a tolerance, so that
"does my Perl code compute what the Python code computes?" has a one-command answer.

    bridge-parity script.pl script.py          # or: python -m bridge.tools.parity script.pl [script.py]

How outputs are compared (see normalize() and compare()):
- Each output becomes a list of *items*. An item is one text line, or one numeric array block printed in
  either language's style: PDL's (`[ 4  8]`, or the `\\n[\\n [1 2]\\n [3 4]\\n]\\n` framing of 2-D and higher
  PDLs, `Empty[0]`) or numpy/mxnet's (`[[ 4.  8.]\\n [12. 16.]]`, wrapped rows, the blank lines between 3-D
  blocks, and mxnet's `<NDArray 2x2 @cpu(0)>` trailer). An array item is its shape plus its numbers in
  row-major order, so `print $x->aspdl` and `print(x.asnumpy())` or `print(x)` give the same item.
- A text line is a sequence of tokens: numbers and words (runs of spaces do not matter; `AI::MXNet::NDArray`
  reads as `NDArray`, so `"$x"` in Perl matches `x.stringify()` and mxnet's own `<NDArray ...>`).
- Blank lines are layout (PDL and mxnet frame arrays with them) and are ignored.
- The two item lists are aligned (difflib, on each item's words and shape); aligned items agree when their
  words are equal and every number pair satisfies |a - b| <= atol + rtol * max(|a|, |b|) (NaN equals NaN).
  The defaults, rtol 1e-5 and atol 1e-6, suit float32: PDL prints a float with 6 significant digits (%7g),
  so 1895.89 on the Perl side must match 1895.8932 on the Python side (a relative error up to 5e-6).

Exit status: 0 the outputs agree, 1 they differ, 2 a script failed to run (its stderr is shown), timed
out, or the command line was wrong.
"""
import argparse
import difflib
import json
import math
import os
import pathlib
import re
import subprocess
import sys
from dataclasses import dataclass, field
from typing import List, Optional, Tuple

ROOT = pathlib.Path(__file__).resolve().parents[2]  # the checkout: bridge/tools/parity.py
PERL_LIB = ROOT / "perl_shim" / "lib"  # a checkout's shim; not there when bridge is installed from its wheel
SEED_VARIABLE = "AI_MXNET_BRIDGE_SEED"
RTOL, ATOL = 1e-5, 1e-6

USAGE_EXAMPLES = """\
examples:
  bridge-parity examples/autograd_basic.pl examples/autograd_basic.py
  bridge-parity examples/autograd_basic.pl          (the twin defaults to the same name with .py)
  bridge-parity --seed 7 --rtol 1e-4 mine.pl mine.py
  bridge-parity --json mine.pl mine.py | jq .verdict

Both scripts get the seed in the environment variable AI_MXNET_BRIDGE_SEED; the shim and `bridge` seed
mxnet's generators with it when they load. Numbers a and b agree when
|a - b| <= atol + rtol * max(|a|, |b|); blank lines are ignored, runs of spaces do not matter, and an
array printed by PDL or by numpy/mxnet reads as its shape and its numbers.
exit status: 0 agree, 1 differ, 2 a script failed to run (or timed out, or bad arguments)
"""

# -- tokens ---------------------------------------------------------------------------------------------
# A number is not glued to a word on either side ("float32", "2x2", "x1" stay words); "2." and "-1e-07"
# are numbers, and so are inf and nan in any case (Perl prints Inf and NaN, Python inf and nan).
_NUMBER = (r"(?<![\w.])[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?(?!\w)"
           r"|(?<![\w.])[-+]?(?:[iI][nN][fF]|[nN][aA][nN])(?!\w)")
_TOKEN = re.compile(r"(?P<num>%s)|(?P<word>\w[\w.]*|[\[\](){},;]|[^\s\w\[\](){},;]+)" % _NUMBER)
_ONLY_NUMBER = re.compile(r"(?:%s)\Z" % _NUMBER)
_AI_PREFIX = re.compile(r"\bAI::MXNet::(?=NDArray\b)")
_MX_TRAILER = re.compile(r"<(?:AI::MXNet::)?NDArray (\d+(?:x\d+)*) @\w+\(\d+\)>\Z")
_PDL_EMPTY = re.compile(r"Empty\[(\d+(?:x\d+)*)\]\Z")
_ARRAY_LINE = re.compile(r"[-+\w.\s\[\],]*\Z")  # the characters an array line may hold


@dataclass(frozen=True)
class Number:
    """A number as printed: its value and its text (for messages)."""
    value: float
    text: str


def tokens(line):
    """A text line's tokens: Number for each number, str for each word or punctuation run."""
    out = []
    for m in _TOKEN.finditer(_AI_PREFIX.sub("", line)):
        if m.group("num"):
            out.append(Number(float(m.group("num")), m.group("num")))
        else:
            out.append(m.group("word"))
    return out


# -- items ----------------------------------------------------------------------------------------------
@dataclass
class Item:
    """One text line, or one array block (shape set; tokens are then its numbers, row-major)."""
    line: int                    # 1-based line of the output where it starts
    text: str                    # the lines it came from, joined by "\n"
    tokens: List[object] = field(default_factory=list)
    shape: Optional[Tuple[int, ...]] = None

    @property
    def is_array(self):
        return self.shape is not None

    def numbers(self):
        return [t for t in self.tokens if isinstance(t, Number)]

    def values(self):
        """The numbers' values (for an array: row-major)."""
        return [t.value for t in self.numbers()]

    def key(self):
        """What must be equal for two items to be compared number by number: the words and where the
        numbers go, or an array's shape (every empty array has the same key)."""
        if self.is_array:
            return ("array", "empty" if 0 in self.shape else self.shape)
        return tuple(None if isinstance(t, Number) else t for t in self.tokens)

    def brief(self):
        """The item on one line, runs of spaces collapsed."""
        return " ".join(self.text.split())


def _parse_nested(text):
    """The nested lists of a bracketed block (numbers as Number), or None if it is not a numeric array
    (a word inside, text after the closing bracket, a bracket left open)."""
    stack, top = [[]], None
    for m in re.finditer(r"\[|\]|,|[^\s\[\],]+", text):
        tok = m.group()
        if top is not None:
            return None                      # something after the outermost "]"
        if tok == "[":
            stack.append([])
        elif tok == "]":
            if len(stack) < 2:
                return None
            done = stack.pop()
            stack[-1].append(done)
            if len(stack) == 1:
                top = done
        elif tok == ",":
            continue
        elif len(stack) < 2:
            return None
        elif _ONLY_NUMBER.match(tok):
            stack[-1].append(Number(float(tok), tok))
        elif tok in ("True", "False"):       # numpy's booleans; PDL prints them as 1 and 0
            stack[-1].append(Number(float(tok == "True"), tok))
        else:
            return None
    return top


def _shape_and_flat(nested):
    """(shape, numbers in row-major order) of a rectangular nested list, or None if it is ragged."""
    if not isinstance(nested, list):
        return (), [nested]
    if not nested:
        return (0,), []
    parts = [_shape_and_flat(x) for x in nested]
    if any(p is None for p in parts) or len({p[0] for p in parts}) != 1:
        return None
    return (len(nested),) + parts[0][0], [n for p in parts for n in p[1]]


def _array_block(lines, i):
    """If an array block starts at lines[i], (item, index after it); else None."""
    first = lines[i].strip()
    m = _PDL_EMPTY.match(first)
    if m:
        dims = tuple(int(d) for d in m.group(1).split("x"))
        return Item(i + 1, lines[i], [], tuple(reversed(dims))), i + 1
    if not first.startswith("["):
        return None
    depth, j = 0, i
    while j < len(lines):
        if not _ARRAY_LINE.match(lines[j]):
            return None
        depth += lines[j].count("[") - lines[j].count("]")
        j += 1
        if depth <= 0:
            break
    if depth != 0:
        return None
    nested = _parse_nested("\n".join(lines[i:j]))
    parsed = _shape_and_flat(nested) if nested is not None else None
    if parsed is None:
        return None
    shape, flat = parsed
    end = j
    if j < len(lines):                       # mxnet's print(x): the array, then <NDArray 2x2 @cpu(0)>
        t = _MX_TRAILER.match(lines[j].strip())
        if t and tuple(int(d) for d in t.group(1).split("x")) == shape:
            end = j + 1
    text = "\n".join(l for l in lines[i:end] if l.strip())
    return Item(i + 1, text, flat, shape), end


def normalize(output):
    """An output's items: array blocks in either print style, and text lines; blank lines dropped."""
    lines = output.splitlines()
    items, i = [], 0
    while i < len(lines):
        if not lines[i].strip():
            i += 1
            continue
        block = _array_block(lines, i)
        if block:
            item, i = block
        else:
            item, i = Item(i + 1, lines[i], tokens(lines[i])), i + 1
        items.append(item)
    return items


# -- comparison -----------------------------------------------------------------------------------------
def close(a, b, rtol=RTOL, atol=ATOL):
    """|a - b| <= atol + rtol * max(|a|, |b|); NaN matches NaN, an infinity only the same infinity."""
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    if math.isinf(a) or math.isinf(b):
        return a == b
    return abs(a - b) <= atol + rtol * max(abs(a), abs(b))


def _shape_text(shape):
    return "x".join(map(str, shape)) if shape else "scalar"


def _element(shape, k):
    idx = []
    for n in reversed(shape):
        idx.append(k % n)
        k //= n
    return list(reversed(idx))


def _why(left, right, rtol, atol):
    """(kind, message) for a pair that differs, or None if it agrees."""
    if left.key() != right.key():
        if left.is_array and right.is_array:
            return "shape", "shape differs: %s vs %s" % (_shape_text(left.shape), _shape_text(right.shape))
        if left.is_array != right.is_array:
            return "text", "text differs (an array vs a text line)"
        words = [t for t in left.tokens if not isinstance(t, Number)]
        if words == [t for t in right.tokens if not isinstance(t, Number)]:
            return "text", "text differs (%d vs %d numbers)" % (len(left.numbers()), len(right.numbers()))
        return "text", "text differs"
    bad = [(k, a, b) for k, (a, b) in enumerate(zip(left.numbers(), right.numbers()))
           if not close(a.value, b.value, rtol, atol)]
    if not bad:
        return None
    k, a, b = bad[0]
    msg = "number %d differs: %s vs %s" % (k + 1, a.text, b.text)
    if left.is_array and len(left.shape) > 1:
        msg += " (element %s)" % _element(left.shape, k)
    if len(bad) > 1:
        msg += " (and %d more)" % (len(bad) - 1)
    return "number", msg


@dataclass
class Row:
    """One aligned row: a Perl item, a Python item (either may be missing), and why they differ."""
    perl: Optional[Item]
    python: Optional[Item]
    kind: Optional[str] = None       # None (agree), "number", "shape", "text" or "missing"
    why: str = ""

    def as_dict(self):
        return {"perl_line": self.perl.line if self.perl else None,
                "python_line": self.python.line if self.python else None,
                "perl_text": self.perl.text if self.perl else None,
                "python_text": self.python.text if self.python else None,
                "kind": self.kind, "why": self.why}


def compare(perl_output, python_output, rtol=RTOL, atol=ATOL):
    """(rows, numbers compared): the two outputs' items aligned and judged."""
    left, right = normalize(perl_output), normalize(python_output)
    matcher = difflib.SequenceMatcher(None, [i.key() for i in left], [i.key() for i in right],
                                      autojunk=False)
    rows, numbers = [], 0
    for _, i1, i2, j1, j2 in matcher.get_opcodes():
        n = min(i2 - i1, j2 - j1)            # "equal" and "replace" pair up in order; the rest is missing
        for a, b in zip(left[i1:i1 + n], right[j1:j1 + n]):
            why = _why(a, b, rtol, atol)
            if a.key() == b.key():
                numbers += len(a.numbers())
            rows.append(Row(a, b, *(why or (None, ""))))
        rows.extend(Row(a, None, "missing", "missing line") for a in left[i1 + n:i2])
        rows.extend(Row(None, b, "missing", "missing line") for b in right[j1 + n:j2])
    return rows, numbers


# -- running --------------------------------------------------------------------------------------------
@dataclass
class Run:
    label: str
    script: str
    command: List[str]
    returncode: Optional[int] = None     # None: timed out
    stdout: str = ""
    stderr: str = ""

    @property
    def failed(self):
        return self.returncode != 0

    def failure(self):
        if self.returncode is None:
            return "%s script %s timed out" % (self.label, self.script)
        return "%s script %s exited %d" % (self.label, self.script, self.returncode)


def run_both(perl_script, python_script, seed=0, timeout=300, perl_lib=PERL_LIB):
    """Runs the two scripts at once, with AI_MXNET_BRIDGE_SEED=seed, in the current directory. Perl runs the
    checkout's shim when this bridge is a checkout's; else the installed AI::MXNet (perl's @INC), given this
    Python's venv so that both sides run the same bridge."""
    env = dict(os.environ, **{SEED_VARIABLE: str(seed)})
    if pathlib.Path(perl_lib).is_dir():
        perl = ["perl", "-I%s" % perl_lib, perl_script]
    else:
        perl = ["perl", perl_script]
        env["AI_MXNET_BRIDGE_VENV"] = sys.prefix
    runs = [Run("Perl", perl_script, perl), Run("Python", python_script, [sys.executable, python_script])]
    procs = []
    for run in runs:
        try:
            procs.append(subprocess.Popen(run.command, env=env, stdin=subprocess.DEVNULL,
                                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                          errors="replace"))
        except OSError as exc:               # no perl on PATH, say
            run.returncode, run.stderr = 127, "%s: %s" % (run.command[0], exc)
            procs.append(None)
    for run, proc in zip(runs, procs):
        if proc is None:
            continue
        try:
            run.stdout, run.stderr = proc.communicate(timeout=timeout)
            run.returncode = proc.returncode
        except subprocess.TimeoutExpired:
            proc.kill()
            run.stdout, run.stderr = proc.communicate()
    return runs


def report(runs, seed, rtol, atol):
    """The machine-readable report (what --json prints)."""
    perl, python = runs
    rep = {"verdict": None, "status": None, "seed": seed, "rtol": rtol, "atol": atol,
           "perl": None, "python": None, "lines": 0, "numbers": 0, "differing": 0, "differences": []}
    for key, run in (("perl", perl), ("python", python)):
        rep[key] = {"script": run.script, "command": run.command, "returncode": run.returncode,
                    "stderr": run.stderr}
    if perl.failed or python.failed:
        rep.update(verdict="FAILED", status=2)
        return rep, []
    rows, numbers = compare(perl.stdout, python.stdout, rtol, atol)
    differing = [r for r in rows if r.kind]
    rep.update(verdict="DIFFER" if differing else "AGREE", status=1 if differing else 0,
               lines=len(rows), numbers=numbers, differing=len(differing),
               differences=[r.as_dict() for r in differing])
    return rep, rows


def verdict_line(rep):
    if rep["verdict"] == "AGREE":
        return "parity: AGREE (%d lines, %d numbers)" % (rep["lines"], rep["numbers"])
    if rep["verdict"] == "DIFFER":
        return "parity: DIFFER (%d of %d lines)" % (rep["differing"], rep["lines"])
    failed = [k for k in ("perl", "python") if rep[k]["returncode"] != 0]
    return "parity: FAILED (%s)" % ", ".join(
        "%s %s" % (k, "timed out" if rep[k]["returncode"] is None else "exited %d" % rep[k]["returncode"])
        for k in failed)


def _cut(text, width):
    return text if len(text) <= width else text[:width - 3] + "..."


def render(rep, rows, runs, show_all=False, width=34):
    """The human-readable report: a side-by-side table of the rows that differ (all rows with show_all),
    a failing script's stderr, and the verdict line."""
    out = ["perl %s  vs  python %s  (seed %d, rtol %g, atol %g)"
           % (runs[0].script, runs[1].script, rep["seed"], rep["rtol"], rep["atol"])]
    for run in runs:
        if run.failed:
            lines = run.stderr.rstrip().splitlines()
            out.append("%s%s" % (run.failure(), "; its stderr:" if lines else " (nothing on stderr)"))
            if len(lines) > 40:
                out.append("  ... (%d earlier lines)" % (len(lines) - 40))
            out.extend("  " + l for l in lines[-40:])
    shown = rows if show_all else [r for r in rows if r.kind]
    if shown:
        out.append("%5s %5s  %-*s  %-*s  %s" % ("perl", "py", width, "Perl", width, "Python", "why"))
        for r in shown:
            out.append("%5s %5s  %-*s  %-*s  %s" % (
                r.perl.line if r.perl else "-", r.python.line if r.python else "-",
                width, _cut(r.perl.brief(), width) if r.perl else "",
                width, _cut(r.python.brief(), width) if r.python else "",
                r.why or "="))
    out.append(verdict_line(rep))
    return "\n".join(out)


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="bridge-parity", formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Run an AI::MXNet Perl script and its Python twin with the same seed and compare what "
                    "they print, numbers to a tolerance.", epilog=USAGE_EXAMPLES)
    parser.add_argument("perl_script", help="the Perl script (run as perl -I<checkout>/perl_shim/lib SCRIPT, "
                                            "or with the installed AI::MXNet)")
    parser.add_argument("python_script", nargs="?",
                        help="its Python twin (run with this Python); default: PERL_SCRIPT with .py")
    parser.add_argument("--seed", type=int, default=0, help="passed as AI_MXNET_BRIDGE_SEED (default 0)")
    parser.add_argument("--rtol", type=float, default=RTOL, help="relative tolerance (default %g)" % RTOL)
    parser.add_argument("--atol", type=float, default=ATOL, help="absolute tolerance (default %g)" % ATOL)
    parser.add_argument("--json", action="store_true", help="print a JSON report instead of the table")
    parser.add_argument("--all", action="store_true", help="show every line side by side, not only differences")
    parser.add_argument("--timeout", type=float, default=300, help="seconds per script (default 300)")
    args = parser.parse_args(argv)
    python_script = args.python_script or str(pathlib.Path(args.perl_script).with_suffix(".py"))
    for script in (args.perl_script, python_script):
        if not os.path.isfile(script):
            parser.exit(2, "bridge-parity: no such script: %s\n" % script)
    runs = run_both(args.perl_script, python_script, args.seed, args.timeout)
    rep, rows = report(runs, args.seed, args.rtol, args.atol)
    if args.json:
        print(json.dumps(rep, indent=2))
    else:
        print(render(rep, rows, runs, show_all=args.all))
    return rep["status"]


if __name__ == "__main__":
    sys.exit(main())
