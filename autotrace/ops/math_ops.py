"""Math ops: elementwise unary and binary ops, comparisons, reductions, matmul, cast.

Elementwise ops are declared from tables (one row per op: type, kernel, accepted dtypes);
ops with their own shape rule are declared one block each below.

>>> import autotrace as tf
>>> tf.add([1.0, 2.0], 1.0)
<autotrace.Tensor: shape=(2,), dtype=float32, numpy=array([2., 3.], dtype=float32)>
>>> tf.reduce_sum([[1, 2], [3, 4]], axis=0)
<autotrace.Tensor: shape=(2,), dtype=int32, numpy=array([4, 6], dtype=int32)>
"""
import warnings

import numpy as np

from .. import dtypes
from ..errors import InvalidArgumentError, InvalidShapeError
from ..tensor import Tensor
from ..tensor_shape import TensorShape
from ..errors import DTypeMismatchError
from .constant_op import (ConversionError, adopt_operand, constant_value, convert_to_tensor,
                          to_numpy)
from .registry import NO_GRADIENT, apply, defop
from .shapes import (ANY, BOOL, FLOAT, INT, NUMERIC, REAL, broadcast_shapes, check_dtype,
                     check_same_dtype, normalize_axes, normalize_axis, reduced_shape)

# NumPy warns when a kernel produces inf or nan (1 / 0, log(0), overflow); TensorFlow returns
# them silently. Ignore exactly those warnings, and only when raised from autotrace's own code
# (kernels run in autotrace.ops.* and autotrace.execution.*): free at run time, unlike
# np.errstate around every kernel call.
warnings.filterwarnings(
    "ignore", message=r"(divide by zero|overflow|invalid value|underflow) encountered",
    category=RuntimeWarning, module=r"autotrace\.")

# -- helpers -----------------------------------------------------------------------------------


def _tensor(x):
    return x if isinstance(x, Tensor) else convert_to_tensor(x)


def binary_operands(op_type, x, y, names=("x", "y")):
    """Convert the operands of a binary op: a non-tensor operand takes the other's dtype;
    two tensors of different dtypes are an error (no silent promotion, as in TensorFlow)."""
    if not isinstance(x, Tensor):
        if isinstance(y, Tensor):
            x = _adopt(op_type, x, names[0], y, names[1])
        else:
            x = convert_to_tensor(x)
    if not isinstance(y, Tensor):
        y = _adopt(op_type, y, names[1], x, names[0])
    if x.dtype is not y.dtype:
        check_same_dtype(op_type, (x, y), names)
    return x, y


def _adopt(op_type, value, arg, other, other_arg):
    try:
        return adopt_operand(value, other.dtype)
    except ConversionError as err:
        raise _operand_error(op_type, value, arg, other, other_arg, err.reason) from None


def _operand_error(op_type, value, arg, other, other_arg, reason):
    """A Python/NumPy operand that does not fit the dtype of the tensor operand."""
    try:
        natural = dtypes.dtype_of_value(to_numpy(value))
    except (TypeError, ValueError):
        natural = None
    advice = ""
    if natural is not None and natural is not other.dtype and natural.is_numeric \
            and not other.dtype.is_string:
        advice = "; to compute in %s, cast %s first: autotrace.cast(%s, autotrace.%s)" % (
            natural.name, other_arg, other_arg, natural.name)
    text = repr(value)
    text = text if len(text) < 60 else text[:57] + "..."
    return DTypeMismatchError(
        "%s: %s = %s does not fit the dtype of %s (%s, shape %s): %s. A Python or NumPy "
        "operand takes the dtype of the tensor operand (autotrace never converts dtypes "
        "implicitly)%s" % (op_type, arg, text, other_arg, other.dtype.name, other.shape, reason,
                           advice))


def _make_unary(opdef, public_name, doc):
    def fn(x, name=None):
        return apply(opdef, (_tensor(x),), None, name)
    fn.__name__ = fn.__qualname__ = public_name
    fn.__doc__ = doc
    return fn


def _make_binary(opdef, public_name, doc):
    op_type = opdef.type

    def fn(x, y, name=None):
        x, y = binary_operands(op_type, x, y)
        return apply(opdef, (x, y), None, name)
    fn.__name__ = fn.__qualname__ = public_name
    fn.__doc__ = doc
    return fn


