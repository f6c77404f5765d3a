"""Run-time operators for converted `if`, `while` and `for`: plain Python when the condition
or iterable is a Python value; graph ops (cond, while_loop) when it is a tensor of the graph
being traced.

The converted code passes each statement's state (the variables it modifies that matter
afterwards) in and out explicitly, with their names, so errors can name the variable and the
user's line.
"""
from ...core import nest
from ...core.context import state as context, user_location, warn_at_user_line
from ...core.errors import OperatorNotAllowedInGraphError
from ... import control_flow as control_flow_ops
from ...control_flow.subgraphs import _a
from ...core.tensor import EagerTensor, SymbolicTensor, Tensor
from .variables import PartialReturnValue, Undefined, UndefinedReturnValue

__all__ = ["if_stmt", "while_stmt", "for_stmt", "if_exp", "loop_options",
           "AutoGraphWarning", "LOOP_WARNING_ITERATIONS", "LOOP_WARNING_OPS"]

# An unrolled Python loop inside a trace is flagged once it has run this many iterations and
# added this many ops to the graph.
LOOP_WARNING_ITERATIONS = 100
LOOP_WARNING_OPS = 1000


class AutoGraphWarning(UserWarning):
    """Converted code does something that works, but probably not as intended."""


def _is_staged(value):
    """True for a tensor of the graph being built (a condition only known at run time)."""
    return isinstance(value, SymbolicTensor) or (
        context.graph is not None and isinstance(value, EagerTensor))


def loop_options(shape_invariants=None, maximum_iterations=None, parallel_iterations=None,
                 swap_memory=None):
    """The options of autograph.set_loop_options, evaluated before the loop."""
    return {"shape_invariants": shape_invariants or [],
            "maximum_iterations": maximum_iterations}


# -- if ----------------------------------------------------------------------------------------

def if_stmt(cond, true_fn, false_fn, state, names, return_guard=False):
    """`state = true_fn(*state) if cond else false_fn(*state)`; a tensor `cond` traces both
    branches into a graph cond.

    `return_guard` marks the `if not do_return:` the return converter wraps the code after a
    `return` in: its true branch runs where the function has not returned yet, its false
    branch where it has. So the return value is known to be set, or not, on each path."""
    if not _is_staged(cond):
        return true_fn(*state) if cond else false_fn(*state)
    where = user_location()
    true_in, false_in = state, state
    if return_guard:
        true_in = tuple(UndefinedReturnValue() if _is_flag_name(n) else v
                        for n, v in zip(names, state))
        false_in = tuple(_unwrapped(v) for v in state)
    undefined_in_both, statuses = [], {}

    def reconcile(graphs, results):
        true_out, on_true = _unwrap_returns(results[0], names)
        false_out, on_false = _unwrap_returns(results[1], names)
        for i in on_true:
            statuses[i] = _merged_return(on_true[i], on_false[i], _return_status(state[i]),
                                         where, return_guard)
        results, undefined = _reconcile_branches(graphs, [true_out, false_out], names, where)
        undefined_in_both.extend(undefined)
        return results
    out = list(control_flow_ops.cond_with(cond, lambda: tuple(true_fn(*true_in)),
                                          lambda: tuple(false_fn(*false_in)), reconcile,
                                          name="cond", names=names, where=where))
    for i in undefined_in_both:
        out[i] = Undefined(names[i])
    for i, status in statuses.items():
        if isinstance(status, PartialReturnValue):
            out[i] = PartialReturnValue(out[i], status.where, status.branch)
    return tuple(out)


# What a staged statement knows of the return value on each path it merges: not returned
# (_UNDEFINED), returned (_DEFINED), or returned on some paths only (a PartialReturnValue).
_UNDEFINED, _DEFINED = "undefined", "defined"


def _unwrapped(value):
    return value.value if isinstance(value, PartialReturnValue) else value


def _return_status(value):
    if isinstance(value, PartialReturnValue):
        return value
    return _UNDEFINED if isinstance(value, Undefined) else _DEFINED


