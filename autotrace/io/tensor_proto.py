"""TensorFlow's TensorProto wire format, for serialize_tensor / parse_tensor (bytes that
TensorFlow's own parse_tensor reads, and the other way round). A few dozen lines of protobuf
encoding: varints and length-delimited fields; no protobuf dependency.

    TensorProto: dtype = 1 (enum), tensor_shape = 2 (TensorShapeProto: dim = 2 {size = 1}),
                 tensor_content = 4 (raw little-endian bytes), string_val = 8 (repeated),
                 and typed *_val fields other writers may use.
"""
import numpy as np

from ..core import dtypes
from ..core.errors import InvalidArgumentError

__all__ = ["serialize", "parse", "DATA_TYPES"]

# TF's DataType enum values.
DATA_TYPES = {"float32": 1, "float64": 2, "int32": 3, "uint8": 4, "int16": 5, "int8": 6,
              "string": 7, "complex64": 8, "int64": 9, "bool": 10, "uint16": 17,
              "complex128": 18, "float16": 19, "uint32": 22, "uint64": 23}
_BY_ENUM = {v: k for k, v in DATA_TYPES.items()}
# Typed repeated fields: field number -> (wire kind, NumPy dtype of one value).
_VAL_FIELDS = {5: np.float32, 6: np.float64, 7: np.int64, 10: np.int64, 11: np.int64,
               13: np.int64, 16: np.uint64, 17: np.uint64}


def _varint(n):
    out = bytearray()
    while True:
        byte = n & 0x7F
        n >>= 7
        if n:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def _field(number, wire, payload):
    return _varint(number << 3 | wire) + payload


def _bytes_field(number, data):
    return _field(number, 2, _varint(len(data)) + data)


def serialize(array):
    """The TensorProto bytes of an ndarray (or NumPy scalar)."""
    array = np.asarray(array)
    dtype = dtypes.dtype_of_value(array)
    if dtype.name not in DATA_TYPES:
        raise InvalidArgumentError("serialize_tensor: dtype %s has no TensorProto form"
                                   % dtype.name)
    shape = b"".join(_bytes_field(2, _field(1, 0, _varint(d))) for d in array.shape)
    out = _field(1, 0, _varint(DATA_TYPES[dtype.name])) + _bytes_field(2, shape)
    if dtype.is_string:
        for item in array.reshape(-1):
            out += _bytes_field(8, item if isinstance(item, bytes) else str(item).encode())
    else:
        out += _bytes_field(4, np.ascontiguousarray(array).astype(
            array.dtype.newbyteorder("<"), copy=False).tobytes())
    return out


def _read_varint(data, i):
    shift = result = 0
    while True:
        if i >= len(data):
            raise InvalidArgumentError("parse_tensor: truncated varint")
        byte = data[i]
        i += 1
        result |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return result, i
        shift += 7


def _fields(data):
    """(field number, wire type, value) of a message: ints for varints, bytes otherwise."""
    i = 0
    while i < len(data):
        key, i = _read_varint(data, i)
        number, wire = key >> 3, key & 7
        if wire == 0:
            value, i = _read_varint(data, i)
        elif wire == 2:
            n, i = _read_varint(data, i)
            value, i = data[i:i + n], i + n
        elif wire == 5:
            value, i = data[i:i + 4], i + 4
        elif wire == 1:
            value, i = data[i:i + 8], i + 8
        else:
            raise InvalidArgumentError("parse_tensor: not a TensorProto (wire type %d)" % wire)
        yield number, wire, value


def _shape(data):
    dims = []
    for number, _, value in _fields(data):
        if number == 2:
            size = [v for n, _, v in _fields(value) if n == 1]
            dims.append(size[0] if size else 0)
    return tuple(dims)


def parse(data, out_type):
    """The ndarray of TensorProto bytes; its dtype must be `out_type`."""
    enum, shape, content, strings, typed = None, (), None, [], []
    for number, wire, value in _fields(bytes(data)):
        if number == 1:
            enum = value
        elif number == 2:
            shape = _shape(value)
        elif number == 4:
            content = value
        elif number == 8:
            strings.append(value)
        elif number in _VAL_FIELDS:
            typed.append((number, wire, value))
    name = _BY_ENUM.get(enum)
    want = dtypes.as_dtype(out_type)
    if name != want.name:
        raise InvalidArgumentError("Type mismatch between parsed tensor (%s) and dtype (%s)"
                                   % (name or "unknown", want.name))
    count = int(np.prod(shape)) if shape else 1
    if want.is_string:
        array = np.empty(len(strings), dtype=object)
        array[:] = strings
    elif content is not None:
        array = np.frombuffer(content, want.np.newbyteorder("<")).astype(want.np)
    else:
        array = _typed_values(typed, want)
    if array.size == 1 and count > 1:
        array = np.full(count, array.reshape(-1)[0], array.dtype)
    if array.size != count:
        raise InvalidArgumentError("parse_tensor: %d values for shape %s" % (array.size,
                                                                             list(shape)))
    return array.reshape(shape)


def _typed_values(fields, want):
    values = []
    for number, wire, value in fields:
        kind = _VAL_FIELDS[number]
        if wire == 2 and kind in (np.float32, np.float64):  # packed floats
            values.extend(np.frombuffer(value, np.dtype(kind).newbyteorder("<")).tolist())
        elif wire == 2:  # packed varints
            i = 0
            while i < len(value):
                v, i = _read_varint(value, i)
                values.append(v)
        elif wire == 5:
            values.append(float(np.frombuffer(value, "<f4")[0]))
        elif wire == 1:
            values.append(float(np.frombuffer(value, "<f8")[0]))
        else:
            values.append(value)
    if want.is_integer and want.is_unsigned is False:
        values = [v - (1 << 64) if v >= 1 << 63 else v for v in values]
    return np.array(values).astype(want.np)
