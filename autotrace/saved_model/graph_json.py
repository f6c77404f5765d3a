"""Graphs as JSON, and back, checked node by node.

A graph is written as

    {"name": "f", "inputs": ["x"], "outputs": ["while:1"],
     "nodes": [{"name": "x", "op": "Placeholder",
                "attrs": {"dtype": {"dtype": "float32"}, "shape": {"shape": [null, 2]}},
                "outputs": [["float32", [null, 2]]]},
               {"name": "mul", "op": "Mul", "inputs": ["x", "ReadVariableOp"],
                "outputs": [["float32", [null, 2]]], "location": "model.py:12"},
               ...]}

in creation (hence topological) order. An input is `name` (output 0) or `name:i`; a control
input `^name`. Attributes follow the typed schema of autotrace.core.attr_codec; sub-graphs
(cond branches, loop bodies) are `{"graph": i}`, an index into the file's table of graphs;
variables are `{"variable_handle": n}`, the number of the variable in the object graph;
arrays beyond a few elements are kept in an .npz file (`{"tensor": {..., "data": key}}`).

Reading rebuilds each node from its registered op type: the type must be registered, its
inputs must name earlier nodes, its attributes must decode under the schema and fit the op
(its kernel's and shape rule's parameters), and the op's shape rule, run on the rebuilt
inputs, must give the dtypes the node declares and shapes compatible with its declared shapes
(which may know more: the trace may have refined them). A function's graph, once rebuilt, also
passes the graph verifier (autotrace.core.verifier: sub-graphs take and give what their op
passes and expects, ...). Anything else is refused with a
FormatError naming the graph and the node.
"""
import inspect

import numpy as np

from ..checkpoint.files import ArrayCodec, FormatError
from ..core.attr_codec import AttrFormatError, UnencodableAttrError, decode_dtype, \
    decode_shape, encode_shape
from ..core.func_graph import FuncGraph
from ..core.verifier import GraphVerificationError
from ..ops import attr_types  # noqa: F401  (registers the ops' attribute classes)
from ..ops.registry import REGISTRY

__all__ = ["GraphWriter", "GraphReader", "NOT_EXPORTABLE", "ExportError"]

# Op types that call Python code: a file cannot hold them, and they are never loaded.
NOT_EXPORTABLE = {
    "PyFunc": "numpy_function",
    "PyFuncStateless": "numpy_function",
    "EagerPyFunc": "py_function",
    "CustomGradient": "custom_gradient",
    "PartitionedCall": "a recorded function call",
}
_NODE_FIELDS = {"name", "op", "inputs", "control_inputs", "attrs", "outputs", "location"}
_GRAPH_FIELDS = {"name", "nodes", "inputs", "outputs"}
MAX_NAME = 1000


class ExportError(ValueError):
    """Something in a traced function cannot be written to a file (the message says what,
    where it was created, and what to do instead)."""


def tensor_ref(t):
    """`op` for output 0, `op:i` otherwise (always `op:i` if the op's name has a colon)."""
    name = t.op.name
    return name if t.value_index == 0 and ":" not in name else "%s:%d" % (name, t.value_index)


# -- writing -----------------------------------------------------------------------------------

