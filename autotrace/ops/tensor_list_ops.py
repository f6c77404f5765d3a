"""The TensorList ops behind TensorArray (TF's names): reserve, from-tensor, set/get item,
stack, gather, scatter, length, concat; each with its kernel, shape rule and gradient."""
import numpy as np

from ..core import dtypes
from ..core.errors import InvalidArgumentError, InvalidShapeError
from ..core.tensor_shape import TensorShape
from .registry import NO_GRADIENT, apply, defop
from .tensor_list import (TensorList, _check_int_scalar, _check_item, _check_list, _element,
                          _fits, _get, _index, _output, _stack_items)
from .tensor_list_grad_ops import (TENSOR_LIST_ELEMENT_LENGTHS, TENSOR_LIST_SPLIT, _clear_items,
                                   _gather_or_zeros, _rows, _scatter_add, _shape_of,
                                   _trailing_shape)

__all__ = ["TENSOR_LIST_RESERVE", "TENSOR_LIST_FROM_TENSOR", "TENSOR_LIST_SET_ITEM",
           "TENSOR_LIST_GET_ITEM", "TENSOR_LIST_STACK", "TENSOR_LIST_GATHER",
           "TENSOR_LIST_SCATTER", "TENSOR_LIST_LENGTH", "TENSOR_LIST_CONCAT"]


# -- the rules of the TensorList ops -------------------------------------------------------------

def _set_item_grad(op, grad):
    # The list's gradient without the overwritten element; the item's is that element.
    _, index, item = op.inputs
    return [_clear_items(grad, index), None,
            _gather_or_zeros(grad, index, _shape_of(item), item.dtype)]


def _get_item_grad(op, grad):
    return [_scatter_add(grad, op.inputs[1]), None]


def _from_tensor_grad(op, grad):
    tensor = op.inputs[0]
    return [_gather_or_zeros(grad, _rows(tensor), _trailing_shape(tensor, 1), tensor.dtype)]


def _stack_grad(op, grad):
    return [_scatter_add(grad, _rows(grad))]


def _gather_grad(op, grad):
    return [_scatter_add(grad, op.inputs[1]), None]


def _scatter_grad(op, grad):
    # (With repeated indices the last row wins the forward pass, but every row gets the
    # element's gradient here.)
    _, tensor, indices = op.inputs
    return [_clear_items(grad, indices),
            _gather_or_zeros(grad, indices, _trailing_shape(tensor, 1), tensor.dtype), None]


def _concat_grad(op, grad):
    lengths = apply(TENSOR_LIST_ELEMENT_LENGTHS, (op.inputs[0],), None)
    return [apply(TENSOR_LIST_SPLIT, (grad, lengths), None)]


# -- kernels and shape rules -------------------------------------------------------------------


def _reserve_kernel(num_elements, element_dtype, element_shape, dynamic_size, infer_shape):
    n = int(num_elements)
    if n < 0:
        raise InvalidArgumentError("TensorArray: size must be >= 0, got %d" % n)
    return TensorList((None,) * n, element_dtype, element_shape, dynamic_size, infer_shape)


def _reserve_infer(num_elements, element_dtype, element_shape, dynamic_size, infer_shape):
    _check_int_scalar("TensorListReserve", "num_elements", num_elements)
    return dtypes.variant, ()


TENSOR_LIST_RESERVE = defop("TensorListReserve", _reserve_kernel, _reserve_infer,
                            grad=NO_GRADIENT, inputs=("num_elements",))


def _from_tensor_kernel(tensor, element_dtype, element_shape, dynamic_size, infer_shape,
                        num_elements):
    arr = _element(tensor)
    if arr.ndim == 0:
        raise InvalidShapeError("TensorArray.unstack: the value must have rank >= 1 (its rows "
                                "become the elements), got a scalar")
    if num_elements >= 0 and not dynamic_size and arr.shape[0] != num_elements:
        raise InvalidArgumentError(
            "TensorArray.unstack: the value has %d rows, but the TensorArray has size %d "
            "(dynamic_size=False)" % (arr.shape[0], num_elements))
    row_shape = arr.shape[1:]
    if not _fits(element_shape, row_shape):
        raise InvalidShapeError(
            "TensorArray.unstack: the rows of the value have shape %s, but the elements of "
            "this TensorArray have shape %s" % (TensorShape(row_shape),
                                                TensorShape(element_shape)))
    if infer_shape:
        element_shape = tuple(row_shape)
    items = tuple(_element(arr[i]) for i in range(arr.shape[0]))
    return TensorList(items, element_dtype, element_shape, dynamic_size, infer_shape)


