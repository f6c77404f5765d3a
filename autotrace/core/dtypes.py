"""Data types: one `DType` object per element type, with TensorFlow's names and defaults.

>>> import autotrace as tf
>>> tf.float32.is_floating, tf.int32.size, tf.as_dtype("int64")
(True, 4, tf.int64)
"""
import builtins

import numpy as np

__all__ = ["DType", "as_dtype", "dtype_of_value"]


class DType:
    """An element type. Instances are singletons: compare with `==` or `is`."""

    __slots__ = ("name", "np", "_kind")

    def __init__(self, name, np_dtype, kind):
        self.name = name
        self.np = np.dtype(np_dtype)
        self._kind = kind  # 'f' float, 'i' signed int, 'u' unsigned, 'b' bool, 'c' complex, 's' string

    @property
    def as_datatype_enum(self):
        """TensorFlow's DataType enum number (`tf.float32.as_datatype_enum == 1`)."""
        return DATATYPE_ENUM[self.name][0]

    @property
    def as_numpy_dtype(self):
        """The NumPy scalar type (`np.float32`; `object` for strings)."""
        return object if self.np.kind == "O" else self.np.type

    @property
    def is_floating(self):
        return self._kind == "f"

    @property
    def is_integer(self):
        return self._kind in "iu"

    @property
    def is_unsigned(self):
        return self._kind == "u"

    @property
    def is_bool(self):
        return self._kind == "b"

    @property
    def is_complex(self):
        return self._kind == "c"

    @property
    def is_numeric(self):
        return self._kind in "fiuc"

    @property
    def is_string(self):
        return self._kind == "s"

    @property
    def size(self):
        """Bytes per element (as TF: 1 for bool; 0 for string, whose size varies)."""
        return 0 if self._kind in "srv" else self.np.itemsize

    @property
    def min(self):
        return _limits(self)[0]

    @property
    def max(self):
        return _limits(self)[1]

    @property
    def base_dtype(self):
        return self

    @property
    def real_dtype(self):
        return {"complex64": float32, "complex128": float64}.get(self.name, self)

    def is_compatible_with(self, other):
        return self is as_dtype(other)

    def __repr__(self):
        return "tf." + self.name

    def __str__(self):
        return "<dtype: %r>" % self.name

    def __reduce__(self):
        return (as_dtype, (self.name,))

    def __eq__(self, other):
        if other is self:
            return True
        try:
            return as_dtype(other) is self
        except TypeError:
            return False

    def __ne__(self, other):
        return not self.__eq__(other)

    def __hash__(self):
        return hash(self.name)


def _limits(dtype):
    if dtype.is_floating:
        info = np.finfo(dtype.np)
        return float(info.min), float(info.max)
    if dtype.is_integer:
        info = np.iinfo(dtype.np)
        return int(info.min), int(info.max)
    raise TypeError("dtype %s has no minimum or maximum value (only integer and floating-point "
                    "dtypes do)" % dtype.name)


float16 = DType("float16", np.float16, "f")
float32 = DType("float32", np.float32, "f")
float64 = DType("float64", np.float64, "f")
int8 = DType("int8", np.int8, "i")
int16 = DType("int16", np.int16, "i")
int32 = DType("int32", np.int32, "i")
int64 = DType("int64", np.int64, "i")
uint8 = DType("uint8", np.uint8, "u")
uint16 = DType("uint16", np.uint16, "u")
uint32 = DType("uint32", np.uint32, "u")
uint64 = DType("uint64", np.uint64, "u")
bool = DType("bool", np.bool_, "b")  # noqa: A001 - TensorFlow's public name
complex64 = DType("complex64", np.complex64, "c")
complex128 = DType("complex128", np.complex128, "c")
string = DType("string", object, "s")
resource = DType("resource", object, "r")  # variable handles
variant = DType("variant", object, "v")    # opaque values (TensorArray state)

half, double = float16, float64

