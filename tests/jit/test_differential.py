"""Every lowered op, on both paths: each case is a function run on the NumPy path and compiled
with XLA (check_both_paths), and the results must agree. The cases are grouped so that one
compile covers many ops (compiles are the cost of these tests). test_coverage.py checks that
every op type with a lowering is among the ops these cases lower."""
import numpy as np
import pytest

pytest.importorskip("jax")

import autotrace as tf  # noqa: E402
from tests.jit.differential import check_both_paths  # noqa: E402

RNG = np.random.default_rng(7)
X = tf.constant(RNG.uniform(0.1, 0.9, (2, 3)).astype(np.float32))
Y = tf.constant(RNG.uniform(0.5, 2.0, (2, 3)).astype(np.float32))
X64 = tf.constant(RNG.uniform(-2, 2, (3, 4)))
I = tf.constant(np.array([[3, -7, 0], [12, 5, -1]], np.int32))
J = tf.constant(np.array([[2, 3, 5], [-4, 7, 1]], np.int32))
B = tf.constant(np.array([[True, False, True], [False, False, True]]))
Z = tf.constant(np.array([1 + 2j, -3 - 0.5j], np.complex64))
M = tf.constant(RNG.normal(size=(3, 4)).astype(np.float32))
N = tf.constant(RNG.normal(size=(4, 2)).astype(np.float32))
ANY_2D = tf.TensorSpec([None, None], tf.float32)


def stateless(fn):
    return lambda: fn


def unary_float(x):
    m = tf.math
    return [tf.abs(x - 0.5), tf.negative(x), tf.sign(x - 0.5), tf.square(x), tf.sqrt(x),
            m.rsqrt(x), tf.exp(x), tf.math.log(x), m.log1p(x), m.expm1(x), tf.sin(x),
            tf.cos(x), tf.tan(x), m.asin(x), m.acos(x), m.atan(x), m.sinh(x), m.cosh(x),
            tf.tanh(x), tf.sigmoid(x * 30.0 - 15.0), tf.round(x * 4.0), tf.floor(x * 4.0),
            m.ceil(x * 4.0), m.reciprocal(x), m.is_nan(x / (x - x)), m.is_inf(x / 0.0),
            m.is_finite(tf.math.log(x - 0.5)), m.erf(x * 4.0 - 2.0)]


def binary_float(x, y):
    m = tf.math
    return [x + y, x - y, x * y, x / y, x // y, m.floormod(x * 5.0, y), tf.pow(x, y),
            tf.maximum(x, y - 0.7), tf.minimum(x, y - 0.7), tf.squared_difference(x, y),
            m.atan2(x - 0.5, y - 1.0), m.divide_no_nan(x, y * tf.cast(x > 0.5, tf.float32)),
            x < y - 1, x <= y - 1, x > y - 1, x >= y - 1, tf.equal(x, x), tf.not_equal(x, y)]


def integers_and_bools(i, j, b):
    m = tf.math
    return [i + j, i - j, i * j, i // j, m.floormod(i, j), tf.abs(i), tf.sign(i),
            tf.square(i), tf.maximum(i, j), m.invert(i), i & j, i | j, i ^ j,
            tf.logical_and(b, i > 0), tf.logical_or(b, i > 0), tf.logical_not(b),
            tf.reduce_mean(i, axis=1), tf.cast(i, tf.float32), tf.cast(b, tf.int64),
            tf.cast(tf.cast(i, tf.float64) * 1.7, tf.int32), tf.add_n([i, j, i])]


@pytest.mark.parametrize("name, make, args", [
    ("unary float32", stateless(unary_float), (X,)),
    ("unary float64", stateless(unary_float), (tf.cast(X, tf.float64),)),
    ("binary float32", stateless(binary_float), (X, Y)),
    ("integers and bools", stateless(integers_and_bools), (I, J, B)),
    ("complex", stateless(lambda z: [tf.math.conj(z), z * z, tf.abs(z), tf.cast(z, tf.float32),
                                     tf.exp(z), tf.sigmoid(z)]), (Z,)),
], ids=lambda v: v if isinstance(v, str) else "")
def test_elementwise(name, make, args):
    check_both_paths(make, *args)


