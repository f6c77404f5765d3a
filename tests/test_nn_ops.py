"""tf.nn: activations, softmax, cross-entropies, moments, l2 ops, bias_add and dropout.

Values are checked against NumPy formulas (in float64) eagerly and through Session-run graphs
(known and unknown shapes); extreme inputs must give finite results."""
import numpy as np
import pytest

import autotrace as tf
from autotrace.errors import DTypeMismatchError, InvalidArgumentError, InvalidShapeError

from helpers import check_op

v1 = tf.compat.v1

X = np.array([-1000.0, -20.0, -1.5, -0.0, 0.5, 3.0, 7.0, 1000.0], np.float32)
SELU_ALPHA, SELU_SCALE = 1.6732632423543772848170429916717, 1.0507009873554804934193349852946


def _f64(x):
    return np.asarray(x, np.float64)


def _log_softmax_ref(x, axis=-1):
    x = _f64(x)
    shifted = x - x.max(axis=axis, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=axis, keepdims=True))


ACTIVATIONS = [
    (tf.nn.relu, lambda x: np.maximum(x, 0)),
    (tf.nn.relu6, lambda x: np.minimum(np.maximum(x, 0), 6)),
    (tf.nn.elu, lambda x: np.where(x > 0, x, np.expm1(np.minimum(x, 0)))),
    (tf.nn.selu, lambda x: SELU_SCALE * np.where(x > 0, x,
                                                 SELU_ALPHA * np.expm1(np.minimum(x, 0)))),
    (tf.nn.leaky_relu, lambda x: np.where(x > 0, x, 0.2 * x)),
    (tf.nn.softplus, lambda x: np.logaddexp(x, 0)),
    (tf.nn.softsign, lambda x: x / (1 + np.abs(x))),
    (tf.nn.sigmoid, lambda x: 0.5 * (1 + np.tanh(0.5 * x))),
    (tf.nn.tanh, np.tanh),
    (tf.nn.silu, lambda x: x * 0.5 * (1 + np.tanh(0.5 * x))),
]


@pytest.mark.parametrize("fn, ref", ACTIVATIONS, ids=lambda v: getattr(v, "__name__", ""))
def test_activation_values_on_extreme_inputs(fn, ref):
    expected = ref(_f64(X)).astype(np.float32)
    assert np.all(np.isfinite(expected))
    # math_ops' sigmoid (used by sigmoid and silu) rounds tails below ~1e-8 to 0; TF does not
    atol = 1e-7 if fn in (tf.nn.sigmoid, tf.nn.silu) else 1e-30
    check_op(fn, X, expected=expected, rtol=1e-6, atol=atol)


@pytest.mark.parametrize("fn, ref", ACTIVATIONS, ids=lambda v: getattr(v, "__name__", ""))
def test_activation_keeps_float64(fn, ref):
    x = np.array([-3.0, -0.25, 0.0, 2.0], np.float64)
    check_op(fn, x, expected=ref(x), rtol=1e-12)


def test_softplus_is_accurate_at_both_tails():
    x = np.array([-100.0, -30.0, 30.0, 100.0, 3e38], np.float32)
    got = tf.nn.softplus(x).numpy()
    np.testing.assert_allclose(got, np.logaddexp(_f64(x), 0).astype(np.float32), rtol=1e-6)
    assert got[0] > 0 and np.isfinite(got).all()


def test_relu_family_keeps_integer_dtypes():
    check_op(tf.nn.relu, np.array([-3, 0, 5], np.int32), expected=np.array([0, 0, 5], np.int32))
    check_op(tf.nn.relu6, np.array([-3, 4, 9], np.int64),
             expected=np.array([0, 4, 6], np.int64))


def test_leaky_relu_alpha_and_integer_input():
    check_op(lambda x: tf.nn.leaky_relu(x, alpha=2.0), np.array([-1.0, 3.0], np.float32),
             expected=np.array([-2.0, 3.0], np.float32))
    out = tf.nn.leaky_relu(tf.constant([-5, 5]))  # TF casts integers to float32
    assert out.dtype == tf.float32
    np.testing.assert_allclose(out.numpy(), [-1.0, 5.0])


