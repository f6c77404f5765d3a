"""Public ops on ragged tensors, through the dispatch table (autotrace.ops.dispatch).

Elementwise ops apply to the flat values (operands must share their row partitions; a dense
operand is broadcast to the ragged shape); reductions over a ragged axis are segment
reductions over the rows; concat/stack/gather/where/shape/size have ragged forms.

>>> import autotrace as tf
>>> rt = tf.ragged.constant([[1.0, 2.0], [3.0]])
>>> tf.reduce_sum(rt, axis=1).numpy()
array([3., 3.], dtype=float32)
>>> tf.concat([rt, rt], axis=1)
<tf.RaggedTensor [[1.0, 2.0, 1.0, 2.0], [3.0, 3.0]]>
"""
from ..control_flow import map_ops
from ..core import dtypes
from ..core.errors import InvalidArgumentError
from ..ops import array_ops, math_ops
from ..ops import creation_ops, gather_ops, index_ops, manip_ops, reduction_ops
from ..ops import segment_ops
from ..ops.constant_op import ConversionError, adopt_operand, convert_to_tensor
from ..ops.creation_ops import range as range_
from ..ops.dispatch import register, register_elementwise
from ..ops.sort_ops import cumsum
from ..core.tensor import Tensor
from . import ragged_factory, ragged_ops
from .dynamic_ragged_shape import DynamicRaggedShape
from .ragged_getitem import gather_rows
from .ragged_tensor import RaggedTensor

__all__ = ["concat_rows", "reduce_ragged"]


# -- elementwise -------------------------------------------------------------------------------

def _unary(api, x, *args, **kwargs):
    if not isinstance(x, RaggedTensor):
        raise TypeError("%s: expected the ragged operand first" % api.__name__)
    return x.with_flat_values(api(x.flat_values, *args, **kwargs))


def _binary(api, x, y, **kwargs):
    if isinstance(x, RaggedTensor) and isinstance(y, RaggedTensor):
        _check_same_partition(x, y, api.__name__)
        return x.with_flat_values(api(x.flat_values, y.flat_values, **kwargs))
    if isinstance(x, RaggedTensor):
        return x.with_flat_values(api(x.flat_values, _dense_operand(x, y), **kwargs))
    return y.with_flat_values(api(_dense_operand(y, x), y.flat_values, **kwargs))


def _check_same_partition(x, y, what):
    if x.ragged_rank != y.ragged_rank:
        raise InvalidArgumentError("%s: ragged operands of ragged_rank %d and %d cannot be "
                                   "combined elementwise" % (what, x.ragged_rank,
                                                             y.ragged_rank))
    for a, b in zip(x.nested_row_splits, y.nested_row_splits):
        if a is not b:
            ragged_ops.check_same_partition(a, b, what)


def _dense_operand(rt, value):
    """A dense operand as something that broadcasts against rt's flat values: numbers and
    tensors of the inner dimensions as they are, higher-rank tensors repeated per row."""
    inner_rank = rt.flat_values.shape.rank - 1 if rt.flat_values.shape.rank is not None \
        else None
    if not isinstance(value, Tensor):
        try:
            value = adopt_operand(value, rt.dtype)
        except (ConversionError, TypeError, ValueError):
            return value  # the op itself explains the bad operand
    rank = value.shape.rank
    if rank is None or inner_rank is None or rank <= inner_rank:
        return value
    return _broadcast_to_flat(rt, value)


def _broadcast_to_flat(rt, dense):
    """`dense` (rank <= rt's rank) laid out like rt's flat values: one row per value."""
    full_rank = rt.shape.rank
    while dense.shape.rank < full_rank:
        dense = array_ops.expand_dims(dense, 0)
    level = rt
    while isinstance(level, RaggedTensor):
        # dense: [rows or 1, 1 (the ragged dim), ...]
        if dense.shape[1] not in (1, None):
            raise InvalidArgumentError("A dense operand of shape %s cannot be broadcast to a "
                                       "ragged tensor of shape %s: its ragged dimension must "
                                       "have size 1" % (dense.shape, rt.shape))
        dense = dense[:, 0]
        if dense.shape[0] != 1:
            dense = gather_ops.gather(dense, level.value_rowids())
        level = level.values
    return dense


