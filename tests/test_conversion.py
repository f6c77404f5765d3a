"""Conversion of Python and NumPy values to tensors, with TensorFlow's default dtypes, and the
dtype rules of binary ops (no implicit promotion; a non-tensor operand adopts the dtype)."""
import numpy as np
import pytest

import autotrace as tf
from autotrace import errors
from autotrace.ops.constant_op import ConversionError


def graph_constant(value, dtype=None):
    """The same conversion while a graph is being built: the Const's static dtype/shape."""
    with tf.Graph().as_default():
        t = tf.constant(value, dtype)
        return t.dtype, t.shape


# -- default dtypes ----------------------------------------------------------------------------

@pytest.mark.parametrize("value, dtype, shape", [
    (1.5, tf.float32, ()),
    (1, tf.int32, ()),
    (2 ** 31 - 1, tf.int32, ()),
    (-2 ** 31, tf.int32, ()),
    (2 ** 31, tf.int64, ()),
    (2 ** 40, tf.int64, ()),
    (-2 ** 63, tf.int64, ()),
    (True, tf.bool, ()),
    ("ab", tf.string, ()),
    (b"ab", tf.string, ()),
    (1j, tf.complex128, ()),
    ([1, 2], tf.int32, (2,)),
    ([1, 2 ** 40], tf.int64, (2,)),
    ([1, 2.5], tf.float32, (2,)),
    ([[1.0], [2.0]], tf.float32, (2, 1)),
    ([1j, 2], tf.complex128, (2,)),
    ([True, False], tf.bool, (2,)),
    (["a", b"b"], tf.string, (2,)),
    ((1, 2), tf.int32, (2,)),
    ([], tf.float32, (0,)),
    ([[]], tf.float32, (1, 0)),
    (np.float64(1), tf.float64, ()),
    (np.float16(1), tf.float16, ()),
    (np.int64(3), tf.int64, ()),
    (np.uint8(3), tf.uint8, ()),
    (np.bool_(True), tf.bool, ()),
    (np.str_("x"), tf.string, ()),
    (np.arange(3), tf.int64, (3,)),
    (np.zeros((2, 3), np.float64), tf.float64, (2, 3)),
    (np.zeros(2, np.int16), tf.int16, (2,)),
    (np.array(["a", "bc"]), tf.string, (2,)),
    ([np.float64(1), 2.0], tf.float64, (2,)),  # a NumPy scalar keeps its dtype, as in TF
])
def test_default_dtypes(value, dtype, shape):
    t = tf.constant(value)
    assert t.dtype is dtype and t.shape == shape
    assert tf.convert_to_tensor(value).dtype is dtype
    assert graph_constant(value) == (dtype, tf.TensorShape(shape))


def test_values_are_kept():
    assert tf.constant(2 ** 40).numpy() == 2 ** 40
    assert tf.constant("ab").numpy() == b"ab"
    assert tf.constant(["a", "é"]).numpy().tolist() == [b"a", "é".encode()]
    np.testing.assert_array_equal(tf.constant([[1, 2], [3, 4]]).numpy(), [[1, 2], [3, 4]])
    assert tf.constant(1j).numpy() == 1j


def test_range_is_int32_but_numpy_arange_is_int64():  # seed exercise 3
    assert tf.range(10).dtype is tf.int32
    assert tf.constant(np.arange(10)).dtype is tf.int64
    np.testing.assert_array_equal(tf.range(10).numpy(), np.arange(10))


# -- requested dtypes --------------------------------------------------------------------------

@pytest.mark.parametrize("value, dtype, expected", [
    (3, tf.float32, np.float32(3)),
    (2 ** 40, tf.float32, np.float32(2 ** 40)),
    (16777217, tf.float32, np.float32(16777216)),  # int -> float rounds, as TF
    ([1, 2], tf.float64, np.array([1.0, 2.0])),
    ([16777217], tf.float32, np.array([16777216], np.float32)),
    (np.array([1.0, 2.0]), tf.int32, np.array([1, 2], np.int32)),
    (np.array([1.0, 2.0]), tf.float32, np.array([1, 2], np.float32)),
    (np.array([1e300]), tf.float32, np.array([np.inf], np.float32)),  # precision: as TF
    (np.array([1, 0]), tf.bool, np.array([True, False])),
    (np.array([True]), tf.int32, np.array([1], np.int32)),
    (np.array([1 + 0j]), tf.float64, np.array([1.0])),
    (np.int64(5), tf.int32, np.int32(5)),
    (True, tf.float32, np.float32(1)),  # TF: bool converts to numbers
    (True, tf.int32, np.int32(1)),
    ([True], tf.float32, np.array([1], np.float32)),
    (255, tf.uint8, np.uint8(255)),
    (1.0, tf.complex64, np.complex64(1)),
    (1.5, tf.float16, np.float16(1.5)),
    ("a", tf.string, np.array(b"a", dtype=object)),
])
def test_lossless_conversions_work(value, dtype, expected):
    t = tf.constant(value, dtype)
    assert t.dtype is dtype
    np.testing.assert_array_equal(t.numpy(), expected)
    assert graph_constant(value, dtype)[0] is dtype


