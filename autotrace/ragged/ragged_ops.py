"""The registry ops ragged tensors are built on (kernel, shape rule and gradient side by side).

- RaggedRange: rows of ranges (starts[i], limits[i], deltas[i]) as (row_splits, values).
- RaggedTensorToTensor / RaggedValuesFromDense: scatter the flat values of a ragged tensor into
  a padded dense tensor, and gather them back; each is the other's gradient.
- RaggedCheckSplits / RaggedCheckSamePartition: validation, passing the row splits through,
  so a bad partition is an InvalidArgumentError naming the constructor and the bad index (when
  executing eagerly, and when a traced function runs).
"""
import numpy as np

from ..core import dtypes
from ..core.errors import InvalidArgumentError
from ..ops.registry import NO_GRADIENT, apply, defop

__all__ = ["ragged_range", "row_ids", "to_tensor", "values_from_dense", "check_splits",
           "check_same_partition", "value_positions"]


# -- positions of the flat values in the dense tensor -----------------------------------------

def _row_ids(splits):
    return np.repeat(np.arange(len(splits) - 1, dtype=splits.dtype), np.diff(splits))


def value_positions(nested_splits):
    """For each flat value, its index along each ragged dimension and the rows: a list of
    arrays [row, col_1, ..., col_k] (k = ragged rank)."""
    ids = None
    cols = []
    for splits in reversed(nested_splits):
        rows = _row_ids(splits)
        col = np.arange(len(rows), dtype=splits.dtype) - splits[rows]
        if ids is None:
            cols.insert(0, col)
            ids = rows
        else:
            cols.insert(0, col[ids])
            ids = rows[ids]
    return [ids if ids is not None else np.zeros(0, np.int64)] + cols


def _bounding_dims(nested_splits):
    dims = [len(nested_splits[0]) - 1]
    for splits in nested_splits:
        lengths = np.diff(splits)
        dims.append(int(lengths.max()) if lengths.size else 0)
    return dims


def _dense_dims(flat_values, nested_splits, shape):
    dims = _bounding_dims(nested_splits) + list(flat_values.shape[1:])
    if shape is not None:
        dims = [d if s is None else s for d, s in zip(dims, shape)]
    return dims


# -- RaggedTensorToTensor ----------------------------------------------------------------------

def _to_tensor_kernel(flat_values, default_value, *nested_splits, shape):
    dims = _dense_dims(flat_values, nested_splits, shape)
    k = len(nested_splits)
    inner = tuple(dims[k + 1:])
    if inner != flat_values.shape[1:]:
        raise InvalidArgumentError("RaggedTensorToTensor: shape %s does not fit the inner "
                                   "dimensions %s of the values" % (list(shape or dims),
                                                                    list(flat_values.shape[1:])))
    out = np.empty(dims, flat_values.dtype)
    out[...] = default_value
    index = value_positions(nested_splits)
    keep = None
    for axis, ids in enumerate(index):
        if ids.size and int(ids.max()) >= dims[axis]:
            inside = ids < dims[axis]
            keep = inside if keep is None else keep & inside
    if keep is None:
        out[tuple(index)] = flat_values
    else:
        out[tuple(ids[keep] for ids in index)] = flat_values[keep]
    return out


def _to_tensor_infer(flat_values, default_value, *nested_splits, shape):
    outer = nested_splits[0].shape
    nrows = None if outer.rank is None or outer[0] is None else outer[0] - 1
    inner = flat_values.shape[1:].as_list() if flat_values.shape.rank is not None else None
    if inner is None:
        return flat_values.dtype, None
    dims = [nrows] + [None] * len(nested_splits) + inner
    if shape is not None:
        dims = [d if s is None else s for d, s in zip(dims, shape)]
    if default_value.dtype is not flat_values.dtype:
        raise InvalidArgumentError("RaggedTensorToTensor: default_value has dtype %s but the "
                                   "values have dtype %s" % (default_value.dtype.name,
                                                             flat_values.dtype.name))
    return flat_values.dtype, dims


def _to_tensor_grad(op, g):
    from ..ops import math_ops
    from ..ops.gradient_ops import unbroadcast
    flat_values, default_value = op.inputs[:2]
    splits = op.inputs[2:]
    value_grad = values_from_dense(g, splits)
    k = len(splits)
    padding = math_ops.subtract(math_ops.reduce_sum(g, axis=list(range(k + 1))),
                                math_ops.reduce_sum(value_grad, axis=0))
    return [value_grad, unbroadcast(padding, default_value)] + [None] * k


RAGGED_TO_TENSOR = defop("RaggedTensorToTensor", _to_tensor_kernel, _to_tensor_infer,
                         grad=_to_tensor_grad, inputs=("flat_values", "default_value",
                                                       "row_splits"), eager_check=True)


def to_tensor(flat_values, default_value, nested_splits, shape=None, name=None):
    return apply(RAGGED_TO_TENSOR, [flat_values, default_value] + list(nested_splits),
                 {"shape": None if shape is None else tuple(shape)}, name)


