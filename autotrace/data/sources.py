"""Sources: from_tensor_slices, from_tensors, range, zip, concatenate, from_generator."""
import itertools

import numpy as np

from ..core import dtypes
from ..core.errors import InvalidArgumentError
from ..ops.constant_op import ConversionError, to_numpy
from ..core.tensor import EagerTensor, SymbolicTensor
from ..core.tensor_shape import TensorShape, TensorSpec
from . import components, structure
from .dataset import INFINITE, UNKNOWN, Dataset
from .graph_ops import build, static_value
from .plans import ArraySource, IndexPlan

__all__ = ["from_tensor_slices", "from_tensors", "range_dataset", "zip_datasets",
           "concatenate", "from_generator", "random_dataset", "TensorSliceDataset"]

_CHUNK = 1 << 16  # indices per chunk of a range's index stream


def _values(tensors):
    """The pipeline values of eager components (None while any is symbolic)."""
    if any(isinstance(t, SymbolicTensor) for t in tensors) or any(
            isinstance(p, SymbolicTensor) for t in tensors if hasattr(t, "_type_spec")
            for p in t._type_spec._flat_components(t)):
        return None
    return [components.value_of(structure.spec_of(t), t) for t in tensors]


# -- from_tensor_slices / from_tensors ---------------------------------------------------------

class TensorSliceDataset(Dataset):
    _op_type = "TensorSliceDataset"
    _method = "from_tensor_slices"

    def __init__(self, tensors):
        element = structure.normalize(tensors)
        flat = structure.flatten(element)
        if not flat:
            raise ValueError("Dataset.from_tensor_slices: the input has no components (got %r)"
                             % (tensors,))
        step = "Dataset.from_tensor_slices()"
        self._component_specs = [structure.spec_of(t) for t in flat]
        specs = [structure.unbatched_spec(s, step) for s in self._component_specs]
        super().__init__(structure.pack(element, specs))
        self._rows = _common_rows(flat, self._where())
        self._arrays = _values(flat)
        self._dense = all(type(s) is TensorSpec for s in self._component_specs)

    def _cardinality(self):
        return UNKNOWN if self._rows is None else self._rows

    def _index_plan(self):
        if not self._dense:
            return None
        n = self._rows
        return IndexPlan(ArraySource(self._arrays), lambda: iter([np.arange(n)]), n)

    def _elements(self):
        if self._dense:
            return self._index_plan().rows()
        return zip(*(components.rows_of(s, v) for s, v in zip(self._component_specs,
                                                             self._arrays)))


def _common_rows(flat, where):
    """The shared first dimension of the components (None if unknown), or a ValueError
    naming the components that disagree."""
    known = [(i, t.shape[0]) for i, t in enumerate(flat)
             if t.shape.rank and t.shape[0] is not None]
    for i, n in known[1:]:
        if n != known[0][1]:
            raise ValueError(
                "%s: all components must have the same size in their first dimension (one "
                "element per row), but component %d has %d rows and component %d has %d "
                "(Dimensions %d and %d are not compatible)"
                % (where, known[0][0], known[0][1], i, n, known[0][1], n))
    return known[0][1] if len(known) == len(flat) else None


def from_tensor_slices(tensors):
    return build(TensorSliceDataset, tensors)


class TensorDataset(Dataset):
    _op_type = "TensorDataset"
    _method = "from_tensors"

    def __init__(self, tensors):
        element = structure.normalize(tensors)
        super().__init__(structure.map_structure(structure.spec_of, element))
        self._values = _values(structure.flatten(element))

    def _cardinality(self):
        return 1

    def _elements(self):
        return iter([tuple(self._values)])


def from_tensors(tensors):
    return build(TensorDataset, tensors)


# -- range -------------------------------------------------------------------------------------

