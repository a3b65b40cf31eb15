"""bridge/arrays/transfer.py: one-copy reads and writes of host arrays give exactly what mxnet's own asnumpy and
nd.array give, for every dtype, for views, right after pending operations, and through mxnet's routines
where the array's memory is not host memory."""
import numpy as np
import mxnet as mx
import pytest

from bridge.arrays import transfer

DTYPES = ["float32", "float64", "float16", "uint8", "int8", "int32", "int64", "bool"]


def _source(dtype, shape=(3, 5)):
    values = np.arange(np.prod(shape)).reshape(shape) - 7.25
    return (values > 0) if dtype == "bool" else values.astype(dtype)


@pytest.mark.parametrize("dtype", DTYPES)
def test_to_numpy_is_asnumpy(dtype):
    array = mx.nd.array(_source(dtype), dtype=dtype)
    got, expected = transfer.to_numpy(array), array.asnumpy()
    assert got.dtype == expected.dtype and got.shape == expected.shape
    assert np.array_equal(got, expected)


@pytest.mark.parametrize("dtype,target", [("float16", "float32"), ("bool", "uint8"), ("float32", "float64")])
def test_read_into_another_dtype_casts_as_numpy_does(dtype, target):
    array = mx.nd.array(_source(dtype), dtype=dtype)
    out = np.full(array.shape, 99, dtype=target)
    transfer.read_into(array, out.ctypes.data, out.dtype)
    assert np.array_equal(out, array.asnumpy().astype(target))


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("data_dtype", ["float64", "float32", "int64"])
def test_write_from_is_mx_nd_array(dtype, data_dtype):
    data = _source(data_dtype)
    array = mx.nd.empty(data.shape, dtype=dtype)
    transfer.write_from(array, data)
    assert np.array_equal(array.asnumpy(), mx.nd.array(data, dtype=dtype).asnumpy())


def test_write_from_a_non_contiguous_source():
    data = np.arange(20, dtype=np.float32).reshape(4, 5).T  # a transposed view
    array = mx.nd.empty(data.shape)
    transfer.write_from(array, data)
    assert np.array_equal(array.asnumpy(), data)


def test_views_and_empty_arrays():
    x = mx.nd.array(np.arange(12, dtype=np.float32).reshape(4, 3))
    assert np.array_equal(transfer.to_numpy(x[1:3]), [[3, 4, 5], [6, 7, 8]])  # a view: offset into x
    assert np.array_equal(transfer.to_numpy(x[2]), [6, 7, 8])
    empty = mx.nd.empty((0, 3))
    assert transfer.to_numpy(empty).shape == (0, 3)
    transfer.write_from(mx.nd.empty((0, 3)), np.zeros((0, 3)))


def test_a_read_waits_for_pending_writes():
    # Each result is read while mxnet's engine thread may still be computing (and allocating) it; reading
    # before waiting gave stale memory for some 5% of them and leaked an allocation each time.
    a = mx.nd.array([0.25, 0.75])
    wrong = 0
    for _ in range(3000):
        b = a * 2
        for _ in range(5):
            b = b * 2
        wrong += not np.array_equal(transfer.to_numpy(b), [16.0, 48.0])
    assert wrong == 0


def test_other_devices_take_mxnets_routines(monkeypatch):
    monkeypatch.setattr(transfer, "_HOST_DEVICES", ())  # as if the array lived on a GPU
    for dtype in ("float32", "float16"):
        array = mx.nd.array(_source(dtype), dtype=dtype)
        assert np.array_equal(transfer.to_numpy(array), array.asnumpy())
        out = np.empty(array.shape, dtype="float32")
        transfer.read_into(array, out.ctypes.data, out.dtype)
        assert np.array_equal(out, array.asnumpy().astype("float32"))
        filled = mx.nd.empty((3, 5), dtype=dtype)
        transfer.write_from(filled, _source("float64"))
        assert np.array_equal(filled.asnumpy(), mx.nd.array(_source("float64"), dtype=dtype).asnumpy())
