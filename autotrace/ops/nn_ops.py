"""Neural-network ops (TF's tf.nn): activations, softmax, cross-entropies, moments, dropout.

Ops TensorFlow implements as dedicated kernels (Relu, Elu, Softplus, Softmax, the
cross-entropies, BiasAdd...) are declared here; the rest are composed from math and array ops,
so their gradients come from those ops. Kernels are numerically stable: softmax subtracts the
maximum, softplus never overflows, cross-entropies work on log-probabilities.

>>> import autotrace as tf
>>> tf.nn.relu([-1.0, 2.0]).numpy()
array([0., 2.], dtype=float32)
>>> tf.nn.softmax([0.0, 1000.0]).numpy()
array([0., 1.], dtype=float32)
"""
import numbers

import numpy as np

from .. import dtypes
from ..errors import DTypeMismatchError, InvalidArgumentError, InvalidShapeError
from ..graph import name_scope
from ..tensor import Tensor
from ..tensor_shape import TensorShape
from . import array_ops, math_ops, random_ops
from .constant_op import adopt_operand, constant_value, convert_to_tensor
from .registry import apply, defop
from .shapes import (REAL, broadcast_shapes, check_dtype, check_same_dtype, normalize_axes,
                     normalize_axis)

__all__ = ["relu", "relu6", "elu", "selu", "leaky_relu", "softplus", "softsign", "sigmoid",
           "tanh", "silu", "swish", "softmax", "log_softmax", "moments", "l2_loss", "dropout",
           "bias_add", "sigmoid_cross_entropy_with_logits",
           "weighted_cross_entropy_with_logits", "softmax_cross_entropy_with_logits",
           "sparse_softmax_cross_entropy_with_logits", "l2_normalize"]

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


# type, public name, kernel, accepted dtype kinds, doc
_ACTIVATIONS = [
    ("Relu", "relu", _relu, REAL, """max(features, 0), elementwise.

    >>> relu([-2.0, 0.5]).numpy()
    array([0. , 0.5], dtype=float32)
    """),
    ("Elu", "elu", _elu, REAL_FLOAT, """features if > 0, else exp(features) - 1.

    >>> elu([-1.0, 2.0]).numpy()
    array([-0.63212055,  2.        ], dtype=float32)
    """),
    ("Selu", "selu", _selu, REAL_FLOAT, """Scaled ELU: scale * (x if x > 0 else alpha * (e^x - 1)),
    with the self-normalising constants alpha ~ 1.6733 and scale ~ 1.0507.

    >>> selu([0.0, 1.0]).numpy()
    array([0.      , 1.050701], dtype=float32)
    """),
    ("Softplus", "softplus", _quiet(_softplus), REAL_FLOAT, """log(exp(features) + 1),
    computed without overflow for large inputs.

    >>> softplus([0.0, 1000.0]).numpy()
    array([6.931472e-01, 1.000000e+03], dtype=float32)
    """),
    ("Softsign", "softsign", _quiet(_softsign), REAL_FLOAT, """features / (abs(features) + 1).

    >>> softsign([-1.0, 3.0]).numpy()
    array([-0.5 ,  0.75], dtype=float32)
    """),
]

ACTIVATION_OPS = {}
for _type, _name, _kernel, _kinds, _doc in _ACTIVATIONS:
    ACTIVATION_OPS[_type] = defop(_type, _kernel, _activation_infer(_type, _kinds),
                                  inputs=("features",), accepts=_kinds)
    globals()[_name] = _make_activation(ACTIVATION_OPS[_type], _name, _doc)
relu = globals()["relu"]


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


SOFTMAX = defop("Softmax", _quiet(_softmax), _softmax_infer("Softmax"), inputs=("logits",),
                accepts=REAL_FLOAT)
LOG_SOFTMAX = defop("LogSoftmax", _quiet(_log_softmax), _softmax_infer("LogSoftmax"),
                    inputs=("logits",), accepts=REAL_FLOAT)


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


