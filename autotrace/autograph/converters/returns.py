"""`return` inside control flow -> a flag and a value, returned once at the end.

    def f(x):                         def f(x):
        if x > 0:                         do_return = False
            return x                      retval_ = ag__.UndefinedReturnValue()
        return -x                         if x > 0:
                                              retval_ = x
                                              do_return = True
                                          if not do_return:
                                              retval_ = -x
                                              do_return = True
                                          return ag__.retval(retval_)

Functions whose returns are all at the top level of their body are left alone."""
import gast

from ..analysis import statement_blocks
from ..operators.variables import RETURN_VALUE_PREFIX
from ..templates import replace
from .base import StatementTransformer
from .guards import add_extra_test, contains, guard_rest


def _needs_conversion(function):
    for stmt in function.body:
        if not isinstance(stmt, gast.Return) and contains(stmt, gast.Return, False):
            return True
    return False


class ReturnConverter(StatementTransformer):
    def visit_FunctionDef(self, node):
        self.generic_visit(node)  # nested functions first: their returns are their own
        if not _needs_conversion(node):
            return node
        do_return, retval = self.ctx.fresh("do_return"), self.ctx.fresh(RETURN_VALUE_PREFIX)
        body = guard_rest(node.body, _may_return, lambda s: self._convert(s, do_return, retval),
                          do_return, returns=True)
        prologue = replace("do_return = False\nretval_ = ag__.UndefinedReturnValue()",
                           do_return=do_return, retval_=retval)
        epilogue = replace("return ag__.retval(retval_)", retval_=retval)
        node.body = self.located(prologue, node) + body + self.located(epilogue, node)
        return node

    def _convert(self, stmt, do_return, retval):
        if isinstance(stmt, gast.Return):
            value = stmt.value if stmt.value is not None else gast.Constant(None, None)
            # The value first: if computing it raises (and the exception is caught), the
            # function has not returned.
            new = replace("retval_ = value\ndo_return = True", do_return=do_return,
                          retval_=retval, value=value)
            return self.located(new, stmt)
        if isinstance(stmt, (gast.FunctionDef, gast.ClassDef, gast.AsyncFunctionDef)):
            return [stmt]

        loop_returns = isinstance(stmt, (gast.For, gast.While)) and _may_return(stmt)

        def convert(s):
            return self._convert(s, do_return, retval)
        for owner, field in statement_blocks(stmt):
            block = getattr(owner, field)
            if block:
                setattr(owner, field, guard_rest(block, _may_return, convert, do_return,
                                                 returns=True))
        if loop_returns:  # decided before the body's returns became assignments
            test = replace("ag__.not_(do_return)", do_return=do_return)[0].value
            add_extra_test(stmt, test)
        return [stmt]


def _may_return(stmt):
    return contains(stmt, gast.Return, False)


def transform(tree, ctx):
    return ReturnConverter(ctx).visit(tree)
