"""Matrix decompositions (TF's tf.linalg.cholesky, qr, svd, eigh, eigvalsh) and what is built
on them (pinv, matrix_rank), with their gradients. Batch dimensions come first; float16 is
computed in float32.

Signs: the columns of `qr`'s q (and rows of r) are LAPACK's, as TensorFlow's. Singular and
eigen vectors are unique only up to sign (and, for repeated values, up to rotation), and
TensorFlow's Eigen kernels pick other signs than NumPy's LAPACK: compare products such as
u @ diag(s) @ v^H, not the vectors.

Gradients (G is the incoming gradient, ^H the conjugate transpose, sym(X) = (X + X^H) / 2):
  L = cholesky(A):   dA = sym(L^-H Phi(L^H G) L^-1), Phi taking the lower triangle with half
                     its diagonal
  Q, R = qr(A):      dA = (G_Q + Q copyltu(M)) R^-H + Q G_R, M = R G_R^H - G_Q^H Q
                     (wide matrices: the square part, and Q G_R for the rest)
  e, V = eigh(A):    dA = V (diag(G_e) + F o (V^H G_V)) V^H, F_ij = 1 / (e_j - e_i); folded
                     onto the lower triangle, the only part the op reads (as TF)
  s, U, V = svd(A):  Townsend's formula (2016) for the thin decomposition
Gradients through repeated eigen/singular values are infinite, as in TF.

>>> import autotrace as tf
>>> tf.linalg.cholesky([[4.0, 2.0], [2.0, 2.0]]).numpy()
array([[2., 0.],
       [1., 1.]], dtype=float32)
"""
import collections

import numpy as np

from ..core import dtypes
from ..core.errors import InvalidArgumentError
from . import array_ops
from .array_ops import as_tensor
from .linalg_solve_ops import linalg_call, square_infer, triangular_solve
from .matrix_structure_ops import adjoint, band_part, check_matrix, diag, diag_part, set_diag
from .registry import apply, defop
from .shapes import FLOAT, check_dtype

__all__ = ["cholesky", "qr", "svd", "eigh", "eigvalsh", "pinv", "matrix_rank"]

Qr = collections.namedtuple("Qr", ["q", "r"])


def _matmul(*args, **kwargs):
    from .math_ops import matmul
    return matmul(*args, **kwargs)


def _known_size(op_type, x):
    dims = x.shape.as_tuple()
    if dims is None or None in dims[-2:]:
        raise InvalidArgumentError("The gradient of %s needs matrices of known size, got shape "
                                   "%s" % (op_type, x.shape))
    return dims[-2:]


def _eye(n, like):
    from .creation_ops import eye
    return eye(n, dtype=like.dtype)


# -- cholesky ----------------------------------------------------------------------------------

def _cholesky_kernel(input):
    lower = np.tril(input)  # only the lower triangle is read, as TF
    hermitian = lower + np.conj(np.swapaxes(np.tril(input, -1), -1, -2))
    return linalg_call("Cholesky", np.linalg.cholesky, hermitian,
                       message="the input is not positive definite (the Cholesky "
                               "decomposition does not exist)")


def _cholesky_grad(op, g):
    chol = op.outputs[0]
    n = _known_size("Cholesky", chol)[0]
    middle = _matmul(chol, g, adjoint_a=True)
    middle = set_diag(band_part(middle, -1, 0), 0.5 * diag_part(middle))
    chol_inv = triangular_solve(chol, _eye(n, chol), lower=True)
    s = _matmul(_matmul(chol_inv, middle, adjoint_a=True), chol_inv)
    return [0.5 * (s + adjoint(s))]


CHOLESKY = defop("Cholesky", _cholesky_kernel, square_infer("Cholesky"), accepts=FLOAT,
                 eager_check=True, grad=_cholesky_grad)


def cholesky(input, name=None):
    """The lower-triangular L with L @ L^H = input, for Hermitian positive-definite matrices
    (only the lower triangle is read). Not positive definite: an InvalidArgumentError (TF
    returns NaNs).
    """
    return apply(CHOLESKY, (as_tensor(input),), None, name)


# -- qr ----------------------------------------------------------------------------------------

