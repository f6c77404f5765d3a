"""Joining strings across elements: `reduce_join` (along axes) and `unsorted_segment_join`
(by segment id), TF's tf.strings reductions. Elementwise `join` lives in string_ops.

>>> import autotrace as tf
>>> tf.strings.reduce_join([["a", "b"], ["c", "d"]], axis=1, separator=".").numpy()
array([b'a.b', b'c.d'], dtype=object)
>>> tf.strings.unsorted_segment_join(["this", "is", "a", "test"], [0, 0, 1, 1], 2,
...                                  separator=" ").numpy()
array([b'this is', b'a test'], dtype=object)
"""
import numpy as np

from ..core import dtypes
from ..core.errors import InvalidArgumentError, InvalidShapeError
from ..core.tensor_shape import TensorShape
from . import arguments
from .array_ops import as_array, check_int_scalar, scalar_value
from .constant_op import convert_to_tensor
from .dispatch import dispatchable
from .registry import NO_GRADIENT, apply, defop
from .shapes import check_dtype
from .string_ops import _as_bytes, _string_input

__all__ = ["reduce_join", "unsorted_segment_join"]


# -- reduce_join -------------------------------------------------------------------------------

def _joined_order(rank, axes):
    """The axes to transpose to: the kept ones, then the reduced ones last-listed first, so
    the first listed axis varies fastest in each joined string (TF's order)."""
    kept = [a for a in range(rank) if a not in axes]
    return kept, kept + list(reversed(axes))


def _reduce_join_kernel(inputs, axes, keepdims, separator):
    inputs = as_array(inputs)
    if axes is None:  # every axis, in row-major order
        axes = tuple(reversed(range(inputs.ndim)))
    else:  # given as written when the rank was unknown while building the graph
        axes = _checked_axes(axes, inputs.ndim)
    kept, order = _joined_order(inputs.ndim, axes)
    kept_dims = [inputs.shape[a] for a in kept]
    joined = int(np.prod([inputs.shape[a] for a in axes], dtype=np.int64))
    rows = np.transpose(inputs, order).reshape(int(np.prod(kept_dims, dtype=np.int64)), joined)
    out = np.empty(kept_dims, dtype=object)
    flat_out = out.reshape(-1)
    for i, row in enumerate(rows):
        flat_out[i] = separator.join(row)
    if keepdims:
        out = out.reshape([1 if a in axes else d for a, d in enumerate(inputs.shape)])
    return out


def _checked_axes(axis, rank):
    axes = arguments.axes("ReduceJoin", "axis", axis, rank)
    if rank == 0 and axes:
        raise InvalidArgumentError("ReduceJoin: axis %s is out of range for a scalar input"
                                   % (list(axis) if isinstance(axis, tuple) else axis,))
    return axes


def _reduce_join_infer(inputs, axes, keepdims, separator):
    check_dtype("ReduceJoin", inputs, "s", "inputs")
    if inputs.shape.rank is None:
        return dtypes.string, None
    dims = inputs.shape.as_tuple()
    axes = range(len(dims)) if axes is None else axes
    if keepdims:
        return dtypes.string, [1 if a in axes else d for a, d in enumerate(dims)]
    return dtypes.string, [d for a, d in enumerate(dims) if a not in axes]


REDUCE_JOIN = defop("ReduceJoin", _reduce_join_kernel, _reduce_join_infer, grad=NO_GRADIENT,
                    inputs=("inputs",), eager_check=True)


@dispatchable
def reduce_join(inputs, axis=None, keepdims=False, separator="", name=None):
    """Join the strings along `axis` (every axis if None), with `separator` between.

    With several axes the first listed varies fastest in each joined string, as in TF
    (axis=None joins in row-major order).

    >>> reduce_join([["a", "b"], ["c", "d"]], axis=0).numpy()
    array([b'ac', b'bd'], dtype=object)
    >>> reduce_join([["a", "b"], ["c", "d"]]).numpy()
    b'abcd'
    """
    inputs = _string_input("ReduceJoin", inputs, "inputs")
    rank = inputs.shape.rank
    axes = None
    if axis is not None:
        if rank is None:  # checked when the graph runs
            axes = tuple(arguments.integers("ReduceJoin", "axis", [axis] if np.ndim(axis) == 0
                                            else axis))
        else:
            axes = _checked_axes(axis, rank)
    attrs = {"axes": axes, "keepdims": bool(keepdims), "separator": _as_bytes(separator)}
    return apply(REDUCE_JOIN, (inputs,), attrs, name)