BIAS_ADD = defop("BiasAdd", _bias_add, _bias_add_infer, inputs=("value", "bias"),
                 accepts="fiuc")


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


# -- cross-entropies ---------------------------------------------------------------------------

def _both_given(fn_name, labels, logits):
    if labels is None or logits is None:
        raise ValueError("Both `labels` and `logits` must be provided for %s. Received: "
                         "labels=%r and logits=%r" % (fn_name, labels, logits))


def _check_same_shape(fn_name, labels, logits):
    if not labels.shape.is_compatible_with(logits.shape):
        raise InvalidShapeError("%s: `logits` and `labels` must have the same shape, received "
                                "logits %s and labels %s" % (fn_name, logits.shape,
                                                             labels.shape))


def sigmoid_cross_entropy_with_logits(labels=None, logits=None, name=None):
    """Elementwise binary cross-entropy of probabilities `labels` against sigmoid(logits):
    max(x, 0) - x * z + log(1 + exp(-|x|)), which never overflows.

    >>> sigmoid_cross_entropy_with_logits(labels=[1.0], logits=[0.0]).numpy()
    array([0.6931472], dtype=float32)
    """
    _both_given("sigmoid_cross_entropy_with_logits", labels, logits)
    logits, labels = _pair("sigmoid_cross_entropy_with_logits", logits, labels,
                           ("logits", "labels"))
    check_dtype("sigmoid_cross_entropy_with_logits", logits, REAL_FLOAT, "logits")
    _check_same_shape("sigmoid_cross_entropy_with_logits", labels, logits)
    with name_scope(name or "logistic_loss"):
        return (relu(logits) - logits * labels) + math_ops.log1p(
            math_ops.exp(-math_ops.abs(logits)))


def weighted_cross_entropy_with_logits(labels, logits, pos_weight, name=None):
    """sigmoid_cross_entropy_with_logits with the positive term weighted by `pos_weight`.

    >>> weighted_cross_entropy_with_logits([1.0], [0.0], 2.0).numpy()
    array([1.3862944], dtype=float32)
    """
    logits, labels = _pair("weighted_cross_entropy_with_logits", logits, labels,
                           ("logits", "labels"))
    check_dtype("weighted_cross_entropy_with_logits", logits, REAL_FLOAT, "logits")
    _check_same_shape("weighted_cross_entropy_with_logits", labels, logits)
    with name_scope(name or "logistic_loss"):
        log_weight = 1 + (pos_weight - 1) * labels
        softplus_neg = math_ops.log1p(math_ops.exp(-math_ops.abs(logits))) + relu(-logits)
        return (1 - labels) * logits + log_weight * softplus_neg


def _xent(features, labels, axis):
    log_probs = _log_softmax_values(features, axis)
    labels = _precise(labels)
    # labels * log_probs is 0 * -inf = NaN only where a label is 0 and its logit -inf
    loss = 0.0 - np.sum(labels * log_probs, axis=axis) + 0.0  # + 0.0: no -0.0 losses
    backprop = np.exp(log_probs) - labels
    return [loss.astype(features.dtype, copy=False), backprop.astype(features.dtype,
                                                                      copy=False)]


def _xent_infer(features, labels, axis):
    op_type = "SoftmaxCrossEntropyWithLogits"
    dtype = check_same_dtype(op_type, (features, labels), ("logits", "labels"))
    check_dtype(op_type, features, REAL_FLOAT, "logits")
    try:
        shape = broadcast_shapes(op_type, features.shape, labels.shape)
    except InvalidShapeError:
        raise InvalidShapeError("%s: logits %s and labels %s must have the same shape (or "
                                "broadcast)" % (op_type, features.shape, labels.shape)) \
            from None
    axis = _check_class_axis(op_type, shape, axis)
    if shape.rank is None:
        return [(dtype, None), (dtype, shape)]
    loss = [d for i, d in enumerate(shape.as_tuple()) if i != axis]
    return [(dtype, loss), (dtype, shape)]


