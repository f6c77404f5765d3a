"""Every op the ONNX exporter converts, on both sides: each case is exported, checked by
onnx.checker and run by onnxruntime, and must compute what the NumPy path computes. The
conftest checks, after a full run, that every converter was used by a case here."""
import numpy as np
import pytest

pytest.importorskip("onnx")
pytest.importorskip("onnxruntime")

import autotrace as tf  # noqa: E402
from tests.onnx_export.differential import check_exported  # noqa: E402

RNG = np.random.default_rng(3)
X = tf.constant(RNG.uniform(0.1, 0.9, (2, 3)).astype(np.float32))
Y = tf.constant(RNG.uniform(0.5, 2.0, (2, 3)).astype(np.float32))
I = tf.constant(np.array([[3, -7, 0], [12, 5, -1]], np.int32))
J = tf.constant(np.array([[2, 3, 5], [-4, 7, 1]], np.int32))
B = tf.constant(np.array([[True, False, True], [False, False, True]]))
M = tf.constant(RNG.normal(size=(3, 4)).astype(np.float32))
N = tf.constant(RNG.normal(size=(4, 2)).astype(np.float32))
ANY_2D = tf.TensorSpec([None, None], tf.float32)


def unary(x):
    m = tf.math
    return [tf.abs(x - 0.5), tf.negative(x), tf.sign(x - 0.5), tf.square(x), tf.sqrt(x),
            m.rsqrt(x), tf.exp(x), tf.math.log(x), m.log1p(x), m.expm1(x), tf.sin(x),
            tf.cos(x), tf.tan(x), m.asin(x), m.acos(x), m.atan(x), m.sinh(x), m.cosh(x),
            tf.tanh(x), tf.sigmoid(x * 8.0 - 4.0), tf.round(x * 4.0), tf.floor(x * 4.0),
            m.ceil(x * 4.0), m.reciprocal(x), m.is_nan(x / (x - x)), m.is_inf(x / 0.0),
            m.is_finite(tf.math.log(x - 0.5)), m.erf(x * 4.0 - 2.0)]


def binary(x, y):
    m = tf.math
    return [x + y, x - y, x * y, x / y, x // (y - 1.2), m.floormod(x * 5.0, y - 1.2),
            tf.pow(x, y), tf.maximum(x, y - 0.7), tf.minimum(x, y - 0.7),
            tf.squared_difference(x, y), m.atan2(x - 0.5, y - 1.0), m.atan2(y - 1.0, x - 0.5),
            m.divide_no_nan(x, y * tf.cast(x > 0.5, tf.float32)), x < y - 1, x <= y - 1,
            x > y - 1, x >= y - 1, tf.equal(x, x), tf.not_equal(x, y)]


def integers(i, j, b):
    m = tf.math
    return [i + j, i * j, i // j, m.floormod(i, j), tf.abs(i), tf.sign(i), tf.maximum(i, j),
            m.invert(i), i & j, i | j, i ^ j, tf.logical_and(b, i > 0),
            tf.logical_or(b, i > 0), tf.logical_not(b), tf.reduce_mean(i, axis=1),
            tf.cast(i, tf.float32), tf.cast(b, tf.int64), tf.add_n([i, j, i])]


def reductions(x, i, b):
    return [tf.reduce_sum(x), tf.reduce_sum(x, axis=1, keepdims=True), tf.reduce_prod(x, 0),
            tf.reduce_mean(x, axis=[0, 1]), tf.reduce_max(x, 1), tf.reduce_min(x),
            tf.reduce_max(i, axis=0), tf.reduce_all(b, 1), tf.reduce_any(b), tf.argmax(x, 1),
            tf.argmin(x, 0, output_type=tf.int32), tf.math.cumsum(x, 1),
            tf.math.cumsum(x, 1, exclusive=True, reverse=True)]


