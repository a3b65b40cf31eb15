"""bridge/api/image.py and the CIFAR readers of bridge/api/datasets.py, from Python, on files that
scripts/make_image_data.py writes (nothing is downloaded)."""
import importlib.util
import pathlib

import mxnet as mx
import numpy as np
import pytest

from bridge import gluon, mx as bmx
from bridge.api import datasets, image

ROOT = pathlib.Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    spec = importlib.util.spec_from_file_location("make_image_data", ROOT / "scripts" / "make_image_data.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return pathlib.Path(module.make(str(tmp_path_factory.mktemp("images"))))


def test_the_record_file_is_plain_python_mxnets(data):
    reader = mx.recordio.MXIndexedRecordIO(str(data / "images.idx"), str(data / "images.rec"), "r")
    header, encoded = mx.recordio.unpack(reader.read_idx(5))
    assert (header.label, header.id) == (1.0, 5)
    assert encoded == (data / "images" / "cat" / "1.jpg").read_bytes()


def test_cifar10_reads_the_bytes_as_python_mxnet_lays_them_out(data):
    raw = np.frombuffer((data / "cifar10" / "test_batch.bin").read_bytes(), dtype=np.uint8).reshape(-1, 3073)
    ours = datasets.CIFAR10(root=str(data / "cifar10"), train=False)
    assert len(ours) == len(raw) == 50
    pixels, label = ours[3]
    assert label == raw[3, 0]
    np.testing.assert_array_equal(pixels.asnumpy(), raw[3, 1:].reshape(3, 32, 32).transpose(1, 2, 0))


def test_cifar100_coarse_and_fine_labels(data):
    raw = np.frombuffer((data / "cifar100" / "train.bin").read_bytes(), dtype=np.uint8).reshape(-1, 3074)
    assert datasets.CIFAR100(root=str(data / "cifar100"))[7][1] == raw[7, 0]
    assert datasets.CIFAR100(root=str(data / "cifar100"), fine_label=True)[7][1] == raw[7, 1]


def test_cifar_reads_the_folder_the_archive_unpacks_into(data, tmp_path):
    folder = tmp_path / "cifar-10-batches-bin"
    folder.mkdir()
    (folder / "test_batch.bin").write_bytes((data / "cifar10" / "test_batch.bin").read_bytes())
    assert len(gluon.data.vision.CIFAR10(root=str(tmp_path), train=False)) == 50


def test_imdecode_takes_a_perl_string_of_ascii_bytes(data):
    encoded = (data / "images" / "dog" / "0.jpg").read_bytes()
    expected = mx.image.imdecode(encoded).asnumpy()
    # a PNG or JPEG always has bytes above 0x7f; a str of code points 0-255 stands for any Perl byte string
    np.testing.assert_array_equal(image.imdecode(encoded.decode("latin-1")).asnumpy(), expected)


def test_image_iter_takes_ai_mxnets_kwargs_hash(data):
    it = bmx.image.ImageIter(batch_size=3, data_shape=[3, 16, 16], path_imgrec=str(data / "images.rec"),
                             kwargs={"rand_crop": 1, "rand_mirror": 1})
    batch = it.next()
    assert batch.data[0].shape == (3, 3, 16, 16)
    assert [type(a).__name__ for a in it._target.auglist] == ["RandomCropAug", "HorizontalFlipAug", "CastAug"]


def test_image_iter_takes_augmenters_that_return_a_list(data):
    it = image.ImageIter(batch_size=2, data_shape=(3, 8, 8), path_imgrec=str(data / "images.rec"),
                         aug_list=[lambda img: [mx.image.imresize(img, 8, 8)]])
    assert it.next().data[0].shape == (2, 3, 8, 8)