# eager_check: mismatched shapes would otherwise broadcast in ways TF rejects.
SOFTMAX_XENT = defop("SoftmaxCrossEntropyWithLogits", _quiet(_xent), _xent_infer,
                     inputs=("features", "labels"), multi_output=True, eager_check=True)


def softmax_cross_entropy_with_logits(labels, logits, axis=-1, name=None):
    """Cross-entropy between the distributions `labels` and softmax(logits) along `axis`:
    -sum(labels * log_softmax(logits)). Labels are cast to the logits' dtype (as TF).

    >>> softmax_cross_entropy_with_logits(labels=[[0.0, 1.0]], logits=[[0.0, 0.0]]).numpy()
    array([0.6931472], dtype=float32)
    """
    _both_given("softmax_cross_entropy_with_logits", labels, logits)
    op_type = "SoftmaxCrossEntropyWithLogits"
    logits = _tensor(logits)
    check_dtype(op_type, logits, REAL_FLOAT, "logits")
    if not isinstance(labels, Tensor):
        labels = convert_to_tensor(labels, dtype_hint=logits.dtype)
    if labels.dtype is not logits.dtype:
        check_dtype(op_type, labels, REAL, "labels")
        labels = math_ops.cast(labels, logits.dtype)
    axis = _static_int(op_type, "axis", axis)
    loss, _ = apply(SOFTMAX_XENT, (logits, labels), {"axis": axis}, name)
    return loss


def _sparse_xent(features, labels):
    if labels.shape != features.shape[:-1]:  # shapes unknown while the graph was built
        _sparse_xent_shapes(TensorShape(features.shape), TensorShape(labels.shape))
    classes = features.shape[-1]
    bad = (labels < 0) | (labels >= classes)
    if bad.any():
        raise _label_error(labels, bad, classes, features.shape)
    log_probs = _log_softmax_values(features, -1)
    picked = np.take_along_axis(log_probs, labels[..., None].astype(np.intp), axis=-1)
    backprop = np.exp(log_probs)
    np.put_along_axis(backprop, labels[..., None].astype(np.intp),
                      np.take_along_axis(backprop, labels[..., None].astype(np.intp), -1) - 1,
                      axis=-1)
    return [(0.0 - picked[..., 0]).astype(features.dtype, copy=False),
            backprop.astype(features.dtype, copy=False)]


def _label_error(labels, bad, classes, logits_shape):
    where = tuple(int(i) for i in np.argwhere(bad)[0])
    value = int(labels[where])
    shown = " ".join(str(v) for v in labels.reshape(-1)[:10])
    more = " ..." if labels.size > 10 else ""
    return InvalidArgumentError(
        "SparseSoftmaxCrossEntropyWithLogits: received a label value of %d (at labels%s) which "
        "is outside the valid range of [0, %d): logits of shape %s have %d classes. Label "
        "values: %s%s" % (value, list(where), classes, TensorShape(logits_shape), classes,
                          shown, more))


def _sparse_xent_infer(features, labels):
    op_type = "SparseSoftmaxCrossEntropyWithLogits"
    check_dtype(op_type, features, REAL_FLOAT, "logits")
    if labels.dtype not in (dtypes.int32, dtypes.int64):
        raise DTypeMismatchError("%s: labels must be int32 or int64 class indices, got %s; for "
                                 "one-hot or probability labels use "
                                 "softmax_cross_entropy_with_logits" % (op_type,
                                                                        labels.dtype.name))
    loss = _sparse_xent_shapes(features.shape, labels.shape)
    return [(features.dtype, loss), (features.dtype, features.shape)]


def _sparse_xent_shapes(features, labels):
    """The loss shape: labels must have the shape of the logits less their class axis."""
    op_type = "SparseSoftmaxCrossEntropyWithLogits"
    _check_class_axis(op_type, features, -1)
    if labels.rank is None or features.rank is None:
        return labels if labels.rank is not None else features[:-1]
    if labels.rank != features.rank - 1 or not labels.is_compatible_with(features[:-1]):
        raise InvalidShapeError(
            "%s: labels must have the shape of logits without its last (class) dimension: "
            "logits %s need labels %s, got labels %s"
            % (op_type, features, features[:-1], labels))
    return labels.merge_with(features[:-1])


