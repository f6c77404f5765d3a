"""Math ops: elementwise unary and binary ops, comparisons, cast, add_n, with their gradient
rules. Reductions and argmax live in reduction_ops, matmul/tensordot/einsum/conj in
linalg_ops; both are re-exported here (math_ops.<name> is how other modules reach them).

Elementwise ops are declared from tables (one row per op: type, kernel, accepted dtypes,
gradient rule); ops with their own shape rule are declared one block each below.

>>> import autotrace as tf
>>> tf.add([1.0, 2.0], 1.0)
<tf.Tensor: shape=(2,), dtype=float32, numpy=array([2., 3.], dtype=float32)>
>>> tf.reduce_sum([[1, 2], [3, 4]], axis=0)
<tf.Tensor: shape=(2,), dtype=int32, numpy=array([4, 6], dtype=int32)>
"""

import builtins
import math

import numpy as np

from ..core import dtypes
from ..core.context import ignore_numpy_float_warnings
from ..core.errors import DTypeMismatchError, InvalidArgumentError, InvalidShapeError
from ..core.tensor import Tensor
from . import array_ops
from .constant_op import ConversionError, adopt_operand, convert_to_tensor, to_numpy
from .dispatch import (BINARY_ELEMENTWISE, UNARY_ELEMENTWISE, CompositeArgumentError,
                       dispatch, dispatchable)
from .registry import NO_GRADIENT, apply, defop
from .shapes import (ANY, BOOL, FLOAT, INT, NUMERIC, REAL, broadcast_shapes, check_dtype,
                     check_same_dtype)

ignore_numpy_float_warnings()

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
        try:
            return apply(opdef, (_tensor(x),), None, name)
        except CompositeArgumentError as error:  # ragged/sparse: the dispatch table
            return dispatch(fn, (x,), {"name": name}, error)
    fn.__name__ = fn.__qualname__ = public_name
    fn.__doc__ = doc
    UNARY_ELEMENTWISE.add(fn)
    return fn


# Default op names of the public functions where TF's differ from the op type.
_DEFAULT_NAMES = {"AddV2": "Add"}


def _make_binary(opdef, public_name, doc):
    op_type = opdef.type
    default_name = _DEFAULT_NAMES.get(op_type)

    def fn(x, y, name=None):
        try:
            x, y = binary_operands(op_type, x, y)
        except CompositeArgumentError as error:  # ragged/sparse: the dispatch table
            return dispatch(fn, (x, y), {"name": name}, error)
        return apply(opdef, (x, y), None, name or default_name)
    fn.__name__ = fn.__qualname__ = public_name
    fn.__doc__ = doc
    BINARY_ELEMENTWISE.add(fn)
    return fn


# -- elementwise unary ops ---------------------------------------------------------------------

def _sigmoid(x):
    # exp(-|x|) never overflows, and e / (1 + e) keeps the relative precision of tiny results
    # for negative x (0.5 * (1 + tanh(x / 2)) rounds sigmoid(-20) in float32 to 0).
    if x.dtype.kind == "c":
        return 1 / (1 + np.exp(-x))
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1 / (1 + e), e / (1 + e)).astype(x.dtype, copy=False)


def _erf(x):
    """The error function in float64 (NumPy has none), then x's dtype: for |x| < 2.5 the
    series 2/sqrt(pi) exp(-x^2) sum 2^n x^(2n+1) / (1 * 3 * ... * (2n+1)), whose terms are all
    positive (no cancellation); beyond, 1 - erfc(x) with erfc's continued fraction evaluated
    from its 80th term back. Within 2e-15 of math.erf everywhere."""
    v = np.asarray(x, np.float64)
    a = np.abs(v)
    small = a < 2.5
    s = np.where(small, a, 0.0)
    term = s.copy()
    total = s.copy()
    for n in builtins.range(1, 60):
        term = term * 2 * s * s / (2 * n + 1)
        total = total + term
    series = 2 / math.sqrt(math.pi) * np.exp(-s * s) * total
    b = np.where(small, 2.5, a)
    fraction = b.copy()
    with np.errstate(invalid="ignore"):
        for k in builtins.range(80, 0, -1):
            fraction = b + (k / 2) / fraction
        tail = 1 - np.exp(-b * b) / math.sqrt(math.pi) / fraction
    result = np.sign(v) * np.where(small, series, tail)
    return result.astype(x.dtype) if isinstance(x, np.ndarray) else x.dtype.type(result)


