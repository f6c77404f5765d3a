"""`assert test, msg` -> `ag__.assert_stmt(test, lambda: msg)`: a tensor test becomes an Assert
op that runs on every call; a Python test is a plain assert."""
import gast

from ..templates import replace
from .base import StatementTransformer


class AssertConverter(StatementTransformer):
    def visit_Assert(self, node):
        message = node.msg if node.msg is not None else gast.Constant(None, None)
        new = replace("ag__.assert_stmt(test, lambda: message)", test=node.test,
                      message=message)
        return self.located(new, node)


def transform(tree, ctx):
    return AssertConverter(ctx).visit(tree)
