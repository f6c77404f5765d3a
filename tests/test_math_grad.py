"""Gradients of the math family (math_ops, reduction_ops, linalg_ops, sort_ops): finite
differences eagerly and inside autotrace.function, hand-computed values where TF's choices
matter (ties, zeros), graphs with unknown shapes, and the non-differentiable ops."""
import numpy as np
import pytest

import autotrace as tf
from autotrace.ops import linalg_ops, math_ops, reduction_ops, sort_ops
from autotrace.ops.registry import NO_GRADIENT, OpDef

check = tf.test.check_gradients
RNG = np.random.default_rng(7)


def normal(*shape):
    return RNG.standard_normal(shape)


def positive(*shape):
    return RNG.uniform(0.5, 2.0, shape)


def grad(f, *xs, **kwargs):
    """Gradients of sum(f(*xs)) with respect to each x (float64), as NumPy (or None)."""
    ts = [tf.constant(np.asarray(x, np.float64)) for x in xs]
    with tf.GradientTape() as tape:
        tape.watch(ts)
        y = f(*ts)
    grads = tape.gradient(y, ts, **kwargs)
    return [None if g is None else g.numpy() for g in grads]


# -- elementwise unary -------------------------------------------------------------------------

SMOOTH_UNARY = [  # (function, input): order-2 checks
    (tf.negative, normal(3, 4)), (tf.square, normal(3, 4)), (tf.exp, normal(3, 4)),
    (tf.math.expm1, normal(3, 4)), (tf.sin, normal(3, 4)), (tf.cos, normal(3, 4)),
    (tf.tan, RNG.uniform(-1.2, 1.2, (3, 4))), (tf.math.sinh, normal(3, 4)),
    (tf.math.cosh, normal(3, 4)), (tf.tanh, normal(3, 4)), (tf.sigmoid, normal(3, 4)),
    (tf.math.atan, normal(3, 4)), (tf.math.asin, RNG.uniform(-0.8, 0.8, (3, 4))),
    (tf.math.acos, RNG.uniform(-0.8, 0.8, (3, 4))), (tf.sqrt, positive(3, 4)),
    (tf.math.rsqrt, positive(3, 4)), (tf.math.log, positive(3, 4)),
    (tf.math.log1p, positive(3, 4)), (tf.math.reciprocal, positive(3, 4)),
]


@pytest.mark.parametrize("fn, x", SMOOTH_UNARY, ids=[f.__name__ for f, _ in SMOOTH_UNARY])
def test_smooth_unary(fn, x):
    check(fn, [x], order=2)


def test_abs_sign_and_piecewise_constant_ops():
    check(tf.abs, [np.array([-2.0, -0.5, 0.3, 1.5])])
    assert grad(tf.abs, [-2.0, 0.0, 3.0])[0].tolist() == [-1.0, 0.0, 1.0]  # sign(0) = 0, as TF
    assert grad(tf.sign, [-2.0, 0.0, 3.0])[0].tolist() == [0.0, 0.0, 0.0]  # zeros, not None
    check(lambda x: tf.sign(x) * x * x, [np.array([-2.0, -0.5, 0.3, 1.5])], order=2)
    for fn in (tf.floor, tf.math.ceil, tf.round):  # TF declares no gradient: None
        assert grad(fn, [1.5, -0.3]) == [None]


# -- elementwise binary ------------------------------------------------------------------------

BINARY = {
    "add": tf.add, "subtract": tf.subtract, "multiply": tf.multiply, "truediv": tf.truediv,
    "pow": tf.pow, "maximum": tf.maximum, "minimum": tf.minimum,
    "squared_difference": tf.math.squared_difference, "atan2": tf.math.atan2,
    "floormod": tf.math.floormod, "div_no_nan": tf.math.divide_no_nan,
}
SMOOTH_BINARY = {"add", "subtract", "multiply", "truediv", "pow", "squared_difference",
                 "atan2", "div_no_nan"}
SHAPES = [((3, 1), (4,)), ((), (2, 3)), ((2, 3), ()), ((2, 1, 3), (4, 1))]


@pytest.mark.parametrize("name", sorted(BINARY))
@pytest.mark.parametrize("shapes", SHAPES, ids=str)
def test_binary_with_broadcasting(name, shapes):
    x, y = positive(*shapes[0]), positive(*shapes[1])
    if name == "floormod":  # keep x / y away from the jumps of floor
        x, y = RNG.uniform(2.1, 2.9, shapes[0]), np.full(shapes[1], 1.0)
    check(BINARY[name], [x, y], order=2 if name in SMOOTH_BINARY else 1)


