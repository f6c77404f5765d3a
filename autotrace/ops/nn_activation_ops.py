"""Neural-network activations (TF's tf.nn): elementwise activations, softmax, log_softmax,
bias_add, with their gradient rules. Losses, moments and dropout are in nn_loss_ops; both are
re-exported by nn_ops (the `autotrace.nn` namespace).

Ops TensorFlow implements as dedicated kernels (Relu, Elu, Softplus, Softmax, BiasAdd...) are
declared here; relu6, leaky_relu's integer cast and silu are composed from math ops, so their
gradients come from those ops. Kernels are numerically stable: softmax subtracts the maximum,
softplus never overflows.

Gradients. Each elementwise activation `f` has a derivative op (ReluGrad, EluGrad, SeluGrad,
SoftplusGrad, SoftsignGrad, LeakyReluGrad: TF's names) computing `gradients * f'(features)`;
its `order` attribute k gives `gradients * f^(k)(features)` instead, so the derivative op's own
gradient is the same op at order k + 1 and activations differentiate to any order without
other families' ops. (TF's EluGrad/SeluGrad take the activation's outputs; these take its
inputs.) Softmax and LogSoftmax gradients are TF's formulas; BiasAdd's bias gradient is the
BiasAddGrad op (a sum over every dimension but the channel one).

>>> import autotrace as tf
>>> tf.nn.relu([-1.0, 2.0]).numpy()
array([0., 2.], dtype=float32)
>>> tf.nn.softmax([0.0, 1000.0]).numpy()
array([0., 1.], dtype=float32)
"""
import math

import numpy as np

from ..core import dtypes
from ..core.errors import InvalidArgumentError, InvalidShapeError
from ..core.graph import name_scope
from ..core.tensor import Tensor
from ..core.tensor_shape import TensorShape
from . import array_ops, math_ops
from .constant_op import adopt_operand, constant_value, convert_to_tensor
from .registry import apply, defop
from .shapes import REAL, check_dtype, check_same_dtype, normalize_axis

__all__ = ["relu", "relu6", "elu", "selu", "leaky_relu", "softplus", "softsign", "sigmoid",
           "tanh", "silu", "swish", "softmax", "log_softmax", "bias_add"]

REAL_FLOAT = "f"  # TF's nn kernels take half/float/double, not complex

sigmoid = math_ops.sigmoid
tanh = math_ops.tanh


def _tensor(x):
    return x if isinstance(x, Tensor) else convert_to_tensor(x)


def _pair(op_type, a, b, names):
    """Convert two operands as binary ops do (a Python value takes the other's dtype), with
    a dtype error naming the arguments."""
    if not isinstance(a, Tensor):
        a = adopt_operand(a, b.dtype) if isinstance(b, Tensor) else _tensor(a)
    if not isinstance(b, Tensor):
        b = adopt_operand(b, a.dtype)
    check_same_dtype(op_type, (a, b), names)
    return a, b


def _quiet(kernel):
    """NaN and infinite inputs give NaN/inf outputs silently, as in TF (no NumPy warnings)."""
    def quiet_kernel(*args, **attrs):
        with np.errstate(invalid="ignore", over="ignore", divide="ignore"):
            return kernel(*args, **attrs)
    quiet_kernel.__name__ = kernel.__name__
    return quiet_kernel


def _precise(x):
    """float16 is computed in float32 (as TF does), then cast back by the caller."""
    return x.astype(np.float32) if x.dtype == np.float16 else x


# -- elementwise activations -------------------------------------------------------------------

_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_SCALE = 1.0507009873554804934193349852946


def _relu(x):
    return np.maximum(x, x.dtype.type(0))


def _elu(x):
    # expm1 of the clipped value: no overflow warnings from the branch np.where discards.
    return np.where(x > 0, x, np.expm1(np.minimum(x, 0)))


def _selu(x):
    negative = _SELU_ALPHA * np.expm1(np.minimum(x, 0))
    return (_SELU_SCALE * np.where(x > 0, x, negative)).astype(x.dtype)


def _softplus(x):
    # log(1 + e^x) = max(x, 0) + log1p(e^-|x|): exact for large |x|, never overflows.
    return np.logaddexp(x, x.dtype.type(0))


def _softsign(x):
    return x / (1 + np.abs(x))


def _activation_infer(op_type, kinds):
    def infer(features):
        check_dtype(op_type, features, kinds, "features")
        return features.dtype, features.shape
    return infer


