"""RaggedTensor: a tensor whose rows have different lengths, and its TypeSpec.

A RaggedTensor is `values` (a tensor, or another RaggedTensor for more ragged dimensions)
partitioned into rows by `row_splits`: row i is values[row_splits[i]:row_splits[i + 1]].
Its components (flat_values, then the row_splits of each ragged dimension) are what crosses a
traced function's boundary; its RaggedTensorSpec (dtype, shape with None for ragged
dimensions, ragged_rank, row_splits_dtype) is the signature key.

>>> import autotrace as tf
>>> rt = tf.RaggedTensor.from_row_splits([3, 1, 4, 1, 5], row_splits=[0, 2, 2, 5])
>>> rt
<tf.RaggedTensor [[3, 1], [], [4, 1, 5]]>
>>> rt.shape, rt.ragged_rank
(TensorShape([3, None]), 1)
>>> rt.to_tensor().numpy()
array([[3, 1, 0],
       [0, 0, 0],
       [4, 1, 5]], dtype=int32)
"""
import numpy as np

from ..core import dtypes
from ..ops import array_ops, math_ops
from ..ops.constant_op import constant_value, convert_to_tensor
from ..core.tensor import EagerTensor, SymbolicTensor, Tensor
from ..core.tensor_shape import TensorShape, TensorSpec
from ..core.type_spec import CompositeTensor, TypeSpec
from ..ops.sort_ops import cumsum
from . import ragged_ops

__all__ = ["RaggedTensor", "RaggedTensorSpec", "is_ragged"]


def _splits_tensor(splits, dtype=None):
    if isinstance(splits, Tensor):
        if not splits.dtype.is_integer:
            raise TypeError("row_splits must be an integer tensor, got %s" % splits.dtype.name)
        return splits if dtype is None else math_ops.cast(splits, dtype)
    return convert_to_tensor(splits, dtype or dtypes.int64)


def _values_tensor(values):
    if isinstance(values, RaggedTensor):
        return values
    return convert_to_tensor(values)


def _nrows_of(values):
    if isinstance(values, RaggedTensor):
        return values.nrows()
    return array_ops.shape(values, out_type=dtypes.int64)[0]


