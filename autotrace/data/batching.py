"""Steps that group elements: batch, padded_batch, ragged_batch, unbatch, rebatch, window."""
import itertools

import numpy as np

from ..core import dtypes
from ..core.errors import InvalidArgumentError
from ..core.tensor_shape import TensorShape, TensorSpec
from . import components, structure
from .dataset import INFINITE, UNKNOWN, Dataset
from .graph_ops import DatasetHandle, build, static_value
from . import plans
from .plans import index_batches

__all__ = ["batch", "padded_batch", "ragged_batch", "unbatch", "rebatch", "window"]


def _batch_size(value, step, where):
    size = static_value(value, step)
    if size is not None and size <= 0:
        raise InvalidArgumentError("%s: batch_size must be greater than zero, got %d (Batch "
                                   "size must be greater than zero.)" % (where, size))
    return size


def _drop(value, step):
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    flag = static_value(value, step)
    return None if flag is None else bool(flag)


def _batched_cardinality(n, size, drop):
    if n < 0 or size is None or drop is None:
        return n if n == INFINITE else UNKNOWN
    return n // size if drop else -(-n // size)


def _check_batchable(spec, step):
    for s in structure.flatten(spec):
        if components.kind_of(s) is components.DATASET:
            raise TypeError("%s: elements holding datasets cannot be batched (%s)"
                            % (step, structure.describe(spec)))


def _check_dense(spec, step):
    for s in structure.flatten(spec):
        if type(s) is not TensorSpec:
            raise TypeError("%s: elements must be plain tensors, got %s"
                            % (step, structure.describe(spec)))


# -- batch -------------------------------------------------------------------------------------

class BatchDataset(Dataset):
    _op_type = "BatchDataset"
    _method = "batch"

    def __init__(self, input_dataset, batch_size, drop_remainder=False):
        super().__init__(input_dataset.element_spec, (input_dataset,))
        self._size = _batch_size(batch_size, "Dataset.batch()", self._where())
        self._drop = _drop(drop_remainder, "Dataset.batch()")
        _check_batchable(input_dataset.element_spec, self._where())
        dim = self._size if self._drop else None
        self._set_spec(structure.map_structure(lambda s: structure.batched_spec(s, dim),
                                               input_dataset.element_spec))

    def _cardinality(self):
        return _batched_cardinality(self._inputs[0]._cardinality(), self._size, self._drop)

    def _elements(self):
        plan = self._inputs[0]._index_plan() if plans.VECTORISED else None
        if plan is not None:
            gather, where = plan.source.gather, self._where()
            return (gather(idx, where) for idx in index_batches(plan.order(), self._size,
                                                                self._drop))
        return self._stacked()

    def _stacked(self):
        elements, size = self._inputs[0]._elements(), self._size
        specs, where = self._inputs[0]._flat_spec, self._where()
        while True:
            rows = list(itertools.islice(elements, size))
            if not rows or (len(rows) < size and self._drop):
                return
            yield components.stack_rows(rows, specs, self._flat_spec, where)


def batch(dataset, batch_size, drop_remainder):
    return build(BatchDataset, dataset, batch_size, drop_remainder)


# -- padded_batch ------------------------------------------------------------------------------

class PaddedBatchDataset(Dataset):
    _op_type = "PaddedBatchDataset"
    _method = "padded_batch"

    def __init__(self, input_dataset, batch_size, padded_shapes=None, padding_values=None,
                 drop_remainder=False):
        Dataset.__init__(self, input_dataset.element_spec, (input_dataset,))
        where = self._where()
        self._size = _batch_size(batch_size, "Dataset.padded_batch()", where)
        self._drop = _drop(drop_remainder, "Dataset.padded_batch()")
        spec = input_dataset.element_spec
        _check_dense(spec, where)
        flat = structure.flatten(spec)
        self._shapes = _padded_shapes(spec, padded_shapes, where)
        self._pads = _padding_values(spec, padding_values, where)
        dim = self._size if self._drop else None
        batched = [TensorSpec(TensorShape([dim]).concatenate(shape), s.dtype)
                   for s, shape in zip(flat, self._shapes)]
        self._element_spec = structure.pack(spec, batched)
        self._flat_spec = tuple(batched)

    def _cardinality(self):
        return _batched_cardinality(self._inputs[0]._cardinality(), self._size, self._drop)

    def _elements(self):
        elements, size = self._inputs[0]._elements(), self._size
        while True:
            rows = list(itertools.islice(elements, size))
            if not rows or (len(rows) < size and self._drop):
                return
            yield tuple(self._pad(i, parts) for i, parts in enumerate(zip(*rows)))

    def _pad(self, index, parts, unknown_to=None):
        """Component `index` of a batch, padded: unknown dimensions to the longest in the
        batch (or to `unknown_to`, for bucket_by_sequence_length's bucket boundaries)."""
        shape = self._shapes[index]
        ranks = {np.ndim(p) for p in parts}
        if ranks != {shape.rank}:
            raise InvalidArgumentError(
                "%s: component %d has rank %s but padded_shapes gives rank %d"
                % (self._where(), index, sorted(ranks), shape.rank))
        longest = np.max([np.shape(p) for p in parts], axis=0) if shape.rank else []
        target = [(int(m) if unknown_to is None else max(int(m), unknown_to)) if d is None
                  else d for d, m in zip(shape.dims, longest)]
        pad = self._pads[index]
        out = np.empty([len(parts)] + target, dtype=np.asarray(parts[0]).dtype)
        out[...] = pad
        for i, p in enumerate(parts):
            p = np.asarray(p)
            if any(s > t for s, t in zip(p.shape, target)):
                raise InvalidArgumentError(
                    "%s: component %d of element %d has shape %s, larger than its padded "
                    "shape %s (Attempted to pad to a smaller size than the input element.)"
                    % (self._where(), index, i, TensorShape(p.shape), TensorShape(target)))
            out[(i,) + tuple(slice(0, s) for s in p.shape)] = p
        return out


