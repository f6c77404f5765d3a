"""Dtype policies: the dtype a layer computes in and the dtype of its weights.

'float32' (the default) computes and stores in float32; 'mixed_float16' computes in float16
and keeps float32 weights (cast when read inside the layer); any float dtype name works.
Floating inputs of a layer are cast to its compute dtype; integer inputs are left alone.

>>> from autotrace import keras
>>> keras.DTypePolicy("mixed_float16")
<DTypePolicy "mixed_float16">
>>> p = keras.DTypePolicy("mixed_float16"); (p.compute_dtype, p.variable_dtype)
('float16', 'float32')
"""
from . import backend

__all__ = ["DTypePolicy", "FloatDTypePolicy", "get", "serialize", "deserialize",
           "dtype_policy", "set_dtype_policy"]

_MIXED = {"mixed_float16": ("float16", "float32"), "mixed_bfloat16": ("bfloat16", "float32")}
_GLOBAL = [None]   # the global policy (None: floatx)


class DTypePolicy:
    """A named pair (compute dtype, variable dtype). See the module docstring."""

    def __init__(self, name=None):
        if name is None:
            name = dtype_policy().name
        self._name = name
        self._compute_dtype, self._variable_dtype = _parse(name)
        self._quantization_mode = None

    name = property(lambda self: self._name)
    compute_dtype = property(lambda self: self._compute_dtype)
    variable_dtype = property(lambda self: self._variable_dtype)
    quantization_mode = property(lambda self: self._quantization_mode)

    def convert_input(self, x, autocast, dtype):
        """`x` as a tensor (arrays are converted), floating values cast to `dtype` when
        `autocast`; integer values are left alone."""
        from ..ops.constant_op import convert_to_tensor
        from ..ops.math_ops import cast
        if backend.is_keras_tensor(x):
            return x.astype(dtype) if _should_cast(x, autocast, dtype) else x
        if not backend.is_tensor(x):
            if not hasattr(x, "__array__") or hasattr(x, "_autotrace_variable"):
                return x
            x = convert_to_tensor(x)
        return cast(x, dtype) if _should_cast(x, autocast, dtype) else x

    def get_config(self):
        return {"name": self._name}

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def __repr__(self):
        return '<DTypePolicy "%s">' % self._name

    def __eq__(self, other):
        return isinstance(other, DTypePolicy) and other._name == self._name

    def __hash__(self):
        return hash(self._name)


FloatDTypePolicy = DTypePolicy


def _parse(name):
    if not isinstance(name, str):
        raise TypeError("'name' must be a string, such as 'mixed_float16'. Received: name=%r "
                        "(of type %s)" % (name, type(name)))
    if name in _MIXED:
        return _MIXED[name]
    try:
        dtype = backend.standardize_dtype(name)
    except ValueError:
        dtype = None
    if dtype is None or not backend.is_float_dtype(dtype) and dtype not in (
            "int8", "int16", "int32", "int64", "uint8", "bool", "string"):
        raise ValueError("Cannot convert '%s' to a mixed precision DTypePolicy. Valid policies "
                         "include 'mixed_float16', 'mixed_bfloat16', and the name of any float "
                         "dtype such as 'float32'." % (name,))
    return dtype, dtype


def _should_cast(x, autocast, dtype):
    x_dtype = backend.standardize_dtype(x.dtype)
    return bool(autocast) and backend.is_float_dtype(x_dtype) and x_dtype != dtype


def dtype_policy():
    """The global dtype policy (DTypePolicy(floatx()) unless set)."""
    policy = _GLOBAL[0]
    if policy is None:
        policy = DTypePolicy(backend.floatx())
    return policy


def set_dtype_policy(policy):
    """Set the global dtype policy, e.g. set_dtype_policy('mixed_float16')."""
    if not isinstance(policy, DTypePolicy):
        if not isinstance(policy, str):
            raise ValueError("Invalid `policy` argument. Expected the string name of a policy "
                             "(such as 'mixed_float16') or a `DTypePolicy` instance. Received: "
                             "policy=%r" % (policy,))
        policy = DTypePolicy(policy)
    _GLOBAL[0] = policy


def get(identifier):
    """A DTypePolicy from None (the global one), a name, a config dict or a policy."""
    if identifier is None:
        return dtype_policy()
    if isinstance(identifier, DTypePolicy):
        return identifier
    if isinstance(identifier, dict):
        return deserialize(identifier)
    if isinstance(identifier, str):
        return DTypePolicy(identifier)
    try:
        return DTypePolicy(backend.standardize_dtype(identifier))
    except (ValueError, TypeError):
        raise ValueError("Cannot interpret `dtype` argument. Expected a string or an instance "
                         "of DTypePolicy. Received: dtype=%r" % (identifier,)) from None


def serialize(policy):
    return {"module": "keras", "class_name": "DTypePolicy", "config": policy.get_config(),
            "registered_name": None}


def deserialize(config):
    if config.get("class_name") not in ("DTypePolicy", "FloatDTypePolicy"):
        raise ValueError("Unknown dtype policy config: %r" % (config,))
    return DTypePolicy.from_config(config["config"])


class mixed_precision:  # noqa: N801  (keras.mixed_precision namespace)
    """`keras.mixed_precision`: set_global_policy / global_policy / Policy."""
    DTypePolicy = DTypePolicy
    Policy = DTypePolicy
    set_global_policy = staticmethod(set_dtype_policy)
    global_policy = staticmethod(dtype_policy)
    set_dtype_policy = staticmethod(set_dtype_policy)
    dtype_policy = staticmethod(dtype_policy)
