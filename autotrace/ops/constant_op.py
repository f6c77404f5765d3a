"""Constants and conversion of Python/NumPy values to tensors, with TensorFlow's defaults.

Defaults: Python float -> float32; int -> int32 (int64 if it does not fit); bool -> bool;
str/bytes -> string; complex -> complex128; NumPy arrays and scalars keep their dtype.
Conversions to a requested dtype never lose information silently: 1.5 -> int32, 300 -> uint8
and 2**40 -> int32 raise (TensorFlow truncates or wraps some of these).

>>> import autotrace as tf
>>> tf.constant(1).dtype, tf.constant(1.0).dtype, tf.constant(np.arange(3)).dtype
(autotrace.int32, autotrace.float32, autotrace.int64)
"""
import numbers

import numpy as np

from .. import dtypes
from ..context import state
from ..tensor import EagerTensor, SymbolicTensor, Tensor
from ..tensor_shape import TensorShape
from .registry import defop, NO_GRADIENT

__all__ = ["constant", "convert_to_tensor", "to_numpy", "make_const", "adopt_operand",
           "constant_value", "convert_all"]

_INT32_MIN, _INT32_MAX = -2 ** 31, 2 ** 31 - 1
_INT64_MIN, _INT64_MAX = -2 ** 63, 2 ** 63 - 1


# -- the Const op ------------------------------------------------------------------------------

def _const_kernel(value):
    return value


def _const_infer(value):
    return dtypes.dtype_of_value(value), np.shape(value)


CONST = defop("Const", _const_kernel, _const_infer, grad=NO_GRADIENT, inputs=())


def make_const(value, name="Const"):
    """A Const op in the graph being built, holding the NumPy `value`."""
    op = state.graph.create_op(CONST, [], {"value": value}, name)
    return op.outputs[0]


# -- conversion of Python and NumPy values -----------------------------------------------------

def _python_int_dtype(value):
    if _INT32_MIN <= value <= _INT32_MAX:
        return np.int32
    if _INT64_MIN <= value <= _INT64_MAX:
        return np.int64
    raise ValueError("Can't convert Python int %d to a tensor: it does not fit in int64" % value)


def _bytes_array(arr):
    out = np.empty(arr.shape, dtype=object)
    flat_in, flat_out = arr.reshape(-1), out.reshape(-1)
    for i, v in enumerate(flat_in):
        flat_out[i] = v.encode("utf-8") if isinstance(v, str) else bytes(v)
    return out


def _as_string_scalar(value):
    arr = np.empty((), dtype=object)
    arr[()] = value.encode("utf-8") if isinstance(value, str) else bytes(value)
    return arr


def _leaf_kinds(seq, kinds, depth=0):
    """Collect the Python types of the leaves of a nested list (stops at arrays/tensors)."""
    for item in seq:
        if isinstance(item, (list, tuple)):
            _leaf_kinds(item, kinds, depth + 1)
        else:
            kinds.add(type(item))
    return kinds


def _rectangularity_error(value):
    def shape_at(seq, path):
        if not isinstance(seq, (list, tuple)):
            return None
        lengths = [len(s) if isinstance(s, (list, tuple)) else None for s in seq]
        first = lengths[0] if lengths else None
        for i, n in enumerate(lengths):
            if n != first:
                return "element %s has %s, element %s has %s" % (
                    path + [0], _describe_len(first), path + [i], _describe_len(n))
        for i, s in enumerate(seq):
            found = shape_at(s, path + [i])
            if found:
                return found
        return None
    detail = shape_at(value, [])
    return ValueError("Can't convert non-rectangular Python sequence to a tensor%s"
                      % (": " + detail if detail else ""))


def _describe_len(n):
    return "no length (a scalar)" if n is None else "length %d" % n


def _infer_sequence(value):
    try:
        arr = np.array(value)
    except ValueError:
        raise _rectangularity_error(value) from None
    kinds = _leaf_kinds(value, set())
    python_only = all(k in (bool, int, float, complex, str, bytes) for k in kinds)
    kind = arr.dtype.kind
    if kind in "US":
        return _bytes_array(arr)
    if kind == "O":
        if kinds and all(k in (str, bytes) for k in kinds):
            return _bytes_array(arr)
        bad = next((k for k in kinds if k not in (bool, int, float, complex, str, bytes)), None)
        raise TypeError("Can't convert a Python sequence containing %s to a tensor"
                        % (bad.__name__ if bad else "mixed element types"))
    if not python_only:
        return arr
    if kind == "f":
        return arr.astype(np.float32)
    if kind == "i":
        if arr.size == 0 or (arr.min() >= _INT32_MIN and arr.max() <= _INT32_MAX):
            return arr.astype(np.int32)
        return arr
    if kind == "c":
        return arr.astype(np.complex128)
    return arr


