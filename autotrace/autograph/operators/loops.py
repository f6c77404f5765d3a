"""Run-time operators for converted `while` and `for` loops: a Python loop for a Python
condition or iterable; a graph while_loop for a tensor one.

A graph loop carries its state as loop variables, so each needs a value of a fixed kind
before the loop. Like TensorFlow, a variable with no value yet (first assigned inside the
loop, or None) gets a stand-in: one iteration is traced in a scratch graph to learn what the
loop assigns, and the loop starts from zeros of that kind. If the loop may run zero times,
such a variable would keep the zeros: a run-time check says "loop must iterate at least once
to initialize y" (TF's words). The function's return value is filled the same way, without
the check: the return flag tells whether it was set, so `return` works inside graph loops.

An iterable may stage its own loop: `for_stmt` calls `type(iterated)._autograph_for_stmt(
iterated, extra_test, body, state, names, options)` when the class defines it (a dataset
iterates with its own ops), and uses what it returns as the loop's final state.
"""
from ...core import nest
from ...core.context import graph_mode, state as context, user_location, warn_at_user_line
from ...core.errors import OperatorNotAllowedInGraphError
from ...core.tensor import EagerTensor, Tensor
from ... import control_flow as control_flow_ops
from .control_flow import (_DEFINED, _UNDEFINED, AutoGraphWarning, _is_staged,
                           _return_status)
from .variables import PartialReturnValue, Undefined, is_return_value_name

__all__ = ["while_stmt", "for_stmt", "LOOP_WARNING_ITERATIONS", "LOOP_WARNING_OPS"]

# An unrolled Python loop inside a trace is flagged once it has run this many iterations and
# added this many ops to the graph.
LOOP_WARNING_ITERATIONS = 100
LOOP_WARNING_OPS = 1000


# -- while -------------------------------------------------------------------------------------

def while_stmt(test, body, state, names, options):
    """Run `state = body(*state)` while `test(*state)`: a Python loop while the condition is
    a Python value, a graph while_loop when it is a tensor from the first test."""
    options = options or {}
    iterations, ops_before, checking = 0, _op_count(), True
    initial = state
    while True:
        cond = test(*state)
        if _is_staged(cond):
            if iterations:
                raise _became_tensor(initial, state, names, iterations)
            return _GraphLoop(state, names, options, "while").run(
                lambda *s: test(*s), lambda *s: list(body(*s)))
        if not cond:
            return state
        state = body(*state)
        iterations += 1
        if checking and iterations >= LOOP_WARNING_ITERATIONS:
            checking = not _check_unrolled(iterations, ops_before, "while")


# What a flag generated for a jump stands for, in messages.
_FLAG_TEXT = (("do_return", "its `return`"), ("break_", "its `break`"),
              ("continue_", "its `continue`"))


def _became_tensor(initial, state, names, iterations):
    changed = [n for n, a, b in zip(names, initial, state)
               if not _is_staged(a) and _is_staged(b) and not is_return_value_name(n)]
    causes = ["%s depends on a tensor" % text for prefix, text in _FLAG_TEXT
              if any(n.startswith(prefix) for n in changed)]
    plain = [repr(n) for n in changed if not n.startswith(tuple(p for p, _ in _FLAG_TEXT))]
    if plain:
        causes.insert(0, "%s changed from a Python value to a tensor" % " and ".join(plain))
    return NotImplementedError(
        "The condition of the `while` at %s was a Python value, then became a tensor after "
        "%d iteration%s (%s). A loop is a Python loop or a graph loop from its first test, so "
        "it cannot switch (TensorFlow: \"The condition of while loop started as non-Tensor, "
        "then changed to Tensor.\"). Make the condition a tensor from the start (e.g. "
        "`i = autotrace.constant(0)`), or keep it a Python value."
        % (user_location(3), iterations, "" if iterations == 1 else "s",
           "; ".join(causes) or "its condition depends on a tensor"))


# -- for ---------------------------------------------------------------------------------------

def for_stmt(iterated, extra_test, body, state, names, options):
    """Run `state = body(item, *state)` for each item of `iterated` (while `extra_test`
    holds). A tensor iterable, or one that says how to iterate it in a graph
    (`_graph_iteration`: TensorArray, RaggedTensor, datasets and their iterators), makes a
    graph loop while tracing; an iterable whose class defines `_autograph_for_stmt` stages
    the whole loop itself; other iterables are iterated in Python (unrolled into the graph while tracing)."""
    options = options or {}
    own_loop = getattr(type(iterated), "_autograph_for_stmt", None)
    if own_loop is not None:
        return own_loop(iterated, extra_test, body, state, names, options)
    if _is_staged(iterated) or (context.graph is not None and
                                hasattr(type(iterated), "_graph_iteration")):
        return _staged_for(iterated, extra_test, body, state, names, options)
    if isinstance(iterated, EagerTensor):
        iterated = iter(iterated)
    iterations, ops_before, checking = 0, _op_count(), True
    for item in iterated:
        if extra_test is not None:
            keep_going = extra_test(*state)
            if _is_staged(keep_going):
                raise _jump_in_python_loop(iterated)
            if not keep_going:
                break
        state = body(item, *state)
        iterations += 1
        if checking and iterations >= LOOP_WARNING_ITERATIONS:
            checking = not _check_unrolled(iterations, ops_before, "for")
    return state


