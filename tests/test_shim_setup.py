"""How the Perl shim finds Python: the checkout's .venv by itself, another venv by AI_MXNET_BRIDGE_VENV, the
venv recorded at install (AI::MXNet::Bridge::Config) in an installed copy, and one clear line saying what to do
when the venv will not do."""
import os
import pathlib
import shutil
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


def test_a_checkout_without_its_venv_dies_with_one_line_naming_make_setup(tmp_path):
    shutil.copytree(ROOT / "perl_shim" / "lib", tmp_path / "perl_shim" / "lib")
    first = first_line_of_failure(perl_with(tmp_path / "perl_shim" / "lib", "use AI::MXNet qw(mx); print 1", "/"))
    assert first == (f"AI::MXNet: no Python environment at {tmp_path / '.venv'} (looked for "
                     f"lib/python3.11/site-packages); run `make setup` in {tmp_path}")


def test_a_missing_venv_named_by_the_variable_dies_with_one_line(tmp_path):
    first = first_line_of_failure(perl("use AI::MXNet qw(mx); print 1", AI_MXNET_BRIDGE_VENV=str(tmp_path / "nowhere")))
    assert f"no Python environment at {tmp_path / 'nowhere'} " in first
    assert "point AI_MXNET_BRIDGE_VENV at a venv" in first


def stub_venv(path, version="python3.11", home="/usr/bin"):
    """A venv's layout with the checkout's bridge importable (as an editable install makes it) and the real
    venv's numpy, but no mxnet unless a stub is added."""
    site = path / "lib" / version / "site-packages"
    site.mkdir(parents=True)
    (path / "bin").mkdir()
    (path / "pyvenv.cfg").write_text(f"home = {home}\ninclude-system-site-packages = false\n")
    (site / "checkout.pth").write_text(f"{ROOT}\n")
    (site / "numpy.pth").write_text(f"{next((ROOT / '.venv' / 'lib').glob('python3*/site-packages'))}\n")
    return site


def first_line_of_failure(proc):
    assert proc.returncode != 0 and proc.stdout == "", proc.stdout
    return proc.stderr.splitlines()[0]


def test_a_venv_without_mxnet_dies_with_one_line(tmp_path):
    site = stub_venv(tmp_path)
    (site / "mxnet.py").write_text("raise ImportError('mxnet is not installed in this venv')\n")
    first = first_line_of_failure(perl("use AI::MXNet qw(mx); print 1", AI_MXNET_BRIDGE_VENV=str(tmp_path)))
    assert "cannot import mxnet" in first and "mxnet is not installed" in first
    assert "point AI_MXNET_BRIDGE_VENV at a venv made from /usr/bin/python3" in first


def test_a_venv_from_another_python_dies_with_one_line(tmp_path):
    stub_venv(tmp_path, home="/opt/other-python/bin")
    first = first_line_of_failure(perl("use AI::MXNet qw(mx); print 1", AI_MXNET_BRIDGE_VENV=str(tmp_path)))
    assert f"{tmp_path} was made from the Python in /opt/other-python/bin" in first
    assert "Inline::Python embeds the one in /usr/bin" in first


def test_a_venv_of_another_python_version_dies_with_one_line(tmp_path):
    stub_venv(tmp_path, version="python3.99")
    first = first_line_of_failure(perl("use AI::MXNet qw(mx); print 1", AI_MXNET_BRIDGE_VENV=str(tmp_path)))
    assert f"{tmp_path} is a venv for python3.99, but Inline::Python embeds python3.11" in first


def test_numpy_1_24_or_later_dies_with_one_line(tmp_path):
    site = stub_venv(tmp_path)
    (site / "numpy.pth").unlink()
    (site / "numpy").mkdir()
    (site / "numpy" / "__init__.py").write_text("__version__ = '1.26.4'\n")
    first = first_line_of_failure(perl("use AI::MXNet qw(mx); print 1", AI_MXNET_BRIDGE_VENV=str(tmp_path)))
    assert "numpy 1.26.4 in" in first and "too new for mxnet 1.9.1, which needs numpy < 1.24" in first


def installed_copy(tmp_path, venv, version=None):
    """The shim's lib as Makefile.PL builds it: AI::MXNet::Bridge::Config beside Bridge.pm records the venv
    (and the version, the Python half's unless given)."""
    lib = tmp_path / "lib"
    shutil.copytree(ROOT / "perl_shim" / "lib", lib)
    if version is None:
        version = subprocess.run([str(ROOT / ".venv" / "bin" / "python"), "-c",
                                  "import bridge; print(bridge.__version__)"],
                                 capture_output=True, text=True, check=True).stdout.strip()
    (lib / "AI" / "MXNet" / "Bridge" / "Config.pm").write_text(
        f"package AI::MXNet::Bridge::Config;\nour $VERSION = '{version}';\nour $VENV = '{venv}';\n1;\n")
    return lib


