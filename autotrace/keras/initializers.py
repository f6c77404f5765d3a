"""`keras.initializers`: callables `init(shape, dtype)` giving a weight's first value.

Unseeded random initializers draw from autotrace's random ops (so `tf.random.set_seed` and
`keras.utils.set_random_seed` make them repeatable); a seeded one returns the same values at
every call, as in Keras 3.

>>> from autotrace import keras
>>> keras.initializers.Constant(2.0)((2,)).numpy()
array([2., 2.], dtype=float32)
>>> init = keras.initializers.GlorotUniform(seed=1)
>>> bool((init((3, 3)).numpy() == init((3, 3)).numpy()).all())
True
"""
import math

import numpy as np

from .. import random as _random
from ..ops.constant_op import constant
from ..ops.runtime import seeded_generator
from . import backend
from .serialization import deserialize_keras_object, get_object, serialize_keras_object

__all__ = ["Initializer", "Zeros", "Ones", "Constant", "RandomNormal", "RandomUniform",
           "TruncatedNormal", "VarianceScaling", "GlorotUniform", "GlorotNormal", "HeNormal",
           "HeUniform", "LecunNormal", "LecunUniform", "Identity", "Orthogonal", "get",
           "serialize", "deserialize"]


class Initializer:
    """Base class: subclasses implement `__call__(shape, dtype=None)` and `get_config`."""

    _keras_module = "keras.initializers"

    def __call__(self, shape, dtype=None):
        raise NotImplementedError("Initializer subclasses must implement `__call__()`.")

    def get_config(self):
        return {}

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def clone(self):
        return self.__class__.from_config(self.get_config())


def _dtype(dtype):
    return backend.standardize_dtype(dtype)


class Zeros(Initializer):
    def __call__(self, shape, dtype=None):
        return constant(np.zeros(backend.standardize_shape(shape), _dtype(dtype)))


class Ones(Initializer):
    def __call__(self, shape, dtype=None):
        return constant(np.ones(backend.standardize_shape(shape), _dtype(dtype)))


class Constant(Initializer):
    def __init__(self, value=0.0):
        self.value = value

    def __call__(self, shape, dtype=None):
        shape = backend.standardize_shape(shape)
        return constant(np.broadcast_to(np.asarray(self.value, _dtype(dtype)), shape).copy())

    def get_config(self):
        return {"value": self.value}


class Identity(Initializer):
    """The identity matrix (times `gain`) for 2-D shapes."""

    def __init__(self, gain=1.0):
        self.gain = gain

    def __call__(self, shape, dtype=None):
        shape = backend.standardize_shape(shape)
        if len(shape) != 2:
            raise ValueError("Identity matrix initializer can only be used for 2D matrices. "
                             "Received: shape=%s of rank %d." % (shape, len(shape)))
        return constant(self.gain * np.eye(*shape, dtype=_dtype(dtype)))

    def get_config(self):
        return {"gain": self.gain}


class RandomInitializer(Initializer):
    """Unseeded: a fresh draw per call; seeded: the same values at every call."""

    def __init__(self, seed=None):
        if seed is not None and not isinstance(seed, int):
            raise ValueError("`seed` argument should be an instance of `keras.random."
                             "SeedGenerator()` or an integer. Received: seed=%r" % (seed,))
        self.seed = seed

    def _draw(self, kind, shape, dtype, **params):
        shape = backend.standardize_shape(shape)
        if self.seed is None:
            return _UNSEEDED[kind](shape, dtype=_dtype(dtype), **params)
        rng = seeded_generator(self.seed, 0)
        return constant(_SEEDED[kind](rng, shape, **params).astype(_dtype(dtype)))

    def get_config(self):
        return {"seed": self.seed}


def _truncated(rng, shape, mean, stddev):
    values = rng.standard_normal(shape)
    bad = np.abs(values) > 2
    while bad.any():
        values[bad] = rng.standard_normal(int(bad.sum()))
        bad = np.abs(values) > 2
    return mean + stddev * values


_UNSEEDED = {
    "normal": lambda shape, dtype, mean, stddev: _random.normal(shape, mean, stddev, dtype),
    "uniform": lambda shape, dtype, minval, maxval: _random.uniform(shape, minval, maxval,
                                                                    dtype),
    "truncated_normal": lambda shape, dtype, mean, stddev: _random.truncated_normal(
        shape, mean, stddev, dtype),
}
_SEEDED = {
    "normal": lambda rng, shape, mean, stddev: mean + stddev * rng.standard_normal(shape),
    "uniform": lambda rng, shape, minval, maxval: rng.uniform(minval, maxval, shape),
    "truncated_normal": _truncated,
}


