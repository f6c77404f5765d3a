"""Array ops: identity, shapes, reshaping, and the argument helpers the other array modules
share. Creating tensors (fill, zeros, range, linspace, eye) lives in creation_ops; joining,
splitting and tiling in manip_ops; padding and slicing in pad_ops; indexing in index_ops;
gathering and scattering in gather_ops; sorting and scans in sort_ops.

>>> import autotrace as tf
>>> x = tf.reshape(tf.range(6), [2, 3])
>>> x[:, 1:].numpy()
array([[1, 2],
       [4, 5]], dtype=int32)
"""
import builtins
import importlib

import numpy as np

from ..core import dtypes
from ..core.errors import (ArgumentTypeError, ArgumentValueError, DTypeMismatchError,
                           InvalidArgumentError, InvalidShapeError)
from ..core.tensor import SymbolicTensor, Tensor
from ..core.tensor_shape import TensorShape
from . import arguments
from .constant_op import constant, constant_value, convert_to_tensor
from .dispatch import dispatchable
from .registry import NO_GRADIENT, apply, defop
from .shapes import normalize_axes, normalize_axis

_INT32_MAX = 2 ** 31 - 1


def as_tensor(x, dtype=None):
    return x if isinstance(x, Tensor) and dtype is None else convert_to_tensor(x, dtype)


def as_array(value):
    """A kernel input as an ndarray. Graphs pass 0-d values as scalars, and a string scalar is
    plain `bytes`, which NumPy alone would turn into a fixed-width 'S' array."""
    if isinstance(value, bytes):
        arr = np.empty((), dtype=object)
        arr[()] = value
        return arr
    return np.asarray(value)


def static_ints(op_type, arg, value):
    """A static list of ints (a single int counts as a list of one; a list of lists is
    flattened) from Python values, a NumPy array or a constant tensor; None if a tensor's
    value is only known at run time. Checked by `arguments` (no float is ever truncated)."""
    if _is_int_scalar(value):
        known = arguments.integer(op_type, arg, value, known=False)
        return None if known is None else [known]
    depth = _list_depth(value)
    ints = arguments.integers(op_type, arg, value, ndim=depth)
    if ints is None or depth == 1:
        return ints
    return [int(v) for v in np.asarray(ints).reshape(-1)]


def _is_int_scalar(value):
    if isinstance(value, Tensor):
        return value.shape.rank == 0
    if isinstance(value, np.ndarray):
        return value.ndim == 0
    return isinstance(value, (int, np.integer, np.bool_))


def _list_depth(value):
    """How many list levels `value` has (1 for a flat list; the rank of an array/tensor)."""
    if isinstance(value, (np.ndarray, Tensor)):
        return max(1, value.ndim if isinstance(value, np.ndarray) else (value.shape.rank or 1))
    if isinstance(value, (list, tuple)) and value and isinstance(value[0], (list, tuple)):
        return 1 + _list_depth(value[0])
    return 1


def int_tensor(op_type, arg, value):
    """A shape-like argument (ints, a list that may hold scalar tensors, or an integer tensor)
    as an integer tensor: int32, or int64 when a value does not fit."""
    if isinstance(value, TensorShape):
        value = arguments.integers(op_type, arg, value)
    if isinstance(value, (list, tuple)) and _holds_tensors(value):
        from .manip_ops import stack
        value = stack([int_tensor(op_type, arg, v) if isinstance(v, (list, tuple)) else
                       _int_scalar_tensor(op_type, arg, v) for v in value])
    if not isinstance(value, Tensor) and not hasattr(value, "_as_tensor"):
        ints = static_ints(op_type, arg, value)
        big = any(abs(v) > _INT32_MAX for v in ints)
        return constant(np.asarray(ints, np.int64 if big else np.int32).reshape(np.shape(value)))
    t = convert_to_tensor(value)
    if not t.dtype.is_integer:
        raise ArgumentTypeError("%s: %s must be an integer tensor (a list of ints), got %s"
                                % (op_type, arg, arguments.describe(t)))
    return t


def _int_scalar_tensor(op_type, arg, v):
    if isinstance(v, Tensor) or hasattr(v, "_as_tensor"):
        return v
    return constant(arguments.integer(op_type, arg, v))


def _holds_tensors(seq):
    return any(isinstance(v, Tensor) or hasattr(v, "_as_tensor")
               or (isinstance(v, (list, tuple)) and _holds_tensors(v)) for v in seq)


