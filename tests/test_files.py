"""Files from users, hostile ones included: NDArray files (dense and sparse) through the bridge, through mxnet's
own nd.load and through Gluon's load_parameters; Symbol JSON through load_json, load and SymbolBlock.imports;
optimizer states through Trainer, Module and KVStore (never unpickled as such); MNIST's idx files. Each bad
file is refused with an exception that says why, before libmxnet (or pickle) acts on it; good files still load."""
import gzip
import json
import os
import pickle
import struct
import time

import mxnet
import numpy as np
import pytest

import bridge  # noqa: F401 (wraps mxnet's readers: bridge/api/loading.py)
from bridge import gluon, mx, nd
from bridge.api import datasets, states, symbol
from bridge.arrays import files

ROWS, COLS, NNZ = 3, 4, 3


def csr_file(tmp_path, indptr=(0, 2, 2, 3), indices=(0, 2, 1), name="c.nd"):
    """A file with one 3x4 csr array, its indptr and indices as given (mxnet writes them as int64)."""
    good = mxnet.nd.sparse.csr_matrix((np.array([1., 2, 3], "float32"), np.array([0, 2, 1]),
                                       np.array([0, 2, 2, 3])), shape=(ROWS, COLS))
    path = tmp_path / name
    mxnet.nd.save(str(path), [good])
    data = bytearray(path.read_bytes())
    end = len(data) - 8  # (then the count of names, 0)
    data[end - 8 * (ROWS + 1 + NNZ):end] = struct.pack("<%dq" % (ROWS + 1 + NNZ), *indptr, *indices)
    path.write_bytes(bytes(data))
    return path


def row_sparse_file(tmp_path, rows=(1, 3)):
    good = mxnet.nd.sparse.row_sparse_array((np.ones((2, 2), "float32"), np.array([1, 3])), shape=(4, 2))
    path = tmp_path / "r.nd"
    mxnet.nd.save(str(path), [good])
    data = bytearray(path.read_bytes())
    data[-8 - 16:-8] = struct.pack("<2q", *rows)
    path.write_bytes(bytes(data))
    return path


BAD_CSR = {
    "a column index of 2**40": dict(indices=(0, 2 ** 40, 1)),
    "a negative column index": dict(indices=(0, -5000000, 1)),
    "column indices not ascending in a row": dict(indices=(2, 0, 1)),
    "a negative indptr": dict(indptr=(0, -5000000, 2, 3)),
    "an indptr that decreases": dict(indptr=(0, 3, 2, 3)),
    "an indptr that ends past the values": dict(indptr=(0, 2, 2, 9)),
}


@pytest.mark.parametrize("case", sorted(BAD_CSR))
def test_csr_files_with_indices_out_of_range_are_refused_by_every_reader(tmp_path, case):
    path = csr_file(tmp_path, **BAD_CSR[case])
    with pytest.raises(files.CorruptFile, match="csr array"):
        nd.load(str(path))  # the bridge's
    with pytest.raises(files.CorruptFile, match="csr array"):
        mxnet.nd.load(str(path))  # mxnet's own, as Gluon and Module call it
    with pytest.raises(files.CorruptFile, match="csr array"):
        mxnet.nd.load_frombuffer(path.read_bytes())


@pytest.mark.parametrize("rows", [(1, 4), (1, -1), (3, 1), (2 ** 40, 3)])
def test_row_sparse_files_with_rows_out_of_range_or_unsorted_are_refused(tmp_path, rows):
    with pytest.raises(files.CorruptFile, match="row_sparse array"):
        nd.load(str(row_sparse_file(tmp_path, rows)))


def test_good_sparse_files_still_load(tmp_path):
    c, r = nd.load(str(csr_file(tmp_path))), nd.load(str(row_sparse_file(tmp_path)))
    assert c[0].aspdl().unpdl() == [[1, 0, 2, 0], [0, 0, 0, 0], [0, 3, 0, 0]]
    assert r[0].asnumpy().tolist() == [[0, 0], [1, 1], [0, 0], [1, 1]]
    zeros = tmp_path / "z.nd"
    mxnet.nd.save(str(zeros), [mxnet.nd.sparse.zeros("csr", (3, 4)), mxnet.nd.sparse.zeros("row_sparse", (3, 4))])
    assert [a.asnumpy().sum() for a in nd.load(str(zeros))] == [0, 0]


def test_gluon_load_parameters_checks_the_file(tmp_path):
    dense = gluon.nn.Dense(4, in_units=3)
    dense.initialize()
    path = tmp_path / "d.params"
    dense.save_parameters(str(path))
    data = bytearray(path.read_bytes())
    data[40:48] = (2 ** 40).to_bytes(8, "little")  # a dimension of the first array
    path.write_bytes(bytes(data))
    with pytest.raises(files.CorruptFile, match=r"corrupt or truncated NDArray file: .* \(in .*d\.params\)"):
        dense.load_parameters(str(path))
    plain = mxnet.gluon.nn.Dense(4, in_units=3)  # plain Gluon in the same process: mxnet's nd.load is checked
    with pytest.raises(files.CorruptFile):
        plain.load_parameters(str(path))


