"""Write small image datasets in the formats mxnet reads, into a directory, for the tests and examples.

    .venv/bin/python scripts/make_image_data.py DIR [--seed S] [--quiet]
    .venv/bin/python scripts/make_image_data.py --ai-mxnet-tests AI-MXNET-DIR

DIR gets:

    images/<class>/<n>.jpg    an image folder (gluon->data->vision->ImageFolderDataset): 3 classes, 4 images each
    images.rec, images.idx    the same images as an indexed RecordIO file of image records (header label = the
                              class, id = the image's number), read by ImageRecordDataset, ImageIter and
                              ImageRecordIter
    cifar10/                  CIFAR-10's binary batches: data_batch_1.bin .. data_batch_5.bin, test_batch.bin;
                              each record a label byte (0-9) and 3072 bytes of pixels (red, green, blue planes)
    cifar100/                 CIFAR-100's: train.bin, test.bin; each record a coarse label byte (0-19), a fine
                              one (0-99) and the pixels

With --ai-mxnet-tests, the directory of AI::MXNet's own distribution (perl-package/AI-MXNet) gets, under data/,
what its t/test_gluon_data.t and t/test_io_image.t would download: test_images/ (16 JPEG images; the empty
test_images/test_images/ says they are unpacked), test.rec and test.idx (those images, label i for image i),
mnist/ and fashion-mnist/ (60,000 training images each, scripts/make_idx_data.py), cifar10/ (10,000 test
images) and cifar/test.rec (1,000 CIFAR-size image records).

The images are coloured gradients with a few bright squares, so they decode, resize and crop as photos do. Files
are the same bytes for the same seed.
"""
import argparse
import importlib.util
import io
import os
import sys

import mxnet as mx
import numpy as np
from PIL import Image

CLASSES = ("bird", "cat", "dog")


def make_image(rng, height, width):
    """An RGB image (height x width x 3 uint8): a gradient plus squares, different for each draw of rng."""
    rows = np.linspace(0, 1, height)[:, None, None]
    cols = np.linspace(0, 1, width)[None, :, None]
    tint = rng.uniform(0.2, 1.0, size=3)
    image = 200 * tint * (0.3 + 0.7 * (rows * rng.uniform() + cols * (1 - rng.uniform()))) + rng.normal(0, 8, (height, width, 3))
    for _ in range(3):
        size = max(2, min(height, width) // 5)
        top, left = rng.integers(0, height - size), rng.integers(0, width - size)
        image[top:top + size, left:left + size] = rng.uniform(150, 255, size=3)
    return np.clip(image, 0, 255).astype(np.uint8)


def jpeg(image, quality=90):
    out = io.BytesIO()
    Image.fromarray(image).save(out, format="JPEG", quality=quality)
    return out.getvalue()


def write_record_file(rec_path, idx_path, items):
    """An indexed RecordIO file of image records, written by plain Python mxnet: items are (label, id, bytes)."""
    writer = mx.recordio.MXIndexedRecordIO(idx_path, rec_path, "w")
    for key, (label, record_id, encoded) in enumerate(items):
        writer.write_idx(key, mx.recordio.pack(mx.recordio.IRHeader(0, float(label), record_id, 0), encoded))
    writer.close()


def cifar_records(rng, count, labels):
    """count CIFAR records: the label bytes (one column per entry of labels: the number of classes), then the
    32x32 image as three 1024-byte planes."""
    images = np.stack([make_image(rng, 32, 32) for _ in range(count)])
    label_bytes = np.stack([rng.integers(0, n, size=count) for n in labels], axis=1).astype(np.uint8)
    return np.concatenate([label_bytes, images.transpose(0, 3, 1, 2).reshape(count, 3072)], axis=1).tobytes()


def write_cifar10(directory, rng, train_per_batch=20, test=50):
    os.makedirs(directory, exist_ok=True)
    for i in range(1, 6):
        with open(os.path.join(directory, "data_batch_%d.bin" % i), "wb") as out:
            out.write(cifar_records(rng, train_per_batch, (10,)))
    with open(os.path.join(directory, "test_batch.bin"), "wb") as out:
        out.write(cifar_records(rng, test, (10,)))


def write_cifar100(directory, rng, train=60, test=30):
    os.makedirs(directory, exist_ok=True)
    for name, count in (("train.bin", train), ("test.bin", test)):
        with open(os.path.join(directory, name), "wb") as out:
            out.write(cifar_records(rng, count, (20, 100)))


def make(directory, seed=0):
    """The image folder, its record file and the CIFAR files in directory (made if missing)."""
    rng = np.random.default_rng(seed)
    items = []
    for label, name in enumerate(CLASSES):
        folder = os.path.join(directory, "images", name)
        os.makedirs(folder, exist_ok=True)
        for n in range(4):
            encoded = jpeg(make_image(rng, int(rng.integers(40, 80)), int(rng.integers(40, 80))))
            with open(os.path.join(folder, "%d.jpg" % n), "wb") as out:
                out.write(encoded)
            items.append((label, len(items), encoded))
    write_record_file(os.path.join(directory, "images.rec"), os.path.join(directory, "images.idx"), items)
    write_cifar10(os.path.join(directory, "cifar10"), rng)
    write_cifar100(os.path.join(directory, "cifar100"), rng)
    return directory


def _idx_data():
    # scripts/make_idx_data.py, beside this file (MNIST's format)
    spec = importlib.util.spec_from_file_location("make_idx_data", os.path.join(os.path.dirname(
        os.path.abspath(__file__)), "make_idx_data.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def make_ai_mxnet_tests(root, seed=0):
    """root/data/...: what AI::MXNet's t/test_gluon_data.t and t/test_io_image.t download, made here."""
    rng = np.random.default_rng(seed)
    data = os.path.join(root, "data")
    images = os.path.join(data, "test_images")
    os.makedirs(os.path.join(images, "test_images"), exist_ok=True)
    items = []
    for n in range(16):
        encoded = jpeg(make_image(rng, int(rng.integers(60, 120)), int(rng.integers(60, 120))))
        with open(os.path.join(images, "image_%02d.jpg" % n), "wb") as out:
            out.write(encoded)
        items.append((n, n, encoded))
    write_record_file(os.path.join(data, "test.rec"), os.path.join(data, "test.idx"), items)
    idx = _idx_data()
    for name in ("mnist", "fashion-mnist"):
        idx.make(os.path.join(data, name), train=60000, test=100, seed=seed)
    write_cifar10(os.path.join(data, "cifar10"), rng, train_per_batch=10, test=10000)
    os.makedirs(os.path.join(data, "cifar"), exist_ok=True)
    cifar = [(int(rng.integers(0, 10)), n, jpeg(make_image(rng, 32, 32))) for n in range(1000)]
    write_record_file(os.path.join(data, "cifar", "test.rec"), os.path.join(data, "cifar", "test.idx"), cifar)
    return data


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory")
    parser.add_argument("--ai-mxnet-tests", action="store_true",
                        help="write AI::MXNet's test data under DIRECTORY/data (DIRECTORY: its AI-MXNet folder)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--quiet", action="store_true", help="print nothing")
    args = parser.parse_args(argv)
    if args.ai_mxnet_tests:
        where = make_ai_mxnet_tests(args.directory, args.seed)
    else:
        where = make(args.directory, args.seed)
    if not args.quiet:
        print("wrote image data to %s" % where)
    return 0


if __name__ == "__main__":
    sys.exit(main())
