"""SparseTensor: a tensor given by the positions and values of its nonzero entries.

`indices` is an int64 [N, rank] tensor (one row per entry, in row-major order for most ops),
`values` an [N] tensor, `dense_shape` an int64 [rank] tensor. Its components (indices, values,
dense_shape) cross a traced function's boundary; its SparseTensorSpec (dtype and static shape)
is the signature key.

>>> import autotrace as tf
>>> st = tf.SparseTensor(indices=[[0, 0], [1, 2]], values=[1.0, 2.0], dense_shape=[3, 4])
>>> tf.sparse.to_dense(st).numpy()
array([[1., 0., 0., 0.],
       [0., 0., 2., 0.],
       [0., 0., 0., 0.]], dtype=float32)
"""
from ..core import dtypes
from ..core.tensor import EagerTensor, Tensor
from ..core.tensor_shape import TensorShape, TensorSpec
from ..core.type_spec import CompositeTensor, TypeSpec
from ..ops import math_ops
from ..ops.constant_op import constant_value, convert_to_tensor

__all__ = ["SparseTensor", "SparseTensorSpec", "is_sparse"]


class SparseTensor(CompositeTensor):
    """A sparse tensor: `indices` (int64 [N, rank]), `values` ([N]), `dense_shape` (int64
    [rank]). Entries not listed are zero."""

    __slots__ = ("_indices", "_values", "_dense_shape", "_shape_hint", "__weakref__")
    _conversion_advice = ("; use autotrace.sparse.to_dense(sp) for a dense tensor, or the "
                          "autotrace.sparse ops")

    def __init__(self, indices, values, dense_shape):
        self._indices = _int64(indices, "indices")
        self._values = values if isinstance(values, Tensor) else convert_to_tensor(values)
        self._dense_shape = _int64(dense_shape, "dense_shape")
        self._shape_hint = None
        self._check_static()

    def _check_static(self):
        i, v, s = self._indices.shape, self._values.shape, self._dense_shape.shape
        if i.rank is not None and i.rank != 2:
            raise ValueError("SparseTensor: indices must be a matrix [N, rank], got shape %s"
                             % i)
        if v.rank is not None and v.rank != 1:
            raise ValueError("SparseTensor: values must be a vector, got shape %s" % v)
        if s.rank is not None and s.rank != 1:
            raise ValueError("SparseTensor: dense_shape must be a vector, got shape %s" % s)
        if i.rank == 2 and v.rank == 1 and i[0] is not None and v[0] is not None \
                and i[0] != v[0]:
            raise ValueError("SparseTensor: indices has %d rows but values has %d entries"
                             % (i[0], v[0]))
        if i.rank == 2 and s.rank == 1 and i[1] is not None and s[0] is not None \
                and i[1] != s[0]:
            raise ValueError("SparseTensor: indices has %d columns but dense_shape has rank %d"
                             % (i[1], s[0]))

    @classmethod
    def from_value(cls, value):
        return value

    # -- parts ---------------------------------------------------------------------------------
    indices = property(lambda self: self._indices)
    values = property(lambda self: self._values)
    dense_shape = property(lambda self: self._dense_shape)

    @property
    def dtype(self):
        return self._values.dtype

    @property
    def shape(self):
        """The static shape: known where dense_shape is known while the graph is built."""
        known = constant_value(self._dense_shape)
        if known is not None:
            return TensorShape([int(d) for d in known])
        if self._shape_hint is not None:  # rebuilt from a spec (e.g. a function argument)
            return self._shape_hint
        rank = self._dense_shape.shape[0] if self._dense_shape.shape.rank == 1 else None
        return TensorShape(None if rank is None else [None] * rank)

    def get_shape(self):
        return self.shape

    @property
    def ndim(self):
        return self.shape.rank

    @property
    def _type_spec(self):
        return SparseTensorSpec(self.shape, self.dtype)

    def with_values(self, new_values):
        """The same positions with new values (same count)."""
        return SparseTensor(self._indices, new_values, self._dense_shape)

    def _is_eager(self):
        return all(isinstance(t, EagerTensor) for t in (self._indices, self._values,
                                                        self._dense_shape))

    # -- gradients: through the values ---------------------------------------------------------
    def _gradient_components(self):
        return [self._values]

    def _with_gradient_components(self, grads):
        grad = grads[0]
        return None if grad is None else self.with_values(convert_to_tensor(grad))

    # -- Python protocols ----------------------------------------------------------------------
    def __repr__(self):
        return "SparseTensor(indices=%s, values=%s, dense_shape=%s)" % (
            self._indices, self._values, self._dense_shape)

    __str__ = __repr__

    def _print_text(self, summarize):
        from .sparse_ops import print_text
        return print_text(self, summarize)

    def __bool__(self):
        raise TypeError("SparseTensor may not be used as a boolean.")

    def __hash__(self):
        raise TypeError("SparseTensor is unhashable.")

    def __mul__(self, other):
        from .sparse_ops import multiply
        return multiply(self, other)

    __rmul__ = __mul__

    def __truediv__(self, other):
        from .sparse_ops import divide
        return divide(self, other)

    def __neg__(self):
        return self.with_values(math_ops.negative(self._values))

    def __abs__(self):
        return self.with_values(math_ops.abs(self._values))


def _int64(value, what):
    if isinstance(value, Tensor):
        if value.dtype is dtypes.int64:
            return value
        if not value.dtype.is_integer:
            raise TypeError("SparseTensor: %s must be integers, got %s" % (what,
                                                                           value.dtype.name))
        return math_ops.cast(value, dtypes.int64)
    return convert_to_tensor(value, dtypes.int64)


def is_sparse(value):
    return isinstance(value, SparseTensor)


class SparseTensorSpec(TypeSpec):
    """The type of a SparseTensor: static shape and dtype (for `input_signature`)."""

    __slots__ = ("_shape", "_dtype")

    def __init__(self, shape=None, dtype=dtypes.float32):
        self._shape = TensorShape(shape)
        self._dtype = dtypes.as_dtype(dtype)

    value_type = property(lambda self: SparseTensor)
    shape = property(lambda self: self._shape)
    dtype = property(lambda self: self._dtype)

    def _serialize(self):
        return (self._shape, self._dtype)

    @property
    def _component_specs(self):
        rank = self._shape.rank
        return [TensorSpec([None, rank], dtypes.int64), TensorSpec([None], self._dtype),
                TensorSpec([rank], dtypes.int64)]

    def _to_components(self, value):
        return [value.indices, value.values, value.dense_shape]

    def _from_components(self, components):
        indices, values, dense_shape = components
        value = object.__new__(SparseTensor)
        value._indices, value._values, value._dense_shape = indices, values, dense_shape
        value._shape_hint = self._shape
        return value

    @classmethod
    def from_value(cls, value):
        return value._type_spec

    def short(self):
        return "SparseTensor(%s%s)" % (self._dtype.name, self._shape.short())

    def __repr__(self):
        return "SparseTensorSpec(%r, %r)" % (self._shape, self._dtype)
