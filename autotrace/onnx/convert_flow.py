"""ONNX converters of control flow (cond -> If, switch_case -> nested Ifs, while_loop ->
Loop), of variable reads (the variable's value at export time, as a constant), and of the
ops with effects on the host (prints and assertions), which are left out of the model with a
warning: an ONNX model has no host to print to."""
import numpy as np
from onnx import helper

from ..control_flow.while_layout import WhileLayout
from .exporter import OnnxExportError
from .table import converter


# -- variables and host effects ----------------------------------------------------------------

@converter("VarHandleOp")
def _handle(scope, op, inputs):
    return None  # no ONNX value: reads become constants


@converter("ReadVariableOp")
def _read(scope, op, inputs):
    handle = op.inputs[0].op.attrs.get("variable")
    if handle is None:
        raise OnnxExportError("ReadVariableOp (op %r): no variable behind the handle" % op.name,
                              op=op)
    return scope.const(handle.variable.numpy())


@converter("NoOp")
def _no_op(scope, op, inputs):
    return []


@converter("CustomGradient")
def _custom_gradient(scope, op, inputs):
    return [scope.node("Identity", [name]) for name in inputs[:op.attrs["n_outputs"]]]


@converter("PrintV2", "Assert")
def _dropped(scope, op, inputs):
    scope.exporter.dropped.append(op)
    return []


@converter("Print", "CheckNumerics", "RaggedCheckSplits", "RaggedCheckSamePartition",
           "SparseCheckIndices", "SparseCheckSameIndices")
def _dropped_identity(scope, op, inputs):
    scope.exporter.dropped.append(op)
    return scope.node("Identity", inputs[:1])


# -- cond and switch_case ----------------------------------------------------------------------

def _subgraph(scope, op, build, name):
    """(An ONNX sub-graph, no inputs: it reads the outer names, whose outputs are what
    `build(inner_scope)` returns, typed as the op's outputs; the output names.)"""
    inner = scope.sub()
    results = build(inner)
    finals, outputs = [], []
    for result, outer in zip(results, op.outputs):
        final = inner.identity(result, scope.exporter.fresh(name + "_out"))
        finals.append(final)
        outputs.append(inner.value_info(final, outer, op))
    return helper.make_graph(inner.nodes, scope.exporter.fresh(name), [], outputs), finals


def _if(scope, op, pred, build_then, build_else):
    """The output names of an If node choosing between two sub-graphs."""
    then_graph, finals = _subgraph(scope, op, build_then, "then")
    else_graph, _ = _subgraph(scope, op, build_else, "else")
    names = scope.node("If", [pred], outputs=len(op.outputs), then_branch=then_graph,
                       else_branch=else_graph)
    names = names if isinstance(names, list) else [names]
    sequences = scope.exporter.sequence_dtypes
    for name, final in zip(names, finals):
        if final in sequences:
            sequences[name] = sequences[final]
    return names


def _traced(graph, inputs):
    return lambda inner: inner.convert(graph, inputs)


@converter("If", "StatelessIf")
def _cond(scope, op, inputs):
    args = inputs[1:]
    return _if(scope, op, inputs[0], _traced(op.attrs["then_branch"], args),
               _traced(op.attrs["else_branch"], args))


@converter("Case", "StatelessCase")
def _case(scope, op, inputs):
    index, args = inputs[0], inputs[1:]
    branches = list(op.attrs["branches"])
    dtype = op.inputs[0].dtype.np

    def choose(first):
        """Branch `first` if index == first, else the rest; the last branch is the default
        (an index out of range runs it)."""
        if first == len(branches) - 1:
            return _traced(branches[first], args)

        def build(inner):
            test = inner.node("Equal", [index, inner.const(np.asarray(first, dtype))])
            return _if(inner, op, test, _traced(branches[first], args), choose(first + 1))
        return build
    return choose(0)(scope)


# -- while_loop --------------------------------------------------------------------------------

@converter("While", "StatelessWhile")
def _while(scope, op, inputs):
    layout = WhileLayout.of(op)
    n, has_max = layout.n_vars, layout.has_max
    cond_graph, body_graph = op.attrs["cond"], op.attrs["body"]
    init, captured = inputs[:n], inputs[n:len(inputs) - (1 if has_max else 0)]
    first = scope.convert(cond_graph, init + captured)[0]
    trips = scope.cast(inputs[-1], np.int64) if has_max else ""
    body = _loop_body(scope, op, cond_graph, body_graph, captured, init)
    names = scope.node("Loop", [trips, first] + list(init), outputs=n, body=body)
    names = names if isinstance(names, list) else [names]
    for name, outer in zip(names, init):
        if outer in scope.exporter.sequence_dtypes:
            scope.exporter.sequence_dtypes[name] = scope.exporter.sequence_dtypes[outer]
    return names


def _loop_body(scope, op, cond_graph, body_graph, captured, initial):
    """ONNX's Loop body: (iteration, condition, variables...) -> (condition, variables...);
    it runs autotrace's body, then the condition on the new values."""
    exporter = scope.exporter
    inner = scope.sub()
    iteration, condition = exporter.fresh("iteration"), exporter.fresh("cond_in")
    variables = [exporter.fresh(ph.op.name)
                 for ph in body_graph.inputs[:WhileLayout.of(op).n_vars]]
    for name, outer in zip(variables, initial):  # a TensorArray stays a sequence of its type
        if outer in exporter.sequence_dtypes:
            exporter.sequence_dtypes[name] = exporter.sequence_dtypes[outer]
    new = inner.convert(body_graph, variables + captured)
    keep_going = inner.sub()
    pred = keep_going.convert(cond_graph, new + captured)[0]
    inner.nodes.extend(keep_going.nodes)
    cond_out = exporter.fresh("cond_out")
    inner.node("Identity", [pred], [cond_out])
    outs = []
    for value, ph in zip(new, body_graph.inputs):
        final = exporter.fresh(ph.op.name + "_next")
        inner.identity(value, final)
        outs.append(inner.value_info(final, ph, op))
    graph_inputs = [helper.make_tensor_value_info(iteration, helper.np_dtype_to_tensor_dtype(
                        np.dtype(np.int64)), []),
                    helper.make_tensor_value_info(condition, helper.np_dtype_to_tensor_dtype(
                        np.dtype(np.bool_)), [])] + \
        [inner.value_info(name, ph, op) for name, ph in zip(variables, body_graph.inputs)]
    return helper.make_graph(inner.nodes, exporter.fresh("loop_body"), graph_inputs,
                             [helper.make_tensor_value_info(cond_out,
                                                            helper.np_dtype_to_tensor_dtype(
                                                                np.dtype(np.bool_)), [])] + outs)
