"""cond, case and switch_case: branches traced into sub-graphs, held by one If/Case op.

Executing eagerly (or with a Python bool/int), only the chosen branch runs. While a graph is
being built, every branch is traced; they must agree on structure and dtypes.
"""
import numpy as np

from ..core import dtypes, nest
from ..core.context import graph_mode, state
from ..core.errors import DTypeMismatchError, InvalidArgumentError, InvalidShapeError
from ..core.graph import Operation
from ..core.tensor import SymbolicTensor
from ..ops.constant_op import ConversionError, adopt_operand, convert_to_tensor
from .subgraphs import (_a, _as_list, gradient_expected, _as_output, _composite_mismatch, _expanded_paths, _finish, _is_tensor_like, _leaf_text, _listed_subgraphs,
                        _path_text, _recomputable_subgraphs, _rewrite, _same_structure,
                        _structure_text, _tensor_text, _trace, _unify_captures, run_subgraph)
from ..autodiff.backprop import differentiable
from ..autodiff.replay import copy_subgraph, saved_ops
from ..ops.registry import apply, defop
from .codegen import emit_case, emit_if
from .cond_grad import case_grad, expose_saved_values, if_grad


# -- branches: cond, case, switch_case ---------------------------------------------------------

def _match_branches(graphs, results, labels, what, who, names=None):
    """Check the branches agree on structure and dtypes; convert their outputs (a Python number
    takes the dtype the other branches give that output). `names` (AutoGraph) names the items
    of the results, for errors."""
    for label, other in zip(labels[1:], results[1:]):
        if not _same_structure(results[0], other):
            if names is not None:
                raise _variable_structure_error(what, names, results[0], other)
            raise ValueError("%s: %s must return the same structure, but %s returned %s and %s "
                             "returned %s" % (what, who, labels[0], _structure_text(results[0]),
                                              label, _structure_text(other)))
    for label, other in zip(labels[1:], results[1:]):
        for (path, a), b in zip(nest.flatten_with_paths(results[0]), nest.flatten(other)):
            problem = _composite_mismatch(a, b)
            if problem is not None:
                raise TypeError("%s: %s must return the same structure, but output %s is %s "
                                "in %s and %s in %s" % (what, who, _path_text(path) or "0",
                                                        _leaf_text(a), labels[0],
                                                        _leaf_text(b), label))
    leaves = [nest.flatten(r, expand_composites=True) for r in results]
    paths = [p for p, _ in _expanded_paths(results[0])]
    def where(i):
        if names is not None:
            return "%r%s" % (names[paths[i][0]], _path_text(paths[i][1:]))
        return "output %d" % i + (" (%s)" % _path_text(paths[i]) if paths[i] else "")

    sources = []  # per output: (label, dtype) of the first branch returning a tensor there
    for column in zip(*leaves):
        found = [(label, x.dtype) for label, x in zip(labels, column)
                 if _is_tensor_like(x) and x.dtype is not dtypes.variant]
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
                raise NoneInOneBranchError(
                    "%s: %s must return the same structure, but %s is %s in %s and %s in %s"
                    % (what, who, where(i), _leaf_text(leaves[0][i]), labels[0],
                       _leaf_text(original), label))
            if names is not None:  # TF's words for AutoGraph's `if`
                raise TypeError("%s: %s has dtype %s in the main branch, but dtype %s in the "
                                "else branch; both branches must give it one dtype: cast one "
                                "of them, e.g. autotrace.cast(..., autotrace.%s)"
                                % (what, where(i), first.dtype.name, x.dtype.name,
                                   first.dtype.name))
            raise TypeError("%s: %s must return the same dtypes, but %s is %s in %s and %s in "
                            "%s; cast one of them, e.g. autotrace.cast(..., autotrace.%s)"
                            % (what, who, where(i), first.dtype.name, labels[0], x.dtype.name,
                               label, first.dtype.name))
    return converted


class NoneInOneBranchError(TypeError, ValueError):
    """A branch gives None where another gives a tensor: the TypeError autotrace raises for
    a structure mismatch, and the ValueError TensorFlow raises ("... is None at the end of
    the else branch", "Lengths of branch outputs of cond must match")."""


def _variable_structure_error(what, names, main, other):
    """AutoGraph's `if`: the first variable whose structure differs between the branches, in
    TF's words (a TypeError, as TF's)."""
    for name, a, b in zip(names, main, other):
        if not _same_structure(a, b):
            return TypeError("%s: %r must have the same nested structure in the main and else "
                             "branches, but it is %s in the main (true) branch and %s in the "
                             "else branch" % (what, name, _structure_text(a),
                                              _structure_text(b)))
    return TypeError("%s: the branches give different structures: %s and %s"
                     % (what, _structure_text(main), _structure_text(other)))


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
    if gradient_expected([selector] + outer) and any(differentiable(t) for t in outer):
        exposed = expose_saved_values(graphs)
        if exposed:
            attrs = dict(attrs, exposed=exposed)
    stateless, stateful = opdefs
    opdef = stateful if any(g.stateful_ops for g in graphs) else stateless
    result = apply(opdef, [selector] + outer, attrs, name)
    it = iter(result if isinstance(result, list) else [])
    leaves = [None if out is None else next(it) for out in flat_outputs[0]]
    return nest.pack_sequence_as(structure, leaves, expand_composites=True)


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


