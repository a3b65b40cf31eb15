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


# A Gluon MLP (784-256-10) trained with SGD on one batch of 64, per step: forward, loss, backward, step. As a
# worker of a distributed job (bench/run.py's dist_step: 2 workers, 1 server), on a dist_sync kvstore, each worker
# on its half of the batch, the optimizer on the server.
KV = mx.kv.create("dist_sync") if os.environ.get("DMLC_ROLE") else None
ROWS = 64 // KV.num_workers if KV else 64
if KV:
    mx.random.seed(1)
MLP = mx.gluon.nn.Sequential()
MLP.add(mx.gluon.nn.Dense(256, activation="relu"), mx.gluon.nn.Dense(10))
MLP.initialize(init=mx.init.Xavier())
TRAINER = mx.gluon.Trainer(MLP.collect_params(), "sgd", {"learning_rate": 0.01}, **({"kvstore": KV} if KV else {}))
LOSS = mx.gluon.loss.SoftmaxCrossEntropyLoss()
DATA, LABEL = mx.nd.random.uniform(shape=(ROWS, 784)), mx.nd.array([i % 10 for i in range(ROWS)])


def mlp_train(n):
    for _ in range(n):
        with mx.autograd.record():
            loss = LOSS(MLP(DATA), LABEL)
        loss.backward()
        TRAINER.step(64)
    loss.wait_to_read()


def barrier_and_train(n):
    KV._barrier()  # the workers start each try together
    mlp_train(n)


if KV:
    mlp_train(5)  # the first steps initialize the store's keys
    runs = timed(barrier_and_train, 200)
    if KV.rank == 0:
        print(json.dumps({"dist_step": runs}))
    # Free the store now, its last operations done: left to the interpreter's exit, mxnet may shut its engine down
    # first, and then two workers can wait for each other forever (measured). The bridge does this at exit itself.
    mx.nd.waitall()
    TRAINER._kvstore = KV = None
    sys.exit()

results = {
    "loop": timed(loop, 5000),
    "loop_record": timed(loop_record, 5000),
    "kwargs_ops": timed(kwargs_ops, 2000),
    "to_host": timed(to_host, 50),
    "from_host": timed(from_host, 50),
    "mlp_train": timed(mlp_train, 100),
}
print(json.dumps(results))
