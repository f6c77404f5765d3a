"""tf.io ops: read_file, write_file, decode_raw, decode_csv, serialize_tensor, parse_tensor,
matching_files. They are ops (in the registry), so they run inside traced functions and
dataset functions: `ds.map(lambda path: tf.io.decode_raw(tf.io.read_file(path), tf.uint8))`.

>>> import autotrace as tf
>>> tf.io.decode_raw(tf.constant(b"\\x01\\x00\\x02\\x00"), tf.int16).numpy()
array([1, 2], dtype=int16)
"""
import csv
import glob as globbing
import io
import os

import numpy as np

from ..core import dtypes
from ..core.errors import InvalidArgumentError, NotFoundError
from ..core.tensor import Tensor
from ..core.tensor_shape import TensorShape
from ..ops.constant_op import convert_to_tensor
from ..ops.registry import NO_GRADIENT, apply, defop
from ..ops.shapes import check_dtype
from . import tensor_proto

__all__ = ["read_file", "write_file", "decode_raw", "decode_csv", "serialize_tensor",
           "parse_tensor", "matching_files"]


def _string(op_type, x, arg):
    t = convert_to_tensor(x, dtypes.string) if not isinstance(x, Tensor) else x
    check_dtype(op_type, t, "s", arg)
    return t


def _path(value):
    item = np.asarray(value)[()] if not isinstance(value, bytes) else value
    return item.decode() if isinstance(item, bytes) else str(item)


def _bytes_scalar(data):
    out = np.empty((), dtype=object)
    out[()] = data
    return out


def _scalar_string_infer(op_type):
    def infer(x, **attrs):
        check_dtype(op_type, x, "s", "filename")
        if x.shape.rank not in (0, None):
            raise InvalidArgumentError("%s: expected a scalar string, got shape %s"
                                       % (op_type, x.shape))
        return dtypes.string, []
    return infer


# -- files ---------------------------------------------------------------------------------------

def _read_file_kernel(filename):
    path = _path(filename)
    try:
        with open(path, "rb") as f:
            return _bytes_scalar(f.read())
    except FileNotFoundError:
        raise NotFoundError("%s; No such file or directory" % path) from None
    except IsADirectoryError:
        raise InvalidArgumentError("ReadFile: %s is a directory" % path) from None


# Not folded: a file's contents may change between calls.
READ_FILE = defop("ReadFile", _read_file_kernel, _scalar_string_infer("ReadFile"),
                  grad=NO_GRADIENT, inputs=("filename",), fold=False)


def read_file(filename, name=None):
    """The whole contents of the file, as a scalar string tensor."""
    return apply(READ_FILE, (_string("ReadFile", filename, "filename"),), None, name)


def _write_file_kernel(filename, contents):
    path = _path(filename)
    directory = os.path.dirname(path)
    if directory:
        os.makedirs(directory, exist_ok=True)
    with open(path, "wb") as f:
        f.write(_path_bytes(contents))
    return []


def _path_bytes(value):
    item = np.asarray(value)[()] if not isinstance(value, bytes) else value
    return item if isinstance(item, bytes) else str(item).encode()


WRITE_FILE = defop("WriteFile", _write_file_kernel, lambda filename, contents: [],
                   stateful=True, multi_output=True, grad=NO_GRADIENT,
                   inputs=("filename", "contents"))


def write_file(filename, contents, name=None):
    """Write `contents` (a scalar string) to the file, creating directories as needed."""
    return apply(WRITE_FILE, (_string("WriteFile", filename, "filename"),
                              _string("WriteFile", contents, "contents")), None, name)


def _matching_files_kernel(pattern):
    patterns = [_path(p) for p in np.asarray(pattern, dtype=object).reshape(-1)]
    found = sorted({m for p in patterns for m in globbing.glob(p)})
    out = np.empty(len(found), dtype=object)
    out[:] = [m.encode() for m in found]
    return out


MATCHING_FILES = defop("MatchingFiles", _matching_files_kernel,
                       lambda pattern: (dtypes.string, [None]), grad=NO_GRADIENT,
                       inputs=("pattern",), fold=False)


