"""Unicode ops with dense results: `unicode_encode` (code points to strings),
`unicode_transcode` (strings from one encoding to another) and `unicode_script` (the script of
each code point), TF's tf.strings. The ops with ragged results (unicode_decode, unicode_split)
live in autotrace.ragged.

Invalid input follows the `errors` argument: "replace" puts `replacement_char` (U+FFFD by
default) for each maximal ill-formed subsequence, as ICU and Python's decoders do; "ignore"
drops it; "strict" raises InvalidArgumentError.

>>> import autotrace as tf
>>> tf.strings.unicode_encode([[72, 105], [233, 33]], "UTF-8").numpy()
array([b'Hi', b'\\xc3\\xa9!'], dtype=object)
>>> tf.strings.unicode_script([65, 0x3b1]).numpy()
array([25, 14], dtype=int32)
"""
import codecs

import numpy as np

from ..core import dtypes
from ..core.errors import DTypeMismatchError, InvalidArgumentError, InvalidShapeError
from ..core.tensor import Tensor
from . import array_ops
from .constant_op import convert_to_tensor
from .creation_ops import range as range_
from .dispatch import UNARY_ELEMENTWISE, dispatchable
from .registry import NO_GRADIENT, apply, defop
from .shapes import check_dtype
from .string_ops import _map_bytes, _string_input

__all__ = ["unicode_encode", "unicode_transcode", "unicode_script"]

OUTPUT_ENCODINGS = {"UTF-8": "utf-8", "UTF-16-BE": "utf-16-be", "UTF-32-BE": "utf-32-be"}
ERROR_MODES = ("strict", "replace", "ignore")
_MAX_CODE_POINT = 0x10FFFF
# Python's decoders never produce lone surrogates, so one marks where a replacement goes.
_MARK = "\udfff"


def _is_valid(code):
    return 0 <= code <= _MAX_CODE_POINT and not 0xD800 <= code <= 0xDFFF


def _check_options(op_type, errors, replacement_char, encoding=None, arg="output_encoding"):
    if encoding is not None and encoding not in OUTPUT_ENCODINGS:
        raise InvalidArgumentError("%s: %s must be one of %s, got %r"
                                   % (op_type, arg, ", ".join(OUTPUT_ENCODINGS), encoding))
    if errors not in ERROR_MODES:
        raise InvalidArgumentError("%s: errors must be 'strict', 'replace' or 'ignore', got %r"
                                   % (op_type, errors))
    if not _is_valid(int(replacement_char)):
        raise InvalidArgumentError("%s: replacement_char %d is not a Unicode code point"
                                   % (op_type, replacement_char))


def _encode_chars(op_type, codes, codec, errors, replacement_char):
    chars = []
    for code in codes:
        code = int(code)
        if _is_valid(code):
            chars.append(chr(code))
        elif errors == "replace":
            chars.append(chr(replacement_char))
        elif errors == "strict":
            raise InvalidArgumentError("%s: code point %d is out of range for Unicode, or is a "
                                       "surrogate" % (op_type, code))
    return "".join(chars).encode(codec)


# -- unicode_encode ----------------------------------------------------------------------------

def _encode_kernel(input_values, input_splits, output_encoding, errors, replacement_char):
    codec = OUTPUT_ENCODINGS[output_encoding]
    splits = np.asarray(input_splits)
    out = np.empty(max(len(splits) - 1, 0), dtype=object)
    for i in range(len(out)):
        out[i] = _encode_chars("UnicodeEncode", input_values[splits[i]:splits[i + 1]], codec,
                               errors, replacement_char)
    return out


def _encode_infer(input_values, input_splits, output_encoding, errors, replacement_char):
    check_dtype("UnicodeEncode", input_values, "i", "input_values")
    if input_values.dtype is not dtypes.int32:
        raise DTypeMismatchError("UnicodeEncode: input must be an int32 tensor of code points, "
                                 "got %s; cast it first" % input_values.dtype.name)
    check_dtype("UnicodeEncode", input_splits, "i", "input_splits")
    rows = input_splits.shape.as_tuple()
    return dtypes.string, [None if rows is None or rows[0] is None else max(rows[0] - 1, 0)]


UNICODE_ENCODE = defop("UnicodeEncode", _encode_kernel, _encode_infer, grad=NO_GRADIENT,
                       inputs=("input_values", "input_splits"), eager_check=True)


def encode_rows(values, splits, output_encoding, errors, replacement_char, name=None):
    """The UnicodeEncode op: one string per row of `values` (code points) given by `splits`.
    (Ragged tensors call this with their own values and row splits.)"""
    _check_options("UnicodeEncode", errors, replacement_char, output_encoding)
    attrs = {"output_encoding": output_encoding, "errors": errors,
             "replacement_char": int(replacement_char)}
    return apply(UNICODE_ENCODE, (values, splits), attrs, name)


@dispatchable
def unicode_encode(input, output_encoding, errors="replace", replacement_char=65533,
                   name=None):
    """Encode rows of Unicode code points (the last axis of an int32 tensor, or the rows of a
    ragged one) as strings in `output_encoding` ("UTF-8", "UTF-16-BE" or "UTF-32-BE").

    >>> unicode_encode([72, 105], "UTF-8").numpy()
    b'Hi'
    """
    input = convert_to_tensor(input, dtypes.int32) if not isinstance(input, Tensor) else input
    if input.shape.rank == 0:
        raise InvalidShapeError("UnicodeEncode: input must have rank >= 1 (rows of code "
                                "points), got a scalar")
    width = array_ops.shape(input, out_type=dtypes.int64)[-1]
    values = array_ops.reshape(input, [-1])
    outer = array_ops.shape(input, out_type=dtypes.int64)[:-1]
    nrows = _product(outer)
    splits = range_(nrows + 1, dtype=dtypes.int64) * width
    encoded = encode_rows(values, splits, output_encoding, errors, replacement_char, name)
    return array_ops.reshape(encoded, outer)