def _rsqrt(x):
    return 1.0 / np.sqrt(x)


def _reciprocal(x):
    return np.reciprocal(x)


def _sign(x):
    return np.sign(x)


def _round_half_even(x):
    return np.round(x) if x.dtype.kind in "fc" else x


def _unary_infer(op_type, kinds, out_dtype=None):
    """The shape rule of an elementwise unary op: x's shape, x's dtype (or `out_dtype`)."""
    def infer(x):
        check_dtype(op_type, x, kinds)
        return out_dtype or x.dtype, x.shape
    return infer


def _abs_infer(x):
    check_dtype("Abs", x, NUMERIC)
    return x.dtype.real_dtype, x.shape  # |complex| is real (TF's ComplexAbs)


# Gradient rules: `rule(op, grad) -> [grad of each input]`, written with autotrace ops so
# they compute eagerly and build graph ops while tracing. Complex inputs get the conjugate of
# the derivative (TF's convention for the gradient of a real loss).

def _chain(derivative):
    """The rule g * conj(dy/dx) of an elementwise op, from derivative(x, y) -> dy/dx."""
    def rule(op, g):
        return [multiply(g, conj(derivative(op.inputs[0], op.outputs[0])))]
    return rule


def _neg_grad(op, g):
    return [negative(g)]


def _abs_grad(op, g):
    x = op.inputs[0]
    if x.dtype.is_complex:  # |z| is real: its gradient is g * z / |z| (0 at z = 0), as TF
        return [multiply(cast(g, x.dtype), div_no_nan(x, cast(op.outputs[0], x.dtype)))]
    return [multiply(g, sign(x))]


def _zero_grad(op, g):
    """Sign is flat where it is differentiable: TF gives zeros (not None)."""
    return [array_ops.zeros_like(op.inputs[0])]


UNARY_OPS = {}  # op type -> OpDef


def unary(op_type, public_name, kernel, kinds, doc, grad):
    """Declare an elementwise unary op (a row of the table below); returns its function."""
    infer = _abs_infer if op_type == "Abs" else _unary_infer(op_type, kinds)
    UNARY_OPS[op_type] = defop(op_type, kernel, infer, accepts=kinds, grad=grad)
    return _make_unary(UNARY_OPS[op_type], public_name, doc)


def bool_unary(op_type, public_name, kernel, kinds, doc):
    """Declare an elementwise predicate (a bool result, no gradient); returns its function."""
    UNARY_OPS[op_type] = defop(op_type, kernel, _unary_infer(op_type, kinds, dtypes.bool),
                               grad=NO_GRADIENT, accepts=kinds)
    return _make_unary(UNARY_OPS[op_type], public_name, doc)


# The table: public function = unary(type, public name, kernel, accepted dtype kinds, doc,
# gradient rule). `abs` and `round` shadow the builtins in this module.
negative = unary("Neg", "negative", np.negative, NUMERIC, "-x, elementwise.", _neg_grad)
abs = unary("Abs", "abs", np.abs, NUMERIC, "|x|, elementwise.", _abs_grad)
sign = unary("Sign", "sign", _sign, NUMERIC, "-1, 0 or 1 by the sign of x, elementwise.",
             _zero_grad)
square = unary("Square", "square", np.square, NUMERIC, "x * x, elementwise.",
               _chain(lambda x, y: 2 * x))
sqrt = unary("Sqrt", "sqrt", np.sqrt, FLOAT, "Square root, elementwise.",
             _chain(lambda x, y: 0.5 / y))
rsqrt = unary("Rsqrt", "rsqrt", _rsqrt, FLOAT, "1 / sqrt(x), elementwise.",
              _chain(lambda x, y: -0.5 * y * y * y))
exp = unary("Exp", "exp", np.exp, FLOAT, "e ** x, elementwise.", _chain(lambda x, y: y))
log = unary("Log", "log", np.log, FLOAT, "Natural logarithm, elementwise.",
            _chain(lambda x, y: reciprocal(x)))
log1p = unary("Log1p", "log1p", np.log1p, FLOAT, "log(1 + x), accurate for small x.",
              _chain(lambda x, y: reciprocal(1 + x)))
expm1 = unary("Expm1", "expm1", np.expm1, FLOAT, "exp(x) - 1, accurate for small x.",
              _chain(lambda x, y: exp(x)))
