"""Code generation: a graph becomes the source of one Python function over NumPy values.

    def f(x):
        mul = x * c_Const
        add = mul + c_Const_1
        return (add,)

Constants and kernels are bound as globals of the generated module; values are released
after their last use; the source is registered with `linecache` for the life of the compiled
function, so tracebacks show the generated lines, and each line is mapped back to the op it computes (`line_ops`).

An op's statement comes from, in order: its own emitter (`OpDef.emit`, declared beside the op),
the operator table (`x + y` for AddV2, from ops/operators.py), an assignment for ops that
forward their input (`OpDef.forwards`), or else a call of its kernel. An emitter is
`emit(op, args, outs, ctx) -> lines` (None: call the kernel); `ctx.runtime` names the runtime,
`ctx.fresh(hint)` gives a new local name and `ctx.bind(value, hint)` a global one.
"""
import functools
import itertools
import keyword
import linecache
import re
import weakref

import numpy as np

from ..core.names import FreshNames
from ..ops import operators
from .buffers import plan_buffers

__all__ = ["compile_graph", "CompiledGraph", "emit_graph", "indent"]

_COUNTER = itertools.count()


class CompiledGraph:
    """The compiled function of a graph, its source, and its line -> op map."""

    def __init__(self, fn, source, filename, line_ops):
        self.fn = fn
        self.source = source
        self.filename = filename
        self.line_ops = line_ops

    def op_at(self, lineno):
        return self.line_ops.get(lineno)


class _Context(FreshNames):
    """Names and bindings while generating one module."""

    def __init__(self, runtime):
        # The module name puts NumPy's float warnings under autotrace's filter (context.py).
        self.runtime = "rt"      # the global naming the Runtime, for emitters
        self.globals = {"np": np, self.runtime: runtime,
                        "__name__": "autotrace.execution.generated"}
        self.names = {}          # id(tensor) -> Python name
        super().__init__(set(self.globals) | set(keyword.kwlist) | {"builtins"})
        self.bound = {}          # id(value) -> global name, for constants bound once

    def bind(self, value, hint):
        """A global name for `value` in the generated module."""
        key = id(value)
        if key in self.bound:
            return self.bound[key]
        name = self.fresh(hint)
        self.globals[name] = value
        self.bound[key] = name
        return name

    def name_of(self, tensor):
        return self.names[id(tensor)]

    def kernel(self, op):
        """A global bound to the op's kernel with its attributes fixed."""
        kernel = op.opdef.kernel
        if op.attrs:
            kernel = functools.partial(kernel, **op.attrs)
        return self.bind(kernel, "k_" + op.type)


# -- emitters ----------------------------------------------------------------------------------

def _statement(op, args, outs, ctx):
    """The source lines of one op (see the module docstring)."""
    emit = op.opdef.emit
    lines = emit(op, args, outs, ctx) if emit is not None else None
    if lines is not None:
        return lines
    operator = OPERATOR_EMITTERS.get(op.type)
    # On 0-d string (object) arrays NumPy's operators give bare bytes/bool, not arrays:
    # string ops call their kernel
    if operator is not None and not op.inputs[0].dtype.is_string:
        return operator(args, outs)
    if op.opdef.forwards:
        return ["%s = %s" % (outs[0], args[0])]
    return _kernel_call(op, args, outs, ctx)


def _kernel_call(op, args, outs, ctx):
    call_args = ([ctx.runtime] if op.opdef.uses_runtime else []) + args
    call = "%s(%s)" % (ctx.kernel(op), ", ".join(call_args))
    return [_assign(outs, call, op.opdef.multi_output)]


def _assign(outs, expr, multi):
    if not outs:
        return expr  # an op without outputs: a statement for its side effect
    if multi:
        return "%s, = %s" % (", ".join(outs), expr) if len(outs) == 1 else \
            "%s = %s" % (", ".join(outs), expr)
    return "%s = %s" % (outs[0], expr)


def _infix(symbol):
    return lambda args, outs: ["%s = %s %s %s" % (outs[0], args[0], symbol, args[1])]


def _prefix(symbol):
    return lambda args, outs: ["%s = %s%s" % (outs[0], symbol, args[0])]


# Ops with a Python operator in the operator table print as that operator: `x + y`, `-x`.
# Not `**`: on NumPy scalars it is not np.power (the last bits differ), so Pow calls its
# kernel, as eager execution and the interpreter do.
_INEXACT_OPERATORS = ("**",)
OPERATOR_EMITTERS = {row[4]: _infix(row[3]) for row in
                     operators.BINARY_OPERATORS + operators.COMPARISON_OPERATORS
                     if row[4] and row[3] not in _INEXACT_OPERATORS}
