"""Random ops, with TensorFlow's global-seed + op-seed rules.

- No seeds set: fresh randomness every time.
- `set_seed(s)` only: each random op (each eager call) gets the next op seed from a counter
  that `set_seed` resets, so a program repeats its sequence after `set_seed(s)`.
- An op seed only: the global seed defaults to 87654321 (TF's DEFAULT_GRAPH_SEED).
- An op with a fixed seed keeps one stream: repeated eager calls, or repeated runs of the same
  graph op, give successive values of that stream.

>>> import autotrace as tf
>>> tf.random.set_seed(7)
>>> a = tf.random.uniform([2]).numpy()
>>> tf.random.set_seed(7)
>>> bool((tf.random.uniform([2]).numpy() == a).all())
True
"""
import numpy as np

from ..core import dtypes
from ..core.context import process
from ..core.errors import InvalidArgumentError
from ..core.tensor import Tensor
from .constant_op import constant, constant_value, convert_to_tensor
from .registry import NO_GRADIENT, apply, defop

__all__ = ["set_seed", "get_seed", "uniform", "normal", "truncated_normal", "shuffle",
           "categorical"]

DEFAULT_GRAPH_SEED = 87654321
_MASK = (1 << 63) - 1


def set_seed(seed):
    """Set the global random seed; resets the op-seed counter and cached streams."""
    with process.lock:
        process.global_seed = None if seed is None else int(seed)
        process.op_seed_counter = 0
        process.eager_generators.clear()


def get_seed(op_seed):
    """(global seed, op seed) for a new random op, and whether the op seed was explicit."""
    global_seed = process.global_seed
    if global_seed is not None:
        if op_seed is None:
            with process.lock:  # one counter for the process, as TF's; no two ops share a seed
                process.op_seed_counter += 1
                return global_seed & _MASK, process.op_seed_counter, False
        return global_seed & _MASK, int(op_seed) & _MASK, True
    if op_seed is not None:
        return DEFAULT_GRAPH_SEED, int(op_seed) & _MASK, True
    return None, None, False


def _shape_input(shape):
    if isinstance(shape, Tensor):
        return shape if shape.dtype.is_integer else convert_to_tensor(shape, dtypes.int32)
    dims = [int(d) for d in np.asarray(shape, dtype=np.int64).reshape(-1)] if \
        np.ndim(shape) else [int(shape)] if shape != [] else []
    if any(d < 0 for d in dims):
        raise InvalidArgumentError("random: shape %s has a negative dimension" % dims)
    return constant(np.asarray(dims, dtype=np.int32))


def _shape_infer(shape):
    known = constant_value(shape)
    if known is not None:
        return [int(d) for d in np.asarray(known).reshape(-1)]
    n = shape.shape[0] if shape.shape.rank == 1 else None
    return None if n is None else [None] * n


def _random_attrs(seed, dtype):
    seed, seed2, reuse = get_seed(seed)
    return {"seed": seed, "seed2": seed2, "reuse_stream": reuse, "dtype": dtype}


def _generator(runtime, seed, seed2, reuse_stream):
    return runtime.generator(seed, seed2, reuse_stream)


def _uniform_kernel(runtime, shape, seed, seed2, reuse_stream, dtype):
    gen = _generator(runtime, seed, seed2, reuse_stream)
    np_dtype = dtype.np if dtype in (dtypes.float32, dtypes.float64) else np.float64
    return gen.random(tuple(shape), dtype=np_dtype).astype(dtype.np, copy=False)


def _normal_kernel(runtime, shape, seed, seed2, reuse_stream, dtype):
    gen = _generator(runtime, seed, seed2, reuse_stream)
    np_dtype = dtype.np if dtype in (dtypes.float32, dtypes.float64) else np.float64
    return gen.standard_normal(tuple(shape), dtype=np_dtype).astype(dtype.np, copy=False)


def _truncated_normal_kernel(runtime, shape, seed, seed2, reuse_stream, dtype):
    gen = _generator(runtime, seed, seed2, reuse_stream)
    values = gen.standard_normal(tuple(shape))
    outside = np.abs(values) > 2.0
    while outside.any():  # redraw values beyond two standard deviations, as TF does
        values[outside] = gen.standard_normal(int(outside.sum()))
        outside = np.abs(values) > 2.0
    return values.astype(dtype.np)


def _float_random_infer(shape, seed, seed2, reuse_stream, dtype):
    if not dtype.is_floating:
        raise InvalidArgumentError("this random op needs a floating dtype, got %s" % dtype.name)
    return dtype, _shape_infer(shape)


RANDOM_UNIFORM = defop("RandomUniform", _uniform_kernel, _float_random_infer, stateful=True,
                       uses_runtime=True, grad=NO_GRADIENT, inputs=("shape",))
RANDOM_NORMAL = defop("RandomStandardNormal", _normal_kernel, _float_random_infer,
                      stateful=True, uses_runtime=True, grad=NO_GRADIENT, inputs=("shape",))
TRUNCATED_NORMAL = defop("TruncatedNormal", _truncated_normal_kernel, _float_random_infer,
                         stateful=True, uses_runtime=True, grad=NO_GRADIENT, inputs=("shape",))


def _uniform_int_kernel(runtime, shape, minval, maxval, seed, seed2, reuse_stream, dtype):
    if minval >= maxval:
        raise InvalidArgumentError("random.uniform: need minval < maxval, got %s >= %s"
                                   % (minval, maxval))
    gen = _generator(runtime, seed, seed2, reuse_stream)
    return gen.integers(minval, maxval, size=tuple(shape), dtype=dtype.np)


