"""TensorArray: a list of same-dtype tensors that traced code can grow and fill step by step.

As TF 2's TensorArray, it is functional: its state is one `variant` tensor (the "flow") whose
value is an immutable list of arrays (`TensorList`). Every write returns a NEW TensorArray
around a new flow, so write as `ta = ta.write(i, x)`. A trace is then plain dataflow, and a
TensorArray can be a while_loop variable (a composite tensor: it travels as its flow tensor,
see TensorArraySpec).

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
element shape is known (see autotrace.ops.tensor_list.UNWRITTEN_READS_ZEROS).
"""
from ..core import dtypes
from ..core.context import state
from ..core.errors import DTypeMismatchError, InvalidShapeError
from ..core.tensor import Tensor
from ..core.tensor_shape import TensorShape, TensorSpec
from ..core.type_spec import CompositeTensor, TypeSpec
from .constant_op import constant_value, convert_to_tensor
from .registry import apply
from .tensor_list import TensorList, _shape_tuple, mark_cleared
from .tensor_list_grad_ops import aggregate_lists, zeros_list
from .tensor_list_ops import (TENSOR_LIST_CONCAT, TENSOR_LIST_FROM_TENSOR, TENSOR_LIST_GATHER,
                              TENSOR_LIST_GET_ITEM, TENSOR_LIST_LENGTH, TENSOR_LIST_RESERVE,
                              TENSOR_LIST_SCATTER, TENSOR_LIST_SET_ITEM, TENSOR_LIST_STACK)

__all__ = ["TensorArray", "TensorArraySpec", "TensorList", "aggregate_lists", "zeros_list"]


# -- the Python class --------------------------------------------------------------------------

class TensorArraySpec(TypeSpec):
    """The spec of a TensorArray: element shape and dtype, dynamic_size, infer_shape. Rebuilt
    arrays share the static element shape of the array the spec was taken from (`_like`), as
    TF shares it between a loop's TensorArrays."""

    __slots__ = ("_element_shape", "_dtype", "_dynamic_size", "_infer_shape", "_like")

    def __init__(self, element_shape=None, dtype=None, dynamic_size=False, infer_shape=True,
                 _like=None):
        self._element_shape = TensorShape(element_shape)
        self._dtype = None if dtype is None else dtypes.as_dtype(dtype)
        self._dynamic_size = bool(dynamic_size)
        self._infer_shape = bool(infer_shape)
        self._like = _like

    value_type = property(lambda self: TensorArray)

    def _serialize(self):
        return (self._element_shape, self._dtype, self._dynamic_size, self._infer_shape)

    @property
    def _component_specs(self):
        return [TensorSpec([], dtypes.variant)]

    def _to_components(self, value):
        return [value._flow]

    def _from_components(self, components):
        if self._like is not None:
            return self._like._with_flow(components[0])
        array = TensorArray(self._dtype, dynamic_size=self._dynamic_size, flow=components[0],
                            infer_shape=self._infer_shape, element_shape=self._element_shape)
        return array

    def __repr__(self):
        return "TensorArraySpec(%r, %r, %r, %r)" % (self._element_shape, self._dtype,
                                                   self._dynamic_size, self._infer_shape)


class _ShapeCell:
    """The static element shape (and dtype), shared by a TensorArray and all TensorArrays
    derived from it (writes, loop iterations, branches), as TF shares it: a shape learned by a
    write inside a loop body is known after the loop. AutoGraph's list accumulators start
    without a dtype and take the first write's."""

    __slots__ = ("shape", "dtype")

    def __init__(self, shape, dtype):
        self.shape = shape
        self.dtype = dtype


class TensorArray(CompositeTensor):
    """A list of tensors of one dtype, written and read by index (TF 2's tf.TensorArray).

    Args:
      dtype: the element dtype.
      size: the number of elements (a Python int or an int32 scalar tensor).
      dynamic_size: if True, writing past the end grows the array; else it is an error.
      clear_after_read: executing eagerly, a read clears the element it read (stack and
        gather then see zeros there; a second read is an error), as TF's eager TensorArray;
        True by default (None). Inside a traced function reads never clear (as in TF 2).
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
        self._clear_after_read = clear_after_read is None or bool(clear_after_read)
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
        new._clear_after_read = self._clear_after_read
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

    @property
    def _type_spec(self):
        """The composite protocol: a TensorArray travels (through while_loop, cond and
        function boundaries) as its one flow tensor."""
        return TensorArraySpec(self._cell.shape, self._cell.dtype, self._dynamic_size,
                               self._infer_shape, _like=self)

    def _graph_iteration(self):
        """`for x in ta:` in converted code: (start, limit, delta, element at index)."""
        return 0, self.size(), 1, self.read

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
        return "<tf.TensorArray dtype=%s element_shape=%s dynamic_size=%s>" % (
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
        """The element at `index` (an error if it was never written). Eagerly, with
        clear_after_read, the element is cleared: later stacks show zeros there."""
        index = self._int(index, "read")
        value = apply(TENSOR_LIST_GET_ITEM, (self._flow, index), self._read_attrs(),
                      name or "TensorArrayV2Read")
        if self._clear_after_read and state.graph is None:
            self._clear(index, value)
        return value

    def _clear(self, index, value):
        """Eager clear_after_read: a write of zeros (a recorded op, so gradients see the
        element as the constant it now is), marked so that a second read is an error."""
        from .array_ops import zeros_like
        self._flow = apply(TENSOR_LIST_SET_ITEM, (self._flow, index, zeros_like(value)), None,
                           "TensorArrayClearAfterRead")
        mark_cleared(self._flow._value, int(index))

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
        from .group_ops import no_op
        return no_op(name=name or "TensorArrayClose")