class RaggedTensor(CompositeTensor):
    """A tensor with ragged (variable-length) dimensions. Build one with `tf.ragged.constant`
    or a `from_*` factory; the constructor is internal."""

    __slots__ = ("_values", "_row_splits", "__weakref__")
    _conversion_advice = ("; use rt.to_tensor() for a padded tensor, or rt.flat_values for "
                          "the values")

    def __init__(self, values, row_splits, internal=False):
        if not internal:
            raise ValueError("RaggedTensor constructor is private; please use one of the "
                             "factory methods instead (e.g., RaggedTensor.from_row_lengths())")
        self._values = values
        self._row_splits = row_splits

    # -- factories -------------------------------------------------------------------------
    @classmethod
    def _from_splits_unchecked(cls, values, row_splits):
        return cls(values, row_splits, internal=True)

    @classmethod
    def from_row_splits(cls, values, row_splits, name=None, validate=True):
        """Rows values[row_splits[i]:row_splits[i + 1]]: row_splits starts at 0, ascends and
        ends at the number of values."""
        values = _values_tensor(values)
        splits = _splits_tensor(row_splits)
        if validate:
            nvals = math_ops.cast(_nrows_of(values), splits.dtype)
            splits = ragged_ops.check_splits(splits, nvals, "RaggedTensor.from_row_splits")
        return cls(values, splits, internal=True)

    @classmethod
    def from_row_lengths(cls, values, row_lengths, name=None, validate=True):
        """Row i has row_lengths[i] values."""
        values = _values_tensor(values)
        lengths = _splits_tensor(row_lengths)
        if validate:
            _check_nonnegative(lengths, "RaggedTensor.from_row_lengths", "row_lengths")
        splits = array_ops.concat([array_ops.zeros([1], lengths.dtype),
                                   cumsum(lengths)], axis=0)
        return cls.from_row_splits(values, splits, validate=validate)

    @classmethod
    def from_row_starts(cls, values, row_starts, name=None, validate=True):
        values = _values_tensor(values)
        starts = _splits_tensor(row_starts)
        nvals = math_ops.cast(_nrows_of(values), starts.dtype)
        splits = array_ops.concat([starts, array_ops.reshape(nvals, [1])], axis=0)
        return cls.from_row_splits(values, splits, validate=validate)

    @classmethod
    def from_row_limits(cls, values, row_limits, name=None, validate=True):
        values = _values_tensor(values)
        limits = _splits_tensor(row_limits)
        splits = array_ops.concat([array_ops.zeros([1], limits.dtype), limits], axis=0)
        return cls.from_row_splits(values, splits, validate=validate)

    @classmethod
    def from_value_rowids(cls, values, value_rowids, nrows=None, name=None, validate=True):
        """Value j belongs to row value_rowids[j] (ascending); `nrows` adds empty rows."""
        from ..ops.gather_ops import unsorted_segment_sum
        values = _values_tensor(values)
        rowids = _splits_tensor(value_rowids)
        if validate:
            _check_nonnegative(rowids, "RaggedTensor.from_value_rowids", "value_rowids")
            _check_ascending(rowids, "RaggedTensor.from_value_rowids", "value_rowids")
        if nrows is None:
            last = math_ops.reduce_max(array_ops.concat(
                [array_ops.constant([-1], rowids.dtype), rowids], axis=0))
            nrows = last + 1
        nrows = _splits_tensor(nrows, rowids.dtype)
        lengths = unsorted_segment_sum(array_ops.ones_like(rowids), rowids, nrows)
        return cls.from_row_lengths(values, lengths, validate=validate)

    @classmethod
    def from_uniform_row_length(cls, values, uniform_row_length, nrows=None, validate=True,
                                name=None):
        """Rows of `uniform_row_length` values each (the result's second dimension is
        uniform; its static shape still says None)."""
        values = _values_tensor(values)
        nvals = _nrows_of(values)
        width = convert_to_tensor(uniform_row_length, dtypes.int64)
        if nrows is None:
            nrows = math_ops.floordiv(nvals, math_ops.maximum(width, 1))
        nrows = convert_to_tensor(nrows, dtypes.int64) if not isinstance(nrows, Tensor) \
            else math_ops.cast(nrows, dtypes.int64)
        from ..ops.creation_ops import range as range_
        splits = range_(nrows + 1, dtype=dtypes.int64) * width
        return cls.from_row_splits(values, splits, validate=validate)

    @classmethod
    def from_sparse(cls, st_input, name=None, row_splits_dtype=dtypes.int64):
        """A 2-D SparseTensor whose entries fill each row from column 0 ("ragged-right") as
        a ragged tensor of those rows."""
        from ..ops.gather_ops import unsorted_segment_sum
        indices = st_input.indices
        if st_input.shape.rank not in (None, 2):
            raise ValueError("from_sparse needs a 2-D SparseTensor, got rank %d"
                             % st_input.shape.rank)
        lengths = unsorted_segment_sum(array_ops.ones_like(indices[:, 0]), indices[:, 0],
                                       st_input.dense_shape[0])
        splits = array_ops.concat([array_ops.zeros([1], dtypes.int64), cumsum(lengths)], 0)
        _check_ragged_right(indices, splits)
        return cls.from_row_splits(st_input.values, math_ops.cast(splits, row_splits_dtype))

    @classmethod
    def from_nested_row_splits(cls, flat_values, nested_row_splits, name=None, validate=True):
        result = _values_tensor(flat_values)
        for splits in reversed(list(nested_row_splits)):
            result = cls.from_row_splits(result, splits, validate=validate)
        return result

    @classmethod
    def from_nested_row_lengths(cls, flat_values, nested_row_lengths, name=None,
                                validate=True):
        result = _values_tensor(flat_values)
        for lengths in reversed(list(nested_row_lengths)):
            result = cls.from_row_lengths(result, lengths, validate=validate)
        return result

    @classmethod
    def from_nested_value_rowids(cls, flat_values, nested_value_rowids, nested_nrows=None,
                                 name=None, validate=True):
        result = _values_tensor(flat_values)
        nested_nrows = [None] * len(nested_value_rowids) if nested_nrows is None \
            else nested_nrows
        for rowids, nrows in reversed(list(zip(nested_value_rowids, nested_nrows))):
            result = cls.from_value_rowids(result, rowids, nrows, validate=validate)
        return result

    @classmethod
    def from_tensor(cls, tensor, lengths=None, padding=None, ragged_rank=1, name=None,
                    row_splits_dtype=dtypes.int64):
        """A ragged tensor from the rows of a dense one: all of each row, its first
        `lengths[i]` values, or the values before its trailing `padding`."""
        from .ragged_factory import from_tensor
        return from_tensor(tensor, lengths, padding, ragged_rank, row_splits_dtype)

    # -- structure -------------------------------------------------------------------------
    @property
    def values(self):
        """The concatenated rows (a tensor, or a RaggedTensor for more ragged dims)."""
        return self._values

    @property
    def row_splits(self):
        return self._row_splits

    @property
    def flat_values(self):
        values = self._values
        while isinstance(values, RaggedTensor):
            values = values._values
        return values

    @property
    def nested_row_splits(self):
        splits = [self._row_splits]
        values = self._values
        while isinstance(values, RaggedTensor):
            splits.append(values._row_splits)
            values = values._values
        return tuple(splits)

    @property
    def ragged_rank(self):
        values = self._values
        return 1 + (values.ragged_rank if isinstance(values, RaggedTensor) else 0)

    @property
    def dtype(self):
        return self.flat_values.dtype

    @property
    def row_splits_dtype(self):
        return self._row_splits.dtype

    @property
    def shape(self):
        """The static shape: None for ragged dimensions (and unknown ones)."""
        splits = self._row_splits.shape
        nrows = splits[0] - 1 if splits.rank == 1 and splits[0] is not None else None
        values_shape = self._values.shape
        if values_shape.rank is None:
            return TensorShape([nrows, None]).concatenate(TensorShape(None))
        return TensorShape([nrows, None]).concatenate(values_shape[1:])

    def get_shape(self):
        return self.shape

    @property
    def ndim(self):
        return self.shape.rank

    @property
    def _type_spec(self):
        return RaggedTensorSpec(self.shape, self.dtype, self.ragged_rank,
                                self._row_splits.dtype, _flat_values_shape(self))

    # -- row partition views ---------------------------------------------------------------
    def nrows(self, out_type=None, name=None):
        """The number of rows (a scalar tensor)."""
        n = self.shape[0]
        dtype = out_type or self._row_splits.dtype
        if n is not None:
            return convert_to_tensor(n, dtype)
        count = array_ops.shape(self._row_splits, out_type=dtype)[0] - 1
        return count

    def row_starts(self, name=None):
        return self._row_splits[:-1]

    def row_limits(self, name=None):
        return self._row_splits[1:]

    def row_lengths(self, axis=1, name=None):
        """The length of each row (axis=1), or of each row of a deeper ragged dimension."""
        if axis == 1:
            return self._row_splits[1:] - self._row_splits[:-1]
        if axis == 0:
            raise ValueError("row_lengths: axis=0 has no row lengths (it is the rows "
                             "themselves); use nrows()")
        if not isinstance(self._values, RaggedTensor):
            raise ValueError("row_lengths: axis=%d is not a ragged dimension" % axis)
        return self.with_values(self._values.row_lengths(axis - 1))

    def nested_row_lengths(self, name=None):
        return tuple(s[1:] - s[:-1] for s in self.nested_row_splits)

    def value_rowids(self, name=None):
        """The row of each value: [0, 0, 1, 2, 2, 2] for rows of lengths [2, 1, 3]."""
        return rowids_from_splits(self._row_splits)

    def nested_value_rowids(self, name=None):
        ids = [self.value_rowids()]
        if isinstance(self._values, RaggedTensor):
            ids.extend(self._values.nested_value_rowids())
        return tuple(ids)

    def bounding_shape(self, axis=None, name=None, out_type=None):
        """The smallest dense shape that holds every row: [nrows, longest row, ...]."""
        dtype = out_type or self._row_splits.dtype
        dims = [self.nrows(out_type=dtype)]
        rt = self
        while isinstance(rt, RaggedTensor):
            lengths = rt._row_splits[1:] - rt._row_splits[:-1]
            longest = math_ops.reduce_max(array_ops.concat(
                [array_ops.zeros([1], lengths.dtype), lengths], axis=0))
            dims.append(math_ops.cast(longest, dtype))
            rt = rt._values
        inner = array_ops.shape(rt, out_type=dtype)[1:]
        shape = array_ops.concat([array_ops.stack(dims), inner], axis=0)
        return shape if axis is None else shape[axis]

    # -- derived tensors -------------------------------------------------------------------
    def with_values(self, new_values):
        return RaggedTensor(_values_tensor(new_values), self._row_splits, internal=True)

    def with_flat_values(self, new_values):
        if isinstance(self._values, RaggedTensor):
            return self.with_values(self._values.with_flat_values(new_values))
        return self.with_values(new_values)

    def with_row_splits_dtype(self, dtype):
        dtype = dtypes.as_dtype(dtype)
        values = self._values.with_row_splits_dtype(dtype) if isinstance(
            self._values, RaggedTensor) else self._values
        splits = self._row_splits if self._row_splits.dtype is dtype else math_ops.cast(
            self._row_splits, dtype)
        return RaggedTensor(values, splits, internal=True)

    def to_tensor(self, default_value=None, name=None, shape=None):
        """A dense tensor: rows padded with `default_value` (zeros) to the longest row, or
        padded/truncated to `shape`."""
        flat = self.flat_values
        if default_value is None:
            default = array_ops.zeros([], flat.dtype)
        else:
            default = convert_to_tensor(default_value, flat.dtype)
        if shape is not None:
            shape = TensorShape(shape)
            if shape.rank != self.shape.rank:
                raise ValueError("to_tensor: shape %s must have rank %s" % (shape,
                                                                          self.shape.rank))
            shape = shape.as_list()
        return ragged_ops.to_tensor(flat, default, self.nested_row_splits, shape, name)

    def to_list(self):
        """The rows as nested Python lists (eager only)."""
        return _to_list(self)

    def numpy(self):
        """The value as NumPy, as TF gives it: rows of different lengths as an object array
        of row arrays; rows of one length stacked into one array (eager only)."""
        if not self._is_eager():
            raise ValueError("RaggedTensor.numpy() is only supported in eager mode.")
        values = self._values.numpy()
        splits = self._row_splits._value
        rows = [values[splits[i]:splits[i + 1]] for i in range(len(splits) - 1)]
        if not rows:
            return np.zeros((0, 0) + values.shape[1:], values.dtype)
        if any(len(row) != len(rows[0]) for row in rows):
            out = np.empty(len(rows), dtype=object)
            out[:] = rows
            return out
        return np.array(rows)

    def to_sparse(self, name=None):
        """The SparseTensor of this tensor's values at their [row, column, ...] indices."""
        from ..ops.index_ops import where
        from ..sparse.sparse_tensor import SparseTensor
        from .ragged_dispatch import value_positions_of
        flat = self.flat_values
        coords = where(array_ops.ones_like(flat, dtype=dtypes.bool))
        outer = [math_ops.cast(array_ops.gather(p, coords[:, 0]), dtypes.int64)
                 for p in value_positions_of(self)]
        indices = array_ops.concat([array_ops.stack(outer, axis=1), coords[:, 1:]], axis=1)
        return SparseTensor(indices, array_ops.reshape(flat, [-1]),
                            self.bounding_shape(out_type=dtypes.int64))

    def merge_dims(self, outer_axis, inner_axis):
        if (outer_axis, inner_axis) in ((0, 1), (0, -1)) and self.ragged_rank == 1 and \
                self.shape.rank == 2:
            return self.flat_values
        if (outer_axis, inner_axis) == (1, 2) and isinstance(self._values, RaggedTensor):
            return RaggedTensor(self._values._values, array_ops.gather(
                self._values._row_splits, self._row_splits), internal=True)
        raise NotImplementedError("merge_dims(%r, %r) is supported for (0, 1) of a 2-D ragged "
                                  "tensor and (1, 2) only" % (outer_axis, inner_axis))

    # -- gradients -------------------------------------------------------------------------
    def _gradient_components(self):
        return [self.flat_values]

    def _with_gradient_components(self, grads):
        grad = grads[0]
        if grad is None:
            return None
        return self.with_flat_values(convert_to_tensor(grad))

    # -- Python protocols ------------------------------------------------------------------
    def __getitem__(self, key):
        from .ragged_getitem import ragged_getitem
        return ragged_getitem(self, key)

    def __iter__(self):
        if not self._is_eager():
            raise TypeError("Iterating over a symbolic RaggedTensor is not allowed outside "
                            "converted code: write `for row in rt:` in a function traced by "
                            "autotrace.function (a graph loop over the rows)")
        return (self[i] for i in range(int(self.nrows())))

    def _graph_iteration(self):
        """`for row in rt:` in converted code: a graph loop over the rows."""
        return 0, self.nrows(out_type=dtypes.int32), 1, lambda i: self[i]

    def __bool__(self):
        raise TypeError("RaggedTensor may not be used as a boolean.")

    def __hash__(self):
        raise TypeError("RaggedTensor is unhashable.")

    def _is_eager(self):
        return all(isinstance(t, EagerTensor) for t in self._type_spec._flat_components(self))

    def __repr__(self):
        if self._is_eager():
            return "<tf.RaggedTensor %s>" % _list_text(self)
        return "tf.RaggedTensor(values=%s, row_splits=%s)" % (self._values, self._row_splits)

    __str__ = __repr__

    def consumers(self):
        return []

    def _print_text(self, summarize):
        """tf.print: the rows as nested lists (a string tensor, made when the print runs)."""
        return ragged_ops.to_string(self.flat_values, self.nested_row_splits, summarize)


