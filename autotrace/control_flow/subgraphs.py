"""Shared by the control-flow ops: tracing branches and loop bodies into sub-graphs, the
op hooks for sub-graphs (printing, optimising), running a sub-graph, and describing values in
error messages."""
from ..core import nest
from ..core.context import graph_mode, state
from ..core.func_graph import FuncGraph
from ..core.graph import Operation, signature_text
from ..core.tensor import SymbolicTensor, Tensor
from ..autodiff.tape import recorded
from ..ops.constant_op import convert_to_tensor
from ..core.type_spec import CompositeTensor


# -- tracing sub-graphs ------------------------------------------------------------------------

class BranchGraph(FuncGraph):
    """A cond branch or loop body. A Variable used here is reached through the enclosing
    graph's handle, captured as an input of the branch: so the function (or compat.v1 graph)
    holding the cond knows the variable (ConcreteFunction.variables), and gradients flow out
    through the op's input."""

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


def gradient_expected(inputs):
    """Will the gradient of the control-flow op about to be built over `inputs` be asked?
    When an active GradientTape records it, or in a TF-1 graph (compat.v1.gradients walks it
    later). Then the op is built with what its gradient needs; gradients replay the ops they
    differentiate in that form (OpDef.gradient_form). A graph is never edited afterwards."""
    if recorded(inputs):
        return True
    graph = state.graph
    return graph is not None and not graph.is_function_graph


def _func_graph(name):
    return BranchGraph(name, outer_graph=state.graph)


def _as_output(value):
    """A branch/body output leaf as a tensor of the sub-graph being built (state.graph): outer
    tensors are captured, Variables read, Python values converted; None stays None, and so
    does an op (as for the outputs of a traced function)."""
    if value is None or isinstance(value, Operation):
        return None
    if not isinstance(value, Tensor) and not hasattr(value, "_as_tensor"):
        value = convert_to_tensor(value)
    return state.graph.graph_tensor(value)


def _is_tensor_like(value):
    return isinstance(value, Tensor) or hasattr(value, "_as_tensor")


def _expanded_paths(structure):
    """(path, leaf) per flat component: a composite's components share its path."""
    out = []
    for path, leaf in nest.flatten_with_paths(structure):
        if isinstance(leaf, CompositeTensor):
            out += [(path, part) for part in nest.flatten(leaf, expand_composites=True)]
        else:
            out.append((path, leaf))
    return out


def _composite_mismatch(a, b):
    """None if two leaves at one place of two structures may share components, else why."""
    a_spec, b_spec = (getattr(x, "_type_spec", None) if isinstance(x, CompositeTensor)
                      else None for x in (a, b))
    if a_spec is None and b_spec is None:
        return None
    if a_spec is None or b_spec is None or a_spec.most_specific_common_supertype(
            [b_spec]) is None and type(a_spec) is not type(b_spec):
        return "%s and %s" % (_leaf_text(a), _leaf_text(b))
    if len(a_spec._flat_tensor_specs()) != len(b_spec._flat_tensor_specs()):
        return "%s and %s" % (_leaf_text(a), _leaf_text(b))
    return None


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
                     g.add_placeholder(t.dtype, t.shape, t.op.name.rsplit("/", 1)[-1]) for t in outer]
        g.inputs = args + inner
        g.put_inputs_first()
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
                singular = label[:-2] if label.endswith("es") else label
                found += [("%s %d%s" % (singular, i, signature_text(g)), g)
                          for i, g in enumerate(value)]
            else:
                found.append((label + signature_text(value), value))
        return found
    return subgraphs


def _recomputable_subgraphs(*labels):
    """OpDef.recompute for a stateful If/Case/While: it may be re-run by a gradient when all
    its sub-graphs' side effects may be (e.g. only TensorArray writes, which are pure)."""
    def rule(attrs):
        from ..ops.registry import recomputable
        graphs = [g for label in labels for g in (
            attrs[label] if isinstance(attrs[label], (list, tuple)) else [attrs[label]])]
        return all(recomputable(op) for g in graphs for op in g.stateful_ops)
    return rule


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
    if isinstance(value, CompositeTensor):
        return "%s %s" % (_a(getattr(value, "dtype", None) and value.dtype.name or ""),
                          type(value).__name__) if getattr(value, "dtype", None) else \
            _a(type(value).__name__)
    return _structure_text(value)


def _path_text(path):
    return "".join("[%r]" % (k,) for k in path)


def _same_structure(a, b):
    try:
        nest.assert_same_structure(a, b, check_types=False)
    except (ValueError, TypeError):
        return False
    return True


def _flatten_loop_vars(loop_vars):
    """Flat tensors of a loop-var structure: composites (RaggedTensor, TensorArray, ...)
    contribute their components."""
    return nest.flatten(loop_vars, expand_composites=True)


def _pack_loop_vars(structure, flat):
    """Rebuild the loop-var structure from flat tensors (composites from new components)."""
    return nest.pack_sequence_as(structure, list(flat), expand_composites=True)
