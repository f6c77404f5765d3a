"""Shared pieces of the converters: the conversion context and fresh names."""
import gast

from ...core.names import FreshNames
from ..analysis import FastTransformer, statement_blocks
from ..templates import copy_location

__all__ = ["Context", "Transformer", "StatementTransformer"]


class Context(FreshNames):
    """State of one function's conversion: names in use (`fresh` gives one used nowhere in
    the function); whether it has `global`/`nonlocal` declarations and closures (if not,
    nothing need look for them)."""

    def __init__(self, used_names, filename="<unknown>", declares=True, closures=True):
        super().__init__(used_names)
        self.filename = filename
        self.declares = declares
        self.closures = closures

    def location(self, node):
        line = getattr(node, "lineno", None)
        return "%s:%s" % (self.filename, line or 0)


class Transformer(FastTransformer):
    """A NodeTransformer that knows the context and keeps source positions on new nodes."""

    def __init__(self, ctx):
        self.ctx = ctx

    def located(self, new, old):
        return copy_location(new, old)

    def visit_block(self, stmts):
        """Visit a list of statements; visitors may return one node, a list, or None."""
        out = []
        for stmt in stmts:
            result = self.visit(stmt)
            if result is None:
                continue
            out.extend(result if isinstance(result, list) else [result])
        return out


class StatementTransformer(Transformer):
    """Visits statements only, not the expressions inside them: for converters that rewrite
    whole statements (much cheaper than visiting every node). `visit_<Statement>` may return
    a node, a list of nodes, or None; `generic_visit` recurses into nested blocks."""

    def generic_visit(self, node):
        for owner, field in statement_blocks(node):
            block = getattr(owner, field)
            if block and isinstance(block[0], gast.stmt):
                setattr(owner, field, self.visit_block(block))
        return node