# -- elementwise unary ops ---------------------------------------------------------------------

def _sigmoid(x):
    # exp(-|x|) never overflows, and e / (1 + e) keeps the relative precision of tiny results
    # for negative x (0.5 * (1 + tanh(x / 2)) rounds sigmoid(-20) in float32 to 0).
    if x.dtype.kind == "c":
        return 1 / (1 + np.exp(-x))
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1 / (1 + e), e / (1 + e)).astype(x.dtype, copy=False)


def _rsqrt(x):
    return 1.0 / np.sqrt(x)


def _reciprocal(x):
    return np.reciprocal(x)


def _sign(x):
    return np.sign(x)


def _round_half_even(x):
    return np.round(x) if x.dtype.kind in "fc" else x


def _unary_infer(op_type, kinds):
    def infer(x):
        check_dtype(op_type, x, kinds)
        return x.dtype, x.shape
    return infer


def _abs_infer(x):
    check_dtype("Abs", x, NUMERIC)
    return x.dtype.real_dtype, x.shape  # |complex| is real (TF's ComplexAbs)


def _bool_unary_infer(op_type, kinds):
    def infer(x):
        check_dtype(op_type, x, kinds)
        return dtypes.bool, x.shape
    return infer


# type, public name, kernel, accepted dtype kinds, doc
_UNARY = [
    ("Neg", "negative", np.negative, NUMERIC, "-x, elementwise."),
    ("Abs", "abs", np.abs, NUMERIC, "|x|, elementwise."),
    ("Sign", "sign", _sign, NUMERIC, "-1, 0 or 1 by the sign of x, elementwise."),
    ("Square", "square", np.square, NUMERIC, "x * x, elementwise."),
    ("Sqrt", "sqrt", np.sqrt, FLOAT, "Square root, elementwise."),
    ("Rsqrt", "rsqrt", _rsqrt, FLOAT, "1 / sqrt(x), elementwise."),
    ("Exp", "exp", np.exp, FLOAT, "e ** x, elementwise."),
    ("Log", "log", np.log, FLOAT, "Natural logarithm, elementwise."),
    ("Log1p", "log1p", np.log1p, FLOAT, "log(1 + x), accurate for small x."),
    ("Expm1", "expm1", np.expm1, FLOAT, "exp(x) - 1, accurate for small x."),
    ("Sin", "sin", np.sin, FLOAT, "Sine, elementwise."),
    ("Cos", "cos", np.cos, FLOAT, "Cosine, elementwise."),
    ("Tan", "tan", np.tan, FLOAT, "Tangent, elementwise."),
    ("Asin", "asin", np.arcsin, FLOAT, "Inverse sine, elementwise."),
    ("Acos", "acos", np.arccos, FLOAT, "Inverse cosine, elementwise."),
    ("Atan", "atan", np.arctan, FLOAT, "Inverse tangent, elementwise."),
    ("Sinh", "sinh", np.sinh, FLOAT, "Hyperbolic sine, elementwise."),
    ("Cosh", "cosh", np.cosh, FLOAT, "Hyperbolic cosine, elementwise."),
    ("Tanh", "tanh", np.tanh, FLOAT, "Hyperbolic tangent, elementwise."),
    ("Sigmoid", "sigmoid", _sigmoid, FLOAT, "1 / (1 + exp(-x)), elementwise."),
    ("Round", "round", _round_half_even, REAL,
     "Round to the nearest integer, halves to even (as TensorFlow and NumPy)."),
    ("Floor", "floor", np.floor, "f", "Largest integer <= x, elementwise."),
    ("Ceil", "ceil", np.ceil, "f", "Smallest integer >= x, elementwise."),
    ("Reciprocal", "reciprocal", _reciprocal, FLOAT, "1 / x, elementwise."),
    ("Invert", "invert", np.invert, INT, "Bitwise NOT of integers."),
    ("LogicalNot", "logical_not", np.logical_not, BOOL, "NOT of a bool tensor."),
]

_BOOL_UNARY = [
    ("IsNan", "is_nan", np.isnan, "f", "True where x is NaN."),
    ("IsInf", "is_inf", np.isinf, "f", "True where x is +-inf."),
    ("IsFinite", "is_finite", np.isfinite, "f", "True where x is neither inf nor NaN."),
]

