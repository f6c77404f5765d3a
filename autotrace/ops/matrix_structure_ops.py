"""Matrix structure: bands, diagonals, transposes, traces, cross products and matrix-vector
products (TF's tf.linalg.band_part, diag, diag_part, set_diag, matrix_transpose, adjoint,
trace, cross, matvec, tensor_diag, tensor_diag_part), with their gradients. Every op works
on the last two dimensions, with any batch dimensions in front.

Diagonals are numbered as in TF: k = 0 is the main diagonal, k > 0 above it, k < 0 below.
A band of diagonals k = (low, high) is packed as rows of equal length, highest diagonal
first; `align` says on which side shorter diagonals sit ("RIGHT_LEFT", the default: those
above the main diagonal to the right, those below to the left).

>>> import autotrace as tf
>>> tf.linalg.diag([1, 2]).numpy()
array([[1, 0],
       [0, 2]], dtype=int32)
>>> tf.linalg.band_part(tf.ones([3, 3]), 0, -1).numpy()
array([[1., 1., 1.],
       [0., 1., 1.],
       [0., 0., 1.]], dtype=float32)
"""
import builtins

import numpy as np

from ..core import dtypes
from ..core.errors import InvalidArgumentError, InvalidShapeError
from . import arguments, array_ops
from .array_ops import as_tensor, check_int_scalar, scalar_value
from .constant_op import convert_to_tensor
from .registry import apply, defop
from .shapes import ANY, NUMERIC, broadcast_shapes, check_dtype, check_same_dtype

__all__ = ["band_part", "diag", "diag_part", "set_diag", "matrix_transpose", "adjoint", "trace",
           "cross", "matvec", "tensor_diag", "tensor_diag_part"]

ALIGNMENTS = ("RIGHT_LEFT", "LEFT_RIGHT", "LEFT_LEFT", "RIGHT_RIGHT")


def check_matrix(op_type, x, arg="input", square=False):
    """Shape-rule helper: `x` has rank >= 2 (and square matrices, if `square`)."""
    rank = x.shape.rank
    if rank is not None and rank < 2:
        raise InvalidShapeError("%s: %s must have rank >= 2 (a matrix or a batch of them), got "
                                "shape %s" % (op_type, arg, x.shape))
    if square and rank is not None:
        rows, cols = x.shape.as_tuple()[-2:]
        if rows is not None and cols is not None and rows != cols:
            raise InvalidShapeError("%s: %s must be square matrices, got shape %s"
                                    % (op_type, arg, x.shape))


# -- band_part ---------------------------------------------------------------------------------

def _band_mask(rows, cols, num_lower, num_upper):
    i = np.arange(rows)[:, None]
    j = np.arange(cols)[None, :]
    keep = np.ones((rows, cols), bool)
    if num_lower >= 0:
        keep &= i - j <= num_lower
    if num_upper >= 0:
        keep &= j - i <= num_upper
    return keep


def _band_part_kernel(input, num_lower, num_upper):
    lower = scalar_value("MatrixBandPart", "num_lower", num_lower)
    upper = scalar_value("MatrixBandPart", "num_upper", num_upper)
    return np.where(_band_mask(input.shape[-2], input.shape[-1], lower, upper), input,
                    np.zeros((), input.dtype))


def _band_part_infer(input, num_lower, num_upper):
    check_dtype("MatrixBandPart", input, ANY)
    check_matrix("MatrixBandPart", input)
    check_int_scalar("MatrixBandPart", "num_lower", num_lower)
    check_int_scalar("MatrixBandPart", "num_upper", num_upper)
    return input.dtype, input.shape


BAND_PART = defop("MatrixBandPart", _band_part_kernel, _band_part_infer,
                  inputs=("input", "num_lower", "num_upper"), eager_check=True,
                  grad=lambda op, g: [band_part(g, op.inputs[1], op.inputs[2]), None, None])


def band_part(input, num_lower, num_upper, name=None):
    """Zero everything outside a band: keep the `num_lower` diagonals below the main one and
    the `num_upper` above it (a negative count keeps the whole triangle).

    >>> band_part([[1, 2, 3], [4, 5, 6], [7, 8, 9]], 0, 0).numpy()  # the diagonal
    array([[1, 0, 0],
           [0, 5, 0],
           [0, 0, 9]], dtype=int32)
    """
    return apply(BAND_PART, (as_tensor(input), _count(num_lower), _count(num_upper)), None,
                 name)


