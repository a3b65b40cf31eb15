"""Python twin of distributed_train.pl: data-parallel training of a Gluon MLP on MXNet's parameter server, through
the bridge. Started by bridge-launch (2 workers and 1 server, all on this machine):

    .venv/bin/bridge-launch -n 2 -s 1 --launcher local \\
        .venv/bin/python examples/distributed_train.py --kv-store dist_sync

Run directly, it is one process with a local kvstore, which reads the whole of every batch: the workers above end
with the same weights as this one. A job may mix the two languages: the workers of one job only share the kvstore.
Options as the Perl script's: --kv-store TYPE (local), --data DIR, --epochs N (2), --batch-size N (64, the whole
batch), --save PREFIX (each worker saves its parameters to PREFIX-RANK.params).
"""
import argparse
import pathlib
import subprocess
import sys
import tempfile

from bridge import autograd, gluon, mx

nn = gluon.nn

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("--kv-store", default="local")
parser.add_argument("--data")
parser.add_argument("--epochs", type=int, default=2)
parser.add_argument("--batch-size", type=int, default=64)
parser.add_argument("--save")
opt = parser.parse_args()

# The kvstore first: a worker's rank and the number of workers decide its part of the data.
kv = mx.kv.create(opt.kv_store)
rank, workers = kv.rank, kv.num_workers
if opt.batch_size % workers:
    sys.exit(f"--batch-size {opt.batch_size} is not a multiple of the {workers} workers")
batch_size = opt.batch_size // workers

root = opt.data
if root is None:
    tmp = tempfile.TemporaryDirectory()
    root = tmp.name
    script = pathlib.Path(__file__).resolve().parent.parent / "scripts" / "make_idx_data.py"
    subprocess.run([sys.executable, str(script), "--quiet", "--train", "640", root], check=True)

mx.random.seed(42)  # the same first weights in every worker (rank 0's are the ones the servers keep)


# This worker's part of every batch of the training set: images as 784 floats in [0, 1].
def transform(data, label):
    return data.reshape(-1).astype('float32') / 255, label


train_set = gluon.data.vision.MNIST(root=root, train=True, transform=transform)
sampler = gluon.data.SplitSampler(len(train_set), num_parts=workers, part_index=rank, batch_size=batch_size)
train_data = gluon.data.DataLoader(train_set, batch_size=batch_size, sampler=sampler)

net = nn.Sequential()
with net.name_scope():
    net.add(nn.Dense(64, activation='relu'), nn.Dense(10))
net.initialize(init=mx.init.Xavier())
trainer = gluon.Trainer(net.collect_params(), 'sgd', {'learning_rate': 0.1}, kvstore=kv)
softmax_cross_entropy = gluon.loss.SoftmaxCrossEntropyLoss()

for epoch in range(1, opt.epochs + 1):
    loss_sum, samples = 0.0, 0
    accuracy = mx.metric.Accuracy()
    for data, label in train_data:
        with autograd.record():
            output = net(data)
            loss = softmax_cross_entropy(output, label)
        loss.backward()
        # the whole batch's size: the servers add up the gradients of every worker's part
        trainer.step(batch_size * workers)
        loss_sum += loss.sum().asscalar()
        samples += data.shape[0]
        accuracy.update([label], [output])
    print("worker %d/%d: epoch %d: loss %.4f, train acc %.4f"
          % (rank, workers, epoch, loss_sum / samples, accuracy.get()[1]))

if rank == 0:
    test_data = gluon.data.DataLoader(gluon.data.vision.MNIST(root=root, train=False, transform=transform),
                                      batch_size=100)
    accuracy = mx.metric.Accuracy()
    for data, label in test_data:
        accuracy.update([label], [net(data)])
    print("test acc %.4f" % accuracy.get()[1])
if opt.save is not None:
    net.save_parameters(f"{opt.save}-{rank}.params")
