"""`autotrace.debugging`: assertions and numeric checks (TF's tf.debugging)."""
from .ops.debugging_ops import *  # noqa: F401,F403
