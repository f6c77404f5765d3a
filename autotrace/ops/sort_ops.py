"""Sorting and scans: sort, argsort, top_k, cumsum, cumprod.

Ties keep their original order (lower index first, as TF's top_k), in both directions. NaN
sorts above every number, as in TF's top_k: last ascending, first descending.

>>> import autotrace as tf
>>> tf.sort([3, 1, 2], direction="DESCENDING").numpy()
array([3, 2, 1], dtype=int32)
"""
import collections

import numpy as np

from ..core import dtypes
from ..core.errors import InvalidArgumentError
from . import array_ops
from .array_ops import as_tensor, check_int_scalar, scalar_value, static_int
from .constant_op import constant_value
from .math_ops import cast, conj, equal, logical_and, multiply, truediv
from .registry import NO_GRADIENT, apply, defop
from .shapes import NUMERIC, REAL, check_dtype, normalize_axis

# The module's public API at top level, as TF's; top_k and cumprod live in autotrace.math only.
__all__ = ["sort", "argsort", "cumsum"]

_DIRECTIONS = ("ASCENDING", "DESCENDING")


def _order(x, axis, descending):
    """Indices that sort x along axis; stable, and NaN counts as the largest value."""
    if not descending:
        return np.argsort(x, axis=axis, kind="stable")
    # Sorting the reversed array ascending and reversing the result keeps equal values in
    # their original order (a plain reversal of the ascending order would flip them).
    n = x.shape[axis]
    backwards = np.argsort(np.flip(x, axis), axis=axis, kind="stable")
    return n - 1 - np.flip(backwards, axis)


def _at_least_1d(op_type, value, arg="values"):
    """Kernel helper: the value as an array of rank >= 1 (the shape rule cannot check an
    unknown rank)."""
    value = np.asarray(value)
    if value.ndim == 0:
        raise InvalidArgumentError("%s: %s must have rank >= 1, got a scalar" % (op_type, arg))
    return value


def _sortable_axis(op_type, x, axis):
    """Normalize `axis` of the tensor x, which must have rank >= 1."""
    if x.shape.rank == 0:
        raise InvalidArgumentError("%s: values must have rank >= 1, got a scalar" % op_type)
    return normalize_axis(op_type, static_int(op_type, "axis", axis), x.shape.rank)


def _check_direction(op_type, direction):
    if direction not in _DIRECTIONS:
        raise ValueError("%s: direction must be 'ASCENDING' or 'DESCENDING', got %r"
                         % (op_type, direction))
    return direction == "DESCENDING"


# -- sort / argsort ----------------------------------------------------------------------------

def _sort_kernel(values, axis, descending):
    values = _at_least_1d("Sort", values)
    return np.take_along_axis(values, _order(values, axis, descending), axis=axis)


def _sort_infer(values, axis, descending):
    check_dtype("Sort", values, REAL, "values")
    return values.dtype, values.shape


def _sort_grad(op, g):
    """Each gradient goes back to where its value came from: g taken at the inverse of the
    sorting permutation (recomputed with the kernel's own order, ties included)."""
    x = op.inputs[0]
    axis, descending = op.attrs["axis"], op.attrs["descending"]
    order = apply(ARG_SORT, (x,), {"axis": axis, "descending": descending})
    inverse = apply(ARG_SORT, (order,), {"axis": axis, "descending": False})
    return [_take_along_axis(g, inverse, axis)]


def _take_along_axis(values, indices, axis):
    """values[..., indices[..., i, ...], ...] along `axis` (indices shaped like values)."""
    rank = values.shape.rank
    if axis != -1 and axis != (rank or 0) - 1:
        if rank is None:
            raise InvalidArgumentError(
                "The gradient of Sort along axis %d needs the input's rank, unknown while "
                "tracing: give the input a shape of known rank, or sort along axis -1" % axis)
        perm = list(range(rank))
        perm[axis], perm[-1] = perm[-1], perm[axis]  # a swap is its own inverse
        moved = _take_along_axis(array_ops.transpose(values, perm),
                                 array_ops.transpose(indices, perm), -1)
        return array_ops.transpose(moved, perm)
    if rank in (1, 2):
        return array_ops.gather(values, indices, axis=rank - 1, batch_dims=rank - 1)
    n = _last_dim(values)
    rows = array_ops.gather(array_ops.reshape(values, [-1, n]),
                            array_ops.reshape(indices, [-1, n]), axis=1, batch_dims=1)
    return _reshape_like(rows, values)


def _last_dim(t):
    """The length of t's last dimension: an int if known, else a scalar tensor."""
    if t.shape.rank is not None and t.shape[-1] is not None:
        return t.shape[-1]
    return array_ops.shape(t)[-1]


