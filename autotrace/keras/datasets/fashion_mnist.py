"""Fashion-MNIST: 60,000 + 10,000 grayscale 28x28 images of clothes (uint8), labels 0-9."""
import os

from .cache import ORIGIN, read_idx, require

FILES = ["train-labels-idx1-ubyte.gz", "train-images-idx3-ubyte.gz",
         "t10k-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz"]


def load_data():
    """((x_train, y_train), (x_test, y_test)) from the four IDX files Keras caches in
    ~/.keras/datasets/fashion-mnist/."""
    paths = [require(os.path.join("fashion-mnist", name), "fashion_mnist",
                     ORIGIN + "fashion-mnist/" + name) for name in FILES]
    y_train = read_idx(paths[0], 8)
    x_train = read_idx(paths[1], 16).reshape(len(y_train), 28, 28)
    y_test = read_idx(paths[2], 8)
    x_test = read_idx(paths[3], 16).reshape(len(y_test), 28, 28)
    return (x_train, y_train), (x_test, y_test)