def _default_numpy(value):
    """Value -> ndarray (or NumPy scalar) with TensorFlow's default dtype."""
    t = type(value)
    if t is float:
        return np.float32(value)
    if t is bool:
        return np.bool_(value)
    if t is int:
        return _python_int_dtype(value)(value)
    if isinstance(value, np.ndarray):
        if value.dtype.kind in "US":
            return _bytes_array(value)
        return value
    if isinstance(value, np.generic):
        if isinstance(value, (np.str_, np.bytes_)):
            return _as_string_scalar(value)
        return value
    if isinstance(value, (list, tuple)):
        if not value:
            return np.zeros((0,), np.float32)
        return _infer_sequence(value)
    if isinstance(value, (str, bytes)):
        return _as_string_scalar(value)
    if isinstance(value, bool):
        return np.bool_(value)
    if isinstance(value, numbers.Integral):
        return _python_int_dtype(int(value))(int(value))
    if isinstance(value, numbers.Real):
        return np.float32(value)
    if isinstance(value, complex):
        return np.complex128(value)
    if hasattr(value, "__array__"):
        return np.asarray(value)
    raise TypeError("Can't convert %r (of type %s) to a tensor: expected a number, string, "
                    "nested list, NumPy array or tensor" % (value, type(value).__name__))


def _check_lossless(source, result, dtype, original):
    """Raise if converting `source` to `dtype` changed any value."""
    if source.dtype.kind == "O" or result.dtype.kind == "O":
        return
    with np.errstate(invalid="ignore", over="ignore"):
        if source.dtype.kind == "c" and dtype.np.kind != "c":
            ok = not np.any(np.imag(source))
        else:
            ok = np.array_equal(np.asarray(result).astype(source.dtype), source,
                                equal_nan=source.dtype.kind in "fc")
    if not ok:
        raise TypeError("Cannot convert %s to a tensor of dtype %s without changing its value; "
                        "use autotrace.cast to convert deliberately" % (_short(original),
                                                                        dtype.name))


def _short(value):
    text = repr(value)
    return text if len(text) < 60 else text[:57] + "..."


def _kind_mismatch(value, dtype):
    return TypeError("Cannot convert %s to a tensor of dtype %s" % (_short(value), dtype.name))


def to_numpy(value, dtype=None):
    """Convert a Python/NumPy value to an ndarray or NumPy scalar of `dtype` (or the default).

    Raises TypeError when the conversion would change a value (1.5 -> int32) and ValueError
    for ragged sequences.
    """
    if isinstance(value, EagerTensor):
        arr = value._value
    else:
        if dtype is not None:
            fast = _fast_scalar(value, dtype)
            if fast is not None:
                return fast
        arr = _default_numpy(value)
    if dtype is None or dtypes.dtype_of_value(arr) is dtype:
        return arr
    return _convert_checked(arr, dtype, value)


def _fast_scalar(value, dtype):
    t = type(value)
    kind = dtype._kind
    if t is float:
        if kind in "fc":
            return dtype.np.type(value)
        raise _kind_mismatch(value, dtype)
    if t is int:
        if kind in "iu":
            try:
                return dtype.np.type(value)
            except OverflowError:
                raise TypeError("Python int %d does not fit in %s" % (value, dtype.name)) from None
        if kind in "fc":
            return dtype.np.type(value)
        raise _kind_mismatch(value, dtype)
    if t is bool:
        if kind == "b":
            return np.bool_(value)
        raise _kind_mismatch(value, dtype)
    return None


def _convert_checked(arr, dtype, original):
    src_kind, dst_kind = arr.dtype.kind, dtype._kind
    if (src_kind == "O") != (dst_kind == "s"):
        raise _kind_mismatch(original, dtype)
    if dst_kind == "s":
        return arr
    if dst_kind == "b" and src_kind != "b":
        raise _kind_mismatch(original, dtype)
    with np.errstate(invalid="ignore", over="ignore"):
        result = np.asarray(arr).astype(dtype.np)
    if src_kind in "fc" and dst_kind in "fc":
        if np.ndim(arr) == 0:
            return result[()]
        return result  # float precision changes are not value changes (TF allows them)
    _check_lossless(np.asarray(arr), result, dtype, original)
    return result[()] if np.ndim(arr) == 0 else result