class PythonLoopJumpError(OperatorNotAllowedInGraphError, NotImplementedError):
    """A `break` or `return` that depends on a tensor, in a loop over a Python iterable.
    NotImplementedError, as TensorFlow raises; an OperatorNotAllowedInGraphError too."""


def _jump_in_python_loop(iterated):
    return PythonLoopJumpError(
        "The loop at %s iterates over a Python %s, but its `break` (or `return`) depends on a "
        "tensor. A Python loop is unrolled while tracing and cannot stop at a value known only "
        "at run time (TensorFlow: \"break and return statements which depend on a TF "
        "condition are not supported in Python for loops\"). Iterate over a tensor instead "
        "(e.g. `for i in autotrace.range(n)`), which makes a graph loop."
        % (user_location(), type(iterated).__name__))


def _staged_for(iterated, extra_test, body, state, names, options):
    from ...ops import math_ops
    start, limit, delta, item_at = _iteration_plan(iterated)

    def keep_going(i, *s):
        from .logical import and_
        if callable(limit):  # the iterable says when it ends (has_next of a dataset iterator)
            return limit() if extra_test is None else and_(lambda: extra_test(*s), limit)
        more = _index_in_range(i, limit, delta)
        if extra_test is None:
            return more
        return and_(lambda: more, lambda: extra_test(*s))

    def step(i, *s):
        new = body(item_at(i), *s)
        return [math_ops.add(i, delta, name="AddV2")] + list(new)
    return _GraphLoop(state, names, options, "for").run(keep_going, step, [start],
                                                        ("<loop index>",))


def _iteration_plan(iterated):
    """(start, limit, delta, item_at(i)) for a graph loop over `iterated`.

    A loop over `autotrace.range(...)` counts directly (no range tensor is materialised);
    a tensor is iterated along its first dimension; an iterable with `_graph_iteration`
    (TensorArray: element by element; RaggedTensor: row by row) gives its own plan, whose
    `limit` may be a function returning the loop's condition (a dataset: "is there a next
    element?")."""
    from ...ops import array_ops
    plan = getattr(type(iterated), "_graph_iteration", None)
    if plan is not None:
        return plan(iterated)
    op = getattr(iterated, "op", None)
    if op is not None and op.type == "Range":
        start, limit, delta = op.inputs
        return start, limit, delta, lambda i: i
    n = iterated.shape[0] if iterated.shape.rank else None
    if iterated.shape.rank == 0:
        raise TypeError("Cannot iterate over a scalar tensor (at %s)" % user_location())
    limit = n if n is not None else array_ops.shape(iterated)[0]
    return 0, limit, 1, lambda i: iterated[i]


def _index_in_range(i, limit, delta):
    from ...ops import math_ops
    from ...ops.constant_op import constant_value
    step = constant_value(delta) if isinstance(delta, Tensor) else delta
    if step is not None:
        return math_ops.less(i, limit) if step > 0 else math_ops.greater(i, limit)
    positive = math_ops.greater(delta, 0)
    return math_ops.logical_or(math_ops.logical_and(positive, math_ops.less(i, limit)),
                               math_ops.logical_and(math_ops.logical_not(positive),
                                                    math_ops.greater(i, limit)))


# -- the graph loop ----------------------------------------------------------------------------

def _is_missing(value):
    return value is None or isinstance(value, Undefined)


