"""Variables (mutable state) and Modules (objects that own variables).

>>> import autotrace as tf
>>> v = tf.Variable([1.0, 2.0])
>>> v.assign_add([1.0, 1.0]).numpy()
array([2., 3.], dtype=float32)
>>> (v * 2).numpy()
array([4., 6.], dtype=float32)

Where a variable is created decides where its value lives:
- executing eagerly: in the Variable object;
- inside `with graph.as_default():` (the compat.v1 graph model): in each Session that runs the
  graph; it must be initialised there (`global_variables_initializer`);
- during a trace of an `autotrace.function`: the variable is created and initialised once,
  eagerly (it outlives the trace), and the traced graph reads and writes it through a handle.
"""
import re
import threading
import weakref

import numpy as np

from ..core import attr_codec, dtypes
from ..core.context import init_scope, state, user_location
from ..core.errors import FailedPreconditionError
from ..core.graph import get_default_session, name_scope
from . import state_ops
from .constant_op import convert_to_tensor, to_numpy
from .registry import apply
from ..core.tensor import EagerTensor, Reference, SymbolicTensor, Tensor, numpy_text
from ..core.tensor_shape import TensorShape

__all__ = ["Variable", "UnreadVariable", "Module", "ResourceHandle"]


class ResourceHandle:
    """The value of a variable's `resource` handle tensor: it names the Variable.

    `update_lock` makes each read-modify-write op (assign_add, assign_sub) atomic, as TF's
    resource variable kernels are under the variable's mutex: many threads adding to one
    variable lose no update. A read followed by a separate assign is two ops, not atomic."""

    __slots__ = ("variable", "update_lock")
    dtype = dtypes.RESOURCE_MARKER
    shape = ()
    ndim = 0

    def __init__(self, variable):
        self.variable = variable
        self.update_lock = threading.Lock()

    def __repr__(self):
        return "<handle of %s>" % self.variable.name

    def short(self):
        return self.variable.name.split(":")[0]


# In saved graphs, a handle (the VarHandleOp's attribute) or a variable refers to the saved
# variable by reference: the codec keeps the table of variables.
attr_codec.register("variable_handle", ResourceHandle,
                    lambda h, c: c.reference("variable", h.variable),
                    lambda p, c: c.resolve("variable", p)._handle_value)

GLOBAL_VARIABLES = "variables"
TRAINABLE_VARIABLES = "trainable_variables"