def test_activations_propagate_nan():
    for fn in (tf.nn.relu, tf.nn.elu, tf.nn.selu, tf.nn.softplus, tf.nn.leaky_relu):
        assert np.isnan(fn(tf.constant([np.nan])).numpy()[0]), fn.__name__


@pytest.mark.parametrize("fn", [tf.nn.elu, tf.nn.selu, tf.nn.softplus, tf.nn.softsign,
                                tf.nn.softmax, tf.nn.log_softmax, tf.nn.l2_loss])
def test_float_only_ops_reject_integers(fn):
    with pytest.raises(DTypeMismatchError, match="int32.*floating-point"):
        fn(tf.constant([1, 2]))


def test_relu_rejects_bool_in_graph_too():
    with tf.Graph().as_default():
        with pytest.raises(TypeError, match="Relu.*bool"):
            tf.nn.relu(v1.placeholder(tf.bool, [2]))


# -- softmax / log_softmax ---------------------------------------------------------------------

def test_softmax_extreme_logits_are_finite_and_sum_to_one():
    logits = np.array([[1000.0, 0.0, -1000.0], [-1e4, -1e4, -1e4], [3.0, 1.0, 0.2]],
                      np.float32)
    expected = np.exp(_log_softmax_ref(logits)).astype(np.float32)
    check_op(tf.nn.softmax, logits, expected=expected, rtol=1e-6)
    out = tf.nn.softmax(logits).numpy()
    np.testing.assert_allclose(out.sum(axis=-1), 1.0, rtol=1e-6)


def test_log_softmax_extreme_logits():
    logits = np.array([[1000.0, 0.0, -1000.0], [5.0, 5.0, 5.0]], np.float32)
    expected = _log_softmax_ref(logits).astype(np.float32)
    np.testing.assert_array_equal(expected[0], [0.0, -1000.0, -2000.0])
    check_op(tf.nn.log_softmax, logits, expected=expected, rtol=1e-6)


@pytest.mark.parametrize("axis", [0, 1, -2])
def test_softmax_along_other_axes(axis):
    logits = np.arange(24, dtype=np.float32).reshape(2, 3, 4) / 5.0
    check_op(lambda x: tf.nn.softmax(x, axis=axis), logits,
             expected=np.exp(_log_softmax_ref(logits, axis)).astype(np.float32), rtol=1e-6)
    check_op(lambda x: tf.nn.log_softmax(x, axis=axis), logits,
             expected=_log_softmax_ref(logits, axis).astype(np.float32), rtol=1e-5)


def test_softmax_float16_and_float64_keep_their_dtype():
    for dtype in (np.float16, np.float64):
        logits = np.array([1.0, 2.0, 3.0], dtype)
        out = tf.nn.softmax(logits).numpy()
        assert out.dtype == dtype
        np.testing.assert_allclose(out, np.exp(_log_softmax_ref(logits)), rtol=1e-3)


def test_softmax_errors():
    with pytest.raises(InvalidArgumentError, match="Softmax: logits must have rank >= 1"):
        tf.nn.softmax(tf.constant(1.0))
    with pytest.raises(InvalidArgumentError) as info:
        tf.nn.softmax(tf.ones([2, 2]), axis=5)
    assert str(info.value) == ("Softmax: axis 5 is out of range for a tensor of rank 2 "
                               "(valid: -2 to 1)")


def test_softmax_of_empty_batch():
    assert tf.nn.softmax(tf.zeros([0, 3])).shape == tf.TensorShape([0, 3])


# -- cross-entropies ---------------------------------------------------------------------------

def _sigmoid_xent_ref(labels, logits):
    x, z = _f64(logits), _f64(labels)
    return np.maximum(x, 0) - x * z + np.log1p(np.exp(-np.abs(x)))


