"""Control flow: cond, case, switch_case, while_loop and map_fn; numpy_function and py_function.

Each control-flow op keeps its parts in this package: the op and its API (`cond_ops`,
`while_ops`, `map_ops`, `script_ops`), the tracing of its sub-graphs (`subgraphs`), its
gradient (`cond_grad`, `while_grad`) and its code emitter (`codegen`).

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
[<tf.Tensor: shape=(), dtype=int32, numpy=16>]
"""
from .cond_ops import case, cond, cond_with, switch_case
from .map_ops import map_fn
from .script_ops import numpy_function, py_function
from .while_ops import while_loop

__all__ = ["cond", "case", "switch_case", "while_loop", "map_fn", "numpy_function",
           "py_function"]
