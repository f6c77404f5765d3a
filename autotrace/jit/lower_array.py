"""XLA lowerings of the array ops: shapes, reshaping, joining and splitting, creation, padding,
slicing, gathering and scattering, sorting.

XLA compiles for fixed shapes, so shape-like inputs (a Reshape's shape, Fill's dims, Tile's
multiples, paddings, split sizes, ...) must be known when the function is compiled:
static_ints raises a clear error naming the op when one is computed from run-time values.
Out-of-range indices are not checked at run time (as in TensorFlow's XLA): a gather reads
zeros there, a scatter drops the update.
"""
import numpy as np
import jax.numpy as jnp
from jax import lax

from ..ops.index_ops import _Dyn
from .lowering import is_static, static_ints, static_value
from .table import lowering


# -- shapes ------------------------------------------------------------------------------------

@lowering("Shape")
def _shape(lw, op, x):
    return np.array(jnp.shape(x), op.attrs["out_type"].np)


@lowering("Size")
def _size(lw, op, x):
    return np.array(int(np.prod(jnp.shape(x))), op.attrs["out_type"].np)


@lowering("Rank")
def _rank(lw, op, x):
    return np.int32(jnp.ndim(x))


@lowering("Reshape")
def _reshape(lw, op, x, shape):
    return jnp.reshape(x, static_ints(op, shape, "the target shape"))


@lowering("Transpose")
def _transpose(lw, op, x):
    return jnp.transpose(x, op.attrs["perm"])


@lowering("ExpandDims")
def _expand_dims(lw, op, x):
    return jnp.expand_dims(x, op.attrs["axis"])


@lowering("Squeeze")
def _squeeze(lw, op, x):
    return jnp.squeeze(x, op.attrs["axis"])


@lowering("BroadcastTo")
def _broadcast_to(lw, op, x, shape):
    return jnp.broadcast_to(x, static_ints(op, shape, "the target shape"))


@lowering("SumToShape")
def _sum_to_shape(lw, op, grad, shape):
    shape = static_ints(op, shape, "the target shape")
    lead = grad.ndim - len(shape)
    axes = tuple(range(lead)) + tuple(lead + i for i, d in enumerate(shape)
                                      if d == 1 and grad.shape[lead + i] != 1)
    out = jnp.sum(grad, axis=axes, keepdims=True, dtype=grad.dtype) if axes else grad
    return jnp.reshape(out, shape)


# -- joining and splitting ---------------------------------------------------------------------

@lowering("Pack")
def _pack(lw, op, *values):
    return jnp.stack(values, axis=op.attrs["axis"])


@lowering("Unpack")
def _unpack(lw, op, x):
    axis = op.attrs["axis"]
    return [jnp.take(x, i, axis=axis) for i in range(op.attrs["num"])]


@lowering("ConcatV2")
def _concat(lw, op, *values):
    return jnp.concatenate(values, axis=op.attrs["axis"])


@lowering("Split")
def _split(lw, op, x):
    return jnp.split(x, op.attrs["num_split"], axis=op.attrs["axis"])


@lowering("SplitV")
def _split_v(lw, op, x, size_splits):
    axis = op.attrs["axis"]
    sizes = list(static_ints(op, size_splits, "size_splits"))
    if -1 in sizes:
        sizes[sizes.index(-1)] = x.shape[axis] - (sum(sizes) + 1)
    return jnp.split(x, np.cumsum(sizes)[:-1].tolist(), axis=axis)


@lowering("Tile")
def _tile(lw, op, x, multiples):
    return jnp.tile(x, static_ints(op, multiples, "multiples"))


@lowering("ReverseV2")
def _reverse(lw, op, x):
    return jnp.flip(x, tuple(op.attrs["axis"]))


# -- creation ----------------------------------------------------------------------------------

@lowering("Fill")
def _fill(lw, op, dims, value):
    return jnp.full(static_ints(op, dims, "dims"), value, dtype=op.outputs[0].dtype.np)


@lowering("Range")
def _range(lw, op, start, limit, delta):
    start, limit, delta = (static_value(op, v, "the bounds of a range") for v in
                           (start, limit, delta))
    return np.arange(start, limit, delta, dtype=op.outputs[0].dtype.np)


@lowering("LinSpace")
def _linspace(lw, op, start, stop, num):
    num = int(static_value(op, num, "num"))
    return jnp.linspace(start, stop, num, axis=op.attrs["axis"], dtype=op.outputs[0].dtype.np)


@lowering("Eye")
def _eye(lw, op, num_rows, num_columns):
    rows = int(static_value(op, num_rows, "num_rows"))
    cols = int(static_value(op, num_columns, "num_columns"))
    matrix = np.eye(rows, cols, dtype=op.attrs["dtype"].np)
    return np.array(np.broadcast_to(matrix, tuple(op.attrs["batch_shape"]) + (rows, cols)))


@lowering("OneHot")
def _one_hot(lw, op, indices, depth, on_value, off_value):
    depth = int(static_value(op, depth, "depth"))
    hot = jnp.asarray(indices)[..., None] == jnp.arange(depth)
    out = jnp.where(hot, on_value, off_value)
    axis = op.attrs["axis"]
    return out if axis == -1 else jnp.moveaxis(out, -1, axis)


# -- padding and slicing -----------------------------------------------------------------------

def _pairs(op, paddings):
    return np.reshape(static_ints(op, paddings, "paddings"), (-1, 2)).tolist()


@lowering("PadV2")
def _pad(lw, op, x, paddings, constant_values):
    if jnp.ndim(x) == 0:
        return x
    return jnp.pad(x, _pairs(op, paddings), constant_values=constant_values)


