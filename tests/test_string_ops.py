"""tf.strings: length, join, upper/lower/strip, format, as_string, to_number and regexes.

Expected values are TensorFlow 2.21's; outputs are object arrays of bytes."""
import numpy as np
import pytest

import autotrace as tf
from autotrace.errors import DTypeMismatchError, InvalidArgumentError, InvalidShapeError

from helpers import check_op

v1 = tf.compat.v1


def _bytes(*items, shape=None):
    out = np.empty(len(items), dtype=object)
    out[:] = [s.encode("utf-8") if isinstance(s, str) else s for s in items]
    return out.reshape(shape) if shape is not None else out


def _scalar(text):
    out = np.empty((), dtype=object)
    out[()] = text.encode("utf-8") if isinstance(text, str) else text
    return out


# -- length ------------------------------------------------------------------------------------

def test_length_in_bytes_and_utf8_characters():
    words = _bytes("abc", "héllo", "", "日本語")
    check_op(tf.strings.length, words, expected=np.array([3, 6, 0, 9], np.int32))
    check_op(lambda s: tf.strings.length(s, unit="UTF8_CHAR"), words,
             expected=np.array([3, 5, 0, 3], np.int32))
    # invalid UTF-8 counts every byte that does not continue a character, as TF
    assert tf.strings.length(tf.constant([b"\xff\xfeab"]), unit="UTF8_CHAR").numpy()[0] == 4
    assert tf.strings.length("abcd").numpy() == 4


def test_length_errors():
    with pytest.raises(InvalidArgumentError) as info:
        tf.strings.length(["abc"], unit="CHAR")
    assert str(info.value) == 'StringLength: unit must be "BYTE" or "UTF8_CHAR", got \'CHAR\''
    with pytest.raises(TypeError, match="dtype string"):
        tf.strings.length([1, 2])
    with pytest.raises(DTypeMismatchError, match="StringLength: input has dtype int32"):
        tf.strings.length(tf.constant([1, 2]))


# -- join --------------------------------------------------------------------------------------

def test_join_elementwise_with_scalars_repeated():
    a, b = _bytes("a", "c"), _bytes("b", "d")
    check_op(lambda x, y: tf.strings.join([x, y], separator="-"), a, b,
             expected=_bytes("a-b", "c-d"))
    check_op(lambda x, y: tf.strings.join([x, y, x], separator=", "), a, _scalar("z"),
             expected=_bytes("a, z, a", "c, z, c"))
    check_op(lambda x: tf.strings.join([x, x]), _bytes("p", "q", "r", "s", shape=(2, 2)),
             expected=_bytes("pp", "qq", "rr", "ss", shape=(2, 2)))


def test_join_special_inputs():
    assert tf.strings.join(["a", "b"]).numpy() == b"ab"
    assert tf.strings.join([]).numpy() == b""
    assert tf.strings.join(["a"]).numpy() == b"a"
    assert tf.strings.join(tf.constant(["x", "y"]), separator="+").numpy() == b"x+y"


def test_join_shape_errors():
    with pytest.raises(InvalidShapeError) as info:
        tf.strings.join([["a", "c"], ["x", "y", "z"]])
    assert str(info.value) == ("StringJoin: inputs must have the same shape (or be scalars), "
                               "but inputs[0] has shape (2,) and inputs[1] has shape (3,)")
    with pytest.raises(InvalidShapeError, match=r"\(2, 1\) and inputs\[1\] has shape \(2,\)"):
        tf.strings.join([[["a"], ["c"]], ["x", "y"]])  # no general broadcasting, as TF
    with pytest.raises(TypeError, match="dtype string"):
        tf.strings.join(["a", 1])


def test_join_checks_shapes_at_run_time_when_unknown():
    graph = tf.Graph()
    with graph.as_default():
        x, y = v1.placeholder(tf.string), v1.placeholder(tf.string)
        joined = tf.strings.join([x, y])
    with v1.Session(graph=graph) as sess:
        np.testing.assert_array_equal(sess.run(joined, {x: ["a", "b"], y: "!"}),
                                      _bytes("a!", "b!"))
        with pytest.raises(InvalidArgumentError, match="inputs must have the same shape"):
            sess.run(joined, {x: ["a", "b"], y: ["1", "2", "3"]})


# -- upper, lower, strip -----------------------------------------------------------------------

