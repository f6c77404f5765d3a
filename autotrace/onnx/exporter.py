"""Building an ONNX model from an optimised graph, op by op (converters keyed by op type, as
the XLA lowering and the NumPy code generator have one piece per op).

The model is built with `onnx.helper`; values are named after the graph's tensors, made unique
across the whole model (ONNX forbids a sub-graph reusing an outer name). Constants and the
values of variables become initializers of the main graph, which every sub-graph can read.
"""
import re

import numpy as np
import onnx
from onnx import helper, numpy_helper

from ..execution.op_recorder import OpTypeRecorder
from ..ops.tensor_list import TensorList
from .table import CONVERTERS, REFUSED, OnnxExportError

__all__ = ["OnnxExportError", "Exporter", "OPSET", "recording_op_types"]

OPSET = 18

_RECORDER = OpTypeRecorder()  # which op types were handled (for the differential tests)
recording_op_types = _RECORDER.recording


def onnx_dtype(dtype, op=None):
    """The ONNX element type of an autotrace DType."""
    if dtype._kind in "srvc":
        raise OnnxExportError(
            "%s: ONNX models exported by autotrace carry only numeric and bool tensors, not "
            "%s" % ("op %r (%s)" % (op.name, op.type) if op is not None else "a tensor",
                    dtype.name), op=op)
    return helper.np_dtype_to_tensor_dtype(dtype.np)


def refusal(op):
    reason = REFUSED.get(op.type) or "autotrace's ONNX exporter has no conversion for it"
    return OnnxExportError("%s (op %r): cannot be exported to ONNX: %s."
                           % (op.type, op.name, reason), op=op)


class Scope:
    """The nodes of one ONNX graph being built (the main graph or a sub-graph)."""

    def __init__(self, exporter, names=None):
        self.exporter = exporter
        self.nodes = []
        self.names = dict(names or {})   # id(graph tensor) -> ONNX value name
        self.static = {}                 # id(graph tensor) -> NumPy value (constants)

    def sub(self):
        """A scope for a sub-graph: it sees the names and constants of this one."""
        inner = Scope(self.exporter, self.names)
        inner.static = dict(self.static)
        return inner

    # -- building ----------------------------------------------------------------------------
    def node(self, op_type, inputs, outputs=1, **attrs):
        """Add a node; returns its output name (or names, when `outputs` > 1)."""
        names = [self.exporter.fresh(op_type) for _ in range(outputs)] \
            if isinstance(outputs, int) else list(outputs)
        self.nodes.append(helper.make_node(op_type, list(inputs), names,
                                           name=self.exporter.fresh(op_type + "_node"),
                                           **attrs))
        return names[0] if isinstance(outputs, int) and outputs == 1 else names

    def const(self, value, dtype=None):
        """The name of an initializer holding `value`."""
        return self.exporter.initializer(np.asarray(value, dtype))

    def ints(self, values):
        """An int64 vector constant (shapes, axes, pads)."""
        return self.const(np.asarray(values, np.int64).reshape(-1))

    def identity(self, source, target):
        """`target` = Identity(`source`), a sequence's element dtype carried along."""
        self.node("Identity", [source], [target])
        dtype = self.exporter.sequence_dtypes.get(source)
        if dtype is not None:
            self.exporter.sequence_dtypes[target] = dtype
        return target

    def value_info(self, name, tensor, op=None):
        """The ONNX type of value `name` standing for graph tensor `tensor`: a tensor type, or
        for a TensorArray a sequence of its element type."""
        if tensor.dtype._kind == "v":
            dtype = self.exporter.sequence_dtypes.get(name)
            if dtype is None:
                raise OnnxExportError("%s: the ONNX export cannot tell the element type of a "
                                      "TensorArray here" % ("op %r" % op.name if op else name),
                                      op=op)
            return helper.make_tensor_sequence_value_info(
                name, helper.np_dtype_to_tensor_dtype(np.dtype(dtype)), None)
        return value_info(name, tensor, op)

    def cast(self, name, dtype):
        return self.node("Cast", [name], to=helper.np_dtype_to_tensor_dtype(np.dtype(dtype)))

    # -- reading -----------------------------------------------------------------------------
    def name_of(self, tensor):
        return self.names[id(tensor)]

    def static_value(self, tensor):
        """The NumPy value of a tensor known at export time (a constant), or None."""
        return self.static.get(id(tensor))

    def convert(self, graph, input_names):
        """Convert the ops of `graph` with its inputs named `input_names`; returns the names
        of its outputs."""
        for ph, name in zip(graph.inputs, input_names):
            self.names[id(ph)] = name
        for op in graph.get_operations():
            if op.type == "Placeholder":
                continue
            self.convert_op(op)
        return [self.names[id(t)] for t in graph.outputs]

    def convert_op(self, op):
        _RECORDER.note(op.type)
        if op.type == "Const" and isinstance(op.attrs["value"], TensorList):
            from .convert_lists import sequence_constant  # a TensorArray made of constants
            self.names[id(op.outputs[0])] = sequence_constant(self, op, op.attrs["value"])
            return
        if op.type == "Const":
            value = np.asarray(op.attrs["value"])
            self.static[id(op.outputs[0])] = value
            if value.dtype.kind in "OUSV":
                self.names[id(op.outputs[0])] = None  # strings: only static uses (messages)
                return
            self.names[id(op.outputs[0])] = self.const(value)
            return
        converter = CONVERTERS.get(op.type)
        if converter is None:
            raise refusal(op)
        inputs = [self.names.get(id(t)) for t in op.inputs]
        try:
            result = converter(self, op, inputs)
        except OnnxExportError as err:
            if err.op is None:
                err.op = op
            raise
        outputs = result if isinstance(result, (list, tuple)) else [result]
        for t, name in zip(op.outputs, outputs):
            self.names[id(t)] = name


