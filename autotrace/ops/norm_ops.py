"""Norms and clipping by norm (TF's tf.norm / tf.linalg.norm, tf.linalg.global_norm,
tf.linalg.normalize, tf.clip_by_norm, tf.clip_by_global_norm), composed from plain ops, so
they trace and differentiate like them.

>>> import autotrace as tf
>>> tf.norm([[3.0, 4.0]]).numpy()
5.0
>>> tf.clip_by_norm([3.0, 4.0], 1.0).numpy()
array([0.6, 0.8], dtype=float32)
"""
import numpy as np

from ..core.errors import InvalidArgumentError
from ..core.tensor import Tensor
from . import arguments, array_ops
from .array_ops import as_tensor
from .constant_op import convert_to_tensor
from .index_ops import where
from .math_ops import (abs, cast, conj, greater, is_finite, maximum, minimum, multiply, pow,
                       reciprocal, sqrt, truediv)
from .reduction_ops import reduce_max, reduce_sum

__all__ = ["norm", "global_norm", "normalize", "clip_by_norm", "clip_by_global_norm"]

_MATRIX_ORDS = ("euclidean", "fro", 1, 2, np.inf)


def _check_ord(ord, matrix):
    if matrix:
        if ord not in _MATRIX_ORDS:
            raise ValueError("norm: 'ord' must be a supported matrix norm in ['euclidean', "
                             "'fro', 1, 2, inf], got %r" % (ord,))
        return
    if ord == "euclidean":
        return
    if isinstance(ord, str) or not isinstance(ord, (int, float, np.number)) or \
            isinstance(ord, bool) or not ord > 0:
        raise ValueError("norm: 'ord' must be a supported vector norm ('euclidean' or a "
                         "number > 0, inf included), got %r" % (ord,))


def _norm_axes(axis, rank):
    if axis is None:
        return None
    if isinstance(axis, (list, tuple)) or (isinstance(axis, np.ndarray) and axis.ndim == 1):
        values = list(axis)
        if len(values) not in (1, 2) or (len(values) == 2 and values[0] == values[1]):
            raise ValueError("norm: 'axis' must be None, an integer, or a tuple of 2 unique "
                             "integers, got %s" % (tuple(values),))
        return tuple(arguments.axis("norm", "axis", a, rank) for a in values)
    return (arguments.axis("norm", "axis", axis, rank),)


def norm(tensor, ord="euclidean", axis=None, keepdims=None, name=None):
    """The norm of a vector (axis an int, or None: all elements as one vector) or of matrices
    (axis a pair). Vector ords: 'euclidean', any p > 0, inf. Matrix ords: 'euclidean'/'fro'
    (Frobenius), 1 (largest column sum), inf (largest row sum), 2 (largest singular value).

    >>> norm([[3.0, 4.0], [1.0, 2.0]], ord=1, axis=[0, 1]).numpy()
    6.0
    """
    x = as_tensor(tensor)
    if not (x.dtype.is_floating or x.dtype.is_complex):
        raise InvalidArgumentError("norm: tensor must be a floating-point or complex tensor, "
                                   "got %s; cast it first, e.g. autotrace.cast(tensor, "
                                   "autotrace.float32)" % x.dtype.name)
    axes = _norm_axes(axis, x.shape.rank)
    matrix = axes is not None and len(axes) == 2
    _check_ord(ord, matrix)
    if matrix:
        result = _matrix_norm(x, ord, axes)
    else:
        result = _vector_norm(x, ord, axes)
    if not keepdims:
        result = array_ops.squeeze(result, list(axes) if axes is not None else None)
    return array_ops.identity(result, name=name) if name else result


def _vector_norm(x, ord, axes):
    if ord in ("euclidean", 2, 2.0):
        return sqrt(reduce_sum(x * conj(x), axis=axes, keepdims=True))
    magnitude = abs(x)
    if ord == np.inf:
        result = reduce_max(magnitude, axis=axes, keepdims=True)
    elif ord == 1:
        result = reduce_sum(magnitude, axis=axes, keepdims=True)
    else:
        p = cast(ord, magnitude.dtype)
        result = pow(reduce_sum(pow(magnitude, p), axis=axes, keepdims=True), reciprocal(p))
    return cast(result, x.dtype) if x.dtype.is_complex else result