# -- operators: the elementwise ops, which dispatch to the ragged handlers ----------------------

_BINARY_OPERATORS = [("add", math_ops.add), ("sub", math_ops.subtract),
                     ("mul", math_ops.multiply), ("truediv", math_ops.truediv),
                     ("floordiv", math_ops.floordiv), ("mod", math_ops.floormod),
                     ("pow", math_ops.pow), ("and", math_ops.logical_and),
                     ("or", math_ops.logical_or), ("xor", math_ops.logical_xor)]
_COMPARISONS = [("lt", math_ops.less), ("le", math_ops.less_equal),
                ("gt", math_ops.greater), ("ge", math_ops.greater_equal)]
_UNARY_OPERATORS = [("neg", math_ops.negative), ("abs", math_ops.abs),
                    ("invert", math_ops.logical_not)]


def _operator(fn, reflected=False):
    if reflected:
        return lambda self, other: fn(other, self)
    return lambda self, other: fn(self, other)


def _equality(fn, if_none):
    def method(self, other):
        if other is None:
            return if_none
        return fn(self, other)
    return method


def _install_operators(cls):
    for op, fn in _BINARY_OPERATORS:
        setattr(cls, "__%s__" % op, _operator(fn))
        setattr(cls, "__r%s__" % op, _operator(fn, reflected=True))
    for op, fn in _COMPARISONS:
        setattr(cls, "__%s__" % op, _operator(fn))
    for op, fn in _UNARY_OPERATORS:
        setattr(cls, "__%s__" % op, lambda self, fn=fn: fn(self))
    cls.__eq__ = _equality(math_ops.equal, False)
    cls.__ne__ = _equality(math_ops.not_equal, True)
    cls.__pos__ = lambda self: self


