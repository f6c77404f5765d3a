"""CIFAR-100: 50,000 + 10,000 colour 32x32 images, 100 fine or 20 coarse labels (read from
the binary version, `cifar-100-binary`: autotrace never unpickles files)."""
import os

from .cache import require
from .cifar10 import _note, read_records

ORIGIN = "https://www.cs.toronto.edu/~kriz/cifar-100-binary.tar.gz"


def load_data(label_mode="fine"):
    """((x_train, y_train), (x_test, y_test)) with 'fine' (100) or 'coarse' (20) labels."""
    if label_mode not in ("fine", "coarse"):
        raise ValueError('`label_mode` must be one of `"fine"`, `"coarse"`. Received: '
                         'label_mode=%s.' % (label_mode,))
    column = 1 if label_mode == "fine" else 0
    note = _note("cifar-100-python")
    result = []
    for name in ("train.bin", "test.bin"):
        labels, images = read_records(require(os.path.join("cifar-100-binary", name),
                                              "cifar100", ORIGIN, note), 2)
        result.append((images, labels[:, column:column + 1]))
    return tuple(result)
