"""Building ragged tensors: `tf.ragged.constant`, `range`, `stack`, `boolean_mask`,
`map_flat_values`, and `RaggedTensor.from_tensor`.

>>> import autotrace as tf
>>> tf.ragged.constant([[1, 2], [3]])
<tf.RaggedTensor [[1, 2], [3]]>
>>> tf.ragged.range([3, 1])
<tf.RaggedTensor [[0, 1, 2], [0]]>
"""
import numpy as np

from ..core import dtypes, nest
from ..ops import array_ops, math_ops
from ..ops.constant_op import constant, convert_to_tensor
from ..ops.creation_ops import range as range_
from ..ops.index_ops import boolean_mask as dense_boolean_mask
from ..ops.manip_ops import concat
from ..core.tensor import Tensor
from . import ragged_ops
from .ragged_tensor import RaggedTensor

__all__ = ["constant", "ragged_constant", "from_tensor", "ragged_range", "stack",
           "boolean_mask", "map_flat_values", "row_splits_to_segment_ids",
           "segment_ids_to_row_splits", "convert_to_ragged"]


# -- constant ----------------------------------------------------------------------------------

def _depth(value):
    """The nesting depth of lists in `value` (scalars are 0; an empty list says nothing about
    the depth below it: None); ValueError if scalars sit at different depths."""
    if isinstance(value, (list, tuple)):
        depths = {_depth(v) for v in value} - {None}
        if len(depths) > 1:
            raise ValueError("all scalar values must have the same nesting depth")
        return 1 + depths.pop() if depths else None
    if isinstance(value, np.ndarray):
        return value.ndim
    return 0


def _empty_depth(value):
    if isinstance(value, (list, tuple)) and value:
        return 1 + max(_empty_depth(v) for v in value)
    return 1 if isinstance(value, (list, tuple)) else 0


def ragged_constant(pylist, dtype=None, ragged_rank=None, inner_shape=None, name=None,
                    row_splits_dtype=dtypes.int64):
    """A RaggedTensor from nested Python lists whose rows may differ in length.

    `ragged_rank` (default: depth - 1 - len(inner_shape)) is the number of ragged dimensions;
    the dimensions below it are uniform (their shape is `inner_shape`, or inferred).

    >>> ragged_constant([[[1, 2]], [[3, 4], [5, 6]]], ragged_rank=1).shape
    TensorShape([2, None, 2])
    """
    depth = _depth(pylist)
    if depth is None:  # only empty lists: as deep as they are nested
        depth = _empty_depth(pylist)
    inner_rank = 0 if inner_shape is None else len(inner_shape)
    if ragged_rank is None:
        ragged_rank = max(0, depth - 1 - inner_rank)
    if ragged_rank == 0 or depth == 0:
        return constant(pylist, dtype=dtype)
    if depth and ragged_rank >= depth:
        raise ValueError("ragged_rank=%d must be less than the nesting depth %d of pylist"
                         % (ragged_rank, depth))
    nested_lengths = []
    level = [pylist]
    for _ in range(ragged_rank + 1):
        if _ == 0:
            items = list(pylist)
            nested_lengths.append([len(items)])
        else:
            lengths = [len(row) for row in level]
            nested_lengths.append(lengths)
            items = [x for row in level for x in row]
        level = items
    values = _flat_values(level, dtype, inner_shape, depth - ragged_rank - 1)
    splits_dtype = dtypes.as_dtype(row_splits_dtype)
    result = values
    for lengths in reversed(nested_lengths[1:]):
        splits = np.zeros(len(lengths) + 1, splits_dtype.np)
        np.cumsum(lengths, out=splits[1:])
        result = RaggedTensor(result, constant(splits, splits_dtype), internal=True)
    return result


constant_ = ragged_constant


def _flat_values(items, dtype, inner_shape, inner_rank):
    if not items:
        dims = [0] + (list(inner_shape) if inner_shape is not None else [])
        return constant(np.zeros(dims, (dtypes.as_dtype(dtype or dtypes.float32)).np))
    values = constant(items, dtype=dtype)
    if inner_shape is not None and tuple(values.shape[1:]) != tuple(inner_shape):
        values = array_ops.reshape(values, [-1] + list(inner_shape))
    return values


# -- from_tensor -------------------------------------------------------------------------------