class Variable:
    """A mutable tensor-like value: read it like a tensor, change it with `assign`.

    Args:
      initial_value: a tensor, Python value, NumPy array, or a callable returning one.
      trainable: whether GradientTape watches it automatically.
      name: its name (`Variable` by default).
      dtype: convert the initial value to this dtype.
      shape: the static shape; dimensions may be None to allow assigning other shapes.
    """

    _autotrace_variable = True
    __array_priority__ = 100

    def __init__(self, initial_value=None, trainable=True, name=None, dtype=None, shape=None,
                 validate_shape=True, constraint=None, caching_device=None,
                 synchronization=None, aggregation=None, import_scope=None):
        if initial_value is None:
            raise ValueError("Variable needs an initial_value")
        self.trainable = bool(trainable)
        self.constraint = constraint
        self.location = user_location()
        self._dtype_request = None if dtype is None else dtypes.as_dtype(dtype)
        self._graph = None
        self._value = None
        graph = state.graph
        if graph is not None and getattr(graph, "is_function_graph", False):
            graph.on_variable_created(self)  # enforces the first-call rule
            with init_scope():
                self._init_eager(initial_value, name, shape)
        elif graph is not None:
            self._init_in_graph(graph, initial_value, name, shape)
        else:
            self._init_eager(initial_value, name, shape)

    # -- creation --------------------------------------------------------------------------
    def _initial_array(self, initial_value):
        if callable(initial_value):
            initial_value = initial_value()
        if isinstance(initial_value, SymbolicTensor):
            raise ValueError(
                "A Variable's initial value cannot be the symbolic tensor %s: the variable is "
                "created once and outlives the trace, so its initial value must be computable "
                "without running the traced graph. Create the variable outside the function, or "
                "pass a Python/NumPy value or a callable (e.g. lambda: autotrace.zeros([3]))"
                % initial_value.name)
        if isinstance(initial_value, Variable):
            initial_value = initial_value.read_value()
        arr = to_numpy(initial_value, self._dtype_request)
        return np.array(arr) if not isinstance(arr, np.ndarray) else arr.copy()

    def _set_static_shape(self, value_shape, shape):
        if shape is None:
            self._shape = TensorShape(value_shape)
            return
        self._shape = TensorShape(shape)
        if not self._shape.is_compatible_with(value_shape):
            raise ValueError("Variable %r: initial value of shape %s does not fit shape %s"
                             % (self._name, TensorShape(value_shape), self._shape))

    def _init_eager(self, initial_value, name, shape):
        self._name = (name or "Variable") + ":0"
        value = self._initial_array(initial_value)
        self._dtype = dtypes.dtype_of_value(value)
        self._set_static_shape(value.shape, shape)
        self._value = value
        self._handle_value = ResourceHandle(self)
        self._handle = EagerTensor(self._handle_value)
        self._initial_value = EagerTensor(value)
        self.initializer = None

    def _init_in_graph(self, graph, initial_value, name, shape):
        self._graph = graph
        self._handle_value = ResourceHandle(self)
        if callable(initial_value):
            initial_value = initial_value()
        init_tensor = convert_to_tensor(initial_value, self._dtype_request)
        if isinstance(init_tensor, Variable):
            init_tensor = init_tensor.read_value()
        self._dtype = init_tensor.dtype
        self._name = name or "Variable"
        self._set_static_shape(init_tensor.shape, shape)
        self._handle = graph.create_variable_handle(self, name or "Variable")
        op_name = self._handle.op.name
        self._name = op_name + ":0"
        self._initial_value = init_tensor
        with graph.name_scope(op_name + "/"):
            self.initializer = apply(state_ops.ASSIGN_VARIABLE, (self._handle, init_tensor),
                                     None, "Assign").op
            self._snapshot = apply(state_ops.READ_VARIABLE, (self._handle,), None, "Read")
        graph.add_to_collection(GLOBAL_VARIABLES, self)
        if self.trainable:
            graph.add_to_collection(TRAINABLE_VARIABLES, self)

    # -- metadata --------------------------------------------------------------------------
    name = property(lambda self: self._name)
    dtype = property(lambda self: self._dtype)
    shape = property(lambda self: self._shape)
    initial_value = property(lambda self: self._initial_value)

    @property
    def graph(self):
        return self._graph

    @property
    def handle(self):
        graph = state.graph
        if graph is None:
            return self._handle
        return graph.variable_handle(self)

    @property
    def op(self):
        return self._handle.op if self._graph is not None else None

    @property
    def device(self):
        return "/job:localhost/replica:0/task:0/device:CPU:0"

    def get_shape(self):
        return self._shape

    @property
    def ndim(self):
        return self._shape.rank

    def ref(self):
        return Reference(self)

    experimental_ref = ref

    # -- reading ---------------------------------------------------------------------------
    def read_value(self):
        """The current value as a tensor (a read op when building a graph)."""
        return apply(state_ops.READ_VARIABLE, (self.handle,), None, "ReadVariableOp")

    value = read_value

    def _as_tensor(self, dtype=None):
        t = self.read_value()
        if dtype is not None and dtypes.as_dtype(dtype) is not self._dtype:
            raise ValueError("Tensor conversion requested dtype %s for variable %r of dtype %s; "
                             "use autotrace.cast" % (dtypes.as_dtype(dtype).name, self._name,
                                                      self._dtype.name))
        return t

    def numpy(self):
        """The current value as a NumPy array (a copy)."""
        if state.tapes and state.graph is None:
            self.read_value()  # a read the recording tapes see (TF: they watch the variable)
        value = self._read_eager_value()
        return value[()] if value.ndim == 0 else value.copy()

    def _read_eager_value(self):
        if self._graph is not None:
            raise FailedPreconditionError(
                "Variable %r belongs to graph %r: its value lives in a Session. Run it with "
                "session.run(%s) after running the initializer." % (self._name,
                                                                     self._graph.name,
                                                                     self._name.split(":")[0]))
        return self._value

    def _write_eager_value(self, value):
        self._value = value

    def __array__(self, dtype=None, copy=None):
        value = np.asarray(self._read_eager_value())
        return value.astype(dtype) if dtype is not None else value.copy()

    # -- writing ---------------------------------------------------------------------------
    def _assign_op(self, opdef, value, name, read_value):
        value = _as_value_of(self, value)
        result = apply(opdef, (self.handle, value), None, name)
        if not read_value:
            return result.op if state.graph is not None else None
        return UnreadVariable(self, result)

    def _assign_slice(self, key, value, name, read_value):
        from .index_ops import slice_spec
        spec, dyn = slice_spec(key)
        value = _as_value_of(self, value)
        result = apply(state_ops.STRIDED_SLICE_ASSIGN, [self.handle, value] + list(dyn),
                       {"spec": spec}, name or "ResourceStridedSliceAssign")
        if not read_value:
            return result.op if state.graph is not None else None
        return UnreadVariable(self, result)

    def assign(self, value, use_locking=None, name=None, read_value=True):
        """Set the variable's value. Returns the variable as it is after the assignment (a
        variable-like value, so `v.assign(1.0).assign_add(2.0)` chains; reading it reads the
        variable), or with read_value=False the op (None eagerly)."""
        return self._assign_op(state_ops.ASSIGN_VARIABLE, value, name or "AssignVariableOp",
                               read_value)

    def assign_add(self, delta, use_locking=None, name=None, read_value=True):
        """Add `delta` to the variable; returns the new value."""
        return self._assign_op(state_ops.ASSIGN_ADD_VARIABLE, delta,
                               name or "AssignAddVariableOp", read_value)

    def assign_sub(self, delta, use_locking=None, name=None, read_value=True):
        """Subtract `delta` from the variable; returns the new value."""
        return self._assign_op(state_ops.ASSIGN_SUB_VARIABLE, delta,
                               name or "AssignSubVariableOp", read_value)

    def _scatter(self, op_type, sparse_delta, name):
        """Rows `sparse_delta.indices` of the variable combined with `sparse_delta.values`."""
        from .indexed_slices import IndexedSlices
        if not isinstance(sparse_delta, IndexedSlices):
            raise TypeError("%s expects an autotrace.IndexedSlices, got %s"
                            % (op_type, type(sparse_delta).__name__))
        updates = _as_value_of(self, sparse_delta.values)
        result = apply(state_ops.SCATTER_OPS[op_type],
                       (self.handle, sparse_delta.indices, updates), None, name or op_type)
        return UnreadVariable(self, result)

    def scatter_add(self, sparse_delta, use_locking=False, name=None):
        """Add IndexedSlices to rows of the variable (rows listed twice get both)."""
        return self._scatter("ResourceScatterAdd", sparse_delta, name)

    def scatter_sub(self, sparse_delta, use_locking=False, name=None):
        """Subtract IndexedSlices from rows of the variable."""
        return self._scatter("ResourceScatterSub", sparse_delta, name)

    def scatter_update(self, sparse_delta, use_locking=False, name=None):
        """Set rows of the variable to the values of IndexedSlices."""
        return self._scatter("ResourceScatterUpdate", sparse_delta, name)

    def eval(self, session=None):
        return (session or get_default_session()).run(self)

    def load(self, value, session=None):
        (session or get_default_session())._set_variable(self, value)

    # -- Python protocols ------------------------------------------------------------------
    def __repr__(self):
        if self._graph is not None or state.graph is not None:  # no value while tracing
            return "<tf.Variable %r shape=%s dtype=%s>" % (self._name, self._shape,
                                                           self._dtype.name)
        return "<tf.Variable %r shape=%s dtype=%s, numpy=%s>" % (
            self._name, self._shape, self._dtype.name, numpy_text(self._value, is_repr=True))

    def __hash__(self):
        raise TypeError("Variable is unhashable. Instead, use variable.ref() as the key.")

    def __bool__(self):
        return bool(self._as_tensor())

    def __int__(self):
        return int(self._as_tensor())

    def __float__(self):
        return float(self._as_tensor())

    def __index__(self):
        return self._as_tensor().__index__()

    def __len__(self):
        return len(self._as_tensor())

    def __iter__(self):
        return iter(self._as_tensor())

    def __copy__(self):
        return self

    def __deepcopy__(self, memo):
        return Variable(self._value.copy(), trainable=self.trainable,
                        name=self._name.split(":")[0], shape=self._shape)

    def __reduce__(self):
        return (Variable, (self.numpy(), self.trainable, self._name.split(":")[0]))


