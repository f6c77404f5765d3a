"""Normalization layers: LayerNormalization, BatchNormalization, UnitNormalization.

BatchNormalization keeps moving statistics as non-trainable weights. While training (and
trainable) it normalizes with the batch's statistics and moves the moving ones towards them
(moving = moving * momentum + batch * (1 - momentum)); otherwise it uses the moving ones. A
frozen layer (trainable=False) always runs in inference mode, as in TF 2.

>>> import numpy as np
>>> from autotrace import keras
>>> bn = keras.layers.BatchNormalization()
>>> _ = bn(np.array([[1.0], [3.0]], np.float32), training=True)
>>> bn.moving_mean.numpy()
array([0.02], dtype=float32)
"""
from ...ops import math_ops
from ...ops.array_ops import reshape
from ...ops.nn_loss_ops import l2_normalize, moments
from .. import constraints, initializers, regularizers
from ..engine.input_spec import InputSpec
from ..engine.layer import Layer
from ..serialization import serialize_keras_object as _serialize
from .core import training_branch

__all__ = ["LayerNormalization", "BatchNormalization", "UnitNormalization"]


def _axes(axis, rank):
    axes = [axis] if isinstance(axis, int) else list(axis)
    return sorted(a % rank for a in axes)


class _Normalization(Layer):
    """gamma/beta handling shared by LayerNormalization and BatchNormalization."""

    def _init_affine(self, center, scale, beta_initializer, gamma_initializer,
                     beta_regularizer, gamma_regularizer, beta_constraint, gamma_constraint):
        self.center, self.scale = center, scale
        self.beta_initializer = initializers.get(beta_initializer)
        self.gamma_initializer = initializers.get(gamma_initializer)
        self.beta_regularizer = regularizers.get(beta_regularizer)
        self.gamma_regularizer = regularizers.get(gamma_regularizer)
        self.beta_constraint = constraints.get(beta_constraint)
        self.gamma_constraint = constraints.get(gamma_constraint)

    def _build_affine(self, shape):
        self.gamma = self.add_weight(shape=shape, name="gamma",
                                     initializer=self.gamma_initializer,
                                     regularizer=self.gamma_regularizer,
                                     constraint=self.gamma_constraint) if self.scale else None
        self.beta = self.add_weight(shape=shape, name="beta",
                                    initializer=self.beta_initializer,
                                    regularizer=self.beta_regularizer,
                                    constraint=self.beta_constraint) if self.center else None

    def _affine_config(self):
        return {"beta_initializer": _serialize(self.beta_initializer),
                "gamma_initializer": _serialize(self.gamma_initializer),
                "beta_regularizer": _serialize(self.beta_regularizer),
                "gamma_regularizer": _serialize(self.gamma_regularizer),
                "beta_constraint": _serialize(self.beta_constraint),
                "gamma_constraint": _serialize(self.gamma_constraint)}

    def _broadcast(self, weight, rank, axes):
        """A weight of the normalized axes' shape, shaped to broadcast against the input."""
        if weight is None:
            return None
        shape = [1] * rank
        for a in axes:
            shape[a] = -1 if len(axes) == 1 else None
        if len(axes) == 1:
            return reshape(weight, shape)
        full = [1] * rank
        for a, d in zip(axes, weight.shape.as_list()):
            full[a] = d
        return reshape(weight, full)

    def compute_output_shape(self, input_shape):
        return input_shape


class LayerNormalization(_Normalization):
    """Normalize each example over `axis` (the features): (x - mean) / sqrt(var + eps),
    then scale by gamma and shift by beta."""

    def __init__(self, axis=-1, epsilon=1e-3, center=True, scale=True, rms_scaling=False,
                 beta_initializer="zeros", gamma_initializer="ones", beta_regularizer=None,
                 gamma_regularizer=None, beta_constraint=None, gamma_constraint=None,
                 **kwargs):
        super().__init__(**kwargs)
        self.axis = axis if isinstance(axis, int) else list(axis)
        self.epsilon, self.rms_scaling = epsilon, rms_scaling
        self._init_affine(center, scale, beta_initializer, gamma_initializer,
                          beta_regularizer, gamma_regularizer, beta_constraint,
                          gamma_constraint)
        self.supports_masking = True

    def build(self, input_shape):
        axes = _axes(self.axis, len(input_shape))
        shape = tuple(input_shape[a] for a in axes)
        self._build_affine(shape)
        self.built = True

    def call(self, inputs):
        rank = inputs.shape.rank
        axes = _axes(self.axis, rank)
        gamma = self._broadcast(self.gamma, rank, axes)
        beta = self._broadcast(self.beta, rank, axes)
        if self.rms_scaling:
            variance = math_ops.reduce_mean(math_ops.square(inputs), axis=axes, keepdims=True)
            outputs = inputs * math_ops.rsqrt(variance + self.epsilon)
            return outputs * gamma if gamma is not None else outputs
        mean, variance = moments(inputs, axes, keepdims=True)
        outputs = (inputs - mean) * math_ops.rsqrt(variance + self.epsilon)
        if gamma is not None:
            outputs = outputs * gamma
        if beta is not None:
            outputs = outputs + beta
        return outputs

    def get_config(self):
        return {**super().get_config(), "axis": self.axis, "epsilon": self.epsilon,
                "center": self.center, "scale": self.scale, "rms_scaling": self.rms_scaling,
                **self._affine_config()}


