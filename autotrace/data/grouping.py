"""Grouping steps: group_by_window and bucket_by_sequence_length."""
import bisect

import numpy as np

from ..core import dtypes
from ..core.errors import InvalidArgumentError
from ..core.tensor_shape import TensorSpec
from . import components, structure
from .batching import PaddedBatchDataset
from .dataset import Dataset, DatasetSpec
from .functions import StructuredFunction, element_args
from .graph_ops import build

__all__ = ["group_by_window", "bucket_by_sequence_length"]


def _scalar_function(func, args_spec, step, dtype_names=("int64",)):
    fn = StructuredFunction(func, args_spec, step)
    spec = fn.output_spec
    if not isinstance(spec, TensorSpec) or spec.shape.rank != 0 or \
            spec.dtype.name not in dtype_names:
        raise ValueError("%s at %s: the function must return a scalar %s tensor, got %s"
                         % (step, fn.where, " or ".join(dtype_names), structure.describe(spec)))
    return fn


class GroupByWindowDataset(Dataset):
    """Elements grouped by key into windows; each full window (and, at the end, each
    unfinished one, by key order) is reduced to a dataset by `reduce_func(key, window)`."""

    _op_type = "GroupByWindowDataset"
    _method = "group_by_window"

    def __init__(self, input_dataset, key_func, reduce_func, window_size=None,
                 window_size_func=None):
        super().__init__(reduce_func.output_spec.element_spec, (input_dataset,))
        self._key, self._reduce = key_func, reduce_func
        self._size, self._size_func = window_size, window_size_func

    def _window_size(self, key):
        if self._size_func is None:
            return self._size
        size = int(self._size_func.call_flat((key,))[0])
        if size <= 0:
            raise InvalidArgumentError("%s: window_size_func returned %d; window sizes must be "
                                       "positive" % (self._where(), size))
        return size

    def _elements(self):
        from .sources import rows_dataset
        inner_spec = self._inputs[0].element_spec
        groups = {}
        for element in self._inputs[0]._elements():
            key = self._key.call_flat(element)[0]
            rows = groups.setdefault(int(key), [])
            rows.append(element)
            if len(rows) >= self._window_size(key):
                del groups[int(key)]
                yield from self._reduced(key, rows_dataset(rows, inner_spec))
        for k in sorted(groups):
            yield from self._reduced(np.int64(k), rows_dataset(groups[k], inner_spec))

    def _reduced(self, key, window):
        from .graph_ops import DatasetHandle
        result = self._reduce.call_flat((np.int64(key), DatasetHandle(window)))[0]
        return result.dataset._elements()


def group_by_window(dataset, key_func, reduce_func, window_size, window_size_func):
    if (window_size is None) == (window_size_func is None):
        raise ValueError("Dataset.group_by_window: give exactly one of `window_size` and "
                         "`window_size_func`")
    key = _scalar_function(key_func, element_args(dataset.element_spec),
                           "Dataset.group_by_window() key_func")
    key_spec = TensorSpec([], dtypes.int64)
    reduce = StructuredFunction(reduce_func, (key_spec, DatasetSpec(dataset.element_spec)),
                                "Dataset.group_by_window() reduce_func")
    if not isinstance(reduce.output_spec, DatasetSpec):
        raise TypeError("Dataset.group_by_window(): reduce_func must return a Dataset, got %s"
                        % structure.describe(reduce.output_spec))
    size_fn = None
    if window_size_func is not None:
        size_fn = _scalar_function(window_size_func, (key_spec,),
                                   "Dataset.group_by_window() window_size_func")
    elif window_size <= 0:
        raise InvalidArgumentError("Dataset.group_by_window: window_size must be positive, "
                                   "got %d" % window_size)
    return build(GroupByWindowDataset, dataset, key_func=key, reduce_func=reduce,
                 window_size=window_size, window_size_func=size_fn)


class BucketBySequenceLengthDataset(Dataset):
    """Elements put in buckets by length (bucket i: boundaries[i-1] <= length <
    boundaries[i]), each bucket emitted as a (padded) batch of its batch size when full;
    what is left is emitted at the end, by bucket."""

    _op_type = "GroupByWindowDataset"
    _method = "bucket_by_sequence_length"

    def __init__(self, input_dataset, length_func, boundaries, batch_sizes, padded_shapes,
                 padding_values, pad_to_bucket_boundary, no_padding, drop_remainder):
        padded = PaddedBatchDataset(input_dataset, 1, padded_shapes, padding_values)
        spec = structure.map_structure(
            lambda s: TensorSpec([None] + s.shape.dims[1:], s.dtype), padded.element_spec)
        super().__init__(spec, (input_dataset,))
        self._padder = padded
        self._length = length_func
        self._boundaries = list(boundaries)
        self._sizes = list(batch_sizes)
        self._to_boundary = pad_to_bucket_boundary
        self._no_padding = no_padding
        self._drop = drop_remainder

    def _batch(self, bucket, rows):
        if self._no_padding:
            specs = self._inputs[0]._flat_spec
            return components.stack_rows(rows, specs, self._flat_spec, self._where())
        limit = None
        if self._to_boundary and bucket < len(self._boundaries):
            limit = self._boundaries[bucket] - 1
        return tuple(self._padder._pad(i, parts, limit) for i, parts in enumerate(zip(*rows)))

    def _elements(self):
        buckets = {}
        for element in self._inputs[0]._elements():
            length = int(self._length.call_flat(element)[0])
            bucket = bisect.bisect_right(self._boundaries, length)
            rows = buckets.setdefault(bucket, [])
            rows.append(element)
            if len(rows) == self._sizes[bucket]:
                del buckets[bucket]
                yield self._batch(bucket, rows)
        if not self._drop:
            for bucket in sorted(buckets):
                yield self._batch(bucket, buckets[bucket])


def bucket_by_sequence_length(dataset, element_length_func, bucket_boundaries,
                              bucket_batch_sizes, padded_shapes, padding_values,
                              pad_to_bucket_boundary, no_padding, drop_remainder):
    boundaries = list(bucket_boundaries)
    if len(bucket_batch_sizes) != len(boundaries) + 1:
        raise ValueError("Dataset.bucket_by_sequence_length: bucket_batch_sizes must have one "
                         "more entry than bucket_boundaries (%d), got %d"
                         % (len(boundaries), len(bucket_batch_sizes)))
    if boundaries != sorted(boundaries) or len(set(boundaries)) != len(boundaries):
        raise ValueError("Dataset.bucket_by_sequence_length: bucket_boundaries must be "
                         "strictly increasing, got %r" % (boundaries,))
    length = _scalar_function(element_length_func, element_args(dataset.element_spec),
                              "Dataset.bucket_by_sequence_length() element_length_func",
                              ("int32", "int64"))
    return build(BucketBySequenceLengthDataset, dataset, length, boundaries,
                 list(bucket_batch_sizes), padded_shapes, padding_values,
                 pad_to_bucket_boundary, no_padding, drop_remainder)
