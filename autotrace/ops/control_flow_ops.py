"""Control flow: cond, case, switch_case and while_loop, plus no_op and group.

Executing eagerly they are plain Python (one branch runs; the loop runs). While a graph is
being built, each branch or loop body is traced into its own sub-graph, so BOTH branches are
traced, and the op holds the sub-graphs: `StatelessIf`/`If`, `StatelessCase`/`Case`,
`StatelessWhile`/`While` (the stateful forms when a sub-graph has side effects). What a
sub-graph uses from the enclosing graph (tensors, variable handles) becomes an extra input of
the op.

>>> import autotrace as tf
>>> tf.cond(tf.constant(3) > 2, lambda: "big", lambda: "small")
'big'
>>> tf.while_loop(lambda i: i < 10, lambda i: i * 2, [1])
[<autotrace.Tensor: shape=(), dtype=int32, numpy=16>]
"""
from ..context import state
from .cond_ops import case, cond, cond_with, switch_case  # noqa: F401  (re-exported API)
from .registry import NO_GRADIENT, apply, defop
from .while_ops import while_loop  # noqa: F401

__all__ = ["no_op", "group", "cond", "case", "switch_case", "while_loop"]


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
