"""Checkpoints: the variables of a group of objects, saved and restored by the names in their
object graph (`tf.train.Checkpoint`, `tf.train.CheckpointManager`), in an open format: JSON
for the object graph and `.npz` for the values, never pickled. See docs/saving.md."""
from .checkpoint import Checkpoint
from .files import FormatError
from .manager import CheckpointManager
from .reader import CheckpointReader, list_variables, load_checkpoint, load_variable
from .restore import CheckpointLoadStatus
from .state import CheckpointState, get_checkpoint_state, latest_checkpoint

__all__ = ["Checkpoint", "CheckpointManager", "CheckpointLoadStatus", "CheckpointReader",
           "CheckpointState", "FormatError", "get_checkpoint_state", "latest_checkpoint",
           "list_variables", "load_checkpoint", "load_variable"]
