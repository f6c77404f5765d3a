"""Gradients of cond (If) and switch_case (Case): a cond of the branches' gradients.

Each gradient branch replays its forward branch (recomputing pure ops) and walks it
backwards. Values that must not be recomputed (variable reads, random draws) become extra
outputs of the forward op, so the gradient uses exactly what the forward pass saw.

The forward op is extended in place (new outputs) when its gradient is first asked for; that
happens while the enclosing graph is still being built.
"""
import numpy as np

from ..autodiff.backprop import aggregate, backprop, differentiable, zeros_for
from ..autodiff.replay import replay, saved_ops
from ..core.context import graph_mode, state
from ..core.tensor import SymbolicTensor
from ..core.tensor_shape import TensorShape
from ..ops.constant_op import constant

__all__ = ["if_grad", "case_grad"]

# -- helpers -----------------------------------------------------------------------------------

def _carries_gradient(tensor):
    """Float tensors, variable handles and TensorArray flows get gradients through control
    flow."""
    return differentiable(tensor)


def _add_outputs(op, tensors):
    """Append outputs to a forward op (built after the fact: its graph is still open)."""
    start = len(op.outputs)
    for i, (dtype, shape) in enumerate(tensors):
        op.outputs.append(SymbolicTensor(op, start + i, dtype, TensorShape(shape)))
    return op.outputs[start:]


# -- cond / switch_case ------------------------------------------------------------------------

def _expose_branch_values(op, branches):
    """Make the outputs of each branch's non-recomputable ops extra outputs of the op (other
    branches give a placeholder zero there). Returns, per branch, {inner op: [op outputs]}.
    Done once per op."""
    if "saved" in op.meta:
        return op.meta["saved"]
    per_branch = [[o for inner in saved_ops(b) for o in inner.outputs
                   if o.dtype._kind not in "rv"] for b in branches]
    dtypes_ = []
    for owner, tensors in enumerate(per_branch):
        for t in tensors:
            for k, branch in enumerate(branches):
                with graph_mode(branch):
                    branch.outputs.append(t if k == owner else
                                          constant(np.zeros((), t.dtype.np)))
            dtypes_.append(t.dtype)
    op.meta["n_outputs"] = len(op.outputs)
    it = iter(_add_outputs(op, [(dtype, None) for dtype in dtypes_]))
    saved = [{} for _ in branches]
    for owner, tensors in enumerate(per_branch):
        for t in tensors:
            saved[owner].setdefault(t.op, []).append(next(it))
    op.meta["saved"] = saved
    return saved


def _branch_gradient(branch, inputs, saved, grads, wanted_positions):
    """A function (for cond/switch_case) computing the gradients of `branch`'s inputs."""
    def gradient_branch():
        graph = state.graph
        inner_inputs = [graph.graph_tensor(t) for t in inputs]
        inner_saved = {op: [graph.graph_tensor(t) for t in outs] for op, outs in saved.items()}
        values, new_ops = replay(branch, inner_inputs, inner_saved)
        seeds = {}
        for out, g in zip(branch.outputs, grads):
            if g is None or not differentiable(out):
                continue
            key = id(values[id(out)])
            g = graph.graph_tensor(g)
            seeds[key] = g if key not in seeds else aggregate([seeds[key], g], None)
        got = backprop(new_ops, seeds, {id(inner_inputs[i]) for i in wanted_positions},
                       aggregate)
        result = []
        for i in wanted_positions:
            g = got.get(id(inner_inputs[i]))
            result.append(g if g is not None else zeros_for(inner_inputs[i]))
        return result
    return gradient_branch


def _branches_grad(op, branches, grads, make_op):
    saved = _expose_branch_values(op, branches)
    n = op.meta["n_outputs"]
    grads = list(grads[:n])
    inputs = list(op.inputs[1:])
    wanted = [i for i, t in enumerate(inputs) if _carries_gradient(t)]
    if not wanted or all(g is None for g in grads):
        return [None] * len(op.inputs)
    fns = [_branch_gradient(b, inputs, s, grads, wanted) for b, s in zip(branches, saved)]
    results = make_op(fns)
    out = [None] * len(op.inputs)
    for position, g in zip(wanted, results):
        out[1 + position] = g
    return out


def if_grad(op, *grads):
    """Gradient of StatelessIf / If: a cond of the branches' gradients."""
    from .cond_ops import cond
    branches = [op.attrs["then_branch"], op.attrs["else_branch"]]
    return _branches_grad(op, branches, grads,
                          lambda fns: cond(op.inputs[0], fns[0], fns[1], name="cond_grad"))


def case_grad(op, *grads):
    """Gradient of StatelessCase / Case: a switch_case of the branches' gradients."""
    from .cond_ops import switch_case
    branches = list(op.attrs["branches"])
    return _branches_grad(op, branches, grads,
                          lambda fns: switch_case(op.inputs[0], fns, name="switch_case_grad"))