def products(m, n):
    return [tf.matmul(m, n), tf.matmul(m, m, transpose_b=True),
            tf.matmul(n, m, transpose_a=True, transpose_b=True), tf.einsum("ij,jk->ik", m, n),
            tf.einsum("ij->j", m)]


@pytest.mark.parametrize("fn, args", [
    (unary, (X,)), (binary, (X, Y)), (integers, (I, J, B)), (reductions, (X, I, B)),
    (products, (M, N)),
], ids=lambda v: getattr(v, "__name__", ""))
def test_math(fn, args, tmp_path):
    check_exported(fn, *args, tmp_path=tmp_path)


def shapes(x):
    rows, cols = tf.shape(x)[0], tf.shape(x)[1]
    return [tf.shape(x), tf.size(x), tf.rank(x), tf.reshape(x, [-1]), tf.reshape(x, [cols, rows]),
            tf.fill([rows, 2], x[0, 0]), tf.range(cols), tf.broadcast_to(x[0], [4, cols]),
            tf.tile(x, [2, 1]), tf.one_hot(tf.range(cols) % 2, rows),
            tf.one_hot([1, 0, 2], 3, axis=0, on_value=5, off_value=-1)]


def reshaping(x):
    a, b = tf.split(x, [1, -1], axis=1)
    with tf.control_dependencies([tf.no_op()]):
        kept = tf.identity(x)
        stopped = tf.stop_gradient(x * 2.0)
    return [tf.transpose(x), tf.expand_dims(x, 1), tf.squeeze(tf.expand_dims(x, 0), 0),
            tf.squeeze(tf.reshape(x, [1, 2, 1, 3])), tf.stack([x, x], 1), tf.stack([x, x], -1),
            tf.unstack(x, axis=1), tf.concat([x, x * 2.0], 0), tf.split(x, 3, axis=1), a, b,
            tf.reverse(x, [1]), tf.reverse(x, [0, 1]), kept, stopped]


def padding_and_slicing(x, i):
    return [tf.pad(x, [[1, 0], [2, 1]]), tf.pad(x, [[1, 1], [0, 2]], constant_values=-3.0),
            tf.pad(x, [[1, 1], [2, 2]], "REFLECT"), tf.slice(x, [0, 1], [2, -1]),
            tf.slice(x, [i[1, 2] + 1, 0], [1, 2]), x[1], x[:, 1:], x[::-1, ::2],
            x[..., tf.newaxis, 0], x[i[1, 2] + 1], x[:, i[1, 1] - 4], x[-1, -2:],
            tf.strided_slice(x, [0, 0], [2, 3], [1, 2])]


def gathering(x, i, rows):
    return [tf.gather(x, rows), tf.gather(x, [2, 0], axis=1), tf.gather_nd(x, [[0, 1], [1, 2]]),
            tf.gather_nd(tf.stack([x, x]), [[0], [1]], batch_dims=1), tf.where(x > 0.5, x, -x),
            tf.scatter_nd(tf.reshape(rows, [-1, 1]), [[1.0, 2.0, 3.0]] * 3, [3, 3]),
            tf.math.unsorted_segment_sum(x, [1, -1], 3), tf.sort(x),
            tf.sort(i, direction="DESCENDING"), tf.argsort(x, axis=0), tf.math.top_k(x, 2)]


def test_array_ops(tmp_path):
    check_exported(shapes, X, tmp_path=tmp_path, input_signature=[ANY_2D])
    check_exported(reshaping, X, tmp_path=tmp_path)
    check_exported(padding_and_slicing, X, I, tmp_path=tmp_path)
    check_exported(gathering, X, I, tf.constant([1, 0, 1]), tmp_path=tmp_path)


def activations(x, labels, one_hot):
    nn = tf.nn
    s = x * 4.0 - 2.0
    return [nn.relu(s), nn.elu(s), nn.selu(s), nn.softplus(s), nn.softsign(s),
            nn.leaky_relu(s, 0.1), nn.softmax(s), nn.log_softmax(s, axis=0),
            nn.softmax_cross_entropy_with_logits(one_hot, s),
            nn.sparse_softmax_cross_entropy_with_logits(labels, s),
            nn.bias_add(s, [1.0, 2.0, 3.0]),
            nn.bias_add(tf.reshape(s, [1, 3, 2]), [1.0, 2.0, 3.0], data_format="NCHW")]