class GraphWriter(ArrayCodec):
    """Writes graphs into `self.graphs` (the file's table); variables become references to
    their object-graph numbers (`variable_nodes`: {id(variable): number})."""

    def __init__(self, variable_nodes, function_name):
        super().__init__()
        self.graphs = []
        self._indices = {}
        self._variable_nodes = variable_nodes
        self.function_name = function_name  # the function being written, for errors
        self._op = None

    def add_graph(self, graph):
        """The index of `graph` in the table (written on first use)."""
        found = self._indices.get(id(graph))
        if found is not None:
            return found
        index = len(self.graphs)
        self._indices[id(graph)] = index
        self.graphs.append(None)
        self.graphs[index] = self._graph(graph)
        return index

    def _graph(self, graph):
        return {"name": graph.name,
                "nodes": [self._node(op) for op in graph.get_operations()],
                "inputs": [t.op.name for t in graph.inputs],
                "outputs": [tensor_ref(t) for t in graph.outputs]}

    def _node(self, op):
        if op.type in NOT_EXPORTABLE:
            raise ExportError(
                "Cannot save %s: op %r (%s%s) calls Python code, which a saved file cannot "
                "hold (it would have to be pickled and run on load). Compute it with "
                "autotrace ops instead, or keep it outside the saved function."
                % (self.function_name, op.name, NOT_EXPORTABLE[op.type], _created_at(op)))
        node = {"name": op.name, "op": op.type}
        if op.inputs:
            node["inputs"] = [tensor_ref(t) for t in op.inputs]
        if op.control_inputs:
            node["control_inputs"] = ["^" + c.name for c in op.control_inputs]
        attrs = {}
        saved_op, self._op = self._op, op
        try:
            for name, value in op.attrs.items():
                attrs[name] = self._attr(op, name, value)
        finally:
            self._op = saved_op
        if attrs:
            node["attrs"] = attrs
        node["outputs"] = [[t.dtype.name, encode_shape(t.shape)] for t in op.outputs]
        if op.location:
            node["location"] = op.location
        return node

    def _attr(self, op, name, value):
        try:
            return self.encode(value)
        except UnencodableAttrError as exc:
            if isinstance(exc, _UntrackedVariable):
                raise ExportError(str(exc)) from None
            raise ExportError("Cannot save %s: attribute %r of op %r (%s%s) holds %s, which "
                              "cannot be written as data" % (
                                  self.function_name, name, op.name, op.type,
                                  _created_at(op), exc)) from None

    def reference(self, kind, value):
        if kind == "graph":
            return self.add_graph(value)
        if kind == "variable":
            node = self._variable_nodes.get(id(value))
            if node is None:
                raise _UntrackedVariable(
                    "Cannot save %s: it uses the variable %r (created at %s), which is not "
                    "reachable from the object being saved. Assign the variable to an "
                    "attribute of the saved object (or of one of its sub-modules)."
                    % (self.function_name, value.name, value.location or "an unknown place"))
            return node
        return super().reference(kind, value)


class _UntrackedVariable(UnencodableAttrError):
    pass


def _created_at(op):
    return ", created at %s" % op.location if op.location else ""


# -- reading -----------------------------------------------------------------------------------

