"""California housing prices: 8 features per block group, the median value as target."""
from .cache import ORIGIN, load_npz, require, split_train_test


def load_data(version="large", path="california_housing.npz", test_split=0.2, seed=113):
    """((x_train, y_train), (x_test, y_test)); version 'small' keeps the first 600 rows."""
    x, y = load_npz(require(path, "california_housing", ORIGIN + "california_housing.npz"),
                    ["x", "y"])
    if version == "small":
        x, y = x[:600], y[:600]
    return split_train_test(x, y, test_split, seed)
