"""XLA lowerings of the TensorList ops behind TensorArray, and of the gradient lists that
carry their gradients: each list is a preallocated buffer of its elements (values.JaxList).

XLA needs the sizes when compiling, so a TensorArray must have a size known then (a constant,
or a static dimension), and cannot grow beyond it: a TensorArray with dynamic_size=True keeps
its initial size (TensorFlow's XLA refuses dynamic_size outright). All elements of a list share one shape. Reading an element never written gives zeros (as
TensorFlow's XLA does; the NumPy path raises). A gradient list is as large as the largest
TensorArray of the function: missing elements count as zeros.
"""
import numpy as np
import jax.numpy as jnp

from .lowering import is_static, static_ints, static_value
from .table import lowering
from .unsupported import XlaCompilationError
from .values import JaxList


def _dtype(op, attr="element_dtype"):
    dtype = op.attrs.get(attr)
    return None if dtype is None else dtype.np


def _known(shape):
    return shape is not None and None not in shape


def _note_size(lw, size):
    lw.session.max_list_size = max(lw.session.max_list_size, size)


def _buffer(op, tl, element_shape=None, dtype=None):
    """The list's buffer; an unwritten list reads as zeros of its known element shape."""
    if tl.buffer is not None:
        return tl.buffer
    shape = element_shape if _known(element_shape) else None
    if shape is None:
        raise XlaCompilationError(
            "%s (op %r): under jit_compile=True, this TensorArray is read but never written, "
            "and its element shape is unknown; pass element_shape= to the TensorArray"
            % (op.type, op.name), op=op)
    return jnp.zeros((tl.size,) + tuple(shape), tl.dtype or dtype)


def _written(op, tl, item_shape, dtype):
    """The list allocated for items of `item_shape` (checked against its elements)."""
    if tl.buffer is None:
        return tl.zeros(item_shape) if tl.dtype is not None else \
            JaxList(None, tl.size, dtype).zeros(item_shape)
    if tuple(item_shape) != tl.element_shape:
        raise XlaCompilationError(
            "%s (op %r): under jit_compile=True, every element of a TensorArray must have the "
            "same shape, but this one holds elements of shape %s and gets one of shape %s"
            % (op.type, op.name, tl.element_shape, tuple(item_shape)), op=op)
    return tl


def from_tensor_list(lw, op, tl):
    """A TensorList value (a folded constant) as a JaxList."""
    _note_size(lw, len(tl.items))
    dtype = None if tl.element_dtype is None else tl.element_dtype.np
    written = [item for item in tl.items if item is not None]
    if not written:
        shape = tl.element_shape
        out = JaxList(None, len(tl.items), dtype)
        return out.zeros(shape) if _known(shape) and dtype is not None else out
    zeros = np.zeros_like(written[0])
    return JaxList(jnp.asarray(np.stack([zeros if item is None else item
                                         for item in tl.items])), len(tl.items), dtype)


# -- TensorArray -------------------------------------------------------------------------------

@lowering("TensorListReserve")
def _reserve(lw, op, num_elements):
    n = int(static_value(op, num_elements, "the size of a TensorArray"))
    _note_size(lw, n)
    tl = JaxList(None, n, _dtype(op))
    shape = op.attrs["element_shape"]
    return tl.zeros(shape) if _known(shape) and tl.dtype is not None else tl


@lowering("TensorListFromTensor")
def _from_tensor(lw, op, tensor):
    _note_size(lw, tensor.shape[0])
    return JaxList(jnp.asarray(tensor), tensor.shape[0], jnp.asarray(tensor).dtype)


@lowering("TensorListSetItem")
def _set_item(lw, op, tl, index, item):
    item = jnp.asarray(item)
    _check_index(op, index, tl.size)
    tl = _written(op, tl, item.shape, item.dtype)
    return tl.with_buffer(tl.buffer.at[index].set(item, mode="drop"))


def _check_index(op, index, size):
    if is_static(index) and not 0 <= int(index) < size:
        raise XlaCompilationError(
            "%s (op %r): under jit_compile=True, index %d is out of range for a TensorArray of "
            "size %d. XLA needs the size of a TensorArray when compiling, so it cannot grow "
            "(dynamic_size=True): give the TensorArray the size it needs." % (
                op.type, op.name, int(index), size), op=op)


@lowering("TensorListGetItem")
def _get_item(lw, op, tl, index):
    _check_index(op, index, tl.size)
    buffer = _buffer(op, tl, op.attrs["element_shape"], _dtype(op))
    return buffer.at[index].get(mode="fill", fill_value=0)


@lowering("TensorListStack")
def _stack(lw, op, tl):
    return _buffer(op, tl, op.attrs["element_shape"], _dtype(op))


