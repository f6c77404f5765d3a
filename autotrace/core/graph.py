"""The graph IR: a Graph is a list of Operations in creation (hence topological) order.

>>> import autotrace as tf
>>> g = tf.Graph()
>>> with g.as_default():
...     total = tf.constant(2) + tf.constant(3)
>>> print(g.as_text())
Const   : int32[] = Const {value=2}
Const_1 : int32[] = Const {value=3}
add     : int32[] = AddV2(Const, Const_1)
"""
import contextlib
import re
import threading

import numpy as np

from . import context
from .context import state
from .op_def import lookup
from .tensor import EagerTensor, SymbolicTensor
from .verifier import verify

__all__ = ["Graph", "Operation", "get_default_graph", "name_scope", "control_dependencies",
           "get_default_session"]

_VALID_NAME = re.compile(r"^[A-Za-z0-9.][A-Za-z0-9_.\-/>]*$")


class Operation:
    """A node of a Graph: an op type applied to input tensors, with attributes."""

    __slots__ = ("graph", "name", "opdef", "inputs", "outputs", "attrs", "control_inputs",
                 "location", "_id", "stateful", "__weakref__")

    def __init__(self, graph, name, opdef, inputs, attrs, control_inputs, location, op_id):
        self.graph = graph
        self.name = name
        self.opdef = opdef
        self.inputs = tuple(inputs)
        self.attrs = attrs
        self.control_inputs = list(control_inputs)
        self.location = location  # the user's file:line where the op was created
        self._id = op_id
        self.outputs = []
        # Side effects: never pruned, folded or merged; run in program order.
        self.stateful = opdef.stateful or bool(
            opdef.is_stateful is not None and opdef.is_stateful(attrs))

    @property
    def type(self):
        return self.opdef.type

    def get_attr(self, name):
        return self.attrs[name]

    @property
    def node_def(self):
        return self.as_text()

    def values(self):
        return tuple(self.outputs)

    def run(self, feed_dict=None, session=None):
        (session or get_default_session()).run(self, feed_dict)

    def as_text(self):
        return _op_line(self, 0, 0)

    def __repr__(self):
        return "<tf.Operation %r type=%s>" % (self.name, self.type)