class _GraphLoop:
    """One converted loop staged as a while_loop: its state in, stand-ins for variables with
    no value yet, the loop, the check that it ran when it had to, its state out."""

    def __init__(self, state, names, options, kind):
        self.state, self.names, self.options, self.kind = state, tuple(names), options, kind
        self.where = user_location(4)

    def run(self, cond, step, head=(), head_names=()):
        """`cond(*head, *state)` / `step(*head, *state)` -> new head + state. `head` are loop
        variables of the operator's own (a for loop's index)."""
        names, n_head = self.names, len(head)
        initial, returns, lists = self._entry_values()
        invariants = self._invariants(initial)
        missing = [i for i, v in enumerate(initial) if _is_missing(v)]
        fixed = {}
        if missing:
            initial, invariants, fixed = self._fill(step, list(head), initial, invariants,
                                                    missing)
        unset = [names[i] for i in missing if i not in fixed and not is_return_value_name(names[i])]
        carried = [i for i in range(len(initial)) if i not in fixed]
        loop_vars = list(head) + [initial[i] for i in carried]
        loop_names = tuple(head_names) + tuple(names[i] for i in carried)
        shapes = None if invariants is None else \
            [None] * n_head + [invariants[i] for i in carried]
        if fixed:
            cond, step, expand = _with_fixed(cond, step, n_head, fixed, len(initial))
        if unset or not loop_vars:  # a flag: did the loop run? (also: while_loop needs a var)
            loop_vars, loop_names = [False] + loop_vars, ("<iterated>",) + loop_names
            shapes = None if shapes is None else [None] + shapes
            cond, step = _with_iterated_flag(cond, step)
        result = list(control_flow_ops.while_loop(
            cond, step, loop_vars, shape_invariants=shapes,
            maximum_iterations=self.options.get("maximum_iterations"), name=self.kind,
            _names=loop_names, _where=self.where))
        if len(loop_vars) > n_head + len(carried):
            if unset:
                self._check_iterated(result[0], unset)
            result = result[1:]
        if fixed:
            result = expand(result)
        return self._exit_values(result[n_head:], returns, lists)

    # -- in and out ----------------------------------------------------------------------------
    def _entry_values(self):
        """(values, {index: return status}, list positions): Python lists (accumulators
        appended to in the loop) become TensorArrays; partial return values are unwrapped."""
        values, returns, lists = [], {}, []
        for i, (name, value) in enumerate(zip(self.names, self.state)):
            if is_return_value_name(name):
                returns[i] = _return_status(value)
                value = value.value if isinstance(value, PartialReturnValue) else value
            if isinstance(value, list):
                value = _list_to_tensor_array(value, name)
                lists.append(i)
            values.append(value)
        return values, returns, lists

    def _exit_values(self, result, returns, lists):
        """Lists that became TensorArrays come out stacked into one tensor; a return value
        the loop may or may not have set is partial (the code after the loop decides)."""
        values = list(result)
        for i in lists:
            values[i] = values[i].stack()
        for i, before in returns.items():
            if _is_missing(values[i]):
                continue  # the loop never returns (on the path traced)
            if before == _UNDEFINED:
                values[i] = PartialReturnValue(values[i], self.where, "loop")
            elif before != _DEFINED:
                values[i] = PartialReturnValue(values[i], before.where, before.branch)
        return tuple(values)

    def _invariants(self, initial):
        """set_loop_options' shape invariants, one per state variable in its structure
        (None where none was given), or None."""
        pairs = self.options.get("shape_invariants") or []
        if not pairs:
            return None
        invariants = [nest.map_structure(lambda _: None, v) if nest.is_nested(v) else None
                      for v in initial]
        for var, shape in pairs:
            for i, value in enumerate(self.state):
                if value is var:
                    invariants[i] = shape
                    break
            else:
                raise ValueError("set_loop_options: a shape invariant names a value that is "
                                 "not a variable of the loop at %s" % self.where)
        return invariants

    # -- variables with no value yet -----------------------------------------------------------
    def _fill(self, step, head, initial, invariants, missing):
        """Stand-ins for the missing values (None or Undefined): one iteration is traced in a
        scratch graph to see what the loop assigns them; they start as zeros of that kind."""
        from ...control_flow.subgraphs import _func_graph
        scratch = _func_graph("first_iteration")
        with graph_mode(scratch):
            args = [_stand_in(v) for v in head + list(initial)]
            try:
                first = list(step(*args))[len(head):]
            except UnboundLocalError as exc:  # it read one of them before assigning it
                name = getattr(exc, "name", None)
                if name not in [self.names[i] for i in missing]:
                    raise
                raise self._no_value_error(name) from None
        filled, shapes = list(initial), list(invariants or [None] * len(initial))
        fixed = {}
        for i in missing:
            like = first[i]
            like = like.value if isinstance(like, PartialReturnValue) else like
            if _is_missing(like):
                # Not assigned on the path the trace takes (a Python condition, e.g. a
                # `return` under `if debug:`): it stays as it is, out of the loop's state.
                fixed[i] = initial[i]
                continue
            filled[i], relaxed = _zeros_like(like, self.names[i], self.where)
            if shapes[i] is None:
                shapes[i] = relaxed
        if invariants is None and all(s is None for s in shapes):
            shapes = None
        return filled, shapes, fixed

    def _no_value_error(self, name):
        return ValueError(
            "%r has no value before the loop at %s, and the loop reads it before giving it "
            "one ('%s' is used before assignment) (TensorFlow: \"'%s' must be defined before "
            "the loop\"). The loop is a graph loop (its condition is a tensor), so every "
            "variable it carries needs a value: initialise %r before the loop."
            % (name, self.where, name, name, name))

    def _check_iterated(self, iterated, unset):
        from ...ops.debugging_ops import Assert
        names = ", ".join(unset)
        Assert(iterated, [
            "The loop at %s ran zero times, so %s, first assigned inside it, has no value "
            "after it: loop must iterate at least once to initialize %s. Give %s a value "
            "before the loop." % (self.where, names, names,
                                  "it" if len(unset) == 1 else "them")])


