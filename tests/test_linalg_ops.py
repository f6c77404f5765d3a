"""tf.linalg: structure (band_part, diag, diag_part, set_diag, trace, cross, matvec),
inverses and solves, decompositions, norms, and their gradients (finite differences).
Expected values are NumPy's or TensorFlow 2.21's."""
import numpy as np
import pytest

import autotrace as tf
from autotrace.errors import DTypeMismatchError, InvalidArgumentError, InvalidShapeError
from autotrace.test import check_gradients

from helpers import check_op

linalg = tf.linalg
RNG = np.random.default_rng(11)
A = RNG.normal(size=(3, 3)) + 3 * np.eye(3)
B = RNG.normal(size=(3, 2))
SPD = A @ A.T
TALL = RNG.normal(size=(4, 3))


def f32(x):
    return np.asarray(x, np.float32)


# -- structure ---------------------------------------------------------------------------------

def test_band_part():
    x = np.arange(16, dtype=np.float32).reshape(4, 4)
    check_op(lambda t: linalg.band_part(t, 1, -1), x, expected=np.triu(x, -1))
    check_op(lambda t: linalg.band_part(t, 0, 0), x, expected=np.diag(np.diag(x)))
    check_op(lambda t: linalg.band_part(t, -1, 0), np.stack([x, -x]),
             expected=np.stack([np.tril(x), np.tril(-x)]))
    with pytest.raises(InvalidShapeError, match="MatrixBandPart: input must have rank >= 2"):
        linalg.band_part([1.0, 2.0], 0, 0)


def test_diag_single_and_banded():
    assert linalg.diag([1, 2]).numpy().tolist() == [[1, 0], [0, 2]]
    assert linalg.diag([[1, 2], [3, 4]], k=1).numpy().tolist() == \
        [[[0, 1, 0], [0, 0, 2], [0, 0, 0]], [[0, 3, 0], [0, 0, 4], [0, 0, 0]]]
    # diagonal[i] is diagonal high - i; shorter ones aligned by `align` (TF's answers)
    assert linalg.diag([[1, 2], [3, 4]], k=(-1, 0)).numpy().tolist() == [[1, 0], [3, 2]]
    assert linalg.diag([[1, 2], [3, 4]], k=(-1, 0), align="LEFT_RIGHT").numpy().tolist() == \
        [[1, 0], [4, 2]]
    assert linalg.diag([1, 2], num_rows=3).numpy().tolist() == [[1, 0], [0, 2], [0, 0]]
    assert linalg.diag([1.0, 2.0], num_cols=3, padding_value=9.0).numpy().tolist() == \
        [[1, 9, 9], [9, 2, 9]]
    with pytest.raises(InvalidArgumentError, match="3 x 4 matrices do not fit"):
        linalg.diag([1, 2], num_rows=3, num_cols=4)
    with pytest.raises(InvalidArgumentError, match="align must be one of"):
        linalg.diag([1, 2], align="UP")


def test_diag_part_and_set_diag():
    x = np.arange(12, dtype=np.int32).reshape(3, 4)
    check_op(linalg.diag_part, x, expected=np.array([0, 5, 10], np.int32))
    check_op(lambda t: linalg.diag_part(t, k=(-1, 1)), x,
             expected=np.array([[1, 6, 11], [0, 5, 10], [4, 9, 0]], np.int32))
    assert linalg.diag_part(x, k=(-1, 1), padding_value=-1, align="LEFT_LEFT").numpy()[2] \
        .tolist() == [4, 9, -1]
    assert linalg.set_diag(tf.zeros([3, 3], tf.int32), [1, 2, 3]).numpy().tolist() == \
        np.diag([1, 2, 3]).tolist()
    out = linalg.set_diag(tf.zeros([3, 4], tf.int32), [[1, 2, 0], [4, 5, 6]], k=(0, 1))
    assert out.numpy().tolist() == [[4, 1, 0, 0], [0, 5, 2, 0], [0, 0, 6, 0]]
    with pytest.raises(InvalidArgumentError, match=r"diagonal must have shape \[\.\.\., 1, 3\]"):
        linalg.set_diag(tf.zeros([3, 3]), [1.0, 2.0])


