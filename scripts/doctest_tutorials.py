"""Doc-test the tutorials: every step on docs/tutorials/*.md must print what the page says, in Perl and in Python.

Why: the tutorial pages show each step twice, as a ```perl block and its ```python twin, followed by an
```output block with what the step prints (no output block: the step prints nothing). The outputs are written
by hand; this script checks them, so a page can never drift from what the bridge really does, and the two
languages can never drift apart. There is deliberately no mode that rewrites the pages.

How: for each page the perl blocks are joined, in order, into one Perl program and the python blocks into one
Python program, so later steps see the variables of earlier ones. After each block the program prints a marker
line ("\\n#--block N <token>--\\n", the token random per run) to stdout, and the captured stdout is split on the
markers: the marker's leading "\\n" is removed exactly, so a block whose output does not end with a newline is
still seen as such. The Perl program runs as `perl -I<root>/perl_shim/lib`, the Python one with the interpreter
running this script, both from the repository root. Perl errors name the page's own lines (`#line`), and
Python tracebacks are rewritten to name them too.

Page format: a step is a ```perl block, then a ```python block, then optionally an ```output block; other fenced
blocks (```sh, ...) and the prose are ignored. An output block's text (with its final newline) is the exact
output expected from both blocks; a block that printed something not ending in a newline cannot match one.

    .venv/bin/python scripts/doctest_tutorials.py                  # every docs/tutorials/*.md
    .venv/bin/python scripts/doctest_tutorials.py PAGE.md ...      # just these

Prints every mismatch (page, block number, page line, expected and got) and one summary line per page.
Exit status: 0 if every page matches, 1 on any mismatch, malformed page or failed program.
"""
import argparse
import pathlib
import re
import subprocess
import sys
import tempfile
import uuid

ROOT = pathlib.Path(__file__).resolve().parent.parent
TUTORIALS = ROOT / "docs" / "tutorials"
TIMEOUT_S = 600

FENCE_OPEN = re.compile(r"^```\s*([A-Za-z0-9_+-]*)\s*$")
FENCE_CLOSE = re.compile(r"^```\s*$")


class PageError(Exception):
    """A page that does not have the step structure this runner checks."""


class Block:
    def __init__(self, lang, line, text):
        self.lang = lang      # perl, python, output, or any other fence language
        self.line = line      # page line of the first line of the block's content (1-based)
        self.text = text      # the content, each line ending in "\n"


class Step:
    def __init__(self, number, perl, python, output):
        self.number = number
        self.perl = perl
        self.python = python
        self.output = output  # a Block, or None: the step must print nothing

    @property
    def expected(self):
        return self.output.text if self.output else ""


def fenced_blocks(text):
    """The page's fenced blocks, in order. An unclosed fence is a PageError."""
    blocks, current = [], None
    for number, line in enumerate(text.splitlines(keepends=True), start=1):
        bare = line.rstrip("\r\n")
        if current is None:
            match = FENCE_OPEN.match(bare)
            if match:
                current = Block(match.group(1).lower(), number + 1, "")
        elif FENCE_CLOSE.match(bare):
            blocks.append(current)
            current = None
        else:
            current.text += bare + "\n"
    if current is not None:
        raise PageError(f"line {current.line - 1}: ```{current.lang} block is never closed")
    return blocks


def steps_of(text):
    """Group the perl/python/output blocks into steps, checking the order perl, python, [output]."""
    blocks = [b for b in fenced_blocks(text) if b.lang in ("perl", "python", "output")]
    steps, i = [], 0
    while i < len(blocks):
        block = blocks[i]
        if block.lang != "perl":
            raise PageError(f"line {block.line - 1}: ```{block.lang} block where a ```perl block "
                            f"(the start of step {len(steps) + 1}) was expected")
        if i + 1 >= len(blocks) or blocks[i + 1].lang != "python":
            raise PageError(f"line {block.line - 1}: the ```perl block of step {len(steps) + 1} is not "
                            f"followed by its ```python twin")
        output = blocks[i + 2] if i + 2 < len(blocks) and blocks[i + 2].lang == "output" else None
        steps.append(Step(len(steps) + 1, block, blocks[i + 1], output))
        i += 3 if output else 2
    if not steps:
        raise PageError("no ```perl / ```python steps found")
    return steps


# -- building and running the two programs ------------------------------------------------------------------

def marker_line(number, token):
    return f"#--block {number} {token}--"


def marker(number, token):
    """What the program prints after block `number`: a newline, then the marker line. The leading "\\n"
    belongs to the marker, not to the block, so it is removed with the marker."""
    return f"\n{marker_line(number, token)}\n"


def perl_program(steps, page_name, token):
    parts = []
    for step in steps:
        # `#line` makes Perl's errors and warnings name the page and its line numbers.
        parts.append(f'#line {step.perl.line} "{page_name}"\n{step.perl.text}')
        parts.append(f';\nprint STDOUT "\\n{marker_line(step.number, token)}\\n";\n')
    return "".join(parts)


def python_program(steps, token):
    """The program, and for each of its lines the page line it came from (None for the marker lines)."""
    lines, origin = [], []
    for step in steps:
        for offset, line in enumerate(step.python.text.splitlines(keepends=True)):
            lines.append(line)
            origin.append(step.python.line + offset)
        lines.append(f'print("\\n{marker_line(step.number, token)}")\n')
        origin.append(None)
    return "".join(lines), origin