def reductions(x, i, b):
    return [tf.reduce_sum(x), tf.reduce_sum(x, axis=1, keepdims=True), tf.reduce_prod(x, 0),
            tf.reduce_mean(x, axis=[0, 1]), tf.reduce_max(x, 1), tf.reduce_min(x),
            tf.reduce_max(i, axis=0), tf.reduce_sum(i), tf.reduce_all(b, 1), tf.reduce_any(b),
            tf.argmax(x, 1), tf.argmin(x, 0, output_type=tf.int32), tf.argmax(i, 0),
            tf.math.reduce_logsumexp(x, 1), tf.math.reduce_variance(x),
            tf.math.cumsum(x, 1), tf.math.cumsum(x, 1, exclusive=True, reverse=True),
            tf.math.cumprod(i, 0, exclusive=True), tf.math.cumprod(x, 1, reverse=True)]


def products(m, n, x64):
    return [tf.matmul(m, n), tf.matmul(m, m, transpose_b=True),
            tf.matmul(n, m, transpose_a=True, transpose_b=True),
            tf.einsum("ij,jk->ik", m, n), tf.einsum("ij->j", m), tf.tensordot(m, n, 1),
            tf.matmul(x64, tf.transpose(x64)), tf.matmul(tf.stack([m, m]), tf.stack([n, n]))]


def test_reductions_and_products():
    check_both_paths(stateless(reductions), X, I, B)
    check_both_paths(stateless(products), M, N, X64)


def shapes(x):
    """x has unknown dimensions when traced, so its Shape, Size and Rank reach the compiler
    (which knows them) instead of being folded while optimising."""
    rows, cols = tf.shape(x)[0], tf.shape(x)[1]
    return [tf.shape(x), tf.size(x), tf.rank(x), tf.reshape(x, [-1]), tf.reshape(x, [cols, rows]),
            tf.fill([rows, 2], x[0, 0]), tf.zeros_like(x), tf.ones([cols]), tf.eye(rows),
            tf.range(cols), tf.linspace(x[0, 0], x[1, 1], cols), tf.broadcast_to(x[0], [4, cols]),
            tf.tile(x, [2, 1]), tf.one_hot(tf.range(cols) % 2, rows),
            tf.one_hot([1, 0, 2], 3, axis=0, on_value=5, off_value=-1)]


def reshaping(x):
    pieces = tf.split(x, 3, axis=1)
    a, b = tf.split(x, [1, -1], axis=1)
    return [tf.transpose(x), tf.expand_dims(x, 1), tf.squeeze(tf.expand_dims(x, 0), 0),
            tf.stack([x, x], 1), tf.unstack(x, axis=1), tf.concat([x, x * 2.0], 0), pieces, a,
            b, tf.reverse(x, [1]), tf.reverse(x, [0, 1]), tf.identity(x), tf.stop_gradient(x)]


def padding_and_slicing(x, i):
    return [tf.pad(x, [[1, 0], [2, 1]]), tf.pad(x, [[1, 1], [0, 2]], constant_values=-3.0),
            tf.pad(x, [[1, 1], [2, 2]], "REFLECT"), tf.pad(x, [[1, 1], [2, 3]], "SYMMETRIC"),
            tf.slice(x, [0, 1], [2, -1]), tf.slice(x, [i[1, 2] + 1, 0], [1, 2]), x[1], x[:, 1:],
            x[::-1, ::2], x[..., tf.newaxis, 0], x[i[1, 2] + 1], x[:, i[1, 1] - 4],
            tf.strided_slice(x, [0, 0], [2, 3], [1, 2])]