def test_sigmoid_cross_entropy_stable_formula():
    logits = np.array([1000.0, -1000.0, 1000.0, -1000.0, 0.0, 2.5, -3.0], np.float32)
    labels = np.array([1.0, 0.0, 0.0, 1.0, 0.5, 1.0, 0.25], np.float32)
    expected = _sigmoid_xent_ref(labels, logits).astype(np.float32)
    np.testing.assert_allclose(expected[:4], [0.0, 0.0, 1000.0, 1000.0])
    check_op(lambda z, x: tf.nn.sigmoid_cross_entropy_with_logits(labels=z, logits=x),
             labels, logits, expected=expected, rtol=1e-6)


def test_sigmoid_cross_entropy_accepts_positional_and_python_values():
    # TF 2 takes (labels, logits) positionally; only compat.v1 insisted on keywords
    out = tf.nn.sigmoid_cross_entropy_with_logits([1.0, 0.0], [1.0, 2.0])
    np.testing.assert_allclose(out.numpy(), _sigmoid_xent_ref([1.0, 0.0], [1.0, 2.0]),
                               rtol=1e-6)


def test_sigmoid_cross_entropy_errors():
    with pytest.raises(ValueError, match="Both `labels` and `logits` must be provided"):
        tf.nn.sigmoid_cross_entropy_with_logits(labels=[1.0])
    with pytest.raises(ValueError, match=r"must have the same shape.*\(2,\).*\(3,\)"):
        tf.nn.sigmoid_cross_entropy_with_logits(labels=tf.ones([3]), logits=tf.ones([2]))
    with pytest.raises(TypeError, match="logits has dtype float32 but labels has dtype int32"):
        tf.nn.sigmoid_cross_entropy_with_logits(labels=tf.constant([1, 0]),
                                                logits=tf.constant([1.0, 2.0]))


def test_weighted_cross_entropy():
    logits = np.array([2.0, -1.0, 1000.0, -1000.0], np.float32)
    labels = np.array([1.0, 0.0, 1.0, 1.0], np.float32)
    x, z, q = _f64(logits), _f64(labels), 3.0
    expected = (1 - z) * x + (1 + (q - 1) * z) * (np.log1p(np.exp(-np.abs(x))) +
                                                   np.maximum(-x, 0))
    out = tf.nn.weighted_cross_entropy_with_logits(labels, logits, pos_weight=q)
    np.testing.assert_allclose(out.numpy(), expected, rtol=1e-6)


def _softmax_xent_ref(labels, logits, axis=-1):
    return -(_f64(labels) * _log_softmax_ref(logits, axis)).sum(axis=axis)


def test_softmax_cross_entropy_extreme_logits():
    logits = np.array([[1000.0, -1000.0], [0.0, 5.0], [-1000.0, 1000.0]], np.float32)
    labels = np.array([[1.0, 0.0], [0.0, 1.0], [0.5, 0.5]], np.float32)
    expected = _softmax_xent_ref(labels, logits).astype(np.float32)
    np.testing.assert_allclose(expected, [0.0, 0.00671535, 1000.0], rtol=1e-5)
    check_op(lambda z, x: tf.nn.softmax_cross_entropy_with_logits(labels=z, logits=x),
             labels, logits, expected=expected, rtol=1e-6)


def test_softmax_cross_entropy_axis_and_rank3():
    logits = np.arange(24, dtype=np.float32).reshape(2, 3, 4) / 7.0
    labels = np.full((2, 3, 4), 0.25, np.float32)
    for axis in (-1, 0, 1):
        check_op(lambda z, x: tf.nn.softmax_cross_entropy_with_logits(z, x, axis=axis),
                 labels, logits, expected=_softmax_xent_ref(labels, logits, axis)
                 .astype(np.float32), rtol=1e-6)