def relabel_python_traceback(stderr, program_path, page_name, origin):
    """Rewrite 'File "<program>", line N' into the page's file and line, so errors point at the page."""
    def replace(match):
        number = int(match.group(1))
        page_line = origin[number - 1] if 0 < number <= len(origin) else None
        if page_line is None:
            return match.group(0)
        return f'File "{page_name}", line {page_line}'
    return re.sub(r'File "' + re.escape(str(program_path)) + r'", line (\d+)', replace, stderr)


def run(cmd):
    """(exit status, stdout, stderr) of cmd run from the repository root; stdout decoded without newline
    translation, so the bytes compared are the bytes printed."""
    try:
        proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, timeout=TIMEOUT_S)
    except subprocess.TimeoutExpired as exc:
        return None, (exc.stdout or b"").decode("utf-8", "replace"), f"timed out after {TIMEOUT_S} s"
    return (proc.returncode, proc.stdout.decode("utf-8", "replace"),
            proc.stderr.decode("utf-8", "replace"))


def split_outputs(stdout, count, token):
    """Each block's output, from the program's stdout, and what came after the last marker found. Once a
    marker is missing (the program stopped inside that block) that block and the ones after it get None,
    and the text after the last marker is the stopped block's output so far."""
    outputs, rest = [], stdout
    for number in range(1, count + 1):
        mark = marker(number, token)
        at = rest.find(mark)
        if at < 0:
            return outputs + [None] * (count - len(outputs)), rest
        outputs.append(rest[:at])
        rest = rest[at + len(mark):]
    return outputs, rest


# -- checking and reporting -----------------------------------------------------------------------------------

def show(text, indent="      "):
    """A block of output for a report: each line behind '|', so blank lines and spaces stay visible."""
    if text == "":
        return indent + "(nothing)\n"
    lines = text.split("\n")
    tail = lines.pop()  # "" when the text ends with a newline
    out = "".join(f"{indent}|{line}\n" for line in lines)
    if tail:
        out += f"{indent}|{tail}\n{indent}(no newline at the end)\n"
    return out


def page_name_of(path):
    path = path.resolve()
    try:
        return str(path.relative_to(ROOT))
    except ValueError:
        return str(path)


def check_page(path):
    """Run one page; returns (ok, report lines)."""
    name = page_name_of(path)
    try:
        steps = steps_of(path.read_text(encoding="utf-8"))
    except PageError as exc:
        return False, [f"{name}: malformed page: {exc}"]
    token = uuid.uuid4().hex
    problems = []
    with tempfile.TemporaryDirectory(prefix="doctest_tutorials_") as tmp:
        perl_path = pathlib.Path(tmp) / "page.pl"
        python_path = pathlib.Path(tmp) / "page.py"
        perl_path.write_text(perl_program(steps, name, token), encoding="utf-8")
        python_source, origin = python_program(steps, token)
        python_path.write_text(python_source, encoding="utf-8")
        results = {
            "perl": run(["perl", f"-I{ROOT / 'perl_shim' / 'lib'}", str(perl_path)]),
            "python": run([sys.executable, str(python_path)]),
        }
        code, out, err = results["python"]
        results["python"] = (code, out, relabel_python_traceback(err, python_path, name, origin))

    outputs = {}
    for lang, (code, stdout, stderr) in results.items():
        outputs[lang], rest = split_outputs(stdout, len(steps), token)
        stopped = next((s for s, o in zip(steps, outputs[lang]) if o is None), None)
        if code != 0 or stopped:
            where = f" in block {stopped.number} (line {getattr(stopped, lang).line - 1})" if stopped else ""
            status = "timed out" if code is None else f"exit status {code}"
            problems.append(f"{name}: the {lang} program stopped{where}: {status}\n"
                            + (f"    stderr:\n{show(stderr)}" if stderr else "")
                            + (f"    that block's output so far:\n{show(rest)}" if stopped and rest else ""))
        else:
            if stderr:
                problems.append(f"{name}: the {lang} program wrote to stderr (a tutorial must run cleanly):\n"
                                + show(stderr))
            if rest:
                problems.append(f"{name}: the {lang} program printed text after its last block:\n"
                                + show(rest))

    for step in steps:
        got = {lang: outputs[lang][step.number - 1] for lang in ("perl", "python")}
        for lang in ("perl", "python"):
            if got[lang] is None or got[lang] == step.expected:
                continue
            where = (f"output block at line {step.output.line - 1}" if step.output
                     else "no output block: must print nothing")
            problems.append(
                f"{name}: block {step.number} ({lang}, line {getattr(step, lang).line - 1}) does not print "
                f"what the page shows ({where})\n"
                f"    expected:\n{show(step.expected)}    got:\n{show(got[lang])}")
        if None not in got.values() and got["perl"] != got["python"]:
            problems.append(f"{name}: block {step.number}: perl and python print different output")

    if problems:
        return False, problems + [f"{name}: {len(steps)} perl blocks, {len(steps)} python blocks, "
                                  f"{len(problems)} problem(s)"]
    return True, [f"{name}: {len(steps)} perl blocks, {len(steps)} python blocks, all outputs match"]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("pages", nargs="*", type=pathlib.Path,
                        help="tutorial pages (default: docs/tutorials/*.md)")
    args = parser.parse_args(argv)
    pages = args.pages or sorted(TUTORIALS.glob("*.md"))
    if not pages:
        print(f"no tutorial pages in {page_name_of(TUTORIALS)}")
        return 1
    failed = 0
    for page in pages:
        if not page.is_file():
            print(f"{page}: no such page")
            failed += 1
            continue
        ok, lines = check_page(page)
        failed += not ok
        print("\n".join(lines), flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
