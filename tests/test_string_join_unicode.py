"""tf.strings: substr, reduce_join, unsorted_segment_join, unicode_encode/transcode/script, and
their ragged forms. Expected values are TensorFlow 2.21's."""
import numpy as np
import pytest

import autotrace as tf
from autotrace.errors import DTypeMismatchError, InvalidArgumentError, InvalidShapeError

from helpers import check_op


def _bytes(*items, shape=None):
    out = np.empty(len(items), dtype=object)
    out[:] = [s.encode("utf-8") if isinstance(s, str) else s for s in items]
    return out.reshape(shape) if shape is not None else out


def _values(t):
    return t.numpy().tolist()


# -- substr ------------------------------------------------------------------------------------

def test_substr_bytes_and_characters():
    check_op(lambda s, p, n: tf.strings.substr(s, p, n), _bytes("Hello", "World"),
             np.array([1, 2], np.int32), np.array([3, 2], np.int32), expected=_bytes("ell", "rl"))
    assert tf.strings.substr("Hello", -3, 2).numpy() == b"ll"
    assert tf.strings.substr("Hello", 5, 2).numpy() == b""      # pos == length: empty
    assert tf.strings.substr("Hello", 1, -2).numpy() == b"ello"  # negative len: to the end
    assert tf.strings.substr(["Hello", "ab"], 1, 10).numpy().tolist() == [b"ello", b"b"]
    assert tf.strings.substr("héllo", 1, 3, unit="UTF8_CHAR").numpy() == "éll".encode()
    assert tf.strings.substr("héllo", -2, 2, unit="UTF8_CHAR").numpy() == b"lo"
    # a byte that is no valid UTF-8 counts as one character, as length(unit="UTF8_CHAR")
    assert tf.strings.substr(b"h\xffllo", 0, 2, unit="UTF8_CHAR").numpy() == b"h\xff"
    assert tf.strings.substr(b"\x80abc", 0, 2, unit="UTF8_CHAR").numpy() == b"\x80a"
    assert tf.strings.substr("Hello", tf.constant(1, tf.int64), 2).numpy() == b"el"


def test_substr_broadcasts_positions_against_the_input():
    out = tf.strings.substr(["Hello", "ab", "xyz"], [[1], [2]], [[1], [2]])
    assert _values(out) == [[b"e", b"b", b"y"], [b"ll", b"", b"z"]]
    out = tf.strings.substr([["Hello", "ab"]], [1, 0], [1, 2])
    assert _values(out) == [[b"e", b"ab"]]


def test_substr_errors():
    with pytest.raises(InvalidArgumentError) as info:
        tf.strings.substr(["Hello", "a"], 2, 1)
    assert str(info.value) == "Substr: pos 2 out of range for string b'a' at index 1"
    with pytest.raises(InvalidArgumentError, match=r"pos -6 out of range for string b'Hello'"):
        tf.strings.substr("Hello", -6, 2)
    with pytest.raises(InvalidArgumentError, match="pos 6 out of range for string at index 0"):
        tf.strings.substr("héllo", 6, 2, unit="UTF8_CHAR")
    with pytest.raises(InvalidShapeError, match="pos and len must have the same shape"):
        tf.strings.substr("Hello", [1, 2], 1)
    with pytest.raises(InvalidArgumentError, match='unit must be "BYTE" or "UTF8_CHAR"'):
        tf.strings.substr("Hello", 1, 2, unit="X")
    with pytest.raises(TypeError, match="Substr: pos must be an int"):
        tf.strings.substr("Hello", 1.0, 2)
    with pytest.raises(DTypeMismatchError, match="pos has dtype int64 but len has dtype int32"):
        tf.strings.substr("Hello", tf.constant(1, tf.int64), tf.constant(2))


