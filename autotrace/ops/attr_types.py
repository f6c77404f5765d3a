"""How the attribute classes of the ops are written as JSON (see autotrace.core.attr_codec): one
row per class, with its tag, encoder and decoder. Importing this module registers them.

Sub-graphs (cond branches, loop bodies) are references into a table of graphs kept by the
codec (`codec.reference("graph", g)` / `codec.resolve("graph", ref)`)."""
from ..core import attr_codec
from ..core.attr_codec import AttrFormatError, decode_dtype, decode_shape, encode_shape, expect, \
    expect_keys, short
from ..core.graph import Graph
from .index_ops import SliceSpec, _Dyn
from .logging_ops import _TENSOR_SLOT, _TEXT_SLOT, _TensorSlot, _TextSlot
from .string_ops import _Pattern
from .tensor_list import TensorList


def _decode_slice_spec(payload, codec):
    expect(payload, list, "a StridedSlice spec")
    items = [codec.decode(x) for x in payload]
    for item in items:
        if not (item is None or item is Ellipsis or type(item) in (int, _Dyn, slice)):
            raise AttrFormatError("a StridedSlice spec holds ints, slices, null, ellipsis and "
                                  "dynamic indices, got %s" % short(item))
    return SliceSpec(items)


def _decode_dyn(payload, codec):
    if type(payload) is not int or payload < 0:
        raise AttrFormatError("a dynamic index is an int >= 0, got %s" % short(payload))
    return _Dyn(payload)


def _decode_pattern(payload, codec):
    expect(payload, str, "a pattern")
    return _Pattern(payload)


def _decode_tensor_slot(payload, codec):
    if payload is not None:
        raise AttrFormatError("'tensor_slot' holds null, got %s" % short(payload))
    return _TENSOR_SLOT


def _decode_text_slot(payload, codec):
    if payload is not None:
        raise AttrFormatError("'text_slot' holds null, got %s" % short(payload))
    return _TEXT_SLOT


def _encode_tensor_list(tl, codec):
    return {"items": [None if x is None else codec.encode(x) for x in tl.items],
            "element_dtype": None if tl.element_dtype is None else tl.element_dtype.name,
            "element_shape": None if tl.element_shape is None else
            encode_shape(tl.element_shape),
            "dynamic_size": tl.dynamic_size, "infer_shape": tl.infer_shape}


def _decode_tensor_list(payload, codec):
    expect(payload, dict, "a TensorList")
    expect_keys(payload, {"items", "element_dtype", "element_shape", "dynamic_size",
                          "infer_shape"}, set(), "a TensorList")
    expect(payload["items"], list, "a TensorList's items")
    items = tuple(None if x is None else codec.decode(x) for x in payload["items"])
    for item in items:
        if item is not None and not hasattr(item, "dtype"):
            raise AttrFormatError("a TensorList holds tensors, got %s" % short(item))
    dtype = payload["element_dtype"]
    flags = payload["dynamic_size"], payload["infer_shape"]
    if any(type(f) is not bool for f in flags):
        raise AttrFormatError("a TensorList's dynamic_size and infer_shape are booleans")
    return TensorList(items, None if dtype is None else decode_dtype(dtype),
                      decode_shape(payload["element_shape"], "a TensorList's element_shape"),
                      *flags)


ATTRIBUTE_TYPES = [
    # tag, class, encode(value, codec), decode(payload, codec)
    ("graph", Graph, lambda g, c: c.reference("graph", g),
     lambda p, c: c.resolve("graph", p)),
    ("slice_spec", SliceSpec, lambda s, c: [c.encode(x) for x in s], _decode_slice_spec),
    ("dynamic_index", _Dyn, lambda d, c: d.index, _decode_dyn),
    ("pattern", _Pattern, lambda p, c: str(p), _decode_pattern),
    ("tensor_slot", _TensorSlot, lambda t, c: None, _decode_tensor_slot),
    ("text_slot", _TextSlot, lambda t, c: None, _decode_text_slot),
    ("tensor_list", TensorList, _encode_tensor_list, _decode_tensor_list),
]

for _row in ATTRIBUTE_TYPES:
    attr_codec.register(*_row)