sin = unary("Sin", "sin", np.sin, FLOAT, "Sine, elementwise.", _chain(lambda x, y: cos(x)))
cos = unary("Cos", "cos", np.cos, FLOAT, "Cosine, elementwise.",
            _chain(lambda x, y: negative(sin(x))))
tan = unary("Tan", "tan", np.tan, FLOAT, "Tangent, elementwise.",
            _chain(lambda x, y: square(reciprocal(cos(x)))))
asin = unary("Asin", "asin", np.arcsin, FLOAT, "Inverse sine, elementwise.",
             _chain(lambda x, y: rsqrt(1 - square(x))))
acos = unary("Acos", "acos", np.arccos, FLOAT, "Inverse cosine, elementwise.",
             _chain(lambda x, y: negative(rsqrt(1 - square(x)))))
atan = unary("Atan", "atan", np.arctan, FLOAT, "Inverse tangent, elementwise.",
             _chain(lambda x, y: reciprocal(1 + square(x))))
sinh = unary("Sinh", "sinh", np.sinh, FLOAT, "Hyperbolic sine, elementwise.",
             _chain(lambda x, y: cosh(x)))
cosh = unary("Cosh", "cosh", np.cosh, FLOAT, "Hyperbolic cosine, elementwise.",
             _chain(lambda x, y: sinh(x)))
tanh = unary("Tanh", "tanh", np.tanh, FLOAT, "Hyperbolic tangent, elementwise.",
             _chain(lambda x, y: 1 - square(y)))
sigmoid = unary("Sigmoid", "sigmoid", _sigmoid, FLOAT, "1 / (1 + exp(-x)), elementwise.",
                _chain(lambda x, y: y * (1 - y)))
erf = unary("Erf", "erf", _erf, "f", "The error function, elementwise.",
            _chain(lambda x, y: (2 / math.sqrt(math.pi)) * exp(negative(square(x)))))
# Piecewise constant: TF declares no gradient (None, not zeros).
round = unary("Round", "round", _round_half_even, REAL,
              "Round to the nearest integer, halves to even (as TensorFlow and NumPy).",
              NO_GRADIENT)
floor = unary("Floor", "floor", np.floor, "f", "Largest integer <= x, elementwise.", NO_GRADIENT)
ceil = unary("Ceil", "ceil", np.ceil, "f", "Smallest integer >= x, elementwise.", NO_GRADIENT)
reciprocal = unary("Reciprocal", "reciprocal", _reciprocal, FLOAT, "1 / x, elementwise.",
                   _chain(lambda x, y: negative(square(y))))
invert = unary("Invert", "invert", np.invert, INT, "Bitwise NOT of integers.", NO_GRADIENT)
logical_not = unary("LogicalNot", "logical_not", np.logical_not, BOOL, "NOT of a bool tensor.",
                    NO_GRADIENT)

# public function = bool_unary(type, public name, kernel, accepted dtype kinds, doc)
is_nan = bool_unary("IsNan", "is_nan", np.isnan, "f", "True where x is NaN.")
is_inf = bool_unary("IsInf", "is_inf", np.isinf, "f", "True where x is +-inf.")
is_finite = bool_unary("IsFinite", "is_finite", np.isfinite, "f",
                       "True where x is neither inf nor NaN.")



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


# Binary gradient rules: broadcasting is summed back to each input's shape.

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
    x, y = conj(op.inputs[0]), conj(op.inputs[1])
    return [unbroadcast(g / y, op.inputs[0]),
            unbroadcast(g * (negative(x) / y / y), op.inputs[1])]


def _div_no_nan_grad(op, g):
    x, y = conj(op.inputs[0]), conj(op.inputs[1])
    return [unbroadcast(div_no_nan(g, y), op.inputs[0]),
            unbroadcast(g * div_no_nan(div_no_nan(negative(x), y), y), op.inputs[1])]


def _floormod_grad(op, g):
    x, y = op.inputs
    return [unbroadcast(g, x), unbroadcast(g * negative(floordiv(x, y)), y)]


def _pow_grad(op, g):
    """d(x ** y): y * x ** (y - 1) for x; x ** y * log(x) for y, taken as 0 where x <= 0
    (x == 0 for complex), as TF."""
    x, y, z = conj(op.inputs[0]), conj(op.inputs[1]), conj(op.outputs[0])
    gx = g * y * pow(x, y - 1)
    positive = not_equal(x, 0) if x.dtype.is_complex else greater(x, 0)
    safe_x = array_ops.where(positive, x, array_ops.ones_like(x))
    log_x = array_ops.where(positive, log(safe_x), array_ops.zeros_like(x))
    return [unbroadcast(gx, op.inputs[0]), unbroadcast(g * z * log_x, op.inputs[1])]


