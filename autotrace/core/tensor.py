"""Tensors: `EagerTensor` holds a NumPy value; `SymbolicTensor` is an output of a graph op.

Both derive from `Tensor`, which carries the operator overloads (installed from the one table
in `ops/operators.py`, with the iteration of eager tensors), so `isinstance(t, autotrace.Tensor)` holds for both, as in TensorFlow.

>>> import autotrace as tf
>>> tf.constant([1.0, 2.0, 3.0])
<tf.Tensor: shape=(3,), dtype=float32, numpy=array([1., 2., 3.], dtype=float32)>
"""
import inspect

import numpy as np

from . import dtypes
from .context import outward, state
from .errors import (InaccessibleTensorError, OperatorNotAllowedInGraphError, SymbolicNumpyError,
                     SymbolicValueError, TracingNumpyError, UnconvertedGeneratorError)
from .tensor_shape import TensorShape

__all__ = ["Tensor", "EagerTensor", "SymbolicTensor", "Reference", "is_tensor", "numpy_text"]

def _how_to_stage():
    """Advice for a symbolic tensor used as a Python bool or iterable, fitting how the
    function being traced was handled by AutoGraph."""
    from .context import user_location
    status = name = None
    for graph in outward(state.graph):  # the innermost graph that knows
        status, name = getattr(graph, "autograph", None), graph.name
        if status is not None:
            break
    where = "(at %s). " % user_location()
    if status is None:
        return ("%sTrace the code with autotrace.function, which converts Python `if`, "
                "`while` and `for` on tensors to graph control flow, or use autotrace.cond / "
                "autotrace.while_loop directly." % where)
    if status == "off":
        return ("%s%s is traced with autograph=False, so its Python `if`, `while` and `for` "
                "are not converted: remove autograph=False, or use autotrace.cond / "
                "autotrace.while_loop directly." % (where, name))
    if status == "converted":
        return ("%sAutoGraph converted %s, but not this use: it converts `if`, `while` and "
                "`for` statements, `and`/`or`/`not` and `x if c else y`, not comprehensions, "
                "generator expressions or library code. Write a `for` statement, or use "
                "autotrace.where, autotrace.boolean_mask or autotrace.map_fn."
                % (where, name))
    return ("%sAutoGraph could not convert %s (%s), so it runs as written. Fix that, or use "
            "autotrace.cond / autotrace.while_loop directly." % (where, name, status))


class Tensor:
    """Base class of eager and symbolic tensors. Operator overloads live here."""

    # _keras_mask: the mask Keras layers attach to their outputs (Embedding(mask_zero=True)...)
    __slots__ = ("__weakref__", "_keras_mask")
    # NumPy binary operators defer to our reflected methods (`ndarray + tensor` -> __radd__).
    __array_priority__ = 100

    @property
    def ndim(self):
        return self.shape.rank

    def get_shape(self):
        return self.shape

    def ref(self):
        """A hashable reference to this tensor (tensors themselves are not hashable)."""
        return Reference(self)

    def experimental_ref(self):
        return Reference(self)

    def __hash__(self):
        raise TypeError("Tensor is unhashable. Instead, use tensor.ref() as the key.")

    def __copy__(self):
        return self  # tensors are immutable

    def __deepcopy__(self, memo):
        return self

    @property
    def device(self):
        return "/job:localhost/replica:0/task:0/device:CPU:0"


