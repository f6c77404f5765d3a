"""Gathering and scattering: gather, gather_nd, and their adjoints scatter_nd and
unsorted_segment_sum (TF's tf.scatter_nd and tf.math.unsorted_segment_sum).

Moved from index_ops, which re-exports `gather` and `gather_nd`. The gradient of a gather adds
the gradient back at the gathered positions, so an index gathered twice receives the sum of
both gradients: GatherV2 differentiates through UnsortedSegmentSum, GatherNd through ScatterNd,
and those two through gathers.

>>> import autotrace as tf
>>> tf.scatter_nd([[1], [1], [3]], [1.0, 2.0, 5.0], [4]).numpy()
array([0., 3., 0., 5.], dtype=float32)
"""
import builtins

import numpy as np

from ..core.errors import DTypeMismatchError, InvalidArgumentError, InvalidShapeError
from ..core.tensor_shape import TensorShape
from .array_ops import (as_array, as_tensor, check_int_scalar, check_shape_arg, dims_of,
                        int_tensor, int_values, reshape, scalar_value, shape, shape_of,
                        static_int, static_ints, transpose, with_shape_of)
from .constant_op import convert_to_tensor
from .dispatch import dispatchable
from .registry import apply, defop
from .shapes import normalize_axis

__all__ = ["gather", "gather_nd", "scatter_nd", "unsorted_segment_sum"]
_MOVED_NAMES = ("GATHER", "GATHER_ND", "SCATTER_ND", "UNSORTED_SEGMENT_SUM")


# -- gather ------------------------------------------------------------------------------------

def _index_tensor(indices):
    if isinstance(indices, (list, tuple)) and np.size(indices) == 0:
        return convert_to_tensor(np.zeros(np.shape(indices), np.int32))  # `[]`: no indices
    return as_tensor(indices)


def _check_indices_dtype(op_type, indices):
    if not indices.dtype.is_integer:
        raise DTypeMismatchError("%s: indices must be an integer tensor, got %s"
                                 % (op_type, indices.dtype.name))


def _position(pos):
    return ", ".join(str(int(i)) for i in pos)


def _gather_axes(p_rank, i_rank, axis, batch_dims):
    """(axis, batch_dims) made non-negative where the ranks (which may be None) allow."""
    if p_rank == 0:
        raise InvalidArgumentError("GatherV2: params must have rank >= 1, got a scalar")
    if i_rank is not None:
        if batch_dims < 0:
            batch_dims += i_rank
        if not 0 <= batch_dims <= i_rank:
            raise InvalidArgumentError("GatherV2: batch_dims %d is out of range for indices of "
                                       "rank %d" % (batch_dims, i_rank))
    axis = normalize_axis("GatherV2", axis, p_rank)
    if axis >= 0 and batch_dims > axis:  # TF silently ignores batch_dims here
        raise InvalidArgumentError("GatherV2: batch_dims (%d) must be <= axis (%d)"
                                   % (batch_dims, axis))
    return axis, batch_dims


def _merge_batch(op_type, p, i, batch_dims):
    """The leading batch dimensions params (p) and indices (i) share; they must agree."""
    out = []
    for d in builtins.range(batch_dims):
        if p[d] is not None and i[d] is not None and p[d] != i[d]:
            raise InvalidShapeError(
                "%s: with batch_dims=%d, params and indices must agree on their first %d "
                "dimension(s), but params has shape %s and indices has shape %s"
                % (op_type, batch_dims, batch_dims, _dims_text(p), _dims_text(i)))
        out.append(p[d] if p[d] is not None else i[d])
    return out


def _dims_text(dims):
    return str(TensorShape(dims))


def _per_batch(fn, params, indices, batch_dims, dims):
    """fn(params[b], indices[b]) for each index b of the leading batch_dims dimensions."""
    rows = int(np.prod(params.shape[:batch_dims], dtype=np.int64))
    flat_params = params.reshape((rows,) + params.shape[batch_dims:])
    flat_indices = indices.reshape((rows,) + indices.shape[batch_dims:])
    out = np.empty((rows,) + tuple(dims[batch_dims:]), dtype=params.dtype)
    for b in builtins.range(rows):
        out[b] = fn(flat_params[b], flat_indices[b])
    return out.reshape(dims)


def _gather_shape(p, i, axis, batch_dims):
    """(axis, batch_dims, output dims) for params dims `p` and indices dims `i`."""
    axis, batch_dims = _gather_axes(len(p), len(i), axis, batch_dims)
    dims = (_merge_batch("GatherV2", p, i, batch_dims) + list(p[batch_dims:axis])
            + list(i[batch_dims:]) + list(p[axis + 1:]))
    return axis, batch_dims, dims


