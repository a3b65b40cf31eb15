"""How the Perl shim finds Python: the checkout's .venv by itself, another venv by AI_MXNET_BRIDGE_VENV, and
one clear line naming `make setup` when there is none."""
import os
import pathlib
import subprocess

ROOT = pathlib.Path(__file__).resolve().parent.parent


def perl(code, cwd=ROOT, **env):
    return subprocess.run(["perl", f"-I{ROOT}/perl_shim/lib", "-e", code], cwd=cwd, capture_output=True,
                          text=True, timeout=120, env={**os.environ, **env})


def test_finds_the_checkout_venv_without_any_variable(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV", "AI_MXNET"))}
    proc = subprocess.run(["perl", f"-I{ROOT}/perl_shim/lib", "-MAI::MXNet::Bridge", "-e",
                           "print AI::MXNet::Bridge::config_line"], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "mxnet 1.9.1" in proc.stdout and str(ROOT / ".venv") in proc.stdout
    assert list(tmp_path.iterdir()) == []  # nothing written into the user's directory (no _Inline)


def test_a_missing_venv_dies_with_one_line_naming_make_setup(tmp_path):
    proc = perl("use AI::MXNet qw(mx); print 1", AI_MXNET_BRIDGE_VENV=str(tmp_path / "nowhere"))
    assert proc.returncode != 0 and proc.stdout == ""
    first = proc.stderr.splitlines()[0]
    assert "no Python environment at" in first and "make setup" in first


def test_a_venv_without_mxnet_dies_with_one_line_naming_make_setup(tmp_path):
    site = tmp_path / "lib" / "python3.11" / "site-packages"
    site.mkdir(parents=True)
    (tmp_path / "bin").mkdir()
    # The embedded Python can still find the checkout's bridge, but not mxnet: hide it by a broken stub.
    (site / "mxnet.py").write_text("raise ImportError('mxnet is not installed in this venv')\n")
    proc = perl("use AI::MXNet qw(mx); print 1", AI_MXNET_BRIDGE_VENV=str(tmp_path))
    assert proc.returncode != 0
    first = proc.stderr.splitlines()[0]
    assert "cannot import mxnet" in first and "mxnet is not installed" in first and "make setup" in first
