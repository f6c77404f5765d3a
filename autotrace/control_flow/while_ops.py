"""while_loop: cond and body traced into sub-graphs, held by one While op."""
import inspect
import re

from ..core import dtypes, nest
from ..core.context import graph_mode, state
from ..core.errors import DTypeMismatchError, InvalidShapeError
from ..core.tensor import SymbolicTensor, Tensor
from ..core.tensor_shape import TensorShape
from ..core.type_spec import CompositeTensor, TypeSpec
from ..ops.constant_op import ConversionError, convert_to_tensor
from .cond_ops import _adopt, _check_callable, _check_pred, _known_truth
from .subgraphs import (_a, gradient_expected, _as_output, _composite_mismatch, _expanded_paths, _finish,
                        _leaf_text, _flatten_loop_vars, _listed_subgraphs,
                        _pack_loop_vars, _path_text, _recomputable_subgraphs, _rewrite,
                        _same_structure, _structure_text, _tensor_text, _trace, _unify_captures,
                        run_subgraph)
from ..autodiff.replay import copy_subgraph
from ..ops.registry import apply, defop
from .accumulators import accumulate, initial_accumulators, needs_accumulators
from .codegen import emit_while
from .while_grad import while_grad
from .while_layout import WhileLayout


# -- while_loop --------------------------------------------------------------------------------

def _while_kernel(runtime, *inputs, cond, body, n_vars, has_max, stacks=0):
    layout = WhileLayout.of_counts(n_vars, has_max, stacks)
    values = layout.loop_vars(inputs)
    captured = layout.captures(inputs)
    limit = None if not has_max else int(layout.max_iterations(inputs))
    count = 0
    while limit is None or count < limit:
        if not run_subgraph(runtime, cond, values + captured)[0]:
            break
        values = run_subgraph(runtime, body, values + captured)
        count += 1
    return values


def _while_infer(*inputs, cond, body, n_vars, has_max, stacks=0):
    return [(ph.dtype, ph.shape) for ph in body.inputs[:n_vars]]


def _signatures(op):
    """OpDef.subgraph_signatures of While: cond and body take the loop variables and the
    captures; the body gives the loop variables, the cond a bool scalar."""
    takes = [(t.dtype, t.shape) for t in WhileLayout.of(op).subgraph_args(op.inputs)]
    loop_vars = [(t.dtype, t.shape) for t in op.outputs]
    return [("cond", op.attrs["cond"], takes, [(dtypes.bool, [])]),
            ("body", op.attrs["body"], takes, loop_vars)]


def _gradient_form(args, attrs):
    """The op as a gradient replays it: accumulating, on copies of its cond and body (the
    forward op keeps its own)."""
    layout = WhileLayout.from_attrs(attrs)
    if layout.accumulating or not needs_accumulators(layout.subgraph_args(args)):
        return args, attrs
    cond, body = copy_subgraph(attrs["cond"]), copy_subgraph(attrs["body"])
    grown = accumulate(cond, body, layout)
    stacks, counter = initial_accumulators(grown)
    args = grown.inputs(layout.own_vars(args), layout.captures(args),
                        layout.max_iterations(args), stacks, counter)
    return args, dict(attrs, cond=cond, body=body, **grown.attrs())


_WHILE_OPTIONS = dict(uses_runtime=True, multi_output=True, inputs=("input",),
                      subgraphs=_listed_subgraphs("cond", "body"),
                      rewrite_subgraphs=_rewrite("cond", "body"), grad=while_grad,
                      gradient_form=_gradient_form, emit=emit_while,
                      subgraph_signatures=_signatures)
STATELESS_WHILE = defop("StatelessWhile", _while_kernel, _while_infer, **_WHILE_OPTIONS,
                        recompute=True)
WHILE = defop("While", _while_kernel, _while_infer, stateful=True, **_WHILE_OPTIONS,
              recompute=_recomputable_subgraphs("cond", "body"))


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


