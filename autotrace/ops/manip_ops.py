"""Manipulation ops: joining and splitting (stack, unstack, concat, split), repeating (tile,
broadcast_to), padding, reversing, and cutting out a block (slice).

>>> import autotrace as tf
>>> [t.numpy() for t in tf.split([1, 2, 3, 4, 5], [2, -1])]
[array([1, 2], dtype=int32), array([3, 4, 5], dtype=int32)]
"""
import builtins

import numpy as np

from ..errors import DTypeMismatchError, InvalidArgumentError, InvalidShapeError
from ..tensor import Tensor
from ..tensor_shape import TensorShape
from .array_ops import (as_array, as_tensor, identity, int_tensor, static_int,
                        static_ints)
from .constant_op import adopt_operand, constant_value, convert_to_tensor
from .registry import apply, defop
from .shapes import check_same_dtype, normalize_axes, normalize_axis

__all__ = ["stack", "unstack", "concat", "split", "tile", "pad", "broadcast_to", "reverse",
           "slice"]
# Internal names other modules reach as array_ops.<name> (see array_ops.__getattr__).
_MOVED_NAMES = ("PACK", "UNPACK", "CONCAT")


def _check_shape_arg(op_type, arg, t, rank=1):
    """Shape rule helper: `t` must be an integer tensor of rank `rank` (a list of ints)."""
    if not t.dtype.is_integer:
        raise DTypeMismatchError("%s: %s must be an integer tensor, got %s"
                                 % (op_type, arg, t.dtype.name))
    if t.shape.rank not in (rank, None):
        raise InvalidArgumentError("%s: %s must have rank %d, got shape %s"
                                   % (op_type, arg, rank, t.shape))


def _int_values(op_type, arg, value, rank=1):
    """Kernel helper: the value of an integer argument as a list (of lists for rank 2); checks
    the rank, which the shape rule could not when the argument's shape was unknown."""
    value = np.asarray(value)
    if value.ndim != rank or rank == 2 and value.shape[1] != 2:
        raise InvalidArgumentError("%s: %s must have shape %s, got %s" % (
            op_type, arg, "[n]" if rank == 1 else "[rank, 2]", TensorShape(value.shape)))
    return value.astype(np.int64).tolist()


def _first_known(*values):
    return next((v for v in values if v is not None), None)


# -- stack / unstack / concat ------------------------------------------------------------------

def _value_names(values):
    return ["values[%d]" % i for i in builtins.range(len(values))]


def _pack_infer(*values, axis):
    dtype = check_same_dtype("Pack", values, _value_names(values))
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
    x = as_tensor(value)
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
    dtype = check_same_dtype("ConcatV2", values, _value_names(values))
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


# -- split -------------------------------------------------------------------------------------

def _equal_parts(dim, num_split, axis, shape):
    if dim is not None and dim % num_split:
        raise InvalidShapeError("Split: cannot split axis %d of length %d (value shape %s) into "
                                "%d equal parts; pass a list of sizes instead"
                                % (axis, dim, shape, num_split))
    return None if dim is None else dim // num_split


def _splittable(value):
    value = as_array(value)
    if value.ndim == 0:
        raise InvalidArgumentError("Split: value must have rank >= 1, got a scalar")
    return value


def _split_kernel(value, axis, num_split):
    value = _splittable(value)
    _equal_parts(value.shape[axis], num_split, axis, value.shape)
    return np.split(value, num_split, axis=axis)


def _split_infer(value, axis, num_split):
    if value.shape.rank == 0:
        raise InvalidArgumentError("Split: value must have rank >= 1, got a scalar")
    if value.shape.rank is None:
        return [(value.dtype, None)] * num_split
    dims = list(value.shape.as_tuple())
    dims[axis] = _equal_parts(dims[axis], num_split, axis, value.shape)
    return [(value.dtype, dims)] * num_split


SPLIT = defop("Split", _split_kernel, _split_infer, multi_output=True, inputs=("value",))


