"""bridge/api/recordio.py from Python: mx.recordio's files are plain Python mxnet's, byte for byte; packing agrees
with Python mxnet's pack; damaged files raise one clear line."""
import struct

import mxnet as mx
import numpy as np
import pytest

from bridge import mx as bmx
from bridge.api import recordio
from bridge.handles import objects


def test_the_classes_carry_ai_mxnet_names():
    assert objects.perl_classes(recordio.MXRecordIO)[0] == "AI::MXNet::RecordIO"
    assert objects.perl_classes(recordio.MXIndexedRecordIO)[:2] == ("AI::MXNet::IndexedRecordIO",
                                                                    "AI::MXNet::RecordIO")
    assert objects.perl_classes(recordio.IRHeader)[0] == "AI::MXNet::IRHeader"


def test_files_are_python_mxnets_byte_for_byte(tmp_path):
    records = [bytes(range(i % 256)) * (i % 3 + 1) for i in range(40)]
    ours, theirs = tmp_path / "ours.rec", tmp_path / "theirs.rec"
    writer = bmx.recordio.MXRecordIO(str(ours), "w")
    for r in records:
        writer.write(r)
    writer.close()
    writer = mx.recordio.MXRecordIO(str(theirs), "w")
    for r in records:
        writer.write(r)
    writer.close()
    assert ours.read_bytes() == theirs.read_bytes()
    reader = mx.recordio.MXRecordIO(str(ours), "r")
    assert [reader.read() for _ in records] == records and reader.read() is None


def test_a_perl_string_of_ascii_bytes_is_a_record(tmp_path):
    # Inline::Python hands a Perl string whose bytes are all below 0x80 over as str
    writer = bmx.recordio.MXIndexedRecordIO(str(tmp_path / "a.idx"), str(tmp_path / "a.rec"), "w")
    writer.write_idx(1, "abc")
    writer.close()
    reader = bmx.recordio.MXIndexedRecordIO(str(tmp_path / "a.idx"), str(tmp_path / "a.rec"), "r")
    assert reader.read_idx("1") == b"abc" and list(reader.keys) == [1]


@pytest.mark.parametrize("label", [3.5, [1.0, -2.5, 7.0]])
def test_pack_is_python_mxnets_pack(label):
    header = (0, label, 12, 34)
    ours = recordio.pack(list(header), b"payload")
    assert ours == mx.recordio.pack(mx.recordio.IRHeader(*header), b"payload")
    theirs_header, rest = mx.recordio.unpack(ours)
    assert rest == b"payload" and theirs_header.id == 12 and theirs_header.id2 == 34
    header, rest = recordio.unpack(ours)
    np.testing.assert_array_equal(header.label, np.float32(label))
    assert header.flag == (0 if isinstance(label, float) else 3)


def test_pack_takes_a_mirror_ndarray_label():
    s = recordio.pack([0, bmx.nd.array([1, 2]), 0, 0], b"")
    assert struct.unpack("IfQQff", s) == (2, 0.0, 0, 0, 1.0, 2.0)


def test_pack_img_and_unpack_img_round_trip_png():
    image = (np.arange(4 * 5 * 3).reshape(4, 5, 3) * 3).astype(np.uint8)
    header, back = recordio.unpack_img(recordio.pack_img([0, 1, 2, 0], image, img_fmt=".png"))
    np.testing.assert_array_equal(back, image)
    assert header.id == 2


@pytest.mark.parametrize("payload, message", [
    (b"\x0a\x23\xd7\xce" + b"\xff\xff\xff\x0f" + b"x" * 20, "cut short"),
    (b"nothing like a record at all", "magic number"),
])
def test_damaged_files_raise_one_line(tmp_path, payload, message):
    path = tmp_path / "bad.rec"
    path.write_bytes(payload)
    reader = recordio.MXRecordIO(str(path), "r")
    with pytest.raises(ValueError, match=message) as info:
        reader.read()
    assert "\n" not in str(info.value) and "bad.rec" in str(info.value)