def test_trace_transpose_matvec_cross_tensor_diag():
    x = np.arange(12.0, dtype=np.float32).reshape(3, 4)
    assert linalg.trace(x).numpy() == 15.0
    assert linalg.trace(tf.reshape(tf.range(12), [3, 4])).dtype == tf.int32
    assert linalg.matrix_transpose(tf.zeros([2, 3, 4])).shape == [2, 4, 3]
    z = tf.constant([[1 + 2j, 3j]])
    np.testing.assert_array_equal(linalg.adjoint(z).numpy(), [[1 - 2j], [-3j]])
    np.testing.assert_allclose(linalg.matvec([[1.0, 2.0], [3.0, 4.0]], [1.0, 1.0]), [3.0, 7.0])
    np.testing.assert_allclose(linalg.matvec([[1.0, 2.0], [3.0, 4.0]], [1.0, 1.0],
                                             transpose_a=True), [4.0, 6.0])
    check_op(linalg.cross, f32([1, 2, 3]), f32([4, 5, 6]), expected=f32([-3, 6, -3]))
    assert linalg.cross([1, 2, 3], [4, 5, 6]).numpy().tolist() == [-3, 6, -3]
    with pytest.raises(InvalidShapeError, match="Cross: a must have 3 elements"):
        linalg.cross([1.0, 2.0], [1.0, 2.0])
    assert linalg.tensor_diag([1, 2]).numpy().tolist() == [[1, 0], [0, 2]]
    assert linalg.tensor_diag_part(tf.reshape(tf.range(16), [2, 2, 2, 2])).numpy().tolist() \
        == [[0, 5], [10, 15]]


# -- inverses, determinants, solves ------------------------------------------------------------

def test_inv_det_slogdet():
    check_op(linalg.inv, f32(A), expected=np.linalg.inv(f32(A)), rtol=1e-5)
    check_op(lambda a: linalg.inv(a, adjoint=True), A, expected=np.linalg.inv(A.T))
    check_op(linalg.det, np.stack([A, 2 * A]), expected=np.linalg.det(np.stack([A, 2 * A])))
    sign, logabs = linalg.slogdet(-A)
    assert sign.numpy() == np.sign(np.linalg.det(-A))
    assert np.isclose(logabs.numpy(), np.log(abs(np.linalg.det(A))))
    assert repr(linalg.slogdet([[0.0, 1.0], [1.0, 0.0]])) == (
        "LogMatrixDeterminant(sign=<tf.Tensor: shape=(), dtype=float32, numpy=-1.0>, "
        "log_abs_determinant=<tf.Tensor: shape=(), dtype=float32, numpy=0.0>)")
    singular = linalg.slogdet([[1.0, 2.0], [2.0, 4.0]])
    assert singular.sign.numpy() == 0 and singular.log_abs_determinant.numpy() == -np.inf
    assert linalg.det(tf.zeros([0, 0])).numpy() == 1.0
    assert linalg.inv(tf.eye(2, dtype=tf.float16)).dtype == tf.float16


def test_inverse_errors():
    with pytest.raises(InvalidArgumentError, match="MatrixInverse: the input is not invertible"):
        linalg.inv([[1.0, 2.0], [2.0, 4.0]])
    with pytest.raises(InvalidShapeError, match="input must be square matrices, got shape "
                                                r"\(2, 3\)"):
        linalg.inv(tf.zeros([2, 3]))
    with pytest.raises(DTypeMismatchError, match="MatrixInverse: input has dtype int32"):
        linalg.inv([[1, 2], [3, 4]])


