"""Functional models: `Model(inputs, outputs)` over KerasTensors.

The model is the DAG the KerasTensors recorded (seed 003: a functional model is a
configuration, no data flows while it is built): walking back from the outputs through each
tensor's `_keras_history` gives the nodes; calling the model runs them in order on real
tensors. `call`, `build` and `get_config` come for free; layers may be shared (several
nodes), models may be used as layers, inputs and outputs may be lists or dicts.

>>> from autotrace import keras
>>> a, b = keras.Input((2,), name="a"), keras.Input((3,), name="b")
>>> model = keras.Model([a, b], keras.layers.Concatenate()([a, b]))
>>> [layer.name for layer in model.layers][:2]
['a', 'b']
"""
import collections

from ...core import nest
from ...core.tensor import Tensor
from .. import backend
from ..serialization import (builtin_objects, deserialize_keras_object,
                             serialize_keras_object)
from .input_layer import InputLayer
from .input_spec import InputSpec
from .keras_tensor import is_symbolic
from .layer import Layer
from .model import Model

__all__ = ["Functional", "map_graph"]


class Functional(Model):
    """A model defined by its input and output KerasTensors."""

    def __init__(self, inputs, outputs, name=None, trainable=True, **kwargs):
        Layer.__init__(self, name=name or backend.unique_object_name("Functional"),
                       trainable=trainable, **_layer_kwargs(kwargs))
        self.run_eagerly, self.compiled, self.optimizer = False, False, None
        self._inputs_struct = _standardize_inputs(inputs)
        self._outputs_struct = outputs
        flat_inputs, flat_outputs = nest.flatten(self._inputs_struct), nest.flatten(outputs)
        for x in flat_inputs + flat_outputs:
            if not is_symbolic(x) or x._keras_history is None:
                raise ValueError("All `inputs` and `outputs` values must be KerasTensors (from "
                                 "keras.Input or layer calls). Received: %r" % (x,))
        self._flat_inputs, self._flat_outputs = flat_inputs, flat_outputs
        self._nodes, self._nodes_by_depth, self._operations = map_graph(flat_inputs,
                                                                        flat_outputs)
        self._run_order = [node for depth in sorted(self._nodes_by_depth, reverse=True)
                           for node in self._nodes_by_depth[depth] if not node.is_input]
        self._input_spec = [InputSpec(shape=_relaxed(x.shape), allow_last_axis_squeeze=True,
                                      name=x._keras_history.operation.name)
                            for x in flat_inputs]
        self.built = True

    # -- structure -----------------------------------------------------------------------------
    @property
    def layers(self):
        """Every layer of the graph (input layers included), inputs first."""
        return [op for op in self._operations if not getattr(op, "_is_operation", False)]

    def _summary_layers(self):
        return list(self._operations)

    @property
    def inputs(self):
        return list(self._flat_inputs)

    @property
    def outputs(self):
        return list(self._flat_outputs)

    @property
    def input(self):
        return self._inputs_struct

    @property
    def output(self):
        return self._outputs_struct

    @property
    def input_shape(self):
        shapes = nest.map_structure(lambda x: x.shape, self._inputs_struct)
        return shapes

    @property
    def output_shape(self):
        return nest.map_structure(lambda x: x.shape, self._outputs_struct)

    # -- running -------------------------------------------------------------------------------
    def call(self, inputs, training=None, mask=None):
        values = {}
        for kt, value, m in zip(self._flat_inputs, self._flatten_call_inputs(inputs),
                                nest.flatten(mask) if mask is not None
                                else [None] * len(self._flat_inputs)):
            if m is not None and isinstance(value, Tensor):
                value._keras_mask = m
            values[id(kt)] = value
        for node in self._run_order:
            args, kwargs = node.arguments_with(values)
            outputs = node.operation(*args, **kwargs)
            for kt, value in zip(node.output_tensors, nest.flatten(outputs)):
                values[id(kt)] = value
        return nest.pack_sequence_as(self._outputs_struct,
                                     [values[id(kt)] for kt in self._flat_outputs])

    def _flatten_call_inputs(self, inputs):
        if isinstance(inputs, dict) and not isinstance(self._inputs_struct, dict):
            names = [kt._keras_history.operation.name for kt in self._flat_inputs]
            missing = [n for n in names if n not in inputs]
            if missing:
                raise ValueError('Missing data for input "%s". You passed a data dictionary '
                                 'with keys %s. Expected the following keys: %s'
                                 % (missing[0], list(inputs), names))
            return [inputs[n] for n in names]
        flat = nest.flatten(inputs)
        if len(flat) != len(self._flat_inputs):
            raise ValueError('Layer "%s" expects %d input(s), but it received %d input '
                             'tensors. Inputs received: %s' % (self.name,
                                                                len(self._flat_inputs),
                                                                len(flat), flat))
        return flat

    def build(self, input_shape=None):
        self.built = True

    # -- configuration -------------------------------------------------------------------------
    def get_config(self):
        """Layers (with the calls that connect them) and the names of inputs and outputs."""
        node_keys = {}
        layer_configs = []
        for layer in self._operations:
            kept = [node for node in layer._inbound_nodes if node in self._nodes]
            for i, node in enumerate(kept):
                node_keys[id(node)] = i
            layer_configs.append({
                **serialize_keras_object(layer),
                "name": layer.name,
                "inbound_nodes": [self._serialize_node(node) for node in kept
                                  if not node.is_input],
            })
        return {
            "name": self.name, "trainable": self.trainable, "layers": layer_configs,
            "input_layers": self._history_refs(self._inputs_struct),
            "output_layers": self._history_refs(self._outputs_struct),
        }

    def _serialize_node(self, node):
        def encode(x):
            if not is_symbolic(x):
                return x
            history = x._keras_history
            return {"class_name": "__keras_tensor__",
                    "config": {"shape": x.shape, "dtype": x.dtype,
                               "keras_history": [history.operation.name, history.node_index,
                                                 history.tensor_index]}}
        return {"args": tuple(nest.map_structure(encode, list(node.call_args))),
                "kwargs": nest.map_structure(encode, node.call_kwargs)}

    def _history_refs(self, structure):
        def ref(x):
            history = x._keras_history
            return [history.operation.name, history.node_index, history.tensor_index]
        if is_symbolic(structure):
            return ref(structure)
        if isinstance(structure, dict):
            return {k: ref(v) for k, v in structure.items()}
        return [ref(x) for x in nest.flatten(structure)]

    @classmethod
    def from_config(cls, config, custom_objects=None):
        """Rebuild the layers and replay their calls on new KerasTensors."""
        known = dict(builtin_objects("keras.layers"), **builtin_objects("keras.models"))
        known.update(Functional=Functional, Model=Model, InputLayer=InputLayer)
        created, outputs_of = {}, collections.defaultdict(list)
        for layer_config in config["layers"]:
            layer = deserialize_keras_object(layer_config, known, custom_objects, "layer")
            created[layer_config["name"]] = layer
            if isinstance(layer, InputLayer):
                outputs_of[layer.name].append([layer.output])
        pending = list(config["layers"])
        while pending:
            progressed = False
            for layer_config in list(pending):
                if _replay(layer_config, created, outputs_of):
                    pending.remove(layer_config)
                    progressed = True
            if not progressed:
                raise ValueError("Cannot rebuild the functional model: the layer calls of %s "
                                 "refer to tensors that are never produced"
                                 % [c["name"] for c in pending])

        def lookup(ref):
            name, node_index, tensor_index = ref
            return outputs_of[name][node_index][tensor_index]

        def resolve(refs):
            if isinstance(refs, dict):
                return {k: lookup(v) for k, v in refs.items()}
            if refs and not isinstance(refs[0], (list, tuple)):
                return lookup(refs)
            return [lookup(r) for r in refs]
        return cls(resolve(config["input_layers"]), resolve(config["output_layers"]),
                   name=config.get("name"), trainable=config.get("trainable", True))


