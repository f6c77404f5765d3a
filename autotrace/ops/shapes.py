"""Shape and dtype rules shared by op declarations (broadcasting, axes, dtype checks)."""
from ..core import dtypes
from ..core.errors import DTypeMismatchError, InvalidArgumentError, InvalidShapeError
from ..core.tensor_shape import TensorShape
from . import arguments

__all__ = ["broadcast_shapes", "normalize_axis", "normalize_axes", "reduced_shape",
           "check_same_dtype", "check_dtype", "FLOAT", "INT", "NUMERIC", "REAL", "ANY",
           "BOOL", "same_as_input"]

# Families of dtype kinds an op accepts (DType._kind letters).
FLOAT = "fc"
REAL = "fiu"
INT = "iu"
NUMERIC = "fiuc"
BOOL = "b"
ANY = "fiucbs"

def describe_kinds(kinds):
    """'a numeric tensor', 'a floating-point or complex tensor', 'an integer tensor', ..."""
    kinds = set(kinds)
    words = []
    if set("fiuc") <= kinds:
        words.append("numeric")
    else:
        if "f" in kinds:
            words.append("floating-point")
        if "i" in kinds and "u" in kinds:
            words.append("integer")
        elif "i" in kinds:
            words.append("signed integer")
        elif "u" in kinds:
            words.append("unsigned integer")
        if "c" in kinds:
            words.append("complex")
    if "b" in kinds:
        words.append("bool")
    if "s" in kinds:
        words.append("string")
    text = words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]
    return ("an " if text[0] in "aeiou" else "a ") + text + " tensor"


def _cast_hint(dtype, kinds, arg):
    """What to cast a tensor of `dtype` to so that an op accepting `kinds` takes it."""
    if "f" in kinds and (dtype.is_integer or dtype.is_bool):
        target = "float32"
    elif "i" in kinds and (dtype.is_bool or dtype.is_floating):
        target = "int32"
    elif kinds == BOOL and dtype.is_numeric:
        return ("; compare it instead, e.g. %s != 0, or cast it: autotrace.cast(%s, "
                "autotrace.bool)" % (arg, arg))
    else:
        return ""
    return "; cast it first, e.g. autotrace.cast(%s, autotrace.%s)" % (arg, target)


def check_dtype(op_type, x, kinds, arg="x"):
    """Raise a clear error if tensor `x` has a dtype the op does not accept."""
    dtype = x.dtype
    if dtype._kind not in kinds:
        raise DTypeMismatchError("%s: %s has dtype %s (shape %s), but %s needs %s%s"
                                 % (op_type, arg, dtype.name, x.shape, op_type,
                                    describe_kinds(kinds), _cast_hint(dtype, kinds, arg)))
    return dtype


def check_same_dtype(op_type, tensors, names):
    first = tensors[0].dtype
    for t, name in zip(tensors[1:], names[1:]):
        if t.dtype is not first:
            raise DTypeMismatchError(
                "%s: %s has dtype %s but %s has dtype %s (shapes %s and %s). autotrace, like "
                "TensorFlow, never converts dtypes implicitly: cast one of them first, e.g. "
                "autotrace.cast(%s, autotrace.%s)"
                % (op_type, names[0], first.name, name, t.dtype.name, tensors[0].shape,
                   t.shape, name, first.name))
    return first


def broadcast_shapes(op_type, a, b):
    """NumPy broadcasting of two TensorShapes, with None for unknown dimensions."""
    a, b = TensorShape(a), TensorShape(b)
    if a.rank is None or b.rank is None:
        return TensorShape(None)
    da, db = a.as_tuple(), b.as_tuple()
    n = max(len(da), len(db))
    da = (1,) * (n - len(da)) + da
    db = (1,) * (n - len(db)) + db
    out = []
    for x, y in zip(da, db):
        if x == y:
            out.append(x)
        elif x == 1:
            out.append(y)
        elif y == 1:
            out.append(x)
        elif x is None:
            out.append(y)
        elif y is None:
            out.append(x)
        else:
            raise InvalidShapeError("%s: shapes %s and %s cannot be broadcast together: "
                                    "dimension %d vs %d (aligned from the right, each pair "
                                    "of dimensions must be equal or one of them 1)"
                                    % (op_type, a, b, x, y))
    return TensorShape._known(tuple(out))


def normalize_axis(op_type, axis, rank, arg="axis"):
    """A possibly negative axis as a non-negative int; error if out of range (see
    arguments.axis)."""
    return arguments.axis(op_type, arg, axis, rank)


def normalize_axes(op_type, axis, rank):
    """None (all axes), an int or a list of ints -> tuple of non-negative ints (or None)."""
    return arguments.axes(op_type, "axis", axis, rank)


def reduced_shape(shape, axes, keepdims):
    """Static shape after reducing `axes` (None = all)."""
    if shape.rank is None:
        return TensorShape(None)
    dims = shape.as_tuple()
    if axes is None:
        return TensorShape._known((1,) * len(dims) if keepdims else ())
    if keepdims:
        return TensorShape._known(tuple(1 if i in axes else d for i, d in enumerate(dims)))
    return TensorShape._known(tuple(d for i, d in enumerate(dims) if i not in axes))


def same_as_input(x, **attrs):
    return x.dtype, x.shape


def bool_dtype():
    return dtypes.bool