def test_substr_pos_error_at_run_time_in_a_graph():
    @tf.function(input_signature=[tf.TensorSpec([None], tf.string)])
    def f(x):
        return tf.strings.substr(x, 3, 1)
    assert _values(f(tf.constant(["abcd", "xyz"]))) == [b"d", b""]
    with pytest.raises(InvalidArgumentError, match="pos 3 out of range for string b'ab'"):
        f(tf.constant(["ab"]))


# -- reduce_join -------------------------------------------------------------------------------

def test_reduce_join_axes_and_their_order():
    x = _bytes("a", "b", "c", "d", "e", "f", shape=(2, 3))
    check_op(lambda s: tf.strings.reduce_join(s, axis=1, separator="."), x,
             expected=_bytes("a.b.c", "d.e.f"))
    check_op(lambda s: tf.strings.reduce_join(s, axis=-2), x, expected=_bytes("ad", "be", "cf"))
    check_op(lambda s: tf.strings.reduce_join(s, axis=0, keepdims=True), x,
             expected=_bytes("ad", "be", "cf", shape=(1, 3)))
    assert tf.strings.reduce_join(x).numpy() == b"abcdef"  # axis=None: row-major
    assert _values(tf.strings.reduce_join(x, keepdims=True)) == [[b"abcdef"]]
    # several axes: the first listed varies fastest (TF's order)
    assert tf.strings.reduce_join(x, axis=[0, 1], separator="|").numpy() == b"a|d|b|e|c|f"
    assert tf.strings.reduce_join(x, axis=[1, 0], separator="|").numpy() == b"a|b|c|d|e|f"
    cube = tf.reshape(tf.constant(list("abcdefgh")), [2, 2, 2])
    assert _values(tf.strings.reduce_join(cube, axis=[2, 0])) == [b"abef", b"cdgh"]
    assert _values(tf.strings.reduce_join(x, axis=[])) == _values(tf.constant(x))


def test_reduce_join_empty_and_scalar_inputs():
    assert _values(tf.strings.reduce_join(tf.zeros([2, 0], tf.string), axis=1)) == [b"", b""]
    assert tf.strings.reduce_join(tf.constant([], tf.string)).numpy() == b""
    assert tf.strings.reduce_join("abc").numpy() == b"abc"


def test_reduce_join_errors():
    x = [["a", "b"], ["c", "d"]]
    with pytest.raises(InvalidArgumentError, match=r"axis \[1, 1\] names a dimension twice"):
        tf.strings.reduce_join(x, axis=[1, 1])
    with pytest.raises(InvalidArgumentError, match="axis 2 is out of range"):
        tf.strings.reduce_join(x, axis=2)
    with pytest.raises(InvalidArgumentError, match="axis 0 is out of range for a scalar"):
        tf.strings.reduce_join("abc", axis=0)
    with pytest.raises(TypeError, match="axis must be an int, got 0.5"):
        tf.strings.reduce_join(x, axis=0.5)


def test_reduce_join_traced_with_unknown_batch():
    @tf.function(input_signature=[tf.TensorSpec([None, 3], tf.string)])
    def f(x):
        return tf.strings.reduce_join(x, axis=1)
    assert f.get_concrete_function().structured_outputs.shape.as_list() == [None]
    assert _values(f(tf.constant([["a", "b", "c"]]))) == [b"abc"]


# -- unsorted_segment_join ---------------------------------------------------------------------

def test_unsorted_segment_join():
    check_op(lambda s, i: tf.strings.unsorted_segment_join(s, i, 2, separator=" "),
             _bytes("this", "is", "a", "test"), np.array([0, 0, 1, 1], np.int32),
             expected=_bytes("this is", "a test"))
    out = tf.strings.unsorted_segment_join([["Y", "q"], ["Y", "p"], ["G", "p"]], [1, 0, 1], 3,
                                           separator=":")
    assert _values(out) == [[b"Y", b"p"], [b"Y:G", b"q:p"], [b"", b""]]
    out = tf.strings.unsorted_segment_join(["a", "b", "c"], tf.constant([1, 0, 1], tf.int64),
                                           tf.constant(2, tf.int64))
    assert _values(out) == [b"b", b"ac"]