def test_solves():
    check_op(linalg.solve, A, B, expected=np.linalg.solve(A, B))
    check_op(lambda a, b: linalg.solve(a, b, adjoint=True), A, B,
             expected=np.linalg.solve(A.T, B))
    lower = np.tril(A)
    check_op(linalg.triangular_solve, A, B, expected=np.linalg.solve(lower, B))
    check_op(lambda a, b: linalg.triangular_solve(a, b, lower=False, adjoint=True), A, B,
             expected=np.linalg.solve(np.triu(A).T, B))
    # batch dimensions broadcast
    out = linalg.triangular_solve(tf.eye(2, batch_shape=[2]), tf.ones([1, 2, 1]))
    assert out.shape == [2, 2, 1]
    # a zero on the diagonal gives inf, as LAPACK and TF
    inf = linalg.triangular_solve([[0.0, 0.0], [1.0, 1.0]], [[1.0], [2.0]]).numpy()
    assert np.isinf(inf).all()
    np.testing.assert_allclose(linalg.cholesky_solve(linalg.cholesky(SPD), B),
                               np.linalg.solve(SPD, B))
    with pytest.raises(InvalidArgumentError, match="MatrixSolve: the input matrix is not "
                                                   "invertible"):
        linalg.solve([[1.0, 2.0], [2.0, 4.0]], [[1.0], [2.0]])
    with pytest.raises(InvalidShapeError, match="rhs must have 2 rows"):
        linalg.solve(tf.eye(2), tf.ones([3, 1]))
    with pytest.raises(InvalidShapeError, match="rhs must have rank >= 2"):
        linalg.solve(tf.eye(2), [1.0, 2.0])


def test_lstsq_fast_slow_and_regularised():
    rhs = np.array([[1.0], [2.0], [4.0]], np.float32)
    a = f32([[1, 2], [3, 4], [5, 6]])
    np.testing.assert_allclose(linalg.lstsq(a, rhs), np.linalg.lstsq(a, rhs, rcond=None)[0],
                               rtol=1e-4)
    deficient = f32([[1, 2], [2, 4], [3, 6]])  # rank 1: fast=False gives the minimum norm
    np.testing.assert_allclose(linalg.lstsq(deficient, rhs, fast=False), [[0.24285713],
                                                                           [0.4857142]],
                               rtol=1e-5)
    wide = f32([[1, 2, 3], [3, 4, 5]])
    got = linalg.lstsq(wide, [[1.0], [2.0]], l2_regularizer=0.1)
    want = wide.T @ np.linalg.solve(wide @ wide.T + 0.1 * np.eye(2), [[1.0], [2.0]])
    np.testing.assert_allclose(got, want, rtol=1e-5)  # TF: [0.1545544, 0.16441959, 0.1742848]


def test_expm():
    np.testing.assert_allclose(linalg.expm([[0.0, 1.0], [-1.0, 0.0]]),
                               [[np.cos(1), np.sin(1)], [-np.sin(1), np.cos(1)]], rtol=1e-6)
    np.testing.assert_allclose(linalg.expm(tf.constant([[1.0, 2.0], [0.0, 1.0]], tf.float64)),
                               [[np.e, 2 * np.e], [0, np.e]], rtol=1e-14)
    big = 20.0 * A  # scaling and squaring: expm(A) = expm(A / 2^s) ^ (2^s)
    e, v = np.linalg.eig(big)
    np.testing.assert_allclose(linalg.expm(big), (v * np.exp(e)) @ np.linalg.inv(v),
                               rtol=1e-7)
    with pytest.raises(TypeError, match="expm: input must be a floating-point"):
        linalg.expm([[1, 1], [-1, 0]])


# -- decompositions ----------------------------------------------------------------------------

def test_cholesky_reads_the_lower_triangle():
    check_op(linalg.cholesky, SPD, expected=np.linalg.cholesky(SPD))
    np.testing.assert_allclose(linalg.cholesky([[4.0, 100.0], [2.0, 3.0]]),
                               [[2.0, 0.0], [1.0, np.sqrt(2.0)]])
    with pytest.raises(InvalidArgumentError, match="Cholesky: the input is not positive "
                                                   "definite"):
        linalg.cholesky([[1.0, 2.0], [2.0, 1.0]])  # TF returns NaNs here


