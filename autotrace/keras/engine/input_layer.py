"""InputLayer and keras.Input: the entry points of functional models.

>>> from autotrace import keras
>>> x = keras.Input(shape=(28, 28), name="image")
>>> x.shape, x.dtype
((None, 28, 28), 'float32')
"""
from .. import backend
from .keras_tensor import KerasTensor
from .layer import Layer
from .node import Node

__all__ = ["InputLayer", "Input"]


class InputLayer(Layer):
    """The layer at the start of a functional graph; its output is a KerasTensor."""

    def __init__(self, shape=None, batch_size=None, dtype=None, sparse=None, ragged=None,
                 batch_shape=None, input_tensor=None, optional=False, name=None, **kwargs):
        super().__init__(name=name or backend.unique_object_name("InputLayer"))
        if "input_shape" in kwargs:
            shape = kwargs.pop("input_shape")
        if kwargs:
            raise ValueError("Unrecognized keyword arguments passed to InputLayer: %s"
                             % (kwargs,))
        if shape is not None and batch_shape is not None:
            raise ValueError("You cannot pass both `shape` and `batch_shape` at the same time.")
        if batch_size is not None and batch_shape is not None:
            raise ValueError("You cannot pass both `batch_size` and `batch_shape` at the same "
                             "time.")
        if shape is None and batch_shape is None and input_tensor is None:
            raise ValueError("You must pass a `shape` argument.")
        if input_tensor is not None:
            batch_shape = input_tensor.shape
            dtype = dtype or input_tensor.dtype
        elif shape is not None:
            batch_shape = (batch_size,) + backend.standardize_shape(shape)
        self._batch_shape = backend.standardize_shape(batch_shape)
        self._dtype = backend.standardize_dtype(dtype)
        self.sparse, self.ragged, self.optional = bool(sparse), bool(ragged), optional
        self.built = True
        if input_tensor is None:
            input_tensor = KerasTensor(self._batch_shape, self._dtype, self.sparse,
                                       self.ragged, name=self.name)
        self._input_tensor = input_tensor
        Node(self, (), {}, input_tensor)

    @property
    def batch_shape(self):
        return self._batch_shape

    @property
    def dtype(self):
        return self._dtype

    def call(self):
        return

    @property
    def output(self):
        return self._input_tensor

    def get_config(self):
        return {"batch_shape": self._batch_shape, "dtype": self._dtype, "sparse": self.sparse,
                "ragged": self.ragged, "name": self.name, "optional": self.optional}

    @classmethod
    def from_config(cls, config):
        return cls(**config)


def Input(shape=None, batch_size=None, dtype=None, sparse=None, batch_shape=None, name=None,
          tensor=None, optional=False, ragged=None):  # noqa: N802  (Keras's name)
    """A symbolic input: the KerasTensor of a new InputLayer (shape excludes the batch)."""
    layer = InputLayer(shape=shape, batch_size=batch_size, dtype=dtype, sparse=sparse,
                       ragged=ragged, batch_shape=batch_shape, input_tensor=tensor,
                       optional=optional, name=name)
    return layer.output
