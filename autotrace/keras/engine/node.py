"""Node: one call of a layer (an operation) on KerasTensors, the edge list of the functional
DAG. It records the call's arguments (with their KerasTensors), its outputs, and stamps each
output with `_keras_history` = (operation, index of this node, index of the output)."""
from ...core import nest
from .keras_tensor import KerasHistory, is_symbolic

__all__ = ["Node"]


class Node:
    """A call of `operation` on `call_args`/`call_kwargs` giving `outputs`."""

    def __init__(self, operation, call_args=(), call_kwargs=None, outputs=None):
        self.operation = operation
        self.call_args = tuple(call_args)
        self.call_kwargs = dict(call_kwargs or {})
        self.outputs = outputs
        self.input_tensors = [x for x in nest.flatten([list(self.call_args), self.call_kwargs])
                              if is_symbolic(x)]
        self.output_tensors = [x for x in nest.flatten(outputs) if is_symbolic(x)]
        # the common call f(x) or f(x, y) on KerasTensors: filled without walking nests
        self._flat_args = not self.call_kwargs and all(map(is_symbolic, self.call_args))
        self.parent_nodes = []
        for tensor in self.input_tensors:
            history = tensor._keras_history
            if history is not None:
                parent = history.operation._inbound_nodes[history.node_index]
                if parent not in self.parent_nodes:
                    self.parent_nodes.append(parent)
                if self not in history.operation._outbound_nodes:
                    history.operation._outbound_nodes.append(self)
        node_index = len(operation._inbound_nodes)
        operation._inbound_nodes.append(self)
        for index, tensor in enumerate(self.output_tensors):
            tensor._keras_history = KerasHistory(operation, node_index, index)

    @property
    def is_input(self):
        return not self.call_args and not self.call_kwargs

    def arguments_with(self, values):
        """The call's (args, kwargs) with each KerasTensor replaced by values[id(tensor)]."""
        if self._flat_args:
            return [values[id(x)] for x in self.call_args], {}

        def fill(x):
            return values[id(x)] if is_symbolic(x) else x
        args = nest.map_structure(fill, list(self.call_args))
        kwargs = nest.map_structure(fill, self.call_kwargs)
        return args, kwargs

    def __repr__(self):
        return "<Node of %s>" % (self.operation.name,)