UNARY_OPS = {}
for _type, _name, _kernel, _kinds, _doc in _UNARY:
    UNARY_OPS[_type] = defop(_type, _kernel, _abs_infer if _type == "Abs" else
                             _unary_infer(_type, _kinds), accepts=_kinds)
    globals()[_name] = _make_unary(UNARY_OPS[_type], _name, _doc)
for _type, _name, _kernel, _kinds, _doc in _BOOL_UNARY:
    UNARY_OPS[_type] = defop(_type, _kernel, _bool_unary_infer(_type, _kinds), grad=NO_GRADIENT,
                             accepts=_kinds)
    globals()[_name] = _make_unary(UNARY_OPS[_type], _name, _doc)

# `abs` and `round` shadow builtins inside this module only through globals(); re-bind the
# names used below explicitly so they read as the ops.
negative, square, sqrt, exp, log, tanh = (globals()[n] for n in
                                         ("negative", "square", "sqrt", "exp", "log", "tanh"))
logical_not = globals()["logical_not"]


# -- elementwise binary ops --------------------------------------------------------------------

def _binary_infer(op_type, kinds, out_dtype=None):
    def infer(x, y):
        dtype = check_same_dtype(op_type, (x, y), ("x", "y"))
        check_dtype(op_type, x, kinds)
        return (out_dtype or dtype), broadcast_shapes(op_type, x.shape, y.shape)
    return infer


def _floordiv(x, y):
    if x.dtype.kind in "iu" and not np.all(y):
        raise InvalidArgumentError("FloorDiv: integer division by zero")
    return np.floor_divide(x, y)


def _floormod(x, y):
    if x.dtype.kind in "iu" and not np.all(y):
        raise InvalidArgumentError("FloorMod: integer division by zero")
    return np.remainder(x, y)


def _pow(x, y):
    return np.power(x, y)


def _squared_difference(x, y):
    d = x - y
    if d.dtype.kind == "c":  # TF: conj(x - y) * (x - y), a complex number with zero imaginary
        return d * np.conj(d)
    return d * d


def _add(x, y):
    result = np.add(x, y)
    if type(result) is bytes:  # 0-d string tensors: NumPy hands back the bare bytes
        out = np.empty((), dtype=object)
        out[()] = result
        return out
    return result


# Gradient rules: `rule(op, grad) -> [grad of each input]`, written with autotrace ops so
# they compute eagerly and build graph ops while tracing; broadcasting is summed back to each
# input's shape.

def unbroadcast(grad, like):
    """`grad` summed back to the shape of `like` (see gradient_ops)."""
    from .gradient_ops import unbroadcast as reduce_to
    return reduce_to(grad, like)


def _add_grad(op, g):
    x, y = op.inputs
    return [unbroadcast(g, x), unbroadcast(g, y)]


def _sub_grad(op, g):
    x, y = op.inputs
    return [unbroadcast(g, x), unbroadcast(negative(g), y)]


def _mul_grad(op, g):
    x, y = op.inputs
    return [unbroadcast(g * conj(y), x), unbroadcast(conj(x) * g, y)]


def _realdiv_grad(op, g):
    x, y = op.inputs
    return [unbroadcast(g / y, x), unbroadcast(negative(g) * x / (y * y), y)]


# type, public name, kernel, accepted kinds, doc, gradient rule
_BINARY = [
    ("AddV2", "add", _add, NUMERIC + "s", "x + y, elementwise, with broadcasting.", _add_grad),
    ("Sub", "subtract", np.subtract, NUMERIC, "x - y, elementwise, with broadcasting.", _sub_grad),
    ("Mul", "multiply", np.multiply, NUMERIC, "x * y, elementwise, with broadcasting.", _mul_grad),
    ("RealDiv", "realdiv", np.true_divide, FLOAT, "x / y for floating x and y.", _realdiv_grad),
    ("FloorDiv", "floordiv", _floordiv, REAL, "floor(x / y), elementwise (Python's //).", None),
    ("FloorMod", "floormod", _floormod, REAL,
     "x - floor(x / y) * y: the remainder has the sign of y (Python's %).", None),
    ("Pow", "pow", _pow, NUMERIC, "x ** y, elementwise.", None),
    ("Maximum", "maximum", np.maximum, REAL, "The larger of x and y, elementwise.", None),
    ("Minimum", "minimum", np.minimum, REAL, "The smaller of x and y, elementwise.", None),
    ("SquaredDifference", "squared_difference", _squared_difference, NUMERIC,
     "(x - y) ** 2, elementwise.", None),
    ("Atan2", "atan2", np.arctan2, FLOAT, "atan(y / x) with the quadrant; args (y, x).", None),
    ("LogicalAnd", "logical_and", np.logical_and, BOOL, "x AND y for bool tensors.", None),
    ("LogicalOr", "logical_or", np.logical_or, BOOL, "x OR y for bool tensors.", None),
    ("BitwiseAnd", "bitwise_and", np.bitwise_and, INT, "Bitwise AND of integers.", None),
    ("BitwiseOr", "bitwise_or", np.bitwise_or, INT, "Bitwise OR of integers.", None),
]