def _matrix_norm(x, ord, axes):
    if ord in ("euclidean", "fro"):
        return sqrt(reduce_sum(x * conj(x), axis=axes, keepdims=True))
    if ord == 2:
        from .linalg_decomposition_ops import svd
        rank = x.shape.rank
        rest = [a for a in range(rank) if a not in axes]
        moved = array_ops.transpose(x, rest + list(axes))
        largest = reduce_max(svd(moved, compute_uv=False), axis=-1)
        for a in sorted(axes):
            largest = array_ops.expand_dims(largest, a)
        return cast(largest, x.dtype) if x.dtype.is_complex else largest
    rows, cols = axes
    summed, outer = (rows, cols) if ord == 1 else (cols, rows)
    sums = reduce_sum(abs(x), axis=summed, keepdims=True)
    result = reduce_max(sums, axis=outer, keepdims=True)
    return cast(result, x.dtype) if x.dtype.is_complex else result


def normalize(tensor, ord="euclidean", axis=None, name=None):
    """(tensor / its norm, the norm), the norm kept with the reduced dimensions of size 1.

    >>> t, n = normalize([3.0, 4.0])
    >>> t.numpy(), n.numpy()
    (array([0.6, 0.8], dtype=float32), array([5.], dtype=float32))
    """
    x = as_tensor(tensor)
    size = norm(x, ord=ord, axis=axis, keepdims=True)
    return truediv(x, size, name=name), size


# -- clipping ----------------------------------------------------------------------------------

def _is_slices(t):
    return type(t).__name__ == "IndexedSlices" and hasattr(t, "values")


def clip_by_norm(t, clip_norm, axes=None, name=None):
    """t scaled so that its L2 norm (over `axes`, default all) is at most `clip_norm`:
    t * clip_norm / max(norm, clip_norm). A zero tensor stays zero (no NaN).

    >>> clip_by_norm([[3.0, 4.0], [0.3, 0.4]], 1.0, axes=[1]).numpy()
    array([[0.6, 0.8],
           [0.3, 0.4]], dtype=float32)
    """
    if _is_slices(t):
        return type(t)(clip_by_norm(t.values, clip_norm, axes), t.indices, t.dense_shape)
    values = as_tensor(t)
    if not values.dtype.is_floating:
        raise InvalidArgumentError("clip_by_norm: t must be a floating-point tensor, got %s"
                                   % values.dtype.name)
    squares = reduce_sum(values * values, axis=axes, keepdims=True)
    positive = greater(squares, 0)
    safe = where(positive, squares, array_ops.ones_like(squares))
    l2 = where(positive, sqrt(safe), squares)  # sqrt'(0) would give NaN gradients
    clip = cast(clip_norm, values.dtype)
    return truediv(values * clip, maximum(l2, clip), name=name)


def global_norm(t_list, name=None):
    """sqrt of the sum of squares of every element of every tensor in `t_list` (None
    entries are skipped; IndexedSlices count their values).

    >>> global_norm([tf.constant([3.0, 4.0]), tf.constant([[12.0]])]).numpy()
    13.0
    """
    if isinstance(t_list, Tensor) or not isinstance(t_list, (list, tuple)):
        raise TypeError("global_norm: t_list must be a list of tensors, got %s"
                        % type(t_list).__name__)
    values = [as_tensor(t.values if _is_slices(t) else t) for t in t_list if t is not None]
    if not values:
        return convert_to_tensor(0.0)
    dtype = values[0].dtype
    for v in values[1:]:
        if v.dtype is not dtype:
            raise InvalidArgumentError("global_norm: all tensors must have one dtype, got %s "
                                       "and %s" % (dtype.name, v.dtype.name))
    from .math_ops import add_n
    total = add_n([reduce_sum(v * v) for v in values])
    return sqrt(total, name=name)


def clip_by_global_norm(t_list, clip_norm, use_norm=None, name=None):
    """(the tensors scaled by clip_norm / max(global_norm, clip_norm), the global norm).
    None entries stay None; an infinite or NaN global norm makes every value NaN (as TF).

    >>> clipped, total = clip_by_global_norm([tf.constant([3.0, 4.0])], 2.5)
    >>> clipped[0].numpy(), total.numpy()
    (array([1.5, 2. ], dtype=float32), 5.0)
    """
    if isinstance(t_list, Tensor) or not isinstance(t_list, (list, tuple)):
        raise TypeError("clip_by_global_norm: t_list must be a list of tensors, got %s"
                        % type(t_list).__name__)
    total = global_norm(t_list) if use_norm is None else as_tensor(use_norm)
    clip = cast(clip_norm, total.dtype)
    scale = clip * minimum(reciprocal(total), reciprocal(clip))
    scale = where(is_finite(total), scale, array_ops.zeros_like(scale) + np.nan)
    clipped = []
    for t in t_list:
        if t is None:
            clipped.append(None)
        elif _is_slices(t):
            clipped.append(type(t)(multiply(t.values, cast(scale, t.values.dtype)), t.indices,
                                   t.dense_shape))
        else:
            t = as_tensor(t)
            clipped.append(multiply(t, cast(scale, t.dtype)))
    return clipped, total
