"""`keras.ops`: Keras 3's backend-neutral operations (NumPy-style names) for the common
cases, on autotrace ops. Called on KerasTensors they record an operation of the
functional model; on tensors they compute at once (or build graph ops inside a trace).

>>> from autotrace import keras
>>> keras.ops.sum(keras.ops.ones((2, 3)), axis=1).numpy()
array([3., 3.], dtype=float32)
"""
import builtins

from ..core import dtypes
from ..ops import array_ops, math_ops, nn_ops
from ..ops.constant_op import convert_to_tensor as _convert
from ..control_flow import cond as _cond
from ..ops.gather_ops import gather
from ..ops.manip_ops import concat, split as _split, stack as _stack
from ..ops.nn_loss_ops import l2_normalize, moments as _moments
from ..ops.sort_ops import argsort as _argsort, cumsum as _cumsum, sort as _sort, \
    top_k as _top_k
from . import activations, backend
from .engine.operations import symbolic_function
from .losses import as_tensor

__all__ = [
    "convert_to_tensor", "cast", "shape", "ndim", "size", "add", "subtract", "multiply",
    "divide", "true_divide", "floor_divide", "power", "negative", "abs", "absolute", "exp",
    "log", "log1p", "sqrt", "square", "sign", "sin", "cos", "tanh", "sigmoid", "relu", "gelu",
    "softmax", "log_softmax", "softplus", "silu", "matmul", "dot", "einsum", "tensordot",
    "sum", "mean", "max", "min", "prod", "std", "var", "argmax", "argmin", "maximum",
    "minimum", "clip", "where", "equal", "not_equal", "greater", "greater_equal", "less",
    "less_equal", "logical_and", "logical_or", "logical_not", "reshape", "transpose",
    "expand_dims", "squeeze", "concatenate", "stack", "split", "tile", "broadcast_to",
    "take", "one_hot", "zeros", "ones", "zeros_like", "ones_like", "full", "arange", "eye",
    "stop_gradient", "cond", "moments", "normalize", "any", "all", "round", "floor", "ceil",
    "cumsum", "sort", "argsort", "flip", "top_k", "dtype", "erf",
]


def convert_to_tensor(x, dtype=None, sparse=None):
    """`x` as a tensor (cast to `dtype` if given)."""
    return as_tensor(x, dtype)


@symbolic_function("Cast")
def cast(x, dtype):
    return math_ops.cast(as_tensor(x), backend.standardize_dtype(dtype))


def shape(x):
    """The static shape as a tuple (None for unknown sizes)."""
    s = x.shape
    return tuple(s.as_list()) if hasattr(s, "as_list") else tuple(s)


def ndim(x):
    return len(shape(x))


@symbolic_function("Size")
def size(x):
    return array_ops.size(as_tensor(x))


def dtype(x):
    return backend.standardize_dtype(x.dtype)


def _elementwise(class_name, fn):
    op = symbolic_function(class_name)(fn)
    op.__name__ = fn.__name__
    return op


add = _elementwise("Add", math_ops.add)
subtract = _elementwise("Subtract", math_ops.subtract)
multiply = _elementwise("Multiply", math_ops.multiply)
divide = true_divide = _elementwise("Divide", math_ops.truediv)
floor_divide = _elementwise("FloorDivide", math_ops.floordiv)
power = _elementwise("Power", math_ops.pow)
negative = _elementwise("Negative", math_ops.negative)
abs = absolute = _elementwise("Absolute", math_ops.abs)  # noqa: A001  (Keras's name)
exp = _elementwise("Exp", math_ops.exp)
log = _elementwise("Log", math_ops.log)
log1p = _elementwise("Log1p", math_ops.log1p)
sqrt = _elementwise("Sqrt", math_ops.sqrt)
square = _elementwise("Square", math_ops.square)
sign = _elementwise("Sign", math_ops.sign)
sin = _elementwise("Sin", math_ops.sin)
cos = _elementwise("Cos", math_ops.cos)
tanh = _elementwise("Tanh", math_ops.tanh)
sigmoid = _elementwise("Sigmoid", math_ops.sigmoid)
relu = _elementwise("Relu", nn_ops.relu)
gelu = _elementwise("Gelu", activations.gelu)
softplus = _elementwise("Softplus", nn_ops.softplus)
silu = _elementwise("Silu", nn_ops.silu)
maximum = _elementwise("Maximum", math_ops.maximum)
minimum = _elementwise("Minimum", math_ops.minimum)
equal = _elementwise("Equal", math_ops.equal)
not_equal = _elementwise("NotEqual", math_ops.not_equal)
greater = _elementwise("Greater", math_ops.greater)
greater_equal = _elementwise("GreaterEqual", math_ops.greater_equal)
less = _elementwise("Less", math_ops.less)
less_equal = _elementwise("LessEqual", math_ops.less_equal)
logical_and = _elementwise("LogicalAnd", math_ops.logical_and)
logical_or = _elementwise("LogicalOr", math_ops.logical_or)
logical_not = _elementwise("LogicalNot", math_ops.logical_not)
round = _elementwise("Round", math_ops.round)  # noqa: A001
floor = _elementwise("Floor", math_ops.floor)
ceil = _elementwise("Ceil", math_ops.ceil)
stop_gradient = _elementwise("StopGradient", array_ops.stop_gradient)
erf = _elementwise("Erf", math_ops.erf)


