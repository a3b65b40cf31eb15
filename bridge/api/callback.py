"""AI::MXNet's mx->callback: the Speedometer logging AI::MXNet's lines; mxnet's module_checkpoint,
do_checkpoint, log_train_metric, ProgressBar and LogValidationMetricsCallback as they are (their lines are
AI::MXNet's already). A callback is called as a code ref ($cb->($param)) or with ->call($param)."""
import logging
import time

import mxnet as mx

from ..handles import objects


class Speedometer(mx.callback.Speedometer):
    """mx->callback->Speedometer($batch_size, $frequent = 50, $auto_reset = 1): every `frequent` batches,
    "Epoch[E] Batch [N]\\tSpeed: S samples/sec\\tTrain-NAME=VALUE", one line per metric, as AI::MXNet logged
    (mxnet logs "Batch [N-M]" and all metrics on one line).

    auto_reset : bool
        Whether the metric is reset after each line.
    """

    perl_class = "AI::MXNet::Speedometer"

    def __call__(self, param):
        count = param.nbatch
        if self.last_count > count:
            self.init = False
        self.last_count = count
        if not self.init:
            self.init = True
            self.tic = time.time()
            return
        if count % self.frequent:
            return
        speed = self.frequent * self.batch_size / (time.time() - self.tic)
        if param.eval_metric is not None:
            name_value = param.eval_metric.get_name_value()
            if self.auto_reset:
                param.eval_metric.reset()
            for name, value in name_value:
                logging.info("Epoch[%d] Batch [%d]\tSpeed: %.2f samples/sec\tTrain-%s=%f", param.epoch, count, speed,
                             name, value)
        else:
            logging.info("Iter[%d] Batch [%d]\tSpeed: %.2f samples/sec", param.epoch, count, speed)
        self.tic = time.time()


def _call(callback, *args):
    """$callback->call(...): AI::MXNet's callbacks were objects with a call method."""
    return callback(*args)


def batch_end_param(epoch=None, nbatch=None, eval_metric=None, locals=None):  # noqa: A002 (mxnet's field name)
    """AI::MXNet::BatchEndParam->new(epoch => ..., nbatch => ..., eval_metric => ...): mxnet's BatchEndParams, whose
    fields are all required there; AI::MXNet's had three, each optional (its sparse examples make one for their
    own callbacks)."""
    return mx.model.BatchEndParam(epoch, nbatch, eval_metric, locals)


objects.replace_classes(Speedometer)
objects.perl_constructor(mx.model.BatchEndParam, batch_end_param)
objects.perl_method("call", (mx.callback.Speedometer, mx.callback.ProgressBar,
                             mx.callback.LogValidationMetricsCallback), _call)

FUNCTIONS = {"Speedometer": objects.forward(Speedometer)}
