"""Reading a checkpoint's values by key, without objects (`tf.train.load_checkpoint`)."""
import os

from ..core.dtypes import as_dtype
from ..core.errors import NotFoundError
from .format import read_checkpoint
from .state import latest_checkpoint

__all__ = ["CheckpointReader", "load_checkpoint", "list_variables", "load_variable"]


class CheckpointReader:
    """The values of a checkpoint by key (`model/w/.ATTRIBUTES/VARIABLE_VALUE`)."""

    def __init__(self, prefix):
        self._document = read_checkpoint(prefix)
        self._document.close()  # opened again for each value read
        self._nodes = {}
        for node, record in enumerate(self._document.records):
            if "variable" in record:
                value = record["variable"]["value"]
                self._nodes[_key_of(record, node)] = (node, value)

    def get_variable_to_shape_map(self):
        return {k: list(v["shape"]) for k, (_, v) in self._nodes.items()}

    def get_variable_to_dtype_map(self):
        return {k: as_dtype(v["dtype"]) for k, (_, v) in self._nodes.items()}

    def has_tensor(self, key):
        return key in self._nodes

    def get_tensor(self, key):
        if key not in self._nodes:
            raise NotFoundError("Key %s not found in checkpoint %s" % (key,
                                                                       self._document.path))
        try:
            return self._document.value(self._nodes[key][0], key)
        finally:
            self._document.close()


def _key_of(record, node):
    value = record["variable"]["value"]
    return value.get("data") or "object %d" % node


def load_checkpoint(ckpt_dir_or_file):
    """A CheckpointReader for a checkpoint prefix, or the latest in a directory."""
    path = os.fspath(ckpt_dir_or_file)
    if os.path.isdir(path):
        found = latest_checkpoint(path)
        if found is None:
            raise ValueError("Couldn't find a checkpoint in %s" % path)
        path = found
    return CheckpointReader(path)


def list_variables(ckpt_dir_or_file):
    """[(key, shape)] of the values in a checkpoint, sorted by key."""
    return sorted(load_checkpoint(ckpt_dir_or_file).get_variable_to_shape_map().items())


def load_variable(ckpt_dir_or_file, name):
    """The value saved under `name` (a key as `list_variables` gives)."""
    return load_checkpoint(ckpt_dir_or_file).get_tensor(name)