def check_int_scalar(op_type, arg, t):
    """Shape rule helper: `t` must be a scalar integer tensor. Returns its static value or None."""
    return arguments.integer(op_type, arg, t, known=False)


def scalar_value(op_type, arg, value):
    """Kernel helper: the int value of a scalar argument, whose shape the shape rule could not
    check if it was unknown."""
    if np.ndim(value) != 0:
        raise ArgumentValueError("%s: %s must be a scalar, got shape %s"
                                 % (op_type, arg, TensorShape(np.shape(value))))
    return int(value)


def static_int(op_type, arg, value):
    """A single int from a Python int or a scalar tensor whose value is known at build time."""
    return arguments.integer(op_type, arg, value)


def new_axis(op_type, axis, rank, what="input"):
    """The position of a dimension an op inserts into a `what` of rank `rank` (negative counts
    from the end of the result); left as given when the rank is unknown."""
    return arguments.axis(op_type, "axis", axis, rank, new=True, of=what)


def check_shape_arg(op_type, arg, t, rank=1):
    """Shape rule helper: `t` must be an integer tensor of rank `rank` (a list of ints)."""
    if not t.dtype.is_integer:
        raise ArgumentTypeError("%s: %s must be an integer tensor, got %s"
                                % (op_type, arg, arguments.describe(t)))
    if t.shape.rank not in (rank, None):
        raise ArgumentValueError("%s: %s must have rank %d, got shape %s"
                                 % (op_type, arg, rank, t.shape))


def int_values(op_type, arg, value, rank=1):
    """Kernel helper: the value of an integer argument as a list (of lists for rank 2); checks
    the rank, which the shape rule could not when the argument's shape was unknown."""
    value = np.asarray(value)
    if value.ndim != rank or rank == 2 and value.shape[1] != 2:
        raise ArgumentValueError("%s: %s must have shape %s, got %s" % (
            op_type, arg, "[n]" if rank == 1 else "[rank, 2]", TensorShape(value.shape)))
    return value.astype(np.int64).tolist()


def first_known(*values):
    return next((v for v in values if v is not None), None)


# -- gradient helpers --------------------------------------------------------------------------

def shape_of(x):
    """x's shape as an argument for building a tensor like it: a list of ints when it is fully
    known, else the run-time shape tensor."""
    return x.shape.as_list() if x.shape.is_fully_defined() else shape(x)


def dims_of(x, out_type=None):
    """x's dimensions (its rank must be known): ints where static, scalar tensors where only
    known at run time (of `out_type`, default int32)."""
    dims = x.shape.as_tuple()
    if dims is None:
        raise InvalidArgumentError("The gradient of this op needs a tensor of known rank, got "
                                   "shape %s" % x.shape)
    if None not in dims:
        return list(dims)
    dynamic = shape(x, out_type or dtypes.int32)
    return [dynamic[i] if d is None else d for i, d in enumerate(dims)]


def with_shape_of(t, x):
    """`t` (built from run-time shapes) with what is statically known of x's shape."""
    if isinstance(t, SymbolicTensor) and x.shape.rank is not None:
        t.set_shape(x.shape)
    return t


def _reshape_back(op, g):
    """The gradient of ops that only rearrange dimensions: reshaped to the input's shape."""
    x = op.inputs[0]
    return [with_shape_of(reshape(g, shape_of(x)), x)] + [None] * (len(op.inputs) - 1)


# -- identity / stop_gradient ------------------------------------------------------------------

def _identity_kernel(x):
    return x


IDENTITY = defop("Identity", _identity_kernel, lambda x: (x.dtype, x.shape),
                 grad=lambda op, g: [g], forwards=True)
STOP_GRADIENT = defop("StopGradient", _identity_kernel, lambda x: (x.dtype, x.shape),
                      grad=NO_GRADIENT, forwards=True)


@dispatchable
def identity(input, name=None):
    """Returns a tensor with the same value (a new graph node when building a graph)."""
    return apply(IDENTITY, (as_tensor(input),), None, name)


def stop_gradient(input, name=None):
    """The identity, but gradients do not flow back through it."""
    return apply(STOP_GRADIENT, (as_tensor(input),), None, name)


# -- shape, size, rank -------------------------------------------------------------------------

def _shape_kernel(x, out_type):
    return np.array(np.shape(x), dtype=out_type.np)


SHAPE = defop("Shape", _shape_kernel,
              lambda x, out_type: (out_type, [x.shape.rank]), grad=NO_GRADIENT,
              static_fold=lambda shape, out_type: np.array(shape, dtype=out_type.np))