def _replay(layer_config, created, outputs_of):
    """Call the layer on its recorded arguments once they all exist; False if not yet."""
    layer = created[layer_config["name"]]
    nodes = layer_config.get("inbound_nodes", [])
    done = len(outputs_of[layer.name]) - (1 if isinstance(layer, InputLayer) else 0)
    for node in nodes[done:]:
        missing = []

        def decode(x):
            if isinstance(x, dict) and x.get("class_name") == "__keras_tensor__":
                name, node_index, tensor_index = x["config"]["keras_history"]
                produced = outputs_of.get(name, [])
                if node_index >= len(produced):
                    missing.append(name)
                    return None
                return produced[node_index][tensor_index]
            if isinstance(x, (list, tuple)):
                return type(x)(decode(item) for item in x)
            if isinstance(x, dict):
                return {k: decode(v) for k, v in x.items()}
            return x
        args, kwargs = decode(list(node["args"])), decode(node["kwargs"])
        if missing:
            return False
        outputs_of[layer.name].append(nest.flatten(layer(*args, **kwargs)))
    return True


def _layer_kwargs(kwargs):
    unknown = set(kwargs) - {"dtype", "dynamic", "autocast"}
    if unknown:
        raise TypeError("Functional model got unexpected keyword arguments: %s"
                        % ", ".join(sorted(unknown)))
    return kwargs


