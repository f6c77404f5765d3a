"""String ops whose results are ragged: `tf.strings.split`, `bytes_split`, `unicode_decode`,
`unicode_decode_with_offsets`, `unicode_split` and `ngrams`.

Each works on a vector of strings in one op (rows of pieces: row_splits and values) and is
mapped over any outer dimensions, dense or ragged: a string tensor of shape [2, 3] splits into
a ragged tensor of shape [2, 3, None].

>>> import autotrace as tf
>>> tf.strings.split(["hello world", "a  b c", ""])
<tf.RaggedTensor [[b'hello', b'world'], [b'a', b'b', b'c'], []]>
>>> tf.strings.unicode_decode(["h\\u00e9", "\\u20ac"], "UTF-8")
<tf.RaggedTensor [[104, 233], [8364]]>
"""
import numpy as np

from ..core import dtypes
from ..core.errors import InvalidArgumentError
from ..core.tensor import Tensor
from ..ops import array_ops
from ..ops.constant_op import convert_to_tensor
from ..ops.registry import NO_GRADIENT, apply, defop
from .ragged_tensor import RaggedTensor

__all__ = ["split", "bytes_split", "unicode_decode", "unicode_decode_with_offsets",
           "unicode_split", "ngrams"]


def _rows_kernel(pieces_of, out_dtype):
    """A kernel splitting each string of a vector into pieces: (row_splits, values)."""
    def kernel(input, **attrs):
        rows = [pieces_of(item, **attrs) for item in input.reshape(-1)]
        splits = np.zeros(len(rows) + 1, np.int64)
        np.cumsum([len(r) for r in rows], out=splits[1:])
        values = np.empty(int(splits[-1]), dtype=out_dtype)
        values[:] = [p for r in rows for p in r]
        return [splits, values]
    return kernel


def _rows_infer(op_type, out_dtype):
    def infer(input, **attrs):
        if not input.dtype.is_string:
            raise InvalidArgumentError("%s: input must be a string tensor, got %s"
                                       % (op_type, input.dtype.name))
        if input.shape.rank not in (None, 1):
            raise InvalidArgumentError("%s: input must be a vector, got shape %s"
                                       % (op_type, input.shape))
        return [(dtypes.int64, [None]), (out_dtype, [None])]
    return infer


# -- split -------------------------------------------------------------------------------------

def _split_pieces(item, sep, maxsplit):
    if sep:
        return item.split(sep, maxsplit)
    return item.split(None, maxsplit)  # runs of whitespace; no empty pieces


def _bytes_pieces(item):
    return [item[i:i + 1] for i in range(len(item))]


STRING_SPLIT = defop("StringSplitToRagged", _rows_kernel(_split_pieces, object),
                     _rows_infer("StringSplitToRagged", dtypes.string), grad=NO_GRADIENT,
                     multi_output=True, eager_check=True)
BYTES_SPLIT = defop("StringBytesSplit", _rows_kernel(_bytes_pieces, object),
                    _rows_infer("StringBytesSplit", dtypes.string), grad=NO_GRADIENT,
                    multi_output=True, eager_check=True)


def _map_strings(op, input, attrs, name=None):
    """Apply a vector-of-strings op to every string of `input` (any rank, dense or ragged);
    a scalar gives a plain vector, as TF."""
    if isinstance(input, RaggedTensor):
        return input.with_flat_values(_map_strings(op, input.flat_values, attrs, name))
    input = convert_to_tensor(input) if not isinstance(input, Tensor) else input
    rank = input.shape.rank
    if rank is None:
        raise ValueError("%s needs an input of known rank" % op.type)
    splits, values = apply(op, (array_ops.reshape(input, [-1]),), attrs, name)
    if rank == 0:
        return values
    rows = RaggedTensor(values, splits, internal=True)
    return _nest_rows(rows, input)


