"""`break` and `continue` -> flags, so loops can become graph loops.

    for x in xs:                      break_ = False
        if x > 5:                     for x in xs:            # extra test: not break_
            break                         if x > 5:
        total += x                            break_ = True
                                          if not break_:
                                              total += x

`continue` works the same way with a flag reset at the top of each iteration. A loop's
`else:` runs `if not break_`. A `while` test that binds names with `:=` becomes an assignment
before the loop and at the end of each iteration."""
import copy

import gast

from ..analysis import statement_blocks
from ..templates import copy_location, replace
from .base import StatementTransformer
from .guards import add_extra_test, contains, guard_rest


class BreakContinueConverter(StatementTransformer):
    def _loop(self, node):
        self.generic_visit(node)  # inner loops first: their jumps are their own
        before = []
        if _has(node.body, gast.Continue):
            flag = self.ctx.fresh("continue_")
            body = guard_rest(node.body, _jumps(gast.Continue),
                              lambda s: _replace_jump(s, gast.Continue, flag), flag)
            node.body = self.located(replace("flag = False", flag=flag), node) + body
        after = []
        if _has(node.body, gast.Break):
            flag = self.ctx.fresh("break_")
            node.body = guard_rest(node.body, _jumps(gast.Break),
                                   lambda s: _replace_jump(s, gast.Break, flag), flag)
            before = self.located(replace("flag = False", flag=flag), node)
            add_extra_test(node, replace("ag__.not_(flag)", flag=flag)[0].value)
            if node.orelse:
                after = self.located(replace("if not flag:\n    body", flag=flag,
                                             body=node.orelse), node)
                node.orelse = []
        if isinstance(node, gast.While) and _binds_names(node.test):
            before += self._hoist_test(node)
        return before + [node] + after

    def _hoist_test(self, node):
        """A test that binds names (`while (n := n - 1) > 0`) runs before the loop and at the
        end of each iteration, as an assignment: its names become ordinary loop state."""
        flag = self.ctx.fresh("test_value")
        node.body = node.body + self.located(
            replace("flag = test", flag=flag, test=copy.deepcopy(node.test)), node)
        first = self.located(replace("flag = test", flag=flag, test=node.test), node)
        node.test = gast.Name(flag, gast.Load(), None, None)
        return first

    visit_For = visit_While = _loop


def _binds_names(test):
    return any(isinstance(n, gast.NamedExpr) for n in gast.walk(test))


def _has(stmts, kind):
    return any(contains(s, kind, True) for s in stmts)


def _jumps(kind):
    return lambda stmt: contains(stmt, kind, True)


def _replace_jump(stmt, kind, flag):
    """`break`/`continue` -> `flag = True`, inside `stmt` (not in nested loops/functions)."""
    if isinstance(stmt, kind):
        return copy_location(replace("flag = True", flag=flag), stmt)
    if isinstance(stmt, (gast.For, gast.While, gast.FunctionDef, gast.ClassDef)):
        return [stmt]
    for owner, field in statement_blocks(stmt):
        block = getattr(owner, field)
        if block:
            setattr(owner, field, guard_rest(block, _jumps(kind),
                                             lambda s: _replace_jump(s, kind, flag), flag))
    return [stmt]


def transform(tree, ctx):
    return BreakContinueConverter(ctx).visit(tree)
