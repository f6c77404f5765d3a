"""Gradient speed target (issue 5): one SGD step of a 2-layer MLP (256x784 -> 100 -> 10, relu,
sparse softmax cross-entropy) inside autotrace.function, against the same step hand-written
in NumPy (forward + backward + update). Target: at most 1.25x.

Run: python benchmarks/bench_gradients.py
"""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
import autotrace as tf  # noqa: E402
from timing import per_call, report  # noqa: E402


def data(seed=0):
    rng = np.random.default_rng(seed)
    x = rng.random((256, 784), dtype=np.float32)
    labels = rng.integers(0, 10, 256).astype(np.int32)
    w1 = rng.normal(0, 0.05, (784, 100)).astype(np.float32)
    w2 = rng.normal(0, 0.05, (100, 10)).astype(np.float32)
    return x, labels, w1, np.zeros(100, np.float32), w2, np.zeros(10, np.float32)


def numpy_step(params, x, labels, lr=np.float32(0.1)):
    w1, b1, w2, b2 = params
    pre = x @ w1 + b1
    h = np.maximum(pre, 0)
    logits = h @ w2 + b2
    shifted = logits - logits.max(axis=1, keepdims=True)
    e = np.exp(shifted)
    probs = e / e.sum(axis=1, keepdims=True)
    n = x.shape[0]
    loss = -np.log(probs[np.arange(n), labels]).mean()
    dlogits = probs
    dlogits[np.arange(n), labels] -= 1
    dlogits /= n
    dw2, db2 = h.T @ dlogits, dlogits.sum(axis=0)
    dh = dlogits @ w2.T
    dpre = dh * (pre > 0)
    dw1, db1 = x.T @ dpre, dpre.sum(axis=0)
    w1 -= lr * dw1
    b1 -= lr * db1
    w2 -= lr * dw2
    b2 -= lr * db2
    return loss


def make_train_step(m, weights, learning_rate, **function_options):
    """The MLP's SGD step in module `m`'s API (autotrace, or TensorFlow: the same source), as
    a traced function; returns (train_step, the parameter Variables)."""
    params = [m.Variable(p) for p in weights]
    opt = m.keras.optimizers.SGD(learning_rate=learning_rate)

    @m.function(**function_options)
    def train_step(x, y):
        with m.GradientTape() as tape:
            h = m.nn.relu(m.matmul(x, params[0]) + params[1])
            logits = m.matmul(h, params[2]) + params[3]
            loss = m.reduce_mean(
                m.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits))
        grads = tape.gradient(loss, params)
        opt.apply_gradients(zip(grads, params))
        return loss
    return train_step, params


def main():
    x, labels, w1, b1, w2, b2 = data()
    train_step, params = make_train_step(tf, (w1, b1, w2, b2), 0.1)

    np_params = [p.copy() for p in (w1, b1, w2, b2)]
    xt, yt = tf.constant(x), tf.constant(labels)
    ours, reference = float(train_step(xt, yt)), numpy_step(np_params, x, labels)
    assert abs(ours - reference) < 1e-5, (ours, reference)
    np.testing.assert_allclose(params[0].numpy(), np_params[0], atol=1e-5)
    rows = [("MLP SGD step 256x784->100->10", per_call(lambda: train_step(xt, yt), min_time=1.0),
             per_call(lambda: numpy_step(np_params, x, labels), min_time=1.0), 1.25)]
    report(rows, "Gradients inside autotrace.function vs hand-written NumPy")


if __name__ == "__main__":
    main()