def _align_body_result(structure, new, what="while_loop", names=None):
    """The body's result in the structure of loop_vars, or a ValueError (with AutoGraph's
    `names`, a TypeError naming the variable, as TF's). With one loop variable the body may
    return it bare."""
    if len(structure) == 1 and not _same_structure(list(structure), new) and \
            _same_structure(structure[0], new):
        new = [new]
    if not isinstance(new, (list, tuple)) or not _same_structure(list(structure), list(new)):
        if names is not None and isinstance(new, (list, tuple)) and len(new) == len(names):
            for name, before, after in zip(names, structure, new):
                if not _same_structure(before, after):
                    raise TypeError(
                        "%s: %r does not have the same nested structure after one "
                        "iteration: it enters the loop as %s and the body gives it %s"
                        % (what, name, _structure_text(before), _structure_text(after)))
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
    if value is None or isinstance(value, (CompositeTensor, Tensor)):
        return value
    return convert_to_tensor(value)


def _loop_var_labels(structure, single, names=None):
    """`loop_vars[0]['a']` for each flat loop variable (`loop_vars` for a bare one); with
    AutoGraph's `names`, the Python name: `'x'`, `'d'['a']`."""
    labels = []
    for path, _ in _expanded_paths(list(structure)):
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


def _placeholder_names(names):
    return [re.sub(r"\W+", "", n.replace("<loop index>", "index")) or "arg" for n in names]


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
        if names is not None and len(names) == len(flat):  # AutoGraph: the user's variables
            arg_names = (_placeholder_names(names),) * 2
        else:
            arg_names = _param_names(cond, len(flat)), _param_names(body, len(flat))
    cond_graph, pred = _trace(lambda *a: _call_loop_fn(cond, list(a)), "while_cond", specs,
                              structure, arg_names[0])
    with graph_mode(cond_graph):  # checked before the body is traced: its error comes first
        pred = _check_pred(_as_output(pred), "while_loop cond" if where is None else
                           "the condition of the loop at %s" % where,
                           None if where is None else "while loop")
    body_graph, new = _trace(lambda *a: _call_loop_fn(body, list(a)), "while_body", specs,
                             structure, arg_names[1])
    new = _align_body_result(structure, new, what, names)
    _check_composites(structure, new, labels, what)
    _check_composite_shapes(structure, new, invariants, what, names)
    new_flat = _body_outputs(body_graph, new, flat, invariants, labels, what, names)
    _finish(cond_graph, [pred])
    _finish(body_graph, new_flat)
    outer = _unify_captures([cond_graph, body_graph])
    layout = WhileLayout(len(flat), maximum_iterations is not None)
    limit = _max_iterations(maximum_iterations, False) if layout.has_max else None
    stacks, counter = (), None
    if gradient_expected(flat + outer) and needs_accumulators(flat + outer):
        layout = accumulate(cond_graph, body_graph, layout)
        stacks, counter = initial_accumulators(layout)
    opdef = WHILE if (cond_graph.stateful_ops or body_graph.stateful_ops) else STATELESS_WHILE
    out = apply(opdef, layout.inputs(flat, outer, limit, stacks, counter),
                dict(cond=cond_graph, body=body_graph, **layout.attrs()), name)
    return _pack_loop_vars(structure, out[:layout.n_own])


def _invariants(structure, single, flat, labels, shape_invariants, what):
    """One TensorShape per flat loop variable: its own shape, or the one given. A composite
    (RaggedTensor, ...) may change the sizes its spec leaves open (e.g. a ragged tensor's
    number of values); a TypeSpec given as its invariant relaxes more."""
    if shape_invariants is None:
        return _composite_invariants(structure, [t.shape for t in flat])
    given = [shape_invariants] if single else shape_invariants
    if not nest.is_nested(given) and len(flat) == 1:
        given = [given]
    if not nest.is_nested(given) or not _same_structure(list(structure), list(given)):
        raise ValueError("%s: shape_invariants must have the structure of loop_vars, with a "
                         "TensorShape (or None) for each tensor, but loop_vars is %s and "
                         "shape_invariants is %s" % (what, _structure_text(structure),
                                                     _structure_text(shape_invariants)))
    given_flat = []
    for value, inv in zip(nest.flatten(list(structure)), nest.flatten(list(given))):
        if isinstance(value, CompositeTensor):
            specs = (inv if isinstance(inv, TypeSpec) else value._type_spec)._flat_tensor_specs()
            given_flat += [s.shape for s in specs]
        else:
            given_flat.append(inv)
    shapes = []
    for label, t, s in zip(labels, flat, given_flat):
        s = t.shape if s is None else TensorShape(s)
        if not t.shape.is_subtype_of(s):
            raise ValueError("%s: %s enters the loop with shape %s, which does not fit its "
                             "shape invariant %s" % (what, label, t.shape, s))
        shapes.append(s)
    return shapes


