"""`Dataset`: an input pipeline as a chain of immutable steps (TF's tf.data.Dataset).

Each step is a small class (sources.py, transforms.py, batching.py, ...) that knows its
`element_spec`, its cardinality and how to produce one pass of elements (`_elements()`: flat
tuples of NumPy values). Nothing runs until the dataset is iterated; every iteration (every
`for x in ds`, every epoch) is a new pass. Functions given to `map`, `filter`, ... are traced
once into graphs, as `autotrace.function` traces (Python side effects at trace time,
`autotrace.print` per element).

Pipelines over in-memory arrays run vectorised where the result is the same: steps that keep
random access to their elements (`_index_plan()`: from_tensor_slices, shuffle, take, skip,
repeat, elementwise map) hand `batch` an index array per batch, gathered in one NumPy call.

>>> import autotrace as tf
>>> ds = tf.data.Dataset.from_tensor_slices([1, 2, 3, 4, 5]).map(lambda x: x * 10).batch(2)
>>> [b.numpy().tolist() for b in ds]
[[10, 20], [30, 40], [50]]
"""
import numpy as np

from ..core import dtypes
from ..core.context import executing_eagerly, user_location
from ..core.tensor import EagerTensor, SymbolicTensor
from ..core.tensor_shape import TensorShape, TensorSpec
from ..core.type_spec import CompositeTensor, TypeSpec
from . import structure

__all__ = ["Dataset", "DatasetV2", "DatasetSpec", "INFINITE", "UNKNOWN", "AUTOTUNE"]

INFINITE = -1   # tf.data.INFINITE_CARDINALITY
UNKNOWN = -2    # tf.data.UNKNOWN_CARDINALITY
AUTOTUNE = -1   # tf.data.AUTOTUNE


