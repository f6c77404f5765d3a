"""custom_gradient: a function that supplies its own gradient.

>>> import autotrace as tf
>>> @tf.custom_gradient
... def clipped_identity(x):
...     def grad(dy):
...         return tf.clip_by_value(dy, -1.0, 1.0)
...     return tf.identity(x), grad
>>> x = tf.constant(2.0)
>>> with tf.GradientTape() as tape:
...     tape.watch(x)
...     y = clipped_identity(x) * 10.0
>>> float(tape.gradient(y, x))
1.0
"""
import functools
import inspect

from ..core import nest
from ..core.context import state, swap_tapes
from ..ops.constant_op import convert_to_tensor
from ..ops.registry import apply, defop
from ..core.tensor import Tensor
from .tape import GradientTape

__all__ = ["custom_gradient"]


def _identity_kernel(*values, n_outputs, grad_fn, variables):
    return list(values[:n_outputs])


def _infer(*inputs, n_outputs, grad_fn, variables):
    return [(t.dtype, t.shape) for t in inputs[:n_outputs]]


def _grad(op, *grads):
    n, grad_fn, variables = op.attrs["n_outputs"], op.attrs["grad_fn"], op.attrs["variables"]
    if variables:
        input_grads, variable_grads = grad_fn(*grads, variables=list(variables))
        given = nest.flatten(input_grads) + nest.flatten(variable_grads)
    else:
        given = nest.flatten(grad_fn(*grads))
    n_args = len(op.inputs) - n
    if len(given) != n_args:
        raise ValueError("custom_gradient: the gradient function returned %d gradients, but "
                         "the function has %d tensor inputs%s" % (
                             len(given), n_args - len(variables),
                             " and %d variables" % len(variables) if variables else ""))
    return [None] * n + [None if g is None else convert_to_tensor(g) for g in given]


CUSTOM_GRADIENT = defop("CustomGradient", _identity_kernel, _infer, grad=_grad,
                        multi_output=True, inputs=("outputs", "args"), fold=False)


def custom_gradient(f=None):
    """Decorator: `f(*args)` returns `(result, grad_fn)`; `grad_fn(*result_grads)` returns
    the gradients of the tensor arguments (and, if variables are read inside `f`, accepts a
    `variables=` keyword and returns `(arg_grads, variable_grads)`)."""
    if f is None:
        return custom_gradient

    @functools.wraps(f)
    def decorated(*args, **kwargs):
        if not state.tapes:
            result, _ = f(*args, **kwargs)
            return result
        recorder = GradientTape()
        saved = swap_tapes([])
        try:
            with recorder:  # only to see which variables f reads
                result, grad_fn = f(*args, **kwargs)
        finally:
            swap_tapes(saved)
        variables = [v for v in recorder.watched_variables() if v.trainable]
        if variables and "variables" not in inspect.signature(grad_fn).parameters:
            raise TypeError("custom_gradient: %s reads variables (%s), so its gradient "
                            "function must accept a `variables` keyword argument"
                            % (f.__name__, ", ".join(v.name for v in variables)))
        outputs = [convert_to_tensor(t) for t in nest.flatten(result)]
        arg_tensors = [convert_to_tensor(a) for a in nest.flatten([list(args), kwargs])
                       if isinstance(a, Tensor) or getattr(a, "_autotrace_variable", False)]
        handles = [recorder._handle(v) for v in variables]
        new = apply(CUSTOM_GRADIENT, outputs + arg_tensors + handles,
                    {"n_outputs": len(outputs), "grad_fn": grad_fn,
                     "variables": tuple(variables)}, "CustomGradient")
        return nest.pack_sequence_as(result, list(new))
    return decorated

