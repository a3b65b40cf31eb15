"""The Python baselines of bench/run.py: plain Python mxnet (not the bridge), each case timed REPEATS times.
Prints one JSON object: case -> list of seconds per iteration. Started by bridge-launch (DMLC_ROLE set), it is a
worker of the dist_step case instead, and only rank 0 prints."""
import json
import os
import sys
import time

import mxnet as mx
import numpy as np

REPEATS = int(sys.argv[1]) if len(sys.argv) > 1 else 7


def timed(fn, iterations):
    runs = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        fn(iterations)
        runs.append((time.perf_counter() - start) / iterations)
    return runs


def loop(n):
    x = mx.nd.ones((2, 2))
    for _ in range(n):
        x = x * 1.0001 + 0.5
    x.wait_to_read()


def loop_record(n):
    x = mx.nd.ones((2, 2))
    x.attach_grad()
    with mx.autograd.record():
        y = x
        for _ in range(n):
            y = y * 1.0001 + 0.5
    y.backward()
    x.grad.wait_to_read()


def kwargs_ops(n):
    x = mx.nd.ones((4, 8))
    w = mx.nd.ones((3, 8))
    b = mx.nd.zeros((3,))
    for _ in range(n):
        s = mx.nd.sum(x, axis=1)
        f = mx.nd.FullyConnected(x, w, b, num_hidden=3)
    s.wait_to_read()
    f.wait_to_read()


BIG = mx.nd.random.uniform(shape=(1000, 1000))
BIG_NP = BIG.asnumpy()


def to_host(n):
    for _ in range(n):
        BIG.asnumpy()


def from_host(n):
    for _ in range(n):
        mx.nd.array(BIG_NP).wait_to_read()


def mlp_train_on(ctx, kv=None):
    """A Gluon MLP (784-256-10) trained with SGD on one batch of 64, per step: forward, loss, backward, step; on
    cpu(0), and on gpu(0) where mxnet sees a GPU (the mlp_train_gpu case). With a kvstore, each worker of a
    distributed job trains on its part of the batch."""
    rows = 64 // kv.num_workers if kv else 64
    mlp = mx.gluon.nn.Sequential()
    mlp.add(mx.gluon.nn.Dense(256, activation="relu"), mx.gluon.nn.Dense(10))
    mlp.initialize(init=mx.init.Xavier(), ctx=ctx)
    trainer = mx.gluon.Trainer(mlp.collect_params(), "sgd", {"learning_rate": 0.01}, **({"kvstore": kv} if kv else {}))
    loss_fn = mx.gluon.loss.SoftmaxCrossEntropyLoss()
    data, label = mx.nd.random.uniform(shape=(rows, 784), ctx=ctx), mx.nd.array([i % 10 for i in range(rows)], ctx=ctx)

    def mlp_train(n):
        for _ in range(n):
            with mx.autograd.record():
                loss = loss_fn(mlp(data), label)
            loss.backward()
            trainer.step(64)
        loss.wait_to_read()
    mlp_train.trainer = trainer
    return mlp_train


# As a worker of a distributed job (bench/run.py's dist_step: 2 workers, 1 server): the same step on a dist_sync
# kvstore, the optimizer on the server.
if os.environ.get("DMLC_ROLE"):
    KV = mx.kv.create("dist_sync")
    mx.random.seed(1)  # the same initial weights in every worker
    TRAIN = mlp_train_on(mx.cpu(0), KV)
    TRAIN(5)  # the first steps initialize the store's keys

    def barrier_and_train(n):
        KV._barrier()  # the workers start each try together
        TRAIN(n)

    runs = timed(barrier_and_train, 200)
    if KV.rank == 0:
        print(json.dumps({"dist_step": runs}))
    # Free the store now, its last operations done: left to the interpreter's exit, mxnet may shut its engine down
    # first, and then two workers can wait for each other forever (measured). The bridge does this at exit itself.
    mx.nd.waitall()
    TRAIN.trainer._kvstore = KV = None
    sys.exit()


