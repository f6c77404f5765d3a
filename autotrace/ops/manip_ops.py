"""Manipulation ops: joining and splitting (stack, unstack, concat, split), repeating (tile,
broadcast_to) and reversing. Padding and cutting out a block (pad, slice) live in pad_ops and
are re-exported here.

Gradients: joining and splitting are each other's adjoints (the gradient of concat splits it,
that of split concatenates); tile and broadcast_to sum the gradient over the copies.

>>> import autotrace as tf
>>> [t.numpy() for t in tf.split([1, 2, 3, 4, 5], [2, -1])]
[array([1, 2], dtype=int32), array([3, 4, 5], dtype=int32)]
"""
import builtins

import numpy as np

from ..core.errors import InvalidArgumentError, InvalidShapeError
from ..core.tensor import Tensor
from ..core.tensor_shape import TensorShape
from .array_ops import (as_array, as_tensor, check_shape_arg as _check_shape_arg,
                        first_known as _first_known, identity, int_tensor,
                        int_values as _int_values, reshape, shape, shape_of, static_int,
                        static_ints, with_shape_of)
from .constant_op import constant_value, convert_to_tensor
from .creation_ops import ones_like
from .gradient_ops import sum_to_shape, sum_to_shape_of
from .pad_ops import pad, slice  # noqa: F401  (part of this module's API, see __all__)
from .dispatch import dispatchable
from .registry import apply, defop
from .shapes import check_same_dtype, normalize_axes, normalize_axis

__all__ = ["stack", "unstack", "concat", "split", "tile", "pad", "broadcast_to", "reverse",
           "slice"]
# Internal names other modules reach as array_ops.<name> (see array_ops.__getattr__).
_MOVED_NAMES = ("PACK", "UNPACK", "CONCAT")


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


def _pack_grad(op, g):
    n, axis = len(op.inputs), op.attrs["axis"]
    if g.shape.rank is not None:
        return list(unstack(g, num=n, axis=axis))
    from .gather_ops import gather  # a rank only known at run time: one gather per value
    return [gather(g, i, axis=axis) for i in builtins.range(n)]


PACK = defop("Pack", lambda *values, axis: np.stack(values, axis=axis), _pack_infer,
             grad=_pack_grad, inputs=("values",), eager_check=True)


@dispatchable
def stack(values, axis=0, name="stack"):
    """Stack a list of same-shape tensors along a new axis.

    >>> stack([[1, 2], [3, 4]], axis=1).numpy()
    array([[1, 3],
           [2, 4]], dtype=int32)
    """
    if isinstance(values, Tensor):
        stacked = _stack_of_tensor(values, axis, name)
        if stacked is not None:
            return stacked
    tensors = _tensor_list("stack", values)
    rank_ = tensors[0].shape.rank
    if rank_ is not None:
        if not -rank_ - 1 <= axis <= rank_:
            raise InvalidArgumentError("stack: axis %d is out of range for values of rank %d"
                                       % (axis, rank_))
        axis %= rank_ + 1
    return apply(PACK, tensors, {"axis": axis}, name)


def _stack_of_tensor(value, axis, name):
    """`stack(t)` of one tensor stacks its rows: `t` itself (axis 0), or `t` with its first
    axis moved to `axis`, without unstacking (its first dimension may be unknown, as for a
    list appended to in a graph loop, which comes out of the loop stacked). None when the
    rank is unknown and axis is not 0."""
    from .array_ops import identity, transpose
    rank_ = value.shape.rank
    if rank_ is None:
        return identity(value, name=name) if axis == 0 else None
    if rank_ == 0:
        raise InvalidArgumentError("stack: a scalar tensor has no rows to stack; pass a list "
                                   "of tensors")
    if not -rank_ <= axis < rank_:
        raise InvalidArgumentError("stack: axis %d is out of range for stacking the rows of a "
                                   "tensor of rank %d" % (axis, rank_))
    axis %= rank_
    if axis == 0:
        return identity(value, name=name)
    perm = list(builtins.range(1, axis + 1)) + [0] + list(builtins.range(axis + 1, rank_))
    return transpose(value, perm, name=name)


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


def _unpack_grad(op, *grads):
    if any(g is None for g in grads):  # not a floating-point tensor
        return [None]
    return [stack(list(grads), axis=op.attrs["axis"])]


UNPACK = defop("Unpack", _unpack_kernel, _unpack_infer, grad=_unpack_grad, multi_output=True,
               inputs=("value",))


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


def _dim(x, axis):
    """Length of one axis of x: an int if static, else a scalar tensor."""
    if x.shape.rank is not None and x.shape[axis] is not None:
        return x.shape[axis]
    return shape(x)[axis]


def _concat_grad(op, g):
    """The gradient split into the pieces the values came from."""
    axis = op.attrs["axis"]
    pieces = split(g, [_dim(x, axis) for x in op.inputs], axis=axis)
    return [with_shape_of(p, x) for p, x in zip(pieces, op.inputs)]


CONCAT = defop("ConcatV2", lambda *values, axis: np.concatenate(values, axis=axis),
               _concat_infer, grad=_concat_grad, inputs=("values",), eager_check=True)


@dispatchable
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


def _split_grad(op, *grads):
    if any(g is None for g in grads):  # not a floating-point tensor
        return [None] * len(op.inputs)
    value = op.inputs[0]
    return [with_shape_of(concat(list(grads), axis=op.attrs["axis"]), value)] + \
        [None] * (len(op.inputs) - 1)


SPLIT = defop("Split", _split_kernel, _split_infer, grad=_split_grad, multi_output=True,
              inputs=("value",))


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


SPLIT_V = defop("SplitV", _split_v_kernel, _split_v_infer, grad=_split_grad, multi_output=True,
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
    if isinstance(value, (list, tuple)):  # sizes, which may hold scalar tensors
        return False
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


def _tile_grad(op, g):
    """Reshape the gradient [m0 * d0, m1 * d1, ...] to [m0, d0, m1, d1, ...] and sum the copies
    (SumToShape to [1, d0, 1, d1, ...]), with run-time shapes where static ones are unknown."""
    x, multiples = op.inputs
    known = constant_value(multiples)
    if known is not None and x.shape.is_fully_defined():
        known = [int(m) for m in np.reshape(known, -1)]
        if all(m == 1 for m in known):
            return [g, None]
        dims = x.shape.as_list()
        split_shape = [v for pair in zip(known, dims) for v in pair]
        target = [v for d in dims for v in (1, d)]
    else:
        dims = shape(x, multiples.dtype)
        split_shape = reshape(stack([multiples, dims], axis=1), [-1])
        target = reshape(stack([ones_like(dims), dims], axis=1), [-1])
    summed = sum_to_shape(reshape(g, split_shape), target)
    return [with_shape_of(reshape(summed, shape_of(x)), x), None]


TILE = defop("Tile", _tile_kernel, _tile_infer, grad=_tile_grad, inputs=("input", "multiples"),
             eager_check=True)


@dispatchable
def tile(input, multiples, name=None):
    """Repeat the tensor multiples[i] times along each dimension i.

    >>> tile([[1, 2]], [2, 2]).numpy()
    array([[1, 2, 1, 2],
           [1, 2, 1, 2]], dtype=int32)
    """
    return apply(TILE, (as_tensor(input), int_tensor("Tile", "multiples", multiples)), None,
                 name)


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
                     grad=lambda op, g: [sum_to_shape_of(g, op.inputs[0]), None],
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
                lambda tensor, axis: (tensor.dtype, tensor.shape),
                grad=lambda op, g: [reverse(g, list(op.attrs["axis"]))], inputs=("tensor",))


@dispatchable
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
