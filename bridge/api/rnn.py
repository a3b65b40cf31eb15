"""AI::MXNet's mx->rnn: mxnet's symbolic RNN cells, with AI::MXNet's unroll (inputs made from input_prefix
when not given), and its BucketSentenceIter and encode_sentences."""
import contextlib
import inspect
import io
import logging

import mxnet as mx

from ..handles import objects


def _unroll(cell, length, inputs=None, begin_state=None, input_prefix="", layout="NTC", merge_outputs=None):
    """$cell->unroll($length, inputs => ..., begin_state => ..., input_prefix => 'rnn_', layout => 'NTC',
    merge_outputs => 1): without inputs, the variables ${input_prefix}t0_data, t1_data, ... (AI::MXNet's way,
    which mxnet 1.9.1 dropped).

    merge_outputs : bool
        (Perl's 1 and 0 are True and False here: mxnet tests it with `is True`.)
    """
    if inputs is None:
        inputs = [mx.sym.Variable("%st%d_data" % (input_prefix, i)) for i in range(length)]
    return cell.unroll(length, inputs, begin_state=begin_state, layout=layout, merge_outputs=merge_outputs)


objects.perl_method("unroll", (mx.rnn.BaseRNNCell,), _unroll)


def _unfuse(cell):
    """$fused->unfuse: mxnet's stack of cells, its bidirectional layers' outputs named as AI::MXNet named
    them (PREFIXbi_MODE_N, where mxnet says PREFIXbi_lN_)."""
    stack = cell.unfuse()
    layer = 0
    for child in stack._cells:
        if isinstance(child, mx.rnn.BidirectionalCell):
            child._output_prefix = "%sbi_%s_%d" % (cell._prefix, cell._mode, layer)
        if not isinstance(child, mx.rnn.DropoutCell):
            layer += 1
    return stack


objects.perl_method("unfuse", (mx.rnn.FusedRNNCell,), _unfuse)


def _with_forget_bias(cls):
    """cls made AI::MXNet's way: a forget_bias, which AI::MXNet's RNN, GRU and convolutional cells took too,
    starts the input-to-hidden bias as mxnet's LSTMBias does (unless an i2h_bias_initializer is given)."""
    def make(*args, forget_bias=None, **kwargs):
        if forget_bias is not None and kwargs.get("i2h_bias_initializer") in (None, "zeros"):
            prefix = kwargs.get("prefix", inspect.signature(cls).parameters["prefix"].default)
            params = kwargs.get("params") or mx.rnn.RNNParams(prefix)
            params.get("i2h_bias", init=mx.init.LSTMBias(forget_bias=forget_bias))
            kwargs["params"] = params
        return cls(*args, **kwargs)
    make.__name__ = make.__qualname__ = cls.__name__
    make.__doc__ = cls.__doc__
    make.__signature__ = objects.signature_with(cls, forget_bias=None)
    return make


for _cls in (mx.rnn.RNNCell, mx.rnn.GRUCell, mx.rnn.ConvRNNCell, mx.rnn.ConvLSTMCell, mx.rnn.ConvGRUCell):
    objects.perl_constructor(_cls, _with_forget_bias(_cls))



class BucketSentenceIter(mx.rnn.BucketSentenceIter):
    """mx->rnn->BucketSentenceIter($sentences, $batch_size, buckets => [10, 20, 30], invalid_label => 0): mxnet's,
    telling how many sentences it discarded as AI::MXNet did, a warning in the log (mxnet prints it).

    buckets : list of int
        The lengths of the buckets (made from the sentences when not given).
    """

    perl_class = "AI::MXNet::BucketSentenceIter"

    def __init__(self, sentences, batch_size, buckets=None, invalid_label=-1, data_name="data",
                 label_name="softmax_label", dtype="float32", layout="NT"):
        printed = io.StringIO()
        with contextlib.redirect_stdout(printed):
            super().__init__(sentences, batch_size, buckets, invalid_label, data_name, label_name, dtype, layout)
        for line in printed.getvalue().splitlines():
            logging.warning(line.replace("WARNING: ", "", 1))


objects.replace_classes(BucketSentenceIter)

FUNCTIONS = {name: objects.constructor(getattr(mx.rnn, name))
             for name in ("RNNCell", "GRUCell", "ConvRNNCell", "ConvLSTMCell", "ConvGRUCell")}
FUNCTIONS["BucketSentenceIter"] = objects.forward(BucketSentenceIter)
