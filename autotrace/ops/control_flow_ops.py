"""Control flow: cond, case, switch_case and while_loop, plus no_op and group.

Executing eagerly they are plain Python (one branch runs; the loop runs). While a graph is
being built, each branch or loop body is traced into its own sub-graph, so BOTH branches are
traced, and the op holds the sub-graphs: `StatelessIf`/`If`, `StatelessCase`/`Case`,
`StatelessWhile`/`While` (the stateful forms when a sub-graph has side effects). What a
sub-graph uses from the enclosing graph (tensors, variable handles) becomes an extra input of
the op.

>>> import autotrace as tf
>>> tf.cond(tf.constant(3) > 2, lambda: "big", lambda: "small")
'big'
>>> tf.while_loop(lambda i: i < 10, lambda i: i * 2, [1])
[<autotrace.Tensor: shape=(), dtype=int32, numpy=16>]
"""
import inspect

import numpy as np

from .. import dtypes, nest
from ..context import graph_mode, state
from ..errors import DTypeMismatchError, InvalidArgumentError, InvalidShapeError
from ..graph import Operation
from ..tensor import SymbolicTensor, Tensor
from ..tensor_shape import TensorShape
from .constant_op import ConversionError, adopt_operand, convert_to_tensor
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

_BRANCH_GRAPH_CLASS = []


def _branch_graph_class():
    """FuncGraph for branches and loop bodies (made on first use: tracing imports the ops)."""
    if not _BRANCH_GRAPH_CLASS:
        from ..tracing.func_graph import FuncGraph

        class BranchGraph(FuncGraph):
            """A cond branch or loop body. A Variable used here is reached through the
            enclosing graph's handle, captured as an input of the branch: so the function
            (or compat.v1 graph) holding the cond knows the variable
            (ConcreteFunction.variables), and gradients flow out through the op's input."""

            def variable_handle(self, variable):
                found = self._variable_handles.get(id(variable))
                if found is not None and found[0] is variable:
                    return found[1]
                outer = self.outer_graph
                with outer.control_dependencies(None):
                    outer_handle = outer.variable_handle(variable)
                with self.control_dependencies(None):
                    inner = self.capture_symbolic(outer_handle)
                inner.op.attrs["variable"] = variable._handle_value
                self._variable_handles[id(variable)] = (variable, inner)
                return inner

        _BRANCH_GRAPH_CLASS.append(BranchGraph)
    return _BRANCH_GRAPH_CLASS[0]


def _func_graph(name):
    return _branch_graph_class()(name, outer_graph=state.graph)


def _as_output(value):
    """A branch/body output leaf as a tensor of the sub-graph being built (state.graph): outer
    tensors are captured, Variables read, Python values converted; None stays None, and so
    does an op (as for the outputs of a traced function)."""
    if value is None or isinstance(value, Operation):
        return None
    to_flow = getattr(value, "_to_loop_tensor", None)
    if to_flow is not None:
        value = to_flow()
    return state.graph.graph_tensor(value)


def _is_tensor_like(value):
    return isinstance(value, Tensor) or hasattr(value, "_as_tensor") or \
        hasattr(value, "_to_loop_tensor")


def _trace(fn, name, arg_specs=(), structure=None, arg_names=None):
    """Trace `fn(*args)` into a new sub-graph whose inputs are placeholders of `arg_specs`.

    Returns (graph, structured outputs as returned by fn)."""
    graph = _func_graph(name)
    names = arg_names or ["arg"] * len(arg_specs)
    with graph_mode(graph):
        args = [graph.add_placeholder(dtype, shape, n)
                for (dtype, shape), n in zip(arg_specs, names)]
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
        # The inputs first, in order (placeholders have no inputs, so the order stays
        # topological): the printed sub-graph then reads like a function.
        placeholders = [t.op for t in g.inputs]
        moved = set(placeholders)
        g._ops = placeholders + [op for op in g._ops if op not in moved]
    return outer


def _subgraphs_stateful(*names):
    def is_stateful(attrs):
        return any(g.stateful_ops for name in names for g in _as_list(attrs[name]))
    return is_stateful


def _as_list(x):
    return x if isinstance(x, (list, tuple)) else [x]


