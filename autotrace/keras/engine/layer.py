"""Layer: state (weights) plus computation (`call`), built lazily on its first call.

    class Linear(keras.layers.Layer):
        def __init__(self, units=32, **kwargs):
            super().__init__(**kwargs)
            self.units = units

        def build(self, input_shape):            # called once, with the first input's shape
            self.w = self.add_weight(shape=(input_shape[-1], self.units))

        def call(self, inputs):
            return inputs @ self.w

What a call does (`__call__`), in order:
1. KerasTensor arguments (functional API): run symbolically, record a Node, return
   KerasTensors (a `dynamic=True` layer answers with `compute_output_shape` instead).
2. Convert array arguments to tensors; cast floating ones to the compute dtype.
3. Check the first argument against `input_spec`; build if needed (with the input's shape,
   under the layer's name so weights get paths like 'model/dense/kernel'); check again.
4. Resolve `training` (explicit argument, else the enclosing layer call's, else the
   signature's default) and `mask` (the first input's `_keras_mask`).
5. Run `call`: as written when executing eagerly or when `dynamic=True`; converted by
   AutoGraph inside a traced function, so a Python `if` on a tensor becomes a cond there.
6. Activity regularization; attach the output mask (`compute_mask`).

Weights, sublayers, metrics and losses are LayerState's (engine/tracking.py). The outermost
call clears the `add_loss` losses of the layer and its sublayers.
"""
import functools
import warnings

from ... import autograph
from ...core import nest
from ...core.context import executing_eagerly, init_scope
from ...core.tensor import Tensor
from ...control_flow.script_ops import py_function
from ...ops import array_ops
from ...ops.math_ops import cast
from .. import backend, dtype_policies, regularizers
from ..serialization import serialize_keras_object
from .call_spec import (CallInfo, auto_config, input_shape_arg, keras_tensors_for, mask_of,
                        shapes_for_build)
from .input_spec import assert_input_compatibility
from .keras_tensor import any_symbolic_tensors, is_symbolic
from .node import Node
from .scratch import run_symbolically
from .state import STATE, CallContext, autocast_scope, in_symbolic_scope, layer_scope
from .tracking import LayerState

__all__ = ["Layer"]


def _is_library_class_method(cls, name):
    """True when `cls.name` is autotrace's own code (written with ops: no conversion)."""
    fn = getattr(cls, name, None)
    module = getattr(fn, "__module__", "") or ""
    return module.startswith("autotrace.")


