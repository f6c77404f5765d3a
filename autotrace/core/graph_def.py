"""A graph as TensorFlow's GraphDef: `Graph.as_graph_def()`, an in-memory value shaped like
TF's protocol buffer, with its text form.

    graph_def.node            NodeDefs in program order, each with `name`, `op`, `input`
                              (`"x"`, `"split:1"`, `"^init"` for a control input), `attr`
                              ({name: AttrValue}) and `device`
    graph_def.library         `function`: the sub-graphs (cond branches, loop bodies) as
                              FunctionDefs, named by the `func` attributes that use them
    str(graph_def)            the protobuf text format, as `print(graph_def)` shows in TF

>>> import autotrace as tf
>>> g = tf.Graph()
>>> with g.as_default():
...     x = tf.compat.v1.placeholder(tf.float32, shape=[None], name="x")
...     y = x ** 2
>>> [(n.name, n.op, list(n.input)) for n in g.as_graph_def().node]
[('x', 'Placeholder', []), ('pow/y', 'Const', []), ('pow', 'Pow', ['x', 'pow/y'])]

An AttrValue holds one of `type` (TF's DataType enum number: `tf.as_dtype(attr.type)`),
`shape`, `tensor`, `i`, `f`, `b`, `s`, `list` or `func`, as in TF; `encode_attr` is the
mapping from autotrace's attribute values (one function, reusable by writers of other
formats).
"""
import numpy as np

from . import dtypes
from .tensor_shape import TensorShape

__all__ = ["GraphDef", "NodeDef", "AttrValue", "graph_def", "encode_attr"]

PRODUCER = 1  # the `versions.producer` autotrace writes


class _Message:
    """A protocol-buffer-like value: fields as attributes, the text format as str()."""

    _fields = ()

    def __str__(self):
        return "".join(_text_lines(self, 0))

    def __repr__(self):
        return "<%s>" % type(self).__name__

    def __eq__(self, other):
        return type(self) is type(other) and str(self) == str(other)

    def __hash__(self):
        return hash(str(self))


class TensorShapeProto(_Message):
    _fields = ("dim", "unknown_rank")

    def __init__(self, shape):
        shape = TensorShape(shape)
        self.unknown_rank = shape.rank is None
        self.dim = [] if self.unknown_rank else [
            _Dim(-1 if d is None else d) for d in shape.as_list()]


class _Dim(_Message):
    _fields = ("size",)

    def __init__(self, size):
        self.size = size


class TensorProto(_Message):
    """A constant's value: dtype, shape and the values in a `*_val` field."""

    _fields = ("dtype", "tensor_shape", "float_val", "double_val", "int_val", "int64_val",
               "bool_val", "string_val", "scomplex_val", "dcomplex_val")

    def __init__(self, array):
        array = np.asarray(array)
        dtype = dtypes.dtype_of_value(array)
        self.dtype = _DataType(dtype)
        self.tensor_shape = TensorShapeProto(array.shape)
        field = _VALUE_FIELDS.get(dtype.name, "string_val")
        flat = array.reshape(-1)
        if dtype.is_complex:
            values = [v for c in flat.tolist() for v in (c.real, c.imag)]
        elif dtype.is_string:
            values = [v if isinstance(v, bytes) else str(v).encode() for v in flat.tolist()]
        else:
            values = flat.tolist()
        for name in self._fields[2:]:
            setattr(self, name, values if name == field else [])

    @property
    def value(self):
        """The NumPy value (for readers: `tf.make_ndarray`)."""
        dtype = dtypes.as_dtype(self.dtype)
        shape = [d.size for d in self.tensor_shape.dim]
        for name in self._fields[2:]:
            values = getattr(self, name)
            if values:
                if dtype.is_complex:
                    values = [complex(a, b) for a, b in zip(values[::2], values[1::2])]
                return np.array(values, dtype=dtype.np).reshape(shape)
        return np.zeros(shape, dtype.np)


