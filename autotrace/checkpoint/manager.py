"""`tf.train.CheckpointManager`: numbered checkpoints in a directory, the oldest deleted.

>>> import autotrace as tf, tempfile
>>> ckpt = tf.train.Checkpoint(v=tf.Variable(1.0))
>>> manager = tf.train.CheckpointManager(ckpt, tempfile.mkdtemp(), max_to_keep=2)
>>> [os.path.basename(manager.save()) for _ in range(3)]
['ckpt-1', 'ckpt-2', 'ckpt-3']
>>> [os.path.basename(p) for p in manager.checkpoints]
['ckpt-2', 'ckpt-3']
"""
import os
import time

from .state import get_checkpoint_state, update_state

__all__ = ["CheckpointManager"]


class CheckpointManager:
    """Saves `checkpoint` as `directory/checkpoint_name-N` and keeps the last
    `max_to_keep` (None keeps all); `keep_checkpoint_every_n_hours` also keeps one
    checkpoint per that many hours. Picks up the checkpoints already in `directory`.

    With `step_counter` and `checkpoint_interval`, `save()` saves only when the step
    counter moved on by at least the interval since the last save."""

    def __init__(self, checkpoint, directory, max_to_keep, keep_checkpoint_every_n_hours=None,
                 checkpoint_name="ckpt", step_counter=None, checkpoint_interval=None,
                 init_fn=None):
        if max_to_keep is not None and max_to_keep <= 0:
            raise ValueError("max_to_keep must be a positive integer or None, got %r"
                             % (max_to_keep,))
        if checkpoint_interval is not None and step_counter is None:
            raise ValueError("checkpoint_interval needs a step_counter")
        self._checkpoint = checkpoint
        self._directory = os.fspath(directory)
        self._max_to_keep = max_to_keep
        self._keep_seconds = None if keep_checkpoint_every_n_hours is None else \
            keep_checkpoint_every_n_hours * 3600.0
        self._prefix = os.path.join(self._directory, checkpoint_name)
        self._step_counter = step_counter
        self._interval = checkpoint_interval
        self._last_step = None
        self._init_fn = init_fn
        state = get_checkpoint_state(self._directory)
        self._kept = []  # [(path, timestamp)], oldest first
        self._last_preserved = time.time()
        if state is not None:
            self._kept = [(p, t) for p, t in zip(state.all_model_checkpoint_paths,
                                                  state.all_model_checkpoint_timestamps)
                          if os.path.exists(p + ".json")]
            self._last_preserved = state.last_preserved_timestamp

    @property
    def directory(self):
        return self._directory

    @property
    def checkpoint(self):
        return self._checkpoint

    @property
    def checkpoints(self):
        """The paths of the checkpoints kept, oldest first."""
        return [p for p, _ in self._kept]

    @property
    def latest_checkpoint(self):
        """The newest checkpoint's path, or None."""
        return self._kept[-1][0] if self._kept else None

    @property
    def checkpoint_interval(self):
        return self._interval

    def save(self, checkpoint_number=None, check_interval=True):
        """Save a numbered checkpoint (the checkpoint's save counter, or
        `checkpoint_number`); delete the ones beyond `max_to_keep`. Returns the path, or
        None if the step interval has not passed."""
        if self._interval is not None and check_interval:
            step = int(self._step_counter.numpy())
            if self._last_step is not None and step < self._last_step + self._interval:
                return None
            self._last_step = step
        counter = self._checkpoint.save_counter
        counter.assign_add(1)
        number = int(counter.numpy()) if checkpoint_number is None else int(checkpoint_number)
        path = self._checkpoint.write("%s-%d" % (self._prefix, number))
        now = time.time()
        self._kept = [(p, t) for p, t in self._kept if p != path] + [(path, now)]
        self._sweep()
        update_state(self._directory, path, [p for p, _ in self._kept],
                     [t for _, t in self._kept], self._last_preserved)
        return path

    def _sweep(self):
        if self._max_to_keep is None:
            return
        while len(self._kept) > self._max_to_keep:
            path, stamp = self._kept.pop(0)
            if self._keep_seconds is not None and \
                    stamp - self._keep_seconds > self._last_preserved:
                self._last_preserved = stamp  # kept for good: one per interval
                continue
            for suffix in (".json", ".npz"):
                if os.path.exists(path + suffix):
                    os.remove(path + suffix)

    def restore_or_initialize(self):
        """Restore the latest checkpoint and return its path; without one, run `init_fn`
        (if given) and return None."""
        if self.latest_checkpoint is not None:
            self._checkpoint.restore(self.latest_checkpoint)
            return self.latest_checkpoint
        if self._init_fn is not None:
            self._init_fn()
        return None