def _gather_kernel(params, indices, axis, batch_dims):
    params, indices = as_array(params), np.asarray(indices)
    axis, batch_dims, dims = _gather_shape(params.shape, indices.shape, axis, batch_dims)
    limit = params.shape[axis]
    bad = (indices < 0) | (indices >= limit)
    if bad.any():
        pos = tuple(np.argwhere(bad)[0])
        raise InvalidArgumentError(
            "GatherV2: indices[%s] = %d is not in [0, %d): axis %d of params (shape %s) has "
            "length %d" % (_position(pos), indices[pos], limit, axis, params.shape, limit))
    if batch_dims == 0:
        return np.take(params, indices, axis=axis)
    return _per_batch(lambda p, i: np.take(p, i, axis=axis - batch_dims), params, indices,
                      batch_dims, dims)


def _gather_infer(params, indices, axis, batch_dims):
    _check_indices_dtype("GatherV2", indices)
    p, i = params.shape.as_tuple(), indices.shape.as_tuple()
    if p is None or i is None:
        _gather_axes(None if p is None else len(p), None if i is None else len(i), axis,
                     batch_dims)
        return params.dtype, None
    return params.dtype, _gather_shape(p, i, axis, batch_dims)[2]


def _prod(dims):
    """Product of ints and scalar tensors (an int when all are ints)."""
    static = 1
    for d in dims:
        if isinstance(d, int):
            static *= d
    result = None
    for d in dims:
        if not isinstance(d, int):
            result = d if result is None else result * d
    if result is None:
        return static
    return result if static == 1 else result * static


def _is_one(d):
    return isinstance(d, int) and d == 1


def _known_ranks(op, *tensors):
    if any(t.shape.rank is None for t in tensors):
        raise InvalidArgumentError("The gradient of %s needs params and indices of known rank"
                                   % op.type)


def _gather_grad(op, g):
    """params [B.., O.., N, R..] (B: batch_dims, N: axis), indices [B.., J..], g [B.., O.., J..,
    R..]: g becomes [B*J, O, R] rows, each added (UnsortedSegmentSum) to row b*N + index of a
    [B*N, O, R] result, which is then put back in params' layout."""
    params, indices = op.inputs
    if op.attrs["axis"] == 0 and op.attrs["batch_dims"] == 0:
        return [_rows_gradient(params, indices, g), None]
    _known_ranks(op, params, indices)
    axis, b = _gather_axes(params.shape.rank, indices.shape.rank, op.attrs["axis"],
                           op.attrs["batch_dims"])
    p, i = dims_of(params), dims_of(indices)
    rows, outer, n = _prod(p[:b]), _prod(p[b:axis]), p[axis]
    inner, count = _prod(p[axis + 1:]), _prod(i[b:])
    values = reshape(g, [rows, outer, count, inner])
    if not _is_one(outer):
        values = transpose(values, [0, 2, 1, 3])
    values = reshape(values, [rows * count, outer, inner])
    ids = reshape(indices, [rows, count])
    if not _is_one(rows):
        from .creation_ops import range as range_
        from .math_ops import cast
        ids = ids + cast(reshape(range_(rows) * n, [-1, 1]), indices.dtype)
    summed = reshape(unsorted_segment_sum(values, reshape(ids, [-1]), rows * n),
                     [rows, n, outer, inner])
    if not _is_one(outer):
        summed = transpose(summed, [0, 2, 1, 3])
    return [with_shape_of(reshape(summed, shape_of(params)), params), None]


def _rows_gradient(params, indices, g):
    """Gathering rows: the gradient is the rows read, as IndexedSlices (memory proportional
    to the rows touched, as TF)."""
    from .indexed_slices import IndexedSlices
    if params.shape.rank is None:
        from .manip_ops import concat
        values = reshape(g, concat([[-1], shape(params)[1:]], axis=0))
    elif indices.shape.rank == 1:
        values = g
    else:
        values = reshape(g, [-1] + dims_of(params)[1:])
    flat = reshape(indices, [-1]) if indices.shape.rank != 1 else indices
    return IndexedSlices(values, flat, shape(params))


GATHER = defop("GatherV2", _gather_kernel, _gather_infer, grad=_gather_grad,
               inputs=("params", "indices"), eager_check=True)