class BatchNormalization(_Normalization):
    """Normalize over the batch (see the module docstring for training semantics)."""

    def __init__(self, axis=-1, momentum=0.99, epsilon=1e-3, center=True, scale=True,
                 beta_initializer="zeros", gamma_initializer="ones",
                 moving_mean_initializer="zeros", moving_variance_initializer="ones",
                 beta_regularizer=None, gamma_regularizer=None, beta_constraint=None,
                 gamma_constraint=None, synchronized=False, renorm=False, renorm_clipping=None,
                 renorm_momentum=0.99, **kwargs):
        super().__init__(**kwargs)
        if renorm:
            raise NotImplementedError("BatchNormalization(renorm=True) is not implemented")
        self.axis, self.momentum, self.epsilon = int(axis), float(momentum), float(epsilon)
        self.synchronized = synchronized
        self._init_affine(center, scale, beta_initializer, gamma_initializer,
                          beta_regularizer, gamma_regularizer, beta_constraint,
                          gamma_constraint)
        self.moving_mean_initializer = initializers.get(moving_mean_initializer)
        self.moving_variance_initializer = initializers.get(moving_variance_initializer)
        self.supports_masking = True

    def build(self, input_shape):
        rank = len(input_shape)
        axis = self.axis % rank
        size = input_shape[axis]
        if size is None:
            raise ValueError("Axis %d of input tensor should have a defined dimension but the "
                             "layer received an input with shape %s."
                             % (self.axis, tuple(input_shape)))
        self._build_affine((size,))
        self.moving_mean = self.add_weight(shape=(size,), name="moving_mean",
                                           initializer=self.moving_mean_initializer,
                                           trainable=False)
        self.moving_variance = self.add_weight(shape=(size,), name="moving_variance",
                                               initializer=self.moving_variance_initializer,
                                               trainable=False)
        self.input_spec = InputSpec(ndim=rank, axes={self.axis: size})
        self.built = True

    def call(self, inputs, training=None, mask=None):
        rank = inputs.shape.rank
        axis = self.axis % rank
        reduction = [a for a in range(rank) if a != axis]
        shape = [1] * rank
        shape[axis] = -1

        def as_input(v):
            return reshape(math_ops.cast(v, inputs.dtype), shape)

        def normalize(mean, variance):
            outputs = (inputs - as_input(mean)) * math_ops.rsqrt(as_input(variance)
                                                                 + self.epsilon)
            if self.gamma is not None:
                outputs = outputs * as_input(self.gamma)
            if self.beta is not None:
                outputs = outputs + as_input(self.beta)
            return outputs

        def with_batch_statistics():
            mean, variance = _masked_moments(inputs, reduction, mask)
            self.moving_mean.assign(self.moving_mean * self.momentum
                                    + math_ops.cast(mean, self.moving_mean.dtype)
                                    * (1.0 - self.momentum))
            self.moving_variance.assign(self.moving_variance * self.momentum
                                        + math_ops.cast(variance, self.moving_variance.dtype)
                                        * (1.0 - self.momentum))
            return normalize(mean, variance)

        def with_moving_statistics():
            return normalize(self.moving_mean, self.moving_variance)

        if not self.trainable:
            return with_moving_statistics()
        return training_branch(training, with_batch_statistics, with_moving_statistics)

    def get_config(self):
        return {**super().get_config(), "axis": self.axis, "momentum": self.momentum,
                "epsilon": self.epsilon, "center": self.center, "scale": self.scale,
                "beta_initializer": _serialize(self.beta_initializer),
                "gamma_initializer": _serialize(self.gamma_initializer),
                "moving_mean_initializer": _serialize(self.moving_mean_initializer),
                "moving_variance_initializer": _serialize(self.moving_variance_initializer),
                "beta_regularizer": _serialize(self.beta_regularizer),
                "gamma_regularizer": _serialize(self.gamma_regularizer),
                "beta_constraint": _serialize(self.beta_constraint),
                "gamma_constraint": _serialize(self.gamma_constraint),
                "synchronized": self.synchronized, "renorm": False, "renorm_clipping": None,
                "renorm_momentum": 0.99}


def _masked_moments(inputs, axes, mask):
    if mask is None:
        return moments(inputs, axes)
    weights = math_ops.cast(mask, inputs.dtype)
    while weights.shape.rank < inputs.shape.rank:
        weights = weights[..., None]
    total = math_ops.reduce_sum(weights * math_ops.ones_like(inputs), axis=axes)
    mean = math_ops.reduce_sum(inputs * weights, axis=axes) / total
    shape = [1 if a in axes else -1 for a in range(inputs.shape.rank)]
    centered = inputs - reshape(mean, shape)
    variance = math_ops.reduce_sum(math_ops.square(centered) * weights, axis=axes) / total
    return mean, variance


class UnitNormalization(Layer):
    """Scale each example to unit L2 norm along `axis`."""

    def __init__(self, axis=-1, **kwargs):
        super().__init__(**kwargs)
        self.axis = axis if isinstance(axis, int) else list(axis)
        self.supports_masking = True
        self.built = True

    def call(self, inputs):
        return l2_normalize(inputs, axis=self.axis, epsilon=1e-12)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "axis": self.axis}