class EagerTensor(Tensor):
    """A tensor with a value: a NumPy array (or NumPy scalar, for shape ())."""

    __slots__ = ("_value",)

    def __init__(self, value):
        self._value = value

    # -- value and metadata ----------------------------------------------------------------
    def numpy(self):
        """The value as a NumPy array (a NumPy scalar for shape `()`), as in TensorFlow.

        The array is a copy: changing it does not change the tensor (tensors are immutable).
        """
        value = self._value
        if type(value) is np.ndarray:
            return value[()] if value.ndim == 0 else value.copy()
        return value

    def __array__(self, dtype=None, copy=None):
        """The value for NumPy functions (`np.asarray(t)`): a read-only view, as in
        TensorFlow, unless a copy or another dtype is asked for."""
        value = np.asarray(self._value)
        if dtype is not None and value.dtype != dtype:
            return value.astype(dtype)
        if copy:
            return value.copy()
        view = value.view()
        view.flags.writeable = False
        return view

    @property
    def dtype(self):
        return dtypes.dtype_of_value(self._value)

    @property
    def shape(self):
        return TensorShape._known(self._value.shape)

    @property
    def ndim(self):
        return self._value.ndim

    def set_shape(self, shape):
        if not self.shape.is_compatible_with(shape):
            raise ValueError("Tensor's shape %s is not compatible with supplied shape %s"
                             % (self.shape, TensorShape(shape)))

    @property
    def name(self):
        raise AttributeError("Tensor.name is undefined when executing eagerly: an eager tensor "
                             "is a value, not a node of a graph.")

    @property
    def op(self):
        raise AttributeError("Tensor.op is undefined when executing eagerly: an eager tensor "
                             "is a value, not the output of a graph op.")

    @property
    def graph(self):
        raise AttributeError("Tensor.graph is undefined when executing eagerly.")

    # -- Python protocols ------------------------------------------------------------------
    def __repr__(self):
        return "<tf.Tensor: shape=%s, dtype=%s, numpy=%s>" % (
            self.shape, self.dtype.name, numpy_text(self._value, is_repr=True))

    def __str__(self):
        return "tf.Tensor(%s, shape=%s, dtype=%s)" % (
            numpy_text(self._value, is_repr=False), self.shape, self.dtype.name)

    def __format__(self, spec):
        if self._value.ndim == 0:
            return format(self.numpy(), spec)
        return format(str(self), spec)

    def __bool__(self):
        return bool(self._value)

    def __int__(self):
        return int(self._value)

    def __float__(self):
        return float(self._value)

    def __complex__(self):
        return complex(self._value)

    def __index__(self):
        value = self._value
        if value.ndim != 0 or value.dtype.kind not in "iu":
            raise TypeError("Only integer scalar tensors can be used as an index; got a tensor "
                            "of dtype %s and shape %s" % (self.dtype.name, self.shape))
        return int(value)

    def __len__(self):
        if self._value.ndim == 0:
            raise TypeError("Scalar tensor has no `len()`")
        return self._value.shape[0]

    def __reduce__(self):
        return (EagerTensor, (self._value,))


class SymbolicTensor(Tensor):
    """An output of an Operation in a Graph: it has a dtype and a (partial) shape, no value."""

    __slots__ = ("op", "value_index", "_dtype", "_shape")

    def __init__(self, op, value_index, dtype, shape):
        self.op = op
        self.value_index = value_index
        self._dtype = dtype
        self._shape = shape if isinstance(shape, TensorShape) else TensorShape(shape)

    dtype = property(lambda self: self._dtype)
    shape = property(lambda self: self._shape)

    @property
    def graph(self):
        return self.op.graph

    @property
    def name(self):
        return "%s:%d" % (self.op.name, self.value_index)

    def __hash__(self):
        # As TF 2: tensors of a compat.v1 graph hash by identity (feed_dict keys); tensors of
        # a function's trace are unhashable like eager ones.
        if getattr(self.op.graph, "is_function_graph", False):
            raise TypeError("Tensor is unhashable. Instead, use tensor.ref() as the key.")
        return id(self)

    def set_shape(self, shape):
        """Refine the static shape (it must stay compatible)."""
        self._shape = self._shape.merge_with(shape)

    def consumers(self):
        return [op for op in self.op.graph.get_operations() if self in op.inputs]

    @property
    def _value(self):
        raise _no_value_error(self, "used as a value outside the graph that created it")

    def numpy(self):
        error = _no_value_error(self, "asked for its value with .numpy()")
        numpy_error = TracingNumpyError if isinstance(error, SymbolicValueError) else \
            SymbolicNumpyError  # also AttributeErrors, which TF code catches here
        raise numpy_error(str(error))

    def __array__(self, dtype=None, copy=None):
        raise _no_value_error(self, "converted to a NumPy array")

    def __repr__(self):
        return "<tf.Tensor %r shape=%s dtype=%s>" % (self.name, self._shape, self._dtype.name)

    def __str__(self):
        # TF's printed form, double quotes included (people compare against TF's docs)
        return 'Tensor("%s", shape=%s, dtype=%s)' % (self.name, self._shape, self._dtype.name)

    def __bool__(self):
        _refuse_in_generator(self, "as a Python bool (an `if`, `while` or `and`)")
        raise OperatorNotAllowedInGraphError(
            "Using a symbolic tensor (%s) as a Python bool is not allowed: while a graph is "
            "being built the tensor has no value yet, so Python cannot choose a branch %s"
            % (self.name, _how_to_stage()))

    def __iter__(self):
        _refuse_in_generator(self, "as a Python iterable (a `for`)")
        raise OperatorNotAllowedInGraphError(
            "Iterating over a symbolic tensor (%s) is not allowed: while a graph is being "
            "built its elements are not Python values %s" % (self.name, _how_to_stage()))

    def __contains__(self, value):
        raise OperatorNotAllowedInGraphError(
            "`value in tensor` with a symbolic tensor (%s) is not allowed: Python's `in` "
            "needs a Python bool now, and while a graph is being built the tensor has no "
            "values yet (at %s). Test membership with tensor ops, which give a bool tensor "
            "an `if` can use: autotrace.reduce_any(autotrace.equal(tensor, value))."
            % (self.name, _user_location()))

    def __len__(self):
        raise TypeError("len is not well defined for a symbolic tensor (%s). Use x.shape for "
                        "its static shape or autotrace.shape(x) for its run-time shape."
                        % self.name)

    def __index__(self):
        raise TypeError("A symbolic tensor (%s) cannot be used as a Python index: it has no "
                        "value while the graph is being built." % self.name)

    def __int__(self):
        raise TypeError("int() of a symbolic tensor (%s) is not possible: it has no value "
                        "while the graph is being built." % self.name)

    __float__ = __int__


