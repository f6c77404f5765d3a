"""The tensor protocol: values, printing, NumPy interop, operators, indexing, Python
conversions, hashing; and symbolic tensors while a graph is built."""
import copy
import operator
import pickle

import numpy as np
import pytest

import autotrace as tf
from autotrace import errors


# -- value and metadata ------------------------------------------------------------------------

def test_numpy_shape_dtype_ndim():
    t = tf.constant([[1.0, 2.0, 3.0]])
    assert isinstance(t.numpy(), np.ndarray) and t.numpy().dtype == np.float32
    assert isinstance(t.shape, tf.TensorShape) and t.shape == [1, 3]
    assert t.get_shape() == t.shape
    assert t.dtype is tf.float32 and t.ndim == 2
    assert tf.is_tensor(t) and isinstance(t, tf.Tensor) and not tf.is_tensor(1.0)


def test_numpy_of_a_scalar_is_a_numpy_scalar():
    value = tf.constant(2.0).numpy()
    assert type(value) is np.float32 and value == 2.0
    assert type(tf.constant(3).numpy()) is np.int32
    assert type(tf.add(tf.constant([1]), 1)[0].numpy()) is np.int32
    assert tf.constant("ab").numpy() == b"ab"


def test_numpy_returns_a_copy():  # tensors are immutable, as in TF
    t = tf.constant([1.0, 2.0])
    t.numpy()[0] = 9.0
    np.testing.assert_array_equal(t.numpy(), [1.0, 2.0])


def test_array_protocol_is_read_only():
    t = tf.constant([1.0, 2.0])
    view = np.asarray(t)
    assert not view.flags.writeable
    with pytest.raises(ValueError, match="read-only"):
        view[0] = 5.0
    converted = np.asarray(t, dtype=np.float64)
    assert converted.dtype == np.float64 and converted.tolist() == [1.0, 2.0]
    np.testing.assert_array_equal(np.square(t), np.array([1.0, 4.0], np.float32))
    assert np.array(t).flags.writeable  # np.array copies


def test_numpy_operators_use_our_reflected_ops():
    t = tf.constant([1.0, 2.0])
    for result in (np.array([1.0, 2.0]) + t, np.float64(2.0) * t, np.array([3.0, 4.0]) - t,
                   np.float32(1.0) / t):
        assert isinstance(result, tf.Tensor) and result.dtype is tf.float32
    np.testing.assert_array_equal((np.array([3.0, 4.0]) - t).numpy(), [2.0, 2.0])
    np.testing.assert_array_equal((np.float32(1.0) / t).numpy(), [1.0, 0.5])


# -- printing ----------------------------------------------------------------------------------

@pytest.mark.parametrize("value, text", [
    ([1.0, 2.0, 3.0], "<tf.Tensor: shape=(3,), dtype=float32, "
                      "numpy=array([1., 2., 3.], dtype=float32)>"),
    (2.0, "<tf.Tensor: shape=(), dtype=float32, numpy=2.0>"),
    (7, "<tf.Tensor: shape=(), dtype=int32, numpy=7>"),
    (True, "<tf.Tensor: shape=(), dtype=bool, numpy=True>"),
    ("ab", "<tf.Tensor: shape=(), dtype=string, numpy=b'ab'>"),
    (["a", "b"], "<tf.Tensor: shape=(2,), dtype=string, "
                 "numpy=array([b'a', b'b'], dtype=object)>"),
    ([[1, 2], [3, 4]], "<tf.Tensor: shape=(2, 2), dtype=int32, numpy=\n"
                       "array([[1, 2],\n       [3, 4]], dtype=int32)>"),
])
def test_repr(value, text):
    assert repr(tf.constant(value)) == text


@pytest.mark.parametrize("value, text", [
    ([1.0, 2.0], "tf.Tensor([1. 2.], shape=(2,), dtype=float32)"),
    (2.0, "tf.Tensor(2.0, shape=(), dtype=float32)"),
    ("ab", "tf.Tensor(b'ab', shape=(), dtype=string)"),
    ([[1, 2], [3, 4]], "tf.Tensor(\n[[1 2]\n [3 4]], shape=(2, 2), dtype=int32)"),
])
def test_str(value, text):
    assert str(tf.constant(value)) == text


def test_format():
    assert "%s" % tf.constant(1.5) == "tf.Tensor(1.5, shape=(), dtype=float32)"
    assert "{:.2f}".format(tf.constant(2.5)) == "2.50"
    assert f"{tf.constant([1, 2])}" == "tf.Tensor([1 2], shape=(2,), dtype=int32)"


# -- operators ---------------------------------------------------------------------------------