@pytest.mark.parametrize("value, dtype, why", [
    (1.5, tf.int32, "it is not a whole number"),
    (300, tf.uint8, r"it is outside the range of uint8 \(0 to 255\)"),
    (-1, tf.uint8, r"it is outside the range of uint8 \(0 to 255\)"),
    (2 ** 40, tf.int32, r"it is outside the range of int32 \(-2147483648 to 2147483647\)"),
    (np.array([1.0, 2.5]), tf.int32, r"element \[1\] is 2.5, which is not a whole number"),
    (np.array([[1.0], [np.nan]]), tf.int64, r"element \[1, 0\] is nan, which is not a finite"),
    (np.array([2 ** 40]), tf.int32, r"element \[0\] is 1099511627776, which is outside the "
                                    r"range of int32"),
    (np.array([-1.0]), tf.uint8, r"element \[0\] is -1.0, which is outside the range of uint8"),
    (np.array([300]), tf.uint8, r"element \[0\] is 300, which is outside the range of uint8"),
    (np.float32(1.5), tf.int32, "it is not a whole number"),
    (np.array([2]), tf.bool, r"element \[0\] is 2, which is neither 0 nor 1"),
    (np.array([1 + 2j]), tf.float32, r"element \[0\] is \(1\+2j\), which has a nonzero imag"),
    (1j, tf.float32, "it has a nonzero imaginary part"),
    ([1.5], tf.int32, r"element \[0\] is 1.5, which is not a whole number"),
    ([300], tf.uint8, r"element \[0\] is 300, which is outside the range of uint8"),
    (float("nan"), tf.int32, "it is not a finite number"),
])
def test_lossy_conversions_raise(value, dtype, why):
    # TF silently truncates 1.5 from a NumPy array and wraps 2**40 into int32: we raise.
    with pytest.raises(ConversionError, match="without changing its value: " + why):
        tf.constant(value, dtype)
    with pytest.raises(TypeError):
        tf.convert_to_tensor(value, dtype)
    with tf.Graph().as_default(), pytest.raises(TypeError):
        tf.constant(value, dtype)


@pytest.mark.parametrize("value, dtype, why", [
    (2.0, tf.int32, "a Python float never converts to an integer dtype"),
    ([2.0, 3.0], tf.int32, "a Python float never converts to an integer dtype"),
    (1, tf.bool, "only bool values convert to bool"),
    ([1, 0], tf.bool, "only bool values convert to bool"),
    (1 + 0j, tf.float32, "a Python complex never converts to a real dtype"),
    ("a", tf.int32, "strings do not convert to numbers"),
    (np.array(["a"]), tf.float32, "strings do not convert to numbers"),
    (1, tf.string, "only str and bytes values convert to a string tensor"),
    ([1, 2], tf.string, "only str and bytes values convert to a string tensor"),
    (np.array([1]), tf.string, "only str and bytes values convert to a string tensor"),
])
def test_python_values_follow_tf_type_rules(value, dtype, why):
    with pytest.raises(ConversionError, match=why):
        tf.constant(value, dtype)


def test_golden_lossy_conversion_message():
    with pytest.raises(TypeError) as err:
        tf.constant(np.array([1.0, 2.5]), tf.int32)
    assert str(err.value) == (
        "Cannot convert array([1. , 2.5]) to a tensor of dtype int32 without changing its "
        "value: element [1] is 2.5, which is not a whole number. Use autotrace.cast to convert "
        "deliberately")
    with pytest.raises(TypeError) as err:
        tf.constant(300, tf.uint8)
    assert str(err.value) == (
        "Cannot convert 300 to a tensor of dtype uint8 without changing its value: it is "
        "outside the range of uint8 (0 to 255). Use autotrace.cast to convert deliberately")


