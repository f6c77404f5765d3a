"""Reshaping layers: Flatten, Reshape, Permute, RepeatVector, ZeroPadding1D/2D,
Cropping1D/2D, UpSampling1D/2D.

>>> import numpy as np
>>> from autotrace import keras
>>> keras.layers.Flatten()(np.zeros((2, 3, 4), np.float32)).shape
TensorShape([2, 12])
"""
import math

from ...ops import array_ops, math_ops
from ...ops.gather_ops import gather
from ..backend import standardize_data_format
from ..engine.input_spec import InputSpec
from ..engine.layer import Layer

__all__ = ["Flatten", "Reshape", "Permute", "RepeatVector", "ZeroPadding1D", "ZeroPadding2D",
           "Cropping1D", "Cropping2D", "UpSampling1D", "UpSampling2D"]


def _known_size(dims):
    return None if any(d is None for d in dims) else math.prod(dims)


class Flatten(Layer):
    """Flatten every axis but the batch axis."""

    def __init__(self, data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.data_format = standardize_data_format(data_format)
        self.input_spec = InputSpec(min_ndim=1)
        self.built = True

    def call(self, inputs):
        rank = inputs.shape.rank
        if self.data_format == "channels_first" and rank and rank > 2:
            inputs = array_ops.transpose(inputs, [0] + list(range(2, rank)) + [1])
        size = _known_size(inputs.shape.as_list()[1:])
        if size is not None:
            return array_ops.reshape(inputs, [-1, size])
        return array_ops.reshape(inputs, [array_ops.shape(inputs)[0], -1])

    def compute_output_shape(self, input_shape):
        return (input_shape[0], _known_size(tuple(input_shape)[1:]))

    def get_config(self):
        return {**super().get_config(), "data_format": self.data_format}


class Reshape(Layer):
    """Reshape every example to `target_shape` (one entry may be -1)."""

    def __init__(self, target_shape, **kwargs):
        super().__init__(**kwargs)
        self.target_shape = tuple(target_shape)
        if self.target_shape.count(-1) > 1:
            raise ValueError("There can only be one unknown dimension (-1) in `target_shape`. "
                             "Received: target_shape=%s" % (self.target_shape,))
        self.built = True

    def compute_output_shape(self, input_shape):
        shape = list(self.target_shape)
        if -1 in shape:
            known = math.prod(d for d in shape if d != -1)
            total = _known_size(tuple(input_shape)[1:])
            shape[shape.index(-1)] = None if total is None else total // known
            if total is not None and total % known:
                raise ValueError("The total size of the tensor must be unchanged. Received: "
                                 "input_shape=%s, target_shape=%s"
                                 % (tuple(input_shape)[1:], self.target_shape))
        return (input_shape[0],) + tuple(shape)

    def call(self, inputs):
        shape = self.compute_output_shape(tuple(inputs.shape.as_list()))
        return array_ops.reshape(inputs, [-1] + [d if d is not None else -1
                                                 for d in shape[1:]])

    def get_config(self):
        return {**super().get_config(), "target_shape": self.target_shape}


class Permute(Layer):
    """Permute the non-batch axes: `dims` counts them from 1."""

    def __init__(self, dims, **kwargs):
        super().__init__(**kwargs)
        self.dims = tuple(dims)
        if sorted(self.dims) != list(range(1, len(self.dims) + 1)):
            raise ValueError("Invalid permutation argument `dims` for Permute Layer. The set "
                             "of indices in `dims` must be consecutive and start from 1. "
                             "Received dims=%s" % (self.dims,))
        self.input_spec = InputSpec(ndim=len(self.dims) + 1)
        self.built = True

    def call(self, inputs):
        return array_ops.transpose(inputs, (0,) + self.dims)

    def compute_output_shape(self, input_shape):
        return (input_shape[0],) + tuple(input_shape[d] for d in self.dims)

    def get_config(self):
        return {**super().get_config(), "dims": self.dims}


class RepeatVector(Layer):
    """(batch, features) -> (batch, n, features)."""

    def __init__(self, n, **kwargs):
        super().__init__(**kwargs)
        if not isinstance(n, int):
            raise TypeError("Expected an integer value for `n`, got %s." % type(n))
        self.n = n
        self.input_spec = InputSpec(ndim=2)
        self.built = True

    def call(self, inputs):
        return array_ops.tile(array_ops.expand_dims(inputs, 1), [1, self.n, 1])

    def compute_output_shape(self, input_shape):
        return (input_shape[0], self.n, input_shape[1])

    def get_config(self):
        return {**super().get_config(), "n": self.n}


def _pairs(value, rank, name):
    """An int, a pair per axis, or ints per axis -> ((before, after), ...) for `rank` axes."""
    if isinstance(value, int):
        return ((value, value),) * rank
    value = tuple(value)
    if len(value) != rank:
        raise ValueError("`%s` should have %d elements. Received: %s=%s"
                         % (name, rank, name, value))
    return tuple((v, v) if isinstance(v, int) else tuple(v) for v in value)


class _SpatialLayer(Layer):
    """Shared by the padding, cropping and upsampling layers over `rank` spatial axes."""

    rank = 2

    def _spatial_axes(self):
        return list(range(1, 1 + self.rank)) if self.data_format == "channels_last" \
            else list(range(2, 2 + self.rank))

    def get_config(self):
        return {**super().get_config(), "data_format": self.data_format}


class ZeroPadding2D(_SpatialLayer):
    """Pad rows and columns with zeros: an int, (rows, cols) or ((top, bottom), (left,
    right))."""

    def __init__(self, padding=(1, 1), data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.data_format = standardize_data_format(data_format)
        self.padding = _pairs(padding, self.rank, "padding")
        self.input_spec = InputSpec(ndim=self.rank + 2)
        self.built = True

    def call(self, inputs):
        paddings = [[0, 0]] * (self.rank + 2)
        for axis, pair in zip(self._spatial_axes(), self.padding):
            paddings[axis] = list(pair)
        return array_ops.pad(inputs, paddings)

    def compute_output_shape(self, input_shape):
        shape = list(input_shape)
        for axis, (before, after) in zip(self._spatial_axes(), self.padding):
            shape[axis] = None if shape[axis] is None else shape[axis] + before + after
        return tuple(shape)

    def get_config(self):
        return {**super().get_config(), "padding": self.padding}


class ZeroPadding1D(ZeroPadding2D):
    """Pad the steps of (batch, steps, features) with zeros."""

    rank = 1

    def __init__(self, padding=1, data_format=None, **kwargs):
        pair = (padding, padding) if isinstance(padding, int) else tuple(padding)
        super().__init__((pair,), data_format, **kwargs)

    def get_config(self):
        config = super().get_config()
        config["padding"] = self.padding[0]
        return config


class Cropping2D(_SpatialLayer):
    """Remove rows and columns at the edges: ((top, bottom), (left, right))."""

    def __init__(self, cropping=((0, 0), (0, 0)), data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.data_format = standardize_data_format(data_format)
        self.cropping = _pairs(cropping, self.rank, "cropping")
        self.input_spec = InputSpec(ndim=self.rank + 2)
        self.built = True

    def call(self, inputs):
        index = [slice(None)] * (self.rank + 2)
        for axis, (before, after) in zip(self._spatial_axes(), self.cropping):
            index[axis] = slice(before, -after if after else None)
        return inputs[tuple(index)]

    def compute_output_shape(self, input_shape):
        shape = list(input_shape)
        for axis, (before, after) in zip(self._spatial_axes(), self.cropping):
            shape[axis] = None if shape[axis] is None else shape[axis] - before - after
        return tuple(shape)

    def get_config(self):
        return {**super().get_config(), "cropping": self.cropping}


class Cropping1D(Cropping2D):
    rank = 1

    def __init__(self, cropping=(1, 1), **kwargs):
        super().__init__((tuple(cropping),), "channels_last", **kwargs)

    def get_config(self):
        config = super().get_config()
        config.pop("data_format")
        config["cropping"] = self.cropping[0]
        return config


class UpSampling2D(_SpatialLayer):
    """Repeat rows and columns `size` times (nearest-neighbour upsampling)."""

    def __init__(self, size=(2, 2), data_format=None, interpolation="nearest", **kwargs):
        super().__init__(**kwargs)
        self.data_format = standardize_data_format(data_format)
        self.size = (size,) * self.rank if isinstance(size, int) else tuple(size)
        if interpolation != "nearest":
            raise NotImplementedError("UpSampling2D: only interpolation='nearest' is "
                                      "implemented, got %r" % (interpolation,))
        self.interpolation = interpolation
        self.input_spec = InputSpec(ndim=self.rank + 2)
        self.built = True

    def call(self, inputs):
        for axis, factor in zip(self._spatial_axes(), self.size):
            n = inputs.shape[axis]
            n = array_ops.shape(inputs)[axis] if n is None else n
            rows = math_ops.floordiv(array_ops.range(n * factor), factor)
            inputs = gather(inputs, rows, axis=axis)
        return inputs

    def compute_output_shape(self, input_shape):
        shape = list(input_shape)
        for axis, factor in zip(self._spatial_axes(), self.size):
            shape[axis] = None if shape[axis] is None else shape[axis] * factor
        return tuple(shape)

    def get_config(self):
        return {**super().get_config(), "size": self.size,
                "interpolation": self.interpolation}


class UpSampling1D(UpSampling2D):
    rank = 1

    def __init__(self, size=2, **kwargs):
        super().__init__(size, "channels_last", **kwargs)

    def get_config(self):
        config = super().get_config()
        for key in ("data_format", "interpolation"):
            config.pop(key)
        config["size"] = self.size[0]
        return config
