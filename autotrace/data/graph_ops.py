"""Datasets and iterators as graph values, and the ops that use them.

A dataset lives in a graph as one `variant` tensor whose value is a `DatasetHandle` (the
Dataset object); an iterator as one `resource` tensor whose value is an `IteratorState` (one
pass over a dataset). A dataset made inside a traced function from graph values
(`from_tensor_slices(x)` with `x` an argument) is built by an op at run time: each step
class has its op type (`TensorSliceDataset`, `MapDataset`, ...), whose kernel builds the
step from the run-time values (`Builder`). Datasets made from Python or eager values are
built once, while tracing, and enter the graph as constants.

Iterator ops are stateful (they run on every call, in program order): `MakeIterator`,
`IteratorGetNext` (OutOfRangeError at the end), `IteratorHasNext` (looks one element ahead,
so `for x in ds:` in a traced function is a While op whose condition asks it), and
`IteratorGetNextAsOptional`.
"""
import threading

import numpy as np

from ..core import dtypes, nest
from ..core.context import executing_eagerly
from ..core.errors import InvalidArgumentError, OutOfRangeError
from ..ops.constant_op import convert_to_tensor
from ..ops.registry import NO_GRADIENT, apply, defop
from ..core.tensor import EagerTensor, SymbolicTensor, Tensor
from ..core.tensor_shape import TensorSpec
from . import components, structure

__all__ = ["DatasetHandle", "IteratorState", "build", "static_value", "variant_tensor",
           "cardinality", "loop_plan", "DATASET_OPS"]


# -- run-time values ---------------------------------------------------------------------------

class DatasetHandle:
    """The value of a dataset's `variant` tensor: the Dataset object."""

    __slots__ = ("dataset",)
    dtype = dtypes.VARIANT_MARKER
    shape = ()
    ndim = 0

    def __init__(self, dataset):
        self.dataset = dataset

    def short(self):
        return "<%s>" % type(self.dataset).__name__

    __repr__ = short

    def __eq__(self, other):
        # Datasets have no value equality; two built from the same values describe the same
        # elements (what the differential check of generated code can ask of them).
        return isinstance(other, DatasetHandle) and (
            other.dataset is self.dataset or
            (type(other.dataset) is type(self.dataset) and
             other.dataset.element_spec == self.dataset.element_spec))

    def __hash__(self):
        return hash(type(self.dataset))


class IteratorState:
    """The value of an iterator's `resource` tensor: one pass over a dataset, started on
    first use, with a one-element lookahead for `has_next`. Safe to share between threads."""

    dtype = dtypes.RESOURCE_MARKER
    shape = ()
    ndim = 0

    def __init__(self, dataset):
        self.dataset = dataset
        self._elements = None
        self._ahead = None
        self._done = False
        self._lock = threading.Lock()

    def _pull(self):
        if self._ahead is not None:
            value, self._ahead = self._ahead, None
            return value
        if self._done:
            return None
        if self._elements is None:
            from .iterators import run_pass
            self._elements = run_pass(self.dataset)
        try:
            return next(self._elements)
        except StopIteration:
            self._done = True
            self._elements = None
            return None

    def next_or_none(self):
        """The next element (flat tuple), or None at the end."""
        with self._lock:
            return self._pull()

    def has_next(self):
        with self._lock:
            if self._ahead is None:
                self._ahead = self._pull()
            return self._ahead is not None

    def get_next(self):
        value = self.next_or_none()
        if value is None:
            raise OutOfRangeError("End of sequence")
        return value

    def short(self):
        return "<iterator over %s>" % type(self.dataset).__name__

    __repr__ = short


# -- building steps from graph values ----------------------------------------------------------

