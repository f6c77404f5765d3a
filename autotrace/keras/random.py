"""`keras.random`: random tensors (on autotrace's random ops and their seed rules).

>>> from autotrace import keras
>>> keras.random.uniform((2,), seed=1).shape
TensorShape([2])
"""
from .. import random as _random
from ..ops import nn_ops
from . import backend

__all__ = ["normal", "uniform", "truncated_normal", "dropout", "shuffle", "SeedGenerator"]


class SeedGenerator:
    """A seed source: a fixed integer seed given to each draw made with it."""

    def __init__(self, seed=None, name=None, **kwargs):
        self.seed = seed
        self.name = name or "seed_generator"


def _seed(seed):
    return seed.seed if isinstance(seed, SeedGenerator) else seed


def normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
    return _random.normal(shape, mean, stddev, backend.standardize_dtype(dtype), _seed(seed))


def uniform(shape, minval=0.0, maxval=1.0, dtype=None, seed=None):
    return _random.uniform(shape, minval, maxval, backend.standardize_dtype(dtype),
                           _seed(seed))


def truncated_normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
    return _random.truncated_normal(shape, mean, stddev, backend.standardize_dtype(dtype),
                                    _seed(seed))


def dropout(inputs, rate, noise_shape=None, seed=None):
    return nn_ops.dropout(inputs, rate, noise_shape, _seed(seed))


def shuffle(x, axis=0, seed=None):
    if axis != 0:
        raise NotImplementedError("keras.random.shuffle: only axis=0 is implemented")
    return _random.shuffle(x, _seed(seed))
