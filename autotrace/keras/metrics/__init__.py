"""`keras.metrics`: streaming metrics (Metric subclasses) and metric functions."""
from ..losses import (binary_crossentropy, categorical_crossentropy, categorical_hinge, hinge,
                      huber, kl_divergence, kld, log_cosh, logcosh, mae, mape, mean_absolute_error,
                      mean_absolute_percentage_error, mean_squared_error,
                      mean_squared_logarithmic_error, mse, msle, poisson,
                      sparse_categorical_crossentropy, squared_hinge)
from ..serialization import (deserialize_keras_object, get_object, register_builtins,
                             serialize_keras_object)
from .accuracy import (Accuracy, BinaryAccuracy, BinaryCrossentropy, CategoricalAccuracy,
                       CategoricalCrossentropy, CategoricalHinge, CosineSimilarity, Hinge,
                       KLDivergence, LogCoshError, MeanAbsoluteError,
                       MeanAbsolutePercentageError, MeanSquaredError,
                       MeanSquaredLogarithmicError, Poisson, RootMeanSquaredError,
                       SparseCategoricalAccuracy, SparseCategoricalCrossentropy,
                       SparseTopKCategoricalAccuracy, SquaredHinge, TopKCategoricalAccuracy,
                       accuracy, binary_accuracy, categorical_accuracy,
                       sparse_categorical_accuracy, sparse_top_k_categorical_accuracy,
                       top_k_categorical_accuracy)
from .base import Mean, MeanMetricWrapper, Metric, Sum
from .confusion import (AUC, FalseNegatives, FalsePositives, Precision, Recall, TrueNegatives,
                        TruePositives)

MSE, MAE, MAPE, MSLE, KLD = mse, mae, mape, msle, kld
kullback_leibler_divergence = kl_divergence

_CLASSES = {cls.__name__: cls for cls in (
    Metric, Mean, Sum, MeanMetricWrapper, Accuracy, BinaryAccuracy, CategoricalAccuracy,
    SparseCategoricalAccuracy, TopKCategoricalAccuracy, SparseTopKCategoricalAccuracy,
    MeanSquaredError, MeanAbsoluteError, MeanAbsolutePercentageError,
    MeanSquaredLogarithmicError, RootMeanSquaredError, LogCoshError, BinaryCrossentropy,
    CategoricalCrossentropy, SparseCategoricalCrossentropy, KLDivergence, Poisson, Hinge,
    SquaredHinge, CategoricalHinge, CosineSimilarity, TruePositives, FalsePositives,
    TrueNegatives, FalseNegatives, Precision, Recall, AUC)}
_FUNCTIONS = {fn.__name__: fn for fn in (
    accuracy, binary_accuracy, categorical_accuracy, sparse_categorical_accuracy,
    top_k_categorical_accuracy, sparse_top_k_categorical_accuracy, binary_crossentropy,
    categorical_crossentropy, sparse_categorical_crossentropy, categorical_hinge, hinge,
    huber, kl_divergence, log_cosh, mean_absolute_error, mean_absolute_percentage_error,
    mean_squared_error, mean_squared_logarithmic_error, poisson, squared_hinge)}
_FUNCTIONS.update(mse=mse, mae=mae, mape=mape, msle=msle, kld=kld, logcosh=logcosh,
                  kullback_leibler_divergence=kl_divergence, MSE=mse, MAE=mae, MAPE=mape,
                  MSLE=msle, KLD=kld)
register_builtins("keras.metrics", _CLASSES)

__all__ = sorted(_CLASSES) + sorted(_FUNCTIONS) + ["get", "serialize", "deserialize"]


def serialize(metric):
    return serialize_keras_object(metric)


def deserialize(config, custom_objects=None):
    return deserialize_keras_object(config, dict(_CLASSES, **_FUNCTIONS), custom_objects,
                                    "metric")


def get(identifier):
    """A metric from a name ('accuracy' gives the function; a class name an instance), a
    config or a callable."""
    return get_object(identifier, dict(_FUNCTIONS, **_CLASSES), "metric")
