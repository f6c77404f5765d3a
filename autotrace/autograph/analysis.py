"""Static analysis of a function's syntax tree: which names a statement reads and writes, which
names are live after each control-flow statement, and which are surely defined before it.

The control-flow converter uses this to choose the variables an `if` or a loop carries: those
it modifies that are read afterwards (live) or read inside before being written.

Annotations set on If/While/For nodes:
- `live_out`: names live after the statement;
- `live_head` (loops): names live at the top of each iteration;
- `branches_live_in` (if) / `body_live_in` (loops): names live on entering the blocks;
- `defined_in` (every statement): names surely defined when the statement starts.
"""
import gast

__all__ = ["reads", "writes", "composite_writes", "annotate", "block_live_in", "scope_names",
           "caching", "captured_names", "pattern_names", "statement_blocks"]

_SCOPES = (gast.FunctionDef, gast.AsyncFunctionDef, gast.Lambda, gast.ClassDef,
           gast.ListComp, gast.SetComp, gast.DictComp, gast.GeneratorExp)
_COMPOUND = (gast.If, gast.While, gast.For, gast.With, gast.Try, gast.Match)
_AST = gast.AST


def child_nodes(node):
    """The node's children (a list): gast.iter_child_nodes without its two generators; the
    analyses walk trees many times, so this is their inner loop."""
    out = []
    for name in node._fields:
        value = getattr(node, name, None)
        if isinstance(value, list):
            for item in value:
                if isinstance(item, _AST):
                    out.append(item)
        elif isinstance(value, _AST):
            out.append(value)
    return out


class FastTransformer(gast.NodeTransformer):
    """gast.NodeTransformer with the same protocol, faster: the visitor method is looked up
    once per node class, and unchanged children are not re-assigned. Conversion visits every
    node of a function several times, so this is most of its cost."""

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        cls._dispatch = {}

    def visit(self, node):
        cls = node.__class__
        method = self._dispatch.get(cls)
        if method is None:
            method = getattr(type(self), "visit_" + cls.__name__, type(self).generic_visit)
            self._dispatch[cls] = method
        return method(self, node)

    def generic_visit(self, node):
        for name in node._fields:
            value = getattr(node, name, None)
            if isinstance(value, list):
                new = []
                for item in value:
                    if isinstance(item, _AST):
                        item = self.visit(item)
                        if item is None:
                            continue
                        if not isinstance(item, _AST):
                            new.extend(item)
                            continue
                    new.append(item)
                value[:] = new
            elif isinstance(value, _AST):
                result = self.visit(value)
                if result is None:
                    delattr(node, name)
                elif result is not value:
                    setattr(node, name, result)
        return node


def walk(node):
    """Every node under `node` (itself included), in no particular order."""
    stack, out = [node], []
    while stack:
        n = stack.pop()
        out.append(n)
        stack.extend(child_nodes(n))
    return out


def _own_children(node):
    """Children evaluated in the current scope (a nested def's decorators and defaults are;
    its body is not)."""
    if isinstance(node, (gast.FunctionDef, gast.AsyncFunctionDef)):
        return list(node.decorator_list) + list(node.args.defaults) + \
            [d for d in node.args.kw_defaults if d is not None]
    if isinstance(node, gast.Lambda):
        return list(node.args.defaults) + [d for d in node.args.kw_defaults if d is not None]
    if isinstance(node, gast.ClassDef):
        return list(node.decorator_list) + list(node.bases) + list(node.keywords)
    if isinstance(node, (gast.ListComp, gast.SetComp, gast.GeneratorExp, gast.DictComp)):
        return [node.generators[0].iter]
    return child_nodes(node)


def _free_reads(scope):
    """Names a nested scope reads (a conservative over-approximation of its free names)."""
    return {n.id for n in walk(scope) if isinstance(n, gast.Name)
            and isinstance(n.ctx, gast.Load)}


_MEMO = None  # while annotate() runs: {(kind, id(node)): (node, names)}


def _memoized(kind):
    """Cache a node's summary while one function is converted: liveness and the converters
    ask about the same statements many times."""
    def wrap(fn):
        def cached(node):
            if _MEMO is None:
                return fn(node)
            key = (kind, id(node))
            found = _MEMO.get(key)
            if found is None:
                found = _MEMO[key] = (node, fn(node))
            return found[1]
        cached.__name__, cached.__doc__ = fn.__name__, fn.__doc__
        return cached
    return wrap