_install_operators(RaggedTensor)


def _list_text(rt):
    """The value as TF prints it: its NumPy form, each array with comma separators."""
    with np.printoptions(formatter={"all": _element_text}):
        return _element_text(rt.numpy())


def _element_text(x):
    if isinstance(x, np.ndarray):
        if x.size:
            return np.array2string(x, separator=", ")
        return repr(x.tolist())  # array2string prints any empty array as []
    return str(x)


def rowids_from_splits(splits):
    """The row of each value."""
    return ragged_ops.row_ids(splits)


def _to_list(rt):
    if not rt._is_eager():
        raise ValueError("RaggedTensor.to_list() is only available when executing eagerly")
    splits = rt._row_splits._value.tolist()
    values = rt._values
    inner = _to_list(values) if isinstance(values, RaggedTensor) else values._value.tolist()
    return [inner[splits[i]:splits[i + 1]] for i in range(len(splits) - 1)]


def _check_ragged_right(indices, splits):
    """Eagerly: the entries of each row must be at columns 0, 1, 2, ... in order."""
    if not isinstance(indices, EagerTensor):
        return
    idx, sp = indices._value, splits._value
    rows = np.repeat(np.arange(len(sp) - 1), np.diff(sp))
    want = np.arange(len(idx)) - sp[rows] if len(idx) else np.zeros(0, np.int64)
    bad = np.flatnonzero((idx[:, 0] != rows) | (idx[:, 1] != want)) if len(idx) else []
    if len(bad):
        from ..core.errors import InvalidArgumentError
        i = int(bad[0])
        raise InvalidArgumentError("RaggedTensor.from_sparse: the SparseTensor must be "
                                   "ragged-right (each row's entries at columns 0, 1, ... in "
                                   "order), but indices[%d] = %s" % (i, idx[i].tolist()))


