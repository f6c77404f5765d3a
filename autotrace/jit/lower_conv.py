"""XLA lowerings of convolution and pooling (ops/nn_conv_ops.py): Conv2D on
lax.conv_general_dilated, pooling on lax.reduce_window; the gradient ops are the JAX vector-
Jacobian (or, for MaxPoolGradGrad, Jacobian-vector) products of those, which are exactly the
linear maps the NumPy kernels compute. Padding comes from the same geometry as the kernels."""
import jax
import jax.numpy as jnp
import numpy as np
from jax import lax

from ..ops.nn_conv_ops import _geometry
from .table import lowering

_NHWC = ("NHWC", "HWIO", "NHWC")


def _pads(shape, kernel, strides, dilations, padding):
    return [(before, after) for _, before, after in
            _geometry(tuple(shape), kernel, strides, dilations, padding)]


def _sizes(value):
    return tuple(int(d) for d in np.asarray(value))


def _conv(x, w, attrs):
    strides, dilations = attrs["strides"], attrs["dilations"]
    pads = _pads(x.shape, w.shape[:2], strides, dilations, attrs["padding"])
    return lax.conv_general_dilated(x, w, strides, pads, rhs_dilation=dilations,
                                    dimension_numbers=_NHWC)


@lowering("Conv2D")
def _conv2d(lw, op, x, w):
    return _conv(x, w, op.attrs)


@lowering("Conv2DBackpropInput")
def _conv2d_backprop_input(lw, op, input_sizes, w, dy):
    x = jnp.zeros(_sizes(input_sizes), dy.dtype)
    return jax.vjp(lambda x: _conv(x, w, op.attrs), x)[1](dy)[0]


@lowering("Conv2DBackpropFilter")
def _conv2d_backprop_filter(lw, op, x, filter_sizes, dy):
    w = jnp.zeros(_sizes(filter_sizes), dy.dtype)
    return jax.vjp(lambda w: _conv(x, w, op.attrs), w)[1](dy)[0]


def _window(attrs):
    return (1,) + tuple(attrs["ksize"]) + (1,), (1,) + tuple(attrs["strides"]) + (1,)


def _max_pool(x, attrs):
    dims, strides = _window(attrs)
    pads = [(0, 0)] + _pads(x.shape, attrs["ksize"], attrs["strides"], (1, 1),
                            attrs["padding"]) + [(0, 0)]
    # a concrete identity (NumPy, not traced), so JAX sees the max monoid and can
    # differentiate the window reduction
    init = -np.inf if np.issubdtype(x.dtype, np.floating) else np.iinfo(x.dtype).min
    return lax.reduce_window(x, np.array(init, x.dtype), lax.max, dims, strides, pads)


def _avg_pool(x, attrs):
    dims, strides = _window(attrs)
    pads = [(0, 0)] + _pads(x.shape, attrs["ksize"], attrs["strides"], (1, 1),
                            attrs["padding"]) + [(0, 0)]
    zero = np.array(0, x.dtype)
    total = lax.reduce_window(x, zero, lax.add, dims, strides, pads)
    ones = np.ones((1,) + x.shape[1:3] + (1,), x.dtype)
    counts = lax.reduce_window(ones, zero, lax.add, dims, strides, pads)
    return total / counts


@lowering("MaxPool")
def _max_pool_lowering(lw, op, x):
    return _max_pool(x, op.attrs)


@lowering("MaxPoolGrad")
def _max_pool_grad(lw, op, x, y, grad):
    return jax.vjp(lambda x: _max_pool(x, op.attrs), x)[1](grad)[0]


@lowering("MaxPoolGradGrad")
def _max_pool_grad_grad(lw, op, x, y, grad):
    return jax.jvp(lambda x: _max_pool(x, op.attrs), (x,), (grad,))[1]


@lowering("AvgPool")
def _avg_pool_lowering(lw, op, x):
    return _avg_pool(x, op.attrs)


@lowering("AvgPoolGrad")
def _avg_pool_grad(lw, op, input_sizes, grad):
    x = jnp.zeros(_sizes(input_sizes), grad.dtype)
    return jax.vjp(lambda x: _avg_pool(x, op.attrs), x)[1](grad)[0]
