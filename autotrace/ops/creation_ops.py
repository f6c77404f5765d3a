"""Creating tensors: fill, zeros, ones (and their _like forms), range, linspace and eye.

Moved from array_ops (still reachable as `array_ops.<name>`). Fill differentiates with respect
to its value (the sum of the gradient) and LinSpace with respect to start and stop (as TF,
whose linspace is composed of differentiable ops); range, eye and shapes carry none.

>>> import autotrace as tf
>>> tf.zeros([2, 3]).shape
TensorShape([2, 3])
"""
import builtins

import numpy as np

from ..core import dtypes
from ..core.context import process, state
from ..core.errors import InvalidArgumentError
from ..core.tensor import EagerTensor, SymbolicTensor, Tensor
from .array_ops import (as_array, as_tensor, check_int_scalar, int_tensor, new_axis, reshape,
                        scalar_value, shape, shape_of, static_int, static_ints, transpose,
                        with_shape_of)
from .constant_op import constant, constant_value, to_numpy
from .dispatch import dispatchable
from .registry import NO_GRADIENT, apply, defop
from .shapes import FLOAT, broadcast_shapes, check_dtype, check_same_dtype

__all__ = ["fill", "zeros", "ones", "zeros_like", "ones_like", "range", "linspace", "eye"]
# Internal names other modules reach as array_ops.<name> (see array_ops.__getattr__).
_MOVED_NAMES = ("FILL", "RANGE", "LIN_SPACE", "EYE")


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


def _fill_grad(op, g):
    """Every element is the value: its gradient is the sum of the gradient."""
    from .gradient_ops import sum_to_shape
    return [None, sum_to_shape(g, [])]


FILL = defop("Fill", _fill_kernel, _fill_infer, grad=_fill_grad, inputs=("dims", "value"))


def fill(dims, value, name=None):
    """A tensor of shape `dims` filled with the scalar `value`.

    >>> fill([2, 2], 7).numpy()
    array([[7, 7],
           [7, 7]], dtype=int32)
    """
    value = as_tensor(value)
    if isinstance(value, EagerTensor) and (process.all_eager or (
            state.graph is None and not state.tapes)):
        static = _static_shape("Fill", dims)
        if static is not None:
            return EagerTensor(np.full(static, value._value, dtype=value._value.dtype))
    return apply(FILL, (int_tensor("Fill", "dims", dims), value), None, name)


def _fill_value(dtype, one):
    """0 or 1 of `dtype`; strings have a zero (b"") but no one (as TF)."""
    if dtype.is_bool:
        return bool(one)  # constant() refuses 1 for bool (as TF)
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
    return with_shape_of(fill(shape(x), constant(_fill_value(dtype, one), dtype=dtype),
                              name=name), x)


@dispatchable
def zeros_like(input, dtype=None, name="zeros_like"):
    """Zeros with the shape (and by default the dtype) of `input`."""
    return _like(input, dtype, False, name)


@dispatchable
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


def _linspace_grad(op, g):
    """Element k along the axis is start + (stop - start) * t_k, t_k = k / max(num - 1, 1): the
    gradient of stop is the sum of g * t over the axis, that of start of g * (1 - t)."""
    from .gradient_ops import sum_to_shape
    from .math_ops import cast, maximum, reduce_sum
    start, stop, num = op.inputs
    axis, rank = op.attrs["axis"], g.shape.rank
    t = cast(range(num), g.dtype) / cast(maximum(num - 1, 1), g.dtype)
    if rank is not None:
        t = reshape(t, [-1] + [1] * (rank - 1 - axis))
    g_stop = g * t
    g_start = g - g_stop
    grads = []
    for x, gx in ((start, g_start), (stop, g_stop)):
        if rank is None:
            gx = reduce_sum(gx, axis=axis)  # a rank only known at run time: rare
        elif axis:
            gx = transpose(gx, [axis] + [i for i in builtins.range(rank) if i != axis])
        grads.append(with_shape_of(sum_to_shape(gx, shape_of(x)), x))
    return grads + [None]


LIN_SPACE = defop("LinSpace", _linspace_kernel, _linspace_infer, grad=_linspace_grad,
                  inputs=("start", "stop", "num"), eager_check=True)


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
