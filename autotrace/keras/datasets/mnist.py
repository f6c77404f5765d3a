"""MNIST digits: 60,000 + 10,000 grayscale 28x28 images (uint8), labels 0-9."""
from .cache import ORIGIN, load_npz, require


def load_data(path="mnist.npz"):
    """((x_train, y_train), (x_test, y_test)) from ~/.keras/datasets/mnist.npz."""
    file = require(path, "mnist", ORIGIN + "mnist.npz")
    x_train, y_train, x_test, y_test = load_npz(file, ["x_train", "y_train", "x_test",
                                                       "y_test"])
    return (x_train, y_train), (x_test, y_test)
