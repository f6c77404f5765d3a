"""Op attributes as JSON: a small typed schema, one way to write each kind of value.

Plain JSON holds the plain values (null, true/false, ints, floats, strings); a JSON array is
a tuple; every other value is an object with exactly one key, its type tag:

    {"list": [...]}        {"dict": {"k": ...}}      {"dtype": "float32"}
    {"shape": [2, null]}   {"float": "nan"}          {"bytes": "text"} / {"bytes_base64": "..."}
    {"scalar": {"dtype": "float32", "value": 2.0}}   (a NumPy scalar)
    {"tensor": {"dtype": "int32", "shape": [2], "values": [1, 2]}}   (a NumPy array)
    {"slice": [start, stop, step]}    {"ellipsis": null}
    {"tensor_spec": {"dtype": "float32", "shape": [null, 2], "name": "x"}}
    {"type_spec": {"type": "RaggedTensorSpec", "fields": [...]}}   (a composite's TypeSpec)

and the tags that modules register for their own attribute classes (`register`): sub-graphs
and variables by reference, StridedSlice specs, TensorArray states... Decoding accepts nothing
else: it never builds an object that is not plain data or a registered value class, so a file
cannot smuggle code into an attribute.

>>> import autotrace as tf
>>> codec = AttrCodec()
>>> codec.encode({"axis": (1,), "dtype": tf.float32})
{'dict': {'axis': [1], 'dtype': {'dtype': 'float32'}}}
>>> codec.decode({'dict': {'axis': [1], 'dtype': {'dtype': 'float32'}}})
{'axis': (1,), 'dtype': tf.float32}
"""
import base64
import math

import numpy as np

from . import dtypes
from .tensor_shape import TensorShape, TensorSpec
from .type_spec import TypeSpec

__all__ = ["AttrCodec", "AttrFormatError", "UnencodableAttrError", "register", "TAGS"]

# Arrays up to this many elements are written inline; larger ones go to `codec.store_array`.
INLINE_ELEMENTS = 16
_FLOAT_WORDS = {"nan": math.nan, "inf": math.inf, "-inf": -math.inf}


class AttrFormatError(ValueError):
    """An encoded attribute does not follow the schema (the message says what is wrong)."""


class UnencodableAttrError(TypeError):
    """A value no tag describes (e.g. a Python function): it cannot be written as data."""


# tag -> (class, encode(value, codec) -> payload, decode(payload, codec) -> value)
TAGS = {}
_BY_CLASS = {}


def register(tag, cls, encode, decode):
    """Describe attribute values of class `cls` as `{tag: encode(value, codec)}`."""
    if tag in TAGS or tag in _BUILTIN_DECODERS:
        raise ValueError("attribute tag %r is registered twice" % tag)
    TAGS[tag] = (cls, encode, decode)
    _BY_CLASS[cls] = tag