def _signature(graph):
    """`(a, b) -> (c, d)`: a sub-graph's inputs and outputs, for its printed section."""
    def refs(tensors):
        return ", ".join(t.op.name if t.value_index == 0 else t.name for t in tensors)
    outs = [t for t in graph.outputs]
    out_text = refs(outs) if len(outs) == 1 else "(%s)" % refs(outs)
    return "(%s) -> %s" % (refs(graph.inputs), out_text)


def _listed_subgraphs(*labels):
    def subgraphs(op):
        found = []
        for label in labels:
            value = op.attrs[label]
            if isinstance(value, (list, tuple)):
                singular = label[:-2] if label.endswith("es") else label
                found += [("%s %d%s" % (singular, i, _signature(g)), g)
                          for i, g in enumerate(value)]
            else:
                found.append((label + _signature(value), value))
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


# -- describing values in error messages -------------------------------------------------------

def _structure_text(value):
    """A structure as errors show it: tensors as `int32[2,?]`, Python values by repr."""
    if isinstance(value, Tensor):
        return value.dtype.name + value.shape.short()
    if getattr(value, "_autotrace_variable", False):
        return "Variable(%s%s)" % (value.dtype.name, value.shape.short())
    if isinstance(value, Operation):
        return "<op %s>" % value.name
    if isinstance(value, tuple) and hasattr(type(value), "_fields"):
        return "%s(%s)" % (type(value).__name__, ", ".join(
            "%s=%s" % (f, _structure_text(v)) for f, v in zip(value._fields, value)))
    if isinstance(value, dict):
        return "{%s}" % ", ".join("%r: %s" % (k, _structure_text(value[k]))
                                  for k in sorted(value, key=repr))
    if isinstance(value, list):
        return "[%s]" % ", ".join(_structure_text(v) for v in value)
    if isinstance(value, tuple):
        return "(%s%s)" % (", ".join(_structure_text(v) for v in value),
                           "," if len(value) == 1 else "")
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _a(word):
    return ("an " if word[:1] in "aeiou" else "a ") + word


def _tensor_text(t):
    """`an int32 tensor of shape (2,)`."""
    return "%s tensor of shape %s" % (_a(t.dtype.name), t.shape)


def _leaf_text(value):
    if value is None:
        return "None"
    if isinstance(value, Tensor):
        return "%s tensor" % _a(value.dtype.name)
    return _structure_text(value)


def _path_text(path):
    return "".join("[%r]" % (k,) for k in path)


def _same_structure(a, b):
    try:
        nest.assert_same_structure(a, b, check_types=False)
    except (ValueError, TypeError):
        return False
    return True


# -- branches: cond, case, switch_case ---------------------------------------------------------

def _match_branches(graphs, results, labels, what, who, names=None):
    """Check the branches agree on structure and dtypes; convert their outputs (a Python number
    takes the dtype the other branches give that output). `names` (AutoGraph) names the items
    of the results, for errors."""
    for label, other in zip(labels[1:], results[1:]):
        if not _same_structure(results[0], other):
            raise ValueError("%s: %s must return the same structure, but %s returned %s and %s "
                             "returned %s" % (what, who, labels[0], _structure_text(results[0]),
                                              label, _structure_text(other)))
    leaves = [nest.flatten(r) for r in results]
    paths = [p for p, _ in nest.flatten_with_paths(results[0])]
    def where(i):
        if names is not None:
            return "%r%s" % (names[paths[i][0]], _path_text(paths[i][1:]))
        return "output %d" % i + (" (%s)" % _path_text(paths[i]) if paths[i] else "")

    sources = []  # per output: (label, dtype) of the first branch returning a tensor there
    for column in zip(*leaves):
        found = [(label, x.dtype) for label, x in zip(labels, column)
                 if _is_tensor_like(x) and not hasattr(x, "_to_loop_tensor")]
        sources.append(found[0] if found else (None, None))
    converted = []
    for g, flat, label in zip(graphs, leaves, labels):
        with graph_mode(g):
            outs = []
            for i, (x, (source, dtype)) in enumerate(zip(flat, sources)):
                try:
                    outs.append(_adopt(x, dtype))
                except ConversionError as exc:
                    raise TypeError(
                        "%s: %s is %s in %s but %s tensor in %s, and %s cannot be %s value "
                        "(%s); cast the tensor, or return a number that fits"
                        % (what, where(i), _structure_text(x), label, _a(dtype.name), source,
                           _structure_text(x), _a(dtype.name), exc.reason)) from None
            converted.append(outs)
    for i, column in enumerate(zip(*converted)):
        first = column[0]
        for label, x, original in zip(labels[1:], column[1:], [c[i] for c in leaves[1:]]):
            same = (x is None and first is None) or (
                x is not None and first is not None and x.dtype is first.dtype)
            if same:
                continue
            if x is None or first is None:
                raise TypeError("%s: %s must return the same structure, but %s is %s in %s and "
                                "%s in %s" % (what, who, where(i), _leaf_text(leaves[0][i]),
                                              labels[0], _leaf_text(original), label))
            raise TypeError("%s: %s must return the same dtypes, but %s is %s in %s and %s in "
                            "%s; cast one of them, e.g. autotrace.cast(..., autotrace.%s)"
                            % (what, who, where(i), first.dtype.name, labels[0], x.dtype.name,
                               label, first.dtype.name))
    return converted


