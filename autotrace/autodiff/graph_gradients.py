"""Gradients of a graph's tensors by walking the graph itself (TF-1's tf.gradients): used by
the compat.v1 API, where there is no tape, only the graph."""
from ..core import nest
from ..core.context import process, state
from ..ops import array_ops
from ..ops.constant_op import convert_to_tensor
from .backprop import aggregate, backprop

__all__ = ["gradients"]


def gradients(ys, xs, grad_ys=None, name="gradients"):
    """d(sum of ys)/d(xs) for tensors (or variables) of the graph being built; a list with
    one gradient (or None) per x."""
    graph = state.graph
    if graph is None:
        raise RuntimeError("gradients() walks a graph: call it while building one (or use "
                           "GradientTape when executing eagerly)")
    ys = [convert_to_tensor(y) for y in nest.flatten(ys)]
    xs_list = nest.flatten(xs)
    sources = [graph.variable_handle(x) if getattr(x, "_autotrace_variable", False) else x
               for x in xs_list]
    weights = nest.flatten(grad_ys) if grad_ys is not None else [None] * len(ys)
    seeds = {}
    with graph.name_scope(name):
        for y, w in zip(ys, weights):
            seed = array_ops.ones_like(y) if w is None else convert_to_tensor(w, y.dtype)
            seeds[id(y)] = seed if id(y) not in seeds else aggregate([seeds[id(y)], seed], y)
        got = backprop(graph.get_operations(), seeds, {id(s) for s in sources},
                       aggregate)
    if process.check_generated_code:
        graph.verify()
    return [got.get(id(s)) for s in sources]
