"""Debugging ops (TF's tf.debugging): Assert, the assert_* checks and check_numerics.

Executing eagerly a failed check raises at once. While building a graph, `Assert` and the
assert_* functions return the Assert op: it is stateful, so in a traced function it runs on
every call, and in a compat.v1 graph it runs only when it is on the compute path of what a
Session fetches (fetch it, or hang other ops on it with control_dependencies). A check whose
inputs are all constants fails while the graph is built, as in TF.

>>> import autotrace as tf
>>> tf.debugging.assert_equal([1, 2], [1, 2]) is None
True
>>> tf.debugging.check_numerics(tf.constant([1.0, 2.0]), "weights").numpy()
array([1., 2.], dtype=float32)
"""
import numpy as np

from ..core import dtypes
from ..core.context import state
from ..core.errors import DTypeMismatchError, InvalidArgumentError, InvalidShapeError
from ..core.graph import name_scope
from ..core.tensor import SymbolicTensor, Tensor
from . import array_ops, math_ops
from .constant_op import constant_value, convert_to_tensor
from .group_ops import no_op
from .logging_ops import format_scalar
from .registry import NO_GRADIENT, apply, defop
from .shapes import FLOAT, REAL, check_dtype

__all__ = ["Assert", "assert_equal", "assert_none_equal", "assert_less", "assert_less_equal",
           "assert_greater", "assert_greater_equal", "assert_positive", "assert_negative",
           "assert_non_negative", "assert_non_positive", "assert_near", "assert_rank",
           "assert_rank_at_least", "assert_type", "assert_integer", "assert_scalar",
           "check_numerics", "assert_all_finite", "is_numeric_tensor", "is_nan", "is_inf",
           "is_finite"]

is_nan, is_inf, is_finite = math_ops.is_nan, math_ops.is_inf, math_ops.is_finite


# -- Assert ------------------------------------------------------------------------------------

def summarize_value(value, summarize=3):
    """A tensor value as TF's Assert prints it: the first `summarize` elements (negative: all)
    in nested brackets, "..." where elements were left out: `[[0 1 2][3...]...]`."""
    array = np.asarray(value)
    if array.ndim == 0:
        return format_scalar(array[()])
    limit = array.size if summarize < 0 else min(summarize, array.size)
    parts = []
    _summarize_dims(array, limit, [0], parts, outermost=True)
    if array.size > limit:
        parts.append("...")
    return "".join(parts)


def _summarize_dims(array, limit, count, parts, outermost):
    if array.ndim == 1:
        for i, item in enumerate(array):
            if count[0] >= limit:
                if not outermost:  # the outermost cut is marked once, after everything
                    parts.append("...")
                return
            if i:
                parts.append(" ")
            parts.append(format_scalar(item))
            count[0] += 1
        return
    for sub in array:
        if count[0] >= limit:
            return
        parts.append("[")
        _summarize_dims(sub, limit, count, parts, outermost=False)
        parts.append("]")


def _assert_kernel(condition, *data, summarize):
    if not condition:
        raise InvalidArgumentError("assertion failed: " + " ".join(
            "[%s]" % summarize_value(d, summarize) for d in data))
    return []


def _assert_infer(condition, *data, summarize):
    if not condition.dtype.is_bool:
        raise DTypeMismatchError("Assert: condition must be a bool scalar, got %s; compare "
                                 "first, e.g. autotrace.not_equal(x, 0)"
                                 % condition.dtype.name)
    if condition.shape.rank not in (None, 0):
        raise InvalidShapeError("Assert: condition must be a scalar, got shape %s; reduce it "
                                "first, e.g. autotrace.reduce_all(condition)" % condition.shape)
    return []


ASSERT = defop("Assert", _assert_kernel, _assert_infer, stateful=True, multi_output=True,
               grad=NO_GRADIENT, inputs=("condition", "data"), eager_check=True)


