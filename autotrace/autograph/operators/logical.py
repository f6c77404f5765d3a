"""Run-time operators for `and`, `or` and `not`: Python semantics for Python values; graph
ops for tensors, still short-circuiting at run time (the right operand is built inside a
cond, so it only runs when needed)."""
import operator

from ... import control_flow as control_flow_ops
from ...ops import math_ops
from .control_flow import _is_staged

__all__ = ["and_", "or_", "not_", "compare_chain"]


def and_(*operands):
    """`a and b and ...` with each operand a thunk."""
    value = operands[0]()
    if len(operands) == 1:
        return value
    if _is_staged(value):
        return control_flow_ops.cond(value, lambda: and_(*operands[1:]), lambda: value,
                                     name="and")
    return and_(*operands[1:]) if value else value


def or_(*operands):
    """`a or b or ...` with each operand a thunk."""
    value = operands[0]()
    if len(operands) == 1:
        return value
    if _is_staged(value):
        return control_flow_ops.cond(value, lambda: value, lambda: or_(*operands[1:]),
                                     name="or")
    return value if value else or_(*operands[1:])


_COMPARISONS = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge,
                "==": operator.eq, "!=": operator.ne,
                "in": lambda a, b: a in b, "not in": lambda a, b: a not in b,
                "is": operator.is_, "is not": operator.is_not}


def compare_chain(left, *links):
    """`left op1 b op2 c ...` with links (op1, lambda: b, op2, lambda: c, ...): Python's
    chained comparison, an `and` of its links, each operand evaluated once and only if
    needed (on tensors the later links are built inside a cond, as `and` is)."""
    right = links[1]()
    result = _COMPARISONS[links[0]](left, right)
    if len(links) == 2:
        return result
    return and_(lambda: result, lambda: compare_chain(right, *links[2:]))


def not_(value):
    if _is_staged(value):
        return math_ops.logical_not(value)
    return not value
