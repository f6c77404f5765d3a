"""DynamicRaggedShape: the shape of a ragged tensor, as `tf.shape(rt)` returns it.

Its lengths are the number of rows, then for each ragged dimension the length of every row,
then the sizes of the uniform inner dimensions.

>>> import autotrace as tf
>>> tf.shape(tf.ragged.constant([[1, 2], [3], [4, 5, 6]]))
<DynamicRaggedShape lengths=[3, (2, 1, 3)] num_row_partitions=1>
"""
from ..core import dtypes
from ..ops import array_ops, math_ops
from ..core.tensor import EagerTensor

__all__ = ["DynamicRaggedShape"]


class DynamicRaggedShape:
    """The shape of a (ragged) tensor: row partitions plus the inner dense shape."""

    def __init__(self, row_partitions, inner_shape, dtype=None):
        self._row_partitions = tuple(row_partitions)   # row_splits of each ragged dim
        self._inner_shape = inner_shape                 # [nvals, uniform dims...]
        self._dtype = dtype or inner_shape.dtype

    @classmethod
    def from_tensor(cls, value, dtype=dtypes.int32):
        from .ragged_tensor import RaggedTensor
        dtype = dtypes.as_dtype(dtype) if dtype is not None else dtypes.int64
        if isinstance(value, RaggedTensor):
            splits = [math_ops.cast(s, dtype) for s in value.nested_row_splits]
            return cls(splits, array_ops.shape(value.flat_values, out_type=dtype), dtype)
        return cls([], array_ops.shape(value, out_type=dtype), dtype)

    @property
    def dtype(self):
        return self._dtype

    @property
    def num_row_partitions(self):
        return len(self._row_partitions)

    @property
    def row_partitions(self):
        """The row_splits of each ragged dimension, outermost first."""
        return self._row_partitions

    @property
    def inner_shape(self):
        return self._inner_shape

    @property
    def rank(self):
        inner = self._inner_shape.shape[0]
        if inner is None:
            return None
        return inner + self.num_row_partitions if self._row_partitions else inner

    def __getitem__(self, index):
        """The size of dimension `index` (a scalar tensor); a ragged dimension has none."""
        rank = self.rank
        if isinstance(index, slice):
            raise NotImplementedError("Slicing a DynamicRaggedShape is not supported")
        if index < 0 and rank is not None:
            index += rank
        if not self._row_partitions:
            return self._inner_shape[index]
        if index == 0:
            return array_ops.shape(self._row_partitions[0], out_type=self._dtype)[0] - 1
        if index <= self.num_row_partitions:
            raise ValueError("Index %d is not uniform" % index)
        return self._inner_shape[index - self.num_row_partitions]

    def static_lengths(self):
        """The lengths as Python values (eager): ints for uniform dims, tuples for ragged."""
        return _lengths(self)

    def __repr__(self):
        if all(isinstance(t, EagerTensor) for t in self._row_partitions + (self._inner_shape,)):
            lengths = _lengths(self)
            text = "[%s]" % ", ".join(str(x) for x in lengths)
        else:
            text = "<symbolic>"
        return "<DynamicRaggedShape lengths=%s num_row_partitions=%d>" % (
            text, self.num_row_partitions)


def _lengths(shape):
    if not shape._row_partitions:
        return [int(d) for d in shape._inner_shape.numpy()]
    first = shape._row_partitions[0].numpy()
    out = [len(first) - 1]
    for splits in shape._row_partitions:
        v = splits.numpy()
        out.append(tuple(int(x) for x in v[1:] - v[:-1]))
    out.extend(int(d) for d in shape._inner_shape.numpy()[1:])
    return out