class _EagerVariableSlice(EagerTensor):
    """`v[key]` of a variable, executing eagerly: a tensor that can also be assigned."""

    __slots__ = ()

    def assign(self, value, use_locking=None, name=None, read_value=True):
        """Assign `value` to this slice of the variable (TF's strided-slice assign): returns
        the variable after the assignment. No gradient flows through it, as in TF."""
        _, variable, key = _SLICES[id(self)]
        return variable._assign_slice(key, value, name, read_value)


class _SymbolicVariableSlice(SymbolicTensor):
    """`v[key]` of a variable, while building a graph: a tensor that can also be assigned."""

    __slots__ = ()
    assign = _EagerVariableSlice.assign


# id(slice tensor) -> (weak reference to it, variable, index key); tensors are not hashable
_SLICES = {}
_SLICE_CLASSES = {EagerTensor: _EagerVariableSlice, SymbolicTensor: _SymbolicVariableSlice}


def variable_slice(variable, key):
    """`variable[key]`: the slice of its value, as a tensor with an `assign` method."""
    from .index_ops import strided_slice_from_key
    sliced = strided_slice_from_key(variable._as_tensor(), key)
    cls = _SLICE_CLASSES.get(type(sliced))
    if cls is not None:
        sliced.__class__ = cls
        tid = id(sliced)
        _SLICES[tid] = (weakref.ref(sliced, lambda _, tid=tid: _SLICES.pop(tid, None)),
                        variable, key)
    return sliced


