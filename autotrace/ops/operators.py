"""The one table of Python operators: installed on Tensor and Variable, read by the code
generator so that `x + y` is printed as `x + y`.

Each row: Python operator name (`add` -> `__add__` and `__radd__`), the function that
implements it, the default op name (TensorFlow's), and the Python symbol.
"""
import warnings

from ..core import context as _context
from ..core.context import process, state
from ..core.errors import InvalidShapeError
from ..core.tensor import EagerTensor, Tensor
from . import array_ops, math_ops
from .constant_op import convert_to_tensor
from .registry import REGISTRY

__all__ = ["BINARY_OPERATORS", "UNARY_OPERATORS", "install"]


def _logical_or_bitwise(logical, bitwise):
    def fn(x, y, name=None):
        x, y = math_ops.binary_operands(logical.__name__, x, y)
        return (logical if x.dtype.is_bool else bitwise)(x, y, name=name)
    return fn


def _invert(x, name=None):
    x = convert_to_tensor(x)
    if x.dtype.is_bool:
        return math_ops.logical_not(x, name=name)
    return math_ops.invert(x, name=name)


def _logical_xor_or_bitwise(x, y, name=None):
    x, y = math_ops.binary_operands("xor", x, y)
    if x.dtype.is_bool:
        return math_ops.logical_xor(x, y, name=name)
    return math_ops.bitwise_xor(x, y, name=name)


# operator, function, op name, symbol, op type the eager fast path may run directly
BINARY_OPERATORS = [
    ("add", math_ops.add, "add", "+", "AddV2"),
    ("sub", math_ops.subtract, "sub", "-", "Sub"),
    ("mul", math_ops.multiply, "mul", "*", "Mul"),
    ("truediv", math_ops.truediv, "truediv", "/", "RealDiv"),
    ("floordiv", math_ops.floordiv, "floordiv", "//", None),
    ("mod", math_ops.floormod, "mod", "%", None),
    ("pow", math_ops.pow, "pow", "**", "Pow"),
    ("matmul", math_ops.matmul, "matmul", "@", None),
    ("and", _logical_or_bitwise(math_ops.logical_and, math_ops.bitwise_and), "and", "&", None),
    ("or", _logical_or_bitwise(math_ops.logical_or, math_ops.bitwise_or), "or", "|", None),
    ("xor", _logical_xor_or_bitwise, "xor", "^", None),
]

# Comparisons have no reflected form: Python swaps `<` and `>` itself.
COMPARISON_OPERATORS = [
    ("lt", math_ops.less, "Less", "<", "Less"),
    ("le", math_ops.less_equal, "LessEqual", "<=", "LessEqual"),
    ("gt", math_ops.greater, "Greater", ">", "Greater"),
    ("ge", math_ops.greater_equal, "GreaterEqual", ">=", "GreaterEqual"),
]

UNARY_OPERATORS = [
    ("neg", math_ops.negative, "Neg", "-"),
    ("abs", math_ops.abs, "Abs", "abs"),
    ("invert", _invert, "Invert", "~"),
]


def _eager_operand(value, other):
    """The NumPy value of `other` for the fast path, or None if the general path must run."""
    kind = value.dtype.kind
    t = type(other)
    if t is EagerTensor:
        other_value = other._value
        if other_value.dtype is value.dtype or other_value.dtype == value.dtype:
            return other_value
        return None
    if (t is float and kind in "fc") or (t is int and kind in "fiuc"):
        try:
            return value.dtype.type(other)
        except OverflowError:
            return None
    return None


def _fast_binary(op_type, fn, name, reflected):
    """An operator method. In the plain eager case (tensor with a same-dtype tensor or a
    Python number, no tape recording) it runs the op's kernel directly; anything else, and any
    failure, takes the general path through `fn`, which converts, checks and explains."""
    opdef = REGISTRY[op_type]
    kernel, accepts = opdef.kernel, opdef.accepts

    def method(self, other):
        if type(self) is EagerTensor and (process.all_eager or (
                state.graph is None and not state.tapes)):
            if warnings.filters is not _context.filters_checked:
                _context.ignore_numpy_float_warnings()
            value = self._value
            other_value = _eager_operand(value, other)
            if other_value is not None and value.dtype.kind in accepts:
                try:
                    if reflected:
                        return EagerTensor(kernel(other_value, value))
                    return EagerTensor(kernel(value, other_value))
                except Exception:
                    pass
        return fn(other, self, name=name) if reflected else fn(self, other, name=name)
    return method


def _forward(fn, name):
    def method(self, other):
        return fn(self, other, name=name)
    return method


def _reflected(fn, name):
    def method(self, other):
        return fn(other, self, name=name)
    return method


def _unary(fn, name):
    def method(self):
        return fn(self, name=name)
    return method


def _equality(fn, name, if_none):
    def method(self, other):
        if other is None:
            return if_none  # TF: `tensor == None` is False, not an error
        try:
            return fn(self, other, name=name)
        except InvalidShapeError:
            # TF 2's `==` / `!=` compare whole tensors when the shapes cannot be broadcast:
            # `tf.constant([1, 2]) == tf.constant([1, 2, 3])` is False, not an error.
            return convert_to_tensor(if_none)
    return method


def _pos(self):
    return self


def _getitem(self, key):
    return array_ops.strided_slice_from_key(self, key)


def _tensor_methods():
    methods = {}
    for op, fn, name, _, fast in BINARY_OPERATORS:
        if fast:
            methods["__%s__" % op] = _fast_binary(fast, fn, name, reflected=False)
            methods["__r%s__" % op] = _fast_binary(fast, fn, name, reflected=True)
        else:
            methods["__%s__" % op] = _forward(fn, name)
            methods["__r%s__" % op] = _reflected(fn, name)
    for op, fn, name, _, fast in COMPARISON_OPERATORS:
        methods["__%s__" % op] = _fast_binary(fast, fn, name, reflected=False)
    for op, fn, name, _ in UNARY_OPERATORS:
        methods["__%s__" % op] = _unary(fn, name)
    methods["__eq__"] = _equality(math_ops.equal, "Equal", False)
    methods["__ne__"] = _equality(math_ops.not_equal, "NotEqual", True)
    methods["__pos__"] = _pos
    methods["__getitem__"] = _getitem
    return methods


def _via_read(method):
    def read_then(self, *args):
        return method(self._as_tensor(), *args)
    read_then.__name__ = method.__name__
    return read_then


def _iterate_eager(self):
    """`for row in x`: an eager tensor iterates over its unstacked rows (an Unpack op, so a
    tape sees it)."""
    if self._value.ndim == 0:
        raise TypeError("Cannot iterate over a scalar tensor.")
    return iter(array_ops.unstack(self))


def install(tensor_cls=Tensor, variable_cls=None):
    """Put the operator overloads on Tensor (and, reading first, on Variable), and iteration
    on EagerTensor: the core's tensor classes need ops for these."""
    EagerTensor.__iter__ = _iterate_eager
    methods = _tensor_methods()
    for name, method in methods.items():
        method.__name__ = name
        setattr(tensor_cls, name, method)
        if variable_cls is not None:
            setattr(variable_cls, name, _via_read(method))
    if variable_cls is not None:  # a variable's slice can be assigned: v[0, 1].assign(5.0)
        from .variables import variable_slice
        variable_cls.__getitem__ = variable_slice
