"""Inverses, determinants and linear solves (TF's tf.linalg.inv, det, slogdet, logdet, solve,
triangular_solve, cholesky_solve, lstsq, expm), with their gradients. Every op works on the
last two dimensions, with batch dimensions in front (broadcast between the operands of a
solve). float16 inputs are computed in float32 and rounded back, as NumPy's LAPACK has no
half precision.

Gradients (derived from the differentials, with ^H the conjugate transpose):
  Y = inv(A):          dA = -Y^H G Y^H
  y = det(A):          dA = g conj(y) A^-H
  log|det A|:          dA = g A^-H
  X = solve(A, B):     dB = solve(A^H, G), dA = -dB X^H (triangular: kept to A's triangle)
  X = lstsq(A, B):     through the normal equations (full-rank A)
  E = expm(A):         dA is the upper-right block of expm([[A^H, G], [0, A^H]])

>>> import autotrace as tf
>>> tf.linalg.solve([[2.0, 0.0], [0.0, 4.0]], [[2.0], [2.0]]).numpy()
array([[1. ],
       [0.5]], dtype=float32)
"""
import collections

import numpy as np

from ..core import dtypes
from ..core.errors import InvalidArgumentError, InvalidShapeError
from ..core.tensor_shape import TensorShape
from . import array_ops
from .array_ops import as_tensor
from .constant_op import convert_to_tensor
from .matrix_structure_ops import adjoint, band_part, check_matrix
from .registry import apply, defop
from .shapes import FLOAT, broadcast_shapes, check_dtype, check_same_dtype

__all__ = ["inv", "det", "slogdet", "logdet", "solve", "triangular_solve", "cholesky_solve",
           "lstsq", "expm"]

LogMatrixDeterminant = collections.namedtuple("LogMatrixDeterminant",
                                              ["sign", "log_abs_determinant"])


def lapack_dtype(x):
    """The dtype NumPy's LAPACK computes `x` in (float16 is promoted to float32)."""
    return np.float32 if x.dtype == np.float16 else x.dtype


def linalg_call(op_type, fn, *arrays, message="the input is singular"):
    """fn(*arrays) in a dtype LAPACK takes, cast back; LinAlgError becomes InvalidArgumentError."""
    dtype = arrays[0].dtype
    work = [np.asarray(a, lapack_dtype(a)) for a in arrays]
    try:
        result = fn(*work)
    except np.linalg.LinAlgError:
        raise InvalidArgumentError("%s: %s" % (op_type, message)) from None
    if isinstance(result, tuple):
        return tuple(_like(np.asarray(r), dtype) for r in result)
    return _like(np.asarray(result), dtype)


def _like(result, dtype):
    """A LAPACK result in the input's dtype (its real dtype for real results)."""
    target = dtype if result.dtype.kind == dtype.kind or result.dtype.kind != "f" else \
        np.finfo(dtype).dtype
    return result.astype(target, copy=False)


def square_infer(op_type, arg="input"):
    """The shape rule of an op taking square float/complex matrices: (dtype, input shape)."""
    def infer(input, **attrs):
        check_dtype(op_type, input, FLOAT, arg)
        check_matrix(op_type, input, arg, square=True)
        return input.dtype, input.shape
    return infer


def _batch_shape(x):
    return None if x.shape.rank is None else x.shape[:-2]


def _unbroadcast(grad, like):
    from .math_ops import unbroadcast
    return unbroadcast(grad, like)


def _batch_scalars(t):
    """A batch of scalars shaped to multiply a batch of matrices."""
    return array_ops.expand_dims(array_ops.expand_dims(t, -1), -1)


# -- inv ---------------------------------------------------------------------------------------

def _inv_kernel(input, adjoint):
    out = linalg_call("MatrixInverse", np.linalg.inv, input,
                      message="the input is not invertible")
    return np.conj(np.swapaxes(out, -1, -2)) if adjoint else out


