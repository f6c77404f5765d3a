"""`tf.sparse`: tensors given by the positions and values of their nonzero entries.

>>> import autotrace as tf
>>> st = tf.sparse.from_dense([[0, 3], [4, 0]])
>>> st.indices.numpy().tolist(), st.values.numpy().tolist()
([[0, 1], [1, 0]], [3, 4])
"""
from .sparse_tensor import SparseTensor, SparseTensorSpec, is_sparse
from .sparse_ops import (add, concat, divide, expand_dims, fill_empty_rows, from_dense,
                         map_values, matmul, maximum, minimum, multiply, reduce_max,
                         reduce_sum, reorder, reshape, retain, segment_mean, segment_sqrt_n,
                         segment_sum, slice, sparse_dense_matmul, to_dense, to_indicator,
                         transpose)
from . import sparse_dispatch as _sparse_dispatch  # registers the sparse op handlers

__all__ = ["SparseTensor", "SparseTensorSpec", "add", "concat", "expand_dims",
           "fill_empty_rows", "from_dense", "map_values", "matmul", "maximum", "minimum",
           "reduce_max", "reduce_sum", "reorder", "reshape", "retain", "segment_mean",
           "segment_sqrt_n", "segment_sum", "slice", "sparse_dense_matmul", "to_dense",
           "to_indicator", "transpose", "is_sparse", "multiply", "divide"]
