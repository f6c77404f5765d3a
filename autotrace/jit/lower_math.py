"""XLA lowerings of the math ops: elementwise, comparisons, cast, reductions, products."""
import numpy as np
import jax
import jax.numpy as jnp
from jax import lax

from ..core.errors import InternalError
from ..ops.tensor_list import TensorList
from .lower_lists import from_tensor_list
from .table import lowering, table_rows


def _sigmoid(x):
    return jax.nn.sigmoid(x) if not jnp.iscomplexobj(x) else 1 / (1 + jnp.exp(-x))


def _round(x):
    return jnp.round(x) if jnp.issubdtype(x.dtype, jnp.inexact) else x


UNARY = {
    "Neg": jnp.negative, "Abs": jnp.abs, "Sign": jnp.sign, "Square": jnp.square,
    "Sqrt": jnp.sqrt, "Rsqrt": lax.rsqrt, "Exp": jnp.exp, "Log": jnp.log, "Log1p": jnp.log1p,
    "Expm1": jnp.expm1, "Sin": jnp.sin, "Cos": jnp.cos, "Tan": jnp.tan, "Asin": jnp.arcsin,
    "Acos": jnp.arccos, "Atan": jnp.arctan, "Sinh": jnp.sinh, "Cosh": jnp.cosh,
    "Tanh": jnp.tanh, "Sigmoid": _sigmoid, "Round": _round, "Floor": jnp.floor,
    "Ceil": jnp.ceil, "Reciprocal": jnp.reciprocal, "Invert": jnp.invert,
    "LogicalNot": jnp.logical_not, "IsNan": jnp.isnan, "IsInf": jnp.isinf,
    "IsFinite": jnp.isfinite, "Conj": jnp.conj, "Erf": lax.erf,
}


def _squared_difference(x, y):
    d = x - y
    return d * jnp.conj(d) if jnp.iscomplexobj(d) else d * d


def _div_no_nan(x, y):
    zero = y == 0
    return jnp.where(zero, jnp.zeros_like(x), x / jnp.where(zero, jnp.ones_like(y), y))


BINARY = {
    "AddV2": jnp.add, "Sub": jnp.subtract, "Mul": jnp.multiply, "RealDiv": jnp.true_divide,
    "FloorDiv": jnp.floor_divide, "FloorMod": jnp.remainder, "Pow": jnp.power,
    "Maximum": jnp.maximum, "Minimum": jnp.minimum, "SquaredDifference": _squared_difference,
    "Atan2": jnp.arctan2, "LogicalAnd": jnp.logical_and, "LogicalOr": jnp.logical_or,
    "BitwiseAnd": jnp.bitwise_and, "BitwiseOr": jnp.bitwise_or,
    "BitwiseXor": jnp.bitwise_xor, "Equal": jnp.equal, "NotEqual": jnp.not_equal,
    "Less": jnp.less, "LessEqual": jnp.less_equal, "Greater": jnp.greater,
    "GreaterEqual": jnp.greater_equal, "DivNoNan": _div_no_nan,
}

table_rows(UNARY, lambda fn: lambda lw, op, x: fn(x))
table_rows(BINARY, lambda fn: lambda lw, op, x, y: fn(x, y))


@lowering("Const")
def _const(lw, op):
    value = op.attrs["value"]
    if isinstance(value, TensorList):  # a TensorArray made of constants, folded
        return from_tensor_list(lw, op, value)
    return value


@lowering("Placeholder")
def _placeholder(lw, op):
    raise InternalError("placeholder %r has no value" % op.name)  # lower_graph binds them


@lowering("Identity", "StopGradient")
def _identity(lw, op, x):
    return x


@lowering("NoOp")
def _no_op(lw, op):
    return []


@lowering("Cast")
def _cast(lw, op, x):
    dst = op.attrs["DstT"].np
    if jnp.iscomplexobj(x) and not np.issubdtype(dst, np.complexfloating):
        x = jnp.real(x)  # as TensorFlow: the imaginary part is dropped
    return lax.convert_element_type(x, dst)


@lowering("AddN")
def _add_n(lw, op, *xs):
    total = xs[0]
    for x in xs[1:]:
        total = total + x
    return total


# -- reductions --------------------------------------------------------------------------------

def _axis(op):
    axis = op.attrs["axis"]
    return None if axis is None else tuple(axis)


def _reduction(fn):
    return lambda lw, op, x: fn(x, axis=_axis(op), keepdims=op.attrs["keepdims"])


def _sum(x, axis, keepdims):
    return jnp.sum(x, axis=axis, keepdims=keepdims, dtype=x.dtype)


def _prod(x, axis, keepdims):
    return jnp.prod(x, axis=axis, keepdims=keepdims, dtype=x.dtype)


def _mean(x, axis, keepdims):
    count = int(np.prod([x.shape[a] for a in axis])) if axis is not None else x.size
    if jnp.issubdtype(x.dtype, jnp.integer):  # TF truncates an integer mean toward zero
        total = jnp.sum(x, axis=axis, keepdims=keepdims, dtype=jnp.int64)
        return (jnp.sign(total) * (jnp.abs(total) // max(count, 1))).astype(x.dtype)
    return jnp.sum(x, axis=axis, keepdims=keepdims, dtype=x.dtype) / np.asarray(count, x.dtype)


def _extreme(fn, pick):
    def reduce(x, axis, keepdims):
        return fn(x, axis=axis, keepdims=keepdims, initial=pick(x.dtype))
    return reduce


def _lowest(dtype):
    if jnp.issubdtype(dtype, jnp.floating):
        return -np.inf
    return np.iinfo(dtype).min if jnp.issubdtype(dtype, jnp.integer) else False


def _highest(dtype):
    if jnp.issubdtype(dtype, jnp.floating):
        return np.inf
    return np.iinfo(dtype).max if jnp.issubdtype(dtype, jnp.integer) else True


REDUCTIONS = {"Sum": _sum, "Prod": _prod, "Mean": _mean, "Max": _extreme(jnp.max, _lowest),
              "Min": _extreme(jnp.min, _highest), "All": jnp.all, "Any": jnp.any}
table_rows(REDUCTIONS, _reduction)


@lowering("ArgMax", "ArgMin")
def _arg(lw, op, x):
    fn = jnp.argmax if op.type == "ArgMax" else jnp.argmin
    return fn(x, axis=op.attrs["axis"]).astype(op.attrs["output_type"].np)


# -- products ----------------------------------------------------------------------------------

@lowering("MatMul")
def _matmul(lw, op, a, b):
    if op.attrs["transpose_a"]:
        a = jnp.swapaxes(a, -1, -2)
    if op.attrs["transpose_b"]:
        b = jnp.swapaxes(b, -1, -2)
    return jnp.matmul(a, b)


@lowering("Einsum")
def _einsum(lw, op, *inputs):
    return jnp.einsum(op.attrs["equation"], *inputs)


@lowering("Cumsum", "Cumprod")
def _cumulative(lw, op, x):
    axis = op.attrs["axis"]
    fn = jnp.cumsum if op.type == "Cumsum" else jnp.cumprod
    neutral = 0 if op.type == "Cumsum" else 1
    if op.attrs["reverse"]:
        x = jnp.flip(x, axis)
    out = fn(x, axis=axis, dtype=x.dtype)
    if op.attrs["exclusive"] and x.shape[axis]:
        pad = [(0, 0)] * x.ndim
        pad[axis] = (1, 0)
        out = jnp.pad(lax.slice_in_dim(out, 0, x.shape[axis] - 1, axis=axis), pad,
                      constant_values=neutral)
    return jnp.flip(out, axis) if op.attrs["reverse"] else out