def _inv_grad(op, g):
    from .math_ops import matmul
    y = op.outputs[0]
    if op.attrs["adjoint"]:
        return [-matmul(y, matmul(g, y, adjoint_a=True))]
    return [-matmul(y, matmul(g, y, adjoint_b=True), adjoint_a=True)]


INV = defop("MatrixInverse", _inv_kernel, square_infer("MatrixInverse"), accepts=FLOAT,
            eager_check=True, grad=_inv_grad)


def inv(input, adjoint=False, name=None):
    """The inverse of each square matrix (of its conjugate transpose if `adjoint`); an
    InvalidArgumentError if one is singular.

    >>> inv([[2.0, 0.0], [0.0, 4.0]]).numpy()
    array([[0.5 , 0.  ],
           [0.  , 0.25]], dtype=float32)
    """
    return apply(INV, (as_tensor(input),), {"adjoint": bool(adjoint)}, name)


# -- det, slogdet, logdet ----------------------------------------------------------------------

def _det_infer(input):
    check_dtype("MatrixDeterminant", input, FLOAT)
    check_matrix("MatrixDeterminant", input, square=True)
    return input.dtype, _batch_shape(input)


def _det_grad(op, g):
    from .math_ops import conj
    a, y = op.inputs[0], op.outputs[0]
    return [_batch_scalars(g * conj(y)) * inv(a, adjoint=True)]


DET = defop("MatrixDeterminant", lambda input: linalg_call("MatrixDeterminant", np.linalg.det,
                                                           input),
            _det_infer, accepts=FLOAT, eager_check=True, grad=_det_grad)


def det(input, name=None):
    """The determinant of each square matrix.

    >>> det([[1.0, 2.0], [3.0, 4.0]]).numpy()
    -2.0
    """
    return apply(DET, (as_tensor(input),), None, name)


def _slogdet_kernel(input):
    sign, logabs = linalg_call("LogMatrixDeterminant", np.linalg.slogdet, input)
    return [np.asarray(sign, input.dtype), np.asarray(logabs, input.dtype)]


def _slogdet_infer(input):
    dtype, batch = _det_infer(input)
    return [(dtype, batch), (dtype, batch)]


def _slogdet_grad(op, g_sign, g_logabs):
    from .math_ops import cast
    a = op.inputs[0]
    return [_batch_scalars(cast(g_logabs, a.dtype)) * inv(a, adjoint=True)]


SLOGDET = defop("LogMatrixDeterminant", _slogdet_kernel, _slogdet_infer, accepts=FLOAT,
                eager_check=True, multi_output=True, grad=_slogdet_grad)


def slogdet(input, name=None):
    """(sign, log |det|) of each square matrix: the determinant without overflow. A singular
    matrix gives sign 0 and -inf.

    >>> slogdet([[0.0, 1.0], [1.0, 0.0]])
    LogMatrixDeterminant(sign=<tf.Tensor: shape=(), dtype=float32, numpy=-1.0>, \
log_abs_determinant=<tf.Tensor: shape=(), dtype=float32, numpy=0.0>)
    """
    return LogMatrixDeterminant(*apply(SLOGDET, (as_tensor(input),), None, name))


def logdet(matrix, name=None):
    """log(det(matrix)) of Hermitian positive-definite matrices, from their Cholesky factors
    (2 * sum(log(diag(L)))).

    >>> round(float(logdet([[2.0, 1.0], [1.0, 2.0]])), 6)
    1.098612
    """
    from .linalg_decomposition_ops import cholesky
    from .complex_ops import real
    from .math_ops import log, multiply
    from .matrix_structure_ops import diag_part
    from .reduction_ops import reduce_sum
    chol = cholesky(matrix)
    return multiply(2.0, reduce_sum(log(real(diag_part(chol))), axis=-1), name=name)


# -- solve -------------------------------------------------------------------------------------

