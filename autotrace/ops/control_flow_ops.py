"""Control-flow ops. `no_op` and `group` here; cond and while_loop arrive with tracing.

>>> import autotrace as tf
>>> g = tf.Graph()
>>> with g.as_default():
...     a = tf.Variable(1.0, name="a")
...     both = tf.group(a.assign(2.0), a.assign_add(1.0))
>>> both.type
'NoOp'
"""
from ..context import state
from .registry import NO_GRADIENT, apply, defop

__all__ = ["no_op", "group"]


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
