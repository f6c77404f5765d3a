"""Graph optimisation: the traced graph is replayed into a new, optimised graph.

One replay in program order applies, op by op:
- pruning: only ops on the compute path of the outputs and the stateful ops are replayed;
- identity removal: outputs of ops that forward their input (`OpDef.forwards`: Identity,
  StopGradient) are replaced by their inputs;
- constant folding: an op whose inputs are all constants runs now and becomes a Const
  (ops with `OpDef.static_fold`, like Shape/Size/Rank, fold when the input's static shape is
  fully known);
- common-subexpression elimination: an op equal to an earlier one (same type, same inputs,
  same attributes) reuses the earlier op's outputs;
then a last sweep drops what folding left unused (dead-code removal).

Stateful ops (and ops that read state, like ReadVariableOp) are never folded or merged, and
keep their program order. The traced graph is left as it was, for inspection.
"""
import numpy as np

from ..core.func_graph import FuncGraph
from ..core.graph import Operation
from ..ops.registry import REGISTRY
from .interpreter import compute_path, run_op

__all__ = ["optimize", "MAX_FOLDED_BYTES"]

MAX_FOLDED_BYTES = 1 << 24  # larger results stay computed at run time, not baked in


def optimize(graph, new_graph):
    """Replay `graph` (a FuncGraph with inputs/outputs set) into the empty `new_graph`,
    optimised; returns `new_graph` with its inputs, outputs and stateful ops set."""
    replay = _Replay(graph, new_graph)
    for ph in graph.inputs:  # every input stays, used or not, and comes first
        replay.op(ph.op)
    roots = list(graph.outputs) + list(graph.stateful_ops)
    for op in compute_path(roots, {}):
        if op not in replay.ops:
            replay.op(op)
    new_graph.inputs = [replay.tensor(t) for t in graph.inputs]
    new_graph.outputs = [replay.tensor(t) for t in graph.outputs]
    new_graph.structured_outputs = graph.structured_outputs
    _sweep(new_graph)
    return new_graph


class _Replay:
    def __init__(self, graph, new_graph):
        self.graph = graph
        self.new = new_graph
        self.tensors = {}    # id(old tensor) -> new tensor
        self.ops = {}        # old op -> new op
        self.constants = {}  # id(new tensor) -> NumPy value of a Const output
        self.seen = {}       # CSE key -> new op

    def tensor(self, t):
        return self.tensors[id(t)]

    def op(self, op):
        inputs = [self.tensors[id(t)] for t in op.inputs]
        if op.opdef.forwards and not op.control_inputs:
            self.tensors[id(op.outputs[0])] = inputs[0]
            return
        if self._try_fold(op, inputs):
            return
        key = _cse_key(op, inputs)
        if key is not None and key in self.seen:
            self._alias(op, self.seen[key])
            return
        new_op = self._copy(op, inputs)
        if key is not None:
            self.seen[key] = new_op
        if op.type == "Const":
            self.constants[id(new_op.outputs[0])] = op.attrs["value"]

    def _copy(self, op, inputs):
        new_op = Operation(self.new, self.new.unique_name(op.name), op.opdef, inputs,
                           _optimized_attrs(op), [], op.location, len(self.new._ops))
        new_op.outputs = [type(o)(new_op, i, o.dtype, o.shape) for i, o in enumerate(op.outputs)]
        new_op.control_inputs = [self.ops[c] for c in op.control_inputs if c in self.ops]
        self.new._add_op(new_op)
        if op.stateful:
            self.new.stateful_ops.append(new_op)
        self.ops[op] = new_op
        for old, new in zip(op.outputs, new_op.outputs):
            self.tensors[id(old)] = new
        return new_op

    def _alias(self, op, earlier):
        self.ops[op] = earlier
        for old, new in zip(op.outputs, earlier.outputs):
            self.tensors[id(old)] = new

    def _try_fold(self, op, inputs):
        opdef = op.opdef
        if not opdef.fold or opdef.uses_runtime or op.control_inputs or op.type == "Const":
            return False
        if opdef.subgraphs is not None:
            return False
        if opdef.static_fold is not None:
            shape = inputs[0].shape
            if not shape.is_fully_defined():
                return False
            values = [opdef.static_fold(shape.as_list(), **op.attrs)]
        else:
            known = [self.constants.get(id(t)) for t in inputs]
            if not inputs or any(v is None for v in known):
                return False
            try:
                values = run_op(op, known, None)
            except Exception:  # leave it to fail at run time, naming the op
                return False
            if sum(np.asarray(v).nbytes for v in values) > MAX_FOLDED_BYTES:
                return False
        for old, value in zip(op.outputs, values):
            const_op = self._const(value, op)
            self.tensors[id(old)] = const_op.outputs[0]
        return True

    def _const(self, value, op):
        if isinstance(value, np.ndarray) and value.ndim == 0:
            value = value[()]
        key = _const_key(value)
        if key is not None and key in self.seen:
            return self.seen[key]
        const = REGISTRY["Const"]
        new_op = Operation(self.new, self.new.unique_name(op.name), const, [],
                           {"value": value}, [], op.location, len(self.new._ops))
        (dtype, shape), = const.output_specs([], {"value": value})
        new_op.outputs = [type(op.outputs[0])(new_op, 0, dtype, shape)]
        self.new._add_op(new_op)
        self.constants[id(new_op.outputs[0])] = value
        if key is not None:
            self.seen[key] = new_op
        return new_op


def _optimized_attrs(op):
    """Attributes of the replayed op; an op with sub-graphs (cond, while) gets optimised
    copies of them."""
    rewrite = op.opdef.rewrite_subgraphs
    return op.attrs if rewrite is None else rewrite(op.attrs, optimize_subgraph)


def optimize_subgraph(graph):
    return optimize(graph, FuncGraph(graph.name, outer_graph=graph.outer_graph))


_SMALL = 1024


def _freeze(value):
    """A hashable stand-in for an attribute value, or raise TypeError."""
    if isinstance(value, (np.ndarray, np.generic)):
        arr = np.asarray(value)
        if arr.size > _SMALL or arr.dtype.kind == "O":
            raise TypeError("large or object array")
        return ("array", arr.dtype.str, arr.shape, arr.tobytes())
    if isinstance(value, (list, tuple)):
        return (type(value).__name__,) + tuple(_freeze(v) for v in value)
    if isinstance(value, dict):
        return ("dict",) + tuple((k, _freeze(v)) for k, v in sorted(value.items()))
    if isinstance(value, slice):
        return ("slice", _freeze(value.start), _freeze(value.stop), _freeze(value.step))
    hash(value)
    return (type(value).__name__, value)


def _const_key(value):
    try:
        return ("Const", _freeze(value))
    except TypeError:
        return None


def _cse_key(op, inputs):
    opdef = op.opdef
    if opdef.stateful or opdef.uses_runtime or op.type == "Placeholder" or op.control_inputs:
        return None
    if opdef.subgraphs is not None:
        return None
    try:
        return (op.type, tuple(id(t) for t in inputs), _freeze(op.attrs))
    except TypeError:
        return None


def _sweep(graph):
    """Drop ops nothing needs any more (constants left behind by folding)."""
    keep = set(compute_path(list(graph.outputs) + list(graph.stateful_ops), {}))
    keep.update(t.op for t in graph.inputs)
    graph._ops = [op for op in graph._ops if op in keep]
    graph._ops_by_name = {op.name: op for op in graph._ops}