def _qr_kernel(input, full_matrices):
    q, r = linalg_call("Qr", lambda a: np.linalg.qr(a, mode="complete" if full_matrices
                                                     else "reduced"), input)
    return [q, r]


def _qr_infer(input, full_matrices):
    check_dtype("Qr", input, FLOAT)
    check_matrix("Qr", input)
    if input.shape.rank is None:
        return [(input.dtype, None), (input.dtype, None)]
    batch, (m, n) = input.shape[:-2], input.shape.as_tuple()[-2:]
    k = None if m is None or n is None else min(m, n)
    if full_matrices:
        return [(input.dtype, batch.concatenate([m, m])), (input.dtype, batch.concatenate([m, n]))]
    return [(input.dtype, batch.concatenate([m, k])), (input.dtype, batch.concatenate([k, n]))]


def _right_solve_adjoint(x, r):
    """x @ r^-H for upper-triangular r."""
    return adjoint(triangular_solve(r, adjoint(x), lower=False))


def _qr_grad_square(q, r, gq, gr):
    """The gradient of A = QR with A of n columns and R square n x n (A tall or square)."""
    qgq = _matmul(q, gq, adjoint_a=True)
    rgr = _matmul(r, gr, adjoint_b=True)
    lower = band_part(qgq - adjoint(qgq) + rgr - adjoint(rgr), -1, 0)
    grad = _matmul(q, gr + _right_solve_adjoint(lower, r))
    return grad + _right_solve_adjoint(gq - _matmul(q, qgq), r)


def _qr_grad(op, gq, gr):
    a = op.inputs[0]
    q, r = op.outputs
    m, n = _known_size("Qr", a)
    if op.attrs["full_matrices"] and m > n:
        raise NotImplementedError("The gradient of qr with full_matrices=True is defined only "
                                  "for matrices with no more rows than columns, got shape %s "
                                  "(use full_matrices=False)" % a.shape)
    gq = array_ops.zeros_like(q) if gq is None else gq
    gr = array_ops.zeros_like(r) if gr is None else gr
    if m >= n:
        return [_qr_grad_square(q, r, gq, gr)]
    # Wide: A = [X | Y] with X = Q U square, and R = [U | Q^H Y]: the rest of R passes its
    # gradient to Y (Q @ G_V) and to Q (Y @ G_V^H).
    from .manip_ops import concat
    y, u = a[..., m:], r[..., :m]
    g_u, g_v = gr[..., :m], gr[..., m:]
    grad_x = _qr_grad_square(q, u, gq + _matmul(y, g_v, adjoint_b=True), g_u)
    return [concat([grad_x, _matmul(q, g_v)], axis=-1)]


QR = defop("Qr", _qr_kernel, _qr_infer, accepts=FLOAT, eager_check=True, multi_output=True,
           grad=_qr_grad)


def qr(input, full_matrices=False, name=None):
    """Q, R with input = Q @ R, Q with orthonormal columns and R upper triangular
    (full_matrices=True: Q square and R as tall as the input).

    >>> q, r = qr([[1.0, 2.0], [3.0, 4.0]])
    >>> r.shape
    TensorShape([2, 2])
    """
    return Qr(*apply(QR, (as_tensor(input),), {"full_matrices": bool(full_matrices)}, name))


# -- eigh --------------------------------------------------------------------------------------

def _eigh_kernel(input, compute_v):
    e, v = linalg_call("SelfAdjointEigV2", lambda a: np.linalg.eigh(a, UPLO="L"), input,
                       message="the eigen decomposition did not converge")
    return [e, v if compute_v else np.zeros(input.shape[:-2] + (0,), v.dtype)]


def _eigh_infer(input, compute_v):
    check_dtype("SelfAdjointEigV2", input, FLOAT)
    check_matrix("SelfAdjointEigV2", input, square=True)
    real = input.dtype.real_dtype
    if input.shape.rank is None:
        return [(real, None), (input.dtype, None)]
    n = input.shape.as_tuple()[-1]
    batch = input.shape[:-2]
    return [(real, batch.concatenate([n])),
            (input.dtype, batch.concatenate([n, n] if compute_v else [0]))]


