"""The table of XLA lowerings, keyed by op type (filled by the lower_* modules, which import
JAX; this module does not, so the table's shape can be read without it).

A lowering is `fn(lw, op, *inputs) -> output` (a list of outputs for multi-output ops): it
computes the op on JAX values while jax.jit traces the graph. `lw` is the Lowering in
progress (variables, random streams, the enclosing loop); `op` the Operation, for its
attributes and static output shapes; inputs are JAX arrays, NumPy values (known when the
function is compiled: constants and what is computed from them, shapes of traced values), or
the pytrees of autotrace.jit.values.
"""

__all__ = ["LOWERINGS", "lowering", "table_rows"]

LOWERINGS = {}


def lowering(*op_types):
    """Register the decorated function as the lowering of `op_types`."""
    def register(fn):
        for t in op_types:
            if t in LOWERINGS:
                raise ValueError("op type %r has two XLA lowerings" % t)
            LOWERINGS[t] = fn
        return fn
    return register


def table_rows(rows, make):
    """Register `make(row_value)` as the lowering of each op type in the dict `rows`."""
    for op_type, value in rows.items():
        lowering(op_type)(make(value))
