"""Python twin of autograd_control_flow.pl: same seed, same names, same printed lines."""
from bridge import mx, nd, mnorm, sclr

mx.random.seed(0)


def ff(aa):
    bb = aa * 2

    while pdlmnorm(bb) < 1000:
        bb = bb * 2

    if bb.sum() >= 0:
        cc = bb.slice('0')
    else:
        cc = bb.slice('1')
    return nd.array(cc)


def pdlmnorm(invec):
    return sclr(mnorm(invec.aspdl()))


aa = nd.random.uniform(shape=2)

aa.attach_grad()

cc = mx.autograd.record(lambda: ff(aa))

cc.backward()

print(aa.grad.aspdl())

alt = cc / aa

print(alt.aspdl())
