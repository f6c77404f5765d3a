"""Code templates: converters write the code they generate as Python source, with names
standing for the syntax-tree nodes to put there.

>>> stmts = replace("target = ag__.not_(value)", target=gast.Name("x", gast.Store(), None, None),
...                 value=gast.Name("y", gast.Load(), None, None))
>>> to_source(stmts)
'x = ag__.not_(y)'
"""
import astunparse
import gast

from .analysis import FastTransformer, child_nodes

_AST = gast.AST

__all__ = ["replace", "replace_expr", "name", "load", "store", "to_source", "copy_location",
           "position", "names_tuple", "strings_tuple", "function_def", "ag_call"]


def name(identifier, ctx=None):
    return gast.Name(identifier, ctx or gast.Load(), None, None)


def load(identifier):
    return name(identifier, gast.Load())


def store(identifier):
    return name(identifier, gast.Store())


def param(identifier):
    return name(identifier, gast.Param())


class _Substitute(FastTransformer):
    def __init__(self, replacements):
        self.replacements = replacements

    def visit_Name(self, node):
        if node.id not in self.replacements:
            return node
        value = self.replacements[node.id]
        if isinstance(value, str):
            return gast.Name(value, node.ctx, None, None)
        if isinstance(value, gast.Name):
            return gast.Name(value.id, node.ctx, None, None)
        if isinstance(value, (gast.Tuple, gast.List)) and isinstance(node.ctx, gast.Store):
            _set_store(value)
        return value  # converters hand over nodes they own: each is placed once, not copied

    def visit_FunctionDef(self, node):
        if node.name in self.replacements:
            node.name = self.replacements[node.name]
        self.generic_visit(node)
        return node

    def visit_arguments(self, node):
        new_args = []
        for arg in node.args:
            value = self.replacements.get(arg.id)
            if isinstance(value, (list, tuple)):  # a list of parameter names
                new_args.extend(gast.Name(v, gast.Param(), None, None) for v in value)
            else:
                new_args.append(self.visit(arg))
        node.args = new_args
        return node

    def visit_Expr(self, node):
        # A name alone on a line stands for a list of statements.
        if isinstance(node.value, gast.Name) and node.value.id in self.replacements:
            value = self.replacements[node.value.id]
            if isinstance(value, list):
                return list(value)
        self.generic_visit(node)
        return node


def _set_store(node):
    for child in gast.walk(node):
        if isinstance(child, (gast.Name, gast.Tuple, gast.List)):
            child.ctx = gast.Store()


_POSITION = ("lineno", "col_offset", "end_lineno", "end_col_offset")


def _forget_positions(tree):
    """Template nodes have positions in the template text, which mean nothing: clear them,
    so copy_location gives them the position of the code they stand for."""
    for node in gast.walk(tree):
        for attr in _POSITION:
            if hasattr(node, attr):
                setattr(node, attr, None)


_PARSED = {}


def _parse_template(template):
    """A fresh tree of `template` (parsed once, then cloned: cloning is cheaper)."""
    tree = _PARSED.get(template)
    if tree is None:
        tree = _PARSED[template] = gast.parse(template.strip("\n"))
        _forget_positions(tree)
    return _clone(tree)


def _clone(node):
    """A copy of a template tree (positions None; contexts and operators, which have no
    fields, shared). Hand-written because templates are cloned for every statement converted,
    and copy.deepcopy is several times slower."""
    new = node.__class__.__new__(node.__class__)
    for field in node._fields:
        value = getattr(node, field, None)
        if isinstance(value, list):
            value = [_clone(v) if isinstance(v, _AST) and v._fields else v for v in value]
        elif isinstance(value, _AST) and value._fields:
            value = _clone(value)
        setattr(new, field, value)
    for attr in node._attributes:
        setattr(new, attr, None)
    return new


def replace(template, **replacements):
    """Statements parsed from `template`, with names replaced by nodes, strings (new names),
    or lists of statements (a name alone on a line) / parameter names (in a parameter list).
    Replacement nodes are placed as they are (not copied): pass each node only once."""
    tree = _Substitute(replacements).visit(_parse_template(template))
    body = []
    for stmt in tree.body:
        body.extend(stmt if isinstance(stmt, list) else [stmt])
    return body


def replace_expr(template, **replacements):
    """An expression parsed from `template` with substitutions."""
    (stmt,) = replace(template, **replacements)
    return stmt.value


# -- builders: the hottest generated shapes, built directly (no template to clone and
# substitute), each node placed at `pos` (from `position(node)`) as it is made.

def position(node):
    """Keyword arguments placing generated nodes at the start of `node`."""
    line, col = node.lineno, node.col_offset
    return {"lineno": line, "col_offset": col, "end_lineno": line, "end_col_offset": col}


def names_tuple(names, ctx=None, pos=None):
    """A tuple node of names: `(a, b,)`; Store context when used as a target."""
    ctx = ctx or gast.Load()
    pos = pos or {}
    return gast.Tuple([gast.Name(n, type(ctx)(), None, None, **pos) for n in names], ctx,
                      **pos)


def strings_tuple(strings, pos=None):
    pos = pos or {}
    return gast.Tuple([gast.Constant(s, None, **pos) for s in strings], gast.Load(), **pos)


def function_def(name, params, body, pos):
    """`def name(params): body`, params given by name."""
    params = [gast.Name(p, gast.Param(), None, None, **pos) for p in params]
    args = gast.arguments(args=params, posonlyargs=[], vararg=None, kwonlyargs=[],
                          kw_defaults=[], kwarg=None, defaults=[])
    return gast.FunctionDef(name=name, args=args, body=body, decorator_list=[], returns=None,
                            type_comment=None, type_params=[], **pos)


def ag_call(operator, args, pos):
    """`ag__.operator(args)`: args are nodes, or strings for names."""
    func = gast.Attribute(gast.Name("ag__", gast.Load(), None, None, **pos), operator,
                          gast.Load(), **pos)
    args = [gast.Name(a, gast.Load(), None, None, **pos) if isinstance(a, str) else a
            for a in args]
    return gast.Call(func=func, args=args, keywords=[], **pos)


def copy_location(new_nodes, old):
    """Give generated nodes the source position of the node they replace (for tracebacks)."""
    nodes = new_nodes if isinstance(new_nodes, list) else [new_nodes]
    line, col = getattr(old, "lineno", None), getattr(old, "col_offset", 0)
    stack = list(nodes)
    while stack:
        node = stack.pop()
        if isinstance(node, (gast.stmt, gast.expr)):
            if getattr(node, "lineno", None) is not None:
                continue  # user code (or already placed): it keeps its own position
            # The start of the old statement only: a traceback then shows its first line
            # (e.g. `while n != 1:`), not the last line of its body.
            node.lineno, node.col_offset = line, col
            node.end_lineno, node.end_col_offset = line, col
        stack.extend(child_nodes(node))
    return new_nodes


def to_source(node):
    """Python source of a gast node or list of statements (for to_code and tests)."""
    if isinstance(node, list):
        node = gast.Module(body=node, type_ignores=[])
    return astunparse.unparse(gast.gast_to_ast(node)).strip()
