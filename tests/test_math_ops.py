"""Every op of math_ops against NumPy, eagerly and in graphs (check_op), with dtypes."""
import operator

import numpy as np
import pytest

import autotrace as tf
from autotrace import errors
from autotrace.ops import math_ops
from tests.helpers import check_op, graph_value

v1 = tf.compat.v1

F16, F32, F64 = np.float16, np.float32, np.float64
I8, I16, I32, I64, U8 = np.int8, np.int16, np.int32, np.int64, np.uint8
C64, C128 = np.complex64, np.complex128
FLOATS = [F16, F32, F64]
INTS = [I8, I16, I32, I64, U8]
SIGNED = [I8, I16, I32, I64]


def arr(values, dtype):
    return np.array(values, dtype=dtype)


def tol(dtype):
    return {"rtol": 2e-3} if np.dtype(dtype) == F16 else {"rtol": 1e-5}


# -- unary ops ---------------------------------------------------------------------------------

ANY_REAL = [-2.5, -1.0, -0.5, 0.0, 0.5, 1.0, 3.0]
POSITIVE = [0.25, 0.5, 1.0, 4.0, 9.0]
UNIT = [-1.0, -0.5, 0.0, 0.25, 1.0]
COMPLEX = [1 + 2j, -0.5 + 0.25j, 3 - 1j]


def _sigmoid(x):
    wide = C128 if x.dtype.kind == "c" else F64
    return (1 / (1 + np.exp(-x.astype(wide)))).astype(x.dtype)


# name, reference, inputs, dtypes
UNARY = [
    ("negative", np.negative, ANY_REAL, FLOATS + [C64]),
    ("abs", np.abs, ANY_REAL, FLOATS),
    ("sign", np.sign, ANY_REAL, FLOATS),
    ("square", np.square, ANY_REAL, FLOATS + [C64]),
    ("sqrt", np.sqrt, POSITIVE, FLOATS + [C64]),
    ("rsqrt", lambda x: 1 / np.sqrt(x), POSITIVE, FLOATS),
    ("exp", np.exp, ANY_REAL, FLOATS + [C128]),
    ("log", np.log, POSITIVE, FLOATS + [C128]),
    ("log1p", np.log1p, [-0.5, 0.0, 1e-6, 2.0], FLOATS),
    ("expm1", np.expm1, [-1.0, 0.0, 1e-6, 2.0], FLOATS),
    ("sin", np.sin, ANY_REAL, FLOATS + [C128]),
    ("cos", np.cos, ANY_REAL, FLOATS),
    ("tan", np.tan, UNIT, FLOATS),
    ("asin", np.arcsin, UNIT, FLOATS),
    ("acos", np.arccos, UNIT, FLOATS),
    ("atan", np.arctan, ANY_REAL, FLOATS),
    ("sinh", np.sinh, ANY_REAL, FLOATS),
    ("cosh", np.cosh, ANY_REAL, FLOATS),
    ("tanh", np.tanh, ANY_REAL, FLOATS + [C128]),
    ("sigmoid", _sigmoid, ANY_REAL + [-100.0, -20.0, 100.0], FLOATS + [C64]),
    ("round", np.round, [-2.5, -1.5, -0.5, 0.5, 1.5, 2.5, 0.4, 2.6], FLOATS),
    ("floor", np.floor, ANY_REAL, FLOATS),
    ("ceil", np.ceil, ANY_REAL, FLOATS),
    ("reciprocal", np.reciprocal, POSITIVE + [-2.0], FLOATS + [C64]),
]
INT_UNARY = [
    ("negative", np.negative, SIGNED), ("abs", np.abs, SIGNED), ("sign", np.sign, SIGNED),
    ("square", np.square, INTS), ("round", lambda x: x, INTS), ("invert", np.invert, INTS),
]


@pytest.mark.parametrize("name, ref, values, dtypes", UNARY, ids=[u[0] for u in UNARY])
def test_unary_float_and_complex(name, ref, values, dtypes):
    fn = getattr(tf.math, name)
    for dtype in dtypes:
        x = arr(values, dtype) if np.dtype(dtype).kind != "c" else arr(COMPLEX, dtype)
        if np.dtype(dtype).kind == "c" and name in ("sqrt", "log", "reciprocal"):
            x = arr(COMPLEX, dtype)
        expected = ref(x)
        check_op(fn, x.reshape(-1, 1) if x.size % 2 else x.reshape(2, -1),
                 expected=expected.reshape(-1, 1) if x.size % 2 else expected.reshape(2, -1),
                 **tol(dtype))


@pytest.mark.parametrize("name, ref, dtypes", INT_UNARY, ids=[u[0] for u in INT_UNARY])
def test_unary_int(name, ref, dtypes):
    fn = getattr(tf.math, name)
    for dtype in dtypes:
        values = [-3, -1, 0, 2, 5] if np.dtype(dtype).kind == "i" else [0, 1, 7, 200]
        x = arr(values, dtype)
        check_op(fn, x, expected=ref(x))


def test_abs_of_complex_is_real():
    x = arr([3 + 4j, -1j], C64)
    check_op(tf.abs, x, expected=arr([5.0, 1.0], F32))
    check_op(tf.abs, x.astype(C128), expected=arr([5.0, 1.0], F64))


def test_sign_of_complex():
    check_op(tf.sign, arr([3 + 4j, 0j], C128), expected=arr([0.6 + 0.8j, 0j], C128))


