"""Conditional and logical expressions -> lazy operator calls that keep short-circuiting.

    y if c else z   ->  ag__.if_exp(c, lambda: y, lambda: z)
    a and b and c   ->  ag__.and_(lambda: a, lambda: b, lambda: c)
    a or b          ->  ag__.or_(lambda: a, lambda: b)
    not a           ->  ag__.not_(a)
    a < b < c       ->  ag__.compare_chain(a, '<', lambda: b, '<', lambda: c)

With tensors these become graph ops (a cond keeps `b` from running when `a` decides)."""
import gast

from ..templates import replace_expr
from .base import Transformer


def thunk(expr):
    """`lambda: expr`, marked as a thunk: code run in place of `expr` (the check of reads of
    possibly unassigned variables looks inside it, unlike a user's lambda)."""
    node = gast.Lambda(args=gast.arguments(args=[], posonlyargs=[], vararg=None, kwonlyargs=[],
                                           kw_defaults=[], kwarg=None, defaults=[]),
                       body=expr)
    node.thunk = True
    return node


_SYMBOLS = {gast.Lt: "<", gast.LtE: "<=", gast.Gt: ">", gast.GtE: ">=", gast.Eq: "==",
            gast.NotEq: "!=", gast.In: "in", gast.NotIn: "not in", gast.Is: "is",
            gast.IsNot: "is not"}


class ExpressionConverter(Transformer):
    def visit_IfExp(self, node):
        self.generic_visit(node)
        new = replace_expr("ag__.if_exp(test, body, orelse)", test=node.test,
                           body=thunk(node.body), orelse=thunk(node.orelse))
        return self.located(new, node)

    def visit_BoolOp(self, node):
        self.generic_visit(node)
        op = "and_" if isinstance(node.op, gast.And) else "or_"
        new = replace_expr("ag__.%s()" % op)
        new.args = [thunk(v) for v in node.values]
        return self.located(new, node)

    def visit_Compare(self, node):
        """A chained comparison is an `and` of its links (each operand evaluated once): on
        tensors, `0 < x < 5` is a graph op instead of a Python bool of a tensor."""
        self.generic_visit(node)
        if len(node.ops) == 1:
            return node
        new = replace_expr("ag__.compare_chain(left)", left=node.left)
        for op, right in zip(node.ops, node.comparators):
            new.args += [gast.Constant(_SYMBOLS[op.__class__], None), thunk(right)]
        return self.located(new, node)

    def visit_UnaryOp(self, node):
        self.generic_visit(node)
        if not isinstance(node.op, gast.Not):
            return node
        return self.located(replace_expr("ag__.not_(operand)", operand=node.operand), node)


def transform(tree, ctx):
    return ExpressionConverter(ctx).visit(tree)