def _from_tensor_infer(tensor, element_dtype, element_shape, dynamic_size, infer_shape,
                       num_elements):
    if tensor.shape.rank == 0:
        raise InvalidShapeError("TensorArray.unstack: the value must have rank >= 1 (its rows "
                                "become the elements), got a scalar")
    return dtypes.variant, ()


TENSOR_LIST_FROM_TENSOR = defop("TensorListFromTensor", _from_tensor_kernel,
                                _from_tensor_infer, grad=_from_tensor_grad, inputs=("tensor",))


def _set_item_kernel(tl, index, item):
    arr = _element(item)
    i = _index("write", index, len(tl.items), tl.dynamic_size)
    shape = _check_item("write", tl, i, arr)
    items = tl.items
    if i >= len(items):
        items = items + (None,) * (i + 1 - len(items))
    return tl.replace(items[:i] + (arr,) + items[i + 1:], shape,
                      dtypes.dtype_of_value(arr))  # a list made without a dtype learns it


def _set_item_infer(tl, index, item):
    _check_list("TensorListSetItem", tl)
    _check_int_scalar("TensorListSetItem", "index", index)
    return dtypes.variant, ()


# The writes are stateful only so that they always run (a bad write is always reported); their
# kernels are pure, so a gradient may re-run them (recompute) instead of saving their lists.
TENSOR_LIST_SET_ITEM = defop("TensorListSetItem", _set_item_kernel, _set_item_infer,
                             grad=_set_item_grad, stateful=True, recompute=True,
                             inputs=("input_handle", "index", "item"))


def _get_item_kernel(tl, index, element_dtype, element_shape):
    i = _index("read", index, len(tl.items))
    return _output(_get("read", tl, i, element_shape))


def _get_item_infer(tl, index, element_dtype, element_shape):
    _check_list("TensorListGetItem", tl)
    _check_int_scalar("TensorListGetItem", "index", index)
    return element_dtype, element_shape


TENSOR_LIST_GET_ITEM = defop("TensorListGetItem", _get_item_kernel, _get_item_infer,
                             grad=_get_item_grad, inputs=("input_handle", "index"))


def _stack_kernel(tl, element_dtype, element_shape, num_elements):
    indices = list(range(len(tl.items)))
    items = [_get("stack", tl, i, element_shape) for i in indices]
    return _stack_items("stack", tl, items, indices, element_shape, element_dtype)


def _stack_infer(tl, element_dtype, element_shape, num_elements):
    _check_list("TensorListStack", tl)
    if element_shape is None:
        return element_dtype, None
    return element_dtype, (num_elements if num_elements >= 0 else None,) + element_shape


TENSOR_LIST_STACK = defop("TensorListStack", _stack_kernel, _stack_infer, grad=_stack_grad,
                          inputs=("input_handle",))


def _gather_kernel(tl, indices, element_dtype, element_shape):
    idx = np.asarray(indices)
    if idx.ndim != 1:
        raise InvalidArgumentError("TensorArray.gather: indices must be a vector, got shape %s"
                                   % TensorShape(idx.shape))
    positions = [_index("gather", i, len(tl.items)) for i in idx.tolist()]
    items = [_get("gather", tl, i, element_shape) for i in positions]
    return _stack_items("gather", tl, items, positions, element_shape, element_dtype)


def _gather_infer(tl, indices, element_dtype, element_shape):
    _check_list("TensorListGather", tl)
    if not indices.dtype.is_integer or indices.shape.rank not in (1, None):
        raise InvalidArgumentError("TensorArray.gather: indices must be a vector of integers, "
                                   "got a %s tensor of shape %s" % (indices.dtype.name,
                                                                    indices.shape))
    if element_shape is None:
        return element_dtype, None
    n = indices.shape.as_tuple()[0] if indices.shape.rank == 1 else None
    return element_dtype, (n,) + element_shape


TENSOR_LIST_GATHER = defop("TensorListGather", _gather_kernel, _gather_infer,
                           grad=_gather_grad, inputs=("input_handle", "indices"))


