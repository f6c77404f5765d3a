"""Boston housing prices: 13 features per house, the median value as target."""
from .cache import ORIGIN, load_npz, require, split_train_test


def load_data(path="boston_housing.npz", test_split=0.2, seed=113):
    """((x_train, y_train), (x_test, y_test)), shuffled with `seed` as Keras does."""
    if not 0 <= test_split < 1:
        raise ValueError("`test_split` must be between 0 and 1. Received: test_split=%s"
                         % (test_split,))
    x, y = load_npz(require(path, "boston_housing", ORIGIN + "boston_housing.npz"), ["x", "y"])
    return split_train_test(x, y, test_split, seed)
