"""`autotrace.nn`: neural-network ops (TF's tf.nn)."""
from .ops.nn_ops import *  # noqa: F401,F403