def _flat_values_shape(rt):
    shape = rt.flat_values.shape
    if shape.rank is None:
        return shape
    return TensorShape([None]).concatenate(shape[1:])


def _check_nonnegative(t, what, arg):
    return _CHECKS["nonnegative"](t, what, arg)


def _check_ascending(t, what, arg):
    return _CHECKS["ascending"](t, what, arg)


def _eager_only_check(predicate, message):
    def check(t, what, arg):
        value = constant_value(t)
        if value is None:
            return t
        bad = predicate(np.asarray(value))
        if bad is not None:
            from ..core.errors import InvalidArgumentError
            raise InvalidArgumentError(message(what, arg, bad, np.asarray(value)))
        return t
    return check


def _first_negative(v):
    neg = np.flatnonzero(v < 0)
    return int(neg[0]) if neg.size else None


def _first_descent(v):
    down = np.flatnonzero(np.diff(v) < 0)
    return int(down[0]) + 1 if down.size else None


_CHECKS = {
    "nonnegative": _eager_only_check(_first_negative, lambda what, arg, i, v: (
        "%s: %s must be >= 0, but %s[%d] = %d" % (what, arg, arg, i, v[i]))),
    "ascending": _eager_only_check(_first_descent, lambda what, arg, i, v: (
        "%s: %s must be sorted in ascending order, but %s[%d] = %d is less than %s[%d] = %d"
        % (what, arg, arg, i, v[i], arg, i - 1, v[i - 1]))),
}


