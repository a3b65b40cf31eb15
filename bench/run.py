"""make bench: each case timed in Perl (through the shim) and in plain Python mxnet, taking turns on this
machine; prints a table of medians and Perl/Python ratios, and writes bench/results.json. A case's ratio is
the median of its per-round ratios (each round runs Perl, then Python, back to back), so a slow moment of
this shared machine weighs on both sides of a ratio rather than on one side of a median.
    .venv/bin/python bench/run.py [CASE ...]     # only these cases (bench/results.json is then left as it is)
"""
import json
import os
import pathlib
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
REPEATS = 7
TRIES = 3

# case -> (what it measures, target ratio Perl/Python: at most this[, a Perl case as the baseline instead of
# Python: the ratio is then between two cases of the same Perl process]); startup and mlp_train: what the real
# AI::MXNet reached against Python mxnet on the same libmxnet, 0.46 and 0.54
CASES = {
    "loop": ("$x = $x * 1.0001 + 0.5 on 2x2, per iteration", 1.00),
    "loop_record": ("the same loop inside record, then backward", 1.00),
    "kwargs_ops": ("nd->sum(axis => 1) + nd->FullyConnected(...), per pair", 1.00),
    "to_host": ("aspdl vs asnumpy, 1000x1000 float32", 1.20),
    "from_host": ("nd->array($pdl) vs nd.array(numpy), 1000x1000 float32", 1.20),
    "startup": ("perl -MAI::MXNet -e1 vs python -c 'import mxnet'", 0.50),
    "mlp_train": ("Gluon MLP 784-256-10, batch 64, SGD: seconds per step", 0.55),
    "mlp_train_gpu": ("the same on gpu(0): only where mxnet sees a GPU (make setup MXNET=mxnet-cu117)", 0.55),
    "recordio_read": ("a 10,000-record file (100-byte records) through MXRecordIO: seconds per record "
                      "(target: records/s >= 0.9x)", 1 / 0.9),
    "image_record_iter": ("10,000 32x32 JPEG records through mx->io->ImageRecordIter, batch 100: seconds per "
                          "record (target: records/s >= 0.9x)", 1 / 0.9),
    "perl_sgd": ("the same step with an SGD written in Perl vs mxnet's SGD (mlp_train), both from Perl", 1.30,
                 "mlp_train"),
    "perl_metric": ("a metric written in Perl (accuracy, batch of 64) vs mxnet's Accuracy.update from Python", 1.50),
    "dist_step": ("the same MLP on dist_sync, 2 local workers on halves of 64, SGD on 1 server: per step", 1.05),
    "module_fit": ("Module fit, MLP 784-128-10 on MNIST-format data (MNISTIter, batch 100): seconds per step "
                   "(target: steps/s >= 0.95x)", 1 / 0.95),
    "ndarray_iter": ("NDArrayIter over 5000x784, batch 100: seconds per batch (target: batches/s >= 0.95x)",
                     1 / 0.95),
}
DIST_ROUNDS = 5  # a dist_step round is two jobs of 4 processes each (the bench scripts as workers)
LAUNCH = [sys.executable, "-P", "bridge/tools/launch.py", "-n", "2", "-s", "1", "--launcher", "local"]


def run_json(cmd):
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=True)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def startup_time(cmd):
    start = time.perf_counter()
    subprocess.run(cmd, cwd=ROOT, check=True, capture_output=True)
    return time.perf_counter() - start


def cpu_model():
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def make_record_files(directory):
    """The files the record cases read (both languages read the same ones): a file of 10,000 100-byte records
    and one of 10,000 32x32 JPEG image records, written by plain Python mxnet."""
    import io as _io

    import mxnet as mx
    import numpy as np
    from PIL import Image
    writer = mx.recordio.MXRecordIO(os.path.join(directory, "records.rec"), "w")
    for i in range(10000):
        writer.write(b"%100d" % i)
    writer.close()
    rng = np.random.default_rng(0)
    writer = mx.recordio.MXRecordIO(os.path.join(directory, "images.rec"), "w")
    for i in range(10000):
        out = _io.BytesIO()
        Image.fromarray(rng.integers(0, 255, (32, 32, 3), dtype=np.uint8)).save(out, format="JPEG")
        writer.write(mx.recordio.pack(mx.recordio.IRHeader(0, float(i % 10), i, 0), out.getvalue()))
    writer.close()