def test_qr_as_lapack():
    q, r = linalg.qr(TALL)
    nq, nr = np.linalg.qr(TALL)
    np.testing.assert_allclose(q, nq, atol=1e-12)
    np.testing.assert_allclose(r, nr, atol=1e-12)
    q, r = linalg.qr(f32(TALL), full_matrices=True)
    assert q.shape == [4, 4] and r.shape == [4, 3]
    np.testing.assert_allclose(q @ r, TALL, atol=1e-5)
    assert type(linalg.qr(TALL)).__name__ == "Qr"


def test_svd_and_eigh_reconstruct():
    s, u, v = linalg.svd(TALL)
    assert (s.shape, u.shape, v.shape) == ([3], [4, 3], [3, 3])
    np.testing.assert_allclose((u * s) @ tf.transpose(v), TALL, atol=1e-12)
    np.testing.assert_allclose(s, np.linalg.svd(TALL, compute_uv=False))
    np.testing.assert_allclose(linalg.svd(TALL, compute_uv=False), s)
    s, u, v = linalg.svd(TALL, full_matrices=True)
    assert (u.shape, v.shape) == ([4, 4], [3, 3])
    e, v = linalg.eigh(SPD)
    np.testing.assert_allclose(e, np.linalg.eigvalsh(SPD))
    np.testing.assert_allclose((v * e) @ tf.transpose(v), SPD, atol=1e-10)
    e, _ = linalg.eigh([[4.0, 100.0], [1.0, 3.0]])  # the lower triangle only, as TF
    np.testing.assert_allclose(e, [2.3819664, 4.6180344], rtol=1e-6)
    np.testing.assert_allclose(linalg.eigvalsh(SPD), np.linalg.eigvalsh(SPD))


def test_pinv_rank_logdet():
    np.testing.assert_allclose(linalg.pinv([[1.0, 2.0], [2.0, 4.0]]),
                               [[0.04, 0.08], [0.08, 0.16]], rtol=1e-5)
    np.testing.assert_allclose(linalg.pinv(TALL), np.linalg.pinv(TALL), atol=1e-12)
    assert linalg.matrix_rank([[1.0, 2.0], [2.0, 4.0]]).numpy() == 1
    assert linalg.matrix_rank(TALL).dtype == tf.int32
    np.testing.assert_allclose(linalg.logdet(SPD), np.log(np.linalg.det(SPD)))


def test_decompositions_traced_with_batches():
    @tf.function
    def f(a):
        q, r = linalg.qr(a)
        s = linalg.svd(a, compute_uv=False)
        e, _ = linalg.eigh(tf.matmul(a, a, transpose_a=True))
        return tf.matmul(q, r), s, e
    batch = np.stack([TALL, 2 * TALL])
    qr_product, s, e = f(batch)
    np.testing.assert_allclose(qr_product, batch, atol=1e-12)
    np.testing.assert_allclose(s[1], 2 * np.linalg.svd(TALL, compute_uv=False))
    np.testing.assert_allclose(e[0], np.linalg.eigvalsh(TALL.T @ TALL))


# -- norms -------------------------------------------------------------------------------------

def test_norms():
    x = f32([[3, 4], [1, 2]])
    assert linalg.norm([[3.0, 4.0]]).numpy() == 5.0
    assert tf.norm(x, ord=1, axis=[0, 1]).numpy() == 6.0      # largest column sum
    assert tf.norm(x, ord=np.inf, axis=[0, 1]).numpy() == 7.0  # largest row sum
    assert tf.norm(x, ord=1, axis=[1, 0]).numpy() == 7.0
    np.testing.assert_allclose(tf.norm(x, ord=2, axis=[-2, -1]), np.linalg.norm(x, 2))
    np.testing.assert_allclose(tf.norm(x, ord=3, axis=1), np.linalg.norm(x, 3, axis=1))
    np.testing.assert_allclose(tf.norm(x, ord=0.5, axis=1), [13.928204, 5.828427], rtol=1e-6)
    assert tf.norm(x, axis=1, keepdims=True).shape == [2, 1]
    assert tf.norm(tf.zeros([2, 3, 4]), ord=2, axis=[0, 2], keepdims=True).shape == [1, 3, 1]
    assert tf.norm(tf.constant([3 + 4j, 0j])).numpy() == 5 + 0j  # complex, as TF
    with pytest.raises(ValueError, match="'ord' must be a supported matrix norm"):
        tf.norm(x, ord="nuc", axis=[0, 1])
    with pytest.raises(ValueError, match="'ord' must be a supported vector norm"):
        tf.norm(x, ord="fro", axis=1)
    with pytest.raises(ValueError, match="a tuple of 2 unique integers"):
        tf.norm(x, axis=[0, 0])
    with pytest.raises(InvalidArgumentError, match="norm: tensor must be a floating-point"):
        tf.norm([3, 4])


