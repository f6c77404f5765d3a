"""Sequential: a plain stack of layers, each fed the previous one's output.

Given the input shape (an `Input`/`InputLayer` first, an `input_shape=` on the first layer,
a first layer that knows its input shape such as a built Sequential, or `build(shape)`), it
is built at once as a functional model (so `summary()` shows output shapes); otherwise it is
built by its first call.

>>> from autotrace import keras
>>> model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2)])
>>> model.output_shape
(None, 2)
"""
import inspect

from ...core import nest
from .. import backend
from .functional import Functional
from .input_layer import InputLayer
from .layer import Layer
from .model import Model

__all__ = ["Sequential"]


class Sequential(Model):
    """A stack of layers. See the module docstring."""

    def __init__(self, layers=None, trainable=True, name=None):
        super().__init__(trainable=trainable, name=name)
        self._functional = None
        self._layers = []
        for layer in layers or ():
            self.add(layer, rebuild=False)
        if self._layers:
            self._maybe_rebuild()

    def add(self, layer, rebuild=True):
        """Put a layer (or the input of a `keras.Input` tensor) on top of the stack."""
        if not self._layers and getattr(layer, "_input_shape_arg", None) is not None:
            self.add(InputLayer(shape=layer._input_shape_arg), rebuild=False)
        history = getattr(layer, "_keras_history", None)
        if history is not None and isinstance(history.operation, InputLayer):
            layer = history.operation
        if not isinstance(layer, Layer):
            raise ValueError("Only instances of `keras.Layer` can be added to a Sequential "
                             "model. Received: %s (of type %s)" % (layer, type(layer)))
        if any(existing.name == layer.name for existing in self._layers):
            raise ValueError("All layers added to a Sequential model should have unique "
                             "names. Name '%s' is already the name of a layer in this model. "
                             "Update the `name` argument to pass a unique name." % layer.name)
        if isinstance(layer, InputLayer) and self._layers \
                and isinstance(self._layers[0], InputLayer):
            raise ValueError("Sequential model '%s' has already been configured to use input "
                             "shape %s. You cannot add a different Input layer to it."
                             % (self.name, self._layers[0].batch_shape))
        self._layers.append(layer)
        if rebuild:
            self._maybe_rebuild()
        else:
            self.built, self._functional = False, None

    def pop(self, rebuild=True):
        """Remove the top layer and return it."""
        layer = self._layers.pop()
        self.built, self._functional = False, None
        if rebuild and self._layers:
            self._maybe_rebuild()
        return layer

    def _maybe_rebuild(self):
        self.built, self._functional = False, None
        first = self._layers[0]
        if isinstance(first, InputLayer) and len(self._layers) > 1:
            self.build(first.batch_shape)
        elif len(self._layers) > 1 and _known_input_shape(first) is not None:
            self.build(_known_input_shape(first))

    def _trackable_children(self):
        """Checkpoints name the layers `layer-0`, `layer-1`... among the layers proper: the
        InputLayer a model adds in front when it builds itself does not shift them."""
        children = super()._trackable_children()
        children.pop("_layers", None)
        children.update(("layer-%d" % i, layer) for i, layer in enumerate(
            layer for layer in self._layers if not isinstance(layer, InputLayer)))
        return children

    def build(self, input_shape=None):
        """Build as a functional model on an input of this shape (batch size included)."""
        try:
            input_shape = backend.standardize_shape(input_shape)
        except (ValueError, TypeError):
            return  # not a single input tensor: built by the first call instead
        if not self._layers:
            raise ValueError("Sequential model %s cannot be built because it has no layers. "
                             "Call `model.add(layer)`." % self.name)
        if isinstance(self._layers[0], InputLayer):
            if self._layers[0].batch_shape != input_shape:
                raise ValueError("Sequential model '%s' has already been configured to use "
                                 "input shape %s. You cannot build it with input_shape %s"
                                 % (self.name, self._layers[0].batch_shape, input_shape))
        else:
            dtype = self._layers[0].compute_dtype
            self._layers.insert(0, InputLayer(batch_shape=input_shape, dtype=dtype))
        x = inputs = self._layers[0].output
        for layer in self._layers[1:]:
            try:
                x = layer(x)
            except NotImplementedError:
                return  # a layer without shape inference: built by the first call
            except TypeError as exc:
                _explain_bad_layer(layer, exc)
        self._functional = Functional(inputs, x)
        self._build_shapes_dict = {"input_shape": input_shape}
        self.built = True

    def call(self, inputs, training=None, mask=None):
        if self._functional is not None:
            return self._functional.call(inputs, training=training, mask=mask)
        for layer in self.layers:
            kwargs = {}
            info = layer._call_info()
            if info.has_mask and mask is not None:
                kwargs["mask"] = mask
            if info.has_training and training is not None:
                kwargs["training"] = training
            inputs = layer(inputs, **kwargs)
            mask = getattr(inputs, "_keras_mask", None)
        return inputs

    @property
    def layers(self):
        """The layers added (the automatic InputLayer excluded)."""
        if self._layers and isinstance(self._layers[0], InputLayer):
            return self._layers[1:]
        return list(self._layers)

    @layers.setter
    def layers(self, _):
        raise AttributeError("`Sequential.layers` attribute is reserved and should not be "
                             "used. Use `add()` and `pop()` to change the layers in this "
                             "model.")

    def _summary_layers(self):
        return self.layers

    def compute_output_shape(self, input_shape):
        if self._functional is not None:
            return self._functional.compute_output_shape(input_shape)
        for layer in self.layers:
            input_shape = layer.compute_output_shape(input_shape)
        return input_shape

    def _require_functional(self, what):
        if self._functional is None:
            raise AttributeError("Sequential model '%s' has no defined %s yet."
                                 % (self.name, what))
        return self._functional

    @property
    def input_shape(self):
        return self._require_functional("input shape").input_shape

    @property
    def output_shape(self):
        return self._require_functional("output shape").output_shape

    @property
    def inputs(self):
        return self._require_functional("inputs").inputs

    @property
    def outputs(self):
        return self._require_functional("outputs").outputs

    @property
    def input(self):
        return self._require_functional("input").input

    @property
    def output(self):
        return self._require_functional("output").output

    def get_config(self):
        from ..serialization import serialize_keras_object
        layers = [serialize_keras_object(layer) for layer in self._layers]
        return {"name": self.name, "trainable": self.trainable, "layers": layers}

    @classmethod
    def from_config(cls, config, custom_objects=None):
        from ..serialization import builtin_objects, deserialize_keras_object
        known = dict(builtin_objects("keras.layers"), **builtin_objects("keras.models"))
        known.update(InputLayer=InputLayer, Sequential=Sequential)
        layers = [deserialize_keras_object(c, known, custom_objects, "layer")
                  for c in config["layers"]]
        return cls(layers, trainable=config.get("trainable", True), name=config.get("name"))


def _known_input_shape(layer):
    """The input shape a layer already knows (a built Sequential/functional model)."""
    if isinstance(layer, (Sequential, Functional)):
        try:
            shape = layer.input_shape
        except AttributeError:
            return None
        return shape if not nest.is_nested(shape) or isinstance(shape, tuple) else None
    return None


def _explain_bad_layer(layer, exc):
    params = inspect.signature(layer.call).parameters.values()
    positional = [p for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    required = [p for p in positional if p.default is p.empty]
    if not positional:
        raise ValueError("Layers added to a Sequential model should have a single positional "
                         "argument, the input tensor. Layer %s has no positional arguments."
                         % type(layer).__name__) from exc
    if len(required) > 1:
        raise ValueError("Layers added to a Sequential model can only have a single required "
                         "positional argument, the input tensor. Layer %s has multiple "
                         "required positional arguments: %s"
                         % (type(layer).__name__, required)) from exc
    raise exc