# -- unsorted_segment_join ---------------------------------------------------------------------

def _segment_join_kernel(inputs, segment_ids, num_segments, separator):
    inputs, ids = as_array(inputs), np.asarray(segment_ids)
    n = scalar_value("UnsortedSegmentJoin", "num_segments", num_segments)
    _check_segment_shapes(TensorShape(inputs.shape), TensorShape(ids.shape))
    _check_num_segments(n)
    if ids.size and (ids.min() < 0 or ids.max() >= n):
        pos = tuple(int(p) for p in np.argwhere((ids < 0) | (ids >= n))[0])
        raise InvalidArgumentError("UnsortedSegmentJoin: segment_ids%s = %d is not in [0, %d) "
                                   "(num_segments; negative ids are not allowed)"
                                   % (list(pos), ids[pos], n))
    inner = inputs.shape[ids.ndim:]
    rows = inputs.reshape((ids.size,) + inner)
    pieces = [[] for _ in range(n)]
    for row, segment in zip(rows, ids.reshape(-1)):
        pieces[segment].append(row)
    out = np.empty((n,) + inner, dtype=object)
    for segment, members in enumerate(pieces):
        out[segment] = _join_rows(members, inner, separator)
    return out


def _join_rows(members, inner, separator):
    if not members:
        return b""
    stacked = np.stack(members).reshape(len(members), -1)
    joined = np.empty(stacked.shape[1], dtype=object)
    for j in range(stacked.shape[1]):
        joined[j] = separator.join(stacked[:, j])
    return joined.reshape(inner) if inner else joined[0]


def _check_num_segments(n):
    if n is not None and n < 0:
        raise InvalidArgumentError("UnsortedSegmentJoin: num_segments must be >= 0, got %d" % n)


def _check_segment_shapes(inputs_shape, ids_shape):
    if ids_shape.rank is None or inputs_shape.rank is None:
        return
    if ids_shape.rank == 0:
        raise InvalidShapeError("UnsortedSegmentJoin: segment_ids must have rank >= 1, got a "
                                "scalar")
    if ids_shape.rank > inputs_shape.rank or not ids_shape.is_compatible_with(
            inputs_shape[:ids_shape.rank]):
        raise InvalidShapeError("UnsortedSegmentJoin: segment_ids of shape %s must match the "
                                "first dimensions of inputs, whose shape is %s"
                                % (ids_shape, inputs_shape))


def _segment_join_infer(inputs, segment_ids, num_segments, separator):
    check_dtype("UnsortedSegmentJoin", inputs, "s", "inputs")
    check_dtype("UnsortedSegmentJoin", segment_ids, "iu", "segment_ids")
    n = check_int_scalar("UnsortedSegmentJoin", "num_segments", num_segments)
    _check_num_segments(n)
    _check_segment_shapes(inputs.shape, segment_ids.shape)
    if inputs.shape.rank is None or segment_ids.shape.rank is None:
        return dtypes.string, None
    return dtypes.string, [n] + inputs.shape.as_list()[segment_ids.shape.rank:]


UNSORTED_SEGMENT_JOIN = defop(
    "UnsortedSegmentJoin", _segment_join_kernel, _segment_join_infer, grad=NO_GRADIENT,
    inputs=("inputs", "segment_ids", "num_segments"), eager_check=True)


def unsorted_segment_join(inputs, segment_ids, num_segments, separator="", name=None):
    """Join the rows of `inputs` by segment: result[s] joins, in order, the rows j with
    segment_ids[j] == s (an empty string for a segment with none). Ids must lie in
    [0, num_segments).

    >>> unsorted_segment_join([["Y", "q"], ["Y", "p"], ["G", "p"]], [1, 0, 1], 2,
    ...                       separator=":").numpy()
    array([[b'Y', b'p'],
           [b'Y:G', b'q:p']], dtype=object)
    """
    inputs = _string_input("UnsortedSegmentJoin", inputs, "inputs")
    ids = convert_to_tensor(segment_ids)
    n = convert_to_tensor(num_segments)
    return apply(UNSORTED_SEGMENT_JOIN, (inputs, ids, n), {"separator": _as_bytes(separator)},
                 name)