def _make_activation(opdef, public_name, doc):
    def fn(features, name=None):
        return apply(opdef, (_tensor(features),), None, name)
    fn.__name__ = fn.__qualname__ = public_name
    fn.__doc__ = doc
    return fn


# -- derivatives of the elementwise activations --------------------------------------------------
# `derivative(x, order, **attrs)`: the order-th derivative of the activation at x (order >= 1),
# in x's (float32-or-wider) dtype.

def _exp_nonpositive(x):
    return np.exp(np.minimum(x, 0))


# At the kink x = 0 the right-hand derivatives are taken (as TF: elu' = 1, selu' = scale,
# and 0 for the higher orders).

def _elu_derivative(x, order):
    return np.where(x >= 0, x.dtype.type(order == 1), _exp_nonpositive(x))


def _selu_derivative(x, order):
    negative = _SELU_ALPHA * _exp_nonpositive(x)
    return _SELU_SCALE * np.where(x >= 0, x.dtype.type(order == 1), negative)


def _sigmoid_pair(x):
    """(sigmoid(x), sigmoid(-x) = 1 - sigmoid(x)), each computed without cancellation."""
    e = np.exp(-np.abs(x))
    big, small = 1 / (1 + e), e / (1 + e)
    positive = x >= 0
    return np.where(positive, big, small), np.where(positive, small, big)


def _softplus_terms(order):
    """softplus^(order) as {(a, b): c}: the sum of c * s^a * t^b, s = sigmoid(x), t = 1 - s.
    (d/dx s = s t, d/dx t = -s t.)"""
    terms = {(1, 0): 1}
    for _ in range(order - 1):
        new = {}
        for (a, b), c in terms.items():
            if a:
                new[(a, b + 1)] = new.get((a, b + 1), 0) + c * a
            if b:
                new[(a + 1, b)] = new.get((a + 1, b), 0) - c * b
        terms = {k: c for k, c in new.items() if c}
    return terms


def _softplus_derivative(x, order):
    s, t = _sigmoid_pair(x)
    total = np.zeros_like(x)
    for (a, b), c in _softplus_terms(order).items():
        total = total + c * s ** a * t ** b
    return total


def _softsign_derivative(x, order):
    # d^k/dx^k x / (1 + |x|) = (-sign x)^(k-1) k! / (1 + |x|)^(k+1)
    return (-np.sign(x)) ** (order - 1) * math.factorial(order) / (1 + np.abs(x)) ** (order + 1)


def _derivative_kernel(derivative):
    def kernel(gradients, features, order, **attrs):
        g = _precise(np.asarray(gradients))
        x = _precise(np.asarray(features))
        out = g * derivative(x, order, **attrs)
        return _as_output(out, np.asarray(gradients).dtype)
    kernel.__name__ = derivative.__name__.replace("_derivative", "_grad")
    return _quiet(kernel)


def _relu_grad(gradients, features, order):
    g, x = np.asarray(gradients), np.asarray(features)
    return _as_output(np.where(x > 0, g, g.dtype.type(0)), g.dtype)


def _leaky_relu_grad(gradients, features, order, alpha):
    g, x = np.asarray(gradients), np.asarray(features)
    return _as_output(np.where(x > 0, g, g * g.dtype.type(alpha)), g.dtype)


def _as_output(arr, dtype):
    """A kernel result in `dtype`; 0-d results are NumPy scalars, as other kernels'."""
    arr = np.asarray(arr).astype(dtype, copy=False)
    return arr[()] if arr.ndim == 0 else arr


def _derivative_infer(op_type):
    def infer(gradients, features, order, **attrs):
        dtype = check_same_dtype(op_type, (gradients, features), ("gradients", "features"))
        check_dtype(op_type, features, REAL_FLOAT, "features")
        if not gradients.shape.is_compatible_with(features.shape):
            raise InvalidShapeError("%s: gradients %s and features %s must have the same shape"
                                    % (op_type, gradients.shape, features.shape))
        return dtype, gradients.shape.merge_with(features.shape)
    return infer


def _derivative_grad(smooth):
    """The rule of a derivative op g * f^(k)(x): d/dg is the same op, d/dx the op at order
    k + 1 (None for piecewise-linear activations, whose higher derivatives are 0)."""
    def rule(op, grad):
        gradients, features = op.inputs
        d_gradients = apply(op.opdef, (grad, features), dict(op.attrs))
        if not smooth:
            return [d_gradients, None]
        higher = dict(op.attrs, order=op.attrs["order"] + 1)  # (a graph keeps attrs dicts)
        return [d_gradients, apply(op.opdef, (grad * gradients, features), higher)]
    return rule


