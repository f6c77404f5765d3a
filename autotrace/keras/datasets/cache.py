"""Finding and reading Keras's cached dataset files. Nothing is downloaded (autotrace has
no network access by design) and nothing is unpickled: NumPy archives load with
allow_pickle=False, image and label files are parsed as raw bytes."""
import gzip
import os

import numpy as np

__all__ = ["datasets_dir", "require", "load_npz", "read_idx", "split_train_test"]

ORIGIN = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"


def datasets_dir():
    """~/.keras/datasets (or $KERAS_HOME/datasets)."""
    home = os.environ.get("KERAS_HOME") or os.path.join(os.path.expanduser("~"), ".keras")
    return os.path.join(home, "datasets")


def require(relative_path, dataset, origin, note=""):
    """The full path of a cached file, or a FileNotFoundError saying where to put it."""
    path = os.path.join(datasets_dir(), relative_path)
    if not os.path.exists(path):
        raise FileNotFoundError(
            "keras.datasets.%s.load_data(): %s is not in the Keras cache. autotrace does not "
            "download datasets; fetch %s and put it at %s (the folder Keras itself uses; "
            "set KERAS_HOME to use another).%s" % (dataset, relative_path, origin, path, note))
    return path


def load_npz(path, keys):
    with np.load(path, allow_pickle=False) as data:
        missing = [k for k in keys if k not in data.files]
        if missing:
            raise ValueError("%s lacks the arrays %s (it has %s)" % (path, missing,
                                                                     data.files))
        return [data[k] for k in keys]


def read_idx(path, header_bytes):
    """The bytes of a (gzipped) IDX file after its header, as uint8."""
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        return np.frombuffer(f.read(), np.uint8, offset=header_bytes)


def split_train_test(x, y, test_split, seed):
    """Shuffle with `seed` and keep the last `test_split` fraction for testing (Keras's
    split of the regression datasets)."""
    rng = np.random.RandomState(seed)
    order = rng.permutation(len(x))
    x, y = x[order], y[order]
    cut = int(len(x) * (1 - test_split))
    return (x[:cut], y[:cut]), (x[cut:], y[cut:])
