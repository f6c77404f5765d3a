"""Control flow: cond, case, switch_case and while_loop, plus no_op and group.

Executing eagerly they are plain Python (one branch runs; the loop runs). While a graph is
being built, each branch or loop body is traced into its own sub-graph, so BOTH branches are
traced, and the op holds the sub-graphs: `StatelessIf`/`If`, `Case`, `StatelessWhile`/`While`
(the stateful forms when a sub-graph has side effects). What a sub-graph uses from the
enclosing graph becomes an extra input of the op.

>>> import autotrace as tf
>>> tf.cond(tf.constant(3) > 2, lambda: "big", lambda: "small")
'big'
>>> tf.while_loop(lambda i: i < 10, lambda i: i * 2, [1])
[<autotrace.Tensor: shape=(), dtype=int32, numpy=16>]
"""
from .. import nest
from ..context import graph_mode, state
from ..errors import InvalidArgumentError
from ..tensor import SymbolicTensor, Tensor
from ..tensor_shape import TensorShape
from .constant_op import adopt_operand, convert_to_tensor
from .registry import NO_GRADIENT, apply, defop

__all__ = ["no_op", "group", "cond", "case", "switch_case", "while_loop"]


# -- no_op / group -----------------------------------------------------------------------------

def _no_op_kernel():
    return []


NO_OP = defop("NoOp", _no_op_kernel, lambda: [], multi_output=True, grad=NO_GRADIENT,
              inputs=())


def no_op(name=None):
    """An op that does nothing (useful to hang control dependencies on)."""
    return apply(NO_OP, (), None, name)


def group(*inputs, name=None):
    """An op that runs all `inputs` (ops or tensors) when run; None when executing eagerly."""
    graph = state.graph
    if graph is None:
        return None
    with graph.control_dependencies([x for x in inputs if x is not None]):
        return no_op(name=name or "group_deps")


# -- tracing sub-graphs ------------------------------------------------------------------------

def _func_graph(name):
    from ..tracing.func_graph import FuncGraph
    return FuncGraph(name, outer_graph=state.graph)


def _as_output(value):
    """A branch/body output as a tensor of the sub-graph being built (state.graph): outer
    tensors are captured, Variables read, Python values converted; None stays None."""
    if value is None:
        return value
    to_flow = getattr(value, "_to_loop_tensor", None)
    if to_flow is not None:
        value = to_flow()
    return state.graph.graph_tensor(value)


def _trace(fn, name, arg_specs=(), structure=None):
    """Trace `fn(*args)` into a new sub-graph whose inputs are placeholders of `arg_specs`.

    Returns (graph, structured outputs as returned by fn)."""
    graph = _func_graph(name)
    with graph_mode(graph):
        args = [graph.add_placeholder(dtype, shape, "arg") for dtype, shape in arg_specs]
        graph.inputs.extend(args)
        if structure is not None:
            args = _pack_loop_vars(structure, args)
        result = fn(*args)
    return graph, result


def _finish(graph, structured):
    """Set the sub-graph's outputs from its (already converted) structured result."""
    graph.structured_outputs = structured
    graph.outputs = [t for t in nest.flatten(structured) if isinstance(t, SymbolicTensor)]
    graph.finished = True


def _convert_outputs(graph, result):
    with graph_mode(graph):
        return nest.map_structure(_as_output, result) if result is not None else None


def _unify_captures(graphs):
    """All outer tensors any sub-graph captured; each sub-graph gets an input for each, in
    one order (unused ones included), after its own arguments."""
    outer, seen = [], set()
    for g in graphs:
        for t, _ in g.captures:
            if id(t) not in seen:
                seen.add(id(t))
                outer.append(t)
    for g in graphs:
        own = {id(t): inner for t, inner in g.captures}
        n_args = len(g.inputs) - len(g.captures)
        args = g.inputs[:n_args]
        with graph_mode(g):
            inner = [own[id(t)] if id(t) in own else
                     g.add_placeholder(t.dtype, t.shape, "capture") for t in outer]
        g.inputs = args + inner
    return outer


def _subgraphs_stateful(*names):
    def is_stateful(attrs):
        return any(g.stateful_ops for name in names for g in _as_list(attrs[name]))
    return is_stateful


def _as_list(x):
    return x if isinstance(x, (list, tuple)) else [x]