def _activation_grad(grad_opdef, attr_names=()):
    """The rule of an activation: its derivative op at order 1."""
    def rule(op, grad):
        attrs = {"order": 1}
        attrs.update((k, op.attrs[k]) for k in attr_names)
        return [apply(grad_opdef, (grad, op.inputs[0]), attrs)]
    return rule


def _declare_derivative(op_type, kernel, smooth):
    return defop(op_type, kernel, _derivative_infer(op_type), grad=_derivative_grad(smooth),
                 inputs=("gradients", "features"), eager_check=True)


RELU_GRAD = _declare_derivative("ReluGrad", _relu_grad, smooth=False)
ELU_GRAD = _declare_derivative("EluGrad", _derivative_kernel(_elu_derivative), smooth=True)
SELU_GRAD = _declare_derivative("SeluGrad", _derivative_kernel(_selu_derivative), smooth=True)
SOFTPLUS_GRAD = _declare_derivative("SoftplusGrad", _derivative_kernel(_softplus_derivative),
                                    smooth=True)
SOFTSIGN_GRAD = _declare_derivative("SoftsignGrad", _derivative_kernel(_softsign_derivative),
                                    smooth=True)
LEAKY_RELU_GRAD = _declare_derivative("LeakyReluGrad", _leaky_relu_grad, smooth=False)


ACTIVATION_OPS = {}  # op type -> OpDef


def activation(op_type, public_name, kernel, kinds, derivative, doc):
    """Declare an activation op whose gradient is its `derivative` op (a row of the table
    below); returns its function."""
    ACTIVATION_OPS[op_type] = defop(op_type, kernel, _activation_infer(op_type, kinds),
                                    grad=_activation_grad(derivative), inputs=("features",),
                                    accepts=kinds)
    return _make_activation(ACTIVATION_OPS[op_type], public_name, doc)


# public function = activation(type, public name, kernel, accepted dtype kinds, derivative
# op, doc)
relu = activation("Relu", "relu", _relu, REAL, RELU_GRAD, """max(features, 0), elementwise.

    >>> relu([-2.0, 0.5]).numpy()
    array([0. , 0.5], dtype=float32)
    """)
elu = activation("Elu", "elu", _elu, REAL_FLOAT, ELU_GRAD, """features if > 0, else
    exp(features) - 1.

    >>> elu([-1.0, 2.0]).numpy()
    array([-0.63212055,  2.        ], dtype=float32)
    """)
selu = activation("Selu", "selu", _selu, REAL_FLOAT, SELU_GRAD, """Scaled ELU: scale * (x if
    x > 0 else alpha * (e^x - 1)), with the self-normalising constants alpha ~ 1.6733 and
    scale ~ 1.0507.

    >>> selu([0.0, 1.0]).numpy()
    array([0.      , 1.050701], dtype=float32)
    """)
softplus = activation("Softplus", "softplus", _quiet(_softplus), REAL_FLOAT, SOFTPLUS_GRAD,
                      """log(exp(features) + 1), computed without overflow for large inputs.

    >>> softplus([0.0, 1000.0]).numpy()
    array([6.931472e-01, 1.000000e+03], dtype=float32)
    """)
softsign = activation("Softsign", "softsign", _quiet(_softsign), REAL_FLOAT, SOFTSIGN_GRAD,
                      """features / (abs(features) + 1).

    >>> softsign([-1.0, 3.0]).numpy()
    array([-0.5 ,  0.75], dtype=float32)
    """)

def relu6(features, name=None):
    """min(max(features, 0), 6), elementwise.

    >>> relu6([-1.0, 3.0, 9.0]).numpy()
    array([0., 3., 6.], dtype=float32)
    """
    features = _tensor(features)
    check_dtype("Relu6", features, REAL, "features")
    with name_scope(name or "Relu6"):
        return math_ops.minimum(math_ops.maximum(features, 0), 6)


def _leaky_relu(features, alpha):
    return np.where(features > 0, features, features * features.dtype.type(alpha))


_leaky_relu_dtype = _activation_infer("LeakyRelu", REAL_FLOAT)
LEAKY_RELU = defop("LeakyRelu", _leaky_relu,
                   lambda features, alpha: _leaky_relu_dtype(features),
                   grad=_activation_grad(LEAKY_RELU_GRAD, ("alpha",)),
                   inputs=("features",), accepts=REAL_FLOAT)


