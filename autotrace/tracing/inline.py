"""A ConcreteFunction called while another graph is being built (inside an
autotrace.function, a cond branch, a loop body): its graph's ops are added to the graph
being built, as TensorFlow inlines the function it calls. Gradient tapes record them like
any op; stateful ops keep their order; variables are reached through the calling graph's
handles.

>>> import autotrace as tf
>>> @tf.function
... def double(x):
...     return x * 2.0
>>> cf = double.get_concrete_function(tf.TensorSpec([2]))
>>> @tf.function
... def outer(x):
...     return cf(x) + 1.0
>>> outer(tf.constant([1.0, 2.0])).numpy()
array([3., 5.], dtype=float32)
"""
from ..core import dtypes, nest
from ..core.context import state
from ..core.tensor import SymbolicTensor, Tensor
from ..core.tensor_shape import TensorSpec
from ..core.type_spec import CompositeTensor
from ..control_flow.subgraphs import gradient_expected
from ..execution.passes import optimize_subgraph
from ..ops.constant_op import convert_to_tensor
from ..ops.registry import apply
from .signature import describe_key, is_tensor_key, key_and_leaves, key_fits

__all__ = ["call_in_graph", "symbolic_key"]


def symbolic_key(values):
    """The signature key of argument values that may be symbolic tensors (they count as
    TensorSpecs of their dtype and shape)."""
    def as_spec(v):
        if isinstance(v, SymbolicTensor):
            return TensorSpec(v.shape, v.dtype)
        if isinstance(v, CompositeTensor):
            return v._type_spec
        return v
    return key_and_leaves([nest.map_structure(as_spec, v) for v in values])[0]


def call_in_graph(cf, values):
    """`cf` applied to per-parameter `values` in the graph being built; returns its
    outputs in their structure."""
    tensors = []
    for name, value, traced in zip(cf._spec.names, values, cf._key):
        tensors.extend(_argument_tensors(cf, name, value, traced))
    outputs = inline_graph(cf.graph, tensors)
    if cf._single_output:
        return outputs[0]
    return cf._pack_values(iter(outputs))


def _argument_tensors(cf, name, value, traced):
    if is_tensor_key(traced):
        dtype = dtypes.as_dtype(traced[0])
        try:
            tensor = value if isinstance(value, Tensor) else convert_to_tensor(value, dtype)
        except (TypeError, ValueError):
            tensor = None
        if tensor is None or tensor.dtype is not dtype or \
                not tensor.shape.is_compatible_with(traced[1]):
            raise TypeError("ConcreteFunction %s: argument %s was traced as %s but the call "
                            "passed %s" % (cf.name, name, describe_key(traced),
                                           describe_key(symbolic_key([value])[0])))
        return [tensor]
    key = symbolic_key([value])[0]
    if not key_fits(key, traced):
        raise TypeError("ConcreteFunction %s: argument %s was traced as %s but the call passed "
                        "%s" % (cf.name, name, describe_key(traced), describe_key(key)))
    return [convert_to_tensor(v) for v in nest.flatten(value, expand_composites=True)
            if isinstance(v, Tensor) or hasattr(v, "__array__")]


def inline_graph(graph, inputs):
    """Add the ops of `graph` to the graph being built, its placeholders standing for
    `inputs`; returns the tensors of its outputs."""
    values = {id(ph): t for ph, t in zip(graph.inputs, inputs)}
    ops = {}
    for op in graph.get_operations():
        if op.type == "Placeholder":
            if id(op.outputs[0]) not in values:
                raise ValueError("graph %r has a placeholder %r that is not one of its inputs"
                                 % (graph.name, op.name))
            continue
        if op.type == "VarHandleOp":  # the calling graph's handle of the same variable
            values[id(op.outputs[0])] = op.attrs["variable"].variable.handle
            continue
        args, attrs = [values[id(t)] for t in op.inputs], op.attrs
        if op.opdef.rewrite_subgraphs is not None:  # the caller's op owns copies
            attrs = op.opdef.rewrite_subgraphs(attrs, optimize_subgraph)
        if op.opdef.gradient_form is not None and gradient_expected(args):
            args, attrs = op.opdef.gradient_form(args, attrs)  # e.g. a loop that accumulates
        controls = [ops[c] for c in op.control_inputs if c in ops]
        with state.graph.control_dependencies(controls):
            result = apply(op.opdef, args, attrs, op.name)
        new_op = _op_of(result)
        if new_op is not None:
            ops[op] = new_op
            for old, new in zip(op.outputs, new_op.outputs):
                values[id(old)] = new
    return [values[id(t)] for t in graph.outputs]


def _op_of(result):
    if isinstance(result, list):
        return result[0].op if result else None
    return getattr(result, "op", result)
