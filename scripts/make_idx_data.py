"""Write a small dataset in FashionMNIST's file format into a directory, for the Gluon examples and tests.

    .venv/bin/python scripts/make_idx_data.py DIR [--train N] [--test N] [--seed S] [--ubyte] [--quiet]

It writes the four files gluon->data->vision->FashionMNIST (and MNIST) read from `root`, in the real idx format,
gzip-compressed (with --ubyte uncompressed, without .gz, as mx->io->MNISTIter and AI::MXNet's tests read them
from ./data: `make_idx_data.py --ubyte --train 60000 --test 10000 data` makes MNIST's full sizes):

    train-images-idx3-ubyte.gz   magic 2051, count, rows, cols (big-endian uint32), then count*28*28 uint8 pixels
    train-labels-idx1-ubyte.gz   magic 2049, count (big-endian uint32), then count uint8 labels
    t10k-images-idx3-ubyte.gz    the same for the test set
    t10k-labels-idx1-ubyte.gz

The images are noise with a learnable signal: an image of class k (0..9) has a bright 6x6 patch whose place on a
3x4 grid depends on k (plus a little jitter), so a small net learns the classes within an epoch or two. The files
are the same bytes for the same seed and sizes (numpy's seeded generator; gzip with a zero timestamp).
"""
import argparse
import gzip
import os
import struct
import sys

import numpy as np

ROWS = COLS = 28
CLASSES = 10
FILES = {
    "train": ("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz"),
    "test": ("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"),
}


def make_images(count, rng):
    """(images uint8 count x 28 x 28, labels uint8 count): every class equally often, in a shuffled order."""
    labels = (np.arange(count) % CLASSES).astype(np.uint8)
    rng.shuffle(labels)
    images = rng.integers(0, 90, size=(count, ROWS, COLS)).astype(np.int32)
    for i, k in enumerate(labels):
        row, col = divmod(int(k), 4)                       # a 3x4 grid of places, 10 used
        top = 2 + row * 8 + int(rng.integers(-1, 2))
        left = 1 + col * 7 + int(rng.integers(-1, 2))
        images[i, top:top + 6, left:left + 6] += 150
    return np.clip(images, 0, 255).astype(np.uint8), labels


def write_gzip(path, payload):
    with open(path, "wb") as raw:
        with gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as out:
            out.write(payload)


def write_plain(path, payload):
    with open(path[:-len(".gz")], "wb") as out:
        out.write(payload)


def write_set(directory, name, images, labels, write=write_gzip):
    image_file, label_file = FILES[name]
    count = len(labels)
    write(os.path.join(directory, image_file), struct.pack(">IIII", 2051, count, ROWS, COLS) + images.tobytes())
    write(os.path.join(directory, label_file), struct.pack(">II", 2049, count) + labels.tobytes())


def make(directory, train=600, test=100, seed=0, ubyte=False):
    """Write the four files into directory (made if missing), uncompressed when ubyte; returns the directory."""
    os.makedirs(directory, exist_ok=True)
    rng = np.random.default_rng(seed)
    for name, count in (("train", train), ("test", test)):
        write_set(directory, name, *make_images(count, rng), write=write_plain if ubyte else write_gzip)
    return directory


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory")
    parser.add_argument("--train", type=int, default=600, help="training images (default 600)")
    parser.add_argument("--test", type=int, default=100, help="test images (default 100)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--ubyte", action="store_true", help="uncompressed files, named without .gz")
    parser.add_argument("--quiet", action="store_true", help="print nothing")
    args = parser.parse_args(argv)
    make(args.directory, args.train, args.test, args.seed, args.ubyte)
    if not args.quiet:
        print("wrote %d train and %d test images to %s" % (args.train, args.test, args.directory))
    return 0


if __name__ == "__main__":
    sys.exit(main())
