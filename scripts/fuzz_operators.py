#!/usr/bin/env python3
"""Adversarial values for each operator's declared parameters: for every operator in BASELINES (a call that
works), each parameter mxnet's registry declares for it is given the hostile values of its declared type
(ints 0, -1, 2**31, ...; shapes (), (0,), (-1,), ...), and each index-like input hostile values (1e9, -1e9,
-1, a length past the data). Every call runs in a worker process; one that kills its worker (a signal, an
abort) or outlasts the timeout is reported as a crash or a hang, and the worker is restarted after it.

    .venv/bin/python scripts/fuzz_operators.py --target bridge      # the bridge's nd (the guard table)
    .venv/bin/python scripts/fuzz_operators.py --target mxnet       # plain Python mxnet, for comparison

Prints one line per crash or hang and a summary; exit status 1 when any call crashed or hung.
"""
import argparse
import os
import select
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

F, I = "float32", "int32"
# operator -> (inputs: (dtype, shape[, low, high]) each, parameters of a call that works). Index-like inputs
# are the ones given a range.
BASELINES = {
    "Convolution": ([(F, (1, 2, 5, 5)), (F, (4, 2, 3, 3)), (F, (4,))], dict(kernel=(3, 3), num_filter=4)),
    "Deconvolution": ([(F, (1, 2, 5, 5)), (F, (2, 4, 3, 3)), (F, (4,))], dict(kernel=(3, 3), num_filter=4)),
    "Pooling": ([(F, (1, 2, 6, 6))], dict(kernel=(2, 2), stride=(2, 2), pool_type="max")),
    "im2col": ([(F, (1, 2, 5, 5))], dict(kernel=(3, 3))),
    "col2im": ([(F, (1, 18, 9))], dict(output_size=(5, 5), kernel=(3, 3))),
    "UpSampling": ([(F, (1, 2, 3, 3))], dict(scale=2, sample_type="nearest", num_args=1)),
    "LRN": ([(F, (1, 4, 3, 3))], dict(nsize=3)),
    "Reshape": ([(F, (3, 3))], dict(shape=(9,))),
    "transpose": ([(F, (2, 3))], dict(axes=(1, 0))),
    "SwapAxis": ([(F, (2, 3))], dict(dim1=0, dim2=1)),
    "expand_dims": ([(F, (2, 3))], dict(axis=1)),
    "squeeze": ([(F, (2, 1, 3))], dict(axis=1)),
    "flip": ([(F, (2, 3))], dict(axis=1)),
    "tile": ([(F, (2, 3))], dict(reps=(2, 2))),
    "repeat": ([(F, (2, 3))], dict(repeats=2, axis=1)),
    "pad": ([(F, (1, 1, 3, 3))], dict(mode="constant", pad_width=(0, 0, 0, 0, 1, 1, 1, 1))),
    "split": ([(F, (4, 6))], dict(num_outputs=2, axis=1)),
    "slice_axis": ([(F, (4, 6))], dict(axis=1, begin=1, end=3)),
    "slice": ([(F, (4, 6))], dict(begin=(0, 1), end=(2, 3))),
    "broadcast_to": ([(F, (1, 3))], dict(shape=(2, 3))),
    "broadcast_axis": ([(F, (1, 3))], dict(axis=0, size=2)),
    "space_to_depth": ([(F, (1, 1, 4, 4))], dict(block_size=2)),
    "depth_to_space": ([(F, (1, 4, 2, 2))], dict(block_size=2)),
    "diag": ([(F, (3, 3))], dict(k=0)),
    "topk": ([(F, (2, 5))], dict(k=2, axis=1)),
    "sort": ([(F, (2, 5))], dict(axis=1)),
    "argsort": ([(F, (2, 5))], dict(axis=1)),
    "norm": ([(F, (2, 5))], dict(ord=2, axis=1)),
    "sum": ([(F, (2, 5))], dict(axis=1)),
    "softmax": ([(F, (2, 5))], dict(axis=1)),
    "log_softmax": ([(F, (2, 5))], dict(axis=1)),
    "one_hot": ([(F, (4,), 0, 3)], dict(depth=3)),
    "take": ([(F, (4, 3)), (F, (2,), 0, 4)], dict(axis=0)),
    "pick": ([(F, (4, 3)), (F, (4,), 0, 3)], dict(axis=1)),
    "batch_take": ([(F, (4, 3)), (I, (4,), 0, 3)], {}),
    "gather_nd": ([(F, (4, 3)), (F, (2, 2), 0, 3)], {}),
    "scatter_nd": ([(F, (2,)), (F, (2, 2), 0, 3)], dict(shape=(4, 3))),
    "_contrib_index_copy": ([(F, (4, 3)), (I, (2,), 0, 4), (F, (2, 3))], {}),
    "_contrib_boolean_mask": ([(F, (4, 3)), (F, (4,), 0, 2)], {}),
    "Embedding": ([(F, (4,), 0, 5), (F, (5, 3))], dict(input_dim=5, output_dim=3)),
    "SequenceLast": ([(F, (4, 2, 3)), (F, (2,), 1, 5)], dict(use_sequence_length=True)),
    "SequenceMask": ([(F, (4, 2, 3)), (F, (2,), 1, 5)], dict(use_sequence_length=True)),
    "SequenceReverse": ([(F, (4, 2, 3)), (F, (2,), 1, 5)], dict(use_sequence_length=True)),
    "CTCLoss": ([(F, (5, 2, 4)), (F, (2, 2), 1, 4), (F, (2,), 1, 6), (F, (2,), 1, 3)],
                dict(use_data_lengths=True, use_label_lengths=True)),
    "_div_scalar": ([(I, (2, 3))], dict(scalar=2)),
    "_rdiv_scalar": ([(I, (2, 3), 1, 5)], dict(scalar=2)),
    "_mod_scalar": ([(I, (2, 3))], dict(scalar=2)),
    "_rmod_scalar": ([(I, (2, 3), 1, 5)], dict(scalar=2)),
    "broadcast_div": ([(I, (2, 3)), (I, (2, 3), 1, 5)], {}),
    "broadcast_mod": ([(I, (2, 3)), (I, (2, 3), 1, 5)], {}),
    "elemwise_div": ([(I, (2, 3)), (I, (2, 3), 1, 5)], {}),
    "_div": ([(I, (2, 3)), (I, (2, 3), 1, 5)], {}),
    "_mod": ([(I, (2, 3)), (I, (2, 3), 1, 5)], {}),
    "_ravel_multi_index": ([(F, (2, 3), 0, 3)], dict(shape=(3, 3))),
    "_unravel_index": ([(F, (3,), 0, 9)], dict(shape=(3, 3))),
    "BatchNorm": ([(F, (2, 3, 4)), (F, (3,)), (F, (3,)), (F, (3,)), (F, (3,))], dict(axis=1)),
    "LayerNorm": ([(F, (2, 3)), (F, (3,)), (F, (3,))], dict(axis=-1)),
    "GroupNorm": ([(F, (2, 4, 3)), (F, (2,)), (F, (2,))], dict(num_groups=2)),
    "ROIPooling": ([(F, (1, 2, 6, 6)), (F, (1, 5), 0, 5)], dict(pooled_size=(2, 2), spatial_scale=1.0)),
    "GridGenerator": ([(F, (1, 6))], dict(transform_type="affine", target_shape=(3, 3))),
    "_histogram": ([(F, (10,))], dict(bin_cnt=4, range=(0, 1))),
    "_contrib_arange_like": ([(F, (4,))], {}),
    "moments": ([(F, (2, 3))], dict(axes=(1,))),
    "_linalg_gemm2": ([(F, (2, 3)), (F, (3, 2))], {}),
    "khatri_rao": ([(F, (2, 3)), (F, (4, 3))], {}),
    "_sample_multinomial": ([(F, (2, 3), 0, 1)], dict(shape=(2,))),
    "Crop": ([(F, (1, 1, 5, 5))], dict(num_args=1, h_w=(3, 3))),
    "Correlation": ([(F, (1, 2, 5, 5)), (F, (1, 2, 5, 5))], dict(kernel_size=1, max_displacement=1)),
    "RNN": ([(F, (3, 2, 4)), (F, (72,)), (F, (1, 2, 4))], dict(state_size=4, num_layers=1, mode="rnn_tanh")),
}

