"""Ragged arguments of string ops whose results are dense for dense inputs: `reduce_join`
(a ragged axis joins by segment, as the numeric reductions sum) and `unicode_encode` (each
innermost row of code points becomes one string).

>>> import autotrace as tf
>>> tf.strings.reduce_join(tf.ragged.constant([["a", "b"], ["c"]]), axis=1).numpy()
array([b'ab', b'c'], dtype=object)
>>> tf.strings.unicode_encode(tf.ragged.constant([[72, 105], [33]]), "UTF-8").numpy()
array([b'Hi', b'!'], dtype=object)
"""
from ..ops import string_join_ops, unicode_ops
from ..ops.dispatch import register
from .ragged_dispatch import reduce_ragged
from .ragged_tensor import RaggedTensor

__all__ = []


def _reduce_join(inputs, axis=None, keepdims=False, separator="", name=None):
    def dense(value, axis=None):
        return string_join_ops.reduce_join(value, axis=axis, separator=separator)

    def segment(data, ids, n):
        return string_join_ops.unsorted_segment_join(data, ids, n, separator=separator)
    return reduce_ragged(inputs, axis, keepdims, dense, segment, "reduce_join")


def _unicode_encode(input, output_encoding, errors="replace", replacement_char=65533,
                    name=None):
    if input.flat_values.shape.rank != 1:  # uniform inner rows: encoded as a dense tensor
        return input.with_flat_values(unicode_ops.unicode_encode(
            input.flat_values, output_encoding, errors, replacement_char))
    levels = [input]
    while isinstance(levels[-1].values, RaggedTensor):
        levels.append(levels[-1].values)
    innermost = levels.pop()
    encoded = unicode_ops.encode_rows(innermost.values, innermost.row_splits, output_encoding,
                                      errors, replacement_char, name)
    for outer in reversed(levels):
        encoded = RaggedTensor(encoded, outer.row_splits, internal=True)
    return encoded


register(string_join_ops.reduce_join, RaggedTensor, _reduce_join)
register(unicode_ops.unicode_encode, RaggedTensor, _unicode_encode)
