"""Array ops: identity, shapes, reshaping, and creating tensors (fill, zeros, range, linspace,
eye). Joining, splitting and padding live in manip_ops; indexing and gathering in index_ops;
sorting and scans in sort_ops.

>>> import autotrace as tf
>>> x = tf.reshape(tf.range(6), [2, 3])
>>> x[:, 1:].numpy()
array([[1, 2],
       [4, 5]], dtype=int32)
"""
import builtins
import importlib

import numpy as np

from .. import dtypes
from ..context import state
from ..errors import DTypeMismatchError, InvalidArgumentError, InvalidShapeError
from ..tensor import EagerTensor, SymbolicTensor, Tensor
from ..tensor_shape import TensorShape
from .constant_op import constant, constant_value, convert_to_tensor, to_numpy
from .registry import NO_GRADIENT, apply, defop
from .shapes import (FLOAT, broadcast_shapes, check_dtype, check_same_dtype, normalize_axes,
                     normalize_axis)

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
    """A static list of ints from a Python list, NumPy array or constant tensor (None if the
    tensor's value is only known at run time)."""
    if isinstance(value, Tensor):
        known = constant_value(value)
        if known is None:
            return None
        value = known
    elif isinstance(value, (list, tuple)) and _holds_tensors(value):
        known = [constant_value(v) if isinstance(v, Tensor) else v for v in value]
        if any(k is None for k in known):
            return None  # a dimension only known at run time
        value = [np.asarray(k).reshape(-1)[0] if np.ndim(k) else k for k in known]
    arr = np.asarray(value)
    if arr.size == 0:
        return []
    try:
        if arr.dtype.kind not in "iuO":  # int(2.5) would truncate silently
            raise TypeError
        return [int(v) for v in arr.reshape(-1)]
    except (TypeError, ValueError):
        raise InvalidArgumentError("%s: %s must be a list of ints, got %r"
                                   % (op_type, arg, value)) from None


def int_tensor(op_type, arg, value):
    """A shape-like argument (ints, a list that may hold scalar tensors, or an integer tensor)
    as an integer tensor: int32, or int64 when a value does not fit."""
    if isinstance(value, TensorShape):
        if not value.is_fully_defined():
            raise InvalidArgumentError("%s: %s must be fully defined, got %s" % (op_type, arg,
                                                                                  value))
        value = value.as_list()
    if isinstance(value, (list, tuple)) and _holds_tensors(value):
        from .manip_ops import stack
        value = stack([int_tensor(op_type, arg, v) if isinstance(v, (list, tuple)) else v
                       for v in value])
    if not isinstance(value, Tensor) and not hasattr(value, "_as_tensor"):
        ints = static_ints(op_type, arg, value)
        big = any(abs(v) > _INT32_MAX for v in ints)
        return constant(np.asarray(ints, np.int64 if big else np.int32).reshape(np.shape(value)))
    t = convert_to_tensor(value)
    if not t.dtype.is_integer:
        raise DTypeMismatchError("%s: %s must be an integer tensor, got %s"
                                 % (op_type, arg, t.dtype.name))
    return t


def _holds_tensors(seq):
    return any(isinstance(v, Tensor) or hasattr(v, "_as_tensor")
               or (isinstance(v, (list, tuple)) and _holds_tensors(v)) for v in seq)


def check_int_scalar(op_type, arg, t):
    """Shape rule helper: `t` must be a scalar integer tensor. Returns its static value or None."""
    if not t.dtype.is_integer:
        raise DTypeMismatchError("%s: %s must be an integer scalar, got %s"
                                 % (op_type, arg, t.dtype.name))
    if t.shape.rank not in (0, None):
        raise InvalidArgumentError("%s: %s must be a scalar, got shape %s" % (op_type, arg,
                                                                               t.shape))
    value = constant_value(t)
    return None if value is None else int(value)


def scalar_value(op_type, arg, value):
    """Kernel helper: the int value of a scalar argument, whose shape the shape rule could not
    check if it was unknown."""
    if np.ndim(value) != 0:
        raise InvalidArgumentError("%s: %s must be a scalar, got shape %s"
                                   % (op_type, arg, TensorShape(np.shape(value))))
    return int(value)


def static_int(op_type, arg, value):
    """A single int from a Python int or a scalar tensor whose value is known at build time."""
    ints = static_ints(op_type, arg, value)
    if ints is None:
        raise InvalidArgumentError("%s: %s must be known when the graph is built (a Python int "
                                   "or a constant), got %s" % (op_type, arg, value))
    scalar = value.shape.rank == 0 if isinstance(value, Tensor) else np.ndim(value) == 0
    if not scalar:
        raise InvalidArgumentError("%s: %s must be a single int, got %r" % (op_type, arg, value))
    return ints[0]


