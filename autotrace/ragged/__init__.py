"""`tf.ragged`: tensors whose rows have different lengths (see RaggedTensor).

>>> import autotrace as tf
>>> rt = tf.ragged.constant([[1, 2], [3]])
>>> rt + 10
<tf.RaggedTensor [[11, 12], [13]]>
"""
from .ragged_tensor import RaggedTensor, RaggedTensorSpec, is_ragged
from .ragged_factory import (boolean_mask, map_flat_values, ragged_range as range,
                             row_splits_to_segment_ids, segment_ids_to_row_splits, stack)
from .ragged_factory import ragged_constant as constant
from .dynamic_ragged_shape import DynamicRaggedShape
from . import ragged_dispatch as _ragged_dispatch  # registers the ragged op handlers
from . import ragged_string_handlers as _ragged_string_handlers  # (string ops)

__all__ = ["RaggedTensor", "RaggedTensorSpec", "DynamicRaggedShape", "constant", "range",
           "stack", "boolean_mask", "map_flat_values", "row_splits_to_segment_ids",
           "segment_ids_to_row_splits", "is_ragged"]
