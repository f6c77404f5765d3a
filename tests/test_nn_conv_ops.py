"""tf.nn.conv2d / conv1d / conv2d_transpose and max/avg pooling: values against direct
NumPy loops (and TF's answers checked by hand), shape rules, errors, and every gradient op
against finite differences to second order."""
import numpy as np
import pytest

import autotrace as tf
from autotrace.core.errors import InvalidArgumentError, InvalidShapeError

RNG = np.random.default_rng(0)


def _same_pads(size, kernel, stride, dilation=1):
    effective = (kernel - 1) * dilation + 1
    out = -(-size // stride)
    total = max((out - 1) * stride + effective - size, 0)
    return total // 2, total - total // 2


def reference_conv2d(x, w, stride, padding, dilation=1):
    """Direct loops: out[n, i, j, o] = sum of x's window (dilated) times the filter."""
    kh, kw, _, o = w.shape
    if padding == "SAME":
        x = np.pad(x, ((0, 0), _same_pads(x.shape[1], kh, stride, dilation),
                       _same_pads(x.shape[2], kw, stride, dilation), (0, 0)))
    eh, ew = (kh - 1) * dilation + 1, (kw - 1) * dilation + 1
    oh, ow = (x.shape[1] - eh) // stride + 1, (x.shape[2] - ew) // stride + 1
    out = np.zeros((x.shape[0], oh, ow, o))
    for i in range(oh):
        for j in range(ow):
            patch = x[:, i * stride:i * stride + eh:dilation, j * stride:j * stride + ew:dilation]
            out[:, i, j] = np.tensordot(patch, w, axes=([1, 2, 3], [0, 1, 2]))
    return out


def reference_pool(x, k, stride, padding, reduce):
    """Direct loops; SAME padding cells are ignored (max) and not counted (mean)."""
    n, h, w, c = x.shape
    if padding == "SAME":
        (top, _), (left, _) = _same_pads(h, k, stride), _same_pads(w, k, stride)
        oh, ow = -(-h // stride), -(-w // stride)
    else:
        top = left = 0
        oh, ow = (h - k) // stride + 1, (w - k) // stride + 1
    out = np.zeros((n, oh, ow, c))
    for i in range(oh):
        for j in range(ow):
            r0, c0 = i * stride - top, j * stride - left
            window = x[:, max(r0, 0):r0 + k, max(c0, 0):c0 + k]
            out[:, i, j] = reduce(window, axis=(1, 2))
    return out


X = RNG.normal(size=(2, 7, 6, 3)).astype(np.float32)
W = RNG.normal(size=(3, 2, 3, 4)).astype(np.float32)


@pytest.mark.parametrize("stride", [1, 2, 3])
@pytest.mark.parametrize("padding", ["SAME", "VALID"])
def test_conv2d_matches_direct_loops(stride, padding):
    got = tf.nn.conv2d(X, W, stride, padding)
    np.testing.assert_allclose(got.numpy(), reference_conv2d(X, W, stride, padding),
                               rtol=1e-4, atol=1e-5)
    traced = tf.function(lambda x: tf.nn.conv2d(x, W, stride, padding))(X)
    np.testing.assert_allclose(traced.numpy(), got.numpy(), rtol=1e-6)


def test_conv2d_dilation_explicit_padding_nchw_and_small_kernels():
    np.testing.assert_allclose(tf.nn.conv2d(X, W, 1, "SAME", dilations=2).numpy(),
                               reference_conv2d(X, W, 1, "SAME", 2), rtol=1e-4, atol=1e-5)
    explicit = tf.nn.conv2d(X, W, 1, [[0, 0], [1, 2], [0, 1], [0, 0]]).numpy()
    padded = np.pad(X, ((0, 0), (1, 2), (0, 1), (0, 0)))
    np.testing.assert_allclose(explicit, reference_conv2d(padded, W, 1, "VALID"), rtol=1e-4,
                               atol=1e-5)
    nchw = tf.nn.conv2d(X.transpose(0, 3, 1, 2), W, 2, "SAME", data_format="NCHW").numpy()
    np.testing.assert_allclose(nchw.transpose(0, 2, 3, 1), reference_conv2d(X, W, 2, "SAME"),
                               rtol=1e-4, atol=1e-5)
    gray = RNG.normal(size=(2, 6, 6, 1)).astype(np.float32)  # the einsum path (9 taps)
    kernel = RNG.normal(size=(3, 3, 1, 5)).astype(np.float32)
    np.testing.assert_allclose(tf.nn.conv2d(gray, kernel, 1, "VALID").numpy(),
                               reference_conv2d(gray, kernel, 1, "VALID"), rtol=1e-4, atol=1e-5)


def test_conv1d_and_conv2d_transpose():
    x1, w1 = RNG.normal(size=(2, 9, 3)), RNG.normal(size=(3, 3, 5))
    got = tf.nn.conv1d(x1, w1, 2, "SAME").numpy()
    want = reference_conv2d(x1[:, None], w1[None], 2, "SAME")[:, 0]
    assert got.shape == (2, 5, 5)
    np.testing.assert_allclose(got[:, :, :], want[:, :, :], rtol=1e-10)
    # conv2d_transpose is the gradient of conv2d with respect to its input
    y = RNG.normal(size=(2, 4, 3, 4))
    x = tf.constant(np.zeros((2, 7, 6, 3)))
    with tf.GradientTape() as tape:
        tape.watch(x)
        out = tf.reduce_sum(tf.nn.conv2d(x, W.astype(np.float64), 2, "SAME") * y)
    transposed = tf.nn.conv2d_transpose(y, W.astype(np.float64), [2, 7, 6, 3], 2, "SAME")
    np.testing.assert_allclose(transposed.numpy(), tape.gradient(out, x).numpy())


@pytest.mark.parametrize("padding", ["SAME", "VALID"])
def test_pooling_matches_direct_loops(padding):
    np.testing.assert_allclose(tf.nn.max_pool2d(X, 3, 2, padding).numpy(),
                               reference_pool(X, 3, 2, padding, np.max))
    np.testing.assert_allclose(tf.nn.avg_pool2d(X, 3, 2, padding).numpy(),
                               reference_pool(X, 3, 2, padding, np.mean), rtol=1e-6)
    x1 = X[:, 0]                                   # (2, 6, 3): steps and channels
    if padding == "VALID":
        want = np.stack([x1[:, i:i + 2].max(axis=1) for i in range(0, 5, 2)], axis=1)
    else:
        want = np.stack([x1[:, i:i + 2].max(axis=1) for i in range(0, 6, 2)], axis=1)
    np.testing.assert_allclose(tf.nn.max_pool1d(x1, 2, 2, padding).numpy(), want)
    np.testing.assert_allclose(tf.nn.avg_pool(x1, 3, 1, padding).numpy(),
                               tf.nn.avg_pool1d(x1, 3, 1, padding).numpy())


def test_max_pool_sends_the_gradient_to_the_first_maximum_as_tf():
    x = tf.constant(np.array([[1.0, 3.0], [3.0, 2.0]], np.float32).reshape(1, 2, 2, 1))
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.nn.max_pool2d(x, 2, 2, "VALID")
    assert tape.gradient(y, x).numpy().ravel().tolist() == [0.0, 1.0, 0.0, 0.0]


def test_avg_pool_same_does_not_count_padding():
    assert tf.nn.avg_pool2d(np.ones((1, 3, 3, 1), np.float32), 2, 2,
                            "SAME").numpy().ravel().tolist() == [1.0] * 4


def test_shapes_while_tracing_with_unknown_sizes():
    @tf.function(input_signature=[tf.TensorSpec([None, None, 6, 3], tf.float32)])
    def f(x):
        y = tf.nn.conv2d(x, W, 2, "SAME")
        assert y.shape.as_list() == [None, None, 3, 4]
        z = tf.nn.max_pool2d(y, 2, 2, "VALID")
        assert z.shape.as_list() == [None, None, 1, 4]
        return z
    assert f(X).shape == (2, 2, 1, 4)


def test_errors_name_the_op_and_the_shapes():
    with pytest.raises(InvalidShapeError, match=r"Conv2D: input has 3 channels \(last "
                                                r"dimension of \(2, 7, 6, 3\)\) but the filter "
                                                r"expects 2"):
        tf.nn.conv2d(X, W[:, :, :2], 1, "SAME")
    with pytest.raises(InvalidShapeError, match=r"Conv2D: input must have rank 4 \(\[batch, "
                                                r"height, width, channels\]\), got shape "
                                                r"\(7, 6, 3\)"):
        tf.nn.conv2d(X[0], W, 1, "SAME")
    with pytest.raises(InvalidArgumentError, match="does not fit in the input's height"):
        tf.nn.conv2d(X, np.ones((9, 1, 3, 1), np.float32), 1, "VALID")
    with pytest.raises(InvalidArgumentError, match="padding must be 'SAME', 'VALID' or explicit"):
        tf.nn.conv2d(X, W, 1, "FULL")
    with pytest.raises(InvalidArgumentError, match="strides along the batch and channel "
                                                   "dimensions must be 1"):
        tf.nn.conv2d(X, W, [2, 1, 1, 1], "SAME")
    with pytest.raises(tf.errors.DTypeMismatchError, match="Conv2D"):
        tf.nn.conv2d(X.astype(np.int32), W.astype(np.int32), 1, "SAME")
    with pytest.raises(InvalidArgumentError, match="MaxPool: the window"):
        tf.nn.max_pool2d(X, 8, 1, "VALID")


@pytest.mark.parametrize("stride, padding", [(1, "VALID"), (2, "SAME")])
def test_conv_gradients_to_second_order(stride, padding):
    x, w = X[:1, :5, :4].astype(np.float64), W[:, :, :, :2].astype(np.float64)
    conv = lambda x, w: tf.nn.conv2d(x, w, stride, padding)  # noqa: E731
    tf.test.check_gradients(conv, [x, w])
    tf.test.check_gradients(conv, [x, w], order=2)
    dilated = lambda x, w: tf.nn.conv2d(x, w, 1, "SAME", dilations=2)  # noqa: E731
    tf.test.check_gradients(dilated, [x, w])


def test_pool_gradients_to_second_order():
    x = RNG.permutation(2 * 5 * 4 * 2).reshape(2, 5, 4, 2).astype(np.float64) / 10  # no ties
    for padding in ("SAME", "VALID"):
        tf.test.check_gradients(lambda x: tf.nn.max_pool2d(x, 3, 2, padding) ** 2, [x],
                                order=2)
        tf.test.check_gradients(lambda x: tf.nn.avg_pool2d(x, 3, 2, padding) ** 2, [x],
                                order=2)


def test_max_pool_grad_grad_gradient():
    """MaxPoolGradGrad (what the second gradient of max pooling runs) is itself linear in
    the gradient it picks from: its gradient is MaxPoolGrad."""
    from autotrace.ops import nn_conv_ops
    from autotrace.ops.registry import apply
    x = tf.constant(RNG.permutation(2 * 5 * 4 * 2).reshape(2, 5, 4, 2).astype(np.float64))
    attrs = {"ksize": (3, 3), "strides": (2, 2), "padding": "SAME"}
    y = apply(nn_conv_ops.MAX_POOL, (x,), attrs)

    def pick(g):
        return apply(nn_conv_ops.MAX_POOL_GRAD_GRAD, (x, y, g), attrs) ** 2
    tf.test.check_gradients(pick, [RNG.normal(size=(2, 5, 4, 2))])
