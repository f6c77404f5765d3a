"""Index plans: the vectorised path of pipelines over in-memory arrays.

A step whose elements can be fetched by index (`from_tensor_slices`, and `shuffle`, `take`,
`skip`, `repeat`, `shard` and pure `map` steps over such a step) describes one pass as an
IndexPlan: a *source* that gathers rows by index, and the *order* of the indices, produced
as a stream of index arrays. `batch` then gathers each batch with one index array instead of
stacking elements one by one: the same elements in the same order, much faster.
"""
import itertools

import numpy as np

from .components import batch_spec, stack_rows

# Batches of in-memory data are gathered by index when True (tests compare with False: the
# element-by-element path, which must give the same elements).
VECTORISED = True

__all__ = ["VECTORISED", "IndexPlan", "ArraySource", "MappedSource",
           "index_batches", "take_indices", "skip_indices", "repeat_order", "shard_indices"]


class IndexPlan:
    """`source` gathers rows; `order()` is a fresh iterator over index arrays making one
    pass; `length` is the number of indices in a pass (None when infinite or unknown);
    `random`: passes may differ (a shuffle is involved)."""

    __slots__ = ("source", "order", "length", "random")

    def __init__(self, source, order, length, random=False):
        self.source = source
        self.order = order
        self.length = length
        self.random = random

    def rows(self):
        """One pass, element by element (flat tuples)."""
        row = self.source.row
        for chunk in self.order():
            for i in chunk.tolist():
                yield row(i)


class ArraySource:
    """Rows of arrays that share their first dimension (from_tensor_slices)."""

    def __init__(self, arrays):
        self.arrays = arrays
        self.getters = [_row_getter(a) for a in arrays]

    def gather(self, indices, where=None):
        return tuple(a[indices] for a in self.arrays)

    def row(self, i):
        return tuple(get(i) for get in self.getters)


def _row_getter(array):
    if array.dtype.kind == "O" and array.ndim == 1:
        return lambda i: array[i, ...]  # a 0-d string array, not the bare bytes
    return array.__getitem__


class MappedSource:
    """Rows of `source` passed through a traced function (a pure map step). Batches go
    through the function in one call when it is elementwise, else row by row."""

    def __init__(self, source, function):
        self.inner = source
        self.function = function

    def gather(self, indices, where=None):
        """The rows at `indices`, stacked; `where` names the step for errors."""
        rows = self.inner.gather(indices, where)
        if self.function.batchable:
            return self.function.call_batched(rows)
        specs = self.function.flat_output_spec
        return stack_rows([self.function.call_flat(r) for r in zip(*rows)], specs,
                          [batch_spec(s, None) for s in specs], where)

    def row(self, i):
        return self.function.call_flat(self.inner.row(i))


def index_batches(order, size, drop_remainder):
    """Index arrays of `size` indices from a stream of index arrays (the last one shorter
    unless `drop_remainder`)."""
    pending, count = [], 0
    for chunk in order:
        if not count and len(chunk) >= size:  # the common case: slice a big chunk directly
            full = len(chunk) - len(chunk) % size
            for start in range(0, full, size):
                yield chunk[start:start + size]
            chunk = chunk[full:]
            if not len(chunk):
                continue
        pending.append(chunk)
        count += len(chunk)
        while count >= size:
            joined = np.concatenate(pending)
            yield joined[:size]
            rest = joined[size:]
            pending, count = ([rest] if len(rest) else []), len(rest)
    if count and not drop_remainder:
        yield np.concatenate(pending)


def take_indices(order, count):
    """The first `count` indices of a stream."""
    left = count
    for chunk in order:
        if left <= 0:
            return
        if len(chunk) >= left:
            yield chunk[:left]
            return
        left -= len(chunk)
        yield chunk


def skip_indices(order, count):
    left = count
    for chunk in order:
        if left >= len(chunk):
            left -= len(chunk)
            continue
        yield chunk[left:]
        left = 0


def repeat_order(order_fn, count):
    """`count` passes (forever for None), each a fresh `order_fn()`."""
    passes = itertools.count() if count is None else range(count)
    for _ in passes:
        empty = True
        for chunk in order_fn():
            empty = empty and not len(chunk)
            yield chunk
        if empty:
            return  # repeating an empty dataset forever yields nothing


def shard_indices(order, num_shards, index):
    """Every `num_shards`-th index of the stream, starting at position `index`."""
    position = 0
    for chunk in order:
        first = (index - position) % num_shards
        yield chunk[first::num_shards]
        position += len(chunk)