@dispatchable
def gather(params, indices, validate_indices=None, axis=None, batch_dims=0, name=None):
    """Slices of `params` along `axis` at `indices`; indices outside [0, n) are an error.

    >>> gather([[1, 2, 3], [4, 5, 6]], [2, 0], axis=1).numpy()
    array([[3, 1],
           [6, 4]], dtype=int32)
    """
    params, indices = as_tensor(params), _index_tensor(indices)
    batch_dims = static_int("GatherV2", "batch_dims", batch_dims)
    axis = batch_dims if axis is None else static_int("GatherV2", "axis", axis)
    return apply(GATHER, (params, indices), {"axis": axis, "batch_dims": batch_dims}, name)


# -- gather_nd ---------------------------------------------------------------------------------

def _check_nd_indices(i, batch_dims):
    if len(i) == 0:
        raise InvalidArgumentError("GatherNd: indices must have rank >= 1 (its last dimension "
                                   "holds coordinates), got a scalar")
    if not 0 <= batch_dims < len(i):
        raise InvalidArgumentError("GatherNd: batch_dims %d must be in [0, %d) for indices of "
                                   "shape %s" % (batch_dims, len(i), _dims_text(i)))


def _gather_nd_shape(p, i, batch_dims):
    """(index depth, output dims) for params dims `p` and indices dims `i`; (None, None) when
    the depth (the last dimension of indices) is unknown."""
    _check_nd_indices(i, batch_dims)
    depth = i[-1]
    if depth is not None and depth > len(p) - batch_dims:
        raise InvalidShapeError(
            "GatherNd: indices has %d coordinates per index (shape %s), but params of shape %s "
            "has only %d dimensions after its %d batch dimensions"
            % (depth, _dims_text(i), _dims_text(p), len(p) - batch_dims, batch_dims))
    batch = _merge_batch("GatherNd", p, i, batch_dims)
    if depth is None:
        return None, None
    return depth, batch + list(i[batch_dims:-1]) + list(p[batch_dims + depth:])


def _gather_nd_one(params, indices, depth):
    if depth == 0:  # empty coordinates select all of params
        return np.array(np.broadcast_to(params, indices.shape[:-1] + params.shape))
    return params[tuple(np.moveaxis(indices, -1, 0))]


def _gather_nd_kernel(params, indices, batch_dims):
    params, indices = as_array(params), np.asarray(indices)
    depth, dims = _gather_nd_shape(params.shape, indices.shape, batch_dims)
    limits = np.array(params.shape[batch_dims:batch_dims + depth], dtype=np.int64)
    bad = ((indices < 0) | (indices >= limits)).any(axis=-1)
    if bad.any():
        pos = tuple(np.argwhere(bad)[0])
        raise InvalidArgumentError(
            "GatherNd: indices[%s] = %s does not index into params of shape %s"
            % (_position(pos), [int(v) for v in indices[pos]], params.shape))
    if batch_dims == 0:
        return _gather_nd_one(params, indices, depth)
    return _per_batch(lambda p, i: _gather_nd_one(p, i, depth), params, indices, batch_dims,
                      dims)


def _gather_nd_infer(params, indices, batch_dims):
    _check_indices_dtype("GatherNd", indices)
    p, i = params.shape.as_tuple(), indices.shape.as_tuple()
    if i is not None:
        _check_nd_indices(i, batch_dims)
    if p is None or i is None:
        return params.dtype, None
    return params.dtype, _gather_nd_shape(p, i, batch_dims)[1]


def _gather_nd_grad(op, g):
    """ScatterNd of the gradient at the gathered coordinates; with batch_dims, each index gets
    its (flattened) batch position as a leading coordinate first."""
    params, indices = op.inputs
    b = op.attrs["batch_dims"]
    if b == 0:
        return [with_shape_of(scatter_nd(indices, g, shape_of(params)), params), None]
    _known_ranks(op, params, indices)
    depth = indices.shape[-1]
    if depth is None:
        raise InvalidArgumentError("The gradient of GatherNd with batch_dims needs indices whose "
                                   "last dimension is known, got shape %s" % indices.shape)
    from .creation_ops import range as range_
    from .manip_ops import broadcast_to, concat
    from .math_ops import cast
    p, i = dims_of(params), dims_of(indices)
    rows, count = _prod(p[:b]), _prod(i[b:-1])
    batch = broadcast_to(reshape(cast(range_(rows), indices.dtype), [-1, 1, 1]),
                         [rows, count, 1])
    coords = concat([batch, reshape(indices, [rows, count, depth])], axis=2)
    values = reshape(g, [rows, count] + p[b + depth:])
    summed = scatter_nd(coords, values, [rows] + p[b:])
    return [with_shape_of(reshape(summed, shape_of(params)), params), None]


