"""Neural-network losses and statistics (TF's tf.nn): cross-entropies, moments, l2_loss,
l2_normalize, dropout. Re-exported by nn_ops (the `autotrace.nn` namespace).

The softmax cross-entropies are fused ops returning (loss, backprop) as TF's, where backprop
= softmax(logits) - labels is the loss's gradient with respect to the logits: the gradient
rule scales it by the loss's gradient (the second output's own gradient, needed for second
derivatives, is applied through the softmax Jacobian). Dense labels get the gradient
-log_softmax(logits) (as TF); integer labels none. The other functions are composed from math,
array and activation ops, so their gradients come from those ops' rules.

>>> import autotrace as tf
>>> tf.nn.softmax_cross_entropy_with_logits([[0.0, 1.0]], [[0.0, 0.0]]).numpy()
array([0.6931472], dtype=float32)
"""
import numbers

import numpy as np

from ..core import dtypes
from ..core.errors import DTypeMismatchError, InvalidArgumentError, InvalidShapeError
from ..core.graph import name_scope
from ..core.tensor import Tensor
from ..core.tensor_shape import TensorShape
from . import array_ops, math_ops, random_ops
from .constant_op import constant_value, convert_to_tensor
from .nn_activation_ops import (LOG_SOFTMAX, REAL_FLOAT, SOFTMAX, _check_class_axis,
                                _log_softmax_values, _pair, _precise, _quiet, _static_int,
                                _tensor, softmax_jvp, softplus)
from .registry import apply, defop
from .shapes import REAL, broadcast_shapes, check_dtype, check_same_dtype, normalize_axes

__all__ = ["moments", "l2_loss", "dropout", "sigmoid_cross_entropy_with_logits",
           "weighted_cross_entropy_with_logits", "softmax_cross_entropy_with_logits",
           "sparse_softmax_cross_entropy_with_logits", "l2_normalize"]


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
        # As TF: where() on one condition for both kinks, so that at logits == 0 the gradient
        # is exactly sigmoid(0) - labels (relu(x) and -|x| have no consistent derivative there).
        positive = math_ops.greater_equal(logits, array_ops.zeros_like(logits))
        relu_logits = array_ops.where(positive, logits, array_ops.zeros_like(logits))
        neg_abs_logits = array_ops.where(positive, -logits, logits)
        return (relu_logits - logits * labels) + math_ops.log1p(math_ops.exp(neg_abs_logits))


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
        # softplus(-x) = log1p(exp(-|x|)) + relu(-x), as one op: TF's composed form has a
        # wrong gradient at logits == 0 (it differentiates the two kinks separately).
        softplus_neg = softplus(-logits)
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


def _is_zero(t):
    """Known (eagerly, or as a constant) to be all zeros: the backprop output's gradient is
    usually the zeros the walk fills in for an unused output."""
    value = constant_value(t)
    return value is not None and not np.any(value)


def _xent_logits_grad(op, grad_loss, grad_backprop, axis):
    """d/dlogits of a fused softmax cross-entropy: grad_loss scales the backprop output;
    grad_backprop (for second derivatives) goes through the softmax Jacobian."""
    logits = op.inputs[0]
    grad = array_ops.expand_dims(grad_loss, axis) * op.outputs[1]
    if grad_backprop is not None and not _is_zero(grad_backprop):
        probs = apply(SOFTMAX, (logits,), {"axis": axis})
        grad = grad + softmax_jvp(grad_backprop, probs, axis)
    return grad


def _xent_grad(op, grad_loss, grad_backprop):
    logits, labels = op.inputs
    axis = op.attrs["axis"]
    grad_logits = _xent_logits_grad(op, grad_loss, grad_backprop, axis)
    # labels: -grad_loss * log_softmax(logits) (as TF), and -grad_backprop since backprop =
    # softmax - labels (TF leaves this second-order term out).
    log_probs = apply(LOG_SOFTMAX, (logits,), {"axis": axis})
    grad_labels = array_ops.expand_dims(grad_loss, axis) * (0 - log_probs)
    if grad_backprop is not None and not _is_zero(grad_backprop):
        grad_labels = grad_labels - grad_backprop
    return [math_ops.unbroadcast(grad_logits, logits),
            math_ops.unbroadcast(grad_labels, labels)]


# eager_check: mismatched shapes would otherwise broadcast in ways TF rejects.
SOFTMAX_XENT = defop("SoftmaxCrossEntropyWithLogits", _quiet(_xent), _xent_infer,
                     grad=_xent_grad, inputs=("features", "labels"), multi_output=True,
                     eager_check=True)


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


def _sparse_xent_grad(op, grad_loss, grad_backprop):
    # Integer labels get no gradient. (TF's second derivative here is silently zero; this one
    # goes through the softmax Jacobian, as for dense labels.)
    return [_xent_logits_grad(op, grad_loss, grad_backprop, -1), None]


# eager_check: labels of the wrong shape would otherwise broadcast silently.
SPARSE_SOFTMAX_XENT = defop("SparseSoftmaxCrossEntropyWithLogits", _quiet(_sparse_xent),
                            _sparse_xent_infer, grad=_sparse_xent_grad,
                            inputs=("features", "labels"), multi_output=True,
                            eager_check=True)


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
        # TF stops the gradient through `mean` here; its contribution to the first derivative
        # is 0 anyway, but without it second derivatives would be wrong.
        variance = math_ops.reduce_mean(math_ops.squared_difference(y, mean), axes,
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
