"""`keras.datasets`: the classic datasets, read from Keras's cache folder
(~/.keras/datasets). autotrace does not download; a missing file raises an error saying
which file to fetch and where to put it. Files are never unpickled."""
from . import boston_housing, california_housing, cifar10, cifar100, fashion_mnist, mnist

__all__ = ["mnist", "fashion_mnist", "cifar10", "cifar100", "boston_housing",
           "california_housing"]
