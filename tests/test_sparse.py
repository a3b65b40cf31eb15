"""bridge/arrays/sparse.py from Python: sparse arrays made AI::MXNet's ways agree with Python mxnet's, and parts
that are no valid sparse array never reach libmxnet (which would read and write outside its buffers)."""
import mxnet as mx
import numpy as np
import pytest

from bridge import nd
from bridge.arrays import sparse
from bridge.arrays.ndarray import NDArray

DENSE = np.array([[1, 0, 2, 0], [0, 0, 3, 0], [4, 5, 0, 6]], dtype=np.float32)
PARTS = ([1, 2, 3, 4, 5, 6], [0, 2, 2, 0, 1, 3], [0, 2, 3, 6])


def test_csr_from_parts_is_python_mxnets():
    ours = nd.sparse.csr_matrix(list(PARTS), shape=[3, 4])
    theirs = mx.nd.sparse.csr_matrix(PARTS, shape=(3, 4))
    assert type(ours) is NDArray and ours.stype == "csr"
    np.testing.assert_array_equal(ours.asnumpy(), theirs.asnumpy())
    np.testing.assert_array_equal(ours.asnumpy(), DENSE)


def test_csr_from_coordinates_sorts_and_sums_repeats():
    made = sparse.csr_matrix([[4, 1, 2, 6, 3, 5, 1], [[2, 0, 0, 2, 1, 2, 0], [0, 0, 2, 3, 2, 1, 0]]], shape=(3, 4))
    expected = DENSE.copy()
    expected[0, 0] += 1
    np.testing.assert_array_equal(made.asnumpy(), expected)
    np.testing.assert_array_equal(made.indices.asnumpy(), PARTS[1])


def test_shape_is_inferred_as_ai_mxnet_inferred_it():
    assert sparse.csr_matrix(list(PARTS)).shape == (3, 4)
    assert sparse.row_sparse_array([[[1, 2]], [5]]).shape == (6, 2)


def test_dtype_defaults_to_the_sources():
    assert sparse.csr_matrix(mx.nd.array(DENSE, dtype="float64")).dtype == "float64"
    assert sparse.csr_matrix(DENSE.tolist()).dtype == "float32"


@pytest.mark.parametrize("parts, message", [
    (([7, 8, 9], [0, 2, 1], [0, 5, 2, 3]), "indptr decreases"),
    (([7, 8, 9], [0, 2, 1000000], [0, 2, 2, 3]), "column index 1000000"),
    (([7, 8, 9], [0, 2, 1], [0, -2, 2, 3]), "negative"),
])
def test_invalid_parts_never_reach_libmxnet(parts, message):
    bad = sparse.csr_matrix(list(parts), shape=(3, 4))
    assert bad.stype == "csr" and bad.shape == (3, 4)
    for use in (lambda: bad.check_format(), lambda: bad.asnumpy(), lambda: bad + 1,
                lambda: mx.nd.sparse.dot(bad._a, mx.nd.ones((4, 2)))):
        with pytest.raises(Exception, match=message):
            use()


def test_invalid_row_sparse_parts():
    bad = sparse.row_sparse_array([[[1, 2], [3, 4]], [1, 4]], shape=(3, 2))
    with pytest.raises(sparse.InvalidSparseData, match="row index 4 is outside 0..2"):
        bad.check_format()
    np.testing.assert_array_equal(bad.indices.asnumpy(), [1, 4])  # its parts can still be read
