"""mx->recordio: mxnet's RecordIO files (MXRecordIO, MXIndexedRecordIO) and the image-record packing
(pack, unpack, pack_img, unpack_img), as AI::MXNet offered them and Python mxnet 1.9.1 writes them.

The files are libmxnet's own (dmlc RecordIO), so a file written from Perl is read by plain Python mxnet and the
reverse, byte for byte. What differs from Python mxnet's classes: a record may be a Perl string (bytes, or
`str` when every byte is below 0x80); keys of an indexed file are read as integers and looked up as such
(`read_idx('3')`); bad files and bad input raise one clear line naming the file.
"""
import ctypes
import io
import numbers
import os
import struct

import mxnet as mx
import numpy as np
from mxnet.base import _LIB, MXNetError, check_call

from ..arrays import pdl
from ..arrays.ndarray import NDArray
from ..perl.args import perl_bytes

_IR_FORMAT = "IfQQ"  # flag (uint32), label (float32), id, id2 (uint64): mxnet's image record header
_IR_SIZE = struct.calcsize(_IR_FORMAT)


class IRHeader:
    """An image record's header (AI::MXNet::IRHeader): flag (the number of labels stored after the header,
    0 when `label` is one number), label (a number, or an array of float32 labels), id, id2.
    IRHeader(flag, label, id, id2), as AI::MXNet's ->new(0, $label, 1, 0) and Python's namedtuple."""

    perl_class = "AI::MXNet::IRHeader"
    __slots__ = ("flag", "label", "id", "id2")
    _fields = __slots__

    def __init__(self, flag=0, label=0.0, id=0, id2=0):  # noqa: A002 (mxnet's field name)
        self.flag, self.label, self.id, self.id2 = flag, label, id, id2

    def __getitem__(self, i):  # AI::MXNet: @{$header} is [flag, label, id, id2]
        return getattr(self, self._fields[i])

    def __len__(self):
        return 4

    def __iter__(self):
        return (getattr(self, f) for f in self._fields)

    def __eq__(self, other):
        return isinstance(other, IRHeader) and all(
            np.array_equal(a, b) if not isinstance(a, numbers.Number) else a == b for a, b in zip(self, other))

    __hash__ = object.__hash__

    def __repr__(self):
        return "IRHeader(flag=%r, label=%r, id=%r, id2=%r)" % tuple(self)


def _header(header):
    # an IRHeader, Python's namedtuple, or AI::MXNet's array ref [flag, label, id, id2]
    if isinstance(header, IRHeader):
        return header
    if isinstance(header, (list, tuple)) and len(header) == 4:
        return IRHeader(*header)
    raise TypeError("pack: the header is an IRHeader or [flag, label, id, id2], not %r" % (header,))


def _float32_labels(label):
    # a label given as an array (NDArray, PDL, numpy, array ref): its values as float32, flat
    if isinstance(label, NDArray):
        label = label.asnumpy()
    elif isinstance(label, mx.nd.NDArray):
        label = label.asnumpy()
    elif isinstance(label, pdl.PDL):
        label = label.numpy()
    try:
        return np.asarray(label, dtype=np.float32).reshape(-1)
    except (TypeError, ValueError):
        raise TypeError("pack: a label is a number or an array of numbers, not %r" % (label,)) from None


def pack(header, s):
    """A record: the header packed as mxnet packs it ('IfQQ'), a label array after it when the label is not a
    single number (flag is then its length and the header's label 0), then the bytes s."""
    header = _header(header)
    s = perl_bytes(s, "pack")
    label = header.label
    if isinstance(label, numbers.Number) and not isinstance(label, bool):
        flag, label, labels = 0, float(label), b""
    else:
        labels = _float32_labels(label)
        flag, label, labels = labels.size, 0.0, labels.tobytes()
    try:
        packed = struct.pack(_IR_FORMAT, flag, label, header.id, header.id2)
    except struct.error as exc:
        raise ValueError("pack: id and id2 are integers from 0 to 2**64-1 (%s)" % exc) from None
    return packed + labels + s


def unpack(s):
    """(IRHeader, the record's bytes after its header and labels): the reverse of pack. With flag > 0 the
    header's label is a float32 array of flag labels."""
    s = perl_bytes(s, "unpack")
    if len(s) < _IR_SIZE:
        raise ValueError("unpack: a record of %d bytes is shorter than its %d-byte header" % (len(s), _IR_SIZE))
    header = IRHeader(*struct.unpack(_IR_FORMAT, s[:_IR_SIZE]))
    s = s[_IR_SIZE:]
    if header.flag > 0:
        if len(s) < 4 * header.flag:
            raise ValueError("unpack: the header says %d labels (%d bytes) but only %d bytes follow it"
                             % (header.flag, 4 * header.flag, len(s)))
        header.label = np.frombuffer(s, np.float32, header.flag).copy()
        s = s[4 * header.flag:]
    return header, s