def _composite_invariants(structure, shapes):
    """Component shapes relaxed to what each composite's spec leaves open."""
    out, index = [], 0
    for value in nest.flatten(list(structure)):
        if isinstance(value, CompositeTensor):
            for spec in value._type_spec._flat_tensor_specs():
                out.append(shapes[index].most_specific_compatible_shape(spec.shape)
                           if spec.shape.rank is not None else spec.shape)
                index += 1
        else:
            out.append(shapes[index])
            index += 1
    return out


def _check_composites(structure, new, labels, what):
    for (path, before), after in zip(nest.flatten_with_paths(list(structure)),
                                     nest.flatten(list(new))):
        problem = _composite_mismatch(before, after)
        if problem is not None:
            raise TypeError("%s: loop_vars%s enters the loop as %s but body returns %s"
                            % (what, _path_text(path), _leaf_text(before), _leaf_text(after)))


def _check_composite_shapes(structure, new, invariants, what, names):
    """A composite whose components outgrow their invariants (e.g. a ragged tensor gaining
    rows) is explained in its own terms, with the TypeSpec that lets it change."""
    index = 0
    for (path, before), after in zip(nest.flatten_with_paths(list(structure)),
                                     nest.flatten(list(new))):
        if not isinstance(before, CompositeTensor):
            index += 1
            continue
        parts = nest.flatten(after, expand_composites=True)
        shapes = invariants[index:index + len(parts)]
        index += len(parts)
        if all(p.shape.is_subtype_of(s) for p, s in zip(parts, shapes)):
            continue
        relaxed = before._type_spec.most_specific_common_supertype([after._type_spec])
        label = ("%r%s" % (names[path[0]], _path_text(path[1:])) if names is not None
                 else "loop_vars" + _path_text(path))
        fix = ("set_loop_options(shape_invariants=[(%s, %r)])" % (label.strip("'"), relaxed)
               if names is not None else "shape_invariants with %r for %s" % (relaxed, label))
        raise ValueError("%s: %s is %s before the loop but %s after one iteration; to let it "
                         "change so, pass %s" % (what, label, before._type_spec.short(),
                                                 after._type_spec.short(), fix))


def _body_outputs(body_graph, new, flat, invariants, labels, what, names=None):
    """The body's flat outputs as tensors of the body graph, checked against the loop vars."""
    outs = []
    with graph_mode(body_graph):
        for label, v, t in zip(labels, _flatten_loop_vars(new), flat):
            if v is None:
                if names is not None:  # TF's words for AutoGraph's loops
                    raise ValueError("%s: %s is None at the end of the iteration; a graph "
                                     "loop carries tensors, so the body must give every "
                                     "loop variable one" % (what, label))
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
            if names is not None:  # TF's words for AutoGraph's loops
                raise TypeError("%s: %s has dtype %s before the loop, but dtype %s after one "
                                "iteration; a loop variable must keep its dtype (cast in the "
                                "body, or start with a %s value)"
                                % (what, label, before.dtype.name, out.dtype.name,
                                   out.dtype.name))
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
            if names is not None and inv == before.shape:  # TF's words for AutoGraph
                raise ValueError(
                    "%s: %s has shape %s before the loop, but shape %s after one iteration. "
                    "A loop variable must keep its shape; to let it change, %s (None marks a "
                    "dimension that may change)" % (what, label, inv, out.shape, fix))
            if names is not None:
                raise ValueError(
                    "%s: %s has shape %s after one iteration, which does not conform with the "
                    "shape invariant %s; to let it change so, %s" % (what, label, out.shape,
                                                                     inv, fix))
            raise ValueError(
                "%s: %s enters the loop with %s but body returns shape %s. A loop variable "
                "must keep its shape; to let it change, %s (None marks a dimension that may "
                "change)" % (what, label, entered, out.shape, fix))
    return outs
