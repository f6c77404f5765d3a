"""Constants and conversion of Python/NumPy values to tensors, with TensorFlow's defaults.

Defaults: Python float -> float32; int -> int32 (int64 if it does not fit); bool -> bool;
str/bytes -> string; complex -> complex128; NumPy arrays and scalars keep their dtype.
Conversions to a requested dtype never lose information silently: 1.5 -> int32, 300 -> uint8
and 2**40 -> int32 raise (TensorFlow truncates or wraps some of these).

>>> import autotrace as tf
>>> tf.constant(1).dtype, tf.constant(1.0).dtype, tf.constant(np.arange(3)).dtype
(tf.int32, tf.float32, tf.int64)
"""
import builtins
import numbers

import numpy as np

from ..core import dtypes
from ..core.context import state
from ..core.tensor import EagerTensor, SymbolicTensor, Tensor
from ..core.tensor_shape import TensorShape
from .registry import defop, NO_GRADIENT

__all__ = ["constant", "convert_to_tensor", "to_numpy", "make_const", "adopt_operand",
           "constant_value", "convert_all", "ConversionError", "has_tensor"]

_INT32_MIN, _INT32_MAX = -2 ** 31, 2 ** 31 - 1
_INT64_MIN, _INT64_MAX = -2 ** 63, 2 ** 63 - 1


# -- the Const op ------------------------------------------------------------------------------

def _const_kernel(value):
    return value


def _const_infer(value):
    return dtypes.dtype_of_value(value), np.shape(value)


CONST = defop("Const", _const_kernel, _const_infer, grad=NO_GRADIENT, inputs=())


def make_const(value, name="Const", operand=False):
    """A Const op in the graph being built, holding the NumPy `value`. An `operand` (a Python
    value converted for an op) is renamed after its consumer when that op is made: `pow/y`
    for the 2 of `x ** 2`, as TensorFlow names it."""
    op = state.graph.create_op(CONST, [], {"value": value}, name)
    if operand:
        state.graph.mark_operand(op)
    return op.outputs[0]


# -- conversion of Python and NumPy values -----------------------------------------------------

class ConversionError(TypeError):
    """`value` cannot become a tensor of `dtype`; `reason` says why (e.g. 'it is not a whole
    number'). Binary ops catch it to explain the failure in terms of their operands."""

    def __init__(self, value, dtype, reason, lossy=True):
        self.value, self.dtype, self.reason = value, dtype, reason
        if lossy:
            text = ("Cannot convert %s to a tensor of dtype %s without changing its value: %s. "
                    "Use autotrace.cast to convert deliberately" % (_short(value), dtype.name,
                                                                     reason))
        else:
            text = "Cannot convert %s to a tensor of dtype %s: %s" % (_short(value), dtype.name,
                                                                      reason)
        super().__init__(text)


def _python_int_dtype(value):
    if _INT32_MIN <= value <= _INT32_MAX:
        return np.int32
    if _INT64_MIN <= value <= _INT64_MAX:
        return np.int64
    raise ValueError("Can't convert Python int %d to a tensor: it does not fit in int64 (%d to "
                     "%d)" % (value, _INT64_MIN, _INT64_MAX))


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


def _leaves(seq, out):
    """The leaves of a nested list/tuple (stops at arrays and tensors)."""
    for item in seq:
        if isinstance(item, (list, tuple)):
            _leaves(item, out)
        else:
            out.append(item)
    return out


def has_tensor(value):
    """True if a nested list/tuple holds a tensor (or a Variable) anywhere."""
    for item in value:
        if isinstance(item, (list, tuple)):
            if has_tensor(item):
                return True
        elif isinstance(item, Tensor) or hasattr(item, "_as_tensor"):
            return True
    return False


def _rectangularity_error(value):
    def name(path):
        return "value" + "".join("[%d]" % i for i in path)

    def shape_at(seq, path):
        if not isinstance(seq, (list, tuple)):
            return None
        lengths = [len(s) if isinstance(s, (list, tuple)) else None for s in seq]
        first = lengths[0] if lengths else None
        for i, n in enumerate(lengths):
            if n != first:
                return "%s has %s but %s has %s" % (
                    name(path + [0]), _describe_len(first), name(path + [i]), _describe_len(n))
        for i, s in enumerate(seq):
            found = shape_at(s, path + [i])
            if found:
                return found
        return None
    detail = shape_at(value, [])
    return ValueError("Can't convert a non-rectangular Python sequence to a tensor%s. Nested "
                      "lists at the same depth must all have the same length"
                      % (": " + detail if detail else ""))


