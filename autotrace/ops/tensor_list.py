"""The run-time value of a TensorArray's flow tensor (`TensorList`) and the checked access to
its elements that the TensorList ops share (see tensor_array_ops for the user's view)."""
import numpy as np

from ..core import dtypes
from ..core.errors import DTypeMismatchError, InvalidArgumentError, InvalidShapeError
from ..core.tensor_shape import TensorShape

__all__ = ["TensorList", "UNWRITTEN_READS_ZEROS"]

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


class ClearedElement(np.ndarray):
    """An element an eager TensorArray read cleared (clear_after_read, TF's eager default):
    zeros for stack/gather/concat, an error for a second read."""


def mark_cleared(tl, index):
    """Mark the element at `index` of `tl` (a list no other flow shares: the result of the
    write of zeros that cleared it) as cleared."""
    items = list(tl.items)
    items[index] = np.asarray(items[index]).view(ClearedElement)
    tl.items = tuple(items)


def _get(what, tl, index, static_shape=None):
    """The element at `index` (checked to be in range and written)."""
    item = tl.items[index]
    if type(item) is ClearedElement:
        if what == "read":
            raise InvalidArgumentError(
                "TensorArray.read: index %d was read before, and the read cleared it: an eager "
                "TensorArray has clear_after_read=True by default, as in TensorFlow (\"Could "
                "not read index %d twice because it was cleared after a previous read\"). "
                "Create the TensorArray with clear_after_read=False to read an element again."
                % (index, index))
        return item.view(np.ndarray)
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

def _check_int_scalar(op_type, arg, t):
    if not t.dtype.is_integer or t.shape.rank not in (0, None):
        raise InvalidArgumentError("%s: %s must be a scalar integer, got a %s tensor of shape "
                                   "%s" % (op_type, arg, t.dtype.name, t.shape))


def _check_list(op_type, t):
    if t.dtype is not dtypes.variant:
        raise InvalidArgumentError("%s: input_handle must be a TensorArray's variant flow "
                                   "tensor, got a %s tensor" % (op_type, t.dtype.name))
