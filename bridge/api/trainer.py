"""gluon->Trainer: mxnet's Trainer, whose update takes a direct path in the common case.

mxnet's Trainer hands the update to its Updater and optimizer, which for SGD aggregate the parameters into
`multi_sgd_update` / `multi_sgd_mom_update` calls (MXNET_OPTIMIZER_AGGREGATION_SIZE, 4 at a time). On a CPU
that kernel runs 2-3 times as long as one `sgd_update` per parameter (it loops over its parameters for every
element and is not vectorised), and the Python around it costs more than the kernels of a small model. Here,
for one context, no kvstore, dense float32 parameters and mxnet's own SGD or Adam (no subclass), each
parameter gets one operator call made directly (bridge/arrays/invoke.py), with the optimizer's own
bookkeeping (update counts, learning-rate schedulers, lr_mult and wd_mult, states kept in the Updater, so
save_states and load_states see them). The kernel for each case computes what mxnet's computes, in the same
floating-point operations, so the weights are the same to the bit (tests/test_trainer.py):

- SGD with momentum: `sgd_mom_update`, the formula of `multi_sgd_mom_update`.
- SGD without momentum, no weight decay: `sgd_update`, whose (1 - lr*0)*w - (lr*rescale)*g is exactly
  multi_sgd_update's w + (0 - (lr*0)*w - (lr*rescale)*g) for every finite weight (an infinite weight stays
  infinite here where mxnet's 0*inf makes it NaN).
- SGD without momentum, with weight decay: `multi_sgd_update` itself, one weight a call (sgd_update rounds
  (1 - lr*wd)*w differently; one weight a call runs in 2/3 of the time of four at once).
- Adam: `adam_update`, the kernel mxnet's Adam calls too (it does not aggregate).

Anything else (several contexts, a kvstore, sparse or float16 parameters, multi-precision, AMP, another or a
subclassed optimizer, e.g. one written in Perl) is mxnet's own Trainer code, but for one change, which makes it
the Trainer AI::MXNet's was on this same libmxnet: a parameter stored row_sparse whose gradients are dense.
For one, mxnet 1.9.1's Trainer pushes the gradient and pulls the weight back in one pushpull through
`list_data()`, which refuses row_sparse parameters ("Cannot return copies of Parameter 'x' on all contexts via
list_data() because its storage type is row_sparse"): a step fails. AI::MXNet's Trainer pushed the gradient and
left the weight in the store, where `row_sparse_data` pulls the rows asked for; so does this one.
"""
import math

import mxnet as mx
import numpy as np
from mxnet import optimizer as _opt

from ..arrays import invoke

_FLOAT32 = np.dtype("float32")


class _Kernel:
    """One optimizer operator called directly: input arrays, the output written into the first (the weight),
    and keyword values str()-ed as mxnet's generated functions pass them; the encoded keys are kept per set
    of names, the encoded values per distinct values (a constant learning rate is encoded once)."""

    def __init__(self, name):
        self.handle = invoke.Operator(name).handle
        self._keys = {}
        self._values = {}

    def __call__(self, arrays, **params):
        names = tuple(params)
        keys = self._keys.get(names)
        if keys is None:
            keys = invoke._keep(self._keys, names, invoke._strings(names), 64)
        values = tuple(params.values())
        encoded = self._values.get(values)
        if encoded is None:
            encoded = invoke._keep(self._values, values, invoke._strings([str(v) for v in values]), 256)
        invoke._call(self.handle, invoke._handles(arrays), len(names), keys, encoded, out=arrays[0])


_SGD = _Kernel("sgd_update")
_SGD_MOM = _Kernel("sgd_mom_update")
_MULTI_SGD = _Kernel("multi_sgd_update")
_ADAM = _Kernel("adam_update")