def _select_grad(choose_x):
    """Maximum / Minimum: the gradient goes to x where choose_x(x, y) (ties included, as TF),
    else to y."""
    def rule(op, g):
        x, y = op.inputs
        to_x, zeros = choose_x(x, y), array_ops.zeros_like(g)
        return [unbroadcast(array_ops.where(to_x, g, zeros), x),
                unbroadcast(array_ops.where(to_x, zeros, g), y)]
    return rule


def _squared_difference_grad(op, g):
    x, y = op.inputs
    gx = (2 * g) * (x - y)
    return [unbroadcast(gx, x), unbroadcast(negative(gx), y)]


def _atan2_grad(op, g):
    y, x = op.inputs  # atan2(y, x)
    scaled = g / (square(x) + square(y))
    return [unbroadcast(x * scaled, y), unbroadcast(negative(y) * scaled, x)]


BINARY_OPS = {}  # op type -> OpDef


def binary(op_type, public_name, kernel, kinds, doc, grad):
    """Declare an elementwise binary op with broadcasting (a row of the table below); returns
    its function."""
    BINARY_OPS[op_type] = defop(op_type, kernel, _binary_infer(op_type, kinds),
                                inputs=("x", "y"), accepts=kinds, grad=grad)
    return _make_binary(BINARY_OPS[op_type], public_name, doc)


def comparison(op_type, public_name, kernel, kinds, doc):
    """Declare an elementwise comparison (a bool result, no gradient); returns its function."""
    BINARY_OPS[op_type] = defop(op_type, kernel, _binary_infer(op_type, kinds, dtypes.bool),
                                inputs=("x", "y"), grad=NO_GRADIENT, accepts=kinds)
    return _make_binary(BINARY_OPS[op_type], public_name, doc)


# The table: public function = binary(type, public name, kernel, accepted dtype kinds, doc,
# gradient rule). `pow` shadows the builtin in this module.
add = binary("AddV2", "add", _add, NUMERIC + "s", "x + y, elementwise, with broadcasting.",
             _add_grad)
subtract = binary("Sub", "subtract", np.subtract, NUMERIC, "x - y, elementwise, with broadcasting.",
                  _sub_grad)
multiply = binary("Mul", "multiply", np.multiply, NUMERIC, "x * y, elementwise, with broadcasting.",
                  _mul_grad)
realdiv = binary("RealDiv", "realdiv", np.true_divide, FLOAT, "x / y for floating x and y.",
                 _realdiv_grad)
# FloorDiv is piecewise constant: TF declares no gradient.
floordiv = binary("FloorDiv", "floordiv", _floordiv, REAL,
                  "floor(x / y), elementwise (Python's //).", NO_GRADIENT)
floormod = binary("FloorMod", "floormod", _floormod, REAL,
                  "x - floor(x / y) * y: the remainder has the sign of y (Python's %).",
                  _floormod_grad)
pow = binary("Pow", "pow", _pow, NUMERIC, "x ** y, elementwise.", _pow_grad)
maximum = binary("Maximum", "maximum", np.maximum, REAL, "The larger of x and y, elementwise.",
                 _select_grad(lambda x, y: greater_equal(x, y)))
minimum = binary("Minimum", "minimum", np.minimum, REAL, "The smaller of x and y, elementwise.",
                 _select_grad(lambda x, y: less_equal(x, y)))
squared_difference = binary("SquaredDifference", "squared_difference", _squared_difference, NUMERIC,
                            "(x - y) ** 2, elementwise.", _squared_difference_grad)
atan2 = binary("Atan2", "atan2", np.arctan2, FLOAT, "atan(y / x) with the quadrant; args (y, x).",
               _atan2_grad)
logical_and = binary("LogicalAnd", "logical_and", np.logical_and, BOOL, "x AND y for bool tensors.",
                     NO_GRADIENT)
logical_or = binary("LogicalOr", "logical_or", np.logical_or, BOOL, "x OR y for bool tensors.",
                    NO_GRADIENT)
bitwise_and = binary("BitwiseAnd", "bitwise_and", np.bitwise_and, INT, "Bitwise AND of integers.",
                     NO_GRADIENT)
bitwise_or = binary("BitwiseOr", "bitwise_or", np.bitwise_or, INT, "Bitwise OR of integers.",
                    NO_GRADIENT)