def _describe_len(n):
    return "no length (it is a scalar)" if n is None else "length %d" % n


_NUMBER_TYPES = (bool, int, float, complex)
_STRING_TYPES = (str, bytes)


def _mixed_error(value, a, b):
    if a is bool or b is bool:
        hint = "write 1/0 (or 1.0/0.0) for True/False, or cast after building the tensor"
    else:
        hint = "strings and numbers cannot share a tensor"
    return ValueError("Can't convert a Python sequence that mixes %s and %s values to a tensor: "
                      "%s; %s" % (a.__name__, b.__name__, _short(value), hint))


def _infer_sequence(value):
    leaves = _leaves(value, [])
    kinds = {type(v) for v in leaves}
    python_only = all(k in _NUMBER_TYPES or k in _STRING_TYPES for k in kinds)
    if python_only and kinds:
        strings = [k for k in kinds if k in _STRING_TYPES]
        if strings and len(strings) != len(kinds):
            other = next(k for k in kinds if k not in _STRING_TYPES)
            raise _mixed_error(value, strings[0], other)
        if bool in kinds and len(kinds) > 1:
            raise _mixed_error(value, bool, next(k for k in kinds if k is not bool))
        if kinds == {int}:  # TF: int32, or int64 if some value does not fit int32
            lo, hi = min(leaves), max(leaves)
            np_type = np.int64 if lo < _INT32_MIN or hi > _INT32_MAX else np.int32
            if lo < _INT64_MIN or hi > _INT64_MAX:
                _python_int_dtype(lo if lo < _INT64_MIN else hi)  # raises, naming the value
            try:
                return np.array(value, dtype=np_type)
            except ValueError:
                raise _rectangularity_error(value) from None
    try:
        arr = np.array(value)
    except (ValueError, OverflowError):
        raise _rectangularity_error(value) from None
    kind = arr.dtype.kind
    if kind in "US":
        return _bytes_array(arr)
    if kind == "O":
        if kinds and all(k in _STRING_TYPES for k in kinds):
            return _bytes_array(arr)
        if all(k in _NUMBER_TYPES for k in kinds):  # huge ints, e.g. 2**64
            _python_int_dtype(max((v for v in leaves if type(v) is int), key=builtins.abs))
        bad = next((k for k in kinds if k not in _NUMBER_TYPES and k not in _STRING_TYPES),
                   None)
        raise TypeError("Can't convert a Python sequence containing %s to a tensor: %s; "
                        "expected numbers, strings, NumPy arrays or tensors"
                        % ("a value of type " + bad.__name__ if bad else "mixed element types",
                           _short(value)))
    if not python_only:
        return arr
    if kind == "f":
        with np.errstate(over="ignore"):  # 1e300 -> inf, as TensorFlow
            return arr.astype(np.float32)
    if kind == "c":
        return arr.astype(np.complex128)
    return arr


def _default_numpy(value):
    """Value -> ndarray (or NumPy scalar) with TensorFlow's default dtype."""
    t = type(value)
    if t is float:
        with np.errstate(over="ignore"):
            return np.float32(value)
    if t is bool:
        return np.bool_(value)
    if t is int:
        return _python_int_dtype(value)(value)
    if isinstance(value, np.ndarray):
        if t is not np.ndarray:  # np.matrix, masked arrays: keep the plain array
            value = np.asarray(value)
        if value.dtype.kind in "US":
            return _bytes_array(value)
        dtypes.dtype_of_value(value)  # raises for dtypes autotrace does not have
        return value
    if isinstance(value, np.generic):
        if isinstance(value, (np.str_, np.bytes_)):
            return _as_string_scalar(value)
        dtypes.dtype_of_value(value)
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
    if hasattr(value, "__array__") and not isinstance(value, Tensor):
        return _default_numpy(np.asarray(value))
    raise TypeError("Can't convert %s (of type %s) to a tensor: expected a number, string, "
                    "nested list, NumPy array or tensor" % (_short(value), type(value).__name__))


