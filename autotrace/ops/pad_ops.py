"""Padding (pad: constant or mirrored) and its adjoint, cutting out a block (slice).

Moved from manip_ops, which re-exports `pad` and `slice`. The gradient of a pad is the slice of
the gradient where the input was (plus, for a mirror pad, the reflected borders folded back:
MirrorPadGrad); the gradient of a slice is the gradient padded with zeros back to the input's
shape.

>>> import autotrace as tf
>>> tf.pad([1, 2], [[1, 0]]).numpy()
array([0, 1, 2], dtype=int32)
"""
import builtins

import numpy as np

from ..core.errors import InvalidArgumentError
from ..core.tensor_shape import TensorShape
from .array_ops import (as_array, as_tensor, check_shape_arg as _check_shape_arg,
                        first_known as _first_known, int_tensor, int_values as _int_values,
                        shape, shape_of, static_ints, with_shape_of)
from .constant_op import adopt_operand, constant_value
from .gradient_ops import sum_to_shape
from .registry import apply, defop
from .shapes import check_same_dtype

__all__ = ["pad", "slice"]
_MOVED_NAMES = ("PAD", "MIRROR_PAD", "MIRROR_PAD_GRAD", "SLICE")


def _text(dims):
    return str(TensorShape(dims))


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


def _begins(paddings):
    """The `before` column of paddings: ints if known when the graph is built, else a tensor."""
    known = constant_value(paddings)
    if known is not None:
        return [int(b) for b in np.reshape(known, (-1, 2))[:, 0]]
    return paddings[:, 0]


def _pad_grad(op, g):
    """The input's part of the gradient is the block where it was put; the padding value's is
    the sum over the padded borders (TF gives None for constant_values)."""
    x, paddings, _ = op.inputs
    gx = with_shape_of(slice(g, _begins(paddings), shape_of(x)), x)
    return [gx, None, sum_to_shape(g, []) - sum_to_shape(gx, [])]


def _mirror_pad_grad(op, g):
    x, paddings = op.inputs
    return [with_shape_of(apply(MIRROR_PAD_GRAD, (g, paddings), {"mode": op.attrs["mode"]}), x),
            None]


PAD = defop("PadV2", _pad_kernel, _pad_infer, grad=_pad_grad,
            inputs=("input", "paddings", "constant_values"), eager_check=True)
MIRROR_PAD = defop("MirrorPad", _mirror_pad_kernel, _mirror_pad_infer, grad=_mirror_pad_grad,
                   inputs=("input", "paddings"), eager_check=True)


# -- MirrorPadGrad: the adjoint of a mirror pad ------------------------------------------------

def _mirror_pad_grad_kernel(grad, paddings, mode):
    """Fold the mirrored borders of `grad` back onto the elements they copy, axis by axis.

    REFLECT leaves the edge out: border element k (counted from the edge, from 0) copies
    element k + 1 of the input; SYMMETRIC repeats the edge: it copies element k."""
    out = as_array(grad)
    pairs = _int_values("MirrorPadGrad", "paddings", paddings, rank=2)
    if len(pairs) != out.ndim:
        raise _rows_error("MirrorPadGrad", len(pairs), out.ndim)
    offset = 1 if mode == "REFLECT" else 0
    for axis, (before, after) in enumerate(pairs):
        moved = np.moveaxis(out, axis, 0)
        n = moved.shape[0] - before - after
        if before < 0 or after < 0 or max(before, after) > n - offset:
            raise InvalidArgumentError("MirrorPadGrad: paddings [%d, %d] do not fit a %s padded "
                                       "dimension of length %d"
                                       % (before, after, mode, moved.shape[0]))
        core = moved[before:before + n].copy()
        if before:
            core[offset:offset + before] += moved[:before][::-1]
        if after:
            core[n - offset - after:n - offset] += moved[before + n:][::-1]
        out = np.moveaxis(core, 0, axis)
    return np.ascontiguousarray(out)


def _mirror_pad_grad_infer(grad, paddings, mode):
    _check_shape_arg("MirrorPadGrad", "paddings", paddings, rank=2)
    if grad.shape.rank is None:
        return grad.dtype, None
    dims = grad.shape.as_tuple()
    known = constant_value(paddings)
    if known is None:
        return grad.dtype, [None] * len(dims)
    pairs = np.reshape(known, (-1, 2)).tolist()
    if len(pairs) != len(dims):
        raise _rows_error("MirrorPadGrad", len(pairs), len(dims))
    return grad.dtype, [None if d is None else d - b - a for d, (b, a) in zip(dims, pairs)]


MIRROR_PAD_GRAD = defop(
    "MirrorPadGrad", _mirror_pad_grad_kernel, _mirror_pad_grad_infer,
    grad=lambda op, g: [apply(MIRROR_PAD, (g, op.inputs[1]), {"mode": op.attrs["mode"]}), None],
    inputs=("input", "paddings"))


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


def _slice_grad(op, g):
    """The gradient padded with zeros back to the input's shape."""
    x, begin, _ = op.inputs
    out = op.outputs[0]
    known = constant_value(begin)
    if known is not None and x.shape.is_fully_defined() and out.shape.is_fully_defined():
        paddings = [[int(b), d - int(b) - s] for b, d, s in
                    zip(np.reshape(known, -1), x.shape.as_list(), out.shape.as_list())]
    else:
        from .manip_ops import stack
        after = shape(x, begin.dtype) - begin - shape(out, begin.dtype)
        paddings = stack([begin, after], axis=1)
    return [with_shape_of(pad(g, paddings), x), None, None]


SLICE = defop("Slice", _slice_kernel, _slice_infer, grad=_slice_grad,
              inputs=("input", "begin", "size"),
              eager_check=True)


def slice(input_, begin, size, name=None):
    """The block of `input_` that starts at `begin` with extent `size` (-1: to the end).

    >>> slice([[1, 2, 3], [4, 5, 6]], [0, 1], [-1, 2]).numpy()
    array([[2, 3],
           [5, 6]], dtype=int32)
    """
    return apply(SLICE, (as_tensor(input_), int_tensor("Slice", "begin", begin),
                         int_tensor("Slice", "size", size)), None, name)