@dispatchable
def shape(input, out_type=dtypes.int32, name=None):
    """The run-time shape of a tensor, as a 1-D int32 tensor (see `.shape` for the static one).

    >>> shape([[1, 2, 3], [4, 5, 6]]).numpy()
    array([2, 3], dtype=int32)
    """
    return apply(SHAPE, (as_tensor(input),), {"out_type": dtypes.as_dtype(out_type)}, name)


SIZE = defop("Size", lambda x, out_type: np.array(np.size(x), dtype=out_type.np),
             lambda x, out_type: (out_type, []), grad=NO_GRADIENT,
             static_fold=lambda shape, out_type: np.array(int(np.prod(shape)),
                                                          dtype=out_type.np))
RANK = defop("Rank", lambda x: np.int32(np.ndim(x)), lambda x: (dtypes.int32, []),
             grad=NO_GRADIENT, static_fold=lambda shape: np.int32(len(shape)))


@dispatchable
def size(input, out_type=dtypes.int32, name=None):
    """Number of elements, as a scalar tensor."""
    return apply(SIZE, (as_tensor(input),), {"out_type": dtypes.as_dtype(out_type)}, name)


@dispatchable
def rank(input, name=None):
    """Number of dimensions, as a scalar int32 tensor."""
    return apply(RANK, (as_tensor(input),), None, name)


# -- reshape -----------------------------------------------------------------------------------

def _reshape_kernel(x, shape):
    return np.reshape(x, shape)


def _reshape_infer(x, shape):
    target = static_ints("Reshape", "shape", shape)
    if target is None:
        n = shape.shape[0] if shape.shape.rank == 1 else None
        return x.dtype, TensorShape(None if n is None else [None] * n)
    unknown = [i for i, d in enumerate(target) if d == -1]
    if len(unknown) > 1 or any(d < -1 for d in target):
        raise InvalidArgumentError("Reshape: shape %s may hold at most one -1 and no other "
                                   "negative sizes" % target)
    n = x.shape.num_elements()
    known = int(np.prod([d for d in target if d != -1])) if target else 1
    if unknown:
        if n is None:
            return x.dtype, [None if d == -1 else d for d in target]
        if known == 0 or n % known:
            raise InvalidShapeError(
                "Reshape: cannot reshape a tensor with %d values (shape %s) into shape %s"
                % (n, x.shape, target))
        target[unknown[0]] = n // known
    elif n is not None and n != known:
        raise InvalidShapeError(
            "Reshape: cannot reshape a tensor with %d values (shape %s) into shape %s, which "
            "holds %d" % (n, x.shape, target, known))
    return x.dtype, target


RESHAPE = defop("Reshape", _reshape_kernel, _reshape_infer, grad=_reshape_back,
                inputs=("tensor", "shape"))


def reshape(tensor, shape, name=None):
    """Same values, new shape; one dimension may be -1 (inferred).

    >>> reshape([1, 2, 3, 4], [2, -1]).numpy()
    array([[1, 2],
           [3, 4]], dtype=int32)
    """
    x = as_tensor(tensor)
    if not isinstance(shape, Tensor):
        static = static_ints("Reshape", "shape", shape)
        shape = int_tensor("Reshape", "shape", shape) if static is None else \
            convert_to_tensor(np.asarray(static, dtype=np.int32))  # named Reshape/shape
    elif not shape.dtype.is_integer:
        raise InvalidArgumentError("Reshape: shape must be an integer tensor, got %s"
                                   % shape.dtype.name)
    return apply(RESHAPE, (x, shape), None, name)


# -- transpose / expand_dims / squeeze ---------------------------------------------------------

def _transpose_infer(x, perm):
    rank = x.shape.rank
    if rank is None:
        return x.dtype, None
    if sorted(perm) != list(builtins.range(rank)):
        raise InvalidArgumentError("Transpose: perm %s is not a permutation of the %d axes of "
                                   "a tensor of shape %s" % (list(perm), rank, x.shape))
    dims = x.shape.as_tuple()
    return x.dtype, [dims[p] for p in perm]


def _transpose_grad(op, g):
    perm = op.attrs["perm"]
    perm = [p % len(perm) for p in perm]  # negative entries only when the rank was unknown
    return [transpose(g, np.argsort(perm).tolist())]


TRANSPOSE = defop("Transpose", lambda x, perm: np.transpose(x, perm), _transpose_infer,
                  grad=_transpose_grad)


