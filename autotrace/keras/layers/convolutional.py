"""Convolution and pooling layers: Conv1D, Conv2D, Conv2DTranspose, MaxPooling1D/2D,
AveragePooling1D/2D, GlobalAveragePooling1D/2D, GlobalMaxPooling1D/2D (on tf.nn's conv and
pool ops).

>>> import numpy as np
>>> from autotrace import keras
>>> keras.layers.Conv2D(4, 3, padding="same")(np.zeros((1, 8, 8, 2), np.float32)).shape
TensorShape([1, 8, 8, 4])
"""
from ...ops import array_ops, math_ops, nn_conv_ops, nn_ops
from ...ops.manip_ops import stack
from .. import activations
from ..backend import standardize_data_format
from ..engine.input_spec import InputSpec
from ..engine.layer import Layer
from .core import (add_kernel_and_bias, as_compute_dtype, kernel_options_config,
                   set_kernel_options)

__all__ = ["Conv1D", "Conv2D", "Conv2DTranspose", "MaxPooling1D", "MaxPooling2D",
           "AveragePooling1D", "AveragePooling2D", "GlobalAveragePooling1D",
           "GlobalAveragePooling2D", "GlobalMaxPooling1D", "GlobalMaxPooling2D"]


def _tuple(value, rank, name):
    if isinstance(value, int):
        return (value,) * rank
    value = tuple(int(v) for v in value)
    if len(value) != rank:
        raise ValueError("The `%s` argument must be a tuple of %d integers. Received %s=%s"
                         % (name, rank, name, value))
    return value


