"""Code templates: converters write the code they generate as Python source, with names
standing for the syntax-tree nodes to put there.

>>> stmts = replace("target = ag__.not_(value)", target=gast.Name("x", gast.Store(), None, None),
...                 value=gast.Name("y", gast.Load(), None, None))
>>> to_source(stmts)
'x = ag__.not_(y)'
"""
import astunparse
import gast

from .analysis import child_nodes

_AST = gast.AST

__all__ = ["replace", "replace_expr", "name", "load", "to_source", "copy_location",
           "position", "names_tuple", "strings_tuple", "function_def", "ag_call", "assign"]


def name(identifier, ctx=None):
    return gast.Name(identifier, ctx or gast.Load(), None, None)


def load(identifier):
    return name(identifier, gast.Load())


def _set_store(node):
    for child in gast.walk(node):
        if isinstance(child, (gast.Name, gast.Tuple, gast.List)):
            child.ctx = gast.Store()


_POSITION = ("lineno", "col_offset", "end_lineno", "end_col_offset")


_PARSED = {}


def _parsed(template):
    """The tree of `template`, parsed once (it is only ever copied)."""
    tree = _PARSED.get(template)
    if tree is None:
        tree = _PARSED[template] = gast.parse(template.strip("\n"))
    return tree


def _fill(node, replacements):
    """A copy of template node `node` with its names replaced, in one pass. Returns a node, or
    a list to splice into the enclosing list (a name alone on a line standing for statements;
    a parameter standing for several). Copied nodes have no position (the template's mean
    nothing) until copy_location; replacement nodes are placed as they are. Contexts and
    operators, which have no fields, are shared."""
    cls = node.__class__
    if cls is gast.Name and node.id in replacements:
        return _replacement(node, replacements[node.id])
    if cls is gast.Expr and node.value.__class__ is gast.Name and \
            isinstance(replacements.get(node.value.id), list):
        return list(replacements[node.value.id])
    new = cls.__new__(cls)
    for field in node._fields:
        value = getattr(node, field, None)
        if isinstance(value, list):
            items = []
            for item in value:
                if isinstance(item, _AST) and item._fields:
                    item = _fill(item, replacements)
                    if isinstance(item, list):
                        items.extend(item)
                        continue
                items.append(item)
            value = items
        elif isinstance(value, _AST) and value._fields:
            value = _fill(value, replacements)
        setattr(new, field, value)
    for attr in node._attributes:
        setattr(new, attr, None)
    if cls is gast.FunctionDef and new.name in replacements:
        new.name = replacements[new.name]
    return new


def _replacement(name_node, value):
    ctx = name_node.ctx
    if isinstance(value, str):
        return _name(value, ctx, _NO_POSITION)
    if isinstance(value, gast.Name):
        return _name(value.id, ctx, _NO_POSITION)
    if isinstance(value, (list, tuple)) and isinstance(ctx, gast.Param):  # parameter names
        return [_name(v, ctx, _NO_POSITION) for v in value]
    if isinstance(value, (gast.Tuple, gast.List)) and isinstance(ctx, gast.Store):
        _set_store(value)
    return value  # converters hand over nodes they own: each is placed once, not copied


_NO_POSITION = dict.fromkeys(_POSITION)


def replace(template, **replacements):
    """Statements parsed from `template`, with names replaced by nodes, strings (new names),
    or lists of statements (a name alone on a line) / parameter names (in a parameter list).
    Replacement nodes are placed as they are (not copied): pass each node only once."""
    body = []
    for stmt in _parsed(template).body:
        stmt = _fill(stmt, replacements)
        body.extend(stmt if isinstance(stmt, list) else [stmt])
    return body


def replace_expr(template, **replacements):
    """An expression parsed from `template` with substitutions."""
    (stmt,) = replace(template, **replacements)
    return stmt.value


# -- builders: the hottest generated shapes, built directly (no template to copy), each
# node placed at `pos` (from `position(node)`) as it is made. Built by `_node` rather than
# gast's constructors, which take keywords (twice the cost, on hundreds of nodes a function).
# Generated nodes share their context objects (compile only reads them; nothing mutates one).

_LOAD, _STORE, _PARAM = gast.Load(), gast.Store(), gast.Param()


def _node(cls, fields, pos):
    node = cls.__new__(cls)
    attributes = node.__dict__
    attributes.update(fields)
    attributes.update(pos)
    return node


def _name(identifier, ctx, pos):
    return _node(gast.Name, {"id": identifier, "ctx": ctx, "annotation": None,
                             "type_comment": None}, pos)


def position(node):
    """Placing generated nodes at the start of `node`: a dict of position attributes."""
    line, col = node.lineno, node.col_offset
    return {"lineno": line, "col_offset": col, "end_lineno": line, "end_col_offset": col}


def names_tuple(names, ctx=None, pos=None):
    """A tuple node of names: `(a, b,)`; Store context when used as a target."""
    ctx = _STORE if isinstance(ctx, gast.Store) else _LOAD
    pos = pos or _NO_POSITION
    return _node(gast.Tuple, {"elts": [_name(n, ctx, pos) for n in names], "ctx": ctx}, pos)


def strings_tuple(strings, pos=None):
    pos = pos or _NO_POSITION
    return _node(gast.Tuple, {"elts": [_node(gast.Constant, {"value": s, "kind": None}, pos)
                                       for s in strings], "ctx": _LOAD}, pos)


def function_def(name, params, body, pos):
    """`def name(params): body`, params given by name."""
    args = _node(gast.arguments, {"args": [_name(p, _PARAM, pos) for p in params],
                                  "posonlyargs": [], "vararg": None, "kwonlyargs": [],
                                  "kw_defaults": [], "kwarg": None, "defaults": []}, {})
    return _node(gast.FunctionDef, {"name": name, "args": args, "body": body,
                                    "decorator_list": [], "returns": None,
                                    "type_comment": None, "type_params": []}, pos)


def ag_call(operator, args, pos):
    """`ag__.operator(args)`: args are nodes, or strings for names."""
    func = _node(gast.Attribute, {"value": _name("ag__", _LOAD, pos), "attr": operator,
                                  "ctx": _LOAD}, pos)
    args = [_name(a, _LOAD, pos) if isinstance(a, str) else a for a in args]
    return _node(gast.Call, {"func": func, "args": args, "keywords": []}, pos)


def assign(target, value, pos):
    """`target = value`"""
    return _node(gast.Assign, {"targets": [target], "value": value, "type_comment": None}, pos)


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