register_elementwise(RaggedTensor, unary=_unary, binary=_binary)


def _like(api):
    def handler(input, dtype=None, name=None):
        return input.with_flat_values(api(input.flat_values, dtype=dtype))
    return handler


register(creation_ops.zeros_like, RaggedTensor, _like(creation_ops.zeros_like))
register(creation_ops.ones_like, RaggedTensor, _like(creation_ops.ones_like))
register(array_ops.identity, RaggedTensor,
         lambda input, name=None: input.with_flat_values(array_ops.identity(input.flat_values)))


def _add_n(inputs, name=None):
    first = next(x for x in inputs if isinstance(x, RaggedTensor))
    flats = []
    for x in inputs:
        if isinstance(x, RaggedTensor):
            _check_same_partition(first, x, "add_n")
            flats.append(x.flat_values)
        else:
            flats.append(_dense_operand(first, x))
    return first.with_flat_values(math_ops.add_n(flats))


register(math_ops.add_n, RaggedTensor, _add_n)


# -- reductions --------------------------------------------------------------------------------

_SEGMENT = {
    "sum": segment_ops.unsorted_segment_sum,
    "prod": segment_ops.unsorted_segment_prod,
    "max": segment_ops.unsorted_segment_max,
    "min": segment_ops.unsorted_segment_min,
}
_DENSE = {
    "sum": reduction_ops.reduce_sum, "prod": reduction_ops.reduce_prod,
    "max": reduction_ops.reduce_max, "min": reduction_ops.reduce_min,
    "mean": reduction_ops.reduce_mean, "all": reduction_ops.reduce_all,
    "any": reduction_ops.reduce_any,
}


def _segment_reduce(kind, data, ids, n):
    if kind in _SEGMENT:
        return _SEGMENT[kind](data, ids, n)
    if kind in ("all", "any"):  # counts of True (any) or of False (all) per row
        flags = math_ops.cast(data if kind == "any" else math_ops.logical_not(data),
                              dtypes.int32)
        count = segment_ops.unsorted_segment_sum(flags, ids, n)
        return math_ops.greater(count, 0) if kind == "any" else math_ops.equal(count, 0)
    total = segment_ops.unsorted_segment_sum(data, ids, n)  # mean: integers give float64
    counts = segment_ops.unsorted_segment_sum(array_ops.ones_like(data), ids, n)
    return math_ops.truediv(total, counts)  # an empty row is 0 / 0 = nan, as TF


def _reduce_axis(value, axis, dense, segment):
    """`value` reduced along `axis`: `dense(tensor, axis=)` for a uniform axis,
    `segment(data, segment_ids, num_segments)` for a ragged one."""
    if not isinstance(value, RaggedTensor):
        return dense(value, axis=axis)
    r = value.ragged_rank
    if axis > r:
        return value.with_flat_values(dense(value.flat_values, axis=axis - r))
    if axis == r - 1:
        return _reduce_across_rows(value, segment)
    if axis < r:
        raise NotImplementedError("Reducing axis %d of a ragged tensor with ragged_rank %d is "
                                  "supported for its two innermost ragged axes (%d and %d) and "
                                  "the uniform axes" % (axis, r, r - 1, r))
    levels = []
    level = value
    while isinstance(level.values, RaggedTensor):
        levels.append(level)
        level = level.values
    reduced = segment(level.values, level.value_rowids(), level.nrows())
    for outer in reversed(levels):
        reduced = RaggedTensor(reduced, outer.row_splits, internal=True)
    return reduced