ALL_DTYPES = (float16, float32, float64, int8, int16, int32, int64, uint8, uint16, uint32,
              uint64, bool, complex64, complex128, string)

_BY_NAME = {d.name: d for d in ALL_DTYPES}
_BY_NAME.update(half=float16, double=float64, float=float32, int=int32, str=string,
                bytes=string, object=string)
# NumPy dtypes hash and compare by value; this table is the hot path of eager ops.
_BY_NUMPY = {d.np: d for d in ALL_DTYPES}
_BY_NUMPY.update({np.dtype("U"): string, np.dtype("S"): string})
_BY_NAME.update(resource=resource, variant=variant)


# TensorFlow's DataType enum (GraphDef attributes): the number and the DT_ name of each dtype.
DATATYPE_ENUM = {"float32": (1, "DT_FLOAT"), "float64": (2, "DT_DOUBLE"),
                 "int32": (3, "DT_INT32"), "uint8": (4, "DT_UINT8"), "int16": (5, "DT_INT16"),
                 "int8": (6, "DT_INT8"), "string": (7, "DT_STRING"),
                 "complex64": (8, "DT_COMPLEX64"), "int64": (9, "DT_INT64"),
                 "bool": (10, "DT_BOOL"), "bfloat16": (14, "DT_BFLOAT16"),
                 "uint16": (17, "DT_UINT16"), "complex128": (18, "DT_COMPLEX128"),
                 "float16": (19, "DT_HALF"), "resource": (20, "DT_RESOURCE"),
                 "variant": (21, "DT_VARIANT"), "uint32": (22, "DT_UINT32"),
                 "uint64": (23, "DT_UINT64")}
_BY_ENUM = {number: name for name, (number, _) in DATATYPE_ENUM.items()}


class OpaqueMarker:
    """The `.dtype` of values that are not arrays (variable handles, TensorArray states)."""

    __slots__ = ("dtype",)

    def __init__(self, dtype):
        self.dtype = dtype

    def __repr__(self):
        return "<opaque %s>" % self.dtype.name


RESOURCE_MARKER = OpaqueMarker(resource)
VARIANT_MARKER = OpaqueMarker(variant)
_BY_NUMPY[RESOURCE_MARKER] = resource
_BY_NUMPY[VARIANT_MARKER] = variant
_PYTHON_TYPES = {float: float32, int: int32, builtins.bool: bool, str: string, bytes: string,
                 complex: complex128}


def as_dtype(value):
    """Converts a DType, NumPy dtype or type, Python type or name into a `DType`.

    >>> as_dtype(np.float64), as_dtype("float32"), as_dtype(float)
    (tf.float64, tf.float32, tf.float32)
    """
    if isinstance(value, DType):
        return value
    if isinstance(value, str):
        if value in _BY_NAME:
            return _BY_NAME[value]
        raise TypeError("Unknown dtype name %r; expected one of: %s"
                        % (value, ", ".join(d.name for d in ALL_DTYPES)))
    if isinstance(value, type) and value in _PYTHON_TYPES:
        return _PYTHON_TYPES[value]
    if isinstance(value, int) and not isinstance(value, builtins.bool) and value in _BY_ENUM:
        return as_dtype(_BY_ENUM[value])  # TF's DataType enum (a GraphDef attribute)
    if value is None:  # np.dtype(None) would be float64
        raise TypeError("Cannot interpret None as a dtype")
    try:
        np_dtype = np.dtype(value)
    except (TypeError, ValueError):
        raise TypeError("Cannot interpret %r as a dtype" % (value,)) from None
    found = _BY_NUMPY.get(np_dtype)
    if found is None:
        if np_dtype.kind in "USO":
            return string
        raise TypeError("NumPy dtype %s has no autotrace equivalent" % np_dtype)
    return found


def dtype_of_value(array):
    """The DType of an ndarray or NumPy scalar (strings are object arrays of bytes)."""
    found = _BY_NUMPY.get(array.dtype)
    if found is None:
        return as_dtype(array.dtype)
    return found
