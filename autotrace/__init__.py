"""autotrace: TensorFlow 2's tf.function and AutoGraph, rebuilt on NumPy.

    import autotrace as tf

    x = tf.constant([1.0, 2.0, 3.0])     # eager: computed at once with NumPy
    print(tf.reduce_sum(x * 2.0))

Public names mirror TensorFlow 2, so most TF-2 code runs with `import autotrace as tf`.
"""
import sys as _sys

from .core import dtypes, errors, nest
# TF's namespaces tf.dtypes, tf.errors and tf.nest are core modules here; they import by their
# TF names too (`from autotrace.errors import InvalidArgumentError`).
for _name, _module in (("dtypes", dtypes), ("errors", errors), ("nest", nest)):
    _sys.modules[__name__ + "." + _name] = _module

from .core.dtypes import (DType, as_dtype, bool, complex64, complex128, double, float16, float32,
                          float64, half, int8, int16, int32, int64, resource, string, uint8,
                          uint16, uint32, uint64, variant)
from .core.tensor_shape import TensorShape, TensorSpec
from .core.type_spec import TypeSpec, type_spec_from_value
from .core.tensor import Tensor, is_tensor
from .core.context import executing_eagerly, init_scope
from .core.graph import Graph, Operation, control_dependencies, get_default_graph, name_scope
from .ops import operators as _operators
from .ops.constant_op import constant, convert_to_tensor
from .ops.math_ops import (abs, add, add_n, argmax, argmin, cast, clip_by_value, cos, divide,
                           einsum, equal, exp, floor, floordiv, greater, greater_equal, less,
                           less_equal, log, logical_and, logical_not, logical_or, logical_xor,
                           matmul, maximum, minimum, multiply, negative, not_equal, pow,
                           realdiv, reduce_all, reduce_any, reduce_logsumexp, reduce_max,
                           reduce_mean, reduce_min, reduce_prod, reduce_std, reduce_sum,
                           reduce_variance, round, saturate_cast, sigmoid, sign, sin, sqrt,
                           square, squared_difference, subtract, tan, tanh, tensordot,
                           truediv, ceil, rsqrt, log1p, expm1, reciprocal)
from .ops.array_ops import (expand_dims, eye, fill, identity, linspace, newaxis, ones, ones_like,
                            range, rank, reshape, shape, size, squeeze, stop_gradient, transpose,
                            zeros, zeros_like)
from .control_flow import case, cond, switch_case, while_loop
from .ops.group_ops import group, no_op
from .control_flow.map_ops import map_fn
from .ops.tensor_array_ops import TensorArray
from .control_flow.script_ops import numpy_function, py_function
from .ops.logging_ops import print_v2 as print
from .ops.manip_ops import *  # noqa: F401,F403  (each ops module's __all__ is its API)
from .ops.index_ops import *  # noqa: F401,F403
from .ops.sort_ops import *  # noqa: F401,F403
from .ops.debugging_ops import (Assert, assert_equal, assert_greater, assert_less,
                                assert_rank)
from .ops.string_ops import as_string
from .ops.complex_ops import complex
from .ops.norm_ops import clip_by_global_norm, clip_by_norm, norm
from .ops.variables import Module, Variable
from .autodiff import GradientTape, UnconnectedGradients
from .autodiff.custom_gradient import custom_gradient
from .tracing import ConcreteFunction, Function, function
from . import tracing
from . import autograph, config, math, random, compat, nn, debugging, strings, linalg
from .training import initializers
from . import eager, test, keras, data, io, image
from .training import optimizers, schedules
from . import train, saved_model
from . import ragged, sparse, sets
from .ragged import RaggedTensor, RaggedTensorSpec
from .sparse import SparseTensor, SparseTensorSpec
from .ops.indexed_slices import IndexedSlices, IndexedSlicesSpec
from . import jit  # registers the XLA compiler of jit_compile=True
from . import distribute
from . import onnx

_operators.install(Tensor, Variable)
compat.v1.expose_namespace(_sys.modules[__name__])  # tf.compat.v1 holds all of tf too
compat.v2 = _sys.modules[__name__]

__version__ = "0.1.0"