def _reduce_across_rows(value, segment):
    """Reduce the axis just above the innermost ragged one: the innermost rows of each group
    (each row of the level above; all rows when there is none) combine column by column, so
    a group's result is as long as its longest row (TF: reduce_sum(rt, axis=0) of a 2-D
    ragged tensor sums its columns)."""
    levels = [value]
    while isinstance(levels[-1].values, RaggedTensor):
        levels.append(levels[-1].values)
    inner = levels[-1]
    dtype = inner.row_splits.dtype
    rows = inner.value_rowids()
    nvals = array_ops.shape(rows, out_type=dtype)[0]
    columns = range_(nvals, dtype=dtype) - gather_ops.gather(inner.row_splits, rows)
    lengths = inner.row_lengths()
    if len(levels) == 1:  # one group: the result is a dense row
        width = value.bounding_shape(axis=1)
        return segment(inner.values, columns, width)
    groups = levels[-2]
    group_of_row = groups.value_rowids()
    n_groups = groups.nrows(out_type=dtype)
    widths = math_ops.maximum(segment_ops.unsorted_segment_max(lengths, group_of_row,
                                                               n_groups),
                              array_ops.zeros_like(n_groups))
    out_splits = manip_ops.concat([array_ops.zeros([1], dtype), cumsum(widths)], axis=0)
    positions = gather_ops.gather(out_splits[:-1], gather_ops.gather(group_of_row, rows)) \
        + columns
    reduced = segment(inner.values, positions, out_splits[-1])
    result = RaggedTensor(reduced, out_splits, internal=True)
    for outer in reversed(levels[:-2]):
        result = RaggedTensor(result, outer.row_splits, internal=True)
    return result


def reduce_ragged(rt, axis, keepdims, dense, segment, what):
    """A reduction of the ragged tensor `rt` (see _reduce_axis for `dense` and `segment`):
    the flat values for axis=None, else axis by axis, innermost first."""
    if axis is None:
        result = dense(rt.flat_values)
        if keepdims:
            result = array_ops.reshape(result, [1] * rt.shape.rank)
        return result
    rank = rt.shape.rank
    axes = [axis] if isinstance(axis, int) else list(axis)
    axes = sorted({a + rank if a < 0 else a for a in axes}, reverse=True)
    for a in axes:
        if not 0 <= a < rank:
            raise InvalidArgumentError("%s: axis %d is out of range for a ragged tensor of "
                                       "rank %d" % (what, a, rank))
    result = rt
    for a in axes:
        result = _reduce_axis(result, a, dense, segment)
    if keepdims:
        for a in sorted(axes):
            result = _expand_dims(result, a)
    return result


def _reduction(kind):
    def segment(data, ids, n):
        return _segment_reduce(kind, data, ids, n)

    def handler(input_tensor, axis=None, keepdims=False, name=None):
        return reduce_ragged(input_tensor, axis, keepdims, _DENSE[kind], segment,
                             "reduce_" + kind)
    return handler


def _expand_dims(value, axis):
    if isinstance(value, RaggedTensor):
        if axis <= value.ragged_rank:
            raise NotImplementedError("keepdims=True for a ragged result")
        return value.with_flat_values(array_ops.expand_dims(value.flat_values,
                                                            axis - value.ragged_rank))
    return array_ops.expand_dims(value, axis)


for _kind, _api in _DENSE.items():
    register(_api, RaggedTensor, _reduction(_kind))


# -- concat, stack -----------------------------------------------------------------------------

def concat_rows(rts):
    """Ragged tensors of one ragged_rank, their rows one after another."""
    splits_dtype = rts[0].row_splits.dtype
    rts = [rt.with_row_splits_dtype(splits_dtype) for rt in rts]
    parts, offset = [rts[0].row_splits], rts[0].row_splits[-1]
    for rt in rts[1:]:
        parts.append(rt.row_splits[1:] + offset)
        offset = offset + rt.row_splits[-1]
    values = [rt.values for rt in rts]
    if isinstance(values[0], RaggedTensor):
        joined = concat_rows(values)
    else:
        joined = manip_ops.concat(values, axis=0)
    return RaggedTensor(joined, manip_ops.concat(parts, axis=0), internal=True)