def new_axis(op_type, axis, rank, what="input"):
    """The position of a dimension an op inserts into a `what` of rank `rank` (negative counts
    from the end of the result); left as given when the rank is unknown."""
    if rank is None:
        return axis
    if not -rank - 1 <= axis <= rank:
        raise InvalidArgumentError("%s: axis %d is out of range for %s of rank %d (valid: %d to %d)"
                                   % (op_type, axis, what, rank, -rank - 1, rank))
    return axis % (rank + 1)


# -- identity / stop_gradient ------------------------------------------------------------------

def _identity_kernel(x):
    return x


IDENTITY = defop("Identity", _identity_kernel, lambda x: (x.dtype, x.shape),
                 grad=lambda op, g: [g])
STOP_GRADIENT = defop("StopGradient", _identity_kernel, lambda x: (x.dtype, x.shape),
                      grad=NO_GRADIENT)


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
              lambda x, out_type: (out_type, [x.shape.rank]), grad=NO_GRADIENT)


def shape(input, out_type=dtypes.int32, name=None):
    """The run-time shape of a tensor, as a 1-D int32 tensor (see `.shape` for the static one).

    >>> shape([[1, 2, 3], [4, 5, 6]]).numpy()
    array([2, 3], dtype=int32)
    """
    return apply(SHAPE, (as_tensor(input),), {"out_type": dtypes.as_dtype(out_type)}, name)


SIZE = defop("Size", lambda x, out_type: np.array(np.size(x), dtype=out_type.np),
             lambda x, out_type: (out_type, []), grad=NO_GRADIENT)
RANK = defop("Rank", lambda x: np.int32(np.ndim(x)), lambda x: (dtypes.int32, []),
             grad=NO_GRADIENT)


def size(input, out_type=dtypes.int32, name=None):
    """Number of elements, as a scalar tensor."""
    return apply(SIZE, (as_tensor(input),), {"out_type": dtypes.as_dtype(out_type)}, name)


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


RESHAPE = defop("Reshape", _reshape_kernel, _reshape_infer, inputs=("tensor", "shape"))


def reshape(tensor, shape, name=None):
    """Same values, new shape; one dimension may be -1 (inferred).

    >>> reshape([1, 2, 3, 4], [2, -1]).numpy()
    array([[1, 2],
           [3, 4]], dtype=int32)
    """
    x = as_tensor(tensor)
    if not isinstance(shape, Tensor):
        shape = constant(np.asarray(static_ints("Reshape", "shape", shape), dtype=np.int32))
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


TRANSPOSE = defop("Transpose", lambda x, perm: np.transpose(x, perm), _transpose_infer)


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


EXPAND_DIMS = defop("ExpandDims", lambda x, axis: np.expand_dims(x, axis), _expand_dims_infer)


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


SQUEEZE = defop("Squeeze", lambda x, axis: np.squeeze(x, axis), _squeeze_infer)


def squeeze(input, axis=None, name=None):
    """Remove length-1 dimensions (all of them, or those listed in `axis`)."""
    x = as_tensor(input)
    if axis is not None:
        axis = tuple(normalize_axes("Squeeze", axis if isinstance(axis, (list, tuple))
                                    else [axis], x.shape.rank))
    return apply(SQUEEZE, (x,), {"axis": axis}, name)


# -- creating tensors --------------------------------------------------------------------------

def _static_shape(op_type, shape):
    dims = static_ints(op_type, "shape", shape)
    if dims is not None and any(d < 0 for d in dims):
        raise InvalidArgumentError("%s: shape %s has a negative dimension" % (op_type, dims))
    return dims


def _fill_kernel(dims, value):
    value = as_array(value)
    return np.full(_check_dims("Fill", [int(d) for d in np.reshape(dims, -1)]), value,
                   dtype=value.dtype)


def _check_dims(op_type, dims):
    if any(d < 0 for d in dims):
        raise InvalidArgumentError("%s: shape %s has a negative dimension" % (op_type, dims))
    return dims


def _fill_infer(dims, value):
    if value.shape.rank not in (0, None):
        raise InvalidArgumentError("Fill: value must be a scalar, got shape %s" % value.shape)
    known = static_ints("Fill", "dims", dims)
    if known is not None:
        return value.dtype, _check_dims("Fill", known)
    n = dims.shape[0] if dims.shape.rank == 1 else None
    return value.dtype, None if n is None else [None] * n


FILL = defop("Fill", _fill_kernel, _fill_infer, inputs=("dims", "value"))


