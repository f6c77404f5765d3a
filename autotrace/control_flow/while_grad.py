"""Gradient of while_loop (While ops).

The forward loop is given accumulators: stacks that collect, per iteration, the loop
variables as they enter the body and the values that must not be recomputed, plus an
iteration count. The gradient is a loop running the same number of iterations backwards: it
pops one iteration's values, replays the body, and walks it backwards.

The forward op is extended in place (new outputs, new loop variables) when its gradient is
first asked for; that happens while the enclosing graph is still being built.
"""
import numpy as np

from ..core import dtypes
from ..core.context import graph_mode, state
from ..ops import math_ops
from ..ops.constant_op import constant
from ..ops.registry import apply, defop, NO_GRADIENT
from ..core.tensor import SymbolicTensor
from ..core.tensor_shape import TensorShape
from ..autodiff.backprop import aggregate, backprop, differentiable, zeros_for
from ..autodiff.replay import replay, saved_ops
from .cond_grad import _add_outputs, _carries_gradient

__all__ = ["while_grad"]


# -- stack accumulators ------------------------------------------------------------------------

class Stack:
    """An immutable stack (a linked list): pushing and popping are O(1) and share structure,
    so one per loop variable is cheap even for long loops."""

    __slots__ = ("rest", "top", "size")
    dtype = dtypes.VARIANT_MARKER
    shape = ()
    ndim = 0

    def __init__(self, rest, top, size):
        self.rest, self.top, self.size = rest, top, size

    def __repr__(self):
        return "<Stack of %d>" % self.size

    def __eq__(self, other):
        if not isinstance(other, Stack) or other.size != self.size:
            return NotImplemented if not isinstance(other, Stack) else False
        a, b = self, other
        while a is not None and a.size:
            if not np.array_equal(np.asarray(a.top), np.asarray(b.top)):
                return False
            a, b = a.rest, b.rest
        return True

    __hash__ = None


_EMPTY = Stack(None, None, 0)

EMPTY_STACK = defop("EmptyStack", lambda: _EMPTY, lambda: (dtypes.variant, ()),
                    grad=NO_GRADIENT, inputs=(), fold=False)


def _push_kernel(stack, value):
    return Stack(stack, value, stack.size + 1)


def _pop_kernel(stack, dtype, shape):
    if not stack.size:
        raise IndexError("StackPop: the stack is empty")
    return [stack.rest, stack.top]


STACK_SIZE = defop("StackSize", lambda stack: np.int32(stack.size),
                   lambda stack: (dtypes.int32, ()), grad=NO_GRADIENT, inputs=("stack",),
                   fold=False)


# The gradient of a stack is a gradient list (as for a TensorArray flow, tensor_list_grad_ops)
# indexed from the bottom of the stack, missing elements counting as zeros. So pushes and pops
# differentiate like writes and reads, to any order: what second-order gradients through a
# graph while_loop need (the first gradient pops the values its forward loop pushed).

def _push_grad(op, grad):
    stack, value = op.inputs
    if value.dtype._kind == "v":
        raise NotImplementedError(
            "This gradient goes through the values a graph while_loop saved for its own "
            "gradient that are TensorArrays or stacks: a second-order gradient of a loop "
            "carrying a TensorArray, or a third-order gradient of any loop. That is not "
            "supported yet; take it eagerly, where loops run in Python.")
    from ..ops.tensor_list_grad_ops import _clear_items, _gather_or_zeros, _shape_of
    from ..ops.array_ops import reshape
    position = reshape(apply(STACK_SIZE, (stack,), None), [1])
    rest = _clear_items(grad, position)
    if not differentiable(value) or value.dtype._kind not in "fc":
        return [rest, None]
    item = _gather_or_zeros(grad, position, _shape_of(value), value.dtype)
    return [rest, reshape(item, _shape_of(value))]


def _pop_grad(op, grad_rest, grad_top):
    from ..ops.tensor_list_grad_ops import _scatter_add, aggregate_lists
    from ..ops.array_ops import expand_dims, reshape
    parts = [] if grad_rest is None else [grad_rest]
    if grad_top is not None:
        position = reshape(apply(STACK_SIZE, (op.outputs[0],), None), [1])
        parts.append(_scatter_add(expand_dims(grad_top, 0), position))
    if not parts:
        return [None]
    return [parts[0] if len(parts) == 1 else aggregate_lists(parts)]


STACK_PUSH = defop("StackPush", _push_kernel, lambda stack, value: (dtypes.variant, ()),
                   grad=_push_grad, inputs=("stack", "value"), fold=False)
STACK_POP = defop("StackPop", _pop_kernel,
                  lambda stack, dtype, shape: [(dtypes.variant, ()), (dtype, shape)],
                  grad=_pop_grad, multi_output=True, inputs=("stack",), fold=False)


# -- while_loop --------------------------------------------------------------------------------

class _LoopRecord:
    """What the accumulating forward loop keeps: which body tensors each stack holds."""

    def __init__(self, n_vars, saved_tensors, saved_by_op):
        self.n_vars = n_vars                  # the loop's own variables
        self.saved_tensors = saved_tensors    # body tensors pushed each iteration
        self.saved_by_op = saved_by_op        # inner op -> positions in saved_tensors


