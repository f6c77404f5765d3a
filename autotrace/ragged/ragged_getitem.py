"""Indexing a RaggedTensor: `rt[i]`, `rt[a:b]`, `rt[:, a:b]`, `rt[i, j]`, `rt[..., k]`.

The first index selects rows (an int gives one row: a tensor, or a RaggedTensor when more
ragged dimensions follow); a slice of a ragged dimension slices every row; an int index into a
ragged dimension is an error, as in TensorFlow (rows may be too short). Indices into the
uniform inner dimensions apply to the flat values.

>>> import autotrace as tf
>>> rt = tf.ragged.constant([[1, 2, 3], [4], [5, 6]])
>>> rt[2].numpy(), rt[1:], rt[:, 1:]
(array([5, 6], dtype=int32), <tf.RaggedTensor [[4], [5, 6]]>, <tf.RaggedTensor [[2, 3], [], [6]]>)
"""
from ..core import dtypes
from ..ops import array_ops, math_ops
from ..ops.constant_op import convert_to_tensor
from ..ops.creation_ops import range as range_
from ..ops.gather_ops import gather
from ..ops.index_ops import where
from ..core.tensor import Tensor
from . import ragged_ops
from .ragged_tensor import RaggedTensor

__all__ = ["ragged_getitem", "gather_rows"]


def ragged_getitem(rt, key):
    if not isinstance(key, tuple):
        key = (key,)
    if any(k is Ellipsis for k in key):
        key = _expand_ellipsis(rt, key)
    if not key:
        return rt
    first, rest = key[0], key[1:]
    if _is_int(first):
        row = _row(rt, first)
        return row[rest] if rest else row
    if isinstance(first, slice):
        rows = _slice_rows(rt, first)
        return _index_inner(rows, rest) if rest else rows
    raise TypeError("RaggedTensor indices must be ints, slices or Ellipsis, got %r" % (first,))


def _expand_ellipsis(rt, key):
    i = key.index(Ellipsis)
    rank = rt.shape.rank
    if rank is None:
        raise ValueError("Ellipsis in a RaggedTensor index needs a known rank")
    fill = rank - (len(key) - 1)
    return key[:i] + (slice(None),) * fill + key[i + 1:]


def _is_int(k):
    return isinstance(k, int) or (isinstance(k, Tensor) and k.shape.rank == 0 and
                                  k.dtype.is_integer)


def _row(rt, index):
    """Row `index` (negative counts from the end)."""
    splits = rt.row_splits
    i = _as_index(index, splits.dtype)
    if isinstance(index, int) and rt.shape[0] is not None and not \
            -rt.shape[0] <= index < rt.shape[0]:
        from ..core.errors import InvalidArgumentError
        raise InvalidArgumentError("RaggedTensor index %d is out of range for %d rows"
                                   % (index, rt.shape[0]))
    if isinstance(index, int) and index < 0:
        i = rt.nrows() + i
    start, limit = splits[i], splits[i + 1]
    return rt.values[start:limit]


def _as_index(index, dtype):
    if isinstance(index, Tensor):
        return math_ops.cast(index, dtype)
    return convert_to_tensor(index, dtype)


def _slice_rows(rt, s):
    if s == slice(None):
        return rt
    start = 0 if s.start is None else s.start
    n = rt.shape[0]
    simple = s.step in (None, 1) and isinstance(start, int) and 0 <= start and (
        s.stop is None or isinstance(s.stop, int) and s.stop >= 0) and n is not None and \
        start <= n
    if not simple:  # negative, tensor or stepped bounds: pick the rows by index
        rows = range_(rt.nrows(out_type=dtypes.int64), dtype=dtypes.int64)[s]
        return gather_rows(rt, rows)
    stop = n if s.stop is None else max(min(s.stop, n), start)
    splits = rt.row_splits[start:stop + 1]
    first, last = splits[0], splits[-1]
    return RaggedTensor(rt.values[first:last], splits - first, internal=True)


def gather_rows(rt, indices):
    """The rows of `rt` at `indices` (a vector), as a RaggedTensor."""
    splits = rt.row_splits
    indices = math_ops.cast(indices, splits.dtype)
    starts = gather(splits[:-1], indices)
    limits = gather(splits[1:], indices)
    new_splits, positions = ragged_ops.ragged_range(starts, limits, array_ops.ones_like(starts),
                                                    splits.dtype)
    values = rt.values
    if isinstance(values, RaggedTensor):
        picked = gather_rows(values, positions)
    else:
        picked = gather(values, positions)
    return RaggedTensor(picked, new_splits, internal=True)


def _index_inner(rt, key):
    """Indices after the first: the next one applies to the ragged dimension of every row."""
    first, rest = key[0], key[1:]
    if _is_int(first):
        raise ValueError("Cannot index into an inner ragged dimension.")
    if not isinstance(first, slice):
        raise TypeError("RaggedTensor indices must be ints, slices or Ellipsis, got %r"
                        % (first,))
    sliced = rt if first == slice(None) else _slice_each_row(rt, first)
    if not rest:
        return sliced
    values = sliced.values
    if isinstance(values, RaggedTensor):
        return sliced.with_values(_index_inner(values, rest))
    return sliced.with_values(values[(slice(None),) + tuple(rest)])


def _slice_each_row(rt, s):
    """row[s] for every row (steps of 1 only)."""
    if s.step not in (None, 1):
        raise ValueError("Slicing a ragged dimension with a step is not supported")
    splits = rt.row_splits
    starts, limits = splits[:-1], splits[1:]
    lengths = limits - starts
    new_starts = starts + _clip_bound(s.start, lengths, 0)
    new_limits = starts + _clip_bound(s.stop, lengths, None)
    new_limits = math_ops.maximum(new_limits, new_starts)
    new_splits, positions = ragged_ops.ragged_range(new_starts, new_limits,
                                                    array_ops.ones_like(starts), splits.dtype)
    values = rt.values
    picked = gather_rows(values, positions) if isinstance(values, RaggedTensor) else \
        gather(values, positions)
    return RaggedTensor(picked, new_splits, internal=True)


def _clip_bound(bound, lengths, default):
    """A slice bound as an offset into each row, clipped to [0, length]."""
    if bound is None:
        return array_ops.zeros_like(lengths) if default == 0 else lengths
    if isinstance(bound, int):
        offset = array_ops.zeros_like(lengths) + bound if bound >= 0 else lengths + bound
    else:
        b = math_ops.cast(bound, lengths.dtype)
        offset = where(b < 0, lengths + b, array_ops.zeros_like(lengths) + b)
    return math_ops.minimum(math_ops.maximum(offset, 0), lengths)