def _resolve_sizes(sizes, dim, axis, shape):
    """Split sizes with the -1 (if any) resolved against the axis length `dim` (None: unknown)."""
    rest = [i for i, s in enumerate(sizes) if s == -1]
    if len(rest) > 1 or any(s < -1 for s in sizes):
        raise InvalidArgumentError("SplitV: size_splits %s may hold one -1 (the rest) and "
                                   "otherwise sizes >= 0" % list(sizes))
    if dim is None:
        return [None if s == -1 else s for s in sizes]
    total = builtins.sum(s for s in sizes if s != -1)
    if rest and total <= dim:
        sizes = list(sizes)
        sizes[rest[0]] = dim - total
    elif rest or total != dim:
        raise InvalidShapeError("SplitV: size_splits %s %s %d, but axis %d of value (shape %s) "
                                "has length %d" % (list(sizes), "need at least" if rest else
                                                   "add up to", total, axis, shape, dim))
    return sizes


def _split_v_kernel(value, size_splits, axis, num_split):
    value = _splittable(value)
    sizes = _int_values("SplitV", "size_splits", size_splits)
    if len(sizes) != num_split:
        raise InvalidArgumentError("SplitV: size_splits has %d sizes but num=%d"
                                   % (len(sizes), num_split))
    sizes = _resolve_sizes(sizes, value.shape[axis], axis, value.shape)
    return np.split(value, np.cumsum(sizes)[:-1], axis=axis)


def _split_v_infer(value, size_splits, axis, num_split):
    _check_shape_arg("SplitV", "size_splits", size_splits)
    sizes = static_ints("SplitV", "size_splits", size_splits)
    count = _first_known(None if sizes is None else len(sizes), size_splits.shape[0])
    if count is not None and count != num_split:
        raise InvalidArgumentError("SplitV: size_splits has %d sizes but num=%d"
                                   % (count, num_split))
    if value.shape.rank is None:
        return [(value.dtype, None)] * num_split
    dims = list(value.shape.as_tuple())
    if sizes is None:
        sizes = [None] * num_split
    else:
        sizes = _resolve_sizes(sizes, dims[axis], axis, value.shape)
    return [(value.dtype, dims[:axis] + [s] + dims[axis + 1:]) for s in sizes]


SPLIT_V = defop("SplitV", _split_v_kernel, _split_v_infer, multi_output=True,
                inputs=("value", "size_splits"), eager_check=True)


def split(value, num_or_size_splits, axis=0, num=None, name="split"):
    """Split into a number of equal pieces, or pieces of the given sizes (one may be -1: the
    rest) along `axis`. Returns a list of tensors.

    >>> [t.shape for t in split(np.zeros([2, 6]), [1, -1], axis=-1)]
    [TensorShape([2, 1]), TensorShape([2, 5])]
    """
    x = as_tensor(value)
    if x.shape.rank == 0:
        raise InvalidArgumentError("split: value must have rank >= 1, got a scalar")
    axis = normalize_axis("Split", static_int("Split", "axis", axis), x.shape.rank)
    if _is_scalar(num_or_size_splits):
        count = static_int("Split", "num_or_size_splits", num_or_size_splits)
        if count < 1:
            raise InvalidArgumentError("split: num_or_size_splits must be >= 1 (a number of "
                                       "pieces) or a list of sizes, got %d" % count)
        return apply(SPLIT, (x,), {"axis": axis, "num_split": count}, name)
    sizes = int_tensor("SplitV", "num_or_size_splits", num_or_size_splits)
    count = num if num is not None else sizes.shape[0] if sizes.shape.rank == 1 else None
    if count is None:
        raise InvalidArgumentError("split: cannot tell how many pieces the size_splits tensor "
                                   "%s makes; pass num=" % (sizes,))
    return apply(SPLIT_V, (x, sizes), {"axis": axis, "num_split": count}, name)


def _is_scalar(value):
    if isinstance(value, Tensor) or hasattr(value, "_as_tensor"):
        return value.shape.rank == 0
    return np.ndim(value) == 0


# -- tile --------------------------------------------------------------------------------------

