"""ONNX converters of the array ops: shapes, reshaping, joining and splitting, creation,
padding, slicing, gathering and scattering, sorting."""
import numpy as np

from ..ops.index_ops import _Dyn
from .exporter import OnnxExportError
from .table import converter

INT64_MAX = np.iinfo(np.int64).max
INT64_MIN = np.iinfo(np.int64).min


def _int64(scope, name):
    return scope.cast(name, np.int64)


def _rank(op, tensor):
    rank = tensor.shape.rank
    if rank is None:
        raise OnnxExportError("%s (op %r): the ONNX export needs the rank of its input, unknown "
                              "here; give the function an input_signature with known ranks"
                              % (op.type, op.name), op=op)
    return rank


# -- shapes ------------------------------------------------------------------------------------

@converter("Shape")
def _shape(scope, op, inputs):
    return scope.cast(scope.node("Shape", inputs), op.attrs["out_type"].np)


@converter("Size")
def _size(scope, op, inputs):
    return scope.cast(scope.node("Size", inputs), op.attrs["out_type"].np)


@converter("Rank")
def _rank_op(scope, op, inputs):
    return scope.cast(scope.node("Size", [scope.node("Shape", inputs)]), np.int32)


@converter("Reshape")
def _reshape(scope, op, inputs):
    return scope.node("Reshape", [inputs[0], _int64(scope, inputs[1])], allowzero=1)


@converter("Transpose")
def _transpose(scope, op, inputs):
    return scope.node("Transpose", inputs, perm=list(op.attrs["perm"]))


@converter("ExpandDims")
def _expand_dims(scope, op, inputs):
    return scope.node("Unsqueeze", [inputs[0], scope.ints([op.attrs["axis"]])])


@converter("Squeeze")
def _squeeze(scope, op, inputs):
    axis = op.attrs["axis"]
    if axis is None:
        return scope.node("Squeeze", inputs)
    return scope.node("Squeeze", [inputs[0], scope.ints(list(axis))])


@converter("BroadcastTo")
def _broadcast_to(scope, op, inputs):
    return scope.node("Expand", [inputs[0], _int64(scope, inputs[1])])


@converter("SumToShape")
def _sum_to_shape(scope, op, inputs):
    shape = scope.static_value(op.inputs[1])
    source = op.inputs[0].shape
    if shape is None or source.rank is None or None in source.as_tuple():
        raise OnnxExportError("SumToShape (op %r): the ONNX export needs static shapes here"
                              % op.name, op=op)
    shape = [int(d) for d in np.reshape(shape, -1)]
    dims = source.as_tuple()
    lead = len(dims) - len(shape)
    axes = list(range(lead)) + [lead + i for i, d in enumerate(shape)
                                if d == 1 and dims[lead + i] != 1]
    out = scope.node("ReduceSum", [inputs[0], scope.ints(axes)], keepdims=1) if axes \
        else inputs[0]
    return scope.node("Reshape", [out, scope.ints(shape)])


# -- joining and splitting ---------------------------------------------------------------------

@converter("Pack")
def _pack(scope, op, inputs):
    axis = op.attrs["axis"]
    expanded = [scope.node("Unsqueeze", [x, scope.ints([axis])]) for x in inputs]
    if axis < 0:
        axis += _rank(op, op.inputs[0]) + 1
    return scope.node("Concat", expanded, axis=axis)


@converter("Unpack")
def _unpack(scope, op, inputs):
    axis, n = op.attrs["axis"], op.attrs["num"]
    pieces = scope.node("Split", inputs, outputs=n, axis=axis, num_outputs=n) if n > 1 \
        else [inputs[0]]
    return [scope.node("Squeeze", [p, scope.ints([axis])]) for p in pieces]


@converter("ConcatV2")
def _concat(scope, op, inputs):
    return scope.node("Concat", inputs, axis=op.attrs["axis"])


@converter("Split")
def _split(scope, op, inputs):
    n = op.attrs["num_split"]
    if n == 1:
        return [scope.node("Identity", inputs)]
    return scope.node("Split", inputs, outputs=n, axis=op.attrs["axis"], num_outputs=n)


@converter("SplitV")
def _split_v(scope, op, inputs):
    sizes = [t.shape.as_tuple()[op.attrs["axis"]] for t in op.outputs]
    if None in sizes:
        raise OnnxExportError("SplitV (op %r): the ONNX export needs the split sizes" % op.name,
                              op=op)
    if len(sizes) == 1:
        return [scope.node("Identity", inputs[:1])]
    return scope.node("Split", [inputs[0], scope.ints(sizes)], outputs=len(sizes),
                      axis=op.attrs["axis"])


