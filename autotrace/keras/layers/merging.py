"""Merging layers: combine a list of inputs (Add, Subtract, Multiply, Average, Maximum,
Minimum, Concatenate, Dot).

>>> import numpy as np
>>> from autotrace import keras
>>> keras.layers.Add()([np.ones((1, 2), np.float32), np.ones((1, 2), np.float32)]).numpy()
array([[2., 2.]], dtype=float32)
"""
import functools

from ...ops import array_ops, math_ops
from ...ops.manip_ops import concat
from ...ops.nn_loss_ops import l2_normalize
from ..engine.layer import Layer

__all__ = ["Add", "Subtract", "Multiply", "Average", "Maximum", "Minimum", "Concatenate",
           "Dot", "add", "subtract", "multiply", "average", "maximum", "minimum",
           "concatenate", "dot"]


class _Merge(Layer):
    """Elementwise merge of two or more inputs of compatible (broadcastable) shapes."""

    min_inputs = 2

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True

    def _check_inputs(self, input_shape):
        if not isinstance(input_shape, (list, tuple)) or not input_shape \
                or not isinstance(input_shape[0], (list, tuple)):
            raise ValueError("A merge layer should be called on a list of inputs. Received: "
                             "input_shape=%s (not a list of shapes)" % (input_shape,))
        if len(input_shape) < self.min_inputs:
            raise ValueError("A merge layer should be called on a list of at least %d "
                             "inputs. Got %d inputs. Full input_shape received: %s"
                             % (self.min_inputs, len(input_shape), input_shape))

    def build(self, input_shape):
        self._check_inputs(input_shape)
        self.built = True

    def call(self, inputs):
        return self._merge(list(inputs))

    def compute_output_shape(self, input_shape):
        shapes = [tuple(s) for s in input_shape]
        rank = max(len(s) for s in shapes)
        padded = [(1,) * (rank - len(s)) + s for s in shapes]
        out = []
        for dims in zip(*padded):
            known = [d for d in dims if d not in (None, 1)]
            out.append(known[0] if known else (None if None in dims else 1))
        return tuple(out)

    def compute_mask(self, inputs, mask=None):
        if mask is None or all(m is None for m in mask):
            return None
        masks = [array_ops.ones_like(x, dtype="bool")[..., 0] if m is None else m
                 for x, m in zip(inputs, mask)]
        return functools.reduce(math_ops.logical_and, masks)


def _elementwise(name, merge, doc, min_inputs=2):
    cls = type(name, (_Merge,), {"_merge": staticmethod(merge), "__doc__": doc,
                                  "min_inputs": min_inputs, "__module__": __name__})
    return cls


Add = _elementwise("Add", lambda xs: functools.reduce(math_ops.add, xs), "Sum of the inputs.")
Multiply = _elementwise("Multiply", lambda xs: functools.reduce(math_ops.multiply, xs),
                        "Product of the inputs.")
Average = _elementwise("Average", lambda xs: functools.reduce(math_ops.add, xs) / len(xs),
                       "Mean of the inputs.")
Maximum = _elementwise("Maximum", lambda xs: functools.reduce(math_ops.maximum, xs),
                       "Elementwise maximum of the inputs.")
Minimum = _elementwise("Minimum", lambda xs: functools.reduce(math_ops.minimum, xs),
                       "Elementwise minimum of the inputs.")


class Subtract(_Merge):
    """inputs[0] - inputs[1] (exactly two inputs)."""

    def build(self, input_shape):
        super().build(input_shape)
        if len(input_shape) != 2:
            raise ValueError("A `Subtract` layer should be called on exactly 2 inputs. "
                             "Received: input_shape=%s" % (input_shape,))

    @staticmethod
    def _merge(inputs):
        return math_ops.subtract(inputs[0], inputs[1])


