"""`if`, `while` and `for` -> calls of ag__.if_stmt / while_stmt / for_stmt.

    if x > 0:                     def if_true(y):
        y = x                         y = x
    else:                             return (y,)
        y = -x                    def if_false(y):
                                      y = -x
                                      return (y,)
                                  (y,) = ag__.if_stmt(x > 0, if_true, if_false, (y,), ('y',))

The generated functions take and return the statement's *state*: the variables it modifies
that are read afterwards, or inside before being written (see analysis.py). The operator
decides at run time: a Python condition runs plain Python; a tensor condition builds a graph
cond or loop. State variables with no value yet start as `ag__.Undefined(name)`.

Attributes and constant-key items the statement assigns on objects it did not create
(`self.total += i`, `d['k'] = ...`) are state too: read with `ag__.ldu` (Undefined if
missing), restored at the top of each generated function with `ag__.set_attr`/`set_item` (so
each traced branch starts from the value before the statement), and stored back after it.
Reads of variables that may be unassigned on the path taken become `ag__.ld(name)`.
"""
import copy

import gast

from ..analysis import (annotate, caching, captured_names, child_nodes, composite_root,
                        composite_writes, parameter_names, pattern_names, statement_blocks,
                        walk, writes)
from ..templates import (ag_call, assign, function_def, names_tuple, position, replace,
                         replace_expr, strings_tuple)
from .base import Transformer
from .expressions import thunk

_LOOP_OPTION_CALL = "set_loop_options"


class _Scope:
    """A function (the user's or a generated one) whose body is being converted."""

    def __init__(self, entry_names, declared, maybe_undefined, captured=frozenset()):
        self.entry = set(entry_names)
        self.declared = declared     # global / nonlocal names: never state
        self.captured = captured     # read by closures: state wherever they are modified
        self.undefined = []          # names to initialise with ag__.Undefined at the top
        self.maybe_undefined = maybe_undefined  # of the whole user function

    def need_initial_values(self, names, defined):
        for name in names:
            if name not in defined and name not in self.entry and name not in self.undefined:
                self.undefined.append(name)
                self.maybe_undefined.add(name)


