"""Python twin of gpu_check.pl, through the bridge's mirror: the autograd tutorial's first steps, the crash
course's Gluon training and a Module fit on cpu(0) or gpu(0), printing the numbers scripts/gpu_check.sh compares.

    AI_MXNET_CHECK_CTX='gpu(0)' AI_MXNET_CHECK_DATA=DIR .venv/bin/python scripts/gpu_check.py
"""
import math
import os
import re
import sys

from bridge import gluon, mx, nd

nn = gluon.nn
device = re.fullmatch(r"(cpu|gpu)\((\d+)\)", os.environ.get("AI_MXNET_CHECK_CTX", "cpu(0)"))
if not device:
    sys.exit("AI_MXNET_CHECK_CTX: cpu(N) or gpu(N)")
ctx = mx.Context(device[1], int(device[2]))
root = os.environ["AI_MXNET_CHECK_DATA"]
mx.random.seed(42)

# The autograd tutorial: d(2 x^2)/dx, and the control-flow example's gradient (c = b * const, so dc/da = c/a).
x = nd.array([[1, 2], [3, 4]], ctx=ctx)
x.attach_grad()
with mx.autograd.record():
    y = 2 * x * x
y.backward()
print("tutorial grad: ", x.grad.aspdl(), sep="")
a = nd.array([0.3, -0.7], ctx=ctx)
a.attach_grad()
with mx.autograd.record():
    b = a * 2
    while b.norm().asscalar() < 1000:
        b = b * 2
    c = b if b.sum().asscalar() > 0 else 100 * b
c.backward()
print("control flow: grad ", a.grad.aspdl(), " c/a ", (c / a).aspdl(), sep="")


def transform(data, label):
    return nd.transpose(data.astype("float32") / 255, axes=(2, 0, 1)), label


train_data = gluon.data.DataLoader(gluon.data.vision.FashionMNIST(root=root, train=True, transform=transform),
                                   batch_size=50)
valid_data = gluon.data.DataLoader(gluon.data.vision.FashionMNIST(root=root, train=False, transform=transform),
                                   batch_size=50)
net = nn.Sequential()
with net.name_scope():
    net.add(nn.Conv2D(channels=6, kernel_size=5, activation="relu"), nn.MaxPool2D(pool_size=2, strides=2),
            nn.Conv2D(channels=16, kernel_size=3, activation="relu"), nn.MaxPool2D(pool_size=2, strides=2),
            nn.Flatten(), nn.Dense(120, activation="relu"), nn.Dense(84, activation="relu"), nn.Dense(10))
net.initialize(init=mx.init.Xavier(), ctx=[ctx])
loss_fn = gluon.loss.SoftmaxCrossEntropyLoss()
trainer = gluon.Trainer(net.collect_params(), "sgd", {"learning_rate": 0.1})
for epoch in (1, 2):
    train_loss, batches, train_acc, valid_acc = 0, 0, mx.metric.Accuracy(), mx.metric.Accuracy()
    for data, label in train_data:
        data, label = data.as_in_context(ctx), label.as_in_context(ctx)
        with mx.autograd.record():
            output = net(data)
            loss = loss_fn(output, label)
        loss.backward()
        trainer.step(50)
        train_loss += loss.mean().asscalar()
        batches += 1
        train_acc.update([label], [output])
    for data, label in valid_data:
        data, label = data.as_in_context(ctx), label.as_in_context(ctx)
        valid_acc.update([label], [net(data)])
    print("gluon epoch %d: loss %.6f, train acc %.4f, test acc %.4f"
          % (epoch, train_loss / batches, train_acc.get()[1], valid_acc.get()[1]))
print("gluon weights: sum of |w| %.5f" % nd.add_n(*[p.data(ctx).abs().sum().as_in_context(mx.cpu())
                                                   for p in net.collect_params().values()]).asscalar())

# A Module fit, context=[ctx]: a two-layer MLP on fixed data.
data = nd.array([[math.sin(i * 0.37 + j * 1.3) for j in range(20)] for i in range(200)])
label = nd.array([int(abs(math.sin(i * 0.37)) * 4) % 4 for i in range(200)])
mlp = mx.sym.FullyConnected(mx.sym.Variable("data"), num_hidden=32, name="fc1")
mlp = mx.sym.Activation(mlp, act_type="relu", name="relu1")
mlp = mx.sym.FullyConnected(mlp, num_hidden=4, name="fc2")
mlp = mx.sym.SoftmaxOutput(mlp, name="softmax")
mod = mx.mod.Module(symbol=mlp, context=[ctx])
it = mx.io.NDArrayIter(data=data, label=label, batch_size=20)
mod.fit(it, num_epoch=5, initializer=mx.init.Xavier(), optimizer_params={"learning_rate": 0.2})
print("module: accuracy %.4f" % dict(mod.score(it, mx.metric.Accuracy()))["accuracy"])
args, _ = mod.get_params()
for name in sorted(args):
    print("module %s: sum of |w| %.5f" % (name, args[name].abs().sum().asscalar()))