def gradients(x):
    bias = tf.constant([0.5, -1.0, 2.0])
    with tf.GradientTape() as tape:
        tape.watch([x, bias])
        s = x * 4.0 - 2.0
        loss = tf.reduce_sum(tf.nn.relu(s) ** 2) + tf.reduce_sum(tf.nn.leaky_relu(s, 0.2) ** 2) \
            + tf.reduce_sum(tf.nn.bias_add(s, bias) ** 2) + tf.reduce_sum(x[0] * bias) \
            + tf.reduce_sum(tf.broadcast_to(bias, [2, 3]) * x)
    return tape.gradient(loss, [x, bias])


def test_nn_ops(tmp_path):
    check_exported(activations, X, tf.constant([2, 0]),
                   tf.constant([[0.0, 1.0, 0.0], [0.5, 0.0, 0.5]]), tmp_path=tmp_path)
    check_exported(gradients, X, tmp_path=tmp_path)


def control_flow(x, n):
    w = tf.Variable([[1.0, -1.0, 0.5]])  # read: exported as its value

    def fn(x, n):
        if tf.reduce_sum(x) > 2.0:  # StatelessIf
            y = x * 2.0 * w
        else:
            y = x - 1.0
        if x[0, 0] > 0.5:  # If: prints in a branch (left out of the model)
            tf.print("big")
            z = y + 1.0
        else:
            z = y
        picked = tf.switch_case(n, [lambda: x, lambda: x * 10.0, lambda: -x])
        one = tf.switch_case(n, [lambda: x * 3.0])
        noisy = tf.switch_case(n, [lambda: x, lambda: tf.identity(tf.compat.v1.Print(x, [x]))])
        total = tf.zeros([3])
        i = tf.constant(0)
        while i < n + 3:  # StatelessWhile
            total = total + x[i % 2] * tf.cast(i, tf.float32)
            i += 1
        for j in tf.range(3):  # While: a print in the body
            tf.print(j)
            total = total * 0.5
        nested = tf.constant(0)
        for a in tf.range(3):
            for b in tf.range(a):
                nested += a * b
        capped = tf.while_loop(lambda k, acc: k < 100, lambda k, acc: (k + 1, acc * 1.01),
                               [0, x], maximum_iterations=7)
        tf.debugging.assert_less(x, 10.0)
        return [y, z, picked, one, noisy, total, i, nested, capped,
                tf.debugging.check_numerics(x, "x")]
    return fn


def custom(x):
    @tf.custom_gradient
    def clipped(t):
        return t * 2.0, lambda dy: tf.clip_by_value(dy, -0.1, 0.1)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.reduce_sum(clipped(x) ** 2)
    return [y, tape.gradient(y, x)]


def test_control_flow_variables_and_host_effects(tmp_path):
    with pytest.warns(UserWarning, match="left out 5 op\\(s\\) with effects on the host"):
        check_exported(control_flow(X, 1), X, tf.constant(1), tmp_path=tmp_path)
    with pytest.warns(UserWarning, match="left out"):
        check_exported(control_flow(Y, -4), Y, tf.constant(-4), tmp_path=tmp_path)
    check_exported(custom, X, tmp_path=tmp_path)


def convolutions(images, filters):
    nn = tf.nn
    return [nn.conv2d(images, filters, 1, "SAME"), nn.conv2d(images, filters, 2, "VALID"),
            nn.conv2d(images, filters, 1, "SAME", dilations=2),
            nn.conv2d(images, filters, 1, [[0, 0], [1, 0], [0, 2], [0, 0]]),
            nn.max_pool2d(images, 2, 2, "SAME"), nn.max_pool2d(images, 3, 1, "VALID"),
            nn.avg_pool2d(images, 2, 2, "SAME"), nn.avg_pool2d(images, 3, 2, "SAME")]