_DEFS = (gast.FunctionDef, gast.AsyncFunctionDef, gast.ClassDef)
_ASSIGNS = (gast.Assign, gast.AugAssign, gast.AnnAssign)


def reads(node):
    """Names read by `node` in the current scope (nested scopes' reads count: a closure may
    read them when called)."""
    return _summary(node)[0]


def writes(node):
    """Names bound by `node` in the current scope."""
    return _summary(node)[1]


def composite_writes(stmts):
    """{text: target} for the attributes and constant-key items the statements assign, rooted
    at a name (`self.total`, `o.a.b`, `d['k']`), not looking into nested scopes."""
    found = {}
    for stmt in stmts:
        for text, target in _summary(stmt)[2].items():
            found.setdefault(text, target)
    return found


@_memoized("summary")
def _summary(node):
    """(reads, writes, composite writes) of `node`, found in one walk. A nested compound
    statement is summarised on its own (memoized), so each node is walked once however deep
    the nesting. A nested def or class binds its name; its decorators, defaults and bases run
    here; the rest of it, like a lambda's or a comprehension's, counts only as reads."""
    read, written, composites = set(), set(), {}
    stack = [node]
    while stack:
        n = stack.pop()
        cls = n.__class__
        if cls is gast.Name:
            if isinstance(n.ctx, gast.Load):
                read.add(n.id)
            elif isinstance(n.ctx, (gast.Store, gast.Del)):
                written.add(n.id)
            continue
        if cls in _CAPTURE_PATTERNS:
            written.update(pattern_names(n, shallow=True))
        if n is not node and isinstance(n, _COMPOUND):
            inner = _summary(n)
            read |= inner[0]
            written |= inner[1]
            for text, target in inner[2].items():
                composites.setdefault(text, target)
            continue
        if isinstance(n, _SCOPES):
            read |= _free_reads(n)
            if isinstance(n, _DEFS):
                written.add(n.name)
                stack.extend(_own_children(n))
            continue
        if isinstance(n, _ASSIGNS):
            _note_composites(n, composites)
            if cls is gast.AugAssign and isinstance(n.target, gast.Name):
                read.add(n.target.id)
        elif isinstance(n, (gast.Import, gast.ImportFrom)):
            for alias in n.names:
                written.add((alias.asname or alias.name).split(".")[0])
        stack.extend(child_nodes(n))
    return read, written, composites


_CAPTURE_PATTERNS = (gast.MatchAs, gast.MatchStar, gast.MatchMapping)


def pattern_names(pattern, shallow=False):
    """Names a `case` pattern binds (all of them, or with `shallow` those of this node)."""
    nodes = [pattern] if shallow else walk(pattern)
    found = set()
    for n in nodes:
        name = getattr(n, "rest" if isinstance(n, gast.MatchMapping) else "name", None)
        if isinstance(n, _CAPTURE_PATTERNS) and name:
            found.add(name)
    return found


def _irrefutable(case):
    pattern = case.pattern
    return case.guard is None and isinstance(pattern, gast.MatchAs) and pattern.pattern is None


def _note_composites(assignment, found):
    targets = assignment.targets if isinstance(assignment, gast.Assign) else \
        [assignment.target]
    for target in targets:
        for leaf in _target_leaves(target):
            text = None if isinstance(leaf, gast.Name) else composite_text(leaf)
            if text is not None:
                found.setdefault(text, leaf)


def _target_leaves(target):
    if isinstance(target, (gast.Tuple, gast.List)):
        return [leaf for elt in target.elts for leaf in _target_leaves(elt)]
    if isinstance(target, gast.Starred):
        return _target_leaves(target.value)
    return [target]


_WITH_BLOCKS = frozenset(c for c in (
    gast.If, gast.While, gast.For, gast.AsyncFor, gast.With, gast.AsyncWith, gast.Try,
    getattr(gast, "TryStar", None), gast.Match, gast.FunctionDef, gast.AsyncFunctionDef,
    gast.ClassDef) if c is not None)


def statement_blocks(stmt):
    """The statement lists inside a compound statement, as (owner, field) pairs: body, else
    and finally blocks, except handlers' and match cases' bodies."""
    if stmt.__class__ not in _WITH_BLOCKS:
        return ()
    blocks = [(stmt, field) for field in ("body", "orelse", "finalbody")
              if isinstance(getattr(stmt, field, None), list)]
    for part in getattr(stmt, "handlers", ()) or getattr(stmt, "cases", ()):
        blocks.append((part, "body"))
    return blocks