def matching_files(pattern, name=None):
    """The sorted file names matching a glob pattern (or a list of patterns)."""
    return apply(MATCHING_FILES, (_string("MatchingFiles", pattern, "pattern"),), None, name)


# -- decode_raw ----------------------------------------------------------------------------------

def _decode_raw_kernel(input_bytes, out_type, little_endian, fixed_length):
    items = np.asarray(input_bytes, dtype=object)
    width = np.dtype(out_type.np).itemsize
    order = "<" if little_endian else ">"
    rows = []
    for item in items.reshape(-1):
        data = bytes(item)
        if fixed_length is not None:
            data = data[:fixed_length].ljust(fixed_length, b"\0")
        if len(data) % width:
            raise InvalidArgumentError(
                "DecodeRaw: input to DecodeRaw has length %d that is not a multiple of %d, the "
                "size of %s" % (len(data), width, out_type.name))
        rows.append(np.frombuffer(data, np.dtype(out_type.np).newbyteorder(order)))
    lengths = {len(r) for r in rows}
    if len(lengths) > 1:
        raise InvalidArgumentError("DecodeRaw: all strings of the input must have the same "
                                   "length, got lengths (in elements) %s" % sorted(lengths))
    n = lengths.pop() if lengths else 0
    return np.array(rows, dtype=out_type.np).reshape(items.shape + (n,))


def _decode_raw_infer(input_bytes, out_type, little_endian, fixed_length):
    check_dtype("DecodeRaw", input_bytes, "s", "input_bytes")
    n = None if fixed_length is None else fixed_length // out_type.size
    return out_type, input_bytes.shape.concatenate([n])


DECODE_RAW = defop("DecodeRaw", _decode_raw_kernel, _decode_raw_infer, grad=NO_GRADIENT,
                   inputs=("input_bytes",))


def decode_raw(input_bytes, out_type, little_endian=True, fixed_length=None, name=None):
    """Reinterpret the bytes of each string as a vector of `out_type` numbers."""
    out_type = dtypes.as_dtype(out_type)
    if not (out_type.is_numeric or out_type.is_bool):
        raise TypeError("decode_raw: out_type must be a numeric dtype, got %s" % out_type.name)
    return apply(DECODE_RAW, (_string("DecodeRaw", input_bytes, "input_bytes"),),
                 {"out_type": out_type, "little_endian": bool(little_endian),
                  "fixed_length": fixed_length}, name)


# -- decode_csv ----------------------------------------------------------------------------------

def _csv_fields(record, delim, quote, n_expected):
    text = record.decode() if isinstance(record, bytes) else str(record)
    if quote:
        fields = next(csv.reader(io.StringIO(text), delimiter=delim, quotechar='"'), [])
    else:
        fields = text.split(delim)
    if text == "":
        fields = [""]
    return fields


def _convert_field(text, default, dtype, column, row, na_value):
    if text == "" or (na_value and text == na_value):
        if default is None:
            raise InvalidArgumentError("DecodeCSV: field %d of record %d is required but "
                                       "missing (its record_defaults entry is empty)"
                                       % (column, row))
        return default
    if dtype.is_string:
        return text.encode()
    try:
        if dtype.is_integer:
            return int(text)
        if dtype.is_bool:
            return {"true": True, "false": False, "1": True, "0": False}[text.lower()]
        return float(text)
    except (ValueError, KeyError):
        raise InvalidArgumentError("DecodeCSV: field %d of record %d is not a valid %s: %r"
                                   % (column, row, dtype.name, text)) from None


def _decode_csv_kernel(records, *defaults, field_delim, use_quote_delim, na_value,
                       select_cols):
    records = np.asarray(records, dtype=object)
    dtypes_ = [dtypes.dtype_of_value(np.asarray(d)) for d in defaults]
    fills = [None if np.size(d) == 0 else np.asarray(d).reshape(-1)[0] for d in defaults]
    columns = [[] for _ in defaults]
    for row, record in enumerate(records.reshape(-1)):
        fields = _csv_fields(record, field_delim, use_quote_delim, len(defaults))
        if select_cols is not None:
            if max(select_cols) >= len(fields):
                raise InvalidArgumentError("DecodeCSV: record %d has %d fields, fewer than "
                                           "select_cols needs" % (row, len(fields)))
            fields = [fields[i] for i in select_cols]
        if len(fields) != len(defaults):
            raise InvalidArgumentError(
                "DecodeCSV: expect %d fields but have %d in record %d"
                % (len(defaults), len(fields), row))
        for k, text in enumerate(fields):
            columns[k].append(_convert_field(text, fills[k], dtypes_[k], k, row, na_value))
    out = []
    for k, values in enumerate(columns):
        array = np.empty(len(values), dtype=object) if dtypes_[k].is_string else None
        if array is not None:
            array[:] = values
        else:
            array = np.array(values, dtype=dtypes_[k].np)
        out.append(array.reshape(records.shape))
    return out


