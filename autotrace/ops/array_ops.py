"""Array ops: creating, reshaping, slicing, joining and selecting.

>>> import autotrace as tf
>>> x = tf.reshape(tf.range(6), [2, 3])
>>> x[:, 1:].numpy()
array([[1, 2],
       [4, 5]], dtype=int32)
"""
import builtins

import numpy as np

from .. import dtypes
from ..context import state
from ..errors import InvalidArgumentError, InvalidShapeError
from ..tensor import EagerTensor, SymbolicTensor, Tensor
from ..tensor_shape import TensorShape
from .constant_op import constant, constant_value, convert_to_tensor, to_numpy
from .registry import NO_GRADIENT, apply, defop
from .shapes import broadcast_shapes, check_same_dtype, normalize_axes, normalize_axis


def _tensor(x, dtype=None):
    return x if isinstance(x, Tensor) and dtype is None else convert_to_tensor(x, dtype)


def _int_list(op_type, arg, value):
    """A static list of ints from a Python list, NumPy array or constant tensor."""
    if isinstance(value, Tensor):
        known = constant_value(value)
        if known is None:
            return None
        value = known
    try:
        return [int(v) for v in np.asarray(value).reshape(-1)]
    except (TypeError, ValueError):
        raise InvalidArgumentError("%s: %s must be a list of ints, got %r" % (op_type, arg, value)) \
            from None


# -- identity / stop_gradient ------------------------------------------------------------------

def _identity_kernel(x):
    return x


IDENTITY = defop("Identity", _identity_kernel, lambda x: (x.dtype, x.shape))
STOP_GRADIENT = defop("StopGradient", _identity_kernel, lambda x: (x.dtype, x.shape),
                      grad=NO_GRADIENT)


def identity(input, name=None):
    """Returns a tensor with the same value (a new graph node when building a graph)."""
    return apply(IDENTITY, (_tensor(input),), None, name)


def stop_gradient(input, name=None):
    """The identity, but gradients do not flow back through it."""
    return apply(STOP_GRADIENT, (_tensor(input),), None, name)


# -- shape, size, rank -------------------------------------------------------------------------

def _shape_kernel(x, out_type):
    return np.array(np.shape(x), dtype=out_type.np)


SHAPE = defop("Shape", _shape_kernel,
              lambda x, out_type: (out_type, [x.shape.rank]), grad=NO_GRADIENT)


def shape(input, out_type=dtypes.int32, name=None):
    """The run-time shape of a tensor, as a 1-D int32 tensor (see `.shape` for the static one).

    >>> shape([[1, 2, 3], [4, 5, 6]]).numpy()
    array([2, 3], dtype=int32)
    """
    return apply(SHAPE, (_tensor(input),), {"out_type": dtypes.as_dtype(out_type)}, name)


SIZE = defop("Size", lambda x, out_type: np.array(np.size(x), dtype=out_type.np),
             lambda x, out_type: (out_type, []), grad=NO_GRADIENT)
RANK = defop("Rank", lambda x: np.int32(np.ndim(x)), lambda x: (dtypes.int32, []),
             grad=NO_GRADIENT)


def size(input, out_type=dtypes.int32, name=None):
    """Number of elements, as a scalar tensor."""
    return apply(SIZE, (_tensor(input),), {"out_type": dtypes.as_dtype(out_type)}, name)


def rank(input, name=None):
    """Number of dimensions, as a scalar int32 tensor."""
    return apply(RANK, (_tensor(input),), None, name)


# -- reshape -----------------------------------------------------------------------------------

def _reshape_kernel(x, shape):
    return np.reshape(x, shape)


def _reshape_infer(x, shape):
    target = _int_list("Reshape", "shape", shape)
    if target is None:
        n = shape.shape[0] if shape.shape.rank == 1 else None
        return x.dtype, TensorShape(None if n is None else [None] * n)
    unknown = [i for i, d in enumerate(target) if d == -1]
    if len(unknown) > 1 or any(d < -1 for d in target):
        raise InvalidArgumentError("Reshape: shape %s may hold at most one -1 and no other "
                                   "negative sizes" % target)
    n = x.shape.num_elements()
    known = int(np.prod([d for d in target if d != -1])) if target else 1
    if unknown:
        if n is None:
            return x.dtype, [None if d == -1 else d for d in target]
        if known == 0 or n % known:
            raise InvalidShapeError(
                "Reshape: cannot reshape a tensor with %d values (shape %s) into shape %s"
                % (n, x.shape, target))
        target[unknown[0]] = n // known
    elif n is not None and n != known:
        raise InvalidShapeError(
            "Reshape: cannot reshape a tensor with %d values (shape %s) into shape %s, which "
            "holds %d" % (n, x.shape, target, known))
    return x.dtype, target


