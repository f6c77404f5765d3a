"""`autotrace.keras.backend`: Keras's global settings and state.

floatx/epsilon/image_data_format, the counters behind automatic layer names (`dense`,
`dense_1`...), and `clear_session`, which resets them.

>>> from autotrace import keras
>>> keras.backend.clear_session()
>>> keras.backend.get_uid("dense"), keras.backend.get_uid("dense")
(1, 2)
>>> keras.backend.floatx()
'float32'
"""
import gc
import itertools
import re
import threading

from ..core import dtypes
from ..core.tensor import is_tensor

__all__ = ["backend", "floatx", "set_floatx", "epsilon", "set_epsilon", "image_data_format",
           "set_image_data_format", "clear_session", "get_uid", "reset_uids",
           "standardize_dtype", "is_float_dtype", "is_int_dtype", "is_keras_tensor",
           "int_shape", "dtype", "is_tensor"]

_PYTHON_DTYPES = {bool: "bool", int: "int64", float: "float32", str: "string",
                  "int": "int64", "float": "float32", "double": "float64",
                  complex: "complex128"}
_CONFIG = {"floatx": "float32", "epsilon": 1e-7, "image_data_format": "channels_last"}
_UIDS = {}
_UID_LOCK = threading.Lock()
_SESSION_CLEARED = []   # callbacks run by clear_session (e.g. the global dtype policy's)


def backend():
    """The backend's name. autotrace mirrors TensorFlow's Keras, and code that asks usually
    wants to know whether TF semantics apply, so this answers 'tensorflow'."""
    return "tensorflow"


def floatx():
    """The default float dtype as a string ('float32')."""
    return _CONFIG["floatx"]


def set_floatx(value):
    """Set the default float dtype ('float16', 'float32' or 'float64')."""
    value = standardize_dtype(value)
    if value not in ("float16", "bfloat16", "float32", "float64"):
        raise ValueError("Unknown `floatx` value: %r. Expected one of {'bfloat16', 'float16', "
                         "'float32', 'float64'}" % (value,))
    _CONFIG["floatx"] = value


def epsilon():
    """The fuzz factor used in numeric expressions (1e-7)."""
    return _CONFIG["epsilon"]


def set_epsilon(value):
    _CONFIG["epsilon"] = float(value)


def image_data_format():
    """'channels_last' (the default) or 'channels_first'."""
    return _CONFIG["image_data_format"]


def set_image_data_format(data_format):
    if data_format not in ("channels_last", "channels_first"):
        raise ValueError("The `data_format` argument must be one of {'channels_first', "
                         "'channels_last'}. Received: data_format=%r" % (data_format,))
    _CONFIG["image_data_format"] = data_format


def standardize_shape(shape):
    """A shape (tuple, list, TensorShape) as a tuple of ints and Nones, checked."""
    if shape is None:
        raise ValueError("Undefined shapes are not supported.")
    if hasattr(shape, "as_list"):
        shape = shape.as_list() if shape.rank is not None else None
        if shape is None:
            raise ValueError("Undefined shapes are not supported.")
    if not hasattr(shape, "__iter__"):
        raise ValueError("Cannot convert '%s' to a shape." % (shape,))
    result = []
    for d in shape:
        if d is None:
            result.append(None)
            continue
        if isinstance(d, (str, float)):
            raise ValueError("Cannot convert '%s' to a shape. Found invalid dimension '%s' of "
                             "type '%s'. " % (tuple(shape), d, type(d)))
        d = int(d)
        if d < 0:
            raise ValueError("Cannot convert '%s' to a shape. Negative dimensions are not "
                             "allowed." % (tuple(shape),))
        result.append(d)
    return tuple(result)


def standardize_data_format(data_format):
    if data_format is None:
        return image_data_format()
    data_format = str(data_format).lower()
    if data_format not in ("channels_first", "channels_last"):
        raise ValueError("The `data_format` argument must be one of {'channels_first', "
                         "'channels_last'}. Received: data_format=%s" % data_format)
    return data_format


# -- names -------------------------------------------------------------------------------------

def get_uid(prefix=""):
    """The next number for `prefix`, starting at 1 (used to name layers: dense, dense_1...)."""
    with _UID_LOCK:
        counter = _UIDS.get(prefix)
        if counter is None:
            counter = _UIDS[prefix] = itertools.count(1)
        return next(counter)


def reset_uids():
    with _UID_LOCK:
        _UIDS.clear()


def unique_object_name(class_name):
    """'Dense' -> 'dense', then 'dense_1', 'dense_2'... (Keras's automatic names)."""
    base = to_snake_case(class_name)
    number = get_uid(base)
    return base if number == 1 else "%s_%d" % (base, number - 1)


def to_snake_case(name):
    name = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", name)
    name = re.sub(r"([a-z])([A-Z])", r"\1_\2", name).lower()
    return "private" + name if name.startswith("_") else name


def clear_session(free_memory=True):
    """Reset Keras's global state: the automatic-name counters (the next Dense is `dense`
    again) and the default graph; with free_memory, run the garbage collector."""
    reset_uids()
    for callback in _SESSION_CLEARED:
        callback()
    if free_memory:
        gc.collect()


# -- dtypes ------------------------------------------------------------------------------------

def standardize_dtype(dtype):
    """A dtype (DType, NumPy dtype, Python type or name) as Keras's string name."""
    if dtype is None:
        return floatx()
    dtype = _PYTHON_DTYPES.get(dtype, dtype) if isinstance(dtype, (type, str)) else dtype
    try:
        return dtypes.as_dtype(dtype).name
    except (TypeError, ValueError, KeyError):
        raise ValueError("Invalid dtype: %r" % (dtype,)) from None


def is_float_dtype(dtype):
    return standardize_dtype(dtype).startswith(("float", "bfloat"))


def is_int_dtype(dtype):
    return standardize_dtype(dtype).startswith(("int", "uint"))


def dtype(x):
    return standardize_dtype(x.dtype)


def is_keras_tensor(x):
    """True for the symbolic tensors of the functional API (keras.Input and layer outputs)."""
    return getattr(type(x), "_is_keras_tensor", False)


def int_shape(x):
    """The static shape as a tuple (None for unknown dimensions)."""
    shape = x.shape
    return tuple(shape.as_list()) if hasattr(shape, "as_list") else tuple(shape)