A = np.array([[5, -7, 8], [3, 1, -2]], np.int32)
B = np.array([[2, 3, -3], [1, 4, 5]], np.int32)
FA, FB = A.astype(np.float32), B.astype(np.float32)

BINARY = [
    ("+", operator.add, np.add), ("-", operator.sub, np.subtract),
    ("*", operator.mul, np.multiply), ("//", operator.floordiv, np.floor_divide),
    ("%", operator.mod, np.mod),
]


@pytest.mark.parametrize("symbol, op, ref", BINARY, ids=[b[0] for b in BINARY])
@pytest.mark.parametrize("a, b", [(A, B), (FA, FB)], ids=["int32", "float32"])
def test_binary_operators_and_reflected(symbol, op, ref, a, b):
    x, y = tf.constant(a), tf.constant(b)
    expected = ref(a, b)
    for result in (op(x, y), op(x, b), op(a, y)):
        assert isinstance(result, tf.Tensor) and result.dtype == a.dtype
        np.testing.assert_array_equal(result.numpy(), expected)
    scalar = b.dtype.type(3).item()  # a Python number
    np.testing.assert_array_equal(op(x, scalar).numpy(), ref(a, a.dtype.type(scalar)))
    np.testing.assert_array_equal(op(scalar, x).numpy(), ref(a.dtype.type(scalar), a))


def test_truediv_operator():
    assert (tf.constant(7) / tf.constant(2)).dtype is tf.float64  # int32 / int32 -> float64
    assert (tf.constant(7) / 2).numpy() == 3.5 and (7 / tf.constant(2)).numpy() == 3.5
    assert (tf.constant(7.0) / 2).dtype is tf.float32
    assert (tf.constant(1, tf.int16) / tf.constant(2, tf.int16)).dtype is tf.float32


def test_pow_operator():
    assert (tf.constant(2) ** 3).numpy() == 8 and (2 ** tf.constant(3)).numpy() == 8
    assert (tf.constant(2.0) ** -1).numpy() == 0.5
    assert (tf.constant(4.0) ** tf.constant(0.5)).numpy() == 2.0
    with pytest.raises(errors.InvalidArgumentError,
                       match="Integers to negative integer powers are not allowed"):
        tf.constant(2) ** -1


def test_matmul_operator():
    a = np.array([[1.0, 2.0], [3.0, 4.0]], np.float32)
    np.testing.assert_array_equal((tf.constant(a) @ tf.constant(a)).numpy(), a @ a)
    np.testing.assert_array_equal((tf.constant(a) @ a).numpy(), a @ a)
    np.testing.assert_array_equal((a @ tf.constant(a)).numpy(), a @ a)
    with pytest.raises(errors.InvalidShapeError, match="a must have rank >= 2"):
        tf.constant([1.0, 2.0]) @ tf.constant(a)


def test_unary_operators():
    x = tf.constant([-1.5, 2.0])
    np.testing.assert_array_equal((-x).numpy(), [1.5, -2.0])
    np.testing.assert_array_equal(abs(x).numpy(), [1.5, 2.0])
    assert (+x) is x
    np.testing.assert_array_equal((~tf.constant([True, False])).numpy(), [False, True])
    np.testing.assert_array_equal((~tf.constant([5, 0])).numpy(), [-6, -1])
    assert (~tf.constant(5, tf.uint8)).numpy() == 250
    with pytest.raises(errors.DTypeMismatchError, match="Neg: x has dtype bool"):
        -tf.constant(True)
    with pytest.raises(errors.DTypeMismatchError, match="Invert: x has dtype float32"):
        ~tf.constant(1.0)


def test_comparison_operators_are_elementwise():
    x, y = tf.constant([1, 2, 3]), tf.constant([3, 2, 1])
    for op in (operator.lt, operator.le, operator.gt, operator.ge, operator.eq, operator.ne):
        result = op(x, y)
        assert result.dtype is tf.bool
        np.testing.assert_array_equal(result.numpy(), op(np.array([1, 2, 3]), [3, 2, 1]))
        np.testing.assert_array_equal(op(x, 2).numpy(), op(np.array([1, 2, 3]), 2))
    np.testing.assert_array_equal((2 < x).numpy(), [False, False, True])  # reflected by Python


def test_equality_with_none_and_incompatible_shapes():
    t = tf.constant([1, 2])
    assert (t == None) is False and (t != None) is True  # noqa: E711
    # TF 2: == / != on shapes that cannot broadcast compare the tensors as wholes.
    assert (t == tf.constant([1, 2, 3])).numpy() == False  # noqa: E712
    assert (t != tf.constant([1, 2, 3])).numpy() == True  # noqa: E712
    with pytest.raises(TypeError):
        t == 1.5
    with pytest.raises(errors.DTypeMismatchError):
        t == tf.constant([1.0, 2.0])


