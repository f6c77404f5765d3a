"""KerasTensor: the symbolic value of the functional API (`keras.Input`, layer outputs).

It has a shape (a tuple, None for unknown sizes), a dtype and a name, and no value. Calling a
layer on it records a Node; the tensor's `_keras_history` (operation, node_index,
tensor_index) says which layer call made it, so a Model can walk back from its outputs to
its inputs. Python operators on KerasTensors (x + y, x[0], ...) record operations too.

>>> from autotrace import keras
>>> x = keras.Input(shape=(4,), name="x")
>>> x
<KerasTensor shape=(None, 4), dtype=float32, sparse=False, ragged=False, name=x>
>>> x._keras_history.operation
<InputLayer name=x, built=True>
"""
import collections

from ...core.errors import OperatorNotAllowedInGraphError
from ...ops.array_ops import reshape
from ...ops.math_ops import cast
from .. import backend

__all__ = ["KerasTensor", "KerasHistory", "any_symbolic_tensors", "NOT_A_VALUE"]

KerasHistory = collections.namedtuple("KerasHistory",
                                      ["operation", "node_index", "tensor_index"])

NOT_A_VALUE = (
    "A KerasTensor is a symbolic placeholder for a shape and dtype, used to build Keras "
    "functional models: it has no value. %s You can pass it to Keras layers, keras.ops "
    "functions and Python operators (x + 1, x[:, 0]); to use another autotrace function on it, "
    "wrap that call in a layer, e.g. keras.layers.Lambda(lambda t: tf.reduce_sum(t))(x).")


class KerasTensor:
    """A symbolic tensor of the functional API. See the module docstring."""

    _is_keras_tensor = True
    __array_priority__ = 200

    def __init__(self, shape, dtype="float32", sparse=False, ragged=False, name=None):
        self._shape = backend.standardize_shape(shape)
        self._dtype = backend.standardize_dtype(dtype)
        self.sparse, self.ragged = bool(sparse), bool(ragged)
        self.name = name or backend.unique_object_name("KerasTensor")
        self._keras_history = None
        self._keras_mask = None

    shape = property(lambda self: self._shape)
    dtype = property(lambda self: self._dtype)
    ndim = property(lambda self: len(self._shape))

    def __repr__(self):
        return ("<KerasTensor shape=%s, dtype=%s, sparse=%s, ragged=%s, name=%s>"
                % (self._shape, self._dtype, self.sparse, self.ragged, self.name))

    __str__ = __repr__

    def reshape(self, *shape):
        return self._symbolic(reshape, "Reshape")(self, shape[0] if len(shape) == 1 else shape)

    def astype(self, dtype):
        return self._symbolic(cast, "Cast")(self, backend.standardize_dtype(dtype))

    @staticmethod
    def _symbolic(fn, name):
        return _SYMBOLIC_OP_FACTORY[0](fn, name)

    # -- a KerasTensor has no value ----------------------------------------------------------
    def _as_tensor(self, dtype=None):
        raise TypeError(NOT_A_VALUE % ("It cannot be converted to a tensor for an autotrace "
                                       "op (%s)." % self.name,))

    def __array__(self, dtype=None, copy=None):
        raise TypeError(NOT_A_VALUE % ("It cannot be converted to a NumPy array (%s)."
                                       % self.name,))

    def numpy(self):
        raise TypeError(NOT_A_VALUE % ("`.numpy()` was called on %s." % self.name,))

    def __bool__(self):
        raise OperatorNotAllowedInGraphError(NOT_A_VALUE % (
            "Using it as a Python bool (`if`, `while`, `and`, `or`, `not`) is not allowed: "
            "its value is not known while the model is being built (%s)." % self.name,))

    def __iter__(self):
        raise TypeError(NOT_A_VALUE % ("Iterating over it is not allowed (%s); index it "
                                       "instead (x[:, 0])." % self.name,))

    def __len__(self):
        raise TypeError(NOT_A_VALUE % ("len() is not defined (%s); use x.shape." % self.name,))

    def __hash__(self):
        return id(self)


# Set by engine.symbolic: makes the Operation that applies `fn` in a functional model.
_SYMBOLIC_OP_FACTORY = [None]


def is_symbolic(x):
    return getattr(type(x), "_is_keras_tensor", False)


def any_symbolic_tensors(args=(), kwargs=None):
    """True if a KerasTensor is among the (nested) arguments."""
    return any(map(_holds_symbolic, args)) or bool(kwargs) and \
        any(map(_holds_symbolic, kwargs.values()))


def _holds_symbolic(x):
    # Checked on every layer call: plain tensors answer at the first test.
    if getattr(type(x), "_is_keras_tensor", False):
        return True
    if isinstance(x, (list, tuple)):
        return any(map(_holds_symbolic, x))
    if isinstance(x, dict):
        return any(map(_holds_symbolic, x.values()))
    return False