def test_softmax_cross_entropy_broadcasts_labels_and_casts_them():
    logits = np.array([[1.0, 2.0], [3.0, 4.0]], np.float32)
    out = tf.nn.softmax_cross_entropy_with_logits(labels=[[1.0, 0.0]], logits=logits)
    np.testing.assert_allclose(out.numpy(), [1.3132616, 1.3132616], rtol=1e-6)
    out = tf.nn.softmax_cross_entropy_with_logits(labels=tf.constant([[1, 0]]),
                                                  logits=tf.constant([[1.0, 2.0]]))
    assert out.dtype == tf.float32
    np.testing.assert_allclose(out.numpy(), [1.3132616], rtol=1e-6)


def test_softmax_cross_entropy_float16():
    out = tf.nn.softmax_cross_entropy_with_logits(
        labels=tf.constant([[1.0, 0.0]], tf.float16), logits=tf.constant([[1.0, 2.0]],
                                                                           tf.float16))
    assert out.dtype == tf.float16
    np.testing.assert_allclose(out.numpy(), [1.3132616], rtol=1e-3)


def test_softmax_cross_entropy_errors():
    with pytest.raises(InvalidShapeError) as info:
        tf.nn.softmax_cross_entropy_with_logits(labels=tf.ones([1, 3]), logits=tf.ones([1, 2]))
    assert str(info.value) == ("SoftmaxCrossEntropyWithLogits: logits (1, 2) and labels (1, 3) "
                               "must have the same shape (or broadcast)")
    with pytest.raises(InvalidArgumentError, match="logits must have rank >= 1"):
        tf.nn.softmax_cross_entropy_with_logits(labels=1.0, logits=2.0)
    with pytest.raises(DTypeMismatchError, match="logits has dtype int32"):
        tf.nn.softmax_cross_entropy_with_logits(labels=[[1, 0]], logits=[[1, 2]])


def _sparse_xent_ref(labels, logits):
    log_probs = _log_softmax_ref(logits)
    return -np.take_along_axis(log_probs, _f64(labels).astype(int)[..., None], -1)[..., 0]


def test_sparse_softmax_cross_entropy_extreme_logits():
    logits = np.array([[1000.0, -1000.0, 0.0], [0.0, 5.0, 1.0], [-1000.0, 1000.0, 3.0]],
                      np.float32)
    labels = np.array([0, 1, 0], np.int32)
    expected = _sparse_xent_ref(labels, logits).astype(np.float32)
    np.testing.assert_allclose(expected, [0.0, 0.0247449, 2000.0], rtol=1e-5)
    check_op(lambda z, x: tf.nn.sparse_softmax_cross_entropy_with_logits(labels=z, logits=x),
             labels, logits, expected=expected, rtol=1e-5)


def test_sparse_softmax_cross_entropy_rank3_int64_and_scalar():
    logits = np.arange(24, dtype=np.float32).reshape(2, 3, 4) / 3.0
    labels = np.array([[0, 1, 2], [3, 2, 1]], np.int64)
    check_op(lambda z, x: tf.nn.sparse_softmax_cross_entropy_with_logits(z, x), labels, logits,
             expected=_sparse_xent_ref(labels, logits).astype(np.float32), rtol=1e-6)
    out = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=0, logits=[1.0, 1.0, 1.0])
    np.testing.assert_allclose(out.numpy(), np.log(3.0), rtol=1e-6)


def test_sparse_softmax_cross_entropy_matches_dense_with_one_hot():
    logits = np.array([[0.3, -2.0, 4.0], [1.0, 1.0, -1.0]], np.float32)
    labels = np.array([2, 0], np.int32)
    sparse = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits)
    dense = tf.nn.softmax_cross_entropy_with_logits(labels=np.eye(3, dtype=np.float32)[labels],
                                                    logits=logits)
    np.testing.assert_allclose(sparse.numpy(), dense.numpy(), rtol=1e-6)