def composite_text(node):
    """`o.a['k']` for a chain of attributes and constant subscripts on a name, else None."""
    if isinstance(node, gast.Name):
        return node.id
    if isinstance(node, gast.Attribute):
        base = composite_text(node.value)
        return None if base is None else "%s.%s" % (base, node.attr)
    if isinstance(node, gast.Subscript) and isinstance(node.slice, gast.Constant) and \
            isinstance(node.slice.value, (int, str)):
        base = composite_text(node.value)
        return None if base is None else "%s[%r]" % (base, node.slice.value)
    return None


def captured_names(function_node):
    """Names of the function's own scope that a nested def, lambda, class or generator
    expression reads (its free names): a closure made before a statement that assigns one of
    them sees the new value when called after it (Python's cells), so such a statement must
    carry it. Thunks (generated `lambda: expr`, run in place) are not closures."""
    found = set()
    stack = list(function_node.body) if isinstance(function_node.body, list) else \
        [function_node.body]
    while stack:
        n = stack.pop()
        if isinstance(n, _CLOSURES) and not getattr(n, "thunk", False):
            found |= _free_names(n)
            stack.extend(_own_children(n))
            continue
        stack.extend(child_nodes(n))
    return found


_CLOSURES = (gast.FunctionDef, gast.AsyncFunctionDef, gast.Lambda, gast.ClassDef,
             gast.GeneratorExp)
_CLOSURE_CLASSES = frozenset(_CLOSURES)


def _free_names(scope):
    """A nested scope's free names: those it (or a scope inside it) reads and does not bind
    itself (an over-approximation: a name bound anywhere in it counts as bound)."""
    bound = set()
    if not isinstance(scope, gast.ClassDef) and hasattr(scope, "args"):
        bound = parameter_names(scope.args)
    loads = set()
    for n in walk(scope):
        if n.__class__ is gast.Name:
            (loads if isinstance(n.ctx, gast.Load) else bound).add(n.id)
        elif n is not scope and isinstance(n, _DEFS):
            bound.add(n.name)
    if isinstance(scope, gast.GeneratorExp):
        bound |= {t.id for g in scope.generators for t in walk(g.target)
                  if t.__class__ is gast.Name}
    return loads - bound


def composite_root(node):
    while isinstance(node, (gast.Attribute, gast.Subscript)):
        node = node.value
    return node.id


def scope_names(function_node):
    """(names, declares, closures): every name appearing anywhere in a function (to make
    fresh names that do not clash), whether it has any `global` or `nonlocal` declaration
    (its nested functions included), and whether a closure (a nested def, lambda, class or
    generator expression) appears in it."""
    names, declares, closures = set(), False, False
    stack = child_nodes(function_node)
    if not isinstance(function_node, gast.Lambda):
        names.add(function_node.name)
    while stack:
        n = stack.pop()
        cls = n.__class__
        if cls is gast.Name:
            names.add(n.id)
            continue  # its children are a context and annotations: no names to find there
        if cls in _CLOSURE_CLASSES:
            closures = True
            if cls is not gast.Lambda and cls is not gast.GeneratorExp:
                names.add(n.name)
        elif cls is gast.Global or cls is gast.Nonlocal:
            declares = True
        stack.extend(child_nodes(n))
    return names, declares, closures


# -- liveness (backward) -----------------------------------------------------------------------

def block_live_in(stmts, live_out, annotate_nodes=False):
    """Names live before `stmts`, given the names live after them."""
    live = set(live_out)
    for stmt in reversed(stmts):
        live = _stmt_live_in(stmt, live, annotate_nodes)
    return live


# Names live at a loop's head: the least `head` with head = out | body_in(head). Every
# statement's transfer function has the form in(X) = gen | (X - kill), and so has any block
# of them, loops included; so body_in(out) = gen | (out - kill), and head = out | gen is
# reached in one step: body_in(out | gen) adds nothing new. No iteration is needed (nested
# loops would multiply the iterations). tests/autograph/test_analysis.py checks this
# against an iterated fixpoint.

