"""TensorArray: a list of same-dtype tensors that traced code can grow and fill step by step.

As TF 2's TensorArray, it is functional: its state is one `variant` tensor (the "flow") whose
value is an immutable list of arrays (`TensorList`). Every write returns a NEW TensorArray
around a new flow, so write as `ta = ta.write(i, x)`. A trace is then plain dataflow, and a
TensorArray can be a while_loop variable (it travels as its flow tensor, see
`_to_loop_tensor` / `_from_loop_tensor`).

>>> import autotrace as tf
>>> ta = tf.TensorArray(tf.float32, size=3)
>>> for i in range(3):
...     ta = ta.write(i, float(i * i))
>>> ta.stack().numpy()
array([0., 1., 4.], dtype=float32)

Ops (TF's TensorList names): TensorListReserve, TensorListFromTensor, TensorListSetItem,
TensorListGetItem, TensorListStack, TensorListGather, TensorListScatterIntoExistingList,
TensorListLength, TensorListConcat. The writes (SetItem, ScatterIntoExistingList) are stateful:
they run on every call of a traced function, in program order, even when their result is
unused (so a bad write is always reported).

Gradients: the gradient of a flow is a variant tensor holding a TensorList of per-element
gradients (a missing element stands for zeros); see "gradients" below for the ops that build
and read them. Writes, reads, stack/unstack, gather/scatter and concat all differentiate, with
respect to the values written (as TF, whose reads of gradient lists give zeros for elements
that received no gradient).

Semantics follow TF 2 inside tf.function, except: reading (read/stack/gather/concat) an
element that was never written is an error naming the index, where TF returns zeros when the
element shape is known (see UNWRITTEN_READS_ZEROS).
"""
import numpy as np

from .. import dtypes
from ..context import state
from ..errors import DTypeMismatchError, InvalidArgumentError, InvalidShapeError
from ..tensor import Tensor
from ..tensor_shape import TensorShape
from .constant_op import constant_value, convert_to_tensor
from .registry import NO_GRADIENT, apply, defop

__all__ = ["TensorArray", "TensorList"]

# TF 2 reads never-written elements as zeros when the element shape is fully known; autotrace
# makes such a read an error (it is nearly always a bug). Set True for TF's behaviour.
UNWRITTEN_READS_ZEROS = False


# -- the run-time value ------------------------------------------------------------------------

class TensorList:
    """The value of a TensorArray's flow tensor: an immutable tuple of arrays (None for slots
    never written), with the element dtype and (partial) element shape.

    `element_shape` is a tuple (None for unknown dimensions) or None for an unknown rank; with
    `infer_shape` it is refined by the first write and later writes must fit it."""

    __slots__ = ("items", "element_dtype", "element_shape", "dynamic_size", "infer_shape")
    dtype = dtypes.VARIANT_MARKER
    shape = ()
    ndim = 0

    def __init__(self, items, element_dtype, element_shape, dynamic_size, infer_shape):
        self.items = items
        self.element_dtype = element_dtype
        self.element_shape = element_shape
        self.dynamic_size = dynamic_size
        self.infer_shape = infer_shape

    def replace(self, items, element_shape=None, element_dtype=None):
        return TensorList(items, element_dtype or self.element_dtype,
                          self.element_shape if element_shape is None else element_shape,
                          self.dynamic_size, self.infer_shape)

    def __repr__(self):
        written = sum(item is not None for item in self.items)
        return "<TensorList of %d %s elements (%d written), element_shape=%s>" % (
            len(self.items), getattr(self.element_dtype, "name", "(undecided)"), written,
            TensorShape(self.element_shape))

    short = __repr__

    def __eq__(self, other):
        """Equal contents (so the differential check can compare two runs' lists)."""
        if not isinstance(other, TensorList):
            return NotImplemented
        return (self.element_dtype is other.element_dtype and
                self.element_shape == other.element_shape and
                len(self.items) == len(other.items) and
                all((a is None) == (b is None) and (a is None or (
                    a.shape == b.shape and np.array_equal(a, b, equal_nan=a.dtype.kind in "fc")))
                    for a, b in zip(self.items, other.items)))

    def __hash__(self):
        return hash((len(self.items), self.element_dtype))


