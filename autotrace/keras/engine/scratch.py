"""Running code on KerasTensors: each becomes a placeholder of a throwaway graph, the code
runs there (layers convert their `call` with AutoGraph, as in any traced function), and the
symbolic results come back as KerasTensors (shape and dtype; no value is ever computed).
Weights made meanwhile are created eagerly (symbolic_scope), so they outlive the graph."""
from ...core import nest
from ...core.graph import Graph
from ...ops.array_ops import PLACEHOLDER
from ...ops.registry import apply
from ...core.tensor import SymbolicTensor
from ...core.tensor_shape import TensorShape
from ...core import dtypes
from .keras_tensor import KerasTensor, is_symbolic
from .state import symbolic_scope

__all__ = ["run_symbolically", "placeholder_for", "keras_tensor_for"]


def placeholder_for(kt):
    """A placeholder with the KerasTensor's shape and dtype (its mask too, if it has one)."""
    t = apply(PLACEHOLDER, (), {"dtype": dtypes.as_dtype(kt.dtype),
                                "shape": TensorShape(list(kt.shape))}, "keras_input")
    mask = getattr(kt, "_keras_mask", None)
    if mask is not None:
        t._keras_mask = placeholder_for(mask)
    return t


def keras_tensor_for(value):
    """A graph result as a KerasTensor (other values pass through)."""
    if not isinstance(value, SymbolicTensor):
        return value
    kt = KerasTensor(tuple(value.shape.as_list()) if value.shape.rank is not None else (),
                     value.dtype.name)
    mask = getattr(value, "_keras_mask", None)
    if isinstance(mask, SymbolicTensor):
        kt._keras_mask = keras_tensor_for(mask)
    return kt


def run_symbolically(fn, args=(), kwargs=None):
    """fn(*args, **kwargs) with KerasTensors standing for tensors; KerasTensor results."""
    graph = Graph("keras_symbolic_call")
    with graph.as_default(), symbolic_scope():
        fill = lambda x: placeholder_for(x) if is_symbolic(x) else x  # noqa: E731
        outputs = fn(*nest.map_structure(fill, list(args)),
                     **nest.map_structure(fill, dict(kwargs or {})))
    return nest.map_structure(keras_tensor_for, outputs)
