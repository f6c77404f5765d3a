"""Iterators over datasets (tf.data.Iterator) and optionals (tf.experimental.Optional).

`iter(ds)` eagerly gives an OwnedIterator: `next(it)` returns the next element, and raises
StopIteration (Python) or, from `it.get_next()`, OutOfRangeError at the end. Inside a traced
function `iter(ds)` gives an iterator whose `next` is an IteratorGetNext op (it runs on every
call); an iterator made eagerly and used inside a traced function keeps its position between
calls, as TF's does.
"""
from ..core.context import executing_eagerly, process, state, user_location
from ..core import dtypes
from ..core.tensor import EagerTensor, SymbolicTensor
from ..core.tensor_shape import TensorSpec
from ..core.type_spec import CompositeTensor, TypeSpec
from . import graph_ops, structure
from .graph_ops import IteratorState

# get_next calls on one iterator while tracing beyond which a Python loop is assumed (TF: 32).
GRAPH_GET_NEXT_LIMIT = 32

__all__ = ["Iterator", "OwnedIterator", "IteratorSpec", "Optional", "make_iterator",
           "run_pass"]


def run_pass(dataset):
    """One pass over the dataset's elements (flat tuples)."""
    return iter(dataset._elements())


def make_iterator(dataset):
    if executing_eagerly() and not dataset._is_symbolic:
        return OwnedIterator(dataset)
    return OwnedIterator(dataset, graph_ops.make_iterator_tensor(dataset))


class Iterator(CompositeTensor):
    """The interface of dataset iterators (tf.data.Iterator)."""

    @property
    def element_spec(self):
        return self._element_spec

    def get_next(self):
        raise NotImplementedError

    def get_next_as_optional(self):
        raise NotImplementedError


class OwnedIterator(Iterator):
    """An iterator over one pass of a dataset; its state is a `resource` tensor."""

    def __init__(self, dataset=None, resource=None, element_spec=None):
        if resource is None:
            resource = EagerTensor(IteratorState(dataset))
        self._resource = resource
        self._element_spec = dataset.element_spec if element_spec is None else element_spec
        self._pack = structure.packer(self._element_spec)
        self._state = resource._value if isinstance(resource, EagerTensor) else None
        self._graph_calls = 0

    @property
    def _eager_state(self):
        """The IteratorState when this iterator can be advanced in Python right now."""
        if process.all_eager or state.graph is None:
            return self._state
        return None

    def __iter__(self):
        return self

    def __next__(self):
        it = self._state if process.all_eager else self._eager_state
        if it is None:
            return self.get_next()
        flat = it.next_or_none()
        if flat is None:
            raise StopIteration
        return self._pack(flat)

    def next(self):
        return self.__next__()

    def get_next(self):
        """The next element; OutOfRangeError at the end (an op while tracing)."""
        it = self._eager_state
        if it is None:
            self._count_graph_call()
            return graph_ops.get_next(self._resource, self._element_spec)
        return self._pack(it.get_next())

    def get_next_as_optional(self):
        """An Optional holding the next element, or nothing at the end."""
        it = self._eager_state
        if it is None:
            self._count_graph_call()
            has_value, parts = graph_ops.get_next_as_optional(self._resource,
                                                              self._element_spec)
            return Optional._from_parts(has_value, parts, self._element_spec)
        flat = it.next_or_none()
        if flat is None:
            return Optional.empty(self._element_spec)
        return Optional.from_value(self._pack(flat))

    def _count_graph_call(self):
        """A Python `for` over a dataset in a function traced with autograph=False never
        ends while tracing (each `next` is one more op): stop it with an explanation."""
        self._graph_calls += 1
        if self._graph_calls > GRAPH_GET_NEXT_LIMIT:
            raise ValueError(
                "An unusually high number of get_next() calls (%d) was made on one dataset "
                "iterator while tracing (at %s). This is what `for x in dataset:` does inside a "
                "function traced with autograph=False: a Python loop over a dataset never ends "
                "while tracing, each step adding an op. Trace with AutoGraph (the default), "
                "which makes the loop a graph loop, or use dataset.reduce(...)."
                % (self._graph_calls, user_location()))

    @property
    def _type_spec(self):
        """An iterator is a composite value: one `resource` tensor (its state), keyed by
        its element spec when passed to a traced function."""
        return IteratorSpec(self._element_spec)

    def _graph_iteration(self):
        """AutoGraph's hook: `for x in it:` inside a traced function is a graph loop that
        continues from the iterator's position."""
        return graph_ops.iterator_loop_plan(self._resource, self._element_spec)

    def __repr__(self):
        return "<OwnedIterator element_spec=%r>" % (self._element_spec,)


class IteratorSpec(TypeSpec):
    """The spec of a dataset iterator: its element spec."""

    __slots__ = ("_element_spec",)

    def __init__(self, element_spec):
        self._element_spec = element_spec

    value_type = property(lambda self: OwnedIterator)
    element_spec = property(lambda self: self._element_spec)

    def _serialize(self):
        from .dataset import _hashable
        return (_hashable(self._element_spec),)

    @property
    def _component_specs(self):
        return [TensorSpec([], dtypes.resource)]

    def _to_components(self, value):
        return [value._resource]

    def _from_components(self, components):
        return OwnedIterator(resource=components[0], element_spec=self._element_spec)

    def short(self):
        return "Iterator" + structure.parenthesized(self._element_spec)

    def __repr__(self):
        return "IteratorSpec(%r)" % (self._element_spec,)


class Optional:
    """A value that may be absent (tf.experimental.Optional).

    >>> import autotrace as tf
    >>> opt = tf.data.experimental.Optional.from_value(tf.constant(3))
    >>> bool(opt.has_value()), int(opt.get_value())
    (True, 3)
    """

    def __init__(self, has_value, value, element_spec):
        self._has_value = has_value
        self._value = value
        self._element_spec = element_spec

    @staticmethod
    def from_value(value):
        element = structure.normalize(value)
        spec = structure.map_structure(structure.spec_of, element)
        from ..ops.constant_op import convert_to_tensor
        return Optional(convert_to_tensor(True), element, spec)

    @staticmethod
    def empty(element_spec):
        from ..ops.constant_op import convert_to_tensor
        return Optional(convert_to_tensor(False), None, element_spec)

    @staticmethod
    def _from_parts(has_value, parts, element_spec):
        return Optional(has_value, parts, element_spec)

    @property
    def element_spec(self):
        return self._element_spec

    def has_value(self, name=None):
        return self._has_value

    def get_value(self, name=None):
        """The value; InvalidArgumentError if there is none."""
        if isinstance(self._has_value, SymbolicTensor) and isinstance(self._value, list):
            from ..ops.registry import apply
            outputs = apply(graph_ops.OPTIONAL_GET_VALUE, [self._has_value] + self._value)
            return graph_ops.pack_components(self._element_spec, outputs)
        if self._value is None or not bool(self._has_value):
            from ..core.errors import InvalidArgumentError
            raise InvalidArgumentError("The optional does not have a value")
        return self._value

    def __repr__(self):
        return "<Optional element_spec=%r>" % (self._element_spec,)
