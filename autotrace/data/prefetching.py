"""prefetch (a background producer thread) and the thread pool of parallel map.

The producer thread runs the input steps (NumPy work and compiled graphs) while the consumer
uses earlier elements; an error in the producer is raised in the consumer, at the element
where it happened. When a pass is abandoned (the iterator is dropped), the producer stops.
"""
import collections
import concurrent.futures
import queue
import threading

from .dataset import AUTOTUNE, Dataset
from .graph_ops import build, static_value

__all__ = ["prefetch", "parallel_map", "AUTOTUNE_BUFFER"]

AUTOTUNE_BUFFER = 4   # elements produced ahead when buffer_size is AUTOTUNE
_POLL = 0.05          # seconds between checks of the stop flag while the buffer is full
_ELEMENT, _END, _ERROR = range(3)


class PrefetchDataset(Dataset):
    _op_type = "PrefetchDataset"
    _method = "prefetch"

    def __init__(self, input_dataset, buffer_size):
        super().__init__(input_dataset.element_spec, (input_dataset,))
        size = static_value(buffer_size, "Dataset.prefetch()")
        if size is None or size == AUTOTUNE:
            size = AUTOTUNE_BUFFER
        if size < 0:
            raise ValueError("%s: buffer_size must be >= 0 or AUTOTUNE, got %d"
                             % (self._where(), size))
        self._size = int(size)

    def _cardinality(self):
        return self._inputs[0]._cardinality()

    def _elements(self):
        if self._size == 0:
            return self._inputs[0]._elements()
        return _background(self._inputs[0], self._size)


def _background(dataset, size):
    buffer = queue.Queue(maxsize=size)
    stop = threading.Event()
    thread = threading.Thread(target=_produce, args=(dataset, buffer, stop), daemon=True,
                              name="autotrace-prefetch")
    thread.start()
    try:
        while True:
            kind, value = buffer.get()
            if kind == _ELEMENT:
                yield value
            elif kind == _END:
                return
            else:
                raise value
    finally:
        stop.set()


def _produce(dataset, buffer, stop):
    def put(item):
        while not stop.is_set():
            try:
                buffer.put(item, timeout=_POLL)
                return True
            except queue.Full:
                continue
        return False
    try:
        for element in dataset._elements():
            if not put((_ELEMENT, element)):
                return
        put((_END, None))
    except BaseException as exc:  # handed to the consumer, raised there
        put((_ERROR, exc))


def prefetch(dataset, buffer_size):
    return build(PrefetchDataset, dataset, buffer_size)


def parallel_map(elements, function, workers, deterministic):
    """`map(function, elements)` on a pool of `workers` threads, `workers` calls in flight;
    in input order when `deterministic`, else in the order the calls finish."""
    pool = concurrent.futures.ThreadPoolExecutor(workers, "autotrace-map")
    pending = collections.deque()
    try:
        for element in elements:
            pending.append(pool.submit(function, element))
            if len(pending) >= workers:
                yield _next_done(pending, deterministic)
        while pending:
            yield _next_done(pending, deterministic)
    finally:
        for future in pending:
            future.cancel()
        pool.shutdown(wait=False)


def _next_done(pending, deterministic):
    if deterministic:
        return pending.popleft().result()
    done, _ = concurrent.futures.wait(pending, return_when=concurrent.futures.FIRST_COMPLETED)
    future = next(f for f in pending if f in done)
    pending.remove(future)
    return future.result()