def fill(dims, value, name=None):
    """A tensor of shape `dims` filled with the scalar `value`.

    >>> fill([2, 2], 7).numpy()
    array([[7, 7],
           [7, 7]], dtype=int32)
    """
    value = as_tensor(value)
    if state.graph is None and isinstance(value, EagerTensor):
        static = _static_shape("Fill", dims)
        if static is not None:
            return EagerTensor(np.full(static, value._value, dtype=value._value.dtype))
    return apply(FILL, (int_tensor("Fill", "dims", dims), value), None, name)


def _fill_value(dtype, one):
    """0 or 1 of `dtype`; strings have a zero (b"") but no one (as TF)."""
    if not dtype.is_string:
        return 1 if one else 0
    if one:
        raise TypeError("ones: string tensors have no 1; use autotrace.fill(dims, value)")
    return b""


def _filled(shape, dtype, one, name):
    dtype = dtypes.as_dtype(dtype)
    fill_value = _fill_value(dtype, one)
    static = _static_shape("Fill", shape) if not isinstance(shape, SymbolicTensor) else None
    if static is not None:
        return constant(np.full(static, fill_value, dtype=dtype.np), name=name)
    return fill(shape, constant(fill_value, dtype=dtype), name=name)


def zeros(shape, dtype=dtypes.float32, name="zeros"):
    """A tensor of zeros (b"" for strings).

    >>> zeros([2]).numpy()
    array([0., 0.], dtype=float32)
    """
    return _filled(shape, dtype, False, name)


def ones(shape, dtype=dtypes.float32, name="ones"):
    """A tensor of ones (True for bool)."""
    return _filled(shape, dtype, True, name)


def _like(input, dtype, one, name):
    x = as_tensor(input)
    dtype = x.dtype if dtype is None else dtypes.as_dtype(dtype)
    if x.shape.is_fully_defined():
        return _filled(x.shape.as_list(), dtype, one, name)
    return fill(shape(x), constant(_fill_value(dtype, one), dtype=dtype), name=name)


def zeros_like(input, dtype=None, name="zeros_like"):
    """Zeros with the shape (and by default the dtype) of `input`."""
    return _like(input, dtype, False, name)


def ones_like(input, dtype=None, name="ones_like"):
    """Ones with the shape (and by default the dtype) of `input`."""
    return _like(input, dtype, True, name)


def _range_kernel(start, limit, delta):
    if delta == 0:
        raise InvalidArgumentError("Range: delta must not be zero")
    return np.arange(start, limit, delta, dtype=np.result_type(start, limit, delta))


def _range_infer(start, limit, delta):
    dtype = check_same_dtype("Range", (start, limit, delta), ("start", "limit", "delta"))
    values = [constant_value(t) for t in (start, limit, delta)]
    if any(v is None for v in values):
        return dtype, [None]
    if values[2] == 0:
        raise InvalidArgumentError("Range: delta must not be zero")
    n = int(np.ceil((values[1] - values[0]) / values[2]))
    return dtype, [max(n, 0)]


RANGE = defop("Range", _range_kernel, _range_infer, grad=NO_GRADIENT,
              inputs=("start", "limit", "delta"))


def _range_dtype(values):
    """TF's rule: the widest of the arguments' dtypes (Python ints int32, floats float32)."""
    order = [dtypes.int32, dtypes.int64, dtypes.float32, dtypes.float64]
    found = []
    for v in values:
        dt = v.dtype if isinstance(v, Tensor) else dtypes.dtype_of_value(to_numpy(v))
        found.append(dt)
    return max(found, key=lambda d: order.index(d) if d in order else -1)


def range(start, limit=None, delta=1, dtype=None, name="range"):
    """Numbers from start (inclusive) to limit (exclusive) by delta; `range(10)` is int32.

    >>> range(5).numpy()
    array([0, 1, 2, 3, 4], dtype=int32)
    """
    if limit is None:
        start, limit = 0, start
    dtype = dtypes.as_dtype(dtype) if dtype is not None else _range_dtype((start, limit, delta))
    args = []
    for v in (start, limit, delta):
        if isinstance(v, Tensor) and v.dtype is not dtype:
            from .math_ops import cast
            v = cast(v, dtype)
        args.append(as_tensor(v, None if isinstance(v, Tensor) else dtype))
    return apply(RANGE, args, None, name)




# -- linspace / eye ----------------------------------------------------------------------------

def _linspace_kernel(start, stop, num, axis):
    num = _check_num(scalar_value("LinSpace", "num", num))
    return np.linspace(start, stop, num, axis=axis, dtype=np.result_type(start, stop))