class RandomNormal(RandomInitializer):
    def __init__(self, mean=0.0, stddev=0.05, seed=None):
        super().__init__(seed)
        self.mean, self.stddev = mean, stddev

    def __call__(self, shape, dtype=None):
        return self._draw("normal", shape, dtype, mean=self.mean, stddev=self.stddev)

    def get_config(self):
        return {"seed": self.seed, "mean": self.mean, "stddev": self.stddev}


class TruncatedNormal(RandomNormal):
    """Normal values redrawn when more than two standard deviations from the mean."""

    def __call__(self, shape, dtype=None):
        return self._draw("truncated_normal", shape, dtype, mean=self.mean,
                          stddev=self.stddev)


class RandomUniform(RandomInitializer):
    def __init__(self, minval=-0.05, maxval=0.05, seed=None):
        super().__init__(seed)
        self.minval, self.maxval = minval, maxval

    def __call__(self, shape, dtype=None):
        return self._draw("uniform", shape, dtype, minval=self.minval, maxval=self.maxval)

    def get_config(self):
        return {"seed": self.seed, "minval": self.minval, "maxval": self.maxval}


def compute_fans(shape):
    """(fan_in, fan_out) of a weight shape: a kernel's receptive field times its channels."""
    shape = tuple(shape)
    if len(shape) == 0:
        return 1, 1
    if len(shape) == 1:
        return shape[0], shape[0]
    receptive = math.prod(shape[:-2])
    return shape[-2] * receptive, shape[-1] * receptive


_TRUNCATED_STDDEV = 0.87962566103423978  # stddev of a unit normal truncated at +-2


class VarianceScaling(RandomInitializer):
    """Draws with variance scale / n, n = fan_in, fan_out or their mean."""

    def __init__(self, scale=1.0, mode="fan_in", distribution="truncated_normal", seed=None,
                 input_axes=None, output_axes=None):
        super().__init__(seed)
        if scale <= 0.0:
            raise ValueError("Argument `scale` must be positive float. Received: scale=%s"
                             % (scale,))
        if mode not in ("fan_in", "fan_out", "fan_avg"):
            raise ValueError("Invalid `mode` argument: expected one of {'fan_in', 'fan_out', "
                             "'fan_avg'}. Received: mode=%s" % (mode,))
        distribution = distribution.lower()
        if distribution == "normal":
            distribution = "truncated_normal"
        if distribution not in ("uniform", "truncated_normal", "untruncated_normal"):
            raise ValueError("Invalid `distribution` argument: expected one of {'uniform', "
                             "'truncated_normal', 'untruncated_normal'}. Received: "
                             "distribution=%s" % (distribution,))
        self.scale, self.mode, self.distribution = scale, mode, distribution
        self.input_axes, self.output_axes = input_axes, output_axes

    def __call__(self, shape, dtype=None):
        fan_in, fan_out = compute_fans(backend.standardize_shape(shape))
        fan = {"fan_in": fan_in, "fan_out": fan_out, "fan_avg": (fan_in + fan_out) / 2.0}
        variance = self.scale / max(1.0, fan[self.mode])
        if self.distribution == "uniform":
            limit = math.sqrt(3.0 * variance)
            return self._draw("uniform", shape, dtype, minval=-limit, maxval=limit)
        if self.distribution == "untruncated_normal":
            return self._draw("normal", shape, dtype, mean=0.0, stddev=math.sqrt(variance))
        stddev = math.sqrt(variance) / _TRUNCATED_STDDEV
        return self._draw("truncated_normal", shape, dtype, mean=0.0, stddev=stddev)

    def get_config(self):
        return {"seed": self.seed, "scale": self.scale, "mode": self.mode,
                "distribution": self.distribution, "input_axes": self.input_axes,
                "output_axes": self.output_axes}


