"""`autotrace.keras` (also `tf.keras`): Keras 3's building blocks on autotrace.

Layers, models (subclassed, Sequential, functional), losses, metrics, initializers,
regularizers, constraints, activations, optimizers, and a few utilities. Custom layers,
losses and metrics are plain Python; called inside an `autotrace.function` their code is
converted by AutoGraph like the rest of the function (a Python `if` on a tensor works).

>>> import numpy as np
>>> from autotrace import keras
>>> model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
>>> model(np.ones((4, 3), np.float32)).shape
TensorShape([4, 2])
"""
from . import backend, dtype_policies, optimizers
from . import activations, constraints, initializers, regularizers
from .dtype_policies import DTypePolicy, FloatDTypePolicy, mixed_precision
from .engine.input_spec import InputSpec
from .engine.keras_tensor import KerasTensor
from .engine.variables import KerasVariable as Variable
from . import layers, losses, metrics, models, ops, utils, datasets, random
from .layers import Input, Layer
from .models import Model, Sequential
from .initializers import Initializer
from .regularizers import Regularizer
from .constraints import Constraint
from .optimizers import Optimizer

__all__ = ["backend", "dtype_policies", "optimizers", "activations", "constraints",
           "initializers", "regularizers", "layers", "losses", "metrics", "models", "ops", "utils", "datasets", "random", "DTypePolicy",
           "FloatDTypePolicy", "mixed_precision", "InputSpec", "KerasTensor", "Variable",
           "Input", "Layer", "Model", "Sequential", "Initializer", "Regularizer", "Constraint",
           "Optimizer"]