def _scatter_kernel(tl, tensor, indices):
    arr = _element(tensor)
    idx = np.asarray(indices)
    if idx.ndim != 1:
        raise InvalidArgumentError("TensorArray.scatter: indices must be a vector, got shape "
                                   "%s" % TensorShape(idx.shape))
    if arr.ndim == 0 or arr.shape[0] != idx.shape[0]:
        raise InvalidShapeError(
            "TensorArray.scatter: the value must have one row per index: %d indices but the "
            "value has shape %s" % (idx.shape[0], TensorShape(arr.shape)))
    items = list(tl.items)
    shape = tl.element_shape
    current = tl
    for row, index in enumerate(idx.tolist()):
        i = _index("scatter", index, len(items), tl.dynamic_size)
        element = _element(arr[row])
        shape = _check_item("scatter", current, i, element)
        current = tl.replace((), shape)
        if i >= len(items):
            items.extend([None] * (i + 1 - len(items)))
        items[i] = element
    return tl.replace(tuple(items), shape)


def _scatter_infer(tl, tensor, indices):
    _check_list("TensorListScatterIntoExistingList", tl)
    if not indices.dtype.is_integer or indices.shape.rank not in (1, None):
        raise InvalidArgumentError("TensorArray.scatter: indices must be a vector of integers, "
                                   "got a %s tensor of shape %s" % (indices.dtype.name,
                                                                    indices.shape))
    if tensor.shape.rank == 0:
        raise InvalidShapeError("TensorArray.scatter: the value must have rank >= 1 (one row "
                                "per index), got a scalar")
    n, rows = indices.shape.as_tuple(), tensor.shape.as_tuple()
    if n is not None and rows is not None and None not in (n[0], rows[0]) and n[0] != rows[0]:
        raise InvalidShapeError(
            "TensorArray.scatter: the value must have one row per index: %d indices but the "
            "value has shape %s" % (n[0], tensor.shape))
    return dtypes.variant, ()


TENSOR_LIST_SCATTER = defop("TensorListScatterIntoExistingList", _scatter_kernel,
                            _scatter_infer, grad=_scatter_grad, stateful=True, recompute=True,
                            inputs=("input_handle", "tensor", "indices"))


def _length_kernel(tl):
    return np.int32(len(tl.items))


def _length_infer(tl):
    _check_list("TensorListLength", tl)
    return dtypes.int32, ()


TENSOR_LIST_LENGTH = defop("TensorListLength", _length_kernel, _length_infer,
                           grad=NO_GRADIENT, inputs=("input_handle",))


def _concat_kernel(tl, element_dtype, element_shape):
    indices = list(range(len(tl.items)))
    items = [_get("concat", tl, i, element_shape) for i in indices]
    if not items:
        known = None if tl.element_shape is None else tl.element_shape[1:]
        static = None if element_shape is None else element_shape[1:]
        for s in (known, static):
            if s is not None and None not in s:
                return np.zeros((0,) + tuple(s), element_dtype.np)
        raise InvalidArgumentError(
            "TensorArray.concat: the TensorArray is empty, and the element shape %s is not "
            "known beyond its first dimension, so the result's shape is unknown; pass "
            "element_shape= to the TensorArray" % TensorShape(tl.element_shape))
    for i, item in zip(indices, items):
        if item.ndim == 0:
            raise InvalidShapeError("TensorArray.concat: the elements must have rank >= 1, but "
                                    "element %d is a scalar (use stack() for scalars)" % i)
        if item.shape[1:] != items[0].shape[1:]:
            raise InvalidShapeError(
                "TensorArray.concat: the elements may differ only in their first dimension, "
                "but element 0 has shape %s and element %d has shape %s"
                % (TensorShape(items[0].shape), i, TensorShape(item.shape)))
    return np.concatenate(items)


def _concat_infer(tl, element_dtype, element_shape):
    _check_list("TensorListConcat", tl)
    if element_shape is None:
        return element_dtype, None
    if len(element_shape) == 0:
        raise InvalidShapeError("TensorArray.concat: the elements must have rank >= 1, but "
                                "they are scalars (use stack() for scalars)")
    return element_dtype, (None,) + element_shape[1:]


TENSOR_LIST_CONCAT = defop("TensorListConcat", _concat_kernel, _concat_infer,
                           grad=_concat_grad, inputs=("input_handle",))


