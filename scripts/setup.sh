#!/usr/bin/env bash
# make setup: Debian packages, the .venv (from Debian's python3, the one Inline::Python embeds),
# the pip install, and a check that the Perl shim loads. Idempotent; quick when already done.
set -euo pipefail
cd "$(dirname "$0")/.."

DEB_PACKAGES="perl pdl libpdl-linearalgebra-perl libpdl-ccs-perl libinline-python-perl python3-venv libmouse-perl libfunction-parameters-perl libterm-progressbar-perl libgraphviz-perl libtest-pod-perl libtest-pod-coverage-perl perl-doc cpanminus"
# Debian's own interpreter: libinline-python-perl links its libpython, so the venv must match it.
SYSTEM_PYTHON=/usr/bin/python3

# Which mxnet wheel: MXNET=mxnet (the CPU build, the default) or one of PyPI's CUDA builds of mxnet 1.9.1 (same
# package, same API), e.g. `make setup MXNET=mxnet-cu117`. The venv keeps the build it has (named in its stamp)
# until another is asked for, so a later plain `make test` does not switch it back.
MXNET_BUILDS="mxnet mxnet-cu101 mxnet-cu102 mxnet-cu110 mxnet-cu111 mxnet-cu112 mxnet-cu113 mxnet-cu114 mxnet-cu115 mxnet-cu116 mxnet-cu117"
stamp=.venv/.bridge-installed
installed_build=
[ -f "$stamp" ] && installed_build=$(cat "$stamp") && installed_build=${installed_build:-mxnet}
MXNET=${MXNET:-${installed_build:-mxnet}}
case " $MXNET_BUILDS " in
    *" $MXNET "*) ;;
    *) echo "setup: unknown MXNET=$MXNET; it is one of: $MXNET_BUILDS (README: \"GPUs\")" >&2; exit 2 ;;
esac

missing=()
for p in $DEB_PACKAGES; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        echo "setup: installing Debian packages: ${missing[*]}"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq
        apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    else
        echo "setup: missing Debian packages. Run this, then 'make setup' again:"
        echo "  sudo apt-get install -y ${missing[*]}"
        exit 1
    fi
fi

# A venv made from another Python (pyenv, conda) cannot be loaded by the embedded interpreter: rebuild it.
if [ -x .venv/bin/python ] && [ "$(.venv/bin/python -c 'import sys; print(sys.base_prefix)')" != "/usr" ]; then
    echo "setup: .venv was not made from $SYSTEM_PYTHON; recreating it"
    rm -rf .venv
fi
if [ ! -x .venv/bin/python ]; then
    echo "setup: creating .venv from $SYSTEM_PYTHON"
    "$SYSTEM_PYTHON" -m venv .venv
fi

if [ ! -f "$stamp" ] || [ "$installed_build" != "$MXNET" ] || [ pyproject.toml -nt "$stamp" ]; then
    # pyproject.toml's dependencies and test extras, with the chosen build in place of `mxnet`; the bridge
    # itself without its dependencies (it names the CPU build).
    mapfile -t requirements < <(.venv/bin/python - "$MXNET" <<'PY'
import re, sys, tomllib
project = tomllib.load(open("pyproject.toml", "rb"))["project"]
for requirement in project["dependencies"] + project["optional-dependencies"]["test"]:
    print(re.sub(r"^mxnet(?=[=<>!~ ]|$)", sys.argv[1], requirement))
PY
)
    rm -f "$stamp"    # (until this succeeds: a failed switch is retried by the next make setup)
    others=$(.venv/bin/python -m pip list --format=freeze 2>/dev/null | sed -n 's/^\(mxnet\(-cu[0-9]*\)\?\)==.*/\1/p' | grep -vx "$MXNET" || true)
    if [ -n "$others" ]; then
        echo "setup: pip uninstall $others (another build of the same mxnet package)"
        .venv/bin/python -m pip uninstall -q -y $others
    fi
    echo "setup: pip install -e . and ${requirements[*]}"
    .venv/bin/python -m pip install -q --disable-pip-version-check "${requirements[@]}"
    # (built with the venv's own setuptools and the wheel just installed: nothing more to fetch)
    .venv/bin/python -m pip install -q --disable-pip-version-check --no-deps --no-build-isolation -e .
    echo "$MXNET" > "$stamp"
fi

# aspdl's C helper (perl_shim/PDLData), into perl_shim/lib/auto; optional (scripts/build_helper.sh).
bash scripts/build_helper.sh perl_shim/lib

perl -Iperl_shim/lib -MAI::MXNet -e 1
echo "setup: ok ($(perl -Iperl_shim/lib -MAI::MXNet::Bridge -e 'print AI::MXNet::Bridge::config_line()'))"