def Assert(condition, data, summarize=None, name=None):
    """Raise InvalidArgumentError "assertion failed: [d0] [d1] ..." if `condition` is False,
    showing the first `summarize` (default 3) elements of each tensor in `data`.

    Eagerly returns None; while building a graph returns the Assert op, which checks only
    when it runs (see the module docstring).

    >>> Assert(True, ["never shown"]) is None
    True
    """
    if not isinstance(data, (list, tuple)):
        raise TypeError("Assert: data must be a list of tensors and values to show, got %s; "
                        "wrap it: [data]" % type(data).__name__)
    tensors = [convert_to_tensor(condition)] + [convert_to_tensor(d) for d in data]
    attrs = {"summarize": 3 if summarize is None else int(summarize)}
    result = apply(ASSERT, tensors, attrs, name or "Assert")
    return None if isinstance(result, list) else result  # eager: None; graph: the op


# -- comparisons: assert_equal, assert_less, ... -----------------------------------------------

def _label(t):
    return t.name if isinstance(t, SymbolicTensor) else None


def _static_test(test, x, y, np_test):
    """The bool NumPy value of the test if it is known now (eager, or constant inputs)."""
    if not isinstance(test, SymbolicTensor):
        return np.asarray(test._value)
    xv = constant_value(x)
    yv = constant_value(y) if y is not None else None
    if xv is None or (y is not None and yv is None):
        return None
    return np.asarray(np_test(xv, yv))


def _failure_text(held, xv, yv, condition, message, summarize, unary):
    """TF's eager message: the indices and values that fail, and the first elements."""
    n = 3 if summarize is None or summarize == 0 else summarize
    failing = np.argwhere(~held)
    failing = failing if n < 0 else failing[:n]
    lines = [message] if message else []
    lines += ["Condition %s did not hold." % condition,
              "Indices of first %d %s values:" % (len(failing),
                                                  "failing" if unary else "different"),
              str(failing)]
    names = (("x", xv),) if unary else (("x", xv), ("y", yv))
    for label, value in names:
        picked = np.broadcast_to(value, held.shape)[tuple(failing.T)]
        lines += ["Corresponding %s values:" % label, str(picked)]
    for label, value in names:
        flat = np.asarray(value).reshape(-1)
        flat = flat if n < 0 else flat[:n]
        lines += ["First %d elements of %s:" % (flat.size, label), str(flat)]
    return "\n".join(lines)


def _compare(test_fn, np_test, x, y, condition, message, summarize, name, unary=False):
    """Check test_fn(x, y) element-wise: raise now if its value is known, else build Assert."""
    with name_scope(name):
        test = test_fn(x, y)
        held = _static_test(test, x, y, np_test)
        if held is not None:
            if not held.all():
                raise InvalidArgumentError(_failure_text(
                    held, constant_value(x), None if unary else constant_value(y), condition,
                    message, summarize, unary))
            if state.graph is None:
                return None
        data = [message] if message else []
        data += ["Condition %s did not hold element-wise:" % condition, _data_label("x", x), x]
        if not unary:
            data += [_data_label("y", y), y]
        return Assert(math_ops.reduce_all(test), data, summarize=summarize)


def _data_label(label, t):
    name = _label(t)
    return "%s (%s) = " % (label, name) if name else "%s = " % label


def _binary_check(op_type, symbol, public_name, example):
    compare = math_ops.BINARY_OPS[op_type]

    def fn(x, y, message=None, summarize=None, name=None):
        x, y = math_ops.binary_operands(op_type, x, y)
        return _compare(lambda a, b: apply(compare, (a, b), None, None), compare.kernel, x, y,
                        "x %s y" % symbol, message, summarize, name or public_name)
    fn.__name__ = fn.__qualname__ = public_name
    fn.__doc__ = """Assert x %s y element-wise (with broadcasting).

    Eagerly raises InvalidArgumentError at once, naming the indices and values that fail;
    while building a graph returns the Assert op (see the module docstring).

    >>> %s(%s) is None
    True
    """ % (symbol, public_name, example)
    return fn


def _sign_check(op_type, symbol, public_name, example):
    compare = math_ops.BINARY_OPS[op_type]

    def fn(x, message=None, summarize=None, name=None):
        x = x if isinstance(x, Tensor) else convert_to_tensor(x)
        check_dtype(public_name, x, REAL)
        zero = math_ops.binary_operands(op_type, x, 0)[1]
        return _compare(lambda a, b: apply(compare, (a, zero), None, None),
                        lambda a, b: compare.kernel(a, np.zeros((), a.dtype)), x, None,
                        "x %s 0" % symbol, message, summarize, name or public_name,
                        unary=True)
    fn.__name__ = fn.__qualname__ = public_name
    fn.__doc__ = """Assert x %s 0 element-wise (see the module docstring).

    >>> %s(%s) is None
    True
    """ % (symbol, public_name, example)
    return fn


