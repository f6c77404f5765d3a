"""Replaying a sub-graph into the graph being built, for gradients.

A gradient of a cond branch, a loop body or a traced function needs the values its ops
computed. Ops whose kernels are pure are simply run again (`opdef.recompute`); the outputs of
the others (variable reads, random draws, side effects) are taken from values saved on the
forward pass, so a dropout mask or a variable read is the one the forward pass used and no
side effect happens twice.
"""
from ..core.context import state
from ..core.errors import InternalError
from ..ops.registry import EagerOp, apply, recomputable

__all__ = ["replay", "saved_ops"]


def saved_ops(graph):
    """The ops of `graph` whose outputs a gradient must save rather than recompute."""
    return [op for op in graph.get_operations()
            if op.type != "Placeholder" and not recomputable(op) and op.outputs]


def replay(graph, inputs, saved, skip=()):
    """Re-create `graph`'s ops in state.graph, its placeholders bound to `inputs` (tensors of
    the graph being built) and the ops in `saved` ({op: [tensors]}) standing for their saved
    outputs. Returns ({id(old tensor): new tensor}, [new ops in order]).

    Ops of types in `skip` are left out (their outputs must not be needed)."""
    values = {id(ph): t for ph, t in zip(graph.inputs, inputs)}
    new_ops = []
    for op in graph.get_operations():
        if op.type == "Placeholder" or op.type in skip:
            continue
        if op in saved:
            for out, value in zip(op.outputs, saved[op]):
                values[id(out)] = value
            if op.type == "ReadVariableOp" and id(op.inputs[0]) in values:
                # The read is not repeated, but its gradient must still reach the variable.
                new_ops.append(EagerOp(op.opdef, [values[id(op.inputs[0])]], list(saved[op]),
                                       op.attrs, graph=_graph_of(saved[op][0])))
            continue
        if not recomputable(op):
            continue  # a side effect: not repeated (nothing replayed may need its outputs)
        try:
            args = [values[id(t)] for t in op.inputs]
        except KeyError:
            continue  # depends on something not replayed; its gradient is not needed
        attrs = op.attrs
        if op.opdef.gradient_form is not None and state.graph is not None:
            # built with what its own gradient needs: e.g. a loop that accumulates
            args, attrs = op.opdef.gradient_form(args, attrs)
        result = apply(op.opdef, args, attrs, op.name)
        new_op = _op_of(result) if state.graph is not None else \
            EagerOp(op.opdef, args, result if op.opdef.multi_output else [result], attrs)
        new_ops.append(new_op)
        for out, new in zip(op.outputs, new_op.outputs):
            values[id(out)] = new
    return values, new_ops


def copy_subgraph(graph):
    """A copy of a sub-graph (its ops replayed, pruned to what its outputs need)."""
    from ..execution.passes import optimize_subgraph
    return optimize_subgraph(graph)


def _graph_of(tensor):
    return getattr(getattr(tensor, "op", None), "graph", None)


def _op_of(result):
    if isinstance(result, list):
        if not result:
            raise InternalError("replay: an op with no outputs returned no op")
        return result[0].op
    if hasattr(result, "op"):
        return result.op
    return result
