"""The functional gradient helpers of TF's contrib.eager (`tfe`), as seed 004 uses them.

>>> import autotrace as tf
>>> grad = tf.eager.gradients_function(lambda x, y: x ** 2 + y ** 3)
>>> [float(g) for g in grad(1.0, 2.0)]
[2.0, 12.0]
"""
import functools

from ..ops.constant_op import convert_to_tensor
from ..core.tensor import Tensor
from .tape import GradientTape

__all__ = ["gradients_function", "value_and_gradients_function", "implicit_gradients",
           "implicit_value_and_gradients"]


def _argument_tensors(args, params):
    tensors = [a if isinstance(a, Tensor) or getattr(a, "_autotrace_variable", False)
               else convert_to_tensor(a) for a in args]
    chosen = range(len(args)) if params is None else params
    return tensors, [tensors[i] for i in chosen]


def value_and_gradients_function(f, params=None):
    """A function returning (f(*args), [d f / d arg for each arg]) (or for the argument
    positions listed in `params`)."""
    @functools.wraps(f)
    def value_and_gradients(*args, **kwargs):
        tensors, sources = _argument_tensors(args, params)
        with GradientTape() as tape:
            tape.watch(sources)
            value = f(*tensors, **kwargs)
        return value, tape.gradient(value, sources)
    return value_and_gradients


def gradients_function(f, params=None):
    """A function returning [d f / d arg for each arg] at the given arguments."""
    value_and_gradients = value_and_gradients_function(f, params)

    @functools.wraps(f)
    def gradients(*args, **kwargs):
        return value_and_gradients(*args, **kwargs)[1]
    return gradients


def implicit_value_and_gradients(f):
    """A function returning (f(*args), [(gradient, variable), ...]) for the trainable
    variables f actually reads while computing the value."""
    @functools.wraps(f)
    def value_and_gradients(*args, **kwargs):
        with GradientTape() as tape:
            value = f(*args, **kwargs)
        variables = tape.watched_variables()
        if not variables:
            raise ValueError("%s reads no trainable variables, so it has no implicit "
                             "gradients" % getattr(f, "__name__", f))
        grads = tape.gradient(value, list(variables))
        return value, list(zip(grads, variables))
    return value_and_gradients


def implicit_gradients(f):
    """A function returning [(gradient, variable), ...] for the trainable variables f reads."""
    value_and_gradients = implicit_value_and_gradients(f)

    @functools.wraps(f)
    def gradients(*args, **kwargs):
        return value_and_gradients(*args, **kwargs)[1]
    return gradients