def _count(value):
    return value if hasattr(value, "dtype") and not isinstance(value, np.ndarray) else \
        convert_to_tensor(value, dtypes.int64)


# -- diagonals: where each packed element sits -------------------------------------------------

def _diag_length(rows, cols, d):
    return builtins.max(0, builtins.min(rows + builtins.min(d, 0), cols - builtins.max(d, 0)))


def band_positions(rows, cols, low, high, align):
    """(matrix rows, matrix cols, packed diagonal index, packed position) of every element of
    the diagonals low..high of a rows x cols matrix, and the packed length."""
    width = builtins.max([_diag_length(rows, cols, d) for d in range(low, high + 1)] + [0])
    left_super, left_sub = (word == "LEFT" for word in align.split("_"))
    r, c, which, pos = [], [], [], []
    for index, d in enumerate(range(high, low - 1, -1)):
        length = _diag_length(rows, cols, d)
        left = (d >= 0 and left_super) or (d <= 0 and left_sub)
        offset = 0 if left else width - length
        j = np.arange(length)
        r.append(j - builtins.min(d, 0))
        c.append(j + builtins.max(d, 0))
        which.append(np.full(length, index))
        pos.append(j + offset)
    as_index = lambda parts: np.concatenate(parts).astype(np.intp) if parts else \
        np.zeros(0, np.intp)  # noqa: E731
    return as_index(r), as_index(c), as_index(which), as_index(pos), width


def _diag_range(op_type, k):
    """k as (low, high): an int is one diagonal; a pair is a band."""
    if isinstance(k, (list, tuple, np.ndarray)) or (hasattr(k, "shape") and
                                                   getattr(k.shape, "rank", 0) == 1):
        values = arguments.integers(op_type, "k", k)
        if values is None:
            raise InvalidArgumentError("%s: k must be known while the graph is built" % op_type)
        if len(values) not in (1, 2):
            raise InvalidArgumentError("%s: k must be an int or a pair (low, high), got %s"
                                       % (op_type, values))
        low, high = values[0], values[-1]
    else:
        low = high = arguments.integer(op_type, "k", k)
    if low > high:
        raise InvalidArgumentError("%s: the low end of k (%d) is above its high end (%d)"
                                   % (op_type, low, high))
    return low, high


def _check_align(op_type, align):
    if align not in ALIGNMENTS:
        raise InvalidArgumentError("%s: align must be one of %s, got %r"
                                   % (op_type, ", ".join(ALIGNMENTS), align))
    return align


# -- diag (MatrixDiagV3) -----------------------------------------------------------------------

def diag_matrix_size(low, high, width, num_rows, num_cols):
    """The rows and columns of the matrix a packed band of `width` fills (TF's rule: square
    when neither is given; else -1 takes the smallest size, and a given size must leave the
    other one at its smallest)."""
    min_rows, min_cols = width - builtins.min(high, 0), width + builtins.max(low, 0)
    if num_rows < 0 and num_cols < 0:  # neither given: square matrices
        return (builtins.max(min_rows, min_cols),) * 2
    rows = min_rows if num_rows < 0 else num_rows
    cols = min_cols if num_cols < 0 else num_cols
    if rows < min_rows or cols < min_cols or (rows != min_rows and cols != min_cols):
        raise InvalidArgumentError(
            "MatrixDiagV3: %d x %d matrices do not fit diagonals %d to %d of length %d (the "
            "smallest that do are %d x %d; num_rows and num_cols may grow only one of them)"
            % (rows, cols, low, high, width, min_rows, min_cols))
    return rows, cols


def _diag_kernel(diagonal, padding_value, low, high, num_rows, num_cols, align):
    diagonal = np.asarray(diagonal)
    if low == high:
        diagonal = diagonal[..., None, :]
    width = diagonal.shape[-1]
    rows, cols = diag_matrix_size(low, high, width, num_rows, num_cols)
    r, c, which, pos, _ = band_positions(rows, cols, low, high, align)
    out = np.full(diagonal.shape[:-2] + (rows, cols), padding_value, diagonal.dtype)
    out[..., r, c] = diagonal[..., which, pos]
    return out


