"""The integer-division guard (bridge/arrays/ndarray.py): libmxnet kills the process with SIGFPE when an integer
division divides by zero, or the smallest int32/int64 by -1; the bridge raises instead. Each call runs in a
forked child, so a missing guard shows as this test failing ("killed by SIGFPE"), not as pytest dying."""
import os
import pickle
import signal

import numpy as np
import pytest

from bridge import NDArray, nd


def in_child(fn):
    """fn() in a forked child: ("value", its values as a list), ("raised", type name, message) or
    ("killed", signal name) when the child died of a signal."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:
        try:
            try:
                result = fn()
                if isinstance(result, NDArray):
                    result = result.asnumpy().tolist()  # waits for libmxnet to have run it
                outcome = ("value", result)
            except Exception as exc:
                outcome = ("raised", type(exc).__name__, str(exc))
            with os.fdopen(write_end, "wb") as f:
                pickle.dump(outcome, f)
        finally:
            os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as f:
        data = f.read()
    _, status = os.waitpid(pid, 0)
    if os.WIFSIGNALED(status):
        return ("killed", signal.Signals(os.WTERMSIG(status)).name)
    return pickle.loads(data)


I = lambda: nd.array([7, 8], dtype="int32")
ZERO = lambda: nd.array([1, 0], dtype="int32")

BY_ZERO = {
    "x / zero": lambda: I() / ZERO(),
    "x / 0": lambda: I() / 0,
    "5 / zero": lambda: 5 / ZERO(),
    "x % zero": lambda: I() % ZERO(),
    "5 % zero": lambda: 5 % ZERO(),
    "x /= zero": lambda: _inplace_div(I(), ZERO()),
    "uint8 / 0.5 (0.5 becomes 0)": lambda: nd.array([3], dtype="uint8") / 0.5,
    "int64 / 0": lambda: nd.array([3], dtype="int64") / 0,
    "nd.divide": lambda: nd.divide(I(), ZERO()),
    "nd.true_divide": lambda: nd.true_divide(I(), ZERO()),
    "nd.broadcast_div": lambda: nd.broadcast_div(I(), ZERO()),
    "nd.elemwise_div": lambda: nd.elemwise_div(I(), ZERO()),
    "x.broadcast_div(zero)": lambda: I().broadcast_div(ZERO()),
    "nd.divide(5, zero)": lambda: nd.divide(5, ZERO()),
    "nd.broadcast_div(lhs=, rhs=)": lambda: nd.broadcast_div(lhs=I(), rhs=ZERO()),
}


def _inplace_div(x, y):
    x /= y
    return x


@pytest.mark.parametrize("name", sorted(BY_ZERO))
def test_integer_division_by_zero_raises_instead_of_killing_the_process(name):
    assert in_child(BY_ZERO[name]) == (
        "raised", "ZeroDivisionError", "integer division by zero (libmxnet would abort the process)")


@pytest.mark.parametrize("dtype", ["int32", "int64"])
def test_the_smallest_integer_divided_by_minus_one_raises(dtype):
    smallest = int(np.iinfo(dtype).min)
    assert in_child(lambda: nd.broadcast_div(nd.array([smallest], dtype=dtype), nd.array([-1], dtype=dtype))) == (
        "raised", "OverflowError",
        "integer overflow: %s minimum divided by -1 (libmxnet would abort the process)" % dtype)
    assert in_child(lambda: nd.array([smallest, 5], dtype=dtype) / -1) == (
        "raised", "OverflowError",
        "integer overflow: %s minimum divided by -1 (libmxnet would abort the process)" % dtype)


def test_divisions_the_guard_lets_through():
    # integer division still divides (truncating, as libmxnet does); float division by zero is inf
    assert (I() / nd.array([2, 4], dtype="int32")).asnumpy().tolist() == [3, 2]
    assert nd.broadcast_div(I(), nd.array([-2, 3], dtype="int32")).asnumpy().tolist() == [-3, 2]
    assert (nd.array([-2147483647], dtype="int32") / -1).asnumpy().tolist() == [2147483647]
    assert (I() % nd.array([4, 3], dtype="int32")).asnumpy().tolist() == [3, 2]
    assert nd.divide(nd.array([1.0]), nd.array([0.0])).asnumpy().tolist() == [float("inf")]
    assert in_child(lambda: nd.array([1.5]) / 0) == ("value", [float("inf")])
