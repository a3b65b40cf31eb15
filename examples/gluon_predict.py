"""Python twin of gluon_predict.pl: the crash course's "Predict with a pre-trained model" through the bridge.

    .venv/bin/python examples/gluon_predict.py [ROOT [PARAMS_FILE]]

ROOT and PARAMS_FILE as in gluon_train.py (also FASHION_MNIST_ROOT and GLUON_PARAMS_FILE). Without ROOT a small
dataset of FashionMNIST's format is made in a temporary directory (scripts/make_idx_data.py); if the parameters
file is not there, gluon_train.py is run first to make it, so this chapter runs on its own.
"""
import os
import pathlib
import subprocess
import sys
import tempfile

from bridge import gluon, nd

nn = gluon.nn
HERE = pathlib.Path(__file__).resolve().parent

args = sys.argv[1:]
root = args[0] if args else os.environ.get("FASHION_MNIST_ROOT")
params_file = args[1] if len(args) > 1 else os.environ.get(
    "GLUON_PARAMS_FILE", os.path.join(tempfile.gettempdir(), "gluon_crash_course_lenet.params"))
if root is None:
    tmp = tempfile.TemporaryDirectory()
    root = tmp.name
    subprocess.run([sys.executable, str(HERE.parent / "scripts" / "make_idx_data.py"), "--quiet", root], check=True)
if not os.path.exists(params_file):
    # No trained parameters yet: train first (the training chapter's report goes to stderr).
    print("no %s: running gluon_train.py first" % params_file, file=sys.stderr)
    subprocess.run([sys.executable, str(HERE / "gluon_train.py"), root, params_file], check=True,
                   stdout=sys.stderr)

# The same network as in training, its parameters loaded from the file.
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
net.load_parameters(params_file)

# The first 10 test images, prepared as in training, one at a time: a batch of one image each.
text_labels = ['t-shirt', 'trouser', 'pullover', 'dress', 'coat',
               'sandal', 'shirt', 'sneaker', 'bag', 'ankle boot']
mnist_valid = gluon.data.vision.FashionMNIST(root=root, train=False)
right = 0
for i in range(10):
    data, label = mnist_valid[i]
    x = nd.transpose(data.astype('float32') / 255, axes=(2, 0, 1)).expand_dims(axis=0)
    pred = net(x).argmax(axis=1).astype('int32').asscalar()
    right += pred == label
    print("image %d: predicted %-10s true %s" % (i, text_labels[pred], text_labels[label]))
print("%d of 10 right" % right)