def test_logical_not():
    check_op(tf.logical_not, np.array([True, False]), expected=np.array([False, True]))


@pytest.mark.parametrize("name, ref", [("is_nan", np.isnan), ("is_inf", np.isinf),
                                       ("is_finite", np.isfinite)])
def test_float_predicates(name, ref):
    for dtype in FLOATS:
        x = arr([0.0, np.nan, np.inf, -np.inf, 1.5], dtype)
        check_op(getattr(tf.math, name), x, expected=ref(x))


def test_sigmoid_never_overflows():
    x = arr([-1000.0, 1000.0, 0.0], F32)
    check_op(tf.sigmoid, x, expected=arr([0.0, 1.0, 0.5], F32))


# -- binary ops --------------------------------------------------------------------------------

X = [[5.0, -7.0, 8.0], [3.0, 1.0, -2.0]]
Y = [2.0, -3.0, 4.0]  # broadcasts against X


def _squared_difference(x, y):
    d = x - y
    return d * np.conj(d) if d.dtype.kind == "c" else d * d


# name, reference, dtypes
BINARY = [
    ("add", np.add, FLOATS + INTS + [C64]),
    ("subtract", np.subtract, FLOATS + INTS + [C64]),
    ("multiply", np.multiply, FLOATS + INTS + [C128]),
    ("realdiv", np.true_divide, FLOATS + [C64]),
    ("floordiv", np.floor_divide, FLOATS + SIGNED),
    ("floormod", np.mod, FLOATS + SIGNED),
    ("maximum", np.maximum, FLOATS + INTS),
    ("minimum", np.minimum, FLOATS + INTS),
    ("squared_difference", _squared_difference, FLOATS + SIGNED + [C64]),
    ("atan2", np.arctan2, FLOATS),
    ("equal", np.equal, FLOATS + INTS),
    ("not_equal", np.not_equal, FLOATS + INTS),
    ("less", np.less, FLOATS + INTS),
    ("less_equal", np.less_equal, FLOATS + INTS),
    ("greater", np.greater, FLOATS + INTS),
    ("greater_equal", np.greater_equal, FLOATS + INTS),
]


@pytest.mark.parametrize("name, ref, dtypes", BINARY, ids=[b[0] for b in BINARY])
def test_binary_with_broadcasting(name, ref, dtypes):
    fn = getattr(tf.math, name)
    for dtype in dtypes:
        x, y = np.array(X).astype(dtype), np.array(Y).astype(dtype)
        if np.dtype(dtype).kind == "c":
            x, y = x * (1 + 0.5j), y * (1 - 2j)
            x, y = x.astype(dtype), y.astype(dtype)
        expected = ref(x, y)
        check_op(fn, x, y, expected=expected, **tol(dtype))
        check_op(lambda a, b: fn(b, a), x, y, expected=ref(y, x), **tol(dtype))


