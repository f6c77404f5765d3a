"""String ops (TF's tf.strings). String tensors hold bytes (NumPy object arrays of `bytes`);
Python `str` inputs are encoded as UTF-8. Case conversion is ASCII-only unless
encoding="utf-8" is given, as in TF.

>>> import autotrace as tf
>>> tf.strings.join(["a", "b"], separator="-").numpy()
b'a-b'
>>> tf.strings.length(["héllo"], unit="UTF8_CHAR").numpy()
array([5], dtype=int32)
"""
import re

import numpy as np

from ..core import dtypes
from ..core.errors import (ArgumentTypeError, DTypeMismatchError, InvalidArgumentError,
                           InvalidShapeError)
from ..core.tensor import SymbolicTensor, Tensor
from ..core.tensor_shape import TensorShape
from . import arguments, array_ops
from .constant_op import constant_value, convert_to_tensor
from .logging_ops import format_tensor_value
from .dispatch import UNARY_ELEMENTWISE, dispatchable
from .registry import NO_GRADIENT, apply, defop
from .shapes import broadcast_shapes, check_dtype

__all__ = ["length", "substr", "join", "upper", "lower", "strip", "format", "as_string",
           "to_number", "regex_replace", "regex_full_match"]

STRING = "s"


def _string_input(op_type, x, arg="input"):
    """A string tensor: Python values are encoded; tensors of other dtypes are an error."""
    if not isinstance(x, Tensor) and not hasattr(x, "_as_tensor"):
        return convert_to_tensor(x, dtypes.string)
    x = convert_to_tensor(x)
    check_dtype(op_type, x, STRING, arg)
    return x


def _map_bytes(fn, array, out_dtype=object):
    """Apply fn to every bytes element; object arrays keep bytes (not NumPy's S dtype)."""
    array = np.asarray(array)
    out = np.empty(array.shape, dtype=out_dtype)
    flat_in, flat_out = array.reshape(-1), out.reshape(-1)
    for i, item in enumerate(flat_in):
        flat_out[i] = fn(item)
    return out


def _string_infer(op_type, out_dtype=None):
    def infer(x, **attrs):
        check_dtype(op_type, x, STRING)
        return (out_dtype or dtypes.string), x.shape
    return infer


# -- length ------------------------------------------------------------------------------------

def _utf8_length(item):
    # UTF-8 continuation bytes are 0b10xxxxxx: every other byte starts a character.
    return len(item) - sum(1 for b in item if 0x80 <= b < 0xC0)


def _length_kernel(input, unit):
    return _map_bytes(len if unit == "BYTE" else _utf8_length, input, np.int32)


STRING_LENGTH = defop("StringLength", _length_kernel, _string_infer("StringLength",
                                                                    dtypes.int32),
                      grad=NO_GRADIENT, inputs=("input",), accepts=STRING)


@dispatchable
def length(input, unit="BYTE", name=None):
    """Length of each string, in bytes (unit="BYTE") or UTF-8 characters ("UTF8_CHAR").

    >>> length(["abc", "é"]).numpy()
    array([3, 2], dtype=int32)
    """
    if unit not in ("BYTE", "UTF8_CHAR"):
        raise InvalidArgumentError('StringLength: unit must be "BYTE" or "UTF8_CHAR", got %r'
                                   % (unit,))
    return apply(STRING_LENGTH, (_string_input("StringLength", input),), {"unit": unit}, name)


# -- substr ------------------------------------------------------------------------------------

def _char_starts(item):
    """Byte offsets where the UTF-8 characters of `item` start, and len(item) last. A byte
    that continues a character (0b10xxxxxx) starts none, so a broken sequence counts each
    stray byte as one character, as `length(unit="UTF8_CHAR")` counts them."""
    starts = [i for i, b in enumerate(item) if not 0x80 <= b < 0xC0 or i == 0]
    return starts + [len(item)]


