"""`keras.regularizers`: penalties on weights, added to `layer.losses`.

A regularizer is any callable weight -> scalar tensor; classes also give a config.

>>> import autotrace as tf
>>> from autotrace import keras
>>> float(keras.regularizers.L2(0.5)(tf.constant([1.0, 2.0])))
2.5
"""
import numpy as np

from ..ops import math_ops
from ..ops.array_ops import eye, transpose
from ..ops.nn_loss_ops import l2_normalize
from ..ops.constant_op import convert_to_tensor
from .serialization import deserialize_keras_object, get_object, serialize_keras_object

__all__ = ["Regularizer", "L1", "L2", "L1L2", "OrthogonalRegularizer", "l1", "l2", "l1_l2",
           "orthogonal_regularizer", "get", "serialize", "deserialize"]


def _float_arg(value, name):
    if isinstance(value, bool) or not isinstance(value, (int, float, np.floating, np.integer)):
        raise ValueError("Invalid value for argument %s: expected a float. Received: %s=%s"
                         % (name, name, value))
    if not np.isfinite(value) or value < 0:
        raise ValueError("Invalid value for argument %s: expected a non-negative float. "
                         "Received: %s=%s" % (name, name, value))
    return float(value)


class Regularizer:
    """Base class: `__call__(x)` returns the penalty for weight `x`."""

    _keras_module = "keras.regularizers"

    def __call__(self, x):
        return 0.0

    def get_config(self):
        raise NotImplementedError("%s does not implement get_config()" % type(self).__name__)

    @classmethod
    def from_config(cls, config):
        return cls(**config)


class L1(Regularizer):
    """l1 * sum(|x|)."""

    def __init__(self, l1=0.01):
        # Keras keeps this factor as a float32 tensor; its config shows the float32 value.
        self.l1 = float(np.float32(_float_arg(0.01 if l1 is None else l1, "l1")))

    def __call__(self, x):
        return self.l1 * math_ops.reduce_sum(math_ops.abs(convert_to_tensor(x)))

    def get_config(self):
        return {"l1": self.l1}


class L2(Regularizer):
    """l2 * sum(x ** 2)."""

    def __init__(self, l2=0.01):
        self.l2 = _float_arg(0.01 if l2 is None else l2, "l2")

    def __call__(self, x):
        return self.l2 * math_ops.reduce_sum(math_ops.square(convert_to_tensor(x)))

    def get_config(self):
        return {"l2": self.l2}


class L1L2(Regularizer):
    """l1 * sum(|x|) + l2 * sum(x ** 2)."""

    def __init__(self, l1=0.0, l2=0.0):
        self.l1 = _float_arg(0.0 if l1 is None else l1, "l1")
        self.l2 = _float_arg(0.0 if l2 is None else l2, "l2")

    def __call__(self, x):
        x = convert_to_tensor(x)
        penalty = 0.0
        if self.l1:
            penalty = penalty + self.l1 * math_ops.reduce_sum(math_ops.abs(x))
        if self.l2:
            penalty = penalty + self.l2 * math_ops.reduce_sum(math_ops.square(x))
        return penalty

    def get_config(self):
        return {"l1": self.l1, "l2": self.l2}


class OrthogonalRegularizer(Regularizer):
    """Pushes the rows (or columns) of a 2-D weight towards orthonormality: factor times the
    mean absolute off-diagonal cosine similarity."""

    def __init__(self, factor=0.01, mode="rows"):
        self.factor = float(np.float32(_float_arg(factor, "factor")))
        if mode not in ("rows", "columns"):
            raise ValueError("Invalid value for argument `mode`. Expected one of {'rows', "
                             "'columns'}. Received: mode=%s" % (mode,))
        self.mode = mode

    def __call__(self, x):
        x = convert_to_tensor(x)
        if x.shape.rank != 2:
            raise ValueError("Inputs to OrthogonalRegularizer must have rank 2. Received: "
                             "inputs.shape=%s" % (x.shape,))
        if self.mode == "columns":
            x = transpose(x)
        x = l2_normalize(x, axis=1)
        n = x.shape[0]
        products = math_ops.matmul(x, x, transpose_b=True) * (1.0 - eye(n, dtype=x.dtype))
        return self.factor * math_ops.reduce_sum(math_ops.abs(products)) / (n * (n - 1))

    def get_config(self):
        return {"factor": self.factor, "mode": self.mode}


l1, l2, l1_l2, orthogonal_regularizer = L1, L2, L1L2, OrthogonalRegularizer

_BY_NAME = {"L1": L1, "L2": L2, "L1L2": L1L2, "OrthogonalRegularizer": OrthogonalRegularizer,
            "l1": L1, "l2": L2, "l1_l2": L1L2, "orthogonal_regularizer": OrthogonalRegularizer}


def serialize(regularizer):
    return serialize_keras_object(regularizer)


def deserialize(config, custom_objects=None):
    return deserialize_keras_object(config, _BY_NAME, custom_objects, "regularizer")


def get(identifier):
    """A regularizer from None, a name, a config, an instance or any callable."""
    return get_object(identifier, _BY_NAME, "regularizer")