def _concat_within_rows(rts):
    """Row i of the result is row i of each input, one after another (axis 1): the values
    of all inputs, stacked, then reordered to their places in the output rows."""
    splits_dtype = rts[0].row_splits.dtype
    rts = [rt.with_row_splits_dtype(splits_dtype) for rt in rts]
    lengths = [rt.row_lengths() for rt in rts]
    total = math_ops.add_n(lengths)
    out_splits = manip_ops.concat([array_ops.zeros([1], splits_dtype), cumsum(total)], axis=0)
    positions, before = [], array_ops.zeros_like(total)
    for rt, length in zip(rts, lengths):
        rows = rt.value_rowids()
        cols = range_(array_ops.shape(rows, out_type=splits_dtype)[0], dtype=splits_dtype) \
            - gather_ops.gather(rt.row_splits, rows)
        positions.append(gather_ops.gather(out_splits[:-1] + before, rows) + cols)
        before = before + length
    n = out_splits[-1]
    source_of = segment_ops.unsorted_segment_sum(range_(n, dtype=splits_dtype),
                                                 manip_ops.concat(positions, axis=0), n)
    values = [rt.values for rt in rts]
    stacked = concat_rows(values) if isinstance(values[0], RaggedTensor) else \
        manip_ops.concat(values, axis=0)
    picked = gather_rows(stacked, source_of) if isinstance(stacked, RaggedTensor) else \
        gather_ops.gather(stacked, source_of)
    return RaggedTensor(picked, out_splits, internal=True)


def _concat(values, axis, name=None):
    values = list(values)
    ranks = [v.ragged_rank for v in values if isinstance(v, RaggedTensor)]
    r = max(ranks)
    rts = [v if isinstance(v, RaggedTensor) else ragged_factory.from_tensor(
        convert_to_tensor(v), ragged_rank=r) for v in values]
    if any(rt.ragged_rank != r for rt in rts):
        raise InvalidArgumentError("concat: ragged inputs must have the same ragged_rank, got "
                                   "%s" % [rt.ragged_rank for rt in rts])
    rank = rts[0].shape.rank
    axis = axis + rank if axis < 0 else axis
    if axis == 0:
        return concat_rows(rts)
    if axis == 1:
        return _concat_within_rows(rts)
    if axis > r:
        first = rts[0]
        for rt in rts[1:]:
            _check_same_partition(first, rt, "concat")
        return first.with_flat_values(manip_ops.concat([rt.flat_values for rt in rts],
                                                       axis=axis - r))
    raise NotImplementedError("concat of ragged tensors along axis %d (ragged_rank %d) is not "
                              "supported" % (axis, r))


def _stack(values, axis=0, name=None):
    values = list(values)
    if axis == 0:
        return ragged_factory.stack(values)
    expanded = [_expand_dims(v if isinstance(v, RaggedTensor) else convert_to_tensor(v), axis)
                if axis > 1 else v for v in values]
    if axis == 1:
        rts = [v if isinstance(v, RaggedTensor) else ragged_factory.from_tensor(
            convert_to_tensor(v)) for v in values]
        singles = [RaggedTensor.from_row_lengths(rt, array_ops.ones_like(
            rt.row_lengths()), validate=False) for rt in rts]
        return _concat_within_rows(singles)
    return _concat(expanded, axis)


register(manip_ops.concat, RaggedTensor, _concat)
register(manip_ops.stack, RaggedTensor, _stack)


# -- gather, where, boolean_mask -------------------------------------------------------------

def _gather(params, indices, validate_indices=None, axis=None, batch_dims=0, name=None):
    if axis not in (None, 0) or batch_dims:
        raise NotImplementedError("gather on ragged tensors supports axis=0 and batch_dims=0")
    if isinstance(indices, RaggedTensor):
        picked = _gather(params, indices.flat_values)
        return indices.with_flat_values(picked)
    if not isinstance(params, RaggedTensor):
        return gather_ops.gather(params, indices)
    indices = convert_to_tensor(indices)
    if indices.shape.rank == 0:
        return params[indices]
    if indices.shape.rank == 1:
        return gather_rows(params, indices)
    flat = gather_rows(params, array_ops.reshape(indices, [-1]))
    return _uniform_outer(flat, indices)