@converter("Tile")
def _tile(scope, op, inputs):
    return scope.node("Tile", [inputs[0], _int64(scope, inputs[1])])


@converter("ReverseV2")
def _reverse(scope, op, inputs):
    axes = list(op.attrs["axis"])
    return scope.node("Slice", [inputs[0], scope.ints([-1] * len(axes)),
                                scope.ints([INT64_MIN] * len(axes)), scope.ints(axes),
                                scope.ints([-1] * len(axes))])


# -- creation ----------------------------------------------------------------------------------

@converter("Fill")
def _fill(scope, op, inputs):
    return scope.node("Expand", [inputs[1], _int64(scope, inputs[0])])


@converter("Range")
def _range(scope, op, inputs):
    return scope.node("Range", inputs)


def one_hot(scope, indices, depth, on, off):
    """indices[..., None] == range(depth), as on/off values along a new last axis (built
    from Equal and Where: onnxruntime's OneHot kernel lacks many types)."""
    classes = scope.node("Range", [scope.const(np.int64(0)), _int64(scope, depth),
                                   scope.const(np.int64(1))])
    expanded = scope.node("Unsqueeze", [_int64(scope, indices), scope.ints([-1])])
    return scope.node("Where", [scope.node("Equal", [expanded, classes]), on, off])


@converter("OneHot")
def _one_hot(scope, op, inputs):
    out = one_hot(scope, *inputs)
    axis = op.attrs["axis"]
    rank = _rank(op, op.outputs[0])
    if axis in (-1, rank - 1):
        return out
    perm = list(range(rank - 1))
    perm.insert(axis % rank, rank - 1)
    return scope.node("Transpose", [out], perm=perm)


# -- padding and slicing -----------------------------------------------------------------------

def _onnx_pads(scope, paddings):
    """TF's [[before, after], ...] as ONNX's [befores..., afters...] (int64)."""
    pairs = _int64(scope, paddings)
    return scope.node("Reshape", [scope.node("Transpose", [pairs], perm=[1, 0]),
                                  scope.ints([-1])])


@converter("PadV2")
def _pad(scope, op, inputs):
    x, paddings, value = inputs
    return scope.node("Pad", [x, _onnx_pads(scope, paddings), value], mode="constant")


@converter("MirrorPad")
def _mirror_pad(scope, op, inputs):
    if op.attrs["mode"] != "REFLECT":
        raise OnnxExportError("MirrorPad (op %r): ONNX's Pad has no SYMMETRIC mode (only "
                              "REFLECT exports)" % op.name, op=op)
    return scope.node("Pad", [inputs[0], _onnx_pads(scope, inputs[1])], mode="reflect")


@converter("Slice")
def _slice(scope, op, inputs):
    x, begin, size = inputs
    begin = _int64(scope, begin)
    size = _int64(scope, size)
    # a size of -1 means "to the end"
    end = scope.node("Where", [scope.node("Equal", [size, scope.ints([-1])]),
                               scope.ints([INT64_MAX]), scope.node("Add", [begin, size])])
    return scope.node("Slice", [x, begin, end])


def _vector(scope, items):
    """An int64 vector from Python ints and names of scalars."""
    if all(isinstance(v, int) for v in items):
        return scope.ints(items)
    parts = [scope.ints([v]) if isinstance(v, int) else
             scope.node("Unsqueeze", [scope.cast(v, np.int64), scope.ints([0])]) for v in items]
    return scope.node("Concat", parts, axis=0)