def from_tensor(tensor, lengths=None, padding=None, ragged_rank=1,
                row_splits_dtype=dtypes.int64):
    tensor = convert_to_tensor(tensor)
    if lengths is not None and padding is not None:
        raise ValueError("Specify lengths or padding, but not both")
    rank = tensor.shape.rank
    if rank is not None and not 0 < ragged_rank < rank:
        raise ValueError("ragged_rank must be greater than 0 and less than the rank of the "
                         "tensor (%d), got %d" % (rank, ragged_rank))
    splits_dtype = dtypes.as_dtype(row_splits_dtype)
    if ragged_rank > 1:  # uniform outer partitions around a ragged innermost one
        dims = array_ops.shape(tensor, out_type=splits_dtype)
        merged = array_ops.reshape(tensor, array_ops.concat(
            [array_ops.reshape(dims[0] * dims[1], [1]), dims[2:]], axis=0))
        if lengths is not None:
            lengths = array_ops.reshape(lengths, [-1])
        inner = from_tensor(merged, lengths, padding, ragged_rank - 1, splits_dtype)
        return _uniform_rows(inner, dims[0], dims[1])
    dims = array_ops.shape(tensor, out_type=splits_dtype)
    nrows, width = dims[0], dims[1]
    if lengths is None and padding is None:
        values = array_ops.reshape(tensor, array_ops.concat(
            [array_ops.reshape(nrows * width, [1]), dims[2:]], axis=0))
        return _uniform_rows(values, nrows, width)
    if padding is not None:
        lengths = _lengths_before_padding(tensor, padding, width, splits_dtype)
    else:
        lengths = math_ops.minimum(math_ops.cast(convert_to_tensor(lengths), splits_dtype),
                                   width)
    columns = range_(width, dtype=splits_dtype)
    mask = math_ops.less(array_ops.expand_dims(columns, 0), array_ops.expand_dims(lengths, 1))
    values = dense_boolean_mask(tensor, mask)
    return RaggedTensor.from_row_lengths(values, lengths, validate=False)


def _uniform_rows(values, nrows, width):
    splits = range_(nrows + 1, dtype=nrows.dtype) * width
    return RaggedTensor(values, splits, internal=True)


def _lengths_before_padding(tensor, padding, width, dtype):
    """Per row: the position after its last value that is not `padding`."""
    padding = convert_to_tensor(padding, tensor.dtype)
    differs = math_ops.not_equal(tensor, padding)
    rank = tensor.shape.rank
    if rank is not None and rank > 2:
        differs = math_ops.reduce_any(differs, axis=list(range(2, rank)))
    positions = range_(width, dtype=dtype) + 1
    marked = math_ops.cast(differs, dtype) * array_ops.expand_dims(positions, 0)
    return math_ops.reduce_max(concat([array_ops.zeros_like(marked[:, :1]), marked], axis=1),
                               axis=1)


# -- range, stack, boolean_mask ----------------------------------------------------------------

def ragged_range(starts, limits=None, deltas=1, dtype=None, name=None,
                 row_splits_dtype=dtypes.int64):
    """Row i is range(starts[i], limits[i], deltas[i]) (one argument: range(0, starts[i])).

    >>> ragged_range([3, 5], [5, 8], 2)
    <tf.RaggedTensor [[3], [5, 7]]>
    """
    if limits is None:
        starts, limits = 0, starts
    values = [starts, limits, deltas]
    known = next((v.dtype for v in values if isinstance(v, Tensor)), None)
    target = dtypes.as_dtype(dtype) if dtype is not None else known
    tensors = [convert_to_tensor(v, target) if not isinstance(v, Tensor) else v
               for v in values]
    if target is None:
        kinds = [t.dtype for t in tensors]
        target = dtypes.float32 if any(d.is_floating for d in kinds) else kinds[0]
        tensors = [math_ops.cast(t, target) for t in tensors]
    splits, flat = ragged_ops.ragged_range(*tensors, splits_dtype=dtypes.as_dtype(
        row_splits_dtype))
    return RaggedTensor(flat, splits, internal=True)


def convert_to_ragged(value, ragged_rank=1, row_splits_dtype=dtypes.int64):
    """A RaggedTensor as is; a dense tensor (or list) as a RaggedTensor with uniform rows."""
    if isinstance(value, RaggedTensor):
        return value
    return from_tensor(convert_to_tensor(value), ragged_rank=ragged_rank,
                       row_splits_dtype=row_splits_dtype)


def stack(values, axis=0, name=None):
    """Stack ragged (or dense) tensors along a new outer dimension (axis=0).

    >>> stack([ragged_constant([[1, 2], [3]]), ragged_constant([[4]])])
    <tf.RaggedTensor [[[1, 2], [3]], [[4]]]>
    """
    if axis != 0:
        raise NotImplementedError("tf.ragged.stack supports axis=0")
    values = list(values)
    ranks = [v.ragged_rank if isinstance(v, RaggedTensor) else 0 for v in values]
    target = max(1, max(ranks))
    rts = [_with_ragged_rank(v, target) for v in values]
    from .ragged_dispatch import concat_rows
    joined = concat_rows(rts)
    counts = array_ops.stack([rt.nrows(out_type=joined.row_splits.dtype) for rt in rts])
    return RaggedTensor.from_row_lengths(joined, counts, validate=False)