class Builder:
    """The attribute of a dataset op: builds the step `cls(*args, **kwargs)` with the op's
    input values put where the graph values were (a function's captured tensors: bound)."""

    def __init__(self, cls, template, slots):
        self.cls = cls
        self.template = template   # [args list, kwargs dict]
        self.slots = slots         # (leaf position, number of op inputs it takes)

    def __call__(self, *values):
        leaves = nest.flatten(self.template)
        at = 0
        for slot, count in self.slots:
            taken, at = values[at:at + count], at + count
            leaf = leaves[slot]
            if hasattr(leaf, "bound"):
                leaves[slot] = leaf.bound(taken)
            else:
                value = taken[0]
                leaves[slot] = value.dataset if isinstance(value, DatasetHandle) else value
        args, kwargs = nest.pack_sequence_as(self.template, leaves)
        return DatasetHandle(self.cls(*args, **kwargs))

    def short(self):
        return self.cls.__name__


def _is_graph_value(value):
    return isinstance(value, SymbolicTensor) or getattr(value, "_is_symbolic", False)


def _graph_inputs(leaf):
    """The graph tensors a step's argument stands for (none for Python and eager values)."""
    if isinstance(leaf, Tensor):
        return [leaf] if isinstance(leaf, SymbolicTensor) else []
    if getattr(leaf, "_is_symbolic", False):
        return [variant_tensor(leaf)]
    return list(getattr(leaf, "captures", None) or [])


def build(cls, *args, **kwargs):
    """The step `cls(*args, **kwargs)`. While a graph is being built, if any argument is a
    graph value (a symbolic tensor, a dataset made from one, a function reading the traced
    function's tensors), the step also gets the op that builds it at run time from their
    values: its variant tensor (see `stage`)."""
    return stage(cls(*args, **kwargs), cls, args, kwargs)


def stage(node, cls, args, kwargs):
    """`node` (just built as `cls(*args, **kwargs)`), with the op that builds it at run time
    when some argument is a graph value. Public step classes (TFRecordDataset, ...) call this
    at the end of their __init__, as their users build them directly."""
    if executing_eagerly() or node._variant is not None:
        return node
    template = [list(args), kwargs]
    slots, inputs = [], []
    for i, leaf in enumerate(nest.flatten(template)):
        graph_inputs = _graph_inputs(leaf)
        if graph_inputs:
            slots.append((i, len(graph_inputs)))
            inputs.extend(graph_inputs)
    if slots:
        shown = {k: v for k, v in kwargs.items() if hasattr(v, "concrete")}
        attrs = dict(shown, _build=Builder(cls, template, slots))
        node._variant = apply(DATASET_OPS[cls._op_type], inputs, attrs, cls._op_type)
    return node


def static_value(value, what):
    """A scalar argument as a Python number, or None when it is a graph value."""
    if isinstance(value, SymbolicTensor):
        if value.shape.rank not in (0, None):
            raise ValueError("%s: expected a scalar, got a tensor of shape %s"
                             % (what, value.shape))
        return None
    if isinstance(value, EagerTensor):
        value = value._value
    if isinstance(value, (np.ndarray, np.generic)):
        if np.ndim(value) != 0:
            raise ValueError("%s: expected a scalar, got an array of shape %s"
                             % (what, np.shape(value)))
        value = value.item()
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if not isinstance(value, (int, float)):
        raise TypeError("%s: expected a number, got %r" % (what, value))
    return value


def variant_tensor(dataset):
    """The dataset as a variant tensor: the op that builds it, or (for a dataset built
    from Python values) an eager tensor holding it, which a graph captures as a constant."""
    if dataset._variant is not None:
        return dataset._variant
    from .dataset import eager_variant
    return eager_variant(dataset)


def _variant_infer(*inputs, **attrs):
    return dtypes.variant, []


def _build_kernel(*values, _build, **shown):
    return _build(*values)