def _substr_one(item, pos, size, unit, index):
    bounds = _char_starts(item) if unit == "UTF8_CHAR" else None
    count = len(item) if bounds is None else len(bounds) - 1
    start = pos + count if pos < 0 else pos
    if not 0 <= start <= count:
        shown = "" if unit == "UTF8_CHAR" else " %r" % (item,)
        raise InvalidArgumentError("Substr: pos %d out of range for string%s at index %s"
                                   % (pos, shown, index))
    stop = count if size < 0 else min(count, start + size)
    if bounds is None:
        return item[start:stop]
    return item[bounds[start]:bounds[stop]]


def _substr_kernel(input, pos, len, unit):
    input, pos, size = np.asarray(input), np.asarray(pos), np.asarray(len)
    if pos.shape != size.shape:
        raise InvalidArgumentError("Substr: pos and len must have the same shape, got %s and "
                                   "%s" % (TensorShape(pos.shape), TensorShape(size.shape)))
    shape = np.broadcast_shapes(input.shape, pos.shape)
    items, starts, sizes = (np.broadcast_to(a, shape).reshape(-1) for a in (input, pos, size))
    out = np.empty(shape, dtype=object)
    flat = out.reshape(-1)
    for i in range(flat.size):  # errors name the flat index of the element, as TF
        flat[i] = _substr_one(items[i], int(starts[i]), int(sizes[i]), unit, i)
    return out


def _substr_infer(input, pos, len, unit):
    check_dtype("Substr", input, STRING, "input")
    check_dtype("Substr", pos, "iu", "pos")
    check_dtype("Substr", len, "iu", "len")
    if pos.dtype is not len.dtype:
        raise DTypeMismatchError("Substr: pos has dtype %s but len has dtype %s; they must "
                                 "match" % (pos.dtype.name, len.dtype.name))
    if not pos.shape.is_compatible_with(len.shape):
        raise InvalidShapeError("Substr: pos and len must have the same shape, got %s and %s"
                                % (pos.shape, len.shape))
    return dtypes.string, broadcast_shapes("Substr", input.shape, pos.shape)


SUBSTR = defop("Substr", _substr_kernel, _substr_infer, grad=NO_GRADIENT,
               inputs=("input", "pos", "len"), eager_check=True)


@dispatchable
def substr(input, pos, len, unit="BYTE", name=None):
    """The substring of `len` bytes (or UTF-8 characters, unit="UTF8_CHAR") from `pos` of each
    string. A negative `pos` counts from the end; a substring running past the end stops there;
    a `pos` past the end is an InvalidArgumentError. `pos` and `len` have one shape, which
    broadcasts with the input's.

    >>> substr(["Hello", "World"], 1, 3).numpy()
    array([b'ell', b'orl'], dtype=object)
    >>> substr("héllo", 1, 3, unit="UTF8_CHAR").numpy()
    b'\\xc3\\xa9ll'
    """
    if unit not in ("BYTE", "UTF8_CHAR"):
        raise InvalidArgumentError('Substr: unit must be "BYTE" or "UTF8_CHAR", got %r'
                                   % (unit,))
    pos, size = _position_tensor("pos", pos), _position_tensor("len", len)
    if pos.dtype is not size.dtype and not isinstance(len, Tensor):
        size = convert_to_tensor(len, pos.dtype)
    elif pos.dtype is not size.dtype and not isinstance(pos, Tensor):
        pos = convert_to_tensor(pos, size.dtype)
    return apply(SUBSTR, (_string_input("Substr", input), pos, size), {"unit": unit}, name)


def _position_tensor(arg, value):
    if isinstance(value, Tensor):
        return value
    array = np.asarray(value)
    if array.dtype.kind not in "iu":
        raise ArgumentTypeError("Substr: %s must be an int or an integer tensor, got %s"
                                % (arg, arguments.describe(value)))
    return convert_to_tensor(value, dtypes.int32 if array.dtype.kind != "i" or
                             array.dtype.itemsize <= 4 else dtypes.int64)


# -- join --------------------------------------------------------------------------------------

def _join_shape(shapes):
    """TF's rule: inputs have one common shape, except scalars, which are repeated."""
    result = TensorShape(None)
    first = None
    for i, shape in enumerate(shapes):
        if shape.rank == 0:
            continue
        if not result.is_compatible_with(shape):
            raise InvalidShapeError("StringJoin: inputs must have the same shape (or be "
                                    "scalars), but inputs[%d] has shape %s and inputs[%d] has "
                                    "shape %s" % (first, shapes[first], i, shape))
        result = result.merge_with(shape)
        first = i if first is None else first
    if first is None and all(s.rank == 0 for s in shapes):
        return TensorShape([])
    return result