def _shape_tuple(shape):
    """A TensorShape as the tuple-or-None form kept in attributes and TensorLists."""
    return TensorShape(shape).as_tuple()


def _merge_dims(known, shape):
    """`known` (tuple or None) merged with a concrete shape; None if they do not fit."""
    if known is None:
        return tuple(shape)
    if len(known) != len(shape) or any(k is not None and k != s
                                       for k, s in zip(known, shape)):
        return None
    return tuple(shape)


def _fits(known, shape):
    return known is None or (len(known) == len(shape) and
                             all(k is None or k == s for k, s in zip(known, shape)))


def _element(value):
    """A stored element as an ndarray (graphs pass 0-d values as NumPy scalars or bytes)."""
    if isinstance(value, bytes):
        arr = np.empty((), dtype=object)
        arr[()] = value
        return arr
    return np.asarray(value)


def _output(arr):
    """An array as an op output: 0-d numeric values are NumPy scalars, as elsewhere."""
    if arr.ndim == 0 and arr.dtype.kind != "O":
        return arr[()]
    return arr


def _index(what, value, size, dynamic=False):
    i = int(value)
    if i < 0:
        raise InvalidArgumentError("TensorArray.%s: index %d is negative; TensorArray indices "
                                   "must be >= 0" % (what, i))
    if i >= size and not dynamic:
        raise InvalidArgumentError(
            "TensorArray.%s: index %d is out of range for a TensorArray of size %d%s"
            % (what, i, size, " (dynamic_size=False: pass dynamic_size=True to let it grow)"
               if what in ("write", "scatter") else ""))
    return i


def _check_item(what, tl, index, arr):
    """Check a value written at `index` against the list's dtype and element shape; returns
    the list's element shape after the write."""
    got = dtypes.dtype_of_value(arr)
    if tl.element_dtype is not None and got is not tl.element_dtype:
        raise DTypeMismatchError(
            "TensorArray.%s: the TensorArray holds %s elements but the value written at index "
            "%d has dtype %s" % (what, tl.element_dtype.name, index, got.name))
    merged = _merge_dims(tl.element_shape, arr.shape)
    if merged is None:
        raise InvalidShapeError(
            "TensorArray.%s: the value written at index %d has shape %s, but the elements of "
            "this TensorArray have shape %s%s" % (
                what, index, TensorShape(arr.shape), TensorShape(tl.element_shape),
                " (learned from the first write; pass infer_shape=False to allow elements "
                "of different shapes)" if tl.infer_shape else ""))
    return merged if tl.infer_shape else tl.element_shape


def _get(what, tl, index, static_shape=None):
    """The element at `index` (checked to be in range and written)."""
    item = tl.items[index]
    if item is None:
        shape = _known_shape(tl, static_shape)
        if UNWRITTEN_READS_ZEROS and shape is not None:
            return np.zeros(shape, tl.element_dtype.np)
        raise InvalidArgumentError(
            "TensorArray.%s: index %d of the TensorArray (size %d) was never written; write "
            "every element before reading it" % (what, index, len(tl.items)))
    return item


def _known_shape(tl, static_shape):
    """The element shape if fully known (from the list or the op's static attribute)."""
    for shape in (tl.element_shape, static_shape):
        if shape is not None and None not in shape:
            return shape
    if tl.element_shape is not None and static_shape is not None and \
            len(tl.element_shape) == len(static_shape):
        merged = tuple(a if a is not None else b
                       for a, b in zip(tl.element_shape, static_shape))
        if None not in merged:
            return merged
    return None


