#!/usr/bin/env bash
# aspdl's C helper (perl_shim/PDLData: AI::MXNet::Bridge::PDLData, a new PDL's buffer without PDL's zero fill),
# built in a scratch directory into LIB/auto, where `perl -ILIB` finds it (make setup: LIB = perl_shim/lib).
# Rebuilt when its source is newer or it no longer loads (another PDL). Optional: where it cannot be built (no C
# compiler) this says so in one line and succeeds; AI::MXNet then works without it, aspdl slower.
#   bash scripts/build_helper.sh LIB
set -euo pipefail
cd "$(dirname "$0")/.."
lib=${1:?usage: build_helper.sh LIB}
src=perl_shim/PDLData
helper=$lib/auto/AI/MXNet/Bridge/PDLData/PDLData.so
if [ -f "$helper" ] && [ ! "$src/PDLData.xs" -nt "$helper" ] && [ ! "$src/Makefile.PL" -nt "$helper" ] \
   && perl -I"$lib" -MAI::MXNet::Bridge::PDLData -e 1 2>/dev/null; then
    exit 0
fi
build=$(mktemp -d)
trap 'rm -rf "$build"' EXIT
if cp "$src/Makefile.PL" "$src/PDLData.xs" "$build"/ && (cd "$build" && perl Makefile.PL && make) >"$build/log" 2>&1; then
    mkdir -p "$(dirname "$helper")"
    cp "$build/blib/arch/auto/AI/MXNet/Bridge/PDLData/PDLData.so" "$helper"
    echo "setup: built aspdl's C helper (AI::MXNet::Bridge::PDLData)"
else
    rm -f "$helper"
    echo "setup: aspdl's C helper not built ($(grep -m1 -i 'error\|not found' "$build/log" || tail -1 "$build/log")); AI::MXNet works without it, aspdl is slower"
fi
