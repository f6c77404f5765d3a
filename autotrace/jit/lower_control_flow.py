"""XLA lowerings of control flow: If/Case become lax.cond/lax.switch over the lowered branches,
While becomes lax.while_loop over the lowered body, and the stacks a loop's gradient keeps
become preallocated buffers with one row per iteration.

State (variables, random keys) goes into each branch or body and comes out of it, so
assignments and draws inside control flow happen in order. A predicate known when compiling
picks its branch at once, as Python would.

A buffer can be sized only from facts known when compiling. A gradient through a while_loop
stores one value per iteration, so XLA needs a bound on the number of iterations: the loop's
maximum_iterations, or a trip count the lowering can work out from constants (a loop over
autotrace.range(10), say). Without one, the error says so (TensorFlow's XLA says the same).
"""
import numpy as np
import jax
import jax.numpy as jnp
from jax import lax

from ..control_flow.while_layout import WhileLayout
from ..execution.interpreter import compute_path, run_graph
from ..ops.registry import EAGER_RUNTIME
from .lowering import is_static, lower_graph
from .table import lowering
from .unsupported import XlaCompilationError
from .values import JaxStack, allocate_like, needs_allocation, zeros_like_spec

MAX_COUNTED_ITERATIONS = 1_000_000  # a longer loop is not counted at compile time


# -- cond and case -----------------------------------------------------------------------------

@lowering("If", "StatelessIf")
def _if(lw, op, pred, *inputs):
    branches = [op.attrs["then_branch"], op.attrs["else_branch"]]
    if is_static(pred):
        return lower_graph(branches[0] if pred else branches[1], inputs, lw)
    fns = _branch_functions(lw, op, branches, inputs)
    return _finish_branches(lw, op, branches, fns,
                            lambda fs: lax.cond(pred, fs[0], fs[1]))


@lowering("Case", "StatelessCase")
def _case(lw, op, index, *inputs):
    branches = list(op.attrs["branches"])
    last = len(branches) - 1
    if is_static(index):
        i = int(index)
        return lower_graph(branches[i if 0 <= i <= last else last], inputs, lw)
    # An index out of range runs the last branch (the default); lax.switch would clamp it.
    index = jnp.where((index < 0) | (index > last), last, index)
    fns = _branch_functions(lw, op, branches, inputs)
    return _finish_branches(lw, op, branches, fns, lambda fs: lax.switch(index, fs))


def _branch_functions(lw, op, branches, inputs):
    def make(graph):
        def branch():
            child = lw.child()
            outputs = lower_graph(graph, inputs, child)
            return outputs, child.written_values()
        return branch
    fns = [make(g) for g in branches]
    if any(t.dtype._kind == "v" for t in op.outputs):
        fns = _allocating(fns)
    return fns


def _allocating(fns):
    """Branches whose TensorArray outputs all come out allocated alike: a branch that leaves
    a list unwritten returns zeros shaped like the list another branch writes."""
    specs = [jax.eval_shape(fn) for fn in fns]
    target = specs[0]
    for spec in specs[1:]:
        target = allocate_like(target, spec)

    def allocated(fn):
        return lambda: allocate_like(fn(), target)
    return [allocated(fn) for fn in fns]


def _finish_branches(lw, op, branches, fns, choose):
    try:
        outputs, written = choose(fns)
    except TypeError as exc:
        raise _branch_mismatch(op, branches, fns, exc) from None
    lw.update_written(written)
    return list(outputs)


def _branch_mismatch(op, branches, fns, exc):
    shapes = [[getattr(v, "shape", None) for v in jax.eval_shape(fn)[0]] for fn in fns]
    for i, column in enumerate(zip(*shapes)):
        if len(set(column)) > 1:
            listed = ", ".join("%s in %s" % (s, g.name) for s, g in zip(column, branches))
            return XlaCompilationError(
                "%s (op %r): under jit_compile=True, every branch must give each output the "
                "same shape, but output %d has shape %s. XLA compiles for fixed shapes: "
                "reshape or pad the outputs to one shape." % (op.type, op.name, i, listed),
                op=op)
    return XlaCompilationError("%s (op %r): the branches cannot be compiled together: %s"
                               % (op.type, op.name, exc), op=op)


# -- while_loop --------------------------------------------------------------------------------