class ControlFlowConverter(Transformer):
    composites = ()  # of the statement being converted

    def convert_function(self, node):
        annotate(node)
        user_loads = _unsure_loads(node)
        declared = _declared_names(node) if self.ctx.declares else {}
        captured = captured_names(node) if self.ctx.closures else frozenset()
        scope = _Scope(parameter_names(node.args), declared, set(), captured)
        node.body = self._scope_body(node.body, scope, set(scope.entry), docstring=True)
        if scope.maybe_undefined:
            _CheckedLoads(self.ctx, user_loads, scope.maybe_undefined).visit(node)
        return node

    def _scope_body(self, stmts, scope, defined, docstring=False):
        body, _ = self.block(stmts, scope, defined)
        inits = [_undefined(n, position(stmts[0])) for n in scope.undefined]
        if docstring and body and _is_docstring(body[0]):
            return body[:1] + inits + body[1:]
        return inits + body

    def block(self, stmts, scope, defined):
        """Convert a list of statements; returns (statements, names surely defined after)."""
        out = []
        for stmt in stmts:
            if isinstance(stmt, (gast.If, gast.While, gast.For)):
                new, state = self.convert(stmt, scope, defined)
                out.extend(new)
                defined = defined | set(state)  # assigned by the generated call
                if isinstance(stmt, gast.If):
                    defined |= self._writes(stmt.body) & self._writes(stmt.orelse)
            elif isinstance(stmt, gast.Delete):
                new = _undefine(stmt, scope.declared)
                out.extend(new)
                defined = defined - writes(stmt)
            elif isinstance(stmt, (gast.FunctionDef, gast.AsyncFunctionDef)):
                # A generator's loops yield as they go: they stay Python (as called ones do).
                out.append(stmt if _is_generator(stmt) else self.convert_function(stmt))
                defined = defined | {stmt.name}
            else:
                if isinstance(stmt, gast.Match):
                    self._match(stmt, scope, defined)
                for owner, field in statement_blocks(stmt) if not isinstance(
                        stmt, gast.Match) else ():
                    block = getattr(owner, field)
                    if block and isinstance(block[0], gast.stmt):
                        setattr(owner, field, self.block(block, scope, defined)[0])
                out.append(stmt)
                defined = defined | writes(stmt)
        return out, defined

    def _match(self, node, scope, defined):
        """A `match` runs as Python (as in TF); its subject goes through ag__.match_subject,
        which refuses a tensor subject that value patterns compare (`case 1:`) with an error
        at the user's line rather than a bool of a symbolic tensor."""
        values = any(isinstance(n, (gast.MatchValue, gast.MatchSingleton))
                     for case in node.cases for n in walk(case.pattern))
        if values:
            pos = position(node)
            node.subject = ag_call("match_subject", [node.subject], pos)
        for case in node.cases:  # cases bind names: statements inside see them defined
            case.body = self.block(case.body, scope, defined | pattern_names(case.pattern))[0]

    def convert(self, node, scope, defined):
        if isinstance(node, gast.If):
            state = self._state(scope, [node.body, node.orelse],
                                node.live_out | node.branches_live_in)
            scope.need_initial_values(state, defined)
            self.composites = self._composites([node.body, node.orelse])
            return self._if(node, state, scope), state
        options, body = _loop_options(node.body, position(node))
        state = self._state(scope, [body], node.live_out | node.live_head | node.body_live_in)
        if isinstance(node, gast.For):
            state = sorted(set(state) | (writes(node.target) & node.live_out))
        scope.need_initial_values(state, defined)
        self.composites = self._composites([body])
        if isinstance(node, gast.While):
            new = self._while(node, state, body, options, scope)
        else:
            new = self._for(node, state, body, options, scope)
        after = self.block(node.orelse, scope, defined)[0] if node.orelse else []
        return new + after, state

    # -- state -----------------------------------------------------------------------------
    def _state(self, scope, blocks, live):
        """The variables a statement carries: those it modifies that are live after it or on
        entering its blocks (`live`, from the analysis)."""
        modified = set()
        for block in blocks:
            modified |= self._writes(block)
        return sorted(modified & (live | scope.captured) - set(scope.declared))

    def _writes(self, block):
        """Names a block binds."""
        names = set()
        for stmt in block:
            names |= writes(stmt)
        return names

    def _composites(self, blocks):
        """Attributes and items the blocks assign (`self.total = ...`) on objects they do not
        create: carried like variables (read before, set inside, stored back after)."""
        found = {}
        for block in blocks:
            found.update(composite_writes(block))
        if not found:
            return []
        local = self._writes([s for block in blocks for s in block])
        return [_Composite(text, target, self.ctx.fresh(_identifier(text)))
                for text, target in sorted(found.items())
                if composite_root(target) not in local]

    def _function(self, name, params, body_stmts, returns, scope, at):
        """`def name(params): body; return (returns,)`, its body converted as a new scope
        (with the statement's composites as extra parameters and results)."""
        composites = self.composites
        inner = _Scope(params, scope.declared, scope.maybe_undefined, scope.captured)
        body = self._scope_body(body_stmts, inner, set(params)) if body_stmts else []
        self.composites = composites  # nested statements had their own
        pos = position(at)
        result = names_tuple(returns, pos=pos)
        result.elts += [self.located(c.load(), at) for c in composites]
        params, cells = self._cells(params, scope, pos)
        body = _declare(scope.declared, body_stmts, pos) + cells + \
            self._set_composites(at) + body + [gast.Return(value=result, **pos)]
        return [function_def(name, params + [c.param for c in composites], body, pos)]

    def _test_function(self, name, params, test, at, scope):
        pos = position(at)
        params, cells = self._cells(params, scope, pos)
        body = cells + self._set_composites(at) + \
            [gast.Return(value=self.located(test, at), **pos)]
        return [function_def(name, params + [c.param for c in self.composites], body, pos)]

    def _cells(self, params, scope, pos):
        """(parameters, prologue) of a generated function. State that a closure reads stays
        in its cell: the function declares it `nonlocal` and stores its parameter there
        first (`nonlocal i; i = i_in`), so a closure called inside or after the statement
        sees the value the statement gave it, as in Python."""
        shared = [p for p in params if p in scope.captured]
        if not shared:
            return list(params), []
        renamed = {p: self._cell_param(p) for p in shared}
        prologue = [gast.Nonlocal(names=shared, **pos)]
        prologue += [assign(gast.Name(p, gast.Store(), None, None, **pos),
                            gast.Name(renamed[p], gast.Load(), None, None, **pos), pos)
                     for p in shared]
        return [renamed.get(p, p) for p in params], prologue

    def _cell_param(self, name):
        cache = self.__dict__.setdefault("_cell_params", {})
        if name not in cache:
            cache[name] = self.ctx.fresh(name + "_in")
        return cache[name]

    def _assign(self, state, operator, before, at, after=(), keywords=()):
        """`(state,) = ag__.operator(args, (state,), ('state',)[, options])`, then the
        composites stored back."""
        composites, pos = self.composites, position(at)
        values = names_tuple(state, pos=pos)
        values.elts += [self.located(c.load(), at) for c in composites]
        names = strings_tuple(list(state) + [c.text for c in composites], pos)
        call = ag_call(operator, list(before) + [values, names] + list(after), pos)
        call.keywords = [gast.keyword(arg=k, value=gast.Constant(v, None, **pos), **pos)
                         for k, v in keywords]
        if not state and not composites:
            return [gast.Expr(value=call, **pos)]
        target = names_tuple(list(state) + [c.param for c in composites], gast.Store(), pos)
        return [assign(target, call, pos)] + \
            self._set_composites(at)

    def _set_composites(self, at):
        return [self.located(stmt, at) for c in self.composites for stmt in c.store()]

    # -- the three statements ----------------------------------------------------------------
    def _if(self, node, state, scope):
        true_fn, false_fn = self.ctx.fresh("if_true"), self.ctx.fresh("if_false")
        new = self._function(true_fn, state, node.body, state, scope, node)
        new += self._function(false_fn, state, node.orelse, state, scope, node)
        keywords = [("return_guard", True)] if getattr(node, "return_guard", False) else []
        return new + self._assign(state, "if_stmt", [node.test, true_fn, false_fn], node,
                                  keywords=keywords)

    def _while(self, node, state, body, options, scope):
        test_fn, body_fn = self.ctx.fresh("loop_test"), self.ctx.fresh("loop_body")
        new = self._test_function(test_fn, state, node.test, node, scope)
        new += self._function(body_fn, state, body, state, scope, node)
        return new + self._assign(state, "while_stmt", [test_fn, body_fn], node, [options])

    def _for(self, node, state, body, options, scope):
        body_fn, item = self.ctx.fresh("loop_body"), self.ctx.fresh("itr")
        pos = position(node)
        unpack = assign(node.target, gast.Name(item, gast.Load(), None, None, **pos), pos)
        new = []
        extra = getattr(node, "extra_tests", [])
        test_fn = gast.Constant(None, None, **pos)
        if extra:
            test_fn = self.ctx.fresh("extra_test")
            test = extra[0] if len(extra) == 1 else \
                ag_call("and_", [self.located(thunk(t), node) for t in extra], pos)
            new += self._test_function(test_fn, state, test, node, scope)
        new += self._function(body_fn, [item] + list(state), [unpack] + body, state, scope,
                              node)
        return new + self._assign(state, "for_stmt", [node.iter, test_fn, body_fn], node,
                                  [options])