def _unwrap_returns(values, names):
    """(values with partial return values unwrapped, {index: status} of the return slots)."""
    statuses = {i: _return_status(v) for i, (n, v) in enumerate(zip(names, values))
                if _is_flag_name(n)}
    return tuple(_unwrapped(v) for v in values), statuses


def _merged_return(on_true, on_false, before, where, return_guard):
    """The status of a return slot after a staged `if`, from its status on each branch."""
    if on_true == _UNDEFINED and on_false == _UNDEFINED:
        return _UNDEFINED
    if return_guard:  # the false branch is where the function had returned already
        return before if on_true == _UNDEFINED else on_true
    if on_true == _UNDEFINED or on_false == _UNDEFINED:
        return PartialReturnValue(None, where, "true" if on_true == _UNDEFINED else "else")
    for status in (on_true, on_false):
        if isinstance(status, PartialReturnValue):
            return status
    return _DEFINED


def _reconcile_branches(graphs, results, names, where):
    """Before the branches' outputs are matched: fill return values that only one branch set,
    keep variables undefined in both, and explain variables undefined in one."""
    true_vals, false_vals = list(results[0]), list(results[1])
    for i, name in enumerate(names):
        a, b = true_vals[i], false_vals[i]
        a_undef, b_undef = isinstance(a, Undefined), isinstance(b, Undefined)
        if a_undef and b_undef:
            true_vals[i] = false_vals[i] = None  # stays undefined after the if
        elif a_undef or b_undef:
            defined, missing = (b, 0) if a_undef else (a, 1)
            if isinstance(a if a_undef else b, UndefinedReturnValue) or _is_flag_name(name):
                filler = _placeholder_like(graphs[missing], defined)
                (true_vals if missing == 0 else false_vals)[i] = filler
            else:
                raise ValueError(_one_branch_message(name, a_undef, where))
        elif _is_flag_name(name):
            _check_return_values(a, b, where)
        elif a is None and b is not None or b is None and a is not None:
            raise ValueError(
                "%r is None in the %s branch of the `if` at %s but has a value in the other; "
                "a tensor `if` traces both branches, and a variable must have a tensor (or "
                "the same Python) value in both" % (name, "true" if a is None else "false",
                                                    where))
        elif isinstance(a, list) or isinstance(b, list):
            raise ValueError(
                "The Python list %r is changed in a branch of the `if` at %s, whose condition "
                "is a tensor. A tensor `if` traces both branches once, so a Python list cannot "
                "record which one ran. Compute the value with the `if` and append after it, "
                "or use an autotrace.TensorArray." % (name, where))
    return [tuple(true_vals), tuple(false_vals)], [i for i, name in enumerate(names)
                                                   if isinstance(results[0][i], Undefined)
                                                   and isinstance(results[1][i], Undefined)]


def _check_return_values(a, b, where):
    """The values of two paths to the function's `return`s, explained in the user's terms
    (the generated flag and `if not do_return:` are not theirs)."""
    problem = _return_mismatch(a, b)
    if problem is not None:
        error, what, need = problem
        raise error("The function's return value is %s: whether the `return` at %s runs "
                    "depends on a tensor condition, so every path is traced into the graph, "
                    "and every `return` must give %s." % (what, where, need))


def _return_mismatch(a, b):
    """None, or (error type, what differs, what is needed)."""
    if (a is None) != (b is None):
        return ValueError, "None on one path and %s on another" % _value_text(
            b if a is None else a), "a value (return a tensor on every path, not None)"
    try:
        nest.assert_same_structure(a, b, check_types=False)
    except (ValueError, TypeError):
        return TypeError, "%s on one path and %s on another" % (_value_text(a), _value_text(
            b)), "the same structure"
    for x, y in zip(nest.flatten(a), nest.flatten(b)):
        if (x is None) != (y is None):
            return _return_mismatch(x, y)
        if isinstance(x, Tensor) and isinstance(y, Tensor) and x.dtype != y.dtype:
            return TypeError, "%s on one path and %s on another" % (
                _value_text(x), _value_text(y)), "the same dtype (cast one of them, e.g. " \
                "autotrace.cast(..., autotrace.%s))" % x.dtype.name
    return None


