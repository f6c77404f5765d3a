"""The ops that build and read gradient lists (the gradients of TensorArray flows), and the
shape helpers the gradient rules use."""
import numpy as np

from ..core import dtypes
from ..core.errors import InvalidArgumentError, InvalidShapeError
from ..core.tensor_shape import TensorShape
from .constant_op import constant_value, convert_to_tensor
from .registry import NO_GRADIENT, apply, defop
from .tensor_list import TensorList, _check_list, _element, _output

__all__ = ["zeros_list", "aggregate_lists"]


# -- gradients ---------------------------------------------------------------------------------
#
# The gradient of a flow tensor is itself a variant tensor: a TensorList of per-element
# gradients, where a missing element (None, or past the end) stands for zeros. Gradient lists
# are built and read by the ops below, which treat missing elements as zeros (the reading ops
# take the element shape as an input); they are pure, and each has its own gradient, so
# TensorArray code differentiates to any order:
#
#   EmptyTensorList         a zero gradient list (no elements): zeros_list()
#   TensorListAddN          the sum of several gradient lists (the tape's aggregation)
#   TensorListScatterAdd    a new list with the rows of a tensor at indices (repeats summed)
#   TensorListGatherOrZeros the elements at indices, stacked (zeros for missing ones)
#   TensorListClearItems    the list with the elements at indices made missing
#   TensorListElementLengths the first dimension of each element (for concat)
#   TensorListSplit         a list of consecutive row-blocks of a tensor
#   TensorListConcatOrZeros the elements concatenated, zeros for missing blocks


def _grad_list(items, element_dtype, element_shape=None):
    return TensorList(tuple(items), element_dtype, element_shape, True, False)


def _add_n_kernel(*lists):
    size = max(len(tl.items) for tl in lists)
    items = [None] * size
    for tl in lists:
        for i, item in enumerate(tl.items):
            if item is None:
                continue
            if items[i] is None:
                items[i] = item
                continue
            if items[i].shape != item.shape:
                raise InvalidShapeError(
                    "TensorListAddN: element %d has shape %s in one gradient list and %s in "
                    "another" % (i, TensorShape(items[i].shape), TensorShape(item.shape)))
            items[i] = np.asarray(items[i] + item)
    first = lists[0]
    dtype = next((tl.element_dtype for tl in lists if tl.element_dtype is not None), None)
    return _grad_list(items, dtype, first.element_shape)


def _add_n_infer(*lists):
    for tl in lists:
        _check_list("TensorListAddN", tl)
    return dtypes.variant, ()


TENSOR_LIST_ADD_N = defop("TensorListAddN", _add_n_kernel, _add_n_infer,
                          grad=lambda op, grad: [grad] * len(op.inputs), inputs=("inputs",))


EMPTY_TENSOR_LIST = defop(
    "EmptyTensorList",
    lambda element_dtype: TensorList((), element_dtype, None, True, False),
    lambda element_dtype: (dtypes.variant, ()), grad=NO_GRADIENT, inputs=())


def zeros_list(element_dtype=None):
    """A zero TensorArray gradient: a gradient list without elements (all are zeros)."""
    return apply(EMPTY_TENSOR_LIST, (), {"element_dtype": element_dtype})


def aggregate_lists(grads):
    """The sum of several TensorArray gradients (variant tensors holding gradient lists):
    element by element, a missing element counting as zeros."""
    return apply(TENSOR_LIST_ADD_N, list(grads), None)


def _check_indices(op_type, indices):
    if not indices.dtype.is_integer:
        raise InvalidArgumentError("%s: indices must be integers, got %s" % (
            op_type, indices.dtype.name))


def _positions(op_type, indices):
    idx = np.asarray(indices)
    if idx.size and idx.min() < 0:
        raise InvalidArgumentError("%s: index %d is negative" % (op_type, int(idx.min())))
    return idx