def test_upper_lower_are_ascii_only_by_default():
    words = _bytes("abc", "héllo", "MiXeD 9")
    check_op(tf.strings.upper, words, expected=_bytes("ABC", "HéLLO", "MIXED 9"))
    check_op(tf.strings.lower, _bytes("ABC", "HÉLLO"), expected=_bytes("abc", "hÉllo"))
    np.testing.assert_array_equal(tf.strings.upper(["héllo"], encoding="utf-8").numpy(),
                                  _bytes("HÉLLO"))
    np.testing.assert_array_equal(tf.strings.lower(["HÉLLO"], encoding="utf-8").numpy(),
                                  _bytes("héllo"))
    with pytest.raises(InvalidArgumentError, match="encoding must be '' .* or 'utf-8'"):
        tf.strings.upper("a", encoding="latin1")


def test_strip():
    check_op(tf.strings.strip, _bytes("  ab\n", "x", " \t "), expected=_bytes("ab", "x", ""))


# -- format ------------------------------------------------------------------------------------

def test_format_like_tf_print():
    out = tf.strings.format("x={} y={}", (tf.constant([1, 2, 3]), tf.constant(2.5)))
    assert out.numpy() == b"x=[1 2 3] y=2.5"
    seven = tf.constant([1, 2, 3, 4, 5, 6, 7])
    assert tf.strings.format("x={}", seven).numpy() == b"x=[1 2 3 ... 5 6 7]"
    assert tf.strings.format("x={}", seven, summarize=2).numpy() == b"x=[1 2 ... 6 7]"
    assert tf.strings.format("x={}", seven, summarize=-1).numpy() == b"x=[1 2 3 4 5 6 7]"
    assert tf.strings.format("x={}", tf.reshape(tf.range(6), [2, 3])).numpy() == \
        b"x=[[0 1 2]\n [3 4 5]]"


def test_format_element_types():
    assert tf.strings.format("{}", tf.constant(["a", "b"])).numpy() == b'["a" "b"]'
    assert tf.strings.format("{}", tf.constant("a")).numpy() == b'"a"'
    assert tf.strings.format("{} {}", ["a", tf.constant("b")]).numpy() == b'"a" "b"'
    assert tf.strings.format("{}", tf.constant([0.1, 1 / 3])).numpy() == b"[0.1 0.333333343]"
    assert tf.strings.format("{}", tf.constant(1 / 3, tf.float64)).numpy() == \
        b"0.33333333333333331"
    assert tf.strings.format("{}", tf.constant([True, False])).numpy() == b"[1 0]"
    assert tf.strings.format("x=%s", [3], placeholder="%s").numpy() == b"x=3"


def test_format_in_a_graph_and_errors():
    # reshaped to [1]: check_op reads a scalar string result back as NumPy bytes, not object
    check_op(lambda x: tf.reshape(tf.strings.format("v={}!", x), [1]),
             np.array([1.5, 2.0], np.float32), expected=_bytes("v=[1.5 2]!"))
    with pytest.raises(ValueError) as info:
        tf.strings.format("x={} {}", [tf.constant(1)])
    assert str(info.value) == ("strings.format: the template 'x={} {}' has 2 placeholders '{}' "
                               "but 1 inputs were given; they must match")


# -- as_string ---------------------------------------------------------------------------------

def test_as_string_defaults():
    check_op(tf.strings.as_string, np.array([1.5, 2.0, 1 / 3], np.float32),
             expected=_bytes("1.500000", "2.000000", "0.333333"))
    check_op(tf.strings.as_string, np.array([1, -2], np.int32), expected=_bytes("1", "-2"))
    check_op(tf.strings.as_string, np.array([True, False]), expected=_bytes("true", "false"))
    np.testing.assert_array_equal(
        tf.strings.as_string([1e20, 1e-7, np.nan, np.inf]).numpy(),
        _bytes("100000002004087734272.000000", "0.000000", "nan", "inf"))
    np.testing.assert_array_equal(tf.strings.as_string(tf.constant([1 / 3], tf.float16)).numpy(),
                                  _bytes("0.333252"))
    np.testing.assert_array_equal(tf.strings.as_string([1 + 2j]).numpy(),
                                  _bytes("(1.000000,2.000000)"))
    np.testing.assert_array_equal(tf.strings.as_string(tf.constant([2 ** 40])).numpy(),
                                  _bytes("1099511627776"))


def test_as_string_options():
    values = [1.5, 2.0, 1 / 3]

    def check(expected, **options):
        np.testing.assert_array_equal(tf.strings.as_string(values, **options).numpy(),
                                      _bytes(*expected))
    check(["1.50", "2.00", "0.33"], precision=2)
    check(["1.500000e+00", "2.000000e+00", "3.333333e-01"], scientific=True)
    check(["1.5", "2", "0.333333"], shortest=True)
    check(["  1.500000", "  2.000000", "  0.333333"], width=10)
    check([" 1.500000", " 2.000000", " 0.333333"], fill=" ")
    np.testing.assert_array_equal(tf.strings.as_string([1, 22], width=4, fill="0").numpy(),
                                  _bytes("0001", "0022"))
    np.testing.assert_array_equal(tf.strings.as_string([1, 22], width=4, fill="-").numpy(),
                                  _bytes("1   ", "22  "))
    np.testing.assert_array_equal(tf.strings.as_string([1e20, 123456789.0], shortest=True)
                                  .numpy(), _bytes("1e+20", "1.23457e+08"))