def _check_multiples(multiples, rank):
    if rank is not None and len(multiples) != rank:
        raise InvalidArgumentError("Tile: multiples %s must hold one entry per dimension of the "
                                   "input, which has rank %d" % (multiples, rank))
    if any(m < 0 for m in multiples):
        raise InvalidArgumentError("Tile: multiples %s must be >= 0" % (multiples,))


def _tile_kernel(input, multiples):
    input = as_array(input)
    multiples = _int_values("Tile", "multiples", multiples)
    _check_multiples(multiples, input.ndim)
    return np.tile(input, multiples)


def _tile_infer(input, multiples):
    _check_shape_arg("Tile", "multiples", multiples)
    known = static_ints("Tile", "multiples", multiples)
    rank = input.shape.rank
    if known is None:
        rank = _first_known(rank, multiples.shape[0])
        return input.dtype, None if rank is None else [None] * rank
    _check_multiples(known, rank)
    dims = input.shape.as_tuple() or (None,) * len(known)
    return input.dtype, [0 if m == 0 else None if d is None else d * m
                         for d, m in zip(dims, known)]


TILE = defop("Tile", _tile_kernel, _tile_infer, inputs=("input", "multiples"), eager_check=True)


def tile(input, multiples, name=None):
    """Repeat the tensor multiples[i] times along each dimension i.

    >>> tile([[1, 2]], [2, 2]).numpy()
    array([[1, 2, 1, 2],
           [1, 2, 1, 2]], dtype=int32)
    """
    return apply(TILE, (as_tensor(input), int_tensor("Tile", "multiples", multiples)), None,
                 name)


# -- pad ---------------------------------------------------------------------------------------

_PAD_MODES = ("CONSTANT", "REFLECT", "SYMMETRIC")


def _check_paddings(op_type, paddings, dims, mode):
    """paddings: one [before, after] pair per dimension; dims: the input dims (None: unknown)."""
    if len(paddings) != len(dims):
        raise _rows_error(op_type, len(paddings), len(dims))
    for axis, ((before, after), d) in enumerate(zip(paddings, dims)):
        if before < 0 or after < 0:
            raise InvalidArgumentError("%s: paddings must be >= 0, got [%d, %d] for dimension %d"
                                       % (op_type, before, after, axis))
        limit = None if d is None else d if mode == "SYMMETRIC" else d - 1
        if mode != "CONSTANT" and limit is not None and max(before, after) > limit:
            raise InvalidArgumentError(
                "%s: %s padding of dimension %d (length %d) can be at most %d, got [%d, %d]"
                % (op_type, mode, axis, d, limit, before, after))


def _rows_error(op_type, rows, rank):
    return InvalidArgumentError("%s: paddings has %d rows but the input has rank %d; it needs "
                                "one [before, after] row per dimension" % (op_type, rows, rank))


def _pad_kernel(input, paddings, constant_values):
    input = as_array(input)
    paddings = _int_values("PadV2", "paddings", paddings, rank=2)
    _check_paddings("PadV2", paddings, input.shape, "CONSTANT")
    if input.ndim == 0:
        return input.copy()
    return np.pad(input, paddings, constant_values=constant_values)


def _mirror_pad_kernel(input, paddings, mode):
    input = as_array(input)
    paddings = _int_values("MirrorPad", "paddings", paddings, rank=2)
    _check_paddings("MirrorPad", paddings, input.shape, mode)
    if input.ndim == 0:
        return input.copy()
    return np.pad(input, paddings, mode=mode.lower())


def _padded_dims(op_type, x, paddings, mode):
    _check_shape_arg(op_type, "paddings", paddings, rank=2)
    rows, cols = paddings.shape.as_tuple() or (None, None)
    if cols not in (2, None):
        raise InvalidArgumentError("%s: paddings must have shape [rank, 2], got %s"
                                   % (op_type, paddings.shape))
    if None not in (x.shape.rank, rows) and x.shape.rank != rows:
        raise _rows_error(op_type, rows, x.shape.rank)
    rank = _first_known(x.shape.rank, rows)
    known = constant_value(paddings)
    if known is None:
        return None if rank is None else [None] * rank
    pairs = np.asarray(known).reshape(-1, 2).tolist()
    dims = x.shape.as_tuple() or (None,) * len(pairs)
    _check_paddings(op_type, pairs, dims, mode)
    return [None if d is None else d + before + after for d, (before, after) in zip(dims, pairs)]


