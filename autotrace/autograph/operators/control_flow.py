"""Run-time operators for converted `if` statements and conditional expressions: plain Python
when the condition is a Python value; a graph cond when it is a tensor of the graph being
traced (loops: loops.py).

The converted code passes each statement's state (the variables it modifies that matter
afterwards) in and out explicitly, with their names, so errors can name the variable and the
user's line.
"""
from ...core import nest
from ...core.context import state as context, user_location
from ... import control_flow as control_flow_ops
from ...control_flow.subgraphs import _a
from ...core.tensor import EagerTensor, SymbolicTensor, Tensor
from .variables import (PartialReturnValue, Undefined, UndefinedReturnValue,
                        is_return_value_name)

__all__ = ["if_stmt", "if_exp", "loop_options", "match_subject", "AutoGraphWarning"]


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
        true_in = tuple(UndefinedReturnValue() if is_return_value_name(n) else v
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
                if is_return_value_name(n)}
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
            if isinstance(a if a_undef else b, UndefinedReturnValue) or is_return_value_name(name):
                filler = _placeholder_like(graphs[missing], defined)
                (true_vals if missing == 0 else false_vals)[i] = filler
            else:
                raise ValueError(_one_branch_message(name, a_undef, where))
        elif is_return_value_name(name):
            _check_return_values(a, b, where)
        elif a is None and b is not None or b is None and a is not None:
            raise ValueError(
                "%r is None in the %s branch of the `if` at %s but has a value in the other "
                "(TensorFlow: \"'%s' is None at the end of the %s branch.\"); a tensor `if` "
                "traces both branches, and a variable must have a tensor (or the same Python) "
                "value in both" % (name, "true" if a is None else "false", where, name,
                                   "main" if a is None else "else"))
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


def _placeholder_like(graph, value):
    """A stand-in of the same dtype/shape, built in the branch that never set the value (its
    flag tells the later code not to use it)."""
    from ...core.context import graph_mode
    from ...ops import array_ops
    with graph_mode(graph):
        return nest.map_structure(lambda v: _zeros_standing_for(v) if isinstance(v, Tensor)
                                  else v, value)


def _zeros_standing_for(v):
    """Zeros of v's dtype and static shape (unknown sizes as 0) made without reading v: v
    belongs to the other branch's graph, so even its dynamic shape is out of reach."""
    from ...ops import array_ops
    if v.shape.rank is None:
        return array_ops.zeros([], v.dtype)
    return array_ops.zeros([0 if d is None else d for d in v.shape.as_list()], v.dtype)


def _one_branch_message(name, true_missing, where):
    has, lacks = ("false", "true") if true_missing else ("true", "false")
    return ("%r is assigned in the %s branch of the `if` at %s but not in the %s branch, and "
            "it is used after the `if` (TensorFlow: \"'%s' must also be initialized in the %s "
            "branch\"). The condition is a tensor, so both branches are traced into the graph "
            "and either may run: %r needs a value on both paths. Assign it before the `if`, "
            "or in the %s branch too." % (name, has, where, lacks, name,
                                          "main" if true_missing else "else", name, lacks))


def if_exp(cond, true_value, false_value):
    """`true_value() if cond else false_value()`, as a graph cond for a tensor `cond`."""
    if not _is_staged(cond):
        return true_value() if cond else false_value()
    return control_flow_ops.cond(cond, true_value, false_value, name="if_exp")


def match_subject(subject):
    """The subject of a `match` with value patterns (`case 1:`), which compare it with `==`
    and need a Python bool: a tensor of the graph being built has no value for that yet."""
    if _is_staged(subject):
        from ...core.errors import OperatorNotAllowedInGraphError
        raise OperatorNotAllowedInGraphError(
            "The `match` at %s compares its subject, the symbolic tensor %s, with value "
            "patterns (`case 1:`), which need a Python bool now; the tensor has a value only "
            "when the graph runs. `match` statements run as Python (as in TensorFlow): match "
            "on a Python value, or write the cases as `if x == 1: ... elif ...`, which "
            "AutoGraph turns into graph conds." % (user_location(), subject.name))
    return subject