# -- errors for values that are not tensors ---------------------------------------------------

def test_ints_beyond_int64_raise():
    for value in (2 ** 63, -2 ** 63 - 1, [1, 2 ** 63], [2 ** 64], [[1], [-2 ** 70]]):
        with pytest.raises(ValueError, match="does not fit in int64"):
            tf.constant(value)


def test_golden_ragged_list_message():
    with pytest.raises(ValueError) as err:
        tf.constant([[1, 2], [3]])
    assert str(err.value) == (
        "Can't convert a non-rectangular Python sequence to a tensor: value[0] has length 2 but "
        "value[1] has length 1. Nested lists at the same depth must all have the same length")


@pytest.mark.parametrize("value, where", [
    ([[1, 2], 3], "value[0] has length 2 but value[1] has no length (it is a scalar)"),
    ([[[1], [2]], [[3], [4, 5]]], "value[1][0] has length 1 but value[1][1] has length 2"),
    ([[1.0, 2.0], [3.0]], "value[0] has length 2 but value[1] has length 1"),
    ([["a"], ["b", "c"]], "value[0] has length 1 but value[1] has length 2"),
])
def test_ragged_lists_name_where(value, where):
    with pytest.raises(ValueError) as err:
        tf.constant(value)
    assert where in str(err.value)


@pytest.mark.parametrize("value, kinds", [
    ([True, 1], "mixes bool and int"), ([1.0, True], "mixes bool and float"),
    ([1, "a"], "mixes str and int"), ([[b"x"], [2.0]], "mixes bytes and float"),
])
def test_mixed_python_types_raise_value_error_like_tf(value, kinds):
    with pytest.raises(ValueError, match="Can't convert a Python sequence that " + kinds):
        tf.constant(value)


class Opaque:
    pass


@pytest.mark.parametrize("value, name", [
    (Opaque(), "Opaque"), (None, "NoneType"), ({"a": 1}, "dict"), ({1, 2}, "set"),
])
def test_non_numeric_objects_raise_type_error_naming_the_type(value, name):
    with pytest.raises(TypeError, match=r"\(of type %s\) to a tensor" % name):
        tf.constant(value)


def test_sequence_of_objects_names_the_type():
    with pytest.raises(TypeError, match="containing a value of type Opaque"):
        tf.constant([1, Opaque()])
    with pytest.raises(TypeError, match="containing a value of type NoneType"):
        tf.constant([1.0, None])


def test_unsupported_numpy_dtype():
    with pytest.raises(TypeError, match="has no autotrace equivalent"):
        tf.constant(np.array(["2020-01-01"], dtype="datetime64[D]"))


# -- shape= and copying ------------------------------------------------------------------------

def test_constant_shape_fills_and_reshapes():
    np.testing.assert_array_equal(tf.constant(7, shape=[2, 3]).numpy(), np.full((2, 3), 7))
    assert tf.constant(7.0, shape=(2,)).dtype is tf.float32
    np.testing.assert_array_equal(tf.constant([1, 2, 3, 4], shape=[2, 2]).numpy(),
                                  [[1, 2], [3, 4]])
    np.testing.assert_array_equal(tf.constant([[1, 2], [3, 4]], shape=[4]).numpy(), [1, 2, 3, 4])
    assert tf.constant(5, shape=[]).shape == ()
    with tf.Graph().as_default():
        assert tf.constant(0, shape=[3, 1]).shape == [3, 1]


def test_constant_shape_errors():
    with pytest.raises(TypeError) as err:
        tf.constant([1, 2, 3], shape=[2, 2])
    assert str(err.value) == ("constant: [1, 2, 3] has 3 elements, but shape (2, 2) holds 4; "
                              "give a scalar (to fill the shape) or a value with 4 elements")
    with pytest.raises(ValueError, match="shape must be fully defined"):
        tf.constant(5, shape=[None])


def test_constant_copies_numpy_input():
    source = np.array([1.0, 2.0], np.float32)
    for make in (tf.constant, tf.convert_to_tensor, tf.identity):
        t = make(source)
        source[0] = 100.0
        assert t.numpy()[0] == 1.0, make
        source[0] = 1.0
    view = np.arange(6).reshape(2, 3)[:, 1]
    t = tf.constant(view)
    view[0] = 42
    np.testing.assert_array_equal(t.numpy(), [1, 4])