class AttrCodec:
    """Encodes and decodes attribute values. Subclasses provide what depends on where the
    values live: `store_array`/`load_array` (large arrays kept outside the JSON) and the
    references of registered tags (e.g. `graph_ref`/`graph`, `variable_ref`/`variable`)."""

    inline_elements = INLINE_ELEMENTS

    # -- encoding --------------------------------------------------------------------------
    def encode(self, value):
        if value is None or type(value) in (bool, str):
            return value
        kind = type(value)
        tag = _BY_CLASS.get(kind)
        if tag is not None:
            return {tag: TAGS[tag][1](value, self)}
        encoder = _BUILTIN_ENCODERS.get(kind)
        if encoder is not None:
            return encoder(value, self)
        if isinstance(value, np.ndarray):
            return {"tensor": self.encode_array(value)}
        if isinstance(value, np.generic):
            return {"scalar": _encode_scalar(value)}
        for cls, tag in _BY_CLASS.items():  # subclasses of registered classes
            if isinstance(value, cls):
                return {tag: TAGS[tag][1](value, self)}
        if isinstance(value, TypeSpec):
            return {"type_spec": {"type": type(value).__name__,
                                  "fields": [self.encode(f) for f in value._serialize()]}}
        raise UnencodableAttrError(_describe_unencodable(value))

    def encode_array(self, array, key=None, inline=None):
        """{"dtype", "shape", "values"} for small arrays and strings (`inline`: at most
        this many elements; the codec's default if None), else {"dtype", "shape", "data"}
        with the reference `store_array` gives (stored under `key` if given)."""
        array = np.asarray(array)
        dtype = dtypes.dtype_of_value(array)
        if dtype._kind in "rv":
            raise UnencodableAttrError("an array of %s values" % dtype.name)
        header = {"dtype": dtype.name, "shape": list(array.shape)}
        limit = self.inline_elements if inline is None else inline
        if array.size <= limit or dtype.is_string:
            header["values"] = [_encode_element(x, dtype) for x in array.reshape(-1).tolist()]
        else:
            header["data"] = self.store_array(array, key)
        return header

    def reference(self, kind, value):
        """The JSON reference to a `kind` value kept in a table outside the attribute (a
        sub-graph, a variable); this codec keeps no tables."""
        raise UnencodableAttrError("a %s (this codec cannot refer to one)" % kind)

    def resolve(self, kind, reference):
        raise AttrFormatError("a reference to a %s (%s) where none can be made"
                              % (kind, _short(reference)))

    def store_array(self, array, key=None):
        raise UnencodableAttrError("an array of %d elements (this codec writes arrays inline "
                                   "only)" % array.size)

    # -- decoding --------------------------------------------------------------------------
    def decode(self, data):
        if data is None or type(data) in (bool, int, str):
            return data
        if type(data) is float:
            return data
        if type(data) is list:
            return tuple(self.decode(x) for x in data)
        if type(data) is not dict or len(data) != 1:
            raise AttrFormatError("an attribute value must be null, a boolean, a number, a "
                                  "string, an array or an object with one type tag; got %s"
                                  % _short(data))
        (tag, payload), = data.items()
        decoder = _BUILTIN_DECODERS.get(tag)
        if decoder is not None:
            return decoder(payload, self)
        found = TAGS.get(tag)
        if found is None:
            raise AttrFormatError("unknown attribute type tag %r (known: %s)"
                                  % (tag, ", ".join(sorted(set(_BUILTIN_DECODERS) | set(TAGS)))))
        return found[2](payload, self)

    def decode_array(self, header):
        _expect(header, dict, "a tensor")
        _expect_keys(header, {"dtype", "shape"}, {"values", "data"}, "a tensor")
        dtype = decode_dtype(header["dtype"])
        if dtype._kind in "rv":
            raise AttrFormatError("a tensor cannot hold %s values" % dtype.name)
        shape = decode_shape(header["shape"], "a tensor's shape", known=True)
        size = int(np.prod(shape, dtype=np.int64)) if shape else 1
        if ("values" in header) == ("data" in header):
            raise AttrFormatError("a tensor has either inline 'values' or a 'data' reference")
        if "data" in header:
            return self.load_array(header["data"], dtype, shape)
        values = header["values"]
        _expect(values, list, "a tensor's values")
        if len(values) != size:
            raise AttrFormatError("a tensor of shape %s needs %d values, got %d"
                                  % (list(shape), size, len(values)))
        items = [_decode_element(v, dtype) for v in values]
        if dtype.is_string:
            array = np.empty(len(items), dtype=object)
            array[:] = items
            return array.reshape(shape)
        return np.array(items, dtype=dtype.np).reshape(shape)

    def load_array(self, reference, dtype, shape):
        raise AttrFormatError("this file keeps no arrays outside its JSON (got a reference %s)"
                              % _short(reference))


# -- built-in kinds ----------------------------------------------------------------------------

def _encode_float(value, codec):
    if math.isfinite(value):
        return value
    return {"float": "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf")}


def _decode_float(payload, codec):
    if payload not in _FLOAT_WORDS:
        raise AttrFormatError("a 'float' tag holds \"nan\", \"inf\" or \"-inf\", got %s"
                              % _short(payload))
    return _FLOAT_WORDS[payload]


def _encode_bytes(value, codec):
    try:
        return {"bytes": value.decode("utf-8")}
    except UnicodeDecodeError:
        return {"bytes_base64": base64.b64encode(value).decode("ascii")}


def _decode_bytes(payload, codec):
    _expect(payload, str, "a 'bytes' value")
    return payload.encode("utf-8")


def _decode_bytes_base64(payload, codec):
    _expect(payload, str, "a 'bytes_base64' value")
    try:
        return base64.b64decode(payload.encode("ascii"), validate=True)
    except (ValueError, UnicodeEncodeError):
        raise AttrFormatError("a 'bytes_base64' value is not base64 text") from None