def perl_with(lib, code, cwd, **env):
    env = {**{k: v for k, v in os.environ.items() if k != "AI_MXNET_BRIDGE_VENV"}, **env}
    return subprocess.run(["perl", f"-I{lib}", "-e", code], cwd=cwd, capture_output=True, text=True,
                          timeout=120, env=env)


def test_an_installed_copy_uses_the_recorded_venv_and_the_variable_wins(tmp_path):
    lib = installed_copy(tmp_path, ROOT / ".venv")
    code = "use AI::MXNet qw(mx); print mx->nd->ones([2])->aspdl, ' ', $AI::MXNet::Bridge::VENV_FROM"
    proc = perl_with(lib, code, cwd="/")
    assert (proc.returncode, proc.stdout) == (0, "[1 1] installed"), proc.stderr
    gone = installed_copy(tmp_path / "gone", tmp_path / "moved-away")
    proc = perl_with(gone, code, cwd="/", AI_MXNET_BRIDGE_VENV=str(ROOT / ".venv"))
    assert (proc.returncode, proc.stdout) == (0, "[1 1] env"), proc.stderr


def test_a_recorded_venv_that_is_gone_dies_with_one_line_saying_how_to_point_elsewhere(tmp_path):
    lib = installed_copy(tmp_path, tmp_path / "moved-away")
    first = first_line_of_failure(perl_with(lib, "use AI::MXNet qw(mx); print 1", cwd="/"))
    assert first.startswith(f"AI::MXNet: no Python environment at {tmp_path / 'moved-away'} ")
    assert "recorded when AI::MXNet::Bridge was installed" in first
    assert "set AI_MXNET_BRIDGE_VENV=/path/to/venv" in first and "perl Makefile.PL AI_MXNET_BRIDGE_VENV=" in first


def test_halves_of_different_versions_die_with_one_line(tmp_path):
    lib = installed_copy(tmp_path, ROOT / ".venv", version="9.9.9")
    first = first_line_of_failure(perl_with(lib, "use AI::MXNet qw(mx); print 1", cwd="/"))
    assert "this AI::MXNet::Bridge is 9.9.9 but the bridge in" in first and "install the same version" in first


# -- aspdl's C helper (perl_shim/PDLData, scripts/build_helper.sh): optional, and nothing breaks without it

def copy_of_the_shim(tmp_path):
    """perl_shim/lib without the helper that make setup built into it."""
    lib = tmp_path / "lib"
    shutil.copytree(ROOT / "perl_shim" / "lib", lib, ignore=shutil.ignore_patterns("auto"))
    return lib


ASPDL_CHECK = ("use AI::MXNet qw(mx); my $p = mx->nd->arange(stop => 90_000)->reshape([300, 300])->aspdl; "
               "print AI::MXNet::NDArray::_allocator() ? 'helper' : 'plain', ' ', $p->at(299, 299), ' ', "
               "$p->at(5, 1), ' ', $p->nelem")


def test_the_helper_builds_into_the_lib_it_is_given_and_aspdl_uses_it(tmp_path):
    lib = copy_of_the_shim(tmp_path)
    proc = subprocess.run(["bash", "scripts/build_helper.sh", str(lib)], cwd=ROOT, capture_output=True,
                          text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "setup: built aspdl's C helper (AI::MXNet::Bridge::PDLData)\n"
    assert (lib / "auto" / "AI" / "MXNet" / "Bridge" / "PDLData" / "PDLData.so").is_file()
    again = subprocess.run(["bash", "scripts/build_helper.sh", str(lib)], cwd=ROOT, capture_output=True,
                           text=True, timeout=300)
    assert (again.returncode, again.stdout) == (0, "")  # built and loading: left as it is
    checked = perl_with(lib, ASPDL_CHECK, tmp_path, AI_MXNET_BRIDGE_VENV=str(ROOT / ".venv"))
    assert checked.stdout == "helper 89999 305 90000", checked.stderr


def test_without_a_c_compiler_the_helper_is_left_out_in_one_line_and_aspdl_works(tmp_path):
    lib = copy_of_the_shim(tmp_path)
    fake = tmp_path / "bin"
    fake.mkdir()
    for name in ("cc", "gcc", "x86_64-linux-gnu-gcc"):  # (Perl's Config names x86_64-linux-gnu-gcc)
        (fake / name).write_text("#!/bin/sh\necho \"$0: not found\" >&2\nexit 127\n")
        (fake / name).chmod(0o755)
    proc = subprocess.run(["bash", "scripts/build_helper.sh", str(lib)], cwd=ROOT, capture_output=True,
                          text=True, timeout=300, env={**os.environ, "PATH": f"{fake}:{os.environ['PATH']}"})
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("setup: aspdl's C helper not built (")
    assert proc.stdout.endswith("; AI::MXNet works without it, aspdl is slower\n")
    assert proc.stdout.count("\n") == 1
    assert not (lib / "auto").exists()
    checked = perl_with(lib, ASPDL_CHECK, tmp_path, AI_MXNET_BRIDGE_VENV=str(ROOT / ".venv"))
    assert checked.stdout == "plain 89999 305 90000", checked.stderr