def _listed_subgraphs(*labels):
    def subgraphs(op):
        found = []
        for label in labels:
            value = op.attrs[label]
            if isinstance(value, (list, tuple)):
                found += [("%s %d" % (label, i), g) for i, g in enumerate(value)]
            else:
                found.append((label, value))
        return found
    return subgraphs


def _rewrite(*labels):
    def rewrite(attrs, fn):
        new = dict(attrs)
        for label in labels:
            value = attrs[label]
            new[label] = [fn(g) for g in value] if isinstance(value, (list, tuple)) else \
                fn(value)
        return new
    return rewrite


def run_subgraph(runtime, graph, inputs):
    """Run a sub-graph with the reference interpreter: its outputs (stateful ops run too)."""
    from ..execution.interpreter import run_graph
    feeds = {id(ph): v for ph, v in zip(graph.inputs, inputs)}
    fetches = list(graph.outputs) + list(graph.stateful_ops)
    return run_graph(fetches, feeds, runtime)[:len(graph.outputs)]


# -- cond --------------------------------------------------------------------------------------

def _if_kernel(runtime, pred, *inputs, then_branch, else_branch):
    return run_subgraph(runtime, then_branch if pred else else_branch, inputs)


def _if_infer(pred, *inputs, then_branch, else_branch):
    return [(t.dtype, t.shape.most_specific_compatible_shape(e.shape))
            for t, e in zip(then_branch.outputs, else_branch.outputs)]


_IF_OPTIONS = dict(uses_runtime=True, multi_output=True, inputs=("cond", "input"),
                   subgraphs=_listed_subgraphs("then_branch", "else_branch"),
                   rewrite_subgraphs=_rewrite("then_branch", "else_branch"))
STATELESS_IF = defop("StatelessIf", _if_kernel, _if_infer, **_IF_OPTIONS)
IF = defop("If", _if_kernel, _if_infer, stateful=True, **_IF_OPTIONS)


def _check_pred(pred, what):
    pred = convert_to_tensor(pred)
    if not pred.dtype.is_bool or pred.shape.rank not in (0, None):
        raise InvalidArgumentError(
            "%s: the predicate must be a scalar bool tensor, got a %s tensor of shape %s"
            % (what, pred.dtype.name, pred.shape))
    return pred


def cond(pred, true_fn=None, false_fn=None, name=None):
    """`true_fn()` if pred else `false_fn()`.

    Executing eagerly, or with a Python bool, only the chosen branch runs. While building a
    graph both branches are traced; they must return the same structure and dtypes (a Python
    number returned by one branch takes the other branch's tensor dtype).
    """
    if true_fn is None or false_fn is None:
        raise TypeError("cond needs both true_fn and false_fn")
    if isinstance(pred, bool) or (state.graph is None and not isinstance(pred, SymbolicTensor)):
        return true_fn() if bool(pred) else false_fn()
    pred = _check_pred(pred, "cond")
    then_graph, then_result = _trace(true_fn, "cond_true")
    else_graph, else_result = _trace(false_fn, "cond_false")
    then_out, else_out = _match_branches([then_graph, else_graph], [then_result, else_result],
                                         ["true_fn", "false_fn"], "cond")
    return _branch_op([then_graph, else_graph], [then_out, else_out], pred, name or "cond")


def _branch_op(graphs, outputs, selector, name, case=False):
    for g, out in zip(graphs, outputs):
        _finish(g, out)
    outer = _unify_captures(graphs)
    stateful = any(g.stateful_ops for g in graphs)
    if case:
        result = apply(CASE, [selector] + outer, {"branches": graphs}, name)
    else:
        opdef = IF if stateful else STATELESS_IF
        result = apply(opdef, [selector] + outer,
                       {"then_branch": graphs[0], "else_branch": graphs[1]}, name)
    flat = result if isinstance(result, list) else []
    it = iter(flat)
    return nest.map_structure(lambda leaf: next(it) if isinstance(leaf, SymbolicTensor)
                              else leaf, outputs[0]) if outputs[0] is not None else None