def gathering(x, i):
    rows = tf.constant([1, 0, 1])
    return [tf.gather(x, rows), tf.gather(x, [2, 0], axis=1), tf.gather(x, [[0, 2], [1, 1]], axis=1,
                                                                         batch_dims=1),
            tf.gather_nd(x, [[0, 1], [1, 2]]),
            tf.gather_nd(x, [[1], [0]]), tf.gather_nd(tf.stack([x, x]), [[0], [1]], batch_dims=1),
            tf.where(x > 0.5, x, -x), tf.where(x > 0.5, 1.0, x),
            tf.scatter_nd([[1], [0], [1]], [[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]], [3, 2]),
            tf.scatter_nd([[0, 1], [1, 0]], [7, 8], [2, 2]), tf.sort(x), tf.sort(i, direction="DESCENDING"),
            tf.argsort(x, axis=0), tf.argsort(i, direction="DESCENDING"), tf.math.top_k(x, 2),
            tf.boolean_mask(x, [True, False]) * 2.0]


def test_array_ops():
    check_both_paths(stateless(shapes), X, input_signature=[ANY_2D])
    check_both_paths(stateless(reshaping), X)
    check_both_paths(stateless(padding_and_slicing), X, I)
    check_both_paths(stateless(gathering), X, I)


def activations(x, labels, one_hot):
    nn = tf.nn
    s = x * 4.0 - 2.0
    return [nn.relu(s), nn.elu(s), nn.selu(s), nn.softplus(s), nn.softsign(s),
            nn.leaky_relu(s, 0.1), nn.relu6(s * 4.0), nn.softmax(s), nn.log_softmax(s, axis=0),
            nn.softmax_cross_entropy_with_logits(one_hot, s),
            nn.sparse_softmax_cross_entropy_with_logits(labels, s), nn.bias_add(s, [1.0, 2.0, 3.0]),
            nn.bias_add(tf.reshape(s, [1, 3, 2]), [1.0, 2.0, 3.0], data_format="NCHW"),
            nn.sigmoid_cross_entropy_with_logits(one_hot, s), nn.l2_loss(s), nn.moments(s, [0])]


def gradients(x):
    """The derivative ops appear in the gradients (and second gradients) of activations."""
    nn = tf.nn
    with tf.GradientTape() as outer:
        outer.watch(x)
        with tf.GradientTape() as tape:
            tape.watch(x)
            s = x * 4.0 - 2.0
            parts = [nn.relu(s), nn.elu(s), nn.selu(s), nn.softplus(s), nn.softsign(s),
                     nn.leaky_relu(s, 0.2), nn.bias_add(s, [1.0, 2.0, 3.0]) ** 2.0,
                     tf.pad(s, [[1, 1], [1, 1]], "REFLECT") ** 3.0, s[:, 1:] ** 2.0,
                     tf.gather(s, [1, 1, 0]) ** 2.0, tf.broadcast_to(s[0], [2, 3]) ** 2.0]
            loss = tf.add_n([tf.reduce_sum(p * p) for p in parts])
        first = tape.gradient(loss, x)
        second_loss = tf.reduce_sum(first * first)
    return [first, outer.gradient(second_loss, x)]


def convolutions(x, w):
    """Conv2D and pooling, their gradients and second-order gradients (the gradient ops)."""
    with tf.GradientTape() as outer:
        outer.watch([x, w])
        with tf.GradientTape() as tape:
            tape.watch([x, w])
            y = tf.nn.conv2d(x, w, 2, "SAME")
            pooled = tf.nn.avg_pool2d(y * y, 3, 2, "SAME")
            loss = tf.reduce_sum(tf.nn.max_pool2d(y, 2, 1, "VALID") ** 2) + \
                tf.reduce_sum(pooled * pooled)
        dx, dw = tape.gradient(loss, [x, w])
        second = tf.reduce_sum(dx * dx) + tf.reduce_sum(dw * dw)
    return [y, pooled, dx, dw] + outer.gradient(second, [x, w]) + [
        tf.nn.conv2d(x, w, 1, [[0, 0], [1, 2], [0, 1], [0, 0]], dilations=2),
        tf.nn.conv2d_transpose(y, w, [2, 6, 5, 3], 2, "SAME")]