@lowering("MirrorPad")
def _mirror_pad(lw, op, x, paddings):
    if jnp.ndim(x) == 0:
        return x
    return jnp.pad(x, _pairs(op, paddings), mode=op.attrs["mode"].lower())


@lowering("MirrorPadGrad")
def _mirror_pad_grad(lw, op, grad, paddings):
    out = grad
    offset = 1 if op.attrs["mode"] == "REFLECT" else 0
    for axis, (before, after) in enumerate(_pairs(op, paddings)):
        moved = jnp.moveaxis(out, axis, 0)
        n = moved.shape[0] - before - after
        core = moved[before:before + n]
        if before:
            core = core.at[offset:offset + before].add(moved[:before][::-1])
        if after:
            core = core.at[n - offset - after:n - offset].add(moved[before + n:][::-1])
        out = jnp.moveaxis(core, 0, axis)
    return out


@lowering("Slice")
def _slice(lw, op, x, begin, size):
    size = static_ints(op, size, "the size of a slice")
    if is_static(begin):
        begin = static_ints(op, begin, "begin")
        size = [d - b if s == -1 else s for s, d, b in zip(size, x.shape, begin)]
        return lax.slice(x, begin, [b + s for b, s in zip(begin, size)])
    if -1 in size:
        static_value(op, begin, "begin (of a slice whose size is -1)")
    return lax.dynamic_slice(x, [begin[i] for i in range(len(size))], size)


def _resolve(op, item, dyn):
    """A StridedSlice index item with its run-time parts filled in: a dynamic integer index
    stays a JAX value; slice bounds must be static (they decide the output's shape)."""
    if isinstance(item, _Dyn):
        return dyn[item.index]
    if isinstance(item, slice):
        bounds = [_resolve(op, v, dyn) for v in (item.start, item.stop, item.step)]
        return slice(*(None if v is None else int(static_value(op, v, "the bounds of a slice"))
                       for v in bounds))
    return item


def _index(op, dyn):
    return tuple(_resolve(op, item, dyn) for item in op.attrs["spec"])


@lowering("StridedSlice")
def _strided_slice(lw, op, x, *dyn):
    return jnp.asarray(x)[_index(op, dyn)]


@lowering("StridedSliceGrad")
def _strided_slice_grad(lw, op, shape, dy, *dyn):
    out = jnp.zeros(static_ints(op, shape, "the shape"), dy.dtype)
    return out.at[_index(op, dyn)].set(dy)


# -- selecting, gathering, scattering ----------------------------------------------------------

@lowering("SelectV2")
def _select(lw, op, condition, x, y):
    return jnp.where(condition, x, y)


@lowering("GatherV2")
def _gather(lw, op, params, indices):
    axis = op.attrs["axis"]
    axis = axis + jnp.ndim(params) if axis < 0 else axis
    batch_dims = op.attrs["batch_dims"]
    batch_dims = batch_dims + jnp.ndim(indices) if batch_dims < 0 else batch_dims
    take = _gather_one(axis - batch_dims)
    for _ in range(batch_dims):
        take = _batched(take)
    return take(params, indices)


def _gather_one(axis):
    return lambda p, i: jnp.take(p, i, axis=axis, mode="fill", fill_value=0)


def _batched(fn):
    from jax import vmap
    return vmap(fn)


@lowering("GatherNd")
def _gather_nd(lw, op, params, indices):
    take = _gather_nd_one
    for _ in range(op.attrs["batch_dims"]):
        take = _batched(take)
    return take(params, indices)


def _gather_nd_one(params, indices):
    depth = indices.shape[-1]
    if depth == 0:
        return jnp.broadcast_to(params, indices.shape[:-1] + params.shape)
    coords = tuple(jnp.moveaxis(indices, -1, 0))
    return params.at[coords].get(mode="fill", fill_value=0)


@lowering("ScatterNd")
def _scatter_nd(lw, op, indices, updates, shape):
    dims = static_ints(op, shape, "the shape")
    out = jnp.zeros(dims, updates.dtype)
    depth = indices.shape[-1]
    if depth == 0:
        return out + jnp.sum(jnp.reshape(updates, (-1,) + tuple(dims)), axis=0)
    coords = tuple(jnp.moveaxis(indices, -1, 0))
    return out.at[coords].add(updates, mode="drop")


@lowering("UnsortedSegmentSum")
def _unsorted_segment_sum(lw, op, data, segment_ids, num_segments):
    n = int(static_value(op, num_segments, "num_segments"))
    out = jnp.zeros((n,) + tuple(data.shape[jnp.ndim(segment_ids):]), data.dtype)
    ids = jnp.where(segment_ids < 0, n, segment_ids)  # negative ids are dropped, as TF
    return out.at[ids].add(data, mode="drop")


# -- sorting -----------------------------------------------------------------------------------

def _order(x, axis, descending):
    if not descending:
        return jnp.argsort(x, axis=axis, stable=True)
    n = x.shape[axis]
    backwards = jnp.argsort(jnp.flip(x, axis), axis=axis, stable=True)
    return n - 1 - jnp.flip(backwards, axis)


@lowering("Sort")
def _sort(lw, op, values):
    axis, descending = op.attrs["axis"], op.attrs["descending"]
    return jnp.take_along_axis(values, _order(values, axis, descending), axis=axis)


@lowering("ArgSort")
def _argsort(lw, op, values):
    return _order(values, op.attrs["axis"], op.attrs["descending"]).astype(jnp.int32)


@lowering("TopKV2")
def _top_k(lw, op, x, k):
    k = int(static_value(op, k, "k"))
    indices = _order(x, -1, True)[..., :k]
    return [jnp.take_along_axis(x, indices, axis=-1),
            indices.astype(op.attrs["index_type"].np)]