# eager_check: labels of the wrong shape would otherwise broadcast silently.
SPARSE_SOFTMAX_XENT = defop("SparseSoftmaxCrossEntropyWithLogits", _quiet(_sparse_xent),
                            _sparse_xent_infer, inputs=("features", "labels"),
                            multi_output=True, eager_check=True)


def sparse_softmax_cross_entropy_with_logits(labels, logits, name=None):
    """Cross-entropy of integer class `labels` against softmax(logits) over the last axis:
    -log_softmax(logits)[..., label]. Labels outside [0, classes) are an error.

    >>> sparse_softmax_cross_entropy_with_logits(labels=[1], logits=[[0.0, 0.0]]).numpy()
    array([0.6931472], dtype=float32)
    """
    _both_given("sparse_softmax_cross_entropy_with_logits", labels, logits)
    logits = _tensor(logits)
    labels = _tensor(labels)
    loss, _ = apply(SPARSE_SOFTMAX_XENT, (logits, labels), None, name)
    return loss


# -- moments, l2_loss, l2_normalize ------------------------------------------------------------

def _axes_list(fn_name, axes, rank):
    if isinstance(axes, Tensor):
        known = constant_value(axes)
        if known is None:
            raise InvalidArgumentError("%s: axes must be known while the graph is built"
                                       % fn_name)
        axes = np.asarray(known).reshape(-1).tolist()
    if isinstance(axes, numbers.Integral):
        axes = [axes]
    return list(normalize_axes(fn_name, list(axes), rank))


def moments(x, axes, shift=None, keepdims=False, name=None):
    """(mean, variance) of `x` over `axes`; float16 is computed in float32 (as TF).

    >>> mean, variance = moments([1.0, 2.0, 3.0, 4.0], axes=[0])
    >>> float(mean), float(variance)
    (2.5, 1.25)
    """
    x = _tensor(x)
    check_dtype("moments", x, "fiu", "x")
    axes = _axes_list("moments", axes, x.shape.rank)
    with name_scope(name or "moments"):
        y = math_ops.cast(x, dtypes.float32) if x.dtype is dtypes.float16 else x
        mean = math_ops.reduce_mean(y, axes, keepdims=True, name="mean")
        variance = math_ops.reduce_mean(
            math_ops.squared_difference(y, array_ops.stop_gradient(mean)), axes,
            keepdims=True, name="variance")
        if not keepdims:
            mean = array_ops.squeeze(mean, axes)
            variance = array_ops.squeeze(variance, axes)
        if x.dtype is dtypes.float16:
            return math_ops.cast(mean, x.dtype), math_ops.cast(variance, x.dtype)
        return mean, variance


def l2_loss(t, name=None):
    """sum(t ** 2) / 2, a scalar (half the squared L2 norm, without the square root).

    >>> l2_loss([1.0, 2.0, 3.0]).numpy()
    np.float32(7.0)
    """
    t = _tensor(t)
    check_dtype("L2Loss", t, REAL_FLOAT, "t")
    with name_scope(name or "L2Loss"):
        return math_ops.reduce_sum(math_ops.square(t)) * 0.5


def l2_normalize(x, axis=None, epsilon=1e-12, name=None, dim=None):
    """x / sqrt(max(sum(x ** 2, axis), epsilon)): unit L2 norm along `axis` (None: all).

    >>> l2_normalize([3.0, 4.0]).numpy()
    array([0.6, 0.8], dtype=float32)
    """
    x = _tensor(x)
    check_dtype("l2_normalize", x, REAL_FLOAT, "x")
    axis = dim if axis is None else axis
    with name_scope(name or "l2_normalize"):
        square_sum = math_ops.reduce_sum(math_ops.square(x), axis, keepdims=True)
        return x * math_ops.rsqrt(math_ops.maximum(square_sum, epsilon))


