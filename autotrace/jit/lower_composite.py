"""XLA lowerings of the ops behind RaggedTensor and SparseTensor, and the segment reductions.

A ragged or sparse tensor reaches XLA as its component tensors (values, row splits, indices),
whose shapes are fixed for each call. Densifying needs the dense shape when compiling: a
SparseTensor's dense_shape and a ragged to_tensor(shape=...) must be static. The validation
ops run their NumPy checks on the host (see lower_state)."""
import numpy as np
import jax.numpy as jnp

from .lowering import static_ints, static_value
from .table import lowering
from .unsupported import XlaCompilationError


def _value_positions(nested_splits, nvals):
    """[row, col_1, ..., col_k] for each flat value (as ragged_ops.value_positions)."""
    ids, cols = None, []
    count = nvals
    for splits in reversed(nested_splits):
        rows = jnp.searchsorted(splits, jnp.arange(count), side="right") - 1
        col = jnp.arange(count, dtype=splits.dtype) - splits[rows]
        if ids is None:
            cols.insert(0, col)
            ids = rows
        else:
            cols.insert(0, col[ids])
            ids = rows[ids]
        count = splits.shape[0] - 1
    return [ids] + cols


@lowering("RaggedTensorToTensor")
def _ragged_to_tensor(lw, op, flat_values, default_value, *nested_splits):
    shape = op.attrs["shape"]
    dims = list(op.outputs[0].shape.as_tuple() or ())
    if shape is not None:
        dims = [d if s is None else s for d, s in zip(dims, shape)]
    dims[0] = nested_splits[0].shape[0] - 1
    if None in dims:
        raise XlaCompilationError(
            "%s (op %r): under jit_compile=True, the dense shape of a RaggedTensor must be "
            "known when compiling, but its longest row is known only at run time: pass "
            "shape= to to_tensor" % (op.type, op.name), op=op)
    positions = _value_positions(nested_splits, flat_values.shape[0])
    out = jnp.full(dims, default_value, flat_values.dtype)
    return out.at[tuple(positions)].set(flat_values, mode="drop")


@lowering("SparseToDense")
def _sparse_to_dense(lw, op, indices, output_shape, values, default_value):
    dims = static_ints(op, output_shape, "the dense shape of a SparseTensor")
    out = jnp.full(dims, default_value, values.dtype)
    if op.attrs["validate_indices"]:
        from .lower_state import check_on_host
        check_on_host(op, "SparseCheckIndices", (indices, np.asarray(dims)),
                      {"what": "SparseToDense", "ordered": True})
    if indices.shape[0] == 0:
        return out
    return out.at[tuple(jnp.moveaxis(indices, -1, 0))].set(values, mode="drop")


def _lowest(dtype):
    return np.finfo(dtype).min if np.issubdtype(dtype, np.floating) else np.iinfo(dtype).min


def _highest(dtype):
    return np.finfo(dtype).max if np.issubdtype(dtype, np.floating) else np.iinfo(dtype).max


SEGMENTS = {"UnsortedSegmentMax": ("max", _lowest), "UnsortedSegmentMin": ("min", _highest),
            "UnsortedSegmentProd": ("multiply", lambda dtype: 1)}


def _segment_lowering(row):
    method, identity = row

    def lower(lw, op, data, segment_ids, num_segments):
        n = int(static_value(op, num_segments, "num_segments"))
        out = jnp.full((n,) + tuple(data.shape[jnp.ndim(segment_ids):]),
                       identity(data.dtype), data.dtype)
        ids = jnp.where(segment_ids < 0, n, segment_ids)  # negative ids are dropped, as TF
        return getattr(out.at[ids], method)(data, mode="drop")
    return lower


for _type, _row in SEGMENTS.items():
    lowering(_type)(_segment_lowering(_row))