class RangeDataset(Dataset):
    _op_type = "RangeDataset"
    _method = "range"

    def __init__(self, args, output_type):
        if not 1 <= len(args) <= 3:
            raise TypeError("Dataset.range takes 1 to 3 arguments (stop; start, stop; start, "
                            "stop, step), got %d" % len(args))
        bounds = [static_value(a, "Dataset.range()") for a in args]
        start, stop, step = (0, bounds[0], 1) if len(bounds) == 1 else \
            (bounds + [1])[:3]
        if step == 0:
            raise InvalidArgumentError("Dataset.range() at %s: step must not be 0"
                                       % self._location)
        self._dtype = dtypes.as_dtype(output_type)
        super().__init__(TensorSpec([], self._dtype))
        self._bounds = (start, stop, step)

    def _length(self):
        start, stop, step = self._bounds
        if None in self._bounds:
            return None
        return max(0, -(-(stop - start) // step))

    def _cardinality(self):
        n = self._length()
        return UNKNOWN if n is None else n

    def _index_plan(self):
        n = self._length()
        return IndexPlan(_RangeSource(self._bounds[0], self._bounds[2], self._dtype),
                         lambda: _chunks(n), n)

    def _elements(self):
        return self._index_plan().rows()


class _RangeSource:
    def __init__(self, start, step, dtype):
        self.start, self.step, self.np = start, step, dtype.np

    def gather(self, indices, where=None):
        return ((self.start + indices * self.step).astype(self.np, copy=False),)

    def row(self, i):
        return (self.np.type(self.start + i * self.step),)


def _chunks(n):
    for start in range(0, n, _CHUNK):
        yield np.arange(start, min(n, start + _CHUNK), dtype=np.int64)


def range_dataset(args, output_type):
    return build(RangeDataset, tuple(args), output_type)


# -- zip / concatenate -------------------------------------------------------------------------

class ZipDataset(Dataset):
    _op_type = "ZipDataset"
    _method = "zip"

    def __init__(self, datasets):
        flat = structure.flatten(datasets)
        if not flat or not all(isinstance(d, Dataset) for d in flat):
            raise TypeError("Dataset.zip expects a (nested) tuple or dict of datasets, got %r"
                            % (datasets,))
        super().__init__(structure.map_structure(lambda d: d.element_spec, datasets), flat)
        self._datasets = flat

    def _cardinality(self):
        counts = [d._cardinality() for d in self._datasets]
        finite = [c for c in counts if c >= 0]
        if finite:
            return min(finite) if UNKNOWN not in counts else UNKNOWN
        return UNKNOWN if UNKNOWN in counts else INFINITE

    def _elements(self):
        for parts in zip(*(d._elements() for d in self._datasets)):
            yield tuple(itertools.chain.from_iterable(parts))


def zip_datasets(datasets):
    return build(ZipDataset, datasets)


class ConcatenateDataset(Dataset):
    _op_type = "ConcatenateDataset"
    _method = "concatenate"

    def __init__(self, first, second):
        if not isinstance(second, Dataset):
            raise TypeError("Dataset.concatenate expects a Dataset, got %r" % (second,))
        spec = common_spec(first.element_spec, second.element_spec)
        super().__init__(spec, (first, second))

    def _cardinality(self):
        a, b = (d._cardinality() for d in self._inputs)
        if INFINITE in (a, b):
            return INFINITE
        return UNKNOWN if UNKNOWN in (a, b) else a + b

    def _elements(self):
        return itertools.chain(self._inputs[0]._elements(), self._inputs[1]._elements())


def common_spec(a, b):
    """The spec both datasets' elements fit (shapes generalised), or a TypeError."""
    if not structure.same_structure(a, b):
        raise TypeError("Incompatible dataset elements: the two datasets have different "
                        "structures, %s and %s" % (structure.describe(a), structure.describe(b)))
    flat = []
    for x, y in zip(structure.flatten(a), structure.flatten(b)):
        if type(x) is not type(y) or x.dtype is not y.dtype:
            raise TypeError("Incompatible dataset elements: %s and %s (the dtypes must be "
                            "equal)" % (structure.describe(a), structure.describe(b)))
        try:
            flat.append(x.most_specific_compatible_type(y))
        except ValueError:
            raise TypeError("Incompatible dataset elements: %s and %s" % (
                structure.describe(a), structure.describe(b))) from None
    return structure.pack(a, flat)


def concatenate(first, second):
    return build(ConcatenateDataset, first, second)


# -- from_generator ----------------------------------------------------------------------------

class GeneratorDataset(Dataset):
    _op_type = "GeneratorDataset"
    _method = "from_generator"

    def __init__(self, generator, signature, args):
        if not callable(generator):
            raise TypeError("Dataset.from_generator: `generator` must be a callable that "
                            "returns an iterator, got %r" % (generator,))
        super().__init__(signature)
        self._generator = generator
        self._args = args

    def _elements(self):
        args = [np.asarray(a) if not isinstance(a, EagerTensor) else a._value
                for a in self._args]
        for value in self._generator(*args):
            yield self._checked(value)

    def _checked(self, value):
        spec = self._element_spec
        if not structure.is_structure(spec) and isinstance(value, tuple) and len(value) == 1:
            value = value[0]
        if structure.is_structure(spec) and isinstance(value, list):
            value = tuple(value)
        if not structure.same_structure(value, spec):
            raise TypeError("%s: the generator yielded %s, which does not match the structure "
                            "of output_signature %s" % (self._where(), _short(value),
                                                        structure.describe(spec)))
        flat = structure.flatten(value)
        return tuple(self._component(i, s, v) for i, (s, v) in
                     enumerate(zip(self._flat_spec, flat)))

    def _component(self, index, spec, value):
        which = "component %d of the element" % index if len(self._flat_spec) > 1 else \
            "the element"
        if type(spec) is not TensorSpec:
            return self._composite_component(spec, value, which)
        try:
            array = to_numpy(value.numpy() if isinstance(value, EagerTensor) else value,
                             spec.dtype)
        except (ConversionError, TypeError, ValueError) as exc:
            raise InvalidArgumentError(
                "%s: `generator` yielded an element that could not be converted to the "
                "expected type. The expected type was %s, but %s was %s (%s)"
                % (self._where(), spec.dtype.name, which, _short(value), exc)) from None
        if not spec.shape.is_compatible_with(np.shape(array)):
            raise InvalidArgumentError(
                "%s: `generator` yielded an element of shape %s where an element of shape %s "
                "was expected (%s)" % (self._where(), TensorShape(np.shape(array)), spec.shape,
                                       which))
        return array


    def _composite_component(self, spec, value, which):
        """A ragged (from nested lists or a RaggedTensor) or sparse component."""
        from .. import ragged
        from ..ragged.ragged_tensor import RaggedTensor, RaggedTensorSpec
        if isinstance(spec, RaggedTensorSpec) and not isinstance(value, RaggedTensor) \
                and spec.ragged_rank > 0:
            try:
                value = ragged.constant(value, dtype=spec.dtype, ragged_rank=spec.ragged_rank)
            except (TypeError, ValueError) as exc:
                raise InvalidArgumentError("%s: `generator` yielded %s for %s, which is not a "
                                           "ragged value of %s (%s)" % (
                                               self._where(), _short(value), which,
                                               spec.short(), exc)) from None
        if components.kind_of(spec) is components.DENSE:  # ragged rank 0: a dense tensor
            return self._component(0, TensorSpec(spec.shape, spec.dtype), value)
        got = getattr(value, "_type_spec", None)
        if got is None or not got.is_subtype_of(spec):
            raise InvalidArgumentError("%s: `generator` yielded %s for %s, where %s was "
                                       "expected" % (self._where(), _short(value), which,
                                                     spec.short()))
        return components.value_of(spec, value)


def _short(value):
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def from_generator(generator, output_types, output_shapes, args, output_signature):
    if output_signature is None:
        if output_types is None:
            raise TypeError("Dataset.from_generator needs `output_signature` (a nest of "
                            "autotrace.TensorSpec), or the older `output_types`")
        output_signature = _legacy_signature(output_types, output_shapes)
    elif output_types is not None or output_shapes is not None:
        raise TypeError("Dataset.from_generator: give `output_signature`, or `output_types` "
                        "(and `output_shapes`), not both")
    for spec in structure.flatten(output_signature):
        if not isinstance(spec, TensorSpec) and components.kind_of(spec) is not \
                components.COMPOSITE:
            raise TypeError("Dataset.from_generator: output_signature must be a nest of "
                            "TensorSpec, RaggedTensorSpec or SparseTensorSpec, got %r"
                            % (spec,))
    return GeneratorDataset(generator, output_signature, tuple(args or ()))


def _legacy_signature(types, shapes):
    flat_types = structure.flatten(types)
    flat_shapes = structure.flatten(shapes) if shapes is not None else [None] * len(flat_types)
    if shapes is not None and not structure.is_structure(shapes) and isinstance(shapes, list):
        flat_shapes = [shapes]
    specs = [TensorSpec(TensorShape(s), dtypes.as_dtype(t)) for t, s in
             zip(flat_types, flat_shapes)]
    return structure.pack(types, specs)


# -- random ------------------------------------------------------------------------------------

class RandomDataset(Dataset):
    _op_type = "RandomDataset"
    _method = "random"

    def __init__(self, seed):
        from ..ops import random_ops
        from .shuffling import _PassCounter
        super().__init__(TensorSpec([], dtypes.int64))
        global_seed, op_seed, _ = random_ops.get_seed(
            None if seed is None else static_value(seed, "Dataset.random()"))
        self._seed = (global_seed, op_seed)
        self._passes = _PassCounter()

    def _cardinality(self):
        return INFINITE

    def _elements(self):
        from .shuffling import pass_generator
        rng = pass_generator(self._seed, self._passes)
        while True:
            for value in rng.integers(0, 2 ** 63 - 1, size=1024, dtype=np.int64):
                yield (value,)


def random_dataset(seed):
    return RandomDataset(seed)


class RowsDataset(Dataset):
    """Elements already computed (flat tuples): a window, a group."""

    def __init__(self, rows, element_spec):
        super().__init__(element_spec)
        self._rows = rows

    def _cardinality(self):
        return len(self._rows)

    def _elements(self):
        return iter(self._rows)


def rows_dataset(rows, element_spec):
    return RowsDataset(rows, element_spec)
