"""Lowering: an optimised graph computed on JAX values, op by op, while jax.jit traces it.

jax.jit traces `lower_graph` once per argument shape; what it records is the XLA program. Each
op goes through its entry in the lowering table (table.py), one small function per op type,
as codegen has one emitter per op. Values known when the function is compiled (constants,
shapes of traced values, and whatever pure ops compute from them) stay NumPy values and are
computed by the op's own NumPy kernel: XLA needs shapes, sizes and axes as such values.

State (variable values and random streams) lives in the Lowering: a dict from state keys to
current values, read and replaced by the state ops in program order, threaded through
cond branches and loop bodies, and returned by the compiled function to be written back.
"""
import numpy as np
import jax
import jax.numpy as jnp

from ..core.errors import InternalError, OpError
from ..execution.interpreter import run_op
from ..execution.op_recorder import OpTypeRecorder
from .table import LOWERINGS
from .unsupported import XlaCompilationError, unsupported_op_error

__all__ = ["Lowering", "lower_graph", "lower_op", "is_static", "static_value",
           "variable_key", "random_stream_key", "written_state", "subgraphs_of",
           "recording_op_types"]

_RECORDER = OpTypeRecorder()  # which op types were handled (for the differential tests)
recording_op_types = _RECORDER.recording


class Session:
    """Facts shared by every Lowering of one compiled function."""

    def __init__(self):
        self.max_list_size = 0  # the largest TensorArray seen: gradient lists fit in it


class Lowering:
    """The state while one graph (or sub-graph) is lowered."""

    def __init__(self, state, written, session, loop=None):
        self.state = state          # state key -> current value (variables, random keys)
        self.written = written      # the state keys the function writes (threaded through
        #                             cond/while; the others are only read)
        self.session = session
        self.loop = loop            # the innermost enclosing while loop (LoopFrame) or None

    def child(self, state=None, loop=None):
        """A Lowering for a sub-graph, starting from `state` (default: a copy of ours)."""
        return Lowering(dict(self.state) if state is None else state, self.written,
                        self.session, self.loop if loop is None else loop)

    def written_values(self):
        return [self.state[k] for k in self.written]

    def with_written(self, values):
        """A copy of our state with the written keys set to `values`."""
        state = dict(self.state)
        state.update(zip(self.written, values))
        return state

    def update_written(self, values):
        self.state.update(zip(self.written, values))


def lower_graph(graph, inputs, lw):
    """The values of `graph.outputs`, given values for `graph.inputs`."""
    env = {}
    for ph, value in zip(graph.inputs, inputs):
        env[id(ph)] = value
    for op in graph.get_operations():
        if op.type == "Placeholder":
            if id(op.outputs[0]) not in env:
                raise InternalError("placeholder %r of graph %r has no value" % (op.name,
                                                                                 graph.name))
            continue
        outputs = lower_op(op, [env[id(t)] for t in op.inputs], lw)
        for t, value in zip(op.outputs, outputs):
            env[id(t)] = value
    return [env[id(t)] for t in graph.outputs]


def lower_op(op, args, lw):
    """The op's outputs (a list) computed on JAX/NumPy values."""
    fn = LOWERINGS.get(op.type)
    if fn is None:
        raise unsupported_op_error(op)
    _RECORDER.note(op.type)
    if _foldable(op) and all(is_static(a) for a in args):
        return list(run_op(op, args, None))  # the NumPy kernel, now: the value is known
    try:
        result = fn(lw, op, *args)
    except OpError as err:
        if err.op is None:
            err.op = op
        raise
    except (TypeError, ValueError, IndexError) as exc:  # JAX's own refusal: XLA's limits
        raise XlaCompilationError("%s (op %r) could not be compiled for XLA: %s"
                                  % (op.type, op.name, exc), op=op) from exc
    outputs = result if op.opdef.multi_output else [result]
    if len(outputs) != len(op.outputs):
        raise InternalError("the XLA lowering of %s gave %d outputs; the op has %d"
                            % (op.type, len(outputs), len(op.outputs)), op=op)
    return [_conform(value, t, op) for value, t in zip(outputs, op.outputs)]


