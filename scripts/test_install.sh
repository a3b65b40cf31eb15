#!/usr/bin/env bash
# make test-install (run by make test): the project installed the way a user installs it system-wide, in
# temporary places. The wheel (`pip wheel .`) goes into a fresh venv made from Debian's python3; the Perl
# distribution (`make dist`'s tarball) goes with cpanm into a temporary prefix, configured for that venv. Then,
# from another directory, a Perl script, a Python script and bridge-parity (the wheel's console script) run;
# perldoc reads the installed POD; the venv, moved away, gives the one-line error. Nothing is downloaded: the
# wheel is built with the .venv's setuptools and wheel, the new venv takes mxnet and numpy from the .venv's
# site-packages (a .pth line), and cpanm has no mirror to reach.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
PY=$ROOT/.venv/bin/python
VERSION=$("$PY" -c 'import tomllib; print(tomllib.load(open("pyproject.toml", "rb"))["project"]["version"])')
PYVER=$("$PY" -c 'import sys; print("python%d.%d" % sys.version_info[:2])')

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
chmod 755 "$tmp"    # perldoc run by root reads as nobody
start=$SECONDS
fail() { echo "test-install: FAIL: $*" >&2; exit 1; }
passed=0
step() { passed=$((passed + 1)); echo "test-install: $* ($((SECONDS - start)) s)"; }
expect() {  # expect NAME WANTED GOT
    [ "$2" = "$3" ] || fail "$1: expected [$2], got [$3]"
}

# -- the sources, as the distributions list them
if git -C "$ROOT" rev-parse --git-dir >/dev/null 2>&1; then
    missing=$(comm -23 <(git -C "$ROOT" ls-files perl_shim | sed 's|^perl_shim/||' | sort) \
                       <(awk '{print $1}' perl_shim/MANIFEST | sort))
    [ -z "$missing" ] || fail "perl_shim/MANIFEST lacks: $missing (run: cd perl_shim && perl Makefile.PL && make manifest)"
fi
grep -q "^$VERSION\b" perl_shim/Changes || fail "perl_shim/Changes has no entry for $VERSION (pyproject.toml's version)"
mkdir -p "$tmp/src"
cp pyproject.toml "$tmp/src/"
cp -r bridge "$tmp/src/"
find "$tmp/src/bridge" -name __pycache__ -prune -exec rm -rf {} +
mkdir -p "$tmp/src/perl_shim"
(cd perl_shim && awk '{print $1}' MANIFEST | xargs cp --parents -t "$tmp/src/perl_shim")

# -- the wheel, in a fresh venv
(cd "$tmp/src" && "$PY" -m pip wheel -q --disable-pip-version-check --no-deps --no-build-isolation --no-index \
    -w "$tmp/dist" . >"$tmp/wheel.log" 2>&1) || { cat "$tmp/wheel.log"; fail "pip wheel ."; }
wheel=$(ls "$tmp"/dist/ai_mxnet_bridge-"$VERSION"-*.whl) || fail "no wheel of version $VERSION"
"$PY" - "$wheel" "$tmp/src" <<'PY' || fail "the wheel lacks modules or the console script"
import pathlib, sys, zipfile
names = set(zipfile.ZipFile(sys.argv[1]).namelist())
src = pathlib.Path(sys.argv[2])
missing = [str(p.relative_to(src)) for p in src.glob("bridge/**/*.py") if str(p.relative_to(src)) not in names]
scripts = [n for n in names if n.endswith("entry_points.txt")]
entry = zipfile.ZipFile(sys.argv[1]).read(scripts[0]).decode() if scripts else ""
if missing or "bridge-parity = bridge.tools.parity:main" not in entry:
    sys.exit("missing: %s; entry points: %r" % (missing, entry))