def test_maximum_minimum_ties_go_to_x_as_tf():
    x, y = [1.0, 2.0, 3.0], [1.0, 1.0, 4.0]
    assert [g.tolist() for g in grad(tf.maximum, x, y)] == [[1, 1, 0], [0, 0, 1]]
    assert [g.tolist() for g in grad(tf.minimum, x, y)] == [[1, 0, 1], [0, 1, 0]]
    # clip_by_value is maximum then minimum: both boundaries pass the gradient through
    assert grad(lambda t: tf.clip_by_value(t, 0.0, 1.0), [-1.0, 0.0, 0.5, 1.0, 2.0])[0] \
        .tolist() == [0, 1, 1, 1, 0]


def test_pow_at_zero_and_negative_base_as_tf():
    gx, gy = grad(tf.pow, [0.0, 0.0, 0.0, -2.0, 2.0], [2.0, 0.5, 0.0, 2.0, 3.0])
    np.testing.assert_array_equal(gx, [0.0, np.inf, np.nan, -4.0, 12.0])
    np.testing.assert_allclose(gy, [0.0, 0.0, 0.0, 0.0, 8 * np.log(2.0)])  # log x := 0, x <= 0


def test_floormod_div_no_nan_and_atan2_values():
    gx, gy = grad(tf.math.floormod, [3.0, -4.0], [2.0, 3.0])
    assert gx.tolist() == [1, 1] and gy.tolist() == [-1, 2]  # -floor(x / y)
    gx, gy = grad(tf.math.divide_no_nan, [1.0, 2.0], [0.0, 4.0])
    assert gx.tolist() == [0, 0.25] and gy.tolist() == [0, -0.125]
    gy, gx = grad(tf.math.atan2, [1.0], [2.0])
    np.testing.assert_allclose([gy[0], gx[0]], [0.4, -0.2])


def test_complex_gradients_follow_tf_conjugate_convention():
    z, w = np.array([1 + 2j, -0.5 + 0.3j]), np.array([0.7 - 1j, 2 + 0.5j])
    real = lambda t: tf.cast(t, tf.float64)  # noqa: E731  (keeps the real part)

    def complex_grad(f, *xs):
        ts = [tf.constant(x) for x in xs]
        with tf.GradientTape() as tape:
            tape.watch(ts)
            y = f(*ts)
        return [g.numpy() for g in tape.gradient(y, ts)]
    gz, gw = complex_grad(lambda a, b: real(a * b), z, w)
    np.testing.assert_allclose(gz, np.conj(w))
    np.testing.assert_allclose(complex_grad(tf.abs, z)[0], z / np.abs(z))
    np.testing.assert_allclose(complex_grad(lambda a: real(tf.exp(a)), z)[0], np.conj(np.exp(z)))
    np.testing.assert_allclose(complex_grad(lambda a: real(tf.reduce_prod(a)), z)[0],
                               np.conj(z[::-1]))
    ga, gb = complex_grad(lambda a, b: real(tf.matmul(a, b)), z.reshape(1, 2), w.reshape(2, 1))
    np.testing.assert_allclose(ga, np.conj(w).reshape(1, 2))
    ga, _ = complex_grad(lambda a, b: real(tf.einsum("ij,jk->ik", a, b)), z.reshape(1, 2),
                         w.reshape(2, 1))
    np.testing.assert_allclose(ga, np.conj(w).reshape(1, 2))
    np.testing.assert_allclose(complex_grad(lambda a: real(tf.math.conj(a) * w), z)[0], w)


# -- cast, add_n and composed functions --------------------------------------------------------

def test_cast_passes_float_gradients_and_stops_at_integers():
    # (float32 in the middle is too coarse for finite differences: compare exact values)
    assert grad(lambda x: tf.cast(tf.cast(x, tf.float32), tf.float64) * 3.0, [0.1, 2.0])[0] \
        .tolist() == [3.0, 3.0]
    assert grad(lambda x: tf.cast(tf.cast(x, tf.int32), tf.float64), [1.5]) == [None]
    assert grad(lambda x: tf.cast(x > 0.0, tf.float64), [1.5]) == [None]
    x = tf.constant([1, 2])  # an integer source gets no gradient, and nothing crashes
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.cast(x, tf.float64) * 2.0
    assert tape.gradient(y, x) is None


