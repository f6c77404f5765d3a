"""`keras.utils`: seeding, label encoding, (de)serialization helpers.

>>> from autotrace import keras
>>> keras.utils.to_categorical([0, 2], num_classes=3)
array([[1., 0., 0.],
       [0., 0., 1.]], dtype=float32)
"""
import random

import numpy as np

from .. import random as _random
from .backend import clear_session, is_keras_tensor, standardize_dtype
from .visualization import model_to_dot, plot_model
from .serialization import (CustomObjectScope, custom_object_scope, deserialize_keras_object,
                            get_custom_objects, get_registered_name, get_registered_object,
                            register_keras_serializable, serialize_keras_object)

__all__ = ["set_random_seed", "to_categorical", "normalize", "get_source_inputs",
           "clear_session", "is_keras_tensor", "standardize_dtype", "CustomObjectScope",
           "custom_object_scope", "deserialize_keras_object", "get_custom_objects",
           "get_registered_name", "get_registered_object", "register_keras_serializable",
           "serialize_keras_object", "get_file", "model_to_dot", "plot_model"]


def set_random_seed(seed):
    """Seed Python's `random`, NumPy's global generator and autotrace's (tf.random)."""
    if not isinstance(seed, int):
        raise ValueError("Expected `seed` argument to be an integer. Received: seed=%s (of "
                         "type %s)" % (seed, type(seed)))
    random.seed(seed)
    np.random.seed(seed)
    _random.set_seed(seed)


def to_categorical(x, num_classes=None):
    """One-hot encode integer class labels (a trailing axis of size 1 is dropped)."""
    x = np.asarray(x, dtype="int64")
    shape = x.shape
    if shape and shape[-1] == 1 and len(shape) > 1:
        shape = shape[:-1]
    x = x.reshape(-1)
    if num_classes is None:
        num_classes = int(x.max()) + 1
    result = np.zeros((x.shape[0], num_classes), dtype="float32")
    result[np.arange(x.shape[0]), x] = 1
    return result.reshape(shape + (num_classes,))


def normalize(x, axis=-1, order=2):
    """`x` divided by its L-`order` norm along `axis` (NumPy arrays)."""
    x = np.asarray(x)
    norm = np.atleast_1d(np.linalg.norm(x, order, axis))
    norm[norm == 0] = 1
    return x / np.expand_dims(norm, axis)


def get_source_inputs(tensor):
    """The Input tensors a KerasTensor was computed from."""
    history = getattr(tensor, "_keras_history", None)
    if history is None:
        return [tensor]
    node = history.operation._inbound_nodes[history.node_index]
    if node.is_input:
        return [tensor]
    found = []
    for x in node.input_tensors:
        for source in get_source_inputs(x):
            if not any(source is f for f in found):
                found.append(source)
    return found


def get_file(fname=None, origin=None, **kwargs):
    """Keras downloads here; autotrace has no network access and says so."""
    raise RuntimeError("keras.utils.get_file(%r): autotrace does not download files. Fetch %s "
                       "yourself and read it from disk." % (fname, origin))