def _diag_infer(diagonal, padding_value, low, high, num_rows, num_cols, align):
    check_dtype("MatrixDiagV3", diagonal, ANY, "diagonal")
    check_same_dtype("MatrixDiagV3", (diagonal, padding_value), ("diagonal", "padding_value"))
    needed = 1 if low == high else 2
    if diagonal.shape.rank is None:
        return diagonal.dtype, None
    if diagonal.shape.rank < needed:
        raise InvalidShapeError("MatrixDiagV3: diagonal must have rank >= %d for k = %s, got "
                                "shape %s" % (needed, (low, high) if needed == 2 else low,
                                              diagonal.shape))
    dims = diagonal.shape.as_tuple()
    if needed == 2 and dims[-2] is not None and dims[-2] != high - low + 1:
        raise InvalidShapeError("MatrixDiagV3: diagonal holds %d diagonals but k = (%d, %d) "
                                "names %d" % (dims[-2], low, high, high - low + 1))
    batch, width = list(dims[:-needed]), dims[-1]
    if width is None:
        return diagonal.dtype, batch + [None, None]
    return diagonal.dtype, batch + list(diag_matrix_size(low, high, width, num_rows, num_cols))


def _diag_grad(op, g):
    a = op.attrs
    return [diag_part(g, k=(a["low"], a["high"]), align=a["align"]), None]


DIAG = defop("MatrixDiagV3", _diag_kernel, _diag_infer, inputs=("diagonal", "padding_value"),
             eager_check=True, grad=_diag_grad)


def diag(diagonal, name="diag", k=0, num_rows=-1, num_cols=-1, padding_value=0,
         align="RIGHT_LEFT"):
    """A matrix (or batch of them) with `diagonal` on diagonal k and `padding_value`
    elsewhere. With k = (low, high), diagonal[..., i, :] is diagonal high - i.

    >>> diag([[1, 2], [3, 4]], k=1).numpy()
    array([[[0, 1, 0],
            [0, 0, 2],
            [0, 0, 0]],
    <BLANKLINE>
           [[0, 3, 0],
            [0, 0, 4],
            [0, 0, 0]]], dtype=int32)
    """
    diagonal = as_tensor(diagonal)
    low, high = _diag_range("MatrixDiagV3", k)
    attrs = {"low": low, "high": high,
             "num_rows": arguments.integer("MatrixDiagV3", "num_rows", num_rows),
             "num_cols": arguments.integer("MatrixDiagV3", "num_cols", num_cols),
             "align": _check_align("MatrixDiagV3", align)}
    padding = convert_to_tensor(padding_value, diagonal.dtype)
    return apply(DIAG, (diagonal, padding), attrs, None if name == "diag" else name)


# -- diag_part (MatrixDiagPartV3) --------------------------------------------------------------

def _check_band_fits(op_type, rows, cols, low, high):
    if (low != 0 and not -rows < low < cols) or (high != 0 and not -rows < high < cols):
        raise InvalidArgumentError("%s: diagonals %d to %d are not all inside %d x %d matrices"
                                   % (op_type, low, high, rows, cols))


def _diag_part_kernel(input, padding_value, low, high, align):
    rows, cols = input.shape[-2:]
    _check_band_fits("MatrixDiagPartV3", rows, cols, low, high)
    r, c, which, pos, width = band_positions(rows, cols, low, high, align)
    out = np.full(input.shape[:-2] + (high - low + 1, width), padding_value, input.dtype)
    out[..., which, pos] = input[..., r, c]
    return out[..., 0, :] if low == high else out


def _diag_part_infer(input, padding_value, low, high, align):
    check_dtype("MatrixDiagPartV3", input, ANY)
    check_same_dtype("MatrixDiagPartV3", (input, padding_value), ("input", "padding_value"))
    check_matrix("MatrixDiagPartV3", input)
    if input.shape.rank is None:
        return input.dtype, None
    dims = input.shape.as_tuple()
    rows, cols = dims[-2:]
    width = None
    if rows is not None and cols is not None:
        _check_band_fits("MatrixDiagPartV3", rows, cols, low, high)
        width = builtins.max(_diag_length(rows, cols, d) for d in range(low, high + 1))
    band = [] if low == high else [high - low + 1]
    return input.dtype, list(dims[:-2]) + band + [width]


def _diag_part_grad(op, g):
    x, a = op.inputs[0], op.attrs
    rows, cols = array_ops.dims_of(x)[-2:]
    if not isinstance(rows, int) or not isinstance(cols, int):
        raise InvalidArgumentError("The gradient of diag_part needs matrices of known size, "
                                   "got shape %s" % x.shape)
    return [diag(g, k=(a["low"], a["high"]), num_rows=rows, num_cols=cols, align=a["align"]),
            None]


DIAG_PART = defop("MatrixDiagPartV3", _diag_part_kernel, _diag_part_infer,
                  inputs=("input", "padding_value"), eager_check=True, grad=_diag_part_grad)