# One op type per step, all with the same kernel: build the step from the input values.
DATASET_OP_TYPES = """
    TensorSliceDataset TensorDataset RangeDataset ZipDataset ConcatenateDataset
    GeneratorDataset RandomDataset MapDataset ParallelMapDataset FilterDataset BatchDataset
    PaddedBatchDataset RaggedBatchDataset UnbatchDataset RebatchDataset WindowDataset
    ShuffleDataset RepeatDataset TakeDataset SkipDataset TakeWhileDataset ShardDataset
    CacheDataset PrefetchDataset EnumerateDataset FlatMapDataset InterleaveDataset ScanDataset
    UniqueDataset GroupByWindowDataset OptionsDataset IgnoreErrorsDataset
    AssertCardinalityDataset DirectedInterleaveDataset SampleFromDatasets TFRecordDataset
    TextLineDataset FixedLengthRecordDataset CSVDataset LoadDataset
""".split()
DATASET_OPS = {name: defop(name, _build_kernel, _variant_infer, grad=NO_GRADIENT,
                           inputs=("inputs",))
               for name in DATASET_OP_TYPES}


# -- cardinality -------------------------------------------------------------------------------

def _cardinality_kernel(handle):
    return np.int64(handle.dataset._cardinality())


DATASET_CARDINALITY = defop("DatasetCardinality", _cardinality_kernel,
                            lambda handle: (dtypes.int64, []), grad=NO_GRADIENT,
                            inputs=("input_dataset",))


def cardinality(dataset):
    if dataset._is_symbolic:
        return apply(DATASET_CARDINALITY, [dataset._variant])
    return convert_to_tensor(np.int64(dataset._cardinality()))


# -- iterators ---------------------------------------------------------------------------------

def _make_iterator_kernel(handle):
    return IteratorState(handle.dataset)


MAKE_ITERATOR = defop("MakeIterator", _make_iterator_kernel,
                      lambda dataset: (dtypes.resource, []), stateful=True, grad=NO_GRADIENT,
                      inputs=("dataset",))


def _component_specs(specs):
    """(dtype, shape) of each output: the tensor components of the element's components."""
    return [(t.dtype, t.shape) for t in components.tensor_specs(specs)]


def _get_next_kernel(iterator, _specs):
    return components.arrays_of(_specs, iterator.get_next())


ITERATOR_GET_NEXT = defop("IteratorGetNext", _get_next_kernel,
                          lambda iterator, _specs: _component_specs(_specs), stateful=True,
                          multi_output=True, grad=NO_GRADIENT, inputs=("iterator",))

ITERATOR_HAS_NEXT = defop("IteratorHasNext", lambda iterator: np.bool_(iterator.has_next()),
                          lambda iterator: (dtypes.bool, []), stateful=True, grad=NO_GRADIENT,
                          inputs=("iterator",))


def _placeholder_value(spec):
    """What an empty optional holds for a component: zeros, unknown dimensions as 0."""
    if not isinstance(spec, TensorSpec):
        return None
    dims = [0 if d is None else d for d in (spec.shape.dims or [])]
    if spec.dtype.is_string:
        return np.full(dims, b"", dtype=object)
    return np.zeros(dims, spec.dtype.np)


def _get_next_as_optional_kernel(iterator, _specs):
    value = iterator.next_or_none()
    if value is None:
        return [np.bool_(False)] + [_placeholder_value(s)
                                    for s in components.tensor_specs(_specs)]
    return [np.bool_(True)] + components.arrays_of(_specs, value)


ITERATOR_GET_NEXT_AS_OPTIONAL = defop(
    "IteratorGetNextAsOptional", _get_next_as_optional_kernel,
    lambda iterator, _specs: [(dtypes.bool, [])] + _component_specs(_specs), stateful=True,
    multi_output=True, grad=NO_GRADIENT, inputs=("iterator",))


def _optional_get_value_kernel(has_value, *components):
    if not has_value:
        raise InvalidArgumentError("The optional does not have a value: the iterator was "
                                   "at its end. Check has_value() before get_value().")
    return list(components)


