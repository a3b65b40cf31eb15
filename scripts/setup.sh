#!/usr/bin/env bash
# make setup: Debian packages, the .venv (from Debian's python3, the one Inline::Python embeds),
# the pip install, and a check that the Perl shim loads. Idempotent; quick when already done.
set -euo pipefail
cd "$(dirname "$0")/.."

DEB_PACKAGES="perl pdl libpdl-linearalgebra-perl libinline-python-perl python3-venv libmouse-perl libfunction-parameters-perl libterm-progressbar-perl libgraphviz-perl"
# Debian's own interpreter: libinline-python-perl links its libpython, so the venv must match it.
SYSTEM_PYTHON=/usr/bin/python3

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

stamp=.venv/.bridge-installed
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
    echo "setup: pip install -e '.[test]'"
    .venv/bin/python -m pip install -q --disable-pip-version-check -e '.[test]'
    touch "$stamp"
fi

perl -Iperl_shim/lib -MAI::MXNet -e 1
echo "setup: ok ($(perl -Iperl_shim/lib -MAI::MXNet::Bridge -e 'print AI::MXNet::Bridge::config_line()'))"
