"""Confusion-matrix metrics: counts of true/false positives/negatives at thresholds, and
Precision, Recall and AUC computed from them.

A prediction counts as positive above a threshold (0.5 by default). With several
thresholds the counts (and results) are vectors, one entry per threshold.

>>> import numpy as np
>>> from autotrace import keras
>>> m = keras.metrics.Precision()
>>> m.update_state([0, 1, 1, 0, 1], [0.1, 0.8, 0.4, 0.6, 0.9])
>>> round(float(m.result()), 4)
0.6667
"""

from ...ops import array_ops, math_ops
from ...ops.constant_op import constant
from ...ops.sort_ops import top_k as _top_k
from .. import backend
from ..losses import as_tensor
from .base import Metric

__all__ = ["TruePositives", "FalsePositives", "TrueNegatives", "FalseNegatives", "Precision",
           "Recall", "AUC"]

# Which counts each kind of metric keeps: (variable name, label positive?, prediction positive?)
_COUNTS = {"true_positives": (True, True), "false_positives": (False, True),
           "true_negatives": (False, False), "false_negatives": (True, False)}


def _confusion_counts(y_true, y_pred, thresholds, kinds, sample_weight=None, top_k=None,
                      class_id=None):
    """{kind: per-threshold weighted counts} for predictions > each threshold."""
    y_pred = as_tensor(y_pred, backend.floatx())
    y_true = as_tensor(y_true, backend.floatx())
    if top_k is not None:
        values, _ = _top_k(y_pred, top_k)
        kth = values[..., -1:]
        y_pred = array_ops.where(math_ops.greater_equal(y_pred, kth), y_pred,
                                 array_ops.zeros_like(y_pred) - 1.0)
    if class_id is not None:
        y_true, y_pred = y_true[..., class_id], y_pred[..., class_id]
    labels = array_ops.reshape(math_ops.cast(y_true, "bool"), [1, -1])
    preds = array_ops.reshape(y_pred, [1, -1])
    weights = None
    if sample_weight is not None:
        weights = array_ops.reshape(as_tensor(sample_weight, backend.floatx())
                                    * array_ops.ones_like(y_pred), [1, -1])
    above = math_ops.greater(preds, array_ops.reshape(constant(thresholds,
                                                                backend.floatx()), [-1, 1]))
    counts = {}
    for kind in kinds:
        label_positive, predicted_positive = _COUNTS[kind]
        hit = math_ops.logical_and(labels if label_positive else math_ops.logical_not(labels),
                                   above if predicted_positive
                                   else math_ops.logical_not(above))
        hit = math_ops.cast(hit, backend.floatx())
        if weights is not None:
            hit = hit * weights
        counts[kind] = math_ops.reduce_sum(hit, axis=1)
    return counts


def _thresholds(thresholds, default=0.5):
    if thresholds is None:
        return [default], True
    if isinstance(thresholds, (int, float)):
        values = [float(thresholds)]
    else:
        values = [float(t) for t in thresholds]
    if any(not 0 <= t <= 1 for t in values):
        raise ValueError("Threshold values must be in [0, 1]. Received: %s" % (thresholds,))
    return values, isinstance(thresholds, (int, float))


class _ConfusionMetric(Metric):
    """Keeps the counts named in `kinds` per threshold."""

    kinds = ()

    def __init__(self, thresholds=None, top_k=None, class_id=None, name=None, dtype=None):
        super().__init__(dtype=dtype, name=name)
        self.init_thresholds = thresholds
        self.thresholds, self._single = _thresholds(thresholds)
        self.top_k, self.class_id = top_k, class_id
        for kind in self.kinds:
            setattr(self, kind, self.add_variable(shape=(len(self.thresholds),),
                                                  name=kind))

    def update_state(self, y_true, y_pred, sample_weight=None):
        counts = _confusion_counts(y_true, y_pred, self.thresholds, self.kinds, sample_weight,
                                   self.top_k, self.class_id)
        for kind, count in counts.items():
            getattr(self, kind).assign_add(math_ops.cast(count, self._dtype))

    def _scalar_or_vector(self, value):
        return value[0] if self._single else value

    def get_config(self):
        return {**super().get_config(), "thresholds": self.init_thresholds,
                "top_k": self.top_k, "class_id": self.class_id}


def _count_metric(class_name, kind):
    def __init__(self, thresholds=None, name=None, dtype=None):
        _ConfusionMetric.__init__(self, thresholds, name=name, dtype=dtype)

    def result(self):
        return self._scalar_or_vector(getattr(self, kind).read_value())

    def get_config(self):
        return {"name": self.name, "dtype": self._dtype, "thresholds": self.init_thresholds}

    return type(class_name, (_ConfusionMetric,), {
        "__init__": __init__, "result": result, "get_config": get_config, "kinds": (kind,),
        "__doc__": "The weighted number of %s." % kind.replace("_", " "),
        "__module__": __name__})


TruePositives = _count_metric("TruePositives", "true_positives")
FalsePositives = _count_metric("FalsePositives", "false_positives")
TrueNegatives = _count_metric("TrueNegatives", "true_negatives")
FalseNegatives = _count_metric("FalseNegatives", "false_negatives")