def diag_part(input, name="diag_part", k=0, padding_value=0, align="RIGHT_LEFT"):
    """The diagonal k of each matrix (with k = (low, high): diagonals high down to low, each a
    row padded with `padding_value` to the longest one's length).

    >>> diag_part([[1, 2, 3], [4, 5, 6]]).numpy()
    array([1, 5], dtype=int32)
    """
    input = as_tensor(input)
    low, high = _diag_range("MatrixDiagPartV3", k)
    attrs = {"low": low, "high": high, "align": _check_align("MatrixDiagPartV3", align)}
    padding = convert_to_tensor(padding_value, input.dtype)
    return apply(DIAG_PART, (input, padding), attrs, None if name == "diag_part" else name)


# -- set_diag (MatrixSetDiagV3) ----------------------------------------------------------------

def _set_diag_kernel(input, diagonal, low, high, align):
    rows, cols = input.shape[-2:]
    _check_band_fits("MatrixSetDiagV3", rows, cols, low, high)
    diagonal = np.asarray(diagonal)
    if low == high:
        diagonal = diagonal[..., None, :]
    r, c, which, pos, width = band_positions(rows, cols, low, high, align)
    if diagonal.shape[-1] != width or diagonal.shape[-2] != high - low + 1:
        raise InvalidArgumentError("MatrixSetDiagV3: diagonal must have shape [..., %d, %d] "
                                   "for diagonals %d to %d of %d x %d matrices, got %s"
                                   % (high - low + 1, width, low, high, rows, cols,
                                      list(diagonal.shape)))
    out = np.array(np.broadcast_to(input, np.broadcast_shapes(
        input.shape, diagonal.shape[:-2] + (1, 1))))
    out[..., r, c] = diagonal[..., which, pos]
    return out


def _set_diag_infer(input, diagonal, low, high, align):
    check_dtype("MatrixSetDiagV3", input, ANY)
    check_same_dtype("MatrixSetDiagV3", (input, diagonal), ("input", "diagonal"))
    check_matrix("MatrixSetDiagV3", input)
    return input.dtype, input.shape


def _set_diag_grad(op, g):
    a = op.attrs
    k = (a["low"], a["high"])
    band = diag_part(g, k=k, align=a["align"])
    return [set_diag(g, array_ops.zeros_like(band), k=k, align=a["align"]), band]


SET_DIAG = defop("MatrixSetDiagV3", _set_diag_kernel, _set_diag_infer,
                 inputs=("input", "diagonal"), eager_check=True, grad=_set_diag_grad)


def set_diag(input, diagonal, name="set_diag", k=0, align="RIGHT_LEFT"):
    """`input` with diagonal k (or the band k = (low, high)) replaced by `diagonal`, packed as
    `diag_part` gives it.

    >>> set_diag(tf.zeros([2, 2], tf.int32), [7, 8]).numpy()
    array([[7, 0],
           [0, 8]], dtype=int32)
    """
    input = as_tensor(input)
    low, high = _diag_range("MatrixSetDiagV3", k)
    attrs = {"low": low, "high": high, "align": _check_align("MatrixSetDiagV3", align)}
    return apply(SET_DIAG, (input, convert_to_tensor(diagonal, input.dtype)), attrs,
                 None if name == "set_diag" else name)


# -- transposes, trace, matvec -----------------------------------------------------------------

def matrix_transpose(a, name="matrix_transpose", conjugate=False):
    """Swap the last two dimensions (conjugating if `conjugate`).

    >>> matrix_transpose(tf.zeros([2, 3, 4])).shape
    TensorShape([2, 4, 3])
    """
    a = as_tensor(a)
    rank = a.shape.rank
    if rank is None:
        raise InvalidArgumentError("matrix_transpose needs a tensor of known rank, got shape %s"
                                   % a.shape)
    if rank < 2:
        raise InvalidShapeError("matrix_transpose: a must have rank >= 2, got shape %s"
                                % a.shape)
    perm = list(range(rank - 2)) + [rank - 1, rank - 2]
    return array_ops.transpose(a, perm, conjugate=conjugate,
                               name=None if name == "matrix_transpose" else name)


def adjoint(matrix, name=None):
    """The conjugate transpose of each matrix (the transpose for real ones)."""
    return matrix_transpose(matrix, conjugate=True, name=name or "matrix_transpose")


def trace(x, name=None):
    """The sum of the main diagonal of each matrix.

    >>> trace([[1.0, 2.0], [3.0, 4.0]]).numpy()
    5.0
    """
    from .reduction_ops import reduce_sum
    return reduce_sum(diag_part(x), axis=-1, name=name)


