"""`tf.saved_model`: save a Module's variables and traced functions to a directory, and load
them back without the Python code, in an open format (JSON + .npz; see docs/saving.md).
Loading never unpickles or executes what it reads."""
import os

from ..checkpoint.files import FormatError
from .graph_json import ExportError
from .load import load
from .save import DEFAULT_SERVING_SIGNATURE_DEF_KEY, SAVED_MODEL_FILE, save

__all__ = ["save", "load", "contains_saved_model", "FormatError", "ExportError",
           "DEFAULT_SERVING_SIGNATURE_DEF_KEY", "SaveOptions", "LoadOptions"]


def contains_saved_model(export_dir):
    """Whether `export_dir` holds a SavedModel written by `save`."""
    return os.path.isfile(os.path.join(os.fspath(export_dir), SAVED_MODEL_FILE))


class SaveOptions:
    """Accepted for TensorFlow compatibility; autotrace has no save options."""

    def __init__(self, **kwargs):
        self.options = kwargs


class LoadOptions:
    """Accepted for TensorFlow compatibility; autotrace has no load options."""

    def __init__(self, **kwargs):
        self.options = kwargs