def _uniform_int_infer(shape, minval, maxval, seed, seed2, reuse_stream, dtype):
    return dtype, _shape_infer(shape)


RANDOM_UNIFORM_INT = defop("RandomUniformInt", _uniform_int_kernel, _uniform_int_infer,
                           stateful=True, uses_runtime=True, grad=NO_GRADIENT,
                           inputs=("shape", "minval", "maxval"))


def uniform(shape, minval=0, maxval=None, dtype=dtypes.float32, seed=None, name=None):
    """Uniform values in [minval, maxval) (default [0, 1) for floats; ints need maxval).

    >>> uniform([2, 3]).shape
    TensorShape([2, 3])
    """
    dtype = dtypes.as_dtype(dtype)
    shape_t = _shape_input(shape)
    if dtype.is_integer:
        if maxval is None:
            raise ValueError("random.uniform: maxval must be given for integer dtype %s"
                             % dtype.name)
        lo, hi = convert_to_tensor(minval, dtype), convert_to_tensor(maxval, dtype)
        return apply(RANDOM_UNIFORM_INT, (shape_t, lo, hi), _random_attrs(seed, dtype), name)
    unit = apply(RANDOM_UNIFORM, (shape_t,), _random_attrs(seed, dtype), name)
    maxval = 1 if maxval is None else maxval
    if _is_python_value(minval, 0) and _is_python_value(maxval, 1):
        return unit
    lo, hi = convert_to_tensor(minval, dtype), convert_to_tensor(maxval, dtype)
    return unit * (hi - lo) + lo


def _is_python_value(x, expected):
    return not isinstance(x, Tensor) and not hasattr(x, "_as_tensor") and np.all(
        np.asarray(x) == expected)


def normal(shape, mean=0.0, stddev=1.0, dtype=dtypes.float32, seed=None, name=None):
    """Normally distributed values with the given mean and standard deviation."""
    dtype = dtypes.as_dtype(dtype)
    unit = apply(RANDOM_NORMAL, (_shape_input(shape),), _random_attrs(seed, dtype), name)
    return _scale_shift(unit, mean, stddev, dtype)


def truncated_normal(shape, mean=0.0, stddev=1.0, dtype=dtypes.float32, seed=None, name=None):
    """Normal values, redrawn when more than two standard deviations from the mean."""
    dtype = dtypes.as_dtype(dtype)
    unit = apply(TRUNCATED_NORMAL, (_shape_input(shape),), _random_attrs(seed, dtype), name)
    return _scale_shift(unit, mean, stddev, dtype)


def _scale_shift(unit, mean, stddev, dtype):
    out = unit
    if not _is_python_value(stddev, 1):
        out = out * convert_to_tensor(stddev, dtype)
    if not _is_python_value(mean, 0):
        out = out + convert_to_tensor(mean, dtype)
    return out


def _shuffle_kernel(runtime, value, seed, seed2, reuse_stream):
    gen = _generator(runtime, seed, seed2, reuse_stream)
    if np.ndim(value) == 0:
        return value
    return value[gen.permutation(np.shape(value)[0])]


RANDOM_SHUFFLE = defop("RandomShuffle", _shuffle_kernel,
                       lambda value, seed, seed2, reuse_stream: (value.dtype, value.shape),
                       stateful=True, uses_runtime=True, grad=NO_GRADIENT, inputs=("value",))


def shuffle(value, seed=None, name=None):
    """Randomly permute a tensor along its first dimension."""
    attrs = _random_attrs(seed, None)
    del attrs["dtype"]
    return apply(RANDOM_SHUFFLE, (convert_to_tensor(value),), attrs, name)


def _categorical_kernel(runtime, logits, num_samples, seed, seed2, reuse_stream, dtype):
    gen = _generator(runtime, seed, seed2, reuse_stream)
    logits = np.asarray(logits, dtype=np.float64)
    shifted = np.exp(logits - logits.max(axis=1, keepdims=True))
    probs = shifted / shifted.sum(axis=1, keepdims=True)
    cumulative = np.cumsum(probs, axis=1)
    draws = gen.random((logits.shape[0], num_samples))
    out = np.empty((logits.shape[0], num_samples), dtype=dtype.np)
    for row in range(logits.shape[0]):
        out[row] = np.minimum(np.searchsorted(cumulative[row], draws[row], side="right"),
                              logits.shape[1] - 1)
    return out


def _categorical_infer(logits, num_samples, seed, seed2, reuse_stream, dtype):
    if logits.shape.rank not in (None, 2):
        raise InvalidArgumentError("random.categorical: logits must be [batch, classes], got "
                                   "shape %s" % logits.shape)
    batch = logits.shape[0] if logits.shape.rank else None
    return dtype, [batch, num_samples]


MULTINOMIAL = defop("Multinomial", _categorical_kernel, _categorical_infer, stateful=True,
                    uses_runtime=True, grad=NO_GRADIENT, inputs=("logits",))


def categorical(logits, num_samples, dtype=dtypes.int64, seed=None, name=None):
    """Draw class indices from unnormalised log-probabilities `logits` [batch, classes]."""
    attrs = _random_attrs(seed, dtypes.as_dtype(dtype or dtypes.int64))
    attrs["num_samples"] = int(num_samples)
    return apply(MULTINOMIAL, (convert_to_tensor(logits),), attrs, name)
