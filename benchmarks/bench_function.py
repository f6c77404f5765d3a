"""autotrace.function speed targets (issue 3), as ratios against hand-written NumPy.

- cached call of `x * 2.0 + 1.0` on a 3-element tensor: at most 3x the bare NumPy expression
- while_loop of 5,000 iterations of `acc = acc * 0.99 + x`: at most 1.5x plain Python+NumPy
- 2-layer MLP forward (256x784 -> 100 -> 10, relu, softmax): at most 1.1x hand-written NumPy
- first call (trace + optimise + compile) of a 10-op function: at most 5 ms (absolute)
- cached call with a nested dict/list of 20 tensors: at most 2x a plain Python function doing
  the same NumPy work (issue 11)
- cached call of a tf.Module's traced method: at most 2x a plain Python method (issue 11)

Run: python benchmarks/bench_function.py
"""
import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import autotrace as tf  # noqa: E402
from timing import format_time, per_call, per_call_pair, report  # noqa: E402


def cached_call():
    a = np.array([1.0, 2.0, 3.0], np.float32)
    x = tf.constant(a)
    f = tf.function(lambda x: x * 2.0 + 1.0)
    f(x)
    return per_call_pair(lambda: f(x), lambda: a * 2.0 + 1.0)


def while_loop():
    a = np.array([1.0, 2.0, 3.0], np.float32)
    x = tf.constant(a)

    @tf.function
    def loop(x):
        _, acc = tf.while_loop(lambda i, acc: i < 5000,
                               lambda i, acc: (i + 1, acc * 0.99 + x), [0, tf.zeros_like(x)])
        return acc

    def plain(x):
        acc = np.zeros_like(x)
        i = 0
        while i < 5000:
            acc = acc * 0.99 + x
            i += 1
        return acc
    np.testing.assert_allclose(loop(x).numpy(), plain(a), rtol=1e-5)
    return per_call(lambda: loop(x), min_time=1.0), per_call(lambda: plain(a), min_time=1.0)


def mlp_weights(seed=0):
    rng = np.random.default_rng(seed)
    w1 = rng.normal(0, 0.05, (784, 100)).astype(np.float32)
    w2 = rng.normal(0, 0.05, (100, 10)).astype(np.float32)
    b1, b2 = np.zeros(100, np.float32), np.zeros(10, np.float32)
    x = rng.random((256, 784), dtype=np.float32)
    return x, w1, b1, w2, b2


def numpy_mlp(x, w1, b1, w2, b2):
    h = np.maximum(x @ w1 + b1, 0)
    logits = h @ w2 + b2
    e = np.exp(logits - logits.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def mlp_forward():
    x, w1, b1, w2, b2 = mlp_weights()
    params = [tf.Variable(p) for p in (w1, b1, w2, b2)]

    @tf.function
    def forward(x):
        h = tf.nn.relu(tf.matmul(x, params[0]) + params[1])
        return tf.nn.softmax(tf.matmul(h, params[2]) + params[3])

    xt = tf.constant(x)
    np.testing.assert_allclose(forward(xt).numpy(), numpy_mlp(x, w1, b1, w2, b2), atol=1e-6)
    return (per_call(lambda: forward(xt), min_time=1.0),
            per_call(lambda: numpy_mlp(x, w1, b1, w2, b2), min_time=1.0))


def first_call():
    x = tf.constant([1.0, 2.0, 3.0])

    def ten_ops(x):
        y = x * 2.0 + 1.0
        y = tf.exp(y) - x
        y = tf.reduce_sum(y * y)
        return tf.sqrt(y)

    times = []
    for _ in range(20):
        f = tf.function(ten_ops)
        start = time.perf_counter()
        f(x)
        times.append(time.perf_counter() - start)
    return min(times), sorted(times)[len(times) // 2]


def structured_batch():
    """A nest of 20 small tensors: 2 lists of 5, and a dict of 10 under two keys."""
    rng = np.random.default_rng(0)
    arrays = [rng.random(3, dtype=np.float32) for _ in range(20)]
    batch = {"images": arrays[:5], "labels": arrays[5:10],
             "extra": {"w%d" % i: arrays[10 + i] for i in range(10)}}
    return batch


def combine(batch):
    """The same work in both versions: 19 additions over the nest's leaves."""
    total = batch["images"][0]
    for x in batch["images"][1:] + batch["labels"]:
        total = total + x
    for key in sorted(batch["extra"]):
        total = total + batch["extra"][key]
    return total


def structured_call():
    arrays = structured_batch()
    tensors = tf.nest.map_structure(tf.constant, arrays)
    f = tf.function(combine)
    np.testing.assert_allclose(f(tensors).numpy(), combine(arrays), rtol=1e-6)
    return per_call_pair(lambda: f(tensors), lambda: combine(arrays))


class Affine(tf.Module):
    def __init__(self):
        super().__init__()
        self.w = tf.Variable(np.float32(2.0))
        self.b = tf.Variable(np.float32(0.5))

    @tf.function
    def __call__(self, x):
        return x * self.w + self.b


class PlainAffine:
    def __init__(self):
        self.w, self.b = np.float32(2.0), np.float32(0.5)

    def __call__(self, x):
        return x * self.w + self.b


def module_method_call():
    a = np.array([1.0, 2.0, 3.0], np.float32)
    x = tf.constant(a)
    layer, plain = Affine(), PlainAffine()
    np.testing.assert_array_equal(layer(x).numpy(), plain(a))
    return per_call_pair(lambda: layer(x), lambda: plain(a))


def main():
    rows = [("cached call: x * 2.0 + 1.0 (3 floats)",) + cached_call() + (3.0,),
            ("cached call: nest of 20 tensors",) + structured_call() + (2.0,),
            ("cached call: tf.Module method",) + module_method_call() + (2.0,),
            ("while_loop, 5000 iterations",) + while_loop() + (1.5,),
            ("MLP forward 256x784->100->10",) + mlp_forward() + (1.1,)]
    report(rows, "autotrace.function vs hand-written NumPy / plain Python")
    best, median = first_call()
    print("%-40s %12s (median %s)  target <= 5 ms %s" % (
        "first call of a 10-op function", format_time(best), format_time(median),
        "ok" if median <= 5e-3 else "MISS"))


if __name__ == "__main__":
    import warnings
    warnings.simplefilter("ignore", tf.tracing.RetracingWarning)
    main()
