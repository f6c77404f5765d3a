"""Element-by-element steps: map, filter, repeat, take, skip, take_while, shard, cache,
enumerate, scan, reduce, unique, ignore_errors, assert_cardinality, get_single_element."""
import itertools
import warnings

import numpy as np

from ..core import dtypes
from ..core.context import executing_eagerly, user_location
from ..core.errors import FailedPreconditionError, InvalidArgumentError, OpError
from ..core.tensor_shape import TensorSpec
from . import structure
from .dataset import INFINITE, UNKNOWN, Dataset
from .functions import StructuredFunction, element_args
from .graph_ops import build, static_value
from .plans import (IndexPlan, MappedSource, repeat_order, shard_indices, skip_indices,
                    take_indices)

__all__ = ["map_dataset", "filter_dataset", "repeat", "take", "skip", "take_while", "shard",
           "cache", "enumerate_dataset", "scan", "reduce", "unique", "ignore_errors",
           "assert_cardinality", "get_single_element", "run_reduce", "single_element"]


def _count(value, step):
    return static_value(value, step)


# -- map ---------------------------------------------------------------------------------------

class MapDataset(Dataset):
    _op_type = "MapDataset"
    _method = "map"

    def __init__(self, input_dataset, f, num_parallel_calls=None, deterministic=None):
        super().__init__(f.output_spec, (input_dataset,))
        self._fn = f
        self._parallel = num_parallel_calls
        self._deterministic = deterministic

    def _cardinality(self):
        return self._inputs[0]._cardinality()

    def _index_plan(self):
        plan = self._inputs[0]._index_plan()
        if plan is None or self._fn.stateful or not self._fn._plain:
            return None  # a stateful function runs in the input's order, element by element
        return IndexPlan(MappedSource(plan.source, self._fn), plan.order, plan.length,
                         plan.random)

    def _elements(self):
        call = self._fn.call_flat
        workers = _workers(self._parallel)
        if workers > 1:
            from .prefetching import parallel_map
            deterministic = self._deterministic is not False
            return parallel_map(self._inputs[0]._elements(), call, workers, deterministic)
        return map(call, self._inputs[0]._elements())


def _workers(num_parallel_calls):
    if num_parallel_calls is None:
        return 1
    n = static_value(num_parallel_calls, "num_parallel_calls")
    if n == -1:  # AUTOTUNE
        import os
        return os.cpu_count() or 2
    if n is not None and n < 1:
        raise InvalidArgumentError("num_parallel_calls must be positive or AUTOTUNE (-1), got "
                                   "%d" % n)
    return n or 1


def map_dataset(dataset, map_func, num_parallel_calls=None, deterministic=None):
    fn = StructuredFunction(map_func, element_args(dataset.element_spec), "Dataset.map()")
    return build(MapDataset, dataset, f=fn, num_parallel_calls=num_parallel_calls,
                 deterministic=deterministic)


# -- filter ------------------------------------------------------------------------------------

def _predicate(func, args_spec, step):
    fn = StructuredFunction(func, args_spec, step)
    spec = fn.output_spec
    if not isinstance(spec, TensorSpec) or spec.dtype is not dtypes.bool or \
            spec.shape.rank != 0:
        raise ValueError("%s at %s: invalid `predicate`. `predicate` must return a scalar bool "
                         "tensor, but its return type is %r" % (step, fn.where, spec))
    return fn


class FilterDataset(Dataset):
    _op_type = "FilterDataset"
    _method = "filter"

    def __init__(self, input_dataset, predicate):
        super().__init__(input_dataset.element_spec, (input_dataset,))
        self._predicate = predicate

    def _index_plan(self):
        plan = self._inputs[0]._index_plan()
        if plan is None or not self._predicate.batchable:
            return None
        source, predicate, where = plan.source, self._predicate, self._where()

        def order():
            for chunk in plan.order():
                if len(chunk):
                    yield chunk[np.asarray(predicate.call_batched(source.gather(chunk, where))[0],
                                           dtype=bool)]
        return IndexPlan(source, order, None, plan.random)

    def _elements(self):
        keep = self._predicate.call_flat
        return (e for e in self._inputs[0]._elements() if keep(e)[0])


def filter_dataset(dataset, predicate):
    fn = _predicate(predicate, element_args(dataset.element_spec), "Dataset.filter()")
    return build(FilterDataset, dataset, predicate=fn)


# -- repeat / take / skip / shard --------------------------------------------------------------

