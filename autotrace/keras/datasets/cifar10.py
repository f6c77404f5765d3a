"""CIFAR-10: 50,000 + 10,000 colour 32x32 images (uint8, channels last), labels 0-9.

Keras caches the pickled Python version of CIFAR; autotrace never unpickles files, so it
reads the binary version (`cifar-10-batches-bin`, from cifar-10-binary.tar.gz)."""
import os

import numpy as np

from .cache import datasets_dir, require

ORIGIN = "https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz"


def read_records(path, label_bytes):
    """Labels and images of a CIFAR binary file: each record is label byte(s) then
    3072 pixel bytes (32x32 red, green, blue planes)."""
    raw = np.fromfile(path, np.uint8).reshape(-1, label_bytes + 3072)
    images = raw[:, label_bytes:].reshape(-1, 3, 32, 32).transpose(0, 2, 3, 1)
    return raw[:, :label_bytes], np.ascontiguousarray(images)


def _note(folder):
    pickled = os.path.join(datasets_dir(), folder)
    if os.path.isdir(pickled):
        return (" %s (the pickled Python version Keras downloads) is there, but autotrace "
                "never unpickles files." % pickled)
    return ""


def load_data():
    """((x_train, y_train), (x_test, y_test)); labels have shape (n, 1) as in Keras."""
    note = _note("cifar-10-batches-py")
    train = [read_records(require(os.path.join("cifar-10-batches-bin",
                                               "data_batch_%d.bin" % i), "cifar10", ORIGIN,
                                  note), 1) for i in range(1, 6)]
    y_test, x_test = read_records(require(os.path.join("cifar-10-batches-bin",
                                                       "test_batch.bin"), "cifar10", ORIGIN,
                                          note), 1)
    y_train = np.concatenate([labels for labels, _ in train])
    x_train = np.concatenate([images for _, images in train])
    return (x_train, y_train), (x_test, y_test)