def _nest_rows(rows, input):
    """Rows made from input's flattened elements, regrouped into input's outer dims."""
    rank = input.shape.rank
    if rank == 1:
        return rows
    dims = array_ops.shape(input, out_type=dtypes.int64)
    for axis in range(rank - 1, 0, -1):
        width = dims[axis]
        count = dims[:axis]
        n = array_ops.reshape(_prod(count), [])
        from ..ops.creation_ops import range as range_
        rows = RaggedTensor(rows, range_(n + 1, dtype=dtypes.int64) * width, internal=True)
    return rows


def _prod(t):
    from ..ops.math_ops import reduce_prod
    return reduce_prod(t)


def split(input, sep=None, maxsplit=-1, name=None):
    """Split each string at `sep` (default: runs of whitespace, no empty pieces), at most
    `maxsplit` times; one ragged dimension is added.

    >>> import autotrace as tf
    >>> tf.strings.split(["a,b,,c", "d"], sep=",")
    <tf.RaggedTensor [[b'a', b'b', b'', b'c'], [b'd']]>
    """
    sep = sep.encode() if isinstance(sep, str) else sep
    return _map_strings(STRING_SPLIT, input, {"sep": sep or None, "maxsplit": int(maxsplit)},
                        name)


def bytes_split(input, name=None):
    """Split each string into its bytes (1-byte strings)."""
    return _map_strings(BYTES_SPLIT, input, {}, name)


# -- unicode -----------------------------------------------------------------------------------

_CODECS = {"UTF-8": "utf-8", "UTF-16-BE": "utf-16-be", "UTF-32-BE": "utf-32-be"}


def _decode_chars(item, input_encoding, errors, replacement_char, replace_control_characters):
    """(code points, byte offset of each) of one string."""
    codec = _CODECS[input_encoding]
    unit = {"utf-8": 1, "utf-16-be": 2, "utf-32-be": 4}[codec]
    points, offsets, pos = [], [], 0
    while pos < len(item):
        size = _char_size(item, pos, codec, unit)
        chunk = item[pos:pos + size]
        try:
            char = chunk.decode(codec)
        except UnicodeDecodeError:
            if errors == "strict":
                raise InvalidArgumentError("UnicodeDecodeWithOffsets: invalid %s at byte %d "
                                           "of %r" % (input_encoding, pos, item)) from None
            if errors == "replace":
                points.append(replacement_char)
                offsets.append(pos)
            pos += size
            continue
        code = ord(char)
        if replace_control_characters and code < 32:
            code = replacement_char
        points.append(code)
        offsets.append(pos)
        pos += size
    return points, offsets


def _char_size(item, pos, codec, unit):
    if codec != "utf-8":
        if codec == "utf-16-be" and 0xD8 <= item[pos] <= 0xDB:
            return 4  # a surrogate pair
        return unit
    lead = item[pos]
    size = 1 if lead < 0x80 else 2 if lead >> 5 == 6 else 3 if lead >> 4 == 14 else \
        4 if lead >> 3 == 30 else 1
    for i in range(1, size):  # a truncated or broken sequence is one bad byte
        if pos + i >= len(item) or item[pos + i] >> 6 != 2:
            return 1
    return size


def _unicode_decode_kernel(input, input_encoding, errors, replacement_char,
                           replace_control_characters):
    decoded = [_decode_chars(item, input_encoding, errors, replacement_char,
                             replace_control_characters) for item in input.reshape(-1)]
    splits = np.zeros(len(decoded) + 1, np.int64)
    np.cumsum([len(p) for p, _ in decoded], out=splits[1:])
    points = np.array([c for p, _ in decoded for c in p], np.int32)
    offsets = np.array([o for _, off in decoded for o in off], np.int64)
    return [splits, points, offsets]


def _unicode_decode_infer(input, input_encoding, errors, replacement_char,
                          replace_control_characters):
    _rows_infer("UnicodeDecodeWithOffsets", dtypes.int32)(input)
    return [(dtypes.int64, [None]), (dtypes.int32, [None]), (dtypes.int64, [None])]