def _decode_csv_infer(records, *defaults, field_delim, use_quote_delim, na_value,
                      select_cols):
    check_dtype("DecodeCSV", records, "s", "records")
    for i, d in enumerate(defaults):
        if d.shape.rank not in (None, 0, 1) or (d.shape.rank == 1 and
                                                d.shape[0] not in (None, 0, 1)):
            raise InvalidArgumentError("DecodeCSV: record_defaults[%d] must be a scalar or a "
                                       "vector of at most one element, got shape %s"
                                       % (i, d.shape))
    return [(d.dtype, records.shape) for d in defaults]


DECODE_CSV = defop("DecodeCSV", _decode_csv_kernel, _decode_csv_infer, multi_output=True,
                   grad=NO_GRADIENT, inputs=("records", "record_defaults"))


def _default_tensor(value, i):
    if isinstance(value, Tensor):
        return value
    if isinstance(value, (type, dtypes.DType)):
        return convert_to_tensor(np.zeros(0, dtypes.as_dtype(value).np)
                                 if not dtypes.as_dtype(value).is_string
                                 else np.zeros(0, dtype=object), dtypes.as_dtype(value))
    if isinstance(value, (list, tuple)) and len(value) == 0:
        raise ValueError("decode_csv: record_defaults[%d] is an empty list, which gives no "
                         "dtype; use a dtype (e.g. autotrace.float32) for a required column"
                         % i)
    return convert_to_tensor(value)


def decode_csv(records, record_defaults, field_delim=",", use_quote_delim=True,
               na_value="", select_cols=None, name=None):
    """Parse CSV records into one tensor per column, typed by `record_defaults` (a default
    value per column, as a one-element list; or a dtype for a required column)."""
    defaults = [_default_tensor(d, i) for i, d in enumerate(record_defaults)]
    if select_cols is not None and len(select_cols) != len(defaults):
        raise ValueError("decode_csv: select_cols has %d entries for %d record_defaults"
                         % (len(select_cols), len(defaults)))
    return apply(DECODE_CSV, [_string("DecodeCSV", records, "records")] + defaults,
                 {"field_delim": field_delim, "use_quote_delim": bool(use_quote_delim),
                  "na_value": na_value,
                  "select_cols": None if select_cols is None else tuple(select_cols)}, name)


# -- serialize_tensor / parse_tensor -------------------------------------------------------------

SERIALIZE_TENSOR = defop("SerializeTensor", lambda tensor: _bytes_scalar(
    tensor_proto.serialize(tensor)), lambda tensor: (dtypes.string, []), grad=NO_GRADIENT,
    inputs=("tensor",))


def serialize_tensor(tensor, name=None):
    """A tensor as TensorProto bytes (readable by TensorFlow's parse_tensor)."""
    return apply(SERIALIZE_TENSOR, (convert_to_tensor(tensor),), None, name)


def _parse_tensor_infer(serialized, out_type):
    check_dtype("ParseTensor", serialized, "s", "serialized")
    return out_type, TensorShape(None)


PARSE_TENSOR = defop("ParseTensor", lambda serialized, out_type: tensor_proto.parse(
    _path_bytes(serialized), out_type), _parse_tensor_infer, grad=NO_GRADIENT,
    inputs=("serialized",))


def parse_tensor(serialized, out_type, name=None):
    """The tensor of TensorProto bytes (as serialize_tensor or TensorFlow wrote them)."""
    return apply(PARSE_TENSOR, (_string("ParseTensor", serialized, "serialized"),),
                 {"out_type": dtypes.as_dtype(out_type)}, name)