class Precision(_ConfusionMetric):
    """true_positives / (true_positives + false_positives)."""

    kinds = ("true_positives", "false_positives")

    def result(self):
        tp, fp = self.true_positives.read_value(), self.false_positives.read_value()
        return self._scalar_or_vector(math_ops.div_no_nan(tp, tp + fp))


class Recall(_ConfusionMetric):
    """true_positives / (true_positives + false_negatives)."""

    kinds = ("true_positives", "false_negatives")

    def result(self):
        tp, fn = self.true_positives.read_value(), self.false_negatives.read_value()
        return self._scalar_or_vector(math_ops.div_no_nan(tp, tp + fn))


class AUC(Metric):
    """Area under the ROC (or precision-recall) curve, from counts at `num_thresholds`
    evenly spaced thresholds (plus one just below 0 and one just above 1)."""

    def __init__(self, num_thresholds=200, curve="ROC", summation_method="interpolation",
                 name=None, dtype=None, thresholds=None, multi_label=False, num_labels=None,
                 label_weights=None, from_logits=False):
        super().__init__(dtype=dtype, name=name)
        if curve not in ("ROC", "PR"):
            raise ValueError('Invalid AUC curve value: "%s". Expected values are ["ROC", '
                             '"PR"]' % (curve,))
        if summation_method not in ("interpolation", "minoring", "majoring"):
            raise ValueError('Invalid AUC summation method value: "%s". Expected values are '
                             '["interpolation", "majoring", "minoring"]' % (summation_method,))
        if multi_label:
            raise NotImplementedError("AUC(multi_label=True) is not implemented")
        if thresholds is not None:
            self.num_thresholds = len(thresholds) + 2
            inner = sorted(float(t) for t in thresholds)
        else:
            if num_thresholds <= 1:
                raise ValueError("Argument `num_thresholds` must be an integer > 1. "
                                 "Received: num_thresholds=%s" % (num_thresholds,))
            self.num_thresholds = num_thresholds
            inner = [(i + 1) / (num_thresholds - 1) for i in range(num_thresholds - 2)]
        eps = backend.epsilon()
        self.thresholds = [0.0 - eps] + inner + [1.0 + eps]
        self._init_thresholds = thresholds
        self.curve, self.summation_method = curve, summation_method
        self.multi_label, self.num_labels, self.label_weights = multi_label, num_labels, \
            label_weights
        self._from_logits = from_logits
        for kind in _COUNTS:
            setattr(self, kind, self.add_variable(shape=(self.num_thresholds,), name=kind))

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_pred = as_tensor(y_pred, backend.floatx())
        if self._from_logits:
            y_pred = math_ops.sigmoid(y_pred)
        counts = _confusion_counts(y_true, y_pred, self.thresholds, tuple(_COUNTS),
                                   sample_weight)
        for kind, count in counts.items():
            getattr(self, kind).assign_add(math_ops.cast(count, self._dtype))

    def result(self):
        tp, fp = self.true_positives.read_value(), self.false_positives.read_value()
        tn, fn = self.true_negatives.read_value(), self.false_negatives.read_value()
        if self.curve == "PR" and self.summation_method == "interpolation":
            return _pr_auc_interpolated(tp, fp, fn, self.num_thresholds)
        recall = math_ops.div_no_nan(tp, tp + fn)
        if self.curve == "ROC":
            x, y = math_ops.div_no_nan(fp, fp + tn), recall
        else:
            x, y = recall, math_ops.div_no_nan(tp, tp + fp)
        n = self.num_thresholds
        if self.summation_method == "interpolation":
            heights = (y[:n - 1] + y[1:]) / 2.0
        elif self.summation_method == "minoring":
            heights = math_ops.minimum(y[:n - 1], y[1:])
        else:
            heights = math_ops.maximum(y[:n - 1], y[1:])
        return math_ops.reduce_sum((x[:n - 1] - x[1:]) * heights)

    def get_config(self):
        return {**super().get_config(), "num_thresholds": self.num_thresholds,
                "curve": self.curve, "summation_method": self.summation_method,
                "multi_label": self.multi_label, "num_labels": self.num_labels,
                "label_weights": self.label_weights, "from_logits": self._from_logits,
                **({"thresholds": self._init_thresholds} if self._init_thresholds else {})}


def _pr_auc_interpolated(tp, fp, fn, n):
    """The PR curve's area with precision interpolated between thresholds as
    Davis & Goadrich (2006) describe (precision varies as a ratio of linear functions)."""
    dtp = tp[:n - 1] - tp[1:]
    p = tp + fp
    dp = p[:n - 1] - p[1:]
    slope = math_ops.div_no_nan(dtp, math_ops.maximum(dp, 0.0))
    intercept = tp[1:] - slope * p[1:]
    both_positive = math_ops.logical_and(math_ops.greater(p[:n - 1], 0.0),
                                         math_ops.greater(p[1:], 0.0))
    ratio = array_ops.where(both_positive,
                            math_ops.div_no_nan(p[:n - 1], math_ops.maximum(p[1:], 0.0)),
                            array_ops.ones_like(p[1:]))
    increments = math_ops.div_no_nan(slope * (dtp + intercept * math_ops.log(ratio)),
                                     math_ops.maximum(tp[1:] + fn[1:], 0.0))
    return math_ops.reduce_sum(increments)


