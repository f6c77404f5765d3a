"""XLA lowerings of the neural-network ops: activations and their derivative ops, softmax,
fused cross-entropies, bias_add."""
import math

import jax
import jax.numpy as jnp

from .table import lowering, table_rows

_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_SCALE = 1.0507009873554804934193349852946
_CHANNELS_FIRST = ("NCHW", "NCW", "NCDHW", "NC...")


def _precise(x):
    """float16 is computed in float32, as the NumPy kernels do."""
    return x.astype(jnp.float32) if x.dtype == jnp.float16 else x


def _relu(x):
    return jnp.maximum(x, jnp.zeros((), x.dtype))


def _elu(x):
    return jnp.where(x > 0, x, jnp.expm1(jnp.minimum(x, 0)))


def _selu(x):
    return _SELU_SCALE * jnp.where(x > 0, x, _SELU_ALPHA * jnp.expm1(jnp.minimum(x, 0)))


ACTIVATIONS = {"Relu": _relu, "Elu": _elu, "Selu": _selu,
               "Softplus": lambda x: jnp.logaddexp(x, jnp.zeros((), x.dtype)),
               "Softsign": lambda x: x / (1 + jnp.abs(x))}
table_rows(ACTIVATIONS, lambda fn: lambda lw, op, x: fn(x))


@lowering("LeakyRelu")
def _leaky_relu(lw, op, x):
    return jnp.where(x > 0, x, x * op.attrs["alpha"])


# -- derivative ops (order k: the k-th derivative times the incoming gradient) ----------------

def _exp_nonpositive(x):
    return jnp.exp(jnp.minimum(x, 0))


def _elu_derivative(x, order):
    return jnp.where(x >= 0, float(order == 1), _exp_nonpositive(x))


def _selu_derivative(x, order):
    return _SELU_SCALE * jnp.where(x >= 0, float(order == 1), _SELU_ALPHA * _exp_nonpositive(x))


def _softplus_derivative(x, order):
    from ..ops.nn_activation_ops import _softplus_terms  # the series, as data
    e = jnp.exp(-jnp.abs(x))
    big, small = 1 / (1 + e), e / (1 + e)
    s, t = jnp.where(x >= 0, big, small), jnp.where(x >= 0, small, big)
    total = jnp.zeros_like(x)
    for (a, b), c in _softplus_terms(order).items():
        total = total + c * s ** a * t ** b
    return total


def _softsign_derivative(x, order):
    return ((-jnp.sign(x)) ** (order - 1) * math.factorial(order) /
            (1 + jnp.abs(x)) ** (order + 1))


DERIVATIVES = {"EluGrad": _elu_derivative, "SeluGrad": _selu_derivative,
               "SoftplusGrad": _softplus_derivative, "SoftsignGrad": _softsign_derivative}


def _derivative_lowering(derivative):
    def lower(lw, op, gradients, features):
        g, x = _precise(gradients), _precise(features)
        return g * derivative(x, op.attrs["order"])
    return lower


table_rows(DERIVATIVES, _derivative_lowering)


@lowering("ReluGrad")
def _relu_grad(lw, op, gradients, features):
    return jnp.where(features > 0, gradients, jnp.zeros((), gradients.dtype))


@lowering("LeakyReluGrad")
def _leaky_relu_grad(lw, op, gradients, features):
    return jnp.where(features > 0, gradients, gradients * op.attrs["alpha"])


# -- softmax and cross-entropy -----------------------------------------------------------------

def _log_softmax_values(logits, axis):
    return jax.nn.log_softmax(_precise(logits), axis=axis)


@lowering("Softmax")
def _softmax(lw, op, logits):
    return jax.nn.softmax(_precise(logits), axis=op.attrs["axis"])


@lowering("LogSoftmax")
def _log_softmax(lw, op, logits):
    return _log_softmax_values(logits, op.attrs["axis"])


@lowering("SoftmaxCrossEntropyWithLogits")
def _xent(lw, op, features, labels):
    axis = op.attrs["axis"]
    log_probs = _log_softmax_values(features, axis)
    labels = _precise(labels)
    loss = 0.0 - jnp.sum(labels * log_probs, axis=axis) + 0.0
    return [loss, jnp.exp(log_probs) - labels]


@lowering("SparseSoftmaxCrossEntropyWithLogits")
def _sparse_xent(lw, op, features, labels):
    log_probs = _log_softmax_values(features, -1)
    hot = jax.nn.one_hot(labels, features.shape[-1], dtype=log_probs.dtype)
    loss = 0.0 - jnp.sum(hot * log_probs, axis=-1)
    return [loss, jnp.exp(log_probs) - hot]


# -- bias_add ----------------------------------------------------------------------------------

@lowering("BiasAdd")
def _bias_add(lw, op, value, bias):
    if op.attrs["data_format"] in _CHANNELS_FIRST:
        bias = jnp.reshape(bias, (-1,) + (1,) * (value.ndim - 2))
    return value + bias


@lowering("BiasAddGrad")
def _bias_add_grad(lw, op, out_backprop):
    g = out_backprop
    axis = (1 if op.attrs["data_format"] in _CHANNELS_FIRST else -1) % g.ndim
    return jnp.sum(g, axis=tuple(i for i in range(g.ndim) if i != axis), dtype=g.dtype)