class LoopFrame:
    """The while loop being lowered, for the stacks its body pushes: they need its capacity
    (a bound on the number of iterations), worked out when first asked for."""

    def __init__(self, op, init, captured, limit):
        self.op = op
        self.init = init
        self.captured = captured
        self.limit = limit
        self._capacity = None

    def capacity(self):
        if self._capacity is None:
            self._capacity = _capacity(self)
        return self._capacity


@lowering("While", "StatelessWhile")
def _while(lw, op, *inputs):
    layout = WhileLayout.of(op)
    n, has_max = layout.n_vars, layout.has_max
    cond_graph, body_graph = op.attrs["cond"], op.attrs["body"]
    init, captured = list(inputs[:n]), list(inputs[n:len(inputs) - (1 if has_max else 0)])
    limit = inputs[-1] if has_max else None
    frame = LoopFrame(op, init, captured, limit)
    if cond_graph.stateful_ops:
        raise XlaCompilationError(
            "%s (op %r): under jit_compile=True, a loop condition cannot have side effects "
            "(assignments, random draws, prints); compute them in the loop body" % (
                op.type, op.name), op=op)

    def keep_going(carry):
        values, written, count = carry
        child = lw.child(lw.with_written(written), loop=frame)
        (pred,) = lower_graph(cond_graph, values + captured, child)
        return pred if limit is None else jnp.logical_and(pred, count < limit)

    def step(carry):
        values, written, count = carry
        child = lw.child(lw.with_written(written), loop=frame)
        new = lower_graph(body_graph, values + captured, child)
        return [_as_carry(v) for v in new], child.written_values(), count + 1

    carry = ([_as_carry(v) for v in init], lw.written_values(), jnp.int32(0))
    carry = _allocated_carry(step, carry)
    try:
        values, written, _ = lax.while_loop(keep_going, step, carry)
    except TypeError as exc:
        raise _loop_mismatch(op, body_graph, step, carry, exc) from None
    lw.update_written(written)
    return list(values)


def _as_carry(value):
    """A loop value as a carry: NumPy values become arrays (a loop changes them)."""
    if is_static(value):
        return jnp.asarray(value)
    return value


def _allocated_carry(step, carry):
    """The initial carry with the buffers the body allocates (lists it writes, stacks it
    pushes) made beforehand, so the carry keeps one structure from iteration to iteration."""
    for _ in range(4):  # a nest of containers may need a few rounds
        if not needs_allocation(carry[:2]):
            return carry
        spec = jax.eval_shape(step, carry)
        allocated = allocate_like(carry, spec)
        if jax.tree_util.tree_structure(allocated) == jax.tree_util.tree_structure(carry):
            return carry
        carry = allocated
    return carry


def _loop_mismatch(op, body_graph, step, carry, exc):
    values = carry[0]
    new = jax.eval_shape(step, carry)[0]
    for ph, before, after in zip(body_graph.inputs, values, new):
        b, a = getattr(before, "shape", None), getattr(after, "shape", None)
        if b != a:
            return XlaCompilationError(
                "%s (op %r): under jit_compile=True, loop variable %r enters the loop with "
                "shape %s but the body returns shape %s. XLA compiles loops whose variables "
                "keep their shape: pad it to a fixed shape, or keep the changing value in a "
                "TensorArray of fixed size." % (op.type, op.name, ph.op.name,
                                                 tuple(b), tuple(a)), op=op)
    return XlaCompilationError("%s (op %r): the loop cannot be compiled: %s"
                               % (op.type, op.name, exc), op=op)


# -- how many iterations: the capacity of the loop's stacks ------------------------------------

def _capacity(frame):
    count = static_trip_count(frame.op, frame.init, frame.captured)
    if count is not None:
        return max(count, 1)
    if frame.limit is not None and is_static(frame.limit):
        return max(int(frame.limit), 1)
    popped = _popped_capacity(frame)
    if popped is not None:
        return popped
    op = frame.op
    raise XlaCompilationError(
        "%s (op %r): under jit_compile=True, a gradient through this while_loop needs a bound "
        "on its number of iterations when the function is compiled: the gradient keeps one "
        "value per iteration, and XLA needs their number. Pass maximum_iterations= to "
        "while_loop (in a converted loop: autotrace.autograph.experimental.set_loop_options("
        "maximum_iterations=...)), or let the loop count to a constant. (TensorFlow's XLA "
        "asks the same.)" % (op.type, op.name), op=op)