# public function = _binary_check / _sign_check(op type, symbol, public name, passing
# example)
assert_equal = _binary_check("Equal", "==", "assert_equal", "[1, 2], [1, 2]")
assert_none_equal = _binary_check("NotEqual", "!=", "assert_none_equal", "[1, 2], [3, 4]")
assert_less = _binary_check("Less", "<", "assert_less", "[1, 2], [2, 3]")
assert_less_equal = _binary_check("LessEqual", "<=", "assert_less_equal", "[1, 2], [1, 3]")
assert_greater = _binary_check("Greater", ">", "assert_greater", "[2, 3], [1, 2]")
assert_greater_equal = _binary_check("GreaterEqual", ">=", "assert_greater_equal",
                                     "[1, 3], [1, 2]")
assert_positive = _sign_check("Greater", ">", "assert_positive", "[1, 2]")
assert_negative = _sign_check("Less", "<", "assert_negative", "[-1, -2]")
assert_non_negative = _sign_check("GreaterEqual", ">=", "assert_non_negative", "[0, 2]")
assert_non_positive = _sign_check("LessEqual", "<=", "assert_non_positive", "[0, -2]")


def assert_near(x, y, rtol=None, atol=None, message=None, summarize=None, name=None):
    """Assert |x - y| <= atol + rtol * |y| element-wise (default tolerances: 10 * the dtype's
    machine epsilon). Floating point inputs only.

    >>> assert_near([1.0, 2.0], [1.0, 2.0000001]) is None
    True
    """
    x, y = math_ops.binary_operands("assert_near", x, y)
    check_dtype("assert_near", x, FLOAT)
    eps = float(np.finfo(x.dtype.np).eps)
    rtol = 10 * eps if rtol is None else rtol
    atol = 10 * eps if atol is None else atol
    tolerance = "x and y not equal to tolerance rtol = %s, atol = %s" % (
        format_scalar(x.dtype.real_dtype.np.type(rtol)),
        format_scalar(x.dtype.real_dtype.np.type(atol)))
    message = "%s\n%s" % (message, tolerance) if message else tolerance

    def test(a, b):
        return math_ops.less_equal(math_ops.abs(a - b), atol + rtol * math_ops.abs(b))

    def np_test(a, b):
        return np.abs(a - b) <= atol + rtol * np.abs(b)
    return _compare(test, np_test, x, y, "x ~= y", message, summarize, name or "assert_near")


# -- static checks: rank, type -----------------------------------------------------------------

def _done():
    """What a check that passed returns: None eagerly, a no-op while building a graph."""
    return None if state.graph is None else no_op()


def _tensor_text(x, message):
    prefix = message + ": " if message else ""
    return "%sTensor %s" % (prefix, _label(x) or "%s%s" % (x.dtype.name, x.shape.short()))


def assert_rank(x, rank, message=None, name=None):
    """Assert x has the given rank: checked now when the rank is known (ValueError), else
    by an Assert op when the graph runs.

    >>> assert_rank([[1, 2]], 2) is None
    True
    """
    return _rank_check(x, rank, message, name, at_least=False)


def assert_rank_at_least(x, rank, message=None, name=None):
    """Assert x has at least the given rank (see assert_rank).

    >>> assert_rank_at_least([[1, 2]], 1) is None
    True
    """
    return _rank_check(x, rank, message, name, at_least=True)


def _rank_check(x, rank, message, name, at_least):
    x = x if isinstance(x, Tensor) else convert_to_tensor(x)
    wanted = constant_value(rank)
    if wanted is None:
        raise InvalidArgumentError("assert_rank: rank must be known while the graph is built")
    wanted = int(wanted)
    words = "at least %d" % wanted if at_least else "%d" % wanted
    actual = x.shape.rank
    if actual is not None:
        if actual < wanted if at_least else actual != wanted:
            raise InvalidShapeError("%s must have rank %s. Received rank %d, shape %s"
                                    % (_tensor_text(x, message), words, actual, x.shape))
        return _done()
    with name_scope(name or ("assert_rank_at_least" if at_least else "assert_rank")):
        compare = math_ops.greater_equal if at_least else math_ops.equal
        held = compare(array_ops.rank(x), wanted)
        return Assert(held, ["%s must have rank %s. Received shape:" % (
            _tensor_text(x, message), words), array_ops.shape(x)])