RESHAPE = defop("Reshape", _reshape_kernel, _reshape_infer, inputs=("tensor", "shape"))


def reshape(tensor, shape, name=None):
    """Same values, new shape; one dimension may be -1 (inferred).

    >>> reshape([1, 2, 3, 4], [2, -1]).numpy()
    array([[1, 2],
           [3, 4]], dtype=int32)
    """
    x = _tensor(tensor)
    if not isinstance(shape, Tensor):
        shape = constant(np.asarray(_int_list("Reshape", "shape", shape), dtype=np.int32))
    elif not shape.dtype.is_integer:
        raise InvalidArgumentError("Reshape: shape must be an integer tensor, got %s"
                                   % shape.dtype.name)
    return apply(RESHAPE, (x, shape), None, name)


# -- transpose / expand_dims / squeeze ---------------------------------------------------------

def _transpose_infer(x, perm):
    rank = x.shape.rank
    if rank is None:
        return x.dtype, None
    if sorted(perm) != list(builtins.range(rank)):
        raise InvalidArgumentError("Transpose: perm %s is not a permutation of the %d axes of "
                                   "a tensor of shape %s" % (list(perm), rank, x.shape))
    dims = x.shape.as_tuple()
    return x.dtype, [dims[p] for p in perm]


TRANSPOSE = defop("Transpose", lambda x, perm: np.transpose(x, perm), _transpose_infer)


def transpose(a, perm=None, conjugate=False, name=None):
    """Permute the dimensions (default: reverse them).

    >>> transpose([[1, 2, 3]]).shape
    TensorShape([3, 1])
    """
    x = _tensor(a)
    rank_ = x.shape.rank
    if perm is None:
        if rank_ is None:
            raise InvalidArgumentError("transpose needs a tensor of known rank when perm is "
                                       "not given")
        perm = list(builtins.range(rank_))[::-1]
    perm = tuple(normalize_axis("Transpose", p, rank_) for p in _int_list("Transpose", "perm",
                                                                          perm))
    out = apply(TRANSPOSE, (x,), {"perm": perm}, name)
    if conjugate and x.dtype.is_complex:
        from .math_ops import conj
        out = conj(out)
    return out


def _expand_dims_infer(x, axis):
    if x.shape.rank is None:
        return x.dtype, None
    dims = list(x.shape.as_tuple())
    dims.insert(axis, 1)
    return x.dtype, dims


EXPAND_DIMS = defop("ExpandDims", lambda x, axis: np.expand_dims(x, axis), _expand_dims_infer)


def expand_dims(input, axis, name=None):
    """Insert a length-1 dimension at `axis` (negative counts from the end).

    >>> expand_dims([1, 2], -1).shape
    TensorShape([2, 1])
    """
    x = _tensor(input)
    rank_ = x.shape.rank
    axis = _int_list("ExpandDims", "axis", axis)
    if axis is None or len(axis) != 1:
        raise InvalidArgumentError("ExpandDims: axis must be a single int")
    axis = axis[0]
    if rank_ is not None:
        if not -rank_ - 1 <= axis <= rank_:
            raise InvalidArgumentError("ExpandDims: axis %d is out of range for a tensor of "
                                       "rank %d (valid: %d to %d)" % (axis, rank_, -rank_ - 1,
                                                                       rank_))
        axis = axis % (rank_ + 1)
    return apply(EXPAND_DIMS, (x,), {"axis": axis}, name)


def _squeeze_infer(x, axis):
    if x.shape.rank is None:
        return x.dtype, None
    dims = x.shape.as_tuple()
    if axis is None:
        if None in dims:
            return x.dtype, None
        return x.dtype, [d for d in dims if d != 1]
    for a in axis:
        if dims[a] is not None and dims[a] != 1:
            raise InvalidShapeError("Squeeze: cannot squeeze axis %d of shape %s: its length "
                                    "is %d, not 1" % (a, x.shape, dims[a]))
    return x.dtype, [d for i, d in enumerate(dims) if i not in axis]


SQUEEZE = defop("Squeeze", lambda x, axis: np.squeeze(x, axis), _squeeze_infer)