def _adopt(value, dtype):
    """Convert a branch output; a Python number takes the other branches' tensor dtype."""
    if value is None or isinstance(value, Operation):
        return None
    if dtype is not None and not _is_tensor_like(value):
        return adopt_operand(value, dtype)
    return _as_output(value)


def _branch_op(opdefs, graphs, flat_outputs, structure, selector, attrs, name):
    """The If/Case op over traced branches; returns its outputs in `structure` (what the
    first branch returned; TensorArrays get their flow back, None leaves stay None)."""
    for g, flat in zip(graphs, flat_outputs):
        _finish(g, flat)
    outer = _unify_captures(graphs)
    stateless, stateful = opdefs
    opdef = stateful if any(g.stateful_ops for g in graphs) else stateless
    result = apply(opdef, [selector] + outer, attrs, name)
    it = iter(result if isinstance(result, list) else [])
    leaves = []
    for original, out in zip(nest.flatten(structure), flat_outputs[0]):
        if out is None:
            leaves.append(None)
            continue
        value = next(it)
        from_flow = getattr(original, "_from_loop_tensor", None)
        leaves.append(from_flow(value) if from_flow is not None else value)
    return nest.pack_sequence_as(structure, leaves)


def _trace_branches(fns, labels, what, who, reconcile=None, names=None):
    """Trace each fn into a branch graph; (graphs, flat converted outputs, first result).
    `reconcile(graphs, results)` may rewrite the results before they are matched."""
    traced = [_trace(fn, label.replace("the ", "").replace(" ", "_"))
              for fn, label in zip(fns, labels)]
    graphs = [g for g, _ in traced]
    results = [r for _, r in traced]
    if reconcile is not None:
        results = list(reconcile(graphs, results))
    return graphs, _match_branches(graphs, results, labels, what, who, names), results[0]


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
    """The predicate of a graph cond / while_loop: a scalar bool tensor."""
    pred = convert_to_tensor(pred)
    if not pred.dtype.is_bool:
        raise DTypeMismatchError(
            "%s: the predicate must be a scalar bool tensor, got %s; compare first, e.g. "
            "x > 0" % (what, _tensor_text(pred)))
    if pred.shape.rank not in (0, None):
        raise InvalidShapeError(
            "%s: the predicate must be a scalar bool tensor, got %s; reduce it first, "
            "e.g. autotrace.reduce_all(...)" % (what, _tensor_text(pred)))
    return pred


def _known_truth(pred, what):
    """The truth of a predicate known now (a Python value or an eager tensor). A non-bool
    scalar counts by its truth, as in TensorFlow's eager mode; a non-scalar is an error."""
    if isinstance(pred, (bool, np.bool_)):
        return bool(pred)
    t = convert_to_tensor(pred)
    if t.shape.rank:
        raise InvalidShapeError("%s: the predicate must be a scalar bool tensor, got %s; reduce "
                                "it first, e.g. autotrace.reduce_all(...)"
                                % (what, _tensor_text(t)))
    return bool(t._value)


