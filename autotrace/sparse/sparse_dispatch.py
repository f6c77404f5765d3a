"""Public ops on SparseTensors through the dispatch table: elementwise ops that keep zeros
at zero (`tf.math.abs`, `tf.math.negative`, `tf.math.sqrt`, `tf.cast`, ...) map the values;
`tf.math.multiply`/`divide` with a dense operand give sparse results, as TF; `tf.sparse`
ops for `tf.add`, `tf.reduce_sum`, `tf.reduce_max`, `tf.concat`; `tf.shape`/`tf.size`/
`tf.rank` read the dense shape."""
from ..core import dtypes
from ..ops import array_ops, math_ops, manip_ops, reduction_ops
from ..ops.constant_op import convert_to_tensor
from ..ops.dispatch import register
from . import sparse_ops
from .sparse_tensor import SparseTensor

# Elementwise ops with f(0) == 0: applied to the values, the zeros stay implicit.
_ZERO_PRESERVING = ["abs", "negative", "sign", "square", "sqrt", "sin", "tan", "asin",
                    "atan", "sinh", "tanh", "expm1", "log1p", "ceil", "floor", "round",
                    "logical_not", "cast"]


def _values_op(api):
    def handler(x, *args, **kwargs):
        return x.with_values(api(x.values, *args, **kwargs))
    return handler


for _name in _ZERO_PRESERVING:
    _api = getattr(math_ops, _name, None)
    if _api is not None:
        register(_api, SparseTensor, _values_op(_api))


def _multiply(x, y, name=None):
    if isinstance(x, SparseTensor) and isinstance(y, SparseTensor):
        raise TypeError("multiply of two SparseTensors is not supported; densify one "
                        "(autotrace.sparse.to_dense)")
    return sparse_ops.multiply(x, y) if isinstance(x, SparseTensor) else \
        sparse_ops.multiply(y, x)


def _divide(x, y, name=None):
    if not isinstance(x, SparseTensor) or isinstance(y, SparseTensor):
        raise TypeError("divide supports a SparseTensor divided by a dense tensor or number")
    return sparse_ops.divide(x, y)


def _add(x, y, name=None):
    return sparse_ops.add(x, y)


def _reduction(op):
    def handler(input_tensor, axis=None, keepdims=False, name=None):
        return op(input_tensor, axis=axis, keepdims=keepdims)
    return handler


def _concat(values, axis, name=None):
    if not all(isinstance(v, SparseTensor) for v in values):
        raise TypeError("concat of SparseTensors needs every input sparse")
    return sparse_ops.concat(axis, list(values))


register(array_ops.identity, SparseTensor,
         lambda input, name=None: input.with_values(array_ops.identity(input.values)))
register(math_ops.multiply, SparseTensor, _multiply)
register(math_ops.truediv, SparseTensor, _divide)
register(math_ops.add, SparseTensor, _add)
register(math_ops.reduce_sum, SparseTensor, _reduction(sparse_ops.reduce_sum))
register(math_ops.reduce_max, SparseTensor, _reduction(sparse_ops.reduce_max))
register(manip_ops.concat, SparseTensor, _concat)
register(array_ops.shape, SparseTensor,
         lambda input, out_type=dtypes.int32, name=None: math_ops.cast(input.dense_shape,
                                                                      out_type))
register(array_ops.size, SparseTensor,
         lambda input, out_type=dtypes.int32, name=None: math_ops.cast(
             reduction_ops.reduce_prod(input.dense_shape), out_type))
register(array_ops.rank, SparseTensor,
         lambda input, name=None: convert_to_tensor(input.shape.rank, dtypes.int32))
