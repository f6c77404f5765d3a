"""What a loop's gradient needs from its forward loop: accumulators.

A while_loop that will be differentiated (an active GradientTape records it, or it is built in
a TF-1 graph that `gradients` may walk, or it is replayed for a gradient) is built
accumulating: every iteration pushes, onto one stack each, the loop variables as they enter
the body and the outputs of the body's ops that must not be recomputed (variable reads,
random draws), and counts the iterations. The stacks and the counter are extra loop
variables (see while_layout.py); the gradient pops them in reverse (while_grad.py).

The accumulating loop is built as such, before its op exists: a traced graph is never edited
afterwards.
"""
import numpy as np

from ..autodiff.backprop import differentiable
from ..autodiff.replay import saved_ops
from ..core import dtypes
from ..core.context import graph_mode
from ..core.tensor_shape import TensorShape
from ..ops import math_ops
from ..ops.constant_op import constant
from ..ops.registry import NO_GRADIENT, apply, defop

__all__ = ["Stack", "EMPTY_STACK", "STACK_PUSH", "STACK_POP", "STACK_SIZE", "accumulate",
           "initial_accumulators", "LoopRecord"]


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


# -- the accumulating loop ---------------------------------------------------------------------

def accumulate(cond_graph, body_graph, layout):
    """Make the just-traced `body_graph` push what the gradient needs, and `cond_graph` take
    the stacks and the counter it ignores; returns the accumulating layout. Both graphs are
    still being built (their op does not exist yet)."""
    n = layout.n_own
    saved = list(body_graph.inputs[:n])
    for inner in saved_ops(body_graph):
        saved += [out for out in inner.outputs if out.dtype._kind != "r"]
    with graph_mode(body_graph):
        stacks = [body_graph.add_placeholder(dtypes.variant, TensorShape([]), "stack")
                  for _ in saved]
        counter = body_graph.add_placeholder(dtypes.int32, TensorShape([]), "iterations")
        pushes = [apply(STACK_PUSH, (s, t), None, "push") for s, t in zip(stacks, saved)]
        count_next = math_ops.add(counter, 1)
    body_graph.inputs = body_graph.inputs[:n] + stacks + [counter] + body_graph.inputs[n:]
    body_graph.outputs = list(body_graph.outputs) + pushes + [count_next]
    with graph_mode(cond_graph):
        unused = [cond_graph.add_placeholder(t.dtype, t.shape, "unused")
                  for t in stacks + [counter]]
    cond_graph.inputs = cond_graph.inputs[:n] + unused + cond_graph.inputs[n:]
    body_graph.put_inputs_first()
    cond_graph.put_inputs_first()
    return layout.with_stacks(len(saved))


def initial_accumulators(layout):
    """The empty stacks and the zero counter a loop of `layout` starts with (built in the
    graph being built, before the op)."""
    empties = [apply(EMPTY_STACK, (), None, "empty_stack") for _ in range(layout.n_stacks)]
    return empties, constant(0)


def needs_accumulators(inputs):
    """Is a loop over `inputs` worth accumulating: can any of them carry a gradient?"""
    return any(differentiable(t) for t in inputs)


class LoopRecord:
    """Read back from an accumulating body: which body tensor each stack holds (`saved`), and
    for each body op whose outputs are not recomputed, the stacks holding them."""

    def __init__(self, body, layout):
        n = layout.n_own
        pushes = [t.op for t in body.outputs[n:n + layout.n_stacks]]
        self.saved = [push.inputs[1] for push in pushes]
        self.saved_by_op = {}
        for i, t in enumerate(self.saved[n:], n):
            self.saved_by_op.setdefault(t.op, []).append(i)