class Dataset(CompositeTensor):
    """A sequence of elements, each a nest (tuples, dicts, namedtuples) of tensors.

    Build one with a source (`from_tensor_slices`, `range`, `from_generator`,
    `TFRecordDataset`, ...), chain transformations (`map`, `shuffle`, `batch`, ...), and
    iterate it: `for x in ds:` eagerly, or inside an `autotrace.function`, where the loop
    becomes a graph loop over the dataset at run time.
    """

    _op_type = "Dataset"  # the graph op that builds this step at run time (graph_ops.py)

    def __init__(self, element_spec, inputs=()):
        self._element_spec = element_spec
        self._flat_spec = tuple(structure.flatten(element_spec))
        self._inputs = tuple(inputs)
        self._variant = None        # the variant tensor of a step built from graph values
        self._handle_tensor = None  # this (concrete) dataset as an eager variant tensor
        self._location = user_location()

    # -- what a step defines -----------------------------------------------------------------
    def _elements(self):
        """A fresh iterator over one pass of elements, each a flat tuple of NumPy values."""
        raise NotImplementedError(type(self).__name__)

    def _index_plan(self):
        """An IndexPlan (plans.py) when the elements can be gathered by index, else None."""
        return None

    def _cardinality(self):
        return UNKNOWN

    def _set_spec(self, element_spec):
        self._element_spec = element_spec
        self._flat_spec = tuple(structure.flatten(element_spec))

    @property
    def _type_spec(self):
        """A dataset is a composite value: one `variant` tensor, described by its element
        spec (so a traced function taking a dataset is keyed by its element spec)."""
        return DatasetSpec(self._element_spec)

    def _step_name(self):
        """How messages name this step: `Dataset.batch()`, `TextLineDataset`."""
        method = getattr(self, "_method", type(self).__name__)
        return method if method[0].isupper() else "Dataset.%s()" % method

    def _where(self):
        return "%s at %s" % (self._step_name(), self._location) if self._location else \
            self._step_name()

    # -- inspection --------------------------------------------------------------------------
    @property
    def element_spec(self):
        """The structure of one element: TensorSpecs (or DatasetSpecs) in the element's nest.

        >>> import autotrace as tf
        >>> tf.data.Dataset.range(3).element_spec
        TensorSpec(shape=(), dtype=tf.int64, name=None)
        """
        return self._element_spec

    def cardinality(self):
        """The number of elements as an int64 tensor: INFINITE_CARDINALITY (-1) or
        UNKNOWN_CARDINALITY (-2) when it is not known without iterating."""
        from . import graph_ops
        return graph_ops.cardinality(self)

    def __len__(self):
        n = self._cardinality()
        if n == INFINITE:
            raise TypeError("The dataset is infinite.")
        if n == UNKNOWN:
            raise TypeError("The dataset length is unknown.")
        return n

    def __bool__(self):
        return True  # not len(): an infinite dataset is still truthy

    def __repr__(self):
        return "<%s element_spec=%r>" % (type(self).__name__, self._element_spec)

    # -- iteration ---------------------------------------------------------------------------
    def __iter__(self):
        """An iterator over one pass of the dataset. Inside a traced function it is a graph
        iterator (its `next` is an op that runs on every call)."""
        from .iterators import make_iterator
        return make_iterator(self)

    def as_numpy_iterator(self):
        """Iterate the elements as NumPy values (bytes for string scalars).

        >>> import autotrace as tf
        >>> list(tf.data.Dataset.range(3).as_numpy_iterator())
        [np.int64(0), np.int64(1), np.int64(2)]
        """
        if not executing_eagerly():
            raise RuntimeError("Dataset.as_numpy_iterator() is only supported when executing "
                               "eagerly (at %s); inside a traced function iterate the dataset "
                               "with `for x in ds:` instead." % user_location())
        spec = self._element_spec
        return (structure.to_numpy_structure(spec, flat) for flat in self._checked_elements())

    def _checked_elements(self):
        """One pass of elements; errors raised by a step are reported with it."""
        from .iterators import run_pass
        return run_pass(self)

    def _graph_iteration(self):
        """AutoGraph's hook: `for x in ds:` inside a traced function is a graph loop."""
        from . import graph_ops
        return graph_ops.loop_plan(self)

    # -- graph values ------------------------------------------------------------------------
    @property
    def _is_symbolic(self):
        return isinstance(self._variant, SymbolicTensor)

    @property
    def _variant_tensor(self):
        """This dataset as one `variant` tensor: in a graph being built, the output of the op
        that builds it (or a constant holding it); eagerly, an eager tensor holding it."""
        from . import graph_ops
        return graph_ops.variant_tensor(self)

    # -- transformations (each returns a new Dataset; see the step modules) ----------------
    def map(self, map_func, num_parallel_calls=None, deterministic=None, name=None):
        """Apply `map_func` to each element. The function is traced once for the element
        spec (Python side effects run then, autotrace.print per element); a tuple element is
        passed as positional arguments, other elements as one argument."""
        return transforms.map_dataset(self, map_func, num_parallel_calls, deterministic)

    def filter(self, predicate, name=None):
        """Keep the elements for which `predicate` (traced) returns a scalar bool True."""
        return transforms.filter_dataset(self, predicate)

    def flat_map(self, map_func, name=None):
        """Map each element to a dataset and concatenate those datasets."""
        return interleave.flat_map(self, map_func)

    def interleave(self, map_func, cycle_length=None, block_length=None,
                   num_parallel_calls=None, deterministic=None, name=None):
        """Map each element to a dataset and interleave `cycle_length` of them at a time,
        `block_length` consecutive elements from each."""
        return interleave.interleave(self, map_func, cycle_length, block_length,
                                     num_parallel_calls, deterministic)

    def batch(self, batch_size, drop_remainder=False, num_parallel_calls=None,
              deterministic=None, name=None):
        """Stack `batch_size` consecutive elements into one (the last may be smaller unless
        `drop_remainder`; then the batch dimension is static)."""
        return batching.batch(self, batch_size, drop_remainder)

    def padded_batch(self, batch_size, padded_shapes=None, padding_values=None,
                     drop_remainder=False, name=None):
        """Batch elements of different shapes, padding each component to `padded_shapes`
        (None dimensions: the longest in the batch)."""
        return batching.padded_batch(self, batch_size, padded_shapes, padding_values,
                                     drop_remainder)

    def ragged_batch(self, batch_size, drop_remainder=False, row_splits_dtype=dtypes.int64,
                     name=None):
        """Batch elements of different shapes into RaggedTensors."""
        return batching.ragged_batch(self, batch_size, drop_remainder, row_splits_dtype)

    def unbatch(self, name=None):
        """Split each element along its first dimension into several elements."""
        return batching.unbatch(self)

    def rebatch(self, batch_size, drop_remainder=False, name=None):
        """Re-split batched elements into batches of `batch_size` (an int, or a list of sizes
        used in turn)."""
        return batching.rebatch(self, batch_size, drop_remainder)

    def window(self, size, shift=None, stride=1, drop_remainder=False, name=None):
        """Group elements into windows: each element is a dataset (or a nest of datasets) of
        `size` consecutive elements, windows starting every `shift` elements."""
        return batching.window(self, size, shift, stride, drop_remainder)

    def shuffle(self, buffer_size, seed=None, reshuffle_each_iteration=True, name=None):
        """Randomly shuffle with a buffer of `buffer_size` elements (TF's semantics: each
        output is drawn from the next `buffer_size` elements); a new order every pass unless
        `reshuffle_each_iteration=False`."""
        return shuffling.shuffle(self, buffer_size, seed, reshuffle_each_iteration)

    def repeat(self, count=None, name=None):
        """Repeat the dataset `count` times (forever for None or -1)."""
        return transforms.repeat(self, count)

    def take(self, count, name=None):
        """The first `count` elements (all of them for -1)."""
        return transforms.take(self, count)

    def skip(self, count, name=None):
        """All but the first `count` elements (-1 skips everything)."""
        return transforms.skip(self, count)

    def take_while(self, predicate, name=None):
        """Elements up to (not including) the first for which `predicate` is False."""
        return transforms.take_while(self, predicate)

    def shard(self, num_shards, index, name=None):
        """Every `num_shards`-th element, starting at `index`."""
        return transforms.shard(self, num_shards, index)

    def cache(self, filename="", name=None):
        """Keep the elements of the first complete pass (in memory, or in files under
        `filename`) and replay them on later passes."""
        return transforms.cache(self, filename)

    def prefetch(self, buffer_size, name=None):
        """Produce up to `buffer_size` elements ahead, in a background thread."""
        return prefetching.prefetch(self, buffer_size)

    def enumerate(self, start=0, name=None):
        """Pairs `(index, element)`, the index an int64 counting from `start`."""
        return transforms.enumerate_dataset(self, start)

    def concatenate(self, dataset, name=None):
        """This dataset's elements followed by `dataset`'s (same structure and dtypes)."""
        return sources.concatenate(self, dataset)

    def zip(*args, datasets=None, name=None):
        """`Dataset.zip(a, b)` or `Dataset.zip((a, b))`: elements of several datasets side by
        side, as long as the shortest."""
        if datasets is not None and args:
            raise TypeError("Dataset.zip: pass the datasets positionally or as `datasets`, "
                            "not both")
        if datasets is None:
            datasets = args[0] if len(args) == 1 else args
        return sources.zip_datasets(datasets)

    def scan(self, initial_state, scan_func, name=None):
        """Carry a state through the elements: `scan_func(state, element)` returns
        `(new_state, output)`; the dataset yields the outputs."""
        return transforms.scan(self, initial_state, scan_func)

    def reduce(self, initial_state, reduce_func, name=None):
        """Fold all elements into one value: `state = reduce_func(state, element)`."""
        return transforms.reduce(self, initial_state, reduce_func)

    def unique(self, name=None):
        """The elements without repeats (first occurrence kept); scalar ints or strings."""
        return transforms.unique(self)

    def group_by_window(self, key_func, reduce_func, window_size=None,
                        window_size_func=None, name=None):
        """Group elements by `key_func` (an int64 key) into windows of `window_size`, each
        reduced to a dataset by `reduce_func(key, window_dataset)`."""
        return grouping.group_by_window(self, key_func, reduce_func, window_size,
                                        window_size_func)

    def bucket_by_sequence_length(self, element_length_func, bucket_boundaries,
                                  bucket_batch_sizes, padded_shapes=None, padding_values=None,
                                  pad_to_bucket_boundary=False, no_padding=False,
                                  drop_remainder=False, name=None):
        """Batch elements of similar length together, padding within each bucket."""
        return grouping.bucket_by_sequence_length(
            self, element_length_func, bucket_boundaries, bucket_batch_sizes, padded_shapes,
            padding_values, pad_to_bucket_boundary, no_padding, drop_remainder)

    def apply(self, transformation_func):
        """`transformation_func(self)`, which must return a Dataset."""
        result = transformation_func(self)
        if not isinstance(result, Dataset):
            raise TypeError("Dataset.apply: `transformation_func` must return a Dataset, but "
                            "it returned %r (at %s)" % (result, user_location()))
        return result

    def ignore_errors(self, log_warning=False, name=None):
        """Drop elements whose production raised an error."""
        return transforms.ignore_errors(self, log_warning)

    def assert_cardinality(self, expected_cardinality):
        return transforms.assert_cardinality(self, expected_cardinality)

    def get_single_element(self, name=None):
        """The one element of a dataset that has exactly one."""
        return transforms.get_single_element(self)

    def options(self):
        """The options of this dataset (those set on it and on its inputs)."""
        return options_module.options_of(self)

    def with_options(self, options, name=None):
        return options_module.with_options(self, options)

    def save(self, path, compression=None, shard_func=None, checkpoint_args=None):
        """Write the elements to `path` in an open format (JSON + .npy files, no pickle)."""
        from . import save_load
        return save_load.save(self, path, compression, shard_func)

    # -- sources -----------------------------------------------------------------------------
    @staticmethod
    def from_tensor_slices(tensors, name=None):
        """One element per row (slice along the first dimension) of `tensors`, a nest of
        tensors, arrays or Python lists with the same first dimension.

        >>> import autotrace as tf
        >>> [int(x) for x in tf.data.Dataset.from_tensor_slices([1, 2, 3])]
        [1, 2, 3]
        """
        return sources.from_tensor_slices(tensors)

    @staticmethod
    def from_tensors(tensors, name=None):
        """A dataset of one element: `tensors`."""
        return sources.from_tensors(tensors)

    @staticmethod
    def range(*args, output_type=dtypes.int64, name=None):
        """`range(stop)`, `range(start, stop[, step])`: int64 elements, as Python's range."""
        return sources.range_dataset(args, output_type)

    @staticmethod
    def from_generator(generator, output_types=None, output_shapes=None, args=None,
                       output_signature=None, name=None):
        """Elements yielded by `generator()` (called anew for every pass), checked against
        `output_signature` (a nest of TensorSpecs)."""
        return sources.from_generator(generator, output_types, output_shapes, args,
                                      output_signature)

    @staticmethod
    def list_files(file_pattern, shuffle=None, seed=None, name=None):
        """The file names matching `file_pattern` (a glob or a list of globs), shuffled
        unless `shuffle=False`."""
        from . import readers
        return readers.list_files(file_pattern, shuffle, seed)

    @staticmethod
    def load(path, element_spec=None, compression=None, reader_func=None):
        """A dataset written by `Dataset.save`."""
        from . import save_load
        return save_load.load(path, element_spec)

    @staticmethod
    def choose_from_datasets(datasets, choice_dataset, stop_on_empty_dataset=True):
        """Elements from `datasets[i]` for each `i` of `choice_dataset` (int64 scalars)."""
        return interleave.choose_from_datasets(datasets, choice_dataset,
                                               stop_on_empty_dataset)

    @staticmethod
    def sample_from_datasets(datasets, weights=None, seed=None, stop_on_empty_dataset=False,
                             rerandomize_each_iteration=None):
        """Elements drawn at random from `datasets`, with probabilities `weights`."""
        return interleave.sample_from_datasets(datasets, weights, seed, stop_on_empty_dataset)

    @staticmethod
    def counter(start=0, step=1, dtype=dtypes.int64, name=None):
        """start, start + step, ... forever (an infinite dataset)."""
        first = np.asarray(start, dtypes.as_dtype(dtype).np)
        return Dataset.from_tensors(first).repeat().scan(
            first, lambda count, _: (count + step, count))

    @staticmethod
    def random(seed=None, rerandomize_each_iteration=None, name=None):
        """Random int64 values forever."""
        return sources.random_dataset(seed)


