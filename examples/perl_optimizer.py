"""Python twin of perl_optimizer.pl: the same SGD with a twist (each step's gradient clipped to a norm of at most
max_norm, the learning rate decaying as lr / sqrt(t)), written in Python as a subclass of mxnet's Optimizer,
registered by name and used by name in a Gluon Trainer through the bridge. It prints what the Perl script prints.

    .venv/bin/python examples/perl_optimizer.py
"""
import math

import mxnet

from bridge import autograd, gluon, mx, nd

nn = gluon.nn


class ClippedSGD(mxnet.optimizer.Optimizer):
    def __init__(self, max_norm=1, **kwargs):
        super().__init__(**kwargs)
        self.max_norm = max_norm

    def create_state(self, index, weight):
        return None

    def update(self, index, weight, grad, state):
        self._update_count(index)
        lr = self._get_lr(index) / math.sqrt(self._index_update_count[index])
        g = grad * self.rescale_grad
        norm = g.norm().asscalar()
        if norm > self.max_norm:
            g *= self.max_norm / norm
        weight[:] = weight - lr * (g + self._get_wd(index) * weight)


mxnet.optimizer.Optimizer.register(ClippedSGD)

mx.random.seed(7)
x = nd.random.uniform(shape=(32, 4))
y = nd.random.uniform(shape=(32, 3))
net = nn.Sequential()
net.add(nn.Dense(8, activation="tanh"), nn.Dense(3))
net.initialize(init=mx.init.Xavier())
trainer = gluon.Trainer(net.collect_params(), "clippedsgd", {"learning_rate": 0.5, "wd": 0.001})
l2 = gluon.loss.L2Loss()
for step in range(1, 51):
    with autograd.record():
        loss = l2(net(x), y)
    loss.backward()
    trainer.step(32)
    if step % 10 == 0:
        print("step %d: loss %.6f" % (step, loss.mean().asscalar()))
print("last layer's weights:", net[1].weight.data().aspdl(), sep="", end="")
