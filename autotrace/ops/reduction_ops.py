"""Reductions (sum, prod, mean, max, min, all, any), the functions composed from them
(logsumexp, variance, std, count_nonzero), and argmax / argmin, with their gradient rules.

>>> import autotrace as tf
>>> tf.reduce_sum([[1, 2], [3, 4]], axis=0)
<tf.Tensor: shape=(2,), dtype=int32, numpy=array([4, 6], dtype=int32)>

A reduction's gradient puts the reduced axes back (length 1) and broadcasts to the input:

    x: [2, 3] --reduce_sum(axis=1)--> [2]     d/dx: g [2] -> [2, 1] -> broadcast to [2, 3]
"""
import numpy as np

from ..core import dtypes
from ..core.errors import InvalidArgumentError
from ..core.tensor import Tensor
from . import array_ops
from .constant_op import adopt_operand, constant, constant_value
from .math_ops import abs as absolute
from .linalg_ops import conj
from .math_ops import (_tensor, add, cast, equal, exp, floordiv, is_finite, log, maximum,
                       multiply, not_equal, sqrt, square, squared_difference, subtract,
                       truediv)
from .dispatch import CompositeArgumentError, dispatch
from .registry import NO_GRADIENT, apply, defop
from .shapes import (BOOL, FLOAT, NUMERIC, REAL, check_dtype, normalize_axes, normalize_axis,
                     reduced_shape)

__all__ = ["reduce_sum", "reduce_prod", "reduce_mean", "reduce_max", "reduce_min",
           "reduce_all", "reduce_any", "reduce_logsumexp", "reduce_variance", "reduce_std",
           "count_nonzero", "argmax", "argmin"]


# -- kernels -----------------------------------------------------------------------------------

def _reduce_infer(op_type, kinds, out_dtype=None):
    def infer(x, axis, keepdims):
        check_dtype(op_type, x, kinds)
        axes = normalize_axes(op_type, axis, x.shape.rank)
        return (out_dtype or x.dtype), reduced_shape(x.shape, axes, keepdims)
    return infer


def _np_axis(axis):
    return axis if axis is None or len(axis) != 1 else axis[0]


def _sum(x, axis, keepdims):
    return np.sum(x, axis=_np_axis(axis), keepdims=keepdims, dtype=x.dtype)


def _prod(x, axis, keepdims):
    return np.prod(x, axis=_np_axis(axis), keepdims=keepdims, dtype=x.dtype)