def test_unsorted_segment_join_errors():
    with pytest.raises(InvalidArgumentError) as info:
        tf.strings.unsorted_segment_join(["a", "b"], [0, 5], 2)
    assert str(info.value) == ("UnsortedSegmentJoin: segment_ids[1] = 5 is not in [0, 2) "
                               "(num_segments; negative ids are not allowed)")
    with pytest.raises(InvalidArgumentError, match=r"segment_ids\[1\] = -1 is not in"):
        tf.strings.unsorted_segment_join(["a", "b"], [0, -1], 2)
    with pytest.raises(InvalidShapeError, match=r"segment_ids of shape \(1, 2\) must match"):
        tf.strings.unsorted_segment_join(["a", "b"], [[0, 1]], 2)
    with pytest.raises(InvalidShapeError, match="segment_ids must have rank >= 1"):
        tf.strings.unsorted_segment_join("a", 0, 2)
    with pytest.raises(InvalidArgumentError, match="num_segments must be >= 0, got -1"):
        tf.strings.unsorted_segment_join(["a"], [0], -1)


# -- unicode -----------------------------------------------------------------------------------

def test_unicode_encode_dense_rows():
    check_op(lambda c: tf.strings.unicode_encode(c, "UTF-8"),
             np.array([[72, 105], [233, 33]], np.int32), expected=_bytes("Hi", "é!"))
    assert tf.strings.unicode_encode([72, 105], "UTF-8").numpy() == b"Hi"
    assert _values(tf.strings.unicode_encode([[72, 0x1F600]], "UTF-32-BE")) == \
        [b"\x00\x00\x00H\x00\x01\xf6\x00"]
    assert _values(tf.strings.unicode_encode(tf.zeros([2, 0], tf.int32), "UTF-8")) == [b"", b""]


def test_unicode_encode_invalid_code_points():
    bad = [[72, 105], [0x110000, -5]]
    assert _values(tf.strings.unicode_encode(bad, "UTF-8")) == [b"Hi", "\ufffd\ufffd".encode()]
    assert _values(tf.strings.unicode_encode(bad, "UTF-8", errors="ignore")) == [b"Hi", b""]
    assert _values(tf.strings.unicode_encode(bad, "UTF-16-BE", replacement_char=63)) == \
        [b"\x00H\x00i", b"\x00?\x00?"]
    with pytest.raises(InvalidArgumentError, match="code point 55296 is out of range for "
                                                   "Unicode, or is a surrogate"):
        tf.strings.unicode_encode([[0xD800]], "UTF-8", errors="strict")
    with pytest.raises(InvalidArgumentError, match="output_encoding must be one of"):
        tf.strings.unicode_encode([[72]], "latin-1")
    with pytest.raises(InvalidShapeError, match="rank >= 1"):
        tf.strings.unicode_encode(tf.constant(72), "UTF-8")
    with pytest.raises(DTypeMismatchError, match="int32 tensor of code points, got int64"):
        tf.strings.unicode_encode(tf.constant([72], tf.int64), "UTF-8")


def test_unicode_encode_of_ragged_rows_inverts_decode():
    rt = tf.ragged.constant([[[72, 105], [33]], []])
    assert tf.strings.unicode_encode(rt, "UTF-8").to_list() == [[b"Hi", b"!"], []]
    words = tf.constant(["héllo", "wörld", ""])
    codes = tf.strings.unicode_decode(words, "UTF-8")
    assert _values(tf.strings.unicode_encode(codes, "UTF-8")) == _values(words)