def _image_array(img):
    # an image given as an NDArray, a PDL or numpy: height x width (x channels) uint8
    if isinstance(img, (NDArray, mx.nd.NDArray)):
        img = img.asnumpy()
    elif isinstance(img, pdl.PDL):
        img = img.numpy()
    img = np.asarray(img)
    if img.ndim == 3 and img.shape[2] == 1:
        img = img[:, :, 0]
    if img.ndim not in (2, 3) or img.ndim == 3 and img.shape[2] not in (3, 4) or 0 in img.shape:
        raise ValueError("pack_img: an image is height x width (x 1, 3 or 4 channels), not shape %s"
                         % (img.shape,))
    return np.clip(img, 0, 255).astype(np.uint8)


def pack_img(header, img, quality=95, img_fmt=".jpg"):
    """pack(header, the image encoded as img_fmt, '.jpg' or '.png'): img is height x width x channels, its
    channels in OpenCV's order (blue, green, red), as Python mxnet's pack_img takes it. quality is JPEG's
    quality (1-100) or PNG's compression level (0-9; higher values mean 9). Encoded with Pillow."""
    try:
        from PIL import Image
    except ImportError:
        raise ImportError("pack_img needs Pillow to encode images (pip install Pillow)") from None
    img = _image_array(img)
    if img.ndim == 3:  # BGR(A) -> RGB(A)
        img = img[:, :, [2, 1, 0] + ([3] if img.shape[2] == 4 else [])]
    fmt = img_fmt.lower().lstrip(".")
    out = io.BytesIO()
    if fmt in ("jpg", "jpeg"):
        if img.ndim == 3 and img.shape[2] == 4:
            img = img[:, :, :3]
        Image.fromarray(img).save(out, format="JPEG", quality=int(quality))
    elif fmt == "png":
        Image.fromarray(img).save(out, format="PNG", compress_level=min(max(int(quality), 0), 9))
    else:
        raise ValueError("pack_img: img_fmt is '.jpg' or '.png', not %r" % (img_fmt,))
    return pack(header, out.getvalue())


def unpack_img(s, iscolor=-1):
    """(IRHeader, image): unpack, then the image decoded by libmxnet's OpenCV as OpenCV's imdecode gives it
    (uint8, blue-green-red; iscolor -1 as stored, 0 gray, 1 color; gray is height x width, color height x
    width x 3) as numpy, which Perl receives as a PDL."""
    header, s = unpack(s)
    if iscolor not in (-1, 0, 1):
        raise ValueError("unpack_img: iscolor is -1 (as stored), 0 (gray) or 1 (color), not %r" % (iscolor,))
    if iscolor == -1:  # libmxnet's decoder has no "as stored": read the stored colour mode from the header
        iscolor = 0 if _stored_mode(s) in ("1", "L", "I;16", "I", "F") else 1
    image = mx.nd._internal._cvimdecode(mx.nd.array(np.frombuffer(s, dtype=np.uint8), dtype=np.uint8),
                                        flag=iscolor, to_rgb=False).asnumpy()
    return header, image[:, :, 0] if iscolor == 0 else image


def _stored_mode(s):
    # the image's colour mode, from its header only (Pillow), or None when it is no image Pillow knows
    try:
        from PIL import Image
        return Image.open(io.BytesIO(s)).mode
    except Exception:  # (not an image: the decoder below says so, in one line)
        return None


class MXRecordIO(mx.recordio.MXRecordIO):
    """A RecordIO file read ('r') or written ('w') record by record (AI::MXNet::RecordIO)."""

    perl_class = "AI::MXNet::RecordIO"

    def __init__(self, uri, flag):
        self.is_open = False  # (Python mxnet's __del__ fails on objects whose open failed)
        if flag not in ("r", "w"):
            raise ValueError("MXRecordIO: flag is 'r' (read) or 'w' (write), not %r" % (flag,))
        self._at_end = False
        self._buf, self._size = ctypes.c_void_p(), ctypes.c_size_t()  # (a NULL record pointer: the end)
        self._buf_ref, self._size_ref = ctypes.byref(self._buf), ctypes.byref(self._size)
        try:
            mx.recordio.MXRecordIO.__init__(self, uri, flag)
        except MXNetError as exc:
            raise OSError("MXRecordIO: cannot open %s for %s (%s)" % (
                uri, "reading" if flag == "r" else "writing", _reason(exc))) from None

    def write(self, buf):
        """Append one record: bytes, or a Perl string of them."""
        if not self.writable:
            raise ValueError("write: %s was opened for reading ('r')" % self._name())
        buf = perl_bytes(buf, "write")
        if self.pid != os.getpid():  # (a forked process must not write through its parent's handle)
            self._check_pid(allow_reset=False)
        check_call(_LIB.MXRecordIOWriterWriteRecord(self.handle, buf, ctypes.c_size_t(len(buf))))

    def read(self):
        """The next record as bytes; None at the end of the file. A damaged file raises one line."""
        if self.writable:
            raise ValueError("read: %s was opened for writing ('w')" % self._name())
        if not self.is_open:
            raise ValueError("read: %s is closed" % self._name())
        if self.pid != os.getpid():  # (nor read through it, Python mxnet's rule)
            self._check_pid(allow_reset=False)
        if _LIB.MXRecordIOReaderReadRecord(self.handle, self._buf_ref, self._size_ref) != 0:
            raise ValueError("%s is not a valid RecordIO file: %s" % (self._name(), _damage(
                mx.base.py_str(_LIB.MXGetLastError()))))
        if self._buf.value is None:
            self._at_end = True  # (libmxnet's reader then stays at the end, even after a seek)
            return None
        return ctypes.string_at(self._buf, self._size.value)

    def _name(self):
        return mx.base.py_str(self.uri.value)


