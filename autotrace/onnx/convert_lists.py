"""ONNX converters of the TensorList ops behind TensorArray: a TensorArray is an ONNX sequence
of its elements. A TensorArray of size n starts as n empty placeholders (tensors of shape [0])
that writes replace (SequenceErase + SequenceInsert), so indices keep their meaning; reads and
stacking take what was written. The gradient lists of TensorArrays are not exported."""
import numpy as np
from onnx import helper

from .exporter import OnnxExportError
from .table import converter


def _sequence(scope, name, dtype):
    scope.exporter.sequence_dtypes[name] = np.dtype(dtype)
    return name


def _element_dtype(scope, op):
    """The element dtype of a new TensorArray: its attribute, else the one dtype the
    function's TensorArray reads and writes agree on (a map_fn whose output dtype was not
    given makes its TensorArray before knowing it)."""
    dtype = op.attrs.get("element_dtype")
    if dtype is not None:
        return dtype.np
    found = {t.np for t in _list_dtypes(scope.exporter.graph)}
    if len(found) != 1:
        raise OnnxExportError("%s (op %r): the ONNX export needs the element dtype of this "
                              "TensorArray; create it with a dtype" % (op.type, op.name), op=op)
    return found.pop()


def _list_dtypes(graph):
    for op in graph.get_operations():
        if op.type.startswith("TensorList") and op.attrs.get("element_dtype") is not None:
            yield op.attrs["element_dtype"]
        if op.type == "TensorListSetItem":
            yield op.inputs[2].dtype
        for sub in (op.opdef.subgraphs(op) if op.opdef.subgraphs else []):
            yield from _list_dtypes(sub[1])


def _int64(scope, name):
    return scope.cast(name, np.int64)


@converter("TensorListReserve")
def _reserve(scope, op, inputs):
    dtype = _element_dtype(scope, op)
    n = scope.node("Reshape", [_int64(scope, inputs[0]), scope.ints([1])])
    return _placeholders(scope, n, dtype)


def _placeholders(scope, n, dtype):
    """A sequence of n empty tensors (shape [0]) of `dtype`; `n` names an int64 vector [n]."""
    shape = scope.node("Concat", [n, scope.ints([0])], axis=0)
    empty = scope.node("ConstantOfShape", [shape], value=helper.make_tensor(
        "value", helper.np_dtype_to_tensor_dtype(np.dtype(dtype)), [1], [0]))
    return _sequence(scope, scope.node("SplitToSequence", [empty], axis=0, keepdims=0), dtype)


def sequence_constant(scope, op, tensor_list):
    """The sequence of a TensorList value folded into a constant."""
    dtype = tensor_list.element_dtype.np if tensor_list.element_dtype is not None else \
        _element_dtype(scope, op)
    sequence = _placeholders(scope, scope.ints([len(tensor_list.items)]), dtype)
    for i, item in enumerate(tensor_list.items):
        if item is not None:
            position = scope.const(np.int64(i))
            rest = scope.node("SequenceErase", [sequence, position])
            sequence = _sequence(scope, scope.node("SequenceInsert", [
                rest, scope.const(np.asarray(item)), position]), dtype)
    return sequence


@converter("TensorListFromTensor")
def _from_tensor(scope, op, inputs):
    return _sequence(scope, scope.node("SplitToSequence", inputs[:1], axis=0, keepdims=0),
                     op.inputs[0].dtype.np)


def _dtype_of(scope, name):
    return scope.exporter.sequence_dtypes[name]


@converter("TensorListSetItem")
def _set_item(scope, op, inputs):
    sequence, index, item = inputs
    rest = scope.node("SequenceErase", [sequence, index])
    return _sequence(scope, scope.node("SequenceInsert", [rest, item, index]),
                     op.inputs[2].dtype.np)


@converter("TensorListGetItem")
def _get_item(scope, op, inputs):
    return scope.node("SequenceAt", inputs[:2])


@converter("TensorListStack")
def _stack(scope, op, inputs):
    return scope.node("ConcatFromSequence", inputs[:1], axis=0, new_axis=1)


@converter("TensorListGather")
def _gather(scope, op, inputs):
    stacked = scope.node("ConcatFromSequence", inputs[:1], axis=0, new_axis=1)
    return scope.node("Gather", [stacked, inputs[1]], axis=0)


@converter("TensorListConcat")
def _concat(scope, op, inputs):
    return scope.node("ConcatFromSequence", inputs[:1], axis=0, new_axis=0)


@converter("TensorListLength")
def _length(scope, op, inputs):
    return scope.cast(scope.node("SequenceLength", inputs[:1]), np.int32)


@converter("TensorListScatterIntoExistingList")
def _scatter(scope, op, inputs):
    """A Loop writing row k of the tensor at indices[k], for each k."""
    sequence, tensor, indices = inputs
    exporter = scope.exporter
    dtype = op.inputs[1].dtype.np
    iteration, condition = exporter.fresh("k"), exporter.fresh("cond_in")
    carried = _sequence(scope, exporter.fresh("sequence"), dtype)
    body = scope.sub()
    position = body.node("Gather", [indices, iteration], axis=0)
    row = body.node("Gather", [tensor, iteration], axis=0)
    written = body.node("SequenceInsert", [body.node("SequenceErase", [carried, position]), row,
                                           position])
    cond_out = body.identity(condition, exporter.fresh("cond_out"))
    final = body.identity(_sequence(body, written, dtype), exporter.fresh("sequence_next"))
    bool_type = helper.np_dtype_to_tensor_dtype(np.dtype(np.bool_))
    sequence_type = helper.make_tensor_sequence_value_info
    element = helper.np_dtype_to_tensor_dtype(np.dtype(dtype))
    graph = helper.make_graph(
        body.nodes, exporter.fresh("scatter_body"),
        [helper.make_tensor_value_info(iteration, helper.np_dtype_to_tensor_dtype(
            np.dtype(np.int64)), []), helper.make_tensor_value_info(condition, bool_type, []),
         sequence_type(carried, element, None)],
        [helper.make_tensor_value_info(cond_out, bool_type, []),
         sequence_type(final, element, None)])
    count = scope.node("Gather", [scope.node("Shape", [indices]), scope.const(np.int64(0))],
                       axis=0)
    true = scope.const(np.bool_(True))
    return _sequence(scope, scope.node("Loop", [count, true, sequence], body=graph), dtype)