def _join_kernel(*inputs, separator):
    shape = _join_shape([TensorShape(np.shape(x)) for x in inputs])
    flats = [np.broadcast_to(x, shape.as_tuple()).reshape(-1) for x in inputs]
    out = np.empty(shape.as_tuple(), dtype=object)
    flat_out = out.reshape(-1)
    for i, parts in enumerate(zip(*flats)):
        flat_out[i] = separator.join(parts)
    return out


def _join_infer(*inputs, separator):
    for i, x in enumerate(inputs):
        check_dtype("StringJoin", x, STRING, "inputs[%d]" % i)
    if any(x.shape.rank is None for x in inputs):
        known = [x.shape for x in inputs if x.shape.rank not in (None, 0)]
        return dtypes.string, known[0] if known else None
    return dtypes.string, _join_shape([x.shape for x in inputs])


STRING_JOIN = defop("StringJoin", _join_kernel, _join_infer, grad=NO_GRADIENT,
                    inputs=("inputs",), eager_check=True)


def join(inputs, separator="", name=None):
    """Join the strings of several tensors element by element, with `separator` between.
    All inputs have one shape, except scalars, which are used for every element.

    >>> join([["a", "b"], "x"], separator="-").numpy()
    array([b'a-x', b'b-x'], dtype=object)
    """
    if isinstance(inputs, Tensor):
        inputs = _rows(inputs)
    tensors = [_string_input("StringJoin", x, "inputs[%d]" % i) for i, x in enumerate(inputs)]
    if not tensors:
        tensors = [convert_to_tensor(b"")]
    return apply(STRING_JOIN, tensors, {"separator": _as_bytes(separator)}, name)


def _rows(t):
    """A string tensor's elements along its first axis, as tensors."""
    if t.shape.rank == 0:
        return [t]
    if isinstance(t, SymbolicTensor):
        return array_ops.unstack(t)
    return [convert_to_tensor(t._value[i, ...]) for i in range(t.shape[0])]


def _as_bytes(text):
    return text.encode("utf-8") if isinstance(text, str) else bytes(text)


# -- upper, lower, strip -----------------------------------------------------------------------

def _case_kernel(method):
    def kernel(input, encoding):
        if encoding:
            return _map_bytes(lambda b: getattr(b.decode("utf-8", "surrogateescape"),
                                                method)().encode("utf-8", "surrogateescape"),
                              input)
        return _map_bytes(getattr(bytes, method), input)  # bytes methods are ASCII-only
    return kernel


STRING_UPPER = defop("StringUpper", _case_kernel("upper"), _string_infer("StringUpper"),
                     grad=NO_GRADIENT, inputs=("input",), accepts=STRING)
STRING_LOWER = defop("StringLower", _case_kernel("lower"), _string_infer("StringLower"),
                     grad=NO_GRADIENT, inputs=("input",), accepts=STRING)


def _apply_case(opdef, input, encoding, name):
    if encoding not in ("", "utf-8"):
        raise InvalidArgumentError("%s: encoding must be '' (ASCII only) or 'utf-8', got %r"
                                   % (opdef.type, encoding))
    return apply(opdef, (_string_input(opdef.type, input),), {"encoding": encoding}, name)


@dispatchable
def upper(input, encoding="", name=None):
    """Upper-case each string: ASCII letters only, or all letters with encoding="utf-8".

    >>> upper(["abc"]).numpy()
    array([b'ABC'], dtype=object)
    """
    return _apply_case(STRING_UPPER, input, encoding, name)


@dispatchable
def lower(input, encoding="", name=None):
    """Lower-case each string: ASCII letters only, or all letters with encoding="utf-8".

    >>> lower(["ABC"]).numpy()
    array([b'abc'], dtype=object)
    """
    return _apply_case(STRING_LOWER, input, encoding, name)


