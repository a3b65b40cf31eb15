"""AI::MXNet's optimizers where they differ from Python mxnet 1.9.1's of the same name.

NAG: AI::MXNet kept its momentum unscaled by the learning rate (mom = momentum * mom + grad + wd * weight,
then weight -= lr * (grad + wd * weight + momentum * mom)), and with multi_precision its state was
[float32 master copy, momentum]; mxnet 1.9.1's nag_mom_update keeps lr * mom, negated, and the pair the other
way round. The weights are the same; the state is AI::MXNet's, here for Perl and Python users alike.
"""
import numpy as np
import mxnet as mx


class NAG(mx.optimizer.NAG):
    """Nesterov accelerated SGD with AI::MXNet's momentum state (see the module docstring)."""
    perl_class = "AI::MXNet::NAG"

    def create_state_multi_precision(self, index, weight):
        if self.multi_precision and weight.dtype == np.float16:
            master = weight.astype(np.float32)
            return (master, self.create_state(index, master))
        return super().create_state_multi_precision(index, weight)

    def update(self, index, weight, grad, state):
        self._step(index, weight, grad, state)

    def update_multi_precision(self, index, weight, grad, state):
        if self.multi_precision and weight.dtype == np.float16 and isinstance(state, (tuple, list)):
            master, momentum = state
            self._step(index, master, grad.astype(np.float32), momentum)
            master.astype(weight.dtype).copyto(weight)
        else:
            self._step(index, weight, grad, state)

    def _step(self, index, weight, grad, mom):
        self._update_count(index)
        lr, wd = self._get_lr(index), self._get_wd(index)
        grad = grad * self.rescale_grad
        if self.clip_gradient is not None:
            grad = mx.nd.clip(grad, -self.clip_gradient, self.clip_gradient)
        grad = grad + wd * weight
        if mom is None:
            weight[:] = weight - lr * grad
            return
        mom[:] = self.momentum * mom + grad
        weight[:] = weight - lr * (grad + self.momentum * mom)


# mx->optimizer->create('nag') and gluon->Trainer($params, 'nag') make this NAG too.
mx.optimizer.Optimizer.opt_registry["nag"] = NAG

FUNCTIONS = {"NAG": NAG}