def _solve_infer(op_type):
    def infer(matrix, rhs, **attrs):
        dtype = check_same_dtype(op_type, (matrix, rhs), ("matrix", "rhs"))
        check_dtype(op_type, matrix, FLOAT, "matrix")
        check_matrix(op_type, matrix, "matrix", square=True)
        check_matrix(op_type, rhs, "rhs")
        if matrix.shape.rank is None or rhs.shape.rank is None:
            return dtype, None
        n, (m, k) = matrix.shape.as_tuple()[-1], rhs.shape.as_tuple()[-2:]
        if n is not None and m is not None and n != m:
            raise InvalidShapeError("%s: matrix (shape %s) and rhs (shape %s) do not fit: rhs "
                                    "must have %d rows" % (op_type, matrix.shape, rhs.shape, n))
        batch = broadcast_shapes(op_type, matrix.shape[:-2], rhs.shape[:-2])
        return dtype, batch.concatenate([m if m is not None else n, k])
    return infer


def _solve_kernel(matrix, rhs, adjoint):
    if adjoint:
        matrix = np.conj(np.swapaxes(matrix, -1, -2))
    batch = np.broadcast_shapes(matrix.shape[:-2], rhs.shape[:-2])
    matrix = np.broadcast_to(matrix, batch + matrix.shape[-2:])
    rhs = np.broadcast_to(rhs, batch + rhs.shape[-2:])
    return linalg_call("MatrixSolve", np.linalg.solve, matrix, rhs,
                       message="the input matrix is not invertible")


def _solve_grad(op, g):
    from .math_ops import matmul
    a, b = op.inputs
    x, adj = op.outputs[0], op.attrs["adjoint"]
    grad_b = solve(a, g, adjoint=not adj)
    grad_a = -matmul(x, grad_b, adjoint_b=True) if adj else -matmul(grad_b, x, adjoint_b=True)
    return [_unbroadcast(grad_a, a), _unbroadcast(grad_b, b)]


SOLVE = defop("MatrixSolve", _solve_kernel, _solve_infer("MatrixSolve"),
              inputs=("matrix", "rhs"), eager_check=True, grad=_solve_grad)


def solve(matrix, rhs, adjoint=False, name=None):
    """X with matrix @ X = rhs (matrix^H @ X = rhs if `adjoint`), for square invertible
    matrices; batch dimensions broadcast.

    >>> solve([[4.0, 1.0], [1.0, 3.0]], [[1.0], [2.0]]).numpy()
    array([[0.09090909],
           [0.6363636 ]], dtype=float32)
    """
    from .math_ops import binary_operands
    matrix, rhs = binary_operands("MatrixSolve", matrix, rhs, ("matrix", "rhs"))
    return apply(SOLVE, (matrix, rhs), {"adjoint": bool(adjoint)}, name)


# -- triangular_solve --------------------------------------------------------------------------

def substitute(matrix, rhs, lower):
    """Solve triangular systems row by row (vectorised over batches and columns). A zero on
    the diagonal gives inf or nan, as LAPACK's trsm and TensorFlow do."""
    n = matrix.shape[-1]
    out = np.zeros(np.broadcast_shapes(matrix.shape[:-2], rhs.shape[:-2]) + rhs.shape[-2:],
                   np.result_type(matrix, rhs))
    order = range(n) if lower else range(n - 1, -1, -1)
    with np.errstate(divide="ignore", invalid="ignore"):
        for i in order:
            done = slice(0, i) if lower else slice(i + 1, n)
            partial = np.einsum("...j,...jk->...k", matrix[..., i, done], out[..., done, :])
            out[..., i, :] = (rhs[..., i, :] - partial) / matrix[..., i, i][..., None]
    return out


def _triangular_solve_kernel(matrix, rhs, lower, adjoint):
    if adjoint:
        matrix, lower = np.conj(np.swapaxes(matrix, -1, -2)), not lower
    work = lapack_dtype(matrix)
    return substitute(matrix.astype(work, copy=False), rhs.astype(work, copy=False),
                      lower).astype(matrix.dtype, copy=False)