class RepeatDataset(Dataset):
    _op_type = "RepeatDataset"
    _method = "repeat"

    def __init__(self, input_dataset, count):
        super().__init__(input_dataset.element_spec, (input_dataset,))
        n = _count(count, "Dataset.repeat()") if count is not None else -1
        self._count = None if n is not None and n < 0 else n

    def _cardinality(self):
        n, count = self._inputs[0]._cardinality(), self._count
        if count == 0 or n == 0:
            return 0
        if count is None:
            return INFINITE if n != UNKNOWN else UNKNOWN
        return n if n < 0 else n * count

    def _index_plan(self):
        plan = self._inputs[0]._index_plan()
        if plan is None:
            return None
        length = None if self._count is None or plan.length is None else \
            plan.length * self._count
        return IndexPlan(plan.source, lambda: repeat_order(plan.order, self._count), length,
                         plan.random)

    def _elements(self):
        passes = itertools.count() if self._count is None else range(self._count)
        for _ in passes:
            empty = True
            for element in self._inputs[0]._elements():
                empty = False
                yield element
            if empty:
                return


def repeat(dataset, count):
    return build(RepeatDataset, dataset, count)


class TakeDataset(Dataset):
    _op_type = "TakeDataset"
    _method = "take"

    def __init__(self, input_dataset, count):
        super().__init__(input_dataset.element_spec, (input_dataset,))
        self._count = _count(count, "Dataset.take()")

    def _cardinality(self):
        n, count = self._inputs[0]._cardinality(), self._count
        if count is None:
            return UNKNOWN
        if count < 0:
            return n
        if n == INFINITE:
            return count
        return UNKNOWN if n == UNKNOWN else min(n, count)

    def _index_plan(self):
        plan, count = self._inputs[0]._index_plan(), self._count
        if plan is None or count is None:
            return None
        if count < 0:
            return plan
        length = count if plan.length is None else min(count, plan.length)
        return IndexPlan(plan.source, lambda: take_indices(plan.order(), count), length,
                         plan.random)

    def _elements(self):
        elements = self._inputs[0]._elements()
        return elements if self._count < 0 else itertools.islice(elements, self._count)


def take(dataset, count):
    return build(TakeDataset, dataset, count)


class SkipDataset(Dataset):
    _op_type = "SkipDataset"
    _method = "skip"

    def __init__(self, input_dataset, count):
        super().__init__(input_dataset.element_spec, (input_dataset,))
        self._count = _count(count, "Dataset.skip()")

    def _cardinality(self):
        n, count = self._inputs[0]._cardinality(), self._count
        if count is None:
            return UNKNOWN
        if n < 0:
            return n if count >= 0 else (0 if n == INFINITE else UNKNOWN)
        return 0 if count < 0 else max(0, n - count)

    def _index_plan(self):
        plan, count = self._inputs[0]._index_plan(), self._count
        if plan is None or count is None or count < 0:
            return None
        length = None if plan.length is None else max(0, plan.length - count)
        return IndexPlan(plan.source, lambda: skip_indices(plan.order(), count), length,
                         plan.random)

    def _elements(self):
        if self._count < 0:
            for _ in self._inputs[0]._elements():
                pass
            return iter(())
        return itertools.islice(self._inputs[0]._elements(), self._count, None)


def skip(dataset, count):
    return build(SkipDataset, dataset, count)


class ShardDataset(Dataset):
    _op_type = "ShardDataset"
    _method = "shard"

    def __init__(self, input_dataset, num_shards, index):
        super().__init__(input_dataset.element_spec, (input_dataset,))
        self._num = _count(num_shards, "Dataset.shard()")
        self._index = _count(index, "Dataset.shard()")
        if self._num is not None and self._num < 1:
            raise InvalidArgumentError("%s: num_shards must be >= 1, got %d"
                                       % (self._where(), self._num))
        if None not in (self._num, self._index) and not 0 <= self._index < self._num:
            raise InvalidArgumentError("%s: index must be in [0, num_shards), got index %d "
                                       "with num_shards %d" % (self._where(), self._index,
                                                               self._num))

    def _cardinality(self):
        n = self._inputs[0]._cardinality()
        if n < 0 or self._num is None or self._index is None:
            return n if n == INFINITE else UNKNOWN
        return n // self._num + (1 if self._index < n % self._num else 0)

    def _index_plan(self):
        plan = self._inputs[0]._index_plan()
        if plan is None:
            return None
        length = None if plan.length is None else len(range(self._index, plan.length,
                                                            self._num))
        return IndexPlan(plan.source,
                         lambda: shard_indices(plan.order(), self._num, self._index), length,
                         plan.random)

    def _elements(self):
        return itertools.islice(self._inputs[0]._elements(), self._index, None, self._num)


def shard(dataset, num_shards, index):
    return build(ShardDataset, dataset, num_shards, index)


# -- take_while --------------------------------------------------------------------------------

class TakeWhileDataset(Dataset):
    _op_type = "TakeWhileDataset"
    _method = "take_while"

    def __init__(self, input_dataset, predicate):
        super().__init__(input_dataset.element_spec, (input_dataset,))
        self._predicate = predicate

    def _elements(self):
        keep = self._predicate.call_flat
        return itertools.takewhile(lambda e: keep(e)[0], self._inputs[0]._elements())


