"""The tutorial pages (docs/tutorials/*.md) print what they show, in Perl and in Python: each page is run
through scripts/doctest_tutorials.py. The runner itself is tested too, on pages that must fail."""
import pathlib
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
RUNNER = ROOT / "scripts" / "doctest_tutorials.py"
PAGES = sorted((ROOT / "docs" / "tutorials").glob("*.md"))


def run_runner(*pages):
    return subprocess.run([sys.executable, str(RUNNER), *map(str, pages)], cwd=ROOT,
                          capture_output=True, text=True, timeout=900)


def test_there_are_tutorial_pages():
    assert {p.name for p in PAGES} >= {"autograd.md", "ndarray.md"}


@pytest.mark.parametrize("page", PAGES, ids=[p.name for p in PAGES])
def test_tutorial_page_prints_what_it_shows(page):
    proc = run_runner(page)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.rstrip("\n").endswith("all outputs match"), proc.stdout


# A step that really works in both languages, so a failure below is the runner's judgement on the page.
GOOD_STEP = """\
```perl
use strict;
use warnings;
use AI::MXNet qw(mx);
my $x = nd->array([[1, 2], [3, 4]]);
print $x->aspdl;
```

```python
from bridge import mx, nd
x = nd.array([[1, 2], [3, 4]])
print(x.aspdl(), end="")
```

```output

[
 [1 2]
 [3 4]
]
```
"""


def write_page(tmp_path, text):
    page = tmp_path / "page.md"
    page.write_text(text)
    return page


def test_runner_passes_a_correct_page(tmp_path):
    # The control for the two tests below: the same step with the right output passes.
    proc = run_runner(write_page(tmp_path, GOOD_STEP))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "1 perl blocks, 1 python blocks, all outputs match" in proc.stdout


def test_runner_fails_on_a_wrong_output_block_and_names_the_block(tmp_path):
    wrong = GOOD_STEP + """
```perl
print $x->sum->asscalar, "\\n";
```

```python
print(x.sum().asscalar())
```

```output
11
```
"""
    # 1 + 2 + 3 + 4 is 10, not 11: block 2 is wrong in both languages; block 1 is fine.
    proc = run_runner(write_page(tmp_path, wrong))
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "block 2 (perl" in proc.stdout and "block 2 (python" in proc.stdout, proc.stdout
    assert "block 1 " not in proc.stdout, proc.stdout
    assert "|11" in proc.stdout and "|10" in proc.stdout, proc.stdout


def test_runner_fails_when_perl_and_python_disagree(tmp_path):
    disagree = GOOD_STEP + """
```perl
print $x->size, "\\n";
```

```python
print(x.size + 1)
```

```output
4
```
"""
    # The output block matches Perl; the Python twin prints 5.
    proc = run_runner(write_page(tmp_path, disagree))
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "block 2 (python" in proc.stdout, proc.stdout
    assert "block 2 (perl" not in proc.stdout, proc.stdout
    assert "block 2: perl and python print different output" in proc.stdout, proc.stdout


def test_runner_keeps_output_without_a_final_newline_apart(tmp_path):
    # A block that prints "4" with no newline must not match an output block of "4\n": the marker's own
    # leading newline must not be taken for the block's.
    no_newline = GOOD_STEP + """
```perl
print $x->size;
```

```python
print(x.size, end="")
```

```output
4
```
"""
    proc = run_runner(write_page(tmp_path, no_newline))
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "block 2 (perl" in proc.stdout and "(no newline at the end)" in proc.stdout, proc.stdout