class GraphReader(ArrayCodec):
    """Rebuilds graphs from the file's table. `variables` lists the restored object of each
    object-graph node (a Variable for variable nodes); `what` names the file in errors."""

    def __init__(self, graphs, variables, array_file, what):
        super().__init__(array_file)
        if type(graphs) is not list:
            raise FormatError("%s: \"graphs\" must be a list" % what)
        self._table = graphs
        self._variables = variables
        self._what = what
        self._cache = {}         # sub-graphs, rebuilt once
        self._building = []      # indices being rebuilt (a graph may not contain itself)
        self._outer = None

    def close(self):
        if self.array_file is not None:
            self.array_file.close()

    def graph(self, index, fresh=False):
        """Graph `index` rebuilt (a top-level function's graph is rebuilt `fresh`: each
        ConcreteFunction owns its graph)."""
        if type(index) is not int or not 0 <= index < len(self._table):
            raise FormatError("%s: graph %r is out of range (there are %d graphs)"
                              % (self._what, index, len(self._table)))
        if not fresh and index in self._cache:
            return self._cache[index]
        if index in self._building:
            raise FormatError("%s: graph %d contains itself (through %s)"
                              % (self._what, index, " -> ".join(map(str, self._building))))
        self._building.append(index)
        try:
            graph = self._build(self._table[index], index)
        finally:
            self._building.pop()
        if not fresh:
            self._cache[index] = graph
        elif not self._building:  # a function's graph, complete: the verifier's checks too
            try:
                graph.verify()
            except GraphVerificationError as exc:
                raise FormatError("%s, graph %d (%r): %s" % (self._what, index, graph.name,
                                                            exc)) from None
        return graph

    def resolve(self, kind, reference):
        if kind == "graph":
            if type(reference) is not int or not 0 <= reference < len(self._table):
                raise AttrFormatError("graph %r is out of range (there are %d graphs)"
                                      % (reference, len(self._table)))
            if reference in self._building:
                raise AttrFormatError("graph %d contains itself (through graphs %s)" % (
                    reference, " -> ".join(map(str, self._building + [reference]))))
            graph = self.graph(reference)
            graph.outer_graph = self._outer
            return graph
        if kind == "variable":
            found = None
            if type(reference) is int and 0 <= reference < len(self._variables):
                found = self._variables[reference]
            if found is None or not getattr(found, "_autotrace_variable", False):
                raise AttrFormatError("a variable reference %r names no variable of the "
                                      "object graph" % (reference,))
            return found
        return super().resolve(kind, reference)

    def _build(self, data, index):
        where = "%s, graph %d" % (self._what, index)
        if type(data) is not dict or not {"name", "nodes"} <= set(data) or \
                not set(data) <= _GRAPH_FIELDS:
            raise FormatError("%s: a graph is an object with %s" % (where,
                                                                    ", ".join(_GRAPH_FIELDS)))
        if type(data["name"]) is not str or type(data["nodes"]) is not list:
            raise FormatError("%s: a graph has a name (a string) and nodes (a list)" % where)
        graph = FuncGraph(data["name"])
        where = "%s (%r)" % (where, data["name"])
        for i, node in enumerate(data["nodes"]):
            self._node(graph, node, "%s, node %d" % (where, i))
        graph.inputs = [self._placeholder(graph, n, where) for n in _names(data, "inputs",
                                                                             where)]
        graph.outputs = [self._tensor(graph, r, where + ": output")
                         for r in _names(data, "outputs", where)]
        graph.structured_outputs = list(graph.outputs)
        graph.finished = True
        return graph

    def _node(self, graph, node, where):
        if type(node) is not dict or not {"name", "op", "outputs"} <= set(node):
            raise FormatError("%s: a node is an object with at least name, op and outputs"
                              % where)
        unknown = set(node) - _NODE_FIELDS
        if unknown:
            raise FormatError("%s: unknown fields %s" % (where, ", ".join(sorted(unknown))))
        name, op_type = node["name"], node["op"]
        if type(name) is not str or not 0 < len(name) <= MAX_NAME or not name.isprintable():
            raise FormatError("%s: a node's name is a printable string, got %r"
                              % (where, name))
        where = "%s (%r)" % (where, name)
        if name in graph._ops_by_name:
            raise FormatError("%s: a second node named %r" % (where, name))
        opdef = REGISTRY.get(op_type) if type(op_type) is str else None
        if opdef is None:
            raise FormatError("%s: op type %r is not registered in autotrace; the file needs "
                              "an op this autotrace does not have" % (where, op_type))
        if op_type in NOT_EXPORTABLE:
            raise FormatError("%s: op type %s runs Python code and is never loaded from a "
                              "file" % (where, op_type))
        inputs = [self._tensor(graph, r, where + ": input") for r in
                  _list(node, "inputs", where)]
        controls = [self._control(graph, r, where) for r in _list(node, "control_inputs",
                                                                   where)]
        attrs = self._attrs(node.get("attrs", {}), opdef, where)
        location = node.get("location")
        if location is not None and (type(location) is not str or len(location) > MAX_NAME):
            raise FormatError("%s: a location is a short string" % where)
        op = self._create(graph, opdef, inputs, attrs, name, location, where)
        op.control_inputs = controls
        self._check_outputs(op, node["outputs"], where)

    def _attrs(self, encoded, opdef, where):
        if type(encoded) is not dict:
            raise FormatError("%s: attrs must be an object" % where)
        attrs = {}
        for key, value in encoded.items():
            try:
                attrs[key] = self.decode(value)
            except AttrFormatError as exc:
                raise FormatError("%s: attribute %r: %s" % (where, key, exc)) from None
        _check_attr_names(opdef, attrs, where)
        return attrs

    def _create(self, graph, opdef, inputs, attrs, name, location, where):
        saved_outer, self._outer = self._outer, graph
        try:
            if opdef.type == "VarHandleOp" and set(attrs) == {"variable"}:
                handle = graph.create_variable_handle(attrs["variable"].variable, name)
                op = handle.op
            else:
                op = graph.create_op(opdef, inputs, attrs, name, location)
        except FormatError:
            raise
        except Exception as exc:  # the op's own checks reject the node
            raise FormatError("%s: the %s op rejects its inputs or attributes: %s"
                              % (where, opdef.type, exc)) from None
        finally:
            self._outer = saved_outer
        if op.name != name:
            raise FormatError("%s: the name %r clashes with an earlier node's" % (where, name))
        if location is not None:
            op.location = location
        return op

    def _check_outputs(self, op, declared, where):
        if type(declared) is not list or len(declared) != len(op.outputs):
            raise FormatError("%s: declares %s outputs, but the %s op gives %d"
                              % (where, len(declared) if type(declared) is list else "no",
                                 op.type, len(op.outputs)))
        for i, (spec, out) in enumerate(zip(declared, op.outputs)):
            try:
                if type(spec) is not list or len(spec) != 2:
                    raise AttrFormatError("an output is [dtype, shape]")
                dtype, shape = decode_dtype(spec[0]), decode_shape(spec[1])
            except AttrFormatError as exc:
                raise FormatError("%s: output %d: %s" % (where, i, exc)) from None
            if dtype is not out.dtype or not out.shape.is_compatible_with(shape):
                raise FormatError(
                    "%s: declares output %d as %s%s, but the %s op gives %s%s for these "
                    "inputs and attributes" % (where, i, dtype.name, _shape_text(shape),
                                               op.type, out.dtype.name, out.shape.short()))
            # The trace may have known more (set_shape, or inputs the optimiser replaced).
            out.set_shape(shape)

    def _tensor(self, graph, ref, where):
        if type(ref) is not str:
            raise FormatError("%s: a tensor reference is a string 'name' or 'name:i', got %r"
                              % (where, ref))
        name, index = ref, 0
        head, sep, tail = ref.rpartition(":")
        if sep and tail.isdigit() and head:
            name, index = head, int(tail)
        op = graph._ops_by_name.get(name)
        if op is None:
            raise FormatError("%s %r refers to no earlier node" % (where, ref))
        if index >= len(op.outputs):
            raise FormatError("%s %r is out of range: node %r has %d output(s)"
                              % (where, ref, name, len(op.outputs)))
        return op.outputs[index]

    def _control(self, graph, ref, where):
        if type(ref) is not str or not ref.startswith("^") or \
                ref[1:] not in graph._ops_by_name:
            raise FormatError("%s: control input %r must be '^name' of an earlier node"
                              % (where, ref))
        return graph._ops_by_name[ref[1:]]

    def _placeholder(self, graph, name, where):
        op = graph._ops_by_name.get(name)
        if op is None or op.type != "Placeholder":
            raise FormatError("%s: input %r is not a Placeholder node of the graph"
                              % (where, name))
        return op.outputs[0]


