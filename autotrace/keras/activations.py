"""`keras.activations`: elementwise activation functions, by name or as callables.

>>> import autotrace as tf
>>> from autotrace import keras
>>> keras.activations.get("relu")(tf.constant([-1.0, 2.0])).numpy()
array([0., 2.], dtype=float32)
>>> keras.activations.serialize(keras.activations.relu)
'relu'
"""
import math

from ..ops import math_ops, nn_ops
from ..ops.constant_op import convert_to_tensor
from .serialization import get_registered_object, serialize_keras_object

__all__ = ["relu", "relu6", "leaky_relu", "elu", "selu", "gelu", "sigmoid", "hard_sigmoid",
           "tanh", "softmax", "log_softmax", "softplus", "softsign", "silu", "swish",
           "hard_silu", "hard_swish", "mish", "exponential", "linear", "get", "serialize",
           "deserialize"]


def _tensor(x):
    return convert_to_tensor(x)


def relu(x, negative_slope=0.0, max_value=None, threshold=0.0):
    """max(x, 0); with `negative_slope` a leaky slope below `threshold`, capped at
    `max_value`."""
    x = _tensor(x)
    if negative_slope == 0.0 and max_value is None and threshold == 0.0:
        return nn_ops.relu(x)
    if threshold != 0.0:
        y = x * math_ops.cast(math_ops.greater(x, threshold), x.dtype)
    else:
        y = nn_ops.relu(x)
    if max_value is not None:
        y = math_ops.minimum(y, float(max_value))
    if negative_slope != 0.0:
        y = y - negative_slope * nn_ops.relu(threshold - x)
    return y


def relu6(x):
    return nn_ops.relu6(_tensor(x))


def leaky_relu(x, negative_slope=0.2):
    return nn_ops.leaky_relu(_tensor(x), alpha=negative_slope)


def elu(x, alpha=1.0):
    y = nn_ops.elu(_tensor(x))
    if alpha == 1.0:
        return y
    return math_ops.maximum(y, 0.0) + alpha * math_ops.minimum(y, 0.0)


def selu(x):
    return nn_ops.selu(_tensor(x))


def gelu(x, approximate=False):
    """x * P(X <= x) for a standard normal X (with erf), or its tanh approximation."""
    x = _tensor(x)
    if not approximate:
        return 0.5 * x * (1.0 + math_ops.erf(x * (1.0 / math.sqrt(2.0))))
    inner = math.sqrt(2.0 / math.pi) * (x + 0.044715 * x * x * x)
    return 0.5 * x * (1.0 + math_ops.tanh(inner))


def sigmoid(x):
    return math_ops.sigmoid(_tensor(x))


def hard_sigmoid(x):
    """relu6(x + 3) / 6: piecewise linear."""
    return nn_ops.relu6(_tensor(x) + 3.0) / 6.0


def tanh(x):
    return math_ops.tanh(_tensor(x))


def softmax(x, axis=-1):
    x = _tensor(x)
    if x.shape.rank is not None and x.shape.rank <= 1:
        raise ValueError("Cannot apply softmax to a tensor that is 1D. Received input: %s"
                         % (x,))
    return nn_ops.softmax(x, axis=axis)


def log_softmax(x, axis=-1):
    return nn_ops.log_softmax(_tensor(x), axis=axis)


def softplus(x):
    return nn_ops.softplus(_tensor(x))


def softsign(x):
    return nn_ops.softsign(_tensor(x))


def silu(x):
    return nn_ops.silu(_tensor(x))


swish = silu


def hard_silu(x):
    x = _tensor(x)
    return x * hard_sigmoid(x)


hard_swish = hard_silu


def mish(x):
    x = _tensor(x)
    return x * math_ops.tanh(nn_ops.softplus(x))


def exponential(x):
    return math_ops.exp(_tensor(x))


def linear(x):
    """The identity."""
    return x


_BY_NAME = {fn.__name__: fn for fn in (
    relu, relu6, leaky_relu, elu, selu, gelu, sigmoid, hard_sigmoid, tanh, softmax,
    log_softmax, softplus, softsign, silu, hard_silu, mish, exponential, linear)}
_BY_NAME.update(swish=silu, hard_swish=hard_silu)
_NAME_OF = {fn: name for name, fn in _BY_NAME.items() if name not in ("swish", "hard_swish")}


def serialize(activation):
    """A built-in activation's name; other callables as a Keras object config."""
    if activation in _NAME_OF:
        return _NAME_OF[activation]
    return serialize_keras_object(activation)


def deserialize(config, custom_objects=None):
    if isinstance(config, dict) and config.get("class_name") == "function":
        config = config.get("config")
    if isinstance(config, str):
        found = _BY_NAME.get(config) or get_registered_object(config, custom_objects)
        if found is not None:
            return found
    raise ValueError("Could not interpret activation function identifier: %s" % (config,))


def get(identifier):
    """None -> linear; a name -> the function; a callable -> itself."""
    if identifier is None:
        return linear
    if isinstance(identifier, (str, dict)):
        return deserialize(identifier)
    if callable(identifier):
        return identifier
    raise ValueError("Could not interpret activation function identifier: %s" % (identifier,))