def _padded_shapes(spec, padded_shapes, where):
    flat = structure.flatten(spec)
    if padded_shapes is None:
        for s in flat:
            if s.shape.rank is None:
                raise ValueError("%s: padded_shapes is needed for components of unknown rank"
                                 % where)
        return [TensorShape([None] * s.shape.rank) if s.shape.rank else TensorShape([])
                for s in flat]
    given = _shape_leaves(spec, padded_shapes, where)
    shapes = []
    for i, (s, g) in enumerate(zip(flat, given)):
        shape = TensorShape([None if d == -1 else d for d in _dims(g)])
        if s.shape.rank is not None and shape.rank != s.shape.rank:
            raise ValueError("%s: padded_shapes[%d] %s has rank %d, but the component has "
                             "shape %s" % (where, i, shape, shape.rank, s.shape))
        if s.shape.rank is not None:
            for a, b in zip(s.shape.dims, shape.dims):
                if a is not None and b is not None and b < a:
                    raise ValueError("%s: padded_shapes[%d] %s is smaller than the "
                                     "component's shape %s" % (where, i, shape, s.shape))
        shapes.append(shape)
    return shapes


def _dims(shape):
    if isinstance(shape, TensorShape):
        return shape.dims
    values = np.asarray(shape.numpy() if hasattr(shape, "numpy") else shape).reshape(-1)
    return [None if v is None else int(v) for v in values.tolist()]


def _shape_leaves(spec, shapes, where):
    """padded_shapes as one shape per component (a list or TensorShape is one shape)."""
    if not structure.is_structure(spec):
        return [shapes]
    if not structure.same_structure(spec, _shapes_as_leaves(shapes)):
        raise ValueError("%s: padded_shapes %r does not have the structure of the elements %s"
                         % (where, shapes, structure.describe(spec)))
    return structure.flatten(_shapes_as_leaves(shapes))


def _shapes_as_leaves(shapes):
    """Lists inside padded_shapes are shapes, not structure (tf.data's rule)."""
    return shapes


def _padding_values(spec, values, where):
    flat = structure.flatten(spec)
    if values is None:
        return [b"" if s.dtype.is_string else s.dtype.np.type(0) for s in flat]
    given = [values] * len(flat) if not structure.is_structure(values) and \
        structure.is_structure(spec) else structure.flatten(values)
    if len(given) != len(flat):
        raise ValueError("%s: padding_values %r does not have the structure of the elements %s"
                         % (where, values, structure.describe(spec)))
    out = []
    for s, v in zip(flat, given):
        v = v.numpy() if hasattr(v, "numpy") else v
        if np.ndim(v) != 0:
            raise ValueError("%s: each padding value must be a scalar, got %r" % (where, v))
        out.append(np.asarray(v).item() if not s.dtype.is_string else
                   (v.encode() if isinstance(v, str) else v))
    return out


def padded_batch(dataset, batch_size, padded_shapes, padding_values, drop_remainder):
    return build(PaddedBatchDataset, dataset, batch_size, padded_shapes=padded_shapes,
                 padding_values=padding_values, drop_remainder=drop_remainder)


class RaggedBatchDataset(BatchDataset):
    """batch, where components of rank >= 1 become RaggedTensors (their shapes may differ
    from element to element); scalars batch densely."""

    _op_type = "RaggedBatchDataset"
    _method = "ragged_batch"

    def __init__(self, input_dataset, batch_size, drop_remainder=False,
                 row_splits_dtype=dtypes.int64):
        super().__init__(input_dataset, batch_size, drop_remainder)
        dim = self._size if self._drop else None
        self._set_spec(structure.map_structure(
            lambda s: structure.batched_spec(s, dim, ragged=True), input_dataset.element_spec))

    def _elements(self):
        return self._stacked()


def ragged_batch(dataset, batch_size, drop_remainder, row_splits_dtype):
    return build(RaggedBatchDataset, dataset, batch_size, drop_remainder, row_splits_dtype)


