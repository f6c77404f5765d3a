"""`keras.losses`: loss functions (per-example values) and Loss classes (weighted, reduced).

A loss function maps (y_true, y_pred) to one value per example (the mean over the last
axis); a Loss object calls it, applies `sample_weight` and the output mask, and reduces:
'sum_over_batch_size' (the default: sum / number of values), 'sum', 'mean_with_sample_weight'
(sum / sum of weights) or None/'none' (no reduction).

>>> import numpy as np
>>> from autotrace import keras
>>> y_true = np.array([[0.0, 1.0], [1.0, 0.0]], np.float32)
>>> y_pred = np.array([[0.6, 0.4], [0.4, 0.6]], np.float32)
>>> keras.losses.mean_squared_error(y_true, y_pred).numpy()
array([0.36, 0.36], dtype=float32)
>>> float(keras.losses.MeanSquaredError(reduction="sum")(y_true, y_pred))
0.72
"""
import math

from ..ops import array_ops, math_ops, nn_ops
from ..ops.constant_op import convert_to_tensor
from ..ops.nn_loss_ops import l2_normalize
from ..core.tensor import Tensor
from . import backend
from .serialization import (deserialize_keras_object, get_registered_object,
                            register_builtins, serialize_keras_object)

__all__ = [
    "Loss", "LossFunctionWrapper", "Reduction", "MeanSquaredError", "MeanAbsoluteError",
    "MeanAbsolutePercentageError", "MeanSquaredLogarithmicError", "Huber", "LogCosh",
    "BinaryCrossentropy", "CategoricalCrossentropy", "SparseCategoricalCrossentropy",
    "KLDivergence", "Poisson", "Hinge", "SquaredHinge", "CategoricalHinge", "CosineSimilarity",
    "mean_squared_error", "mean_absolute_error", "mean_absolute_percentage_error",
    "mean_squared_logarithmic_error", "huber", "log_cosh", "logcosh", "binary_crossentropy",
    "categorical_crossentropy", "sparse_categorical_crossentropy", "kl_divergence",
    "kullback_leibler_divergence", "kld", "KLD", "poisson", "hinge", "squared_hinge",
    "categorical_hinge", "cosine_similarity", "mse", "MSE", "mae", "MAE", "mape", "MAPE",
    "msle", "MSLE", "get", "serialize", "deserialize",
]

REDUCTIONS = ("sum", "sum_over_batch_size", "mean", "mean_with_sample_weight", "none", None)


def as_tensor(x, dtype=None):
    """`x` as a tensor of `dtype`, casting a tensor of another dtype (as Keras's ops do)."""
    if not isinstance(x, Tensor):
        if hasattr(x, "_as_tensor"):
            x = x._as_tensor()
        else:
            x = convert_to_tensor(x)
    if dtype is not None and x.dtype.name != backend.standardize_dtype(dtype):
        x = math_ops.cast(x, backend.standardize_dtype(dtype))
    return x


def _pair(y_true, y_pred):
    y_pred = as_tensor(y_pred)
    if not y_pred.dtype.is_floating:
        y_pred = math_ops.cast(y_pred, backend.floatx())
    return as_tensor(y_true, y_pred.dtype), y_pred


def _epsilon(dtype):
    return math_ops.cast(backend.epsilon(), dtype)


# -- loss functions ---------------------------------------------------------------------------

def mean_squared_error(y_true, y_pred):
    """mean((y_true - y_pred) ** 2) over the last axis."""
    y_true, y_pred = _pair(y_true, y_pred)
    return math_ops.reduce_mean(math_ops.square(y_true - y_pred), axis=-1)


def mean_absolute_error(y_true, y_pred):
    """mean(|y_true - y_pred|) over the last axis."""
    y_true, y_pred = _pair(y_true, y_pred)
    return math_ops.reduce_mean(math_ops.abs(y_true - y_pred), axis=-1)


def mean_absolute_percentage_error(y_true, y_pred):
    """100 * mean(|(y_true - y_pred) / y_true|) over the last axis."""
    y_true, y_pred = _pair(y_true, y_pred)
    diff = math_ops.abs((y_true - y_pred) / math_ops.maximum(math_ops.abs(y_true),
                                                             _epsilon(y_pred.dtype)))
    return 100.0 * math_ops.reduce_mean(diff, axis=-1)


