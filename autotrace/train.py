"""`tf.train`: checkpoints (see autotrace.checkpoint and docs/saving.md)."""
from .checkpoint import (Checkpoint, CheckpointManager, get_checkpoint_state,
                         latest_checkpoint, list_variables, load_checkpoint, load_variable)

__all__ = ["Checkpoint", "CheckpointManager", "get_checkpoint_state", "latest_checkpoint",
           "list_variables", "load_checkpoint", "load_variable"]
