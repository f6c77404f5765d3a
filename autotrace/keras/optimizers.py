"""`autotrace.keras.optimizers`: SGD, RMSprop, Adam, Nadam, Adagrad and schedules."""
from ..training import schedules
from ..training.optimizers import SGD, Adagrad, Adam, Nadam, Optimizer, RMSprop, get

__all__ = ["SGD", "RMSprop", "Adam", "Nadam", "Adagrad", "Optimizer", "schedules", "get"]
