"""Python twin of autograd_function.pl: softplus as mx.autograd.Function (mxnet's own class, taking and giving
the bridge's arrays) with its backward given by hand, and the gradient mxnet's chain rule finds for it."""
from bridge import mx, nd


class Softplus(mx.autograd.Function):
    def forward(self, x):
        self.save_for_backward(x)
        return nd.log(1 + nd.exp(x))

    def backward(self, dy):
        x, = self.saved_tensors
        return dy / (1 + nd.exp(-x))


x = nd.array([[-2, -1, 0], [1, 2, 3]])
x.attach_grad()

with mx.autograd.record():
    y = Softplus()(x)
y.backward()
print(y.aspdl(), x.grad.aspdl(), sep="", end="")

with mx.autograd.record():
    z = nd.log(1 + nd.exp(x))
z.backward()
print(x.grad.aspdl(), end="")