class Graph:
    """A dataflow graph. Ops created inside `with graph.as_default():` are added to it."""

    is_function_graph = False

    def __init__(self, name="graph"):
        self.name = name
        self._ops = []
        self._names_in_use = {}     # lower-cased name -> count, as TF's unique_name
        self._ops_by_name = {}
        self._scope = ""
        self._control_stack = []    # lists of control inputs from control_dependencies()
        self._collections = {}
        self._captured_constants = {}  # id(eager tensor) -> (tensor, Const output)
        self._variable_handles = {}    # id(variable) -> (variable, handle tensor)
        self._operands = set()         # Consts of Python operands, named by their consumer
        self.seed = None
        self.version = 0

    # -- building --------------------------------------------------------------------------
    def as_default(self):
        """Context manager: ops created inside are added to this graph."""
        return context.graph_mode(self)

    def create_op(self, opdef, inputs, attrs, name=None, location=None):
        """Append an Operation of type `opdef` and return it (outputs are symbolic)."""
        inputs = [self._as_graph_input(t) for t in inputs]
        specs = opdef.output_specs(inputs, attrs)
        op_name = self.unique_name(name or opdef.type)
        if self._operands:
            for i, t in enumerate(inputs):
                if t.op in self._operands:
                    self._name_operand(t.op, op_name, opdef, i)
        op = Operation(self, op_name, opdef, inputs, attrs, self._current_control_inputs(),
                       location or context.user_location(3), len(self._ops))
        op.outputs = [SymbolicTensor(op, i, dtype, shape) for i, (dtype, shape) in
                      enumerate(specs)]
        self._add_op(op)
        return op

    def _name_operand(self, const, consumer, opdef, index):
        """Rename a Const made from a Python operand after the op consuming it (TF's
        `pow/y`), giving back its provisional name (`Const_3`) when it was the last one.
        Only for an op's named inputs (not the loop variables of a While, say)."""
        self._operands.discard(const)
        names = opdef.input_names or ()
        if index >= len(names) or opdef.subgraphs is not None or (
                index == len(names) - 1 and names[-1] in ("values", "input", "inputs")):
            return  # one of a variadic list: TF names these otherwise
        self._release_name(const.name)
        del self._ops_by_name[const.name]
        saved, self._scope = self._scope, ""
        try:
            const.name = self.unique_name(consumer + "/" + names[index])
        finally:
            self._scope = saved
        self._ops_by_name[const.name] = const

    def mark_operand(self, const):
        """`const` holds a Python operand: its consumer (the next op using it) names it."""
        self._operands.add(const)

    def _release_name(self, name):
        """Undo the unique_name call that gave `name`, if it was the latest of its base."""
        key = name.lower()
        base, _, suffix = key.rpartition("_")
        if suffix.isdigit() and self._names_in_use.get(base) == int(suffix) + 1 and \
                self._names_in_use.get(key) == 1:
            del self._names_in_use[key]
            self._names_in_use[base] -= 1
        elif self._names_in_use.get(key) == 1:
            del self._names_in_use[key]

    def _add_op(self, op):
        self._ops.append(op)
        self._ops_by_name[op.name] = op
        self.version += 1

    def _as_graph_input(self, t):
        if isinstance(t, SymbolicTensor):
            if t.op.graph is self:
                return t
            return self.capture_symbolic(t)
        if isinstance(t, EagerTensor):
            return self.capture_eager(t)
        raise TypeError("Op inputs must be tensors, got %r" % (t,))

    def capture_eager(self, tensor):
        """An eager tensor used in a graph becomes a constant (captured by value)."""
        found = self._captured_constants.get(id(tensor))
        if found is not None and found[0] is tensor:
            return found[1]
        with self.as_default():
            const = self.create_op(lookup("Const"), [], {"value": tensor._value}, "Const")
        const = const.outputs[0]
        self._captured_constants[id(tensor)] = (tensor, const)
        return const

    def create_variable_handle(self, variable, name):
        """The VarHandleOp of a variable that lives in this graph (compat.v1 style)."""
        op = self.create_op(lookup("VarHandleOp"), [], {"variable": variable._handle_value},
                            name)
        self._variable_handles[id(variable)] = (variable, op.outputs[0])
        return op.outputs[0]

    def variable_handle(self, variable):
        """The handle tensor through which this graph reads and writes `variable`
        (created on first use: the variable is captured by reference)."""
        found = self._variable_handles.get(id(variable))
        if found is not None and found[0] is variable:
            return found[1]
        if variable._graph is not None and variable._graph is not self:
            raise ValueError("Variable %r belongs to graph %r and cannot be used in graph %r"
                             % (variable.name, variable._graph.name, self.name))
        name = variable.name.split(":")[0]
        with self.name_scope(None):
            return self.create_variable_handle(variable, name)

    def capture_symbolic(self, tensor):
        raise ValueError(
            "Tensor %s belongs to graph %r, but an op of graph %r was asked to use it; a graph "
            "can only use its own tensors." % (tensor.name, tensor.graph.name, self.name))

    def _current_control_inputs(self):
        if not self._control_stack:
            return ()
        found = []
        for group in self._control_stack:
            found.extend(op for op in group if op not in found)
        return found

    @contextlib.contextmanager
    def control_dependencies(self, control_inputs):
        """Ops created inside run after `control_inputs` (ops or tensors); None clears."""
        if control_inputs is None:
            saved, self._control_stack = self._control_stack, []
            try:
                yield
            finally:
                self._control_stack = saved
            return
        ops = [self._as_operation(c) for c in control_inputs]
        self._control_stack.append(ops)
        try:
            yield
        finally:
            self._control_stack.pop()

    def _as_operation(self, c):
        if isinstance(c, Operation):
            return c
        if isinstance(c, SymbolicTensor):
            return c.op
        if hasattr(c, "op") and isinstance(getattr(c, "op", None), Operation):
            return c.op
        raise TypeError("control_dependencies expects ops or tensors of this graph, got %r"
                        % (c,))

    # -- naming ----------------------------------------------------------------------------
    def unique_name(self, name, mark_as_used=True):
        """`name` inside the current scope, suffixed `_1`, `_2`... if already taken."""
        if self._scope:
            name = self._scope + "/" + name
        key = name.lower()
        count = self._names_in_use.get(key, 0)
        if mark_as_used:
            self._names_in_use[key] = count + 1
        if count > 0:
            candidate = key
            while candidate in self._names_in_use:
                candidate = "%s_%d" % (key, count)
                count += 1
            if mark_as_used:
                self._names_in_use[candidate] = 1
            name = "%s_%d" % (name, count - 1)
        return name

    @contextlib.contextmanager
    def name_scope(self, name):
        """Prefix the names of ops created inside with `name/` (made unique)."""
        saved = self._scope
        if name is None or name == "":
            self._scope = ""
        elif name.endswith("/"):
            self._scope = name[:-1]
        else:
            if not _VALID_NAME.match(name):
                raise ValueError("%r is not a valid scope name" % name)
            full = self.unique_name(name)
            self._scope = full
        try:
            yield self._scope + "/" if self._scope else ""
        finally:
            self._scope = saved

    def get_name_scope(self):
        return self._scope

    # -- queries ---------------------------------------------------------------------------
    def get_operations(self):
        return list(self._ops)

    def get_operation_by_name(self, name):
        try:
            return self._ops_by_name[name]
        except KeyError:
            raise KeyError("The name %r refers to no operation in this graph" % name) from None

    def get_tensor_by_name(self, name):
        op_name, sep, index = name.rpartition(":")
        if not sep or not index.isdigit():
            raise ValueError("The name %r looks like an op name, not a tensor name "
                             "(tensor names look like 'MatMul:0')" % name)
        op = self.get_operation_by_name(op_name)
        if int(index) >= len(op.outputs):
            raise KeyError("Operation %r has %d outputs; %r does not exist"
                           % (op_name, len(op.outputs), name))
        return op.outputs[int(index)]

    def as_graph_element(self, obj):
        if isinstance(obj, str):
            return self.get_tensor_by_name(obj) if ":" in obj else \
                self.get_operation_by_name(obj)
        return obj

    def add_to_collection(self, name, value):
        self._collections.setdefault(name, []).append(value)

    def get_collection(self, name, scope=None):
        items = self._collections.get(name, [])
        if scope is None:
            return list(items)
        return [v for v in items if getattr(v, "name", "").startswith(scope)]

    def get_collection_ref(self, name):
        return self._collections.setdefault(name, [])

    def finalize(self):
        pass

    @property
    def operations(self):
        return list(self._ops)

    # -- text form -------------------------------------------------------------------------
    def as_graph_def(self, from_version=None, add_shapes=False):
        """The graph as TensorFlow's GraphDef: `.node` (NodeDefs with `name`, `op`,
        `input`, `attr`), sub-graphs in `.library`, and the text form as str()."""
        from .graph_def import graph_def
        return graph_def(self)

    def as_text(self):
        """One op per line: `name : dtype[shape] = Type(inputs) {attrs}` (attributes that are
    None or False, or only repeat the output's dtype, are left out)."""
        return format_ops(self._ops)

    def verify(self):
        """Check the graph's invariants (order, types, sub-graphs); raise
        GraphVerificationError on the first broken one. See autotrace/core/verifier.py."""
        verify(self)

    def to_dot(self, name=None):
        """Graphviz DOT text of this graph (see autotrace.core.visualize)."""
        from .visualize import to_dot
        return to_dot(self, name)

    def __str__(self):
        return self.as_text()

    def __repr__(self):
        return "<autotrace.Graph %r with %d ops>" % (self.name, len(self._ops))