def _value_text(v):
    if v is None:
        return "None"
    if isinstance(v, Tensor):
        return _a(v.dtype.name) + " tensor"
    if isinstance(v, (tuple, list)):
        return "%d values (%s)" % (len(v), ", ".join(_value_text(x) for x in v))
    return "the Python value %r" % (v,)


def _is_flag_name(name):
    return name.startswith("retval_")


def _placeholder_like(graph, value):
    """A stand-in of the same dtype/shape, built in the branch that never set the value (its
    flag tells the later code not to use it)."""
    from ...core.context import graph_mode
    from ...ops import array_ops
    with graph_mode(graph):
        return nest.map_structure(
            lambda v: array_ops.zeros_like(v) if isinstance(v, Tensor) else v, value)


def _one_branch_message(name, true_missing, where):
    has, lacks = ("false", "true") if true_missing else ("true", "false")
    return ("%r is assigned in the %s branch of the `if` at %s but not in the %s branch, and "
            "it is used after the `if`. The condition is a tensor, so both branches are "
            "traced into the graph and either may run: %r needs a value on both paths. Assign "
            "it before the `if`, or in the %s branch too." % (name, has, where, lacks, name,
                                                              lacks))


def if_exp(cond, true_value, false_value):
    """`true_value() if cond else false_value()`, as a graph cond for a tensor `cond`."""
    if not _is_staged(cond):
        return true_value() if cond else false_value()
    return control_flow_ops.cond(cond, true_value, false_value, name="if_exp")


# -- while -------------------------------------------------------------------------------------

def while_stmt(test, body, state, names, options):
    """Run `state = body(*state)` while `test(*state)`. A Python condition runs a Python loop;
    once the condition is a tensor, the rest of the loop becomes a graph while_loop."""
    options = options or {}
    iterations, ops_before, checking = 0, _op_count(), True
    initial = state
    while True:
        cond = test(*state)
        if _is_staged(cond):
            if iterations:
                raise _became_tensor(initial, state, names, iterations)
            return _staged_while(test, body, state, names, options)
        if not cond:
            return state
        state = body(*state)
        iterations += 1
        if checking and iterations >= LOOP_WARNING_ITERATIONS:
            checking = not _check_unrolled(iterations, ops_before, "while")


def _became_tensor(initial, state, names, iterations):
    changed = [n for n, a, b in zip(names, initial, state)
               if not _is_staged(a) and _is_staged(b)]
    cause = ("%s changed from a Python value to a tensor" % " and ".join(map(repr, changed))
             if changed else "a `break` or `return` in it depends on a tensor")
    return NotImplementedError(
        "The condition of the `while` at %s was a Python value, then became a tensor after "
        "%d iteration%s (%s). A loop is a Python loop or a graph loop from its first test, so "
        "it cannot switch (TensorFlow: \"The condition of while loop started as non-Tensor, "
        "then changed to Tensor.\"). Make the condition a tensor from the start (e.g. "
        "`i = autotrace.constant(0)`), or keep it a Python value."
        % (user_location(3), iterations, "" if iterations == 1 else "s", cause))


def _staged_while(test, body, state, names, options):
    where = user_location(3)
    initial = _loop_entry_values(state, names, where)
    lists = [i for i, v in enumerate(state) if isinstance(v, list)]
    invariants = _shape_invariants(state, initial, options)
    result = control_flow_ops.while_loop(
        lambda *s: test(*s), lambda *s: list(body(*s)),
        list(initial), shape_invariants=invariants,
        maximum_iterations=options.get("maximum_iterations"), name="while",
        _names=names, _where=where)
    return _loop_exit_values(result, lists)


# -- for ---------------------------------------------------------------------------------------