@converter("StridedSlice")
def _strided_slice(scope, op, inputs):
    x, dyn = inputs[0], inputs[1:]
    spec = op.attrs["spec"]
    rank = _rank(op, op.inputs[0])
    consumed = sum(1 for item in spec if item is not None and item is not Ellipsis)
    starts, ends, axes, steps, picks, new_axes = [], [], [], [], [], []
    axis = out = 0
    for item in spec:
        if item is Ellipsis:
            axis += rank - consumed
            out += rank - consumed
        elif item is None:
            new_axes.append(out)
            out += 1
        elif isinstance(item, slice):
            step = 1 if item.step is None else int(item.step)
            start = _slice_value(item.start, 0 if step > 0 else INT64_MAX, dyn)
            stop = _slice_value(item.stop, INT64_MAX if step > 0 else INT64_MIN, dyn)
            starts.append(start)
            ends.append(stop)
            axes.append(axis)
            steps.append(step)
            axis += 1
            out += 1
        else:
            picks.append((axis, dyn[item.index] if isinstance(item, _Dyn) else int(item)))
            axis += 1
    if axes:
        x = scope.node("Slice", [x, _vector(scope, starts), _vector(scope, ends),
                                 scope.ints(axes), scope.ints(steps)])
    for where, index in sorted(picks, key=lambda p: -p[0]):
        index = scope.const(np.int64(index)) if isinstance(index, int) else index
        x = scope.node("Gather", [x, index], axis=where)
    if new_axes:
        x = scope.node("Unsqueeze", [x, scope.ints(new_axes)])
    return x if (axes or picks or new_axes) else scope.node("Identity", [x])


def _slice_value(value, default, dyn):
    if value is None:
        return default
    if isinstance(value, _Dyn):
        return dyn[value.index]
    return int(value)


# -- selecting, gathering, scattering ----------------------------------------------------------

@converter("SelectV2")
def _select(scope, op, inputs):
    return scope.node("Where", inputs)


@converter("GatherV2")
def _gather(scope, op, inputs):
    if op.attrs["batch_dims"] != 0:
        raise OnnxExportError("GatherV2 (op %r): batch_dims=%d has no ONNX Gather equivalent"
                              % (op.name, op.attrs["batch_dims"]), op=op)
    return scope.node("Gather", inputs, axis=op.attrs["axis"])


@converter("GatherNd")
def _gather_nd(scope, op, inputs):
    return scope.node("GatherND", [inputs[0], _int64(scope, inputs[1])],
                      batch_dims=op.attrs["batch_dims"])


@converter("ScatterNd")
def _scatter_nd(scope, op, inputs):
    indices, updates, shape = inputs
    zero = scope.const(np.zeros((), op.inputs[1].dtype.np))
    zeros = scope.node("Expand", [zero, _int64(scope, shape)])
    return scope.node("ScatterND", [zeros, _int64(scope, indices), updates], reduction="add")


@converter("UnsortedSegmentSum")
def _unsorted_segment_sum(scope, op, inputs):
    data, ids, n = inputs
    zero = scope.const(np.zeros((), op.inputs[0].dtype.np))
    data_shape = scope.node("Shape", [data])
    ids_rank = _rank(op, op.inputs[1])
    trailing = scope.node("Slice", [data_shape, scope.ints([ids_rank]), scope.ints([INT64_MAX])])
    out_shape = scope.node("Concat", [scope.node("Reshape", [_int64(scope, n), scope.ints([1])]),
                                      trailing], axis=0)
    zeros = scope.node("Expand", [zero, out_shape])
    ids64 = _int64(scope, ids)
    negative = scope.node("Less", [ids64, scope.const(np.int64(0))])  # dropped, as TF
    safe_ids = scope.node("Where", [negative, scope.const(np.int64(0)), ids64])
    mask = negative
    for _ in range(_rank(op, op.inputs[0]) - ids_rank):
        mask = scope.node("Unsqueeze", [mask, scope.ints([-1])])
    kept = scope.node("Where", [mask, zero, data])
    index = scope.node("Unsqueeze", [safe_ids, scope.ints([-1])])
    return scope.node("ScatterND", [zeros, index, kept], reduction="add")


# -- sorting -----------------------------------------------------------------------------------

def _top(scope, op, x, k, axis, largest):
    return scope.node("TopK", [x, k], outputs=2, axis=axis, largest=int(largest), sorted=1)


def _full_length(scope, x, axis):
    return scope.node("Gather", [scope.node("Shape", [x]), scope.ints([axis])], axis=0)


@converter("Sort", "ArgSort")
def _sort(scope, op, inputs):
    axis = op.attrs["axis"]
    values, indices = _top(scope, op, inputs[0], _full_length(scope, inputs[0], axis), axis,
                           op.attrs["descending"])
    return values if op.type == "Sort" else scope.cast(indices, np.int32)


@converter("TopKV2")
def _top_k(scope, op, inputs):
    k = scope.node("Reshape", [_int64(scope, inputs[1]), scope.ints([1])])
    values, indices = _top(scope, op, inputs[0], k, -1, True)
    return [values, scope.cast(indices, op.attrs["index_type"].np)]


