"""Python twin of module_mnist.pl: training with AI::MXNet's Module through the bridge.

    .venv/bin/python examples/module_mnist.py [DIR]

DIR holds MNIST's four idx files uncompressed (train-images-idx3-ubyte, train-labels-idx1-ubyte,
t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte: the real ones from http://yann.lecun.com/exdb/mnist/, gunzipped,
or MNIST_ROOT=/path); nothing is downloaded here. Without it, a small dataset of the same format is made in a
temporary directory by scripts/make_idx_data.py (2000 training and 500 test images). EPOCHS (default 3).

fit logs AI::MXNet's lines (Epoch[0] Train-accuracy=...) through Python's logging; here the ones with
accuracies are printed on stdout (the time each epoch took differs from run to run).
"""
import logging
import os
import pathlib
import re
import subprocess
import sys
import tempfile

from bridge import mx

args = sys.argv[1:]
root = args[0] if args else os.environ.get("MNIST_ROOT")
epochs = int(os.environ.get("EPOCHS", 3))
if root is None:
    tmp = tempfile.TemporaryDirectory()
    root = tmp.name
    script = pathlib.Path(__file__).resolve().parent.parent / "scripts" / "make_idx_data.py"
    subprocess.run([sys.executable, str(script), "--quiet", "--ubyte", "--train", "2000", "--test", "500", root],
                   check=True)


class Accuracies(logging.Handler):
    def emit(self, record):
        message = record.getMessage()
        if re.match(r"Epoch\[\d+\] (?:Train|Validation)-", message):
            print(message)


logging.getLogger().addHandler(Accuracies())
logging.getLogger().setLevel(logging.INFO)

mx.random.seed(42)
batch_size = 100
train_iter = mx.io.MNISTIter(
    image=f"{root}/train-images-idx3-ubyte", label=f"{root}/train-labels-idx1-ubyte",
    batch_size=batch_size, flat=1, shuffle=1, seed=10, silent=1)
val_iter = mx.io.MNISTIter(
    image=f"{root}/t10k-images-idx3-ubyte", label=f"{root}/t10k-labels-idx1-ubyte",
    batch_size=batch_size, flat=1, silent=1)
print(f"data: {train_iter.provide_data[0]}, label: {train_iter.provide_label[0]}")

# The network: 784 pixels (MNISTIter scales them to [0, 1]) -> 128 -> 64 -> 10 classes.
data = mx.sym.Variable('data')
fc1 = mx.sym.FullyConnected(data=data, name='fc1', num_hidden=128)
act1 = mx.sym.Activation(data=fc1, name='relu1', act_type='relu')
fc2 = mx.sym.FullyConnected(data=act1, name='fc2', num_hidden=64)
act2 = mx.sym.Activation(data=fc2, name='relu2', act_type='relu')
fc3 = mx.sym.FullyConnected(data=act2, name='fc3', num_hidden=10)
mlp = mx.sym.SoftmaxOutput(data=fc3, name='softmax')

model = mx.mod.Module(symbol=mlp, context=mx.cpu())
model.fit(
    train_iter,
    eval_data=val_iter,
    optimizer='sgd',
    optimizer_params={'learning_rate': 0.02, 'momentum': 0.5},
    initializer=mx.init.Xavier(magnitude=2.24),
    num_epoch=epochs,
)
arg_params, _ = model.get_params()
print("parameters: " + ", ".join(f"{name} [{' '.join(map(str, arg_params[name].shape))}]"
                                  for name in sorted(arg_params)))
score = dict(model.score(val_iter, 'acc'))
print("final accuracy: %.4f" % score['accuracy'])
probabilities = model.predict(val_iter)
print("predictions: " + " ".join(map(str, probabilities.shape)))