def _reshape_like(t, like):
    shape = like.shape
    return array_ops.reshape(t, shape.as_list() if shape.is_fully_defined()
                             else array_ops.shape(like))


SORT = defop("Sort", _sort_kernel, _sort_infer, inputs=("values",), accepts=REAL,
             grad=_sort_grad)


def sort(values, axis=-1, direction="ASCENDING", name=None):
    """The values sorted along `axis`.

    >>> sort([[3, 1, 2], [0, 5, 4]]).numpy()
    array([[1, 2, 3],
           [0, 4, 5]], dtype=int32)
    """
    descending = _check_direction("Sort", direction)
    x = as_tensor(values)
    axis = _sortable_axis("Sort", x, axis)
    return apply(SORT, (x,), {"axis": axis, "descending": descending}, name)


def _argsort_kernel(values, axis, descending):
    values = _at_least_1d("ArgSort", values)
    return _order(values, axis, descending).astype(np.int32)


def _argsort_infer(values, axis, descending):
    check_dtype("ArgSort", values, REAL, "values")
    return dtypes.int32, values.shape


ARG_SORT = defop("ArgSort", _argsort_kernel, _argsort_infer, grad=NO_GRADIENT,
                 inputs=("values",), accepts=REAL)


def argsort(values, axis=-1, direction="ASCENDING", stable=False, name=None):
    """int32 indices that sort `values` along `axis`. Always stable: equal values keep their
    order (so `stable` changes nothing).

    >>> argsort([3, 1, 2, 1]).numpy()
    array([1, 3, 2, 0], dtype=int32)
    """
    descending = _check_direction("ArgSort", direction)
    x = as_tensor(values)
    axis = _sortable_axis("ArgSort", x, axis)
    return apply(ARG_SORT, (x,), {"axis": axis, "descending": descending}, name)


# -- top_k -------------------------------------------------------------------------------------

TopKV2 = collections.namedtuple("TopKV2", ["values", "indices"])


def _check_k(k, n):
    if k < 0:
        raise InvalidArgumentError("TopKV2: k must be >= 0, got %d" % k)
    if n is not None and k > n:
        raise InvalidArgumentError("TopKV2: k = %d is larger than the last dimension of the "
                                   "input (%d)" % (k, n))


def _top_k_kernel(input, k, sorted, index_type):
    input = _at_least_1d("TopKV2", input, "input")
    k = scalar_value("TopKV2", "k", k)
    _check_k(k, input.shape[-1])
    indices = _order(input, -1, descending=True)[..., :k]
    return np.take_along_axis(input, indices, axis=-1), indices.astype(index_type.np)


def _top_k_infer(input, k, sorted, index_type):
    check_dtype("TopKV2", input, REAL, "input")
    known_k = check_int_scalar("TopKV2", "k", k)
    if input.shape.rank == 0:
        raise InvalidArgumentError("TopKV2: input must have rank >= 1, got a scalar")
    if input.shape.rank is None:
        return [(input.dtype, None), (index_type, None)]
    if known_k is not None:
        _check_k(known_k, input.shape[-1])
    dims = list(input.shape.as_tuple()[:-1]) + [known_k]
    return [(input.dtype, dims), (index_type, dims)]


def _top_k_grad(op, g_values, g_indices):
    """The value gradients go back to the positions the values came from; the rest get 0.
    top_k's indices are the first k of the full descending order (the same stable order),
    so padding g to length n and taking it at the inverse of that order scatters it."""
    x, k = op.inputs
    n = _last_dim(x)
    known_k = constant_value(k)
    k = int(known_k) if known_k is not None else cast(k, dtypes.int32)
    x2 = array_ops.reshape(x, [-1, n])
    g2 = array_ops.reshape(g_values, [-1, k])
    order = apply(ARG_SORT, (x2,), {"axis": 1, "descending": True})
    inverse = apply(ARG_SORT, (order,), {"axis": 1, "descending": False})
    g_full = array_ops.pad(g2, [[0, 0], [0, n - k]])
    grad = array_ops.gather(g_full, inverse, axis=1, batch_dims=1)
    return [_reshape_like(grad, x), None]


TOP_K = defop("TopKV2", _top_k_kernel, _top_k_infer, inputs=("input", "k"), multi_output=True,
              eager_check=True, grad=_top_k_grad)


