"""Gradients through calls of traced functions made under an eager GradientTape.

The call is recorded as one op ("PartitionedCall") whose inputs are the tensor arguments and
the handles of the variables the function uses. The forward run also returns the values that
must not be recomputed (variable reads, random draws); the gradient is itself a compiled
function, built once per ConcreteFunction: it replays the traced graph with those values and
walks it backwards.
"""
import numpy as np

from ..core import dtypes
from ..core.context import graph_mode, process, state
from ..core.func_graph import FuncGraph
from ..execution.codegen import compile_graph
from ..execution.passes import optimize
from ..ops.registry import EagerOp, _record_on_tapes, defop
from ..ops.runtime import EAGER_RUNTIME
from ..core.tensor import EagerTensor
from ..core.tensor_shape import TensorShape
from .backprop import aggregate, backprop, differentiable
from .replay import replay, saved_ops

__all__ = ["call_recorded"]


def _call_infer(*inputs, function):
    return [(t.dtype, t.shape) for t in function.graph.outputs]


def _call_grad(op, *grads):
    function = op.attrs["function"]
    if _watched_by_outer_tapes(list(op.inputs) + [g for g in grads if g is not None]):
        return _recorded_call_grad(op, function, grads)  # a second-order gradient
    gradient = _gradient_function(function)
    args = [t._value for t in op.inputs] + list(op.attrs["saved"])
    args += [g._value if g is not None else np.zeros(o._value.shape, o._value.dtype)
             for g, o, wanted in zip(grads, op.outputs, gradient.output_mask) if wanted]
    results = gradient.compiled.fn(*args)
    return [EagerTensor(r) if connected else None
            for r, connected in zip(results, gradient.connected)]


FUNCTION_CALL = defop("PartitionedCall", None, _call_infer, grad=_call_grad, multi_output=True,
                      inputs=("args",), fold=False)


def _watched_by_outer_tapes(tensors):
    """Would a tape still recording (an outer one, while an inner computes this gradient)
    record ops on these tensors?"""
    return any(id(t) in tape._watched for tape in state.tapes for t in tensors)


def _recorded_call_grad(op, function, grads):
    """The gradient of a call, computed op by op eagerly (the traced graph replayed, then
    walked backwards) so that outer tapes record it: second-order gradients through a traced
    function called under nested eager tapes."""
    forward = function.graph
    if any(inner.opdef.subgraphs is not None for inner in forward.get_operations()):
        raise NotImplementedError(
            "A gradient of the gradient of %s, taken with GradientTapes outside it, is not "
            "supported when it has graph control flow (cond, while_loop): put the tapes inside "
            "the autotrace.function, where higher-order gradients through control flow work"
            % function.name)
    n = len(forward.inputs)
    args, handles = list(op.inputs[:n]), list(op.inputs[n:])
    saving = _forward_saving(function)
    saved_values = [EagerTensor(v) for v in op.attrs["saved"]]
    saved = _saved_mapping(forward, saving.saved, saved_values, list(function.variables),
                           handles)
    values, new_ops = replay(forward, args, saved)
    for record in new_ops:
        if isinstance(record, EagerOp) and record.type == "ReadVariableOp":
            _record_on_tapes(record)  # replay stands in for the read: outer tapes need it too
    seeds = {}
    for out, g in zip(forward.outputs, grads):
        if g is not None and differentiable(out) and id(out) in values:
            key = id(values[id(out)])
            seeds[key] = g if key not in seeds else aggregate([seeds[key], g], None)
    got = backprop(new_ops, seeds, {id(t) for t in args + handles}, aggregate)
    return [got.get(id(t)) for t in args + handles]


class _Compiled:
    """A compiled helper graph of a ConcreteFunction (its saving forward or its gradient)."""

    def __init__(self, compiled, **info):
        self.compiled = compiled
        self.__dict__.update(info)


def _forward_saving(function):
    """The function compiled to also return the values its gradient must not recompute."""
    found = getattr(function, "_forward_saving", None)
    if found is not None:
        return found
    graph = function.graph
    saved = [o for op in saved_ops(graph) for o in op.outputs if o.dtype._kind not in "rv"]
    view = _GraphView(graph, list(graph.outputs) + saved)
    optimized = optimize(view, FuncGraph(function.name + "_forward"))
    result = _Compiled(compile_graph(optimized, function.name + "_forward", function._runtime),
                       saved=saved)
    function._forward_saving = result
    return result