PY
step "wheel built: $(basename "$wheel")"
/usr/bin/python3 -m venv "$tmp/venv"
"$tmp/venv/bin/python" -m pip install -q --disable-pip-version-check --no-deps --no-index "$wheel"
site=$("$tmp/venv/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
ls -d "$ROOT"/.venv/lib/python3*/site-packages > "$site/ai_mxnet_bridge_deps.pth"    # mxnet, numpy
step "wheel installed in a venv made from /usr/bin/python3"

mkdir "$tmp/elsewhere"
cp examples/autograd_basic.pl examples/autograd_basic.py "$tmp/elsewhere/"
cd "$tmp/elsewhere"
got=$("$tmp/venv/bin/python" -c '
import bridge
from bridge import nd, mx
x = nd.array([[1, 2], [3, 4]]); x.attach_grad()
with mx.autograd.record():
    y = 2 * x * x
y.backward()
print(bridge.__file__, bridge.__version__)
print(x.grad.aspdl(), end="")')
expect "the Python smoke test" "$site/bridge/__init__.py $VERSION

[
 [ 4  8]
 [12 16]
]" "$got"
step "python from another directory: bridge $VERSION from the wheel, x.grad.aspdl() as PDL prints it"
cd "$ROOT"

# -- the Perl distribution: make dist, then cpanm from the tarball, offline, into a prefix
(cd "$tmp/src/perl_shim" && perl Makefile.PL AI_MXNET_BRIDGE_VENV="$tmp/venv" >"$tmp/configure.log" 2>&1 \
    && make dist >"$tmp/dist.log" 2>&1) || { cat "$tmp"/configure.log "$tmp"/dist.log; fail "perl Makefile.PL && make dist"; }
tarball="$tmp/src/perl_shim/AI-MXNet-Bridge-$VERSION.tar.gz"
[ -f "$tarball" ] || fail "make dist made no $(basename "$tarball")"
listing=$(tar tzf "$tarball")    # (not piped into grep -q: pipefail would see tar's SIGPIPE)
for f in MANIFEST META.json Changes LICENSE Makefile.PL lib/AI/MXNet.pm; do
    grep -qx "AI-MXNet-Bridge-$VERSION/$f" <<<"$listing" || fail "the tarball lacks $f"
done
meta=$(tar xzOf "$tarball" "AI-MXNet-Bridge-$VERSION/META.json")
grep -q '"Inline::Python"' <<<"$meta" || fail "META.json lacks the prerequisites"
step "make dist: $(basename "$tarball")"
# (DESTDIR: should the refusal fail, what it installs stays under $tmp)
if out=$(cd "$tmp/src/perl_shim" && make install INSTALL_BASE="$tmp/prefix" DESTDIR="$tmp/destdir" 2>&1); then
    fail "make install INSTALL_BASE=DIR after a plain perl Makefile.PL went ahead: $out"
fi
grep -q "^INSTALL_BASE goes to Makefile.PL, which fixes the install paths: perl Makefile.PL INSTALL_BASE=$tmp/prefix && make install$" <<<"$out" \
    && [ ! -e "$tmp/destdir" ] || fail "make install INSTALL_BASE=DIR: $out"
step "make install INSTALL_BASE=DIR after a plain perl Makefile.PL: refused in one line, nothing installed"
(cd "$tmp" && AI_MXNET_BRIDGE_VENV="$tmp/venv" PERL_CPANM_HOME="$tmp/cpanm" \
    cpanm --notest --mirror "file://$tmp/no-mirror" --mirror-only -l "$tmp/perl" "$tarball" >"$tmp/cpanm.log" 2>&1) \
    || { cat "$tmp/cpanm.log"; tail -30 "$tmp"/cpanm/latest-build/build.log 2>/dev/null; fail "cpanm $(basename "$tarball")"; }
step "cpanm installed it into a prefix, offline"
export PERL5LIB="$tmp/perl/lib/perl5"
tar xzf "$tarball" -C "$tmp"
(cd "$tmp/AI-MXNet-Bridge-$VERSION" && prove -I"$PERL5LIB" t/00-load.t t/95-pod.t t/96-pod-coverage.t >"$tmp/prove.log" 2>&1) \
    || { cat "$tmp/prove.log"; fail "the distribution's load and POD tests against the installed copy"; }
step "the tarball's t/00-load.t, t/95-pod.t, t/96-pod-coverage.t pass against the installed copy"
got=$(cd / && perl -MAI::MXNet=mx -e 'print AI::MXNet::NDArray::_allocator() ? $INC{"AI/MXNet/Bridge/PDLData.pm"} : "none"')
if [ -f perl_shim/lib/auto/AI/MXNet/Bridge/PDLData/PDLData.so ]; then    # (make setup built it: a C compiler is here)
    case "$got" in "$tmp/perl/lib/perl5/"*AI/MXNet/Bridge/PDLData.pm) ;; *) fail "aspdl's C helper not in use from the installed copy: $got" ;; esac
    step "aspdl's C helper (AI::MXNet::Bridge::PDLData) built by the distribution and loaded from the installed copy"
