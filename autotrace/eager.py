"""`autotrace.eager`: TF-1's contrib.eager (`tfe`) helpers, as seed 004 uses them.

Eager execution is always on in autotrace; `Variable` is autotrace.Variable.
"""
from .autodiff.functional import (gradients_function, implicit_gradients,
                                  implicit_value_and_gradients, value_and_gradients_function)
from .core.context import executing_eagerly
from .data.iterators import OwnedIterator
from .ops.variables import Variable


class Iterator(OwnedIterator):
    """`tfe.Iterator(dataset)`: an eager iterator over one pass of the dataset (TF 1's
    contrib.eager; in TF 2, `iter(dataset)`).

    >>> import autotrace as tf
    >>> ds = tf.data.Dataset.from_tensor_slices(([1.0, 2.0], [3.0, 4.0]))
    >>> [(float(x), float(y)) for x, y in tf.eager.Iterator(ds)]
    [(1.0, 3.0), (2.0, 4.0)]
    """

    def __init__(self, dataset):
        super().__init__(dataset)


def enable_eager_execution(*args, **kwargs):
    """Eager execution is the default: nothing to do (kept for TF-1 scripts)."""


__all__ = ["gradients_function", "value_and_gradients_function", "implicit_gradients",
           "implicit_value_and_gradients", "Variable", "Iterator", "executing_eagerly",
           "enable_eager_execution"]