@symbolic_function("Softmax")
def softmax(x, axis=-1):
    return nn_ops.softmax(as_tensor(x), axis=axis)


@symbolic_function("LogSoftmax")
def log_softmax(x, axis=-1):
    return nn_ops.log_softmax(as_tensor(x), axis=axis)


@symbolic_function("Matmul")
def matmul(x1, x2):
    x1, x2 = as_tensor(x1), as_tensor(x2)
    if x1.shape.rank == 1 or x2.shape.rank == 1:
        return math_ops.tensordot(x1, x2, [[x1.shape.rank - 1], [0 if x2.shape.rank == 1
                                                                 else x2.shape.rank - 2]])
    return math_ops.matmul(x1, x2)


dot = matmul


@symbolic_function("Einsum")
def einsum(subscripts, *operands):
    return math_ops.einsum(subscripts, *[as_tensor(x) for x in operands])


@symbolic_function("Tensordot")
def tensordot(x1, x2, axes=2):
    return math_ops.tensordot(as_tensor(x1), as_tensor(x2), axes)


def _reduction(class_name, reduce):
    @symbolic_function(class_name)
    def op(x, axis=None, keepdims=False):
        return reduce(as_tensor(x), axis=axis, keepdims=keepdims)
    op.__name__ = class_name.lower()
    return op


sum = _reduction("Sum", math_ops.reduce_sum)  # noqa: A001
mean = _reduction("Mean", math_ops.reduce_mean)
max = _reduction("Max", math_ops.reduce_max)  # noqa: A001
min = _reduction("Min", math_ops.reduce_min)  # noqa: A001
prod = _reduction("Prod", math_ops.reduce_prod)
std = _reduction("Std", math_ops.reduce_std)
var = _reduction("Var", math_ops.reduce_variance)
any = _reduction("Any", math_ops.reduce_any)  # noqa: A001
all = _reduction("All", math_ops.reduce_all)  # noqa: A001


@symbolic_function("Argmax")
def argmax(x, axis=None, keepdims=False):
    x = as_tensor(x)
    if axis is None:
        x, axis = array_ops.reshape(x, [-1]), 0
    result = math_ops.argmax(x, axis=axis, output_type=dtypes.int32)
    return array_ops.expand_dims(result, axis) if keepdims else result


@symbolic_function("Argmin")
def argmin(x, axis=None, keepdims=False):
    x = as_tensor(x)
    if axis is None:
        x, axis = array_ops.reshape(x, [-1]), 0
    result = math_ops.argmin(x, axis=axis, output_type=dtypes.int32)
    return array_ops.expand_dims(result, axis) if keepdims else result


@symbolic_function("Clip")
def clip(x, x_min, x_max):
    return math_ops.clip_by_value(as_tensor(x), x_min, x_max)


@symbolic_function("Where")
def where(condition, x1=None, x2=None):
    return array_ops.where(as_tensor(condition), x1, x2)


@symbolic_function("Reshape")
def reshape(x, newshape):
    return array_ops.reshape(as_tensor(x), newshape)


@symbolic_function("Transpose")
def transpose(x, axes=None):
    return array_ops.transpose(as_tensor(x), axes)


@symbolic_function("ExpandDims")
def expand_dims(x, axis):
    return array_ops.expand_dims(as_tensor(x), axis)