def _eigh_grad(op, ge, gv):
    from .math_ops import cast, reciprocal
    a = op.inputs[0]
    e, v = op.outputs
    if not op.attrs["compute_v"]:  # eigvalsh: the eigenvectors are needed all the same
        e, v = eigh(a)
        gv = None
    inner = diag(cast(ge, a.dtype)) if ge is not None else array_ops.zeros_like(a)
    if gv is not None:
        gaps = array_ops.expand_dims(e, -2) - array_ops.expand_dims(e, -1)
        f = set_diag(reciprocal(gaps), array_ops.zeros_like(e))
        inner = inner + cast(f, a.dtype) * _matmul(v, gv, adjoint_a=True)
    grad = _matmul(v, _matmul(inner, v, adjoint_b=True))
    # The op reads only the lower triangle: fold the symmetric gradient onto it.
    folded = band_part(grad + adjoint(grad), -1, 0)
    return [set_diag(folded, 0.5 * diag_part(folded))]


EIGH = defop("SelfAdjointEigV2", _eigh_kernel, _eigh_infer, accepts=FLOAT, eager_check=True,
             multi_output=True, grad=_eigh_grad)


def eigh(tensor, name=None):
    """(eigenvalues in ascending order, eigenvectors as columns) of Hermitian matrices; only
    the lower triangle is read.

    >>> e, v = eigh([[2.0, 1.0], [1.0, 2.0]])
    >>> e.numpy()
    array([1., 3.], dtype=float32)
    """
    e, v = apply(EIGH, (as_tensor(tensor),), {"compute_v": True}, name)
    return e, v


def eigvalsh(tensor, name=None):
    """The eigenvalues of Hermitian matrices, in ascending order."""
    e, _ = apply(EIGH, (as_tensor(tensor),), {"compute_v": False}, name)
    return e


# -- svd ---------------------------------------------------------------------------------------

def _svd_kernel(input, compute_uv, full_matrices):
    if not compute_uv:
        s = linalg_call("Svd", lambda a: np.linalg.svd(a, compute_uv=False), input,
                        message="the SVD did not converge")
        return [s, np.zeros((0,), input.dtype), np.zeros((0,), input.dtype)]
    u, s, vh = linalg_call("Svd", lambda a: np.linalg.svd(a, full_matrices=full_matrices),
                           input, message="the SVD did not converge")
    return [s, u, np.conj(np.swapaxes(vh, -1, -2))]


def _svd_infer(input, compute_uv, full_matrices):
    check_dtype("Svd", input, FLOAT)
    check_matrix("Svd", input)
    real = input.dtype.real_dtype
    if input.shape.rank is None:
        return [(real, None), (input.dtype, None), (input.dtype, None)]
    batch, (m, n) = input.shape[:-2], input.shape.as_tuple()[-2:]
    k = None if m is None or n is None else min(m, n)
    if not compute_uv:
        return [(real, batch.concatenate([k])), (input.dtype, [0]), (input.dtype, [0])]
    cols_u, cols_v = (m, n) if full_matrices else (k, k)
    return [(real, batch.concatenate([k])), (input.dtype, batch.concatenate([m, cols_u])),
            (input.dtype, batch.concatenate([n, cols_v]))]


def _svd_grad(op, gs, gu, gv):
    """Townsend (2016), thin SVD A = U S V^H (U: m x k, V: n x k):
    dA = U [sym-part terms] V^H + (I - U U^H) G_U S^-1 V^H + U S^-1 G_V^H (I - V V^H)."""
    from .math_ops import cast, reciprocal
    a = op.inputs[0]
    m, n = _known_size("Svd", a)
    if not op.attrs["compute_uv"]:
        s, u, v = svd(a)
        return [_matmul(u * array_ops.expand_dims(cast(gs, a.dtype), -2), v, adjoint_b=True)]
    if op.attrs["full_matrices"] and m != n:
        raise NotImplementedError("The gradient of svd with full_matrices=True is defined only "
                                  "for square matrices, got shape %s (use "
                                  "full_matrices=False)" % a.shape)
    s, u, v = op.outputs
    k = min(m, n)
    u, v = u[..., :k], v[..., :k]
    gu = None if gu is None else gu[..., :k]
    gv = None if gv is None else gv[..., :k]
    s_c = cast(s, a.dtype)
    inner = diag(cast(gs, a.dtype)) if gs is not None else array_ops.zeros_like(diag(s_c))
    s2 = s * s
    f = set_diag(reciprocal(array_ops.expand_dims(s2, -2) - array_ops.expand_dims(s2, -1)),
                 array_ops.zeros_like(s))
    f = cast(f, a.dtype)
    s_row = array_ops.expand_dims(s_c, -2)   # multiplies columns by s
    s_col = array_ops.expand_dims(s_c, -1)   # multiplies rows by s
    grad = None
    if gu is not None:
        j = f * _matmul(u, gu, adjoint_a=True)
        inner = inner + (j + adjoint(j)) * s_row
        outside_u = gu - _matmul(u, _matmul(u, gu, adjoint_a=True))
        grad = _matmul(outside_u / s_row, v, adjoint_b=True)
    if gv is not None:
        kk = f * _matmul(v, gv, adjoint_a=True)
        inner = inner + s_col * (kk + adjoint(kk))
        outside_v = gv - _matmul(v, _matmul(v, gv, adjoint_a=True))
        term = _matmul(u, outside_v / s_row, adjoint_b=True)
        grad = term if grad is None else grad + term
    main = _matmul(_matmul(u, inner), v, adjoint_b=True)
    return [main if grad is None else main + grad]