def test_sparse_label_out_of_range_names_label_and_classes():
    logits = tf.constant([[1.0, 2.0], [0.0, 5.0]])
    with pytest.raises(InvalidArgumentError) as info:
        tf.nn.sparse_softmax_cross_entropy_with_logits(labels=tf.constant([0, 2]), logits=logits)
    assert str(info.value) == (
        "SparseSoftmaxCrossEntropyWithLogits: received a label value of 2 (at labels[1]) which "
        "is outside the valid range of [0, 2): logits of shape (2, 2) have 2 classes. Label "
        "values: 0 2")
    with pytest.raises(InvalidArgumentError, match="label value of -1 .* range of \\[0, 2\\)"):
        tf.nn.sparse_softmax_cross_entropy_with_logits(labels=tf.constant([-1, 0]),
                                                       logits=logits)


def test_sparse_label_out_of_range_in_a_session():
    graph = tf.Graph()
    with graph.as_default():
        labels = v1.placeholder(tf.int32)
        loss = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels,
                                                              logits=tf.ones([2, 3]))
    with v1.Session(graph=graph) as sess:
        np.testing.assert_allclose(sess.run(loss, {labels: [0, 2]}), [np.log(3.0)] * 2,
                                   rtol=1e-6)
        with pytest.raises(InvalidArgumentError, match="label value of 3 .* 3 classes"):
            sess.run(loss, {labels: [0, 3]})
        with pytest.raises(InvalidArgumentError, match="labels must have the shape of logits"):
            sess.run(loss, {labels: [0, 1, 2]})


def test_sparse_softmax_cross_entropy_errors():
    with pytest.raises(TypeError, match="labels must be int32 or int64"):
        tf.nn.sparse_softmax_cross_entropy_with_logits(labels=[0.0, 1.0], logits=tf.ones([2, 2]))
    with pytest.raises(ValueError, match=r"logits \(2, 2\) need labels \(2,\), got labels "
                                         r"\(1, 2\)"):
        tf.nn.sparse_softmax_cross_entropy_with_logits(labels=[[0, 1]], logits=tf.ones([2, 2]))
    with pytest.raises(ValueError, match="Both `labels` and `logits`"):
        tf.nn.sparse_softmax_cross_entropy_with_logits(labels=[0], logits=None)


def test_cross_entropy_graph_shapes_with_unknown_batch():
    with tf.Graph().as_default():
        logits = v1.placeholder(tf.float32, [None, 5])
        sparse = tf.nn.sparse_softmax_cross_entropy_with_logits(
            labels=v1.placeholder(tf.int64, [None]), logits=logits)
        dense = tf.nn.softmax_cross_entropy_with_logits(labels=v1.placeholder(tf.float32,
                                                                              [None, 5]),
                                                        logits=logits)
    assert sparse.shape.as_list() == [None] and dense.shape.as_list() == [None]
    assert sparse.op.type == "SparseSoftmaxCrossEntropyWithLogits"
    assert dense.op.type == "SoftmaxCrossEntropyWithLogits"


# -- moments, l2_loss, l2_normalize, bias_add --------------------------------------------------

def test_moments_values():
    x = np.array([[1.0, 2.0, 6.0], [3.0, 5.0, 7.0]], np.float32)
    for axes in ([0], [1], [0, 1], [-1]):
        mean = x.mean(axis=tuple(axes))
        var = x.var(axis=tuple(axes))
        check_op(lambda t: tf.nn.moments(t, axes), x, expected=[mean, var], rtol=1e-6)


def test_moments_keepdims_int_axis_and_float16():
    x = np.array([[1.0, 2.0], [3.0, 5.0]], np.float32)
    mean, var = tf.nn.moments(x, [0], keepdims=True)
    assert mean.shape == tf.TensorShape([1, 2])
    np.testing.assert_allclose(var.numpy(), [[1.0, 2.25]])
    mean, var = tf.nn.moments(x, 0)
    np.testing.assert_allclose(mean.numpy(), [2.0, 3.5])
    mean, var = tf.nn.moments(tf.constant([1.0, 2.0], tf.float16), [0])
    assert mean.dtype == var.dtype == tf.float16
    assert (float(mean), float(var)) == (1.5, 0.25)