@symbolic_function("Squeeze")
def squeeze(x, axis=None):
    return array_ops.squeeze(as_tensor(x), axis)


@symbolic_function("Concatenate")
def concatenate(xs, axis=0):
    return concat([as_tensor(x) for x in xs], axis=axis)


@symbolic_function("Stack")
def stack(x, axis=0):
    return _stack([as_tensor(t) for t in x], axis=axis)


@symbolic_function("Split")
def split(x, indices_or_sections, axis=0):
    x = as_tensor(x)
    if isinstance(indices_or_sections, int):
        return _split(x, indices_or_sections, axis=axis)
    bounds = [0] + list(indices_or_sections) + [x.shape[axis]]
    return _split(x, [b - a for a, b in zip(bounds, bounds[1:])], axis=axis)


@symbolic_function("Tile")
def tile(x, repeats):
    return array_ops.tile(as_tensor(x), repeats)


@symbolic_function("BroadcastTo")
def broadcast_to(x, shape):
    return array_ops.broadcast_to(as_tensor(x), shape)


@symbolic_function("Take")
def take(x, indices, axis=None):
    x = as_tensor(x)
    if axis is None:
        x, axis = array_ops.reshape(x, [-1]), 0
    return gather(x, as_tensor(indices), axis=axis)


@symbolic_function("OneHot")
def one_hot(x, num_classes, axis=-1, dtype=None):
    return array_ops.one_hot(math_ops.cast(as_tensor(x), "int32"), num_classes, axis=axis,
                             dtype=backend.standardize_dtype(dtype))


def zeros(shape, dtype=None):
    return array_ops.zeros(shape, backend.standardize_dtype(dtype))


def ones(shape, dtype=None):
    return array_ops.ones(shape, backend.standardize_dtype(dtype))


def full(shape, fill_value, dtype=None):
    return array_ops.fill(shape, _convert(fill_value, backend.standardize_dtype(dtype)))


@symbolic_function("ZerosLike")
def zeros_like(x, dtype=None):
    return array_ops.zeros_like(as_tensor(x), dtype=dtype)


@symbolic_function("OnesLike")
def ones_like(x, dtype=None):
    return array_ops.ones_like(as_tensor(x), dtype=dtype)


def arange(start, stop=None, step=1, dtype=None):
    if dtype is None:
        values = [v for v in (start, stop, step) if v is not None]
        dtype = "float32" if builtins.any(isinstance(v, float) for v in values) else "int32"
    return array_ops.range(start, stop, step, dtype=backend.standardize_dtype(dtype))


def eye(N, M=None, k=0, dtype=None):  # noqa: N803  (Keras's argument names)
    if k:
        raise NotImplementedError("keras.ops.eye: k != 0 is not implemented")
    return array_ops.eye(N, M, dtype=backend.standardize_dtype(dtype))


@symbolic_function("Cumsum")
def cumsum(x, axis=None, dtype=None):
    x = as_tensor(x, dtype)
    if axis is None:
        x, axis = array_ops.reshape(x, [-1]), 0
    return _cumsum(x, axis=axis)


@symbolic_function("Sort")
def sort(x, axis=-1):
    return _sort(as_tensor(x), axis=axis)


@symbolic_function("Argsort")
def argsort(x, axis=-1):
    return _argsort(as_tensor(x), axis=axis, stable=True)


@symbolic_function("Flip")
def flip(x, axis=None):
    x = as_tensor(x)
    axes = list(range(x.shape.rank)) if axis is None else \
        ([axis] if isinstance(axis, int) else list(axis))
    return array_ops.reverse(x, axes)


@symbolic_function("TopK")
def top_k(x, k, sorted=True):  # noqa: A002
    return _top_k(as_tensor(x), k, sorted=sorted)


@symbolic_function("Moments")
def moments(x, axes, keepdims=False):
    return _moments(as_tensor(x), axes, keepdims=keepdims)


@symbolic_function("Normalize")
def normalize(x, axis=-1, order=2, epsilon=None):
    if order != 2:
        raise NotImplementedError("keras.ops.normalize: only order=2 is implemented")
    return l2_normalize(as_tensor(x), axis=axis, epsilon=epsilon or backend.epsilon())


def cond(pred, true_fn, false_fn):
    """true_fn() if pred else false_fn() (a graph cond for a tensor predicate)."""
    return _cond(pred, true_fn, false_fn)
