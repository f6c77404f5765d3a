"""IndexedSlices: a tensor given by some of its rows (TF's tf.IndexedSlices).

The gradient of `gather` (and so of embedding lookups) with respect to its params is one: the
rows that were read, with the gradient of each read, so its memory is proportional to the rows
touched, not to the params. `convert_to_tensor` densifies it (rows at the same index are
summed); the optimizers apply it sparsely where their update rule allows (SGD, momentum,
Adagrad) through `Variable.scatter_add`/`scatter_sub`; gradient aggregation concatenates
several IndexedSlices.

>>> import autotrace as tf
>>> params = tf.Variable([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
>>> with tf.GradientTape() as tape:
...     loss = tf.reduce_sum(tf.gather(params, [2, 0, 2]))
>>> grad = tape.gradient(loss, params)
>>> grad.indices.numpy(), tf.convert_to_tensor(grad).numpy()[2]
(array([2, 0, 2], dtype=int32), array([2., 2.], dtype=float32))
"""
from ..core import dtypes
from ..core.tensor import EagerTensor, Tensor
from ..core.tensor_shape import TensorShape, TensorSpec
from ..core.type_spec import CompositeTensor, TypeSpec
from .constant_op import constant_value, convert_to_tensor

__all__ = ["IndexedSlices", "IndexedSlicesSpec", "densify", "aggregate_indexed_slices",
           "deduplicate"]


class IndexedSlices(CompositeTensor):
    """Rows `values[i]` at row `indices[i]` of a tensor of shape `dense_shape`; rows not listed
    are zero, rows listed twice add up."""

    __slots__ = ("_values", "_indices", "_dense_shape", "__weakref__")

    def __init__(self, values, indices, dense_shape=None):
        self._values = values if isinstance(values, Tensor) else convert_to_tensor(values)
        self._indices = indices if isinstance(indices, Tensor) else convert_to_tensor(indices)
        if dense_shape is not None and not isinstance(dense_shape, Tensor):
            dense_shape = convert_to_tensor(dense_shape, self._indices.dtype)
        self._dense_shape = dense_shape

    values = property(lambda self: self._values)
    indices = property(lambda self: self._indices)
    dense_shape = property(lambda self: self._dense_shape)

    @property
    def dtype(self):
        return self._values.dtype

    @property
    def shape(self):
        if self._dense_shape is not None:
            known = constant_value(self._dense_shape)
            if known is not None:
                return TensorShape([int(d) for d in known])
        return TensorShape([None]).concatenate(self._values.shape[1:]) \
            if self._values.shape.rank is not None else TensorShape(None)

    @property
    def device(self):
        return self._values.device

    @property
    def _type_spec(self):
        return IndexedSlicesSpec(self.shape, self.dtype, self._indices.dtype,
                                 None if self._dense_shape is None else
                                 self._dense_shape.dtype)

    def _as_tensor(self, dtype=None):
        """convert_to_tensor: the dense tensor (rows at one index summed)."""
        if dtype is not None and dtypes.as_dtype(dtype) is not self.dtype:
            raise ValueError("Tensor conversion requested dtype %s for IndexedSlices of dtype "
                             "%s" % (dtypes.as_dtype(dtype).name, self.dtype.name))
        return densify(self)

    def _gradient_components(self):
        return [self._values]

    def _with_gradient_components(self, grads):
        return None if grads[0] is None else IndexedSlices(grads[0], self._indices,
                                                           self._dense_shape)

    def __neg__(self):
        from .math_ops import negative
        return IndexedSlices(negative(self._values), self._indices, self._dense_shape)

    def __repr__(self):
        return "IndexedSlices(indices=%s, values=%s, dense_shape=%s)" % (
            self._indices, self._values, self._dense_shape)

    __str__ = __repr__


def densify(slices):
    """The dense tensor an IndexedSlices stands for."""
    from .gather_ops import unsorted_segment_sum
    if slices.dense_shape is not None:
        rows = slices.dense_shape[0]
    elif isinstance(slices.indices, EagerTensor) and slices.indices.shape[0] == 0:
        rows = 0
    else:
        raise ValueError("Cannot densify IndexedSlices without a dense_shape")
    return unsorted_segment_sum(slices.values, slices.indices, rows)


def aggregate_indexed_slices(grads):
    """The sum of gradients some of which are IndexedSlices: IndexedSlices (concatenated)
    when all are, else a dense tensor."""
    from .manip_ops import concat
    from .math_ops import add_n, cast
    if all(isinstance(g, IndexedSlices) for g in grads):
        dtype = grads[0].indices.dtype
        indices = concat([cast(g.indices, dtype) for g in grads], axis=0)
        values = concat([g.values for g in grads], axis=0)
        shape = next((g.dense_shape for g in grads if g.dense_shape is not None), None)
        return IndexedSlices(values, indices, shape)
    return add_n([convert_to_tensor(g) for g in grads])


def deduplicate(slices):
    """The same IndexedSlices with each index once (the rows at one index summed), indices
    ascending."""
    from .array_ops import size
    from .creation_ops import ones
    from .gather_ops import gather, unsorted_segment_sum
    from .index_ops import boolean_mask
    from .manip_ops import concat
    from .math_ops import cast, not_equal, reduce_sum
    from .sort_ops import argsort, cumsum
    order = argsort(slices.indices, stable=True)
    ordered = gather(slices.indices, order)
    first = concat([ones([1], dtypes.bool), not_equal(ordered[1:], ordered[:-1])], axis=0)
    first = first[:size(ordered)]  # no rows: no groups
    segments = cumsum(cast(first, dtypes.int32)) - 1
    count = reduce_sum(cast(first, dtypes.int32))
    values = unsorted_segment_sum(gather(slices.values, order), segments, count)
    return IndexedSlices(values, boolean_mask(ordered, first), slices.dense_shape)


class IndexedSlicesSpec(TypeSpec):
    """The type of IndexedSlices: dense shape, dtype, and the dtypes of indices and
    dense_shape (None when it has no dense_shape)."""

    __slots__ = ("_shape", "_dtype", "_indices_dtype", "_dense_shape_dtype")

    def __init__(self, shape=None, dtype=dtypes.float32, indices_dtype=dtypes.int64,
                 dense_shape_dtype=None):
        self._shape = TensorShape(shape)
        self._dtype = dtypes.as_dtype(dtype)
        self._indices_dtype = dtypes.as_dtype(indices_dtype)
        self._dense_shape_dtype = None if dense_shape_dtype is None else \
            dtypes.as_dtype(dense_shape_dtype)

    value_type = property(lambda self: IndexedSlices)
    shape = property(lambda self: self._shape)
    dtype = property(lambda self: self._dtype)

    def _serialize(self):
        return (self._shape, self._dtype, self._indices_dtype, self._dense_shape_dtype)

    @property
    def _component_specs(self):
        rank = self._shape.rank
        inner = self._shape[1:] if rank is not None else TensorShape(None)
        specs = [TensorSpec(TensorShape([None]).concatenate(inner), self._dtype),
                 TensorSpec([None], self._indices_dtype)]
        if self._dense_shape_dtype is not None:
            specs.append(TensorSpec([rank], self._dense_shape_dtype))
        return specs

    def _to_components(self, value):
        parts = [value.values, value.indices]
        if self._dense_shape_dtype is not None:
            parts.append(value.dense_shape)
        return parts

    def _from_components(self, components):
        return IndexedSlices(*components)

    def __repr__(self):
        return "IndexedSlicesSpec(%r, %r, %r, %r)" % (self._shape, self._dtype,
                                                     self._indices_dtype,
                                                     self._dense_shape_dtype)
