"""Core layers: Dense, Activation, Dropout, Embedding, Lambda, Identity, Masking,
ActivityRegularization.

>>> import numpy as np
>>> from autotrace import keras
>>> layer = keras.layers.Dense(2, kernel_initializer="ones")
>>> layer(np.ones((1, 3), np.float32)).numpy()
array([[3., 3.]], dtype=float32)
"""
from ...ops import array_ops, math_ops, nn_ops
from ...control_flow import cond
from ...ops.gather_ops import gather
from ...core.tensor import Tensor
from .. import activations, constraints, initializers, regularizers
from ..engine.input_spec import InputSpec
from ..engine.layer import Layer
from ..serialization import serialize_keras_object

__all__ = ["Dense", "Activation", "Dropout", "Embedding", "Lambda", "Identity", "Masking",
           "ActivityRegularization", "training_branch"]


def training_branch(training, when_training, otherwise):
    """`when_training()` if training else `otherwise()`; a tensor flag becomes a cond."""
    if isinstance(training, Tensor):
        return cond(training, when_training, otherwise)
    return when_training() if training else otherwise()


def as_compute_dtype(x, dtype):
    """Integer or bool inputs of a weighted layer become `dtype` (as Keras 3's ops promote
    int32 @ float32 to float32); floating inputs were cast by Layer.__call__ already."""
    return x if x.dtype.is_floating else math_ops.cast(x, dtype)


def set_kernel_options(layer, use_bias, kernel_initializer, bias_initializer,
                       kernel_regularizer, bias_regularizer, kernel_constraint,
                       bias_constraint):
    """The options of a layer with a kernel and a bias (Dense, the convolutions)."""
    layer.use_bias = use_bias
    layer.kernel_initializer = initializers.get(kernel_initializer)
    layer.bias_initializer = initializers.get(bias_initializer)
    layer.kernel_regularizer = regularizers.get(kernel_regularizer)
    layer.bias_regularizer = regularizers.get(bias_regularizer)
    layer.kernel_constraint = constraints.get(kernel_constraint)
    layer.bias_constraint = constraints.get(bias_constraint)


def add_kernel_and_bias(layer, kernel_shape, units):
    """Create `layer.kernel` and (if use_bias) `layer.bias` of `units` values."""
    layer.kernel = layer.add_weight(name="kernel", shape=kernel_shape,
                                    initializer=layer.kernel_initializer,
                                    regularizer=layer.kernel_regularizer,
                                    constraint=layer.kernel_constraint)
    layer.bias = layer.add_weight(name="bias", shape=(units,),
                                  initializer=layer.bias_initializer,
                                  regularizer=layer.bias_regularizer,
                                  constraint=layer.bias_constraint) if layer.use_bias else None


def kernel_options_config(layer, activity_regularizer=False):
    """The options' config entries in Keras's order (the convolutions list the activity
    regularizer among them)."""
    config = {"use_bias": layer.use_bias,
              "kernel_initializer": _serialize(layer.kernel_initializer),
              "bias_initializer": _serialize(layer.bias_initializer),
              "kernel_regularizer": _serialize(layer.kernel_regularizer),
              "bias_regularizer": _serialize(layer.bias_regularizer)}
    if activity_regularizer:
        config["activity_regularizer"] = _serialize(layer.activity_regularizer)
    config["kernel_constraint"] = _serialize(layer.kernel_constraint)
    config["bias_constraint"] = _serialize(layer.bias_constraint)
    return config


def _no_quantization(layer, lora_rank, quantization_config):
    if lora_rank is not None or quantization_config is not None:
        raise NotImplementedError("%s: LoRA and quantization are not implemented in autotrace"
                                  % type(layer).__name__)


def _serialize(obj):
    return serialize_keras_object(obj)


