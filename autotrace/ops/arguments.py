"""The checks of op arguments that are not data: axes, shapes, counts, dtypes.

Every op converts such an argument with one of the functions below, so every op accepts the
same forms and refuses the same mistakes with the same errors, executing eagerly and while
building a graph alike:

  kind              accepts                                       refuses with
  integer / count   a Python int (bool counts, as in TF), a NumPy  ArgumentTypeError: a float
                    integer, an integer scalar tensor              (never truncated), a str,
  integers          a list/tuple/array of those, an integer        None, a list mixing types,
                    vector tensor (a TensorShape for shapes)       a float/str/bool tensor
  axis / axes       as integer(s), in range of the tensor's rank  ArgumentValueError: out of
                                                                  range, repeated, negative
  dtype             a DType, NumPy dtype or type, or a name       ArgumentTypeError

A tensor argument whose value is only known when the graph runs is accepted where the op can
take it at run time (the functions return None for it); ops that need the value while
building say so.

>>> from autotrace.ops import arguments
>>> arguments.axis("Sum", "axis", -1, rank=2)
1
>>> arguments.integer("OneHot", "depth", 2.5)
Traceback (most recent call last):
...
autotrace.errors.ArgumentTypeError: OneHot: depth must be an int, got 2.5 (a Python float)
"""
import numbers

import numpy as np

from ..core import dtypes
from ..core.errors import ArgumentTypeError, ArgumentValueError
from ..core.tensor import Tensor
from ..core.tensor_shape import TensorShape
from .constant_op import constant_value

__all__ = ["integer", "count", "integers", "axis", "axes", "dtype", "describe"]


def describe(value):
    """How a wrong value is shown in messages: `2.5 (a Python float)`, `a float32 tensor`."""
    if isinstance(value, Tensor):
        return "a %s tensor of shape %s" % (value.dtype.name, value.shape)
    if value is None:
        return "None"
    kind = type(value)
    origin = "Python " if kind.__module__ == "builtins" else "NumPy " if \
        kind.__module__ == "numpy" else ""
    return "%r (a %s%s)" % (value, origin, kind.__name__)


def _type_error(op, arg, value, wanted):
    return ArgumentTypeError("%s: %s must be %s, got %s" % (op, arg, wanted, describe(value)))


def _integer_or_unknown(op, arg, value, wanted="an int"):
    """A scalar argument as a Python int; None for a tensor only known at run time."""
    if type(value) is int:
        return value
    if isinstance(value, (numbers.Integral, np.integer, np.bool_)):
        return int(value)
    if isinstance(value, Tensor):
        if not value.dtype.is_integer:
            raise _type_error(op, arg, value, "an integer scalar")
        if value.shape.rank not in (0, None):
            raise ArgumentValueError("%s: %s must be a scalar, got %s"
                                     % (op, arg, describe(value)))
        known = constant_value(value)
        if known is None:
            return None
        return int(np.asarray(known).reshape(()))
    if isinstance(value, np.ndarray) and value.ndim == 0 and value.dtype.kind in "iub":
        return int(value)
    raise _type_error(op, arg, value, wanted)


def integer(op, arg, value, minimum=None, known=True):
    """A Python int. With `known=False`, None for a tensor whose value is only known at run
    time (the op checks it then); otherwise such a tensor is an error."""
    result = _integer_or_unknown(op, arg, value)
    if result is None:
        if known:
            raise ArgumentValueError(
                "%s: %s must be known while the graph is built (a Python int or a constant), "
                "got %s" % (op, arg, describe(value)))
        return None
    if minimum is not None and result < minimum:
        raise ArgumentValueError("%s: %s must be at least %d, got %d"
                                 % (op, arg, minimum, result))
    return result


def count(op, arg, value, known=True):
    """A number of things (num, k, depth, num_samples): an int >= 0."""
    return integer(op, arg, value, minimum=0, known=known)


def integers(op, arg, value, minimum=None, ndim=1):
    """A list of ints (a shape, a permutation, multiples, paddings: `ndim=2` for a list of
    lists); None for a tensor whose value is only known at run time."""
    if isinstance(value, TensorShape):
        if not value.is_fully_defined():
            raise ArgumentValueError("%s: %s must be fully defined, got %s"
                                     % (op, arg, value))
        value = value.as_list()
    if isinstance(value, Tensor):
        if not value.dtype.is_integer:
            raise _type_error(op, arg, value, "an integer tensor (a list of ints)")
        known = constant_value(value)
        if known is None:
            return None
        value = np.asarray(known)
    elif isinstance(value, np.ndarray):
        if value.dtype.kind not in "iu" and value.size:
            raise _type_error(op, arg, value, "a list of ints")
    elif not isinstance(value, (list, tuple)):
        if ndim == 1 and isinstance(value, (numbers.Integral, np.integer)):
            raise _type_error(op, arg, value, "a list of ints (e.g. [%d])" % value)
        raise _type_error(op, arg, value, "a list of ints")
    result = _nested_ints(op, arg, value, ndim)
    if result is not None and minimum is not None:
        for v in (result if ndim == 1 else [x for row in result for x in row]):
            if v < minimum:
                raise ArgumentValueError("%s: %s must hold ints >= %d, got %s"
                                         % (op, arg, minimum, _show(value)))
    return result


