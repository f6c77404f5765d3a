"""Helpers for gradient rules: reducing a broadcast gradient back to an input's shape.

    x: [3, 1], y: [4]  ->  x + y: [3, 4]; d/dx sums the gradient over axis 1 (keeping it),
                                          d/dy sums it over axis 0.

With static shapes this is a reduce_sum over known axes; when shapes are only known at run
time, the SumToShape op does it.
"""
import numpy as np

from ..core.errors import InvalidArgumentError
from . import array_ops, math_ops
from .constant_op import constant_value
from .registry import apply, defop

__all__ = ["unbroadcast", "sum_to_shape", "sum_to_shape_of"]


def _sum_to_shape_kernel(grad, shape):
    shape = tuple(int(d) for d in np.reshape(shape, -1))
    grad = np.asarray(grad)
    lead = grad.ndim - len(shape)
    if lead < 0:
        raise InvalidArgumentError("SumToShape: gradient of shape %s has fewer dimensions than "
                                   "the target shape %s" % (grad.shape, shape))
    axes = tuple(range(lead)) + tuple(lead + i for i, d in enumerate(shape)
                                      if d == 1 and grad.shape[lead + i] != 1)
    out = grad.sum(axis=axes, keepdims=True) if axes else grad
    return out.reshape(shape).astype(grad.dtype, copy=False)


def _sum_to_shape_infer(grad, shape):
    known = constant_value(shape)
    if known is not None:
        return grad.dtype, [int(d) for d in np.reshape(known, -1)]
    n = shape.shape[0] if shape.shape.rank == 1 else None
    return grad.dtype, None if n is None else [None] * n


def _sum_to_shape_grad(op, g):
    return [array_ops.broadcast_to(g, array_ops.shape(op.inputs[0])), None]


SUM_TO_SHAPE = defop("SumToShape", _sum_to_shape_kernel, _sum_to_shape_infer,
                     grad=_sum_to_shape_grad, inputs=("grad", "shape"))


def sum_to_shape(grad, shape, name=None):
    """Sum `grad` over the dimensions that broadcasting added, to get `shape` (a tensor)."""
    return apply(SUM_TO_SHAPE, (grad, array_ops.int_tensor("SumToShape", "shape", shape)),
                 None, name)


def sum_to_shape_of(grad, like):
    """`grad` summed (SumToShape) to the shape of `like`; unlike unbroadcast it builds no
    reduce_sum, so second derivatives only need the gradients of SumToShape and BroadcastTo."""
    if grad.shape == like.shape and like.shape.is_fully_defined():
        return grad
    return array_ops.with_shape_of(sum_to_shape(grad, array_ops.shape_of(like)), like)


def _static_reduction(grad_shape, shape):
    """Axes to sum (keepdims) and whether a reshape is needed, or None if unknown."""
    if not grad_shape.is_fully_defined() or not shape.is_fully_defined():
        return None
    g, s = grad_shape.as_list(), shape.as_list()
    lead = len(g) - len(s)
    if lead < 0:
        return None
    axes = list(range(lead)) + [lead + i for i, d in enumerate(s) if d == 1 and
                                g[lead + i] != 1]
    return axes


def unbroadcast(grad, like):
    """The gradient `grad` (of a broadcast result) reduced to the shape of `like`."""
    if grad is None:
        return None
    shape = like.shape
    if grad.shape == shape and shape.is_fully_defined():
        return grad
    axes = _static_reduction(grad.shape, shape)
    if axes is not None:
        if not axes:
            return grad if grad.shape == shape else array_ops.reshape(grad, shape.as_list())
        reduced = math_ops.reduce_sum(grad, axis=axes, keepdims=True)
        if reduced.shape != shape:
            reduced = array_ops.reshape(reduced, shape.as_list())
        return reduced
    return array_ops.with_shape_of(sum_to_shape(grad, array_ops.shape(like)), like)
