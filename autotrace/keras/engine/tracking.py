"""What a layer holds: its weights, the layers, variables and metrics in its attributes,
and its losses. Layer (engine/layer.py) adds building and calling on top.

Tracking is automatic and needs no registration: weights made with `add_weight` are kept in
creation order; layers, Variables and metrics assigned to attributes (directly or inside
lists, tuples and dicts, even appended later) are found by walking the attributes in
assignment order. Since everything sits in attributes, a layer is an ordinary
`autotrace.Module` too (checkpoints and SavedModel reach weights by attribute path).
"""
from ...core import nest
from ...core.tensor import Tensor
from ...ops.constant_op import convert_to_tensor
from ...ops.variables import Module, Variable
from .. import backend, constraints, initializers, regularizers
from .state import STATE, layer_scope
from .summary import count_params
from .variables import KerasVariable

__all__ = ["LayerState"]

# Attributes of the base classes that never hold sublayers or weights to track.
_UNTRACKED = frozenset({
    "_inbound_nodes", "_outbound_nodes", "_losses", "_callable_losses", "_own_trainable",
    "_own_non_trainable", "_input_spec", "_auto_config", "_build_shapes_dict",
    "_dtype_policy", "_functional", "build", "_keras_history", "_compiled", "_tracked_cache",
    "activity_regularizer", "optimizer"})



