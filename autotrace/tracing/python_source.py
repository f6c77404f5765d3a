"""Reading autotrace's own source, for `export_python` (tracing/standalone.py): the top-level
statement that defines a name, the globals a piece of code uses (split into those used when
it runs and those its functions use when called, by the compiler's own scope rules from
`symtable`), and renaming globals without touching locals of the same name."""
import ast
import inspect
import symtable

__all__ = ["module_source", "bound_names", "globals_of", "call_globals", "rename_globals"]

_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef, ast.ListComp,
           ast.SetComp, ast.DictComp, ast.GeneratorExp)


_SOURCES = {}


def module_source(module):
    found = _SOURCES.get(module.__name__)
    if found is None:
        found = _SOURCES[module.__name__] = _ModuleSource(module)
    return found


class _ModuleSource:
    def __init__(self, module):
        self.source = inspect.getsource(module)
        self.lines = self.source.splitlines(True)
        self.tree = ast.parse(self.source)
        self.body = self.tree.body
        self._bindings = {}
        for i, node in enumerate(self.body):
            for name in bound_names(node):
                self._bindings[name] = i  # the last binding wins, as when the module ran

    def binding(self, name):
        return self._bindings.get(name)

    def text(self, node):
        first = min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])])
        if isinstance(node, ast.Lambda):
            return ast.get_source_segment(self.source, node)
        return "".join(self.lines[first - 1:node.end_lineno])

    def find_function(self, code):
        """The def or lambda node compiled to `code`."""
        for node in ast.walk(self.tree):
            if isinstance(node, (ast.FunctionDef, ast.Lambda)) and \
                    node.lineno == code.co_firstlineno and \
                    getattr(node, "name", "<lambda>") == code.co_name and \
                    [a.arg for a in node.args.args] == \
                    list(code.co_varnames[:code.co_argcount]):
                return node
        return None


def bound_names(node):
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return [node.name]
    if isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        return [n for t in targets for n in _target_names(t)]
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        return [(a.asname or a.name).split(".")[0] for a in node.names]
    return []


def _target_names(target):
    """Names an assignment target binds (`a`, `a, (b, *c)`; not `a[i]` or `a.x`)."""
    if isinstance(target, ast.Name):
        return [target.id]
    if isinstance(target, (ast.Tuple, ast.List)):
        return [n for t in target.elts for n in _target_names(t)]
    if isinstance(target, ast.Starred):
        return _target_names(target.value)
    return []


def globals_of(text):
    """(globals `text` reads when it runs, globals its functions read when called,
    {name: attributes read from it}), by the compiler's own scope rules (symtable): a local
    of the same name is not a global."""
    tree = ast.parse(text)
    table = symtable.symtable(text, "<export>", "exec")
    eager, lazy, attributes = set(), set(), {}
    for node, scope, in_function in _names_with_scopes(tree, table):
        if scope.get_type() == "module" or scope.lookup(node.id).is_global():
            (lazy if in_function else eager).add(node.id)
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            attributes.setdefault(node.value.id, set()).add(node.attr)
    called = {n.func.id for n in ast.walk(tree)
              if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)}
    for node in ast.walk(tree):
        for decorator in getattr(node, "decorator_list", ()):
            called.update(d.id for d in ast.walk(decorator) if isinstance(d, ast.Name))
    return eager, lazy, attributes, called & eager


def call_globals(text):
    """(globals used when a definition is called: a function's body, a class's __init__
    and __new__; {name: attributes})."""
    node = ast.parse(text).body[0]
    if isinstance(node, ast.ClassDef):
        parts = [n for n in node.body if isinstance(n, ast.FunctionDef) and
                 n.name in ("__init__", "__new__")]
        if not parts:
            return set(), {}
        text = "\n".join(ast.unparse(p) for p in parts)
    elif not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return set(), {}
    eager, lazy, attributes, _ = globals_of(text)
    return lazy, attributes


def _names_with_scopes(tree, table):
    """(Name node, the symtable of its scope, whether it is inside a function body) for
    every Name in `tree`."""
    def walk(node, scope):
        pending = {}
        for child in ast.iter_child_nodes(node):
            yield from visit(child, scope, pending, False)

    def child_table(node, scope, pending):
        name = getattr(node, "name", None) or {ast.Lambda: "lambda", ast.ListComp: "listcomp",
                                               ast.SetComp: "setcomp",
                                               ast.DictComp: "dictcomp",
                                               ast.GeneratorExp: "genexpr"}[type(node)]
        for t in scope.get_children():
            if t.get_name() == name and t.get_lineno() == node.lineno and \
                    id(t) not in pending:
                pending[id(t)] = True
                return t
        return None

    def visit(node, scope, pending, in_function):
        if isinstance(node, ast.Name):
            yield node, scope, in_function
        if isinstance(node, _SCOPES):
            inner = child_table(node, scope, pending)
            outer_parts, inner_parts = _split_scope(node)
            for part in outer_parts:
                yield from visit(part, scope, pending, in_function)
            body_in_function = in_function or isinstance(
                node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))
            if inner is not None:
                sub_pending = {}
                for part in inner_parts:
                    yield from visit(part, inner, sub_pending, body_in_function)
            return
        for child in ast.iter_child_nodes(node):
            yield from visit(child, scope, pending, in_function)

    return list(walk(tree, table))


def _split_scope(node):
    """(parts evaluated in the enclosing scope, parts in the node's own scope)."""
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
        args = node.args
        outer = list(getattr(node, "decorator_list", [])) + args.defaults + \
            [d for d in args.kw_defaults if d is not None]
        outer += [a.annotation for a in args.posonlyargs + args.args + args.kwonlyargs
                  if a.annotation is not None]
        if getattr(node, "returns", None) is not None:
            outer.append(node.returns)
        inner = node.body if isinstance(node.body, list) else [node.body]
        return outer, inner
    if isinstance(node, ast.ClassDef):
        return node.decorator_list + node.bases + [k.value for k in node.keywords], node.body
    first = node.generators[0]
    outer = [first.iter]
    inner = [first.target] + first.ifs + [p for g in node.generators[1:]
                                          for p in [g.target, g.iter] + g.ifs]
    inner += [node.key, node.value] if isinstance(node, ast.DictComp) else [node.elt]
    return outer, inner


def rename_globals(text, mapping):
    """`text` with its global names renamed as `mapping` says (unchanged text if nothing is
    renamed, so comments stay)."""
    changes = {k: v for k, v in mapping.items() if k != v}
    if not changes:
        return text
    tree = ast.parse(text)
    table = symtable.symtable(text, "<export>", "exec")
    for node, scope, _ in _names_with_scopes(tree, table):
        if node.id in changes and (scope.get_type() == "module" or
                                   scope.lookup(node.id).is_global()):
            node.id = changes[node.id]
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and \
                node in tree.body and node.name in changes:
            node.name = changes[node.name]
    return ast.unparse(tree)
