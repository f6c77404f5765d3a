"""Preprocessing layers: Rescaling and Normalization (with `adapt`).

>>> import numpy as np
>>> from autotrace import keras
>>> norm = keras.layers.Normalization()
>>> norm.adapt(np.array([[1.0], [3.0]], np.float32))
>>> norm(np.array([[3.0]], np.float32)).numpy()
array([[1.]], dtype=float32)
"""
import numpy as np

from ...ops import math_ops
from ...ops.array_ops import reshape
from ...ops.constant_op import convert_to_tensor
from ...core.tensor import Tensor
from .. import backend
from ..engine.layer import Layer

__all__ = ["Rescaling", "Normalization"]


class Rescaling(Layer):
    """inputs * scale + offset (e.g. scale=1/255 for pixels)."""

    def __init__(self, scale, offset=0.0, **kwargs):
        super().__init__(**kwargs)
        self.scale, self.offset = scale, offset
        self.supports_masking = True
        self.built = True

    def call(self, inputs):
        dtype = self.compute_dtype
        inputs = math_ops.cast(inputs, dtype) if inputs.dtype.name != dtype else inputs
        return inputs * math_ops.cast(self.scale, dtype) + math_ops.cast(self.offset, dtype)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "scale": self.scale, "offset": self.offset}


class Normalization(Layer):
    """(inputs - mean) / sqrt(variance), per feature along `axis`; the statistics are given
    (`mean=`, `variance=`) or learned from data with `adapt(data)`."""

    def __init__(self, axis=-1, mean=None, variance=None, invert=False, **kwargs):
        super().__init__(**kwargs)
        if axis is None:
            axis = ()
        self.axis = (axis,) if isinstance(axis, int) else tuple(axis)
        if (mean is None) != (variance is None):
            raise ValueError("When setting values directly, both `mean` and `variance` must "
                             "be set. Received: mean=%s and variance=%s" % (mean, variance))
        self.input_mean, self.input_variance, self.invert = mean, variance, invert

    def build(self, input_shape):
        ndim = len(input_shape)
        if any(a < -ndim or a >= ndim for a in self.axis):
            raise ValueError("All `axis` values must be in the range [-ndim, ndim). Received "
                             "inputs with ndim=%d, while axis=%s" % (ndim, self.axis))
        self._keep_axis = tuple(sorted(a % ndim for a in self.axis))
        for a in self._keep_axis:
            if input_shape[a] is None:
                raise ValueError("All `axis` values to be kept must have a known shape. "
                                 "Received axis=%s, inputs.shape=%s, with unknown axis at "
                                 "index %d" % (self.axis, tuple(input_shape), a))
        self._reduce_axis = tuple(a for a in range(ndim) if a not in self._keep_axis)
        self._broadcast_shape = [input_shape[a] if a in self._keep_axis else 1
                                 for a in range(ndim)]
        shape = tuple(input_shape[a] for a in self._keep_axis)
        if self.input_mean is None:
            self.adapt_mean = self.add_weight(name="mean", shape=shape, initializer="zeros",
                                              trainable=False)
            self.adapt_variance = self.add_weight(name="variance", shape=shape,
                                                  initializer="ones", trainable=False)
            self.count = self.add_weight(name="count", shape=(), dtype="int64",
                                         initializer="zeros", trainable=False)
        self.built = True

    @property
    def mean(self):
        """The mean, shaped to broadcast against the input (None before build)."""
        return self._statistic(self.input_mean, "adapt_mean")

    @property
    def variance(self):
        return self._statistic(self.input_variance, "adapt_variance")

    def _statistic(self, given, weight_name):
        if not self.built:
            return None
        if given is not None:
            value = np.broadcast_to(np.asarray(given, self.compute_dtype),
                                    self._broadcast_shape)
            return convert_to_tensor(np.ascontiguousarray(value))
        return reshape(getattr(self, weight_name), self._broadcast_shape)

    def adapt(self, data, batch_size=None, steps=None):
        """Learn the mean and variance of `data` (an array, a tensor, or an iterable of
        batches such as a Dataset)."""
        if self.input_mean is not None:
            raise ValueError("Cannot `adapt` a Normalization layer that is initialized with "
                             "static `mean` and `variance`, you passed mean %s and variance "
                             "%s." % (self.input_mean, self.input_variance))
        batches = [data] if isinstance(data, (np.ndarray, Tensor)) else \
            (b[0] if isinstance(b, tuple) else b for b in data)
        count, mean, m2 = 0, None, None
        for i, batch in enumerate(batches):
            if steps is not None and i >= steps:
                break
            batch = np.asarray(batch, dtype=np.float64)
            if batch.ndim == 1:
                batch = batch[:, None]
            if not self.built:
                self.build((None,) + batch.shape[1:])
            n = int(np.prod([batch.shape[a] for a in self._reduce_axis]))
            batch_mean = batch.mean(axis=self._reduce_axis)
            batch_m2 = ((batch - batch.mean(axis=self._reduce_axis, keepdims=True)) ** 2).sum(
                axis=self._reduce_axis)
            if mean is None:
                count, mean, m2 = n, batch_mean, batch_m2
            else:  # combine running (count, mean, M2) with the batch's (Chan et al.)
                delta = batch_mean - mean
                total = count + n
                mean = mean + delta * n / total
                m2 = m2 + batch_m2 + delta ** 2 * count * n / total
                count = total
        if mean is None:
            raise ValueError("adapt: no data")
        self.adapt_mean.assign(mean.astype(self.adapt_mean.dtype.name))
        self.adapt_variance.assign((m2 / count).astype(self.adapt_variance.dtype.name))
        self.count.assign(count)

    def call(self, inputs):
        if not self.built:
            raise ValueError("You must call `.build(input_shape)` on the layer before using "
                             "it.")
        inputs = math_ops.cast(inputs, self.compute_dtype) \
            if inputs.dtype.name != self.compute_dtype else inputs
        mean = math_ops.cast(self.mean, inputs.dtype)
        std = math_ops.maximum(math_ops.sqrt(math_ops.cast(self.variance, inputs.dtype)),
                               backend.epsilon())
        if self.invert:
            return mean + inputs * std
        return (inputs - mean) / std

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "axis": self.axis, "invert": self.invert,
                "mean": _listed(self.input_mean), "variance": _listed(self.input_variance)}


def _listed(value):
    return np.asarray(value).tolist() if value is not None else None