def main(only=()):
    """Time every case, or only those named (then bench/results.json is left as it is)."""
    # the record files and MNIST-format files (module_fit) both languages read, made once
    data = tempfile.mkdtemp(prefix="bench-")
    make_record_files(data)
    subprocess.run([sys.executable, str(ROOT / "scripts" / "make_idx_data.py"), "--quiet", "--ubyte", "--train", "2000",
                    "--test", "100", data], check=True)
    os.environ["AI_MXNET_BENCH_DATA"] = data

    # Perl and Python take turns, one process each a round, so a noisy moment hits both alike; in its process
    # each case runs TRIES times and its best time counts (the rest is the machine's noise, not the code's).
    perl, python = {}, {}
    for _ in range(REPEATS):
        timed = [case for case in only if case != "startup"]
        for results, cmd in ((perl, ["perl", "-Iperl_shim/lib", "bench/perl_bench.pl", str(TRIES), *timed]),
                             (python, [sys.executable, "bench/python_bench.py", str(TRIES), *timed])):
            if only and not timed:
                break
            for case, runs in run_json(cmd).items():
                results.setdefault(case, []).append(min(runs))
        if not only or "startup" in only:
            perl.setdefault("startup", []).append(startup_time(["perl", "-Iperl_shim/lib", "-MAI::MXNet", "-e1"]))
            python.setdefault("startup", []).append(startup_time([sys.executable, "-c", "import mxnet"]))
    # one dist_sync job of two Perl workers, then one of two Python workers, a round
    for _ in range(DIST_ROUNDS if not only or "dist_step" in only else 0):
        for results, worker in ((perl, ["perl", "-Iperl_shim/lib", "bench/perl_bench.pl"]),
                                (python, [sys.executable, "bench/python_bench.py"])):
            results.setdefault("dist_step", []).append(min(run_json(LAUNCH + worker + [str(TRIES)])["dist_step"]))

    rows = []
    print(f"{'case':<12} {'Perl':>12} {'Python':>12} {'ratio':>7} {'target':>7}  what")
    for case, (what, target, *baseline) in CASES.items():
        if only and case not in only:
            continue
        if case not in perl:  # (mlp_train_gpu without a GPU)
            print(f"{case:<12} {'skipped':>12} {'':>12} {'':>7} {'':>7}  no GPU: {what}")
            continue
        other = perl[baseline[0]] if baseline else python[case]
        p, q = statistics.median(perl[case]), statistics.median(other)
        ratio = statistics.median(a / b for a, b in zip(perl[case], other))
        rows.append({"case": case, "what": what, "perl_s": p, "python_s": q, "ratio": ratio,
                     "target": target, "met": ratio <= target})
        print(f"{case:<12} {_fmt(p):>12} {_fmt(q):>12} {ratio:>7.2f} {'<=' + format(target, '.2f'):>7}  {what}")
    machine = f"{cpu_model()}, {os.cpu_count()} cores, {platform.system()} {platform.release()}"
    print(f"medians of {REPEATS} rounds ({DIST_ROUNDS} for dist_step), each the best of {TRIES} tries (ratio: median "
          f"of the per-round ratios); "
          f"machine: {machine}")
    shutil.rmtree(data, ignore_errors=True)
    if only:
        return
    out = {"date": time.strftime("%Y-%m-%d"), "machine": machine, "repeats": REPEATS, "tries": TRIES, "rows": rows}
    (ROOT / "bench" / "results.json").write_text(json.dumps(out, indent=2) + "\n")
    print("written: bench/results.json")


def _fmt(seconds):
    return f"{seconds * 1e6:.1f} us" if seconds < 0.01 else f"{seconds * 1e3:.1f} ms"


if __name__ == "__main__":
    unknown = [case for case in sys.argv[1:] if case not in CASES]
    if unknown:
        sys.exit(f"unknown case {unknown[0]} (the cases: {' '.join(CASES)})")
    main(sys.argv[1:])