# -- more creation, and the sparse and segment ops ---------------------------------------------

@converter("Eye")
def _eye(scope, op, inputs):
    rows, cols = (scope.node("Reshape", [_int64(scope, n), scope.ints([1])]) for n in inputs)
    zeros = scope.node("ConstantOfShape", [scope.node("Concat", [rows, cols], axis=0)])
    eye = scope.node("EyeLike", [zeros], dtype=_onnx_type(op.attrs["dtype"].np))
    batch = list(op.attrs["batch_shape"])
    if not batch:
        return eye
    shape = scope.node("Concat", [scope.ints(batch), rows, cols], axis=0)
    return scope.node("Expand", [eye, shape])


def _onnx_type(dtype):
    from onnx import helper
    return helper.np_dtype_to_tensor_dtype(np.dtype(dtype))


@converter("LinSpace")
def _linspace(scope, op, inputs):
    """start + (stop - start) * range(num) / (num - 1), the last value exactly stop (one
    value: start)."""
    start, stop, num = inputs
    if op.attrs["axis"] != 0 or op.inputs[0].shape.rank != 0:
        raise OnnxExportError("LinSpace (op %r): the ONNX export takes scalar start and stop"
                              % op.name, op=op)
    dtype = op.outputs[0].dtype.np
    count = scope.cast(num, np.int64)
    steps = scope.cast(scope.node("Range", [scope.const(np.int64(0)), count,
                                           scope.const(np.int64(1))]), dtype)
    gaps = scope.cast(scope.node("Max", [scope.node("Sub", [count, scope.const(np.int64(1))]),
                                        scope.const(np.int64(1))]), dtype)
    delta = scope.node("Div", [scope.node("Sub", [stop, start]), gaps])
    values = scope.node("Add", [start, scope.node("Mul", [steps, delta])])
    last = scope.node("Equal", [steps, scope.node("Sub", [scope.cast(count, dtype),
                                                          scope.const(np.ones((), dtype))])])
    last = scope.node("And", [last, scope.node("Greater", [count, scope.const(np.int64(1))])])
    return scope.node("Where", [last, stop, values])


@converter("SparseToDense")
def _sparse_to_dense(scope, op, inputs):
    indices, shape, values, default = inputs
    dense = scope.node("Expand", [default, _int64(scope, shape)])
    return scope.node("ScatterND", [dense, _int64(scope, indices), values])


SEGMENT_REDUCTIONS = {"UnsortedSegmentMax": "max", "UnsortedSegmentMin": "min",
                      "UnsortedSegmentProd": "mul"}


@converter(*SEGMENT_REDUCTIONS)
def _unsorted_segment(scope, op, inputs):
    """ScatterND with the reduction, into the reduction's identity (TF's value for an empty
    segment); negative ids are dropped: their rows are sent to an extra segment, cut off."""
    data, ids, n = inputs
    dtype = op.inputs[0].dtype.np
    identity = {"max": _lowest(dtype), "min": _highest(dtype), "mul": 1}[
        SEGMENT_REDUCTIONS[op.type]]
    ids64 = _int64(scope, ids)
    n64 = scope.node("Reshape", [_int64(scope, n), scope.ints([1])])
    extra = scope.node("Add", [n64, scope.ints([1])])
    ids_rank = _rank(op, op.inputs[1])
    trailing = scope.node("Slice", [scope.node("Shape", [data]), scope.ints([ids_rank]),
                                    scope.ints([INT64_MAX])])
    start = scope.node("Expand", [scope.const(np.asarray(identity, dtype)),
                                  scope.node("Concat", [extra, trailing], axis=0)])
    negative = scope.node("Less", [ids64, scope.const(np.int64(0))])
    safe_ids = scope.node("Where", [negative, scope.node("Reshape", [n64, scope.ints([])]),
                                    ids64])
    index = scope.node("Unsqueeze", [safe_ids, scope.ints([-1])])
    out = scope.node("ScatterND", [start, index, data],
                     reduction=SEGMENT_REDUCTIONS[op.type])
    return scope.node("Slice", [out, scope.ints([0]), n64, scope.ints([0])])


def _lowest(dtype):
    return np.finfo(dtype).min if np.issubdtype(dtype, np.floating) else np.iinfo(dtype).min


def _highest(dtype):
    return np.finfo(dtype).max if np.issubdtype(dtype, np.floating) else np.iinfo(dtype).max