class _Composite:
    """An attribute or constant-key item carried through a statement, e.g. `self.total`."""

    def __init__(self, text, target, param):
        self.text, self.target, self.param = text, target, param

    def load(self):
        """`ag__.ldu(lambda: self.total, 'self.total')`: Undefined if it does not exist."""
        target = copy.deepcopy(self.target)
        target.ctx = gast.Load()
        return replace_expr("ag__.ldu(lambda: target, text)", target=target,
                            text=gast.Constant(self.text, None))

    def store(self):
        """`ag__.set_attr(self, 'total', param)` (or set_item): sets it, or removes it when
        the carried value is Undefined, so each branch starts from the value before the if."""
        base = copy.deepcopy(self.target.value)
        if isinstance(self.target, gast.Attribute):
            return replace("ag__.set_attr(base, key, param)", base=base, param=self.param,
                           key=gast.Constant(self.target.attr, None))
        return replace("ag__.set_item(base, key, param)", base=base, param=self.param,
                       key=copy.deepcopy(self.target.slice))


def _identifier(text):
    return "".join(ch if ch.isalnum() else "_" for ch in text).strip("_") or "composite"


def _is_docstring(stmt):
    return isinstance(stmt, gast.Expr) and isinstance(stmt.value, gast.Constant) and \
        isinstance(stmt.value.value, str)


def _unsure_loads(function):
    """The Name nodes the function's own code reads (not its nested functions') where the name
    may have no value yet (not surely assigned, per the `defined_in` analysis). By id; the
    nodes are kept, so no id is reused by a generated node."""
    loads = {}

    def visit(node, defined):
        for child in child_nodes(node):
            if isinstance(child, (gast.FunctionDef, gast.AsyncFunctionDef, gast.ClassDef,
                                  gast.Lambda)) and not getattr(child, "thunk", False):
                continue
            if isinstance(child, gast.stmt):
                visit(child, child.defined_in)
            elif isinstance(child, gast.Name):
                if isinstance(child.ctx, gast.Load) and child.id not in defined:
                    loads[id(child)] = child
            else:
                visit(child, defined)
    for stmt in function.body:
        if not isinstance(stmt, (gast.FunctionDef, gast.AsyncFunctionDef, gast.ClassDef)):
            visit(stmt, stmt.defined_in)
    return loads