def test_graph_constant_copies_numpy_input():
    source = np.array([1, 2])
    g = tf.Graph()
    with g.as_default():
        t = tf.constant(source)
    source[0] = 9
    with tf.compat.v1.Session(graph=g) as sess:
        np.testing.assert_array_equal(sess.run(t), [1, 2])


@pytest.mark.filterwarnings("ignore::PendingDeprecationWarning")
def test_numpy_matrix_becomes_a_plain_array():
    t = tf.constant(np.asmatrix([[1, 2], [3, 4]]))
    assert type(t.numpy()) is np.ndarray
    np.testing.assert_array_equal(tf.reduce_sum(t, axis=1).numpy(), [3, 7])


# -- convert_to_tensor -------------------------------------------------------------------------

def test_convert_to_tensor_passes_tensors_through():
    t = tf.constant([1, 2])
    assert tf.convert_to_tensor(t) is t
    assert tf.convert_to_tensor(t, tf.int32) is t
    with pytest.raises(ValueError, match="Tensor conversion requested dtype float32 for a "
                                         "tensor with dtype int32"):
        tf.convert_to_tensor(t, tf.float32)


def test_convert_to_tensor_dtype_hint():
    assert tf.convert_to_tensor([1, 2], dtype_hint=tf.float32).dtype is tf.float32
    # A hint that does not fit is ignored (TF): the value keeps its own default dtype.
    t = tf.convert_to_tensor([1.5, 2], dtype_hint=tf.int32)
    assert t.dtype is tf.float32
    np.testing.assert_array_equal(t.numpy(), [1.5, 2.0])


def test_lists_holding_tensors_are_stacked():
    t = tf.convert_to_tensor([tf.constant(1.0), 2.0])
    assert t.dtype is tf.float32  # the Python float adopts the tensor's dtype
    np.testing.assert_array_equal(t.numpy(), [1.0, 2.0])
    t = tf.constant([[tf.constant(1), 2], [3, tf.constant(4)]])
    assert t.dtype is tf.int32
    np.testing.assert_array_equal(t.numpy(), [[1, 2], [3, 4]])
    with pytest.raises(TypeError):
        tf.convert_to_tensor([tf.constant(1), 2.5])


def test_lists_holding_symbolic_tensors_are_stacked_in_graphs():
    g = tf.Graph()
    with g.as_default():
        x = tf.compat.v1.placeholder(tf.float32, [])
        packed = tf.convert_to_tensor([x, 2.0])
        total = tf.add([x, [x, 1.0][0]], 1.0)
    assert packed.dtype is tf.float32 and packed.shape == [2]
    with tf.compat.v1.Session(graph=g) as sess:
        p, s = sess.run([packed, total], feed_dict={x: 5.0})
    np.testing.assert_array_equal(p, [5.0, 2.0])
    np.testing.assert_array_equal(s, [6.0, 6.0])


# -- binary ops: no implicit promotion ----------------------------------------------------------

DTYPES = [tf.float16, tf.float32, tf.float64, tf.int8, tf.int16, tf.int32, tf.int64, tf.uint8]


@pytest.mark.parametrize("a", DTYPES, ids=str)
@pytest.mark.parametrize("b", DTYPES, ids=str)
def test_mixed_dtype_tensors_raise(a, b):
    x, y = tf.ones([2], a), tf.ones([2], b)
    if a is b:
        assert (x + y).dtype is a
        return
    for op in (lambda: x + y, lambda: tf.add(x, y), lambda: x * y, lambda: tf.maximum(x, y),
               lambda: x < y):
        with pytest.raises(errors.DTypeMismatchError) as err:
            op()
        assert isinstance(err.value, errors.InvalidArgumentError)
        assert isinstance(err.value, TypeError)
        assert a.name in str(err.value) and b.name in str(err.value)


def test_golden_binary_dtype_mismatch_message():
    with pytest.raises(errors.DTypeMismatchError) as err:
        tf.constant([1.0, 2.0]) + tf.constant([1, 2])
    assert str(err.value) == (
        "AddV2: x has dtype float32 but y has dtype int32 (shapes (2,) and (2,)). autotrace, "
        "like TensorFlow, never converts dtypes implicitly: cast one of them first, e.g. "
        "autotrace.cast(y, autotrace.float32)")


def test_dtype_mismatch_in_graph_mode_too():
    with tf.Graph().as_default():
        x = tf.compat.v1.placeholder(tf.float32, [None])
        y = tf.compat.v1.placeholder(tf.int32, [None])
        with pytest.raises(TypeError, match=r"AddV2: x has dtype float32 but y has dtype int32 "
                                            r"\(shapes \(None,\) and \(None,\)\)"):
            x + y