def mean_squared_logarithmic_error(y_true, y_pred):
    """mean((log(y_pred + 1) - log(y_true + 1)) ** 2) over the last axis."""
    y_true, y_pred = _pair(y_true, y_pred)
    eps = _epsilon(y_pred.dtype)
    first = math_ops.log(math_ops.maximum(y_pred, eps) + 1.0)
    second = math_ops.log(math_ops.maximum(y_true, eps) + 1.0)
    return math_ops.reduce_mean(math_ops.square(first - second), axis=-1)


def huber(y_true, y_pred, delta=1.0):
    """Quadratic for errors up to `delta`, linear beyond (mean over the last axis)."""
    y_true, y_pred = _pair(y_true, y_pred)
    delta = math_ops.cast(delta, y_pred.dtype)
    error = math_ops.abs(y_pred - y_true)
    quadratic = math_ops.minimum(error, delta)
    linear = error - quadratic
    return math_ops.reduce_mean(0.5 * math_ops.square(quadratic) + delta * linear, axis=-1)


def log_cosh(y_true, y_pred):
    """mean(log(cosh(y_pred - y_true))) over the last axis (computed without overflow)."""
    y_true, y_pred = _pair(y_true, y_pred)
    x = y_pred - y_true
    return math_ops.reduce_mean(x + nn_ops.softplus(-2.0 * x) - math.log(2.0), axis=-1)


def binary_crossentropy(y_true, y_pred, from_logits=False, label_smoothing=0.0, axis=-1):
    """Mean over `axis` of -[y log(p) + (1 - y) log(1 - p)]."""
    y_true, y_pred = _pair(y_true, y_pred)
    if label_smoothing:
        y_true = y_true * (1.0 - label_smoothing) + 0.5 * label_smoothing
    if from_logits:
        values = nn_ops.sigmoid_cross_entropy_with_logits(labels=y_true, logits=y_pred)
    else:
        eps = backend.epsilon()
        p = math_ops.clip_by_value(y_pred, eps, 1.0 - eps)
        values = -(y_true * math_ops.log(p) + (1.0 - y_true) * math_ops.log(1.0 - p))
    return math_ops.reduce_mean(values, axis=axis)


def categorical_crossentropy(y_true, y_pred, from_logits=False, label_smoothing=0.0, axis=-1):
    """-sum(y_true * log(y_pred)) over `axis` (one-hot targets)."""
    y_true, y_pred = _pair(y_true, y_pred)
    if label_smoothing:
        classes = math_ops.cast(array_ops.shape(y_true)[axis], y_pred.dtype)
        y_true = y_true * (1.0 - label_smoothing) + label_smoothing / classes
    if from_logits:
        return nn_ops.softmax_cross_entropy_with_logits(labels=y_true, logits=y_pred,
                                                        axis=axis)
    y_pred = y_pred / math_ops.reduce_sum(y_pred, axis=axis, keepdims=True)
    eps = backend.epsilon()
    y_pred = math_ops.clip_by_value(y_pred, eps, 1.0 - eps)
    return -math_ops.reduce_sum(y_true * math_ops.log(y_pred), axis=axis)


def sparse_categorical_crossentropy(y_true, y_pred, from_logits=False, ignore_class=None,
                                    axis=-1):
    """-log(y_pred[y_true]) per example (integer targets)."""
    y_pred = as_tensor(y_pred)
    y_true = as_tensor(y_true)
    if y_true.shape.rank is not None and y_pred.shape.rank is not None \
            and y_true.shape.rank == y_pred.shape.rank and y_true.shape[-1] == 1:
        y_true = array_ops.squeeze(y_true, axis=-1)
    labels = y_true if y_true.dtype.name in ("int32", "int64") else \
        math_ops.cast(y_true, "int64")
    valid = None
    if ignore_class is not None:
        valid = math_ops.not_equal(labels, ignore_class)
        labels = labels * math_ops.cast(valid, labels.dtype)
    if from_logits:
        logits = y_pred
    else:
        eps = backend.epsilon()
        logits = math_ops.log(math_ops.clip_by_value(y_pred, eps, 1.0 - eps))
    values = nn_ops.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits)
    if valid is not None:
        values = values * math_ops.cast(valid, values.dtype)
    return values


def kl_divergence(y_true, y_pred):
    """sum(y_true * log(y_true / y_pred)) over the last axis."""
    y_true, y_pred = _pair(y_true, y_pred)
    eps = backend.epsilon()
    y_true = math_ops.clip_by_value(y_true, eps, 1.0)
    y_pred = math_ops.clip_by_value(y_pred, eps, 1.0)
    return math_ops.reduce_sum(y_true * math_ops.log(y_true / y_pred), axis=-1)