def test_add_n_and_composed_functions():
    check(lambda a, b: tf.add_n([a, b, a * b]), [normal(2, 3), normal(2, 3)], order=2)
    check(lambda x: tf.clip_by_value(x, -0.5, 0.5), [RNG.uniform(-1, 1, (10,))])
    assert grad(lambda x: tf.cast(tf.saturate_cast(x, tf.float32), tf.float64),
                [1.0, -2.0, 1e39])[0].tolist() == [1, 1, 0]  # clipped: no gradient
    assert grad(lambda x: tf.cast(tf.saturate_cast(x, tf.uint8), tf.float64), [1.0]) == [None]
    check(lambda a, b: tf.tensordot(a, b, 1), [normal(3, 4), normal(4, 5)], order=2)
    check(lambda a, b: tf.tensordot(a, b, [[0, 2], [1, 0]]), [normal(2, 3, 4), normal(4, 2)])
    assert grad(lambda x: tf.cast(tf.math.count_nonzero(x), tf.float64), [1.0, 0.0]) == [None]


@pytest.mark.parametrize("axis, keepdims", [(None, False), (1, True), (-1, False),
                                            ([0, 2], False)])
def test_logsumexp_variance_std(axis, keepdims):
    x = normal(2, 3, 4)
    check(lambda t: tf.reduce_logsumexp(t, axis=axis, keepdims=keepdims), [x], order=2)
    check(lambda t: tf.math.reduce_variance(t, axis=axis, keepdims=keepdims), [x], order=2)
    check(lambda t: tf.math.reduce_std(t, axis=axis, keepdims=keepdims), [x])


def test_logsumexp_with_infinities_as_tf():
    np.testing.assert_array_equal(grad(tf.reduce_logsumexp, [1.0, 2.0, np.inf])[0],
                                  [0, 0, np.nan])
    np.testing.assert_allclose(grad(tf.reduce_logsumexp, [0.0, np.log(3.0)])[0], [0.25, 0.75])


# -- reductions --------------------------------------------------------------------------------

REDUCTIONS = {"sum": tf.reduce_sum, "mean": tf.reduce_mean, "prod": tf.reduce_prod,
              "max": tf.reduce_max, "min": tf.reduce_min}
AXES = [(None, False), (None, True), (0, False), (-1, True), (-2, False), ([0, 2], False),
        ([2, 0], True)]


@pytest.mark.parametrize("name", sorted(REDUCTIONS))
@pytest.mark.parametrize("axis, keepdims", AXES, ids=str)
def test_reductions(name, axis, keepdims):
    fn = REDUCTIONS[name]
    order = 1 if name in ("max", "min") else 2
    check(lambda t: fn(t, axis=axis, keepdims=keepdims), [positive(2, 3, 4)], order=order)


def test_max_min_share_the_gradient_among_ties_as_tf():
    assert grad(tf.reduce_max, [1.0, 3.0, 3.0, 2.0])[0].tolist() == [0, 0.5, 0.5, 0]
    g = grad(lambda t: tf.reduce_min(t, axis=1), [[1.0, 1.0, 3.0], [2.0, 0.0, 0.0]])[0]
    assert g.tolist() == [[0.5, 0.5, 0], [0, 0.5, 0.5]]


def test_prod_with_zeros():
    assert grad(tf.reduce_prod, [2.0, 0.0, 3.0])[0].tolist() == [0, 6, 0]  # only the zero
    assert grad(tf.reduce_prod, [2.0, 0.0, 0.0])[0].tolist() == [0, 0, 0]  # two zeros
    g = grad(lambda t: tf.reduce_prod(t, axis=0), [[2.0, 0.0], [0.0, 5.0], [3.0, 4.0]])[0]
    assert g.tolist() == [[0, 20], [6, 0], [0, 0]]
    check(lambda t: tf.reduce_prod(t, axis=1), [np.array([[0.0, 1.5, -2.0], [1.0, 0.5, 3.0]])])


def test_mean_of_integers_and_bool_reductions_carry_no_gradient():
    x = tf.constant([[1.0, 2.0], [3.0, 4.0]])
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        ints = tf.cast(tf.reduce_mean(tf.cast(x, tf.int32)), tf.float32)
        flags = tf.cast(tf.reduce_any(x > 2.0), tf.float32)
        index = tf.cast(tf.argmax(x, axis=1), tf.float32) + tf.cast(tf.argmin(x), tf.float32)
    for y in (ints, flags, index):
        assert tape.gradient(y, x) is None


# -- matmul, einsum ----------------------------------------------------------------------------