def _accumulate(op):
    """Give a forward While op stacks for its gradient (once): every iteration pushes the loop
    variables as they enter the body, and the outputs of non-recomputable ops; a counter
    counts the iterations. Returns the _LoopRecord."""
    if "record" in op.meta:
        return op.meta["record"]
    body, cond_graph = op.attrs["body"], op.attrs["cond"]
    n = op.attrs["n_vars"]
    saved = list(body.inputs[:n])
    saved_by_op = {}
    for inner in saved_ops(body):
        positions = []
        for out in inner.outputs:
            if out.dtype._kind != "r":
                positions.append(len(saved))
                saved.append(out)
        saved_by_op[inner] = positions
    k = len(saved)
    with graph_mode(body):
        stack_phs = [body.add_placeholder(dtypes.variant, TensorShape([]), "stack")
                     for _ in range(k)]
        count_ph = body.add_placeholder(dtypes.int32, TensorShape([]), "iterations")
        pushes = [apply(STACK_PUSH, (ph, t), None, "push") for ph, t in zip(stack_phs, saved)]
        count_next = math_ops.add(count_ph, 1)
    body.inputs = body.inputs[:n] + stack_phs + [count_ph] + body.inputs[n:]
    body.outputs = list(body.outputs) + pushes + [count_next]
    with graph_mode(cond_graph):
        extra = [cond_graph.add_placeholder(t.dtype, t.shape, "unused")
                 for t in stack_phs + [count_ph]]
    cond_graph.inputs = cond_graph.inputs[:n] + extra + cond_graph.inputs[n:]
    with op.graph.as_default(), op.graph.control_dependencies(None):
        empties = [apply(EMPTY_STACK, (), None, "empty_stack") for _ in range(k)]
        zero = constant(0)
    op.graph.move_before([t.op for t in empties] + [zero.op], op)
    inputs = list(op.inputs)
    op.inputs = tuple(inputs[:n] + empties + [zero] + inputs[n:])
    op.attrs["n_vars"] = n + k + 1
    _add_outputs(op, [(dtypes.variant, [])] * k + [(dtypes.int32, [])])
    record = _LoopRecord(n, saved, saved_by_op)
    op.meta["record"] = record
    return record


def while_grad(op, *grads):
    """Gradient of StatelessWhile / While: the loop run backwards over the saved iterations."""
    from .while_ops import while_loop
    record = _accumulate(op)
    n, k = record.n_vars, len(record.saved_tensors)
    body = op.attrs["body"]
    has_max = op.attrs["has_max"]
    inputs = list(op.inputs)
    captures = inputs[n + k + 1:len(inputs) - (1 if has_max else 0)]
    # The accumulator stacks have gradients only when this gradient is itself differentiated
    # (second order): the first gradient popped them.
    var_positions = [i for i in range(n) if _carries_gradient(op.outputs[i])] + \
        [n + i for i in range(k) if i + n < len(grads) and grads[n + i] is not None]
    cap_positions = [j for j, c in enumerate(captures) if _carries_gradient(c)]
    if all(grads[i] is None for i in var_positions) or (not var_positions):
        return [None] * len(inputs)
    stacks = op.outputs[n:n + k]
    count = op.outputs[n + k]
    g_vars = [grads[i] if grads[i] is not None else zeros_for(op.outputs[i])
              for i in var_positions]
    g_caps = [zeros_for(captures[j]) for j in cap_positions]
    shapes = [body.inputs[i].shape if i < n else None for i in var_positions]
    skip = () if any(i >= n for i in var_positions) else ("StackPush",)

    def keep_going(*state_):
        return math_ops.greater(state_[k], 0)

    def step(*state_):
        graph = state.graph
        stack_values, counter = list(state_[:k]), state_[k]
        grad_vars = list(state_[k + 1:k + 1 + len(var_positions)])
        grad_caps = list(state_[k + 1 + len(var_positions):])
        popped = []
        for i, s in enumerate(stack_values):
            rest, value = apply(STACK_POP, (s,), {"dtype": record.saved_tensors[i].dtype,
                                                  "shape": record.saved_tensors[i].shape},
                                "pop")
            stack_values[i] = rest
            popped.append(value)
        body_inputs = popped[:n] + stack_values  # the loop variables entering the body
        inner_caps = [graph.graph_tensor(c) for c in captures]
        replay_inputs = body_inputs + [counter] + inner_caps
        saved = {inner: [popped[p] for p in positions]
                 for inner, positions in record.saved_by_op.items()}
        values, new_ops = replay(body, replay_inputs, saved, skip=skip)
        seeds = {}
        for i, g in zip(var_positions, grad_vars):
            out = body.outputs[i]
            if not differentiable(out):
                continue
            key = id(values[id(out)])
            seeds[key] = g if key not in seeds else aggregate([seeds[key], g], None)
        wanted = {id(body_inputs[i]) for i in var_positions} | \
            {id(inner_caps[j]) for j in cap_positions}
        got = backprop(new_ops, seeds, wanted, aggregate)
        new_vars = [got.get(id(body_inputs[i])) for i in var_positions]
        new_vars = [g if g is not None else zeros_for(body_inputs[i])
                    for g, i in zip(new_vars, var_positions)]
        new_caps = [g if got.get(id(inner_caps[j])) is None else
                    aggregate([g, got[id(inner_caps[j])]], None)
                    for g, j in zip(grad_caps, cap_positions)]
        return stack_values + [math_ops.subtract(counter, 1)] + new_vars + new_caps

    invariants = [None] * (k + 1) + shapes + [None] * len(cap_positions)
    result = while_loop(keep_going, step, list(stacks) + [count] + g_vars + g_caps,
                        shape_invariants=invariants, name="while_grad")
    out = [None] * len(inputs)
    for i, g in zip(var_positions, result[k + 1:k + 1 + len(var_positions)]):
        out[i] = g
    for j, g in zip(cap_positions, result[k + 1 + len(var_positions):]):
        out[n + k + 1 + j] = g
    return out

