"""Python twin of gluon_train.pl: the crash course's "Train the neural network" through the bridge.

    .venv/bin/python examples/gluon_train.py [ROOT [PARAMS_FILE]]

ROOT is the directory of the FashionMNIST files; point it at the real dataset to train on it: download the four
gzip files from https://github.com/zalandoresearch/fashion-mnist (train-images-idx3-ubyte.gz,
train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz) into a directory and pass it
as the first argument or as FASHION_MNIST_ROOT=/path/to/dir (nothing is downloaded here). Without either, a small
dataset of the same format is made in a temporary directory by scripts/make_idx_data.py (600 training and 100
test images whose class is a bright patch's place). PARAMS_FILE (or GLUON_PARAMS_FILE) is where the parameters
are saved; default: gluon_crash_course_lenet.params in the system's temporary directory. EPOCHS (default 4) sets
the number of epochs.
"""
import os
import pathlib
import subprocess
import sys
import tempfile

from bridge import autograd, gluon, mx, nd

nn = gluon.nn

args = sys.argv[1:]
root = args[0] if args else os.environ.get("FASHION_MNIST_ROOT")
params_file = args[1] if len(args) > 1 else os.environ.get(
    "GLUON_PARAMS_FILE", os.path.join(tempfile.gettempdir(), "gluon_crash_course_lenet.params"))
epochs = int(os.environ.get("EPOCHS", 4))
if root is None:
    tmp = tempfile.TemporaryDirectory()
    root = tmp.name
    script = pathlib.Path(__file__).resolve().parent.parent / "scripts" / "make_idx_data.py"
    subprocess.run([sys.executable, str(script), "--quiet", root], check=True)

mx.random.seed(42)


# The data: images as float32 in [0, 1], channels first (1x28x28), as Conv2D takes them; labels as they are.
def transform(data, label):
    return nd.transpose(data.astype('float32') / 255, axes=(2, 0, 1)), label


batch_size = 50
train_data = gluon.data.DataLoader(
    gluon.data.vision.FashionMNIST(root=root, train=True, transform=transform),
    batch_size=batch_size, shuffle=False)
valid_data = gluon.data.DataLoader(
    gluon.data.vision.FashionMNIST(root=root, train=False, transform=transform),
    batch_size=batch_size, shuffle=False)

# The model: LeNet, as in "Create a neural network".
net = nn.Sequential()
with net.name_scope():
    net.add(nn.Conv2D(channels=6, kernel_size=5, activation='relu'),
            nn.MaxPool2D(pool_size=2, strides=2),
            nn.Conv2D(channels=16, kernel_size=3, activation='relu'),
            nn.MaxPool2D(pool_size=2, strides=2),
            nn.Flatten(),
            nn.Dense(120, activation='relu'),
            nn.Dense(84, activation='relu'),
            nn.Dense(10))
net.initialize(init=mx.init.Xavier())

softmax_cross_entropy = gluon.loss.SoftmaxCrossEntropyLoss()
trainer = gluon.Trainer(net.collect_params(), 'sgd', {'learning_rate': 0.1})

# The training loop: forward under autograd, backward, one SGD step per batch; the accuracy on the training
# batches as they go and on the test set after each epoch.
for epoch in range(1, epochs + 1):
    train_loss, batches = 0.0, 0
    train_acc, valid_acc = mx.metric.Accuracy(), mx.metric.Accuracy()
    for data, label in train_data:
        with autograd.record():
            output = net(data)
            loss = softmax_cross_entropy(output, label)
        loss.backward()
        trainer.step(batch_size)
        train_loss += loss.mean().asscalar()
        batches += 1
        train_acc.update([label], [output])
    for data, label in valid_data:
        valid_acc.update([label], [net(data)])
    print("epoch %d: loss %.4f, train acc %.4f, test acc %.4f"
          % (epoch, train_loss / batches, train_acc.get()[1], valid_acc.get()[1]))

net.save_parameters(params_file)
print("parameters saved")
print("saved to %s" % params_file, file=sys.stderr)
