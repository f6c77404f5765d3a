"""String ops with ragged results, with TF's answers (TF 2.21)."""
import numpy as np
import pytest

import autotrace as tf
from autotrace.errors import InvalidArgumentError


def test_split_as_tf():
    assert repr(tf.strings.split(["hello world", "a  b c", ""])) == \
        "<tf.RaggedTensor [[b'hello', b'world'], [b'a', b'b', b'c'], []]>"
    assert tf.strings.split(["a,b,,c", "d"], sep=",").to_list() == \
        [[b"a", b"b", b"", b"c"], [b"d"]]
    assert tf.strings.split(["a,b,,c", "d"], sep=",", maxsplit=1).to_list() == \
        [[b"a", b"b,,c"], [b"d"]]
    assert tf.strings.split(["  a  b "], maxsplit=1).to_list() == [[b"a", b"b "]]
    np.testing.assert_array_equal(tf.strings.split("a b"), [b"a", b"b"])  # scalar: a vector
    nested = tf.strings.split([["a b", "c"], ["d e f", ""]])
    assert repr(nested) == ("<tf.RaggedTensor [[[b'a', b'b'], [b'c']],\n"
                            " [[b'd', b'e', b'f'], []]]>")
    assert nested.shape == tf.TensorShape([2, None, None])
    assert tf.strings.split(tf.ragged.constant([["a b"], []])).to_list() == [[[b"a", b"b"]], []]
    with pytest.raises(InvalidArgumentError, match="StringSplitToRagged: input must be a "
                       "string tensor, got int32"):
        tf.strings.split([1, 2])


def test_bytes_and_unicode():
    assert tf.strings.bytes_split(["abc", "d"]).to_list() == [[b"a", b"b", b"c"], [b"d"]]
    assert repr(tf.strings.unicode_decode(["h\u00e9llo", "\u20ac"], "UTF-8")) == \
        "<tf.RaggedTensor [[104, 233, 108, 108, 111], [8364]]>"
    assert tf.strings.unicode_split(["h\u00e9llo", "\u20ac"], "UTF-8").to_list() == \
        [[b"h", b"\xc3\xa9", b"l", b"l", b"o"], [b"\xe2\x82\xac"]]
    chars, offsets = tf.strings.unicode_decode_with_offsets(["h\u00e9llo"], "UTF-8")
    assert chars.to_list() == [[104, 233, 108, 108, 111]]
    assert offsets.to_list() == [[0, 1, 3, 4, 5]]
    assert tf.strings.unicode_decode([b"\xffab"], "UTF-8").to_list() == [[65533, 97, 98]]
    assert tf.strings.unicode_decode([b"\xffab"], "UTF-8", errors="ignore").to_list() == \
        [[97, 98]]
    with pytest.raises(InvalidArgumentError, match="invalid UTF-8 at byte 0"):
        tf.strings.unicode_decode([b"\xffab"], "UTF-8", errors="strict")
    assert tf.strings.unicode_decode(["ab"], "UTF-16-BE").to_list() == [[24930]]
    np.testing.assert_array_equal(tf.strings.unicode_decode("h\u00e9", "UTF-8"), [104, 233])
    assert tf.strings.unicode_decode(["ab"], "UTF-8").dtype == tf.int32


def test_ngrams_as_tf():
    rt = tf.ragged.constant([["a", "b", "c"], ["d"]])
    assert tf.strings.ngrams(rt, 2).to_list() == [[b"a b", b"b c"], []]
    np.testing.assert_array_equal(
        tf.strings.ngrams(tf.constant([["a", "b", "c"], ["d", "e", "f"]]), 2, separator="-"),
        [[b"a-b", b"b-c"], [b"d-e", b"e-f"]])
    assert tf.strings.ngrams(rt, 2, pad_values=("<s>", "</s>")).to_list() == \
        [[b"<s> a", b"a b", b"b c", b"c </s>"], [b"<s> d", b"d </s>"]]
    assert tf.strings.ngrams(rt, 3, preserve_short_sequences=True).to_list() == \
        [[b"a b c"], [b"d"]]
    assert tf.strings.ngrams(rt, (1, 2)).to_list() == \
        [[b"a", b"b", b"c", b"a b", b"b c"], [b"d"]]
    np.testing.assert_array_equal(tf.strings.ngrams(tf.constant(["a", "b", "c"]), 2),
                                  [b"a b", b"b c"])


def test_split_inside_a_traced_function():
    @tf.function
    def words_per_line(lines):
        return tf.strings.split(lines).row_lengths()

    np.testing.assert_array_equal(words_per_line(tf.constant(["a b c", "", "d e"])), [3, 0, 2])
    np.testing.assert_array_equal(words_per_line(tf.constant(["x"])), [1])
    assert words_per_line.experimental_get_tracing_count() == 2  # shapes [3] and [1]

    @tf.function
    def tokens(lines):
        return tf.strings.split(lines)

    assert tokens(tf.constant(["a b", "c"])).to_list() == [[b"a", b"b"], [b"c"]]


def test_string_ops_apply_to_ragged_values():
    words = tf.ragged.constant([["So", "long"], ["thanks", "for", "all", "the", "fish"]])
    assert tf.strings.length(words).to_list() == [[2, 4], [6, 3, 3, 3, 4]]
    assert tf.strings.upper(words).to_list()[0] == [b"SO", b"LONG"]
    assert tf.strings.regex_full_match(words, "f.*").to_list() == \
        [[False, False], [False, True, False, False, True]]
    assert tf.strings.to_number(tf.ragged.constant([["1.5"], []])).to_list() == [[1.5], []]