# -- RaggedValuesFromDense (the gradient of RaggedTensorToTensor) ------------------------------

def _values_from_dense_kernel(dense, *nested_splits):
    index = value_positions(nested_splits)
    n = len(index[0])
    out = np.zeros((n,) + dense.shape[len(index):], dense.dtype)
    keep = np.ones(n, bool)
    for axis, ids in enumerate(index):
        keep &= ids < dense.shape[axis]
    out[keep] = dense[tuple(ids[keep] for ids in index)]
    return out


def _values_from_dense_infer(dense, *nested_splits):
    if dense.shape.rank is None:
        return dense.dtype, None
    return dense.dtype, [None] + dense.shape[len(nested_splits) + 1:].as_list()


def _values_from_dense_grad(op, g):
    from ..ops import array_ops
    dense = op.inputs[0]
    splits = op.inputs[1:]
    shape = dense.shape.as_list() if dense.shape.is_fully_defined() else None
    zero = array_ops.zeros([], g.dtype)
    back = to_tensor(g, zero, splits, shape)
    if shape is None:  # pad to the dense input's run-time shape
        from ..ops.manip_ops import pad
        extra = array_ops.shape(dense) - array_ops.shape(back)
        back = pad(back, array_ops.stack([array_ops.zeros_like(extra), extra], axis=1))
    return [back] + [None] * len(splits)


RAGGED_VALUES_FROM_DENSE = defop("RaggedValuesFromDense", _values_from_dense_kernel,
                                 _values_from_dense_infer, grad=_values_from_dense_grad,
                                 inputs=("dense", "row_splits"))


def values_from_dense(dense, nested_splits, name=None):
    """The values of a ragged tensor of partition `nested_splits` read from `dense`."""
    return apply(RAGGED_VALUES_FROM_DENSE, [dense] + list(nested_splits), None, name)


# -- RaggedRange -------------------------------------------------------------------------------

def _range_kernel(starts, limits, deltas, Tsplits):
    starts, limits, deltas = np.broadcast_arrays(starts, limits, deltas)
    if np.any(deltas == 0):
        raise InvalidArgumentError("RaggedRange: deltas[%d] is 0; a range needs a nonzero step"
                                   % int(np.argmax(deltas.reshape(-1) == 0)))
    with np.errstate(invalid="ignore", divide="ignore"):
        counts = np.ceil((limits - starts) / deltas)
    counts = np.maximum(counts, 0).astype(np.int64).reshape(-1)
    splits = np.zeros(len(counts) + 1, Tsplits.np)
    np.cumsum(counts, out=splits[1:])
    rows = np.repeat(np.arange(len(counts)), counts)
    offsets = np.arange(splits[-1], dtype=np.int64) - splits[:-1][rows]
    dtype = np.result_type(starts, limits, deltas)
    values = (starts.reshape(-1)[rows] + offsets * deltas.reshape(-1)[rows]).astype(dtype)
    return [splits, values]


def _range_infer(starts, limits, deltas, Tsplits):
    for name, t in (("starts", starts), ("limits", limits), ("deltas", deltas)):
        if t.shape.rank is not None and t.shape.rank > 1:
            raise InvalidArgumentError("RaggedRange: %s must be a scalar or vector, got shape %s"
                                       % (name, t.shape))
        if t.dtype is not starts.dtype:
            raise InvalidArgumentError("RaggedRange: starts, limits and deltas must have one "
                                       "dtype; %s is %s, starts is %s"
                                       % (name, t.dtype.name, starts.dtype.name))
    return [(Tsplits, [None]), (starts.dtype, [None])]


RAGGED_RANGE = defop("RaggedRange", _range_kernel, _range_infer, grad=NO_GRADIENT,
                     multi_output=True, inputs=("starts", "limits", "deltas"),
                     eager_check=True)


def ragged_range(starts, limits, deltas, splits_dtype=dtypes.int64, name=None):
    """(row_splits, values) of the rows range(starts[i], limits[i], deltas[i])."""
    return apply(RAGGED_RANGE, (starts, limits, deltas), {"Tsplits": splits_dtype}, name)


# -- the row of each value -------------------------------------------------------------------

def _row_ids_kernel(row_splits):
    return _row_ids(row_splits)


def _row_ids_infer(row_splits):
    if not row_splits.dtype.is_integer:
        raise InvalidArgumentError("RaggedRowIds: row_splits must be integers, got %s"
                                   % row_splits.dtype.name)
    return row_splits.dtype, [None]


RAGGED_ROW_IDS = defop("RaggedRowIds", _row_ids_kernel, _row_ids_infer, grad=NO_GRADIENT,
                       inputs=("row_splits",), eager_check=True)


def row_ids(row_splits, name=None):
    """[0, 0, 1, 2, 2, 2] for row_splits [0, 2, 3, 6]: the row of each value."""
    return apply(RAGGED_ROW_IDS, (row_splits,), None, name)


