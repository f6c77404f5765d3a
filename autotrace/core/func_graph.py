"""FuncGraph: the graph a function is traced into.

Beyond a plain Graph it knows its inputs (placeholders) and outputs, captures what the
traced code uses from outside (eager tensors by value, outer graphs' tensors as extra inputs,
Variables by reference through handles), remembers its stateful ops in program order, and
refuses tensors that leaked out of another, finished trace.
"""
from .context import outward, state
from .errors import InaccessibleTensorError
from .graph import Graph, format_ops, signature_text
from .op_def import lookup
from .tensor import EagerTensor, SymbolicTensor

__all__ = ["FuncGraph"]


class FuncGraph(Graph):
    """A graph being (or once) traced from a Python function."""

    is_function_graph = True
    # How the traced function's control flow was handled, for error advice: "off"
    # (autograph=False), "converted", or the reason AutoGraph could not convert it. None for
    # sub-graphs (cond branches, loop bodies): their enclosing trace says.
    autograph = None

    def __init__(self, name, outer_graph=None, creator=None):
        super().__init__(name)
        self.outer_graph = outer_graph
        self.inputs = []            # placeholders: arguments first, then captured tensors
        self.outputs = []           # flat output tensors
        self.structured_outputs = None
        self.captures = []          # (outer tensor, inner placeholder) for outer-graph tensors
        self._captured_outer = {}   # id(outer tensor) -> inner placeholder
        self.created_variables = []  # Variables created while tracing
        self.stateful_ops = []      # in program order: they run on every call
        self.creator = creator      # the Function whose trace this is (for the rules)
        self.trace_reasons = ()     # why this trace happens (for the rules' messages)
        self.finished = False

    def create_op(self, opdef, inputs, attrs, name=None, location=None):
        op = super().create_op(opdef, inputs, attrs, name, location)
        if op.stateful:
            self.stateful_ops.append(op)
        return op

    def as_text(self):
        """The signature, `name(inputs) -> outputs`, then one op per line (see Graph.as_text).

        >>> import autotrace as tf
        >>> @tf.function
        ... def double(x):
        ...     return x * 2.0
        >>> print(double.get_concrete_function(tf.TensorSpec([None])).graph.as_text())
        double(x) -> mul
        x     : float32[?] = Placeholder
        Const : float32[]  = Const {value=2.0}
        mul   : float32[?] = Mul(x, Const)
        """
        return self.name + signature_text(self) + "\n" + format_ops(self._ops)

    # -- captures --------------------------------------------------------------------------
    def capture_symbolic(self, tensor):
        """A tensor of an enclosing graph becomes an extra input (a placeholder) of this one."""
        found = self._captured_outer.get(id(tensor))
        if found is not None:
            return found
        if not self._is_enclosing(tensor.graph):
            raise _leak_error(tensor, self)
        outer = tensor
        if self.outer_graph is not tensor.graph:  # capture through the intermediate graphs
            outer = self.outer_graph.capture_symbolic(tensor)
        with self.as_default(), self.control_dependencies(None):
            # Named after what it captures, so a branch prints as then_branch(MatMul).
            inner = self.add_placeholder(tensor.dtype, tensor.shape,
                                         tensor.op.name.rsplit("/", 1)[-1])
        variable = tensor.op.attrs.get("variable")
        if variable is not None:  # a variable's handle: the capture is the same variable's
            inner.op.attrs["variable"] = variable
        self.captures.append((outer, inner))
        self.inputs.append(inner)
        self._captured_outer[id(tensor)] = inner
        return inner

    def add_placeholder(self, dtype, shape, name):
        """A new input of this graph (not yet listed in `inputs`)."""
        op = self.create_op(lookup("Placeholder"), (), {"dtype": dtype, "shape": shape}, name)
        return op.outputs[0]

    def put_inputs_first(self):
        """Move the input placeholders to the front, in the order of `inputs` (placeholders
        have no inputs, so the order stays topological): the printed graph then reads like a
        function."""
        placeholders = [t.op for t in self.inputs]
        moved = set(placeholders)
        self._ops = placeholders + [op for op in self._ops if op not in moved]
        for i, op in enumerate(self._ops):
            op._id = i

    def graph_tensor(self, value):
        """`value` (a tensor of any graph, an eager tensor, a Variable) as a tensor of this
        graph: outer tensors are captured, eager ones become constants, variables are read.
        (Python values are converted to tensors by the caller.)"""
        if isinstance(value, SymbolicTensor):
            return value if value.op.graph is self else self.capture_symbolic(value)
        if isinstance(value, EagerTensor):
            return self.capture_eager(value)
        as_tensor = getattr(value, "_as_tensor", None)
        if as_tensor is None:
            raise TypeError("%r is not a tensor or a variable" % (value,))
        with self.as_default():
            return as_tensor()

    def _is_enclosing(self, graph):
        return any(outer is graph for outer in outward(self.outer_graph))

    # -- the rules -------------------------------------------------------------------------
    def on_variable_created(self, variable):
        """Called by Variable() while tracing; the creator Function enforces the first-call
        rule (branch graphs defer to the function graph that encloses them)."""
        graph = next((g for g in outward(self) if getattr(g, "creator", None) is not None),
                     None)
        if graph is not None:
            graph.creator.check_variable_creation(variable, graph)
            graph.created_variables.append(variable)


def _leak_error(tensor, graph):
    origin = tensor.graph
    where = " (created at %s)" % tensor.op.location if tensor.op.location else ""
    if getattr(origin, "is_function_graph", False):
        return InaccessibleTensorError(
            "The tensor %s%s belongs to the trace of %r, which has finished, so it has no "
            "value here, in %r. It leaked out of that trace: a symbolic tensor was stored "
            "(in a Python list, an attribute or a global) while tracing. Return it from the "
            "function instead, or keep values that must outlive a call in an "
            "autotrace.Variable." % (tensor.name, where, origin.name, graph.name))
    return InaccessibleTensorError(
        "The tensor %s%s belongs to graph %r and cannot be used in %r."
        % (tensor.name, where, origin.name, graph.name))



def current_func_graph():
    """The FuncGraph being traced, or None."""
    graph = state.graph
    return graph if getattr(graph, "is_function_graph", False) else None
