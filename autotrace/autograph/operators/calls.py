"""Run-time operator for calls in converted code, `ag__.call(f, *args, **kwargs)`.

- user functions (and methods, and callable objects) are converted too, recursively;
- library code is called as it is: autotrace, NumPy, the standard library, installed
  packages, builtins, and anything marked with `autograph.do_not_convert`;
- a few builtins act on tensors: `range`, `len`, `int`, `float`, `abs`, `max`, `min`;
- `print` stays Python's print (it runs while tracing), with a one-time warning when it is
  given symbolic tensors.

Also `list_append` and `assert_stmt`.
"""
import builtins
import functools
import inspect
import types

from ...core import nest
from ...core.context import state as context, user_location, warn_at_user_line
from ...ops import array_ops, debugging_ops, math_ops
from ...core.tensor import SymbolicTensor, Tensor
from .control_flow import AutoGraphWarning, _is_staged

__all__ = ["call", "list_append", "list_concat", "list_extend", "assert_stmt"]


def call(function, *args, **kwargs):
    """Call `function`, converting it first if it is user code."""
    override = _BUILTINS.get(id(function)) if _is_builtin(function) else None
    if override is not None:
        return override(*args, **kwargs)
    return _target(function)(*args, **kwargs)


def _is_builtin(function):
    return isinstance(function, (types.BuiltinFunctionType, type))


def _target(function):
    """What to call: the converted version of user code, otherwise `function` itself."""
    from .. import loader
    if getattr(function, "_autotrace_function", False):  # an autotrace.function
        return function
    if isinstance(function, types.MethodType):
        converted = loader.convert_for_call(function.__func__)
        return function if converted is None else types.MethodType(converted,
                                                                   function.__self__)
    if isinstance(function, types.FunctionType):
        converted = loader.convert_for_call(function)
        return function if converted is None else converted
    if isinstance(function, functools.partial):
        inner = _target(function.func)
        return function if inner is function.func else functools.partial(
            inner, *function.args, **function.keywords)
    call_method = getattr(type(function), "__call__", None)
    if isinstance(call_method, types.FunctionType) and not isinstance(function, type):
        converted = loader.convert_for_call(call_method)
        if converted is not None:
            return types.MethodType(converted, function)
    return function


# -- builtins on tensors -----------------------------------------------------------------------

def _any_tensor(*values):
    return any(isinstance(v, Tensor) or hasattr(v, "_as_tensor") for v in nest.flatten(list(
        values)))


def _range(*args):
    if _any_tensor(*args) and context.graph is not None:
        return array_ops.range(*args)
    return builtins.range(*[int(a) if isinstance(a, Tensor) else a for a in args])


def _len(value):
    from ...ops.tensor_array_ops import TensorArray
    if isinstance(value, TensorArray):
        return value.size()
    if isinstance(value, SymbolicTensor):
        if value.shape.rank == 0:
            raise TypeError("len() of a scalar tensor (at %s)" % user_location())
        known = value.shape[0] if value.shape.rank is not None else None
        return known if known is not None else array_ops.shape(value)[0]
    return builtins.len(value)


def _cast_builtin(python_type, dtype):
    def convert(value=0, *args):
        if isinstance(value, SymbolicTensor) and not args:
            return math_ops.cast(value, dtype)
        return python_type(value, *args)
    return convert


def _extremum(python_fn, pairwise, reduce):
    def fn(*args, **kwargs):
        if kwargs or not _any_tensor(*args):
            return python_fn(*args, **kwargs)
        if len(args) == 1:
            return reduce(args[0])
        result = args[0]
        for other in args[1:]:
            result = pairwise(result, other)
        return result
    return fn


_PRINT_WARNED = set()


def _print(*args, **kwargs):
    if any(isinstance(v, SymbolicTensor) for v in nest.flatten(list(args))):
        where = user_location()
        if where not in _PRINT_WARNED:
            _PRINT_WARNED.add(where)
            warn_at_user_line(
                "print() at %s is Python's print: it runs once, while the function is traced, "
                "and shows symbolic tensors (no values yet). To print values every time the "
                "function runs, use autotrace.print(...)." % where, AutoGraphWarning)
    return builtins.print(*args, **kwargs)


_BUILTINS = {id(f): g for f, g in [
    (builtins.range, _range), (builtins.len, _len), (builtins.print, _print),
    (builtins.int, _cast_builtin(int, "int32")), (builtins.float, _cast_builtin(float,
                                                                                 "float32")),
    (builtins.max, _extremum(builtins.max, math_ops.maximum, math_ops.reduce_max)),
    (builtins.min, _extremum(builtins.min, math_ops.minimum, math_ops.reduce_min)),
]}


# -- lists and asserts -------------------------------------------------------------------------

def list_append(target, value, name):
    """`target.append(value)`; for a list that a graph loop turned into a TensorArray, a write
    at the end (the list comes out of the loop stacked into one tensor)."""
    from ...ops.tensor_array_ops import TensorArray
    if isinstance(target, TensorArray):
        return target.write(target.size(), value)
    target.append(value)
    return target


def list_concat(target, items):
    """`target + items` (a new list); for a list a graph loop turned into a TensorArray,
    writes at the end."""
    from ...ops.tensor_array_ops import TensorArray
    if isinstance(target, TensorArray):
        return _write_all(target, items)
    return target + items


def list_extend(target, items):
    """`target += items`; for a list a graph loop turned into a TensorArray, writes at the
    end."""
    from ...ops.tensor_array_ops import TensorArray
    if isinstance(target, TensorArray):
        return _write_all(target, items)
    target += items
    return target


def _write_all(array, items):
    for item in items:
        array = array.write(array.size(), item)
    return array


def assert_stmt(test, message):
    """`assert test, message()`: an Assert op that runs on every call for a tensor test."""
    if _is_staged(test):
        text = message()
        data = [text if text is not None else "Assertion failed (at %s)" % user_location()]
        return debugging_ops.Assert(test, data)
    if not test:
        text = message()
        raise AssertionError(text) if text is not None else AssertionError()
    return None


def signature_text(function):
    try:
        return str(inspect.signature(function))
    except (TypeError, ValueError):
        return "(...)"