def _value_change(source, result, dtype):
    """Why converting the array `source` to `dtype` (giving `result`) changed a value, or
    None if no value changed."""
    src_kind = source.dtype.kind
    with np.errstate(invalid="ignore", over="ignore"):
        if src_kind == "c" and dtype._kind != "c":
            bad = np.imag(source) != 0
            back = np.asarray(result).astype(np.real(source).dtype)
            bad = bad | (back != np.real(source))
        else:
            bad = np.asarray(result).astype(source.dtype) != source
        if src_kind in "fc" and dtype._kind in "iub":
            bad = bad | ~np.isfinite(source)
    if not np.any(bad):
        return None
    where = tuple(int(i) for i in np.argwhere(bad)[0]) if np.ndim(bad) else ()
    element = source[where].item() if where else np.asarray(source)[()].item()
    if src_kind == "c" and element.imag != 0 and dtype._kind != "c":
        why = "has a nonzero imaginary part"
    elif dtype._kind == "b":
        why = "is neither 0 nor 1"
    elif isinstance(element, float) and not np.isfinite(element):
        why = "is not a finite number"
    elif dtype._kind in "iu" and not dtype.min <= np.real(element) <= dtype.max:
        why = "is outside the range of %s (%d to %d)" % (dtype.name, dtype.min, dtype.max)
    else:
        why = "is not a whole number"
    if not where:
        return "it " + why
    return "element %s is %r, which %s" % (list(where), element, why)


def _short(value):
    text = repr(value)
    return text if len(text) < 60 else text[:57] + "..."


def _kind_mismatch(value, dtype):
    if dtype.is_string:
        reason = "only str and bytes values convert to a string tensor"
    elif isinstance(value, (str, bytes)) or (isinstance(value, np.ndarray) and
                                             value.dtype.kind in "OUS"):
        reason = "strings do not convert to numbers (see autotrace.strings.to_number)"
    elif dtype.is_bool:
        reason = ("only bool values convert to bool (as in TensorFlow); compare instead, e.g. "
                  "x != 0")
    elif dtype.is_integer:
        reason = "a Python float never converts to an integer dtype (as in TensorFlow)"
    else:
        reason = "a Python complex never converts to a real dtype (as in TensorFlow)"
    return ConversionError(value, dtype, reason, lossy=False)


def to_numpy(value, dtype=None):
    """Convert a Python/NumPy value to an ndarray or NumPy scalar of `dtype` (or the default).

    Raises ConversionError (a TypeError) when the conversion would change a value
    (1.5 -> int32, 300 -> uint8) and ValueError for ragged sequences.
    """
    if isinstance(value, EagerTensor):
        arr = value._value
    else:
        if dtype is not None:
            fast = _fast_scalar(value, dtype)
            if fast is not None:
                return fast
        if isinstance(value, (list, tuple)) and has_tensor(value):
            if state.graph is not None:
                raise TypeError("A list holding tensors has no NumPy value while a graph is "
                                "being built; use autotrace.convert_to_tensor or autotrace.stack")
            return _pack_nested(value, dtype)._value
        arr = _default_numpy(value)
    if dtype is None or dtypes.dtype_of_value(arr) is dtype:
        return arr
    return _convert_checked(arr, dtype, value)


def _fast_scalar(value, dtype):
    """A Python bool/int/float as a NumPy scalar of `dtype`, or None for other values."""
    t = type(value)
    if t is float:
        if dtype._kind in "fc":
            return dtype.np.type(value)
    elif t is int:
        kind = dtype._kind
        if kind in "iu":
            try:
                return dtype.np.type(value)
            except OverflowError:
                raise ConversionError(value, dtype, "it is outside the range of %s (%d to %d)"
                                      % (dtype.name, dtype.min, dtype.max)) from None
        if kind in "fc":
            try:
                return dtype.np.type(value)
            except OverflowError:
                raise ConversionError(value, dtype, "it is too large for %s" % dtype.name) \
                    from None
    elif t is bool:
        if dtype._kind in "bfiuc":
            return dtype.np.type(value)
    else:
        return None
    return _convert_checked(_default_numpy(value), dtype, value)  # raises, saying why


def _convert_checked(arr, dtype, original):
    """`arr` (an ndarray or NumPy scalar) as `dtype`, or ConversionError if a value would
    change. Python values follow TensorFlow's stricter rules: a float never becomes an
    integer, an int never a bool, a complex never a real number."""
    src_kind, dst_kind = arr.dtype.kind, dtype._kind
    if np.size(arr) == 0 and not isinstance(original, (np.ndarray, np.generic, Tensor)):
        return np.empty(np.shape(arr), dtype.np)  # `[]` has no values to be of a kind
    if (src_kind == "O") != (dst_kind == "s"):
        raise _kind_mismatch(original, dtype)
    if dst_kind == "s":
        return arr
    with np.errstate(invalid="ignore", over="ignore"):
        if src_kind == "c" and dst_kind != "c":
            result = np.real(arr).astype(dtype.np)
        else:
            result = np.asarray(arr).astype(dtype.np)
    if dst_kind in "iub" or (src_kind == "c" and dst_kind != "c"):
        # Precision changes between floating dtypes (and int -> float rounding) are allowed
        # (TensorFlow allows them); anything else must keep every value.
        if src_kind != "b" or dst_kind != "b":
            why = _value_change(np.asarray(arr), result, dtype)
            if why is not None:
                raise ConversionError(original, dtype, why)
    python_value = not isinstance(original, (np.ndarray, np.generic, Tensor))
    if python_value and ((src_kind == "f" and dst_kind in "iub") or
                         (src_kind == "c" and dst_kind != "c") or
                         (src_kind in "iu" and dst_kind == "b")):
        raise _kind_mismatch(original, dtype)
    return result[()] if np.ndim(arr) == 0 else result