def get_default_graph():
    """The graph ops are being added to (when executing eagerly, a global graph of this
    thread: each thread has its own, as in TF)."""
    if state.graph is not None:
        return state.graph
    if state.global_graph is None:
        state.global_graph = Graph("global")
    return state.global_graph


def control_dependencies(control_inputs):
    """Ops created inside the block run after `control_inputs` (ops or tensors).

    Eagerly, ops already run in program order, so this does nothing (callables in
    `control_inputs` are called, as TensorFlow does). Inside autotrace.function, stateful ops
    are ordered automatically; use this for extra ordering.

    >>> import autotrace as tf
    >>> with tf.control_dependencies([]):
    ...     y = tf.constant(1) + 1
    >>> int(y)
    2
    """
    if state.graph is None:
        for c in control_inputs or ():
            if callable(c):
                c()
        return contextlib.nullcontext()
    return state.graph.control_dependencies(control_inputs)


class _Sessions(threading.local):
    """Each thread's stack of default sessions (TF keeps it per thread too): the compat.v1
    Sessions entered with `with`, innermost last, which Operation.run and Variable.eval use
    when no session is given."""

    def __init__(self):
        self.stack = []


_SESSIONS = _Sessions()


def get_default_session():
    """The innermost compat.v1 Session entered with `with` on this thread."""
    if not _SESSIONS.stack:
        raise ValueError("No default session: use `with Session() as sess:` or pass "
                         "session= explicitly")
    return _SESSIONS.stack[-1]