def decode_dtype(name):
    """A DType from its name (only the names of autotrace's dtypes)."""
    if type(name) is not str:
        raise AttrFormatError("a dtype is written as its name, got %s" % _short(name))
    try:
        dtype = dtypes.as_dtype(name)
    except TypeError:
        dtype = None
    if dtype is None or dtype.name != name:
        raise AttrFormatError("unknown dtype name %r" % (name,))
    return dtype


def decode_shape(dims, what="a shape", known=False):
    """A tuple of dims (ints >= 0 or None), or None for an unknown rank."""
    if dims is None and not known:
        return None
    _expect(dims, list, what)
    for d in dims:
        if d is None and not known:
            continue
        if type(d) is not int or d < 0:
            raise AttrFormatError("%s holds ints >= 0%s, got %s"
                                  % (what, "" if known else " or null", _short(dims)))
    return tuple(dims)


def encode_shape(shape):
    shape = TensorShape(shape)
    return None if shape.rank is None else shape.as_list()


def _encode_element(x, dtype):
    if dtype.is_string:
        if isinstance(x, bytes):
            try:
                return x.decode("utf-8")
            except UnicodeDecodeError:
                return _encode_bytes(x, None)
        return x
    if dtype.is_complex:
        return [_encode_float(x.real, None), _encode_float(x.imag, None)]
    if dtype.is_floating:
        return _encode_float(float(x), None)
    return x


def _decode_element(v, dtype):
    if dtype.is_string:
        if type(v) is str:
            return v.encode("utf-8")
        if type(v) is dict and len(v) == 1 and set(v) <= {"bytes", "bytes_base64"}:
            return _BUILTIN_DECODERS[next(iter(v))](next(iter(v.values())), None)
        raise AttrFormatError("a string tensor holds strings, got %s" % _short(v))
    if dtype.is_complex:
        if type(v) is not list or len(v) != 2:
            raise AttrFormatError("a complex value is written [real, imag], got %s" % _short(v))
        return complex(_decode_real(v[0]), _decode_real(v[1]))
    if dtype.is_floating:
        return _decode_real(v)
    if dtype.is_bool:
        if type(v) is not bool:
            raise AttrFormatError("a bool tensor holds true/false, got %s" % _short(v))
        return v
    if type(v) is not int:
        raise AttrFormatError("an integer tensor holds ints, got %s" % _short(v))
    info = np.iinfo(dtype.np)
    if not info.min <= v <= info.max:
        raise AttrFormatError("%d does not fit %s" % (v, dtype.name))
    return v


def _decode_real(v):
    if type(v) in (int, float):
        return float(v)
    if type(v) is dict and list(v) == ["float"]:
        return _decode_float(v["float"], None)
    raise AttrFormatError("a floating-point value is a number, got %s" % _short(v))


def _encode_scalar(value):
    dtype = dtypes.dtype_of_value(value)
    item = value.item()
    return {"dtype": dtype.name, "value": _encode_element(item, dtype)}


def _decode_scalar(payload, codec):
    _expect(payload, dict, "a scalar")
    _expect_keys(payload, {"dtype", "value"}, set(), "a scalar")
    dtype = decode_dtype(payload["dtype"])
    if dtype._kind in "rv":
        raise AttrFormatError("a scalar cannot be of dtype %s" % dtype.name)
    value = _decode_element(payload["value"], dtype)
    if dtype.is_string:
        return np.array(value, dtype=object)[()]
    return dtype.np.type(value)


def _decode_tensor(payload, codec):
    return codec.decode_array(payload)


def _decode_list(payload, codec):
    _expect(payload, list, "a 'list' value")
    return [codec.decode(x) for x in payload]


def _decode_dict(payload, codec):
    _expect(payload, dict, "a 'dict' value")
    return {k: codec.decode(v) for k, v in payload.items()}


def _decode_slice(payload, codec):
    if type(payload) is not list or len(payload) != 3:
        raise AttrFormatError("a slice is written [start, stop, step], got %s"
                              % _short(payload))
    return slice(*[codec.decode(x) for x in payload])


def _decode_ellipsis(payload, codec):
    if payload is not None:
        raise AttrFormatError("'ellipsis' holds null, got %s" % _short(payload))
    return Ellipsis


def _decode_dtype_tag(payload, codec):
    return decode_dtype(payload)