INT_VALUES = (0, -1, -2, 2 ** 31, -2 ** 31, 10 ** 9)
SHAPE_VALUES = ((), (0,), (0, 0), (-1,), (-1, -1), (10 ** 9,), (0, 0, 0, 0), (1,) * 9, (-5, 3))
FLOAT_VALUES = (0.0, -1.0, float("nan"), float("inf"), 1e38)
INDEX_VALUES = (1e9, -1e9, -1, 0, 2 ** 31, 1e3)


def cases():
    """Every (operator, what is changed, value) to try, in a fixed order; the baseline itself first."""
    import mxnet as mx
    for op, (inputs, params) in BASELINES.items():
        yield op, None, None
        info = mx.operator.get_operator_arguments(op)
        for name, kind in zip(info.names, info.types):
            if kind.startswith("NDArray") or kind.startswith("Symbol"):
                continue
            if kind.startswith("int") or kind.startswith("long"):
                values = INT_VALUES
            elif kind.startswith("Shape"):
                values = SHAPE_VALUES
            elif kind.startswith("float") or kind.startswith("double"):
                values = FLOAT_VALUES
            else:
                continue
            for value in values:
                yield op, name, value
        for i, spec in enumerate(inputs):
            if len(spec) == 4:
                for value in INDEX_VALUES:
                    yield op, i, value