def _is_known(value):
    """True if a predicate or index is known now: not a tensor of a graph being built."""
    if isinstance(value, (bool, np.bool_, int, np.integer)):
        return True
    return state.graph is None and not isinstance(value, SymbolicTensor)


def _check_callable(fn, label, what):
    if not callable(fn):
        raise TypeError("%s: %s must be callable, got %s" % (what, label, _structure_text(fn)))


def cond(pred, true_fn=None, false_fn=None, name=None):
    """`true_fn()` if pred else `false_fn()`.

    Executing eagerly, or with a Python bool, only the chosen branch runs (even while
    tracing). While building a graph both branches are traced; they must return the same
    structure and dtypes (a Python number returned by one branch takes the other branch's
    tensor dtype).
    """
    return cond_with(pred, true_fn, false_fn, name=name)


def cond_with(pred, true_fn, false_fn, reconcile=None, name=None, names=None, where=None):
    """`cond` for converted code (AutoGraph). `reconcile(graphs, results)`, called once both
    branches are traced, may rewrite their results (building in the branch graphs) before
    they are matched; `names` names the items of the results and `where` the user's line, for
    errors."""
    what = "cond" if where is None else "the `if` at %s" % where
    _check_callable(true_fn, "true_fn", what)
    _check_callable(false_fn, "false_fn", what)
    if _is_known(pred):
        return true_fn() if _known_truth(pred, what) else false_fn()
    pred = _check_pred(pred, what)
    labels = ["true_fn", "false_fn"] if names is None else ["the true branch",
                                                            "the false branch"]
    who = "true_fn and false_fn" if names is None else "both branches"
    graphs, outputs, template = _trace_branches([true_fn, false_fn], labels, what, who,
                                                reconcile, names)
    return _branch_op((STATELESS_IF, IF), graphs, outputs, template, pred,
                      {"then_branch": graphs[0], "else_branch": graphs[1]}, name or "cond")


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


_CASE_OPTIONS = dict(uses_runtime=True, multi_output=True, inputs=("branch_index", "input"),
                     subgraphs=_listed_subgraphs("branches"),
                     rewrite_subgraphs=_rewrite("branches"))
STATELESS_CASE = defop("StatelessCase", _case_kernel, _case_infer, **_CASE_OPTIONS)
CASE = defop("Case", _case_kernel, _case_infer, stateful=True, **_CASE_OPTIONS)


def _select(index, fns, labels, what, name):
    """`fns[index]()` as a Case op; an index out of range runs the last fn (the default)."""
    graphs, outputs, template = _trace_branches(fns, labels, what, "all branches")
    return _branch_op((STATELESS_CASE, CASE), graphs, outputs, template, index,
                      {"branches": graphs}, name)


def switch_case(branch_index, branch_fns, default=None, name="switch_case"):
    """Run `branch_fns[branch_index]()`; an index out of range runs `default` (or, without
    one, the last branch), as TensorFlow. `branch_fns` is a list or a dict {int: fn}."""
    if isinstance(branch_fns, dict):
        keys = sorted(branch_fns)
        if keys != list(range(len(keys))):
            raise ValueError("switch_case: the keys of branch_fns must be 0..n-1, got %s"
                             % keys)
        branch_fns = [branch_fns[k] for k in keys]
    fns = list(branch_fns)
    if not fns:
        raise ValueError("switch_case needs at least one branch in branch_fns")
    for i, fn in enumerate(fns):
        _check_callable(fn, "branch_fns[%d]" % i, "switch_case")
    labels = ["branch %d" % i for i in range(len(fns))]
    if default is not None:
        _check_callable(default, "default", "switch_case")
        fns.append(default)
        labels.append("default")
    if _is_known(branch_index):
        i = _known_index(branch_index)
        return (fns[i] if 0 <= i < len(branch_fns) else fns[-1])()
    index = convert_to_tensor(branch_index)
    _check_index(index.dtype, index.shape)
    return _select(index, fns, labels, "switch_case", name)


def _check_index(dtype, shape):
    if not dtype.is_integer:
        raise DTypeMismatchError("switch_case: branch_index must be a scalar integer tensor, got "
                                 "%s tensor; cast it, e.g. autotrace.cast(i, autotrace.int32)"
                                 % _a(dtype.name))
    if shape.rank not in (0, None):
        raise InvalidShapeError("switch_case: branch_index must be a scalar integer tensor, got "
                                "shape %s" % shape)