def _gradient_form(*labels):
    """OpDef.gradient_form of If/Case: the op as a gradient replays it, exposing the values
    its branches must not recompute, on copies of the branches (the forward op keeps its
    own)."""
    def form(args, attrs):
        graphs = [g for label in labels for g in _as_list(attrs[label])]
        if attrs.get("exposed") or not any(saved_ops(g) for g in graphs) or \
                not any(differentiable(t) for t in args[1:]):
            return args, attrs
        copies = {label: ([copy_subgraph(g) for g in attrs[label]]
                          if isinstance(attrs[label], (list, tuple))
                          else copy_subgraph(attrs[label])) for label in labels}
        exposed = expose_saved_values([g for label in labels for g in _as_list(copies[label])])
        return args, dict(attrs, exposed=exposed, **copies)
    return form


def _branch_signatures(*labels):
    """OpDef.subgraph_signatures of If/Case: each branch takes the op's inputs after the
    selector and gives its outputs."""
    def signatures(op):
        takes = [(t.dtype, t.shape) for t in op.inputs[1:]]
        gives = [(t.dtype, t.shape) for t in op.outputs]
        return [(label, g, takes, gives) for label in labels for g in _as_list(op.attrs[label])]
    return signatures


def _if_kernel(runtime, pred, *inputs, then_branch, else_branch, exposed=0):
    return run_subgraph(runtime, then_branch if pred else else_branch, inputs)


def _if_infer(pred, *inputs, then_branch, else_branch, exposed=0):
    return [(t.dtype, t.shape.most_specific_compatible_shape(e.shape))
            for t, e in zip(then_branch.outputs, else_branch.outputs)]


_IF_OPTIONS = dict(uses_runtime=True, multi_output=True, inputs=("cond", "input"),
                   subgraphs=_listed_subgraphs("then_branch", "else_branch"),
                   rewrite_subgraphs=_rewrite("then_branch", "else_branch"), grad=if_grad,
                   gradient_form=_gradient_form("then_branch", "else_branch"), emit=emit_if,
                   subgraph_signatures=_branch_signatures("then_branch", "else_branch"))
STATELESS_IF = defop("StatelessIf", _if_kernel, _if_infer, **_IF_OPTIONS,
                     recompute=True)
IF = defop("If", _if_kernel, _if_infer, stateful=True, **_IF_OPTIONS,
           recompute=_recomputable_subgraphs("then_branch", "else_branch"))


class PredicateDTypeError(DTypeMismatchError, ValueError):
    """A predicate that is not a bool tensor: the DTypeMismatchError autotrace raises for a
    wrong dtype, and the ValueError TensorFlow raises for AutoGraph's conditions."""


def _check_pred(pred, what, statement=None):
    """The predicate of a graph cond / while_loop: a scalar bool tensor. `statement`
    ("if statement", "while loop"): AutoGraph's, whose errors quote TF's phrase."""
    pred = convert_to_tensor(pred)
    tf_words = "" if statement is None else (
        " (TensorFlow: \"condition of %s expected to be `tf.bool` scalar\")" % statement)
    if not pred.dtype.is_bool:
        raise PredicateDTypeError(
            "%s: the predicate must be a scalar bool tensor, got %s%s; compare first, e.g. "
            "x > 0" % (what, _tensor_text(pred), tf_words))
    if pred.shape.rank not in (0, None):
        raise InvalidShapeError(
            "%s: the predicate must be a scalar bool tensor, got %s%s; reduce it first, "
            "e.g. autotrace.reduce_all(...)" % (what, _tensor_text(pred), tf_words))
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
    pred = _check_pred(pred, what, None if where is None else "if statement")
    labels = ["true_fn", "false_fn"] if names is None else ["the true branch",
                                                            "the false branch"]
    who = "true_fn and false_fn" if names is None else "both branches"
    graphs, outputs, template = _trace_branches([true_fn, false_fn], labels, what, who,
                                                reconcile, names)
    return _branch_op((STATELESS_IF, IF), graphs, outputs, template, pred,
                      {"then_branch": graphs[0], "else_branch": graphs[1]}, name or "cond")


def _case_kernel(runtime, index, *inputs, branches, exposed=0):
    i = int(index)
    if not 0 <= i < len(branches):
        i = len(branches) - 1  # out of range: the default, which is the last branch
    return run_subgraph(runtime, branches[i], inputs)


def _case_infer(index, *inputs, branches, exposed=0):
    first = branches[0].outputs
    shapes = [t.shape for t in first]
    for g in branches[1:]:
        shapes = [s.most_specific_compatible_shape(t.shape) for s, t in zip(shapes, g.outputs)]
    return [(t.dtype, s) for t, s in zip(first, shapes)]


_CASE_OPTIONS = dict(uses_runtime=True, multi_output=True, inputs=("branch_index", "input"),
                     subgraphs=_listed_subgraphs("branches"),
                     rewrite_subgraphs=_rewrite("branches"), grad=case_grad,
                     gradient_form=_gradient_form("branches"), emit=emit_case,
                     subgraph_signatures=_branch_signatures("branches"))
STATELESS_CASE = defop("StatelessCase", _case_kernel, _case_infer, **_CASE_OPTIONS,
                       recompute=True)
CASE = defop("Case", _case_kernel, _case_infer, stateful=True, **_CASE_OPTIONS,
             recompute=_recomputable_subgraphs("branches"))


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
    from ..ops.debugging_ops import Assert
    from ..ops.manip_ops import concat, stack
    from ..ops.math_ops import argmax, cast, reduce_any, reduce_sum
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