_COMPARISONS = [
    ("Equal", "equal", np.equal, ANY, "x == y, elementwise (a bool tensor)."),
    ("NotEqual", "not_equal", np.not_equal, ANY, "x != y, elementwise (a bool tensor)."),
    ("Less", "less", np.less, REAL, "x < y, elementwise (a bool tensor)."),
    ("LessEqual", "less_equal", np.less_equal, REAL, "x <= y, elementwise (a bool tensor)."),
    ("Greater", "greater", np.greater, REAL, "x > y, elementwise (a bool tensor)."),
    ("GreaterEqual", "greater_equal", np.greater_equal, REAL,
     "x >= y, elementwise (a bool tensor)."),
]

BINARY_OPS = {}
for _type, _name, _kernel, _kinds, _doc, _grad in _BINARY:
    BINARY_OPS[_type] = defop(_type, _kernel, _binary_infer(_type, _kinds), inputs=("x", "y"),
                              accepts=_kinds, grad=_grad)
    globals()[_name] = _make_binary(BINARY_OPS[_type], _name, _doc)
for _type, _name, _kernel, _kinds, _doc in _COMPARISONS:
    BINARY_OPS[_type] = defop(_type, _kernel, _binary_infer(_type, _kinds, dtypes.bool),
                              inputs=("x", "y"), grad=NO_GRADIENT, accepts=_kinds)
    globals()[_name] = _make_binary(BINARY_OPS[_type], _name, _doc)

add, subtract, multiply, maximum, minimum = (globals()[n] for n in
                                            ("add", "subtract", "multiply", "maximum",
                                             "minimum"))
logical_and, logical_or = globals()["logical_and"], globals()["logical_or"]
floordiv, floormod, realdiv = globals()["floordiv"], globals()["floormod"], globals()["realdiv"]
equal, not_equal, less, greater = (globals()[n] for n in
                                   ("equal", "not_equal", "less", "greater"))
squared_difference = globals()["squared_difference"]
mod = floormod
floor_div = floordiv


def _true_divide_dtype(x):
    """TensorFlow's truediv casts integers first: 8/16-bit to float32, wider to float64."""
    dtype = x.dtype
    if dtype.is_floating or dtype.is_complex:
        return None
    if dtype in (dtypes.int8, dtypes.int16, dtypes.uint8, dtypes.uint16):
        return dtypes.float32
    if dtype.is_integer:
        return dtypes.float64
    check_dtype("RealDiv", x, NUMERIC)  # raises: bool and string tensors cannot be divided


def truediv(x, y, name=None):
    """x / y. Integers are cast to floating point first (int32 -> float64), as in TF.

    >>> truediv(7, 2)
    <autotrace.Tensor: shape=(), dtype=float64, numpy=3.5>
    """
    x, y = binary_operands("RealDiv", x, y)
    float_dtype = _true_divide_dtype(x)
    if float_dtype is not None:
        x, y = cast(x, float_dtype), cast(y, float_dtype)
    return apply(BINARY_OPS["RealDiv"], (x, y), None, name)


divide = truediv


def div_no_nan(x, y, name=None):
    """x / y, with 0 where y == 0."""
    x, y = binary_operands("DivNoNan", x, y)
    return apply(DIV_NO_NAN, (x, y), None, name)


def _div_no_nan(x, y):
    safe = np.where(y == 0, 1, y)
    return np.where(y == 0, 0, x / safe).astype(np.result_type(x, y))