@lowering("TensorListGather")
def _gather(lw, op, tl, indices):
    buffer = _buffer(op, tl, op.attrs["element_shape"], _dtype(op))
    return buffer.at[indices].get(mode="fill", fill_value=0)


@lowering("TensorListScatterIntoExistingList")
def _scatter(lw, op, tl, tensor, indices):
    tensor = jnp.asarray(tensor)
    tl = _written(op, tl, tensor.shape[1:], tensor.dtype)
    return tl.with_buffer(tl.buffer.at[indices].set(tensor, mode="drop"))


@lowering("TensorListLength")
def _length(lw, op, tl):
    return np.int32(tl.size)


@lowering("TensorListConcat")
def _concat(lw, op, tl):
    shape = op.attrs["element_shape"]
    buffer = _buffer(op, tl, shape, _dtype(op))
    return jnp.reshape(buffer, (-1,) + tuple(buffer.shape[2:]))


# -- gradient lists: missing elements are zeros ------------------------------------------------

@lowering("EmptyTensorList")
def _empty(lw, op):
    return JaxList(None, 0, _dtype(op))


def _resized(buffer, size):
    n = buffer.shape[0]
    if n >= size:
        return buffer[:size]
    return jnp.pad(buffer, [(0, size - n)] + [(0, 0)] * (buffer.ndim - 1))


@lowering("TensorListAddN")
def _add_n(lw, op, *lists):
    size = max(tl.size for tl in lists)
    buffers = [_resized(tl.buffer, size) for tl in lists if tl.buffer is not None]
    dtype = next((tl.dtype for tl in lists if tl.dtype is not None), None)
    if not buffers:
        return JaxList(None, size, dtype)
    total = buffers[0]
    for b in buffers[1:]:
        total = total + b
    return JaxList(total, size, total.dtype)


@lowering("TensorListScatterAdd")
def _scatter_add(lw, op, tensor, indices):
    tensor = jnp.asarray(tensor)
    if is_static(indices):
        idx = np.asarray(indices)
        size = int(idx.max()) + 1 if idx.size else 0
    else:
        size = lw.session.max_list_size
    rows = tensor.shape[:jnp.ndim(indices)]
    buffer = jnp.zeros((size,) + tuple(tensor.shape[len(rows):]), tensor.dtype)
    return JaxList(buffer.at[indices].add(tensor, mode="drop"), size, tensor.dtype)


@lowering("TensorListGatherOrZeros")
def _gather_or_zeros(lw, op, tl, indices, element_shape):
    shape = static_ints(op, element_shape, "the element shape")
    dtype = op.attrs["element_dtype"].np
    if tl.buffer is None:
        return jnp.zeros(tuple(jnp.shape(indices)) + shape, dtype)
    return tl.buffer.at[indices].get(mode="fill", fill_value=0)


@lowering("TensorListClearItems")
def _clear_items(lw, op, tl, indices):
    if tl.buffer is None:
        return tl
    return tl.with_buffer(tl.buffer.at[jnp.reshape(indices, -1)].set(0, mode="drop"))


@lowering("TensorListElementLengths")
def _element_lengths(lw, op, tl):
    if tl.buffer is None or tl.buffer.ndim < 2:
        raise XlaCompilationError("%s (op %r): the elements must have rank >= 1"
                                  % (op.type, op.name), op=op)
    return np.full(tl.size, tl.buffer.shape[1], np.int64)


def _equal_lengths(op, lengths):
    sizes = static_ints(op, lengths, "the lengths of the elements")
    if len(set(sizes)) > 1:
        raise XlaCompilationError(
            "%s (op %r): under jit_compile=True, the elements of a TensorArray must all have "
            "the same shape, but their lengths are %s" % (op.type, op.name, list(sizes)),
            op=op)
    return sizes


@lowering("TensorListSplit")
def _split(lw, op, tensor, lengths):
    sizes = _equal_lengths(op, lengths)
    tensor = jnp.asarray(tensor)
    block = sizes[0] if sizes else 0
    buffer = jnp.reshape(tensor, (len(sizes), block) + tuple(tensor.shape[1:]))
    return JaxList(buffer, len(sizes), tensor.dtype)


@lowering("TensorListConcatOrZeros")
def _concat_or_zeros(lw, op, tl, lengths, shape):
    sizes = _equal_lengths(op, lengths)
    dims = static_ints(op, shape, "the shape")
    if tl.buffer is None:
        return jnp.zeros(dims, op.attrs["element_dtype"].np)
    return jnp.reshape(_resized(tl.buffer, len(sizes)), dims)