def test_convolutions_and_pooling():
    rng = np.random.default_rng(3)
    x = tf.constant(rng.permutation(2 * 6 * 5 * 3).reshape(2, 6, 5, 3).astype(np.float64) / 30)
    w = tf.constant(rng.normal(size=(3, 3, 3, 4)))
    check_both_paths(stateless(convolutions), x, w, tolerance=(1e-9, 1e-9))


def test_nn_ops_and_gradients():
    check_both_paths(stateless(activations), X, tf.constant([2, 0]),
                     tf.constant([[0.0, 1.0, 0.0], [0.5, 0.0, 0.5]]))
    check_both_paths(stateless(gradients), X)


def with_variables():
    v = tf.Variable([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    count = tf.Variable(0, dtype=tf.int64)

    def step(x):
        v.assign_add(x)
        v.assign_sub(x * 0.5)
        before = v.read_value()
        v.assign(v * 2.0)
        count.assign_add(1)
        tf.group(v.assign_add(x), count.assign_add(1))
        v.scatter_add(tf.IndexedSlices(x[:1] * 10.0, tf.constant([1])))
        v.scatter_sub(tf.IndexedSlices(x, tf.constant([1, 1])))
        v.scatter_update(tf.IndexedSlices(x[1:] - 5.0, tf.constant([0])))
        v[0, 1].assign(x[1, 2])           # ResourceStridedSliceAssign
        v[:, 0].assign(x[:, 1] * 3.0)
        with tf.control_dependencies([tf.no_op()]):
            return [before, v.read_value(), count.read_value()]
    return step


def test_variables_are_read_written_and_returned():
    check_both_paths(with_variables, X)


def control_flow():
    v = tf.Variable(1.0)

    def fn(x, n):
        if tf.reduce_sum(x) > 2.0:  # StatelessIf
            y = x * 2.0
        else:
            y = x - 1.0
        if x[0, 0] > 0.5:  # If: assigns in a branch
            v.assign_add(1.0)
        else:
            v.assign(v * 3.0)
        picked = tf.switch_case(n, [lambda: x, lambda: x * 10.0, lambda: -x])
        stateful = tf.switch_case(n + 5, [lambda: v.assign_add(1.0), lambda: v.assign(0.5)])
        total = tf.zeros([3])
        i = tf.constant(0)
        while i < n + 3:  # StatelessWhile
            total = total + x[i % 2] * tf.cast(i, tf.float32)
            i += 1
        for j in tf.range(4):  # While: assigns in the body
            v.assign_add(tf.cast(j, tf.float32))
            if j == 2:
                continue
            total = total * 0.5
        nested = tf.constant(0)
        for a in tf.range(3):
            for b in tf.range(a):
                nested += a * b
        fixed = tf.while_loop(lambda k, acc: k < 100, lambda k, acc: (k + 1, acc * 1.01),
                              [0, x], maximum_iterations=7)
        return [y, v.read_value(), picked, stateful, total, i, nested, fixed]
    return fn


def test_control_flow():
    check_both_paths(control_flow, X, tf.constant(1))
    check_both_paths(control_flow, Y, tf.constant(-4))


def tensor_arrays(x):
    n = tf.shape(x)[0]
    ta = tf.TensorArray(tf.float32, size=n)
    for i in tf.range(n):
        ta = ta.write(i, x[i] * tf.cast(i + 1, tf.float32))
    rows = ta.unstack(x)
    scattered = tf.TensorArray(tf.float32, size=4, element_shape=[3]).scatter(
        [3, 0], x * 2.0)
    read_back = tf.TensorArray(tf.float32, size=3)
    read_back = read_back.write(0, x[0]).write(1, x[1])
    doubled = tf.map_fn(lambda r: r * 2.0, x)
    return [ta.stack(), ta.size(), ta.read(1), rows.gather([1, 0]), rows.concat(),
            scattered.read(3), read_back.read(1), doubled]


def tensor_array_gradients(x):
    with tf.GradientTape() as tape:
        tape.watch(x)
        ta = tf.TensorArray(tf.float32, size=2)
        for i in tf.range(2):
            ta = ta.write(i, x[i] * x[i])
        first = ta.stack()
        unstacked = tf.TensorArray(tf.float32, size=2).unstack(x * 3.0)
        total = tf.reduce_sum(first) + tf.reduce_sum(unstacked.read(1)) + \
            tf.reduce_sum(unstacked.concat()) + tf.reduce_sum(tf.map_fn(tf.sin, x))
    return tape.gradient(total, x)


def loop_gradients(x):
    """The gradient of a loop pushes values on stacks in the forward loop and pops them."""
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        acc = x
        for i in tf.range(3):  # trip count known at compile time
            acc = tf.sin(acc) * x + tf.cast(i, tf.float32)
        capped = tf.while_loop(lambda k, a: a[0, 0] < 50.0, lambda k, a: (k + 1, a * x * 3.0),
                               [0, x], maximum_iterations=5)[1]
        loss = tf.reduce_sum(acc) + tf.reduce_sum(capped)
        squares = tf.reduce_sum(acc * acc)
    return [tape.gradient(loss, x), tape.gradient(squares, x)]


def test_tensor_arrays_and_loop_gradients():
    check_both_paths(stateless(tensor_arrays), X, input_signature=[ANY_2D])
    check_both_paths(stateless(tensor_array_gradients), X)
    check_both_paths(stateless(loop_gradients), X)


def custom(x):
    @tf.custom_gradient
    def clipped(t):
        return tf.identity(t) * 2.0, lambda dy: tf.clip_by_value(dy, -0.1, 0.1)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.reduce_sum(clipped(x) ** 2)
    return [y, tape.gradient(y, x)]


def test_custom_gradient():
    check_both_paths(stateless(custom), X)


def kept_by_control_dependencies(x, rows):
    """Identity and StopGradient survive optimisation only when they carry control inputs."""
    with tf.control_dependencies([tf.no_op()]):
        kept = tf.identity(x)
        stopped = tf.stop_gradient(x * 2.0)
    scattered = tf.scatter_nd(tf.reshape(rows, [-1, 1]), x, [4, 3])
    return [kept, stopped, scattered]


def second_order(x):
    """Second derivatives through a loop (StackSize: its pushes and pops differentiate) and
    through TensorArray.concat (its gradient splits; the split's gradient concatenates); the
    gradient of bias_add for its bias (BiasAddGrad)."""
    bias = tf.constant([0.5, -1.0, 2.0])
    with tf.GradientTape(persistent=True) as outer:
        outer.watch([x, bias])
        with tf.GradientTape(persistent=True) as tape:
            tape.watch([x, bias])
            acc = x
            for _ in tf.range(3):
                acc = acc * x
            looped = tf.reduce_sum(acc)
            ta = tf.TensorArray(tf.float32, size=2).unstack(x * x)
            joined = tf.reduce_sum(tf.sin(ta.concat()))
            biased = tf.reduce_sum(tf.nn.bias_add(x, bias) ** 3.0)
        g_loop = tape.gradient(looped, x)
        g_concat = tape.gradient(joined, x)
        g_bias = tape.gradient(biased, bias)
        loop_loss = tf.reduce_sum(g_loop)
        concat_loss = tf.reduce_sum(g_concat * g_concat)
    return [g_loop, outer.gradient(loop_loss, x), g_concat, outer.gradient(concat_loss, x),
            g_bias]


def test_control_dependencies_and_second_order_gradients():
    check_both_paths(stateless(kept_by_control_dependencies), X, tf.constant([[3], [0]]))
    check_both_paths(stateless(second_order), X)


def composites(values, splits, indices, sparse_values):
    rt = tf.RaggedTensor.from_row_splits(values, splits)  # checks the splits on the host
    twin = tf.RaggedTensor.from_row_splits(values * 2.0, tf.identity(splits))
    doubled = rt * 2.0 + twin  # checks the operands share one partition
    sp = tf.sparse.SparseTensor(indices, sparse_values, [3, 4])
    other = tf.sparse.SparseTensor(tf.identity(indices), sparse_values * 3.0, [3, 4])
    ids = tf.constant([1, 0, 1, -1])
    data = tf.reshape(values[:4], [4])
    return [doubled.to_tensor(shape=[3, 4]), rt.to_tensor(default_value=-1.0, shape=[3, 2]),
            tf.sparse.to_dense(sp), tf.sparse.to_dense(tf.sparse.map_values(tf.add, sp, other)),
            tf.math.unsorted_segment_max(data, ids, 3), tf.math.unsorted_segment_min(data, ids, 3),
            tf.math.unsorted_segment_prod(data, ids, 3),
            tf.sparse.add(sp, tf.ones([3, 4])),  # checks the indices on the host
            tf.sparse.sparse_dense_matmul(tf.sparse.reorder(sp), tf.ones([4, 2]))]


def validations(splits, indices):
    """The validation ops, called directly: the public ops that use them drop their outputs,
    and the optimiser prunes them."""
    from autotrace.ops.registry import REGISTRY, apply
    return [apply(REGISTRY["RaggedCheckSamePartition"], (splits, splits * 1), {"what": "test"}),
            apply(REGISTRY["SparseCheckSameIndices"], (indices, indices + 0), None)]


def test_ragged_and_sparse_components():
    check_both_paths(stateless(validations), tf.constant([0, 2, 2, 5], tf.int64),
                     tf.constant([[0, 1], [2, 3]], tf.int64))
    check_both_paths(stateless(composites), tf.constant([1.0, 2.0, 3.0, 4.0, 5.0]),
                     tf.constant([0, 2, 2, 5], tf.int64),
                     tf.constant([[0, 1], [2, 3]], tf.int64), tf.constant([7.0, 8.0]))


def linear_algebra(a, b, tall):
    """Decompositions are compared through what is unique about them (values,
    reconstructions, projections): singular and eigen vectors are defined up to sign."""
    la = tf.linalg
    spd = tf.matmul(a, a, transpose_b=True) + 3.0 * tf.eye(3, dtype=a.dtype)
    sign, logabs = la.slogdet(a)
    q, r = la.qr(tall)
    s, u, v = la.svd(tall)
    e, w = la.eigh(spd)
    return [la.inv(a), la.inv(a, adjoint=True), la.det(a), sign, logabs, la.solve(a, b),
            la.solve(a, b, adjoint=True), la.triangular_solve(a, b),
            la.triangular_solve(a, b, lower=False, adjoint=True), la.lstsq(tall, b[:1] + tall),
            la.lstsq(tall, b[:1] + tall, fast=False), la.lstsq(tf.transpose(tall), b, 0.1),
            la.expm(a), la.cholesky(spd), q, r, la.qr(tall, full_matrices=True)[0],
            s, tf.matmul(u * s, v, transpose_b=True), tf.matmul(u, u, transpose_b=True),
            la.svd(tall, compute_uv=False), e, tf.matmul(w * e, w, transpose_b=True),
            la.eigvalsh(spd), la.band_part(a, 1, 0), la.band_part(tall, -1, 1),
            la.diag(b[:2], k=(-1, 0)), la.diag(a[0], num_rows=4), la.diag_part(tall, k=(-1, 1)),
            la.diag_part(a), la.set_diag(tall, tf.zeros([2, 3], a.dtype), k=(0, 1)),
            la.set_diag(a, a[1]), la.cross(a, b[:1] + a), la.tensor_diag(a[0]),
            la.tensor_diag_part(tf.reshape(la.tensor_diag(a[0] + 1.0), [3, 3]))]


def complex_parts(x, y):
    z = tf.complex(x, y)
    return [z, tf.math.real(z * z), tf.math.imag(z * z), tf.math.angle(z)]


def test_linear_algebra_and_complex_parts():
    rng = np.random.default_rng(5)
    a = tf.constant(rng.normal(size=(3, 3)) + 3 * np.eye(3))
    b = tf.constant(rng.normal(size=(3, 3)))
    tall = tf.constant(rng.normal(size=(4, 3)))
    check_both_paths(stateless(linear_algebra), a, b, tall, tolerance=(1e-9, 1e-9))
    check_both_paths(stateless(complex_parts), X, Y)