def _nested_ints(op, arg, value, ndim):
    """`value` (list levels or array dimensions: `ndim`) as lists of ints, None if an element
    is a tensor only known at run time."""
    if isinstance(value, Tensor):
        known = constant_value(value)
        if known is None:
            return None
        value = np.asarray(known)
    if ndim == 1:
        items = [_element(op, arg, v, value) for v in value]
        return None if any(v is None for v in items) else items
    if not isinstance(value, (list, tuple, np.ndarray)) or not all(
            isinstance(row, (list, tuple, np.ndarray, Tensor)) for row in value):
        raise ArgumentValueError("%s: %s must be a list of %sints, got %s"
                                 % (op, arg, "lists of " * (ndim - 1), _show(value)))
    rows = [_nested_ints(op, arg, row, ndim - 1) for row in value]
    return None if any(r is None for r in rows) else rows


def _element(op, arg, v, whole):
    nested = v.shape.rank not in (0, None) if isinstance(v, Tensor) else \
        isinstance(v, (list, tuple)) or np.ndim(v) > 0
    if nested:
        raise ArgumentValueError("%s: %s must be a flat list of ints, got %s"
                                 % (op, arg, _show(whole)))
    try:
        if isinstance(v, (bool, np.bool_)):  # a list of bools is a bool tensor, as in TF
            raise ArgumentTypeError(v)
        return _integer_or_unknown(op, arg, v)
    except ArgumentTypeError:
        raise ArgumentTypeError("%s: %s must be a list of ints, got %s, which holds %s"
                                % (op, arg, _show(whole), describe(v))) from None


def _show(value):
    return describe(value) if isinstance(value, Tensor) else repr(value)


def axis(op, arg, value, rank, new=False, known=True, of=None):
    """An axis of a tensor of rank `rank`, as a non-negative int; negative axes count from
    the end. `new=True`: the position of a dimension the op inserts (valid: -rank-1 to
    rank). Returned as given when the rank is unknown."""
    index = integer(op, arg, value, known=known)
    if index is None or rank is None:
        return index
    if new:
        low, high = -rank - 1, rank
    else:  # a scalar still has the axes 0 and -1 for ops that treat it as a vector
        low, high = -max(rank, 1), max(rank, 1) - 1
    if not low <= index <= high:
        raise ArgumentValueError("%s: %s %d is out of range for %s of rank %d (valid: %d to "
                                 "%d)" % (op, arg, index, of or "a tensor", rank, low, high))
    size = rank + 1 if new else max(rank, 1)
    return index % size


def axes(op, arg, value, rank):
    """None (every axis), an axis, or a list of distinct axes, as a tuple of non-negative
    ints (None stays None)."""
    if value is None:
        return None
    if isinstance(value, (list, tuple)) or (isinstance(value, (np.ndarray, Tensor))
                                           and np.ndim(_known(value)) == 1):
        values = list(_known(value)) if not isinstance(value, (list, tuple)) else value
        if isinstance(value, Tensor) and not value.dtype.is_integer:
            raise _type_error(op, arg, value, "an int or a list of ints")
        result = tuple(axis(op, arg, v, rank) for v in values)
    else:
        result = (axis(op, arg, value, rank),)
    if len(set(result)) != len(result):
        raise ArgumentValueError("%s: %s %s names a dimension twice" % (op, arg, _show(value)))
    return result


def _known(value):
    if isinstance(value, Tensor):
        known = constant_value(value)
        if known is None:
            return value  # rank 0 or 1 as the tensor's; checked as scalars below
        return np.asarray(known)
    return value


def dtype(op, arg, value, kinds=None, what=None):
    """A DType from anything `tf.as_dtype` takes; `kinds` (dtype kind letters, e.g. "fc")
    limits which are allowed, `what` describes them ("a floating-point dtype")."""
    try:
        result = dtypes.as_dtype(value)
    except TypeError:
        raise _type_error(op, arg, value, "a dtype") from None
    if kinds is not None and result._kind not in kinds:
        raise ArgumentTypeError("%s: %s must be %s, got %s"
                                % (op, arg, what or "one of the kinds %r" % kinds,
                                   result.name))
    return result