def _pad_infer(input, paddings, constant_values):
    dtype = check_same_dtype("PadV2", (input, constant_values), ("tensor", "constant_values"))
    if constant_values.shape.rank not in (0, None):
        raise InvalidArgumentError("PadV2: constant_values must be a scalar, got shape %s"
                                   % constant_values.shape)
    return dtype, _padded_dims("PadV2", input, paddings, "CONSTANT")


def _mirror_pad_infer(input, paddings, mode):
    return input.dtype, _padded_dims("MirrorPad", input, paddings, mode)


PAD = defop("PadV2", _pad_kernel, _pad_infer, inputs=("input", "paddings", "constant_values"),
            eager_check=True)
MIRROR_PAD = defop("MirrorPad", _mirror_pad_kernel, _mirror_pad_infer,
                   inputs=("input", "paddings"), eager_check=True)


def pad(tensor, paddings, mode="CONSTANT", constant_values=0, name=None):
    """Pad each dimension i with paddings[i] = [before, after] values: `constant_values`, or
    a mirror image of the tensor ("REFLECT" leaves out the edge, "SYMMETRIC" repeats it).

    >>> pad([1, 2, 3], [[1, 2]], "REFLECT").numpy()
    array([2, 1, 2, 3, 2, 1], dtype=int32)
    """
    x = as_tensor(tensor)
    key = mode.upper() if isinstance(mode, str) else mode
    if key not in _PAD_MODES:
        raise ValueError("pad: mode must be 'CONSTANT', 'REFLECT' or 'SYMMETRIC', got %r"
                         % (mode,))
    paddings = int_tensor("PadV2", "paddings", paddings)
    if key != "CONSTANT":
        return apply(MIRROR_PAD, (x, paddings), {"mode": key}, name)
    if isinstance(constant_values, int) and constant_values == 0:
        # The default: zero of any dtype, False for bool, b"" for strings (as TF).
        constant_values = (np.array(b"", dtype=object) if x.dtype.is_string
                           else np.zeros((), x.dtype.np))
    value = adopt_operand(constant_values, x.dtype)
    return apply(PAD, (x, paddings, value), None, name)


# -- broadcast_to ------------------------------------------------------------------------------

def _check_broadcast(in_dims, target):
    if any(t < 0 for t in target):
        raise InvalidArgumentError("BroadcastTo: shape %s has a negative dimension"
                                   % (list(target),))
    if len(in_dims) > len(target):
        raise InvalidShapeError("BroadcastTo: cannot broadcast a tensor of shape %s to the "
                                "lower-rank shape %s" % (_text(in_dims), list(target)))
    for d, t in zip(reversed(in_dims), reversed(target)):
        if d is not None and d not in (1, t):
            raise InvalidShapeError("BroadcastTo: cannot broadcast a tensor of shape %s to "
                                    "shape %s (dimension %d vs %d)"
                                    % (_text(in_dims), list(target), d, t))


def _text(dims):
    return str(TensorShape(dims))


def _broadcast_to_kernel(input, shape):
    input = as_array(input)
    target = _int_values("BroadcastTo", "shape", shape)
    _check_broadcast(input.shape, target)
    return np.array(np.broadcast_to(input, target))  # a writable copy


def _broadcast_to_infer(input, shape):
    _check_shape_arg("BroadcastTo", "shape", shape)
    target = static_ints("BroadcastTo", "shape", shape)
    if target is None:
        n = shape.shape[0] if shape.shape.rank == 1 else None
        return input.dtype, None if n is None else [None] * n
    if input.shape.rank is not None:
        _check_broadcast(input.shape.as_tuple(), target)
    return input.dtype, target


BROADCAST_TO = defop("BroadcastTo", _broadcast_to_kernel, _broadcast_to_infer,
                     inputs=("input", "shape"), eager_check=True)


