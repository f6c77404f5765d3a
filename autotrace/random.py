"""`autotrace.random`: random tensors with TensorFlow's seed rules (see ops/random_ops.py)."""
from .ops.random_ops import categorical, normal, set_seed, shuffle, truncated_normal, uniform