GATHER_ND = defop("GatherNd", _gather_nd_kernel, _gather_nd_infer, grad=_gather_nd_grad,
                  inputs=("params", "indices"), eager_check=True)


def gather_nd(params, indices, batch_dims=0, name=None):
    """Elements (or slices) of `params` at the coordinates in the last dimension of `indices`.

    >>> gather_nd([[1, 2], [3, 4]], [[0, 1], [1, 0]]).numpy()
    array([2, 3], dtype=int32)
    """
    params, indices = as_tensor(params), _index_tensor(indices)
    batch_dims = static_int("GatherNd", "batch_dims", batch_dims)
    return apply(GATHER_ND, (params, indices), {"batch_dims": batch_dims}, name)


# -- scatter_nd --------------------------------------------------------------------------------

def _scatter_error(indices_shape, updates_shape, dims):
    return InvalidShapeError(
        "ScatterNd: updates must have shape indices.shape[:-1] + shape[depth:] = %s (indices "
        "shape %s, shape %s), got %s"
        % (_dims_text(tuple(indices_shape[:-1]) + tuple(dims[indices_shape[-1]:])),
           _dims_text(indices_shape), list(dims), _dims_text(updates_shape)))


def _scatter_nd_kernel(indices, updates, shape):
    indices, updates = np.asarray(indices), as_array(updates)
    dims = int_values("ScatterNd", "shape", shape)
    if indices.ndim == 0 or indices.shape[-1] > len(dims):
        raise InvalidArgumentError("ScatterNd: indices of shape %s do not index into shape %s"
                                   % (TensorShape(indices.shape), dims))
    depth = indices.shape[-1]
    if updates.shape != indices.shape[:-1] + tuple(dims[depth:]):
        raise _scatter_error(indices.shape, updates.shape, dims)
    out = np.zeros(dims, updates.dtype)
    coords = indices.reshape(-1, depth)
    values = updates.reshape((-1,) + tuple(dims[depth:]))
    bad = ((coords < 0) | (coords >= np.array(dims[:depth], np.int64))).any(axis=1)
    if bad.any():
        pos = np.unravel_index(int(np.argmax(bad)), indices.shape[:-1])
        raise InvalidArgumentError("ScatterNd: indices[%s] = %s does not index into shape %s"
                                   % (_position(pos), [int(v) for v in indices[pos]], dims))
    if depth == 0:
        out += values.sum(axis=0, dtype=out.dtype)
    else:
        np.add.at(out, tuple(coords.T), values)
    return out


def _scatter_nd_infer(indices, updates, shape):
    _check_indices_dtype("ScatterNd", indices)
    check_shape_arg("ScatterNd", "shape", shape)
    if indices.shape.rank == 0:
        raise InvalidArgumentError("ScatterNd: indices must have rank >= 1 (its last dimension "
                                   "holds coordinates), got a scalar")
    dims = static_ints("ScatterNd", "shape", shape)
    if dims is None:
        n = shape.shape[0] if shape.shape.rank == 1 else None
        return updates.dtype, None if n is None else [None] * n
    i, u = indices.shape.as_tuple(), updates.shape.as_tuple()
    if i is not None and i[-1] is not None:
        if i[-1] > len(dims):
            raise InvalidArgumentError("ScatterNd: indices of shape %s do not index into shape "
                                       "%s" % (indices.shape, dims))
        if u is not None and not TensorShape(u).is_compatible_with(
                TensorShape(i[:-1] + tuple(dims[i[-1]:]))):
            raise _scatter_error(i, u, dims)
    return updates.dtype, dims


SCATTER_ND = defop("ScatterNd", _scatter_nd_kernel, _scatter_nd_infer,
                   grad=lambda op, g: [None, gather_nd(g, op.inputs[0]), None],
                   inputs=("indices", "updates", "shape"), eager_check=True)


def scatter_nd(indices, updates, shape, name=None):
    """A tensor of `shape`, zero except that `updates` are added at the coordinates in the last
    dimension of `indices` (repeated coordinates add up): the adjoint of gather_nd."""
    indices, updates = _index_tensor(indices), as_tensor(updates)
    return apply(SCATTER_ND, (indices, updates, int_tensor("ScatterNd", "shape", shape)), None,
                 name)


# -- unsorted_segment_sum ----------------------------------------------------------------------

