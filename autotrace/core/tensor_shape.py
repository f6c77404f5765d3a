"""Shapes with unknown parts, and TensorSpec (a shape plus a dtype).

A `TensorShape` is either of unknown rank (`dims is None`) or a tuple of dimensions, each an
int or `None` (unknown).

>>> s = TensorShape([None, 3])
>>> s.rank, s.as_list(), s.is_compatible_with([5, 3]), s.merge_with([5, None])
(2, [None, 3], True, TensorShape([5, 3]))
"""
import numbers
import operator

from . import dtypes

__all__ = ["TensorShape", "TensorSpec", "as_shape", "dimension_value"]


def _as_dim(value):
    if value is None:
        return None
    if hasattr(value, "value") and not isinstance(value, numbers.Integral):  # Dimension-like
        value = value.value
        if value is None:
            return None
    try:
        dim = operator.index(value)  # ints and NumPy ints; not 2.0 (as TensorFlow)
    except TypeError:
        raise TypeError("Dimension value must be an int or None, got %r of type %s"
                        % (value, type(value).__name__)) from None
    if dim < 0:
        raise ValueError("Dimension %d must be >= 0" % dim)
    return dim


def dimension_value(dim):
    """Returns an int or None (accepts plain ints for TF-1 code that calls `.value`)."""
    return dim


class TensorShape:
    """The static shape of a tensor; dimensions may be unknown (None), as may the rank."""

    __slots__ = ("_dims",)

    def __init__(self, dims):
        if dims is None:
            self._dims = None
        elif isinstance(dims, TensorShape):
            self._dims = dims._dims
        elif isinstance(dims, (int, numbers.Integral)) and not isinstance(dims, bool):
            self._dims = (_as_dim(dims),)
        else:
            try:
                self._dims = tuple(_as_dim(d) for d in dims)
            except TypeError as e:
                if "iter" in str(e):
                    raise TypeError("Cannot make a TensorShape from %r" % (dims,)) from None
                raise

    @classmethod
    def _known(cls, dims_tuple):
        """Fast constructor from a tuple of ints (no validation): used for eager tensors."""
        shape = object.__new__(cls)
        shape._dims = dims_tuple
        return shape

    # -- queries ---------------------------------------------------------------------------
    @property
    def rank(self):
        return None if self._dims is None else len(self._dims)

    ndims = rank

    @property
    def dims(self):
        return None if self._dims is None else list(self._dims)

    def as_list(self):
        if self._dims is None:
            raise ValueError("as_list() is not defined on a TensorShape of unknown rank.")
        return list(self._dims)

    def as_tuple(self):
        return self._dims

    def is_fully_defined(self):
        return self._dims is not None and None not in self._dims

    def num_elements(self):
        if not self.is_fully_defined():
            return None
        n = 1
        for d in self._dims:
            n *= d
        return n

    # -- compatibility ---------------------------------------------------------------------
    def is_compatible_with(self, other):
        """True if some fully known shape fits both (None matches anything)."""
        other = as_shape(other)
        if self._dims is None or other._dims is None:
            return True
        if len(self._dims) != len(other._dims):
            return False
        return all(a is None or b is None or a == b for a, b in zip(self._dims, other._dims))

    def assert_is_compatible_with(self, other):
        if not self.is_compatible_with(other):
            raise ValueError("Shapes %s and %s are incompatible" % (self, as_shape(other)))

    def merge_with(self, other):
        """The most specific shape compatible with both; ValueError if there is none."""
        other = as_shape(other)
        if self._dims is None:
            return other
        if other._dims is None:
            return self
        if not self.is_compatible_with(other):
            raise ValueError("Shapes %s and %s are not compatible" % (self, other))
        return TensorShape._known(tuple(a if a is not None else b
                                        for a, b in zip(self._dims, other._dims)))

    def most_specific_compatible_shape(self, other):
        """The most specific shape that both shapes fit (dims that differ become None)."""
        other = as_shape(other)
        if self._dims is None or other._dims is None or len(self._dims) != len(other._dims):
            return TensorShape(None)
        return TensorShape._known(tuple(a if a == b else None
                                        for a, b in zip(self._dims, other._dims)))

    def is_subtype_of(self, other):
        """True if every shape that fits self also fits other (other is more general)."""
        other = as_shape(other)
        if other._dims is None:
            return True
        if self._dims is None or len(self._dims) != len(other._dims):
            return False
        return all(b is None or a == b for a, b in zip(self._dims, other._dims))

    def concatenate(self, other):
        other = as_shape(other)
        if self._dims is None or other._dims is None:
            return TensorShape(None)
        return TensorShape._known(self._dims + other._dims)

    def with_rank(self, rank):
        if self._dims is None:
            return TensorShape([None] * rank)
        if len(self._dims) != rank:
            raise ValueError("Shape %s must have rank %d" % (self, rank))
        return self

    def with_rank_at_least(self, rank):
        if self._dims is not None and len(self._dims) < rank:
            raise ValueError("Shape %s must have rank at least %d" % (self, rank))
        return self

    # -- Python protocol -------------------------------------------------------------------
    def __len__(self):
        if self._dims is None:
            raise ValueError("Cannot take the length of a shape with unknown rank.")
        return len(self._dims)

    def __iter__(self):
        if self._dims is None:
            raise ValueError("Cannot iterate over a shape with unknown rank.")
        return iter(self._dims)

    def __getitem__(self, key):
        if self._dims is None:
            if isinstance(key, slice):
                return TensorShape(None)
            return None
        if isinstance(key, slice):
            return TensorShape._known(self._dims[key])
        return self._dims[key]

    def __bool__(self):
        return self._dims is not None

    def __eq__(self, other):
        try:
            other = as_shape(other)
        except (TypeError, ValueError):
            return NotImplemented
        return self._dims == other._dims

    def __ne__(self, other):
        result = self.__eq__(other)
        return result if result is NotImplemented else not result

    def __hash__(self):
        return hash(self._dims)

    def __add__(self, other):
        return self.concatenate(other)

    def __radd__(self, other):
        return as_shape(other).concatenate(self)

    def __repr__(self):
        if self._dims is None:
            return "TensorShape(None)"
        return "TensorShape(%s)" % list(self._dims)

    def __str__(self):
        if self._dims is None:
            return "<unknown>"
        if len(self._dims) == 1:
            return "(%s,)" % self._dims[0]
        return "(%s)" % ", ".join(str(d) for d in self._dims)

    def short(self):
        """Compact form used in printed graphs and signatures: `[?,3]`, `[]`, `[*]`."""
        if self._dims is None:
            return "[*]"
        return "[%s]" % ",".join("?" if d is None else str(d) for d in self._dims)

    def __reduce__(self):
        return (TensorShape, (self.dims,))