def _check_num(num):
    if num < 0:
        raise InvalidArgumentError("LinSpace: num must be >= 0, got %d" % num)
    return num


def _linspace_infer(start, stop, num, axis):
    check_dtype("LinSpace", start, FLOAT, "start")
    dtype = check_same_dtype("LinSpace", (start, stop), ("start", "stop"))
    n = check_int_scalar("LinSpace", "num", num)
    shape = broadcast_shapes("LinSpace", start.shape, stop.shape)
    if shape.rank is None:
        return dtype, None
    dims = list(shape.as_tuple())
    dims.insert(new_axis("LinSpace", axis, len(dims), "start and stop"),
                None if n is None else _check_num(n))
    return dtype, dims


LIN_SPACE = defop("LinSpace", _linspace_kernel, _linspace_infer, inputs=("start", "stop", "num"),
                  eager_check=True)


def linspace(start, stop, num, name="linspace", axis=0):
    """`num` evenly spaced values from start to stop, both included. Python floats give
    float32 and integers float64 (as TF); start and stop may be tensors that broadcast, the
    values then run along `axis` of the result.

    >>> linspace(0.0, 1.0, 5).numpy()
    array([0.  , 0.25, 0.5 , 0.75, 1.  ], dtype=float32)
    """
    from .math_ops import binary_operands, cast
    start, stop = binary_operands("LinSpace", start, stop)
    if start.dtype.is_integer and stop.dtype is start.dtype:
        start, stop = cast(start, dtypes.float64), cast(stop, dtypes.float64)
    axis = static_int("LinSpace", "axis", axis)
    return apply(LIN_SPACE, (start, stop, as_tensor(num)), {"axis": axis}, name)


def _eye_size(arg, n):
    if n < 0:
        raise InvalidArgumentError("eye: %s must be >= 0, got %d" % (arg, n))
    return n


def _eye_kernel(num_rows, num_columns, batch_shape, dtype):
    rows = _eye_size("num_rows", scalar_value("eye", "num_rows", num_rows))
    cols = _eye_size("num_columns", scalar_value("eye", "num_columns", num_columns))
    matrix = np.eye(rows, cols, dtype=dtype.np)
    return np.array(np.broadcast_to(matrix, batch_shape + (rows, cols)))  # a writable copy


def _eye_infer(num_rows, num_columns, batch_shape, dtype):
    dims = []
    for arg, t in (("num_rows", num_rows), ("num_columns", num_columns)):
        n = check_int_scalar("eye", arg, t)
        dims.append(None if n is None else _eye_size(arg, n))
    return dtype, list(batch_shape) + dims


EYE = defop("Eye", _eye_kernel, _eye_infer, grad=NO_GRADIENT,
            inputs=("num_rows", "num_columns"), eager_check=True)


def eye(num_rows, num_columns=None, batch_shape=None, dtype=dtypes.float32, name=None):
    """An identity matrix (ones on the diagonal), optionally a batch of them.

    >>> eye(2, 3, dtype="int32").numpy()
    array([[1, 0, 0],
           [0, 1, 0]], dtype=int32)
    """
    dtype = dtypes.as_dtype(dtype)
    if dtype.is_string:
        raise TypeError("eye: dtype must be numeric or bool, got string")
    rows = as_tensor(num_rows)
    cols = rows if num_columns is None else as_tensor(num_columns)
    batch = () if batch_shape is None else _static_shape("Eye", batch_shape)
    if batch is None:
        raise InvalidArgumentError("eye: batch_shape must be known when the graph is built")
    return apply(EYE, (rows, cols), {"batch_shape": tuple(batch), "dtype": dtype}, name)


newaxis = None


# -- placeholder -------------------------------------------------------------------------------

def _placeholder_kernel(dtype, shape):
    raise InvalidArgumentError("You must feed a value for this placeholder")


PLACEHOLDER = defop("Placeholder", _placeholder_kernel, lambda dtype, shape: (dtype, shape),
                    grad=NO_GRADIENT, inputs=(), fold=False)


# -- ops that moved ----------------------------------------------------------------------------

# Joining/splitting ops moved to manip_ops and indexing ops to index_ops; other modules (and
# TF habit) still reach them as `array_ops.<name>`, resolved lazily to avoid an import cycle.
_MOVED_TO = ("manip_ops", "index_ops")


def __getattr__(name):
    for module_name in _MOVED_TO:
        module = importlib.import_module("." + module_name, __package__)
        if name in module.__all__ or name in module._MOVED_NAMES:
            value = globals()[name] = getattr(module, name)
            return value
    raise AttributeError("module %r has no attribute %r" % (__name__, name))