class Dense(Layer):
    """`activation(inputs @ kernel + bias)` on the last axis of the input."""

    def __init__(self, units, activation=None, use_bias=True,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros",
                 kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, bias_constraint=None, lora_rank=None,
                 lora_alpha=None, quantization_config=None, **kwargs):
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        _no_quantization(self, lora_rank, quantization_config)
        if not isinstance(units, int) or isinstance(units, bool) or units <= 0:
            raise ValueError("Received an invalid value for `units`, expected a positive "
                             "integer. Received: units=%s" % (units,))
        self.units = units
        self.activation = activations.get(activation)
        set_kernel_options(self, use_bias, kernel_initializer, bias_initializer,
                           kernel_regularizer, bias_regularizer, kernel_constraint,
                           bias_constraint)
        self.input_spec = InputSpec(min_ndim=2)
        self.supports_masking = True

    def build(self, input_shape):
        input_dim = input_shape[-1]
        if input_dim is None:
            raise ValueError("The last dimension of the inputs to a Dense layer should be "
                             "defined. Found None. Full input shape received: %s"
                             % (tuple(input_shape),))
        add_kernel_and_bias(self, (input_dim, self.units), self.units)
        self.input_spec = InputSpec(min_ndim=2, axes={-1: input_dim})
        self.built = True

    def call(self, inputs, training=None):
        inputs = as_compute_dtype(inputs, self.compute_dtype)
        if inputs.shape.rank == 2:
            x = math_ops.matmul(inputs, self.kernel)
        else:
            x = math_ops.tensordot(inputs, self.kernel, [[inputs.shape.rank - 1], [0]])
        if self.bias is not None:
            x = nn_ops.bias_add(x, self.bias)
        if self.activation is not activations.linear:
            x = self.activation(x)
        return x

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)[:-1] + (self.units,)

    def get_config(self):
        return {**super().get_config(), "units": self.units,
                "activation": activations.serialize(self.activation),
                **kernel_options_config(self), "quantization_config": None}


class Activation(Layer):
    """Apply an activation function (a name or a callable)."""

    def __init__(self, activation, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True
        self.activation = activations.get(activation)
        self.built = True

    def call(self, inputs):
        return self.activation(inputs)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(),
                "activation": activations.serialize(self.activation)}


class Dropout(Layer):
    """While training, zero a fraction `rate` of the inputs and scale the rest by
    1 / (1 - rate); the identity at inference."""

    def __init__(self, rate, noise_shape=None, seed=None, **kwargs):
        super().__init__(**kwargs)
        if not 0 <= rate <= 1:
            raise ValueError("Invalid value received for argument `rate`. Expected a float "
                             "value between 0 and 1. Received: rate=%s" % (rate,))
        self.rate, self.noise_shape, self.seed = rate, noise_shape, seed
        self.supports_masking = True
        self.built = True

    def call(self, inputs, training=False):
        if self.rate == 0:
            return inputs
        if self.rate == 1:
            return training_branch(training, lambda: array_ops.zeros_like(inputs),
                                   lambda: inputs)
        return training_branch(
            training, lambda: nn_ops.dropout(inputs, self.rate, self._noise_shape(inputs),
                                             self.seed),
            lambda: array_ops.identity(inputs) if isinstance(training, Tensor) else inputs)

    def _noise_shape(self, inputs):
        if self.noise_shape is None:
            return None
        dynamic = array_ops.shape(inputs)
        return [dynamic[i] if d is None else d for i, d in enumerate(self.noise_shape)]

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "rate": self.rate, "seed": self.seed,
                "noise_shape": self.noise_shape}


class Embedding(Layer):
    """Map integer indices to dense vectors (rows of `embeddings`); with mask_zero, index 0
    is padding and the output carries a mask."""

    def __init__(self, input_dim, output_dim, embeddings_initializer="uniform",
                 embeddings_regularizer=None, embeddings_constraint=None, mask_zero=False,
                 weights=None, lora_rank=None, lora_alpha=None, quantization_config=None,
                 **kwargs):
        kwargs.pop("input_length", None)
        activity_regularizer = kwargs.pop("activity_regularizer", None)
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        _no_quantization(self, lora_rank, quantization_config)
        self.input_dim, self.output_dim = input_dim, output_dim
        if embeddings_initializer == "uniform":
            embeddings_initializer = initializers.RandomUniform()
        self.embeddings_initializer = initializers.get(embeddings_initializer)
        self.embeddings_regularizer = regularizers.get(embeddings_regularizer)
        self.embeddings_constraint = constraints.get(embeddings_constraint)
        self.mask_zero = mask_zero
        self.supports_masking = mask_zero
        self.autocast = False
        self._initial_weights = weights

    def build(self, input_shape=None):
        self.embeddings = self.add_weight(shape=(self.input_dim, self.output_dim),
                                          initializer=self.embeddings_initializer,
                                          name="embeddings",
                                          regularizer=self.embeddings_regularizer,
                                          constraint=self.embeddings_constraint)
        if self._initial_weights is not None:
            self.set_weights(self._initial_weights)
        self.built = True

    def call(self, inputs):
        if not inputs.dtype.is_integer:
            inputs = math_ops.cast(inputs, "int32")
        return gather(self.embeddings, inputs)

    def compute_mask(self, inputs, mask=None):
        if not self.mask_zero:
            return None
        return math_ops.not_equal(inputs, 0)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape) + (self.output_dim,)

    def get_config(self):
        return {**super().get_config(), "input_dim": self.input_dim,
                "output_dim": self.output_dim,
                "embeddings_initializer": _serialize(self.embeddings_initializer),
                "embeddings_regularizer": _serialize(self.embeddings_regularizer),
                "activity_regularizer": _serialize(self.activity_regularizer),
                "embeddings_constraint": _serialize(self.embeddings_constraint),
                "mask_zero": self.mask_zero, "quantization_config": None}