def _match_branches(graphs, results, labels, what):
    """Check the branches agree on structure and dtypes; convert their outputs."""
    try:
        for other in results[1:]:
            nest.assert_same_structure(results[0], other, check_types=False)
    except (ValueError, TypeError) as exc:
        raise ValueError("%s: %s must return the same structure, but %s returned %s and %s "
                         "returned %s (%s)" % (what, " and ".join(labels), labels[0],
                                               _describe(results[0]), labels[1],
                                               _describe(results[1]), exc)) from None
    leaves = [nest.flatten(r) for r in results]
    dtypes_ = []
    for i, column in enumerate(zip(*leaves)):
        tensors = [x for x in column if isinstance(x, Tensor) or hasattr(x, "_as_tensor")]
        dtypes_.append(convert_to_tensor(tensors[0]).dtype if tensors else None)
    converted = []
    for g, result, flat, label in zip(graphs, results, leaves, labels):
        with graph_mode(g):
            outs = [_adopt(x, dt) for x, dt in zip(flat, dtypes_)]
        converted.append(nest.pack_sequence_as(result, outs) if result is not None else None)
    for i, column in enumerate(zip(*[nest.flatten(c) for c in converted])):
        kinds = {x.dtype for x in column if x is not None}
        if len(kinds) > 1 or (None in column and any(x is not None for x in column)):
            found = ", ".join("%s returned %s" % (label, _describe(x))
                              for label, x in zip(labels, column))
            raise TypeError("%s: output %d must have the same dtype in every branch: %s; cast "
                            "so they agree" % (what, i, found))
    return converted


def _adopt(value, dtype):
    """Convert a branch output; a Python number takes the other branches' tensor dtype."""
    if value is None:
        return value
    if dtype is not None and not isinstance(value, Tensor) and not hasattr(value, "_as_tensor"):
        return adopt_operand(value, dtype)
    return _as_output(value)


def _describe(value):
    if isinstance(value, Tensor):
        return "a %s tensor of shape %s" % (value.dtype.name, value.shape)
    if isinstance(value, (list, tuple)):
        return "%s of %d" % (type(value).__name__, len(value))
    return repr(value)


# -- case / switch_case ------------------------------------------------------------------------

def _case_kernel(runtime, index, *inputs, branches):
    i = int(index)
    if not 0 <= i < len(branches):
        i = len(branches) - 1  # out of range: the default, which is the last branch
    return run_subgraph(runtime, branches[i], inputs)


def _case_infer(index, *inputs, branches):
    first = branches[0].outputs
    shapes = [t.shape for t in first]
    for g in branches[1:]:
        shapes = [s.most_specific_compatible_shape(t.shape) for s, t in zip(shapes, g.outputs)]
    return [(t.dtype, s) for t, s in zip(first, shapes)]


CASE = defop("Case", _case_kernel, _case_infer, uses_runtime=True, multi_output=True,
             inputs=("branch_index", "input"), subgraphs=_listed_subgraphs("branches"),
             rewrite_subgraphs=_rewrite("branches"), is_stateful=_subgraphs_stateful("branches"))


def switch_case(branch_index, branch_fns, default=None, name="switch_case"):
    """Run `branch_fns[branch_index]()`; an index out of range runs `default` (or, without
    one, the last branch), as TensorFlow. `branch_fns` is a list or a dict {int: fn}."""
    if isinstance(branch_fns, dict):
        keys = sorted(branch_fns)
        if keys != list(range(len(keys))):
            raise ValueError("switch_case: dict keys must be 0..n-1, got %s" % keys)
        branch_fns = [branch_fns[k] for k in keys]
    fns = [f for k, f in enumerate(branch_fns)] + ([default] if default is not None else [])
    if not fns:
        raise ValueError("switch_case needs at least one branch")
    index_known = not isinstance(branch_index, SymbolicTensor)
    if index_known:
        i = int(branch_index)
        return (fns[i] if 0 <= i < len(branch_fns) else fns[-1])()
    index = convert_to_tensor(branch_index)
    if not index.dtype.is_integer or index.shape.rank not in (0, None):
        raise InvalidArgumentError("switch_case: branch_index must be a scalar integer tensor, "
                                   "got a %s tensor of shape %s" % (index.dtype.name, index.shape))
    traced = [_trace(f, "branch_%d" % i) for i, f in enumerate(fns)]
    graphs = [g for g, _ in traced]
    outputs = _match_branches(graphs, [r for _, r in traced],
                              ["branch %d" % i for i in range(len(fns))], "switch_case")
    return _branch_op(graphs, outputs, index, name, case=True)