def _triangular_solve_grad(op, g):
    from .math_ops import matmul
    a, b = op.inputs
    x, lower, adj = op.outputs[0], op.attrs["lower"], op.attrs["adjoint"]
    grad_b = triangular_solve(a, g, lower=lower, adjoint=not adj)
    grad_a = -matmul(x, grad_b, adjoint_b=True) if adj else -matmul(grad_b, x, adjoint_b=True)
    grad_a = band_part(grad_a, -1, 0) if lower else band_part(grad_a, 0, -1)
    return [_unbroadcast(grad_a, a), _unbroadcast(grad_b, b)]


TRIANGULAR_SOLVE = defop("MatrixTriangularSolve", _triangular_solve_kernel,
                         _solve_infer("MatrixTriangularSolve"), inputs=("matrix", "rhs"),
                         eager_check=True, grad=_triangular_solve_grad)


def triangular_solve(matrix, rhs, lower=True, adjoint=False, name=None):
    """X with matrix @ X = rhs for triangular matrices: only the lower (or, with lower=False,
    the upper) triangle of `matrix` is read. Batch dimensions broadcast.

    >>> triangular_solve([[2.0, 0.0], [1.0, 1.0]], [[2.0], [3.0]]).numpy()
    array([[1.],
           [2.]], dtype=float32)
    """
    from .math_ops import binary_operands
    matrix, rhs = binary_operands("MatrixTriangularSolve", matrix, rhs, ("matrix", "rhs"))
    return apply(TRIANGULAR_SOLVE, (matrix, rhs), {"lower": bool(lower),
                                                   "adjoint": bool(adjoint)}, name)


def cholesky_solve(chol, rhs, name=None):
    """X with A @ X = rhs, given chol = cholesky(A): two triangular solves.

    >>> a = [[2.0, 1.0], [1.0, 2.0]]
    >>> cholesky_solve(tf.linalg.cholesky(a), [[1.0], [1.0]]).numpy()
    array([[0.33333334],
           [0.3333333 ]], dtype=float32)
    """
    y = triangular_solve(chol, rhs, lower=True)
    return triangular_solve(chol, y, lower=True, adjoint=True, name=name)


# -- lstsq -------------------------------------------------------------------------------------

def _regularised_gram(a, l2, rows_first):
    """A^H A + l2 I (rows_first: A A^H + l2 I)."""
    ah = np.conj(np.swapaxes(a, -1, -2))
    gram = a @ ah if rows_first else ah @ a
    n = gram.shape[-1]
    return gram + l2 * np.eye(n, dtype=gram.dtype)


def _lstsq_fast(matrix, rhs, l2):
    """The normal equations, solved through Cholesky factors (TF's fast=True path)."""
    m, n = matrix.shape[-2:]
    ah = np.conj(np.swapaxes(matrix, -1, -2))
    gram = _regularised_gram(matrix, l2, rows_first=m < n)
    chol = np.linalg.cholesky(gram)
    def chol_solve(b):
        y = substitute(chol, b, lower=True)
        return substitute(np.conj(np.swapaxes(chol, -1, -2)), y, lower=False)
    if m >= n:
        return chol_solve(ah @ rhs)
    return ah @ chol_solve(rhs)


def _lstsq_minimum_norm(matrix, rhs):
    """The minimum-norm least-squares solution (rank-deficient matrices too), by SVD."""
    return np.linalg.pinv(matrix) @ rhs


def _lstsq_kernel(matrix, rhs, l2_regularizer, fast):
    l2 = float(l2_regularizer)
    batch = np.broadcast_shapes(matrix.shape[:-2], rhs.shape[:-2])
    matrix = np.broadcast_to(matrix, batch + matrix.shape[-2:])
    rhs = np.broadcast_to(rhs, batch + rhs.shape[-2:])
    if fast:
        return linalg_call("MatrixSolveLs", lambda a, b: _lstsq_fast(a, b, l2), matrix, rhs,
                           message="the regularised normal equations are not positive "
                                   "definite (the matrix is rank-deficient; use fast=False "
                                   "or an l2_regularizer)")
    return linalg_call("MatrixSolveLs", _lstsq_minimum_norm, matrix, rhs)