def _mean(x, axis, keepdims):
    count = x.size if axis is None else int(np.prod([x.shape[a] for a in axis]))
    if x.dtype.kind in "iu":  # TensorFlow's integer mean truncates toward zero (0 if empty)
        total = np.sum(x, axis=_np_axis(axis), keepdims=keepdims, dtype=np.int64)
        return (np.sign(total) * (np.abs(total) // max(count, 1))).astype(x.dtype)
    total = np.sum(x, axis=_np_axis(axis), keepdims=keepdims, dtype=x.dtype)
    with np.errstate(invalid="ignore", divide="ignore"):  # the mean of nothing is nan
        return total / x.dtype.type(count)


def _lowest(dtype):
    return -np.inf if dtype.kind == "f" else (np.iinfo(dtype).min if dtype.kind in "iu" else False)


def _highest(dtype):
    return np.inf if dtype.kind == "f" else (np.iinfo(dtype).max if dtype.kind in "iu" else True)


def _max(x, axis, keepdims):
    return np.max(x, axis=_np_axis(axis), keepdims=keepdims, initial=_lowest(x.dtype))


def _min(x, axis, keepdims):
    return np.min(x, axis=_np_axis(axis), keepdims=keepdims, initial=_highest(x.dtype))


def _all(x, axis, keepdims):
    return np.all(x, axis=_np_axis(axis), keepdims=keepdims)


def _any(x, axis, keepdims):
    return np.any(x, axis=_np_axis(axis), keepdims=keepdims)


# -- gradient rules ----------------------------------------------------------------------------

def _restore_axes(t, x, axes, keepdims):
    """A reduction's result `t` with the reduced axes of `x` back, as length-1 dimensions."""
    if keepdims or axes is None:  # axis=None without keepdims: a scalar broadcasts as it is
        return t
    shape, rank = x.shape, x.shape.rank
    if shape.is_fully_defined():
        return array_ops.reshape(t, reduced_shape(shape, axes, True).as_list())
    if rank is not None:  # the axes are non-negative when the rank is known
        for axis in sorted(axes):
            t = array_ops.expand_dims(t, axis)
        return t
    return array_ops.reshape(t, _kept_dims_at_run_time(x, axes))


def _kept_dims_at_run_time(x, axes):
    """shape(x) with 1 at the (possibly negative) `axes`, for x of unknown rank."""
    dims = array_ops.shape(x)
    rank = array_ops.size(dims)
    wanted = (constant(np.asarray(axes, np.int32)) + rank) % rank
    positions = array_ops.range(0, rank)
    reduced = reduce_any(equal(array_ops.expand_dims(positions, 1),
                               array_ops.expand_dims(wanted, 0)), axis=1)
    return array_ops.where(reduced, array_ops.ones_like(dims), dims)


def _broadcast_like(t, x):
    """`t` (with length-1 reduced axes) broadcast to the shape of `x`."""
    shape = x.shape
    if shape.is_fully_defined():
        if t.shape == shape:
            return t
        return array_ops.broadcast_to(t, shape.as_list())
    return array_ops.broadcast_to(t, array_ops.shape(x))


def _axes(op):
    return op.attrs["axis"], op.attrs["keepdims"]


def _sum_grad(op, g):
    x = op.inputs[0]
    axes, keepdims = _axes(op)
    return [_broadcast_like(_restore_axes(g, x, axes, keepdims), x)]


def _reduced_count(op, dtype):
    """How many elements each result of the reduction `op` summed: static when known."""
    x, y = op.inputs[0], op.outputs[0]
    axes = op.attrs["axis"]
    dims = x.shape.as_tuple() if x.shape.rank is not None else None
    if dims is not None:
        counted = dims if axes is None else [dims[a] for a in axes]
        if None not in counted:
            return int(np.prod(counted, dtype=np.int64))
    sizes = floordiv(array_ops.size(x), maximum(array_ops.size(y), 1))
    return cast(sizes, dtype)


def _mean_grad(op, g):
    return _sum_grad(op, truediv(g, _reduced_count(op, g.dtype)))


def _prod_grad(op, g):
    """d prod / dx_i is the product of the others: y / x_i where x_i != 0; at a zero, the
    product of the others if it is the only zero of its group, else 0."""
    x, y = op.inputs[0], op.outputs[0]
    axes, keepdims = _axes(op)
    g = _restore_axes(g, x, axes, keepdims)
    y = _restore_axes(y, x, axes, keepdims)
    is_zero = equal(x, 0)
    # x with 1 at its zeros: no 0 / 0 below, nor in the gradient of this gradient
    safe_x = array_ops.where(is_zero, array_ops.ones_like(x), x)
    zero_count = reduce_sum(cast(is_zero, dtypes.int32), axis=axes, keepdims=True)
    others = reduce_prod(safe_x, axis=axes, keepdims=True)  # the product of the non-zeros
    at_zero = array_ops.where(equal(zero_count, 1), others, array_ops.zeros_like(others))
    partial = array_ops.where(is_zero, at_zero, truediv(y, safe_x))
    return [multiply(g, conj(partial))]


def _extremum_grad(op, g):
    """Max / Min: the gradient is shared equally among the elements equal to the result
    (as TensorFlow)."""
    x, y = op.inputs[0], op.outputs[0]
    axes, keepdims = _axes(op)
    g = _restore_axes(g, x, axes, keepdims)
    y = _restore_axes(y, x, axes, keepdims)
    chosen = cast(equal(x, y), g.dtype)
    count = reduce_sum(chosen, axis=axes, keepdims=True)
    return [multiply(truediv(chosen, count), g)]


# -- reductions --------------------------------------------------------------------------------

REDUCTION_OPS = {}  # op type -> OpDef


def _make_reduction(opdef, public_name):
    op_type = opdef.type

    def fn(input_tensor, axis=None, keepdims=False, name=None):
        try:
            x = _tensor(input_tensor)
        except CompositeArgumentError as error:  # ragged/sparse: the dispatch table
            return dispatch(fn, (input_tensor,), {"axis": axis, "keepdims": keepdims,
                                                  "name": name}, error)
        axes = normalize_axes(op_type, _static_axis(op_type, axis), x.shape.rank)
        if axes and x.shape.rank == 0:
            raise InvalidArgumentError("%s: axis %r is out of range for a scalar, which has no "
                                       "axes to reduce (use axis=None)" % (op_type, axis))
        return apply(opdef, (x,), {"axis": axes, "keepdims": bool(keepdims)}, name)
    fn.__name__ = fn.__qualname__ = public_name
    fn.__doc__ = ("%s of elements across `axis` (None: all axes); `keepdims` keeps reduced "
                  "axes with length 1." % public_name.replace("reduce_", "").capitalize())
    return fn


def _static_axis(op_type, axis):
    """`axis` as Python ints; a tensor axis must be known while the graph is built."""
    if isinstance(axis, Tensor) or (isinstance(axis, (list, tuple)) and
                                   any(isinstance(a, Tensor) for a in axis)):
        value = constant_value(axis) if isinstance(axis, Tensor) else \
            [constant_value(a) for a in axis]
        if value is None or (isinstance(value, list) and any(v is None for v in value)):
            raise InvalidArgumentError("%s: axis must be known while the graph is built; got "
                                       "the computed tensor %s" % (op_type, axis))
        value = np.asarray(value)
        return value.tolist() if value.ndim else int(value)
    return axis


def reduction(op_type, public_name, kernel, kinds, grad):
    """Declare a reduction op (a row of the table below); returns its function."""
    out = dtypes.bool if kinds == BOOL else None
    REDUCTION_OPS[op_type] = defop(op_type, kernel, _reduce_infer(op_type, kinds, out),
                                   accepts=kinds, grad=grad)
    return _make_reduction(REDUCTION_OPS[op_type], public_name)


# public function = reduction(type, public name, kernel, accepted kinds, gradient rule)
reduce_sum = reduction("Sum", "reduce_sum", _sum, NUMERIC, _sum_grad)
reduce_prod = reduction("Prod", "reduce_prod", _prod, NUMERIC, _prod_grad)
reduce_mean = reduction("Mean", "reduce_mean", _mean, NUMERIC, _mean_grad)
reduce_max = reduction("Max", "reduce_max", _max, REAL, _extremum_grad)
reduce_min = reduction("Min", "reduce_min", _min, REAL, _extremum_grad)
reduce_all = reduction("All", "reduce_all", _all, BOOL, NO_GRADIENT)
reduce_any = reduction("Any", "reduce_any", _any, BOOL, NO_GRADIENT)

# -- composed reductions (they differentiate through their component ops) ----------------------

def reduce_logsumexp(input_tensor, axis=None, keepdims=False, name=None):
    """log(sum(exp(x))) across `axis`, computed stably (the max is subtracted first)."""
    x = _tensor(input_tensor)
    check_dtype("reduce_logsumexp", x, FLOAT)
    raw_max = reduce_max(x, axis=axis, keepdims=True)
    finite_max = array_ops.stop_gradient(
        array_ops.where(is_finite(raw_max), raw_max, array_ops.zeros_like(raw_max)))
    total = reduce_sum(exp(subtract(x, finite_max)), axis=axis, keepdims=keepdims)
    if not keepdims:
        finite_max = _squeeze_axes(finite_max, axis, x.shape.rank)
    return add(log(total), finite_max, name=name)


def _squeeze_axes(t, axis, rank):
    if axis is None:
        return array_ops.reshape(t, [])
    axes = normalize_axes("reduce_logsumexp", _static_axis("reduce_logsumexp", axis), rank)
    return array_ops.squeeze(t, axis=list(axes))


def reduce_variance(input_tensor, axis=None, keepdims=False, name=None):
    """Population variance across `axis` (the mean of squared deviations; real for complex
    input, as TF)."""
    x = _tensor(input_tensor)
    check_dtype("reduce_variance", x, FLOAT)
    mean = reduce_mean(x, axis=axis, keepdims=True)
    if x.dtype.is_complex:
        deviation = square(absolute(subtract(x, mean)))
    else:
        deviation = squared_difference(x, mean)
    return reduce_mean(deviation, axis=axis, keepdims=keepdims, name=name)


def reduce_std(input_tensor, axis=None, keepdims=False, name=None):
    """Population standard deviation across `axis`."""
    return sqrt(reduce_variance(input_tensor, axis=axis, keepdims=keepdims), name=name)


def count_nonzero(input_tensor, axis=None, keepdims=False, dtype=dtypes.int64, name=None):
    """Number of nonzero elements across `axis`."""
    x = _tensor(input_tensor)
    zero = not_equal(x, adopt_operand(0 if not x.dtype.is_bool else False, x.dtype))
    return reduce_sum(cast(zero, dtype), axis=axis, keepdims=keepdims, name=name)


# -- argmax / argmin ---------------------------------------------------------------------------

def _arg_infer(op_type):
    def infer(x, axis, output_type):
        check_dtype(op_type, x, REAL + BOOL)
        if output_type not in (dtypes.int32, dtypes.int64, dtypes.int16, dtypes.uint16):
            raise InvalidArgumentError("%s: output_type must be int32 or int64, got %s"
                                       % (op_type, output_type.name))
        rank = x.shape.rank
        if rank == 0:
            raise InvalidArgumentError("%s needs a tensor of rank >= 1, got a scalar" % op_type)
        axis = normalize_axis(op_type, axis, rank)
        return output_type, reduced_shape(x.shape, (axis,), False)
    return infer


def _argmax(x, axis, output_type):
    return np.argmax(x, axis=axis).astype(output_type.np)


def _argmin(x, axis, output_type):
    return np.argmin(x, axis=axis).astype(output_type.np)


ARG_MAX = defop("ArgMax", _argmax, _arg_infer("ArgMax"), grad=NO_GRADIENT, eager_check=True)
ARG_MIN = defop("ArgMin", _argmin, _arg_infer("ArgMin"), grad=NO_GRADIENT, eager_check=True)


def argmax(input, axis=None, output_type=dtypes.int64, name=None):
    """Index of the largest value along `axis` (default 0); ties take the first index.

    >>> argmax([[1, 9], [8, 2]], axis=1).numpy()
    array([1, 0])
    """
    x = _tensor(input)
    axis = 0 if axis is None else _static_axis("ArgMax", axis)
    axis = normalize_axis("ArgMax", axis, x.shape.rank)
    return apply(ARG_MAX, (x,), {"axis": axis, "output_type": dtypes.as_dtype(output_type)},
                 name)


def argmin(input, axis=None, output_type=dtypes.int64, name=None):
    """Index of the smallest value along `axis` (default 0); ties take the first index."""
    x = _tensor(input)
    axis = 0 if axis is None else _static_axis("ArgMin", axis)
    axis = normalize_axis("ArgMin", axis, x.shape.rank)
    return apply(ARG_MIN, (x,), {"axis": axis, "output_type": dtypes.as_dtype(output_type)},
                 name)