def test_bitwise_and_logical_operators():
    p, q = tf.constant([True, True, False]), tf.constant([True, False, False])
    np.testing.assert_array_equal((p & q).numpy(), [True, False, False])
    np.testing.assert_array_equal((p | q).numpy(), [True, True, False])
    np.testing.assert_array_equal((p ^ q).numpy(), [False, True, False])
    np.testing.assert_array_equal((True & q).numpy(), [True, False, False])
    i, j = tf.constant([12, 10]), tf.constant([10, 6])
    np.testing.assert_array_equal((i & j).numpy(), [8, 2])
    np.testing.assert_array_equal((i | j).numpy(), [14, 14])
    np.testing.assert_array_equal((i ^ j).numpy(), [6, 12])
    np.testing.assert_array_equal((6 ^ i).numpy(), [10, 12])
    with pytest.raises(errors.DTypeMismatchError):
        tf.constant(1.0) & tf.constant(2.0)


def test_operators_on_symbolic_tensors_build_ops():
    g = tf.Graph()
    with g.as_default():
        x = tf.compat.v1.placeholder(tf.int32, [2])
        outs = [x + 1, 1 - x, x * x, x // 2, x % 3, -x, abs(x), x < 1, x == 1, ~x, x & 3]
    with tf.compat.v1.Session(graph=g) as sess:
        values = sess.run(outs, feed_dict={x: np.array([4, -5], np.int32)})
    a = np.array([4, -5], np.int32)
    expected = [a + 1, 1 - a, a * a, a // 2, a % 3, -a, abs(a), a < 1, a == 1, ~a, a & 3]
    for got, want in zip(values, expected):
        np.testing.assert_array_equal(got, want)


# -- indexing and iteration --------------------------------------------------------------------

M = np.arange(24).reshape(2, 3, 4).astype(np.int32)


@pytest.mark.parametrize("key", [
    0, -1, (1, 2), (1, -1, 3), slice(None, None, 2), slice(None, None, -1), slice(1, 10),
    (Ellipsis, 0), (slice(None), None, 1), (None, Ellipsis), (0, slice(None), slice(1, 3)),
    (Ellipsis, slice(None, None, -2)), (slice(-5, -1),),
], ids=str)
def test_indexing_matches_numpy(key):
    t = tf.constant(M)
    result = t[key]
    np.testing.assert_array_equal(result.numpy(), M[key])
    assert result.shape == M[key].shape


def test_newaxis_and_tensor_index():
    t = tf.constant([1.0, 2.0])
    assert t[tf.newaxis, :, None].shape == [1, 2, 1]
    assert t[tf.constant(1)].numpy() == 2.0
    assert [10, 20, 30][tf.constant(1)] == 20
    assert operator.index(tf.constant(2, tf.int64)) == 2


def test_index_out_of_range_message():
    with pytest.raises(errors.InvalidArgumentError) as err:
        tf.constant([1, 2, 3])[5]
    assert str(err.value) == ("StridedSlice: index 5 is out of bounds for axis 0 with size 3 "
                              "(tensor shape (3,))")
    with pytest.raises(errors.InvalidArgumentError, match="index -4 is out of bounds"):
        tf.constant([1, 2, 3])[-4]


def test_iteration_and_len():
    t = tf.constant([[1, 2], [3, 4], [5, 6]])
    rows = list(t)
    assert len(rows) == 3 == len(t)
    assert all(isinstance(r, tf.Tensor) and r.shape == [2] for r in rows)
    np.testing.assert_array_equal(rows[2].numpy(), [5, 6])
    assert [int(v) for v in tf.constant([7, 8])] == [7, 8]
    with pytest.raises(TypeError, match="Cannot iterate over a scalar tensor"):
        iter(tf.constant(1))
    with pytest.raises(TypeError, match=r"Scalar tensor has no `len\(\)`"):
        len(tf.constant(1))


# -- Python conversions ------------------------------------------------------------------------

def test_python_scalar_conversions():
    assert bool(tf.constant(1.0)) is True and bool(tf.constant(0)) is False
    assert int(tf.constant(2.7)) == 2 and float(tf.constant(3)) == 3.0
    assert complex(tf.constant(1j)) == 1j
    assert tf.constant(5).__index__() == 5
    with pytest.raises(ValueError, match="ambiguous"):
        bool(tf.constant([1, 2]))
    with pytest.raises(TypeError, match="Only integer scalar tensors can be used as an index"):
        tf.constant(2.0).__index__()
    with pytest.raises(TypeError, match="Only integer scalar tensors"):
        [1, 2][tf.constant([0])]
    with pytest.raises(TypeError):
        float(tf.constant([1.0, 2.0]))


def test_hash_raises_and_ref_works():
    t = tf.constant([1, 2])
    with pytest.raises(TypeError) as err:
        hash(t)
    assert str(err.value) == "Tensor is unhashable. Instead, use tensor.ref() as the key."
    with pytest.raises(TypeError):
        {t: 1}
    ref = t.ref()
    assert ref.deref() is t and ref == t.ref() and hash(ref) == hash(t.ref())
    assert ref != tf.constant([1, 2]).ref()
    assert {ref: "a"}[t.ref()] == "a"
    assert t.experimental_ref().deref() is t


def test_eager_tensor_has_no_graph_attributes():
    t = tf.constant(1)
    for attr in ("name", "op", "graph"):
        with pytest.raises(AttributeError, match="undefined when executing eagerly"):
            getattr(t, attr)
    assert t.device.endswith("CPU:0")


def test_copy_pickle_set_shape():
    t = tf.constant([1, 2])
    assert copy.copy(t) is t and copy.deepcopy(t) is t
    back = pickle.loads(pickle.dumps(t))
    assert back.dtype is tf.int32 and back.numpy().tolist() == [1, 2]
    t.set_shape([None])
    with pytest.raises(ValueError, match=r"shape \(2,\) is not compatible with supplied shape "
                                         r"\(3,\)"):
        t.set_shape([3])


# -- symbolic tensors --------------------------------------------------------------------------

def test_symbolic_tensor_name_and_text():
    g = tf.Graph()
    with g.as_default():
        total = tf.constant(2) + tf.constant(3)
        again = tf.constant(1) + 1
    assert total.name == "add:0" and again.name == "add_1:0"
    assert str(total) == 'Tensor("add:0", shape=(), dtype=int32)'
    assert repr(total) == "<tf.Tensor 'add:0' shape=() dtype=int32>"
    assert total.graph is g and total.op.type == "AddV2" and total.op.name == "add"
    assert total.dtype is tf.int32 and total.shape == [] and total.ndim == 0


def test_symbolic_tensor_bool_and_iteration_raise():
    with tf.Graph().as_default():
        x = tf.compat.v1.placeholder(tf.float32, [3])
        with pytest.raises(errors.OperatorNotAllowedInGraphError) as err:
            bool(x)
        text = str(err.value)
        assert "Python bool is not allowed" in text and "no value yet" in text
        assert "autotrace.function" in text and "autotrace.cond" in text
        with pytest.raises(errors.OperatorNotAllowedInGraphError) as err:
            iter(x)
        assert "Iterating over a symbolic tensor" in str(err.value)
        assert "autotrace.function" in str(err.value)
        with pytest.raises(errors.OperatorNotAllowedInGraphError):
            if x > 0:  # noqa: the classic mistake
                pass
        with pytest.raises(TypeError, match="len is not well defined"):
            len(x)
        with pytest.raises(TypeError, match="cannot be used as a Python index"):
            [1, 2][tf.constant(0)]
        with pytest.raises(TypeError, match="has no value while the graph is being built"):
            int(x)


def test_symbolic_tensor_has_no_value():
    with tf.Graph().as_default():
        x = tf.constant([1.0]) * 2.0
        with pytest.raises(errors.InaccessibleTensorError) as err:
            x.numpy()
        assert "has no value until the graph runs" in str(err.value)
        assert "Session().run" in str(err.value)
        with pytest.raises(errors.InaccessibleTensorError, match="converted to a NumPy array"):
            np.asarray(x)


def test_symbolic_tensor_hashes_in_v1_graphs():  # feed_dict keys
    with tf.Graph().as_default():
        x = tf.compat.v1.placeholder(tf.float32, [])
        assert {x: 1}[x] == 1


def test_symbolic_set_shape_refines():
    with tf.Graph().as_default():
        x = tf.compat.v1.placeholder(tf.float32, [None, 3])
        x.set_shape([2, None])
        assert x.shape == [2, 3]
        with pytest.raises(ValueError, match="not compatible"):
            x.set_shape([4, 3])


@pytest.mark.parametrize("module", ["autotrace.core.dtypes", "autotrace.core.tensor_shape",
                                    "autotrace.core.tensor", "autotrace.ops.constant_op",
                                    "autotrace.ops.math_ops", "autotrace.core.nest",
                                    "autotrace.core.names"])
def test_docstring_examples(module):
    import doctest
    import importlib
    result = doctest.testmod(importlib.import_module(module), extraglobs={"np": np, "tf": tf},
                             optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0 and result.attempted > 0