def _lstsq_infer(matrix, rhs, l2_regularizer, fast):
    dtype = check_same_dtype("MatrixSolveLs", (matrix, rhs), ("matrix", "rhs"))
    check_dtype("MatrixSolveLs", matrix, FLOAT, "matrix")
    check_matrix("MatrixSolveLs", matrix, "matrix")
    check_matrix("MatrixSolveLs", rhs, "rhs")
    if matrix.shape.rank is None or rhs.shape.rank is None:
        return dtype, None
    (m, n), (rows, k) = matrix.shape.as_tuple()[-2:], rhs.shape.as_tuple()[-2:]
    if m is not None and rows is not None and m != rows:
        raise InvalidShapeError("MatrixSolveLs: matrix (shape %s) and rhs (shape %s) must have "
                                "as many rows" % (matrix.shape, rhs.shape))
    batch = broadcast_shapes("MatrixSolveLs", matrix.shape[:-2], rhs.shape[:-2])
    return dtype, batch.concatenate([n, k])


def _lstsq_grad(op, g):
    """Through the normal equations. Tall (m >= n): x = C^-1 A^H b, C = A^H A + l2 I, so
    with z = C^-1 g: db = A z, dA = b z^H - A (x z^H + z x^H). Wide: x = A^H y,
    y = C^-1 b, C = A A^H + l2 I, so with w = C^-1 A g: db = w, dA = y g^H - w x^H - y w^H A."""
    from .math_ops import matmul
    a, b = op.inputs
    x, l2 = op.outputs[0], op.attrs["l2_regularizer"]
    m, n = a.shape.as_tuple()[-2:]
    if m is None or n is None:
        raise InvalidArgumentError("The gradient of lstsq needs matrices of known size, got "
                                   "shape %s" % a.shape)
    tall = m >= n
    gram = matmul(a, a, adjoint_a=tall, adjoint_b=not tall)
    gram = gram + l2 * _eye_like(gram, n if tall else m)
    if tall:
        z = solve(gram, g)
        grad_b = matmul(a, z)
        grad_a = matmul(b, z, adjoint_b=True) - matmul(
            a, matmul(x, z, adjoint_b=True) + matmul(z, x, adjoint_b=True))
    else:
        y = solve(gram, b)
        w = solve(gram, matmul(a, g))
        grad_b = w
        grad_a = matmul(y, g, adjoint_b=True) - matmul(w, x, adjoint_b=True) - matmul(
            matmul(y, w, adjoint_b=True), a)
    return [_unbroadcast(grad_a, a), _unbroadcast(grad_b, b)]


def _eye_like(t, n):
    from .creation_ops import eye
    return eye(n, dtype=t.dtype)


LSTSQ = defop("MatrixSolveLs", _lstsq_kernel, _lstsq_infer, inputs=("matrix", "rhs"),
              eager_check=True, grad=_lstsq_grad)


def lstsq(matrix, rhs, l2_regularizer=0.0, fast=True, name=None):
    """X minimising ||matrix @ X - rhs||^2 + l2_regularizer * ||X||^2. fast=True solves the
    normal equations (full-rank matrices); fast=False gives the minimum-norm solution of any
    matrix (l2_regularizer is then ignored, as in TF).

    >>> lstsq([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]], [[1.0], [1.0], [2.0]]).numpy()
    array([[1.],
           [1.]], dtype=float32)
    """
    from .math_ops import binary_operands
    from .arguments import describe
    matrix, rhs = binary_operands("MatrixSolveLs", matrix, rhs, ("matrix", "rhs"))
    try:
        l2 = float(np.asarray(l2_regularizer if not hasattr(l2_regularizer, "numpy")
                              else l2_regularizer.numpy()))
    except (TypeError, ValueError):
        raise TypeError("MatrixSolveLs: l2_regularizer must be a number, got %s"
                        % describe(l2_regularizer)) from None
    return apply(LSTSQ, (matrix, rhs), {"l2_regularizer": l2, "fast": bool(fast)}, name)


