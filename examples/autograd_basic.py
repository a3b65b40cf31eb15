"""Python twin of autograd_basic.pl: the same names through the bridge, the same printed lines."""
from bridge import mx, nd

xx = nd.array([[1, 2], [3, 4]])

print(xx.aspdl(), end="")

xx.attach_grad()

with mx.autograd.record():
    yy = 2 * xx * xx

yy.backward()

print(xx.grad.aspdl(), end="")