def _scatter_add_kernel(tensor, indices):
    arr = _element(tensor)
    idx = _positions("TensorListScatterAdd", indices)
    if arr.shape[:idx.ndim] != idx.shape:
        raise InvalidShapeError("TensorListScatterAdd: the value of shape %s must start with "
                                "the indices' shape %s" % (TensorShape(arr.shape),
                                                           TensorShape(idx.shape)))
    items = [None] * (int(idx.max()) + 1 if idx.size else 0)
    for pos in np.ndindex(*idx.shape):
        i = int(idx[pos])
        row = arr[pos]
        items[i] = np.array(row) if items[i] is None else np.asarray(items[i] + row)
    return _grad_list(items, dtypes.dtype_of_value(arr), tuple(arr.shape[idx.ndim:]))


def _scatter_add_infer(tensor, indices):
    _check_indices("TensorListScatterAdd", indices)
    return dtypes.variant, ()


def _scatter_add_grad(op, grad):
    tensor, indices = op.inputs
    return [_gather_or_zeros(grad, indices, _trailing_shape(tensor, indices.shape.rank),
                             tensor.dtype), None]


TENSOR_LIST_SCATTER_ADD = defop("TensorListScatterAdd", _scatter_add_kernel,
                                _scatter_add_infer, grad=_scatter_add_grad,
                                inputs=("tensor", "indices"))


def _scatter_add(values, indices):
    return apply(TENSOR_LIST_SCATTER_ADD, (values, indices), None)


def _gather_or_zeros_kernel(tl, indices, element_shape, element_dtype):
    idx = _positions("TensorListGatherOrZeros", indices)
    shape = tuple(int(d) for d in np.reshape(element_shape, -1))
    out = np.zeros(idx.shape + shape, element_dtype.np)
    for pos in np.ndindex(*idx.shape):
        i = int(idx[pos])
        item = tl.items[i] if i < len(tl.items) else None
        if item is None:
            continue
        if item.shape != shape:
            raise InvalidShapeError("TensorListGatherOrZeros: element %d has shape %s, "
                                    "expected %s" % (i, TensorShape(item.shape),
                                                     TensorShape(shape)))
        out[pos] = item
    return _output(out)


def _shape_from_tensor(shape):
    """The static (partial) shape a 1-D int shape tensor stands for."""
    known = constant_value(shape)
    if known is not None:
        return TensorShape([int(d) for d in np.reshape(known, -1)])
    if shape.shape.rank == 1 and shape.shape[0] is not None:
        return TensorShape([None] * shape.shape[0])
    return TensorShape(None)


def _gather_or_zeros_infer(tl, indices, element_shape, element_dtype):
    _check_list("TensorListGatherOrZeros", tl)
    _check_indices("TensorListGatherOrZeros", indices)
    return element_dtype, indices.shape.concatenate(_shape_from_tensor(element_shape))


def _gather_or_zeros_grad(op, grad):
    return [_scatter_add(grad, op.inputs[1]), None, None]


TENSOR_LIST_GATHER_OR_ZEROS = defop("TensorListGatherOrZeros", _gather_or_zeros_kernel,
                                    _gather_or_zeros_infer, grad=_gather_or_zeros_grad,
                                    inputs=("input_handle", "indices", "element_shape"))


def _gather_or_zeros(tl, indices, element_shape, dtype):
    return apply(TENSOR_LIST_GATHER_OR_ZEROS, (tl, indices, element_shape),
                 {"element_dtype": dtype})


def _clear_items_kernel(tl, indices):
    items = list(tl.items)
    for i in _positions("TensorListClearItems", indices).reshape(-1).tolist():
        if i < len(items):
            items[i] = None
    return tl.replace(tuple(items))


def _clear_items_infer(tl, indices):
    _check_list("TensorListClearItems", tl)
    _check_indices("TensorListClearItems", indices)
    return dtypes.variant, ()


TENSOR_LIST_CLEAR_ITEMS = defop(
    "TensorListClearItems", _clear_items_kernel, _clear_items_infer,
    grad=lambda op, grad: [apply(TENSOR_LIST_CLEAR_ITEMS, (grad, op.inputs[1]), None), None],
    inputs=("input_handle", "indices"))


def _clear_items(tl, indices):
    return apply(TENSOR_LIST_CLEAR_ITEMS, (tl, indices), None)