def _popped_capacity(frame):
    """A loop that pops a stack on every iteration (the reverse loop of a gradient) runs at
    most as many times as the stack holds: the capacity of the smallest such stack."""
    body = frame.op.attrs["body"]
    positions = {id(ph): i for i, ph in enumerate(body.inputs)}
    found = [frame.init[positions[id(op.inputs[0])]].capacity for op in body.get_operations()
             if op.type == "StackPop" and id(op.inputs[0]) in positions
             and positions[id(op.inputs[0])] < len(frame.init)
             and isinstance(frame.init[positions[id(op.inputs[0])]], JaxStack)]
    found = [c for c in found if c is not None]
    return min(found) if found else None


def static_trip_count(op, init, captured):
    """How many times the loop runs, counted now with the NumPy interpreter when everything
    its condition depends on is known at compile time; else None."""
    cond_graph, body_graph = op.attrs["cond"], op.attrs["body"]
    n = WhileLayout.of(op).n_vars
    needed = _needed_inputs(cond_graph, cond_graph.outputs)
    while needed is not None:
        more = set(needed)
        for i in needed:
            through_body = _needed_inputs(body_graph, [body_graph.outputs[i]]) if i < n \
                else set()
            if through_body is None:
                return None
            more |= through_body
        if more == needed:
            break
        needed = more
    if needed is None:
        return None
    known = init + captured
    if any(not is_static(known[i]) for i in needed):
        return None
    values = {i: known[i] for i in needed}
    for count in range(MAX_COUNTED_ITERATIONS):
        feeds = {id(cond_graph.inputs[i]): values[i] for i in needed}
        if not run_graph(list(cond_graph.outputs), feeds, EAGER_RUNTIME)[0]:
            return count
        feeds = {id(body_graph.inputs[i]): values[i] for i in needed}
        loop_needed = sorted(i for i in needed if i < n)
        new = run_graph([body_graph.outputs[i] for i in loop_needed], feeds, EAGER_RUNTIME)
        values.update(zip(loop_needed, new))
    return None


def _needed_inputs(graph, fetches):
    """Positions of the graph inputs `fetches` depend on, or None if they depend on state."""
    positions = {id(ph): i for i, ph in enumerate(graph.inputs)}
    needed = set()
    for op in compute_path(fetches, {}):
        if op.type == "Placeholder":
            needed.add(positions[id(op.outputs[0])])
        elif op.stateful or op.opdef.uses_runtime:
            return None
    return needed


# -- the stacks of a loop's gradient -----------------------------------------------------------

@lowering("EmptyStack")
def _empty_stack(lw, op):
    return JaxStack(None, np.int32(0), None)


@lowering("StackPush")
def _push(lw, op, stack, value):
    buffer, capacity = stack.buffer, stack.capacity
    if buffer is None:
        if lw.loop is None:
            raise XlaCompilationError("StackPush (op %r) outside a loop cannot be compiled"
                                      % op.name, op=op)
        capacity = lw.loop.capacity()
        buffer = zeros_like_spec(_rows_of(value, capacity))
        # a stack's gradient is a gradient list indexed like the stack: it must fit
        lw.session.max_list_size = max(lw.session.max_list_size, capacity)
    elif jax.tree_util.tree_structure(buffer) != jax.tree_util.tree_structure(value):
        # a TensorArray pushed before its first write (no buffer yet) and after it: the
        # earlier rows were empty lists, which read as zeros
        buffer = allocate_like(buffer, _rows_of(value, capacity))
    buffer = jax.tree_util.tree_map(lambda b, v: b.at[stack.size].set(v), buffer, value)
    return JaxStack(buffer, stack.size + 1, capacity)


def _rows_of(value, capacity):
    """The shapes of a stack buffer holding `capacity` values like `value`."""
    return jax.tree_util.tree_map(
        lambda v: jax.ShapeDtypeStruct((capacity,) + jnp.shape(v), jnp.asarray(v).dtype), value)


@lowering("StackPop")
def _pop(lw, op, stack):
    if stack.buffer is None:
        raise XlaCompilationError("StackPop (op %r): the stack is never pushed" % op.name,
                                  op=op)
    top = jax.tree_util.tree_map(lambda b: b[stack.size - 1], stack.buffer)
    return [JaxStack(stack.buffer, stack.size - 1, stack.capacity), top]


@lowering("StackSize")
def _stack_size(lw, op, stack):
    return stack.size