def take_while(dataset, predicate):
    fn = _predicate(predicate, element_args(dataset.element_spec), "Dataset.take_while()")
    return build(TakeWhileDataset, dataset, predicate=fn)


# -- enumerate ---------------------------------------------------------------------------------

def enumerate_dataset(dataset, start):
    from .sources import range_dataset, zip_datasets
    counter = range_dataset((start, np.iinfo(np.int64).max), dtypes.int64)
    result = zip_datasets((counter, dataset))
    result._method = "enumerate"
    return result


# -- cache -------------------------------------------------------------------------------------

class CacheDataset(Dataset):
    _op_type = "CacheDataset"
    _method = "cache"

    def __init__(self, input_dataset, filename):
        super().__init__(input_dataset.element_spec, (input_dataset,))
        self._filename = filename if isinstance(filename, str) else \
            static_string(filename, "Dataset.cache()")
        self._memory = None

    def _cardinality(self):
        return self._inputs[0]._cardinality()

    def _index_plan(self):
        plan = self._inputs[0]._index_plan()
        return plan if plan is not None and not plan.random else None

    def _elements(self):
        if self._filename:
            from .save_load import file_cache_elements
            return file_cache_elements(self._inputs[0], self._filename)
        if self._memory is not None:
            return iter(self._memory)
        return self._filling()

    def _filling(self):
        kept = []
        for element in self._inputs[0]._elements():
            kept.append(element)
            yield element
        self._memory = kept  # only a complete pass is kept


def static_string(value, what):
    from ..core.tensor import EagerTensor
    if isinstance(value, EagerTensor):
        value = value._value
    if isinstance(value, np.ndarray):
        value = value[()]
    if isinstance(value, bytes):
        return value.decode()
    if isinstance(value, str):
        return value
    raise TypeError("%s: expected a string, got %r" % (what, value))


def cache(dataset, filename):
    return build(CacheDataset, dataset, filename)


# -- scan and reduce ---------------------------------------------------------------------------

def _state_function(func, initial, element_spec, step, returns_output):
    """Trace `func(state, element)` until the state's spec is stable (a state whose shape
    changes is traced again with the shape generalised, as TF does)."""
    state_spec = structure.map_structure(structure.spec_of, initial)
    for _ in range(8):
        fn = StructuredFunction(func, (state_spec, element_spec), step)
        out = fn.output_spec
        if returns_output:
            if not (isinstance(out, tuple) and len(out) == 2):
                raise TypeError("%s at %s: `scan_func` must return a pair (new_state, output), "
                                "got %s" % (step, fn.where, structure.describe(out)))
            new_state = out[0]
        else:
            new_state = out
        relaxed = _relaxed_state(state_spec, new_state, step, fn.where)
        if relaxed == state_spec:
            return fn, state_spec
        state_spec = relaxed
    raise ValueError("%s: the state's shape did not settle" % step)


def _relaxed_state(old, new, step, where):
    if not structure.same_structure(old, new):
        raise TypeError("%s at %s: the function must return a state of the same structure as "
                        "the initial state: %s, but it returned %s"
                        % (step, where, structure.describe(old), structure.describe(new)))
    flat = []
    for a, b in zip(structure.flatten(old), structure.flatten(new)):
        if a.dtype is not b.dtype:
            raise TypeError("%s at %s: the state changes dtype from %s to %s; the function "
                            "must return the state with the dtypes of the initial state "
                            "(%s)" % (step, where, a.dtype.name, b.dtype.name,
                                      structure.describe(old)))
        flat.append(a.most_specific_compatible_type(b))
    return structure.pack(old, flat)


class ScanDataset(Dataset):
    _op_type = "ScanDataset"
    _method = "scan"

    def __init__(self, input_dataset, initial_state, scan_func):
        super().__init__(scan_func.output_spec[1], (input_dataset,))
        self._initial = tuple(structure.flatten(initial_state))
        self._fn = scan_func
        self._n_state = len(structure.flatten(scan_func.output_spec[0]))

    def _cardinality(self):
        return self._inputs[0]._cardinality()

    def _elements(self):
        carried = tuple(_values(self._initial))
        call, n = self._fn.call_flat, self._n_state
        for element in self._inputs[0]._elements():
            out = call(carried + element)
            carried = out[:n]
            yield out[n:]


def _values(tensors):
    return [t._value if hasattr(t, "_value") else t for t in tensors]


def scan(dataset, initial_state, scan_func):
    initial = structure.normalize(initial_state)
    fn, _ = _state_function(scan_func, initial, dataset.element_spec, "Dataset.scan()", True)
    return build(ScanDataset, dataset, initial, scan_func=fn)


