"""What each kind of element component is in a pipeline: a dense tensor, a dataset, a
RaggedTensor or a SparseTensor.

Inside the pipeline a component travels as a *value*: a NumPy array (dense), a DatasetHandle
(dataset), or `Parts` (the NumPy arrays of a composite's tensor components: a ragged
tensor's flat values and row splits; a sparse tensor's indices, values and dense shape).
A kind knows how to turn a value into what the user sees, into the flat arrays a traced
function or a graph op takes, and back; how to slice rows out of a value (from_tensor_slices,
unbatch) and how to stack values into a batch.

A row of a ragged tensor of ragged rank 1 is a dense tensor; its spec is a RaggedTensorSpec
of ragged rank 0, as in TensorFlow, so batching such rows makes a ragged batch again.
"""
import numpy as np

from ..core import dtypes
from ..core.errors import InvalidArgumentError
from ..core.tensor import EagerTensor
from ..core.tensor_shape import TensorShape, TensorSpec
from ..ragged.ragged_tensor import RaggedTensorSpec
from ..sparse.sparse_tensor import SparseTensorSpec

__all__ = ["Parts", "kind_of", "tensor_specs", "arrays_of", "values_from_arrays",
           "row_spec", "batch_spec", "rows_of", "stack_values", "stack_rows", "value_of",
           "user_value", "ragged_row_spec"]


class Parts(tuple):
    """The NumPy arrays of a composite component's tensor components, in spec order."""


# -- kinds -------------------------------------------------------------------------------------

class _Dense:
    """A plain tensor (and a ragged row of ragged rank 0, which is one)."""

    @staticmethod
    def tensor_specs(spec):
        return [TensorSpec(spec.shape, spec.dtype)]

    @staticmethod
    def arrays(spec, value):
        return [value]

    @staticmethod
    def from_arrays(spec, arrays):
        return arrays[0]

    @staticmethod
    def user(spec, value):
        return EagerTensor(value)

    @staticmethod
    def value_of(component):
        return component._value


class _Dataset:
    @staticmethod
    def tensor_specs(spec):
        return [TensorSpec([], dtypes.variant)]

    @staticmethod
    def arrays(spec, value):
        return [value]

    @staticmethod
    def from_arrays(spec, arrays):
        return arrays[0]

    @staticmethod
    def user(spec, value):
        return value.dataset

    @staticmethod
    def value_of(component):
        return component._variant_tensor._value


class _Composite:
    """A RaggedTensor (ragged rank >= 1) or SparseTensor: its tensor components."""

    @staticmethod
    def tensor_specs(spec):
        return spec._flat_tensor_specs()

    @staticmethod
    def arrays(spec, value):
        return list(value)

    @staticmethod
    def from_arrays(spec, arrays):
        return Parts(arrays)

    @staticmethod
    def user(spec, value):
        return spec._from_flat_components([EagerTensor(a) for a in value])

    @staticmethod
    def value_of(component):
        return Parts(t._value for t in component._type_spec._flat_components(component))


DENSE, DATASET, COMPOSITE = _Dense, _Dataset, _Composite


def kind_of(spec):
    if isinstance(spec, TensorSpec):
        return DENSE
    if isinstance(spec, RaggedTensorSpec) and spec.ragged_rank == 0:
        return DENSE
    if hasattr(spec, "_from_component_value"):  # DatasetSpec
        return DATASET
    return COMPOSITE


def tensor_specs(specs):
    """The flat TensorSpecs of a list of component specs (composites expanded)."""
    return [t for s in specs for t in kind_of(s).tensor_specs(s)]


def arrays_of(specs, values):
    """Pipeline values -> the flat arrays (composites expanded)."""
    out = []
    for s, v in zip(specs, values):
        out.extend(kind_of(s).arrays(s, v))
    return out


def values_from_arrays(specs, arrays):
    """Flat arrays -> pipeline values (one per component spec)."""
    out, i = [], 0
    for s in specs:
        kind = kind_of(s)
        n = len(kind.tensor_specs(s))
        out.append(kind.from_arrays(s, list(arrays[i:i + n])))
        i += n
    return tuple(out)


def user_value(spec, value):
    return kind_of(spec).user(spec, value)


def value_of(spec, component):
    """An eager component (tensor, dataset, ragged or sparse tensor) as a pipeline value."""
    return kind_of(spec).value_of(component)


# -- rows and batches --------------------------------------------------------------------------

def ragged_row_spec(spec):
    """The spec of one row of a ragged tensor."""
    shape = spec.shape[1:] if spec.shape.rank is not None else TensorShape(None)
    return RaggedTensorSpec(shape, spec.dtype, spec.ragged_rank - 1, spec.row_splits_dtype)


def row_spec(spec, what):
    """The spec of one row (slice along the first dimension) of a component."""
    if isinstance(spec, RaggedTensorSpec) and spec.ragged_rank > 0:
        return ragged_row_spec(spec)
    if isinstance(spec, SparseTensorSpec):
        return SparseTensorSpec(spec.shape[1:], spec.dtype)
    if spec.shape.rank == 0:
        raise ValueError("%s: a component is a scalar (%s), which has no dimension to slice or "
                         "unbatch along" % (what, spec.short()))
    if kind_of(spec) is DATASET:
        raise TypeError("%s: a dataset component cannot be sliced" % what)
    if isinstance(spec, RaggedTensorSpec):  # ragged rank 0: a dense tensor
        return RaggedTensorSpec(spec.shape[1:], spec.dtype, 0, spec.row_splits_dtype)
    if spec.shape.rank is None:
        return TensorSpec(TensorShape(None), spec.dtype)
    return TensorSpec(TensorShape(spec.shape.dims[1:]), spec.dtype)


