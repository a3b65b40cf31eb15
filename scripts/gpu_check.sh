#!/usr/bin/env bash
# The GPU check, in one go, on a machine with an NVIDIA GPU (its driver installed); prints the figures:
#   1. make setup with a CUDA build of mxnet (MXNET, default mxnet-cu117: README "GPUs" says which fits a
#      driver), then the configuration line (the build, the GPUs, their compute capability);
#   2. the device tests, whose gpu(0) cases run only where mxnet sees a GPU: tests/test_devices.py and
#      perl_shim/t/40-devices.t;
#   3. the autograd tutorial's first steps, the crash course's Gluon training and a Module fit
#      (scripts/gpu_check.pl and its twin gpu_check.py) on DEVICE (default gpu(0)) and on cpu(0): Perl against
#      Python on the device (bridge-parity's tolerances), and the device against cpu(0) (rtol 1e-4: cuDNN's and
#      cuBLAS's sums are ordered differently from the CPU's);
#   4. make bench's MLP rows: mlp_train (cpu) and mlp_train_gpu, Perl against Python in the same run.
#
#     bash scripts/gpu_check.sh                              # MXNET=mxnet-cu112 ... for an older driver
#     MXNET=mxnet DEVICE='cpu(1)' BENCH=0 bash scripts/gpu_check.sh   # a dry run where there is no GPU
#
# Without a network, give pip the wheels: PIP_NO_INDEX=1 PIP_FIND_LINKS=/dir/of/wheels bash scripts/gpu_check.sh.
# Each step says ok or FAILED; the exit status is the number of failed steps.
set -uo pipefail
cd "$(dirname "$0")/.."
export MXNET=${MXNET:-mxnet-cu117}
DEVICE=${DEVICE:-gpu(0)}
PY=.venv/bin/python
failed=0
say() { printf '\n== %s\n' "$*"; }
result() { if [ "$1" = 0 ]; then echo "gpu_check: $2: ok"; else echo "gpu_check: $2: FAILED"; failed=$((failed + 1)); fi; }

say "setup with $MXNET"
nvidia-smi --query-gpu=name,driver_version,compute_cap,memory.total --format=csv 2>&1 || echo "(no nvidia-smi)"
make setup
result $? "make setup MXNET=$MXNET"
perl -Iperl_shim/lib -MAI::MXNet::Bridge -e 'print AI::MXNet::Bridge::config_line(), "\n"'

say "device tests"
start=$SECONDS
$PY -m pytest -q -rs tests/test_devices.py
result $? "tests/test_devices.py ($((SECONDS - start)) s)"
start=$SECONDS
prove -v -Iperl_shim/lib perl_shim/t/40-devices.t 2>&1 | grep -E '^(not )?ok|skip|^Result|Failed'
result $? "perl_shim/t/40-devices.t ($((SECONDS - start)) s)"

say "tutorial, Gluon training and Module fit on $DEVICE and on cpu(0)"
data=$(mktemp -d)
trap 'rm -rf "$data"' EXIT
$PY scripts/make_idx_data.py --quiet "$data"
export AI_MXNET_CHECK_DATA=$data
for run in "perl-$DEVICE:perl -Iperl_shim/lib scripts/gpu_check.pl:$DEVICE" "python-$DEVICE:$PY scripts/gpu_check.py:$DEVICE" \
           "perl-cpu:perl -Iperl_shim/lib scripts/gpu_check.pl:cpu(0)" "python-cpu:$PY scripts/gpu_check.py:cpu(0)"; do
    IFS=: read -r name command ctx <<<"$run"
    start=$SECONDS
    AI_MXNET_CHECK_CTX=$ctx $command >"$data/$name.out" 2>"$data/$name.err"
    status=$?
    [ $status = 0 ] || tail -5 "$data/$name.err"
    result $status "$name ($((SECONDS - start)) s)"
done
echo "--- Perl on $DEVICE:"
cat "$data/perl-$DEVICE.out"
# (bridge.tools.parity's comparison of two outputs: the same rules as bridge-parity, the tolerances given)
compare() {  # compare LABEL FILE_A FILE_B RTOL ATOL
    $PY - "$@" <<'PY'
import sys
from bridge.tools.parity import compare
label, a, b, rtol, atol = sys.argv[1], open(sys.argv[2]).read(), open(sys.argv[3]).read(), *map(float, sys.argv[4:])
rows, numbers = compare(a, b, rtol, atol)
differing = [r for r in rows if r.kind]
worst = 0.0
for row in rows:
    if row.perl and row.python and row.perl.key() == row.python.key():
        for x, y in zip(row.perl.values(), row.python.values()):
            if x == x and y == y and max(abs(x), abs(y)) > 0:
                worst = max(worst, abs(x - y) / max(abs(x), abs(y)))
print("%s: %s (%d lines, %d numbers, largest relative difference %.2g)"
      % (label, "DIFFER in %d lines" % len(differing) if differing else "AGREE", len(rows), numbers, worst))
for row in differing:
    print("   ", row.perl.text if row.perl else "-", "|", row.python.text if row.python else "-", "|", row.why)
sys.exit(1 if differing else 0)
PY
}
compare "Perl vs Python on $DEVICE" "$data/perl-$DEVICE.out" "$data/python-$DEVICE.out" 1e-5 1e-6
result $? "Perl vs Python on $DEVICE"
compare "Perl on $DEVICE vs Perl on cpu(0)" "$data/perl-$DEVICE.out" "$data/perl-cpu.out" 1e-4 1e-5
result $? "Perl on $DEVICE vs cpu(0)"
compare "Python on $DEVICE vs Python on cpu(0)" "$data/python-$DEVICE.out" "$data/python-cpu.out" 1e-4 1e-5
result $? "Python on $DEVICE vs cpu(0)"

if [ "${BENCH:-1}" = 1 ]; then
    say "make bench (the MLP rows)"
    start=$SECONDS
    $PY bench/run.py | grep -E '^(case|mlp_train|medians)'
    result $? "make bench ($((SECONDS - start)) s)"
    git checkout -q -- bench/results.json 2>/dev/null    # (the figures go in the note; the committed ones are CPU's)
fi

echo
echo "gpu_check: $failed step(s) failed"
exit $failed