# -- unbatch / rebatch -------------------------------------------------------------------------

class UnbatchDataset(Dataset):
    _op_type = "UnbatchDataset"
    _method = "unbatch"

    def __init__(self, input_dataset):
        spec = input_dataset.element_spec
        unbatched = structure.map_structure(
            lambda s: structure.unbatched_spec(s, "Dataset.unbatch()"), spec)
        super().__init__(unbatched, (input_dataset,))

    def _elements(self):
        specs, where = self._inputs[0]._flat_spec, self._where()
        for element in self._inputs[0]._elements():
            yield from element_rows(specs, element, where)


def element_rows(specs, element, where):
    """The rows of a batched element (flat tuple), component by component."""
    columns = [components.rows_of(s, v) for s, v in zip(specs, element)]
    if len({len(c) for c in columns}) > 1:
        raise InvalidArgumentError("%s: the components of an element have different sizes in "
                                   "their first dimension (%s); they cannot be unbatched "
                                   "together" % (where, sorted({len(c) for c in columns})))
    return zip(*columns)


def unbatch(dataset):
    return build(UnbatchDataset, dataset)


class RebatchDataset(Dataset):
    _op_type = "RebatchDataset"
    _method = "rebatch"

    def __init__(self, input_dataset, batch_size, drop_remainder=False):
        spec = input_dataset.element_spec
        Dataset.__init__(self, spec, (input_dataset,))
        _check_dense(spec, self._where())
        sizes = np.asarray(batch_size.numpy() if hasattr(batch_size, "numpy") else
                           batch_size).reshape(-1).tolist()
        if not sizes or any(s <= 0 for s in sizes):
            raise InvalidArgumentError("%s: batch sizes must be positive, got %r"
                                       % (self._where(), batch_size))
        self._sizes = [int(s) for s in sizes]
        self._drop = bool(drop_remainder)
        dim = self._sizes[0] if self._drop and len(set(self._sizes)) == 1 else None
        batched = [TensorSpec(TensorShape([dim]).concatenate(s.shape[1:]), s.dtype)
                   for s in structure.flatten(spec)]
        self._element_spec = structure.pack(spec, batched)
        self._flat_spec = tuple(batched)

    def _elements(self):
        specs, where = self._inputs[0]._flat_spec, self._where()
        rows = itertools.chain.from_iterable(element_rows(specs, e, where)
                                             for e in self._inputs[0]._elements())
        row_specs = [components.row_spec(s, where) for s in specs]
        for size in itertools.cycle(self._sizes):
            group = list(itertools.islice(rows, size))
            if not group or (len(group) < size and self._drop):
                return
            yield components.stack_rows(group, row_specs, self._flat_spec, where)


def rebatch(dataset, batch_size, drop_remainder):
    return build(RebatchDataset, dataset, batch_size, drop_remainder)


# -- window ------------------------------------------------------------------------------------

class WindowDataset(Dataset):
    _op_type = "WindowDataset"
    _method = "window"

    def __init__(self, input_dataset, size, shift=None, stride=1, drop_remainder=False):
        from .dataset import DatasetSpec
        spec = input_dataset.element_spec
        super().__init__(structure.map_structure(lambda s: DatasetSpec(s), spec),
                         (input_dataset,))
        where = self._where()
        self._size = _positive(size, "size", where)
        self._shift = self._size if shift is None else _positive(shift, "shift", where)
        self._stride = _positive(stride, "stride", where)
        self._drop = bool(drop_remainder)

    def _cardinality(self):
        n = self._inputs[0]._cardinality()
        if n < 0:
            return n
        span = (self._size - 1) * self._stride + 1
        if self._drop:
            return 0 if n < span else (n - span) // self._shift + 1
        return -(-n // self._shift)

    def _elements(self):
        from .sources import rows_dataset
        span = (self._size - 1) * self._stride + 1
        elements = self._inputs[0]._elements()
        buffer, position, spec = [], 0, self._element_spec
        flat_inner = [s.element_spec for s in structure.flatten(spec)]
        while True:
            while len(buffer) < span:
                nxt = next(elements, None)
                if nxt is None:
                    break
                buffer.append(nxt)
            if not buffer or (self._drop and len(buffer) < span):
                return
            rows = buffer[:span:self._stride]
            yield tuple(DatasetHandle(rows_dataset([(r[i],) for r in rows], inner))
                        for i, inner in enumerate(flat_inner))
            del buffer[:self._shift]
            if len(buffer) == 0 and self._shift > span:
                skipped = self._shift - span
                for _ in itertools.islice(elements, skipped):
                    pass
            position += self._shift


def _positive(value, name, where):
    n = static_value(value, "Dataset.window()")
    if n is None or n <= 0:
        raise InvalidArgumentError("%s: %s must be a positive integer, got %r"
                                   % (where, name, value))
    return int(n)


def window(dataset, size, shift, stride, drop_remainder):
    return build(WindowDataset, dataset, size, shift, stride, drop_remainder)