class _CheckedLoads(Transformer):
    """The user's reads of variables that may have no value become `ag__.ld(name)`, which
    raises UnboundLocalError as Python would (the generated state passing is left as is)."""

    def __init__(self, ctx, user_loads, names):
        super().__init__(ctx)
        self.user_loads, self.names = user_loads, names

    def visit_Name(self, node):
        if self.user_loads.get(id(node)) is node and node.id in self.names:
            return self.located(replace_expr("ag__.ld(name)", name=node), node)
        return node


def _is_generator(function):
    stack = list(function.body)
    while stack:
        node = stack.pop()
        if isinstance(node, (gast.Yield, gast.YieldFrom)):
            return True
        if not isinstance(node, (gast.FunctionDef, gast.AsyncFunctionDef, gast.ClassDef,
                                 gast.Lambda)):
            stack.extend(child_nodes(node))
    return isinstance(function, gast.AsyncFunctionDef)


def _declared_names(function):
    """{name: gast.Global or gast.Nonlocal} for the function's own declarations."""
    kinds = {}
    stack = list(function.body)
    while stack:
        node = stack.pop()
        if isinstance(node, (gast.Global, gast.Nonlocal)):
            kinds.update(dict.fromkeys(node.names, type(node)))
        elif not isinstance(node, (gast.FunctionDef, gast.AsyncFunctionDef, gast.ClassDef,
                                   gast.Lambda)):
            stack.extend(child_nodes(node))
    return kinds


def _declare(declared, body, pos):
    """Generated functions repeat `global`/`nonlocal` for the declared names they write."""
    if not declared or not body:
        return []
    used = sorted(set(declared) & set().union(*(writes(s) for s in body)))
    return [kind(names=[n for n in used if declared[n] is kind], **pos)
            for kind in (gast.Global, gast.Nonlocal) if any(declared[n] is kind for n in used)]


def _undefine(delete, declared):
    """`del x` -> `x = ag__.Undefined('x')`: x has no value afterwards, as after `del`, but
    stays a variable the converted statements can carry (a tensor `if` may delete it in both
    branches, as TF allows). Items, attributes and global names are deleted as written."""
    pos = position(delete)
    names = [t for t in delete.targets
             if isinstance(t, gast.Name) and t.id not in declared]
    others = [t for t in delete.targets if t not in names]
    out = [_undefined(t.id, pos) for t in names]
    if others:
        delete.targets = others
        out.append(delete)
    return out


def _undefined(name, pos):
    """`name = ag__.Undefined('name')`"""
    value = ag_call("Undefined", [gast.Constant(name, None, **pos)], pos)
    return assign(gast.Name(name, gast.Store(), None, None, **pos), value, pos)


def _loop_options(body, pos):
    """Split leading `set_loop_options(...)` calls off a loop body; returns (options expr,
    rest of body). The options are evaluated once, before the loop."""
    options = gast.Constant(None, None, **pos)
    rest = list(body)
    while rest and _is_loop_option_call(rest[0]):
        call = rest.pop(0).value
        args = call.args[1:] if _is_ag_call(call) else call.args
        options = ag_call("loop_options", args, pos)
        options.keywords = call.keywords
    return options, rest


def _is_ag_call(call):
    return (isinstance(call.func, gast.Attribute) and isinstance(call.func.value, gast.Name) and
            call.func.value.id == "ag__" and call.func.attr == "call")


def _is_loop_option_call(stmt):
    if not isinstance(stmt, gast.Expr) or not isinstance(stmt.value, gast.Call):
        return False
    call = stmt.value
    func = call.args[0] if _is_ag_call(call) and call.args else call.func
    name = func.attr if isinstance(func, gast.Attribute) else getattr(func, "id", None)
    return name == _LOOP_OPTION_CALL


def transform(function_node, ctx):
    """Convert the control flow of a function (and the functions nested in it). The analysis
    of the original statements is cached for the whole conversion (top-down, a statement is
    analysed before it is rewritten)."""
    with caching():
        return ControlFlowConverter(ctx).convert_function(function_node)