STRING_STRIP = defop("StringStrip", lambda input: _map_bytes(bytes.strip, input),
                     _string_infer("StringStrip"), grad=NO_GRADIENT, inputs=("input",),
                     accepts=STRING)


@dispatchable
def strip(input, name=None):
    """Remove leading and trailing whitespace from each string.

    >>> strip(["  a b \\n"]).numpy()
    array([b'a b'], dtype=object)
    """
    return apply(STRING_STRIP, (_string_input("StringStrip", input),), None, name)


# -- format ------------------------------------------------------------------------------------

def _format_input(value, summarize):
    value = np.asarray(value)
    if value.ndim == 0 and value.dtype.kind == "O":  # tf.print quotes string scalars too
        return '"%s"' % value[()].decode("utf-8", "replace")
    return format_tensor_value(value, summarize)


def _format_kernel(*inputs, pieces, summarize):
    out = [pieces[0]]
    for value, piece in zip(inputs, pieces[1:]):
        out.append(_format_input(value, summarize))
        out.append(piece)
    result = np.empty((), dtype=object)
    result[()] = "".join(out).encode("utf-8")
    return result


STRING_FORMAT = defop("StringFormat", _format_kernel,
                      lambda *inputs, pieces, summarize: (dtypes.string, []),
                      grad=NO_GRADIENT, inputs=("inputs",))


def format(template, inputs, placeholder="{}", summarize=3, name=None):
    """A scalar string: `template` with each `placeholder` replaced by the next input,
    formatted as tf.print shows it (first and last `summarize` elements per dimension).

    >>> format("x = {}", [[1, 2, 3, 4, 5, 6, 7]]).numpy()
    b'x = [1 2 3 ... 5 6 7]'
    """
    if isinstance(inputs, (list, tuple)):
        values = list(inputs)
    else:
        values = [inputs]
    pieces = template.split(placeholder)
    if len(pieces) - 1 != len(values):
        raise ValueError("strings.format: the template %r has %d placeholders %r but %d inputs "
                         "were given; they must match" % (template, len(pieces) - 1,
                                                          placeholder, len(values)))
    tensors = [convert_to_tensor(v) for v in values]
    attrs = {"pieces": tuple(pieces), "summarize": -1 if summarize is None else summarize}
    return apply(STRING_FORMAT, tensors, attrs, name)


# -- as_string ---------------------------------------------------------------------------------

def _as_string_format(kind, precision, scientific, shortest, width, fill):
    spec = "%" + fill + (str(width) if width > -1 else "")
    if kind in "iu":
        return spec + "d"
    if precision > -1:
        spec += ".%d" % precision
    return spec + ("e" if scientific else "g" if shortest else "f")


def _as_string_kernel(input, precision, scientific, shortest, width, fill):
    kind = input.dtype.kind
    if kind == "O":
        return input
    if kind == "b":
        return _map_bytes(lambda v: b"true" if v else b"false", input)
    spec = _as_string_format(kind, precision, scientific, shortest, width, fill)
    if kind == "c":
        return _map_bytes(lambda v: ("(%s,%s)" % (spec % v.real, spec % v.imag)).encode(),
                          input)
    convert = int if kind in "iu" else float
    return _map_bytes(lambda v: (spec % convert(v)).encode(), input)


def _as_string_infer(input, precision, scientific, shortest, width, fill):
    kind = input.dtype._kind
    if kind in "iu" and precision > -1:
        raise InvalidArgumentError("AsString: precision is not supported for %s input"
                                   % input.dtype.name)
    if kind in "iub" and (scientific or shortest):
        raise InvalidArgumentError("AsString: scientific and shortest notation are not "
                                   "supported for %s input" % input.dtype.name)
    return dtypes.string, input.shape


AS_STRING = defop("AsString", _as_string_kernel, _as_string_infer, grad=NO_GRADIENT,
                  inputs=("input",), eager_check=True)