class Trainer(mx.gluon.Trainer):
    """mxnet.gluon.Trainer with the direct update and the row_sparse push described above; every other method
    is mxnet's. gluon->Trainer($params, $optimizer, {optimizer params}, kvstore => 'device', ...)."""

    perl_class = "AI::MXNet::Gluon::Trainer"

    def _allreduce_grads(self):
        # mxnet 1.9.1's loop, with one change: a row_sparse parameter is pushed alone, as one with sparse
        # gradients is, whatever its gradients' storage
        if not self._kvstore:
            return
        for i, param in enumerate(self._params):
            if param.grad_req == "null":
                continue
            grads = param.list_grad()
            if grads[0].stype != "default" or param._stype != "default":
                self._kvstore.push(i, grads, priority=-i)
                if param._stype == "default":
                    pull = param.list_data() if self._update_on_kvstore else grads
                    self._kvstore.pull(i, pull, priority=-i, ignore_sparse=self._distributed)
            elif self._update_on_kvstore:
                self._kvstore.pushpull(i, grads, out=param.list_data(), priority=-i)
            else:
                self._kvstore.pushpull(i, grads, priority=-i)

    def _update(self, ignore_stale_grad=False):
        work = self._direct_work(ignore_stale_grad)
        if work is None:
            return super()._update(ignore_stale_grad)
        updater, indices, weights, grads = work
        for weight in weights:
            weight._fresh_grad = False
        if not indices:
            return None
        optimizer = self._optimizer
        optimizer._set_current_context(weights[0].context.device_id)
        states = updater.states
        for i, index in enumerate(indices):  # as mxnet's Updater makes and moves the states
            if index not in states:
                states[index] = optimizer.create_state_multi_precision(index, weights[i])
                updater.states_synced[index] = True
            elif not updater.states_synced[index]:
                states[index] = updater.sync_state_context(states[index], weights[i].context)
                updater.states_synced[index] = True
        if type(optimizer) is _opt.Adam:
            for index, weight, grad in zip(indices, weights, grads):
                self._adam(optimizer, index, weight, grad, states[index])
            return None
        # SGD: the chunks mxnet's Updater makes (one dtype here), each counted and scheduled as one update
        size = optimizer.aggregate_num if updater.aggregate_updates else 1
        for start in range(0, len(indices), size):
            chunk = list(indices[start:start + size])
            optimizer._update_count(chunk)
            lrs, wds = optimizer._get_lrs(chunk), optimizer._get_wds(chunk)
            for k, index in enumerate(chunk):
                self._sgd(optimizer, weights[start + k], grads[start + k], states[index], lrs[k], wds[k])
        return None

    def _direct_work(self, ignore_stale_grad):
        """(updater, indices, weights, grads) of the parameters to update when the direct path applies, else
        None (also when a stale gradient must raise mxnet's own error)."""
        optimizer = self._optimizer
        kind = type(optimizer)
        if kind is _opt.SGD:
            if optimizer.momentum < 0 or self._updaters and self._updaters[0].aggregate_updates \
                    and optimizer.aggregate_num <= 0:
                return None
        elif kind is not _opt.Adam or optimizer.aggregate_num:
            return None
        if (self._kvstore is not None or len(self._updaters) != 1 or getattr(self, "_amp_loss_scaler", None)
                is not None or type(self._updaters[0]) is not _opt.Updater):
            return None
        indices, weights, grads = [], [], []
        for i, param in enumerate(self._params):
            if param.grad_req == "null":
                continue
            data, grad = param._data, param._grad
            if (data is None or grad is None or len(data) != 1 or param._stype != "default"
                    or param._grad_stype != "default" or type(data[0]) is not mx.nd.NDArray
                    or type(grad[0]) is not mx.nd.NDArray or np.dtype(param.dtype) != _FLOAT32):
                return None
            if not data[0]._fresh_grad:
                if not ignore_stale_grad:
                    return None  # mxnet's _update raises its UserWarning
                continue
            indices.append(i)
            weights.append(data[0])
            grads.append(grad[0])
        return self._updaters[0], indices, weights, grads

    @staticmethod
    def _sgd(optimizer, weight, grad, state, lr, wd):
        # the keyword values mxnet's SGD._update_impl passes
        clip = {"clip_gradient": optimizer.clip_gradient} if optimizer.clip_gradient else {}
        if optimizer.momentum > 0:
            _SGD_MOM((weight, grad, state), lr=lr, wd=wd, rescale_grad=optimizer.rescale_grad,
                     momentum=optimizer.momentum, **clip)
        elif wd == 0:
            _SGD((weight, grad), lr=lr, wd=wd, rescale_grad=optimizer.rescale_grad, **clip)
        else:
            _MULTI_SGD((weight, grad), num_weights=1, lrs=(lr,), wds=(wd,), rescale_grad=optimizer.rescale_grad,
                       **clip)

    @staticmethod
    def _adam(optimizer, index, weight, grad, state):
        # mxnet's Adam.update, with the kernel called directly
        optimizer._update_count(index)
        lr, wd = optimizer._get_lr(index), optimizer._get_wd(index)
        t = optimizer._index_update_count[index]
        lr *= math.sqrt(1. - optimizer.beta2 ** t) / (1. - optimizer.beta1 ** t)
        params = {"beta1": optimizer.beta1, "beta2": optimizer.beta2, "epsilon": optimizer.epsilon,
                  "rescale_grad": optimizer.rescale_grad}
        if optimizer.clip_gradient:
            params["clip_gradient"] = optimizer.clip_gradient
        mean, var = state
        _ADAM((weight, grad, mean, var), lazy_update=optimizer.lazy_update, lr=lr, wd=wd, **params)
