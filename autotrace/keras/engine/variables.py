"""Keras weights: autotrace Variables with a Keras name and path, a regularizer and a
constraint. They are ordinary Variables for tapes, optimizers and traced functions.

>>> from autotrace import keras
>>> layer = keras.layers.Dense(2, name="d")
>>> _ = layer(np.ones((1, 3), np.float32))
>>> layer.kernel.name, layer.kernel.path, tuple(layer.kernel.shape)
('kernel', 'd/kernel', (3, 2))
"""
import numpy as np

from ...core.context import init_scope
from ...ops.math_ops import cast
from ...ops.variables import Variable
from .. import backend
from .state import STATE, current_path, in_symbolic_scope

__all__ = ["KerasVariable"]


class KerasVariable(Variable):
    """A layer weight (what `Layer.add_weight` returns).

    `initializer` is called with (shape, dtype) to make the initial value (a value may be
    given instead). `name` is the short name ('kernel'); `path` adds the names of the layers
    that created it ('model/dense/kernel')."""

    def __init__(self, initializer, shape=None, dtype=None, trainable=True, autocast=True,
                 aggregation="none", name=None, regularizer=None, constraint=None):
        name = name or "variable"
        if not isinstance(name, str) or "/" in name:
            raise ValueError("Argument `name` must be a string and cannot contain character "
                             "`/`. Received: name=%s" % (name,))
        dtype = backend.standardize_dtype(dtype)
        if callable(initializer):
            shape = backend.standardize_shape(() if shape is None else shape)
            if None in shape:
                raise ValueError("Shapes used to initialize variables must be fully-defined "
                                 "(no `None` dimensions). Received: shape=%s for variable "
                                 "path='%s'" % (shape, current_path(name)))
            value = _initial_value(initializer, shape, dtype)
        else:
            value = initializer
        self._keras_name = name
        self._path = current_path(name)
        self._autocast = autocast
        self.aggregation = aggregation
        self.regularizer = regularizer
        self.overwrite_with_gradient = False
        if in_symbolic_scope():
            with init_scope():  # shape inference runs in a scratch graph; weights live on
                super().__init__(value, trainable=trainable, name=name, dtype=dtype)
        else:
            super().__init__(value, trainable=trainable, name=name, dtype=dtype)
        self.constraint = constraint

    name = property(lambda self: self._keras_name)
    path = property(lambda self: self._path)
    autocast = property(lambda self: self._autocast)

    def _as_tensor(self, dtype=None):
        target = STATE.autocast_dtype
        if target is not None and self._autocast and self._dtype.is_floating \
                and self._dtype.name != target:
            return cast(self.read_value(), target)
        return super()._as_tensor(dtype)

    def __repr__(self):
        if self._graph is not None:
            value = "<symbolic>"
        else:
            value = np.array2string(np.asarray(self._value))
        return "<Variable path=%s, shape=%s, dtype=%s, value=%s>" % (
            self._path, tuple(self.shape.as_list()), self.dtype.name, value)

    def __deepcopy__(self, memo):
        copy = KerasVariable(self.numpy(), self.shape.as_list(), self.dtype.name,
                             self.trainable, self._autocast, self.aggregation,
                             self._keras_name, self.regularizer, self.constraint)
        copy._path = self._path
        return copy


def _initial_value(initializer, shape, dtype):
    """The initializer's value made eagerly (a lambda so a trace may create the variable)."""
    return lambda: initializer(shape, dtype=dtype)