def assert_scalar(tensor, message=None, name=None):
    """Assert `tensor` is a scalar (rank 0); returns the tensor.

    >>> assert_scalar(3).numpy()
    np.int32(3)
    """
    tensor = tensor if isinstance(tensor, Tensor) else convert_to_tensor(tensor)
    if tensor.shape.rank is None:
        raise InvalidShapeError("assert_scalar: %s has unknown rank"
                                % _tensor_text(tensor, message))
    if tensor.shape.rank != 0:
        raise InvalidShapeError("%s must be a scalar, got shape %s"
                                % (_tensor_text(tensor, message), tensor.shape))
    return tensor


def assert_type(tensor, tf_type, message=None, name=None):
    """Raise TypeError unless `tensor` has dtype `tf_type` (a static check).

    >>> assert_type([1.0], "float32") is None
    True
    """
    tensor = tensor if isinstance(tensor, Tensor) else convert_to_tensor(tensor)
    wanted = dtypes.as_dtype(tf_type)
    if tensor.dtype is not wanted:
        raise TypeError("%s%s must be of type %r; got %r" % (
            message + ": " if message else "", _tensor_text(tensor, None), wanted,
            tensor.dtype))
    return _done()


def assert_integer(x, message=None, name=None):
    """Raise TypeError unless `x` has an integer dtype (a static check).

    >>> assert_integer([1, 2]) is None
    True
    """
    x = x if isinstance(x, Tensor) else convert_to_tensor(x)
    if not x.dtype.is_integer:
        raise TypeError("%sExpected %s to be of integer type, found dtype %s" % (
            message + ": " if message else "", _tensor_text(x, None), x.dtype.name))
    return _done()


def is_numeric_tensor(tensor):
    """True for tensors of a numeric dtype (not bool or string).

    >>> is_numeric_tensor(convert_to_tensor([1.0]))
    True
    """
    return isinstance(tensor, Tensor) and tensor.dtype.is_numeric


# -- check_numerics ----------------------------------------------------------------------------

def _check_numerics(tensor, message):
    nan, inf = np.isnan(tensor), np.isinf(tensor)
    has_nan, has_inf = nan.any(), inf.any()
    if has_nan or has_inf:
        kind = "Inf and NaN" if has_nan and has_inf else ("NaN" if has_nan else "Inf")
        bad = nan | inf
        first = [int(i) for i in np.argwhere(bad)[0]] if np.ndim(tensor) else []
        raise InvalidArgumentError(
            "%s : Tensor had %s values (%d of %d elements; the first at index %s)"
            % (message, kind, int(bad.sum()), int(np.size(tensor)), first))
    return tensor


def _check_numerics_grad(op, grad):
    """The gradient passes through, checked too (as TF): a NaN or Inf gradient is an error
    naming the same message."""
    message = ("Not a number (NaN) or infinity (Inf) values detected in gradient. %s"
               % op.attrs["message"])
    return [apply(CHECK_NUMERICS, (grad,), {"message": message})]


CHECK_NUMERICS = defop("CheckNumerics", _check_numerics,
                       lambda tensor, message: (check_dtype("CheckNumerics", tensor, "f",
                                                            "tensor"), tensor.shape),
                       grad=_check_numerics_grad, stateful=True, inputs=("tensor",),
                       accepts="f")


def check_numerics(tensor, message, name=None):
    """Return `tensor`, raising InvalidArgumentError "<message> : Tensor had NaN values" (or
    Inf) when it holds NaN or infinite values.

    >>> check_numerics([1.0], "loss").numpy()
    array([1.], dtype=float32)
    """
    tensor = tensor if isinstance(tensor, Tensor) else convert_to_tensor(tensor)
    return apply(CHECK_NUMERICS, (tensor,), {"message": message}, name)


def assert_all_finite(x, message, name=None):
    """check_numerics under TF-2's name: returns x, raising if it holds NaN or Inf.

    >>> assert_all_finite([1.0], "ok").numpy()
    array([1.], dtype=float32)
    """
    return check_numerics(x, message, name)