OPERATOR_EMITTERS.update({row[2]: _prefix(row[3]) for row in operators.UNARY_OPERATORS
                          if row[3] == "-"})


# -- module assembly ---------------------------------------------------------------------------

def _last_uses(ops):
    """id(tensor) -> index of the last op reading it."""
    last = {}
    for i, op in enumerate(ops):
        for t in op.inputs:
            last[id(t)] = i
    return last


def _releases(last, keep, plan):
    """For each op index, the ids of tensors whose names can be dropped after it: those read
    for the last time there (unless kept, or held for a later op to write into), and held
    ones once written into."""
    by_op = {}
    for tid, i in last.items():
        if tid not in keep and tid not in plan.held:
            by_op.setdefault(i, []).append(tid)
    for i, tids in plan.release_at.items():
        by_op.setdefault(i, []).extend(tids)
    return by_op


def emit_graph(graph, ctx, input_names):
    """Source lines computing `graph` with its placeholders bound to `input_names`; returns
    (lines, output expressions). Lines are (text, op) pairs, indented relative to 0."""
    for ph, name in zip(graph.inputs, input_names):
        ctx.names[id(ph)] = name
    ops = [op for op in graph.get_operations() if op.type != "Placeholder"]
    for op in ops:
        if op.type in ("Const", "VarHandleOp"):
            value = op.attrs["value"] if op.type == "Const" else op.attrs["variable"]
            ctx.names[id(op.outputs[0])] = ctx.bind(value, "c_" + op.name)
    compute = [op for op in ops if op.type not in ("Const", "VarHandleOp")]
    keep = {id(t) for t in graph.outputs} | {id(t) for t in graph.inputs}
    last = _last_uses(compute)
    plan = plan_buffers(compute, keep, last)
    releases = _releases(last, keep, plan)
    lines = []
    for i, op in enumerate(compute):
        outs = []
        for out in op.outputs:
            ctx.names[id(out)] = ctx.fresh(op.name if len(op.outputs) == 1
                                           else "%s_%d" % (op.name, out.value_index))
            outs.append(ctx.names[id(out)])
        args = [ctx.name_of(t) for t in op.inputs]
        if i in plan.out:
            statement = [_in_place(plan.ufuncs[i], args, outs[0], ctx.names[plan.out[i]],
                                   ctx)]
        else:
            statement = _statement(op, args, outs, ctx)
        for line in statement:
            lines.append(line if isinstance(line, tuple) else (line, op))
        dead = sorted({ctx.names[tid] for tid in releases.get(i, ())} - set(input_names)
                      - set(ctx.bound.values()))
        if dead:
            lines.append(("del " + ", ".join(dead), op))
    return lines, [ctx.name_of(t) for t in graph.outputs]


def _in_place(ufunc, args, result, buffer, ctx):
    """`result = np.multiply(a, b, out=buffer)`."""
    name = "np." + ufunc.__name__
    if getattr(np, ufunc.__name__, None) is not ufunc:
        name = ctx.bind(ufunc, "u_" + ufunc.__name__)
    return "%s = %s(%s, out=%s)" % (result, name, ", ".join(args), buffer)


def indent(lines, prefix="    "):
    return [(prefix + text, op) for text, op in lines]


def compile_graph(graph, name, runtime):
    """Compile a FuncGraph (inputs/outputs set, already optimised) to a CompiledGraph."""
    ctx = _Context(runtime)
    fn_name = ctx.fresh(name)
    params = [ctx.fresh(ph.op.name) for ph in graph.inputs]
    lines, returns = emit_graph(graph, ctx, params)
    lines.append(("return (%s)" % "".join(r + ", " for r in returns).rstrip(" "), None))
    body = indent(lines)
    source = "def %s(%s):\n%s\n" % (fn_name, ", ".join(params),
                                      "\n".join(text for text, _ in body))
    line_ops = {i + 2: op for i, (_, op) in enumerate(body) if op is not None}
    filename = "<autotrace generated %s#%d>" % (name, next(_COUNTER))
    exec(compile(source, filename, "exec"), ctx.globals)
    fn = ctx.globals[fn_name]
    register_source(fn, filename, source)
    return CompiledGraph(fn, source, filename, line_ops)


def register_source(fn, filename, source):
    """Show `source` in tracebacks of `fn` for as long as `fn` lives: the linecache entry is
    removed when the function is collected (a running frame or a kept traceback holds the
    function through its globals, so the lines stay while they can be shown)."""
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    weakref.finalize(fn, linecache.cache.pop, filename, None)