def run_reduce(dataset, initial, fn):
    """The final state (flat values) of `fn` folded over one pass of `dataset`."""
    from .iterators import run_pass
    carried = tuple(initial)
    call = fn.call_flat
    for element in run_pass(dataset):
        carried = call(carried + element)
    return carried


def reduce(dataset, initial_state, reduce_func):
    initial = structure.normalize(initial_state)
    fn, state_spec = _state_function(reduce_func, initial, dataset.element_spec,
                                     "Dataset.reduce()", False)
    flat_initial = structure.flatten(initial)
    if not executing_eagerly():
        from .graph_ops import reduce_in_graph
        return reduce_in_graph(dataset, flat_initial, fn, state_spec)
    final = run_reduce(dataset, tuple(_values(flat_initial)), fn)
    return structure.to_tensors(state_spec, final)


# -- unique ------------------------------------------------------------------------------------

class UniqueDataset(Dataset):
    _op_type = "UniqueDataset"
    _method = "unique"

    def __init__(self, input_dataset):
        spec = input_dataset.element_spec
        if not isinstance(spec, TensorSpec) or spec.dtype not in (
                dtypes.int32, dtypes.int64, dtypes.string):
            raise TypeError("Dataset.unique() at %s: the elements must be single int32, int64 or "
                            "string tensors, got %s" % (user_location(),
                                                        structure.describe(spec)))
        super().__init__(spec, (input_dataset,))

    def _elements(self):
        seen = set()
        for element in self._inputs[0]._elements():
            key = np.asarray(element[0]).tobytes() if element[0].dtype.kind != "O" else \
                repr(np.asarray(element[0]).tolist())
            if key not in seen:
                seen.add(key)
                yield element


def unique(dataset):
    return build(UniqueDataset, dataset)


# -- errors ------------------------------------------------------------------------------------

class IgnoreErrorsDataset(Dataset):
    """Drops the elements whose map or filter function raised an error. The steps between
    the source and here run element by element under this step's control, so one bad
    element does not end the pass."""

    _op_type = "IgnoreErrorsDataset"
    _method = "ignore_errors"

    def __init__(self, input_dataset, log_warning=False):
        super().__init__(input_dataset.element_spec, (input_dataset,))
        self._log = log_warning

    def _elements(self):
        steps, source = [], self._inputs[0]
        while isinstance(source, (MapDataset, FilterDataset)):
            steps.append(source)
            source = source._inputs[0]
        steps.reverse()
        for element in source._elements():
            try:
                element = _through(steps, element)
            except OpError as exc:
                if self._log:
                    warnings.warn("Dataset.ignore_errors: dropped an element: %s" % exc)
                continue
            if element is not None:
                yield element


def _through(steps, element):
    for step in steps:
        if isinstance(step, MapDataset):
            element = step._fn.call_flat(element)
        elif not step._predicate.call_flat(element)[0]:
            return None
    return element


def ignore_errors(dataset, log_warning=False):
    return build(IgnoreErrorsDataset, dataset, log_warning)


class AssertCardinalityDataset(Dataset):
    _op_type = "AssertCardinalityDataset"
    _method = "assert_cardinality"

    def __init__(self, input_dataset, expected):
        super().__init__(input_dataset.element_spec, (input_dataset,))
        self._expected = _count(expected, "assert_cardinality")

    def _cardinality(self):
        return self._expected if self._expected is not None else UNKNOWN

    def _elements(self):
        count = 0
        for element in self._inputs[0]._elements():
            count += 1
            if self._expected >= 0 and count > self._expected:
                raise FailedPreconditionError(
                    "Input dataset was expected to contain %d elements but contained at least "
                    "%d elements." % (self._expected, count))
            yield element
        if self._expected == INFINITE or count < self._expected:
            raise FailedPreconditionError(
                "Input dataset was expected to contain %s elements but contained only %d "
                "elements." % ("an infinite number of" if self._expected == INFINITE
                               else self._expected, count))


def assert_cardinality(dataset, expected):
    return build(AssertCardinalityDataset, dataset, expected)


# -- get_single_element ------------------------------------------------------------------------

def single_element(dataset):
    from .iterators import run_pass
    elements = run_pass(dataset)
    first = next(elements, None)
    if first is None:
        raise InvalidArgumentError("Dataset.get_single_element(): the dataset was empty "
                                   "(Dataset was empty.)")
    if next(elements, None) is not None:
        raise InvalidArgumentError("Dataset.get_single_element(): the dataset had more than "
                                   "one element (Dataset had more than one element.)")
    return first


def get_single_element(dataset):
    if not executing_eagerly():
        from .graph_ops import single_element_in_graph
        return single_element_in_graph(dataset)
    return structure.to_tensors(dataset.element_spec, single_element(dataset))