@pytest.mark.parametrize("ta, tb", [(False, False), (False, True), (True, False), (True, True)])
def test_matmul_transposes(ta, tb):
    a = normal(4, 3) if ta else normal(3, 4)
    b = normal(5, 4) if tb else normal(4, 5)
    check(lambda x, y: tf.matmul(x, y, transpose_a=ta, transpose_b=tb), [a, b], order=2)


def test_matmul_batch_broadcasting_and_adjoint():
    check(tf.matmul, [normal(2, 3, 4), normal(4, 5)], order=2)
    check(tf.matmul, [normal(3, 4), normal(2, 1, 4, 5)])
    check(lambda x, y: tf.matmul(x, y, adjoint_a=True), [normal(2, 4, 3), normal(1, 4, 2)])


EINSUMS = [
    ("ij,jk->ik", [(3, 4), (4, 5)]), ("ij,jk", [(3, 4), (4, 5)]),  # implicit output
    ("bij,bjk->bik", [(2, 3, 4), (2, 4, 5)]), ("bij,bjk->bik", [(1, 3, 4), (2, 4, 5)]),
    ("ij->", [(3, 4)]), ("ij->ji", [(3, 4)]), ("ii->i", [(3, 3)]), ("ii", [(3, 3)]),
    ("ij,k->ik", [(3, 4), (5,)]),  # j summed away, k only in the second input
    ("...ij,jk->...ik", [(2, 3, 4), (4, 5)]), ("i,i,i->", [(4,), (4,), (4,)]),
]


@pytest.mark.parametrize("equation, shapes", EINSUMS, ids=[e for e, _ in EINSUMS])
def test_einsum(equation, shapes):
    xs = [normal(*s) for s in shapes]
    order = 2 if equation in ("ij,jk->ik", "ij,k->ik", "i,i,i->") else 1
    check(lambda *ts: tf.einsum(equation, *ts), xs, order=order)


# -- sort_ops ----------------------------------------------------------------------------------

@pytest.mark.parametrize("exclusive", [False, True])
@pytest.mark.parametrize("reverse", [False, True])
def test_cumsum_cumprod(exclusive, reverse):
    x = normal(3, 4)
    for axis in (0, 1):
        check(lambda t: tf.cumsum(t, axis=axis, exclusive=exclusive, reverse=reverse), [x],
              order=2)
        check(lambda t: tf.math.cumprod(t, axis=axis, exclusive=exclusive, reverse=reverse),
              [x], order=2)


def test_cumprod_with_zeros_is_exact():
    # TF divides by x and gets 0 at the first zero; the true derivative is 2 + 2*3 + 2*3*4.
    assert grad(tf.math.cumprod, [2.0, 0.0, 3.0, 4.0])[0].tolist() == [1, 32, 0, 0]
    assert grad(lambda t: tf.math.cumprod(t, exclusive=True), [2.0, 0.0, 3.0, 4.0])[0] \
        .tolist() == [1, 8, 0, 0]
    assert grad(lambda t: tf.math.cumprod(t, reverse=True), [4.0, 3.0, 0.0, 2.0])[0] \
        .tolist() == [0, 0, 32, 1]
    x = np.array([[1.5, 0.0, 2.0, 0.0, -1.0], [0.0, 0.7, 0.0, 1.2, 2.0]])
    for exclusive in (False, True):
        for reverse in (False, True):
            check(lambda t: tf.math.cumprod(t, axis=1, exclusive=exclusive, reverse=reverse),
                  [x])


def test_sort_and_top_k_send_gradients_back_to_their_positions():
    w = tf.constant([1.0, 10.0, 100.0, 1000.0], tf.float64)
    x = [1.0, 3.0, 3.0, 2.0]  # ties keep index order, as TF
    assert grad(lambda t: tf.sort(t) * w, x)[0].tolist() == [1, 100, 1000, 10]
    assert grad(lambda t: tf.sort(t, direction="DESCENDING") * w, x)[0].tolist() == \
        [1000, 1, 10, 100]
    assert grad(lambda t: tf.math.top_k(t, 2).values * w[:2], x)[0].tolist() == [0, 1, 10, 0]
    check(lambda t: tf.sort(t, axis=0), [normal(4, 3)])
    check(lambda t: tf.sort(t, axis=1, direction="DESCENDING"), [normal(2, 4, 3)])
    check(lambda t: tf.math.top_k(t, 3).values, [normal(2, 3, 5)])
    assert grad(lambda t: tf.cast(tf.argsort(t), tf.float64), x) == [None]
    assert grad(lambda t: tf.cast(tf.math.top_k(t, 2).indices, tf.float64), x) == [None]


