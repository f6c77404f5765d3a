"""Gradient of while_loop (While ops): the loop run backwards.

A loop that will be differentiated is built accumulating (accumulators.py): each iteration
pushed the loop variables as they entered the body, and the values the gradient must not
recompute, on stacks; a counter counted the iterations. The gradient is a loop running that
many iterations backwards. Each reverse step pops one iteration's values, replays the body on
them and walks it backwards, carrying the gradients of the loop variables and summing those
of the captured tensors. The forward op is only read.
"""
from ..autodiff.backprop import aggregate, backprop, differentiable, zeros_for
from ..autodiff.replay import replay
from ..core.context import state
from ..core.errors import InternalError
from ..ops import math_ops
from ..ops.registry import apply
from .accumulators import STACK_POP, LoopRecord
from .while_layout import WhileLayout

__all__ = ["while_grad"]


def while_grad(op, *grads):
    """Gradient of StatelessWhile / While: the loop run backwards over the saved iterations."""
    plan = _Plan(op, grads)
    if not plan.var_positions or all(grads[i] is None for i in plan.var_positions):
        return [None] * len(op.inputs)
    from .while_ops import while_loop
    result = while_loop(lambda *carried: math_ops.greater(carried[plan.n_stacks], 0),
                        lambda *carried: _reverse_step(plan, carried),
                        _start(plan), shape_invariants=_invariants(plan),
                        name="while_grad")
    return _input_gradients(plan, result)


class _Plan:
    """What the reverse loop carries: the stacks, the counter, the gradients of the loop
    variables that get one (`var_positions`: the loop's own, and the stacks when this gradient
    is itself differentiated), and of the captures that get one (`cap_positions`)."""

    def __init__(self, op, grads):
        layout = WhileLayout.of(op)
        if not layout.accumulating:
            raise InternalError(
                "The gradient of while_loop %r was asked, but the loop was built without the "
                "accumulators its gradient needs (no GradientTape recorded it)" % op.name)
        self.op, self.grads, self.layout = op, grads, layout
        self.body = op.attrs["body"]
        self.record = LoopRecord(self.body, layout)
        self.n, self.k = layout.n_own, layout.n_stacks + 1  # k: stacks and the counter
        self.n_stacks = layout.n_stacks
        self.captures = layout.captures(op.inputs)
        # The stacks have gradients only when this gradient is itself differentiated (second
        # order): the first gradient popped them.
        self.var_positions = \
            [i for i in range(self.n) if differentiable(op.outputs[i])] + \
            [self.n + i for i in range(self.n_stacks)
             if self.n + i < len(grads) and grads[self.n + i] is not None]
        self.cap_positions = [j for j, c in enumerate(self.captures) if differentiable(c)]
        self.skip = () if any(i >= self.n for i in self.var_positions) else ("StackPush",)


def _start(plan):
    """The reverse loop's initial variables: the filled stacks and the iteration count, the
    incoming gradients of the loop variables, zeros for the captures."""
    op, layout = plan.op, plan.layout
    g_vars = [plan.grads[i] if plan.grads[i] is not None else zeros_for(op.outputs[i])
              for i in plan.var_positions]
    g_caps = [zeros_for(plan.captures[j]) for j in plan.cap_positions]
    return layout.stacks(op.outputs) + [layout.counter(op.outputs)] + g_vars + g_caps


def _invariants(plan):
    shapes = [plan.body.inputs[i].shape if i < plan.n else None for i in plan.var_positions]
    return [None] * plan.k + shapes + [None] * len(plan.cap_positions)


def _reverse_step(plan, carried):
    """One iteration backwards: pop its values, replay the body, walk it backwards."""
    k, n_vars = plan.k, len(plan.var_positions)
    stacks, counter = list(carried[:plan.n_stacks]), carried[plan.n_stacks]
    grad_vars = list(carried[k:k + n_vars])
    grad_caps = list(carried[k + n_vars:])
    popped, stacks = _pop_iteration(plan, stacks)
    body_inputs = popped[:plan.n] + stacks  # the loop variables as they entered the body
    inner_caps = [state.graph.graph_tensor(c) for c in plan.captures]
    values, new_ops = _replay_body(plan, popped, body_inputs + [counter] + inner_caps)
    got = _backprop_body(plan, values, new_ops, grad_vars, body_inputs, inner_caps)
    new_vars = [got.get(id(body_inputs[i])) for i in plan.var_positions]
    new_vars = [g if g is not None else zeros_for(body_inputs[i])
                for g, i in zip(new_vars, plan.var_positions)]
    new_caps = [g if got.get(id(inner_caps[j])) is None else
                aggregate([g, got[id(inner_caps[j])]], None)
                for g, j in zip(grad_caps, plan.cap_positions)]
    return stacks + [math_ops.subtract(counter, 1)] + new_vars + new_caps


def _pop_iteration(plan, stacks):
    """The values one iteration pushed (in stack order), and the stacks below them."""
    popped, rest = [], []
    for saved, stack in zip(plan.record.saved, stacks):
        below, value = apply(STACK_POP, (stack,), {"dtype": saved.dtype, "shape": saved.shape},
                             "pop")
        rest.append(below)
        popped.append(value)
    return popped, rest


def _replay_body(plan, popped, inputs):
    """The body re-created on one iteration's inputs; ops that must not be recomputed stand
    for the values they pushed."""
    saved = {inner: [popped[p] for p in positions]
             for inner, positions in plan.record.saved_by_op.items()}
    return replay(plan.body, inputs, saved, skip=plan.skip)


def _backprop_body(plan, values, new_ops, grad_vars, body_inputs, inner_caps):
    """Gradients of the body's inputs and captures, from those of its outputs."""
    seeds = {}
    for i, g in zip(plan.var_positions, grad_vars):
        out = plan.body.outputs[i]
        if not differentiable(out):
            continue
        key = id(values[id(out)])
        seeds[key] = g if key not in seeds else aggregate([seeds[key], g], None)
    wanted = {id(body_inputs[i]) for i in plan.var_positions} | \
        {id(inner_caps[j]) for j in plan.cap_positions}
    return backprop(new_ops, seeds, wanted, aggregate)


def _input_gradients(plan, result):
    """The gradient of each of the forward op's inputs, from the reverse loop's result."""
    k, n_vars = plan.k, len(plan.var_positions)
    out = [None] * len(plan.op.inputs)
    for i, g in zip(plan.var_positions, result[k:k + n_vars]):
        out[i] = g
    for j, g in zip(plan.cap_positions, result[k + n_vars:]):
        out[plan.layout.capture_position(j)] = g
    return out