def test_unicode_transcode():
    check_op(lambda s: tf.strings.unicode_transcode(s, "UTF-8", "UTF-16-BE"),
             _bytes("Hello", "é"), expected=_bytes(b"\x00H\x00e\x00l\x00l\x00o", b"\x00\xe9"))
    assert _values(tf.strings.unicode_transcode([b"\xe9t\xe9"], "ISO-8859-1", "UTF-8")) == \
        ["été".encode()]
    assert _values(tf.strings.unicode_transcode([b"\xfe\xff\x00a"], "UTF-16", "UTF-8")) == [b"a"]
    assert _values(tf.strings.unicode_transcode(
        [b"ab\x01\x7f"], "UTF-8", "UTF-8", replace_control_characters=True,
        replacement_char=ord("?"))) == [b"ab?\x7f"]


def test_unicode_transcode_replaces_each_maximal_ill_formed_subsequence():
    cases = [b"\xe2\x82", b"\xe2\x82a", b"\xff\xfe", b"\xc0\x80", b"\xed\xa0\x80",
             b"a\x80\x80b", b"\xf0\x9f\x98"]
    r = "\ufffd"
    expected = [r, r + "a", r * 2, r * 2, r * 3, "a" + r * 2 + "b", r]  # TF's (ICU's) answers
    got = tf.strings.unicode_transcode(cases, "UTF-8", "UTF-8")
    assert _values(got) == [e.encode() for e in expected]
    assert _values(tf.strings.unicode_transcode([b"\xff a"], "UTF-8", "UTF-8",
                                                errors="ignore")) == [b" a"]
    with pytest.raises(InvalidArgumentError, match="invalid utf-8 at byte 0"):
        tf.strings.unicode_transcode([b"\xff a"], "UTF-8", "UTF-8", errors="strict")
    with pytest.raises(InvalidArgumentError, match="unknown input_encoding 'NOPE'"):
        tf.strings.unicode_transcode(["a"], "NOPE", "UTF-8")
    with pytest.raises(InvalidArgumentError, match="replacement_char 1114112 is not"):
        tf.strings.unicode_transcode(["a"], "UTF-8", "UTF-8", replacement_char=0x110000)


def test_unicode_script_codes_as_icu():
    check_op(tf.strings.unicode_script, np.array([1, 31, 38, 1054], np.int32),
             expected=np.array([0, 0, 0, 8], np.int32))
    points = [65, 0x3B1, 0x4E00, 0x627, 0x5D0, 0x30A2, -1, 0x110000, 0xD800, 0x0300, 0x20]
    assert _values(tf.strings.unicode_script(points)) == \
        [25, 14, 17, 2, 19, 22, -1, -1, 103, 1, 0]
    with pytest.raises(DTypeMismatchError, match="int32 tensor of code points, got int64"):
        tf.strings.unicode_script(tf.constant([65], tf.int64))


# -- ragged arguments --------------------------------------------------------------------------

def test_string_ops_on_ragged_tensors():
    rt = tf.ragged.constant([["Hello", "ab"], ["xyz"], []])
    assert tf.strings.substr(rt, 0, 2).to_list() == [[b"He", b"ab"], [b"xy"], []]
    assert _values(tf.strings.reduce_join(rt, axis=1, separator="+")) == [b"Hello+ab", b"xyz",
                                                                         b""]
    assert _values(tf.strings.reduce_join(rt, axis=0)) == [b"Helloxyz", b"ab"]
    assert tf.strings.reduce_join(rt).numpy() == b"Helloabxyz"
    assert tf.strings.unicode_script(tf.ragged.constant([[65, 0x3B1], [0x4E00]])).to_list() == \
        [[25, 14], [17]]
    assert tf.strings.unicode_transcode(rt, "UTF-8", "UTF-16-BE").to_list()[1] == \
        [b"\x00x\x00y\x00z"]


def test_ragged_string_ops_traced():
    @tf.function
    def f(rt):
        return tf.strings.reduce_join(tf.strings.substr(rt, 0, 1), axis=1)
    rt = tf.ragged.constant([["ab", "cd", "ef"], ["gh"]])
    assert _values(f(rt)) == [b"ace", b"g"]
    assert _values(f(tf.ragged.constant([["xy"], [], ["z", "w"]]))) == [b"x", b"", b"zw"]