_VALUE_FIELDS = {"float32": "float_val", "float16": "float_val", "bfloat16": "float_val",
                 "float64": "double_val", "int64": "int64_val", "uint64": "int64_val",
                 "uint32": "int64_val", "int32": "int_val", "int16": "int_val",
                 "int8": "int_val", "uint8": "int_val", "uint16": "int_val", "bool": "bool_val",
                 "complex64": "scomplex_val", "complex128": "dcomplex_val"}


class _DataType(int):
    """A DataType enum number that prints as TF's name (DT_FLOAT) in the text form."""

    def __new__(cls, dtype):
        dtype = dtypes.as_dtype(dtype)
        number, name = dtypes.DATATYPE_ENUM[dtype.name]
        value = super().__new__(cls, number)
        value.name = name
        return value


class NameAttrList(_Message):
    _fields = ("name",)

    def __init__(self, name):
        self.name = name


class ListValue(_Message):
    _fields = ("s", "i", "f", "b", "type", "shape", "tensor", "func")

    def __init__(self, **values):
        for name in self._fields:
            setattr(self, name, values.get(name, []))


class AttrValue(_Message):
    """One attribute value: exactly one of its fields is set (`which()` says which)."""

    _fields = ("s", "i", "f", "b", "type", "shape", "tensor", "list", "func")

    def __init__(self, **value):
        (self._which, field_value), = value.items()
        for name in self._fields:
            setattr(self, name, field_value if name == self._which else _DEFAULTS[name])

    def which(self):
        return self._which

    def _set_fields(self):
        return [self._which]


_DEFAULTS = {"s": b"", "i": 0, "f": 0.0, "b": False, "type": 0, "shape": None,
             "tensor": None, "list": None, "func": None}


class NodeDef(_Message):
    _fields = ("name", "op", "input", "device", "attr")

    def __init__(self, name, op, inputs, attrs):
        self.name, self.op, self.input, self.device, self.attr = name, op, inputs, "", attrs


class OpDefSignature(_Message):
    _fields = ("name",)

    def __init__(self, name):
        self.name = name


class FunctionDef(_Message):
    """A sub-graph: its signature (`signature.name`) and its nodes (`node_def`)."""

    _fields = ("signature", "node_def")

    def __init__(self, name, nodes):
        self.signature, self.node_def = OpDefSignature(name), nodes


class FunctionDefLibrary(_Message):
    _fields = ("function",)

    def __init__(self):
        self.function = []


class VersionDef(_Message):
    _fields = ("producer",)

    def __init__(self):
        self.producer = PRODUCER


class GraphDef(_Message):
    """A graph's nodes (`node`), sub-graphs (`library.function`) and `versions`."""

    _fields = ("node", "library", "versions")

    def __init__(self):
        self.node, self.library, self.versions = [], FunctionDefLibrary(), VersionDef()

    def ByteSize(self):  # noqa: N802  (TF's name) the size of the text form, in bytes
        return len(str(self).encode())


# -- from a Graph --------------------------------------------------------------------------------

def graph_def(graph):
    """The GraphDef of `graph` (a Graph or FuncGraph): its ops as NodeDefs, its sub-graphs
    in the library."""
    result = GraphDef()
    names = {}
    result.node = _node_defs(graph, result.library, names)
    return result


def _node_defs(graph, library, names):
    return [_node_def(op, library, names) for op in graph.get_operations()]


def _node_def(op, library, names):
    inputs = [_tensor_name(t) for t in op.inputs] + ["^" + c.name for c in op.control_inputs]
    attrs = {}
    for key, value in op.attrs.items():
        encoded = encode_attr(value, lambda g, key=key: _function_name(
            g, "%s_%s" % (op.name, key), library, names))
        if encoded is not None:
            attrs[key] = encoded
    if op.type == "Const" and "dtype" not in attrs and op.outputs:
        attrs["dtype"] = AttrValue(type=_DataType(op.outputs[0].dtype))
    return NodeDef(op.name, op.type, inputs, attrs)