def test_normalize_clip_by_norm_global_norm():
    t, n = linalg.normalize([[3.0, 4.0], [1.0, 0.0]], axis=1)
    np.testing.assert_allclose(t, [[0.6, 0.8], [1.0, 0.0]])
    assert n.numpy().tolist() == [[5.0], [1.0]]
    np.testing.assert_allclose(tf.clip_by_norm([3.0, 4.0], 1.0), [0.6, 0.8])
    np.testing.assert_allclose(tf.clip_by_norm([[3.0, 4.0], [0.3, 0.4]], 1.0, axes=[1]),
                               [[0.6, 0.8], [0.3, 0.4]])
    assert tf.clip_by_norm([0.0, 0.0], 1.0).numpy().tolist() == [0.0, 0.0]
    assert linalg.global_norm([tf.constant([3.0, 4.0]), None, tf.constant([[12.0]])]).numpy() \
        == 13.0
    clipped, total = tf.clip_by_global_norm([tf.constant([3.0, 4.0]), None,
                                             tf.constant([[12.0]])], 6.5)
    assert total.numpy() == 13.0 and clipped[1] is None
    np.testing.assert_allclose(clipped[0], [1.5, 2.0])
    clipped, total = tf.clip_by_global_norm([tf.constant([np.inf, 4.0])], 10.0)
    assert np.isnan(clipped[0].numpy()).all() and total.numpy() == np.inf
    with pytest.raises(TypeError, match="t_list must be a list of tensors"):
        tf.clip_by_global_norm(tf.constant([3.0, 4.0]), 10.0)
    slices = tf.IndexedSlices(tf.constant([[3.0, 4.0]]), tf.constant([1]), tf.constant([3, 2]))
    np.testing.assert_allclose(tf.clip_by_norm(slices, 1.0).values, [[0.6, 0.8]])


def test_clip_by_norm_has_finite_gradients_at_zero():
    x = tf.zeros([3])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.reduce_sum(tf.clip_by_norm(x, 1.0))
    assert np.isfinite(tape.gradient(y, x).numpy()).all()


# -- gradients ---------------------------------------------------------------------------------

W3, W43 = RNG.normal(size=(3, 3)), RNG.normal(size=(4, 3))
W35, W44 = RNG.normal(size=(3, 5)), RNG.normal(size=(4, 4))


def _weighted(*pairs):
    return tf.add_n([tf.reduce_sum(t * w) for t, w in pairs])


