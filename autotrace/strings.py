"""`autotrace.strings`: string ops (TF's tf.strings)."""
from .ops.string_ops import *  # noqa: F401,F403
