"""The `checkpoint` state file of a directory: which checkpoints it holds, latest last.

    {"model_checkpoint_path": "ckpt-3",
     "all_model_checkpoint_paths": ["ckpt-2", "ckpt-3"],
     "all_model_checkpoint_timestamps": [1700000000.5, 1700000100.2],
     "last_preserved_timestamp": 1699999990.0}

Paths are relative to the directory (so it can be moved); `latest_checkpoint` returns them
joined with it.
"""
import collections
import os
import time

from .files import FormatError, read_json, write_json

__all__ = ["latest_checkpoint", "get_checkpoint_state", "update_state", "CheckpointState"]

STATE_FILE = "checkpoint"

CheckpointState = collections.namedtuple(
    "CheckpointState", "model_checkpoint_path all_model_checkpoint_paths "
    "all_model_checkpoint_timestamps last_preserved_timestamp")


def get_checkpoint_state(checkpoint_dir, latest_filename=None):
    """The directory's CheckpointState (paths joined with the directory), or None."""
    path = os.path.join(os.fspath(checkpoint_dir), latest_filename or STATE_FILE)
    if not os.path.exists(path):
        return None
    data = read_json(path, "checkpoint state file")
    latest = data.get("model_checkpoint_path")
    paths = data.get("all_model_checkpoint_paths", [])
    stamps = data.get("all_model_checkpoint_timestamps", [])
    preserved = data.get("last_preserved_timestamp", 0.0)
    if type(latest) is not str or type(paths) is not list or \
            any(type(p) is not str for p in paths) or type(stamps) is not list or \
            any(type(t) not in (int, float) for t in stamps) or \
            type(preserved) not in (int, float):
        raise FormatError("checkpoint state file %s: expected model_checkpoint_path (a "
                          "string), all_model_checkpoint_paths (strings) and timestamps "
                          "(numbers)" % path)
    join = lambda p: os.path.join(os.fspath(checkpoint_dir), p)  # noqa: E731
    return CheckpointState(join(latest), [join(p) for p in paths], list(stamps),
                           float(preserved))


def latest_checkpoint(checkpoint_dir, latest_filename=None):
    """The path of the latest checkpoint saved in `checkpoint_dir`, or None if there is
    none (or its files are gone).

    >>> latest_checkpoint("/nonexistent") is None
    True
    """
    state = get_checkpoint_state(checkpoint_dir, latest_filename)
    if state is None or not os.path.exists(state.model_checkpoint_path + ".json"):
        return None
    return state.model_checkpoint_path


def update_state(directory, latest, paths=None, timestamps=None, last_preserved=None,
                 keep_all=False):
    """Record `latest` as the newest checkpoint of `directory`. With `keep_all`, earlier
    entries are kept (Checkpoint.save); otherwise `paths`/`timestamps` are the full list
    (CheckpointManager)."""
    if keep_all:
        state = get_checkpoint_state(directory)
        paths = list(state.all_model_checkpoint_paths) if state else []
        timestamps = list(state.all_model_checkpoint_timestamps) if state else []
        last_preserved = state.last_preserved_timestamp if state else time.time()
        if latest in paths:
            i = paths.index(latest)
            del paths[i]
            del timestamps[i:i + 1]
        paths.append(latest)
        timestamps.append(time.time())
    rel = lambda p: os.path.relpath(p, directory)  # noqa: E731
    write_json(os.path.join(directory, STATE_FILE), {
        "model_checkpoint_path": rel(latest),
        "all_model_checkpoint_paths": [rel(p) for p in paths],
        "all_model_checkpoint_timestamps": list(timestamps),
        "last_preserved_timestamp": last_preserved if last_preserved is not None else
        time.time()})