def _check_segments(data_dims, id_dims):
    if not TensorShape(data_dims[:len(id_dims)]).is_compatible_with(TensorShape(id_dims)):
        raise InvalidShapeError("UnsortedSegmentSum: segment_ids of shape %s must match the "
                                "first dimensions of data, whose shape is %s"
                                % (_dims_text(id_dims), _dims_text(data_dims)))


def _unsorted_segment_sum_kernel(data, segment_ids, num_segments):
    data, ids = as_array(data), np.asarray(segment_ids)
    n = scalar_value("UnsortedSegmentSum", "num_segments", num_segments)
    if n < 0:
        raise InvalidArgumentError("UnsortedSegmentSum: num_segments must be >= 0, got %d" % n)
    _check_segments(data.shape, ids.shape)
    if ids.ndim > data.ndim:
        raise _rank_error(data.shape, ids.shape)
    bad = ids >= n
    if bad.any():
        pos = tuple(np.argwhere(bad)[0])
        raise InvalidArgumentError("UnsortedSegmentSum: segment_ids[%s] = %d is not in [0, %d) "
                                   "(num_segments)" % (_position(pos), ids[pos], n))
    out = np.zeros((n,) + data.shape[ids.ndim:], data.dtype)
    if not sorted_segments_into(out, np.add, data, ids):
        keep = ids >= 0  # negative ids are dropped, as TF
        np.add.at(out, ids[keep], data[keep])
    return out


def sorted_segments_into(out, ufunc, data, ids):
    """The fast path for sorted, non-negative 1-D ids (rows of a ragged tensor): one
    `ufunc.reduceat` over the non-empty segments. False if the ids do not allow it."""
    if ids.ndim != 1 or len(ids) < len(out) or ids[0] < 0 or (np.diff(ids) < 0).any():
        return False  # (few ids for many segments: ufunc.at is the faster way)
    n = len(out)
    starts = np.searchsorted(ids, np.arange(n))
    ends = np.append(starts[1:], len(ids))
    present = starts < ends
    out[present] = ufunc.reduceat(data, starts[present], axis=0)
    return True


def _rank_error(data_dims, id_dims):
    return InvalidShapeError("UnsortedSegmentSum: segment_ids (shape %s) cannot have a higher "
                             "rank than data (shape %s)" % (_dims_text(id_dims),
                                                           _dims_text(data_dims)))


def _unsorted_segment_sum_infer(data, segment_ids, num_segments):
    _check_indices_dtype("UnsortedSegmentSum", segment_ids)
    n = check_int_scalar("UnsortedSegmentSum", "num_segments", num_segments)
    d, i = data.shape.as_tuple(), segment_ids.shape.as_tuple()
    if d is None or i is None:
        return data.dtype, None
    if len(i) > len(d):
        raise _rank_error(d, i)
    _check_segments(d, i)
    return data.dtype, [n] + list(d[len(i):])


def _unsorted_segment_sum_grad(op, g):
    """Each data row gets the gradient of its segment (none for negative ids)."""
    from .creation_ops import ones_like, zeros_like
    from .index_ops import where
    from .math_ops import maximum
    ids = op.inputs[1]
    picked = gather(g, maximum(ids, 0))
    keep = ids >= 0
    rank = g.shape.rank
    if rank is None or ids.shape.rank is None:
        from .manip_ops import concat
        keep = reshape(keep, concat([shape(ids), ones_like(shape(g)[1:])], axis=0))
    elif rank > 1:
        keep = reshape(keep, dims_of(ids) + [1] * (rank - 1))
    return [where(keep, picked, zeros_like(picked)), None, None]


UNSORTED_SEGMENT_SUM = defop(
    "UnsortedSegmentSum", _unsorted_segment_sum_kernel, _unsorted_segment_sum_infer,
    grad=_unsorted_segment_sum_grad, inputs=("data", "segment_ids", "num_segments"),
    eager_check=True)


def unsorted_segment_sum(data, segment_ids, num_segments, name=None):
    """Sums of the rows of `data` by segment: result[s] is the sum of data[j...] over the
    positions j where segment_ids[j] == s (negative ids are dropped). The adjoint of gather.

    >>> unsorted_segment_sum([1, 2, 3, 4], [0, 1, 0, 1], 2).numpy()
    array([4, 6], dtype=int32)
    """
    data, ids = as_tensor(data), _index_tensor(segment_ids)
    return apply(UNSORTED_SEGMENT_SUM, (data, ids, as_tensor(num_segments)), None, name)