def _foldable(op):
    opdef = op.opdef
    return (opdef.fold and not opdef.uses_runtime and not op.stateful and
            opdef.subgraphs is None and opdef.kernel is not None and
            all(t.dtype._kind not in "rv" for t in op.outputs))


def _conform(value, tensor, op):
    """A lowering's output with the dtype the graph gives it (JAX may promote differently),
    checked against the graph's static shape."""
    dtype = tensor.dtype
    if dtype._kind in "rv" or is_static(value):
        return value
    if value.dtype != dtype.np or getattr(value, "weak_type", False):
        value = jax.lax.convert_element_type(value, dtype.np)
    if not tensor.shape.is_compatible_with(value.shape):
        raise InternalError("the XLA lowering of %s gave shape %s; the graph says %s"
                            % (op.type, value.shape, tensor.shape), op=op)
    return value


# -- values known when compiling ---------------------------------------------------------------

def is_static(value):
    """Is `value` known now (a NumPy value), rather than traced by JAX?"""
    return isinstance(value, (np.ndarray, np.generic, bool, int, float))


def static_value(op, value, what):
    """`value` as a NumPy value; an error naming `what` if it is only known at run time."""
    if is_static(value):
        return np.asarray(value)
    if isinstance(value, jax.Array) and not isinstance(value, jax.core.Tracer):
        return np.asarray(value)
    raise XlaCompilationError(
        "%s (op %r): under jit_compile=True, %s must be known when the function is compiled "
        "(XLA compiles for fixed shapes and sizes), but here it depends on the function's "
        "inputs, on variables or on random values." % (op.type, op.name, what), op=op,
        advice="Compute it from static shapes or constants, or run this function without "
               "jit_compile.")


def static_ints(op, value, what):
    """A static 1-D (or scalar) integer value as a tuple of Python ints."""
    return tuple(int(v) for v in np.reshape(static_value(op, value, what), -1))


# -- state -------------------------------------------------------------------------------------

def variable_key(handle_tensor):
    """The state key of the variable behind a handle tensor of a graph."""
    handle = handle_tensor.op.attrs.get("variable")
    if handle is None:
        raise InternalError("no variable behind handle %s" % handle_tensor.name)
    return ("var", id(handle.variable))


def random_stream_key(op):
    """The state key of the random stream an op draws from: one per (seed, seed2), as the
    NumPy path keeps one generator per pair; unseeded ops share one stream."""
    return ("rng", (op.attrs.get("seed"), op.attrs.get("seed2")))


RANDOM_OPS = ("RandomUniform", "RandomStandardNormal", "TruncatedNormal", "RandomUniformInt",
              "RandomShuffle", "Multinomial")
ASSIGN_OPS = ("AssignVariableOp", "AssignAddVariableOp", "AssignSubVariableOp",
              "ResourceScatterAdd", "ResourceScatterSub", "ResourceScatterUpdate",
              "ResourceStridedSliceAssign")


def subgraphs_of(op):
    return [g for _, g in op.opdef.subgraphs(op)] if op.opdef.subgraphs else []


def walk_ops(graph):
    """Every op of `graph` and of its sub-graphs, depth first."""
    for op in graph.get_operations():
        yield op
        for sub in subgraphs_of(op):
            yield from walk_ops(sub)


def written_state(graph):
    """The state keys the ops of `graph` (and its sub-graphs) write, in a fixed order."""
    keys = []
    for op in walk_ops(graph):
        if op.type in ASSIGN_OPS:
            key = variable_key(op.inputs[0])
        elif op.type in RANDOM_OPS:
            key = random_stream_key(op)
        else:
            continue
        if key not in keys:
            keys.append(key)
    return keys
