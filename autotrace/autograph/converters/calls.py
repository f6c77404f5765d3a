"""Calls -> `ag__.call(f, *args, **kwargs)`: at run time the operator converts user functions
(recursively), leaves library code alone, and handles builtins that need it on tensors
(`range`, `len`, `print`, `int`, `float`...).

Zero-argument `super()` becomes `super(__class__, self)`, since the converted function is
no longer compiled inside its class."""
import gast

from ..templates import ag_call, load, position
from .base import Transformer

# Builtins that read the caller's frame: wrapping them would change what they see.
_FRAME_BUILTINS = {"locals", "globals", "vars", "eval", "exec", "dir"}


class CallConverter(Transformer):
    def __init__(self, ctx, first_param=None):
        super().__init__(ctx)
        self.first_param = first_param
        self.uses_class_cell = False

    def visit_Call(self, node):
        self.generic_visit(node)
        func = node.func
        if isinstance(func, gast.Name):
            if func.id in _FRAME_BUILTINS:
                return node
            if func.id == "super" and not node.args and self.first_param:
                self.uses_class_cell = True
                node.args = self.located([load("__class__"), load(self.first_param)], node)
                return node
        if _is_ag(func):
            return node
        new = ag_call("call", [func] + node.args, position(node))
        new.keywords = node.keywords
        return new


def _is_ag(func):
    return (isinstance(func, gast.Attribute) and isinstance(func.value, gast.Name) and
            func.value.id == "ag__")


def transform(tree, ctx, first_param=None):
    converter = CallConverter(ctx, first_param)
    tree = converter.visit(tree)
    return tree, converter.uses_class_cell