class Lambda(Layer):
    """Wrap a function of tensors as a layer (`Lambda(lambda x: x ** 2)`).

    Its config names the function; rebuilding it from a config never evaluates code, so a
    lambda can be saved but not loaded from its config (pass it in custom_objects)."""

    def __init__(self, function, output_shape=None, mask=None, arguments=None, **kwargs):
        super().__init__(**kwargs)
        self.function, self.arguments = function, arguments or {}
        self._output_shape, self.mask = output_shape, mask
        self.supports_masking = mask is not None
        self.built = True

    def call(self, inputs, mask=None, training=None):
        return self.function(inputs, **self.arguments)

    def compute_mask(self, inputs, mask=None):
        if callable(self.mask):
            return self.mask(inputs, mask)
        return self.mask

    def compute_output_shape(self, input_shape):
        if self._output_shape is None:
            return super().compute_output_shape(input_shape)
        if callable(self._output_shape):
            return self._output_shape(input_shape)
        return (tuple(input_shape)[0],) + tuple(self._output_shape)

    def get_config(self):
        name = getattr(self.function, "__name__", repr(self.function))
        return {**super().get_config(),
                "function": {"class_name": "function" if name != "<lambda>" else "__lambda__",
                             "config": name},
                "arguments": self.arguments}

    @classmethod
    def from_config(cls, config, custom_objects=None):
        from ..serialization import deserialize_keras_object
        config = dict(config)
        function = config["function"]
        if function.get("class_name") == "__lambda__":
            raise ValueError("Requested the deserialization of a Lambda layer whose function "
                             "is a Python lambda: its code is not loaded from a config "
                             "(that would evaluate arbitrary code). Pass the function in "
                             "`custom_objects` and use a named function.")
        config["function"] = deserialize_keras_object(function, None, custom_objects,
                                                      "function")
        return super().from_config(config)


class Identity(Layer):
    """Return the input unchanged."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True
        self.built = True

    def call(self, inputs):
        return inputs

    def compute_output_shape(self, input_shape):
        return input_shape


class Masking(Layer):
    """Mask the timesteps whose features all equal `mask_value` (and zero them)."""

    def __init__(self, mask_value=0.0, **kwargs):
        super().__init__(**kwargs)
        self.mask_value = mask_value
        self.supports_masking = True
        self.built = True

    def compute_mask(self, inputs, mask=None):
        return math_ops.reduce_any(math_ops.not_equal(inputs, self.mask_value), axis=-1)

    def call(self, inputs):
        keep = math_ops.reduce_any(math_ops.not_equal(inputs, self.mask_value), axis=-1,
                                   keepdims=True)
        outputs = inputs * math_ops.cast(keep, inputs.dtype)
        outputs._keras_mask = array_ops.squeeze(keep, axis=-1)
        return outputs

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "mask_value": self.mask_value}


class ActivityRegularization(Layer):
    """Add l1 * sum(|x|) + l2 * sum(x^2) of the input (over the batch size) to `losses`."""

    def __init__(self, l1=0.0, l2=0.0, **kwargs):
        super().__init__(activity_regularizer=regularizers.L1L2(l1=l1, l2=l2), **kwargs)
        self.supports_masking = True
        self.l1, self.l2 = l1, l2
        self.built = True

    def call(self, inputs):
        return inputs

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = super().get_config()
        config.pop("activity_regularizer", None)
        return {**config, "l1": self.l1, "l2": self.l2}

