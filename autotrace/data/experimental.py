"""`autotrace.data.experimental` (tf.data.experimental): the older functional forms of
dataset transformations (for `ds.apply(...)`), constants and helpers."""
from .dataset import AUTOTUNE, INFINITE as INFINITE_CARDINALITY, UNKNOWN as UNKNOWN_CARDINALITY
from .dataset import Dataset
from .iterators import Optional
from .readers import CsvDataset, make_csv_dataset
from .options import (AutoShardPolicy, AutotuneOptions, DistributeOptions, OptimizationOptions,
                      ThreadingOptions)

__all__ = ["CsvDataset", "make_csv_dataset", "AUTOTUNE", "INFINITE_CARDINALITY", "UNKNOWN_CARDINALITY", "cardinality",
           "Optional", "enumerate_dataset", "dense_to_ragged_batch", "scan", "unique", "take_while",
           "group_by_window", "bucket_by_sequence_length", "ignore_errors",
           "assert_cardinality", "get_single_element", "sample_from_datasets",
           "choose_from_datasets", "shuffle_and_repeat", "map_and_batch", "save", "load",
           "Counter", "RandomDataset", "AutoShardPolicy", "DistributeOptions",
           "OptimizationOptions", "ThreadingOptions", "AutotuneOptions"]


def cardinality(dataset):
    """The dataset's cardinality as an int64 tensor (see Dataset.cardinality)."""
    return dataset.cardinality()


def enumerate_dataset(start=0):
    return lambda dataset: dataset.enumerate(start)


def scan(initial_state, scan_func):
    return lambda dataset: dataset.scan(initial_state, scan_func)


def unique():
    return lambda dataset: dataset.unique()


def take_while(predicate):
    return lambda dataset: dataset.take_while(predicate)


def group_by_window(key_func, reduce_func, window_size=None, window_size_func=None):
    return lambda dataset: dataset.group_by_window(key_func, reduce_func, window_size,
                                                   window_size_func)


def bucket_by_sequence_length(element_length_func, bucket_boundaries, bucket_batch_sizes,
                              padded_shapes=None, padding_values=None,
                              pad_to_bucket_boundary=False, no_padding=False,
                              drop_remainder=False):
    return lambda dataset: dataset.bucket_by_sequence_length(
        element_length_func, bucket_boundaries, bucket_batch_sizes, padded_shapes,
        padding_values, pad_to_bucket_boundary, no_padding, drop_remainder)


def dense_to_ragged_batch(batch_size, drop_remainder=False, row_splits_dtype=None):
    """`apply` form of `Dataset.ragged_batch`."""
    return lambda dataset: dataset.ragged_batch(batch_size, drop_remainder)


def ignore_errors(log_warning=False):
    return lambda dataset: dataset.ignore_errors(log_warning)


def assert_cardinality(expected_cardinality):
    return lambda dataset: dataset.assert_cardinality(expected_cardinality)


def get_single_element(dataset):
    return dataset.get_single_element()


def sample_from_datasets(datasets, weights=None, seed=None, stop_on_empty_dataset=False):
    return Dataset.sample_from_datasets(datasets, weights, seed, stop_on_empty_dataset)


def choose_from_datasets(datasets, choice_dataset, stop_on_empty_dataset=True):
    return Dataset.choose_from_datasets(datasets, choice_dataset, stop_on_empty_dataset)


def shuffle_and_repeat(buffer_size, count=None, seed=None):
    return lambda dataset: dataset.shuffle(buffer_size, seed).repeat(count)


def map_and_batch(map_func, batch_size, num_parallel_batches=None, drop_remainder=False,
                  num_parallel_calls=None):
    return lambda dataset: dataset.map(map_func, num_parallel_calls).batch(batch_size,
                                                                           drop_remainder)


def save(dataset, path, compression=None, shard_func=None):
    return dataset.save(path, compression, shard_func)


def load(path, element_spec=None, compression=None, reader_func=None):
    return Dataset.load(path, element_spec)


def Counter(start=0, step=1, dtype=None):  # noqa: N802  (TF's name)
    from ..core import dtypes
    return Dataset.counter(start, step, dtype or dtypes.int64)


def RandomDataset(seed=None):  # noqa: N802  (TF's name)
    return Dataset.random(seed)