def as_shape(shape):
    return shape if isinstance(shape, TensorShape) else TensorShape(shape)


class TensorSpec:
    """Describes a tensor: shape (dims may be None), dtype and an optional name.

    >>> TensorSpec([None, 3], "float32", name="x")
    TensorSpec(shape=(None, 3), dtype=tf.float32, name='x')
    """

    __slots__ = ("_shape", "_dtype", "_name")

    def __init__(self, shape, dtype=dtypes.float32, name=None):
        self._shape = as_shape(shape)
        self._dtype = dtypes.as_dtype(dtype)
        self._name = name

    shape = property(lambda self: self._shape)
    dtype = property(lambda self: self._dtype)
    name = property(lambda self: self._name)

    @classmethod
    def from_tensor(cls, tensor, name=None):
        return cls(tensor.shape, tensor.dtype, name)

    @classmethod
    def from_spec(cls, spec, name=None):
        return cls(spec.shape, spec.dtype, name if name is not None else spec.name)

    def is_compatible_with(self, spec_or_value):
        """True if a tensor (or spec) has this dtype and a fitting shape."""
        other_dtype = getattr(spec_or_value, "dtype", None)
        other_shape = getattr(spec_or_value, "shape", None)
        if other_dtype is None or other_shape is None:
            return False
        return (dtypes.as_dtype(other_dtype) is self._dtype
                and self._shape.is_compatible_with(other_shape))

    def is_subtype_of(self, other):
        return self._dtype is other.dtype and self._shape.is_subtype_of(other.shape)

    def most_specific_compatible_type(self, other):
        if self._dtype is not other.dtype:
            raise ValueError("No TensorSpec fits both %r and %r" % (self, other))
        return TensorSpec(self._shape.most_specific_compatible_shape(other.shape), self._dtype,
                          self._name)

    def short(self):
        """`float32[?,3]`: the form used in signatures and printed graphs."""
        return self._dtype.name + self._shape.short()

    def __eq__(self, other):
        return (type(other) is TensorSpec and self._dtype is other._dtype
                and self._shape == other._shape and self._name == other._name)

    def __hash__(self):
        return hash((self._shape, self._dtype, self._name))

    def __repr__(self):
        return "TensorSpec(shape=%s, dtype=%r, name=%r)" % (self._shape, self._dtype, self._name)

    def __reduce__(self):
        return (TensorSpec, (self._shape, self._dtype, self._name))