class Layer(LayerState):
    """The base class of layers (and models). See the module docstring.

    Args:
      trainable: whether the weights are updated by training (settable later: freezing).
      name: a unique name (default: the class name in snake case, numbered).
      dtype: the dtype policy ('float32', 'mixed_float16', a DTypePolicy).
      dynamic: run `call` as written, never converted (for arbitrary Python code); output
        shapes for the functional API come from `compute_output_shape`.
      activity_regularizer: a penalty on the outputs, added to `losses`.
      input_shape / input_dim / batch_size / batch_input_shape: the expected input (used by
        Sequential models to build at once).
    """

    _keras_module = "keras.layers"
    _call_infos = {}

    def __new__(cls, *args, **kwargs):
        layer = super().__new__(cls)
        layer._initialized = False
        layer._auto_config = auto_config(cls, args, kwargs)
        # `layer.build(shape)` called directly must also mark the layer built and record
        # the shape; the wrapper is an instance attribute, so user builds stay as written.
        layer.build = functools.partial(_build_wrapper, layer)
        return layer

    def __init__(self, *, trainable=True, name=None, dtype=None, dynamic=False, autocast=True,
                 activity_regularizer=None, input_shape=None, input_dim=None,
                 batch_input_shape=None, batch_size=None, **kwargs):
        if kwargs:
            raise ValueError("Unrecognized keyword arguments passed to %s: %s"
                             % (type(self).__name__, kwargs))
        if name is None:
            name = backend.unique_object_name(type(self).__name__)
        elif not isinstance(name, str) or "/" in name:
            raise ValueError("Argument `name` must be a string and cannot contain character "
                             "`/`. Received: name=%s (of type %s)" % (name, type(name)))
        if not isinstance(trainable, bool):
            raise ValueError("Expected `trainable` to be a boolean. Received: trainable=%s "
                             "(of type %s)" % (trainable, type(trainable)))
        super().__init__(name=name)
        self._dtype_policy = dtype_policies.get(dtype)
        self._trainable = trainable
        self._dynamic = bool(dynamic)
        self.autocast = autocast
        self.activity_regularizer = regularizers.get(activity_regularizer)
        self._own_trainable, self._own_non_trainable = [], []
        self._losses, self._callable_losses = [], []
        self._inbound_nodes, self._outbound_nodes = [], []
        self._input_spec = None
        self._build_shapes_dict = None
        self.built = False
        self._called = False
        self._supports_masking = type(self).compute_mask is not Layer.compute_mask
        self._input_shape_arg = input_shape_arg(input_shape, input_dim, batch_input_shape,
                                                 batch_size)
        self._initialized = True

    # -- identity ----------------------------------------------------------------------------
    @property
    def name(self):
        return self._name

    @property
    def path(self):
        return self._name

    @property
    def dynamic(self):
        return self._dynamic

    def __repr__(self):
        return "<%s name=%s, built=%s>" % (type(self).__name__, self.name, self.built)

    __str__ = __repr__

    # -- dtypes --------------------------------------------------------------------------------
    @property
    def dtype_policy(self):
        return self._dtype_policy

    @dtype_policy.setter
    def dtype_policy(self, value):
        self._dtype_policy = dtype_policies.get(value)

    @property
    def dtype(self):
        """The dtype of the weights (alias of variable_dtype)."""
        return self._dtype_policy.variable_dtype

    @property
    def compute_dtype(self):
        return self._dtype_policy.compute_dtype

    @property
    def variable_dtype(self):
        return self._dtype_policy.variable_dtype

    @property
    def input_dtype(self):
        return self._dtype_policy.compute_dtype

    # -- building ------------------------------------------------------------------------------
    def build(self, input_shape=None):
        """Create the weights (override it). Called once, before the first `call`, with the
        shape of the first input (a tuple; None for unknown sizes)."""
        self.built = True

    @property
    def input_spec(self):
        return self._input_spec

    @input_spec.setter
    def input_spec(self, value):
        self._input_spec = value

    def get_build_config(self):
        if self._build_shapes_dict is not None and len(self._build_shapes_dict) == 1:
            return {"input_shape": next(iter(self._build_shapes_dict.values()))}
        if self._build_shapes_dict is not None:
            return {"shapes_dict": dict(self._build_shapes_dict)}
        return None

    def build_from_config(self, config):
        if config:
            if "input_shape" in config:
                self.build(config["input_shape"])
            else:
                self.build(**config["shapes_dict"])

    def _maybe_build(self, args, kwargs):
        if self.built:
            return
        shapes = shapes_for_build(self, args, kwargs)
        with layer_scope(self):
            if in_symbolic_scope():
                with init_scope():
                    type(self).build(self, **shapes)
            else:
                type(self).build(self, **shapes)
        self.built = True

    # -- calling -------------------------------------------------------------------------------
    def call(self, *args, **kwargs):
        raise NotImplementedError("Layer %s does not have a `call()` method implemented."
                                  % type(self).__name__)

    @classmethod
    def _call_info(cls):
        info = Layer._call_infos.get(cls)
        if info is None:
            info = Layer._call_infos[cls] = CallInfo(cls.call)
        return info

    def __call__(self, *args, **kwargs):
        self._check_super_called()
        self._called = True
        if any_symbolic_tensors(args, kwargs):
            return self._symbolic_call(args, kwargs)
        info = self._call_info()
        args, kwargs = self._convert_arguments(args, kwargs)
        first = self._check_input_spec(args, kwargs)
        if not self.built:
            self._maybe_build(args, kwargs)
            self._check_input_spec(args, kwargs)
        context = STATE.call_context
        entry = context is None
        if entry:
            context = STATE.call_context = CallContext(self)
        self._call_generation = context.generation
        saved_training = context.training
        try:
            training = kwargs.get("training")
            if training is None:
                training = saved_training if saved_training is not None \
                    else info.training_default
            context.training = training
            if info.has_training:
                if training is not None:
                    kwargs["training"] = training
            else:
                kwargs.pop("training", None)
            previous_mask = mask_of(first)
            if info.has_mask and kwargs.get("mask") is None and previous_mask is not None:
                kwargs["mask"] = previous_mask
            outputs = self._run_call(args, kwargs)
            self.built = True
            if self.activity_regularizer is not None:
                self._add_activity_loss(outputs)
            if self._supports_masking:
                self._set_output_masks(first, outputs, kwargs.get("mask", previous_mask))
        finally:
            context.training = saved_training
            if entry:
                STATE.call_context = None
        return outputs

    def _check_input_spec(self, args, kwargs):
        """Check the first argument against input_spec (seed 003: before and after build);
        returns it."""
        first = args[0] if args else kwargs.get(self._call_info().first_arg)
        if self._input_spec is not None:
            assert_input_compatibility(self._input_spec, first, self.name)
        return first

    def _run_call(self, args, kwargs):
        call = self.call
        if self._dynamic and not executing_eagerly():
            return self._run_dynamic_in_trace(args, kwargs)
        if not self._dynamic and not executing_eagerly() \
                and not _is_library_class_method(type(self), "call"):
            # Inside a traced function (or a symbolic call): convert, as tf.function does.
            call = autograph.convert(call)
        with layer_scope(self):
            if self.compute_dtype != self.variable_dtype and self.autocast:
                with autocast_scope(self.compute_dtype):
                    return call(*args, **kwargs)
            return call(*args, **kwargs)

    def _run_dynamic_in_trace(self, args, kwargs):
        """A dynamic layer called inside a traced function still runs its call eagerly, as a
        py_function op (gradients reach its tensor inputs). Its own weights could not get
        gradients through that op, so a dynamic layer with trainable weights is refused."""
        if self.trainable_weights:
            raise TypeError(
                "Layer '%s' is dynamic (dynamic=True), so its call runs eagerly, as written, "
                "and it has trainable weights, which cannot receive gradients from an eager "
                "call inside a traced function. Call the model eagerly (without "
                "autotrace.function around it), or drop dynamic=True and write call with "
                "autotrace ops (AutoGraph converts its Python control flow)." % self.name)
        flat = [x for x in nest.flatten([list(args), kwargs]) if isinstance(x, Tensor)]
        output_shape = self._output_shape_for(args, kwargs)

        def run_eagerly(*values):
            replace = iter(values)
            eager_args, eager_kwargs = nest.map_structure(
                lambda x: next(replace) if isinstance(x, Tensor) else x, [list(args), kwargs])
            with layer_scope(self):
                return self.call(*eager_args, **eager_kwargs)
        output = py_function(run_eagerly, flat, self.compute_dtype)
        output.set_shape(output_shape)
        return output

    def _convert_arguments(self, args, kwargs):
        dtype = self.input_dtype
        if (len(args) == 1 and not kwargs and isinstance(args[0], Tensor)
                and args[0].dtype.name == dtype):
            return args, kwargs  # the common case, with nothing to convert

        def convert(x):
            mask = getattr(x, "_keras_mask", None)
            y = self._dtype_policy.convert_input(x, self.autocast, dtype)
            if mask is not None and y is not x and isinstance(y, Tensor):
                y._keras_mask = mask
            return y
        args = tuple(nest.map_structure(convert, list(args)))
        kwargs = {k: (v if k in ("training", "mask") else nest.map_structure(convert, v))
                  for k, v in kwargs.items()}
        return args, kwargs

    def _add_activity_loss(self, outputs):
        for output in nest.flatten(outputs):
            if isinstance(output, Tensor):
                loss = self.activity_regularizer(output)
                if output.shape.rank:
                    batch = cast(_batch_size(output), loss.dtype)
                    loss = loss / batch
                self.add_loss(loss)

    def _set_output_masks(self, inputs, outputs, previous_mask):
        flat = [t for t in nest.flatten(outputs) if isinstance(t, Tensor)]
        if not flat or all(getattr(t, "_keras_mask", None) is not None for t in flat):
            return
        masks = self.compute_mask(inputs, previous_mask)
        if masks is None:
            return
        for tensor, mask in zip(flat, nest.flatten(masks)):
            if getattr(tensor, "_keras_mask", None) is None and mask is not None:
                tensor._keras_mask = mask

    # -- the functional API --------------------------------------------------------------------
    def _symbolic_call(self, args, kwargs):
        if not self.built:
            self._check_input_spec(args, kwargs)
            self._maybe_build(args, kwargs)  # eagerly, from the KerasTensors' shapes
        if self._dynamic:
            outputs = self._outputs_from_compute_output_shape(args, kwargs)
        else:
            try:
                outputs = run_symbolically(self.__call__, args, kwargs)
            except Exception:
                if not _overrides(type(self), "compute_output_shape"):
                    raise
                outputs = self._outputs_from_compute_output_shape(args, kwargs)
            finally:
                self._clear_losses()  # losses of placeholders mean nothing later
        Node(self, args, kwargs, outputs)
        return outputs

    def _outputs_from_compute_output_shape(self, args, kwargs):
        return keras_tensors_for(self._output_shape_for(args, kwargs), self.compute_dtype)

    def _output_shape_for(self, args, kwargs):
        """compute_output_shape for these arguments' shapes (one shape is passed
        positionally, several by their `<argument>_shape` names)."""
        shapes = shapes_for_build(self, args, kwargs)
        with layer_scope(self):
            if len(shapes) == 1:
                return self.compute_output_shape(*shapes.values())
            return self.compute_output_shape(**shapes)

    def compute_output_spec(self, *args, **kwargs):
        """KerasTensors describing the outputs for KerasTensor inputs (no Node recorded)."""
        if self._dynamic:
            return self._outputs_from_compute_output_shape(args, kwargs)
        return run_symbolically(self.__call__, args, kwargs)

    def compute_output_shape(self, *args, **kwargs):
        """The output shape for an input shape; by default found by running `call` on a
        symbolic input (layers whose call cannot run symbolically override it)."""
        if self._dynamic:
            raise NotImplementedError(
                "Layer %s is dynamic (dynamic=True): its `call` runs as written and is never "
                "run on symbolic inputs, so it must implement "
                "`def compute_output_shape(self, input_shape)` to be used in a functional "
                "model." % type(self).__name__)
        shapes = list(args) + list(kwargs.values())
        specs = keras_tensors_for(shapes[0], self.compute_dtype) if shapes else None
        outputs = run_symbolically(self.__call__, (specs,))
        return nest.map_structure(lambda t: t.shape if is_symbolic(t) else t, outputs)

    @property
    def input(self):
        """The input KerasTensor(s) of the layer's only functional call."""
        return self._node_attribute("call_args", "input")

    @property
    def output(self):
        """The output KerasTensor(s) of the layer's only functional call."""
        return self._node_attribute("outputs", "output")

    def _node_attribute(self, attribute, what):
        if not self._inbound_nodes:
            raise AttributeError("Layer %s has never been called and thus has no defined %s."
                                 % (self.name, what))
        if len(self._inbound_nodes) > 1:
            raise AttributeError("Layer %s has multiple inbound nodes, hence the notion of "
                                 "\"layer %s\" is ill-defined. Use `get_%s_at(node_index)` "
                                 "instead." % (self.name, what, what))
        value = getattr(self._inbound_nodes[0], attribute)
        if attribute == "call_args":
            value = value[0] if len(value) == 1 else list(value)
        return value

    def get_input_at(self, node_index):
        args = self._inbound_nodes[node_index].call_args
        return args[0] if len(args) == 1 else list(args)

    def get_output_at(self, node_index):
        return self._inbound_nodes[node_index].outputs

    # -- masking -------------------------------------------------------------------------------
    @property
    def supports_masking(self):
        return self._supports_masking

    @supports_masking.setter
    def supports_masking(self, value):
        self._supports_masking = bool(value)

    def compute_mask(self, inputs, previous_mask):
        """The mask of the outputs (default: the input's mask, passed through)."""
        return previous_mask

    # -- configuration -------------------------------------------------------------------------
    def get_config(self):
        """The constructor arguments that recreate this layer (`from_config(config)`).

        Built-in layers add theirs; a custom layer whose constructor only took plain
        values gets them automatically."""
        self._check_super_called()
        config = {"name": self.name, "trainable": self.trainable,
                  "dtype": dtype_policies.serialize(self._dtype_policy)}
        if self.activity_regularizer is not None:
            config["activity_regularizer"] = serialize_keras_object(self.activity_regularizer)
        if _overrides(type(self), "get_config") or self._auto_config is None:
            if not _overrides(type(self), "get_config") and _custom_init(type(self)):
                raise NotImplementedError(
                    "Object %s was created by passing positional only or variadic positional "
                    "arguments (e.g., `*args`) to `__init__()`, which is not supported by the "
                    "automatic config generation. Please remove all positional only and "
                    "variadic arguments from `__init__()` or override `get_config()` and "
                    "`from_config()` to make the object serializable." % type(self).__name__)
            return config
        auto = dict(self._auto_config)
        for key in ("trainable", "dtype", "dynamic", "autocast"):
            auto.pop(key, None)
        if _custom_init(type(self)):
            bad = [k for k, v in auto.items() if not _plain_value(v)]
            if bad:
                raise NotImplementedError(
                    "Object %s was created by passing non-serializable argument values in "
                    "`__init__()` (%s), and therefore the object must override `get_config()` "
                    "in order to be serializable. Please implement `get_config()`."
                    % (type(self).__name__, ", ".join(bad)))
            config.update(auto)
        return config

    @classmethod
    def from_config(cls, config):
        """A new layer from `get_config()`'s output."""
        config = dict(config)
        if "dtype" in config and isinstance(config["dtype"], dict):
            config["dtype"] = dtype_policies.deserialize(config["dtype"])
        try:
            return cls(**config)
        except Exception as exc:
            raise TypeError("Error when deserializing class '%s' using config=%s.\n\n"
                            "Exception encountered: %s" % (cls.__name__, config, exc)) from exc

    def _check_super_called(self):
        if not getattr(self, "_initialized", False):
            raise RuntimeError("In layer '%s', you forgot to call `super().__init__()` as the "
                               "first statement in the `__init__()` method. Go add it!"
                               % type(self).__name__)


