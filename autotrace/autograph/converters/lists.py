"""`items.append(x)` inside a loop or `if` -> `items = ag__.list_append(items, x)`, for
lists that are local variables of the function; likewise `items = items + [x]`
(`ag__.list_concat`) and `items += [x]` (`ag__.list_extend`).

In a Python loop this is the same append. In a tensor loop the list becomes a loop variable
and, at run time, a TensorArray that is stacked into a tensor after the loop. Lists from
outside the function (closures, globals, attributes) are left alone: rebinding their name
would make it a local variable."""
import gast

from ..analysis import parameter_names, writes
from ..templates import replace, replace_expr
from .base import StatementTransformer


class ListAppendConverter(StatementTransformer):
    def __init__(self, ctx):
        super().__init__(ctx)
        self.depth = 0
        self.function = None
        self._locals = None  # the function's local names, computed at the first append

    def _nested(self, node):
        self.depth += 1
        self.generic_visit(node)
        self.depth -= 1
        return node

    visit_For = visit_While = visit_If = _nested

    def visit_FunctionDef(self, node):
        saved = self.depth, self.function, self._locals
        self.depth, self.function, self._locals = 0, node, None
        self.generic_visit(node)
        self.depth, self.function, self._locals = saved
        return node

    def _is_local(self, name):
        if self._locals is None:
            node = self.function
            self._locals = (set().union(*(writes(s) for s in node.body)) |
                            parameter_names(node.args)) - _declared(node)
        return name in self._locals

    def visit_Assign(self, node):
        """`s = s + [x, ...]` -> `s = ag__.list_concat(s, [x, ...])`."""
        value = node.value
        if (self.depth and len(node.targets) == 1 and isinstance(node.targets[0], gast.Name)
                and isinstance(value, gast.BinOp) and isinstance(value.op, gast.Add)
                and isinstance(value.left, gast.Name)
                and value.left.id == node.targets[0].id
                and isinstance(value.right, (gast.List, gast.Tuple))
                and self._is_local(value.left.id)):
            node.value = self.located(replace_expr("ag__.list_concat(target, items)",
                                                   target=value.left, items=value.right),
                                      value)
        return node

    def visit_AugAssign(self, node):
        """`s += [x, ...]` -> `s = ag__.list_extend(s, [x, ...])`."""
        if (self.depth and isinstance(node.op, gast.Add) and isinstance(node.target, gast.Name)
                and isinstance(node.value, (gast.List, gast.Tuple))
                and self._is_local(node.target.id)):
            name = node.target.id
            new = replace("target = ag__.list_extend(target, items)", target=name,
                          items=node.value)
            return self.located(new, node)
        return node

    def visit_Expr(self, node):
        call = node.value
        if (self.depth and isinstance(call, gast.Call) and
                isinstance(call.func, gast.Attribute) and call.func.attr == "append" and
                isinstance(call.func.value, gast.Name) and len(call.args) == 1 and
                not call.keywords and self._is_local(call.func.value.id)):
            target = call.func.value.id
            new = replace("target = ag__.list_append(target, value, 'target')", target=target,
                          value=call.args[0])
            new[0].value.args[2] = gast.Constant(target, None)
            return self.located(new, node)
        return node


def _declared(function):
    return {n for node in gast.walk(function) if isinstance(node, (gast.Global, gast.Nonlocal))
            for n in node.names}


def transform(tree, ctx):
    return ListAppendConverter(ctx).visit(tree)