def is_ragged(value):
    return isinstance(value, RaggedTensor)


# -- RaggedTensorSpec --------------------------------------------------------------------------

class RaggedTensorSpec(TypeSpec):
    """The type of a RaggedTensor: shape (None for ragged dims), dtype, ragged_rank and
    row_splits_dtype. Use it in `input_signature`:

    >>> import autotrace as tf
    >>> @tf.function(input_signature=[tf.RaggedTensorSpec([None, None], tf.float32)])
    ... def row_sums(rt):
    ...     return tf.reduce_sum(rt, axis=1)
    >>> row_sums(tf.ragged.constant([[1.0, 2.0], [3.0]])).numpy()
    array([3., 3.], dtype=float32)
    """

    __slots__ = ("_shape", "_dtype", "_ragged_rank", "_row_splits_dtype", "_flat_values_shape")

    def __init__(self, shape=None, dtype=dtypes.float32, ragged_rank=None,
                 row_splits_dtype=dtypes.int64, flat_values_shape=None):
        self._shape = TensorShape(shape)
        self._dtype = dtypes.as_dtype(dtype)
        self._row_splits_dtype = dtypes.as_dtype(row_splits_dtype)
        rank = self._shape.rank
        if ragged_rank is None:
            if rank is None:
                raise ValueError("Must specify ragged_rank or a shape with a known rank.")
            ragged_rank = rank - 1
        if rank is not None and not 0 < ragged_rank < rank and rank > 1:
            raise ValueError("ragged_rank must be >= 1 and < rank (%d), got %d"
                             % (rank, ragged_rank))
        self._ragged_rank = ragged_rank
        if flat_values_shape is None and rank is not None:
            flat_values_shape = TensorShape([None]).concatenate(self._shape[ragged_rank + 1:])
        self._flat_values_shape = TensorShape(flat_values_shape)

    value_type = property(lambda self: RaggedTensor)
    shape = property(lambda self: self._shape)
    dtype = property(lambda self: self._dtype)
    ragged_rank = property(lambda self: self._ragged_rank)
    row_splits_dtype = property(lambda self: self._row_splits_dtype)
    flat_values_spec = property(lambda self: TensorSpec(self._flat_values_shape, self._dtype))

    def _serialize(self):
        return (self._shape, self._dtype, self._ragged_rank, self._row_splits_dtype,
                self._flat_values_shape)

    @property
    def _component_specs(self):
        outer = self._shape[0] if self._shape.rank else None
        splits = [TensorSpec([None if outer is None else outer + 1], self._row_splits_dtype)]
        splits += [TensorSpec([None], self._row_splits_dtype)] * (self._ragged_rank - 1)
        return [TensorSpec(self._flat_values_shape, self._dtype)] + splits

    def _to_components(self, value):
        if not isinstance(value, RaggedTensor):
            raise TypeError("RaggedTensorSpec: expected a RaggedTensor, got %r" % (value,))
        return [value.flat_values] + list(value.nested_row_splits)

    def _from_components(self, components):
        result = components[0]
        for splits in reversed(components[1:]):
            result = RaggedTensor(result, splits, internal=True)
        return result

    @classmethod
    def from_value(cls, value):
        return value._type_spec

    def short(self):
        return "RaggedTensor(%s%s, ragged_rank=%d)" % (self._dtype.name, self._shape.short(),
                                                       self._ragged_rank)

    def __repr__(self):
        return "RaggedTensorSpec(%r, %r, %d, %r)" % (self._shape, self._dtype,
                                                     self._ragged_rank, self._row_splits_dtype)
