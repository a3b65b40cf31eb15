"""AI::MXNet's metrics that Python mxnet 1.9.1 lacks or makes differently: Confidence (accuracy by confidence
buckets), Perplexity with AI::MXNet's defaults."""
import mxnet as mx
import numpy as np


def _perl_number(value):
    # a number as Perl prints it (%.15g): 3, 0.75
    return "%.15g" % value


class Confidence(mx.metric.EvalMetric):
    """AI::MXNet::Confidence: for each class c and threshold t, among the samples whose predicted probability of c
    is above t, the fraction whose label is c. get gives one name "P(v=c|Conf>t)=(hits/count)" and one value per
    (class, threshold), classes first. (AI::MXNet kept the counts in PDLs, here numpy arrays of shape (classes,
    thresholds); it added each batch with a broadcast assignment that kept one sample's count, here the sum.)"""
    perl_class = "AI::MXNet::Confidence"

    def __init__(self, num_classes, confidence_thresholds, name="confidence", output_names=None, label_names=None):
        self.num_classes = int(num_classes)
        self.confidence_thresholds = [float(t) for t in confidence_thresholds]
        super().__init__(name, output_names=output_names, label_names=label_names, num_classes=num_classes,
                         confidence_thresholds=list(confidence_thresholds))

    def reset(self):
        shape = (self.num_classes, len(self.confidence_thresholds))
        self.sum_metric = np.zeros(shape)
        self.num_inst = np.zeros(shape)

    def update(self, labels, preds):
        thresholds = np.array(self.confidence_thresholds)
        for label, pred in zip(labels, preds):
            label = label.asnumpy().reshape(-1).astype(np.int64)
            pred = pred.asnumpy().reshape(len(label), -1)
            for c in range(self.num_classes):
                above = pred[:, c:c + 1] > thresholds          # (samples, thresholds)
                self.sum_metric[c] += (above & (label == c)[:, None]).sum(axis=0)
                self.num_inst[c] += above.sum(axis=0)

    def get(self):
        names, values = [], []
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = self.sum_metric / self.num_inst
        for c in range(self.num_classes):
            for t, threshold in enumerate(self.confidence_thresholds):
                names.append("P(v=%d|Conf>%s)=(%s/%s)" % (c, _perl_number(threshold),
                                                          _perl_number(self.sum_metric[c, t]),
                                                          _perl_number(self.num_inst[c, t])))
                values.append(float(ratio[c, t]))
        return names, values


mx.metric.register(Confidence)


class Perplexity(mx.metric.Perplexity):
    """AI::MXNet::Perplexity: mxnet's, with AI::MXNet's defaults: ignore_label may be left out (undef: no label is
    ignored; mxnet requires it) and the name is 'Perplexity', which Speedometer and fit's logs print."""
    perl_class = "AI::MXNet::Perplexity"

    def __init__(self, ignore_label=None, axis=-1, name="Perplexity", output_names=None, label_names=None):
        super().__init__(ignore_label, axis=axis, name=name, output_names=output_names, label_names=label_names)


FUNCTIONS = {"Confidence": Confidence, "Perplexity": Perplexity}