def _user_location():
    from .context import user_location
    return user_location()


def _refuse_in_generator(tensor, use):
    """Inside a generator (which AutoGraph leaves as Python): a NotImplementedError naming
    the generator and the line."""
    from .context import user_frame
    frame = user_frame(3)
    if frame is None or not frame.f_code.co_flags & inspect.CO_GENERATOR:
        return
    code = frame.f_code
    raise UnconvertedGeneratorError(
        "The symbolic tensor %s is used %s in the generator %s, at %s:%d. AutoGraph does not "
        "convert generators (TensorFlow: \"generators are not supported\"), so their `if`, "
        "`while` and `for` are Python's, which need values a graph does not have yet. Build "
        "the values with a `for` loop or a list in the converted function instead of "
        "yielding them, or use autotrace ops (autotrace.where, autotrace.map_fn) in the "
        "generator." % (tensor.name, use, code.co_name, code.co_filename, frame.f_lineno))


def _no_value_error(tensor, what):
    op = tensor.op
    where = (" It was created at %s." % op.location) if op.location else ""
    graph = op.graph
    if getattr(graph, "is_function_graph", False) and _being_traced(graph):
        return SymbolicValueError(
            "The symbolic tensor %s was %s while %s is being traced, but it has no value yet: "
            "tracing builds a graph, and values exist only when the function runs.%s Use "
            "autotrace ops on it instead of NumPy or Python conversions (e.g. "
            "autotrace.shape(x) rather than np.shape(x)), or autotrace.numpy_function to run "
            "NumPy code at run time." % (tensor.name, what, graph.name, where))
    if getattr(graph, "is_function_graph", False):
        return InaccessibleTensorError(
            "The symbolic tensor %s was %s, but it belongs to the trace of %s and has no "
            "value outside it.%s Symbolic tensors exist only while a function is traced; a "
            "tensor stored from inside the trace (in a list, attribute or global) leaks out "
            "of it. Return the value from the function instead, or keep it in an "
            "autotrace.Variable." % (tensor.name, what, graph.name, where))
    return InaccessibleTensorError(
        "The symbolic tensor %s was %s, but it is a node of a graph: it has no value until "
        "the graph runs.%s Run it with compat.v1.Session().run(...), or execute eagerly "
        "(outside `with graph.as_default():`)." % (tensor.name, what, where))


def _being_traced(graph):
    """True if `graph` is the graph being built, or encloses it (a cond branch, a loop body)."""
    return any(current is graph for current in outward(state.graph))


class Reference:
    """Hashable reference to a tensor or variable (from `.ref()`): equal iff same object."""

    __slots__ = ("_obj",)

    def __init__(self, obj):
        self._obj = obj

    def deref(self):
        return self._obj

    def __hash__(self):
        return id(self._obj)

    def __eq__(self, other):
        return isinstance(other, Reference) and other._obj is self._obj

    def __repr__(self):
        return "<Reference wrapping %r>" % (self._obj,)


def is_tensor(x):
    """True for eager and symbolic tensors (and Variables, as TF's `is_tensor`)."""
    return isinstance(x, Tensor) or hasattr(x, "_autotrace_variable")


def numpy_text(value, is_repr):
    """The value as TensorFlow prints it; a value spanning several lines starts on its own."""
    if np.ndim(value) == 0:
        scalar = np.asarray(value)[()]
        if isinstance(scalar, bytes):
            return repr(scalar)
        return str(scalar)
    text = repr(value) if is_repr else np.array2string(np.asarray(value), separator=" ")
    return "\n" + text if "\n" in text else text