def test_moments_of_large_offset_values_is_accurate():
    x = np.array([1e4 + 1, 1e4 + 2, 1e4 + 3], np.float32)
    _, var = tf.nn.moments(x, [0])
    np.testing.assert_allclose(var.numpy(), 2.0 / 3.0, rtol=1e-5)


def test_l2_loss():
    check_op(tf.nn.l2_loss, np.array([[1.0, 2.0], [3.0, 4.0]], np.float32),
             expected=np.float32(15.0))
    check_op(tf.nn.l2_loss, np.array([0.5, -1.5], np.float64), expected=np.float64(1.25))


def test_l2_normalize():
    x = np.array([[3.0, 4.0], [6.0, 8.0], [0.0, 0.0]], np.float32)
    norms = np.sqrt(np.maximum((_f64(x) ** 2).sum(axis=1, keepdims=True), 1e-12))
    check_op(lambda t: tf.nn.l2_normalize(t, axis=1), x,
             expected=(x / norms).astype(np.float32), rtol=1e-6)
    check_op(lambda t: tf.nn.l2_normalize(t, axis=0), x[:2],
             expected=(x[:2] / np.sqrt((_f64(x[:2]) ** 2).sum(0))).astype(np.float32),
             rtol=1e-6)
    np.testing.assert_allclose(tf.nn.l2_normalize([3.0, 4.0]).numpy(), [0.6, 0.8], rtol=1e-6)
    with pytest.raises(DTypeMismatchError, match="l2_normalize"):
        tf.nn.l2_normalize([3, 4])


def test_bias_add_channels_last_and_first():
    value = np.arange(12, dtype=np.float32).reshape(2, 2, 3)
    bias = np.array([10.0, 20.0, 30.0], np.float32)
    check_op(tf.nn.bias_add, value, bias, expected=value + bias)
    bias2 = np.array([100.0, 200.0], np.float32)
    check_op(lambda v, b: tf.nn.bias_add(v, b, data_format="NCHW"), value, bias2,
             expected=value + bias2[:, None])
    check_op(tf.nn.bias_add, np.array([[1, 2]], np.int32), np.array([1, 2], np.int32),
             expected=np.array([[2, 4]], np.int32))


def test_bias_add_errors():
    with pytest.raises(InvalidShapeError) as info:
        tf.nn.bias_add(tf.ones([2, 2]), tf.constant([1.0, 2.0, 3.0]))
    assert str(info.value) == ("BiasAdd: bias has 3 values but value (2, 2) has 2 channels "
                               "(dimension 1, data_format NHWC); they must be equal")
    with pytest.raises(InvalidShapeError, match="value must have rank >= 2"):
        tf.nn.bias_add(tf.ones([2]), tf.ones([2]))
    with pytest.raises(InvalidShapeError, match="bias must be a vector"):
        tf.nn.bias_add(tf.ones([1, 2]), tf.ones([1, 2]))
    with pytest.raises(DTypeMismatchError, match="value has dtype float32 but bias has dtype"):
        tf.nn.bias_add(tf.ones([1, 2]), tf.constant([1, 2]))
    with pytest.raises(ValueError, match="data_format"):
        tf.nn.bias_add(tf.ones([1, 2]), tf.ones([2]), data_format="HWCN")


def test_bias_add_checks_shapes_at_run_time_when_unknown():
    graph = tf.Graph()
    with graph.as_default():
        value, bias = v1.placeholder(tf.float32), v1.placeholder(tf.float32)
        out = tf.nn.bias_add(value, bias)
    with v1.Session(graph=graph) as sess:
        with pytest.raises(InvalidArgumentError, match="bias has 1 values but value"):
            sess.run(out, {value: np.ones([2, 3]), bias: [1.0]})  # NumPy would broadcast


# -- dropout -----------------------------------------------------------------------------------

