"""shuffle, with TensorFlow's buffer semantics.

A buffer holds the next `buffer_size` elements; each output is drawn uniformly from the
buffer, and its place is taken by the next input element. With `buffer_size` at least the
dataset's size this is a uniform random permutation, which an in-memory pipeline computes in
one NumPy call (over indices: the data is gathered later, batch by batch).

Seeds follow TensorFlow's rules (autotrace.random.set_seed and the op seed): with a seed, the
order of every pass is reproducible; `reshuffle_each_iteration=True` (the default) draws a new
order for each pass, False repeats the first.
"""
import itertools
import threading

import numpy as np

from ..core.errors import InvalidArgumentError
from ..ops import random_ops
from .dataset import Dataset
from .graph_ops import build, static_value
from .plans import IndexPlan

__all__ = ["shuffle", "buffer_shuffle", "pass_generator"]

_CHUNK = 4096


class _PassCounter:
    """Counts the passes of a step (thread-safe), to seed each pass's generator."""

    def __init__(self):
        self._count = itertools.count()
        self._lock = threading.Lock()

    def next(self):
        with self._lock:
            return next(self._count)


def pass_generator(seed_pair, counter, reshuffle=True):
    """The random generator of one pass: reproducible with a seed (a new stream per pass
    when reshuffling), fresh entropy without."""
    global_seed, op_seed = seed_pair
    if global_seed is None:
        return np.random.default_rng()
    n = counter.next() if reshuffle else 0
    return np.random.Generator(np.random.Philox(np.random.SeedSequence([global_seed, op_seed,
                                                                        n])))


def buffer_shuffle(items, buffer_size, rng):
    """TF's shuffle buffer over any iterator."""
    items = iter(items)
    buffer = list(itertools.islice(items, buffer_size))
    randoms = iter(())
    for item in items:
        r = next(randoms, None)
        if r is None:
            randoms = iter(rng.random(1024).tolist())
            r = next(randoms)
        j = int(r * len(buffer))
        yield buffer[j]
        buffer[j] = item
    for j in rng.permutation(len(buffer)).tolist():
        yield buffer[j]


def _index_stream(order):
    for chunk in order:
        yield from chunk.tolist()


def _chunked(values):
    while True:
        chunk = list(itertools.islice(values, _CHUNK))
        if not chunk:
            return
        yield np.asarray(chunk, dtype=np.int64)


class ShuffleDataset(Dataset):
    _op_type = "ShuffleDataset"
    _method = "shuffle"

    def __init__(self, input_dataset, buffer_size, seed=None, reshuffle_each_iteration=True):
        super().__init__(input_dataset.element_spec, (input_dataset,))
        size = static_value(buffer_size, "Dataset.shuffle()")
        if size is None or size <= 0:
            raise InvalidArgumentError("%s: buffer_size must be a positive integer, got %r"
                                       % (self._where(), buffer_size))
        self._buffer = int(size)
        op_seed = static_value(seed, "Dataset.shuffle()") if seed is not None else None
        global_seed, op, _ = random_ops.get_seed(op_seed)
        self._reshuffle = bool(reshuffle_each_iteration)
        if global_seed is None and not self._reshuffle:  # one random order, kept (as TF)
            global_seed, op = (int(v) for v in np.random.default_rng().integers(2 ** 62,
                                                                                 size=2))
        self._seed = (global_seed, op)
        self._passes = _PassCounter()

    def _cardinality(self):
        return self._inputs[0]._cardinality()

    def _rng(self):
        return pass_generator(self._seed, self._passes, self._reshuffle)

    def _index_plan(self):
        plan = self._inputs[0]._index_plan()
        if plan is None:
            return None
        return IndexPlan(plan.source, lambda: self._shuffled_order(plan), plan.length, True)

    def _shuffled_order(self, plan):
        rng = self._rng()
        if plan.length is not None and self._buffer >= plan.length:
            indices = list(plan.order())
            order = np.concatenate(indices) if indices else np.zeros(0, np.int64)
            yield order[rng.permutation(len(order))]
            return
        yield from _chunked(buffer_shuffle(_index_stream(plan.order()), self._buffer, rng))

    def _elements(self):
        return buffer_shuffle(self._inputs[0]._elements(), self._buffer, self._rng())


def shuffle(dataset, buffer_size, seed, reshuffle_each_iteration):
    return build(ShuffleDataset, dataset, buffer_size, seed, reshuffle_each_iteration)