def _with_ragged_rank(value, ragged_rank):
    if isinstance(value, RaggedTensor):
        if value.ragged_rank != ragged_rank:
            raise ValueError("tf.ragged.stack: inputs of ragged_rank %d and %d cannot be "
                             "stacked" % (value.ragged_rank, ragged_rank))
        return value
    return from_tensor(convert_to_tensor(value), ragged_rank=ragged_rank)


def boolean_mask(data, mask, name=None):
    """The values of `data` where `mask` is True, keeping rows: a ragged result.

    >>> boolean_mask([[1, 2, 3], [4, 5, 6]], [[True, False, True], [False, False, True]])
    <tf.RaggedTensor [[1, 3], [6]]>
    """
    if isinstance(mask, RaggedTensor):
        if not isinstance(data, RaggedTensor):
            data = mask.with_flat_values(convert_to_tensor(data))
        return _mask_levels(mask, dense_boolean_mask(data.flat_values, mask.flat_values))
    mask = convert_to_tensor(mask)
    if isinstance(data, RaggedTensor):
        if mask.shape.rank == 1:
            from .ragged_getitem import gather_rows
            from ..ops.index_ops import where
            rows = array_ops.reshape(where(mask), [-1])
            return gather_rows(data, rows)
        raise ValueError("tf.ragged.boolean_mask: a dense mask for a ragged tensor must be a "
                         "vector (one flag per row)")
    data = convert_to_tensor(data)
    if mask.shape.rank == 1:
        return dense_boolean_mask(data, mask)
    ragged_mask = from_tensor(mask, ragged_rank=mask.shape.rank - 1)
    ragged_data = from_tensor(data, ragged_rank=mask.shape.rank - 1)
    return boolean_mask(ragged_data, ragged_mask)


def _mask_levels(mask, kept):
    """The kept values, grouped as the mask's rows: the innermost rows keep their True
    values, the outer levels keep all their rows."""
    from ..ops.gather_ops import unsorted_segment_sum
    levels = []
    rt = mask
    while isinstance(rt, RaggedTensor):
        levels.append(rt)
        rt = rt.values
    inner = levels[-1]
    flags = math_ops.cast(mask.flat_values, inner.row_splits.dtype)
    counts = unsorted_segment_sum(flags, inner.value_rowids(),
                                  inner.nrows(out_type=inner.row_splits.dtype))
    result = RaggedTensor.from_row_lengths(kept, counts, validate=False)
    for level in reversed(levels[:-1]):
        result = RaggedTensor(result, level.row_splits, internal=True)
    return result


def map_flat_values(op, *args, **kwargs):
    """`op` applied to the flat values of the ragged arguments (which must share their row
    partitions); the result has their partition.

    >>> map_flat_values(lambda v: v * 10, ragged_constant([[1, 2], [3]]))
    <tf.RaggedTensor [[10, 20], [30]]>
    """
    partition = [None]

    def flat(value):
        if isinstance(value, RaggedTensor):
            if partition[0] is None:
                partition[0] = value
            else:
                _check_same_splits(partition[0], value, "map_flat_values")
            return value.flat_values
        return value
    new_args = nest.map_structure(flat, list(args))
    new_kwargs = nest.map_structure(flat, dict(kwargs))
    if partition[0] is None:
        return op(*args, **kwargs)
    return partition[0].with_flat_values(op(*new_args, **new_kwargs))


def _check_same_splits(a, b, what):
    if a.ragged_rank != b.ragged_rank:
        raise ValueError("%s: ragged tensors of ragged_rank %d and %d cannot be combined"
                         % (what, a.ragged_rank, b.ragged_rank))
    for x, y in zip(a.nested_row_splits, b.nested_row_splits):
        if x is not y:
            ragged_ops.check_same_partition(x, y, what)


def row_splits_to_segment_ids(splits, name=None, out_type=None):
    """[0, 2, 3] -> [0, 0, 1]: the row of each value."""
    from .ragged_tensor import rowids_from_splits
    splits = convert_to_tensor(splits, dtypes.int64) if not isinstance(splits, Tensor) \
        else splits
    ids = rowids_from_splits(splits)
    return ids if out_type is None else math_ops.cast(ids, out_type)


def segment_ids_to_row_splits(segment_ids, num_segments=None, out_type=None, name=None):
    """[0, 0, 1] -> [0, 2, 3]: row splits from the (sorted) row of each value."""
    rt = RaggedTensor.from_value_rowids(array_ops.zeros_like(segment_ids), segment_ids,
                                        num_segments)
    splits = rt.row_splits
    return splits if out_type is None else math_ops.cast(splits, out_type)
