"""Emitters for ops with sub-graphs: a cond becomes an inline `if`/`else`, a switch_case an
`if`/`elif` chain, a while_loop a `while True:` loop, all in the one generated function."""
from .codegen import emit_graph, emitter, indent


def _branch(graph, ctx, inputs, outs):
    lines, results = emit_graph(graph, ctx, inputs)
    if outs:
        lines.append(("%s = %s" % (_tuple(outs), _tuple(results)), None))
    return indent(lines or [("pass", None)])


def _tuple(names):
    return ", ".join(names) + ("," if len(names) == 1 else "")


@emitter("StatelessIf", "If")
def _if(op, args, outs, ctx):
    pred, inputs = args[0], args[1:]
    lines = [("if %s:" % pred, op)]
    lines += _branch(op.attrs["then_branch"], ctx, inputs, outs)
    lines.append(("else:", op))
    lines += _branch(op.attrs["else_branch"], ctx, inputs, outs)
    return lines


@emitter("Case")
def _case(op, args, outs, ctx):
    index, inputs = args[0], args[1:]
    branches = op.attrs["branches"]
    lines = []
    for i, graph in enumerate(branches[:-1]):
        lines.append(("%s %s == %d:" % ("if" if i == 0 else "elif", index, i), op))
        lines += _branch(graph, ctx, inputs, outs)
    if len(branches) == 1:
        return indent(_branch(branches[0], ctx, inputs, outs), "")
    lines.append(("else:", op))  # the last branch is also the default
    lines += _branch(branches[-1], ctx, inputs, outs)
    return lines


@emitter("StatelessWhile", "While")
def _while(op, args, outs, ctx):
    n, has_max = op.attrs["n_vars"], op.attrs["has_max"]
    loop_vars = [ctx.fresh("loop_var") for _ in range(n)]
    captured = args[n:len(args) - (1 if has_max else 0)]
    lines = [("%s = %s" % (_tuple(loop_vars), _tuple(args[:n])), op)] if n else []
    step = []
    if has_max:
        count, limit = ctx.fresh("iteration"), ctx.fresh("max_iterations")
        lines += [("%s = 0" % count, op), ("%s = int(%s)" % (limit, args[-1]), op)]
        step.append(("if %s >= %s: break" % (count, limit), op))
    cond_lines, (pred,) = emit_graph(op.attrs["cond"], ctx, loop_vars + captured)
    step += cond_lines + [("if not %s: break" % pred, op)]
    body_lines, results = emit_graph(op.attrs["body"], ctx, loop_vars + captured)
    step += body_lines
    if n:
        step.append(("%s = %s" % (_tuple(loop_vars), _tuple(results)), op))
    if has_max:
        step.append(("%s += 1" % count, op))
    lines.append(("while True:", op))
    lines += indent(step)
    if outs:
        lines.append(("%s = %s" % (_tuple(outs), _tuple(loop_vars)), op))
    return lines