def _element_lengths_kernel(tl):
    lengths = []
    for i, item in enumerate(tl.items):
        if item is None or item.ndim == 0:
            raise InvalidArgumentError("TensorListElementLengths: element %d is %s" % (
                i, "missing" if item is None else "a scalar"))
        lengths.append(item.shape[0])
    return np.array(lengths, np.int64)


def _element_lengths_infer(tl):
    _check_list("TensorListElementLengths", tl)
    return dtypes.int64, [None]


TENSOR_LIST_ELEMENT_LENGTHS = defop("TensorListElementLengths", _element_lengths_kernel,
                                    _element_lengths_infer, grad=NO_GRADIENT,
                                    inputs=("input_handle",))


def _split_kernel(tensor, lengths):
    arr = _element(tensor)
    sizes = [int(n) for n in np.reshape(lengths, -1)]
    if arr.ndim == 0 or sum(sizes) != arr.shape[0]:
        raise InvalidShapeError("TensorListSplit: lengths %s do not add up to the first "
                                "dimension of the value of shape %s" % (
                                    sizes, TensorShape(arr.shape)))
    bounds = np.cumsum([0] + sizes)
    items = [arr[a:b] for a, b in zip(bounds[:-1], bounds[1:])]
    return _grad_list(items, dtypes.dtype_of_value(arr), (None,) + tuple(arr.shape[1:]))


def _split_infer(tensor, lengths):
    if tensor.shape.rank == 0:
        raise InvalidShapeError("TensorListSplit: the value must have rank >= 1")
    _check_indices("TensorListSplit", lengths)
    return dtypes.variant, ()


def _split_grad(op, grad):
    tensor, lengths = op.inputs
    return [apply(TENSOR_LIST_CONCAT_OR_ZEROS, (grad, lengths, _shape_of(tensor)),
                  {"element_dtype": tensor.dtype}), None]


TENSOR_LIST_SPLIT = defop("TensorListSplit", _split_kernel, _split_infer, grad=_split_grad,
                          inputs=("tensor", "lengths"))


def _concat_or_zeros_kernel(tl, lengths, shape, element_dtype):
    shape = tuple(int(d) for d in np.reshape(shape, -1))
    sizes = [int(n) for n in np.reshape(lengths, -1)]
    out = np.zeros(shape, element_dtype.np)
    start = 0
    for i, size in enumerate(sizes):
        item = tl.items[i] if i < len(tl.items) else None
        if item is not None:
            if item.shape != (size,) + shape[1:]:
                raise InvalidShapeError("TensorListConcatOrZeros: element %d has shape %s, "
                                        "expected %s" % (i, TensorShape(item.shape),
                                                         TensorShape((size,) + shape[1:])))
            out[start:start + size] = item
        start += size
    return out


def _concat_or_zeros_infer(tl, lengths, shape, element_dtype):
    _check_list("TensorListConcatOrZeros", tl)
    return element_dtype, _shape_from_tensor(shape)


TENSOR_LIST_CONCAT_OR_ZEROS = defop(
    "TensorListConcatOrZeros", _concat_or_zeros_kernel, _concat_or_zeros_infer,
    grad=lambda op, grad: [apply(TENSOR_LIST_SPLIT, (grad, op.inputs[1]), None), None, None],
    inputs=("input_handle", "lengths", "element_shape"))


# -- helpers for the rules -----------------------------------------------------------------------

def _shape_of(t):
    """t's shape as an int32 tensor (a constant when statically known)."""
    if t.shape.is_fully_defined():
        return convert_to_tensor(np.array(t.shape.as_list(), np.int32))
    from .array_ops import shape
    return shape(t)


def _trailing_shape(t, skip):
    """t's shape without its first `skip` dimensions, as an int32 tensor."""
    if skip == 0:
        return _shape_of(t)
    if t.shape.rank is not None and t.shape[skip:].is_fully_defined():
        return convert_to_tensor(np.array(t.shape.as_list()[skip:], np.int32))
    return _shape_of(t)[skip:]


def _rows(t):
    """0 .. t.shape[0] - 1 as an int32 tensor."""
    from .array_ops import range as range_
    if t.shape.rank is not None and t.shape[0] is not None:
        return convert_to_tensor(np.arange(t.shape[0], dtype=np.int32))
    return range_(_shape_of(t)[0])