def _preset(class_name, scale, mode, distribution, doc):
    def __init__(self, seed=None, input_axes=None, output_axes=None):
        VarianceScaling.__init__(self, scale, mode, distribution, seed, input_axes,
                                 output_axes)

    def get_config(self):
        return {"seed": self.seed, "input_axes": self.input_axes,
                "output_axes": self.output_axes}

    return type(class_name, (VarianceScaling,), {"__init__": __init__, "get_config": get_config,
                                                 "__doc__": doc, "__module__": __name__})


GlorotUniform = _preset("GlorotUniform", 1.0, "fan_avg", "uniform",
                        "Uniform in +-sqrt(6 / (fan_in + fan_out)) (the Dense default).")
GlorotNormal = _preset("GlorotNormal", 1.0, "fan_avg", "truncated_normal",
                       "Truncated normal, stddev sqrt(2 / (fan_in + fan_out)).")
HeNormal = _preset("HeNormal", 2.0, "fan_in", "truncated_normal",
                   "Truncated normal, stddev sqrt(2 / fan_in) (for ReLU layers).")
HeUniform = _preset("HeUniform", 2.0, "fan_in", "uniform",
                    "Uniform in +-sqrt(6 / fan_in).")
LecunNormal = _preset("LecunNormal", 1.0, "fan_in", "truncated_normal",
                      "Truncated normal, stddev sqrt(1 / fan_in) (for SELU layers).")
LecunUniform = _preset("LecunUniform", 1.0, "fan_in", "uniform",
                       "Uniform in +-sqrt(3 / fan_in).")


class Orthogonal(RandomInitializer):
    """A (gain-scaled) orthogonal matrix from the QR decomposition of a normal draw."""

    def __init__(self, gain=1.0, seed=None):
        super().__init__(seed)
        self.gain = gain

    def __call__(self, shape, dtype=None):
        shape = backend.standardize_shape(shape)
        if len(shape) < 2:
            raise ValueError("The tensor to initialize must be at least two-dimensional. "
                             "Received: shape=%s of rank %d." % (shape, len(shape)))
        rows, cols = math.prod(shape[:-1]), shape[-1]
        flat = (max(rows, cols), min(rows, cols))
        normal = np.asarray(self._draw("normal", flat, "float64", mean=0.0, stddev=1.0))
        q, r = np.linalg.qr(normal)
        q = q * np.sign(np.diag(r))
        if rows < cols:
            q = q.T
        return constant((self.gain * q.reshape(shape)).astype(_dtype(dtype)))

    def get_config(self):
        return {"seed": self.seed, "gain": self.gain}


IdentityInitializer = Identity
OrthogonalInitializer = Orthogonal

# Function-style aliases, as Keras exports them (keras.initializers.glorot_uniform is the class).
zeros, ones, constant_initializer = Zeros, Ones, Constant
glorot_uniform, glorot_normal = GlorotUniform, GlorotNormal
he_normal, he_uniform, lecun_normal, lecun_uniform = HeNormal, HeUniform, LecunNormal, LecunUniform
random_normal, random_uniform, truncated_normal = RandomNormal, RandomUniform, TruncatedNormal
variance_scaling, identity, orthogonal = VarianceScaling, Identity, Orthogonal

_BY_NAME = {
    "zeros": Zeros, "ones": Ones, "constant": Constant, "identity": Identity,
    "random_normal": RandomNormal, "random_uniform": RandomUniform,
    "truncated_normal": TruncatedNormal, "variance_scaling": VarianceScaling,
    "glorot_uniform": GlorotUniform, "glorot_normal": GlorotNormal, "he_normal": HeNormal,
    "he_uniform": HeUniform, "lecun_normal": LecunNormal, "lecun_uniform": LecunUniform,
    "orthogonal": Orthogonal,
}
_BY_CLASS = {cls.__name__: cls for cls in _BY_NAME.values()}
_BY_CLASS.update(IdentityInitializer=Identity, OrthogonalInitializer=Orthogonal)


def serialize(initializer):
    return serialize_keras_object(initializer)


def deserialize(config, custom_objects=None):
    return deserialize_keras_object(config, dict(_BY_CLASS, **_BY_NAME), custom_objects,
                                    "initializer")


def get(identifier):
    """An initializer from None, a name ('glorot_uniform'), a config dict, an instance or a
    callable (used as is)."""
    if isinstance(identifier, str) and identifier in _BY_NAME:
        return _BY_NAME[identifier]()
    return get_object(identifier, dict(_BY_CLASS, **_BY_NAME), "initializer")