class Exporter:
    """Names and initializers shared by every scope of one model."""

    def __init__(self):
        self.initializers = []
        self.dropped = []  # ops with host effects left out (prints, assertions)
        self.sequence_dtypes = {}  # ONNX name of a TensorArray's sequence -> element dtype
        self.graph = None  # the function's optimised graph
        self._used = set()
        self._by_bytes = {}

    def fresh(self, hint):
        base = re.sub(r"[^A-Za-z0-9_]", "_", hint) or "v"
        name, n = base, 1
        while name in self._used:
            name = "%s_%d" % (base, n)
            n += 1
        self._used.add(name)
        return name

    def initializer(self, value):
        key = (value.dtype.str, value.shape, value.tobytes()) if value.size <= 64 else None
        if key is not None and key in self._by_bytes:
            return self._by_bytes[key]
        name = self.fresh("const")
        self.initializers.append(numpy_helper.from_array(value, name))
        if key is not None:
            self._by_bytes[key] = name
        return name


def value_info(name, tensor, op=None):
    shape = None if tensor.shape.rank is None else [
        d if d is not None else "d%d" % i for i, d in enumerate(tensor.shape.as_tuple())]
    return helper.make_tensor_value_info(name, onnx_dtype(tensor.dtype, op), shape)


def build_model(graph, input_names, output_names, doc):
    """(The ONNX model of an optimised FuncGraph, its inputs and outputs named as given; the
    ops left out of it.)"""
    exporter = Exporter()
    exporter.graph = graph
    scope = Scope(exporter)
    for ph in graph.inputs:
        if ph.dtype._kind in "rv":
            raise OnnxExportError("ONNX export: the function takes %s, which is not a "
                                  "tensor" % ph.name)
    inputs = [exporter.fresh(n) for n in input_names]
    results = scope.convert(graph, inputs)
    outputs = []
    for name, result, tensor in zip(output_names, results, graph.outputs):
        final = exporter.fresh(name)
        scope.identity(result, final)
        outputs.append(scope.value_info(final, tensor, tensor.op))
    onnx_graph = helper.make_graph(
        scope.nodes, "autotrace_" + re.sub(r"\W", "_", graph.name),
        [value_info(n, ph) for n, ph in zip(inputs, graph.inputs)], outputs,
        exporter.initializers, doc_string=doc)
    model = helper.make_model(onnx_graph, opset_imports=[helper.make_opsetid("", OPSET)],
                              producer_name="autotrace", doc_string=doc)
    model.ir_version = min(model.ir_version, onnx.IR_VERSION)
    return model, exporter.dropped