DIV_NO_NAN = defop("DivNoNan", _div_no_nan, _binary_infer("DivNoNan", FLOAT),
                   inputs=("x", "y"), accepts=FLOAT)


def logical_xor(x, y, name=None):
    """x XOR y for bool tensors: (x OR y) AND NOT (x AND y), as TensorFlow composes it."""
    return logical_and(logical_or(x, y), logical_not(logical_and(x, y)), name=name)


# -- cast --------------------------------------------------------------------------------------

def _cast_kernel(x, DstT):
    if x.dtype.kind == "c" and DstT._kind != "c":
        x = np.real(x)  # as TensorFlow: the imaginary part is dropped
    with np.errstate(invalid="ignore", over="ignore"):
        return x.astype(DstT.np)


def _cast_infer(x, DstT):
    if (x.dtype.is_string) != (DstT.is_string):
        raise InvalidArgumentError("Cast: cannot cast %s to %s (strings only cast to strings; "
                                   "see autotrace.strings)" % (x.dtype.name, DstT.name))
    return DstT, x.shape


CAST = defop("Cast", _cast_kernel, _cast_infer, eager_check=True)


def cast(x, dtype, name=None):
    """Convert `x` to `dtype`. Floats to ints truncate toward zero; nonzero to bool is True.

    >>> cast([1.7, -1.7], "int32")
    <autotrace.Tensor: shape=(2,), dtype=int32, numpy=array([ 1, -1], dtype=int32)>
    """
    dtype = dtypes.as_dtype(dtype)
    x = _tensor(x)
    if x.dtype is dtype:
        return x
    return apply(CAST, (x,), {"DstT": dtype}, name)


def saturate_cast(x, dtype, name=None):
    """Cast, clipping values to the range of `dtype` first (complex to real keeps the real
    part, as `cast`).

    >>> saturate_cast([300.0, -5.0, 3e9], "uint8").numpy()
    array([255,   0, 255], dtype=uint8)
    """
    dtype = dtypes.as_dtype(dtype)
    x = _tensor(x)
    if x.dtype.is_complex and not dtype.is_complex:
        x = cast(x, x.dtype.real_dtype)
    if (dtype.is_integer or dtype.is_floating) and (x.dtype.is_integer or x.dtype.is_floating):
        lo, hi = _saturation_bounds(x.dtype, dtype)
        if lo is not None:
            x = maximum(x, lo)
        if hi is not None:
            x = minimum(x, hi)
    return cast(x, dtype, name)


def _saturation_bounds(src, dst):
    """Bounds in `src` that keep values inside `dst` after the cast (None: no bound needed).
    A bound must be representable in `src`: float32 cannot hold 2**31 - 1, so the largest
    float32 below it is used."""
    def representable(limit, toward):
        value = src.np.type(limit)
        if src.is_floating:
            while (int(value) > limit) if toward < 0 else (int(value) < limit):
                value = np.nextafter(value, src.np.type(toward))
        return value
    lo = hi = None
    if dst.min > src.min:
        lo = representable(dst.min, np.inf)
    if dst.max < src.max:
        hi = representable(dst.max, -np.inf)
    return lo, hi


# -- add_n, clip_by_value ----------------------------------------------------------------------

def _add_n_kernel(*xs):
    total = xs[0]
    for x in xs[1:]:
        total = total + x
    return total


def _add_n_infer(*xs):
    if not xs:
        raise InvalidArgumentError("AddN needs at least one input")
    dtype = check_same_dtype("AddN", xs, ["inputs[%d]" % i for i in range(len(xs))])
    check_dtype("AddN", xs[0], NUMERIC, "inputs[0]")
    shape = xs[0].shape
    for i, x in enumerate(xs[1:], 1):
        if not shape.is_compatible_with(x.shape):
            raise InvalidShapeError("AddN: all inputs must have the same shape; inputs[0] is "
                                    "%s, inputs[%d] is %s" % (shape, i, x.shape))
        shape = shape.merge_with(x.shape)
    return dtype, shape


ADD_N = defop("AddN", _add_n_kernel, _add_n_infer, inputs=("inputs",), eager_check=True)