def test_convolution_and_pooling(tmp_path):
    images = tf.constant(RNG.normal(size=(2, 5, 6, 3)).astype(np.float32))
    filters = tf.constant(RNG.normal(size=(3, 2, 3, 4)).astype(np.float32))
    check_exported(convolutions, images, filters, tmp_path=tmp_path)
    check_exported(convolutions, images, filters, tmp_path=tmp_path,
                   input_signature=[tf.TensorSpec([None, None, None, 3], tf.float32),
                                    tf.TensorSpec([3, 2, 3, 4], tf.float32)])


def tensor_arrays(x):
    n = tf.shape(x)[0]
    ta = tf.TensorArray(tf.float32, size=n)
    for i in tf.range(n):
        ta = ta.write(i, x[i] * tf.cast(i + 1, tf.float32))
    rows = tf.TensorArray(tf.float32, size=2).unstack(x)
    scattered = tf.TensorArray(tf.float32, size=4, element_shape=[3]).scatter([3, 0], x * 2.0)
    written = tf.TensorArray(tf.float32, size=3).write(0, x[0]).write(1, x[1])
    if tf.reduce_sum(x) > 1.0:
        chosen = written.write(2, x[0] + x[1])
    else:
        chosen = written.write(2, x[0] - x[1])
    return [ta.stack(), ta.size(), ta.read(1), rows.gather([1, 0]), rows.concat(),
            scattered.read(3), scattered.read(0), chosen.stack(), tf.map_fn(tf.sin, x)]


def test_tensor_arrays(tmp_path):
    check_exported(tensor_arrays, X, tmp_path=tmp_path)
    check_exported(tensor_arrays, X, tmp_path=tmp_path, input_signature=[ANY_2D])


def composites(x, values, splits, indices, sparse_values):
    from autotrace.ops.registry import REGISTRY, apply
    sp = tf.sparse.SparseTensor(indices, sparse_values, [3, 4])
    ids = tf.constant([1, 0, 1, -1])
    data = values[:4]
    n = tf.shape(x)[0]
    return [tf.sparse.to_dense(sp), tf.math.unsorted_segment_max(data, ids, 3),
            tf.math.unsorted_segment_min(data, ids, 3), tf.math.unsorted_segment_prod(data, ids, 3),
            tf.eye(n), tf.eye(n, 3, batch_shape=[2], dtype=tf.int32),
            tf.linspace(x[0, 0], x[1, 1], n + 3), tf.linspace(x[0, 0], x[1, 1], n - 1),
            # the validation ops are left out of the model (as assertions are)
            apply(REGISTRY["RaggedCheckSplits"], (splits, tf.size(values, tf.int64)),
                  {"what": "test"}),
            apply(REGISTRY["RaggedCheckSamePartition"], (splits, splits * 1), {"what": "test"}),
            apply(REGISTRY["SparseCheckIndices"], (indices, tf.constant([3, 4], tf.int64)),
                  {"what": "test", "ordered": True}),
            apply(REGISTRY["SparseCheckSameIndices"], (indices, indices + 0), None)]


def test_sparse_segment_and_creation_ops(tmp_path):
    with pytest.warns(UserWarning, match="left out 4 op"):
        check_exported(composites, X, tf.constant([1.0, 2.0, 3.0, 4.0, 5.0]),
                       tf.constant([0, 2, 2, 5], tf.int64),
                       tf.constant([[0, 1], [2, 3]], tf.int64), tf.constant([7.0, 8.0]),
                       tmp_path=tmp_path, input_signature=[
                           ANY_2D, tf.TensorSpec([5], tf.float32), tf.TensorSpec([4], tf.int64),
                           tf.TensorSpec([2, 2], tf.int64), tf.TensorSpec([2], tf.float32)])