def _pack_nested(value, dtype, name=None):
    """A nested list holding tensors, stacked into one tensor (TF's auto-packing). Python
    values take the dtype of the first tensor found, as a binary op's operand would."""
    from .array_ops import stack
    if dtype is None:
        dtype = _first_tensor_dtype(value)
    parts = [_pack_nested(v, dtype) if isinstance(v, (list, tuple)) and has_tensor(v)
             else convert_to_tensor(v, dtype) for v in value]
    return stack(parts, name=name or "packed")


def _first_tensor_dtype(value):
    for item in value:
        if isinstance(item, (list, tuple)):
            found = _first_tensor_dtype(item)
            if found is not None:
                return found
        elif isinstance(item, Tensor) or hasattr(item, "_as_tensor"):
            return dtypes.as_dtype(item.dtype)
    return None


# -- public constructors -----------------------------------------------------------------------

def _reshape_to(arr, shape, value):
    shape = TensorShape(shape)
    if not shape.is_fully_defined():
        raise ValueError("constant: shape must be fully defined, got %s" % shape)
    dims = tuple(shape.as_list())
    if np.ndim(arr) == 0:
        return np.full(dims, arr, dtype=np.asarray(arr).dtype)
    arr = np.asarray(arr)
    if arr.size != shape.num_elements():
        raise TypeError("constant: %s has %d elements, but shape %s holds %d; give a scalar "
                        "(to fill the shape) or a value with %d elements"
                        % (_short(value), arr.size, shape, shape.num_elements(),
                           shape.num_elements()))
    return arr.reshape(dims)


def constant(value, dtype=None, shape=None, name="Const"):
    """A constant tensor from a Python value, nested list or NumPy array (copied).

    >>> constant([[1, 2], [3, 4]])
    <tf.Tensor: shape=(2, 2), dtype=int32, numpy=
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
    elif isinstance(value, (list, tuple)) and has_tensor(value):
        packed = _pack_nested(value, dtype, name)
        if shape is not None:
            from .array_ops import reshape
            return reshape(packed, TensorShape(shape).as_list())
        return packed
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

    A tensor of a different dtype than requested is an error (use `cast`), as in TF. A nested
    list holding tensors is stacked into one tensor.
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
    if isinstance(value, (list, tuple)) and has_tensor(value):
        return _pack_nested(value, dtype, name)
    if dtype is None and dtype_hint is not None:
        try:
            arr = to_numpy(value, dtypes.as_dtype(dtype_hint))
        except (TypeError, ValueError):
            arr = to_numpy(value)
        return _wrap(arr, value, name)
    return _wrap(to_numpy(value, dtype), value, name)


def _wrap(arr, value, name):
    if arr is value:  # the caller's own array: a tensor must not change when it does
        arr = arr.copy()
    if state.graph is not None:
        return make_const(arr, name or "Const", operand=name is None)
    return EagerTensor(arr)


def _describe(t):
    if isinstance(t, SymbolicTensor):
        return t.name
    return "%s%s" % (t.dtype.name, t.shape.short())


def convert_all(values, dtype=None):
    return [convert_to_tensor(v, dtype) for v in values]


def adopt_operand(value, dtype):
    """The non-tensor operand of a binary op takes the tensor operand's dtype (TF's rule):
    `x + 2` with float32 `x` adds a float32 2. Returns a tensor.

    Raises ConversionError if the value does not fit `dtype` (`int32_tensor + 2.5`)."""
    if isinstance(value, Tensor):
        return value
    convert = getattr(value, "_as_tensor", None)
    if convert is not None:
        return convert(None)
    fast = _fast_scalar(value, dtype)
    if fast is None:
        if isinstance(value, (list, tuple)) and has_tensor(value):
            return _pack_nested(value, dtype)
        fast = to_numpy(value, dtype)
    if state.graph is not None:
        return make_const(fast if not isinstance(fast, np.ndarray) else fast.copy(),
                          operand=True)
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