def add_n(inputs, name=None):
    """Sum of a list of tensors of the same shape and dtype.

    >>> add_n([[1, 2], [3, 4], [5, 6]])
    <autotrace.Tensor: shape=(2,), dtype=int32, numpy=array([ 9, 12], dtype=int32)>
    """
    if isinstance(inputs, Tensor) or not isinstance(inputs, (list, tuple)):
        raise TypeError("add_n expects a list of tensors, got %r" % (inputs,))
    tensors = [_tensor(x) for x in inputs]
    if len(tensors) == 1:
        return tensors[0]
    return apply(ADD_N, tensors, None, name)


def clip_by_value(t, clip_value_min, clip_value_max, name=None):
    """Clip values into [clip_value_min, clip_value_max].

    >>> clip_by_value([-2.0, 0.5, 3.0], 0.0, 1.0).numpy()
    array([0. , 0.5, 1. ], dtype=float32)
    """
    t = _tensor(t)
    return minimum(maximum(t, clip_value_min), clip_value_max, name=name)


# -- reductions --------------------------------------------------------------------------------

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


# type, public name, kernel, accepted kinds
_REDUCTIONS = [
    ("Sum", "reduce_sum", _sum, NUMERIC),
    ("Prod", "reduce_prod", _prod, NUMERIC),
    ("Mean", "reduce_mean", _mean, NUMERIC),
    ("Max", "reduce_max", _max, REAL),
    ("Min", "reduce_min", _min, REAL),
    ("All", "reduce_all", _all, BOOL),
    ("Any", "reduce_any", _any, BOOL),
]

REDUCTION_OPS = {}


def _make_reduction(opdef, public_name):
    op_type = opdef.type

    def fn(input_tensor, axis=None, keepdims=False, name=None):
        x = _tensor(input_tensor)
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


for _type, _name, _kernel, _kinds in _REDUCTIONS:
    _out = dtypes.bool if _kinds == BOOL else None
    REDUCTION_OPS[_type] = defop(_type, _kernel, _reduce_infer(_type, _kinds, _out),
                                 accepts=_kinds)
    globals()[_name] = _make_reduction(REDUCTION_OPS[_type], _name)

reduce_sum, reduce_mean, reduce_max = (globals()[n] for n in
                                       ("reduce_sum", "reduce_mean", "reduce_max"))


def reduce_logsumexp(input_tensor, axis=None, keepdims=False, name=None):
    """log(sum(exp(x))) across `axis`, computed stably (the max is subtracted first)."""
    x = _tensor(input_tensor)
    check_dtype("reduce_logsumexp", x, FLOAT)
    raw_max = reduce_max(x, axis=axis, keepdims=True)
    finite_max = _stop_gradient(_where_finite(raw_max))
    total = reduce_sum(exp(x - finite_max), axis=axis, keepdims=keepdims)
    if not keepdims:
        finite_max = _squeeze_axes(finite_max, axis, x.shape.rank)
    return add(log(total), finite_max, name=name)


def _where_finite(t):
    from .array_ops import where, zeros_like
    return where(globals()["is_finite"](t), t, zeros_like(t))


def _squeeze_axes(t, axis, rank):
    from .array_ops import reshape, squeeze
    if axis is None:
        return reshape(t, [])
    axes = normalize_axes("reduce_logsumexp", _static_axis("reduce_logsumexp", axis), rank)
    return squeeze(t, axis=list(axes))


def _stop_gradient(t):
    from .array_ops import stop_gradient
    return stop_gradient(t)


def reduce_variance(input_tensor, axis=None, keepdims=False, name=None):
    """Population variance across `axis` (the mean of squared deviations; real for complex
    input, as TF)."""
    x = _tensor(input_tensor)
    check_dtype("reduce_variance", x, FLOAT)
    mean = reduce_mean(x, axis=axis, keepdims=True)
    if x.dtype.is_complex:
        deviation = square(globals()["abs"](subtract(x, mean)))
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


# -- matmul ------------------------------------------------------------------------------------

def _matrix_dims(shape, transpose):
    dims = shape.as_tuple()
    rows, cols = dims[-2], dims[-1]
    return (cols, rows) if transpose else (rows, cols)


def _rank_error(label, shape):
    return InvalidShapeError(
        "MatMul: %s must have rank >= 2, got shape %s; reshape a vector to a matrix "
        "(e.g. autotrace.expand_dims(%s, 0)) or use autotrace.tensordot" % (label, shape, label))