def top_k(input, k=1, sorted=True, index_type=dtypes.int32, name=None):
    """The k largest entries along the last dimension and their indices (int32), largest
    first; equal values come in index order. Returns a namedtuple (values, indices).

    >>> top_k([1, 3, 2, 3], k=2).indices.numpy()
    array([1, 3], dtype=int32)
    """
    index_type = dtypes.as_dtype(index_type)
    if index_type not in (dtypes.int32, dtypes.int64):
        raise InvalidArgumentError("top_k: index_type must be int32 or int64, got %s"
                                   % index_type.name)
    x = as_tensor(input)
    values, indices = apply(TOP_K, (x, as_tensor(k)),
                            {"sorted": bool(sorted), "index_type": index_type}, name)
    return TopKV2(values, indices)


# -- cumsum / cumprod --------------------------------------------------------------------------

def _scan_kernel(op_type, ufunc, identity):
    def kernel(x, axis, exclusive, reverse):
        x = _at_least_1d(op_type, x, "x")
        if reverse:
            x = np.flip(x, axis)
        out = ufunc.accumulate(x, axis=axis, dtype=x.dtype)  # NumPy would widen small ints
        if exclusive and x.shape[axis]:
            start = np.full_like(np.take(out, [0], axis=axis), identity)
            out = np.concatenate([start, np.delete(out, -1, axis=axis)], axis=axis)
        return np.flip(out, axis) if reverse else out
    return kernel


def _scan_infer(op_type):
    def infer(x, axis, exclusive, reverse):
        check_dtype(op_type, x, NUMERIC)
        return x.dtype, x.shape
    return infer


def _cumsum_grad(op, g):
    """Each x_i is in the sums after it (from it on, unless exclusive): the gradient is the
    running sum of g in the other direction."""
    axis, exclusive, reverse = op.attrs["axis"], op.attrs["exclusive"], op.attrs["reverse"]
    return [cumsum(g, axis, exclusive=exclusive, reverse=not reverse)]


def _cumprod_grad(op, g):
    """d/dx_k = sum over the products y_j holding x_k of g_j * y_j / x_k. Dividing is exact
    where x_k != 0, and gives the right 0 at every zero but the first (in scan order): all
    products holding it also hold an earlier zero. At the first zero the same sum is taken
    with that zero replaced by 1 (TF divides there too, and gets 0)."""
    x, y = op.inputs[0], op.outputs[0]
    flags = {"axis": op.attrs["axis"], "exclusive": op.attrs["exclusive"]}
    reverse = op.attrs["reverse"]

    def sums_back(products):  # sum of g_j * conj(y_j) over the products holding each x_k
        return cumsum(multiply(g, conj(products)), reverse=not reverse, **flags)
    is_zero = equal(x, 0)
    zeros_before = cumsum(cast(is_zero, dtypes.int32), op.attrs["axis"], exclusive=True,
                          reverse=reverse)
    first_zero = logical_and(is_zero, equal(zeros_before, 0))
    ones = array_ops.ones_like(x)
    safe_x = array_ops.where(is_zero, ones, x)
    divided = truediv(sums_back(y), conj(safe_x))
    at_first_zero = sums_back(cumprod(array_ops.where(first_zero, ones, x), reverse=reverse,
                                      **flags))
    return [array_ops.where(first_zero, at_first_zero, divided)]


CUMSUM = defop("Cumsum", _scan_kernel("Cumsum", np.add, 0), _scan_infer("Cumsum"),
               accepts=NUMERIC, grad=_cumsum_grad)
CUMPROD = defop("Cumprod", _scan_kernel("Cumprod", np.multiply, 1), _scan_infer("Cumprod"),
                accepts=NUMERIC, grad=_cumprod_grad)


def _scan(opdef, x, axis, exclusive, reverse, name):
    x = as_tensor(x)
    if x.shape.rank == 0:
        raise InvalidArgumentError("%s: x must have rank >= 1, got a scalar" % opdef.type)
    axis = normalize_axis(opdef.type, static_int(opdef.type, "axis", axis), x.shape.rank)
    return apply(opdef, (x,), {"axis": axis, "exclusive": bool(exclusive),
                              "reverse": bool(reverse)}, name)


def cumsum(x, axis=0, exclusive=False, reverse=False, name=None):
    """Running sums along `axis`; `exclusive` leaves out each element itself, `reverse` runs
    from the end.

    >>> cumsum([1, 2, 3], exclusive=True).numpy()
    array([0, 1, 3], dtype=int32)
    """
    return _scan(CUMSUM, x, axis, exclusive, reverse, name)


def cumprod(x, axis=0, exclusive=False, reverse=False, name=None):
    """Running products along `axis` (see cumsum).

    >>> cumprod([1, 2, 3], reverse=True).numpy()
    array([6, 6, 3], dtype=int32)
    """
    return _scan(CUMPROD, x, axis, exclusive, reverse, name)
