"""gast's two translators (Python's ast -> gast to parse, gast -> ast to compile), with their
generic path made faster.

Conversion is done once per function, but it is on the path of every first call, and gast's
translators are a third of its time: they look up the visitor and the target class by name
for every node and build each node from a dict of keywords. Here the lookups are made once per
node class and nodes are built directly. Everything else is gast's: the special cases
(arguments, ExceptHandler, FunctionDef, Assign...) are inherited unchanged; Name and arg, the
most frequent nodes, skip ast.copy_location. tests/autograph/test_translate.py checks that
both give exactly the trees gast gives, on every module of autotrace.
"""
import ast

import gast

from .analysis import FastTransformer

try:
    from gast.ast3 import Ast3ToGAst, GAstToAst3
except ImportError:  # pragma: no cover - a gast that moved its internals
    Ast3ToGAst = GAstToAst3 = None

__all__ = ["parse", "to_ast"]

_AST = ast.AST  # gast's nodes derive from it too
_MISSING = object()


def parse(source):
    """gast.parse(source)."""
    tree = ast.parse(source)
    if Ast3ToGAst is None:  # pragma: no cover
        return gast.ast_to_gast(tree)
    return _ToGast().visit(tree)


def to_ast(tree):
    """gast.gast_to_ast(tree)."""
    if GAstToAst3 is None:  # pragma: no cover
        return gast.gast_to_ast(tree)
    return _ToAst().visit(tree)


class _Fast(FastTransformer):
    """The fast generic path, for either direction: `_module` is where target classes are.
    Nodes with neither fields nor position (contexts such as Load, operators such as Add)
    are made once and shared, as ast.parse shares them: nothing mutates one (converters
    replace a context, they do not change it), and compile() only reads them."""

    _module = None

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)  # FastTransformer's visitor lookup, per class
        cls._targets, cls._shared = {}, {}

    def _visit(self, node):
        if isinstance(node, _AST):
            return self.visit(node)
        if isinstance(node, list):
            return [self.visit(n) if isinstance(n, _AST) else n for n in node]
        return node

    def generic_visit(self, node):
        target = self._targets.get(node.__class__)
        if target is None:
            target = self._targets[node.__class__] = self._target_of(node.__class__)
        if not isinstance(target, type):
            return target  # a shared fieldless node, or None: the node has no counterpart
        new = target.__new__(target)
        old, values, visit = node.__dict__, new.__dict__, self.visit  # both keep fields there
        shared = self._shared
        for field in node._fields:
            value = old.get(field, _MISSING)
            if value.__class__ is list:
                values[field] = [visit(v) if isinstance(v, _AST) else v for v in value]
            elif isinstance(value, _AST):
                values[field] = shared.get(value.__class__) or visit(value)
            elif value is not _MISSING:
                values[field] = value
        for attr in node._attributes:
            if attr in old:
                values[attr] = old[attr]
        return new

    def _target_of(self, cls):
        target = getattr(self._module, cls.__name__, None)
        if target is not None and not target._fields and not target._attributes:
            target = self._shared[cls] = target()
        return target

    def _context(self, node):
        return self._shared.get(node.ctx.__class__) or self.visit(node.ctx)

    # ast.NodeVisitor's visit_Constant only looks for the visit_Num/visit_Str of old visitors.
    visit_Constant = generic_visit


def _copy_position(new, old):
    new.lineno, new.col_offset = old.lineno, old.col_offset
    new.end_lineno, new.end_col_offset = old.end_lineno, old.end_col_offset
    return new


if Ast3ToGAst is not None:
    class _ToGast(_Fast, Ast3ToGAst):
        _module = gast

        def visit_Name(self, node):
            return _copy_position(gast.Name(node.id, self._context(node), None, None), node)

    class _ToAst(_Fast, GAstToAst3):
        _module = ast

        def visit_Name(self, node):
            return _copy_position(ast.Name(node.id, self._context(node)), node)

        def _make_arg(self, node):
            if node is None:
                return None
            new = ast.arg(node.id, self._visit(node.annotation), node.type_comment)
            return _copy_position(new, node)
