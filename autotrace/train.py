"""`tf.train`: checkpoints (see autotrace.checkpoint and docs/saving.md), and TF 1's
GradientDescentOptimizer for TF-1 scripts (seed 004: `tf.train.GradientDescentOptimizer`)."""
from .checkpoint import (Checkpoint, CheckpointManager, get_checkpoint_state,
                         latest_checkpoint, list_variables, load_checkpoint, load_variable)
from .compat.v1 import train as _v1_train

GradientDescentOptimizer = _v1_train.GradientDescentOptimizer

__all__ = ["Checkpoint", "CheckpointManager", "get_checkpoint_state", "latest_checkpoint",
           "list_variables", "load_checkpoint", "load_variable", "GradientDescentOptimizer"]