def squeeze(input, axis=None, name=None):
    """Remove length-1 dimensions (all of them, or those listed in `axis`)."""
    x = _tensor(input)
    if axis is not None:
        axis = tuple(normalize_axes("Squeeze", axis if isinstance(axis, (list, tuple))
                                    else [axis], x.shape.rank))
    return apply(SQUEEZE, (x,), {"axis": axis}, name)


# -- strided slice (indexing) ------------------------------------------------------------------

class SliceSpec(tuple):
    """A StridedSlice index, printed in Python's syntax: `[:, 1]`."""

    def short(self):
        return "[%s]" % ", ".join(_item_text(item) for item in self)


def _item_text(item):
    if item is Ellipsis:
        return "..."
    if item is None:
        return "newaxis"
    if isinstance(item, slice):
        parts = ["" if v is None else str(v) for v in (item.start, item.stop, item.step)]
        return ":".join(parts[:2]) if item.step is None else ":".join(parts)
    return str(item)


class _Dyn:
    """Marks, in a StridedSlice spec, a position filled at run time by an extra input."""

    __slots__ = ("index",)

    def __init__(self, index):
        self.index = index

    def __repr__(self):
        return "$%d" % self.index

    def __eq__(self, other):
        return isinstance(other, _Dyn) and other.index == self.index

    def __hash__(self):
        return hash(("_Dyn", self.index))


def _resolve(item, dyn):
    if isinstance(item, _Dyn):
        return int(dyn[item.index])
    if isinstance(item, slice):
        return slice(_resolve(item.start, dyn), _resolve(item.stop, dyn),
                     _resolve(item.step, dyn))
    return item


def _strided_slice_kernel(x, *dyn, spec):
    if dyn:
        spec = tuple(_resolve(item, dyn) for item in spec)
    return x[spec]


def _slice_len(dim, item):
    if dim is None or any(isinstance(v, _Dyn) for v in (item.start, item.stop, item.step)):
        return None
    return len(builtins.range(*item.indices(dim)))


def _strided_slice_infer(x, *dyn, spec):
    if x.shape.rank is None:
        return x.dtype, None
    dims = list(x.shape.as_tuple())
    consumed = sum(1 for item in spec if item is not None and item is not Ellipsis)
    if consumed > len(dims):
        raise InvalidArgumentError("StridedSlice: too many indices (%d) for a tensor of shape %s"
                                   % (consumed, x.shape))
    out, axis = [], 0
    for item in spec:
        if item is Ellipsis:
            take = len(dims) - consumed
            out.extend(dims[axis:axis + take])
            axis += take
        elif item is None:
            out.append(1)
        elif isinstance(item, slice):
            if item.step == 0:
                raise InvalidArgumentError("StridedSlice: slice step cannot be zero")
            out.append(_slice_len(dims[axis], item))
            axis += 1
        else:
            dim = dims[axis]
            if not isinstance(item, _Dyn) and dim is not None and not -dim <= item < dim:
                raise InvalidArgumentError(
                    "StridedSlice: index %d is out of bounds for axis %d with size %d (tensor "
                    "shape %s)" % (item, axis, dim, x.shape))
            axis += 1
    out.extend(dims[axis:])
    return x.dtype, out


STRIDED_SLICE = defop("StridedSlice", _strided_slice_kernel, _strided_slice_infer,
                      inputs=("input", "indices"))


def _index_item(item, dyn_inputs):
    """Static part of one index item; tensors become _Dyn markers plus extra inputs."""
    if item is None or item is Ellipsis:
        return item
    if isinstance(item, slice):
        return slice(_index_item(item.start, dyn_inputs), _index_item(item.stop, dyn_inputs),
                     _index_item(item.step, dyn_inputs))
    if isinstance(item, Tensor) or hasattr(item, "_as_tensor"):
        t = _tensor(item)
        if t.shape.rank not in (0, None) or not (t.dtype.is_integer):
            raise TypeError("Only integer scalar tensors can be used as indices, got a %s "
                            "tensor of shape %s; use autotrace.gather or boolean_mask for "
                            "lists of indices or masks" % (t.dtype.name, t.shape))
        if isinstance(t, EagerTensor):
            return int(t._value)
        dyn_inputs.append(t)
        return _Dyn(len(dyn_inputs) - 1)
    if isinstance(item, (bool, np.bool_)):
        raise TypeError("Boolean indices are not supported; use autotrace.boolean_mask")
    if isinstance(item, (int, np.integer)):
        return int(item)
    raise TypeError("Only integers, slices (`:`), ellipsis (`...`), autotrace.newaxis (`None`) "
                    "and scalar integer tensors are valid indices, got %r; use autotrace.gather "
                    "for lists of indices and autotrace.boolean_mask for masks" % (item,))


