"""Accuracy metrics (functions give one value per example; classes average them) and
regression metrics (means of loss functions, RMSE).

>>> import numpy as np
>>> from autotrace import keras
>>> keras.metrics.sparse_categorical_accuracy(np.array([1, 2]),
...     np.array([[0.1, 0.8, 0.1], [0.5, 0.3, 0.2]], np.float32)).numpy()
array([1., 0.], dtype=float32)
"""
from ...ops import array_ops, math_ops
from ...ops.gather_ops import gather
from .. import backend, losses
from ..losses import as_tensor
from .base import Mean, MeanMetricWrapper

__all__ = ["accuracy", "binary_accuracy", "categorical_accuracy", "sparse_categorical_accuracy",
           "top_k_categorical_accuracy", "sparse_top_k_categorical_accuracy", "Accuracy",
           "BinaryAccuracy", "CategoricalAccuracy", "SparseCategoricalAccuracy",
           "TopKCategoricalAccuracy", "SparseTopKCategoricalAccuracy", "MeanSquaredError",
           "MeanAbsoluteError", "MeanAbsolutePercentageError", "MeanSquaredLogarithmicError",
           "RootMeanSquaredError", "LogCoshError", "BinaryCrossentropy",
           "CategoricalCrossentropy", "SparseCategoricalCrossentropy", "KLDivergence",
           "Poisson", "Hinge", "SquaredHinge", "CategoricalHinge", "CosineSimilarity"]


def _float(x):
    return math_ops.cast(x, backend.floatx())


def accuracy(y_true, y_pred):
    """1.0 where y_pred equals y_true, else 0.0."""
    y_pred = as_tensor(y_pred)
    y_true = as_tensor(y_true, y_pred.dtype)
    return _float(math_ops.equal(y_true, y_pred))


def binary_accuracy(y_true, y_pred, threshold=0.5):
    """1.0 where (y_pred > threshold) matches y_true, averaged over the last axis."""
    y_pred = as_tensor(y_pred)
    y_true = as_tensor(y_true, y_pred.dtype)
    predicted = math_ops.cast(math_ops.greater(y_pred, threshold), y_pred.dtype)
    return math_ops.reduce_mean(_float(math_ops.equal(y_true, predicted)), axis=-1)


def categorical_accuracy(y_true, y_pred):
    """1.0 where argmax(y_pred) == argmax(y_true) (one-hot targets)."""
    y_true, y_pred = as_tensor(y_true), as_tensor(y_pred)
    return _float(math_ops.equal(math_ops.argmax(y_true, axis=-1),
                                 math_ops.argmax(y_pred, axis=-1)))


def _sparse_labels(y_true, y_pred):
    y_true = as_tensor(y_true)
    if y_true.shape.rank is not None and y_pred.shape.rank is not None \
            and y_true.shape.rank == y_pred.shape.rank and y_true.shape[-1] == 1:
        y_true = array_ops.squeeze(y_true, axis=-1)
    return y_true


def sparse_categorical_accuracy(y_true, y_pred):
    """1.0 where argmax(y_pred) equals the integer label y_true."""
    y_pred = as_tensor(y_pred)
    y_true = _sparse_labels(y_true, y_pred)
    predicted = math_ops.cast(math_ops.argmax(y_pred, axis=-1), y_true.dtype)
    return _float(math_ops.equal(y_true, predicted))


def in_top_k(targets, predictions, k):
    """True where the target class's score is among the k highest of its row (ties
    count in its favour)."""
    targets = math_ops.cast(targets, "int32")
    score = gather(predictions, targets, axis=1, batch_dims=1)
    higher = math_ops.reduce_sum(math_ops.cast(math_ops.greater(
        predictions, array_ops.expand_dims(score, -1)), "int32"), axis=-1)
    return math_ops.less(higher, k)


def top_k_categorical_accuracy(y_true, y_pred, k=5):
    """1.0 where the one-hot target is among the k highest predictions."""
    y_true, y_pred = as_tensor(y_true), as_tensor(y_pred)
    return _float(in_top_k(math_ops.argmax(y_true, axis=-1), y_pred, k))


def sparse_top_k_categorical_accuracy(y_true, y_pred, k=5):
    """1.0 where the integer target is among the k highest predictions."""
    y_pred = as_tensor(y_pred)
    return _float(in_top_k(_sparse_labels(y_true, y_pred), y_pred, k))


