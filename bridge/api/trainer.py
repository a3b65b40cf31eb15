"""gluon->Trainer as AI::MXNet's Trainer ran on this same libmxnet: Python mxnet 1.9.1's, except for parameters
stored row_sparse whose gradients are dense.

For such a parameter Python mxnet 1.9.1's Trainer pushes the gradient and pulls the weight back in one pushpull,
through `list_data()`, which refuses row_sparse parameters ("Cannot return copies of Parameter 'x' on all
contexts via list_data() because its storage type is row_sparse"): a step fails. AI::MXNet's Trainer pushed the
gradient and left the weight in the store, where `row_sparse_data` pulls the rows asked for; so does this one.
"""
import mxnet as mx


class Trainer(mx.gluon.Trainer):
    """gluon->Trainer($params, $optimizer, {optimizer params}, kvstore => 'device', update_on_kvstore => ...)."""

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