def _stack_items(what, tl, items, indices, static_shape, static_dtype):
    """np.stack of elements that must all have one shape (an empty list needs a known
    element shape). The dtype known when the op was built serves a list made before its
    first write (e.g. by a loop that ran zero times)."""
    if not items:
        shape = _known_shape(tl, static_shape)
        if shape is None:
            raise InvalidArgumentError(
                "TensorArray.%s: the result is empty, and the element shape %s is not fully "
                "known, so the result's shape is unknown; pass element_shape= to the "
                "TensorArray" % (what, TensorShape(tl.element_shape)))
        return np.zeros((0,) + tuple(shape), (tl.element_dtype or static_dtype).np)
    first = items[0].shape
    for i, item in zip(indices, items):
        if item.shape != first:
            raise InvalidShapeError(
                "TensorArray.%s: all elements must have the same shape, but element %d has "
                "shape %s and element %d has shape %s" % (
                    what, indices[0], TensorShape(first), i, TensorShape(item.shape)))
    return np.stack(items)


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

def _check_int_scalar(op_type, arg, t):
    if not t.dtype.is_integer or t.shape.rank not in (0, None):
        raise InvalidArgumentError("%s: %s must be a scalar integer, got a %s tensor of shape "
                                   "%s" % (op_type, arg, t.dtype.name, t.shape))


def _check_list(op_type, t):
    if t.dtype is not dtypes.variant:
        raise InvalidArgumentError("%s: input_handle must be a TensorArray's variant flow "
                                   "tensor, got a %s tensor" % (op_type, t.dtype.name))


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


# -- the Python class --------------------------------------------------------------------------

class _ShapeCell:
    """The static element shape (and dtype), shared by a TensorArray and all TensorArrays
    derived from it (writes, loop iterations, branches), as TF shares it: a shape learned by a
    write inside a loop body is known after the loop. AutoGraph's list accumulators start
    without a dtype and take the first write's."""

    __slots__ = ("shape", "dtype")

    def __init__(self, shape, dtype):
        self.shape = shape
        self.dtype = dtype