@pytest.mark.parametrize("dtype", [tf.float16, tf.float32, tf.float64, tf.complex64])
def test_python_scalar_adopts_float_dtype(dtype):
    x = tf.constant([1.0, 2.0], dtype)
    for result in (x + 1, 1 + x, x * 2.5, 2.5 * x, x - np.float64(1), x / 2,
                   tf.add(x, 1), tf.add(1, x), x + [1, 2], x + np.array([1.0, 2.0])):
        assert result.dtype is dtype


@pytest.mark.parametrize("dtype", [tf.int8, tf.int32, tf.int64, tf.uint8])
def test_python_int_adopts_int_dtype(dtype):
    x = tf.constant([1, 2], dtype)
    assert (x + 1).dtype is dtype and (3 * x).dtype is dtype and (x - np.int64(1)).dtype is dtype


def test_golden_operand_does_not_fit_message():
    with pytest.raises(errors.DTypeMismatchError) as err:
        tf.constant([1, 2]) + 2.5
    assert str(err.value) == (
        "AddV2: y = 2.5 does not fit the dtype of x (int32, shape (2,)): it is not a whole "
        "number. A Python or NumPy operand takes the dtype of the tensor operand (autotrace "
        "never converts dtypes implicitly); to compute in float32, cast x first: "
        "autotrace.cast(x, autotrace.float32)")


@pytest.mark.parametrize("make, arg, why", [
    (lambda: tf.constant(1) + 2.0, "y = 2.0", "a Python float never converts"),
    (lambda: 2.5 * tf.constant(1), "x = 2.5", "not a whole number"),
    (lambda: tf.constant(1, tf.uint8) + 300, "y = 300", "outside the range of uint8"),
    (lambda: tf.constant(1, tf.uint8) - (-1), "y = -1", "outside the range of uint8"),
    (lambda: tf.constant([1, 2]) + np.array([1.5, 2.0]), "y = array([1.5, 2. ])",
     "element [0] is 1.5"),
    (lambda: tf.constant(1) + "a", "y = 'a'", "strings do not convert to numbers"),
    (lambda: tf.constant("a") + 1, "y = 1", "only str and bytes values convert"),
    (lambda: tf.constant(True) & 1, "y = 1", "only bool values convert to bool"),
])
def test_operands_that_do_not_fit_raise(make, arg, why):
    # TF wraps 300 into uint8 and truncates the NumPy array: we raise instead.
    with pytest.raises(errors.DTypeMismatchError) as err:
        make()
    assert arg in str(err.value) and why in str(err.value)


def test_operand_error_in_graph_mode():
    with tf.Graph().as_default():
        x = tf.compat.v1.placeholder(tf.int32, [3])
        with pytest.raises(TypeError, match=r"Mul: y = 0.5 does not fit the dtype of x \(int32, "
                                            r"shape \(3,\)\)"):
            x * 0.5


def test_bool_operand_adopts_numeric_dtype_like_tf():
    assert (tf.constant(1.0) + True).numpy() == 2.0


def test_list_with_tensors_has_no_numpy_value_while_building_a_graph():
    from autotrace.ops.constant_op import constant_value, to_numpy
    np.testing.assert_array_equal(to_numpy([tf.constant(1.0), 2.0]), [1.0, 2.0])
    g = tf.Graph()
    with g.as_default():
        x = tf.compat.v1.placeholder(tf.float32, [])
        with pytest.raises(TypeError, match="no NumPy value while a graph is being built"):
            to_numpy([x, 1.0])
        assert constant_value([x, 1.0]) is None
    assert len(g.get_operations()) == 1  # nothing was added


def test_float_overflow_in_conversion_is_inf_like_tf():
    assert tf.constant(1e300).numpy() == np.inf
    assert tf.constant([1e300, -1e300]).numpy().tolist() == [np.inf, -np.inf]


@pytest.mark.parametrize("value, dtype, shape", [
    ([], tf.int32, (0,)), ([[]], tf.bool, (1, 0)), ([], tf.string, (0,)),
    ([[], []], tf.complex64, (2, 0)), ([], None, (0,))])
def test_empty_python_lists_convert_to_any_dtype(value, dtype, shape):
    t = tf.constant(value, dtype)
    assert t.dtype == (dtype or tf.float32) and t.shape == shape
    assert t.numpy().size == 0
