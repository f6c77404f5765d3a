"""XLA lowerings of the linear-algebra ops (tf.linalg) and the complex-number ops.

Decompositions use JAX's (LAPACK-backed on CPU): values agree with the NumPy path; the signs
of singular and eigen vectors may differ (they are defined up to sign), which the
differential tests account for by comparing reconstructions.
"""
import numpy as np
import jax.numpy as jnp
import jax.scipy.linalg as jsl

from ..ops.matrix_structure_ops import band_positions, diag_matrix_size
from .table import lowering


def _adjoint(x):
    return jnp.conj(jnp.swapaxes(x, -1, -2))


def _broadcast_batches(a, b):
    batch = np.broadcast_shapes(jnp.shape(a)[:-2], jnp.shape(b)[:-2])
    return (jnp.broadcast_to(a, batch + jnp.shape(a)[-2:]),
            jnp.broadcast_to(b, batch + jnp.shape(b)[-2:]))


# -- structure ---------------------------------------------------------------------------------

@lowering("MatrixBandPart")
def _band_part(lw, op, x, num_lower, num_upper):
    rows, cols = jnp.shape(x)[-2:]
    i = jnp.arange(rows)[:, None]
    j = jnp.arange(cols)[None, :]
    keep = ((num_lower < 0) | (i - j <= num_lower)) & ((num_upper < 0) | (j - i <= num_upper))
    return jnp.where(keep, x, jnp.zeros((), x.dtype))


@lowering("MatrixDiagV3")
def _diag(lw, op, diagonal, padding_value):
    a = op.attrs
    low, high = a["low"], a["high"]
    if low == high:
        diagonal = diagonal[..., None, :]
    rows, cols = diag_matrix_size(low, high, jnp.shape(diagonal)[-1], a["num_rows"],
                                  a["num_cols"])
    r, c, which, pos, _ = band_positions(rows, cols, low, high, a["align"])
    out = jnp.full(jnp.shape(diagonal)[:-2] + (rows, cols), padding_value, diagonal.dtype)
    return out.at[..., r, c].set(diagonal[..., which, pos])


@lowering("MatrixDiagPartV3")
def _diag_part(lw, op, x, padding_value):
    a = op.attrs
    low, high = a["low"], a["high"]
    rows, cols = jnp.shape(x)[-2:]
    r, c, which, pos, width = band_positions(rows, cols, low, high, a["align"])
    out = jnp.full(jnp.shape(x)[:-2] + (high - low + 1, width), padding_value, x.dtype)
    out = out.at[..., which, pos].set(x[..., r, c])
    return out[..., 0, :] if low == high else out


@lowering("MatrixSetDiagV3")
def _set_diag(lw, op, x, diagonal):
    a = op.attrs
    low, high = a["low"], a["high"]
    if low == high:
        diagonal = diagonal[..., None, :]
    rows, cols = jnp.shape(x)[-2:]
    r, c, which, pos, _ = band_positions(rows, cols, low, high, a["align"])
    batch = np.broadcast_shapes(jnp.shape(x)[:-2], jnp.shape(diagonal)[:-2])
    x = jnp.broadcast_to(x, batch + (rows, cols))
    return x.at[..., r, c].set(diagonal[..., which, pos])


@lowering("Cross")
def _cross(lw, op, a, b):
    return jnp.cross(a, b)


@lowering("Diag")
def _tensor_diag(lw, op, d):
    n = int(np.prod(jnp.shape(d)))
    return jnp.diag(jnp.reshape(d, (n,))).reshape(jnp.shape(d) * 2)


@lowering("DiagPart")
def _tensor_diag_part(lw, op, x):
    shape = jnp.shape(x)[:jnp.ndim(x) // 2]
    n = int(np.prod(shape))
    return jnp.diagonal(jnp.reshape(x, (n, n))).reshape(shape)


# -- inverses and solves -----------------------------------------------------------------------

@lowering("MatrixInverse")
def _inv(lw, op, x):
    out = jnp.linalg.inv(x)
    return _adjoint(out) if op.attrs["adjoint"] else out


@lowering("MatrixDeterminant")
def _det(lw, op, x):
    return jnp.linalg.det(x)


@lowering("LogMatrixDeterminant")
def _slogdet(lw, op, x):
    sign, logabs = jnp.linalg.slogdet(x)
    return [sign.astype(x.dtype), logabs.astype(x.dtype)]


@lowering("MatrixSolve")
def _solve(lw, op, a, b):
    if op.attrs["adjoint"]:
        a = _adjoint(a)
    return jnp.linalg.solve(*_broadcast_batches(a, b))


@lowering("MatrixTriangularSolve")
def _triangular_solve(lw, op, a, b):
    a, b = _broadcast_batches(a, b)
    return jsl.solve_triangular(a, b, lower=op.attrs["lower"],
                                trans="C" if op.attrs["adjoint"] else 0)


@lowering("MatrixSolveLs")
def _lstsq(lw, op, a, b):
    a, b = _broadcast_batches(a, b)
    if not op.attrs["fast"]:
        return jnp.linalg.pinv(a) @ b
    m, n = jnp.shape(a)[-2:]
    l2 = op.attrs["l2_regularizer"]
    ah = _adjoint(a)
    if m >= n:
        gram = ah @ a + l2 * jnp.eye(n, dtype=a.dtype)
        return jsl.cho_solve((jnp.linalg.cholesky(gram), True), ah @ b)
    gram = a @ ah + l2 * jnp.eye(m, dtype=a.dtype)
    return ah @ jsl.cho_solve((jnp.linalg.cholesky(gram), True), b)


@lowering("MatrixExponential")
def _expm(lw, op, x):
    wide = jnp.float64 if jnp.issubdtype(x.dtype, jnp.floating) else jnp.complex128
    flat = jnp.reshape(x.astype(wide), (-1,) + jnp.shape(x)[-2:])
    out = jnp.stack([jsl.expm(m) for m in flat]) if flat.shape[0] else flat
    return jnp.reshape(out, jnp.shape(x)).astype(x.dtype)


# -- decompositions ----------------------------------------------------------------------------

@lowering("Cholesky")
def _cholesky(lw, op, x):
    lower = jnp.tril(x)
    return jnp.linalg.cholesky(lower + _adjoint(jnp.tril(x, -1)))


@lowering("Qr")
def _qr(lw, op, x):
    q, r = jnp.linalg.qr(x, mode="complete" if op.attrs["full_matrices"] else "reduced")
    return [q, r]


@lowering("SelfAdjointEigV2")
def _eigh(lw, op, x):
    e, v = jnp.linalg.eigh(x, UPLO="L", symmetrize_input=False)
    if not op.attrs["compute_v"]:
        v = jnp.zeros(jnp.shape(x)[:-2] + (0,), x.dtype)
    return [e, v]


@lowering("Svd")
def _svd(lw, op, x):
    if not op.attrs["compute_uv"]:
        s = jnp.linalg.svd(x, compute_uv=False)
        empty = jnp.zeros((0,), x.dtype)
        return [s, empty, empty]
    u, s, vh = jnp.linalg.svd(x, full_matrices=op.attrs["full_matrices"])
    return [s, u, _adjoint(vh)]


# -- complex numbers ---------------------------------------------------------------------------

@lowering("Complex")
def _complex(lw, op, re, im):
    return (re + 1j * im).astype(op.attrs["Tout"].np)


@lowering("Real")
def _real(lw, op, z):
    return jnp.real(z)


@lowering("Imag")
def _imag(lw, op, z):
    return jnp.imag(z)


@lowering("Angle")
def _angle(lw, op, z):
    return jnp.angle(z)