# -- dropout -----------------------------------------------------------------------------------

def _check_rate(rate):
    if isinstance(rate, Tensor):
        if rate.shape.rank not in (None, 0):
            raise ValueError("dropout: `rate` must be a scalar, got shape %s" % rate.shape)
        value = constant_value(rate)
        if value is None:
            return
    else:
        value = rate
    value = value.item() if isinstance(value, (np.ndarray, np.generic)) else value
    try:
        ok = not isinstance(value, bool) and 0 <= float(value) < 1
    except (TypeError, ValueError):
        ok = False
    if not ok:
        raise ValueError("`rate` must be a scalar tensor or a float in the range [0, 1). "
                         "Received: rate=%r (the fraction of values dropped; to keep a "
                         "fraction p, pass rate=1 - p)" % (value,))


def _noise_shape(x, noise_shape):
    """Static dims where known, else a shape tensor built from autotrace.shape(x)."""
    if noise_shape is None:
        if x.shape.is_fully_defined():
            return x.shape.as_list()
        return array_ops.shape(x)
    if isinstance(noise_shape, Tensor):
        return noise_shape
    dims = list(noise_shape)
    rank = x.shape.rank
    if rank is not None:
        if len(dims) > rank:
            raise _noise_error(dims, x)
        x_dims = x.shape.as_list()[rank - len(dims):]
        for i, (n, d) in enumerate(zip(dims, x_dims)):
            if n is None:
                dims[i] = d
            elif d is not None and n not in (1, d):
                raise _noise_error(dims, x)
    if all(d is not None for d in dims):
        return [int(d) for d in dims]
    if rank is None:
        raise ValueError("dropout: noise_shape %s has unknown dimensions and x has unknown "
                         "rank" % (noise_shape,))
    dynamic = array_ops.shape(x)
    offset = rank - len(dims)
    return array_ops.stack([dynamic[offset + i] if d is None else d
                            for i, d in enumerate(dims)])


def _noise_error(dims, x):
    return InvalidArgumentError("dropout: noise_shape %s must broadcast to the shape of x %s "
                                "(each dimension 1 or equal to x's)" % (list(dims), x.shape))


def dropout(x, rate, noise_shape=None, seed=None, name=None):
    """Zero each value with probability `rate`, scaling the kept ones by 1 / (1 - rate) so
    the expected sum is unchanged. Random (stateful): a fresh mask on every run; repeatable
    with autotrace.random.set_seed. `noise_shape` shares one decision across broadcast dims.

    >>> import autotrace as tf
    >>> tf.random.set_seed(0)
    >>> kept = tf.nn.dropout(tf.ones([1000]), rate=0.5)
    >>> sorted(set(kept.numpy().tolist()))
    [0.0, 2.0]
    """
    _check_rate(rate)
    x = _tensor(x)
    if not x.dtype.is_floating:
        raise DTypeMismatchError("dropout: x must be a floating point tensor, as it is scaled "
                                 "by 1 / (1 - rate); got %s; cast it first: autotrace.cast(x, "
                                 "autotrace.float32)" % x.dtype.name)
    if isinstance(rate, numbers.Real) and rate == 0:
        random_ops.get_seed(seed)  # consume the op seed anyway, so later ops draw the same
        return x
    with name_scope(name or "dropout"):
        shape = _noise_shape(x, noise_shape)
        uniform = random_ops.uniform(shape, dtype=x.dtype, seed=seed)
        if isinstance(rate, Tensor):
            rate = math_ops.cast(rate, x.dtype) if rate.dtype is not x.dtype else rate
            scale = 1 / (1 - rate)
        else:
            scale = 1 / (1 - float(rate))
        keep = math_ops.greater_equal(uniform, rate)
        return array_ops.where(keep, x * scale, 0.0)
