"""shuffle: TF's buffer semantics, seeds, reshuffle_each_iteration, and the vectorised path
(a permutation of indices) keeping every element with its own row."""
import numpy as np
import pytest

import autotrace as tf
from autotrace.data import plans

Dataset = tf.data.Dataset


def values(ds):
    return [int(v) for v in ds.as_numpy_iterator()]


@pytest.fixture(params=[True, False], ids=["vectorised", "element-by-element"])
def both_paths(request, monkeypatch):
    monkeypatch.setattr(plans, "VECTORISED", request.param)


def batched_order(ds, size=4):
    return [int(v) for b in ds.batch(size).as_numpy_iterator() for v in b]


def test_buffer_of_one_keeps_the_order(both_paths):
    assert batched_order(Dataset.range(10).shuffle(1)) == list(range(10))


@pytest.mark.parametrize("buffer", [2, 3, 5])
def test_each_output_comes_from_the_next_buffer_size_elements(buffer, both_paths):
    """TF's buffer: the k-th output is one of the first k + buffer inputs."""
    for seed in range(20):
        order = batched_order(Dataset.range(12).shuffle(buffer, seed=seed))
        assert sorted(order) == list(range(12))
        assert all(v < k + buffer for k, v in enumerate(order)), order


def test_a_full_buffer_gives_every_permutation_roughly_equally():
    counts = {}
    for seed in range(600):
        order = tuple(values(Dataset.range(3).shuffle(3, seed=seed)))
        counts[order] = counts.get(order, 0) + 1
    assert len(counts) == 6 and min(counts.values()) > 60


def test_seeds_make_orders_reproducible_and_reshuffle_each_pass():
    a = Dataset.range(20).shuffle(20, seed=7)
    b = Dataset.range(20).shuffle(20, seed=7)
    first, second = values(a), values(a)
    assert first == values(b) and second == values(b)
    assert first != second  # a new order each pass
    fixed = Dataset.range(20).shuffle(20, seed=7, reshuffle_each_iteration=False)
    assert values(fixed) == values(fixed)
    unseeded = Dataset.range(20).shuffle(20, reshuffle_each_iteration=False)
    assert values(unseeded) == values(unseeded) != list(range(20))


def test_global_seed_without_op_seed():
    tf.random.set_seed(3)
    a = values(Dataset.range(20).shuffle(20))
    tf.random.set_seed(3)
    b = values(Dataset.range(20).shuffle(20))
    assert a == b


def test_shuffle_then_repeat_reshuffles_each_epoch(both_paths):
    order = batched_order(Dataset.range(8).shuffle(8, seed=1).repeat(3), size=8)
    epochs = [order[i:i + 8] for i in (0, 8, 16)]
    assert all(sorted(e) == list(range(8)) for e in epochs)
    assert epochs[0] != epochs[1] or epochs[1] != epochs[2]


def test_rows_stay_together_through_a_vectorised_shuffle():
    x = np.arange(100, dtype=np.float32).reshape(50, 2)
    ds = Dataset.from_tensor_slices((x, np.arange(50))).shuffle(50, seed=2).batch(8)
    seen = []
    for rows, labels in ds.as_numpy_iterator():
        np.testing.assert_array_equal(rows, x[labels])
        seen.extend(labels.tolist())
    assert sorted(seen) == list(range(50)) and seen != list(range(50))


def test_buffer_size_must_be_positive():
    with pytest.raises(tf.errors.InvalidArgumentError, match="buffer_size must be a positive"):
        Dataset.range(3).shuffle(0)
