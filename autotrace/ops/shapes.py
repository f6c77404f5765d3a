"""Shape and dtype rules shared by op declarations (broadcasting, axes, dtype checks)."""
from .. import dtypes
from ..errors import DTypeMismatchError, InvalidArgumentError, InvalidShapeError
from ..tensor_shape import TensorShape

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

_KIND_WORDS = {"f": "floating", "c": "complex", "i": "signed integer", "u": "unsigned integer",
               "b": "bool", "s": "string"}


def check_dtype(op_type, x, kinds, arg="x"):
    """Raise a clear error if tensor `x` has a dtype the op does not accept."""
    dtype = x.dtype
    if dtype._kind not in kinds:
        allowed = " or ".join(sorted({_KIND_WORDS[k] for k in kinds}))
        hint = ""
        if "f" in kinds and dtype.is_integer:
            hint = "; cast it first: autotrace.cast(%s, autotrace.float32)" % arg
        raise DTypeMismatchError("%s does not accept %s input %s (expected %s)%s"
                                 % (op_type, dtype.name, arg, allowed, hint))
    return dtype


def check_same_dtype(op_type, tensors, names):
    first = tensors[0].dtype
    for t, name in zip(tensors[1:], names[1:]):
        if t.dtype is not first:
            raise DTypeMismatchError(
                "%s: input %s has dtype %s but input %s has dtype %s; autotrace does not "
                "promote dtypes (as TensorFlow): cast one of them first, e.g. "
                "autotrace.cast(%s, autotrace.%s)"
                % (op_type, names[0], first.name, name, t.dtype.name, name, first.name))
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
            raise InvalidShapeError("%s: shapes %s and %s cannot be broadcast together "
                                    "(dimension %d vs %d)" % (op_type, a, b, x, y))
    return TensorShape._known(tuple(out))


def normalize_axis(op_type, axis, rank, arg="axis"):
    """A possibly negative axis as a non-negative int; error if out of range."""
    if rank is None:
        return axis
    try:
        axis = int(axis)
    except TypeError:
        raise InvalidArgumentError("%s: %s must be an int, got %r" % (op_type, arg, axis)) \
            from None
    if not -rank <= axis < max(rank, 1) or (rank == 0 and axis not in (0, -1)):
        raise InvalidArgumentError("%s: %s %d is out of range for a tensor of rank %d "
                                   "(valid: %d to %d)" % (op_type, arg, axis, rank, -rank,
                                                           rank - 1))
    return axis % rank if rank else 0


def normalize_axes(op_type, axis, rank):
    """None (all axes), an int or a list of ints -> tuple of non-negative ints (or None)."""
    if axis is None:
        return None
    if isinstance(axis, (list, tuple)):
        axes = tuple(normalize_axis(op_type, a, rank) for a in axis)
    else:
        axes = (normalize_axis(op_type, axis, rank),)
    if rank is not None and len(set(axes)) != len(axes):
        raise InvalidArgumentError("%s: axis %r names a dimension twice" % (op_type, axis))
    return axes


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
