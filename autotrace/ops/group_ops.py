"""no_op and group: ops that only carry control dependencies."""
from ..core.context import state
from .registry import NO_GRADIENT, apply, defop

__all__ = ["no_op", "group"]


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