def _uniform_outer(rt, indices):
    """Wrap rows for each leading dimension of a multi-dimensional index."""
    dims = array_ops.shape(indices, out_type=rt.row_splits.dtype)
    for d in range(indices.shape.rank - 1, 0, -1):
        width = dims[d]
        n = array_ops.shape(rt.row_splits, out_type=rt.row_splits.dtype)[0] - 1
        splits = range_(n // width + 1, dtype=rt.row_splits.dtype) * width
        rt = RaggedTensor(rt, splits, internal=True)
    return rt


def _where(condition, x=None, y=None, name=None):
    if x is None and y is None:
        return _coordinates(condition)
    args = [condition, x, y]
    first = next(a for a in args if isinstance(a, RaggedTensor))
    flats = []
    for a in args:
        if isinstance(a, RaggedTensor):
            _check_same_partition(first, a, "where")
            flats.append(a.flat_values)
        else:
            flats.append(_dense_operand(first, a) if a is not condition else
                         _broadcast_to_flat(first, convert_to_tensor(a))
                         if convert_to_tensor(a).shape.rank and
                         convert_to_tensor(a).shape.rank >= first.shape.rank else a)
    return first.with_flat_values(index_ops.where(*flats))


def _coordinates(rt):
    """where(ragged condition): the [row, col, ...] of each True value, as TF (int64)."""
    positions = _value_positions(rt)
    coords = index_ops.where(rt.flat_values)
    first = coords[:, 0]
    outer = [math_ops.cast(gather_ops.gather(p, first), dtypes.int64) for p in positions]
    return manip_ops.concat([array_ops.stack(outer, axis=1), coords[:, 1:]], axis=1)


def value_positions_of(rt):
    return _value_positions(rt)


def _value_positions(rt):
    """[row, col_1, ..., col_k] of each flat value, built from ops (works while tracing)."""
    splits = rt.row_splits
    rows = rt.value_rowids()
    nvals = array_ops.shape(rt.values, out_type=splits.dtype)[0] \
        if not isinstance(rt.values, RaggedTensor) else rt.values.nrows()
    cols = range_(nvals, dtype=splits.dtype) - gather_ops.gather(splits, rows)
    if not isinstance(rt.values, RaggedTensor):
        return [rows, cols]
    inner = _value_positions(rt.values)
    return [gather_ops.gather(rows, inner[0]), gather_ops.gather(cols, inner[0])] + inner[1:]


def _boolean_mask(tensor, mask, axis=None, name=None):
    return ragged_factory.boolean_mask(tensor, mask)


register(gather_ops.gather, RaggedTensor, _gather)
register(index_ops.where, RaggedTensor, _where)
register(index_ops.boolean_mask, RaggedTensor, _boolean_mask)


# -- shape, size, rank -----------------------------------------------------------------------

def _shape(input, out_type=dtypes.int32, name=None):
    return DynamicRaggedShape.from_tensor(input, dtype=out_type)


def _size(input, out_type=dtypes.int32, name=None):
    return array_ops.size(input.flat_values, out_type=out_type)


def _rank(input, name=None):
    return convert_to_tensor(input.shape.rank, dtypes.int32)


register(array_ops.shape, RaggedTensor, _shape)
register(array_ops.size, RaggedTensor, _size)
register(array_ops.rank, RaggedTensor, _rank)


# -- tile, reverse, map_fn ---------------------------------------------------------------------

def _tile(input, multiples, name=None):
    """Rows repeated multiples[0] times; each row's values repeated multiples[1] times
    (ragged_rank 1; uniform inner dimensions tiled as dense)."""
    rt = input
    if rt.ragged_rank != 1:
        raise NotImplementedError("tile of a ragged tensor with ragged_rank %d"
                                  % rt.ragged_rank)
    multiples = [int(m) for m in multiples]
    splits = rt.row_splits
    dtype = splits.dtype
    lengths = rt.row_lengths()
    values = rt.values
    if len(multiples) > 2:
        values = manip_ops.tile(values, [1] + multiples[2:])
    if multiples[1] != 1:
        new_lengths = lengths * multiples[1]
        new_splits, offsets = ragged_ops.ragged_range(array_ops.zeros_like(lengths),
                                                      new_lengths, array_ops.ones_like(
                                                          lengths), dtype)
        rows = ragged_ops.row_ids(new_splits)
        positions = gather_ops.gather(splits[:-1], rows) + math_ops.floormod(
            offsets, math_ops.maximum(gather_ops.gather(lengths, rows),
                                      array_ops.ones_like(offsets)))
        rt = RaggedTensor(gather_ops.gather(values, positions), new_splits, internal=True)
    else:
        rt = rt.with_values(values)
    if multiples[0] != 1:
        rt = concat_rows([rt] * multiples[0])
    return rt


def _reverse(tensor, axis, name=None):
    """Reverse rows (axis 0) or the values within each row (axis 1, ragged_rank 1)."""
    rt = tensor
    axes = [axis] if isinstance(axis, int) else list(axis)
    rank = rt.shape.rank
    for a in sorted(a + rank if a < 0 else a for a in axes):
        if a == 0:
            n = rt.nrows(out_type=rt.row_splits.dtype)
            rt = gather_rows(rt, range_(n - 1, -1, -1, dtype=rt.row_splits.dtype))
        elif a == 1 and rt.ragged_rank == 1:
            splits = rt.row_splits
            rows = rt.value_rowids()
            nvals = array_ops.shape(rows, out_type=splits.dtype)[0]
            cols = range_(nvals, dtype=splits.dtype) - gather_ops.gather(splits, rows)
            mirrored = gather_ops.gather(splits[1:], rows) - 1 - cols
            rt = rt.with_values(gather_ops.gather(rt.values, mirrored))
        elif a > rt.ragged_rank:
            rt = rt.with_flat_values(manip_ops.reverse(rt.flat_values, [a - rt.ragged_rank]))
        else:
            raise NotImplementedError("reverse of axis %d of a ragged tensor with ragged_rank "
                                      "%d" % (a, rt.ragged_rank))
    return rt


def _map_fn(fn, elems, dtype=None, parallel_iterations=None, back_prop=True,
            swap_memory=False, infer_shape=True, name=None, fn_output_signature=None):
    """map_fn over the rows of a ragged tensor: a ragged result (rows of any length), or a
    dense one when the output signature is a dtype or TensorSpec."""
    from ..control_flow.while_ops import while_loop
    from ..core.tensor_shape import TensorSpec
    from ..ops.tensor_array_ops import TensorArray
    from .ragged_tensor import RaggedTensorSpec
    if not isinstance(elems, RaggedTensor):
        raise NotImplementedError("map_fn over a nest holding ragged tensors: pass one "
                                  "RaggedTensor as elems")
    signature = fn_output_signature if fn_output_signature is not None else dtype
    n = elems.nrows(out_type=dtypes.int32)
    if signature is not None and not isinstance(signature, RaggedTensorSpec):
        out_dtype = signature.dtype if isinstance(signature, TensorSpec) else \
            dtypes.as_dtype(signature)
        results = TensorArray(out_dtype, size=n)
        _, results = while_loop(lambda i, ta: i < n,
                                lambda i, ta: (i + 1, ta.write(i, fn(elems[i]))),
                                [0, results])
        return results.stack()
    out_dtype = signature.dtype if isinstance(signature, RaggedTensorSpec) else elems.dtype
    values = TensorArray(out_dtype, size=n, infer_shape=False)
    lengths = TensorArray(elems.row_splits.dtype, size=n)

    def body(i, values, lengths):
        row = convert_to_tensor(fn(elems[i]))
        return (i + 1, values.write(i, row),
                lengths.write(i, array_ops.shape(row, out_type=elems.row_splits.dtype)[0]))
    _, values, lengths = while_loop(lambda i, *arrays: i < n, body, [0, values, lengths])
    return RaggedTensor.from_row_lengths(values.concat(), lengths.stack(), validate=False)


register(manip_ops.tile, RaggedTensor, _tile)
register(manip_ops.reverse, RaggedTensor, _reverse)
register(map_ops.map_fn, RaggedTensor, _map_fn)