# -- expm --------------------------------------------------------------------------------------

# Pade approximants r_m of exp: (degree, its coefficients b_0..b_m, the largest 1-norm it
# serves with scaling 0) — Higham's scaling and squaring (2005).
_PADE = [
    (3, (120., 60., 12., 1.), 1.495585217958292e-002),
    (5, (30240., 15120., 3360., 420., 30., 1.), 2.539398330063230e-001),
    (7, (17297280., 8648640., 1995840., 277200., 25200., 1512., 56., 1.),
     9.504178996162932e-001),
    (9, (17643225600., 8821612800., 2075673600., 302702400., 30270240., 2162160., 110880.,
         3960., 90., 1.), 2.097847961257068e+000),
    (13, (64764752532480000., 32382376266240000., 7771770303897600., 1187353796428800.,
          129060195264000., 10559470521600., 670442572800., 33522128640., 1323241920.,
          40840800., 960960., 16380., 182., 1.), 5.371920351148152e+000),
]


def _pade(a, coefficients):
    n = a.shape[-1]
    identity = np.eye(n, dtype=a.dtype)
    powers = [identity, a]
    while len(powers) < len(coefficients):
        powers.append(powers[-1] @ a)
    u = sum(c * p for c, p in zip(coefficients[1::2], powers[1::2]))
    v = sum(c * p for c, p in zip(coefficients[0::2], powers[0::2]))
    return np.linalg.solve(v - u, v + u)


def _expm_one(a):
    norm = np.abs(a).sum(axis=0).max() if a.size else 0.0
    for degree, coefficients, limit in _PADE[:-1]:
        if norm <= limit:
            return _pade(a, coefficients)
    _, coefficients, limit = _PADE[-1]
    squarings = max(0, int(np.ceil(np.log2(norm / limit)))) if norm > limit else 0
    result = _pade(a / 2.0 ** squarings, coefficients)
    for _ in range(squarings):
        result = result @ result
    return result


def _expm_kernel(input):
    work = input.astype(np.float64 if input.dtype.kind == "f" else np.complex128)
    flat = work.reshape((-1,) + work.shape[-2:])
    out = np.stack([_expm_one(m) for m in flat]) if len(flat) else flat
    return out.reshape(input.shape).astype(input.dtype)


def _expm_grad(op, g):
    """The adjoint of the Frechet derivative of expm at A is its derivative at A^H, read off
    the upper-right block of expm of the block matrix [[A^H, G], [0, A^H]]."""
    from .manip_ops import concat
    a = op.inputs[0]
    n = a.shape.as_tuple()[-1]
    if n is None:
        raise InvalidArgumentError("The gradient of expm needs matrices of known size, got "
                                   "shape %s" % a.shape)
    ah = adjoint(a)
    block = concat([concat([ah, g], axis=-1),
                    concat([array_ops.zeros_like(a), ah], axis=-1)], axis=-2)
    return [expm(block)[..., :n, n:]]


EXPM = defop("MatrixExponential", _expm_kernel, square_infer("MatrixExponential"),
             accepts=FLOAT, eager_check=True, grad=_expm_grad)


def expm(input, name=None):
    """The matrix exponential of each square matrix (Pade approximation with scaling and
    squaring, in float64).

    >>> expm([[0.0, 0.0], [0.0, 0.0]]).numpy()
    array([[1., 0.],
           [0., 1.]], dtype=float32)
    """
    input = as_tensor(input)
    if not (input.dtype.is_floating or input.dtype.is_complex):
        raise TypeError("expm: input must be a floating-point or complex tensor, got %s"
                        % input.dtype.name)
    return apply(EXPM, (input,), None, name)
