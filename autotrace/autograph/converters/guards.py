"""Helpers for converters that turn jumps (return, break, continue) into flags: a statement
that may set the flag makes the rest of its block run only `if not flag:`."""
import gast

from ..analysis import statement_blocks
from ..templates import copy_location, replace

_LOOPS = (gast.For, gast.While)
_FUNCTIONS = (gast.FunctionDef, gast.AsyncFunctionDef, gast.Lambda, gast.ClassDef)


def contains(node, kinds, stop_at_loops):
    """True if `node` (a statement) holds a statement of `kinds` (return, break, continue),
    not looking into nested functions (nor nested loops, if stop_at_loops). Only statement
    blocks are searched: these jumps are statements."""
    if isinstance(node, _FUNCTIONS):
        return False  # its jumps are its own
    stack = [node]
    while stack:
        n = stack.pop()
        if isinstance(n, kinds):
            return True
        if n is not node and (isinstance(n, _FUNCTIONS) or
                              (stop_at_loops and isinstance(n, _LOOPS))):
            continue
        for owner, field in statement_blocks(n):
            stack.extend(getattr(owner, field))
    return False


def guard_rest(stmts, may_jump, convert, flag, returns=False):
    """Convert `stmts`; after the first statement that may jump, the rest is wrapped in
    `if not flag:` so it runs only when no jump happened. With `returns`, the guard is marked
    `return_guard`: its true branch runs where the function has not returned yet, its false
    branch where it has (the return-value operators rely on this)."""
    out = []
    for i, stmt in enumerate(stmts):
        jumps = may_jump(stmt)  # asked before converting: conversion removes the jump
        out.extend(convert(stmt))
        rest = stmts[i + 1:]
        if jumps and rest:
            guarded = guard_rest(rest, may_jump, convert, flag, returns)
            # Placed at the first guarded statement: that is the code it decides about.
            guard = copy_location(replace("if not flag:\n    body", flag=flag, body=guarded),
                                  rest[0])
            guard[0].return_guard = returns
            out.extend(guard)
            break
    return out


def add_extra_test(loop, test):
    """Extra condition for a for loop to keep iterating (the control-flow converter uses it);
    while loops get it in their test. `test` is converted code already (`ag__.not_(flag)`):
    the expression converter does not see a for loop's extra tests."""
    if isinstance(loop, gast.While):
        loop.test = gast.BoolOp(gast.And(), [test, loop.test])
        gast.copy_location(loop.test, loop)
    else:
        loop.extra_tests = getattr(loop, "extra_tests", []) + [test]