# -- graphs with unknown shapes ----------------------------------------------------------------

UNKNOWN_SHAPE_CASES = {
    "mul": lambda x: x * tf.constant([1.0, 2.0, 3.0], tf.float64),
    "maximum": lambda x: tf.maximum(x, tf.constant([[1.0]], tf.float64)),
    "pow": lambda x: tf.pow(tf.constant([1.5], tf.float64), x),
    "atan2": lambda x: tf.math.atan2(x, tf.constant([[2.0], [1.0]], tf.float64)),
    "sum": lambda x: tf.reduce_sum(x, axis=0),
    "sum_all": tf.reduce_sum,
    "mean": lambda x: tf.reduce_mean(x, axis=[0, 1]),
    "mean_keepdims": lambda x: tf.reduce_mean(x, axis=-1, keepdims=True),
    "prod": lambda x: tf.reduce_prod(x, axis=0),
    "max": lambda x: tf.reduce_max(x, axis=1),
    "logsumexp": lambda x: tf.reduce_logsumexp(x, axis=1),
    "cumprod": lambda x: tf.math.cumprod(x, axis=0, reverse=True),
    "top_k": lambda x: tf.math.top_k(x, 2).values,
    "sort": lambda x: tf.sort(x),
    "einsum": lambda x: tf.einsum("ij,jk->ik", x, tf.ones([3, 2], tf.float64)),
    "matmul": lambda x: tf.matmul(x, x, transpose_b=True),
}


def _gradient_of(f):
    def gradient(x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = f(x)
        return tape.gradient(y, x)
    return gradient


@pytest.mark.parametrize("name", sorted(UNKNOWN_SHAPE_CASES))
@pytest.mark.parametrize("dims", [[None, 3], None], ids=["batch", "unknown_rank"])
def test_gradients_in_graphs_with_unknown_shapes(name, dims):
    f = UNKNOWN_SHAPE_CASES[name]
    x = tf.constant([[0.5, 1.5, 1.0], [2.0, 0.7, 1.2]], tf.float64)
    traced = tf.function(_gradient_of(f), input_signature=[tf.TensorSpec(dims, tf.float64)])
    np.testing.assert_allclose(traced(x).numpy(), _gradient_of(f)(x).numpy())


def test_top_k_gradient_with_k_known_only_at_run_time():
    @tf.function(input_signature=[tf.TensorSpec([None, None], tf.float64),
                                  tf.TensorSpec([], tf.int32)])
    def gradient(x, k):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = tf.math.top_k(x, k).values * 2.0
        return tape.gradient(y, x)
    x = tf.constant([[1.0, 3.0, 2.0], [5.0, 4.0, 6.0]], tf.float64)
    assert gradient(x, tf.constant(2)).numpy().tolist() == [[0, 2, 2], [2, 0, 2]]


# -- non-differentiable ops and the registry ---------------------------------------------------

@pytest.mark.parametrize("fn", [tf.equal, tf.less, tf.greater_equal, tf.math.not_equal,
                                tf.math.floordiv, lambda a, b: tf.math.is_nan(a / b)],
                         ids=["equal", "less", "greater_equal", "not_equal", "floordiv",
                              "is_nan"])
def test_non_differentiable_binary_ops_give_none(fn):
    def f(a, b):
        return tf.cast(fn(a, b), tf.float64)
    assert grad(f, [1.0, 2.0], [2.0, 2.0]) == [None, None]
    assert grad(f, [1.0, 2.0], [2.0, 2.0], unconnected_gradients="zero")[0].tolist() == [0, 0]


def _math_family_ops():
    ops = {}
    for module in (math_ops, reduction_ops, linalg_ops, sort_ops):
        for value in vars(module).values():
            found = value.values() if isinstance(value, dict) else [value]
            ops.update((op.type, op) for op in found if isinstance(op, OpDef))
    return ops


def test_every_math_family_op_declares_its_gradient():
    ops = _math_family_ops()
    assert len(ops) > 70 and {"Sum", "Einsum", "TopKV2", "Cast", "BitwiseXor"} <= set(ops)
    assert [t for t, op in sorted(ops.items()) if op.grad is None] == []
    no_gradient = {t for t, op in ops.items() if op.grad is NO_GRADIENT}
    assert {"Floor", "FloorDiv", "ArgMax", "ArgSort", "Equal", "All"} <= no_gradient
    assert not {"Sign", "FloorMod", "Pow", "Prod", "Cumprod"} & no_gradient