# Record files (bench/run.py writes them): 10,000 records read through MXRecordIO, and 10,000 JPEG image
# records through ImageRecordIter (decoded by libmxnet's own threads), per record.
RECORDS = os.environ["AI_MXNET_BENCH_DATA"]


def recordio_read(n):
    reader = mx.recordio.MXRecordIO(os.path.join(RECORDS, "records.rec"), "r")
    count = 0
    while reader.read() is not None:
        count += 1
    assert count == n, count


IMAGES = mx.io.ImageRecordIter(path_imgrec=os.path.join(RECORDS, "images.rec"), data_shape=(3, 32, 32), batch_size=100)


def image_record_iter(n):
    IMAGES.reset()
    for _ in range(n // 100):
        batch = IMAGES.next()
    batch.data[0].wait_to_read()


METRIC = mx.metric.Accuracy()
PREDICTIONS = mx.nd.random.uniform(shape=(64, 10))
LABELS = mx.nd.array([i % 10 for i in range(64)])


def metric_update(n):
    for _ in range(n):
        METRIC.update([LABELS], [PREDICTIONS])


# Module fit of an MLP (784-128-10) on MNIST-format files read by MNISTIter (2000 images, batch 100), per step;
# bench/run.py writes the files into the same folder.
MNIST_ITER = mx.io.MNISTIter(image=os.path.join(RECORDS, "train-images-idx3-ubyte"),
                             label=os.path.join(RECORDS, "train-labels-idx1-ubyte"), batch_size=100, flat=1, silent=1)
MODULE_NET = mx.sym.SoftmaxOutput(
    mx.sym.FullyConnected(mx.sym.Activation(mx.sym.FullyConnected(mx.sym.Variable('data'), num_hidden=128,
                                                                   name='fc1'), act_type='relu'),
                          num_hidden=10, name='fc2'), name='softmax')


def module_fit(epochs):  # 20 steps an epoch
    mod = mx.mod.Module(MODULE_NET)
    MNIST_ITER.reset()
    mod.fit(MNIST_ITER, num_epoch=epochs, optimizer_params={'learning_rate': 0.1})
    mod.get_params()[0]['fc2_bias'].wait_to_read()


# NDArrayIter over 5000 samples of 784, batch 100: per batch
ITER = mx.io.NDArrayIter(data=mx.nd.random.uniform(shape=(5000, 784)), label=mx.nd.zeros((5000,)), batch_size=100)


def ndarray_iter(epochs):  # 50 batches an epoch
    for _ in range(epochs):
        ITER.reset()
        for batch in ITER:
            pass
    batch.data[0].wait_to_read()


# the cases to time: those named after TRIES on the command line (bench/run.py CASE ...), else all
CASES = {
    "loop": lambda: timed(loop, 5000),
    "loop_record": lambda: timed(loop_record, 5000),
    "kwargs_ops": lambda: timed(kwargs_ops, 2000),
    "to_host": lambda: timed(to_host, 50),
    "from_host": lambda: timed(from_host, 50),
    "mlp_train": lambda: timed(mlp_train_on(mx.cpu(0)), 100),
    "recordio_read": lambda: timed(recordio_read, 10000),
    "image_record_iter": lambda: timed(image_record_iter, 10000),
    "module_fit": lambda: [t / 20 for t in timed(module_fit, 3)],
    "ndarray_iter": lambda: [t / 50 for t in timed(ndarray_iter, 4)],
    "perl_metric": lambda: timed(metric_update, 500),
}
if mx.context.num_gpus():
    CASES["mlp_train_gpu"] = lambda: timed(mlp_train_on(mx.gpu(0)), 100)
results = {case: CASES[case]() for case in (sys.argv[2:] or CASES) if case in CASES}
print(json.dumps(results))
