"""Gradients of cond (If) and switch_case (Case): a cond of the branches' gradients.

Each gradient branch replays its forward branch (recomputing pure ops) and walks it
backwards. Values that must not be recomputed (variable reads, random draws) are extra
outputs of the forward op, so the gradient uses exactly what the forward pass saw: an If/Case
that will be differentiated is built exposing them (`expose_saved_values`, attribute
`exposed`), other branches giving a zero there. The forward op is only read.
"""
import numpy as np

from ..autodiff.backprop import aggregate, backprop, differentiable, zeros_for
from ..autodiff.replay import replay, saved_ops
from ..core.context import graph_mode, state
from ..ops.constant_op import constant
from ..ops.registry import recomputable

__all__ = ["if_grad", "case_grad", "expose_saved_values"]


def expose_saved_values(branches):
    """Make the outputs of each branch's non-recomputable ops extra outputs of every branch
    (the owner gives the value, the others a zero); the branches are still being built.
    Returns how many outputs were added."""
    per_branch = [[o for inner in saved_ops(b) for o in inner.outputs
                   if o.dtype._kind not in "rv"] for b in branches]
    for owner, tensors in enumerate(per_branch):
        for t in tensors:
            for k, branch in enumerate(branches):
                with graph_mode(branch):
                    branch.outputs.append(t if k == owner else
                                          constant(np.zeros((), t.dtype.np)))
    return sum(len(tensors) for tensors in per_branch)


def _saved_values(op, branches):
    """Per branch, {inner op: [outputs of the op]}: where the values a branch's
    non-recomputable ops computed come out of the forward op."""
    exposed = op.attrs.get("exposed") or 0
    first = len(op.outputs) - exposed
    saved = [{} for _ in branches]
    for position in range(first, len(op.outputs)):
        for owner, branch in enumerate(branches):
            inner = branch.outputs[position].op
            if not recomputable(inner):  # the owner's value; the others give a zero
                saved[owner].setdefault(inner, []).append(op.outputs[position])
    return saved, first


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
    saved, n = _saved_values(op, branches)
    grads = list(grads[:n])
    inputs = list(op.inputs[1:])
    wanted = [i for i, t in enumerate(inputs) if differentiable(t)]
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