class UnreadVariable(Variable):
    """What `assign`, `assign_add` and `assign_sub` return, as TensorFlow's: the variable
    after the assignment. It is the same variable under another name: reading it reads the
    variable (so it shows later changes too), and assigning to it assigns the variable.

    >>> v = Variable(1.0)
    >>> v.assign(2.0).assign_add(3.0)
    <tf.Variable 'UnreadVariable' shape=() dtype=float32, numpy=5.0>
    """

    def __init__(self, parent, assignment):  # noqa: super().__init__ would make a variable
        self._parent = parent
        self._assignment = assignment  # the assign op's output
        self._name = "UnreadVariable"
        for attr in ("trainable", "constraint", "location", "_dtype_request", "_graph",
                     "_dtype", "_shape", "_handle", "_handle_value", "_initial_value",
                     "initializer"):
            setattr(self, attr, getattr(parent, attr, None))
        graph = state.graph
        if graph is not None and not getattr(graph, "is_function_graph", False):
            # compat.v1: running what reads it (a Session fetch) runs the assignment first
            self._graph = graph
            self._snapshot = self.read_value()

    _value = property(lambda self: self._parent._value)

    @property
    def handle(self):
        return self._parent.handle

    @property
    def op(self):
        return getattr(self._assignment, "op", None)

    def read_value(self):
        graph = state.graph
        if graph is None or getattr(graph, "is_function_graph", False) or \
                getattr(self._assignment, "graph", None) is not graph:
            return Variable.read_value(self)  # program order puts it after the assignment
        with graph.control_dependencies([self._assignment.op]):
            return Variable.read_value(self)

    value = read_value

    def _read_eager_value(self):
        return self._parent._read_eager_value()

    def _write_eager_value(self, value):
        self._parent._write_eager_value(value)

    def __deepcopy__(self, memo):
        return self._parent.__deepcopy__(memo)

    def __reduce__(self):
        return self._parent.__reduce__()


def _as_value_of(var, value):
    """Convert an assigned value to the variable's dtype (Python values adopt it)."""
    if isinstance(value, Variable):
        value = value.read_value()
    if isinstance(value, Tensor):
        return value
    return convert_to_tensor(value, var.dtype)


def _snake_case(name):
    return re.sub(r"((?<=[a-z0-9])[A-Z]|(?!^)[A-Z](?=[a-z]))", r"_\1", name).lower()


class Module:
    """Base class for objects that own variables, like `tf.Module`.

    `variables` and `trainable_variables` are found by walking the attributes (and lists,
    tuples and dicts in them, and nested Modules), in attribute-name order, without duplicates.

    >>> class Dense(Module):
    ...     def __init__(self):
    ...         super().__init__()
    ...         self.w = Variable([[1.0]], name="w")
    ...         self.b = Variable([0.0], trainable=False, name="b")
    >>> [v.name for v in Dense().trainable_variables]
    ['w:0']
    """

    def __init__(self, name=None):
        self._name = name or _snake_case(type(self).__name__)

    def __setattr__(self, name, value):
        object.__setattr__(self, name, value)
        # A checkpoint restored before this attribute existed restores it now (deferred
        # restoration, autotrace.train.Checkpoint): the callback says if it took the value.
        pending = self.__dict__.get("_deferred_restorations")
        if pending and name in pending and pending[name](value):
            del pending[name]

    @property
    def name(self):
        return self._name

    @property
    def name_scope(self):
        return name_scope(self._name)

    @property
    def variables(self):
        return tuple(self._flatten(lambda x: isinstance(x, Variable)))

    @property
    def trainable_variables(self):
        return tuple(self._flatten(lambda x: isinstance(x, Variable) and x.trainable))

    @property
    def non_trainable_variables(self):
        return tuple(self._flatten(lambda x: isinstance(x, Variable) and not x.trainable))

    @property
    def submodules(self):
        return tuple(self._flatten(lambda x: isinstance(x, Module)))

    def _flatten(self, predicate):
        seen = {id(self)}
        found = []
        _walk(self, predicate, seen, found)
        return found


def _walk(obj, predicate, seen, found):
    children = []
    if isinstance(obj, Module):
        children = [v for k, v in sorted(vars(obj).items()) if not k.startswith("_abc")]
    elif isinstance(obj, dict):
        children = [obj[k] for k in sorted(obj, key=str)]
    elif isinstance(obj, (list, tuple)):
        children = list(obj)
    for child in children:
        if id(child) in seen:
            continue
        if isinstance(child, (Variable, Module, dict, list, tuple)):
            seen.add(id(child))
        if predicate(child):
            found.append(child)
        if isinstance(child, (Module, dict, list, tuple)):
            _walk(child, predicate, seen, found)



attr_codec.register("variable", Variable, lambda v, c: c.reference("variable", v),
                    lambda p, c: c.resolve("variable", p))