def poisson(y_true, y_pred):
    """mean(y_pred - y_true * log(y_pred)) over the last axis."""
    y_true, y_pred = _pair(y_true, y_pred)
    return math_ops.reduce_mean(y_pred - y_true * math_ops.log(y_pred + backend.epsilon()),
                                axis=-1)


def _signed_labels(y_true):
    """0/1 labels become -1/1 (labels already in -1/1 stay)."""
    is_binary = math_ops.reduce_all(math_ops.logical_or(math_ops.equal(y_true, 0.0),
                                                        math_ops.equal(y_true, 1.0)))
    return array_ops.where(is_binary, 2.0 * y_true - 1.0, y_true)


def hinge(y_true, y_pred):
    """mean(max(1 - y_true * y_pred, 0)) over the last axis (labels -1/1 or 0/1)."""
    y_true, y_pred = _pair(y_true, y_pred)
    y_true = _signed_labels(y_true)
    return math_ops.reduce_mean(math_ops.maximum(1.0 - y_true * y_pred, 0.0), axis=-1)


def squared_hinge(y_true, y_pred):
    """mean(max(1 - y_true * y_pred, 0) ** 2) over the last axis."""
    y_true, y_pred = _pair(y_true, y_pred)
    y_true = _signed_labels(y_true)
    return math_ops.reduce_mean(math_ops.square(math_ops.maximum(1.0 - y_true * y_pred, 0.0)),
                                axis=-1)


def categorical_hinge(y_true, y_pred):
    """max(max((1 - y_true) * y_pred) - sum(y_true * y_pred) + 1, 0)."""
    y_true, y_pred = _pair(y_true, y_pred)
    positive = math_ops.reduce_sum(y_true * y_pred, axis=-1)
    negative = math_ops.reduce_max((1.0 - y_true) * y_pred, axis=-1)
    return math_ops.maximum(negative - positive + 1.0, 0.0)


def cosine_similarity(y_true, y_pred, axis=-1):
    """-cos(y_true, y_pred) along `axis` (so minimizing aligns them)."""
    y_true, y_pred = _pair(y_true, y_pred)
    y_true = l2_normalize(y_true, axis=axis)
    y_pred = l2_normalize(y_pred, axis=axis)
    return -math_ops.reduce_sum(y_true * y_pred, axis=axis)


mse = MSE = mean_squared_error
mae = MAE = mean_absolute_error
mape = MAPE = mean_absolute_percentage_error
msle = MSLE = mean_squared_logarithmic_error
kld = KLD = kullback_leibler_divergence = kl_divergence
logcosh = log_cosh


# -- reduction ---------------------------------------------------------------------------------

def _check_reduction(reduction):
    if reduction not in REDUCTIONS:
        raise ValueError("Invalid value for argument `reduction`. Expected one of {'mean', "
                         "'mean_with_sample_weight', 'none', 'sum_over_batch_size', 'sum', "
                         "None}. Received: reduction=%s" % (reduction,))
    return reduction


def same_rank(values, weights):
    """Squeeze or expand a trailing axis of size 1 so `weights` has the rank of `values`."""
    rank_v, rank_w = values.shape.rank, weights.shape.rank
    if rank_v is None or rank_w is None or rank_v == rank_w:
        return weights
    if rank_w == rank_v + 1 and weights.shape[-1] == 1:
        return array_ops.squeeze(weights, axis=-1)
    while rank_w < rank_v:
        weights = array_ops.expand_dims(weights, -1)
        rank_w += 1
    return weights


def reduce_weighted_values(values, sample_weight=None, mask=None,
                           reduction="sum_over_batch_size", dtype=None):
    """Apply weights (and a mask) to per-example values, then reduce them."""
    values = as_tensor(values, dtype)
    if mask is not None:
        mask = same_rank(values, math_ops.cast(mask, values.dtype))
        if reduction in ("sum_over_batch_size", "mean"):
            # Masked entries do not count in the denominator either.
            valid = math_ops.reduce_sum(mask)
            mask = mask * math_ops.cast(array_ops.size(mask), values.dtype) / \
                math_ops.maximum(valid, 1.0)
        sample_weight = mask if sample_weight is None else \
            mask * same_rank(values, as_tensor(sample_weight, values.dtype))
    weights = None
    if sample_weight is not None:
        weights = same_rank(values, as_tensor(sample_weight, values.dtype))
        values = values * weights
    if reduction in (None, "none"):
        return values
    total = math_ops.reduce_sum(values)
    if reduction == "sum":
        return total
    if reduction == "mean_with_sample_weight" and weights is not None:
        divisor = math_ops.reduce_sum(weights * array_ops.ones_like(values))
    else:
        divisor = math_ops.cast(array_ops.size(values), values.dtype)
    return math_ops.div_no_nan(total, divisor)