def _known_index(index):
    if isinstance(index, (bool, int, np.integer)):
        return int(index)
    t = convert_to_tensor(index)
    _check_index(t.dtype, t.shape)
    return int(t._value)


def case(pred_fn_pairs, default=None, exclusive=False, strict=False, name="case"):
    """The fn of the first pair whose predicate is True, else `default()`.

    Without a default the last pair's fn is the default, but it is an error
    (InvalidArgumentError when it runs) if no predicate is True, as in TensorFlow. With
    exclusive=True it is an error if more than one predicate is True. While building a graph
    this is one Case op whose index is the first True predicate."""
    pairs = list(pred_fn_pairs.items()) if isinstance(pred_fn_pairs, dict) else \
        list(pred_fn_pairs)
    for i, pair in enumerate(pairs):
        if not isinstance(pair, (list, tuple)) or len(pair) != 2:
            raise TypeError("case: pred_fn_pairs[%d] must be a (predicate, callable) pair, got "
                            "%s" % (i, _structure_text(pair)))
        _check_callable(pair[1], "the fn of pred_fn_pairs[%d]" % i, "case")
    if default is not None:
        _check_callable(default, "default", "case")
    if not pairs:
        if default is None:
            raise ValueError("case needs at least one (predicate, fn) pair or a default")
        return default()
    preds = [p for p, _ in pairs]
    fns = [f for _, f in pairs] + ([default] if default is not None else [])
    labels = ["pred_fn_pairs[%d]" % i for i in range(len(pairs))] + \
        (["default"] if default is not None else [])
    if all(_is_known(p) for p in preds):
        truth = [_known_truth(p, "case") for p in preds]
        if exclusive and sum(truth) > 1:
            raise InvalidArgumentError(
                "case: exclusive=True, but more than one predicate is True (those of %s)"
                % " and ".join("pred_fn_pairs[%d]" % i for i, t in enumerate(truth) if t))
        if True in truth:
            return fns[truth.index(True)]()
        if default is None:
            raise InvalidArgumentError("case: no predicate is True and there is no default; "
                                       "the predicates are %s" % truth)
        return default()
    return _graph_case(preds, fns, labels, default is None, exclusive, name)


def _graph_case(preds, fns, labels, no_default, exclusive, name):
    from .debugging_ops import Assert
    from .manip_ops import concat, stack
    from .math_ops import argmax, cast, reduce_any, reduce_sum
    pred_tensors = [_check_pred(p, "case") for p in preds]
    stacked = stack(pred_tensors, name="case_preds")
    as_int = cast(stacked, dtypes.int32)
    checks = []
    if exclusive:
        checks.append(Assert(reduce_sum(as_int) <= 1, [
            "case: exclusive=True, but more than one predicate is True; the predicates:",
            stacked], summarize=len(preds)))
    if no_default:
        checks.append(Assert(reduce_any(stacked), [
            "case: no predicate is True and there is no default; the predicates:", stacked],
            summarize=len(preds)))
    # The first True predicate; none True gives len(preds): out of range, so the default.
    index = argmax(concat([as_int, convert_to_tensor([1])], 0), output_type=dtypes.int32)
    with state.graph.control_dependencies([c for c in checks if c is not None]):
        return _select(index, fns, labels, "case", name)


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
               back_prop=True, swap_memory=False, maximum_iterations=None, name=None,
               _names=None, _where=None):
    """Repeat `loop_vars = body(*loop_vars)` while `cond(*loop_vars)`; returns the final
    loop_vars, in the same structure.

    `loop_vars` is a list or tuple of loop variables (each a tensor or a nested structure of
    them); a single loop variable may also be passed bare, and is then returned bare. A body
    with one loop variable may return it bare. While building a graph, cond and body are
    traced once; a loop variable must keep its dtype, and its shape unless `shape_invariants`
    (the structure of loop_vars, with a TensorShape per tensor) relaxes it, e.g.
    TensorShape([None]). `maximum_iterations` caps the number of iterations.

    (AutoGraph passes `_names`, the Python names of the loop variables, and `_where`, the
    user's line, so errors speak of the user's loop.)
    """
    _check_callable(cond, "cond", "while_loop")
    _check_callable(body, "body", "while_loop")
    single = not isinstance(loop_vars, (list, tuple))
    structure = [loop_vars] if single else loop_vars
    if not structure:
        raise ValueError("while_loop needs at least one loop variable (loop_vars is empty)")
    if state.graph is None and not any(isinstance(t, SymbolicTensor)
                                       for t in _flatten_loop_vars(structure)):
        result = _eager_while(cond, body, structure, maximum_iterations)
    else:
        result = _graph_while(cond, body, structure, single, shape_invariants,
                              maximum_iterations, name or "while", _names, _where)
    return result[0] if single else result