def _stmt_live_in(stmt, live_out, note):
    if isinstance(stmt, gast.If):
        body_in = block_live_in(stmt.body, live_out, note)
        orelse_in = block_live_in(stmt.orelse, live_out, note)
        if note:
            stmt.live_out = set(live_out)
            stmt.branches_live_in = body_in | orelse_in
        return reads(stmt.test) | body_in | orelse_in
    if isinstance(stmt, gast.While):
        head = set(live_out) | reads(stmt.test)
        head |= block_live_in(stmt.body, head, False)  # the fixpoint (see above)
        if note:
            stmt.live_out, stmt.live_head = set(live_out), set(head)
            stmt.body_live_in = block_live_in(stmt.body, head, True)
        return head | block_live_in(stmt.orelse, live_out, note)
    if isinstance(stmt, gast.For):
        # `extra_tests` (set by the break/return converters) are read before each iteration.
        head = set(live_out).union(*(reads(t) for t in getattr(stmt, "extra_tests", [])))
        target = writes(stmt.target)
        head |= block_live_in(stmt.body, head, False) - target  # the fixpoint (see above)
        if note:
            stmt.live_out, stmt.live_head = set(live_out), set(head)
            stmt.body_live_in = block_live_in(stmt.body, head, True) - target
        return reads(stmt.iter) | head | block_live_in(stmt.orelse, live_out, note)
    if isinstance(stmt, gast.With):
        inner = block_live_in(stmt.body, live_out, note)
        bound = set().union(*(writes(i.optional_vars) for i in stmt.items if i.optional_vars))
        return (inner - bound) | set().union(*(reads(i.context_expr) for i in stmt.items))
    if isinstance(stmt, gast.Try):
        # Any statement may raise: be conservative, everything read anywhere is live.
        inner = set(live_out)
        for block in [stmt.body, stmt.orelse, stmt.finalbody] + [h.body for h in stmt.handlers]:
            inner |= block_live_in(block, live_out, note)
        return inner | reads(stmt)
    if isinstance(stmt, gast.Match):
        # No case may match: what is live after is live before, besides what the cases need.
        live = set(live_out) | reads(stmt.subject)
        for case in stmt.cases:
            live |= block_live_in(case.body, live_out, note) - pattern_names(case.pattern)
            live |= reads(case.pattern) | (reads(case.guard) if case.guard else set())
        return live
    if isinstance(stmt, gast.Return):
        return reads(stmt.value) if stmt.value is not None else set()
    return (set(live_out) - writes(stmt)) | reads(stmt)


# -- definite assignment (forward) -------------------------------------------------------------

def _defined_after(stmts, defined, note):
    defined = set(defined)
    for stmt in stmts:
        defined = _stmt_defined_after(stmt, defined, note)
    return defined


def _stmt_defined_after(stmt, defined, note):
    if note:
        stmt.defined_in = defined
    if isinstance(stmt, gast.If):
        return _defined_after(stmt.body, defined, note) & \
            _defined_after(stmt.orelse, defined, note)
    if isinstance(stmt, (gast.While, gast.For)):
        inner = defined | (writes(stmt.target) if isinstance(stmt, gast.For) else set())
        _defined_after(stmt.body, inner, note)
        return _defined_after(stmt.orelse, defined, note)  # the body may not run at all
    if isinstance(stmt, gast.With):
        bound = set().union(*(writes(i.optional_vars) for i in stmt.items if i.optional_vars))
        return _defined_after(stmt.body, defined | bound, note)
    if isinstance(stmt, gast.Try):
        _defined_after(stmt.body, defined, note)
        for handler in stmt.handlers:
            _defined_after(handler.body, defined, note)
        _defined_after(stmt.orelse, defined, note)
        return _defined_after(stmt.finalbody, defined, note)
    if isinstance(stmt, gast.Delete):
        return defined - writes(stmt)
    if isinstance(stmt, gast.Match):
        after = [_defined_after(case.body, defined | pattern_names(case.pattern), note)
                 for case in stmt.cases]
        if not stmt.cases or not _irrefutable(stmt.cases[-1]):
            after.append(defined)  # no case matched
        return set.intersection(*after)
    return defined | writes(stmt)


def annotate(function_node):
    """Set live_out / live_head on the control-flow statements of a function, defined_in on
    all its statements."""
    params = parameter_names(function_node.args)
    with caching():
        block_live_in(function_node.body, set(), annotate_nodes=True)
        _defined_after(function_node.body, params, True)


class caching:
    """Context manager: cache reads/writes per node (nodes analysed must not change inside).
    Re-entrant: an inner use keeps the outer cache."""

    def __enter__(self):
        global _MEMO
        self._outer = _MEMO
        if _MEMO is None:
            _MEMO = {}

    def __exit__(self, *exc):
        global _MEMO
        _MEMO = self._outer
        return False


def parameter_names(args):
    names = [a.id for a in list(args.posonlyargs) + list(args.args) + list(args.kwonlyargs)]
    for special in (args.vararg, args.kwarg):
        if special is not None:
            names.append(special.id)
    return set(names)
