"""XLA lowerings of the ops that touch state or the host: variables (read and written through
the Lowering's state, written back after the call), random draws (JAX's PRNG, one key per
stream carried in the state like a variable), and print / assert / check_numerics (run on the
host by jax.debug.callback, in program order, with the ops' own NumPy kernels: the same text
and the same errors as the NumPy path).
"""
import logging
import threading

import numpy as np
import jax
import jax.numpy as jnp

from ..ops.registry import REGISTRY
from .lowering import is_static, random_stream_key, static_ints, variable_key
from .table import lowering

# -- variables ---------------------------------------------------------------------------------


@lowering("VarHandleOp")
def _var_handle(lw, op):
    return op.attrs["variable"]


@lowering("ReadVariableOp")
def _read(lw, op, handle):
    return lw.state[variable_key(op.inputs[0])]


def _assign(update):
    def lower(lw, op, handle, value):
        key = variable_key(op.inputs[0])
        new = jnp.asarray(update(lw.state[key], value), op.outputs[0].dtype.np)
        lw.state[key] = new
        return new
    return lower


lowering("AssignVariableOp")(_assign(lambda old, value: value))
lowering("AssignAddVariableOp")(_assign(lambda old, delta: old + delta))
lowering("AssignSubVariableOp")(_assign(lambda old, delta: old - delta))


def _scatter(method):
    def lower(lw, op, handle, indices, updates):
        key = variable_key(op.inputs[0])
        value = lw.state[key]
        new = getattr(value.at[indices], method)(jnp.asarray(updates, value.dtype), mode="drop")
        lw.state[key] = new
        return new
    return lower


lowering("ResourceScatterAdd")(_scatter("add"))
lowering("ResourceScatterSub")(_scatter("subtract"))
lowering("ResourceScatterUpdate")(_scatter("set"))


@lowering("ResourceStridedSliceAssign")
def _slice_assign(lw, op, handle, value, *dyn):
    from .lower_array import _index
    key = variable_key(op.inputs[0])
    old = lw.state[key]
    new = old.at[_index(op, dyn)].set(jnp.asarray(value, old.dtype))
    lw.state[key] = new
    return new


@lowering("CustomGradient")
def _custom_gradient(lw, op, *values):
    return list(values[:op.attrs["n_outputs"]])


# -- random draws ------------------------------------------------------------------------------
# Numbers differ from the NumPy path (another generator), but the seeding rules hold: the
# same global and op seeds give the same sequence, each call draws new numbers, and an op
# with a seed keeps one stream for the life of the compiled function.

def initial_key(stream):
    """The first key of a random stream: from its (seed, seed2), or fresh entropy."""
    seed, seed2 = stream
    if seed is None:
        words = np.random.SeedSequence().generate_state(4)
    else:
        words = [seed & 0xFFFFFFFF, seed >> 32, seed2 & 0xFFFFFFFF, seed2 >> 32]
    key = jax.random.key(int(words[0]))
    for word in words[1:]:
        key = jax.random.fold_in(key, int(word))
    return key


def _draw_key(lw, op):
    stream = random_stream_key(op)
    key, sub = jax.random.split(lw.state[stream])
    lw.state[stream] = key
    return sub


def _random_shape(op, shape):
    return static_ints(op, shape, "the shape of a random tensor")


@lowering("RandomUniform")
def _uniform(lw, op, shape):
    return jax.random.uniform(_draw_key(lw, op), _random_shape(op, shape),
                              op.attrs["dtype"].np)


@lowering("RandomStandardNormal")
def _normal(lw, op, shape):
    return jax.random.normal(_draw_key(lw, op), _random_shape(op, shape), op.attrs["dtype"].np)


@lowering("TruncatedNormal")
def _truncated_normal(lw, op, shape):
    return jax.random.truncated_normal(_draw_key(lw, op), -2.0, 2.0, _random_shape(op, shape),
                                       op.attrs["dtype"].np)


@lowering("RandomUniformInt")
def _uniform_int(lw, op, shape, minval, maxval):
    return jax.random.randint(_draw_key(lw, op), _random_shape(op, shape), minval, maxval,
                              op.attrs["dtype"].np)


@lowering("RandomShuffle")
def _shuffle(lw, op, value):
    if jnp.ndim(value) == 0:
        return value
    return jax.random.permutation(_draw_key(lw, op), value, axis=0)


@lowering("Multinomial")
def _categorical(lw, op, logits):
    n = op.attrs["num_samples"]
    draws = jax.random.categorical(_draw_key(lw, op), logits, axis=-1,
                                   shape=(n, logits.shape[0]))
    return draws.T.astype(op.attrs["dtype"].np)


# -- on the host -------------------------------------------------------------------------------

_FAILURE = threading.local()  # the exception a host callback raised, re-raised by the caller


class _QuietHostFailures(logging.Filter):
    """JAX logs every exception a callback raises; ours (a failed assertion) reach the user
    as the error of the call, so they are not logged too."""

    def filter(self, record):
        error = record.exc_info[1] if record.exc_info else None
        return not getattr(error, "_autotrace_host_failure", False)


logging.getLogger("jax._src.debugging").addFilter(_QuietHostFailures())


def take_host_failure():
    """The exception raised on the host during the last call on this thread (or None)."""
    error = getattr(_FAILURE, "error", None)
    _FAILURE.error = None
    return error


def _on_host(op, args):
    """Run the op's NumPy kernel on the host when the compiled code reaches it."""
    check_on_host(op, op.type, args, op.attrs)


def check_on_host(op, op_type, args, attrs):
    """Run the NumPy kernel of `op_type` on `args` on the host, in program order; an error it
    raises is re-raised by the call. Values known at compile time (e.g. message strings) stay
    here; the rest travel to the callback."""
    kernel = REGISTRY[op_type].kernel
    attrs = dict(attrs)
    dynamic = [i for i, a in enumerate(args) if not is_static(a)]
    values = list(args)

    def run(*arrays):
        for i, array in zip(dynamic, arrays):
            array = np.asarray(array)
            values[i] = array[()] if array.ndim == 0 else array
        try:
            kernel(*values, **attrs)
        except Exception as exc:
            exc.op = getattr(exc, "op", None) or op
            exc._autotrace_host_failure = True
            _FAILURE.error = exc
            raise

    jax.debug.callback(run, *[args[i] for i in dynamic], ordered=True)


@lowering("PrintV2", "Assert")
def _host_only(lw, op, *args):
    _on_host(op, args)
    return []


@lowering("Print", "CheckNumerics", "RaggedCheckSplits", "RaggedCheckSamePartition",
          "SparseCheckIndices", "SparseCheckSameIndices")
def _host_identity(lw, op, *args):
    """An op that checks its inputs on the host (raising the NumPy kernel's error) and
    passes its first input through."""
    _on_host(op, args)
    return args[0]
