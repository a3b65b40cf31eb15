"""Write a small dataset in CIFAR-10's RecordIO format into a directory, for AI::MXNet's tests and examples.

    .venv/bin/python scripts/make_cifar_data.py DIR [--train N] [--test N] [--seed S] [--quiet]

It writes train.rec and test.rec as mx->io->ImageRecordIter reads them (what AI::MXNet's GetCifar10 unpacked
into data/cifar): one RecordIO record per image, mxnet's image-record header (flag 0, the label as a float, the
image's index) followed by a 32x32 RGB PNG. Every class (0..9) is equally often there, in a shuffled order;
an image of class k is a gray field with a patch of class k's colour at a place that depends on k, so a small
net can learn the classes. `--train 50000 --test 10000` gives CIFAR-10's sizes (5000 images a class). The PNGs
are written here (zlib), so nothing beyond numpy and mxnet is needed; the files are the same bytes for the same
seed and sizes.
"""
import argparse
import os
import struct
import sys
import zlib

import mxnet as mx
import numpy as np

SIDE = 32
CLASSES = 10
COLOURS = np.array([[230, 25, 75], [60, 180, 75], [255, 225, 25], [0, 130, 200], [245, 130, 48],
                    [145, 30, 180], [70, 240, 240], [240, 50, 230], [210, 245, 60], [0, 0, 128]], dtype=np.uint8)


def png(image):
    """The PNG file of an RGB uint8 image (height x width x 3): one IDAT, no filtering."""
    height, width, _ = image.shape
    rows = b"".join(b"\0" + image[r].tobytes() for r in range(height))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xffffffff)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b""))


def make_images(count, rng):
    """Yield (label, image) count times: every class equally often, shuffled."""
    labels = np.arange(count) % CLASSES
    rng.shuffle(labels)
    for k in labels:
        image = np.full((SIDE, SIDE, 3), 128, dtype=np.uint8)
        row, col = divmod(int(k), 4)
        top, left = 2 + row * 10 + int(rng.integers(0, 3)), 2 + col * 7 + int(rng.integers(0, 3))
        image[top:top + 8, left:left + 8] = COLOURS[k]
        yield int(k), image


def write_set(path, count, rng):
    record = mx.recordio.MXRecordIO(path, "w")
    try:
        for index, (label, image) in enumerate(make_images(count, rng)):
            record.write(mx.recordio.pack(mx.recordio.IRHeader(0, float(label), index, 0), png(image)))
    finally:
        record.close()


def make(directory, train=1000, test=200, seed=0):
    """Write train.rec and test.rec into directory (made if missing); returns the directory."""
    os.makedirs(directory, exist_ok=True)
    rng = np.random.default_rng(seed)
    write_set(os.path.join(directory, "train.rec"), train, rng)
    write_set(os.path.join(directory, "test.rec"), test, rng)
    return directory


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory")
    parser.add_argument("--train", type=int, default=1000, help="training images (default 1000)")
    parser.add_argument("--test", type=int, default=200, help="test images (default 200)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--quiet", action="store_true", help="print nothing")
    args = parser.parse_args(argv)
    make(args.directory, args.train, args.test, args.seed)
    if not args.quiet:
        print("wrote %d train and %d test images to %s" % (args.train, args.test, args.directory))
    return 0


if __name__ == "__main__":
    sys.exit(main())