DatasetV2 = Dataset


class DatasetSpec(TypeSpec):
    """The spec of a dataset: its element spec. A dataset inside another's element, or a
    traced function's dataset argument, is described (and keyed) by it.

    >>> import autotrace as tf
    >>> tf.data.DatasetSpec(tf.TensorSpec([], tf.int64))
    DatasetSpec(TensorSpec(shape=(), dtype=tf.int64, name=None), TensorShape([]))
    """

    __slots__ = ("_element_spec", "_dataset_shape")

    def __init__(self, element_spec, dataset_shape=()):
        self._element_spec = element_spec
        self._dataset_shape = TensorShape(dataset_shape)

    value_type = property(lambda self: Dataset)
    element_spec = property(lambda self: self._element_spec)
    shape = property(lambda self: self._dataset_shape)
    dtype = dtypes.variant

    @staticmethod
    def from_value(dataset):
        return DatasetSpec(dataset.element_spec)

    def _serialize(self):
        return (_hashable(self._element_spec), self._dataset_shape)

    @property
    def _component_specs(self):
        return [TensorSpec([], dtypes.variant)]

    def _to_components(self, value):
        return [value._variant_tensor]

    def _from_components(self, components):
        """The dataset itself for an eager variant tensor; one standing for the graph
        value otherwise."""
        tensor = components[0]
        if isinstance(tensor, EagerTensor):
            return tensor._value.dataset
        return VariantDataset(tensor, self._element_spec)

    def _from_component_value(self, handle):
        """A pipeline value (a DatasetHandle) as the dataset the user sees."""
        return handle.dataset

    def most_specific_common_supertype(self, others):
        from .sources import common_spec
        spec = self._element_spec
        for other in others:
            if not isinstance(other, DatasetSpec):
                return None
            try:
                spec = common_spec(spec, other._element_spec)
            except TypeError:
                return None
        return DatasetSpec(spec, self._dataset_shape)

    def is_subtype_of(self, other):
        return isinstance(other, DatasetSpec) and (
            self == other or self.most_specific_common_supertype([other]) == other)

    def short(self):
        return "Dataset" + structure.parenthesized(self._element_spec)

    def __repr__(self):
        return "DatasetSpec(%r, %r)" % (self._element_spec, self._dataset_shape)