@dispatchable
def as_string(input, precision=-1, scientific=False, shortest=False, width=-1, fill="",
              name=None):
    """Each number as a string, formatted like C's printf: floats as "%f" (6 decimals) unless
    `precision`, `scientific` ("%e") or `shortest` ("%g"); `width` pads, `fill` is "", " ",
    "0" (zero-pad) or "-" (left-align). Bools give b"true"/b"false".

    >>> as_string([1.5, 2.0]).numpy()
    array([b'1.500000', b'2.000000'], dtype=object)
    >>> as_string([7], width=3, fill="0").numpy()
    array([b'007'], dtype=object)
    """
    if scientific and shortest:
        raise InvalidArgumentError("AsString: cannot select both scientific and shortest "
                                   "notation")
    if fill not in ("", " ", "0", "-"):
        raise InvalidArgumentError("AsString: fill must be '', ' ', '0' or '-', got %r"
                                   % (fill,))
    attrs = {"precision": int(precision), "scientific": bool(scientific),
             "shortest": bool(shortest), "width": int(width), "fill": fill}
    return apply(AS_STRING, (convert_to_tensor(input),), attrs, name)


# -- to_number ---------------------------------------------------------------------------------

_FLOAT_TEXT = re.compile(
    rb"[+-]?(?:(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|inf|infinity|nan)\Z", re.IGNORECASE)
_HEX_FLOAT_TEXT = re.compile(rb"[+-]?0x[0-9a-f]*\.?[0-9a-f]*(?:p[+-]?\d+)?\Z", re.IGNORECASE)
_INT_TEXT = re.compile(rb"[+-]?\d+\Z")
_NUMBER_TYPES = (dtypes.float32, dtypes.float64, dtypes.int32, dtypes.int64, dtypes.uint32,
                 dtypes.uint64)


def _parse_number(text, out_type):
    """The value of one string, or None if it is not a number of out_type (C's strtod and
    strtol rules: surrounding whitespace allowed, ASCII digits only, no underscores)."""
    text = text.strip()
    if out_type.is_integer:
        if not _INT_TEXT.match(text):
            return None
        value = int(text)
        return value if out_type.min <= value <= out_type.max else None
    if _FLOAT_TEXT.match(text):
        return float(text)
    if _HEX_FLOAT_TEXT.match(text) and any(c in b"0123456789abcdefABCDEF" for c in text[2:]):
        return float.fromhex(text.decode("ascii"))
    return None


def _to_number_kernel(string_tensor, out_type):
    array = np.asarray(string_tensor)
    out = np.empty(array.shape, dtype=out_type.np)
    flat_in, flat_out = array.reshape(-1), out.reshape(-1)
    with np.errstate(over="ignore"):  # "1e50" is inf in float32, as C's strtof gives
        for i, text in enumerate(flat_in):
            value = _parse_number(text, out_type)
            if value is None:
                index = list(np.unravel_index(i, array.shape)) if array.ndim else []
                raise InvalidArgumentError(
                    "StringToNumber could not correctly convert string %r (element %s) to %s"
                    % (text.decode("utf-8", "replace"), [int(j) for j in index],
                       out_type.name))
            flat_out[i] = value
    return out


def _to_number_infer(string_tensor, out_type):
    check_dtype("StringToNumber", string_tensor, STRING, "string_tensor")
    return out_type, string_tensor.shape


STRING_TO_NUMBER = defop("StringToNumber", _to_number_kernel, _to_number_infer,
                         grad=NO_GRADIENT, inputs=("string_tensor",), accepts=STRING)


@dispatchable
def to_number(string_tensor, out_type=dtypes.float32, name=None):
    """Parse each string as a number of `out_type` (float32, float64, int32, int64, uint32,
    uint64); a string that is not one is an InvalidArgumentError.

    >>> to_number(["1.5", " -2 "]).numpy()
    array([ 1.5, -2. ], dtype=float32)
    """
    out_type = dtypes.as_dtype(out_type)
    if out_type not in _NUMBER_TYPES:
        raise DTypeMismatchError("StringToNumber: out_type must be one of %s, got %s"
                                 % (", ".join(d.name for d in _NUMBER_TYPES), out_type.name))
    return apply(STRING_TO_NUMBER, (_string_input("StringToNumber", string_tensor,
                                                  "string_tensor"),),
                 {"out_type": out_type}, name)


# -- regular expressions -----------------------------------------------------------------------

