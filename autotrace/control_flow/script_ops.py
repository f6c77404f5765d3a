"""Escape hatches to Python: `numpy_function` and `py_function` (TF's names and semantics).

Both wrap a Python function as an op. It is called when the op runs: at once when executing
eagerly, and on EVERY call of a traced function (not only while tracing), in program order,
because the ops are stateful. So `print` or any other side effect inside the Python function
happens per call; this is the documented way to run arbitrary Python inside a traced function.

- numpy_function(func, inp, Tout): `func` receives NumPy arrays (op type PyFunc, or
  PyFuncStateless with stateful=False).
- py_function(func, inp, Tout): `func` receives eager tensors and runs eagerly, so it may use
  autotrace ops (op type EagerPyFunc).

The outputs have the dtypes promised by `Tout` (checked when the function returns: a wrong
count or dtype is an error naming the function) and unknown static shapes.

>>> import numpy as np, autotrace as tf
>>> tf.numpy_function(lambda x: np.sort(x), [tf.constant([3, 1, 2])], tf.int32).numpy()
array([1, 2, 3], dtype=int32)
"""
import functools

import numpy as np

from ..core import dtypes
from ..core.context import init_scope
from ..core.errors import (InvalidArgumentError, OpError, OutOfRangeError, ResourceExhaustedError,
                           UnimplementedError, UnknownError)
from ..core.tensor import EagerTensor, Tensor
from ..core.tensor_shape import TensorShape
from ..ops.constant_op import ConversionError, convert_to_tensor, to_numpy
from ..ops.registry import NO_GRADIENT, apply, defop

__all__ = ["numpy_function", "py_function", "eager_py_func"]


# -- argument and result conversion ------------------------------------------------------------

def _array(value):
    """A kernel input as a fresh, writable ndarray (graphs pass 0-d values as NumPy scalars,
    and string scalars as bytes)."""
    if isinstance(value, bytes):
        arr = np.empty((), dtype=object)
        arr[()] = value
        return arr
    return np.array(value)


def _output(arr):
    """An ndarray as an op output: 0-d numeric values become NumPy scalars."""
    if arr.ndim == 0 and arr.dtype.kind != "O":
        return arr[()]
    return arr


def _func_name(func):
    name = getattr(func, "__qualname__", None) or getattr(func, "__name__", None)
    return name.split("<locals>.")[-1] if name else repr(func)


def _describe(value):
    if isinstance(value, Tensor):
        return "a %s tensor of shape %s" % (value.dtype.name, value.shape)
    if isinstance(value, (np.ndarray, np.generic)):
        return "a NumPy %s array of shape %s" % (value.dtype, TensorShape(np.shape(value)))
    return "%s %r" % (type(value).__name__, value) if len(repr(value)) < 60 else \
        "a %s" % type(value).__name__


# Python exceptions -> the error class TF's py_func kernel reports them as.
_EXCEPTION_CLASSES = ((ValueError, InvalidArgumentError), (TypeError, InvalidArgumentError),
                      (StopIteration, OutOfRangeError), (MemoryError, ResourceExhaustedError),
                      (NotImplementedError, UnimplementedError))


def _func_error(kind, func, exc):
    """The error for an exception raised by the user's function (chain the original)."""
    message = "%s: the Python function %s raised %s: %s" % (
        kind, _func_name(func), type(exc).__name__, exc)
    if isinstance(exc, OpError):
        cls = type(exc)
    else:
        cls = next((c for py, c in _EXCEPTION_CLASSES if isinstance(exc, py)), UnknownError)
    try:
        return cls(message)
    except TypeError:  # an OpError subclass with another constructor
        return UnknownError(message)


def _results(kind, func, result, Tout):
    """The function's result as a list, checked against the number of outputs promised."""
    if result is None:
        values = []
    elif isinstance(result, (list, tuple)):
        values = list(result)
    else:
        values = [result]
    if len(values) != len(Tout):
        what = "None" if result is None else (
            "%s of %d values" % (type(result).__name__, len(values))
            if isinstance(result, (list, tuple)) else _describe(result))
        hint = ""
        if len(Tout) == 1 and isinstance(result, (list, tuple)):
            hint = " (a list or tuple counts as several outputs; return an array for one)"
        raise InvalidArgumentError(
            "%s: the Python function %s returned %s, but Tout promises %d output%s (%s)%s"
            % (kind, _func_name(func), what, len(Tout), "" if len(Tout) == 1 else "s",
               ", ".join(d.name for d in Tout) or "none", hint))
    return values


def _wrong_dtype(kind, func, i, got, want, value):
    return InvalidArgumentError(
        "%s: output %d of the Python function %s is %s, but Tout promises dtype %s; convert it "
        "(e.g. %s)" % (kind, i, _func_name(func), _describe(value) if got is None else
                       "of dtype %s" % got, want.name,
                       ("np.asarray(x, np.%s)" if kind == "numpy_function" else
                        "autotrace.cast(x, autotrace.%s)") % want.np.name
                       if not want.is_string else "return bytes or str"))