def batch_spec(spec, batch_dim, ragged=False):
    """The spec of a batch of components of `spec` (`ragged`: dense components of rank >= 1
    become ragged, as ragged_batch makes them)."""
    outer = TensorShape([batch_dim])
    if isinstance(spec, RaggedTensorSpec):
        return RaggedTensorSpec(outer.concatenate(spec.shape), spec.dtype,
                                spec.ragged_rank + 1, spec.row_splits_dtype)
    if isinstance(spec, SparseTensorSpec):
        return SparseTensorSpec(outer.concatenate(spec.shape), spec.dtype)
    if kind_of(spec) is DATASET:
        raise TypeError("elements holding datasets cannot be batched")
    if ragged and spec.shape.rank != 0:
        return RaggedTensorSpec(outer.concatenate(spec.shape), spec.dtype, 1, dtypes.int64)
    return TensorSpec(outer.concatenate(spec.shape), spec.dtype)


def rows_of(spec, value):
    """The rows of one component's value (a list of pipeline values)."""
    if isinstance(spec, RaggedTensorSpec) and spec.ragged_rank > 0:
        return _ragged_rows(value)
    if isinstance(spec, SparseTensorSpec):
        return _sparse_rows(value)
    getter = (lambda i: value[i, ...]) if value.dtype.kind == "O" and value.ndim == 1 else \
        value.__getitem__
    return [getter(i) for i in range(len(value))]


def stack_values(spec, values, out_spec, where, index):
    """One batched value from the values of one component."""
    if isinstance(out_spec, RaggedTensorSpec):
        return _ragged_stack(values, spec)
    if isinstance(spec, SparseTensorSpec):
        return _sparse_stack(values)
    first = np.shape(values[0])
    for other, v in enumerate(values):
        if np.shape(v) != first:
            raise InvalidArgumentError(
                "%s: cannot batch tensors with different shapes in component %d: element 0 "
                "has shape %s and element %d has shape %s. Use padded_batch or ragged_batch "
                "for elements of different shapes."
                % (where, index, TensorShape(first), other, TensorShape(np.shape(v))))
    return np.stack(values)


def stack_rows(rows, specs, out_specs, where):
    """Flat element tuples -> one batched flat tuple, component by component."""
    return tuple(stack_values(s, list(parts), o, where, i)
                 for i, (s, o, parts) in enumerate(zip(specs, out_specs, zip(*rows))))


# -- ragged values: Parts(flat_values, outer splits, ..., inner splits) ------------------------

def _ragged_rows(value):
    flat, splits = value[0], list(value[1:])
    outer = splits[0]
    return [_ragged_slice(flat, splits, int(outer[i]), int(outer[i + 1]))
            for i in range(len(outer) - 1)]


def _ragged_slice(flat, splits, start, stop):
    """Rows [start, stop) of the outer dimension, one ragged level less (a dense array at
    the last level)."""
    rest = splits[1:]
    if not rest:
        return flat[start:stop]
    inner = [rest[0][start:stop + 1]]
    for level in rest[1:]:
        inner.append(level[inner[-1][0]:inner[-1][-1] + 1])
    lo, hi = int(inner[-1][0]), int(inner[-1][-1])
    return Parts([flat[lo:hi]] + [s - s[0] for s in inner])


def _ragged_stack(values, spec):
    """Rows (dense arrays, or ragged Parts) stacked into a ragged value one level deeper."""
    if not (isinstance(spec, RaggedTensorSpec) and spec.ragged_rank > 0):
        lengths = [len(v) for v in values]
        flat = np.concatenate([np.asarray(v) for v in values]) if values else np.zeros(0)
        return Parts([flat, _splits(lengths)])
    depth = len(values[0]) - 1
    outer = _splits([len(v[1]) - 1 for v in values])
    levels = []
    for level in range(1, depth + 1):  # each element's splits, shifted past the ones before
        pieces, offset = [], 0
        for v in values:
            pieces.append(v[level][:-1] + offset)
            offset += int(v[level][-1])
        pieces.append(np.array([offset], np.int64))
        levels.append(np.concatenate(pieces).astype(np.int64))
    return Parts([np.concatenate([v[0] for v in values]), outer] + levels)


def _splits(lengths):
    return np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)


# -- sparse values: Parts(indices, values, dense_shape) ------------------------------------------

def _sparse_rows(value):
    indices, vals, shape = value
    rows = []
    for i in range(int(shape[0])):
        mask = indices[:, 0] == i
        rows.append(Parts([indices[mask][:, 1:], vals[mask], shape[1:].copy()]))
    return rows


def _sparse_stack(values):
    shapes = np.stack([v[2] for v in values]) if values else np.zeros((0, 0), np.int64)
    dense = np.concatenate([[len(values)], shapes.max(axis=0)]).astype(np.int64)
    indices = np.concatenate([np.hstack([np.full((len(v[0]), 1), j, np.int64), v[0]])
                              for j, v in enumerate(values)])
    return Parts([indices.astype(np.int64), np.concatenate([v[1] for v in values]), dense])