def reset_global_graph():
    state.global_graph = None


@contextlib.contextmanager
def name_scope(name):
    """Scope for op names while building a graph; does nothing when executing eagerly."""
    graph = state.graph
    if graph is None:
        yield name + "/" if name else ""
        return
    with graph.name_scope(name) as scope:
        yield scope


# -- text form ---------------------------------------------------------------------------------

def tensor_ref(t):
    """How a tensor is named in printed graphs: `op` for output 0, `op:1` otherwise."""
    return t.op.name if t.value_index == 0 else t.name


def signature_text(graph):
    """`(a, b) -> (c, d)`: a function graph's inputs and outputs, as its printed form and its
    sub-graph sections show them."""
    def refs(tensors):
        return ", ".join(tensor_ref(t) for t in tensors)
    outs = list(graph.outputs)
    out_text = refs(outs) if len(outs) == 1 else "(%s)" % refs(outs)
    return "(%s) -> %s" % (refs(graph.inputs), out_text)


def format_value(value, limit=6):
    """Short text for an attribute value (arrays beyond `limit` elements are summarised)."""
    if isinstance(value, np.ndarray) or isinstance(value, np.generic):
        arr = np.asarray(value)
        if arr.size <= limit:
            if arr.ndim == 0:
                item = arr[()]
                return repr(item) if isinstance(item, bytes) else str(item)
            return np.array2string(arr, separator=", ").replace("\n", "")
        return "<%s%s>" % (arr.dtype.name if arr.dtype.kind != "O" else "string",
                           "[" + ",".join(map(str, arr.shape)) + "]")
    if hasattr(value, "short") and callable(value.short):
        return value.short()
    if hasattr(value, "name") and hasattr(value, "np"):  # DType
        return value.name
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(format_value(v, limit) for v in value) + "]"
    if hasattr(value, "_autotrace_variable"):
        return "<variable %s>" % value.name
    if callable(value):
        return getattr(value, "__name__", type(value).__name__)
    return repr(value)


def _op_signature(op):
    """(name column, type column): `MatMul`, `float32[?,2]`; several outputs as a tuple."""
    specs = ["%s%s" % (o.dtype.name, o.shape.short()) for o in op.outputs]
    if len(specs) == 1:
        return op.name, specs[0]
    return op.name, "(" + ", ".join(specs) + ")"


def _op_rhs(op):
    args = [tensor_ref(t) for t in op.inputs] + ["^" + c.name for c in op.control_inputs]
    text = op.type + ("(%s)" % ", ".join(args) if args else "")
    shown = [(k, v) for k, v in op.attrs.items()
             if not k.startswith("_") and v is not None and v is not False
             and not _shown_by_output(op, k, v) and not _is_subgraph(v)]
    if shown:
        text += " {%s}" % ", ".join("%s=%s" % (k, format_value(v)) for k, v in shown)
    return text


def _is_subgraph(value):
    """Sub-graphs (cond branches, loop bodies) are printed as sections below their op."""
    if isinstance(value, (list, tuple)):
        return bool(value) and all(isinstance(v, Graph) for v in value)
    return isinstance(value, Graph)


def _shown_by_output(op, key, value):
    """Attributes that only repeat the output's dtype or shape are left out of the text."""
    if len(op.outputs) != 1 or key not in ("dtype", "shape", "DstT", "out_type"):
        return False
    out = op.outputs[0]
    return value is out.dtype or (key == "shape" and value == out.shape)


def _op_line(op, name_width, spec_width):
    outs, specs = _op_signature(op)
    return "%s : %s = %s" % (outs.ljust(name_width), specs.ljust(spec_width), _op_rhs(op))


def format_ops(ops, indent=""):
    """Aligned text form of a list of ops (ops with several outputs do not set the widths)."""
    sigs = [_op_signature(op) for op in ops]
    name_width = max((len(n) for n, _ in sigs), default=0)
    spec_width = max((len(s) for (_, s), op in zip(sigs, ops) if len(op.outputs) == 1),
                     default=0)
    lines = []
    for op in ops:
        lines.append((indent + _op_line(op, name_width, spec_width)).rstrip())
        for label, sub in (op.opdef.subgraphs(op) if op.opdef.subgraphs else []):
            lines.append(indent + "  " + label + ":")
            lines.append(format_ops(sub.get_operations(), indent + "    "))
    return "\n".join(lines)