class MXIndexedRecordIO(MXRecordIO, mx.recordio.MXIndexedRecordIO):
    """A RecordIO file with an index file of `key<TAB>position` lines, for reading records by key
    (AI::MXNet::IndexedRecordIO): write_idx($key, $record), read_idx($key), keys."""

    perl_class = "AI::MXNet::IndexedRecordIO"

    def __init__(self, idx_path, uri, flag, key_type=int):
        self.idx_path, self.idx, self.keys, self.key_type, self.fidx = idx_path, {}, [], key_type, None
        MXRecordIO.__init__(self, uri, flag)

    def open(self):
        mx.recordio.MXRecordIO.open(self)
        self.idx, self.keys = {}, []
        try:
            self.fidx = open(self.idx_path, self.flag)
        except OSError as exc:
            self.close()
            raise OSError("MXIndexedRecordIO: cannot open the index file %s (%s)" % (
                self.idx_path, exc.strerror or exc)) from None
        if not self.writable:
            size = os.path.getsize(self.uri.value) if os.path.isfile(self.uri.value) else None
            for number, line in enumerate(self.fidx, 1):
                if not line.strip():
                    continue
                fields = line.strip().split("\t")
                try:
                    key, position = self.key_type(fields[0]), int(fields[1])
                    if position < 0 or size is not None and position >= size:
                        raise ValueError
                except (ValueError, IndexError):
                    self.close()
                    raise ValueError("MXIndexedRecordIO: %s line %d is not 'key<TAB>position' with a position "
                                     "inside %s: %r" % (self.idx_path, number, self._name(),
                                                        line.rstrip("\n")[:80])) from None
                self.idx[key] = position
                self.keys.append(key)

    def close(self):
        if self.is_open:
            mx.recordio.MXRecordIO.close(self)
        if self.fidx is not None:
            self.fidx.close()
            self.fidx = None

    def _key(self, idx):
        try:
            return self.key_type(idx)
        except (TypeError, ValueError):
            raise KeyError("%s has no record with key %r" % (self.idx_path, idx)) from None

    def seek(self, idx):
        """Put the reader at the record of key idx."""
        if self.writable:
            raise ValueError("seek: %s was opened for writing ('w')" % self._name())
        key = self._key(idx)
        if key not in self.idx:
            raise KeyError("%s has no record with key %r" % (self.idx_path, idx))
        self._check_pid(allow_reset=True)  # (a forked process opens its own reader)
        if self._at_end:  # a reader that reached the end reads nothing more: start a fresh one
            mx.recordio.MXRecordIO.close(self)
            mx.recordio.MXRecordIO.open(self)
            self._at_end = False
        check_call(_LIB.MXRecordIOReaderSeek(self.handle, ctypes.c_size_t(self.idx[key])))

    def tell(self):
        """The writer's position: where the next record starts."""
        if not self.writable:
            raise ValueError("tell: %s was opened for reading ('r')" % self._name())
        return super().tell()

    def read_idx(self, idx):
        """The record of key idx, as bytes."""
        self.seek(idx)
        return self.read()

    def write_idx(self, idx, buf):
        """Append a record under key idx (and its line in the index file)."""
        key = self._key(idx)
        position = self.tell()
        self.write(buf)
        self.fidx.write("%s\t%d\n" % (str(key), position))
        self.idx[key] = position
        self.keys.append(key)


def _damage(error):
    # what libmxnet's reader found, said plainly (its text names C++ checks)
    if "kMagic" in error:
        return "a record does not start with RecordIO's magic number (not a record file, or a wrong position)"
    if "upper_align" in error:
        return "a record is cut short (the file ends inside it, or its length field is damaged)"
    return _reason(MXNetError(error))


def _reason(exc):
    from ..perl.errors import first_line
    return first_line(exc).replace("Check failed: ", "")


FUNCTIONS = {"MXRecordIO": MXRecordIO, "MXIndexedRecordIO": MXIndexedRecordIO, "IRHeader": IRHeader,
             "pack": pack, "unpack": unpack, "pack_img": pack_img, "unpack_img": unpack_img}
