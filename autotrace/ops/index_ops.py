"""Index ops: tensor indexing (`x[...]`, StridedSlice), where, boolean_mask and one_hot;
gather, gather_nd and scatter_nd live in gather_ops and are re-exported here.

Gradients: a strided slice's gradient is scattered into zeros of the input's shape
(StridedSliceGrad); where(c, x, y) passes it to x where c holds and to y elsewhere;
boolean_mask differentiates through the gather it is made of.

>>> import autotrace as tf
>>> tf.gather([10, 20, 30], [2, 0]).numpy()
array([30, 10], dtype=int32)
"""
import builtins

import numpy as np

from ..core import dtypes
from ..core.errors import DTypeMismatchError, InvalidArgumentError, InvalidShapeError
from ..core.tensor import EagerTensor, Tensor
from .array_ops import (as_array, as_tensor, check_int_scalar, check_shape_arg, int_tensor,
                        int_values, new_axis, reshape, scalar_value, shape, shape_of, squeeze,
                        static_int, static_ints, with_shape_of)
from .constant_op import convert_to_tensor
from .gather_ops import _check_indices_dtype, _index_tensor, gather, gather_nd, scatter_nd
from .gradient_ops import sum_to_shape_of
from .dispatch import dispatchable
from .registry import NO_GRADIENT, apply, defop
from .shapes import broadcast_shapes, check_same_dtype

__all__ = ["strided_slice", "where", "gather", "gather_nd", "scatter_nd", "boolean_mask",
           "one_hot"]
# Internal names other modules reach as array_ops.<name> (see array_ops.__getattr__).
_MOVED_NAMES = ("strided_slice_from_key", "slice_spec", "SliceSpec", "STRIDED_SLICE", "STRIDED_SLICE_GRAD",
                "SELECT", "WHERE")


# -- strided slice (indexing) ------------------------------------------------------------------

class SliceSpec(tuple):
    """A StridedSlice index, printed in Python's syntax: `[:, 1]`."""

    def short(self):
        return "[%s]" % ", ".join(_item_text(item) for item in self)


def _item_text(item):
    if item is Ellipsis:
        return "..."
    if item is None:
        return "newaxis"
    if isinstance(item, slice):
        parts = ["" if v is None else str(v) for v in (item.start, item.stop, item.step)]
        return ":".join(parts[:2]) if item.step is None else ":".join(parts)
    return str(item)


class _Dyn:
    """Marks, in a StridedSlice spec, a position filled at run time by an extra input."""

    __slots__ = ("index",)

    def __init__(self, index):
        self.index = index

    def __repr__(self):
        return "$%d" % self.index

    def __eq__(self, other):
        return isinstance(other, _Dyn) and other.index == self.index

    def __hash__(self):
        return hash(("_Dyn", self.index))


def _resolve(item, dyn):
    if isinstance(item, _Dyn):
        return int(dyn[item.index])
    if isinstance(item, slice):
        return slice(_resolve(item.start, dyn), _resolve(item.stop, dyn),
                     _resolve(item.step, dyn))
    return item


def _strided_slice_kernel(x, *dyn, spec):
    if dyn:
        spec = tuple(_resolve(item, dyn) for item in spec)
    return x[spec]


def _slice_len(dim, item):
    if dim is None or any(isinstance(v, _Dyn) for v in (item.start, item.stop, item.step)):
        return None
    return len(builtins.range(*item.indices(dim)))


def _strided_slice_infer(x, *dyn, spec):
    if x.shape.rank is None:
        return x.dtype, None
    dims = list(x.shape.as_tuple())
    consumed = sum(1 for item in spec if item is not None and item is not Ellipsis)
    if consumed > len(dims):
        raise InvalidArgumentError("StridedSlice: too many indices (%d) for a tensor of shape %s"
                                   % (consumed, x.shape))
    out, axis = [], 0
    for item in spec:
        if item is Ellipsis:
            take = len(dims) - consumed
            out.extend(dims[axis:axis + take])
            axis += take
        elif item is None:
            out.append(1)
        elif isinstance(item, slice):
            if item.step == 0:
                raise InvalidArgumentError("StridedSlice: slice step cannot be zero")
            out.append(_slice_len(dims[axis], item))
            axis += 1
        else:
            dim = dims[axis]
            if not isinstance(item, _Dyn) and dim is not None and not -dim <= item < dim:
                raise InvalidArgumentError(
                    "StridedSlice: index %d is out of bounds for axis %d with size %d (tensor "
                    "shape %s)" % (item, axis, dim, x.shape))
            axis += 1
    out.extend(dims[axis:])
    return x.dtype, out