def _matmul_infer(a, b, transpose_a, transpose_b):
    dtype = check_same_dtype("MatMul", (a, b), ("a", "b"))
    check_dtype("MatMul", a, NUMERIC, "a")
    ra, rb = a.shape.rank, b.shape.rank
    for label, t, rank in (("a", a, ra), ("b", b, rb)):
        if rank is not None and rank < 2:
            raise _rank_error(label, t.shape)
    if ra is None or rb is None:
        return dtype, None
    m, k1 = _matrix_dims(a.shape, transpose_a)
    k2, n = _matrix_dims(b.shape, transpose_b)
    if k1 is not None and k2 is not None and k1 != k2:
        raise InvalidShapeError(
            "MatMul: cannot multiply a (%s, shape %s) by b (%s, shape %s): %s has %d columns "
            "but %s has %d rows. The last dimension of the left matrix must equal the "
            "second-to-last of the right one; check the shapes or use transpose_a / "
            "transpose_b" % (a.dtype.name, a.shape, b.dtype.name, b.shape,
                             "transpose(a)" if transpose_a else "a", k1,
                             "transpose(b)" if transpose_b else "b", k2))
    batch = broadcast_shapes("MatMul", a.shape[:-2], b.shape[:-2])
    return dtype, batch.concatenate([m, n])


def _matmul(a, b, transpose_a, transpose_b):
    if a.ndim < 2 or b.ndim < 2:  # np.matmul would accept vectors; TF does not
        raise _rank_error("a" if a.ndim < 2 else "b", TensorShape(a.shape if a.ndim < 2
                                                                  else b.shape))
    if transpose_a:
        a = np.swapaxes(a, -1, -2)
    if transpose_b:
        b = np.swapaxes(b, -1, -2)
    return np.matmul(a, b)


def _matmul_grad(op, g):
    """d(a @ b): g @ b.T for a and a.T @ g for b (transposes and batch broadcasting kept)."""
    a, b = op.inputs
    ta, tb = op.attrs["transpose_a"], op.attrs["transpose_b"]
    if not ta and not tb:
        da, db = matmul(g, b, transpose_b=True), matmul(a, g, transpose_a=True)
    elif not ta and tb:
        da, db = matmul(g, b), matmul(g, a, transpose_a=True)
    elif ta and not tb:
        da, db = matmul(b, g, transpose_b=True), matmul(a, g)
    else:
        da, db = matmul(b, g, transpose_a=True, transpose_b=True), \
            matmul(g, a, transpose_a=True, transpose_b=True)
    return [unbroadcast(da, a), unbroadcast(db, b)]


MATMUL = defop("MatMul", _matmul, _matmul_infer, inputs=("a", "b"), accepts=NUMERIC,
               grad=_matmul_grad)


def matmul(a, b, transpose_a=False, transpose_b=False, adjoint_a=False, adjoint_b=False,
           name=None):
    """Matrix product of the last two dimensions (leading dimensions broadcast as batches).

    >>> matmul([[1.0, 2.0]], [[3.0], [4.0]]).numpy()
    array([[11.]], dtype=float32)
    """
    a, b = binary_operands("MatMul", a, b, ("a", "b"))
    if adjoint_a:
        a, transpose_a = conj(a), not transpose_a
    if adjoint_b:
        b, transpose_b = conj(b), not transpose_b
    return apply(MATMUL, (a, b), {"transpose_a": bool(transpose_a),
                                  "transpose_b": bool(transpose_b)}, name)


def conj(x, name=None):
    """Complex conjugate (the identity for real tensors)."""
    x = _tensor(x)
    if not x.dtype.is_complex:
        return x
    return apply(CONJ, (x,), None, name)


CONJ = defop("Conj", np.conj, _unary_infer("Conj", NUMERIC))