def strided_slice_from_key(tensor, key, name=None):
    """`tensor[key]` as a StridedSlice op."""
    if not isinstance(key, tuple):
        key = (key,)
    dyn = []
    spec = SliceSpec(_index_item(item, dyn) for item in key)
    if sum(item is Ellipsis for item in spec) > 1:
        raise InvalidArgumentError("An index can only have a single ellipsis ('...')")
    return apply(STRIDED_SLICE, (tensor,) + tuple(dyn), {"spec": spec}, name or "strided_slice")


def strided_slice(input_, begin, end, strides=None, name=None):
    """`input_[begin[0]:end[0]:strides[0], ...]` for lists of begins, ends and strides."""
    x = _tensor(input_)
    begin, end = list(begin), list(end)
    strides = [1] * len(begin) if strides is None else list(strides)
    key = tuple(slice(b, e, s) for b, e, s in zip(begin, end, strides))
    return strided_slice_from_key(x, key, name)


# -- stack / unstack / concat ------------------------------------------------------------------

def _pack_infer(*values, axis):
    dtype = check_same_dtype("Pack", values, ["values[%d]" % i for i in builtins.range(len(values))])
    shape = values[0].shape
    for i, v in enumerate(values[1:], 1):
        if not shape.is_compatible_with(v.shape):
            raise InvalidShapeError("Pack: all values must have the same shape; values[0] is "
                                    "%s, values[%d] is %s" % (values[0].shape, i, v.shape))
        shape = shape.merge_with(v.shape)
    if shape.rank is None:
        return dtype, None
    dims = list(shape.as_tuple())
    dims.insert(axis, len(values))
    return dtype, dims


PACK = defop("Pack", lambda *values, axis: np.stack(values, axis=axis), _pack_infer,
             inputs=("values",), eager_check=True)


def stack(values, axis=0, name="stack"):
    """Stack a list of same-shape tensors along a new axis.

    >>> stack([[1, 2], [3, 4]], axis=1).numpy()
    array([[1, 3],
           [2, 4]], dtype=int32)
    """
    tensors = _tensor_list("stack", values)
    rank_ = tensors[0].shape.rank
    if rank_ is not None:
        if not -rank_ - 1 <= axis <= rank_:
            raise InvalidArgumentError("stack: axis %d is out of range for values of rank %d"
                                       % (axis, rank_))
        axis %= rank_ + 1
    return apply(PACK, tensors, {"axis": axis}, name)


def _tensor_list(op, values):
    if isinstance(values, Tensor):
        return list(unstack(values))
    if not isinstance(values, (list, tuple)) or not values:
        raise InvalidArgumentError("%s expects a non-empty list of tensors, got %r" % (op, values))
    tensors = [v if isinstance(v, Tensor) else None for v in values]
    dtype = next((t.dtype for t in tensors if t is not None), None)
    return [t if t is not None else convert_to_tensor(v, dtype)
            for t, v in zip(tensors, values)]


def _unpack_kernel(x, num, axis):
    return [np.take(x, i, axis=axis) for i in builtins.range(num)] if axis else list(x)


def _unpack_infer(x, num, axis):
    dims = list(x.shape.as_tuple())
    if dims[axis] is not None and dims[axis] != num:
        raise InvalidShapeError("Unpack: num=%d but axis %d of shape %s has length %d"
                                % (num, axis, x.shape, dims[axis]))
    del dims[axis]
    return [(x.dtype, dims)] * num


UNPACK = defop("Unpack", _unpack_kernel, _unpack_infer, multi_output=True, inputs=("value",))


def unstack(value, num=None, axis=0, name="unstack"):
    """Split a tensor into a list of tensors along `axis` (which disappears)."""
    x = _tensor(value)
    rank_ = x.shape.rank
    if rank_ is None or rank_ == 0:
        raise InvalidArgumentError("unstack needs a tensor of known rank >= 1, got shape %s"
                                   % x.shape)
    axis = normalize_axis("Unpack", axis, rank_)
    if num is None:
        num = x.shape[axis]
        if num is None:
            raise InvalidArgumentError("unstack: cannot infer num from shape %s; pass num="
                                       % x.shape)
    return apply(UNPACK, (x,), {"num": num, "axis": axis}, name)