UNICODE_DECODE = defop("UnicodeDecodeWithOffsets", _unicode_decode_kernel,
                       _unicode_decode_infer, grad=NO_GRADIENT, multi_output=True,
                       eager_check=True, inputs=("input",))


def _decode_attrs(input_encoding, errors, replacement_char, replace_control_characters):
    if input_encoding not in _CODECS:
        raise ValueError("unicode_decode: input_encoding must be one of %s, got %r"
                         % (sorted(_CODECS), input_encoding))
    if errors not in ("strict", "replace", "ignore"):
        raise ValueError("unicode_decode: errors must be 'strict', 'replace' or 'ignore', "
                         "got %r" % (errors,))
    return {"input_encoding": input_encoding, "errors": errors,
            "replacement_char": int(replacement_char),
            "replace_control_characters": bool(replace_control_characters)}


def _decode(input, attrs, with_offsets):
    if isinstance(input, RaggedTensor):
        inner = _decode(input.flat_values, attrs, with_offsets)
        if with_offsets:
            return input.with_flat_values(inner[0]), input.with_flat_values(inner[1])
        return input.with_flat_values(inner)
    input = convert_to_tensor(input) if not isinstance(input, Tensor) else input
    splits, points, offsets = apply(UNICODE_DECODE, (array_ops.reshape(input, [-1]),), attrs)
    if input.shape.rank == 0:
        return (points, offsets) if with_offsets else points
    chars = _nest_rows(RaggedTensor(points, splits, internal=True), input)
    if not with_offsets:
        return chars
    return chars, _nest_rows(RaggedTensor(offsets, splits, internal=True), input)


def unicode_decode(input, input_encoding, errors="replace", replacement_char=65533,
                   replace_control_characters=False, name=None):
    """The Unicode code points (int32) of each string: a new ragged dimension."""
    return _decode(input, _decode_attrs(input_encoding, errors, replacement_char,
                                        replace_control_characters), False)


def unicode_decode_with_offsets(input, input_encoding, errors="replace",
                                replacement_char=65533, replace_control_characters=False,
                                name=None):
    """(code points, the byte offset where each character starts)."""
    return _decode(input, _decode_attrs(input_encoding, errors, replacement_char,
                                        replace_control_characters), True)


def _split_chars_kernel(input, input_encoding, errors, replacement_char):
    rows = []
    for item in input.reshape(-1):
        _, offsets = _decode_chars(item, input_encoding, errors, replacement_char, False)
        ends = offsets[1:] + [len(item)]
        rows.append([item[a:b] for a, b in zip(offsets, ends)])
    splits = np.zeros(len(rows) + 1, np.int64)
    np.cumsum([len(r) for r in rows], out=splits[1:])
    values = np.empty(int(splits[-1]), object)
    values[:] = [p for r in rows for p in r]
    return [splits, values]


UNICODE_SPLIT = defop("UnicodeSplit", _split_chars_kernel,
                      _rows_infer("UnicodeSplit", dtypes.string), grad=NO_GRADIENT,
                      multi_output=True, eager_check=True, inputs=("input",))


def unicode_split(input, input_encoding, errors="replace", replacement_char=65533,
                  name=None):
    """Split each string into its characters (each a string of its encoded bytes)."""
    attrs = _decode_attrs(input_encoding, errors, replacement_char, False)
    del attrs["replace_control_characters"]
    return _map_strings(UNICODE_SPLIT, input, attrs, name)


# -- ngrams ------------------------------------------------------------------------------------