def leaky_relu(features, alpha=0.2, name=None):
    """features if > 0, else alpha * features. Integers are cast to float32 first (as TF).

    >>> leaky_relu([-1.0, 2.0]).numpy()
    array([-0.2,  2. ], dtype=float32)
    """
    features = _tensor(features)
    if features.dtype.is_integer:
        features = math_ops.cast(features, dtypes.float32)
    return apply(LEAKY_RELU, (features,), {"alpha": float(alpha)}, name)


def silu(features, beta=1.0, name=None):
    """features * sigmoid(beta * features) (also called swish).

    >>> silu([0.0, 2.0]).numpy()
    array([0.       , 1.7615942], dtype=float32)
    """
    features = _tensor(features)
    check_dtype("silu", features, REAL_FLOAT, "features")
    with name_scope(name or "silu"):
        scaled = features if beta == 1.0 else features * beta
        return features * math_ops.sigmoid(scaled)


swish = silu


# -- softmax and log_softmax -------------------------------------------------------------------

def _shifted(logits, axis):
    """logits minus their maximum along axis (a row of -inf gives NaN, as in TF)."""
    x = _precise(logits)
    return x - np.max(x, axis=axis, keepdims=True, initial=-np.inf)


def _log_softmax_values(logits, axis):
    shifted = _shifted(logits, axis)
    return shifted - np.log(np.sum(np.exp(shifted), axis=axis, keepdims=True))


def _softmax(logits, axis):
    e = np.exp(_shifted(logits, axis))
    return (e / np.sum(e, axis=axis, keepdims=True)).astype(logits.dtype, copy=False)


def _log_softmax(logits, axis):
    return _log_softmax_values(logits, axis).astype(logits.dtype, copy=False)


def _softmax_infer(op_type):
    def infer(logits, axis):
        check_dtype(op_type, logits, REAL_FLOAT, "logits")
        _check_class_axis(op_type, logits.shape, axis)
        return logits.dtype, logits.shape
    return infer


def _check_class_axis(op_type, shape, axis, arg="logits"):
    if shape.rank == 0:
        raise InvalidArgumentError("%s: %s must have rank >= 1 (a vector of class scores), "
                                   "got a scalar" % (op_type, arg))
    return normalize_axis(op_type, axis, shape.rank)


def softmax_jvp(grad, probs, axis):
    """The softmax Jacobian (diag(p) - p p^T, symmetric) applied to `grad` along `axis`:
    (grad - sum(grad * p)) * p."""
    return (grad - math_ops.reduce_sum(grad * probs, axis, keepdims=True)) * probs


def _softmax_grad(op, grad):
    return [softmax_jvp(grad, op.outputs[0], op.attrs["axis"])]


def _log_softmax_grad(op, grad):
    # d log_softmax = grad - sum(grad) * softmax(logits); the softmax is recomputed from the
    # logits (TF takes exp of the output) so the second derivative needs only Softmax's rule.
    axis = op.attrs["axis"]
    probs = apply(SOFTMAX, (op.inputs[0],), {"axis": axis})
    return [grad - math_ops.reduce_sum(grad, axis, keepdims=True) * probs]


SOFTMAX = defop("Softmax", _quiet(_softmax), _softmax_infer("Softmax"), grad=_softmax_grad,
                inputs=("logits",), accepts=REAL_FLOAT)
LOG_SOFTMAX = defop("LogSoftmax", _quiet(_log_softmax), _softmax_infer("LogSoftmax"),
                    grad=_log_softmax_grad, inputs=("logits",), accepts=REAL_FLOAT)


def _static_int(op_type, arg, value):
    known = constant_value(value) if isinstance(value, Tensor) else value
    if known is None:
        raise InvalidArgumentError("%s: %s must be known while the graph is built" % (op_type,
                                                                                      arg))
    return int(known)


def _apply_softmax(opdef, logits, axis, name):
    logits = _tensor(logits)
    axis = _static_int(opdef.type, "axis", -1 if axis is None else axis)
    axis = _check_class_axis(opdef.type, logits.shape, axis)
    return apply(opdef, (logits,), {"axis": axis}, name)


def softmax(logits, axis=None, name=None):
    """exp(logits) / sum(exp(logits)) along `axis` (default: the last), computed stably.

    >>> softmax([1.0, 1.0]).numpy()
    array([0.5, 0.5], dtype=float32)
    """
    return _apply_softmax(SOFTMAX, logits, axis, name)


def log_softmax(logits, axis=None, name=None):
    """logits - log(sum(exp(logits))) along `axis` (default: the last), computed stably.

    >>> log_softmax([0.0, 0.0]).numpy()
    array([-0.6931472, -0.6931472], dtype=float32)
    """
    return _apply_softmax(LOG_SOFTMAX, logits, axis, name)


