"""The graph verifier: a graph checks what it records against what its ops say.

`verify(graph)` (also `graph.verify()`) raises GraphVerificationError (an InternalError) naming
the op and what disagrees, when:
- order: an op uses a tensor of another graph, or of an op not listed before it (the list is in
  topological order), or op ids do not increase along the list, or two ops share a name;
- types: an op's shape/dtype rule, run again on its inputs, gives other dtypes, another number
  of outputs, or shapes incompatible with the recorded ones (a recorded shape may be more
  specific: `set_shape` refines it);
- sub-graphs: an op holding sub-graphs (cond branches, a loop's cond and body) does not pass
  each the inputs it takes or get back the outputs it gives (`OpDef.subgraph_signatures`);
  each sub-graph is verified in turn;
- function graphs: inputs that are not placeholders of the graph, outputs of another graph,
  side effects missing from `stateful_ops`.

With `autotrace.config.check_generated_code(True)` (on in the test suite) every function is
verified after tracing and optimisation and after gradients are built.

>>> import autotrace as tf
>>> @tf.function
... def f(x):
...     return x * 2.0
>>> f.get_concrete_function(tf.TensorSpec([3])).graph.verify()
"""
from .errors import InternalError
from .tensor_shape import TensorShape

__all__ = ["verify", "GraphVerificationError"]


class GraphVerificationError(InternalError):
    """A graph broke one of its invariants (see autotrace/core/verifier.py)."""


def verify(graph):
    """Check `graph` (and its sub-graphs); raise GraphVerificationError on the first problem."""
    seen, last_id = set(), -1
    for op in graph.get_operations():
        _check_order(graph, op, last_id, seen)
        _check_types(op)
        _check_subgraphs(op)
        seen.add(op)
        last_id = op._id
    if getattr(graph, "is_function_graph", False):
        _check_function_graph(graph, seen)


def _fail(graph, op, message):
    where = "op %r of graph %r" % (op.name, graph.name) if op is not None else \
        "graph %r" % graph.name
    raise GraphVerificationError("%s: %s" % (where, message), op=op)


def _check_order(graph, op, last_id, seen):
    if op.graph is not graph:
        _fail(graph, op, "it belongs to graph %r" % op.graph.name)
    if op._id <= last_id:  # ids sort ops in program order (the interpreter relies on it)
        _fail(graph, op, "its id %d does not follow the previous op's %d" % (op._id, last_id))
    if graph._ops_by_name.get(op.name) is not op:
        _fail(graph, op, "its name is not indexed to it (a duplicate name?)")
    for t in op.inputs:
        if t.op.graph is not graph:
            _fail(graph, op, "input %s belongs to graph %r" % (t.name, t.op.graph.name))
        if t.op not in seen:
            _fail(graph, op, "input %s is computed after it (not topological order)" % t.name)
    for c in op.control_inputs:
        if c not in seen:
            _fail(graph, op, "control input %s comes after it" % c.name)


def _check_types(op):
    graph = op.graph
    try:
        specs = op.opdef.output_specs(op.inputs, op.attrs)
    except Exception as exc:  # the rule itself refuses the recorded inputs
        _fail(graph, op, "its shape rule fails on its inputs: %s" % exc)
    if len(specs) != len(op.outputs):
        _fail(graph, op, "its shape rule gives %d outputs, the op has %d"
              % (len(specs), len(op.outputs)))
    for out, (dtype, shape) in zip(op.outputs, specs):
        if out.op is not op or op.outputs[out.value_index] is not out:
            _fail(graph, op, "output %s does not point back to it" % out.name)
        if out.dtype is not dtype:
            _fail(graph, op, "output %s is recorded as %s, its rule gives %s"
                  % (out.name, out.dtype.name, dtype.name))
        if not out.shape.is_compatible_with(shape):
            _fail(graph, op, "output %s is recorded with shape %s, its rule gives %s"
                  % (out.name, out.shape, shape))


def _check_subgraphs(op):
    signatures = op.opdef.subgraph_signatures
    if signatures is None:
        return
    for label, sub, takes, gives in signatures(op):
        _check_signature(op, label, "takes", sub.inputs, takes)
        _check_signature(op, label, "gives", sub.outputs, gives)
        verify(sub)


def _check_signature(op, label, verb, tensors, specs):
    if len(tensors) != len(specs):
        _fail(op.graph, op, "its %s %s %d tensors, the op expects %d"
              % (label, verb, len(tensors), len(specs)))
    for i, (t, (dtype, shape)) in enumerate(zip(tensors, specs)):
        shape = TensorShape(shape)
        if t.dtype is not dtype or not t.shape.is_compatible_with(shape):
            _fail(op.graph, op, "its %s %s %s%s as its %s %d, the op expects %s%s"
                  % (label, verb, t.dtype.name, t.shape.short(),
                     "input" if verb == "takes" else "output", i, dtype.name,
                     shape.short()))


def _check_function_graph(graph, ops):
    for t in graph.inputs:
        if t.op not in ops or t.op.type != "Placeholder":
            _fail(graph, None, "input %s is not a placeholder of the graph" % t.name)
    for t in graph.outputs:
        if t.op not in ops:
            _fail(graph, None, "output %s is not a tensor of the graph" % t.name)
    listed = set(graph.stateful_ops)
    for op in graph.get_operations():
        if op.stateful and op not in listed:
            _fail(graph, op, "it has side effects but is not in stateful_ops")