# -- public constructors -----------------------------------------------------------------------

def _reshape_to(arr, shape, value):
    shape = TensorShape(shape)
    if not shape.is_fully_defined():
        raise ValueError("constant() needs a fully defined shape, got %s" % shape)
    dims = tuple(shape.as_list())
    if np.ndim(arr) == 0:
        return np.full(dims, arr, dtype=np.asarray(arr).dtype)
    arr = np.asarray(arr)
    if arr.size != shape.num_elements():
        raise TypeError("Eager execution of constant: %s has %d elements, which cannot be "
                        "reshaped to shape %s" % (_short(value), arr.size, shape))
    return arr.reshape(dims)


def constant(value, dtype=None, shape=None, name="Const"):
    """A constant tensor from a Python value, nested list or NumPy array (copied).

    >>> constant([[1, 2], [3, 4]])
    <autotrace.Tensor: shape=(2, 2), dtype=int32, numpy=
    array([[1, 2],
           [3, 4]], dtype=int32)>
    """
    if dtype is not None:
        dtype = dtypes.as_dtype(dtype)
    if isinstance(value, Tensor):
        if isinstance(value, SymbolicTensor):
            raise TypeError("constant() takes a Python or NumPy value, got the symbolic tensor "
                            "%s; use autotrace.identity or convert_to_tensor" % value.name)
        value = value._value
    arr = to_numpy(value, dtype)
    if isinstance(arr, np.ndarray) and (arr is value or arr.base is not None):
        arr = arr.copy()
    if shape is not None:
        arr = _reshape_to(arr, shape, value)
    if state.graph is not None:
        return make_const(arr, name)
    return EagerTensor(arr)


def convert_to_tensor(value, dtype=None, dtype_hint=None, name=None):
    """Convert a tensor, Variable, NumPy array, Python number or nested list to a tensor.

    A tensor of a different dtype than requested is an error (use `cast`), as in TF.
    """
    if isinstance(value, Tensor):
        if dtype is not None and value.dtype is not dtypes.as_dtype(dtype):
            raise ValueError("Tensor conversion requested dtype %s for a tensor with dtype %s: "
                             "%s; use autotrace.cast to change dtypes"
                             % (dtypes.as_dtype(dtype).name, value.dtype.name, _describe(value)))
        return value
    convert = getattr(value, "_as_tensor", None)
    if convert is not None:
        return convert(dtype)
    if dtype is not None:
        dtype = dtypes.as_dtype(dtype)
    elif dtype_hint is not None:
        try:
            arr = to_numpy(value, dtypes.as_dtype(dtype_hint))
        except (TypeError, ValueError):
            arr = to_numpy(value)
        return _wrap(arr, name)
    return _wrap(to_numpy(value, dtype), name)


def _wrap(arr, name):
    if state.graph is not None:
        return make_const(arr, name or "Const")
    return EagerTensor(arr)


def _describe(t):
    if isinstance(t, SymbolicTensor):
        return t.name
    return "%s%s" % (t.dtype.name, t.shape.short())


def convert_all(values, dtype=None):
    return [convert_to_tensor(v, dtype) for v in values]


def adopt_operand(value, dtype):
    """The non-tensor operand of a binary op takes the tensor operand's dtype (TF's rule):
    `x + 2` with float32 `x` adds a float32 2. Returns a tensor."""
    if isinstance(value, Tensor):
        return value
    convert = getattr(value, "_as_tensor", None)
    if convert is not None:
        return convert(None)
    fast = _fast_scalar(value, dtype)
    if fast is None:
        fast = to_numpy(value, dtype)
    if state.graph is not None:
        return make_const(fast if not isinstance(fast, np.ndarray) else fast.copy())
    return EagerTensor(fast)


def constant_value(tensor):
    """The NumPy value of a tensor if it is known without running a graph, else None."""
    if isinstance(tensor, EagerTensor):
        return tensor._value
    if not isinstance(tensor, SymbolicTensor):
        try:
            return to_numpy(tensor)
        except (TypeError, ValueError):
            return None
    op = tensor.op
    if op.type == "Const":
        return op.attrs["value"]
    if op.type == "Shape" and op.inputs[0].shape.is_fully_defined():
        return np.array(op.inputs[0].shape.as_list(), dtype=op.outputs[0].dtype.np)
    if op.type == "Identity":
        return constant_value(op.inputs[0])
    if op.type == "Pack":
        parts = [constant_value(t) for t in op.inputs]
        if all(p is not None for p in parts):
            return np.stack(parts, axis=op.attrs.get("axis", 0))
    return None