def test_floordiv_and_floormod_follow_python_for_negatives():
    x, y = arr([-7, 7, -7, 7, 0], I32), arr([2, -2, -2, 2, 3], I32)
    check_op(tf.math.floordiv, x, y, expected=arr([-4, -4, 3, 3, 0], I32))
    check_op(tf.math.floormod, x, y, expected=arr([1, -1, -1, 1, 0], I32))
    fx, fy = x.astype(F32), y.astype(F32)
    check_op(tf.math.floordiv, fx, fy, expected=arr([-4, -4, 3, 3, 0], F32))
    check_op(tf.math.floormod, fx, fy, expected=arr([1, -1, -1, 1, 0], F32))
    assert [(a // b, a % b) for a, b in zip([-7, 7, -7, 7], [2, -2, -2, 2])] == \
        [(-4, 1), (-4, -1), (3, -1), (3, 1)]


def test_integer_division_by_zero_raises_eagerly_and_in_graphs():
    for fn, name in ((tf.math.floordiv, "FloorDiv"), (tf.math.floormod, "FloorMod")):
        with pytest.raises(errors.InvalidArgumentError, match="%s: integer division by zero"
                           % name):
            fn(tf.constant([1, 2]), tf.constant([1, 0]))
        with pytest.raises(errors.InvalidArgumentError, match="integer division by zero"):
            graph_value(fn, arr([1, 2], I32), arr([1, 0], I32))
    # float division by zero is inf / nan, as TF
    assert (tf.constant(5.0) // 0.0).numpy() == np.inf


def test_pow():
    x, y = arr([2.0, 4.0, 9.0], F32), arr([3.0, 0.5, -1.0], F32)
    check_op(tf.pow, x, y, expected=np.power(x, y))
    check_op(tf.pow, arr([2, -3, 0], I32), arr([3, 2, 0], I32), expected=arr([8, 9, 1], I32))
    check_op(tf.pow, arr([1 + 1j], C64), arr([2 + 0j], C64), expected=arr([2j], C64), atol=1e-6)
    with pytest.raises(errors.InvalidArgumentError, match="Integers to negative integer powers"):
        tf.pow(tf.constant([2]), tf.constant([-1]))
    with pytest.raises(errors.InvalidArgumentError, match="Integers to negative integer powers"):
        graph_value(tf.pow, arr([2], I32), arr([-1], I32))


def test_string_add_and_equality():
    a, b = np.array([b"ab", b"c"], dtype=object), np.array([b"x", b"c"], dtype=object)
    check_op(tf.add, a, b, expected=np.array([b"abx", b"cc"], dtype=object))
    check_op(tf.equal, a, b, expected=np.array([False, True]))
    check_op(tf.not_equal, a, b, expected=np.array([True, False]))
    assert (tf.constant("a") + "b").numpy() == b"ab"
    assert (tf.constant("a") + tf.constant("b")).shape == []


@pytest.mark.parametrize("name, ref", [("logical_and", np.logical_and),
                                       ("logical_or", np.logical_or),
                                       ("logical_xor", np.logical_xor)])
def test_logical_binary(name, ref):
    p, q = np.array([[True, True, False, False]]), np.array([[True], [False]])
    check_op(getattr(tf.math, name), p, q, expected=ref(p, q))


@pytest.mark.parametrize("name, ref", [("bitwise_and", np.bitwise_and),
                                       ("bitwise_or", np.bitwise_or),
                                       ("bitwise_xor", np.bitwise_xor)])
def test_bitwise_binary(name, ref):
    fn = getattr(math_ops, name)
    for dtype in INTS:
        x, y = arr([12, 10, 0, 7], dtype), arr([10, 6, 5, 7], dtype)
        check_op(fn, x, y, expected=ref(x, y))


def test_bool_and_string_comparisons():
    p, q = np.array([True, False]), np.array([True, True])
    check_op(tf.equal, p, q, expected=np.array([True, False]))
    with pytest.raises(errors.DTypeMismatchError, match="Less: x has dtype bool"):
        tf.less(tf.constant(p), tf.constant(q))


# -- truediv / div_no_nan ----------------------------------------------------------------------

@pytest.mark.parametrize("dtype, out", [
    (I8, F32), (I16, F32), (U8, F32), (np.uint16, F32), (I32, F64), (I64, F64),
    (F16, F16), (F32, F32), (F64, F64), (C64, C64),
])
def test_truediv_dtype_rule(dtype, out):
    x, y = arr([7, -3, 0], dtype) if np.dtype(dtype).kind != "u" else arr([7, 3, 0], dtype), \
        arr([2, 2, 4], dtype)
    check_op(tf.truediv, x, y, expected=(x.astype(out) / y.astype(out)).astype(out),
             **tol(dtype))
    assert tf.divide is tf.truediv


def test_truediv_rejects_bool_and_strings():
    with pytest.raises(errors.DTypeMismatchError, match="RealDiv: x has dtype bool"):
        tf.truediv(True, False)
    with pytest.raises(TypeError, match="RealDiv: x has dtype string"):
        tf.constant("a") / "b"


def test_div_no_nan():
    x, y = arr([[1.0, 2.0, np.inf], [0.0, -4.0, np.nan]], F32), arr([0.0, 2.0, 0.0], F32)
    check_op(tf.math.div_no_nan, x, y,
             expected=arr([[0.0, 1.0, 0.0], [0.0, -2.0, 0.0]], F32))
    assert tf.math.divide_no_nan is tf.math.div_no_nan
    check_op(tf.math.div_no_nan, arr([1.0, 2.0], F64), arr([0.0, 4.0], F64),
             expected=arr([0.0, 0.5], F64))


# -- cast / saturate_cast ----------------------------------------------------------------------

@pytest.mark.parametrize("x, dtype, expected", [
    (arr([-1.7, -0.5, 0.5, 1.7, 2.0], F32), tf.int32, arr([-1, 0, 0, 1, 2], I32)),
    (arr([-1.7, 1.7], F64), tf.int64, arr([-1, 1], I64)),
    (arr([0.0, -0.0, 2.0, np.nan], F32), tf.bool, np.array([False, False, True, True])),
    (arr([0, 3], I32), tf.bool, np.array([False, True])),
    (np.array([True, False]), tf.int32, arr([1, 0], I32)),
    (np.array([True, False]), tf.float32, arr([1.0, 0.0], F32)),
    (arr([1, 2], I32), tf.float64, arr([1.0, 2.0], F64)),
    (arr([300, -1], I32), tf.uint8, arr([44, 255], U8)),  # cast wraps, deliberately
    (arr([1.5 + 2j], C64), tf.float32, arr([1.5], F32)),  # TF: the real part
    (arr([1.5], F32), tf.complex64, arr([1.5 + 0j], C64)),
    (arr([1e10], F64), tf.float16, arr([np.inf], F16)),
])
def test_cast(x, dtype, expected):
    check_op(lambda t: tf.cast(t, dtype), x, expected=expected)


def test_cast_to_same_dtype_is_identity_and_accepts_names():
    t = tf.constant([1.0])
    assert tf.cast(t, tf.float32) is t
    assert tf.cast([1, 2], "float32").dtype is tf.float32
    assert tf.cast(3, np.int64).dtype is tf.int64


def test_cast_between_strings_and_numbers_raises():
    with pytest.raises(errors.InvalidArgumentError, match="Cast: cannot cast string to int32"):
        tf.cast(tf.constant("1"), tf.int32)
    with pytest.raises(errors.InvalidArgumentError, match="cannot cast float32 to string"):
        tf.cast(tf.constant(1.0), tf.string)


@pytest.mark.parametrize("x, dtype, expected", [
    (arr([300.0, -5.0, 7.9], F32), tf.uint8, arr([255, 0, 7], U8)),
    (arr([300, -5], I32), tf.uint8, arr([255, 0], U8)),
    (arr([200, 5], U8), tf.int8, arr([127, 5], I8)),
    (arr([3e9, -3e9], F32), tf.int32, arr([2147483520, -2147483648], I32)),  # as TF
    (arr([1e20, -1e20], F64), tf.int64, arr([9223372036854774784, -2 ** 63], I64)),
    (arr([2 ** 62], I64), tf.float16, arr([65504], F16)),
    (arr([1e300, -1e300], F64), tf.float32, arr([3.4028235e38, -3.4028235e38], F32)),
    (arr([1.5 + 2j, 1e10 + 0j], C64), tf.int16, arr([1, 32767], I16)),
    (np.array([True, False]), tf.int32, arr([1, 0], I32)),
    (arr([5, -5], I32), tf.int64, arr([5, -5], I64)),
])
def test_saturate_cast(x, dtype, expected):
    check_op(lambda t: tf.saturate_cast(t, dtype), x, expected=expected)


# -- add_n, clip_by_value ----------------------------------------------------------------------

def test_add_n():
    a, b, c = arr([1, 2], I32), arr([10, 20], I32), arr([100, 200], I32)
    check_op(lambda *xs: tf.add_n(list(xs)), a, b, c, expected=arr([111, 222], I32))
    check_op(lambda x: tf.add_n([x]), a, expected=a)
    with pytest.raises(errors.InvalidShapeError, match="AddN: all inputs must have the same "
                                                       r"shape; inputs\[0\] is \(2,\)"):
        tf.add_n([tf.constant([1, 2]), tf.constant([1, 2, 3])])
    with pytest.raises(errors.DTypeMismatchError, match=r"inputs\[1\] has dtype float32"):
        tf.add_n([tf.constant([1, 2]), tf.constant([1.0, 2.0])])
    with pytest.raises(errors.DTypeMismatchError, match="AddN needs a numeric tensor"):
        tf.add_n([tf.constant(True), tf.constant(False)])
    with pytest.raises(TypeError, match="add_n expects a list of tensors"):
        tf.add_n(tf.constant([1, 2]))


def test_clip_by_value():
    x = arr([[-2.0, 0.5, 3.0]], F32)
    check_op(lambda t: tf.clip_by_value(t, 0.0, 1.0), x, expected=arr([[0.0, 0.5, 1.0]], F32))
    check_op(lambda t, lo: tf.clip_by_value(t, lo, 2.0), x, arr([-3.0, 1.0, 0.0], F32),
             expected=arr([[-2.0, 1.0, 2.0]], F32))
    check_op(lambda t: tf.clip_by_value(t, -1, 1), arr([-5, 0, 5], I32),
             expected=arr([-1, 0, 1], I32))


# -- reductions --------------------------------------------------------------------------------

R = np.arange(24).reshape(2, 3, 4) % 7 - 3  # values -3..3
AXES = [None, 0, 1, -1, [0, 2], (1,), [-1, 0], []]


def _np_axis(axis):
    return tuple(axis) if isinstance(axis, (list, tuple)) else axis


def _int_mean(x, axis, keepdims):  # TF's integer mean truncates toward zero
    total = np.sum(x, axis=axis, keepdims=keepdims, dtype=np.int64)
    count = x.size // max(np.size(total), 1)
    return np.trunc(total / count).astype(x.dtype)


REDUCTIONS = [
    ("reduce_sum", lambda x, a, k: np.sum(x, axis=a, keepdims=k, dtype=x.dtype), [F32, I32, F64]),
    ("reduce_prod", lambda x, a, k: np.prod(x, axis=a, keepdims=k, dtype=x.dtype), [F32, I64]),
    ("reduce_max", lambda x, a, k: np.max(x, axis=a, keepdims=k), [F32, I32, U8]),
    ("reduce_min", lambda x, a, k: np.min(x, axis=a, keepdims=k), [F64, I32]),
    ("reduce_mean", lambda x, a, k: np.mean(x, axis=a, keepdims=k, dtype=x.dtype), [F32, F64]),
    ("reduce_mean", _int_mean, [I32, I64]),
]


@pytest.mark.parametrize("name, ref, dtypes", REDUCTIONS, ids=[r[0] for r in REDUCTIONS])
@pytest.mark.parametrize("axis", AXES, ids=str)
@pytest.mark.parametrize("keepdims", [False, True])
def test_reductions(name, ref, dtypes, axis, keepdims):
    fn = getattr(tf, name)
    for dtype in dtypes:
        x = (R + 3).astype(dtype) if np.dtype(dtype).kind == "u" else R.astype(dtype)
        if name == "reduce_prod":
            x = np.clip(x, -2, 2).astype(dtype)
        expected = np.asarray(ref(x, _np_axis(axis), keepdims))
        check_op(lambda t: fn(t, axis=axis, keepdims=keepdims), x, expected=expected, rtol=1e-5)


def test_integer_mean_truncates_toward_zero():
    check_op(tf.reduce_mean, arr([-3, 0], I32), expected=np.int32(-1))  # -1.5 -> -1
    check_op(tf.reduce_mean, arr([1, 2], I32), expected=np.int32(1))
    check_op(lambda t: tf.reduce_mean(t, axis=1), arr([[1, 2], [-1, -2], [5, 6]], I32),
             expected=arr([1, -1, 5], I32))
    check_op(tf.reduce_mean, arr([1, 2], U8), expected=np.uint8(1))


@pytest.mark.parametrize("name, ref", [("reduce_all", np.all), ("reduce_any", np.any)])
@pytest.mark.parametrize("axis", [None, 0, -1, [0, 1]], ids=str)
@pytest.mark.parametrize("keepdims", [False, True])
def test_boolean_reductions(name, ref, axis, keepdims):
    x = np.array([[True, False, True], [True, True, True]])
    check_op(lambda t: getattr(tf, name)(t, axis=axis, keepdims=keepdims), x,
             expected=ref(x, axis=_np_axis(axis), keepdims=keepdims))


def test_reductions_of_empty_tensors():
    check_op(tf.reduce_max, np.zeros([0], F32), expected=np.float32(-np.inf))
    check_op(tf.reduce_min, np.zeros([0], I32), expected=np.int32(2 ** 31 - 1))
    check_op(tf.reduce_sum, np.zeros([0, 3], F32), expected=np.float32(0))
    check_op(tf.reduce_prod, np.zeros([0], I32), expected=np.int32(1))
    check_op(lambda t: tf.reduce_mean(t, axis=0), np.zeros([0, 2], I32),
             expected=arr([0, 0], I32))


def _logsumexp(x, axis, keepdims):
    m = np.max(x, axis=axis, keepdims=True)
    out = np.log(np.sum(np.exp(x - m), axis=axis, keepdims=True)) + m
    return out if keepdims else np.squeeze(out, axis=axis)


@pytest.mark.parametrize("axis", [None, 0, -1, [0, 2]], ids=str)
@pytest.mark.parametrize("keepdims", [False, True])
def test_reduce_logsumexp(axis, keepdims):
    x = R.astype(F32) * 0.5
    check_op(lambda t: tf.reduce_logsumexp(t, axis=axis, keepdims=keepdims), x,
             expected=_logsumexp(x, _np_axis(axis), keepdims).astype(F32), rtol=1e-5)


def test_reduce_logsumexp_is_stable():
    check_op(tf.reduce_logsumexp, arr([1000.0, 1000.0], F32),
             expected=np.float32(1000.0 + np.log(2.0)))
    check_op(tf.reduce_logsumexp, arr([-1000.0, -1000.0], F64),
             expected=np.float64(-1000.0 + np.log(2.0)))
    check_op(tf.reduce_logsumexp, arr([-np.inf, -np.inf], F32), expected=np.float32(-np.inf))
    check_op(tf.reduce_logsumexp, arr([np.inf, 1.0], F32), expected=np.float32(np.inf))


@pytest.mark.parametrize("name, ref", [("reduce_std", np.std), ("reduce_variance", np.var)])
@pytest.mark.parametrize("axis", [None, 0, -1, [0, 2]], ids=str)
@pytest.mark.parametrize("keepdims", [False, True])
def test_std_and_variance(name, ref, axis, keepdims):
    x = R.astype(F32)
    fn = getattr(tf.math, name)
    check_op(lambda t: fn(t, axis=axis, keepdims=keepdims), x,
             expected=ref(x, axis=_np_axis(axis), keepdims=keepdims).astype(F32), rtol=1e-5)


def test_variance_of_complex_is_real():
    check_op(tf.math.reduce_variance, arr([1 + 1j, 1 - 1j], C128), expected=np.float64(1.0))
    with pytest.raises(errors.DTypeMismatchError, match="reduce_variance: x has dtype int32"):
        tf.math.reduce_std(tf.constant([1, 2]))


def test_reduction_axis_errors():
    with pytest.raises(errors.InvalidArgumentError, match=r"Sum: axis 3 is out of range for a "
                                                          r"tensor of rank 3 \(valid: -3 to 2\)"):
        tf.reduce_sum(tf.constant(R), axis=3)
    with pytest.raises(errors.InvalidArgumentError, match="names a dimension twice"):
        tf.reduce_sum(tf.constant(R), axis=[0, -3])
    with pytest.raises(errors.InvalidArgumentError, match="out of range for a scalar"):
        tf.reduce_sum(tf.constant(3), axis=0)
    with pytest.raises(errors.DTypeMismatchError, match="Sum: x has dtype bool"):
        tf.reduce_sum(tf.constant([True]))
    with pytest.raises(errors.DTypeMismatchError, match="All: x has dtype int32"):
        tf.reduce_all(tf.constant([1]))


def test_reduction_axis_given_as_tensor():
    x = arr([[1, 2], [3, 4]], I32)
    check_op(lambda t: tf.reduce_sum(t, axis=tf.constant(1)), x, expected=arr([3, 7], I32))
    check_op(lambda t: tf.reduce_sum(t, axis=tf.constant([0, 1])), x, expected=np.int32(10))


# -- argmax / argmin ---------------------------------------------------------------------------

@pytest.mark.parametrize("name, ref", [("argmax", np.argmax), ("argmin", np.argmin)])
@pytest.mark.parametrize("axis", [None, 0, 1, -1], ids=str)
def test_argmax_argmin(name, ref, axis):
    x = arr([[1, 9, 9], [8, 2, 8]], F32)  # ties take the first index
    fn = getattr(tf, name)
    np_axis = 0 if axis is None else axis  # TF's default axis is 0
    check_op(lambda t: fn(t, axis=axis), x, expected=ref(x, axis=np_axis).astype(I64))
    check_op(lambda t: fn(t, axis=axis, output_type=tf.int32), x,
             expected=ref(x, axis=np_axis).astype(I32))


def test_argmax_accepts_ints_and_bools():
    check_op(tf.argmax, arr([3, 7, 7], U8), expected=np.int64(1))
    check_op(tf.argmax, np.array([False, True, True]), expected=np.int64(1))


def test_argmax_errors():
    with pytest.raises(errors.InvalidArgumentError, match="ArgMax needs a tensor of rank >= 1"):
        tf.argmax(tf.constant(3.0))
    with pytest.raises(errors.InvalidArgumentError, match="output_type must be int32 or int64"):
        tf.argmax([1, 2], output_type=tf.float32)
    with pytest.raises(errors.InvalidArgumentError, match="axis 1 is out of range"):
        tf.argmin([1, 2], axis=1)


# -- matmul, tensordot, einsum -----------------------------------------------------------------

RNG = np.random.default_rng(0)


def rand(*shape, dtype=F32):
    return RNG.standard_normal(shape).astype(dtype)


@pytest.mark.parametrize("sa, sb, ta, tb", [
    ((2, 3), (3, 4), False, False),
    ((3, 2), (3, 4), True, False),
    ((2, 3), (4, 3), False, True),
    ((3, 2), (4, 3), True, True),
    ((5, 2, 3), (5, 3, 4), False, False),
    ((5, 2, 3), (3, 4), False, False),  # batch dims broadcast
    ((2, 1, 2, 3), (4, 3, 5), False, False),
    ((1, 3, 2), (6, 3, 4), True, False),
])
def test_matmul(sa, sb, ta, tb):
    a, b = rand(*sa), rand(*sb)
    na = np.swapaxes(a, -1, -2) if ta else a
    nb = np.swapaxes(b, -1, -2) if tb else b
    check_op(lambda x, y: tf.matmul(x, y, transpose_a=ta, transpose_b=tb), a, b,
             expected=np.matmul(na, nb), rtol=1e-5, atol=1e-6)


def test_matmul_ints_and_complex_adjoint():
    a, b = arr([[1, 2], [3, 4]], I32), arr([[5], [6]], I32)
    check_op(tf.matmul, a, b, expected=a @ b)
    c = arr([[1 + 1j, 2], [0, 1j]], C64)
    check_op(lambda x: tf.matmul(x, x, adjoint_a=True), c, expected=c.conj().T @ c)
    check_op(lambda x: tf.matmul(x, x, adjoint_b=True), c, expected=c @ c.conj().T)


def test_golden_matmul_inner_dimension_mismatch():
    with pytest.raises(errors.InvalidShapeError) as err:
        tf.matmul(tf.ones([2, 3]), tf.ones([4, 5]))
    assert str(err.value) == (
        "MatMul: cannot multiply a (float32, shape (2, 3)) by b (float32, shape (4, 5)): a has "
        "3 columns but b has 4 rows. The last dimension of the left matrix must equal the "
        "second-to-last of the right one; check the shapes or use transpose_a / transpose_b")
    with pytest.raises(ValueError, match="transpose\\(a\\) has 3 columns but b has 4 rows"):
        with tf.Graph().as_default():
            tf.matmul(v1.placeholder(tf.float32, [3, None]), tf.ones([4, 5]), transpose_a=True)


def test_matmul_rank_errors():
    for a, b, label in ((tf.ones([3]), tf.ones([3, 2]), "a"), (tf.ones([2, 3]), tf.ones([3]), "b")):
        with pytest.raises(errors.InvalidShapeError, match="MatMul: %s must have rank >= 2, got "
                                                           "shape" % label):
            tf.matmul(a, b)
    with pytest.raises(errors.InvalidShapeError, match="must have rank >= 2"):
        graph_value(tf.matmul, np.ones(3, F32), np.ones((3, 2), F32))  # known shapes
    with pytest.raises(errors.InvalidArgumentError, match="must have rank >= 2"):
        with tf.Graph().as_default() as g:
            x, y = v1.placeholder(tf.float32), v1.placeholder(tf.float32)
            out = tf.matmul(x, y)
        with v1.Session(graph=g) as sess:
            sess.run(out, {x: np.ones(3, F32), y: np.ones((3, 2), F32)})
    with pytest.raises(errors.InvalidShapeError, match="cannot be broadcast"):
        tf.matmul(tf.ones([2, 2, 3]), tf.ones([3, 3, 4]))
    with pytest.raises(errors.DTypeMismatchError, match="MatMul: a has dtype float32 but b has "
                                                        "dtype int32"):
        tf.matmul(tf.ones([2, 2]), tf.ones([2, 2], tf.int32))


@pytest.mark.parametrize("sa, sb, axes", [
    ((2, 3), (3, 4), 1),
    ((2, 3), (4,), 0),
    ((2, 3, 4), (3, 4, 5), 2),
    ((2, 3), (3, 4), [[1], [0]]),
    ((3, 2), (3, 4), [0, 0]),
    ((2, 3, 4), (4, 3), [[1, 2], [1, 0]]),
    ((2, 3, 4), (4, 3), [[-2, -1], [-1, 0]]),
])
def test_tensordot(sa, sb, axes):
    a, b = rand(*sa), rand(*sb)
    np_axes = axes if isinstance(axes, int) else [list(np.atleast_1d(x)) for x in axes]
    check_op(lambda x, y: tf.tensordot(x, y, axes), a, b,
             expected=np.tensordot(a, b, np_axes), rtol=1e-5, atol=1e-6, unknown_shapes=False)


def test_tensordot_errors():
    with pytest.raises(errors.InvalidShapeError, match="a's axis 1 has length 3 but b's axis 0 "
                                                       "has length 4"):
        tf.tensordot(tf.ones([2, 3]), tf.ones([4, 5]), 1)
    with pytest.raises(errors.InvalidArgumentError, match="axes=3 is out of range"):
        tf.tensordot(tf.ones([2, 3]), tf.ones([3, 4]), 3)


@pytest.mark.parametrize("equation, shapes", [
    ("ij,jk->ik", [(2, 3), (3, 4)]),
    ("bij,bjk->bik", [(5, 2, 3), (5, 3, 4)]),
    ("ij->ji", [(2, 3)]),
    ("ij->", [(2, 3)]),
    ("ii->i", [(3, 3)]),
    ("i,i->", [(4,), (4,)]),
    ("i,j->ij", [(2,), (3,)]),
    ("ij,jk,kl->il", [(2, 3), (3, 4), (4, 2)]),
    ("...ij,...jk->...ik", [(5, 2, 3), (5, 3, 4)]),
    ("ij,jk", [(2, 3), (3, 4)]),
])
def test_einsum(equation, shapes):
    inputs = [rand(*s) for s in shapes]
    check_op(lambda *xs: tf.einsum(equation, *xs), *inputs,
             expected=np.einsum(equation, *inputs), rtol=1e-5, atol=1e-6)


def test_einsum_errors():
    with pytest.raises(errors.InvalidShapeError, match="label 'j' has length 3 in one input and "
                                                       "4 in another"):
        tf.einsum("ij,jk->ik", tf.ones([2, 3]), tf.ones([4, 5]))
    with pytest.raises(errors.InvalidArgumentError, match="names 2 inputs but 1 were given"):
        tf.einsum("ij,jk->ik", tf.ones([2, 3]))
    with pytest.raises(errors.DTypeMismatchError):
        tf.einsum("ij,jk->ik", tf.ones([2, 3]), tf.ones([3, 4], tf.float64))


# -- count_nonzero -----------------------------------------------------------------------------

@pytest.mark.parametrize("axis", [None, 0, -1], ids=str)
@pytest.mark.parametrize("keepdims", [False, True])
def test_count_nonzero(axis, keepdims):
    for x in (arr([[0, 1, 2], [0, 0, 3]], I32), arr([[0.0, 0.5, -1.0], [0.0, 0.0, 0.0]], F32),
              np.array([[True, False, True], [False, False, True]])):
        expected = np.count_nonzero(x, axis=axis, keepdims=keepdims)
        check_op(lambda t: tf.math.count_nonzero(t, axis=axis, keepdims=keepdims), x,
                 expected=np.asarray(expected).astype(I64))
    check_op(lambda t: tf.math.count_nonzero(t, dtype=tf.int32), arr([0, 2], I32),
             expected=np.int32(1))


# -- dtype restrictions ------------------------------------------------------------------------

@pytest.mark.parametrize("fn, value, text", [
    (tf.sqrt, [4], "Sqrt: x has dtype int32 (shape (1,)), but Sqrt needs a floating-point or "
                   "complex tensor; cast it first, e.g. autotrace.cast(x, autotrace.float32)"),
    (tf.exp, [True], "Exp: x has dtype bool (shape (1,)), but Exp needs a floating-point or "
                     "complex tensor; cast it first, e.g. autotrace.cast(x, autotrace.float32)"),
    (tf.floor, [1j], "Floor: x has dtype complex128 (shape (1,)), but Floor needs a "
                     "floating-point tensor"),
    (tf.math.is_nan, [1], "IsNan: x has dtype int32 (shape (1,)), but IsNan needs a "
                          "floating-point tensor; cast it first"),
    (tf.negative, [True], "Neg: x has dtype bool (shape (1,)), but Neg needs a numeric tensor; "
                          "cast it first, e.g. autotrace.cast(x, autotrace.float32)"),
    (tf.logical_not, [1], "LogicalNot: x has dtype int32 (shape (1,)), but LogicalNot needs a "
                          "bool tensor; compare it instead, e.g. x != 0, or cast it: "
                          "autotrace.cast(x, autotrace.bool)"),
    (math_ops.invert, [1.0], "Invert: x has dtype float32 (shape (1,)), but Invert needs an "
                             "integer tensor; cast it first, e.g. autotrace.cast(x, "
                             "autotrace.int32)"),
    (tf.abs, ["a"], "Abs: x has dtype string (shape (1,)), but Abs needs a numeric tensor"),
    (tf.reduce_max, [True], "Max: x has dtype bool (shape (1,)), but Max needs a floating-point "
                            "or integer tensor; cast it first"),
    (tf.round, [1j], "Round: x has dtype complex128 (shape (1,)), but Round needs a "
                     "floating-point or integer tensor"),
])
def test_dtype_restrictions(fn, value, text):
    with pytest.raises(errors.DTypeMismatchError) as err:
        fn(tf.constant(value))
    assert str(err.value).startswith(text)
    with tf.Graph().as_default(), pytest.raises(errors.DTypeMismatchError) as err:
        fn(tf.constant(value))
    assert str(err.value).startswith(text)


def test_golden_sqrt_of_int_message():
    with pytest.raises(errors.DTypeMismatchError) as err:
        tf.sqrt(tf.constant([4, 9]))
    assert str(err.value) == (
        "Sqrt: x has dtype int32 (shape (2,)), but Sqrt needs a floating-point or complex "
        "tensor; cast it first, e.g. autotrace.cast(x, autotrace.float32)")
    assert isinstance(err.value, TypeError) and isinstance(err.value, errors.InvalidArgumentError)


@pytest.mark.parametrize("fn", [tf.add, tf.subtract, tf.multiply, tf.maximum, tf.pow,
                                tf.math.floordiv, tf.math.squared_difference])
def test_arithmetic_rejects_bool(fn):
    with pytest.raises(errors.DTypeMismatchError, match="x has dtype bool"):
        fn(tf.constant([True]), tf.constant([False]))


def test_addv2_of_bools_message():
    with pytest.raises(errors.DTypeMismatchError) as err:
        tf.constant(True) + tf.constant(True)
    assert str(err.value) == (
        "AddV2: x has dtype bool (shape ()), but AddV2 needs a numeric or string tensor; cast "
        "it first, e.g. autotrace.cast(x, autotrace.float32)")


def test_broadcast_error_message():
    with pytest.raises(errors.InvalidShapeError) as err:
        tf.ones([2, 3]) * tf.ones([4])
    assert str(err.value) == (
        "Mul: shapes (2, 3) and (4,) cannot be broadcast together: dimension 3 vs 4 (aligned "
        "from the right, each pair of dimensions must be equal or one of them 1)")
    assert isinstance(err.value, ValueError)


# -- the operators' eager fast path agrees with the general path and with graphs ---------------

FAST_DTYPES = [F16, F32, F64, I8, I32, I64, U8, C64]
OPERATORS = [operator.add, operator.sub, operator.mul, operator.truediv, operator.pow,
             operator.lt, operator.le, operator.gt, operator.ge]
FUNCTIONS = {operator.add: tf.add, operator.sub: tf.subtract, operator.mul: tf.multiply,
             operator.truediv: tf.truediv, operator.pow: tf.pow, operator.lt: tf.less,
             operator.le: tf.less_equal, operator.gt: tf.greater, operator.ge: tf.greater_equal}
# Python evaluates `2 < x` as `x > 2`: comparisons have no reflected form.
SWAPPED = {operator.lt: tf.greater, operator.le: tf.greater_equal, operator.gt: tf.less,
           operator.ge: tf.less_equal}


def _outcome(thunk):
    try:
        result = thunk()
    except Exception as exc:  # noqa: BLE001 - errors must agree too
        return type(exc), str(exc)
    return result.dtype, result.shape, np.asarray(result.numpy()).tolist()


@pytest.mark.parametrize("dtype", FAST_DTYPES, ids=lambda d: np.dtype(d).name)
@pytest.mark.parametrize("op", OPERATORS, ids=lambda o: o.__name__)
def test_fast_path_matches_general_path_and_graph(dtype, op):
    a = arr([[1, 2, 3], [4, 5, 6]], dtype)
    b = arr([2, 1, 3], dtype)
    others = [b, 2, 3, -1, 300, 2.5, 0.5, True]
    x = tf.constant(a)
    fn = FUNCTIONS[op]
    for other in others:
        operand = tf.constant(other) if isinstance(other, np.ndarray) else other
        fast = _outcome(lambda: op(x, operand))
        general = _outcome(lambda: fn(x, operand))
        assert fast == general, (other, fast, general)
        reflected = _outcome(lambda: op(operand, x))
        if op in SWAPPED and not isinstance(operand, tf.Tensor):
            general_reflected = _outcome(lambda: SWAPPED[op](x, operand))
        else:
            general_reflected = _outcome(lambda: fn(operand, x))
        assert reflected == general_reflected, (other, reflected, general_reflected)
        if isinstance(fast[0], tf.DType):  # it ran: the graph computes the same
            with tf.Graph().as_default() as g:
                p = v1.placeholder(x.dtype, [None, 3])
                q = v1.placeholder(x.dtype, [3]) if isinstance(other, np.ndarray) else other
                out = op(p, q)
            feed = {p: a}
            if isinstance(other, np.ndarray):
                feed[q] = b
            with v1.Session(graph=g) as sess:
                value = sess.run(out, feed)
            assert out.dtype == fast[0]
            np.testing.assert_array_equal(np.asarray(value), np.asarray(fast[2]))


def test_conj():
    c = arr([1 + 2j, -3j], C64)
    check_op(tf.math.conj, c, expected=np.conj(c))
    t = tf.constant([1.0, 2.0])
    assert tf.math.conj(t) is t  # the identity for real tensors


def test_kernels_do_not_warn_about_inf_and_nan():
    # TF returns inf / nan silently; NumPy would warn from inside our kernels. pytest resets
    # warning filters per test, so check in a fresh interpreter that turns warnings to errors.
    import subprocess
    import sys
    code = ("import numpy as np, autotrace as tf\n"
            "assert (tf.constant(1.0) / 0.0).numpy() == np.inf\n"
            "assert tf.math.log(tf.constant([0.0])).numpy()[0] == -np.inf\n"
            "assert np.isnan(tf.sqrt(tf.constant(-1.0)).numpy())\n"
            "g = tf.Graph()\n"
            "with g.as_default():\n"
            "    out = tf.math.log(tf.constant(0.0))\n"
            "assert tf.compat.v1.Session(graph=g).run(out) == -np.inf\n"
            "try:\n"
            "    np.log(np.zeros(1))\n"
            "except RuntimeWarning:\n"
            "    print('user code still warns')\n")
    result = subprocess.run([sys.executable, "-W", "error::RuntimeWarning", "-c", code],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "user code still warns"