def _with_fixed(cond, step, n_head, fixed, n_state):
    """cond and step over the carried state only: the `fixed` values ({index: value}, no
    value on any path the loop takes) are put back in for the body and left out of what it
    returns. Also returns `expand`, which puts them back into the loop's result."""
    def expand(values):
        rest = iter(values[n_head:])
        return list(values[:n_head]) + [fixed[i] if i in fixed else next(rest)
                                        for i in range(n_state)]

    def compact(values):
        return list(values[:n_head]) + [v for i, v in enumerate(values[n_head:])
                                        if i not in fixed]
    return (lambda *values: cond(*expand(values)),
            lambda *values: compact(list(step(*expand(values)))), expand)


def _with_iterated_flag(cond, step):
    def flagged_cond(iterated, *values):
        return cond(*values)

    def flagged_step(iterated, *values):
        return [True] + list(step(*values))
    return flagged_cond, flagged_step


def _stand_in(value):
    """A placeholder standing for a loop variable in the scratch trace (Python numbers too:
    in the loop they are tensors; composites by their components); values with no value yet
    stay as they are."""
    if _is_missing(value):
        return value
    leaves = nest.flatten(value, expand_composites=True)
    return nest.pack_sequence_as(value, [_stand_in_leaf(v) for v in leaves],
                                 expand_composites=True)


def _stand_in_leaf(value):
    from ...ops.constant_op import convert_to_tensor
    try:
        t = convert_to_tensor(value)
    except (TypeError, ValueError):
        return value
    return context.graph.add_placeholder(t.dtype, t.shape, "value")


def _zeros_like(like, name, where):
    """(zeros of the kind of `like`, a shape invariant if its shape is not fully known)."""
    from ...ops import array_ops
    if isinstance(like, bool):
        return False, None
    if isinstance(like, (int, float)):
        return type(like)(0), None
    if isinstance(like, Tensor) or getattr(like, "_autotrace_variable", False):
        shape = like.shape
        if shape.rank is None:
            return array_ops.zeros([], like.dtype), shape
        dims = [0 if d is None else d for d in shape.as_list()]
        return array_ops.zeros(dims, like.dtype), (shape if None in shape.as_list() else None)
    if nest.is_nested(like):
        leaves = [_zeros_like(v, name, where) for v in nest.flatten(like)]
        return (nest.pack_sequence_as(like, [v for v, _ in leaves]),
                nest.pack_sequence_as(like, [s for _, s in leaves]))
    raise ValueError(
        "%r has no value before the loop at %s, and the loop gives it a %s, which a graph "
        "loop cannot start without (TensorFlow: \"'%s' must be defined before the loop\"): "
        "initialise %r before the loop." % (name, where, type(like).__name__, name, name))


def _list_to_tensor_array(items, name):
    from ...ops.tensor_array_ops import TensorArray
    dtype = None
    for item in items:
        if isinstance(item, Tensor):
            dtype = item.dtype
            break
    array = TensorArray(dtype, size=0, dynamic_size=True, infer_shape=True)
    for i, item in enumerate(items):
        array = array.write(i, item)
    array._autograph_list = name
    return array


# -- unrolled Python loops ---------------------------------------------------------------------

def _op_count():
    graph = context.graph
    return len(graph._ops) if graph is not None else 0


_WARNED_LOOPS = set()


def _check_unrolled(iterations, ops_before, kind):
    """Warn (once per loop) about a Python loop unrolled into a big graph. True when this
    loop needs no more checks."""
    if context.graph is None:
        return True
    added = _op_count() - ops_before
    if added < LOOP_WARNING_OPS:
        return False
    where = user_location(3)
    if where in _WARNED_LOOPS:
        return True
    _WARNED_LOOPS.add(where)
    warn_at_user_line(
        "Large unrolled loop detected: the Python %s loop at %s has run %d iterations while "
        "tracing and added %d ops to the graph (one copy of its body per iteration). Did you "
        "mean a graph loop? Iterate over autotrace.range(...) or a tensor, or make the "
        "condition a tensor." % (kind, where, iterations, added), AutoGraphWarning)
    return True
