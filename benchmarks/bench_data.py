"""tf.data speed: autotrace.data against TensorFlow 2.21's tf.data and eager mode.

Targets (issue 14):
  1. one epoch of from_tensor_slices((60000x784 float32, 60000 labels)).shuffle(60000)
     .batch(32): at least 5x faster than TF (ratio <= 0.2x);
  2. the same with a traced per-element .map(normalise): within 2x of TF;
  3. seed 004's huber regression (100 epochs over 190 examples, element by element, eager
     gradients and GradientDescentOptimizer): faster than TF eager (ratio < 1x).

The TF column is printed when TensorFlow is importable from the running interpreter:
    PYTHONPATH=. /work/tfenv/bin/python benchmarks/bench_data.py
Each figure is the best of several rounds that alternate the two frameworks (the machine is
shared); ratios are autotrace time / TF time.
"""
import argparse
import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
import autotrace  # noqa: E402
from timing import format_time  # noqa: E402

try:
    import tensorflow
except ImportError:
    tensorflow = None


def mnist_like():
    rng = np.random.default_rng(0)
    return (rng.random((60000, 784), dtype=np.float32),
            rng.integers(0, 10, 60000).astype(np.int64))


def epoch_seconds(ds):
    start = time.perf_counter()
    for _ in ds:
        pass
    return time.perf_counter() - start


def shuffle_batch(tf, x, y):
    return tf.data.Dataset.from_tensor_slices((x, y)).shuffle(60000).batch(32)


def normalise(image, label):
    return (image - 0.5) / 0.25, label


def map_shuffle_batch(tf, x, y):
    return tf.data.Dataset.from_tensor_slices((x, y)).map(normalise).shuffle(60000).batch(32)


def reshape_map(tf, x, y):
    """A per-element map that is not elementwise (runs element by element)."""
    return tf.data.Dataset.from_tensor_slices((x, y)).map(
        lambda image, label: (tf.reshape(image, [28, 28]) / 255.0, label)).shuffle(
        60000).batch(32)


def birth_life():
    rng = np.random.default_rng(0)
    birth = rng.uniform(1, 7, 190).astype(np.float32)
    life = (80 - 5.5 * birth + rng.normal(0, 2, 190)).astype(np.float32)
    return birth, life


def huber_loss_of(tf):
    """Seed 004's Huber loss (a Python `if` on a tensor) with `tf`'s ops."""
    def huber_loss(y, y_predicted, m=1.0):
        t = y - y_predicted
        return 0.5 * t ** 2 if tf.abs(t) <= m else m * (tf.abs(t) - 0.5 * m)
    return huber_loss


def huber_autotrace(epochs):
    """Seed 004's loop, as written (tfe.Iterator, implicit_value_and_gradients)."""
    tf, tfe = autotrace, autotrace.eager
    birth, life = birth_life()
    dataset = tf.data.Dataset.from_tensor_slices((birth, life))
    w, b = tfe.Variable(0.0), tfe.Variable(0.0)
    huber_loss = huber_loss_of(tf)
    optimizer = tf.train.GradientDescentOptimizer(learning_rate=0.01)
    grad_fn = tfe.implicit_value_and_gradients(lambda x, y: huber_loss(y, x * w + b))
    start = time.perf_counter()
    for _ in range(epochs):
        total = 0.0
        for x_i, y_i in tfe.Iterator(dataset):
            loss, gradients = grad_fn(x_i, y_i)
            optimizer.apply_gradients(gradients)
            total += loss
    return time.perf_counter() - start, float(w.numpy())


def huber_tensorflow(epochs):
    """The same loop in TF 2's eager mode (tfe is gone: GradientTape does its work)."""
    tf = tensorflow
    birth, life = birth_life()
    dataset = tf.data.Dataset.from_tensor_slices((birth, life))
    w, b = tf.Variable(0.0), tf.Variable(0.0)
    huber_loss = huber_loss_of(tf)
    optimizer = tf.compat.v1.train.GradientDescentOptimizer(learning_rate=0.01)
    start = time.perf_counter()
    for _ in range(epochs):
        total = 0.0
        for x_i, y_i in iter(dataset):
            with tf.GradientTape() as tape:
                loss = huber_loss(y_i, x_i * w + b)
            grads = tape.gradient(loss, [w, b])
            optimizer.apply_gradients(zip(grads, [w, b]))
            total += loss
    return time.perf_counter() - start, float(w.numpy())


def best_of(rounds, timed):
    return min(timed() for _ in range(rounds))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--epochs", type=int, default=100, help="huber regression epochs")
    args = parser.parse_args()
    x, y = mnist_like()
    pipelines = [("shuffle(60000).batch(32), one epoch", shuffle_batch, 0.2),
                 ("map(normalise).shuffle.batch, one epoch", map_shuffle_batch, 2.0),
                 ("map(reshape), not elementwise, one epoch", reshape_map, None)]
    rows = []
    for name, make, target in pipelines:
        ours_ds = make(autotrace, x, y)
        epoch_seconds(ours_ds)  # warm up (traces the map function)
        theirs_ds = make(tensorflow, x, y) if tensorflow else None
        if theirs_ds is not None:
            epoch_seconds(theirs_ds)
        ours, theirs = [], []
        for _ in range(args.rounds):
            ours.append(epoch_seconds(ours_ds))
            if theirs_ds is not None:
                theirs.append(epoch_seconds(theirs_ds))
        rows.append((name, min(ours), min(theirs) if theirs else None, target))
    ours, theirs = [], []
    for _ in range(max(1, args.rounds - 1)):
        ours.append(huber_autotrace(args.epochs)[0])
        if tensorflow:
            theirs.append(huber_tensorflow(args.epochs)[0])
    rows.append(("seed 004 huber, %d epochs (TF: eager)" % args.epochs, min(ours),
                 min(theirs) if theirs else None, 1.0))
    print("tf.data: autotrace vs TensorFlow %s" % (tensorflow.__version__ if tensorflow
                                                     else "(not installed)"))
    print("%-44s %10s %10s %8s %8s" % ("workload", "autotrace", "TF", "ratio", "target"))
    for name, ours_t, theirs_t, target in rows:
        ratio = ours_t / theirs_t if theirs_t else None
        verdict = "" if ratio is None or target is None else (
            "ok" if ratio <= target else "MISS")
        print("%-44s %10s %10s %8s %8s %s" % (
            name, format_time(ours_t), format_time(theirs_t) if theirs_t else "-",
            "%.2fx" % ratio if ratio else "-", "<=%gx" % target if target else "", verdict))


if __name__ == "__main__":
    main()