bitwise_xor = binary("BitwiseXor", "bitwise_xor", np.bitwise_xor, INT, "Bitwise XOR of integers.",
                     NO_GRADIENT)

# public function = comparison(type, public name, kernel, accepted dtype kinds, doc)
equal = comparison("Equal", "equal", np.equal, ANY, "x == y, elementwise (a bool tensor).")
not_equal = comparison("NotEqual", "not_equal", np.not_equal, ANY,
                       "x != y, elementwise (a bool tensor).")
less = comparison("Less", "less", np.less, REAL, "x < y, elementwise (a bool tensor).")
less_equal = comparison("LessEqual", "less_equal", np.less_equal, REAL,
                        "x <= y, elementwise (a bool tensor).")
greater = comparison("Greater", "greater", np.greater, REAL, "x > y, elementwise (a bool tensor).")
greater_equal = comparison("GreaterEqual", "greater_equal", np.greater_equal, REAL,
                           "x >= y, elementwise (a bool tensor).")

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


@dispatchable
def truediv(x, y, name=None):
    """x / y. Integers are cast to floating point first (int32 -> float64), as in TF.

    >>> truediv(7, 2)
    <tf.Tensor: shape=(), dtype=float64, numpy=3.5>
    """
    x, y = binary_operands("RealDiv", x, y)
    float_dtype = _true_divide_dtype(x)
    if float_dtype is not None:
        x, y = cast(x, float_dtype), cast(y, float_dtype)
    return apply(BINARY_OPS["RealDiv"], (x, y), None, name)


divide = truediv
BINARY_ELEMENTWISE.add(truediv)


@dispatchable
def div_no_nan(x, y, name=None):
    """x / y, with 0 where y == 0."""
    x, y = binary_operands("DivNoNan", x, y)
    return apply(DIV_NO_NAN, (x, y), None, name)


def _div_no_nan(x, y):
    safe = np.where(y == 0, 1, y)
    return np.where(y == 0, 0, x / safe).astype(np.result_type(x, y))


BINARY_ELEMENTWISE.add(div_no_nan)
DIV_NO_NAN = defop("DivNoNan", _div_no_nan, _binary_infer("DivNoNan", FLOAT),
                   inputs=("x", "y"), accepts=FLOAT, grad=_div_no_nan_grad)


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


def _cast_grad(op, g):
    """Casts between floating/complex dtypes pass the gradient back, cast to the input's
    dtype; casts from or to integers and bools carry none (as TF)."""
    x = op.inputs[0]
    if _carries_gradient(x.dtype) and _carries_gradient(g.dtype):
        return [cast(g, x.dtype)]
    return [None]


def _carries_gradient(dtype):
    return dtype.is_floating or dtype.is_complex


CAST = defop("Cast", _cast_kernel, _cast_infer, eager_check=True, grad=_cast_grad)


@dispatchable
def cast(x, dtype, name=None):
    """Convert `x` to `dtype`. Floats to ints truncate toward zero; nonzero to bool is True.

    >>> cast([1.7, -1.7], "int32")
    <tf.Tensor: shape=(2,), dtype=int32, numpy=array([ 1, -1], dtype=int32)>
    """
    dtype = dtypes.as_dtype(dtype)
    x = _tensor(x)
    if x.dtype is dtype:
        return x
    return apply(CAST, (x,), {"DstT": dtype}, name)


UNARY_ELEMENTWISE.add(cast)


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


ADD_N = defop("AddN", _add_n_kernel, _add_n_infer, inputs=("inputs",), eager_check=True,
               grad=lambda op, g: [g] * len(op.inputs))


@dispatchable
def add_n(inputs, name=None):
    """Sum of a list of tensors of the same shape and dtype.

    >>> add_n([[1, 2], [3, 4], [5, 6]])
    <tf.Tensor: shape=(2,), dtype=int32, numpy=array([ 9, 12], dtype=int32)>
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


# -- re-exported from the modules split off -------------------------------------------------
# (imported last: they build on the elementwise ops above)

from .linalg_ops import CONJ, EINSUM, MATMUL, conj, einsum, matmul, tensordot
from .reduction_ops import (REDUCTION_OPS, ARG_MAX, ARG_MIN, argmax, argmin, count_nonzero,
                            reduce_all, reduce_any, reduce_logsumexp, reduce_max, reduce_mean,
                            reduce_min, reduce_prod, reduce_std, reduce_sum, reduce_variance)