def _concat_infer(*values, axis):
    dtype = check_same_dtype("ConcatV2", values, ["values[%d]" % i for i in builtins.range(len(values))])
    ranks = {v.shape.rank for v in values if v.shape.rank is not None}
    if not ranks:
        return dtype, None
    if len(ranks) > 1:
        raise InvalidShapeError("ConcatV2: all values must have the same rank, got shapes %s"
                                % ", ".join(str(v.shape) for v in values))
    out = None
    for i, v in enumerate(values):
        if v.shape.rank is None:
            continue
        dims = list(v.shape.as_tuple())
        if out is None:
            out = dims
            continue
        for d in builtins.range(len(dims)):
            if d == axis:
                out[d] = None if out[d] is None or dims[d] is None else out[d] + dims[d]
            elif out[d] is not None and dims[d] is not None and out[d] != dims[d]:
                raise InvalidShapeError(
                    "ConcatV2: values[0] has shape %s and values[%d] has shape %s; they must "
                    "match except along axis %d" % (values[0].shape, i, v.shape, axis))
            elif out[d] is None:
                out[d] = dims[d]
    return dtype, out


CONCAT = defop("ConcatV2", lambda *values, axis: np.concatenate(values, axis=axis),
               _concat_infer, inputs=("values",), eager_check=True)


def concat(values, axis, name="concat"):
    """Join tensors along an existing axis.

    >>> concat([[[1, 2]], [[3, 4]]], axis=0).numpy()
    array([[1, 2],
           [3, 4]], dtype=int32)
    """
    tensors = _tensor_list("concat", values)
    if len(tensors) == 1:
        return identity(tensors[0], name=name)
    rank_ = tensors[0].shape.rank
    axis = normalize_axis("ConcatV2", axis, rank_)
    return apply(CONCAT, tensors, {"axis": axis}, name)


# -- creating tensors --------------------------------------------------------------------------

def _static_shape(op_type, shape):
    dims = _int_list(op_type, "shape", shape)
    if dims is not None and any(d < 0 for d in dims):
        raise InvalidArgumentError("%s: shape %s has a negative dimension" % (op_type, dims))
    return dims


def _fill_kernel(dims, value):
    return np.full(tuple(dims), value, dtype=np.asarray(value).dtype)


def _fill_infer(dims, value):
    if value.shape.rank not in (0, None):
        raise InvalidArgumentError("Fill: value must be a scalar, got shape %s" % value.shape)
    known = _int_list("Fill", "dims", dims)
    if known is not None:
        return value.dtype, known
    n = dims.shape[0] if dims.shape.rank == 1 else None
    return value.dtype, None if n is None else [None] * n


FILL = defop("Fill", _fill_kernel, _fill_infer, inputs=("dims", "value"))


def fill(dims, value, name=None):
    """A tensor of shape `dims` filled with the scalar `value`.

    >>> fill([2, 2], 7).numpy()
    array([[7, 7],
           [7, 7]], dtype=int32)
    """
    value = _tensor(value)
    static = _static_shape("Fill", dims) if not isinstance(dims, SymbolicTensor) else None
    if static is not None and isinstance(value, EagerTensor) and state.graph is None:
        return EagerTensor(np.full(static, value._value, dtype=value._value.dtype))
    dims = _tensor(dims) if isinstance(dims, Tensor) else constant(np.asarray(static, np.int32))
    return apply(FILL, (dims, value), None, name)


def _filled(shape, dtype, fill_value, name):
    dtype = dtypes.as_dtype(dtype)
    static = _static_shape("Fill", shape) if not isinstance(shape, SymbolicTensor) else None
    if static is not None:
        return constant(np.full(static, fill_value, dtype=dtype.np), name=name)
    return fill(shape, constant(fill_value, dtype=dtype), name=name)


def zeros(shape, dtype=dtypes.float32, name="zeros"):
    """A tensor of zeros. >>> zeros([2]).numpy()  # array([0., 0.], dtype=float32)"""
    return _filled(shape, dtype, 0 if not dtypes.as_dtype(dtype).is_string else b"", name)


def ones(shape, dtype=dtypes.float32, name="ones"):
    """A tensor of ones."""
    return _filled(shape, dtype, 1, name)