def _conv_length(size, kernel, stride, dilation, padding):
    if size is None:
        return None
    effective = (kernel - 1) * dilation + 1
    if padding in ("same", "causal"):
        return -(-size // stride)
    return max((size - effective) // stride + 1, 0)


class _Conv(Layer):
    """What Conv1D and Conv2D share (rank = number of spatial axes)."""

    rank = 2

    def __init__(self, filters, kernel_size, strides=1, padding="valid", data_format=None,
                 dilation_rate=1, groups=1, activation=None, use_bias=True,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros",
                 kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, bias_constraint=None, lora_rank=None,
                 lora_alpha=None, **kwargs):
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        if groups != 1 or lora_rank is not None:
            raise NotImplementedError("%s: groups > 1 and LoRA are not implemented in "
                                      "autotrace" % type(self).__name__)
        if not isinstance(filters, int) or filters <= 0:
            raise ValueError("Invalid value for argument `filters`. Expected a strictly "
                             "positive value. Received filters=%s." % (filters,))
        self.filters, self.groups = filters, groups
        self.kernel_size = _tuple(kernel_size, self.rank, "kernel_size")
        self.strides = _tuple(strides, self.rank, "strides")
        self.dilation_rate = _tuple(dilation_rate, self.rank, "dilation_rate")
        self.padding = padding.lower()
        allowed = ("valid", "same", "causal") if self.rank == 1 else ("valid", "same")
        if self.padding not in allowed:
            raise ValueError("The `padding` argument must be a list/tuple or one of %s. "
                             "Received: %s" % (allowed, padding))
        self.data_format = standardize_data_format(data_format)
        self.activation = activations.get(activation)
        set_kernel_options(self, use_bias, kernel_initializer, bias_initializer,
                           kernel_regularizer, bias_regularizer, kernel_constraint,
                           bias_constraint)
        self.input_spec = InputSpec(min_ndim=self.rank + 2)

    def _channel_axis(self):
        return -1 if self.data_format == "channels_last" else 1

    def _kernel_shape(self, in_channels):
        return self.kernel_size + (in_channels, self.filters)

    def build(self, input_shape):
        in_channels = input_shape[self._channel_axis()]
        if in_channels is None:
            raise ValueError("The channel dimension of the inputs should be defined. The input "
                             "shape received is %s, where axis %d (0-based) is the channel "
                             "dimension, which found to be `None`."
                             % (tuple(input_shape), self._channel_axis() % len(input_shape)))
        add_kernel_and_bias(self, self._kernel_shape(in_channels), self.filters)
        self.input_spec = InputSpec(min_ndim=self.rank + 2,
                                    axes={self._channel_axis(): in_channels})
        self.built = True

    def call(self, inputs):
        outputs = self._convolve(as_compute_dtype(inputs, self.compute_dtype))
        if self.bias is not None:
            outputs = nn_ops.bias_add(outputs, self.bias, data_format=self._tf_format())
        return self.activation(outputs)

    def _tf_format(self):
        return ("NWC", "NHWC")[self.rank - 1] if self.data_format == "channels_last" \
            else ("NCW", "NCHW")[self.rank - 1]

    def _spatial_axes(self):
        return range(1, 1 + self.rank) if self.data_format == "channels_last" \
            else range(2, 2 + self.rank)

    def compute_output_shape(self, input_shape):
        shape = list(input_shape)
        for i, axis in enumerate(self._spatial_axes()):
            shape[axis] = _conv_length(shape[axis], self.kernel_size[i], self.strides[i],
                                       self.dilation_rate[i], self.padding)
        shape[self._channel_axis()] = self.filters
        return tuple(shape)

    def get_config(self):
        return {**super().get_config(), "filters": self.filters,
                "kernel_size": self.kernel_size, "strides": self.strides,
                "padding": self.padding, "data_format": self.data_format,
                "dilation_rate": self.dilation_rate, "groups": self.groups,
                "activation": activations.serialize(self.activation),
                **kernel_options_config(self, activity_regularizer=True)}


class Conv2D(_Conv):
    """2-D convolution over (batch, height, width, channels) inputs (cross-correlation, as
    Keras), with a (kh, kw, in_channels, filters) kernel."""

    rank = 2

    def _convolve(self, inputs):
        return nn_conv_ops.conv2d(inputs, self.kernel, self.strides, self.padding.upper(),
                                  data_format=self._tf_format(),
                                  dilations=self.dilation_rate)


class Conv1D(_Conv):
    """1-D convolution over (batch, steps, channels) inputs; padding 'causal' pads the start
    only, so an output never sees later steps."""

    rank = 1

    def _convolve(self, inputs):
        padding = self.padding.upper()
        if self.padding == "causal":
            left = (self.kernel_size[0] - 1) * self.dilation_rate[0]
            padding = [(0, 0), (left, 0), (0, 0)] if self.data_format == "channels_last" \
                else [(0, 0), (0, 0), (left, 0)]
        return nn_conv_ops.conv1d(inputs, self.kernel, self.strides[0], padding,
                                  data_format=self._tf_format(),
                                  dilations=self.dilation_rate[0])


class Conv2DTranspose(_Conv):
    """The transpose of Conv2D (a 'deconvolution'): upsamples by the strides."""

    rank = 2

    def __init__(self, filters, kernel_size, strides=(1, 1), padding="valid",
                 output_padding=None, data_format=None, dilation_rate=(1, 1), **kwargs):
        if output_padding is not None:
            raise NotImplementedError("Conv2DTranspose(output_padding=...) is not implemented")
        super().__init__(filters, kernel_size, strides, padding, data_format, dilation_rate,
                         **kwargs)
        self.output_padding = None

    def _kernel_shape(self, in_channels):
        return self.kernel_size + (self.filters, in_channels)

    def compute_output_shape(self, input_shape):
        shape = list(input_shape)
        for i, axis in enumerate(self._spatial_axes()):
            size = shape[axis]
            if size is not None:
                effective = (self.kernel_size[i] - 1) * self.dilation_rate[i] + 1
                size = size * self.strides[i] if self.padding == "same" else \
                    size * self.strides[i] + max(effective - self.strides[i], 0)
            shape[axis] = size
        shape[self._channel_axis()] = self.filters
        return tuple(shape)

    def _convolve(self, inputs):
        shape = self.compute_output_shape(tuple(inputs.shape.as_list()))
        dynamic = array_ops.shape(inputs)
        output_shape = [dynamic[0] if shape[0] is None else shape[0]] + list(shape[1:])
        return nn_conv_ops.conv2d_transpose(inputs, self.kernel,
                                            stack(output_shape), self.strides,
                                            self.padding.upper(),
                                            data_format=self._tf_format(),
                                            dilations=self.dilation_rate)

    def get_config(self):
        config = super().get_config()
        config.pop("groups")
        return {**config, "output_padding": self.output_padding}


class _Pooling(Layer):
    rank = 2
    pool = None   # the tf.nn function

    def __init__(self, pool_size, strides=None, padding="valid", data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.pool_size = _tuple(pool_size, self.rank, "pool_size")
        self.strides = self.pool_size if strides is None else _tuple(strides, self.rank,
                                                                     "strides")
        self.padding = padding.lower()
        if self.padding not in ("valid", "same"):
            raise ValueError("The `padding` argument must be one of 'valid', 'same'. "
                             "Received: padding=%s" % (padding,))
        self.data_format = standardize_data_format(data_format)
        self.input_spec = InputSpec(ndim=self.rank + 2)
        self.built = True

    def call(self, inputs):
        formats = ("NWC", "NHWC") if self.data_format == "channels_last" else ("NCW", "NCHW")
        return type(self).pool(inputs, self.pool_size, self.strides, self.padding.upper(),
                               formats[self.rank - 1])

    def compute_output_shape(self, input_shape):
        shape = list(input_shape)
        axes = range(1, 1 + self.rank) if self.data_format == "channels_last" \
            else range(2, 2 + self.rank)
        for i, axis in enumerate(axes):
            shape[axis] = _conv_length(shape[axis], self.pool_size[i], self.strides[i], 1,
                                       self.padding)
        return tuple(shape)

    def get_config(self):
        return {**super().get_config(), "pool_size": self.pool_size, "padding": self.padding,
                "strides": self.strides, "data_format": self.data_format}


def _pooling(class_name, rank, pool, default_size, doc):
    def __init__(self, pool_size=default_size, strides=None, padding="valid", data_format=None,
                 name=None, **kwargs):
        _Pooling.__init__(self, pool_size, strides, padding, data_format, name=name, **kwargs)
    return type(class_name, (_Pooling,), {"__init__": __init__, "rank": rank,
                                          "pool": staticmethod(pool), "__doc__": doc,
                                          "__module__": __name__})


MaxPooling1D = _pooling("MaxPooling1D", 1, nn_conv_ops.max_pool1d, 2,
                        "The maximum of each window of steps.")
MaxPooling2D = _pooling("MaxPooling2D", 2, nn_conv_ops.max_pool2d, (2, 2),
                        "The maximum of each pool_size window (strides default to it).")
AveragePooling1D = _pooling("AveragePooling1D", 1, nn_conv_ops.avg_pool1d, 2,
                            "The mean of each window of steps.")
AveragePooling2D = _pooling("AveragePooling2D", 2, nn_conv_ops.avg_pool2d, (2, 2),
                            "The mean of each pool_size window (padding not counted).")


class _GlobalPooling(Layer):
    rank = 2
    reduce = None

    def __init__(self, data_format=None, keepdims=False, **kwargs):
        super().__init__(**kwargs)
        self.data_format = standardize_data_format(data_format)
        self.keepdims = keepdims
        self.input_spec = InputSpec(ndim=self.rank + 2)
        self.built = True

    def _axes(self):
        return list(range(1, 1 + self.rank)) if self.data_format == "channels_last" \
            else list(range(2, 2 + self.rank))

    def call(self, inputs):
        return type(self).reduce(inputs, axis=self._axes(), keepdims=self.keepdims)

    def compute_output_shape(self, input_shape):
        axes = self._axes()
        if self.keepdims:
            return tuple(1 if i in axes else d for i, d in enumerate(input_shape))
        return tuple(d for i, d in enumerate(input_shape) if i not in axes)

    def get_config(self):
        return {**super().get_config(), "data_format": self.data_format,
                "keepdims": self.keepdims}


class GlobalAveragePooling1D(_GlobalPooling):
    """The mean over the steps (masked steps excluded when a mask is given)."""

    rank = 1
    reduce = staticmethod(math_ops.reduce_mean)

    def __init__(self, data_format=None, keepdims=False, **kwargs):
        super().__init__(data_format, keepdims, **kwargs)
        self.supports_masking = True

    def call(self, inputs, mask=None):
        if mask is None:
            return super().call(inputs)
        axis = self._axes()[0]
        weights = math_ops.cast(mask, inputs.dtype)
        weights = weights[:, :, None] if self.data_format == "channels_last" \
            else weights[:, None, :]
        total = math_ops.reduce_sum(inputs * weights, axis=axis, keepdims=self.keepdims)
        return total / math_ops.reduce_sum(weights, axis=axis, keepdims=self.keepdims)

    def compute_mask(self, inputs, mask=None):
        return None


def _global(class_name, rank, reduce, doc):
    return type(class_name, (_GlobalPooling,), {"rank": rank, "reduce": staticmethod(reduce),
                                                "__doc__": doc, "__module__": __name__})


GlobalAveragePooling2D = _global("GlobalAveragePooling2D", 2, math_ops.reduce_mean,
                                 "The mean over height and width.")
GlobalMaxPooling1D = _global("GlobalMaxPooling1D", 1, math_ops.reduce_max,
                             "The maximum over the steps.")
GlobalMaxPooling2D = _global("GlobalMaxPooling2D", 2, math_ops.reduce_max,
                             "The maximum over height and width.")