def run_case(nd, np, case):
    """Make the case's call (nd: the bridge's nd or mxnet's) and wait for its result."""
    op, changed, value = case
    inputs, params = BASELINES[op]
    params = dict(params)
    rng = np.random.RandomState(0)
    arrays = []
    for i, spec in enumerate(inputs):
        dtype, shape = spec[:2]
        if len(spec) == 4:
            data = rng.randint(spec[2], spec[3], size=shape)
        else:
            data = rng.uniform(-1, 1, size=shape)
        if changed == i:
            data.flat[0] = value
        arrays.append(nd.array(data.astype(dtype), dtype=dtype))
    if isinstance(changed, str):
        params[changed] = value
    result = operator(nd, op)(*arrays, **params)
    for r in result if isinstance(result, list) else [result]:
        r.wait_to_read()


def operator(nd, name):
    """The function of operator `name` in nd (mxnet's nd or the bridge's): its prefixed names live in nd's
    sub-namespaces, its internal ones in mxnet's _internal (the bridge's nd finds those by name)."""
    for prefix, child in (("_contrib_", "contrib"), ("_linalg_", "linalg")):
        if name.startswith(prefix):
            return getattr(getattr(nd, child), name[len(prefix):])
    function = getattr(nd, name, None)
    return function if function is not None else getattr(nd._internal, name)


def worker(target, start):
    import numpy as np
    if target == "bridge":
        sys.path.insert(0, ROOT)
        from bridge import nd
    else:
        import mxnet as mx
        nd = mx.nd
    for index, case in enumerate(cases()):
        if index < start:
            continue
        print("start", index, flush=True)
        try:
            run_case(nd, np, case)
            outcome = "ok"
        except Exception as exc:  # an error is a good outcome: only crashes and hangs count
            outcome = type(exc).__name__
        print("done", index, outcome, flush=True)
    print("end", flush=True)


def describe(case):
    op, changed, value = case
    if changed is None:
        return "%s (baseline)" % op
    return "%s %s=%r" % (op, "input %d" % changed if isinstance(changed, int) else changed, value)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--target", choices=("bridge", "mxnet"), default="bridge")
    parser.add_argument("--timeout", type=float, default=30)
    parser.add_argument("--worker", type=int, default=None, help=argparse.SUPPRESS)
    opts = parser.parse_args()
    if opts.worker is not None:
        return worker(opts.target, opts.worker)
    import mxnet  # noqa: F401 (cases() reads the registry)
    all_cases = list(cases())
    failures, start, counts = [], 0, {}
    env = dict(os.environ, OMP_NUM_THREADS="1")
    while start < len(all_cases):
        proc = subprocess.Popen([sys.executable, __file__, "--target", opts.target, "--worker", str(start)],
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env)
        current, deadline = None, time.time() + opts.timeout
        while True:
            ready, _, _ = select.select([proc.stdout], [], [], max(deadline - time.time(), 0))
            if not ready:
                proc.kill()
                proc.wait()
                failures.append(("hang", current))
                break
            line = proc.stdout.readline()
            if not line:
                proc.wait()
                failures.append(("crash (status %d)" % proc.returncode, current))
                break
            words = line.split()
            if words[0] == "start":
                current, deadline = int(words[1]), time.time() + opts.timeout
            elif words[0] == "done":
                counts[words[2]] = counts.get(words[2], 0) + 1
            elif words[0] == "end":
                proc.wait()
                current = None
                break
        if current is None:
            break
        start = current + 1
    for kind, index in failures:
        print("%s: %s" % (kind, describe(all_cases[index]) if index is not None else "at start"))
    print("%s: %d calls, %d crashed or hung; outcomes %s" % (
        opts.target, len(all_cases), len(failures), ", ".join("%s %d" % kv for kv in sorted(counts.items()))))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