class Concatenate(_Merge):
    """Join the inputs along `axis` (their other axes must match)."""

    min_inputs = 1

    def __init__(self, axis=-1, **kwargs):
        super().__init__(**kwargs)
        self.axis = axis

    def build(self, input_shape):
        self._check_inputs(input_shape)
        ranks = {len(s) for s in input_shape}
        if len(ranks) != 1:
            raise ValueError("A `Concatenate` layer requires inputs with matching shapes "
                             "except for the concatenation axis. Received: input_shape=%s"
                             % (input_shape,))
        rank = ranks.pop()
        axis = self.axis % rank
        for i in range(rank):
            if i == axis:
                continue
            sizes = {s[i] for s in input_shape if s[i] is not None}
            if len(sizes) > 1:
                raise ValueError("A `Concatenate` layer requires inputs with matching shapes "
                                 "except for the concatenation axis. Received: input_shape=%s"
                                 % (input_shape,))
        self.built = True

    def _merge(self, inputs):
        return concat(inputs, axis=self.axis)

    def compute_output_shape(self, input_shape):
        shape = list(input_shape[0])
        axis = self.axis % len(shape)
        sizes = [s[axis] for s in input_shape]
        shape[axis] = None if None in sizes else sum(sizes)
        return tuple(shape)

    def compute_mask(self, inputs, mask=None):
        if mask is None or all(m is None for m in mask):
            return None
        masks = [array_ops.ones_like(x, dtype="bool") if m is None
                 else array_ops.broadcast_to(array_ops.expand_dims(m, -1),
                                             array_ops.shape(x)) for x, m in zip(inputs, mask)]
        return math_ops.reduce_all(concat(masks, axis=self.axis), axis=-1)

    def get_config(self):
        return {**super().get_config(), "axis": self.axis}


class Dot(_Merge):
    """Dot products of two inputs along `axes` (with `normalize`, cosine similarities)."""

    def __init__(self, axes, normalize=False, **kwargs):
        super().__init__(**kwargs)
        self.axes, self.normalize = axes, normalize
        self.supports_masking = False

    def _axes_for(self, rank_a, rank_b):
        axes = (self.axes, self.axes) if isinstance(self.axes, int) else tuple(self.axes)
        return axes[0] % rank_a, axes[1] % rank_b

    def _merge(self, inputs):
        a, b = inputs
        axis_a, axis_b = self._axes_for(a.shape.rank, b.shape.rank)
        if self.normalize:
            a, b = l2_normalize(a, axis=axis_a), l2_normalize(b, axis=axis_b)
        if a.shape.rank == 2 and b.shape.rank == 2:
            return math_ops.reduce_sum(a * b, axis=1, keepdims=True)
        return math_ops.einsum(_dot_equation(a.shape.rank, b.shape.rank, axis_a, axis_b), a, b)

    def compute_output_shape(self, input_shape):
        a, b = [list(s) for s in input_shape]
        axis_a, axis_b = self._axes_for(len(a), len(b))
        shape = a[:axis_a] + a[axis_a + 1:] + b[1:axis_b] + b[axis_b + 1:]
        return tuple(shape) if len(shape) > 1 else tuple(shape) + (1,)

    def get_config(self):
        return {**super().get_config(), "axes": self.axes, "normalize": self.normalize}


def _dot_equation(rank_a, rank_b, axis_a, axis_b):
    letters = "bcdefghijklmnopqrstuvwxyz"
    a = ["a"] + list(letters[:rank_a - 1])
    b = ["a"] + list(letters[rank_a - 1:rank_a + rank_b - 2])
    b[axis_b] = a[axis_a]
    out = [c for i, c in enumerate(a) if i != axis_a] + \
        [c for i, c in enumerate(b) if i not in (0, axis_b)]
    return "%s,%s->%s" % ("".join(a), "".join(b), "".join(out))


def _functional(cls):
    def merge(inputs, **kwargs):
        return cls(**kwargs)(inputs)
    merge.__name__ = cls.__name__.lower()
    merge.__doc__ = "Functional interface to the %s layer." % cls.__name__
    return merge


add, subtract, multiply, average = (_functional(c) for c in (Add, Subtract, Multiply, Average))
maximum, minimum, concatenate = (_functional(c) for c in (Maximum, Minimum, Concatenate))


def dot(inputs, axes=-1, **kwargs):
    """Functional interface to the Dot layer."""
    return Dot(axes=axes, **kwargs)(inputs)