class _Pattern(str):
    """A pattern attribute: the text, compiled once (prints as the text in graphs)."""

    def short(self):
        return repr(str(self))


def _compile(op_type, pattern):
    known = constant_value(pattern) if isinstance(pattern, Tensor) else pattern
    if known is None:
        raise InvalidArgumentError("%s: the pattern must be known while the graph is built"
                                   % op_type)
    if isinstance(known, (bytes, np.ndarray)):
        known = np.asarray(known)[()]
        known = known.decode("utf-8") if isinstance(known, bytes) else str(known)
    try:
        return re.compile(known)
    except re.error as exc:
        raise InvalidArgumentError("%s: invalid regular expression %r: %s"
                                   % (op_type, known, exc)) from None


def _rewriter(rewrite):
    """RE2 rewrite syntax: \\0-\\9 are groups, \\\\ a backslash; all else is literal."""
    def expand(match):
        out, i = [], 0
        while i < len(rewrite):
            c = rewrite[i]
            if c == "\\" and i + 1 < len(rewrite):
                nxt = rewrite[i + 1]
                if nxt.isdigit():
                    out.append(match.group(int(nxt)) or "")
                    i += 2
                    continue
                if nxt == "\\":
                    out.append("\\")
                    i += 2
                    continue
            out.append(c)
            i += 1
        return "".join(out)
    return expand


def _decode(item):
    return item.decode("utf-8", "surrogateescape")


def _regex_replace_kernel(input, pattern, rewrite, replace_global):
    regex, expand = re.compile(pattern), _rewriter(rewrite)
    count = 0 if replace_global else 1
    return _map_bytes(lambda b: regex.sub(expand, _decode(b), count=count).encode(
        "utf-8", "surrogateescape"), input)


STATIC_REGEX_REPLACE = defop("StaticRegexReplace", _regex_replace_kernel,
                             _string_infer("StaticRegexReplace"), grad=NO_GRADIENT,
                             inputs=("input",), accepts=STRING)


@dispatchable
def regex_replace(input, pattern, rewrite, replace_global=True, name=None):
    """Replace matches of the regular expression `pattern` in each string by `rewrite`, in
    which \\1 ... \\9 insert groups and \\0 the whole match (RE2's syntax). Only the first
    match is replaced if replace_global=False.

    >>> regex_replace(["aaba"], "a+", "-").numpy()
    array([b'-b-'], dtype=object)
    """
    regex = _compile("StaticRegexReplace", pattern)
    rewrite = constant_value(rewrite) if isinstance(rewrite, Tensor) else rewrite
    if isinstance(rewrite, (bytes, np.ndarray)):
        rewrite = _decode(np.asarray(rewrite)[()])
    attrs = {"pattern": _Pattern(regex.pattern), "rewrite": rewrite,
             "replace_global": bool(replace_global)}
    return apply(STATIC_REGEX_REPLACE, (_string_input("StaticRegexReplace", input),), attrs,
                 name)


def _full_match_kernel(input, pattern):
    regex = re.compile(pattern)
    return _map_bytes(lambda b: regex.fullmatch(_decode(b)) is not None, input, np.bool_)


STATIC_REGEX_FULL_MATCH = defop("StaticRegexFullMatch", _full_match_kernel,
                                _string_infer("StaticRegexFullMatch", dtypes.bool),
                                grad=NO_GRADIENT, inputs=("input",), accepts=STRING)


@dispatchable
def regex_full_match(input, pattern, name=None):
    """True where the whole string matches the regular expression `pattern`.

    >>> regex_full_match(["ab12", "ab"], r"ab\\d+").numpy()
    array([ True, False])
    """
    regex = _compile("StaticRegexFullMatch", pattern)
    return apply(STATIC_REGEX_FULL_MATCH, (_string_input("StaticRegexFullMatch", input),),
                 {"pattern": _Pattern(regex.pattern)}, name)


# Ragged string tensors: these ops apply to the flat values (autotrace.ops.dispatch).
UNARY_ELEMENTWISE.update([length, substr, upper, lower, strip, as_string, to_number, regex_replace,
                          regex_full_match])