def transpose(a, perm=None, conjugate=False, name=None):
    """Permute the dimensions (default: reverse them).

    >>> transpose([[1, 2, 3]]).shape
    TensorShape([3, 1])
    """
    x = as_tensor(a)
    rank_ = x.shape.rank
    if perm is None:
        if rank_ is None:
            raise InvalidArgumentError("transpose needs a tensor of known rank when perm is "
                                       "not given")
        perm = list(builtins.range(rank_))[::-1]
    perm = tuple(normalize_axis("Transpose", p, rank_) for p in static_ints("Transpose", "perm",
                                                                          perm))
    out = apply(TRANSPOSE, (x,), {"perm": perm}, name)
    if conjugate and x.dtype.is_complex:
        from .math_ops import conj
        out = conj(out)
    return out


def _expand_dims_infer(x, axis):
    if x.shape.rank is None:
        return x.dtype, None
    dims = list(x.shape.as_tuple())
    dims.insert(axis, 1)
    return x.dtype, dims


EXPAND_DIMS = defop("ExpandDims", lambda x, axis: np.expand_dims(x, axis), _expand_dims_infer,
                    grad=_reshape_back)


def expand_dims(input, axis, name=None):
    """Insert a length-1 dimension at `axis` (negative counts from the end).

    >>> expand_dims([1, 2], -1).shape
    TensorShape([2, 1])
    """
    x = as_tensor(input)
    rank_ = x.shape.rank
    axis = static_ints("ExpandDims", "axis", axis)
    if axis is None or len(axis) != 1:
        raise InvalidArgumentError("ExpandDims: axis must be a single int")
    axis = axis[0]
    if rank_ is not None:
        if not -rank_ - 1 <= axis <= rank_:
            raise InvalidArgumentError("ExpandDims: axis %d is out of range for a tensor of "
                                       "rank %d (valid: %d to %d)" % (axis, rank_, -rank_ - 1,
                                                                       rank_))
        axis = axis % (rank_ + 1)
    return apply(EXPAND_DIMS, (x,), {"axis": axis}, name)


def _squeeze_infer(x, axis):
    if x.shape.rank is None:
        return x.dtype, None
    dims = x.shape.as_tuple()
    if axis is None:
        if None in dims:
            return x.dtype, None
        return x.dtype, [d for d in dims if d != 1]
    for a in axis:
        if dims[a] is not None and dims[a] != 1:
            raise InvalidShapeError("Squeeze: cannot squeeze axis %d of shape %s: its length "
                                    "is %d, not 1" % (a, x.shape, dims[a]))
    return x.dtype, [d for i, d in enumerate(dims) if i not in axis]


SQUEEZE = defop("Squeeze", lambda x, axis: np.squeeze(x, axis), _squeeze_infer,
                grad=_reshape_back)


def squeeze(input, axis=None, name=None):
    """Remove length-1 dimensions (all of them, or those listed in `axis`)."""
    x = as_tensor(input)
    if axis is not None:
        axis = tuple(normalize_axes("Squeeze", axis if isinstance(axis, (list, tuple))
                                    else [axis], x.shape.rank))
    return apply(SQUEEZE, (x,), {"axis": axis}, name)

newaxis = None


# -- placeholder -------------------------------------------------------------------------------

def _placeholder_kernel(dtype, shape, variable=None):
    raise InvalidArgumentError("You must feed a value for this placeholder")


# `variable`: in a cond branch or loop body, the handle of the variable this placeholder
# receives from the enclosing graph (control_flow/subgraphs.py).
PLACEHOLDER = defop("Placeholder", _placeholder_kernel,
                    lambda dtype, shape, variable=None: (dtype, shape),
                    grad=NO_GRADIENT, inputs=(), fold=False)


# -- ops that moved ----------------------------------------------------------------------------

# Creation, joining/splitting, padding, indexing and gathering ops moved to their own modules;
# other modules (and TF habit) still reach them as `array_ops.<name>`, resolved lazily to
# avoid an import cycle.
_MOVED_TO = ("creation_ops", "manip_ops", "pad_ops", "index_ops", "gather_ops")


_RESOLVED = {}  # name -> the function of the module it moved to, once looked up


def __getattr__(name):
    found = _RESOLVED.get(name)
    if found is not None:
        return found
    for module_name in _MOVED_TO:
        module = importlib.import_module("." + module_name, __package__)
        if name in module.__all__ or name in module._MOVED_NAMES:
            found = _RESOLVED[name] = getattr(module, name)
            return found
    raise AttributeError("module %r has no attribute %r" % (__name__, name))