def _numpy_result(func, i, value, dtype):
    """numpy_function: a NumPy array must have the promised dtype exactly (as TF); Python
    values (numbers, lists, bytes, str) are converted to it when that keeps their value."""
    kind = "numpy_function"
    if isinstance(value, EagerTensor):
        value = value._value
    if isinstance(value, (np.ndarray, np.generic)):
        arr = np.asarray(value)
        if arr.dtype.kind in "US" or (arr.dtype.kind == "O" and dtype.is_string):
            if not dtype.is_string:
                raise _wrong_dtype(kind, func, i, "string", dtype, value)
            return to_numpy(arr, dtypes.string)
        got = dtypes.as_dtype(arr.dtype) if arr.dtype.kind != "O" else None
        if got is not dtype:
            raise _wrong_dtype(kind, func, i, got and got.name, dtype, value)
        return _output(arr.copy() if arr is value else arr)
    if isinstance(value, Tensor) or hasattr(value, "_as_tensor"):
        raise _wrong_dtype(kind, func, i, None, dtype, value)
    try:
        return _as_output(to_numpy(value, dtype))
    except (TypeError, ValueError) as exc:
        raise InvalidArgumentError(
            "numpy_function: output %d of the Python function %s (%s) cannot be converted to "
            "the dtype %s that Tout promises: %s" % (i, _func_name(func), _describe(value),
                                                     dtype.name, exc)) from None


def _py_result(func, i, value, dtype):
    """py_function: tensors must have the promised dtype; other values are converted to it
    (as TF's convert_to_tensor(value, dtype))."""
    if isinstance(value, Tensor) or hasattr(value, "_as_tensor"):
        with init_scope():
            t = convert_to_tensor(value)
        if t.dtype is not dtype:
            raise _wrong_dtype("py_function", func, i, t.dtype.name, dtype, value)
        return t._value
    try:
        arr = to_numpy(value, dtype)
    except (ConversionError, TypeError, ValueError) as exc:
        raise InvalidArgumentError(
            "py_function: output %d of the Python function %s (%s) cannot be converted to the "
            "dtype %s that Tout promises: %s" % (i, _func_name(func), _describe(value),
                                                 dtype.name, exc)) from None
    if isinstance(arr, np.ndarray) and arr is value:
        arr = arr.copy()
    return _as_output(arr)


def _as_output(value):
    if isinstance(value, np.ndarray):
        return _output(value)
    return value


# -- the ops -----------------------------------------------------------------------------------

def _numpy_function_kernel(*inputs, func, Tout):
    args = [_array(v) for v in inputs]
    try:
        result = func(*args)
    except Exception as exc:
        raise _func_error("numpy_function", func, exc) from exc
    values = _results("numpy_function", func, result, Tout)
    return [_numpy_result(func, i, v, dt) for i, (v, dt) in enumerate(zip(values, Tout))]


def _py_function_kernel(*inputs, func, Tout):
    args = [EagerTensor(_output(_array(v))) for v in inputs]
    with init_scope():  # the function runs eagerly, even while a Session runs a graph
        try:
            result = func(*args)
        except Exception as exc:
            raise _func_error("py_function", func, exc) from exc
    values = _results("py_function", func, result, Tout)
    return [_py_result(func, i, v, dt) for i, (v, dt) in enumerate(zip(values, Tout))]


def _script_infer(*inputs, func, Tout):
    return [(dt, TensorShape(None)) for dt in Tout]


# -- gradients ---------------------------------------------------------------------------------
# numpy_function (PyFunc, PyFuncStateless) has no gradient, as in TF: NumPy code cannot be
# differentiated. py_function (EagerPyFunc) differentiates, eagerly and inside traced
# functions, with respect to its floating-point inputs: the gradient is another EagerPyFunc
# that calls the Python function again under a GradientTape (TF replays a tape kept from the
# forward call instead; here the function's side effects happen again when the gradient is
# computed). Variables the function reads get no gradient (as TF).

def _differentiable(dtype):
    return dtype.is_floating or dtype.is_complex


def _py_function_grad(op, *grads):
    func, tout = op.attrs["func"], op.attrs["Tout"]
    inputs = list(op.inputs)
    wrt = [i for i, t in enumerate(inputs) if _differentiable(t.dtype)]
    used = [j for j, g in enumerate(grads) if g is not None and _differentiable(tout[j])]
    if not wrt or not used:
        return [None] * len(inputs)
    gradient_func = functools.partial(_py_function_gradient, func, tout, len(inputs), wrt,
                                      used)
    functools.update_wrapper(gradient_func, func, assigned=("__name__", "__qualname__"),
                             updated=())
    result = apply(EAGER_PY_FUNC, inputs + [grads[j] for j in used],
                   {"func": gradient_func, "Tout": tuple(inputs[i].dtype for i in wrt)},
                   "EagerPyFuncGrad")
    in_grads = [None] * len(inputs)
    for i, g in zip(wrt, result):
        g.set_shape(inputs[i].shape)
        in_grads[i] = g
    return in_grads


