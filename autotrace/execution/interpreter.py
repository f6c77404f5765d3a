"""The reference interpreter: evaluate requested tensors of a graph, running only the ops on
their compute path (their inputs and control inputs, transitively; a fed tensor cuts the path).

This is the oracle: compiled functions are tested against it.

>>> import autotrace as tf
>>> g = tf.Graph()
>>> with g.as_default():
...     total = tf.constant(2) + tf.constant(3)
>>> run_graph([total], {}, EAGER_RUNTIME)
[np.int32(5)]
"""
from ..core.errors import InternalError, InvalidArgumentError, OpError
from ..ops.runtime import EAGER_RUNTIME
from ..core.tensor import SymbolicTensor

__all__ = ["compute_path", "run_graph", "run_op", "EAGER_RUNTIME"]


def compute_path(fetches, fed):
    """The ops needed to compute `fetches` (tensors and ops), in graph order. `fed` holds the
    ids of fed tensors: their producers need not run."""
    needed = set()
    stack = [f.op if isinstance(f, SymbolicTensor) else f for f in fetches
             if id(f) not in fed]
    while stack:
        op = stack.pop()
        if op in needed:
            continue
        needed.add(op)
        for t in op.inputs:
            if id(t) not in fed:
                stack.append(t.op)
        stack.extend(op.control_inputs)
    return sorted(needed, key=lambda op: op._id)


def run_op(op, values, runtime):
    """Run one op's kernel on input values; errors name the op and where it was created."""
    opdef = op.opdef
    try:
        if opdef.uses_runtime:
            result = opdef.kernel(runtime, *values, **op.attrs)
        else:
            result = opdef.kernel(*values, **op.attrs)
    except OpError as err:
        if err.op is None:
            err.op = op
        raise
    except Exception as exc:  # NumPy's error: say which op and where
        raise InvalidArgumentError("%s (op %r) failed: %s" % (op.type, op.name, exc), op=op) \
            from exc
    return result if opdef.multi_output else (result,)


def run_graph(fetches, feeds, runtime, ops=None):
    """Values of the tensors `fetches` (a list), given `feeds` {id(tensor): value}.

    Operations in `fetches` contribute their side effects and yield None.
    """
    env = dict(feeds)
    for op in ops if ops is not None else compute_path(fetches, feeds):
        outputs = run_op(op, [env[id(t)] for t in op.inputs], runtime)
        if len(outputs) != len(op.outputs):
            raise InternalError("op %r produced %d outputs, expected %d"
                                % (op.name, len(outputs), len(op.outputs)))
        for t, value in zip(op.outputs, outputs):
            if id(t) not in feeds:
                env[id(t)] = value
    return [env[id(f)] if isinstance(f, SymbolicTensor) else None for f in fetches]
