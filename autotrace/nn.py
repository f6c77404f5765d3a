"""`autotrace.nn`: neural-network ops (TF's tf.nn)."""
from .ops.nn_ops import *  # noqa: F401,F403
from .ops.sort_ops import top_k  # noqa: F401,E402  (tf.nn.top_k)