def broadcast_to(input, shape, name=None):
    """The tensor broadcast (NumPy's rules) to `shape`.

    >>> broadcast_to([1, 2], [2, 2]).numpy()
    array([[1, 2],
           [1, 2]], dtype=int32)
    """
    return apply(BROADCAST_TO, (as_tensor(input), int_tensor("BroadcastTo", "shape", shape)),
                 None, name)


# -- reverse -----------------------------------------------------------------------------------

REVERSE = defop("ReverseV2", lambda tensor, axis: np.flip(as_array(tensor), axis),
                lambda tensor, axis: (tensor.dtype, tensor.shape), inputs=("tensor",))


def reverse(tensor, axis, name=None):
    """Reverse the order of elements along each axis in the list `axis`.

    >>> reverse([[1, 2], [3, 4]], [-1]).numpy()
    array([[2, 1],
           [4, 3]], dtype=int32)
    """
    x = as_tensor(tensor)
    axes = static_ints("ReverseV2", "axis", axis)
    if axes is None:
        raise InvalidArgumentError("reverse: axis must be known when the graph is built")
    return apply(REVERSE, (x,), {"axis": normalize_axes("ReverseV2", axes, x.shape.rank)}, name)


# -- slice -------------------------------------------------------------------------------------

def _slice_bounds(begin, size, dims):
    """(begin, size) per dimension, a -1 size resolved; dims may hold None (unknown)."""
    if len(begin) != len(dims) or len(size) != len(dims):
        raise InvalidArgumentError("Slice: begin %s and size %s need one entry per dimension of "
                                   "the input, whose shape is %s" % (begin, size, _text(dims)))
    out = []
    for axis, (b, s, d) in enumerate(zip(begin, size, dims)):
        if b < 0 or d is not None and b > d:
            raise InvalidArgumentError("Slice: begin[%d] = %d is out of range for axis %d of "
                                       "input shape %s" % (axis, b, axis, _text(dims)))
        if s == -1:
            s = None if d is None else d - b
        elif s < -1 or d is not None and b + s > d:
            raise InvalidArgumentError(
                "Slice: size[%d] = %d is out of range: axis %d of input shape %s has %s "
                "elements from begin[%d] = %d on (size -1 means all of them)"
                % (axis, s, axis, _text(dims), "?" if d is None else d - b, axis, b))
        out.append((b, s))
    return out


def _slice_kernel(input, begin, size):
    input = as_array(input)
    bounds = _slice_bounds(_int_values("Slice", "begin", begin),
                           _int_values("Slice", "size", size), input.shape)
    return input[tuple(builtins.slice(b, b + s) for b, s in bounds)]


def _slice_infer(input, begin, size):
    _check_shape_arg("Slice", "begin", begin)
    _check_shape_arg("Slice", "size", size)
    b, s = static_ints("Slice", "begin", begin), static_ints("Slice", "size", size)
    rank = _first_known(input.shape.rank, begin.shape[0], size.shape[0],
                        None if b is None else len(b), None if s is None else len(s))
    if rank is None:
        return input.dtype, None
    dims = input.shape.as_tuple() or (None,) * rank
    if b is not None and s is not None:
        return input.dtype, [n for _, n in _slice_bounds(b, s, dims)]
    if s is not None:  # begin unknown: only explicit sizes are known
        return input.dtype, [n for _, n in _slice_bounds([0] * len(s), s, (None,) * rank)]
    return input.dtype, [None] * rank


SLICE = defop("Slice", _slice_kernel, _slice_infer, inputs=("input", "begin", "size"),
              eager_check=True)


def slice(input_, begin, size, name=None):
    """The block of `input_` that starts at `begin` with extent `size` (-1: to the end).

    >>> slice([[1, 2, 3], [4, 5, 6]], [0, 1], [-1, 2]).numpy()
    array([[2, 3],
           [5, 6]], dtype=int32)
    """
    return apply(SLICE, (as_tensor(input_), int_tensor("Slice", "begin", begin),
                         int_tensor("Slice", "size", size)), None, name)