def _strided_slice_grad(op, g):
    x, dyn = op.inputs[0], tuple(op.inputs[1:])
    out = apply(STRIDED_SLICE_GRAD, (int_tensor("StridedSliceGrad", "shape", shape_of(x)), g)
                + dyn, {"spec": op.attrs["spec"]})
    return [with_shape_of(out, x)] + [None] * len(dyn)


def _strided_slice_source(op, args, outs, ctx):
    """Generated code: NumPy's own indexing, `x[1:, int(i)]` (see execution/codegen.py)."""
    spec = op.attrs["spec"]
    if not isinstance(spec, SliceSpec):
        return None
    parts = [_index_source(item, args[1:]) for item in spec]
    index = ", ".join(parts) + ("," if len(parts) == 1 else "")
    return ["%s = %s[%s]" % (outs[0], args[0], index)]


def _index_source(item, dyn_args):
    if item is Ellipsis:
        return "..."
    if item is None:
        return "None"
    if isinstance(item, _Dyn):
        return "int(%s)" % dyn_args[item.index]
    if isinstance(item, slice):
        parts = [_index_source(v, dyn_args) if v is not None else ""
                 for v in (item.start, item.stop, item.step)]
        return ":".join(parts)
    return repr(int(item))


STRIDED_SLICE = defop("StridedSlice", _strided_slice_kernel, _strided_slice_infer,
                      grad=_strided_slice_grad, inputs=("input", "indices"),
                      emit=_strided_slice_source)


def _strided_slice_grad_kernel(shape, dy, *dyn, spec):
    """Zeros of `shape` with `dy` put where `x[spec]` took its values from (a strided slice
    never takes an element twice, so assigning is adding)."""
    if dyn:
        spec = tuple(_resolve(item, dyn) for item in spec)
    dy = as_array(dy)
    out = np.zeros(int_values("StridedSliceGrad", "shape", shape), dy.dtype)
    out[tuple(spec)] = dy
    return out


def _strided_slice_grad_infer(shape, dy, *dyn, spec):
    check_shape_arg("StridedSliceGrad", "shape", shape)
    dims = static_ints("StridedSliceGrad", "shape", shape)
    if dims is None:
        n = shape.shape[0] if shape.shape.rank == 1 else None
        return dy.dtype, None if n is None else [None] * n
    return dy.dtype, dims


def _strided_slice_grad_grad(op, g):
    dyn = tuple(op.inputs[2:])
    return [None, apply(STRIDED_SLICE, (g,) + dyn, {"spec": op.attrs["spec"]})] + \
        [None] * len(dyn)


STRIDED_SLICE_GRAD = defop("StridedSliceGrad", _strided_slice_grad_kernel,
                           _strided_slice_grad_infer, grad=_strided_slice_grad_grad,
                           inputs=("shape", "dy", "indices"))


def _index_item(item, dyn_inputs):
    """Static part of one index item; tensors become _Dyn markers plus extra inputs."""
    if item is None or item is Ellipsis:
        return item
    if isinstance(item, slice):
        return slice(_index_item(item.start, dyn_inputs), _index_item(item.stop, dyn_inputs),
                     _index_item(item.step, dyn_inputs))
    if isinstance(item, Tensor) or hasattr(item, "_as_tensor"):
        t = as_tensor(item)
        if t.shape.rank not in (0, None) or not (t.dtype.is_integer):
            raise TypeError("Only integer scalar tensors can be used as indices, got a %s "
                            "tensor of shape %s; use autotrace.gather or boolean_mask for "
                            "lists of indices or masks" % (t.dtype.name, t.shape))
        if isinstance(t, EagerTensor):
            return int(t._value)
        dyn_inputs.append(t)
        return _Dyn(len(dyn_inputs) - 1)
    if isinstance(item, (bool, np.bool_)):
        raise TypeError("Boolean indices are not supported; use autotrace.boolean_mask")
    if isinstance(item, (int, np.integer)):
        return int(item)
    raise TypeError("Only integers, slices (`:`), ellipsis (`...`), autotrace.newaxis (`None`) "
                    "and scalar integer tensors are valid indices, got %r; use autotrace.gather "
                    "for lists of indices and autotrace.boolean_mask for masks" % (item,))


def slice_spec(key):
    """(SliceSpec, tensors filling its run-time positions) of an index `key`."""
    if not isinstance(key, tuple):
        key = (key,)
    dyn = []
    spec = SliceSpec(_index_item(item, dyn) for item in key)
    if sum(item is Ellipsis for item in spec) > 1:
        raise InvalidArgumentError("An index can only have a single ellipsis ('...')")
    return spec, dyn