def matvec(a, b, transpose_a=False, adjoint_a=False, a_is_sparse=False, b_is_sparse=False,
           name=None):
    """The matrix-vector product a @ b over the last dimensions (batches broadcast).

    >>> matvec([[1.0, 2.0], [3.0, 4.0]], [1.0, 1.0]).numpy()
    array([3., 7.], dtype=float32)
    """
    from .math_ops import matmul
    b = as_tensor(b)
    product = matmul(a, array_ops.expand_dims(b, -1), transpose_a=transpose_a,
                     adjoint_a=adjoint_a)
    return array_ops.squeeze(product, -1, name=name)


# -- cross -------------------------------------------------------------------------------------

def _cross_infer(a, b):
    dtype = check_same_dtype("Cross", (a, b), ("a", "b"))
    check_dtype("Cross", a, "fiu", "a")
    for arg, t in (("a", a), ("b", b)):
        last = t.shape.as_tuple()[-1] if t.shape.rank else None
        if t.shape.rank == 0 or (last is not None and last != 3):
            raise InvalidShapeError("Cross: %s must have 3 elements in its last dimension, got "
                                    "shape %s" % (arg, t.shape))
    return dtype, broadcast_shapes("Cross", a.shape, b.shape)


def _cross_grad(op, g):
    from .math_ops import unbroadcast
    a, b = op.inputs
    return [unbroadcast(cross(b, g), a), unbroadcast(cross(g, a), b)]


CROSS = defop("Cross", lambda a, b: np.cross(a, b), _cross_infer, inputs=("a", "b"),
              eager_check=True, grad=_cross_grad)


def cross(a, b, name=None):
    """The cross product of 3-vectors in the last dimension.

    >>> cross([1.0, 2.0, 3.0], [4.0, 5.0, 6.0]).numpy()
    array([-3.,  6., -3.], dtype=float32)
    """
    from .math_ops import binary_operands
    a, b = binary_operands("Cross", a, b, ("a", "b"))
    return apply(CROSS, (a, b), None, name)


# -- tensor_diag, tensor_diag_part (Diag, DiagPart) --------------------------------------------

def _tensor_diag_kernel(diagonal):
    flat = diagonal.reshape(-1)
    out = np.zeros((flat.size, flat.size), diagonal.dtype)
    out[np.arange(flat.size), np.arange(flat.size)] = flat
    return out.reshape(diagonal.shape + diagonal.shape)


def _tensor_diag_infer(diagonal):
    check_dtype("Diag", diagonal, NUMERIC, "diagonal")
    if diagonal.shape.rank is None:
        return diagonal.dtype, None
    return diagonal.dtype, diagonal.shape.concatenate(diagonal.shape)


TENSOR_DIAG = defop("Diag", _tensor_diag_kernel, _tensor_diag_infer, inputs=("diagonal",),
                    eager_check=True, grad=lambda op, g: [tensor_diag_part(g)])


def tensor_diag(diagonal, name=None):
    """A tensor of shape diagonal.shape * 2, zero except output[i..., i...] = diagonal[i...]."""
    return apply(TENSOR_DIAG, (as_tensor(diagonal),), None, name)


def _tensor_diag_part_kernel(input):
    half = input.ndim // 2
    shape = input.shape[:half]
    n = int(np.prod(shape, dtype=np.int64))
    return input.reshape(n, n)[np.arange(n), np.arange(n)].reshape(shape)


def _tensor_diag_part_infer(input):
    check_dtype("DiagPart", input, NUMERIC)
    if input.shape.rank is None:
        return input.dtype, None
    dims = input.shape.as_tuple()
    half = len(dims) // 2
    if len(dims) % 2 or not input.shape[:half].is_compatible_with(input.shape[half:]):
        raise InvalidShapeError("DiagPart: input must have shape (d1, ..., dk, d1, ..., dk), "
                                "got %s" % input.shape)
    return input.dtype, input.shape[:half].merge_with(input.shape[half:])


TENSOR_DIAG_PART = defop("DiagPart", _tensor_diag_part_kernel, _tensor_diag_part_infer,
                         eager_check=True, grad=lambda op, g: [tensor_diag(g)])


def tensor_diag_part(input, name=None):
    """The diagonal of a tensor of shape (d1..dk, d1..dk): output[i...] = input[i..., i...]."""
    return apply(TENSOR_DIAG_PART, (as_tensor(input),), None, name)