def _hashable(spec):
    """An element spec as a hashable key (dicts as sorted items)."""
    if isinstance(spec, dict):
        return ("dict",) + tuple((k, _hashable(spec[k])) for k in sorted(spec))
    if isinstance(spec, tuple):
        return (type(spec),) + tuple(_hashable(s) for s in spec)
    return spec


class VariantDataset(Dataset):
    """A dataset known by its variant tensor (a traced function's argument or output, a
    loop variable, a dataset inside an element): iterating it iterates the dataset the
    tensor holds."""

    def __init__(self, variant, element_spec):
        super().__init__(element_spec)
        self._variant = variant

    def _dataset(self):
        value = getattr(self._variant, "_value", None)
        if not isinstance(self._variant, EagerTensor):
            raise TypeError("%s is a graph value (%s): it has no elements until the graph runs"
                            % (self._step_name(), self._variant))
        return value.dataset

    def _elements(self):
        return self._dataset()._elements()

    def _cardinality(self):
        return self._dataset()._cardinality() if isinstance(self._variant, EagerTensor) \
            else UNKNOWN

    def _step_name(self):
        return "a dataset argument"


def eager_variant(dataset):
    """`dataset` as an eager variant tensor (made once per dataset)."""
    if dataset._handle_tensor is None:
        from .graph_ops import DatasetHandle
        dataset._handle_tensor = EagerTensor(DatasetHandle(dataset))
    return dataset._handle_tensor


# The step modules subclass Dataset; they are imported once it exists.
from . import transforms, batching, shuffling, interleave, grouping, prefetching  # noqa: E402
from . import sources, options as options_module  # noqa: E402