def case(pred_fn_pairs, default=None, exclusive=False, strict=False, name="case"):
    """The fn of the first pair whose predicate is True (else `default`), as nested conds.
    With exclusive=True, an error if more than one predicate is True."""
    pairs = list(pred_fn_pairs.items()) if isinstance(pred_fn_pairs, dict) else \
        list(pred_fn_pairs)
    if not pairs:
        if default is None:
            raise ValueError("case needs at least one (predicate, fn) pair or a default")
        return default()
    if default is None:
        pairs, default = pairs[:-1], pairs[-1][1]
    if exclusive and pairs:
        from .math_ops import cast, reduce_sum
        from .array_ops import stack
        count = reduce_sum(cast(stack([convert_to_tensor(p) for p, _ in pairs]), "int32"))
        from . import debugging_ops
        checks = [debugging_ops.assert_less_equal(
            count, 1, message="case: more than one predicate is True (exclusive=True)")]
    else:
        checks = []

    def chain(i):
        if i == len(pairs):
            return default()
        pred, fn = pairs[i]
        return cond(pred, fn, lambda: chain(i + 1))
    graph = state.graph
    if graph is not None and checks and checks[0] is not None:
        with graph.control_dependencies([c for c in checks if c is not None]):
            return chain(0)
    return chain(0)


# -- while_loop --------------------------------------------------------------------------------

def _flatten_loop_vars(loop_vars):
    """Flat tensors of a loop-var structure (TensorArrays contribute their flow tensor)."""
    flat = []
    for leaf in nest.flatten(loop_vars):
        to_flow = getattr(leaf, "_to_loop_tensor", None)
        flat.append(to_flow() if to_flow is not None else leaf)
    return flat


def _pack_loop_vars(structure, flat):
    """Rebuild the loop-var structure from flat tensors (TensorArrays get new flows)."""
    leaves = []
    for template, value in zip(nest.flatten(structure), flat):
        from_flow = getattr(template, "_from_loop_tensor", None)
        leaves.append(from_flow(value) if from_flow is not None else value)
    return nest.pack_sequence_as(structure, leaves)


def _while_kernel(runtime, *inputs, cond, body, n_vars, has_max):
    values = list(inputs[:n_vars])
    captured = list(inputs[n_vars:len(inputs) - (1 if has_max else 0)])
    limit = int(inputs[-1]) if has_max else None
    count = 0
    while limit is None or count < limit:
        if not run_subgraph(runtime, cond, values + captured)[0]:
            break
        values = run_subgraph(runtime, body, values + captured)
        count += 1
    return values


def _while_infer(*inputs, cond, body, n_vars, has_max):
    return [(ph.dtype, ph.shape) for ph in body.inputs[:n_vars]]


_WHILE_OPTIONS = dict(uses_runtime=True, multi_output=True, inputs=("input",),
                      subgraphs=_listed_subgraphs("cond", "body"),
                      rewrite_subgraphs=_rewrite("cond", "body"))
STATELESS_WHILE = defop("StatelessWhile", _while_kernel, _while_infer, **_WHILE_OPTIONS)
WHILE = defop("While", _while_kernel, _while_infer, stateful=True, **_WHILE_OPTIONS)


def while_loop(cond, body, loop_vars, shape_invariants=None, parallel_iterations=10,
               back_prop=True, swap_memory=False, maximum_iterations=None, name=None):
    """Repeat `loop_vars = body(*loop_vars)` while `cond(*loop_vars)`; returns the final
    loop_vars, in the same structure.

    While building a graph, cond and body are traced once. A loop variable must keep its
    dtype, and its shape unless `shape_invariants` relaxes it (e.g. TensorShape([None])).
    `maximum_iterations` caps the number of iterations.
    """
    if not callable(cond) or not callable(body):
        raise TypeError("while_loop: cond and body must be callables")
    single = not isinstance(loop_vars, (list, tuple))
    structure = [loop_vars] if single else loop_vars
    if state.graph is None and not any(isinstance(t, SymbolicTensor)
                                       for t in _flatten_loop_vars(structure)):
        return _eager_while(cond, body, structure, single, maximum_iterations)
    result = _graph_while(cond, body, structure, shape_invariants, maximum_iterations,
                          name or "while")
    return result[0] if single else result