def test_dropout_keeps_about_one_minus_rate_and_scales():
    tf.random.set_seed(1)
    out = tf.nn.dropout(tf.ones([20000]), rate=0.3).numpy()
    kept = out != 0
    assert abs(kept.mean() - 0.7) < 0.02  # ~7 standard deviations
    np.testing.assert_allclose(out[kept], 1 / 0.7, rtol=1e-6)
    assert out.dtype == np.float32


def test_dropout_preserves_expected_sum():
    tf.random.set_seed(3)
    x = np.linspace(0.5, 1.5, 50000).astype(np.float32)
    out = tf.nn.dropout(x, rate=0.5).numpy()
    assert abs(out.sum() / x.sum() - 1) < 0.03
    np.testing.assert_allclose(out[out != 0], 2 * x[out != 0], rtol=1e-6)


def test_dropout_is_deterministic_under_set_seed():
    tf.random.set_seed(42)
    a = tf.nn.dropout(tf.ones([100]), rate=0.5).numpy()
    b = tf.nn.dropout(tf.ones([100]), rate=0.5).numpy()
    tf.random.set_seed(42)
    np.testing.assert_array_equal(tf.nn.dropout(tf.ones([100]), rate=0.5).numpy(), a)
    np.testing.assert_array_equal(tf.nn.dropout(tf.ones([100]), rate=0.5).numpy(), b)
    assert not np.array_equal(a, b)


def test_dropout_rate_zero_is_the_identity():
    x = tf.constant([1.0, 2.0, 3.0])
    assert tf.nn.dropout(x, rate=0.0) is x
    assert tf.nn.dropout(x, rate=0) is x


@pytest.mark.parametrize("rate", [1.0, -0.1, 1.5, float("nan"), True])
def test_dropout_rejects_bad_rates(rate):
    with pytest.raises(ValueError, match=r"`rate` must be a scalar tensor or a float in the "
                                         r"range \[0, 1\)"):
        tf.nn.dropout(tf.ones([4]), rate=rate)


def test_dropout_rate_tensor():
    with pytest.raises(ValueError, match="rate=1.5"):
        tf.nn.dropout(tf.ones([4]), rate=tf.constant(1.5))
    tf.random.set_seed(0)
    out = tf.nn.dropout(tf.ones([1000]), rate=tf.constant(0.75)).numpy()
    assert set(np.unique(out).tolist()) == {0.0, 4.0}


def test_dropout_rejects_integer_x():
    with pytest.raises(DTypeMismatchError, match="x must be a floating point tensor"):
        tf.nn.dropout(tf.constant([1, 2]), rate=0.5)


def test_dropout_noise_shape_shares_decisions():
    tf.random.set_seed(5)
    out = tf.nn.dropout(tf.ones([50, 8]), rate=0.5, noise_shape=[50, 1]).numpy()
    assert (out == out[:, :1]).all()  # whole rows kept or dropped
    assert 0 < (out[:, 0] != 0).sum() < 50
    out = tf.nn.dropout(tf.ones([6, 40]), rate=0.5, noise_shape=[None, 1]).numpy()
    assert (out == out[:, :1]).all()
    with pytest.raises(InvalidArgumentError, match=r"noise_shape \[2, 1\] must broadcast"):
        tf.nn.dropout(tf.ones([3, 4]), rate=0.5, noise_shape=[2, 1])


def test_dropout_in_a_session_draws_a_new_mask_each_run():
    graph = tf.Graph()
    with graph.as_default():
        x = v1.placeholder(tf.float32, [None])
        out = tf.nn.dropout(x, rate=0.5, seed=7)
    assert out.shape.as_list() == [None]
    with v1.Session(graph=graph) as sess:
        a = sess.run(out, {x: np.ones(200)})
        b = sess.run(out, {x: np.ones(200)})
    assert set(np.unique(a).tolist()) <= {0.0, 2.0}
    assert not np.array_equal(a, b)
