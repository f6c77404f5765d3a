"""The reverse walk: gradients of targets with respect to sources over a list of ops.

The ops are records of executed ops (a GradientTape's, eagerly) or a graph's Operations (while
tracing, or a sub-graph being differentiated); either way each has `.opdef`, `.inputs`,
`.outputs` and `.attrs`, in program order. Each op's gradient rule, `opdef.grad(op, *grads)`,
is written with autotrace ops, so the walk computes numbers eagerly and builds graph ops
while tracing.

>>> import autotrace as tf
>>> x = tf.constant(3.0)
>>> with tf.GradientTape() as tape:
...     tape.watch(x)
...     y = x * x
>>> float(tape.gradient(y, x))
6.0
"""
from ..ops.registry import NO_GRADIENT

from ..ops.indexed_slices import IndexedSlices, aggregate_indexed_slices, densify

__all__ = ["backprop", "differentiable", "aggregate", "zeros_for"]


def differentiable(tensor):
    """Only floating-point (and complex) tensors carry gradients; integers, bools, strings
    do not (as TensorFlow). Resource handles (variables) and variant values (TensorArrays)
    carry the gradients of what they hold."""
    kind = tensor.dtype._kind
    if kind == "r":
        return _is_variable_handle(tensor)
    return kind in "fcv"


def _is_variable_handle(tensor):
    """A resource tensor that reaches a variable (not a dataset iterator's): a VarHandleOp,
    a placeholder standing for one in a sub-graph, or an eager handle."""
    op = getattr(tensor, "op", None)
    if op is None:
        return hasattr(tensor._value, "variable")
    return op.type == "Placeholder" or "variable" in op.attrs


def backprop(ops, seeds, wanted, aggregate, keep_sparse=False):
    """Gradients of the seeded tensors with respect to `wanted`, walking `ops` backwards.

    Args:
      ops: op records in program order.
      seeds: {id(tensor): initial gradient} for the targets.
      wanted: ids of the tensors whose gradients are asked for.
      aggregate: fn(list of gradients, tensor) -> their sum.
      keep_sparse: return IndexedSlices gradients (of gathers) as they are (GradientTape,
        as TF); otherwise they are densified (gradient graphs of control flow, functions).
    Returns {id(tensor): gradient} for the wanted tensors that received one.
    """
    pending = {tid: [g] for tid, g in seeds.items()}
    needed = _ops_between(ops, set(pending), wanted)
    for op in reversed(ops):
        if op not in needed:
            continue
        out_grads = [_sum(pending.pop(id(o), None), o, aggregate) for o in op.outputs]
        if all(g is None for g in out_grads):
            continue
        in_grads = _op_gradients(op, out_grads)
        for tensor, grad in zip(op.inputs, in_grads):
            if grad is not None and differentiable(tensor):
                pending.setdefault(id(tensor), []).append(grad)
    result = {tid: _sum(grads, None, aggregate) for tid, grads in pending.items()
              if tid in wanted}
    if not keep_sparse:
        result = {tid: _dense(g) for tid, g in result.items()}
    return result


# A gradient rule receives IndexedSlices as they are only when it passes its gradient through
# unchanged (to a variable or another tensor); every other rule gets a dense tensor.
_PASSES_INDEXED_SLICES = frozenset(["Identity", "ReadVariableOp"])


def _dense(grad):
    if isinstance(grad, IndexedSlices):
        return densify(grad)
    return grad


def _sum(grads, tensor, aggregate):
    if not grads:
        return None
    grads = [g for g in grads if g is not None]
    if not grads:
        return None
    return grads[0] if len(grads) == 1 else aggregate(grads, tensor)


def _ops_between(ops, target_ids, source_ids):
    """The ops on some path from a source to a target (others cannot carry gradient)."""
    reaches_source = set(source_ids)
    forward = set()
    for op in ops:
        if any(id(t) in reaches_source for t in op.inputs):
            forward.add(op)
            # Only values that can carry a gradient extend the path: an integer (a size,
            # an index) computed from a source does not.
            reaches_source.update(id(o) for o in op.outputs if differentiable(o))
    reaches_target = set(target_ids)
    needed = set()
    for op in reversed(ops):
        if op in forward and any(id(o) in reaches_target for o in op.outputs):
            needed.add(op)
            reaches_target.update(id(t) for t in op.inputs)
    return needed


def _op_gradients(op, out_grads):
    rule = op.opdef.grad
    if rule is NO_GRADIENT:
        return [None] * len(op.inputs)
    if rule is None:
        raise LookupError(
            "No gradient is defined for op type %s (op %s); it cannot be differentiated. "
            "Wrap the computation in autotrace.stop_gradient if no gradient should flow "
            "through it." % (op.opdef.type, getattr(op, "name", op.opdef.type)))
    if op.opdef.type not in _PASSES_INDEXED_SLICES:
        out_grads = [_dense(g) for g in out_grads]
    out_grads = _fill_missing(op, out_grads)
    grads = rule(op, *out_grads)
    if not isinstance(grads, (list, tuple)):
        grads = [grads]
    if len(grads) != len(op.inputs):
        raise ValueError("The gradient rule of %s returned %d gradients for %d inputs"
                         % (op.opdef.type, len(grads), len(op.inputs)))
    return grads


def _fill_missing(op, out_grads):
    """An op with several outputs, only some of which have gradients: zeros for the rest."""
    if len(out_grads) == 1 or all(g is not None for g in out_grads):
        return out_grads
    from ..ops.array_ops import zeros_like
    return [g if g is not None else (zeros_like(o) if differentiable(o) and
                                     o.dtype._kind in "fc" else None)
            for g, o in zip(out_grads, op.outputs)]


def aggregate(grads, tensor):
    """The sum of several gradients reaching one tensor: AddN, or for TensorArray gradients
    (variant tensors) an element-by-element sum of the lists; IndexedSlices (gathers'
    gradients) are concatenated, or densified when mixed with dense gradients."""
    if any(isinstance(g, IndexedSlices) for g in grads):
        return aggregate_indexed_slices(grads)
    if grads[0].dtype._kind == "v":
        from ..ops import tensor_array_ops
        return tensor_array_ops.aggregate_lists(grads)
    from ..ops import math_ops
    return math_ops.add_n(grads)


def zeros_for(tensor):
    """A zero gradient for `tensor`: zeros like it; for a variable handle, zeros of the
    variable's value; for a TensorArray flow, an empty gradient list (all zeros)."""
    kind = tensor.dtype._kind
    if kind == "r":
        from ..ops.array_ops import zeros
        from ..ops.state_ops import variable_of
        variable = variable_of(tensor)
        return zeros(variable.shape.as_list(), variable.dtype)
    if kind == "v":
        from ..ops import tensor_array_ops
        return tensor_array_ops.zeros_list()
    from ..ops.array_ops import zeros_like
    return zeros_like(tensor)
