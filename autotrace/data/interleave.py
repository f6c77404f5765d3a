"""Steps that combine datasets: flat_map, interleave, choose_from_datasets,
sample_from_datasets."""
import os

import numpy as np

from ..core.errors import InvalidArgumentError
from ..ops import random_ops
from . import structure
from .dataset import INFINITE, UNKNOWN, Dataset
from .functions import StructuredFunction, element_args
from .graph_ops import build, static_value
from .sources import common_spec
from .shuffling import _PassCounter, pass_generator

__all__ = ["flat_map", "interleave", "choose_from_datasets", "sample_from_datasets"]


def _dataset_function(func, dataset, step):
    from .dataset import DatasetSpec
    fn = StructuredFunction(func, element_args(dataset.element_spec), step)
    if not isinstance(fn.output_spec, DatasetSpec):
        raise TypeError("%s at %s: the function must return a Dataset, but it returned %s"
                        % (step, fn.where, structure.describe(fn.output_spec)))
    return fn


class FlatMapDataset(Dataset):
    _op_type = "FlatMapDataset"
    _method = "flat_map"

    def __init__(self, input_dataset, f):
        super().__init__(f.output_spec.element_spec, (input_dataset,))
        self._fn = f

    def _elements(self):
        call = self._fn.call_flat
        for element in self._inputs[0]._elements():
            yield from call(element)[0].dataset._elements()


def flat_map(dataset, map_func):
    fn = _dataset_function(map_func, dataset, "Dataset.flat_map()")
    return build(FlatMapDataset, dataset, f=fn)


class InterleaveDataset(Dataset):
    """TF's interleave order: `cycle_length` slots, `block_length` elements from a slot
    before moving to the next; an exhausted slot takes the next input element's dataset."""

    _op_type = "InterleaveDataset"
    _method = "interleave"

    def __init__(self, input_dataset, f, cycle_length=None, block_length=None):
        super().__init__(f.output_spec.element_spec, (input_dataset,))
        self._fn = f
        cycle = static_value(cycle_length, "Dataset.interleave()") \
            if cycle_length is not None else -1
        block = static_value(block_length, "Dataset.interleave()") \
            if block_length is not None else 1
        self._cycle = (os.cpu_count() or 2) if cycle == -1 else cycle
        self._block = block
        if self._cycle is not None and self._cycle <= 0 or \
                self._block is not None and self._block <= 0:
            raise InvalidArgumentError("%s: cycle_length and block_length must be positive "
                                       "(or AUTOTUNE for cycle_length)" % self._where())

    def _elements(self):
        inputs, call = self._inputs[0]._elements(), self._fn.call_flat
        slots, index, taken, more_input = [None] * self._cycle, 0, 0, True
        while True:
            if slots[index] is not None:
                element = next(slots[index], None)
                if element is not None:
                    yield element
                    taken += 1
                    if taken < self._block:
                        continue
                else:
                    slots[index] = None
            elif more_input:
                nxt = next(inputs, None)
                if nxt is not None:
                    slots[index] = call(nxt)[0].dataset._elements()
                    continue
                more_input = False
            if not more_input and all(s is None for s in slots):
                return
            index, taken = (index + 1) % self._cycle, 0


def interleave(dataset, map_func, cycle_length, block_length, num_parallel_calls,
               deterministic):
    fn = _dataset_function(map_func, dataset, "Dataset.interleave()")
    return build(InterleaveDataset, dataset, f=fn, cycle_length=cycle_length,
                 block_length=block_length)


# -- choosing between datasets -----------------------------------------------------------------

class DirectedInterleaveDataset(Dataset):
    _op_type = "DirectedInterleaveDataset"
    _method = "choose_from_datasets"

    def __init__(self, datasets, choice_dataset, stop_on_empty_dataset=True):
        datasets = list(datasets)
        if not datasets:
            raise ValueError("Dataset.choose_from_datasets: `datasets` is empty")
        spec = choice_dataset.element_spec
        if getattr(spec, "dtype", None) is None or spec.dtype.name != "int64" or \
                spec.shape.rank != 0:
            raise TypeError("Dataset.choose_from_datasets: `choice_dataset` must be a dataset "
                            "of scalar int64 tensors, got %s" % structure.describe(spec))
        element_spec = datasets[0].element_spec
        for d in datasets[1:]:
            element_spec = common_spec(element_spec, d.element_spec)
        super().__init__(element_spec, datasets + [choice_dataset])
        self._stop = bool(stop_on_empty_dataset)

    def _elements(self):
        *datasets, choices = self._inputs
        streams = [d._elements() for d in datasets]
        for (choice,) in choices._elements():
            c = int(choice)
            if not 0 <= c < len(streams):
                raise InvalidArgumentError("%s: choice %d is outside [0, %d)"
                                           % (self._where(), c, len(streams)))
            element = next(streams[c], None) if streams[c] is not None else None
            if element is None:
                if self._stop:
                    return
                streams[c] = None
                continue
            yield element


def choose_from_datasets(datasets, choice_dataset, stop_on_empty_dataset):
    return build(DirectedInterleaveDataset, list(datasets), choice_dataset,
                 stop_on_empty_dataset)


class SampleFromDatasets(Dataset):
    _op_type = "SampleFromDatasets"
    _method = "sample_from_datasets"

    def __init__(self, datasets, weights=None, seed=None, stop_on_empty_dataset=False):
        datasets = list(datasets)
        if not datasets:
            raise ValueError("Dataset.sample_from_datasets: `datasets` is empty")
        element_spec = datasets[0].element_spec
        for d in datasets[1:]:
            element_spec = common_spec(element_spec, d.element_spec)
        super().__init__(element_spec, datasets)
        w = np.ones(len(datasets)) if weights is None else np.asarray(
            weights.numpy() if hasattr(weights, "numpy") else weights, dtype=np.float64)
        if w.shape != (len(datasets),) or np.any(w < 0) or not np.any(w > 0):
            raise InvalidArgumentError("%s: weights must be %d non-negative numbers, not all "
                                       "zero, got %r" % (self._where(), len(datasets), weights))
        self._weights = w
        global_seed, op, _ = random_ops.get_seed(
            None if seed is None else static_value(seed, "seed"))
        self._seed = (global_seed, op)
        self._passes = _PassCounter()
        self._stop = bool(stop_on_empty_dataset)

    def _cardinality(self):
        counts = [d._cardinality() for d in self._inputs]
        if all(c == INFINITE for c in counts):
            return INFINITE
        return UNKNOWN

    def _elements(self):
        rng = pass_generator(self._seed, self._passes)
        streams = [d._elements() for d in self._inputs]
        weights = self._weights.copy()
        while weights.sum() > 0:
            c = int(rng.choice(len(streams), p=weights / weights.sum()))
            element = next(streams[c], None)
            if element is None:
                if self._stop:
                    return
                weights[c] = 0
                continue
            yield element


def sample_from_datasets(datasets, weights, seed, stop_on_empty_dataset):
    return build(SampleFromDatasets, list(datasets), weights, seed, stop_on_empty_dataset)