def strided_slice_from_key(tensor, key, name=None):
    """`tensor[key]` as a StridedSlice op."""
    spec, dyn = slice_spec(key)
    return apply(STRIDED_SLICE, (tensor,) + tuple(dyn), {"spec": spec}, name or "strided_slice")


def strided_slice(input_, begin, end, strides=None, name=None):
    """`input_[begin[0]:end[0]:strides[0], ...]` for lists of begins, ends and strides."""
    x = as_tensor(input_)
    begin, end = list(begin), list(end)
    strides = [1] * len(begin) if strides is None else list(strides)
    key = tuple(slice(b, e, s) for b, e, s in zip(begin, end, strides))
    return strided_slice_from_key(x, key, name)




# -- where (select) ----------------------------------------------------------------------------

def _select_infer(condition, x, y):
    if not condition.dtype.is_bool:
        raise InvalidArgumentError("where: condition must be a bool tensor, got %s"
                                   % condition.dtype.name)
    dtype = check_same_dtype("SelectV2", (x, y), ("x", "y"))
    shape = broadcast_shapes("SelectV2", condition.shape,
                             broadcast_shapes("SelectV2", x.shape, y.shape))
    return dtype, shape


def _select_grad(op, g):
    """The gradient goes to x where the condition holds and to y elsewhere, each summed back to
    its shape when it was broadcast; the condition gets none."""
    from .creation_ops import zeros_like
    condition, x, y = op.inputs
    zeros = zeros_like(g)
    return [None, sum_to_shape_of(where(condition, g, zeros), x),
            sum_to_shape_of(where(condition, zeros, g), y)]


SELECT = defop("SelectV2", np.where, _select_infer, grad=_select_grad,
               inputs=("condition", "t", "e"), eager_check=True)


def _where_coords(condition):
    return np.argwhere(condition).astype(np.int64)


WHERE = defop("Where", _where_coords,
              lambda c: (dtypes.int64, [None, c.shape.rank]), grad=NO_GRADIENT,
              inputs=("condition",))


@dispatchable
def where(condition, x=None, y=None, name=None):
    """With x and y: elements of x where condition is True, else of y (broadcasting).
    Without: the coordinates of True elements, an int64 tensor of shape [n, rank].

    >>> where([True, False], 1.0, 2.0).numpy()
    array([1., 2.], dtype=float32)
    """
    condition = as_tensor(condition)
    if x is None and y is None:
        return apply(WHERE, (condition,), None, name)
    if x is None or y is None:
        raise ValueError("where: x and y must both be given, or neither")
    from .math_ops import binary_operands
    x, y = binary_operands("SelectV2", x, y)
    return apply(SELECT, (condition, x, y), None, name)


# -- boolean_mask ------------------------------------------------------------------------------

@dispatchable
def boolean_mask(tensor, mask, axis=None, name="boolean_mask"):
    """The slices of `tensor` where the bool `mask` is True; mask covers dimensions
    axis .. axis + rank(mask) - 1, which become one dimension. Composed, as in TF, from
    reshape, where and gather.

    >>> boolean_mask([[1, 2], [3, 4], [5, 6]], [True, False, True]).numpy()
    array([[1, 2],
           [5, 6]], dtype=int32)
    """
    x, mask = as_tensor(tensor), as_tensor(mask)
    if not mask.dtype.is_bool:
        raise DTypeMismatchError("boolean_mask: mask must be a bool tensor, got %s; compare it "
                                 "(e.g. mask > 0) or use autotrace.gather for a list of indices"
                                 % mask.dtype.name)
    k = mask.shape.rank
    if k is None or k == 0:
        raise InvalidArgumentError("boolean_mask: mask must have a rank >= 1 known when the "
                                   "graph is built, got shape %s" % mask.shape)
    axis = _mask_axis(x, mask, 0 if axis is None else static_int("boolean_mask", "axis", axis))
    if k > 1:
        x = reshape(x, _flattened_shape(x, mask, axis))
        mask = reshape(mask, [-1])
    indices = squeeze(where(mask), axis=[1])
    return gather(x, indices, axis=axis, name=name)


def _mask_axis(x, mask, axis):
    rank, k = x.shape.rank, mask.shape.rank
    if rank is None:
        if axis < 0:
            raise InvalidArgumentError("boolean_mask: a negative axis needs a tensor of known "
                                       "rank")
        return axis
    if axis < 0:
        axis += rank
    if not 0 <= axis <= rank - k:
        raise InvalidArgumentError("boolean_mask: a mask of rank %d cannot start at axis %d of "
                                   "a tensor of shape %s" % (k, axis, x.shape))
    if not x.shape[axis:axis + k].is_compatible_with(mask.shape):
        raise InvalidShapeError("boolean_mask: mask of shape %s does not match dimensions %d to "
                                "%d of the tensor, whose shape is %s"
                                % (mask.shape, axis, axis + k - 1, x.shape))
    return axis


