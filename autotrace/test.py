"""`autotrace.test` (TF's tf.test): checking gradients against finite differences.

`compute_gradient(f, xs)` returns the analytic and numerical Jacobians (TF's
tf.test.compute_gradient). `check_gradients(f, xs)` compares directional derivatives along
random directions (cheap for large inputs), eagerly and inside autotrace.function, and to any
order.

>>> import autotrace as tf
>>> check_gradients(lambda x: tf.sin(x) * x, [np.array([0.5, 1.5])])
"""
import numpy as np

from .autodiff.tape import GradientTape
from .ops import math_ops
from .ops.constant_op import constant, convert_to_tensor
from .tracing import function

__all__ = ["compute_gradient", "check_gradients", "GradientCheckError"]


class GradientCheckError(AssertionError):
    """An analytic gradient disagrees with finite differences."""


def _as_arrays(xs):
    return [np.array(x.numpy() if hasattr(x, "numpy") else x, dtype=np.float64)
            if np.asarray(x.numpy() if hasattr(x, "numpy") else x).dtype.kind in "fiu"
            else np.asarray(x) for x in xs]


def compute_gradient(f, x, delta=None):
    """(analytic Jacobians, numerical Jacobians): one 2-D array [output size, input size] per
    argument in `x` (a list), as TF's tf.test.compute_gradient."""
    xs = [np.asarray(v.numpy() if hasattr(v, "numpy") else v) for v in x]
    delta = delta if delta is not None else (1e-3 if xs and xs[0].dtype == np.float32 else 1e-6)
    y = np.asarray(_value(f, xs))
    analytic, numeric = [], []
    for i, xi in enumerate(xs):
        jac_a = np.zeros((y.size, xi.size))
        jac_n = np.zeros((y.size, xi.size))
        for j in range(y.size):
            weight = np.zeros(y.shape, y.dtype)
            weight.flat[j] = 1
            grads = _gradients(f, xs, weight)
            if grads[i] is not None:
                jac_a[j] = np.asarray(grads[i]).reshape(-1)
        for k in range(xi.size):
            plus = [v.copy() for v in xs]
            minus = [v.copy() for v in xs]
            plus[i].flat[k] += delta
            minus[i].flat[k] -= delta
            diff = (np.asarray(_value(f, plus), np.float64) -
                    np.asarray(_value(f, minus), np.float64)) / (2 * delta)
            jac_n[:, k] = diff.reshape(-1)
        analytic.append(jac_a)
        numeric.append(jac_n)
    return tuple(analytic), tuple(numeric)


def _value(f, xs):
    return f(*[constant(v) for v in xs]).numpy()


def _gradients(f, xs, weight):
    tensors = [constant(v) for v in xs]
    with GradientTape() as tape:
        tape.watch(tensors)
        y = f(*tensors)
    _note_checked(tape)
    grads = tape.gradient(y, tensors, output_gradients=constant(weight))
    return [convert_to_tensor(g).numpy() if g is not None else None for g in grads]


def check_gradients(f, xs, order=1, modes=("eager", "function"), directions=3, eps=1e-5,
                    rtol=1e-4, atol=1e-6, seed=0):
    """Assert that the gradients of `f` (of `order` 1 or 2) match central finite differences
    along random directions, computed in float64. `modes`: 'eager' and/or 'function' (the
    gradient computed inside an autotrace.function). Raises GradientCheckError otherwise."""
    rng = np.random.default_rng(seed)
    xs = _as_arrays(xs)
    wrt = [i for i, x in enumerate(xs) if x.dtype.kind == "f"]
    target = f
    for _ in range(order - 1):
        target = _directional_gradient(target, wrt, xs, rng)
    for mode in modes:
        grad_fn = _grad_function(target, wrt)
        if mode == "function":
            grad_fn = function(grad_fn, autograph=False)
        elif mode != "eager":
            raise ValueError("mode must be 'eager' or 'function', got %r" % (mode,))
        for _ in range(directions):
            _check_direction(target, grad_fn, xs, wrt, rng, eps, rtol, atol, mode, order)


# Op types whose gradients check_gradients / compute_gradient have differentiated (the test
# suite asserts every differentiable op is among them).
CHECKED_OP_TYPES = set()


def _note_checked(tape):
    stack = list(tape._ops)
    while stack:
        op = stack.pop()
        CHECKED_OP_TYPES.add(op.type)
        if op.opdef.subgraphs is not None:  # cond branches, loop bodies: their ops too
            stack.extend(inner for _, g in op.opdef.subgraphs(op) for inner in g.operations)


def _grad_function(f, wrt):
    def grads_and_value(weight, *args):
        with GradientTape() as tape:
            for i in wrt:
                tape.watch(args[i])
            y = f(*args)
        _note_checked(tape)
        grads = tape.gradient(y, [args[i] for i in wrt], output_gradients=weight)
        return y, grads
    return grads_and_value


def _check_direction(f, grad_fn, xs, wrt, rng, eps, rtol, atol, mode, order):
    tensors = [constant(x) for x in xs]
    y = f(*tensors)
    weight = rng.standard_normal(np.shape(y.numpy())).astype(np.float64)
    _, grads = grad_fn(constant(weight), *tensors)
    directions = [rng.standard_normal(xs[i].shape) for i in wrt]
    analytic = 0.0
    for g, d in zip(grads, directions):
        if g is not None:
            analytic += float(np.sum(convert_to_tensor(g).numpy() * d))
    plus, minus = list(xs), list(xs)
    for i, d in zip(wrt, directions):
        plus[i] = xs[i] + eps * d
        minus[i] = xs[i] - eps * d
    numeric = float(np.sum(weight * (_value(f, plus) - _value(f, minus)))) / (2 * eps)
    if not np.isclose(analytic, numeric, rtol=rtol, atol=atol):
        raise GradientCheckError(
            "order-%d gradient (%s) along a random direction: analytic %.10g, finite "
            "differences %.10g" % (order, mode, analytic, numeric))


def _directional_gradient(f, wrt, xs, rng):
    """x -> <grad f(x), v> for a fixed random v: its gradient is a Hessian-vector product."""
    directions = [constant(rng.standard_normal(xs[i].shape)) for i in wrt]

    def g(*args):
        with GradientTape() as tape:
            for i in wrt:
                tape.watch(args[i])
            y = f(*args)
        grads = tape.gradient(y, [args[i] for i in wrt])
        total = None
        for grad, d in zip(grads, directions):
            if grad is None:
                continue
            term = math_ops.reduce_sum(grad * d)
            total = term if total is None else total + term
        return total if total is not None else constant(0.0, "float64")
    return g