@pytest.mark.parametrize("name, f, xs", [
    ("inv", lambda a: linalg.inv(a), [A]),
    ("inv adjoint", lambda a: linalg.inv(a, adjoint=True), [A]),
    ("det", linalg.det, [np.stack([A, A.T])]),
    ("slogdet", lambda a: linalg.slogdet(a)[1], [A]),
    ("solve", linalg.solve, [A, B]),
    ("solve adjoint", lambda a, b: linalg.solve(a, b, adjoint=True), [A, B]),
    ("triangular_solve", linalg.triangular_solve, [A, B]),
    ("triangular_solve upper adjoint",
     lambda a, b: linalg.triangular_solve(a, b, lower=False, adjoint=True), [A, B]),
    ("cholesky", lambda a: linalg.cholesky(a + tf.transpose(a)), [SPD]),
    ("lstsq tall", linalg.lstsq, [TALL, RNG.normal(size=(4, 2))]),
    ("lstsq wide", lambda a, b: linalg.lstsq(a, b, l2_regularizer=0.1),
     [TALL.T.copy(), RNG.normal(size=(3, 2))]),
    ("lstsq minimum norm", lambda a, b: linalg.lstsq(a, b, fast=False),
     [TALL, RNG.normal(size=(4, 2))]),
    ("expm", linalg.expm, [RNG.normal(size=(3, 3))]),
    ("expm scaled", linalg.expm, [3 * RNG.normal(size=(3, 3))]),
    ("qr tall", lambda a: _weighted((linalg.qr(a).q, W43), (linalg.qr(a).r, W3)), [TALL]),
    ("qr wide", lambda a: _weighted((linalg.qr(a).q, W3), (linalg.qr(a).r, W35)),
     [RNG.normal(size=(3, 5))]),
    ("eigh", lambda a: _weighted((linalg.eigh(a)[0], [1.0, 2.0, 3.0]),
                                 (tf.matmul(linalg.eigh(a)[1] * [1.0, -2.0, 0.5],
                                            linalg.eigh(a)[1], transpose_b=True), W3)), [SPD]),
    ("eigvalsh", lambda a: linalg.eigvalsh(a) * [1.0, 2.0, 3.0], [SPD]),
    ("svd", lambda a: _weighted(
        (linalg.svd(a)[0], [1.0, 2.0, 3.0]),
        (tf.matmul(linalg.svd(a)[1], linalg.svd(a)[2], transpose_b=True), W43),
        (tf.matmul(linalg.svd(a)[1] * [1.0, 3.0, -1.0], linalg.svd(a)[1], transpose_b=True), W44),
        (tf.matmul(linalg.svd(a)[2] * [1.0, 3.0, -1.0], linalg.svd(a)[2], transpose_b=True), W3)),
     [TALL]),
    ("svd values", lambda a: linalg.svd(a, compute_uv=False), [TALL.T.copy()]),
    ("pinv", linalg.pinv, [TALL]),
    ("band_part", lambda a: linalg.band_part(a, 1, 0), [A]),
    ("diag", lambda d: linalg.diag(d, k=(-1, 1), num_rows=3), [RNG.normal(size=(3, 3))]),
    ("diag_part", lambda a: linalg.diag_part(a, k=(-1, 1)), [RNG.normal(size=(3, 4))]),
    ("set_diag", lambda a, d: linalg.set_diag(a, d, k=(0, 1)),
     [RNG.normal(size=(3, 4)), RNG.normal(size=(2, 3))]),
    ("cross", linalg.cross, [RNG.normal(size=(2, 3)), RNG.normal(size=(3,))]),
    ("tensor_diag", linalg.tensor_diag, [RNG.normal(size=(2, 3))]),
    ("tensor_diag_part", linalg.tensor_diag_part, [RNG.normal(size=(2, 3, 2, 3))]),
    ("norms", lambda x: tf.stack([tf.norm(x), tf.norm(x, ord=3), tf.norm(x, ord=1, axis=[0, 1]),
                                  tf.norm(x, ord=2, axis=[0, 1])]), [TALL]),
    ("complex parts", lambda x, y: tf.math.real(tf.complex(x, y) * tf.complex(y, x)) +
     tf.math.imag(tf.complex(x, y) * tf.complex(x, x)) + tf.math.angle(tf.complex(x, y)),
     [RNG.normal(size=3), RNG.normal(size=3)]),
], ids=lambda v: v if isinstance(v, str) else "")
def test_gradients_match_finite_differences(name, f, xs):
    check_gradients(f, xs)


def test_second_order_gradients():
    check_gradients(linalg.inv, [A], order=2, modes=("eager",))
    check_gradients(linalg.expm, [RNG.normal(size=(2, 2))], order=2, modes=("eager",))


def test_gradient_refusals_name_the_case():
    x = tf.constant(TALL)
    with tf.GradientTape() as tape:
        tape.watch(x)
        q, r = linalg.qr(x, full_matrices=True)
        y = tf.reduce_sum(q)
    with pytest.raises(NotImplementedError, match="qr with full_matrices=True"):
        tape.gradient(y, x)