OPTIONAL_GET_VALUE = defop("OptionalGetValue", _optional_get_value_kernel,
                           lambda has_value, *components: [(c.dtype, c.shape)
                                                           for c in components],
                           multi_output=True, grad=NO_GRADIENT, inputs=("has_value",),
                           fold=False)


def make_iterator_tensor(dataset):
    return apply(MAKE_ITERATOR, [variant_tensor(dataset)])


def get_next(resource, element_spec):
    """The next element as tensors in the element's structure (IteratorGetNext)."""
    specs = tuple(structure.flatten(element_spec))
    outputs = apply(ITERATOR_GET_NEXT, [resource], {"_specs": specs})
    return pack_components(element_spec, outputs)


def pack_components(element_spec, tensors):
    """Output tensors of an iterator op as the element: composites rebuilt from their
    tensor components."""
    flat, i = [], 0
    for spec in structure.flatten(element_spec):
        kind = components.kind_of(spec)
        n = len(kind.tensor_specs(spec))
        parts = list(tensors[i:i + n])
        flat.append(parts[0] if kind is components.DENSE else
                    spec._from_flat_components(parts))
        i += n
    return structure.pack(element_spec, flat)


def get_next_as_optional(resource, element_spec):
    specs = tuple(structure.flatten(element_spec))
    outputs = apply(ITERATOR_GET_NEXT_AS_OPTIONAL, [resource], {"_specs": specs})
    return outputs[0], list(outputs[1:])


def loop_plan(dataset):
    """AutoGraph's plan for `for x in ds:` in a traced function: a fresh iterator, then a
    graph loop whose condition asks IteratorHasNext and whose body gets the element."""
    return iterator_loop_plan(make_iterator_tensor(dataset), dataset.element_spec)


def iterator_loop_plan(resource, element_spec):
    """(start, has_next(), delta, item_at(i)): a loop counter and the element ops."""
    return (0, lambda: apply(ITERATOR_HAS_NEXT, [resource]), 1,
            lambda i: get_next(resource, element_spec))


# -- whole-dataset ops -------------------------------------------------------------------------

def _reduce_kernel(handle, *initial, _fn, _specs):
    from .transforms import run_reduce
    state = components.values_from_arrays(_specs, initial)
    return components.arrays_of(_specs, run_reduce(handle.dataset, state, _fn))


REDUCE_DATASET = defop("ReduceDataset", _reduce_kernel,
                       lambda handle, *initial, _fn, _specs: _component_specs(_specs),
                       stateful=True, multi_output=True, grad=NO_GRADIENT,
                       inputs=("input_dataset", "initial_state"))


def reduce_in_graph(dataset, initial, function, state_spec):
    """`dataset.reduce(...)` while tracing: one ReduceDataset op (the graph does not grow
    with the dataset)."""
    specs = tuple(structure.flatten(state_spec))
    initial = [t for s, v in zip(specs, initial) for t in (
        [v] if components.kind_of(s) is components.DENSE else s._flat_components(v))]
    outputs = apply(REDUCE_DATASET, [variant_tensor(dataset)] + list(initial),
                    {"_fn": function, "_specs": specs}, "ReduceDataset")
    return pack_components(state_spec, outputs)


def _single_element_kernel(handle, _specs):
    from .transforms import single_element
    return components.arrays_of(_specs, single_element(handle.dataset))


DATASET_TO_SINGLE_ELEMENT = defop(
    "DatasetToSingleElement", _single_element_kernel,
    lambda handle, _specs: _component_specs(_specs), stateful=True, multi_output=True,
    grad=NO_GRADIENT, inputs=("dataset",))


def single_element_in_graph(dataset):
    specs = tuple(structure.flatten(dataset.element_spec))
    outputs = apply(DATASET_TO_SINGLE_ELEMENT, [variant_tensor(dataset)], {"_specs": specs})
    return pack_components(dataset.element_spec, outputs)