def rename_node(graph, op, name):
    """Give `op` of a freshly rebuilt `graph` another name, if no other node has it."""
    if name in graph._ops_by_name or type(name) is not str or not name.isidentifier():
        return
    del graph._ops_by_name[op.name]
    op.name = name
    graph._ops_by_name[name] = op
    graph._names_in_use[name.lower()] = 1


def _names(data, key, where):
    value = data.get(key, [])
    if type(value) is not list:
        raise FormatError("%s: %r must be a list" % (where, key))
    return value


_list = _names


def _shape_text(shape):
    if shape is None:
        return "[<unknown rank>]"
    return "[%s]" % ",".join("?" if d is None else str(d) for d in shape)


def _check_attr_names(opdef, attrs, where):
    """Attributes must be parameters of the op's kernel (a NumPy ufunc takes none: its own
    keywords, like `out=`, are not attributes)."""
    if not attrs:
        return
    kernel = opdef.kernel
    if kernel is None or isinstance(kernel, np.ufunc):
        raise FormatError("%s: the %s op takes no attributes, got %s"
                          % (where, opdef.type, ", ".join(sorted(attrs))))
    try:
        signature = inspect.signature(kernel)
    except (TypeError, ValueError):
        return
    try:
        signature.bind_partial(**attrs)
    except TypeError as exc:
        raise FormatError("%s: attributes %s do not fit the %s op (%s)"
                          % (where, ", ".join(sorted(attrs)), opdef.type, exc)) from None
