"""Emitters for ops with sub-graphs: a cond becomes an inline `if`/`else`, a switch_case an
`if`/`elif` chain, a while_loop a `while` loop over the op's own output names, all in the one
generated function:

    while_0, while_1 = c_Const, x
    while True:
        Less = while_0 < n
        if not Less: break
        ...
        while_0, while_1 = add, mul

The ops declare them as their `emit` (cond_ops.py, while_ops.py).
"""
from ..execution.codegen import emit_graph, indent
from .while_layout import WhileLayout


def _assign(targets, values):
    """`a = b` or `a, b = c, d`; nothing when a name would be assigned to itself."""
    pairs = [(t, v) for t, v in zip(targets, values) if t != v]
    if not pairs:
        return []
    return ["%s = %s" % (", ".join(t for t, _ in pairs), ", ".join(v for _, v in pairs))]


def _branch(graph, ctx, inputs, outs):
    lines, results = emit_graph(graph, ctx, inputs)
    lines += [(line, None) for line in _assign(outs, results)]
    return indent(lines or [("pass", None)])


def emit_if(op, args, outs, ctx):
    pred, inputs = args[0], args[1:]
    lines = [("if %s:" % pred, op)]
    lines += _branch(op.attrs["then_branch"], ctx, inputs, outs)
    lines.append(("else:", op))
    lines += _branch(op.attrs["else_branch"], ctx, inputs, outs)
    return lines


def emit_case(op, args, outs, ctx):
    index, inputs = args[0], args[1:]
    branches = op.attrs["branches"]
    if len(branches) == 1:
        lines, results = emit_graph(branches[0], ctx, inputs)
        return lines + [(line, op) for line in _assign(outs, results)]
    lines = []
    for i, graph in enumerate(branches[:-1]):
        lines.append(("%s %s == %d:" % ("if" if i == 0 else "elif", index, i), op))
        lines += _branch(graph, ctx, inputs, outs)
    lines.append(("else:", op))  # the last branch is also the default (index out of range)
    lines += _branch(branches[-1], ctx, inputs, outs)
    return lines


def emit_while(op, args, outs, ctx):
    layout = WhileLayout.of(op)
    n, has_max = layout.n_vars, layout.has_max
    # The loop variables live in the op's output names (fresh names if it has none).
    loop_vars = list(outs) if len(outs) == n else [ctx.fresh("loop_var") for _ in range(n)]
    captured = layout.captures(args)
    lines = [(line, op) for line in _assign(loop_vars, layout.loop_vars(args))]
    step = []
    if has_max:
        count, limit = ctx.fresh("iteration"), ctx.fresh("max_iterations")
        lines += [("%s = 0" % count, op),
                  ("%s = int(%s)" % (limit, layout.max_iterations(args)), op)]
        lines.append(("while %s < %s:" % (count, limit), op))
    else:
        lines.append(("while True:", op))
    cond_lines, (pred,) = emit_graph(op.attrs["cond"], ctx, loop_vars + captured)
    step += cond_lines + [("if not %s: break" % pred, op)]
    body_lines, results = emit_graph(op.attrs["body"], ctx, loop_vars + captured)
    step += body_lines
    step += [(line, op) for line in _assign(loop_vars, results)]
    if has_max:
        step.append(("%s += 1" % count, op))
    lines += indent(step)
    lines += [(line, op) for line in _assign(outs, loop_vars)]
    return lines