def test_a_device_is_read_only_as_far_as_its_header():
    start = time.time()
    with pytest.raises(files.CorruptFile, match="bad header"):
        nd.load("/dev/zero")
    with pytest.raises(files.CorruptFile, match="bad header"):
        mxnet.nd.load("/dev/zero")
    assert time.time() - start < 5


def test_file_names_with_nul_are_refused(tmp_path):
    with pytest.raises(ValueError, match="NUL"):
        nd.save(str(tmp_path / "a\0b"), [nd.ones((2,))])
    with pytest.raises(ValueError, match="NUL"):
        mxnet.nd.save(str(tmp_path / "a\0b"), [mxnet.nd.ones((2,))])
    assert not (tmp_path / "a").exists()


def test_frozen_array_bytes_are_checked_before_libmxnet_reads_them():
    data = bytearray(nd.array([[1, 2], [3, 4]]).freeze())
    assert nd.NDArray.thaw(bytes(data)).asnumpy().tolist() == [[1, 2], [3, 4]]
    data[12:20] = (2 ** 40).to_bytes(8, "little")
    with pytest.raises(files.CorruptFile):
        nd.NDArray.thaw(bytes(data))
    with pytest.raises(files.CorruptFile, match="after the array"):
        nd.NDArray.thaw(nd.array([1]).freeze() + b"x")


# -- Symbol JSON ---------------------------------------------------------------------------------------------

def fc_graph():
    x = mxnet.sym.var("x")
    return json.loads(mxnet.sym.FullyConnected(x, num_hidden=3, name="fc").tojson())


BAD_JSON = {
    "a head's output index past the node's outputs": (lambda g: g.__setitem__("heads", [[3, 5, 0]]), "output 5"),
    "an input's output index past the node's outputs":
        (lambda g: g["nodes"][3].__setitem__("inputs", [[0, 0, 0], [1, 3, 0], [2, 0, 0]]), "output 3"),
    "an input naming a later node": (lambda g: g["nodes"][1].__setitem__("inputs", [[3, 0, 0]]), "node 3"),
    "a head past the last node": (lambda g: g.__setitem__("heads", [[4, 0, 0]]), "node 4"),
    "a negative index": (lambda g: g.__setitem__("heads", [[3, -1, 0]]), "not \\[node"),
    "no nodes": (lambda g: g.pop("nodes"), "no list of nodes"),
    "arg_nodes past the nodes": (lambda g: g.__setitem__("arg_nodes", [0, 9]), "arg_nodes"),
}


@pytest.mark.parametrize("case", sorted(BAD_JSON))
def test_symbol_json_with_references_out_of_range_is_refused(tmp_path, case):
    graph = fc_graph()
    change, message = BAD_JSON[case]
    change(graph)
    text = json.dumps(graph)
    with pytest.raises(symbol.CorruptSymbol, match=message):
        mxnet.sym.load_json(text)
    path = tmp_path / "net-symbol.json"
    path.write_text(text)
    with pytest.raises(symbol.CorruptSymbol, match="net-symbol.json: .*" + message):
        mx.sym.load(str(path))
    with pytest.raises(symbol.CorruptSymbol):
        mxnet.gluon.SymbolBlock.imports(str(path), ["x"])


def test_good_symbol_json_still_loads(tmp_path):
    sym = mxnet.sym.load_json(json.dumps(fc_graph()))
    assert sym.infer_shape(x=(2, 4))[1] == [(2, 3)]
    split = mxnet.sym.split(mxnet.sym.var("y"), num_outputs=3)  # several outputs: all of them readable
    assert len(mxnet.sym.load_json(split.tojson()).list_outputs()) == 3
    with pytest.raises(symbol.CorruptSymbol, match="does not start with"):
        mxnet.sym.load("/dev/zero")
    with pytest.raises(symbol.CorruptSymbol, match="not a Symbol JSON"):
        mxnet.sym.load_json("[" * 100000)


# -- optimizer states: never unpickled as such ---------------------------------------------------------------

class RunsACommand:
    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return os.system, ("touch %s" % self.marker,)


def trainer(optimizer="sgd", **params):
    weight = mxnet.gluon.Parameter("w", shape=(2, 3), dtype="float16" if params.get("multi_precision") else "float32")
    weight.initialize()
    t = mxnet.gluon.Trainer([weight], optimizer, dict(learning_rate=0.1, **params))
    with mxnet.autograd.record():
        loss = (weight.data() * weight.data()).sum()
    loss.backward()
    t.step(1)
    return t