else
    expect "no C compiler: the installed copy without aspdl's C helper" "none" "$got"
    step "no C compiler: the distribution installed without aspdl's C helper, and aspdl takes PDL's way"
fi

cd /
expect "perl -MAI::MXNet from /" "[1 1]" "$(perl -MAI::MXNet=mx -e 'print mx->nd->ones([2])->aspdl')"
got=$(perl -MAI::MXNet::Bridge -e 'print AI::MXNet::Bridge::config_line(), "\n", $INC{"AI/MXNet/Bridge.pm"}')
# (Bridge.pm in the prefix's arch directory: the distribution has XS)
case "$got" in *"bridge $VERSION ($site)"*"$tmp/perl/lib/perl5/"*AI/MXNet/Bridge.pm) ;; *) fail "installed copy and wheel not in use: $got" ;; esac
cd "$tmp/elsewhere"
"$tmp/venv/bin/bridge-parity" autograd_basic.pl autograd_basic.py >"$tmp/parity.log" 2>&1 \
    || { cat "$tmp/parity.log"; fail "bridge-parity from the wheel with the installed AI::MXNet"; }
step "from another directory: perl -MAI::MXNet prints [1 1]; $(tail -1 "$tmp/parity.log") (bridge-parity, the installed Perl and the wheel)"
doc=$(perldoc -t AI::MXNet::NDArray 2>&1) || true
grep -q "^    AI::MXNet::NDArray - " <<<"$doc" || fail "perldoc AI::MXNet::NDArray: $(head -3 <<<"$doc")"
[ -f "$tmp/perl/man/man3/AI::MXNet::NDArray.3pm" ] || fail "no man page AI::MXNet::NDArray.3pm"
step "perldoc AI::MXNet::NDArray reads the installed POD"

mv "$tmp/venv" "$tmp/venv-moved"
if out=$(perl -MAI::MXNet=mx -e 'print 1' 2>&1); then fail "loaded with the recorded venv gone: $out"; fi
expect "the recorded venv gone" "AI::MXNet: no Python environment at $tmp/venv (looked for lib/$PYVER/site-packages); it was recorded when AI::MXNet::Bridge was installed; set AI_MXNET_BRIDGE_VENV=/path/to/venv, or reinstall with perl Makefile.PL AI_MXNET_BRIDGE_VENV=/path/to/venv" "$(head -1 <<<"$out")"
expect "AI_MXNET_BRIDGE_VENV naming the moved venv" "[1 1]" \
    "$(AI_MXNET_BRIDGE_VENV="$tmp/venv-moved" perl -MAI::MXNet=mx -e 'print mx->nd->ones([2])->aspdl')"
step "venv moved: one line naming it and how to point at another; AI_MXNET_BRIDGE_VENV then works"
echo "test-install: version $VERSION, $((SECONDS - start)) s"
echo "test-install: $passed passed, 0 failed"
