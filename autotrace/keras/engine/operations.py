"""Operations: functions applied to KerasTensors in a functional model.

`keras.ops.*` functions and Python operators on KerasTensors (`x + 1`, `x[:, 0]`, `-x`)
record an Operation node, as layers do, so a model built from them runs the function at
call time:

>>> from autotrace import keras
>>> x = keras.Input((3,))
>>> y = (x + 1.0) * 2.0
>>> keras.Model(x, y)(np.ones((1, 3), np.float32)).numpy()
array([[4., 4., 4.]], dtype=float32)
"""
import functools

from ...ops import operators
from .. import backend
from .keras_tensor import _SYMBOLIC_OP_FACTORY, KerasTensor, any_symbolic_tensors
from .layer import Layer

__all__ = ["Operation", "symbolic_function", "symbolic_op"]


class Operation(Layer):
    """A function of tensors as a node of a functional model (no weights)."""

    _is_operation = True

    def __init__(self, fn=None, name=None, **kwargs):
        super().__init__(name=name or backend.unique_object_name(type(self).__name__),
                         autocast=False, **kwargs)
        self._fn = fn
        self.built = True

    def call(self, *args, **kwargs):
        return self._fn(*args, **kwargs)

    def get_config(self):
        return {"name": self.name, "function": getattr(self._fn, "__name__", repr(self._fn))}


_CLASSES = {}


def _operation_class(class_name):
    cls = _CLASSES.get(class_name)
    if cls is None:
        cls = _CLASSES[class_name] = type(class_name, (Operation,), {"__module__": __name__})
    return cls


def symbolic_op(fn, class_name):
    """A callable recording an Operation `class_name` that applies fn (KerasTensors in)."""
    def record(*args, **kwargs):
        return _operation_class(class_name)(fn)(*args, **kwargs)
    return record


def symbolic_function(class_name):
    """Decorator for keras.ops functions: with KerasTensor arguments, record an Operation;
    otherwise compute at once."""
    def decorate(fn):
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            if any_symbolic_tensors(args, kwargs):
                return symbolic_op(fn, class_name)(*args, **kwargs)
            return fn(*args, **kwargs)
        return wrapper
    return decorate


# Keras's operation class for each Python operator of the table (others: capitalized name).
_KERAS_NAMES = {"sub": "Subtract", "mul": "Multiply", "truediv": "TrueDivide",
                "floordiv": "FloorDivide", "pow": "Power", "neg": "Negative",
                "abs": "Absolute", "lt": "Less", "le": "LessEqual", "gt": "Greater",
                "ge": "GreaterEqual", "and": "LogicalAnd", "or": "LogicalOr",
                "xor": "LogicalXor", "invert": "LogicalNot"}


def _camel(name):
    return _KERAS_NAMES.get(name) or "".join(part.capitalize() for part in name.split("_"))


def _install_operators():
    """Python operators of KerasTensor, from autotrace's one table of operators (`==` and
    `!=` stay identity comparisons, so KerasTensors can be looked up in lists)."""
    for op, fn, _, _, _ in operators.BINARY_OPERATORS:
        record = symbolic_op(fn, _camel(op))
        setattr(KerasTensor, "__%s__" % op, _forward(record))
        setattr(KerasTensor, "__r%s__" % op, _reflected(record))
    for op, fn, _, _, _ in operators.COMPARISON_OPERATORS:
        setattr(KerasTensor, "__%s__" % op, _forward(symbolic_op(fn, _camel(op))))
    for op, fn, _, _ in operators.UNARY_OPERATORS:
        setattr(KerasTensor, "__%s__" % op, _unary(symbolic_op(fn, _camel(op))))
    KerasTensor.__getitem__ = _forward(symbolic_op(_getitem, "GetItem"))


def _getitem(x, key):
    return x[key]


def _forward(record):
    return lambda self, other: record(self, other)


def _reflected(record):
    return lambda self, other: record(other, self)


def _unary(record):
    return lambda self: record(self)


_install_operators()
_SYMBOLIC_OP_FACTORY[0] = symbolic_op