def _metric_class(class_name, fn, default_name, doc, **defaults):
    """A MeanMetricWrapper of `fn` with its options as constructor arguments."""
    def __init__(self, name=default_name, dtype=None, **kwargs):
        unknown = set(kwargs) - set(defaults)
        if unknown:
            raise TypeError("%s got unexpected keyword arguments: %s"
                            % (class_name, ", ".join(sorted(unknown))))
        MeanMetricWrapper.__init__(self, fn, name=name, dtype=dtype, **{**defaults, **kwargs})

    return type(class_name, (MeanMetricWrapper,), {"__init__": __init__, "__doc__": doc,
                                                   "__module__": __name__})


Accuracy = _metric_class("Accuracy", accuracy, "accuracy", accuracy.__doc__)
BinaryAccuracy = _metric_class("BinaryAccuracy", binary_accuracy, "binary_accuracy",
                               binary_accuracy.__doc__, threshold=0.5)
CategoricalAccuracy = _metric_class("CategoricalAccuracy", categorical_accuracy,
                                    "categorical_accuracy", categorical_accuracy.__doc__)
SparseCategoricalAccuracy = _metric_class("SparseCategoricalAccuracy",
                                          sparse_categorical_accuracy,
                                          "sparse_categorical_accuracy",
                                          sparse_categorical_accuracy.__doc__)
TopKCategoricalAccuracy = _metric_class("TopKCategoricalAccuracy", top_k_categorical_accuracy,
                                        "top_k_categorical_accuracy",
                                        top_k_categorical_accuracy.__doc__, k=5)
SparseTopKCategoricalAccuracy = _metric_class(
    "SparseTopKCategoricalAccuracy", sparse_top_k_categorical_accuracy,
    "sparse_top_k_categorical_accuracy", sparse_top_k_categorical_accuracy.__doc__, k=5)

MeanSquaredError = _metric_class("MeanSquaredError", losses.mean_squared_error,
                                 "mean_squared_error", "The mean of mean_squared_error.")
MeanAbsoluteError = _metric_class("MeanAbsoluteError", losses.mean_absolute_error,
                                  "mean_absolute_error", "The mean of mean_absolute_error.")
MeanAbsolutePercentageError = _metric_class(
    "MeanAbsolutePercentageError", losses.mean_absolute_percentage_error,
    "mean_absolute_percentage_error", "The mean of mean_absolute_percentage_error.")
MeanSquaredLogarithmicError = _metric_class(
    "MeanSquaredLogarithmicError", losses.mean_squared_logarithmic_error,
    "mean_squared_logarithmic_error", "The mean of mean_squared_logarithmic_error.")
LogCoshError = _metric_class("LogCoshError", losses.log_cosh, "logcosh",
                             "The mean of log_cosh.")
BinaryCrossentropy = _metric_class("BinaryCrossentropy", losses.binary_crossentropy,
                                   "binary_crossentropy", "The mean binary cross-entropy.",
                                   from_logits=False, label_smoothing=0)
CategoricalCrossentropy = _metric_class("CategoricalCrossentropy",
                                        losses.categorical_crossentropy,
                                        "categorical_crossentropy",
                                        "The mean categorical cross-entropy.",
                                        from_logits=False, label_smoothing=0, axis=-1)
SparseCategoricalCrossentropy = _metric_class(
    "SparseCategoricalCrossentropy", losses.sparse_categorical_crossentropy,
    "sparse_categorical_crossentropy", "The mean sparse categorical cross-entropy.",
    from_logits=False, ignore_class=None, axis=-1)
KLDivergence = _metric_class("KLDivergence", losses.kl_divergence, "kl_divergence",
                             "The mean KL divergence.")
Poisson = _metric_class("Poisson", losses.poisson, "poisson", "The mean Poisson loss.")
Hinge = _metric_class("Hinge", losses.hinge, "hinge", "The mean hinge loss.")
SquaredHinge = _metric_class("SquaredHinge", losses.squared_hinge, "squared_hinge",
                             "The mean squared hinge loss.")
CategoricalHinge = _metric_class("CategoricalHinge", losses.categorical_hinge,
                                 "categorical_hinge", "The mean categorical hinge loss.")


def _cosine(y_true, y_pred, axis=-1):
    return -losses.cosine_similarity(y_true, y_pred, axis=axis)


CosineSimilarity = _metric_class("CosineSimilarity", _cosine, "cosine_similarity",
                                 "The mean cosine similarity.", axis=-1)


class RootMeanSquaredError(Mean):
    """sqrt(mean((y_true - y_pred) ** 2)) over everything seen."""

    def __init__(self, name="root_mean_squared_error", dtype=None):
        super().__init__(name=name, dtype=dtype)

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_pred = as_tensor(y_pred, self._dtype)
        y_true = as_tensor(y_true, self._dtype)
        super().update_state(math_ops.square(y_true - y_pred), sample_weight)

    def result(self):
        return math_ops.sqrt(math_ops.div_no_nan(self.total, self.count))
