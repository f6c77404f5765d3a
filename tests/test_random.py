"""Random ops and TensorFlow's global-seed / op-seed rules."""
import numpy as np
import pytest

import autotrace as tf

v1 = tf.compat.v1


def test_distributions_have_the_right_moments():
    tf.random.set_seed(0)
    u = tf.random.uniform([20000], 2.0, 4.0).numpy()
    n = tf.random.normal([20000], mean=1.0, stddev=3.0).numpy()
    t = tf.random.truncated_normal([20000]).numpy()
    assert u.dtype == np.float32 and 2.0 <= u.min() and u.max() < 4.0
    assert abs(u.mean() - 3.0) < 0.05
    assert abs(n.mean() - 1.0) < 0.1 and abs(n.std() - 3.0) < 0.1
    assert np.abs(t).max() <= 2.0 and abs(t.std() - 0.88) < 0.02


def test_integer_uniform_needs_maxval():
    tf.random.set_seed(1)
    x = tf.random.uniform([1000], 0, 5, dtype=tf.int32).numpy()
    assert x.dtype == np.int32 and set(x.tolist()) == {0, 1, 2, 3, 4}
    with pytest.raises(ValueError, match="maxval"):
        tf.random.uniform([2], dtype=tf.int32)


def test_global_seed_makes_the_sequence_repeat():
    tf.random.set_seed(42)
    a1, a2 = tf.random.uniform([3]).numpy(), tf.random.uniform([3]).numpy()
    tf.random.set_seed(42)
    b1, b2 = tf.random.uniform([3]).numpy(), tf.random.uniform([3]).numpy()
    assert not np.array_equal(a1, a2)
    np.testing.assert_array_equal(a1, b1)
    np.testing.assert_array_equal(a2, b2)


def test_op_seed_keeps_one_stream():
    tf.random.set_seed(5)
    a1 = tf.random.uniform([2], seed=1).numpy()
    a2 = tf.random.uniform([2], seed=1).numpy()
    assert not np.array_equal(a1, a2)
    tf.random.set_seed(5)
    np.testing.assert_array_equal(tf.random.uniform([2], seed=1).numpy(), a1)


def test_op_seed_alone_is_deterministic_across_resets():
    a = tf.random.normal([4], seed=9).numpy()
    tf.random.set_seed(None)
    b = tf.random.normal([4], seed=9).numpy()
    np.testing.assert_array_equal(a, b)


def test_graph_random_op_gives_fresh_values_each_run():
    tf.random.set_seed(3)
    g = tf.Graph()
    with g.as_default():
        r = tf.random.uniform([2])
    with v1.Session(graph=g) as sess:
        first, second = sess.run(r), sess.run(r)
    assert not np.array_equal(first, second)
    with v1.Session(graph=g) as sess:  # a new session replays the op's stream
        np.testing.assert_array_equal(sess.run(r), first)


def test_shuffle_and_categorical():
    tf.random.set_seed(2)
    s = tf.random.shuffle(tf.range(10)).numpy()
    assert sorted(s.tolist()) == list(range(10)) and s.tolist() != list(range(10))
    logits = tf.math.log([[0.1, 0.9], [1.0, 1e-9]])
    draws = tf.random.categorical(logits, 2000).numpy()
    assert draws.shape == (2, 2000) and draws.dtype == np.int64
    assert abs(draws[0].mean() - 0.9) < 0.03 and draws[1].max() == 0


def test_negative_shape_is_an_error():
    with pytest.raises(tf.errors.InvalidArgumentError, match="negative"):
        tf.random.uniform([-1, 2])