def _call_loop_fn(fn, values):
    return fn(*values)


def _align_body_result(structure, new, what="while_loop"):
    """The body's result in the structure of loop_vars, or a ValueError. With one loop
    variable the body may return it bare."""
    if len(structure) == 1 and not _same_structure(list(structure), new) and \
            _same_structure(structure[0], new):
        new = [new]
    if not isinstance(new, (list, tuple)) or not _same_structure(list(structure), list(new)):
        raise ValueError("%s: body must return the same structure as loop_vars, but "
                         "loop_vars is %s and body returned %s"
                         % (what, _structure_text(structure), _structure_text(new)))
    return new


def _max_iterations(value, known):
    t = convert_to_tensor(value)
    if not t.dtype.is_integer or t.shape.rank not in (0, None):
        error = DTypeMismatchError if not t.dtype.is_integer else InvalidShapeError
        raise error("while_loop: maximum_iterations must be a scalar integer, got %s"
                    % _tensor_text(t))
    return int(t._value) if known else t


def _eager_while(cond, body, values, maximum_iterations):
    limit = None if maximum_iterations is None else _max_iterations(maximum_iterations, True)
    count = 0
    while (limit is None or count < limit) and \
            _known_truth(_call_loop_fn(cond, values), "while_loop cond"):
        new = _align_body_result(values, _call_loop_fn(body, values))
        values = nest.pack_sequence_as(values, nest.flatten(list(new)))
        count += 1
    return nest.map_structure(_eager_result, values)


def _eager_result(value):
    """Eagerly, loop variables come out as tensors (as TF's), whatever the body returned."""
    if value is None or hasattr(value, "_to_loop_tensor") or isinstance(value, Tensor):
        return value
    return convert_to_tensor(value)


def _loop_var_labels(structure, single, names=None):
    """`loop_vars[0]['a']` for each flat loop variable (`loop_vars` for a bare one); with
    AutoGraph's `names`, the Python name: `'x'`, `'d'['a']`."""
    labels = []
    for path, _ in nest.flatten_with_paths(list(structure)):
        if names is not None:
            labels.append("%r%s" % (names[path[0]], _path_text(path[1:])))
        else:
            labels.append("loop_vars" + _path_text(path[1:] if single else path))
    return labels


def _param_names(fn, n):
    """Names for the loop-variable placeholders: the parameters of cond/body when they take
    one per loop variable, else "arg"."""
    try:
        params = list(inspect.signature(fn).parameters.values())
    except (TypeError, ValueError):
        return None
    if len(params) != n or any(p.kind not in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
                               for p in params):
        return None
    return [p.name for p in params]