def _call_loop_fn(fn, values):
    return fn(*values) if isinstance(values, (list, tuple)) else fn(values)


def _eager_while(cond, body, values, single, maximum_iterations):
    limit = None if maximum_iterations is None else int(maximum_iterations)
    count = 0
    while (limit is None or count < limit) and bool(_call_loop_fn(cond, values)):
        new = _call_loop_fn(body, values)
        if len(values) == 1 and not isinstance(new, (list, tuple)):
            new = [new]
        nest.assert_same_structure(list(values), list(new), check_types=False)
        values = type(values)(new) if isinstance(values, tuple) else list(new)
        count += 1
    return values[0] if single else values


def _graph_while(cond, body, structure, shape_invariants, maximum_iterations, name):
    flat = [convert_to_tensor(v) for v in _flatten_loop_vars(structure)]
    invariants = _invariants(structure, flat, shape_invariants)
    specs = [(t.dtype, s) for t, s in zip(flat, invariants)]
    cond_graph, pred = _trace(lambda *a: _call_loop_fn(cond, list(a)), "while_cond", specs,
                              structure)
    body_graph, new = _trace(lambda *a: _call_loop_fn(body, list(a)), "while_body", specs,
                             structure)
    with graph_mode(cond_graph):
        pred = _check_pred(_as_output(pred), "while_loop cond")
    if len(flat) == 1 and not isinstance(new, (list, tuple)):
        new = [new]
    new_flat = _body_outputs(body_graph, structure, new, flat, invariants)
    _finish(cond_graph, [pred])
    _finish(body_graph, new_flat)
    outer = _unify_captures([cond_graph, body_graph])
    inputs = flat + outer
    has_max = maximum_iterations is not None
    if has_max:
        inputs.append(convert_to_tensor(maximum_iterations, "int32"))
    opdef = WHILE if (cond_graph.stateful_ops or body_graph.stateful_ops) else STATELESS_WHILE
    out = apply(opdef, inputs, {"cond": cond_graph, "body": body_graph, "n_vars": len(flat),
                                "has_max": has_max}, name)
    return _pack_loop_vars(structure, out)


def _invariants(structure, flat, shape_invariants):
    if shape_invariants is None:
        return [t.shape for t in flat]
    given = nest.flatten(shape_invariants if isinstance(shape_invariants, (list, tuple))
                         or len(flat) != 1 else [shape_invariants])
    if len(given) != len(flat):
        raise ValueError("while_loop: shape_invariants has %d entries but there are %d loop "
                         "variables" % (len(given), len(flat)))
    shapes = []
    for i, (t, s) in enumerate(zip(flat, given)):
        s = t.shape if s is None else TensorShape(s)
        if not s.is_compatible_with(t.shape):
            raise ValueError("while_loop: loop variable %d has shape %s, which does not fit its "
                             "shape invariant %s" % (i, t.shape, s))
        shapes.append(s)
    return shapes


def _body_outputs(body_graph, structure, new, flat, invariants):
    try:
        nest.assert_same_structure(list(structure), list(new), check_types=False)
    except (ValueError, TypeError) as exc:
        raise ValueError("while_loop: body must return the same structure as loop_vars: "
                         "loop_vars is %s, body returned %s (%s)"
                         % (_describe(list(structure)), _describe(new), exc)) from None
    with graph_mode(body_graph):
        outs = [_adopt(v, t.dtype) for v, t in zip(_flatten_loop_vars(new), flat)]
    for i, (out, before, inv) in enumerate(zip(outs, flat, invariants)):
        if out.dtype is not before.dtype:
            raise TypeError("while_loop: loop variable %d enters the loop as %s but the body "
                            "returns %s; a loop variable must keep its dtype"
                            % (i, before.dtype.name, out.dtype.name))
        if not inv.is_compatible_with(out.shape) or (inv.rank is not None and
                                                    out.shape.rank is None):
            raise ValueError(
                "while_loop: loop variable %d has shape %s before the loop but the body "
                "returns shape %s. A loop variable must keep its shape; to let it change, "
                "pass shape_invariants with None for the changing dimensions (e.g. "
                "autotrace.TensorShape(%s))"
                % (i, inv, out.shape, [None] * (out.shape.rank or 1)))
    return outs
