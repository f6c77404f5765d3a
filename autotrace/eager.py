"""`autotrace.eager`: TF-1's contrib.eager (`tfe`) helpers, as seed 004 uses them.

Eager execution is always on in autotrace; `Variable` is autotrace.Variable.
"""
from .autodiff.functional import (gradients_function, implicit_gradients,
                                  implicit_value_and_gradients, value_and_gradients_function)
from .core.context import executing_eagerly
from .ops.variables import Variable


def enable_eager_execution(*args, **kwargs):
    """Eager execution is the default: nothing to do (kept for TF-1 scripts)."""


__all__ = ["gradients_function", "value_and_gradients_function", "implicit_gradients",
           "implicit_value_and_gradients", "Variable", "executing_eagerly",
           "enable_eager_execution"]