def _graph_while(cond, body, structure, single, shape_invariants, maximum_iterations, name,
                 names=None, where=None):
    labels = _loop_var_labels(structure, single, names)
    what = "while_loop" if where is None else "the loop at %s" % where
    flat = []
    for label, v in zip(labels, _flatten_loop_vars(structure)):
        if v is None:
            raise ValueError("%s: %s is None; every loop variable must be a tensor (or a value "
                             "convertible to one)" % (what, label))
        flat.append(convert_to_tensor(v))
    invariants = _invariants(structure, single, flat, labels, shape_invariants, what)
    specs = [(t.dtype, s) for t, s in zip(flat, invariants)]
    arg_names = (None, None)
    if len(flat) == len(structure):  # one tensor per loop variable: name them as the fns do
        arg_names = _param_names(cond, len(flat)), _param_names(body, len(flat))
    cond_graph, pred = _trace(lambda *a: _call_loop_fn(cond, list(a)), "while_cond", specs,
                              structure, arg_names[0])
    body_graph, new = _trace(lambda *a: _call_loop_fn(body, list(a)), "while_body", specs,
                             structure, arg_names[1])
    with graph_mode(cond_graph):
        pred = _check_pred(_as_output(pred), "while_loop cond" if where is None else
                           "the condition of the loop at %s" % where)
    new = _align_body_result(structure, new, what)
    new_flat = _body_outputs(body_graph, new, flat, invariants, labels, what, names)
    _finish(cond_graph, [pred])
    _finish(body_graph, new_flat)
    outer = _unify_captures([cond_graph, body_graph])
    inputs = flat + outer
    has_max = maximum_iterations is not None
    if has_max:
        inputs.append(_max_iterations(maximum_iterations, False))
    opdef = WHILE if (cond_graph.stateful_ops or body_graph.stateful_ops) else STATELESS_WHILE
    out = apply(opdef, inputs, {"cond": cond_graph, "body": body_graph, "n_vars": len(flat),
                                "has_max": has_max}, name)
    return _pack_loop_vars(structure, out)


def _invariants(structure, single, flat, labels, shape_invariants, what):
    """One TensorShape per flat loop variable: its own shape, or the one given."""
    if shape_invariants is None:
        return [t.shape for t in flat]
    given = [shape_invariants] if single else shape_invariants
    if not nest.is_nested(given) and len(flat) == 1:
        given = [given]
    if not nest.is_nested(given) or not _same_structure(list(structure), list(given)):
        raise ValueError("%s: shape_invariants must have the structure of loop_vars, with a "
                         "TensorShape (or None) for each tensor, but loop_vars is %s and "
                         "shape_invariants is %s" % (what, _structure_text(structure),
                                                     _structure_text(shape_invariants)))
    shapes = []
    for label, t, s in zip(labels, flat, nest.flatten(list(given))):
        s = t.shape if s is None else TensorShape(s)
        if not t.shape.is_subtype_of(s):
            raise ValueError("%s: %s enters the loop with shape %s, which does not fit its "
                             "shape invariant %s" % (what, label, t.shape, s))
        shapes.append(s)
    return shapes


def _body_outputs(body_graph, new, flat, invariants, labels, what, names=None):
    """The body's flat outputs as tensors of the body graph, checked against the loop vars."""
    outs = []
    with graph_mode(body_graph):
        for label, v, t in zip(labels, _flatten_loop_vars(new), flat):
            if v is None:
                raise ValueError("%s: body returned None for %s; it must return a tensor for "
                                 "every loop variable" % (what, label))
            try:
                outs.append(_adopt(v, t.dtype))
            except ConversionError as exc:
                raise TypeError("%s: body returns %s for %s, which is %s, and %s cannot be %s "
                                "value (%s)" % (what, _structure_text(v), label, t.dtype.name,
                                                _structure_text(v), _a(t.dtype.name),
                                                exc.reason)) from None
    for label, out, before, inv in zip(labels, outs, flat, invariants):
        if out.dtype is not before.dtype:
            raise TypeError("%s: %s enters the loop as %s but body returns %s; a loop "
                            "variable must keep its dtype (cast in body, or start with a %s "
                            "value)" % (what, label, before.dtype.name, out.dtype.name,
                                        out.dtype.name))
        if not out.shape.is_subtype_of(inv):
            relaxed = inv.most_specific_compatible_shape(out.shape)
            suggestion = "autotrace.TensorShape(%s)" % (
                None if relaxed.rank is None else relaxed.as_list())
            entered = "shape %s" % inv if inv == before.shape else \
                "shape invariant %s" % inv
            top_level = names is not None and label in [repr(n) for n in names]
            if not top_level:
                fix = "pass shape_invariants with %s for %s" % (suggestion, label)
            else:
                fix = ("call autotrace.autograph.experimental.set_loop_options(shape_"
                       "invariants=[(%s, %s)]) at the top of the loop body"
                       % (label.strip("'"), suggestion))
            raise ValueError(
                "%s: %s enters the loop with %s but body returns shape %s. A loop variable "
                "must keep its shape; to let it change, %s (None marks a dimension that may "
                "change)" % (what, label, entered, out.shape, fix))
    return outs