def _tensor_name(tensor):
    index = tensor.value_index
    return tensor.op.name if index == 0 else "%s:%d" % (tensor.op.name, index)


def _function_name(subgraph, hint, library, names):
    """The library name of a sub-graph (added on first use)."""
    found = names.get(id(subgraph))
    if found is None:
        found = names[id(subgraph)] = "%s_%d" % (hint.replace("/", "_"), len(names))
        library.function.append(None)  # its place, filled after (its nodes may nest more)
        at = len(library.function) - 1
        library.function[at] = FunctionDef(found, _node_defs(subgraph, library, names))
    return found


def encode_attr(value, function_name=None):
    """The AttrValue of one of autotrace's attribute values (None for values that have no
    GraphDef form, e.g. Python callables); `function_name(graph)` names a sub-graph."""
    from .graph import Graph
    if isinstance(value, dtypes.DType):
        return AttrValue(type=_DataType(value))
    if isinstance(value, TensorShape):
        return AttrValue(shape=TensorShapeProto(value))
    if isinstance(value, Graph):
        if function_name is None:
            return None
        return AttrValue(func=NameAttrList(function_name(value)))
    if isinstance(value, (np.ndarray, np.generic)):  # a constant's value
        return AttrValue(tensor=TensorProto(value))
    if isinstance(value, bool):
        return AttrValue(b=bool(value))
    if isinstance(value, int):
        return AttrValue(i=value)
    if isinstance(value, float):
        return AttrValue(f=value)
    if isinstance(value, str):
        return AttrValue(s=value.encode())
    if isinstance(value, bytes):
        return AttrValue(s=value)
    if isinstance(value, (list, tuple)):
        return _list_attr(value, function_name)
    if value is None:
        return None
    return AttrValue(s=repr(value).encode())  # an object: its description


def _list_attr(values, function_name):
    items = [encode_attr(v, function_name) for v in values]
    if any(item is None for item in items):
        return None
    fields = {item.which() for item in items}
    if len(fields) > 1:
        return AttrValue(s=repr(list(values)).encode())
    field = fields.pop() if fields else "i"
    return AttrValue(list=ListValue(**{field: [getattr(item, field) for item in items]}))


# -- the text form ---------------------------------------------------------------------------

def _text_lines(message, depth):
    indent = "  " * depth
    fields = message._set_fields() if hasattr(message, "_set_fields") else message._fields
    for name in fields:
        value = getattr(message, name)
        if name == "attr" and isinstance(value, dict):
            for key in sorted(value):
                yield "%sattr {\n%s  key: %s\n%s  value {\n" % (indent, indent, _quote(key),
                                                                indent)
                yield from _text_lines(value[key], depth + 2)
                yield "%s  }\n%s}\n" % (indent, indent)
            continue
        items = value if isinstance(value, list) else [value]
        for item in items:
            if item is None or (not isinstance(message, AttrValue) and not isinstance(
                    value, list) and not isinstance(item, _Message) and not item):
                continue  # a zero scalar is not written (proto3), but a oneof's value is
            if isinstance(item, _Message):
                yield "%s%s {\n" % (indent, name)
                yield from _text_lines(item, depth + 1)
                yield "%s}\n" % indent
            else:
                yield "%s%s: %s\n" % (indent, name, _scalar_text(item))


def _scalar_text(value):
    if isinstance(value, _DataType):
        return value.name
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, bytes):
        return _quote(value)
    if isinstance(value, str):
        return _quote(value)
    if isinstance(value, float):
        return repr(value) if value == value and abs(value) != float("inf") else \
            ("nan" if value != value else ("inf" if value > 0 else "-inf"))
    return str(value)


def _quote(text):
    if isinstance(text, str):
        text = text.encode()
    out = []
    for byte in text:
        ch = chr(byte)
        if ch in "\"\\":
            out.append("\\" + ch)
        elif ch == "\n":
            out.append("\\n")
        elif 32 <= byte < 127:
            out.append(ch)
        else:
            out.append("\\%03o" % byte)
    return '"%s"' % "".join(out)