def _product(dims):
    from .reduction_ops import reduce_prod
    return reduce_prod(dims)


# -- unicode_transcode -------------------------------------------------------------------------

def _python_codec(name):
    try:
        return codecs.lookup(name).name
    except LookupError:
        raise InvalidArgumentError("UnicodeTranscode: unknown input_encoding %r" % (name,)) \
            from None


def _mark_errors(error):
    return _MARK, error.end


codecs.register_error("autotrace.mark", _mark_errors)


def decode_text(item, codec, errors, op_type):
    """The text of `item` in `codec`: each ill-formed subsequence (as Python and ICU delimit
    them) becomes one lone surrogate mark (errors="replace"), nothing ("ignore") or an
    InvalidArgumentError ("strict")."""
    if errors == "strict":
        try:
            return item.decode(codec)
        except UnicodeDecodeError as exc:
            raise InvalidArgumentError("%s: invalid %s at byte %d of %r"
                                       % (op_type, codec, exc.start, item)) from None
    return item.decode(codec, "autotrace.mark" if errors == "replace" else "ignore")


def _transcode_one(item, in_codec, out_codec, errors, replacement_char, replace_control):
    text = decode_text(item, in_codec, errors, "UnicodeTranscode")
    replacement = chr(replacement_char)
    if _MARK in text:
        text = text.replace(_MARK, replacement)
    if replace_control:
        text = "".join(replacement if ord(c) < 0x20 else c for c in text)
    return text.encode(out_codec)


def _transcode_kernel(input, input_encoding, output_encoding, errors, replacement_char,
                      replace_control_characters):
    in_codec, out_codec = _python_codec(input_encoding), OUTPUT_ENCODINGS[output_encoding]
    return _map_bytes(lambda b: _transcode_one(b, in_codec, out_codec, errors,
                                               replacement_char, replace_control_characters),
                      input)


def _transcode_infer(input, **attrs):
    check_dtype("UnicodeTranscode", input, "s", "input")
    return dtypes.string, input.shape


UNICODE_TRANSCODE = defop("UnicodeTranscode", _transcode_kernel, _transcode_infer,
                          grad=NO_GRADIENT, inputs=("input",), accepts="s")


@dispatchable
def unicode_transcode(input, input_encoding, output_encoding, errors="replace",
                      replacement_char=65533, replace_control_characters=False, name=None):
    """Each string decoded from `input_encoding` (any encoding Python knows: "UTF-8",
    "UTF-16-BE", "ISO-8859-1", ...) and encoded in `output_encoding` ("UTF-8", "UTF-16-BE" or
    "UTF-32-BE"). `replace_control_characters` also replaces C0 controls (U+0000-U+001F).

    >>> unicode_transcode([b"\\xe9t\\xe9"], "ISO-8859-1", "UTF-8").numpy()
    array([b'\\xc3\\xa9t\\xc3\\xa9'], dtype=object)
    """
    _check_options("UnicodeTranscode", errors, replacement_char, output_encoding)
    _python_codec(input_encoding)
    attrs = {"input_encoding": input_encoding, "output_encoding": output_encoding,
             "errors": errors, "replacement_char": int(replacement_char),
             "replace_control_characters": bool(replace_control_characters)}
    return apply(UNICODE_TRANSCODE, (_string_input("UnicodeTranscode", input),), attrs, name)


# -- unicode_script ----------------------------------------------------------------------------

_SCRIPT_TABLE = []  # [starts array, codes array], read from unicode_script_table when first used


def _script_table():
    if not _SCRIPT_TABLE:
        from .unicode_script_table import RANGES
        pairs = [token.split(":") for token in RANGES.split()]
        _SCRIPT_TABLE.extend([np.array([int(s, 16) for s, _ in pairs], np.int64),
                              np.array([int(c) for _, c in pairs], np.int32)])
    return _SCRIPT_TABLE


def _script_kernel(input):
    starts, codes = _script_table()
    points = np.asarray(input, np.int64)
    found = codes[np.clip(np.searchsorted(starts, points, side="right") - 1, 0, None)]
    valid = (points >= 0) & (points <= _MAX_CODE_POINT)
    return np.where(valid, found, -1).astype(np.int32)


def _script_infer(input):
    if input.dtype is not dtypes.int32:
        raise DTypeMismatchError("UnicodeScript: input must be an int32 tensor of code points, "
                                 "got %s" % input.dtype.name)
    return dtypes.int32, input.shape


UNICODE_SCRIPT = defop("UnicodeScript", _script_kernel, _script_infer, grad=NO_GRADIENT,
                       inputs=("input",), eager_check=True)


@dispatchable
def unicode_script(input, name=None):
    """The ICU script code of each int32 code point (0 Common, 1 Inherited, 8 Cyrillic,
    14 Greek, 17 Han, 25 Latin, 103 Unknown, ...); -1 for a value that is no code point.

    >>> unicode_script([1, 31, 38, 1054]).numpy()
    array([0, 0, 0, 8], dtype=int32)
    """
    input = convert_to_tensor(input, dtypes.int32) if not isinstance(input, Tensor) else input
    return apply(UNICODE_SCRIPT, (input,), None, name)


# Ragged inputs: these ops apply to the flat values (autotrace.ops.dispatch).
UNARY_ELEMENTWISE.update([unicode_transcode, unicode_script])