def for_stmt(iterated, extra_test, body, state, names, options):
    """Run `state = body(item, *state)` for each item of `iterated` (while `extra_test`
    holds). A tensor iterable, or one that says how to iterate it in a graph
    (`_graph_iteration`: TensorArray, RaggedTensor), makes a graph loop while tracing; other
    iterables are iterated in Python (unrolled into the graph while tracing)."""
    options = options or {}
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
                raise OperatorNotAllowedInGraphError(
                    "The loop at %s iterates over a Python %s, but its `break` (or `return`) "
                    "depends on a tensor. A Python loop is unrolled while tracing and cannot "
                    "stop at a value known only at run time. Iterate over a tensor instead "
                    "(e.g. `for i in autotrace.range(n)`), which makes a graph loop."
                    % (user_location(), type(iterated).__name__))
            if not keep_going:
                break
        state = body(item, *state)
        iterations += 1
        if checking and iterations >= LOOP_WARNING_ITERATIONS:
            checking = not _check_unrolled(iterations, ops_before, "for")
    return state


def _staged_for(iterated, extra_test, body, state, names, options):
    from ...ops import math_ops
    where = user_location(3)
    initial = _loop_entry_values(state, names, where)
    lists = [i for i, v in enumerate(state) if isinstance(v, list)]
    invariants = _shape_invariants(state, initial, options)
    start, limit, delta, item_at = _iteration_plan(iterated)

    def keep_going(i, *s):
        more = _index_in_range(i, limit, delta)
        if extra_test is None:
            return more
        from .logical import and_
        return and_(lambda: more, lambda: extra_test(*s))

    def step(i, *s):
        new = body(item_at(i), *s)
        return [math_ops.add(i, delta)] + list(new)

    if invariants is not None:
        invariants = [None] + invariants
    result = control_flow_ops.while_loop(
        keep_going, step, [start] + list(initial), shape_invariants=invariants,
        maximum_iterations=options.get("maximum_iterations"), name="for",
        _names=("<loop index>",) + tuple(names), _where=where)
    return _loop_exit_values(result[1:], lists)


def _iteration_plan(iterated):
    """(start, limit, delta, item_at(i)) for a graph loop over `iterated`.

    A loop over `autotrace.range(...)` counts directly (no range tensor is materialised);
    a tensor is iterated along its first dimension; an iterable with `_graph_iteration`
    (TensorArray: element by element; RaggedTensor: row by row) gives its own plan."""
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


# -- loop state in and out ---------------------------------------------------------------------

def _loop_entry_values(state, names, where):
    """Check the loop variables have values, and turn Python lists (accumulators appended to
    in the loop) into TensorArrays."""
    values = []
    for name, value in zip(names, state):
        if isinstance(value, Undefined):
            if isinstance(value, UndefinedReturnValue) or _is_flag_name(name):
                raise NotImplementedError(
                    "`return` inside a loop whose condition is a tensor (at %s) is not "
                    "supported yet: set a variable and `break`, then return after the loop"
                    % where)
            raise ValueError(
                "%r has no value before the loop at %s, but the loop changes it and uses it. "
                "The loop is a graph loop (its condition is a tensor), so every variable it "
                "carries needs a value before the loop starts: initialise %r before the loop."
                % (name, where, name))
        if value is None:
            raise ValueError(
                "%r is None before the loop at %s, but the loop changes it. A graph loop "
                "carries tensors: initialise %r with a tensor (e.g. autotrace.zeros(...)) "
                "before the loop." % (name, where, name))
        if isinstance(value, list):
            value = _list_to_tensor_array(value, name, where)
        values.append(value)
    return values


def _list_to_tensor_array(items, name, where):
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


def _loop_exit_values(result, list_positions):
    """Lists that became TensorArrays in the loop come out stacked into one tensor."""
    values = list(result)
    for i in list_positions:
        values[i] = values[i].stack()
    return tuple(values)


def _shape_invariants(state, initial, options):
    pairs = options.get("shape_invariants") or []
    if not pairs:
        return None
    invariants = [None] * len(state)
    for var, shape in pairs:
        for i, value in enumerate(state):
            if value is var:
                invariants[i] = shape
                break
        else:
            raise ValueError("set_loop_options: a shape invariant names a value that is not a "
                             "variable of this loop (at %s)" % user_location(4))
    return invariants


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