def _build_wrapper(layer, *args, **kwargs):
    """`layer.build(shape)` called by the user: record the shapes and mark the layer built.
    A layer without its own build (a model made of sublayers) is built by running `call`
    symbolically on an input of that shape, which builds the sublayers."""
    if len(args) == 1 and not kwargs:
        layer._build_shapes_dict = {"input_shape": args[0]}
    elif kwargs:
        layer._build_shapes_dict = dict(kwargs)
    if type(layer).build is Layer.build and len(args) == 1 and args[0] is not None \
            and _has_unbuilt_sublayers(layer):
        _build_by_symbolic_call(layer, args[0])
    with layer_scope(layer):
        type(layer).build(layer, *args, **kwargs)
    layer.built = True


def _build_by_symbolic_call(layer, input_shape):
    try:
        run_symbolically(layer.__call__, (keras_tensors_for(input_shape, layer.compute_dtype),))
    except Exception as exc:  # noqa: BLE001  (as in Keras: a call that needs data may fail)
        warnings.warn("Layer '%s' looks like it has unbuilt state, but autotrace could not "
                      "run `call()` on a symbolic input of shape %s to build it: %s. "
                      "Implement `build(self, input_shape)` to create the state, or call the "
                      "layer on data first." % (layer.name, input_shape, exc), stacklevel=3)
    finally:
        layer._clear_losses()


def _plain_value(value):
    """What a config may hold as it is: JSON-like values (and nests of them)."""
    if value is None or isinstance(value, (str, int, float, bool)):
        return True
    if isinstance(value, (list, tuple)):
        return all(map(_plain_value, value))
    if isinstance(value, dict):
        return all(isinstance(k, str) and _plain_value(v) for k, v in value.items())
    return False


def _overrides(cls, name):
    return getattr(cls, name) is not getattr(Layer, name) and \
        not _is_library_class_method(cls, name)


def _custom_init(cls):
    return not _is_library_class_method(cls, "__init__")


def _has_unbuilt_sublayers(layer):
    return any(not sub.built for sub in layer._tracked_layers())


def _batch_size(tensor):
    return array_ops.shape(tensor)[0]