SVD = defop("Svd", _svd_kernel, _svd_infer, accepts=FLOAT, eager_check=True, multi_output=True,
            grad=_svd_grad)


def svd(tensor, full_matrices=False, compute_uv=True, name=None):
    """The singular value decomposition: (s, u, v) with tensor = u @ diag(s) @ v^H and s in
    descending order (only s if compute_uv=False). Note the order and that v is returned,
    not v^H, as in TF.

    >>> s = svd([[3.0, 0.0], [0.0, -4.0]], compute_uv=False)
    >>> s.numpy()
    array([4., 3.], dtype=float32)
    """
    s, u, v = apply(SVD, (as_tensor(tensor),), {"compute_uv": bool(compute_uv),
                                                 "full_matrices": bool(full_matrices)}, name)
    return (s, u, v) if compute_uv else s


# -- pinv, matrix_rank -------------------------------------------------------------------------

def _default_rcond(a):
    m, n = a.shape.as_tuple()[-2:]
    size = max(m or 1, n or 1)
    return 10.0 * size * np.finfo(a.dtype.real_dtype.np).eps


def pinv(a, rcond=None, validate_args=False, name=None):
    """The Moore-Penrose pseudo-inverse, from the SVD: singular values at most rcond times
    the largest are treated as zero (default rcond: 10 * max(m, n) * eps, as TF).

    >>> pinv([[1.0, 2.0], [2.0, 4.0]]).numpy()
    array([[0.04, 0.08],
           [0.08, 0.16]], dtype=float32)
    """
    from .index_ops import where
    from .math_ops import cast, greater, multiply
    from .reduction_ops import reduce_max
    a = as_tensor(a)
    rcond = _default_rcond(a) if rcond is None else rcond
    s, u, v = svd(a)
    cutoff = multiply(cast(rcond, s.dtype), reduce_max(s, axis=-1, keepdims=True))
    keep = greater(s, cutoff)
    safe = where(keep, s, array_ops.ones_like(s))
    inverse_s = where(keep, 1.0 / safe, array_ops.zeros_like(s))
    scaled = v * array_ops.expand_dims(cast(inverse_s, a.dtype), -2)
    return _matmul(scaled, u, adjoint_b=True, name=name)


def matrix_rank(a, tol=None, validate_args=False, name=None):
    """The number of singular values above `tol` (default: eps * max(m, n) * the largest),
    as an int32.

    >>> matrix_rank([[1.0, 2.0], [2.0, 4.0]]).numpy()
    1
    """
    from .math_ops import cast, greater, multiply
    from .reduction_ops import reduce_max, reduce_sum
    a = as_tensor(a)
    s = svd(a, compute_uv=False)
    if tol is None:
        m, n = a.shape.as_tuple()[-2:]
        eps = np.finfo(a.dtype.real_dtype.np).eps * max(m or 1, n or 1)
        tol = multiply(cast(eps, s.dtype), reduce_max(s, axis=-1, keepdims=True))
    return reduce_sum(cast(greater(s, tol), dtypes.int32), axis=-1, name=name)