class TensorArray:
    """A list of tensors of one dtype, written and read by index (TF 2's tf.TensorArray).

    Args:
      dtype: the element dtype.
      size: the number of elements (a Python int or an int32 scalar tensor).
      dynamic_size: if True, writing past the end grows the array; else it is an error.
      clear_after_read: accepted for compatibility; ignored (as in TF 2 inside tf.function).
      infer_shape: if True, the first write fixes the element shape; later writes of another
        shape are errors.
      element_shape: the (partial) element shape, if known.
      flow: build a TensorArray around an existing variant flow tensor.

    Every write returns a new TensorArray; use the result (`ta = ta.write(i, x)`).
    """

    def __init__(self, dtype, size=None, dynamic_size=None, clear_after_read=None,
                 tensor_array_name=None, handle=None, flow=None, infer_shape=True,
                 element_shape=None, colocate_with_first_write_call=True, name=None):
        if dtype is None and not dynamic_size:
            raise TypeError("TensorArray needs a dtype")
        self._dynamic_size = bool(dynamic_size)
        self._infer_shape = bool(infer_shape)
        self._cell = _ShapeCell(TensorShape(element_shape),
                                None if dtype is None else dtypes.as_dtype(dtype))
        self._static_size = None
        if flow is not None:
            flow = convert_to_tensor(flow)
            if flow.dtype is not dtypes.variant:
                raise TypeError("TensorArray: flow must be the variant flow tensor of a "
                                "TensorArray, got a %s tensor" % flow.dtype.name)
            self._flow = flow
            return
        if size is None:
            if not self._dynamic_size:
                raise ValueError("TensorArray: size must be given unless dynamic_size=True")
            size = 0
        size_t = convert_to_tensor(size, dtypes.int32) if not isinstance(size, Tensor) \
            else size
        if not size_t.dtype.is_integer or size_t.shape.rank not in (0, None):
            raise TypeError("TensorArray: size must be a scalar integer, got a %s tensor of "
                            "shape %s" % (size_t.dtype.name, size_t.shape))
        known = constant_value(size_t)
        if known is not None and not self._dynamic_size:
            self._static_size = int(known)
        self._flow = apply(TENSOR_LIST_RESERVE, (size_t,), {
            "element_dtype": self._cell.dtype, "element_shape": _shape_tuple(self._cell.shape),
            "dynamic_size": self._dynamic_size, "infer_shape": self._infer_shape},
            name or "TensorArrayV2")

    # -- derived arrays (same static information, new flow) --------------------------------
    def _with_flow(self, flow):
        new = object.__new__(TensorArray)
        new._dynamic_size = self._dynamic_size
        new._infer_shape = self._infer_shape
        new._cell = self._cell
        new._static_size = self._static_size
        new._flow = flow
        return new

    @property
    def _dtype(self):
        dtype = self._cell.dtype
        if dtype is None:
            raise TypeError("This TensorArray has no dtype yet: nothing was written to it")
        return dtype

    def _to_loop_tensor(self):
        """while_loop / cond protocol: the one tensor that carries this TensorArray."""
        return self._flow

    def _from_loop_tensor(self, tensor):
        """while_loop / cond protocol: a TensorArray like this one around `tensor`."""
        return self._with_flow(tensor)

    # -- properties ------------------------------------------------------------------------
    @property
    def dtype(self):
        return self._dtype

    @property
    def element_shape(self):
        return self._cell.shape

    @property
    def dynamic_size(self):
        return self._dynamic_size

    @property
    def flow(self):
        """The variant tensor holding the array's state."""
        return self._flow

    @property
    def handle(self):
        """None, as TF 2's TensorArray (its state is the flow tensor)."""
        return None

    def __repr__(self):
        dtype = self._cell.dtype
        return "<autotrace.TensorArray dtype=%s element_shape=%s dynamic_size=%s>" % (
            dtype.name if dtype is not None else "(from the first write)", self._cell.shape,
            self._dynamic_size)

    # -- helpers ---------------------------------------------------------------------------
    def _value(self, value, what):
        """`value` as a tensor of the array's dtype (Python values adopt it)."""
        if self._cell.dtype is None:  # the first write decides
            t = convert_to_tensor(value)
            self._cell.dtype = t.dtype
            return t
        if isinstance(value, Tensor) or hasattr(value, "_as_tensor"):
            t = convert_to_tensor(value)
        else:
            try:
                t = convert_to_tensor(value, self._dtype)
            except (TypeError, ValueError):
                t = convert_to_tensor(value)
        if t.dtype is not self._dtype:
            raise DTypeMismatchError("TensorArray.%s: the TensorArray holds %s elements but the "
                                     "value has dtype %s" % (what, self._dtype.name,
                                                             t.dtype.name))
        return t

    def _merge_shape(self, shape, what):
        """Check an element shape against the static one; learn it (infer_shape)."""
        shape = TensorShape(shape)
        known = self._cell.shape
        if not known.is_compatible_with(shape):
            raise InvalidShapeError(
                "TensorArray.%s: the value has element shape %s, but the elements of this "
                "TensorArray have shape %s%s" % (
                    what, shape, known, " (learned from the first write; pass "
                    "infer_shape=False to allow elements of different shapes)"
                    if self._infer_shape else ""))
        if self._infer_shape:
            self._cell.shape = known.merge_with(shape)

    def _read_attrs(self):
        return {"element_dtype": self._dtype, "element_shape": _shape_tuple(self._cell.shape)}

    @staticmethod
    def _int(value, what, rank=0):
        t = convert_to_tensor(value, dtypes.int32) if not isinstance(value, Tensor) else value
        if not t.dtype.is_integer or t.shape.rank not in (rank, None):
            raise TypeError("TensorArray.%s: %s must be %s, got a %s tensor of shape %s" % (
                what, "the index" if rank == 0 else "indices",
                "a scalar integer" if rank == 0 else "a vector of integers",
                t.dtype.name, t.shape))
        return t

    # -- reading ---------------------------------------------------------------------------
    def read(self, index, name=None):
        """The element at `index` (an error if it was never written)."""
        return apply(TENSOR_LIST_GET_ITEM, (self._flow, self._int(index, "read")),
                     self._read_attrs(), name or "TensorArrayV2Read")

    def stack(self, name=None):
        """All elements stacked into one tensor of shape [size, *element_shape]."""
        attrs = self._read_attrs()
        attrs["num_elements"] = self._static_size if self._static_size is not None else -1
        return apply(TENSOR_LIST_STACK, (self._flow,), attrs, name or "TensorArrayV2Stack")

    def gather(self, indices, name=None):
        """The elements at `indices`, stacked."""
        return apply(TENSOR_LIST_GATHER, (self._flow, self._int(indices, "gather", rank=1)),
                     self._read_attrs(), name or "TensorArrayV2Gather")

    def concat(self, name=None):
        """All elements concatenated along their first dimension (which may differ)."""
        return apply(TENSOR_LIST_CONCAT, (self._flow,), self._read_attrs(),
                     name or "TensorArrayV2Concat")

    def size(self, name=None):
        """The number of elements (an int32 scalar)."""
        if self._static_size is not None:
            return convert_to_tensor(self._static_size, dtypes.int32)
        return apply(TENSOR_LIST_LENGTH, (self._flow,), None, name or "TensorArrayV2Size")

    # -- writing ---------------------------------------------------------------------------
    def write(self, index, value, name=None):
        """A new TensorArray with `value` at `index`."""
        index = self._int(index, "write")
        value = self._value(value, "write")
        self._merge_shape(value.shape, "write")
        flow = apply(TENSOR_LIST_SET_ITEM, (self._flow, index, value), None,
                     name or "TensorArrayV2Write")
        return self._with_flow(flow)

    def unstack(self, value, name=None):
        """A new TensorArray whose elements are the rows of `value`."""
        value = self._value(value, "unstack")
        if value.shape.rank == 0:
            raise InvalidShapeError("TensorArray.unstack: the value must have rank >= 1 (its "
                                    "rows become the elements), got a scalar")
        rows = value.shape[0] if value.shape.rank is not None else None
        if self._static_size is not None and rows is not None and rows != self._static_size:
            raise InvalidShapeError("TensorArray.unstack: the value has %d rows, but the "
                                    "TensorArray has size %d (dynamic_size=False)"
                                    % (rows, self._static_size))
        if value.shape.rank is not None:
            self._merge_shape(TensorShape(value.shape.as_tuple()[1:]), "unstack")
        attrs = {"element_dtype": self._dtype, "element_shape": _shape_tuple(self._cell.shape),
                 "dynamic_size": self._dynamic_size, "infer_shape": self._infer_shape,
                 "num_elements": self._static_size if self._static_size is not None else -1}
        flow = apply(TENSOR_LIST_FROM_TENSOR, (value,), attrs, name or "TensorArrayUnstack")
        return self._with_flow(flow)

    def scatter(self, indices, value, name=None):
        """A new TensorArray with the rows of `value` at `indices`."""
        indices = self._int(indices, "scatter", rank=1)
        value = self._value(value, "scatter")
        if value.shape.rank == 0:
            raise InvalidShapeError("TensorArray.scatter: the value must have rank >= 1 (one "
                                    "row per index), got a scalar")
        if value.shape.rank is not None:
            self._merge_shape(TensorShape(value.shape.as_tuple()[1:]), "scatter")
        flow = apply(TENSOR_LIST_SCATTER, (self._flow, value, indices), None,
                     name or "TensorArrayScatter")
        return self._with_flow(flow)

    # -- others ----------------------------------------------------------------------------
    def identity(self):
        """A TensorArray with the same elements (a new flow node when building a graph)."""
        from .array_ops import identity
        return self._with_flow(identity(self._flow))

    def grad(self, source, flow=None, name=None):
        raise NotImplementedError("TensorArray gradients are not implemented yet")

    def close(self, name=None):
        """Nothing to release: returns a no-op (None when executing eagerly)."""
        if state.graph is None:
            return None
        from .control_flow_ops import no_op
        return no_op(name=name or "TensorArrayClose")