# -- Loss classes ------------------------------------------------------------------------------

class Loss:
    """Base class: implement `call(y_true, y_pred)` returning per-example losses; calling the
    object weights and reduces them.

        class HuberLoss(keras.losses.Loss):
            def __init__(self, threshold=1.0, **kwargs):
                super().__init__(**kwargs)
                self.threshold = threshold
            def call(self, y_true, y_pred):
                ...
            def get_config(self):
                return {**super().get_config(), "threshold": self.threshold}
    """

    _keras_module = "keras.losses"

    def __init__(self, name=None, reduction="sum_over_batch_size", dtype=None):
        self.name = name or backend.to_snake_case(type(self).__name__)
        self.reduction = _check_reduction(reduction)
        self._dtype = backend.standardize_dtype(dtype) if dtype is not None else None

    @property
    def dtype(self):
        return self._dtype or backend.floatx()

    def __call__(self, y_true, y_pred, sample_weight=None):
        mask = getattr(y_pred, "_keras_mask", None)
        y_pred = as_tensor(y_pred, self.dtype)
        y_true = as_tensor(y_true, self.dtype)
        losses = self.call(y_true, y_pred)
        mask = getattr(losses, "_keras_mask", mask)
        return reduce_weighted_values(losses, sample_weight, mask, self.reduction, self.dtype)

    def call(self, y_true, y_pred):
        raise NotImplementedError("%s must implement call(y_true, y_pred)"
                                  % type(self).__name__)

    def get_config(self):
        return {"name": self.name, "reduction": self.reduction}

    @classmethod
    def from_config(cls, config):
        return cls(**config)


Reduction = type("Reduction", (), {
    "AUTO": "auto", "NONE": "none", "SUM": "sum", "SUM_OVER_BATCH_SIZE": "sum_over_batch_size",
    "all": classmethod(lambda cls: ("auto", "none", "sum", "sum_over_batch_size")),
    "__doc__": "The reduction names (keras.losses.Reduction.SUM == 'sum').",
    "__module__": __name__})


class LossFunctionWrapper(Loss):
    """A Loss made from a loss function and its keyword arguments."""

    def __init__(self, fn, reduction="sum_over_batch_size", name=None, dtype=None, **kwargs):
        super().__init__(name=name, reduction=reduction, dtype=dtype)
        self.fn, self._fn_kwargs = fn, kwargs

    def call(self, y_true, y_pred):
        return self.fn(y_true, y_pred, **self._fn_kwargs)

    def get_config(self):
        return {**super().get_config(), **self._fn_kwargs}

    def __repr__(self):
        return "<LossFunctionWrapper(%s, kwargs=%s)>" % (self.fn.__name__, self._fn_kwargs)


def _wrapper_class(class_name, fn, default_name, doc, **defaults):
    """A LossFunctionWrapper subclass taking (and configuring) the loss function's options."""
    def __init__(self, reduction="sum_over_batch_size", name=default_name, dtype=None,
                 **kwargs):
        unknown = set(kwargs) - set(defaults)
        if unknown:
            raise TypeError("%s got unexpected keyword arguments: %s"
                            % (class_name, ", ".join(sorted(unknown))))
        LossFunctionWrapper.__init__(self, fn, reduction=reduction, name=name, dtype=dtype,
                                     **{**defaults, **kwargs})

    return type(class_name, (LossFunctionWrapper,), {"__init__": __init__, "__doc__": doc,
                                                     "__module__": __name__})


MeanSquaredError = _wrapper_class("MeanSquaredError", mean_squared_error,
                                  "mean_squared_error", mean_squared_error.__doc__)
MeanAbsoluteError = _wrapper_class("MeanAbsoluteError", mean_absolute_error,
                                   "mean_absolute_error", mean_absolute_error.__doc__)
MeanAbsolutePercentageError = _wrapper_class(
    "MeanAbsolutePercentageError", mean_absolute_percentage_error,
    "mean_absolute_percentage_error", mean_absolute_percentage_error.__doc__)
MeanSquaredLogarithmicError = _wrapper_class(
    "MeanSquaredLogarithmicError", mean_squared_logarithmic_error,
    "mean_squared_logarithmic_error", mean_squared_logarithmic_error.__doc__)
