"""`tf.train.Checkpoint`: save and restore the variables of a group of objects.

>>> import autotrace as tf, tempfile, os
>>> model = tf.Module()
>>> model.w = tf.Variable([1.0, 2.0])
>>> ckpt = tf.train.Checkpoint(model=model)
>>> path = ckpt.save(os.path.join(tempfile.mkdtemp(), "ckpt"))
>>> os.path.basename(path)
'ckpt-1'
>>> fresh = tf.Module()
>>> fresh.w = tf.Variable([0.0, 0.0])
>>> status = tf.train.Checkpoint(model=fresh).restore(path)
>>> fresh.w.numpy()
array([1., 2.], dtype=float32)
"""
import os

from ..core import dtypes
from ..core.context import init_scope
from ..core.errors import NotFoundError
from ..ops.variables import Variable
from .format import read_checkpoint, write_checkpoint
from .files import read_json
from .object_graph import ObjectGraph, is_trackable, trackable_children
from .restore import CheckpointLoadStatus, InitializationOnlyStatus, Restoration
from .state import update_state

__all__ = ["Checkpoint"]


class Checkpoint:
    """Groups trackable objects (Modules, Variables, optimizers, lists and dicts of them)
    to save and restore their variables together.

    Args:
      root: an object whose children become the checkpoint's (optional).
      **kwargs: the objects to save, by name: `Checkpoint(model=m, optimizer=opt)`.
    """

    def __init__(self, root=None, **kwargs):
        for name, value in kwargs.items():
            if not is_trackable(value):
                raise ValueError(
                    "Checkpoint expects %s to be a trackable object (a Variable, a Module, an "
                    "optimizer, or a list/tuple/dict of them), got %r" % (name, value))
        if root is not None and not is_trackable(root):
            raise ValueError("Checkpoint's root must be a trackable object, got %r" % (root,))
        self._root = root
        self._objects = dict(kwargs)
        self._save_counter = None
        for name, value in kwargs.items():
            object.__setattr__(self, name, value)

    # -- the object graph ------------------------------------------------------------------
    def _trackable_children(self):
        children = dict(trackable_children(self._root)) if self._root is not None else {}
        children.update(self._objects)
        if self._save_counter is not None:
            children["save_counter"] = self._save_counter
        return children

    @property
    def _restore_target(self):
        """Children found later (deferred restoration) are attached to the root object."""
        return self._root if self._root is not None else self

    @property
    def save_counter(self):
        """How many times `save` ran (an int64 Variable, saved with the checkpoint)."""
        if self._save_counter is None:
            with init_scope():
                self._save_counter = Variable(0, dtype=dtypes.int64, trainable=False,
                                              name="save_counter")
        return self._save_counter

    # -- writing ---------------------------------------------------------------------------
    def write(self, file_prefix):
        """Write the checkpoint to exactly `file_prefix` (.json and .npz); returns it.
        Unlike `save`, no number is added and the directory's `checkpoint` state file is
        not updated."""
        return write_checkpoint(os.fspath(file_prefix), ObjectGraph(self))

    def save(self, file_prefix):
        """Write the checkpoint to `file_prefix-N` (N counts the saves) and record it as the
        latest in the directory's `checkpoint` file; returns the path."""
        counter = self.save_counter
        counter.assign_add(1)
        path = "%s-%d" % (os.fspath(file_prefix), int(counter.numpy()))
        self.write(path)
        update_state(os.path.dirname(os.path.abspath(path)), path, keep_all=True)
        return path

    # -- reading ---------------------------------------------------------------------------
    def restore(self, save_path):
        """Restore the values saved at `save_path` into the objects (matched by name); a
        SavedModel directory restores its variables. Returns a status whose assertions
        check what matched. `save_path=None` restores nothing (a first run)."""
        if save_path is None:
            return InitializationOnlyStatus()
        self.save_counter  # restored with the rest, as TensorFlow does
        return self.read(save_path)

    def read(self, save_path):
        """Restore from a path written by `write` (or `save`); see `restore`."""
        prefix = _checkpoint_prefix(os.fspath(save_path))
        restoration = Restoration(read_checkpoint(prefix))
        restoration.match(0, self)
        return CheckpointLoadStatus(restoration, self, prefix)

    def __repr__(self):
        return "<autotrace.train.Checkpoint of %s>" % (
            ", ".join(sorted(self._objects)) or "(nothing)")


def _checkpoint_prefix(path):
    """The checkpoint prefix for `path`: itself, or a SavedModel directory's variables."""
    if os.path.isdir(path):
        saved = os.path.join(path, "saved_model.json")
        if os.path.exists(saved):
            read_json(saved, "SavedModel")  # a SavedModel: refuse it early if malformed
            return os.path.join(path, "variables", "variables")
    if not os.path.exists(path + ".json"):
        raise NotFoundError(
            "No checkpoint at %s: %s.json does not exist. Please check the path; you may be "
            "missing the number of the save (e.g. the '-1' in 'path/to/ckpt-1'), or use "
            "autotrace.train.latest_checkpoint(directory)." % (path, path))
    return path
