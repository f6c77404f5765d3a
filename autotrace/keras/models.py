"""`keras.models`: Model, Sequential and Functional."""
from .engine.functional import Functional
from .engine.model import Model
from .engine.sequential import Sequential
from .serialization import register_builtins

__all__ = ["Model", "Sequential", "Functional"]

register_builtins("keras.models", {"Model": Model, "Sequential": Sequential,
                                   "Functional": Functional})