# -- validation --------------------------------------------------------------------------------

def _check_splits_kernel(splits, nvals, what):
    if splits.ndim != 1 or len(splits) == 0:
        raise InvalidArgumentError("%s: row_splits must be a non-empty vector, got shape %s"
                                   % (what, splits.shape))
    if splits[0] != 0:
        raise InvalidArgumentError("%s: row_splits[0] must be 0, got %d" % (what, splits[0]))
    steps = np.diff(splits)
    if steps.size and steps.min() < 0:
        i = int(np.argmax(steps < 0)) + 1
        raise InvalidArgumentError("%s: row_splits must be sorted in ascending order, but "
                                   "row_splits[%d] = %d is less than row_splits[%d] = %d"
                                   % (what, i, splits[i], i - 1, splits[i - 1]))
    if splits[-1] != nvals:
        raise InvalidArgumentError("%s: row_splits[-1] = %d must equal the number of values, "
                                   "%d" % (what, splits[-1], nvals))
    return splits


def _check_splits_infer(splits, nvals, what):
    if not splits.dtype.is_integer:
        raise InvalidArgumentError("%s: row_splits must be int32 or int64, got %s"
                                   % (what, splits.dtype.name))
    if splits.shape.rank not in (None, 1):
        raise InvalidArgumentError("%s: row_splits must be a vector, got shape %s"
                                   % (what, splits.shape))
    return splits.dtype, splits.shape


RAGGED_CHECK_SPLITS = defop("RaggedCheckSplits", _check_splits_kernel, _check_splits_infer,
                            grad=NO_GRADIENT, inputs=("row_splits", "nvals"), eager_check=True)


def check_splits(splits, nvals, what):
    return apply(RAGGED_CHECK_SPLITS, (splits, nvals), {"what": what})


def _same_partition_kernel(a, b, what):
    if a.shape != b.shape or not np.array_equal(a, b):
        if a.shape != b.shape:
            detail = "%d rows and %d rows" % (len(a) - 1, len(b) - 1)
        else:
            i = int(np.argmax(a != b))
            detail = "row_splits[%d] is %d and %d" % (i, a[i], b[i])
        raise InvalidArgumentError("%s: the ragged operands have different row partitions "
                                   "(%s); elementwise ops need ragged tensors with the same "
                                   "row lengths" % (what, detail))
    return a


def _same_partition_infer(a, b, what):
    if a.dtype is not b.dtype:
        raise InvalidArgumentError("%s: the ragged operands have row_splits of dtypes %s and "
                                   "%s; use with_row_splits_dtype to match them"
                                   % (what, a.dtype.name, b.dtype.name))
    if not a.shape.is_compatible_with(b.shape):
        raise InvalidArgumentError("%s: the ragged operands have different numbers of rows "
                                   "(row_splits of shapes %s and %s)" % (what, a.shape,
                                                                         b.shape))
    return a.dtype, a.shape.merge_with(b.shape)


RAGGED_CHECK_SAME_PARTITION = defop("RaggedCheckSamePartition", _same_partition_kernel,
                                    _same_partition_infer, grad=NO_GRADIENT,
                                    inputs=("a", "b"), eager_check=True)


def check_same_partition(a, b, what):
    return apply(RAGGED_CHECK_SAME_PARTITION, (a, b), {"what": what})


# -- printing (tf.print) -----------------------------------------------------------------------

def _summarized(items, summarize):
    if summarize is not None and 0 <= summarize and len(items) > 2 * summarize:
        return items[:summarize] + ["..."] + items[-summarize:]
    return items


def _value_text(value):
    from ..ops.logging_ops import format_scalar
    if isinstance(value, bytes):
        return repr(value.decode("utf-8", "replace"))
    return format_scalar(value)


def _nested_text(value, summarize):
    if isinstance(value, list) or (isinstance(value, np.ndarray) and value.ndim > 0):
        items = [_nested_text(v, summarize) for v in value]
        return "[" + ", ".join(_summarized(items, summarize)) + "]"
    return _value_text(value)


def _to_string_kernel(flat_values, *nested_splits, summarize):
    rows = list(flat_values)
    for splits in reversed(nested_splits):
        rows = [rows[splits[i]:splits[i + 1]] for i in range(len(splits) - 1)]
    out = np.empty((), object)
    out[()] = _nested_text(rows, summarize).encode()
    return out


RAGGED_TO_STRING = defop("RaggedTensorToString", _to_string_kernel,
                         lambda flat_values, *splits, summarize: (dtypes.string, []),
                         grad=NO_GRADIENT, inputs=("flat_values", "row_splits"))


def to_string(flat_values, nested_splits, summarize):
    """The text tf.print shows for a ragged tensor: `[[1, 2], [3]]`."""
    return apply(RAGGED_TO_STRING, [flat_values] + list(nested_splits), {"summarize": summarize})