def test_as_string_errors():
    with pytest.raises(InvalidArgumentError, match="precision is not supported for int32"):
        tf.strings.as_string([1], precision=2)
    with pytest.raises(InvalidArgumentError, match="scientific and shortest notation are not "
                                                   "supported for int32"):
        tf.strings.as_string([1], scientific=True)
    with pytest.raises(InvalidArgumentError, match="cannot select both"):
        tf.strings.as_string([1.0], scientific=True, shortest=True)
    with pytest.raises(InvalidArgumentError, match="fill must be"):
        tf.strings.as_string([1.0], fill="x", width=5)


# -- to_number ---------------------------------------------------------------------------------

def test_to_number_floats():
    text = _bytes("1.5", "2", " 3", "1e3", "-inf", "infinity", "0x1p3", ".5", "1.", "3 ")
    check_op(tf.strings.to_number, text,
             expected=np.array([1.5, 2, 3, 1000, -np.inf, np.inf, 8, 0.5, 1, 3], np.float32))
    assert np.isnan(tf.strings.to_number("NaN").numpy())
    assert tf.strings.to_number(["1e50"]).numpy()[0] == np.inf  # overflows float32, as TF
    assert tf.strings.to_number(["0.1"], tf.float64).numpy()[0] == 0.1


def test_to_number_integers():
    check_op(lambda s: tf.strings.to_number(s, out_type=tf.int32),
             _bytes("1", "-2", " 7 ", "+5", "07"), expected=np.array([1, -2, 7, 5, 7], np.int32))
    assert tf.strings.to_number(["12345678901"], tf.int64).numpy()[0] == 12345678901
    assert tf.strings.to_number(["4294967295"], tf.uint32).numpy()[0] == 4294967295


@pytest.mark.parametrize("text, out_type", [
    ("abc", tf.float32), ("1_0", tf.float32), ("", tf.float32), ("1e", tf.float32),
    ("١", tf.float32), ("1.5", tf.int32), ("1e3", tf.int32), ("12345678901", tf.int32),
    ("-1", tf.uint32), ("+-1", tf.int64),
])
def test_to_number_rejects(text, out_type):
    with pytest.raises(InvalidArgumentError, match="StringToNumber could not correctly convert "
                                                   "string"):
        tf.strings.to_number([text], out_type)


def test_to_number_error_names_the_element():
    with pytest.raises(InvalidArgumentError) as info:
        tf.strings.to_number([["1", "2"], ["3", "x"]])
    assert str(info.value) == ("StringToNumber could not correctly convert string 'x' (element "
                               "[1, 1]) to float32")
    with pytest.raises(TypeError, match="out_type must be one of float32, float64, int32"):
        tf.strings.to_number(["5"], tf.uint8)


# -- regular expressions -----------------------------------------------------------------------

def test_regex_replace():
    check_op(lambda s: tf.strings.regex_replace(s, "a+", "-"), _bytes("aaba", "xyz"),
             expected=_bytes("-b-", "xyz"))
    check_op(lambda s: tf.strings.regex_replace(s, "a", "-", replace_global=False),
             _bytes("aaba", "xyz"), expected=_bytes("-aba", "xyz"))
    out = tf.strings.regex_replace(["ab12"], r"(\d)", r"<\1>").numpy()
    np.testing.assert_array_equal(out, _bytes("ab<1><2>"))
    out = tf.strings.regex_replace(["ab12", "é1"], r"\d+", r"[\0]").numpy()
    np.testing.assert_array_equal(out, _bytes("ab[12]", "é[1]"))
    with pytest.raises(InvalidArgumentError, match=r"invalid regular expression '\('"):
        tf.strings.regex_replace(["ab12"], "(", "x")


def test_regex_full_match():
    check_op(lambda s: tf.strings.regex_full_match(s, r"ab\d*"), _bytes("ab12", "ab", "abx"),
             expected=np.array([True, True, False]))


def test_traced_string_operators_on_scalars_give_tensors():
    @tf.function
    def double_and_compare(a, b):
        return a + a, a == b, a != b

    joined, same, differ = double_and_compare(tf.constant("ab"), tf.constant("ab"))
    assert joined.numpy() == b"abab" and joined.shape == () and joined.dtype == tf.string
    assert str(joined) == "tf.Tensor(b'abab', shape=(), dtype=string)"
    assert bool(same) is True and bool(differ) is False and same.shape == ()