def test_a_states_file_that_would_run_a_command_is_refused_naming_the_file_and_type(tmp_path):
    marker, path = tmp_path / "ran", tmp_path / "evil.states"
    path.write_bytes(pickle.dumps(({0: RunsACommand(marker)}, None)))
    t = trainer()
    with pytest.raises(states.UnsafeStates, match=r"evil.states: refused posix\.system"):
        t.load_states(str(path))
    module = mxnet.mod.Module(mxnet.sym.FullyConnected(mxnet.sym.var("data"), num_hidden=2), label_names=None)
    module.bind(data_shapes=[("data", (1, 3))])
    module.init_params()
    module.init_optimizer()
    with pytest.raises(states.UnsafeStates, match="evil.states: refused"):
        module.load_optimizer_states(str(path))
    kv = mxnet.kv.create("local")
    kv.set_optimizer(mxnet.optimizer.SGD())
    with pytest.raises(states.UnsafeStates, match="evil.states: refused"):
        kv.load_optimizer_states(str(path))
    with pytest.raises(states.UnsafeStates, match="not a regular file"):
        t.load_states("/dev/zero")
    assert not marker.exists()


@pytest.mark.parametrize("optimizer,params", [("sgd", {}), ("sgd", {"momentum": 0.9}), ("adam", {}),
                                              ("nag", {"momentum": 0.9}), ("rmsprop", {}), ("ftml", {}),
                                              ("sgd", {"multi_precision": True, "momentum": 0.9}),
                                              ("adam", {"lr_scheduler": mxnet.lr_scheduler.FactorScheduler(10)})])
def test_states_files_that_mxnet_writes_load_as_before(tmp_path, optimizer, params):
    t = trainer(optimizer, **params)
    path = str(tmp_path / "t.states")
    t.save_states(path)
    expected = pickle.loads(open(path, "rb").read())  # (written here, by mxnet: safe to compare with)
    t.load_states(path)
    assert type(t._optimizer) is type(expected[1])
    assert sorted(t._updaters[0].states) == sorted(expected[0])
    assert vars(t._optimizer).keys() == vars(expected[1]).keys() | {"param_dict"}


def test_arrays_inside_a_states_file_are_checked_too(tmp_path):
    good = pickle.dumps(({0: mxnet.nd.ones((2, 3))}, mxnet.optimizer.SGD()))
    assert states.loads(good)[0][0].asnumpy().sum() == 6
    offset = good.index(struct.pack("<q", 2))  # the array's first dimension
    bad = good[:offset] + struct.pack("<q", 2 ** 40) + good[offset + 8:]
    with pytest.raises(states.UnsafeStates, match="NDArray"):
        states.loads(bad)


# -- MNIST's idx files ----------------------------------------------------------------------------------------

def test_an_idx_file_is_read_no_further_than_its_header_says(tmp_path, monkeypatch):
    root = tmp_path / "data"
    root.mkdir()
    with gzip.open(root / "t10k-labels-idx1-ubyte.gz", "wb") as f:
        f.write(struct.pack(">II", 2049, 2) + bytes(2))
    with gzip.open(root / "t10k-images-idx3-ubyte.gz", "wb") as f:  # a bomb: 2 images promised, 64 MB given
        f.write(struct.pack(">IIII", 2051, 2, 28, 28) + bytes(64 << 20))
    with pytest.raises(ValueError, match="holds more than"):
        gluon.data.vision.MNIST(root=str(root), train=False)
    monkeypatch.setattr(datasets, "IDX_LIMIT", 1000)
    with gzip.open(root / "t10k-images-idx3-ubyte.gz", "wb") as f:  # a header that promises too much
        f.write(struct.pack(">IIII", 2051, 2, 280, 280))
    with pytest.raises(ValueError, match="larger than the 1000 bytes allowed"):
        gluon.data.vision.MNIST(root=str(root), train=False)


def test_module_checkpoints_are_checked_too(tmp_path):
    data = mxnet.sym.var("data")
    net = mxnet.sym.FullyConnected(data, num_hidden=2, name="fc")
    module = mxnet.mod.Module(net, label_names=None)
    module.bind(data_shapes=[("data", (1, 3))])
    module.init_params()
    prefix = str(tmp_path / "net")
    module.save_checkpoint(prefix, 0)
    params = tmp_path / "net-0000.params"
    data = bytearray(params.read_bytes())
    data[40:48] = (2 ** 40).to_bytes(8, "little")
    params.write_bytes(bytes(data))
    with pytest.raises(files.CorruptFile, match=r"\(in .*net-0000\.params\)"):
        mxnet.mod.Module.load(prefix, 0)
    graph = json.loads((tmp_path / "net-symbol.json").read_text())
    graph["heads"] = [[3, 7, 0]]
    (tmp_path / "net-symbol.json").write_text(json.dumps(graph))
    with pytest.raises(symbol.CorruptSymbol, match="net-symbol.json"):
        mxnet.model.load_checkpoint(prefix, 0)