LogCosh = _wrapper_class("LogCosh", log_cosh, "log_cosh", log_cosh.__doc__)
KLDivergence = _wrapper_class("KLDivergence", kl_divergence, "kl_divergence",
                              kl_divergence.__doc__)
Poisson = _wrapper_class("Poisson", poisson, "poisson", poisson.__doc__)
Hinge = _wrapper_class("Hinge", hinge, "hinge", hinge.__doc__)
SquaredHinge = _wrapper_class("SquaredHinge", squared_hinge, "squared_hinge",
                              squared_hinge.__doc__)
CategoricalHinge = _wrapper_class("CategoricalHinge", categorical_hinge, "categorical_hinge",
                                  categorical_hinge.__doc__)
BinaryCrossentropy = _wrapper_class("BinaryCrossentropy", binary_crossentropy,
                                    "binary_crossentropy", binary_crossentropy.__doc__,
                                    from_logits=False, label_smoothing=0.0, axis=-1)
CategoricalCrossentropy = _wrapper_class("CategoricalCrossentropy", categorical_crossentropy,
                                         "categorical_crossentropy",
                                         categorical_crossentropy.__doc__, from_logits=False,
                                         label_smoothing=0.0, axis=-1)
SparseCategoricalCrossentropy = _wrapper_class(
    "SparseCategoricalCrossentropy", sparse_categorical_crossentropy,
    "sparse_categorical_crossentropy", sparse_categorical_crossentropy.__doc__,
    from_logits=False, ignore_class=None)


class Huber(LossFunctionWrapper):
    """huber() with threshold `delta` (Keras 3's config leaves delta out; it is kept here
    so from_config round-trips)."""

    def __init__(self, delta=1.0, reduction="sum_over_batch_size", name="huber_loss",
                 dtype=None):
        super().__init__(huber, reduction=reduction, name=name, dtype=dtype, delta=delta)

    def get_config(self):
        return {"name": self.name, "reduction": self.reduction,
                "delta": self._fn_kwargs["delta"]}


class CosineSimilarity(LossFunctionWrapper):
    """cosine_similarity() along `axis`."""

    def __init__(self, axis=-1, reduction="sum_over_batch_size", name="cosine_similarity",
                 dtype=None):
        super().__init__(cosine_similarity, reduction=reduction, name=name, dtype=dtype,
                         axis=axis)

    def get_config(self):
        return {"name": self.name, "reduction": self.reduction}


_FUNCTIONS = {fn.__name__: fn for fn in (
    mean_squared_error, mean_absolute_error, mean_absolute_percentage_error,
    mean_squared_logarithmic_error, huber, log_cosh, binary_crossentropy,
    categorical_crossentropy, sparse_categorical_crossentropy, kl_divergence, poisson, hinge,
    squared_hinge, categorical_hinge, cosine_similarity)}
_FUNCTIONS.update(mse=mse, mae=mae, mape=mape, msle=msle, kld=kld, logcosh=log_cosh,
                  kullback_leibler_divergence=kl_divergence)
_CLASSES = {cls.__name__: cls for cls in (
    Loss, LossFunctionWrapper, MeanSquaredError, MeanAbsoluteError, MeanAbsolutePercentageError,
    MeanSquaredLogarithmicError, Huber, LogCosh, BinaryCrossentropy, CategoricalCrossentropy,
    SparseCategoricalCrossentropy, KLDivergence, Poisson, Hinge, SquaredHinge,
    CategoricalHinge, CosineSimilarity)}
register_builtins("keras.losses", _CLASSES)


def serialize(loss):
    return serialize_keras_object(loss)


def deserialize(config, custom_objects=None):
    return deserialize_keras_object(config, dict(_CLASSES, **_FUNCTIONS), custom_objects,
                                    "loss function")


def get(identifier):
    """A loss from a name (a function: 'mse'; a class name gives an instance), a config or
    a callable."""
    if identifier is None:
        return None
    if isinstance(identifier, str):
        found = _FUNCTIONS.get(identifier) or _CLASSES.get(identifier) or \
            get_registered_object(identifier)
        if found is None:
            raise ValueError("Could not interpret loss identifier: %s" % (identifier,))
        return found() if isinstance(found, type) else found
    if isinstance(identifier, dict):
        return deserialize(identifier)
    if callable(identifier):
        return identifier
    raise ValueError("Could not interpret loss identifier: %s" % (identifier,))