def _standardize_inputs(inputs):
    if isinstance(inputs, tuple) and not hasattr(inputs, "_fields"):
        return list(inputs)
    return inputs


def _relaxed(shape):
    return (None,) + tuple(shape[1:]) if shape else shape


def map_graph(inputs, outputs):
    """The nodes between `inputs` and `outputs`: (nodes, nodes_by_depth, operations), with
    depth 0 at the outputs and operations listed from the inputs (deepest) up."""
    ordered, first_seen = _topological_nodes(inputs, outputs)
    _check_sources(inputs, ordered)
    in_graph = set(map(id, ordered))
    node_depth, op_depth = {}, {}
    for node in reversed(ordered):
        depth = max(node_depth.setdefault(id(node), 0), op_depth.get(id(node.operation), 0))
        op_depth[id(node.operation)] = depth
        node_depth[id(node)] = depth
        for parent in node.parent_nodes:
            if id(parent) in in_graph:
                node_depth[id(parent)] = max(depth + 1, node_depth.get(id(parent), 0))
    by_id = {id(n): n for n in ordered}
    operations = {id(n.operation): n.operation for n in ordered}
    for x in inputs:
        operation = x._keras_history.operation
        if id(operation) not in op_depth:
            node = operation._inbound_nodes[x._keras_history.node_index]
            op_depth[id(operation)] = node_depth[id(node)] = 0
            first_seen[id(operation)] = -1
            by_id[id(node)], operations[id(operation)] = node, operation
    nodes_by_depth = collections.defaultdict(list)
    for node_id, depth in node_depth.items():
        nodes_by_depth[depth].append(by_id[node_id])
    ops_sorted = sorted(operations.values(),
                        key=lambda op: (-op_depth[id(op)], first_seen[id(op)]))
    _check_connected(inputs, nodes_by_depth)
    names = [op.name for op in ops_sorted]
    for name in names:
        if names.count(name) != 1:
            raise ValueError('The name "%s" is used %d times in the model. All operation '
                             'names should be unique.' % (name, names.count(name)))
    return list(by_id.values()), dict(nodes_by_depth), ops_sorted


def _topological_nodes(inputs, outputs):
    finished, in_progress, ordered, first_seen = set(), set(), [], {}
    input_ids = set(map(id, inputs))

    def visit(tensor):
        operation, node_index, _ = tensor._keras_history
        node = operation._inbound_nodes[node_index]
        if id(node) in finished:
            return
        if not node.is_input and id(tensor) in input_ids:
            finished.add(id(node))
            return
        if id(node) in in_progress:
            raise ValueError("Tensor %s from operation '%s' is part of a cycle."
                             % (tensor, operation.name))
        first_seen.setdefault(id(operation), len(first_seen))
        in_progress.add(id(node))
        if not node.is_input and id(tensor) not in input_ids:
            for x in node.input_tensors:
                visit(x)
        finished.add(id(node))
        in_progress.discard(id(node))
        ordered.append(node)

    for output in outputs:
        visit(output)
    return ordered, first_seen


def _check_sources(inputs, ordered):
    """Every Input the outputs depend on must be one of the model's inputs."""
    declared = set(map(id, inputs))
    for node in ordered:
        if node.is_input and not any(id(t) in declared for t in node.output_tensors):
            raise ValueError(
                "Output with path `` is not connected to `inputs`: it depends on %s, which is "
                "not among the model's inputs (%s). Graph disconnected: add it to `inputs`."
                % (node.output_tensors[0], ", ".join(t.name for t in inputs)))


def _check_connected(inputs, nodes_by_depth):
    computable = set(map(id, inputs))
    done = []
    for depth in sorted(nodes_by_depth, reverse=True):
        for node in nodes_by_depth[depth]:
            for x in node.input_tensors:
                if id(x) not in computable:
                    raise ValueError("Graph disconnected: cannot find parent for tensor %s at "
                                     "operation '%s'. The following previous operations "
                                     "were accessed without issue: %s"
                                     % (x, node.operation, done))
            done.append(node.operation.name)
            computable.update(map(id, node.output_tensors))


Model._functional_class = Functional