def _py_function_gradient(func, tout, n, wrt, used, *args):
    """Run `func` on the inputs under a tape; return the gradients of its outputs `used`
    (weighted by the upstream gradients, which follow the inputs in `args`)."""
    from ..autodiff.tape import GradientTape
    xs, weights = list(args[:n]), args[n:]
    with GradientTape() as tape:
        for i in wrt:
            tape.watch(xs[i])
        outputs = _results("py_function", func, func(*xs), tout)
    targets, target_weights = [], []
    for j, w in zip(used, weights):
        if isinstance(outputs[j], Tensor):  # a Python value does not depend on the inputs
            targets.append(outputs[j])
            target_weights.append(w)
    sources = [xs[i] for i in wrt]
    if not targets:
        return [np.zeros(np.shape(x._value), x.dtype.np) for x in sources]
    return tape.gradient(targets, sources, output_gradients=target_weights,
                         unconnected_gradients="zero")


_OPTIONS = dict(multi_output=True, inputs=("input",), fold=False)
PY_FUNC = defop("PyFunc", _numpy_function_kernel, _script_infer, stateful=True,
                grad=NO_GRADIENT, **_OPTIONS)
PY_FUNC_STATELESS = defop("PyFuncStateless", _numpy_function_kernel, _script_infer,
                          grad=NO_GRADIENT, **_OPTIONS)
EAGER_PY_FUNC = defop("EagerPyFunc", _py_function_kernel, _script_infer, stateful=True,
                      grad=_py_function_grad, **_OPTIONS)


# -- the API -----------------------------------------------------------------------------------

def _check_args(kind, func, inp, Tout, call):
    """TF's argument rules; returns a decorator when func is None (`@numpy_function(Tout=..)`)."""
    if Tout is None:
        raise TypeError("%s: missing required argument 'Tout' (the output dtype, or a list of "
                        "dtypes; [] for none). As a decorator, pass it by name: "
                        "@autotrace.%s(Tout=...)" % (kind, kind))
    if func is None:
        if inp is not None:
            raise TypeError("%s: don't pass `inp` when using it as a decorator (func=None)"
                            % kind)

        def decorator(fn):
            @functools.wraps(fn)
            def wrapper(*args):
                return call(fn, list(args))
            return wrapper
        return decorator
    if not callable(func):
        raise TypeError("%s: func must be callable, got %r" % (kind, func))
    if inp is None:
        raise TypeError("%s: missing argument `inp` (the list of the function's arguments)"
                        % kind)
    if not isinstance(inp, (list, tuple)):
        raise TypeError("%s: inp must be a list or tuple of the function's arguments, got %s; "
                        "for one argument pass [x]" % (kind, _describe(inp)))
    return None


def _tout(Tout):
    single = not isinstance(Tout, (list, tuple))
    dtypes_ = [dtypes.as_dtype(t) for t in ([Tout] if single else Tout)]
    return single, tuple(dtypes_)


def _script_op(opdef, func, inp, Tout, name):
    single, tout = _tout(Tout)
    tensors = [convert_to_tensor(x) for x in inp]
    result = apply(opdef, tensors, {"func": func, "Tout": tout}, name or opdef.type)
    if not tout:
        return None
    return result[0] if single else list(result)


def numpy_function(func=None, inp=None, Tout=None, stateful=True, name=None):
    """Wrap `func` (NumPy arrays in, NumPy arrays out) as an op.

    Args:
      func: the Python function; it receives one NumPy array per element of `inp` (copies: it
        may modify them) and returns one value per dtype of `Tout` (a tuple or list for
        several; None for none).
      inp: a list of tensors (or values convertible to tensors).
      Tout: the output dtype (the result is one tensor) or a list of dtypes (a list of
        tensors; [] for none, and the result is None).
      stateful: if False, the function is assumed pure: calls may be merged or dropped when
        their result is unused.
    Returns arrays must have exactly the promised dtype; Python numbers and lists are converted.
    """
    decorator = _check_args("numpy_function", func, inp, Tout,
                            lambda fn, args: numpy_function(fn, args, Tout, stateful, name))
    if decorator is not None:
        return decorator
    return _script_op(PY_FUNC if stateful else PY_FUNC_STATELESS, func, inp, Tout, name)


def py_function(func=None, inp=None, Tout=None, name=None):
    """Wrap `func` (eager tensors in, tensors or values out) as an op.

    `func` runs eagerly, even inside a traced function, so it can use autotrace ops and
    `.numpy()`. Its results are converted to the dtypes of `Tout` (a Python number adopts the
    promised dtype; a tensor of another dtype is an error). See numpy_function for the rest.
    """
    decorator = _check_args("py_function", func, inp, Tout,
                            lambda fn, args: py_function(fn, args, Tout, name))
    if decorator is not None:
        return decorator
    return _script_op(EAGER_PY_FUNC, func, inp, Tout, name)


eager_py_func = py_function