class LayerState(Module):
    """Weights, sublayers, metrics and losses of a layer (see the module docstring)."""

    # -- weights -------------------------------------------------------------------------------
    def add_weight(self, shape=None, initializer=None, dtype=None, trainable=True,
                   autocast=True, regularizer=None, constraint=None, aggregation="none",
                   overwrite_with_gradient=False, name=None, **kwargs):
        """Create a weight of this layer (a KerasVariable), tracked in `weights`.

        `initializer` defaults to glorot_uniform for floats, zeros otherwise; `regularizer`
        adds its penalty to `losses`; `constraint` is kept on the variable
        (`variable.constraint`)."""
        self._check_super_called()
        if isinstance(shape, str):
            raise ValueError("`name` must be a keyword argument of add_weight. Received: "
                             "add_weight('%s', ...). Use: add_weight(shape=..., name='%s')."
                             % (shape, shape))
        unknown = set(kwargs) - {"synchronization", "use_resource", "experimental_autocast"}
        if unknown:
            raise TypeError("add_weight() got unexpected keyword arguments: %s"
                            % ", ".join(sorted(unknown)))
        dtype = backend.standardize_dtype(dtype) if dtype is not None else self.variable_dtype
        if initializer is None:
            initializer = "glorot_uniform" if backend.is_float_dtype(dtype) else "zeros"
        with layer_scope(self):
            variable = KerasVariable(initializers.get(initializer), shape, dtype,
                                     trainable=trainable and self._trainable,
                                     autocast=autocast, aggregation=aggregation, name=name,
                                     regularizer=regularizers.get(regularizer),
                                     constraint=constraints.get(constraint))
        variable.overwrite_with_gradient = overwrite_with_gradient
        (self._own_trainable if trainable else self._own_non_trainable).append(variable)
        return variable

    def add_variable(self, shape, initializer, dtype=None, trainable=True, autocast=True,
                     regularizer=None, constraint=None, name=None):
        return self.add_weight(shape=shape, initializer=initializer, dtype=dtype,
                               trainable=trainable, autocast=autocast,
                               regularizer=regularizer, constraint=constraint, name=name)

    def _tracked(self):
        """(layers, variables, metrics) held in attributes, directly or in lists, tuples
        and dicts, in assignment order."""
        found = ([], [], [])
        seen = {id(self)}
        for key, value in vars(self).items():
            if key not in _UNTRACKED:
                _collect(value, found, seen)
        return found

    def _own_weights(self, attribute_variables):
        own = self._own_trainable + self._own_non_trainable
        extra = [v for v in attribute_variables if not any(v is w for w in own)]
        if not extra:
            return own
        trainable = self._own_trainable + [v for v in extra if v.trainable]
        return trainable + self._own_non_trainable + [v for v in extra if not v.trainable]

    def _walk_weights(self, seen, out):
        layers, variables, _ = self._tracked()
        for v in self._own_weights(variables):
            if id(v) not in seen:
                seen.add(id(v))
                out.append(v)
        for layer in layers:
            if id(layer) not in seen:
                seen.add(id(layer))
                layer._walk_weights(seen, out)
        return out

    @property
    def weights(self):
        """All weights: this layer's own (trainable first), then its sublayers', in order."""
        return self._walk_weights({id(self)}, [])

    @property
    def trainable_weights(self):
        if not self._trainable:
            return []
        return [v for v in self.weights if v.trainable]

    @property
    def non_trainable_weights(self):
        if not self._trainable:
            return self.weights
        return [v for v in self.weights if not v.trainable]

    variables = weights
    trainable_variables = trainable_weights
    non_trainable_variables = non_trainable_weights

    @property
    def trainable(self):
        return self._trainable

    @trainable.setter
    def trainable(self, value):
        """Freeze (False) or unfreeze the layer and all its sublayers."""
        value = bool(value)
        self._trainable = value
        for v in self._own_trainable:
            v.trainable = value
        for layer in self._tracked_layers():
            layer.trainable = value

    def get_weights(self):
        """The weights' values as NumPy arrays."""
        return [v.numpy() for v in self.weights]

    def set_weights(self, weights):
        """Set the weights from NumPy arrays (same order and shapes as `get_weights`)."""
        layer_weights = self.weights
        if len(layer_weights) != len(weights):
            raise ValueError("You called `set_weights(weights)` on layer '%s' with a weight "
                             "list of length %d, but the layer was expecting %d weights."
                             % (self.name, len(weights), len(layer_weights)))
        for variable, value in zip(layer_weights, weights):
            if tuple(variable.shape.as_list()) != tuple(getattr(value, "shape", ())):
                raise ValueError("Layer %s weight shape %s is not compatible with provided "
                                 "weight shape %s." % (self.name,
                                                       tuple(variable.shape.as_list()),
                                                       tuple(value.shape)))
            variable.assign(value)

    def count_params(self):
        """The number of scalars in the weights (the layer must be built)."""
        if not self.built:
            raise ValueError("You tried to call `count_params` on layer '%s', but the layer "
                             "isn't built. You can build it manually via: "
                             "`layer.build(input_shape)`." % self.name)
        return count_params(self.weights)

    # -- sublayers -----------------------------------------------------------------------------
    def _trackable_children(self):
        """What checkpoints and SavedModels follow, by name: the attributes except the
        bookkeeping (`_UNTRACKED`); the weight lists stay, for weights no attribute
        holds, and so does the compiled optimizer."""
        skip = _UNTRACKED - {"_own_trainable", "_own_non_trainable", "optimizer"}
        return {k: v for k, v in sorted(vars(self).items()) if k not in skip}

    def _tracked_layers(self):
        """The layers held in attributes (directly or in lists/tuples/dicts), in order."""
        return self._tracked()[0]

    def _flatten_layers(self, include_self=True, recursive=True):
        result, seen = ([self] if include_self else []), {id(self)}
        stack = list(reversed(self._tracked_layers()))
        while stack:
            layer = stack.pop()
            if id(layer) in seen:
                continue
            seen.add(id(layer))
            result.append(layer)
            if recursive:
                stack.extend(reversed(layer._tracked_layers()))
        return result

    @property
    def metrics(self):
        """The metrics held in attributes (and in sublayers)."""
        return [m for layer in self._flatten_layers() for m in layer._tracked()[2]]

    # -- losses --------------------------------------------------------------------------------
    # Losses added during an outermost call belong to its generation (engine/state.py); a
    # later outermost call makes them stale instead of walking every sublayer to clear them.
    _call_generation = 0   # the outermost call this layer was last called under
    _loss_generation = 0   # the generation of the losses in self._losses

    def add_loss(self, loss):
        """Add scalar loss tensor(s) to `losses` (replaced at the next outermost call), or a
        zero-argument callable evaluated each time `losses` is read (e.g. a penalty on
        weights)."""
        context = STATE.call_context
        current = context.generation if context is not None else self._call_generation
        if self._loss_generation < current or (context is not None and
                                                self._loss_generation != current):
            self._losses = []
            self._loss_generation = current
        for item in nest.flatten(loss):
            if callable(item) and not isinstance(item, (Tensor, Variable)):
                self._callable_losses.append(item)
            elif item is not None:
                self._losses.append(item if isinstance(item, Tensor)
                                    else convert_to_tensor(item, backend.floatx()))

    @property
    def losses(self):
        """Losses from `add_loss` (this layer and its sublayers, from their latest calls
        under this layer's latest outermost call) and weight regularizers."""
        found = []
        since = self._call_generation
        for layer in self._flatten_layers():
            if layer._loss_generation >= since:
                found.extend(layer._losses)
            found.extend(convert_to_tensor(fn()) for fn in layer._callable_losses)
        for v in self.trainable_weights:
            regularizer = getattr(v, "regularizer", None)
            if regularizer is not None:
                found.append(regularizer(v))
        return found

    def _clear_losses(self):
        for layer in self._flatten_layers():
            layer._losses.clear()

    def add_metric(self, *args, **kwargs):
        raise NotImplementedError(
            "Layer `add_metric()` method is deprecated. Add your metric in "
            "`Model.compile(metrics=[...])`, or create metric trackers in init() or build() "
            "when subclassing the layer or model, then call `metric.update_state()` whenever "
            "necessary.")


_LAYER, _VARIABLE, _METRIC, _SEQUENCE, _MAPPING, _OTHER = range(6)
_KIND_OF_TYPE = {}


def _kind_of(cls):
    """What tracking does with a value of this type (cached per type: attribute walks run
    whenever weights are listed)."""
    kind = _KIND_OF_TYPE.get(cls)
    if kind is None:
        if issubclass(cls, LayerState):
            kind = _LAYER
        elif issubclass(cls, Variable):
            kind = _VARIABLE
        elif getattr(cls, "_is_keras_metric", False):
            kind = _METRIC
        elif issubclass(cls, (list, tuple)):
            kind = _SEQUENCE
        elif issubclass(cls, dict):
            kind = _MAPPING
        else:
            kind = _OTHER
        _KIND_OF_TYPE[cls] = kind
    return kind


def _collect(value, found, seen):
    """Sort the layers, variables and metrics in `value` into found = (layers, variables,
    metrics), descending into lists, tuples and dicts."""
    kind = _kind_of(type(value))
    if kind < _SEQUENCE:
        if id(value) not in seen:
            seen.add(id(value))
            found[kind].append(value)
    elif kind == _SEQUENCE:
        for item in value:
            _collect(item, found, seen)
    elif kind == _MAPPING:
        for item in value.values():
            _collect(item, found, seen)