# -- bias_add ----------------------------------------------------------------------------------

_CHANNELS_LAST = (None, "NHWC", "NWC", "NDHWC", "N...C")
_CHANNELS_FIRST = ("NCHW", "NCW", "NCDHW", "NC...")


def _channel_axis(data_format):
    return 1 if data_format in _CHANNELS_FIRST else -1


def _bias_add(value, bias, data_format):
    # checked here too: with shapes unknown while building, NumPy would broadcast a
    # wrong-sized bias silently
    _check_bias_shapes(TensorShape(value.shape), TensorShape(bias.shape), data_format)
    if data_format in _CHANNELS_FIRST:
        bias = bias.reshape((-1,) + (1,) * (value.ndim - 2))
    return value + bias


def _check_bias_shapes(value, bias, data_format):
    if value.rank is not None and value.rank < 2:
        raise InvalidShapeError("BiasAdd: value must have rank >= 2 ([batch, ..., channels]), "
                                "got shape %s" % value)
    if bias.rank is not None and bias.rank != 1:
        raise InvalidShapeError("BiasAdd: bias must be a vector (one value per channel), got "
                                "shape %s" % bias)
    if value.rank is None or bias.rank is None:
        return
    axis = _channel_axis(data_format) % value.rank
    channels = value[axis]
    if channels is not None and bias[0] is not None and channels != bias[0]:
        raise InvalidShapeError(
            "BiasAdd: bias has %d values but value %s has %d channels (dimension %d, "
            "data_format %s); they must be equal" % (bias[0], value, channels, axis,
                                                      data_format or "NHWC"))


def _bias_add_infer(value, bias, data_format):
    dtype = check_same_dtype("BiasAdd", (value, bias), ("value", "bias"))
    check_dtype("BiasAdd", value, "fiuc", "value")
    _check_bias_shapes(value.shape, bias.shape, data_format)
    return dtype, value.shape


def _bias_add_grad_kernel(out_backprop, data_format):
    g = np.asarray(out_backprop)
    if g.ndim < 2:
        raise InvalidShapeError("BiasAddGrad: out_backprop must have rank >= 2, got shape %s"
                                % TensorShape(g.shape))
    axis = _channel_axis(data_format) % g.ndim
    return np.sum(g, axis=tuple(i for i in range(g.ndim) if i != axis)).astype(g.dtype,
                                                                                copy=False)


def _bias_add_grad_infer(out_backprop, data_format):
    check_dtype("BiasAddGrad", out_backprop, "fc", "out_backprop")
    shape = out_backprop.shape
    if shape.rank is None:
        return out_backprop.dtype, [None]
    if shape.rank < 2:
        raise InvalidShapeError("BiasAddGrad: out_backprop must have rank >= 2, got shape %s"
                                % shape)
    return out_backprop.dtype, [shape[_channel_axis(data_format) % shape.rank]]


def _bias_add_grad_grad(op, grad):
    """d/d(out_backprop) of its per-channel sum: `grad` broadcast along the channel axis."""
    g = op.inputs[0]
    return [apply(BIAS_ADD, (array_ops.zeros_like(g), grad), dict(op.attrs))]


BIAS_ADD_GRAD = defop("BiasAddGrad", _bias_add_grad_kernel, _bias_add_grad_infer,
                      grad=_bias_add_grad_grad, inputs=("out_backprop",))


def _bias_add_grad(op, grad):
    return [grad, apply(BIAS_ADD_GRAD, (grad,), dict(op.attrs))]


BIAS_ADD = defop("BiasAdd", _bias_add, _bias_add_infer, grad=_bias_add_grad,
                 inputs=("value", "bias"), accepts="fiuc")


def bias_add(value, bias, data_format=None, name=None):
    """value + bias, with the 1-D bias added along the channel dimension (the last one, or
    dimension 1 for data_format "NCHW"/"NC...").

    >>> bias_add([[1.0, 2.0]], [10.0, 20.0]).numpy()
    array([[11., 22.]], dtype=float32)
    """
    if data_format not in _CHANNELS_LAST + _CHANNELS_FIRST:
        raise ValueError("bias_add: data_format must be one of %s, got %r"
                         % (", ".join(f for f in _CHANNELS_LAST + _CHANNELS_FIRST if f),
                            data_format))
    value, bias = _pair("BiasAdd", value, bias, ("value", "bias"))
    return apply(BIAS_ADD, (value, bias), {"data_format": data_format}, name)