def _flattened_shape(x, mask, axis):
    """The shape of x with the masked dimensions merged into one (a tensor when not static)."""
    from .math_ops import reduce_prod
    k, dims = mask.shape.rank, x.shape.as_tuple()
    dyn = shape(x) if dims is None or None in dims else None
    if dims is None:
        from .manip_ops import concat
        return concat([dyn[:axis], reduce_prod(dyn[axis:axis + k], keepdims=True),
                       dyn[axis + k:]], 0)
    masked = x.shape[axis:axis + k].merge_with(mask.shape).num_elements()
    if masked is None:
        masked = reduce_prod(dyn[axis:axis + k])
    outer = [dyn[i] if d is None else d for i, d in enumerate(dims)]
    return int_tensor("boolean_mask", "shape", outer[:axis] + [masked] + outer[axis + k:])


# -- one_hot -----------------------------------------------------------------------------------

def _check_depth(depth):
    if depth < 0:
        raise InvalidArgumentError("OneHot: depth must be >= 0, got %d" % depth)
    return depth


def _one_hot_kernel(indices, depth, on_value, off_value, axis):
    depth = _check_depth(scalar_value("OneHot", "depth", depth))
    hot = np.asarray(indices)[..., None] == np.arange(depth)  # out of range: all off
    out = np.where(hot, as_array(on_value), as_array(off_value))
    return out if axis == -1 else np.moveaxis(out, -1, axis)


def _one_hot_infer(indices, depth, on_value, off_value, axis):
    _check_indices_dtype("OneHot", indices)
    n = check_int_scalar("OneHot", "depth", depth)
    dtype = check_same_dtype("OneHot", (on_value, off_value), ("on_value", "off_value"))
    for arg, t in (("on_value", on_value), ("off_value", off_value)):
        if t.shape.rank not in (0, None):
            raise InvalidArgumentError("OneHot: %s must be a scalar, got shape %s"
                                       % (arg, t.shape))
    if indices.shape.rank is None:
        return dtype, None
    dims = list(indices.shape.as_tuple())
    dims.insert(new_axis("OneHot", axis, len(dims), "indices"),
                None if n is None else _check_depth(n))
    return dtype, dims


ONE_HOT = defop("OneHot", _one_hot_kernel, _one_hot_infer, grad=NO_GRADIENT,
                inputs=("indices", "depth", "on_value", "off_value"), eager_check=True)


def one_hot(indices, depth, on_value=None, off_value=None, axis=None, dtype=None, name=None):
    """`on_value` where an index selects a position along the new `axis` (default last), else
    `off_value`; indices outside [0, depth) give all-off rows. float32 unless dtype or the
    values say otherwise.

    >>> one_hot([0, 2, 5], 3).numpy()
    array([[1., 0., 0.],
           [0., 0., 1.],
           [0., 0., 0.]], dtype=float32)
    """
    indices = _index_tensor(indices)
    on, off = _one_hot_values(on_value, off_value, dtype)
    axis = -1 if axis is None else static_int("OneHot", "axis", axis)
    if axis != -1:
        axis = new_axis("OneHot", axis, indices.shape.rank, "indices")
    return apply(ONE_HOT, (indices, as_tensor(depth), on, off), {"axis": axis}, name)


def _one_hot_values(on_value, off_value, dtype):
    """on/off tensors by TF's rule: `dtype`, else the dtype of the values given, else float32;
    a Python value takes the dtype of a tensor given for the other."""
    if dtype is not None:
        dtype = dtypes.as_dtype(dtype)
        for arg, v in (("on_value", on_value), ("off_value", off_value)):
            if isinstance(v, Tensor) and v.dtype is not dtype:
                raise DTypeMismatchError("one_hot: %s has dtype %s but dtype=%s"
                                         % (arg, v.dtype.name, dtype.name))
    elif on_value is not None and off_value is not None:
        from .math_ops import binary_operands
        return binary_operands("OneHot", on_value, off_value)
    elif on_value is not None:
        on_value = as_tensor(on_value)
        dtype = on_value.dtype
    elif off_value is not None:
        off_value = as_tensor(off_value)
        dtype = off_value.dtype
    else:
        dtype = dtypes.float32
    if dtype.is_string and (on_value is None or off_value is None):
        raise TypeError("one_hot: string outputs need both on_value and off_value")
    on = np.ones((), dtype.np) if on_value is None else on_value
    off = np.zeros((), dtype.np) if off_value is None else off_value
    return convert_to_tensor(on, dtype), convert_to_tensor(off, dtype)