class _GraphView:
    """A graph with other outputs: what `optimize` reads (ops, inputs, outputs, stateful)."""

    def __init__(self, graph, outputs):
        self._graph = graph
        self.inputs = graph.inputs
        self.outputs = outputs
        self.stateful_ops = graph.stateful_ops
        self.structured_outputs = None

    def get_operations(self):
        return self._graph.get_operations()


def _gradient_function(function):
    """The compiled gradient: (args..., variable handles..., saved values..., output
    gradients...) -> gradients of the args and variables."""
    found = getattr(function, "_gradient", None)
    if found is not None:
        return found
    forward = function.graph
    saving = _forward_saving(function)
    graph = FuncGraph(function.name + "_gradient")
    variables = list(function.variables)
    output_mask = [differentiable(o) and o.dtype._kind in "fc" for o in forward.outputs]
    with graph_mode(graph):
        args = [graph.add_placeholder(t.dtype, t.shape, t.op.name) for t in forward.inputs]
        handles = []
        for v in variables:
            h = graph.add_placeholder(dtypes.resource, TensorShape([]), v.name.split(":")[0])
            h.op.attrs["variable"] = v._handle_value
            handles.append(h)
        saved_values = [graph.add_placeholder(t.dtype, t.shape, "saved")
                        for t in saving.saved]
        out_grads = [graph.add_placeholder(o.dtype, o.shape, "grad")
                     for o, wanted in zip(forward.outputs, output_mask) if wanted]
        graph.inputs = args + handles + saved_values + out_grads
        saved = _saved_mapping(forward, saving.saved, saved_values, variables, handles)
        values, new_ops = replay(forward, args, saved)
        seeds = {}
        grad_iter = iter(out_grads)
        for out, wanted in zip(forward.outputs, output_mask):
            if wanted:
                g = next(grad_iter)
                key = id(values[id(out)])
                seeds[key] = g if key not in seeds else aggregate([seeds[key], g], None)
        sources = args + handles
        from ..ops import array_ops
        got = backprop(new_ops, seeds, {id(t) for t in sources},
                       aggregate)
        connected = [got.get(id(t)) is not None for t in sources]
        outputs = []
        for t, v in zip(sources, [None] * len(args) + variables):
            g = got.get(id(t))
            if g is None:
                g = array_ops.zeros_like(t) if v is None else array_ops.zeros(
                    v.shape.as_list(), v.dtype)
            outputs.append(g)
    graph.outputs = outputs
    graph.structured_outputs = None
    optimized = optimize(graph, FuncGraph(function.name + "_gradient_optimized"))
    if process.check_generated_code:
        graph.verify()
        optimized.verify()
    result = _Compiled(compile_graph(optimized, function.name + "_gradient", EAGER_RUNTIME),
                       output_mask=output_mask, connected=connected, graph=graph)
    function._gradient = result
    return result


def _saved_mapping(forward, saved_tensors, placeholders, variables, handles):
    """{forward op: [tensors of the gradient graph]}: saved values for non-recomputable ops,
    and the gradient graph's handle placeholders for the forward graph's variable handles."""
    mapping = {}
    for t, ph in zip(saved_tensors, placeholders):
        mapping.setdefault(t.op, []).append(ph)
    by_variable = {id(v): h for v, h in zip(variables, handles)}
    for op in forward.get_operations():
        if op.type == "VarHandleOp":
            mapping[op] = [by_variable[id(op.attrs["variable"].variable)]]
    return mapping


def call_recorded(function, leaves, tensors):
    """Call a ConcreteFunction eagerly while tapes record: one PartitionedCall on the tapes."""
    saving = _forward_saving(function)
    try:
        results = saving.compiled.fn(*leaves)
    except Exception as exc:
        error = function._runtime_error(exc)
        if error is exc:
            raise
        raise error from None
    n = len(function.graph.outputs)
    outputs = [EagerTensor(v) for v in results[:n]]
    if len(tensors) != len(leaves):  # Python numbers converted by an input_signature
        tensors = [EagerTensor(v) for v in leaves]
    inputs = list(tensors) + [v._handle for v in function.variables]
    _record_on_tapes(EagerOp(FUNCTION_CALL, inputs, outputs,
                             {"function": function, "saved": list(results[n:])}))
    return function._pack_tensors(outputs)