def _decode_shape_tag(payload, codec):
    return TensorShape(decode_shape(payload))


def _decode_tensor_spec(payload, codec):
    _expect(payload, dict, "a TensorSpec")
    _expect_keys(payload, {"dtype", "shape", "name"}, set(), "a TensorSpec")
    name = payload["name"]
    if name is not None and type(name) is not str:
        raise AttrFormatError("a TensorSpec's name is a string or null, got %s" % _short(name))
    return TensorSpec(decode_shape(payload["shape"]), decode_dtype(payload["dtype"]), name)


def _decode_type_spec(payload, codec):
    """A TypeSpec of a class this process knows (never one the file could define)."""
    _expect(payload, dict, "a TypeSpec")
    _expect_keys(payload, {"type", "fields"}, set(), "a TypeSpec")
    _expect(payload["fields"], list, "a TypeSpec's fields")
    found = [c for c in _subclasses(TypeSpec) if c.__name__ == payload["type"]]
    if len(found) != 1:
        raise AttrFormatError("%s TypeSpec class named %s" % (
            "no" if not found else "more than one", _short(payload["type"])))
    cls = found[0]
    fields = tuple(codec.decode(f) for f in payload["fields"])
    try:
        return cls._with_serialized(cls.__new__(cls), fields)
    except Exception as exc:  # the class's own checks reject the fields
        raise AttrFormatError("%s(%s) is not a valid spec: %s"
                              % (cls.__name__, _short(list(fields)), exc)) from None


def _subclasses(cls):
    found = []
    for sub in cls.__subclasses__():
        found.append(sub)
        found.extend(_subclasses(sub))
    return found


def _encode_dict(value, codec):
    for k in value:
        if type(k) is not str:
            raise UnencodableAttrError("a dict with a key %r that is not a string" % (k,))
    return {"dict": {k: codec.encode(v) for k, v in value.items()}}


_BUILTIN_ENCODERS = {
    int: lambda v, c: v,
    float: _encode_float,
    bytes: _encode_bytes,
    tuple: lambda v, c: [c.encode(x) for x in v],
    list: lambda v, c: {"list": [c.encode(x) for x in v]},
    dict: _encode_dict,
    slice: lambda v, c: {"slice": [c.encode(v.start), c.encode(v.stop), c.encode(v.step)]},
    type(Ellipsis): lambda v, c: {"ellipsis": None},
    dtypes.DType: lambda v, c: {"dtype": v.name},
    TensorShape: lambda v, c: {"shape": encode_shape(v)},
    TensorSpec: lambda v, c: {"tensor_spec": {"dtype": v.dtype.name,
                                              "shape": encode_shape(v.shape), "name": v.name}},
}

_BUILTIN_DECODERS = {
    "float": _decode_float,
    "bytes": _decode_bytes,
    "bytes_base64": _decode_bytes_base64,
    "list": _decode_list,
    "dict": _decode_dict,
    "slice": _decode_slice,
    "ellipsis": _decode_ellipsis,
    "dtype": _decode_dtype_tag,
    "shape": _decode_shape_tag,
    "scalar": _decode_scalar,
    "tensor": _decode_tensor,
    "tensor_spec": _decode_tensor_spec,
    "type_spec": _decode_type_spec,
}


# -- helpers -----------------------------------------------------------------------------------

def _describe_unencodable(value):
    if callable(value):
        name = getattr(value, "__qualname__", None) or getattr(value, "__name__", None) or \
            type(value).__name__
        return "the Python callable %s" % name
    return "a %s object" % type(value).__name__


def _short(data, limit=60):
    text = repr(data)
    return text if len(text) <= limit else text[:limit - 3] + "..."


def _expect(value, kind, what):
    if type(value) is not kind:
        raise AttrFormatError("%s must be a JSON %s, got %s"
                              % (what, {list: "array", dict: "object", str: "string",
                                        int: "integer"}[kind], _short(value)))


def _expect_keys(obj, required, optional, what):
    keys = set(obj)
    missing, unknown = required - keys, keys - required - optional
    if missing:
        raise AttrFormatError("%s lacks %s" % (what, ", ".join(sorted(missing))))
    if unknown:
        raise AttrFormatError("%s has unknown fields %s" % (what, ", ".join(sorted(unknown))))


expect = _expect
expect_keys = _expect_keys
short = _short
