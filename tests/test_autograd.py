"""The Python mirror of AI::MXNet::AutoGrad (grad, grad_and_loss, compute_gradient, get_symbol, Function) against
plain Python mxnet and the analytic gradients; and the Perl thread's callback service, driven from Python."""
import threading

import mxnet as mx
import numpy as np
import pytest

from bridge import NDArray, autograd, nd
from bridge.api import symbol
from bridge.perl import callbacks

X = [0.5, -1.0, 2.0]


def sigmoid(v):
    return 1 / (1 + np.exp(-np.asarray(v, dtype=np.float64)))


def test_grad_one_variable_and_second_order():
    x = nd.array(X)
    x.attach_grad()
    with autograd.record():
        y = nd.sin(x)
    dx = autograd.grad(y, x, create_graph=True)
    assert isinstance(dx, NDArray)  # AI::MXNet: one NDArray for one variable (mxnet 1.9.1 gives a list)
    np.testing.assert_allclose(dx.asnumpy(), np.cos(X), rtol=1e-6)
    dx.backward()
    np.testing.assert_allclose(x.grad.asnumpy(), -np.sin(X), rtol=1e-6)


def test_grad_matches_plain_mxnet():
    def run(module_nd, grad, x):
        x.attach_grad()
        with mx.autograd.record():
            z = x * x * 3 + module_nd.exp(x)
        return grad(z, [x], head_grads=module_nd.array([1, 2, 3]))[0].asnumpy()

    ours = run(nd, autograd.grad, nd.array(X))
    plain = run(mx.nd, mx.autograd.grad, mx.nd.array(X))
    np.testing.assert_allclose(ours, plain, rtol=1e-6)
    np.testing.assert_allclose(ours, np.array([1, 2, 3]) * (6 * np.array(X) + np.exp(X)), rtol=1e-5)


def test_backward_twice_without_retain_graph_is_mxnet_s_error():
    x = nd.array([1, 2])
    x.attach_grad()
    with autograd.record():
        y = x * x
    y.backward()
    with pytest.raises(mx.base.MXNetError, match="retain_graph=True"):
        y.backward()


def test_grad_and_loss_and_compute_gradient():
    a, b = nd.array([1, 2]), nd.array([3, 5])
    grads, out = autograd.grad_and_loss(lambda p, q: p * q * p)(a, b)
    assert out.asnumpy().tolist() == [3, 20]
    assert [g.asnumpy().tolist() for g in grads] == [[6, 20], [1, 4]]
    grads, _ = autograd.grad_and_loss(lambda p, q, k: p * q * k, 1)(a, b, 2)
    assert [g.asnumpy().tolist() for g in grads] == [[2, 4]]
    with pytest.raises(TypeError, match="should NDArray"):
        autograd.grad_and_loss(lambda p, k: p * k, [1])(a, 2)
    # the same as mxnet's own (mxnet.contrib.autograd)
    from mxnet.contrib import autograd as contrib
    plain_grads, _ = contrib.grad_and_loss(lambda p, q: p * q * p)(mx.nd.array([1, 2]), mx.nd.array([3, 5]))
    assert [g.asnumpy().tolist() for g in plain_grads] == [[6, 20], [1, 4]]

    x, dx = nd.array([1, 2, 3]), nd.zeros(3)
    autograd.mark_variables([x], [dx], grad_reqs="add")
    for _ in range(2):
        with autograd.record():
            y = x * x
        autograd.compute_gradient([y])
    assert dx.asnumpy().tolist() == [4, 8, 12]


def test_get_symbol():
    x, z = nd.ones([1]), nd.ones([1])
    x.attach_grad()
    z.attach_grad()
    with autograd.record():
        y = x * x + 2 * z - 1
    sym = autograd.get_symbol(y)
    assert isinstance(sym, mx.sym.Symbol)  # Python users get mxnet's own Symbol
    assert len(sym.list_arguments()) == 2 and len(sym.list_outputs()) == 1
    assert symbol.stringify(sym) == "<AI::MXNet::Symbol %s>" % sym.name
    group = mx.sym.Group([mx.sym.var("a"), mx.sym.var("b")])
    assert symbol.stringify(group) == "<AI::MXNet::Symbol group [a, b]>"
    assert symbol.method(sym, "name")() == sym.name
    with pytest.raises(AttributeError, match="no method bind"):
        symbol.method(sym, "bind")


class Sigmoid(autograd.Function):
    def forward(self, x):
        y = 1 / (1 + nd.exp(-x))
        self.save_for_backward(y)
        return y

    def backward(self, dy):
        y, = self.saved_tensors
        assert isinstance(y, NDArray) and isinstance(dy, NDArray)  # mirror arrays in, as in the Perl shim
        return dy * y * (1 - y)


def test_function_is_mxnet_s_with_mirror_arrays():
    assert autograd.Function.__mro__[1] is mx.autograd.Function
    x = nd.array(X)
    x.attach_grad()
    with autograd.record():
        y = Sigmoid()(x)
    assert isinstance(y, NDArray)
    y.backward()
    s = sigmoid(X)
    np.testing.assert_allclose(x.grad.asnumpy(), s * (1 - s), rtol=1e-6)
    assert isinstance(Sigmoid()(x), NDArray)  # outside record too


# -- the callback service, from Python: this test's thread plays the Perl thread ---------------------------

@pytest.fixture
def perl_thread():
    saved = callbacks.perl_thread
    callbacks.perl_thread = threading.get_ident()
    yield
    callbacks.perl_thread = saved


def _ask_from_other_threads(fn, count):
    """What mxnet's threads do: ask for fn on the Perl thread, from several threads at once."""
    results, threads = [None] * count, []
    for i in range(count):
        def ask(i=i):
            try:
                results[i] = callbacks.on_perl_thread(fn, i)
            except Exception as exc:
                results[i] = exc
        threads.append(threading.Thread(target=ask))
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def test_serve_runs_callbacks_on_the_perl_thread(perl_thread):
    me = threading.get_ident()
    seen = []

    def callback(i):
        seen.append(threading.get_ident())
        return i * 10

    def engine_call():
        assert threading.get_ident() != me  # the blocking call runs on a helper
        return _ask_from_other_threads(callback, 5)

    before = callbacks.requests_served()
    assert callbacks.serve(engine_call) == [0, 10, 20, 30, 40]
    assert seen == [me] * 5
    assert callbacks.requests_served() == before + 5
    assert callbacks.on_perl_thread(callback, 1) == 10  # on the Perl thread itself: a plain call


def test_serve_nests_and_raises_the_first_failure(perl_thread):
    def inner_callback(i):
        return callbacks.serve(lambda: _ask_from_other_threads(lambda j: j + 100, 2))

    assert callbacks.serve(lambda: _ask_from_other_threads(inner_callback, 1)) == [[100, 101]]

    class Boom(Exception):
        pass

    def failing(i):
        raise Boom(i)

    with pytest.raises(Boom):  # the original exception, raised on the Perl thread
        callbacks.serve(lambda: _ask_from_other_threads(failing, 3))
    results = []
    with pytest.raises(Boom):
        callbacks.serve(lambda: results.extend(_ask_from_other_threads(failing, 2)))
    assert all(isinstance(r, callbacks.CallbackFailed) for r in results)  # the askers get only a marker
    assert callbacks.serve(lambda: 7) == 7  # and the next serve starts clean


def test_a_callback_outside_serve_fails_at_once(perl_thread):
    [result] = _ask_from_other_threads(lambda i: i, 1)
    assert isinstance(result, callbacks.NotServing)