def _like(input, dtype, fill_value, name):
    x = _tensor(input)
    dtype = x.dtype if dtype is None else dtypes.as_dtype(dtype)
    if x.shape.is_fully_defined():
        return _filled(x.shape.as_list(), dtype, fill_value, name)
    return fill(shape(x), constant(fill_value, dtype=dtype), name=name)


def zeros_like(input, dtype=None, name="zeros_like"):
    """Zeros with the shape (and by default the dtype) of `input`."""
    return _like(input, dtype, 0, name)


def ones_like(input, dtype=None, name="ones_like"):
    """Ones with the shape (and by default the dtype) of `input`."""
    return _like(input, dtype, 1, name)


def _range_kernel(start, limit, delta):
    if delta == 0:
        raise InvalidArgumentError("Range: delta must not be zero")
    return np.arange(start, limit, delta, dtype=np.result_type(start, limit, delta))


def _range_infer(start, limit, delta):
    dtype = check_same_dtype("Range", (start, limit, delta), ("start", "limit", "delta"))
    values = [constant_value(t) for t in (start, limit, delta)]
    if any(v is None for v in values):
        return dtype, [None]
    if values[2] == 0:
        raise InvalidArgumentError("Range: delta must not be zero")
    n = int(np.ceil((values[1] - values[0]) / values[2]))
    return dtype, [max(n, 0)]


RANGE = defop("Range", _range_kernel, _range_infer, grad=NO_GRADIENT,
              inputs=("start", "limit", "delta"))


def _range_dtype(values):
    """TF's rule: the widest of the arguments' dtypes (Python ints int32, floats float32)."""
    order = [dtypes.int32, dtypes.int64, dtypes.float32, dtypes.float64]
    found = []
    for v in values:
        dt = v.dtype if isinstance(v, Tensor) else dtypes.dtype_of_value(to_numpy(v))
        found.append(dt)
    return max(found, key=lambda d: order.index(d) if d in order else -1)


def range(start, limit=None, delta=1, dtype=None, name="range"):
    """Numbers from start (inclusive) to limit (exclusive) by delta; `range(10)` is int32.

    >>> range(5).numpy()
    array([0, 1, 2, 3, 4], dtype=int32)
    """
    if limit is None:
        start, limit = 0, start
    dtype = dtypes.as_dtype(dtype) if dtype is not None else _range_dtype((start, limit, delta))
    args = []
    for v in (start, limit, delta):
        if isinstance(v, Tensor) and v.dtype is not dtype:
            from .math_ops import cast
            v = cast(v, dtype)
        args.append(_tensor(v, None if isinstance(v, Tensor) else dtype))
    return apply(RANGE, args, None, name)


# -- where (select) ----------------------------------------------------------------------------

def _select_infer(condition, x, y):
    if not condition.dtype.is_bool:
        raise InvalidArgumentError("where: condition must be a bool tensor, got %s"
                                   % condition.dtype.name)
    dtype = check_same_dtype("SelectV2", (x, y), ("x", "y"))
    shape = broadcast_shapes("SelectV2", condition.shape,
                             broadcast_shapes("SelectV2", x.shape, y.shape))
    return dtype, shape


SELECT = defop("SelectV2", np.where, _select_infer, inputs=("condition", "t", "e"), eager_check=True)


def _where_coords(condition):
    return np.argwhere(condition).astype(np.int64)


WHERE = defop("Where", _where_coords,
              lambda c: (dtypes.int64, [None, c.shape.rank]), grad=NO_GRADIENT,
              inputs=("condition",))


def where(condition, x=None, y=None, name=None):
    """With x and y: elements of x where condition is True, else of y (broadcasting).
    Without: the coordinates of True elements, an int64 tensor of shape [n, rank].

    >>> where([True, False], 1.0, 2.0).numpy()
    array([1., 2.], dtype=float32)
    """
    condition = _tensor(condition)
    if x is None and y is None:
        return apply(WHERE, (condition,), None, name)
    if x is None or y is None:
        raise ValueError("where: x and y must both be given, or neither")
    from .math_ops import binary_operands
    x, y = binary_operands("SelectV2", x, y)
    return apply(SELECT, (condition, x, y), None, name)


newaxis = None


# -- placeholder -------------------------------------------------------------------------------

def _placeholder_kernel(dtype, shape):
    raise InvalidArgumentError("You must feed a value for this placeholder")


PLACEHOLDER = defop("Placeholder", _placeholder_kernel, lambda dtype, shape: (dtype, shape),
                    grad=NO_GRADIENT, inputs=(), fold=False)