def _ngrams_kernel(data, data_splits, separator, ngram_widths, left_pad, right_pad,
                   pad_width, preserve_short_sequences):
    out, splits = [], [0]
    for i in range(len(data_splits) - 1):
        tokens = list(data[data_splits[i]:data_splits[i + 1]])
        row = []
        for width in ngram_widths:
            pad = (width - 1) if pad_width < 0 else min(pad_width, width - 1)
            padded = [left_pad] * pad + tokens + [right_pad] * pad if (left_pad or
                                                                       right_pad) else tokens
            count = len(padded) - width + 1
            row += [separator.join(padded[j:j + width]) for j in range(max(count, 0))]
        if not row and preserve_short_sequences and tokens:
            row = [separator.join(tokens)]
        out += row
        splits.append(len(out))
    values = np.empty(len(out), object)
    values[:] = out
    return [values, np.array(splits, np.int64)]


def _ngrams_infer(data, data_splits, **attrs):
    if not data.dtype.is_string:
        raise InvalidArgumentError("StringNGrams: data must be a string tensor, got %s"
                                   % data.dtype.name)
    return [(dtypes.string, [None]), (dtypes.int64, [None])]


STRING_NGRAMS = defop("StringNGrams", _ngrams_kernel, _ngrams_infer, grad=NO_GRADIENT,
                      multi_output=True, eager_check=True, inputs=("data", "data_splits"))


def ngrams(data, ngram_width, separator=" ", pad_values=None, padding_width=None,
           preserve_short_sequences=False, name=None):
    """The n-grams of the last dimension of `data` (strings), joined by `separator`; a
    tuple `ngram_width` gives several widths per row. `pad_values` (one value or a
    (left, right) pair) pads each row with `padding_width` (default width - 1) values.

    >>> import autotrace as tf
    >>> tf.strings.ngrams(tf.ragged.constant([["a", "b", "c"], ["d"]]), 2)
    <tf.RaggedTensor [[b'a b', b'b c'], []]>
    """
    widths = (ngram_width,) if isinstance(ngram_width, int) else tuple(ngram_width)
    if pad_values is None:
        left = right = b""
    elif isinstance(pad_values, (tuple, list)):
        left, right = (_bytes(v) for v in pad_values)
    else:
        left = right = _bytes(pad_values)
    if pad_values is not None and padding_width is not None and padding_width < 1:
        raise ValueError("ngrams: padding_width must be >= 1, got %r" % (padding_width,))
    attrs = {"separator": _bytes(separator), "ngram_widths": widths, "left_pad": left,
             "right_pad": right, "pad_width": -1 if padding_width is None else padding_width,
             "preserve_short_sequences": bool(preserve_short_sequences)}
    if isinstance(data, RaggedTensor):
        if isinstance(data.values, RaggedTensor):
            return data.with_values(ngrams(data.values, ngram_width, separator, pad_values,
                                           padding_width, preserve_short_sequences))
        values, splits = apply(STRING_NGRAMS, (data.values, data.row_splits), attrs, name)
        return RaggedTensor(values, splits, internal=True)
    data = convert_to_tensor(data)
    if data.shape.rank == 1:  # one sequence: a vector of n-grams
        n = array_ops.shape(data, out_type=dtypes.int64)
        splits = array_ops.concat([array_ops.zeros([1], dtypes.int64), n], axis=0)
        values, _ = apply(STRING_NGRAMS, (data, splits), attrs, name)
        return values
    from .ragged_factory import from_tensor
    result = ngrams(from_tensor(data, ragged_rank=data.shape.rank - 1), ngram_width,
                    separator, pad_values, padding_width, preserve_short_sequences)
    return result.to_tensor() if _uniform(result) else result


def _bytes(value):
    return value.encode() if isinstance(value, str) else value


def _uniform(rt):
    """Dense input gives a dense result when every row has as many n-grams (as TF)."""
    if not rt._is_eager():
        return False
    flat = rt
    while isinstance(flat, RaggedTensor):
        lengths = np.diff(flat.row_splits.numpy())
        if lengths.size and (lengths != lengths[0]).any():
            return False
        flat = flat.values
    return True