def tensordot(a, b, axes, name=None):
    """Sum of products over `axes` of a and b (an int n: last n of a with first n of b; or a
    pair of axis lists). Built from transpose, reshape and matmul, so it differentiates."""
    from .array_ops import reshape, transpose
    a, b = binary_operands("Tensordot", a, b, ("a", "b"))
    ra, rb = a.shape.rank, b.shape.rank
    if ra is None or rb is None:
        raise InvalidArgumentError("tensordot needs inputs of known rank")
    if isinstance(axes, int):
        if axes < 0 or axes > min(ra, rb):
            raise InvalidArgumentError("tensordot: axes=%d is out of range for ranks %d and %d"
                                       % (axes, ra, rb))
        axes_a, axes_b = list(range(ra - axes, ra)), list(range(axes))
    else:
        axes_a, axes_b = axes
        axes_a = [axes_a] if isinstance(axes_a, int) else list(axes_a)
        axes_b = [axes_b] if isinstance(axes_b, int) else list(axes_b)
        axes_a = [normalize_axis("Tensordot", x, ra) for x in axes_a]
        axes_b = [normalize_axis("Tensordot", x, rb) for x in axes_b]
    if len(axes_a) != len(axes_b):
        raise InvalidArgumentError("tensordot: %d axes of a but %d axes of b"
                                   % (len(axes_a), len(axes_b)))
    sa, sb = a.shape.as_list(), b.shape.as_list()
    for i, j in zip(axes_a, axes_b):
        if sa[i] is not None and sb[j] is not None and sa[i] != sb[j]:
            raise InvalidShapeError("tensordot: a's axis %d has length %d but b's axis %d has "
                                    "length %d" % (i, sa[i], j, sb[j]))
    free_a = [i for i in range(ra) if i not in axes_a]
    free_b = [i for i in range(rb) if i not in axes_b]
    if None in sa or None in sb:
        raise InvalidArgumentError("tensordot needs fully known shapes, got %s and %s"
                                   % (a.shape, b.shape))
    size = lambda dims: int(np.prod(dims)) if dims else 1  # noqa: E731
    a2 = reshape(transpose(a, free_a + axes_a),
                 [size([sa[i] for i in free_a]), size([sa[i] for i in axes_a])])
    b2 = reshape(transpose(b, axes_b + free_b),
                 [size([sb[i] for i in axes_b]), size([sb[i] for i in free_b])])
    out = matmul(a2, b2)
    return reshape(out, [sa[i] for i in free_a] + [sb[i] for i in free_b], name=name)


def _einsum_infer(*inputs, equation):
    dtype = check_same_dtype("Einsum", inputs, ["inputs[%d]" % i for i in range(len(inputs))])
    lhs, _, rhs = equation.replace(" ", "").partition("->")
    specs = lhs.split(",")
    if len(specs) != len(inputs):
        raise InvalidArgumentError("Einsum: equation %r names %d inputs but %d were given"
                                   % (equation, len(specs), len(inputs)))
    if "..." in equation or not rhs and "->" not in equation:
        return dtype, _einsum_shape_by_example(inputs, equation)
    sizes = {}
    for spec, t in zip(specs, inputs):
        if t.shape.rank is not None and len(spec) != t.shape.rank:
            raise InvalidShapeError("Einsum: %r has %d labels but input has shape %s"
                                    % (spec, len(spec), t.shape))
        for label, dim in zip(spec, t.shape.as_tuple() or ()):
            if dim is not None and sizes.get(label, dim) != dim and sizes.get(label) != 1 \
                    and dim != 1:
                raise InvalidShapeError("Einsum: label %r has length %d in one input and %d in "
                                        "another" % (label, sizes[label], dim))
            if dim is not None and (label not in sizes or sizes[label] in (None, 1)):
                sizes[label] = dim
            sizes.setdefault(label, None)
    return dtype, [sizes.get(label) for label in rhs]


def _einsum_shape_by_example(inputs, equation):
    if not all(t.shape.is_fully_defined() for t in inputs):
        return None
    dummies = [np.zeros(t.shape.as_list(), t.dtype.np) for t in inputs]
    return np.einsum(equation, *dummies).shape


def _einsum(*inputs, equation):
    return np.einsum(equation, *inputs, optimize=len(inputs) > 2)


EINSUM = defop("Einsum", _einsum, _einsum_infer, inputs=("inputs",), eager_check=True)


def einsum(equation, *inputs, name=None, **kwargs):
    """Einstein summation, e.g. einsum('ij,jk->ik', a, b) is a matrix product."""
    tensors = [_tensor(t) for t in inputs]
    if len(tensors) > 1:
        check_same_dtype("Einsum", tensors, ["inputs[%d]" % i for i in range(len(tensors))])
    return apply(EINSUM, tensors, {"equation": equation}, name)
