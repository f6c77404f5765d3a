"""Model: a Layer with the top-level features (its layers, get_layer, summary).

Three ways to make one:
- subclass Model and write `call` (layers in attributes are tracked);
- `Model(inputs, outputs)` over KerasTensors: a Functional model (engine/functional.py);
- `Sequential([...])`: a stack of layers (engine/sequential.py).

Training (`compile`/`fit`/`evaluate`/`predict`) builds on `train_step`/`test_step`/
`predict_step`; custom training loops call the model and use GradientTape directly.
"""
from ...core import nest
from ...core.tensor_shape import TensorSpec
from ...tracing.polymorphic import function
from .layer import Layer
from .summary import print_summary

__all__ = ["Model"]


class Model(Layer):
    """A Layer that is trained as a whole. See the module docstring.

    >>> from autotrace import keras
    >>> inputs = keras.Input(shape=(3,))
    >>> model = keras.Model(inputs, keras.layers.Dense(2)(inputs))
    >>> type(model).__name__
    'Functional'
    """

    _keras_module = "keras"
    _functional_class = None   # set by engine.functional (Model(inputs, outputs) makes one)

    def __new__(cls, *args, **kwargs):
        if cls is Model and (args or "inputs" in kwargs):
            return Model._functional_class.__new__(Model._functional_class, *args, **kwargs)
        return super().__new__(cls, *args, **kwargs)

    def __init__(self, *args, **kwargs):
        if args or "inputs" in kwargs or "outputs" in kwargs:
            # A subclass giving inputs and outputs to Model.__init__ is a functional model
            # with methods of its own: it becomes (subclass, Functional), as in Keras.
            functional = Model._functional_class
            if not isinstance(self, functional):
                self.__class__ = _with_functional(type(self), functional)
            functional.__init__(self, *args, **kwargs)
            return
        super().__init__(**kwargs)
        self.run_eagerly = False
        self.compiled = False
        self.optimizer = None

    # -- saving ------------------------------------------------------------------------------
    def _default_save_signature(self):
        """What `autotrace.saved_model.save(model)` serves when no method of the model has
        an input_signature: `model(inputs, training=False)` for the model's inputs, any
        batch size. None before the model knows its inputs (build or call it first)."""
        specs = self._input_specs()
        if specs is None:
            return None
        model = self

        @function(input_signature=[specs])
        def serve(inputs):
            return model(inputs, training=False)
        return serve

    def _input_specs(self):
        try:
            structure = self.input
        except (AttributeError, ValueError):
            structure = None
        if structure is not None:
            return nest.map_structure(
                lambda x: TensorSpec([None] + list(x.shape)[1:], x.dtype), structure)
        shapes = self._build_shapes_dict
        if shapes is not None and list(shapes) == ["input_shape"]:
            shape = shapes["input_shape"]
            return TensorSpec([None] + list(shape)[1:], self.input_dtype)
        return None

    # -- layers ------------------------------------------------------------------------------
    @property
    def layers(self):
        """The model's direct sublayers, in the order they were assigned."""
        return self._tracked_layers()

    @layers.setter
    def layers(self, _):
        raise AttributeError("`Model.layers` attribute is reserved and should not be used. "
                             "Please use another name.")

    def _summary_layers(self):
        return self.layers

    def get_layer(self, name=None, index=None):
        """A sublayer by name or by index in `layers`."""
        if index is not None and name is not None:
            raise ValueError("Provide only a layer name or a layer index. Received: "
                             "index=%s, name=%s." % (index, name))
        layers = self.layers
        if index is not None:
            if len(layers) <= index:
                raise ValueError("Was asked to retrieve layer at index %d but model only has "
                                 "%d layers." % (index, len(layers)))
            return layers[index]
        if name is not None:
            for layer in layers:
                if layer.name == name:
                    return layer
            raise ValueError("No such layer: %s. Existing layers are: %s."
                             % (name, [layer.name for layer in layers]))
        raise ValueError("Provide either a layer name or layer index at `get_layer`.")

    def summary(self, line_length=None, positions=None, print_fn=None, expand_nested=False,
                show_trainable=False, layer_range=None):
        """Print a table of the layers: name (type), output shape, parameter count (and,
        for non-sequential functional models, what each layer is connected to)."""
        print_summary(self, line_length, positions, print_fn, expand_nested, show_trainable,
                      layer_range)

    @classmethod
    def from_config(cls, config, custom_objects=None):
        """A model from its config (a functional model's config rebuilds its graph)."""
        if "input_layers" in config and "output_layers" in config \
                and Model._functional_class is not None:
            functional = Model._functional_class
            target = cls if issubclass(cls, functional) else functional
            return functional.from_config.__func__(target, config, custom_objects)
        return super().from_config(config)

    # -- training hooks (compile/fit build on these) ------------------------------------------
    def train_step(self, data):
        raise NotImplementedError("Model.train_step comes with compile()/fit(); in a custom "
                                  "training loop, call the model under a GradientTape.")

    def test_step(self, data):
        raise NotImplementedError("Model.test_step comes with compile()/evaluate().")

    def predict_step(self, data):
        x = data[0] if isinstance(data, tuple) else data
        return self(x, training=False)


_FUNCTIONAL_SUBCLASSES = {}


def _with_functional(cls, functional):
    found = _FUNCTIONAL_SUBCLASSES.get(cls)
    if found is None:
        found = _FUNCTIONAL_SUBCLASSES[cls] = type(cls.__name__, (cls, functional),
                                                   {"__module__": cls.__module__})
    return found
