"""Keras speed targets (issue 15):

1. A custom training step (@tf.function, GradientTape, Adam) of a 784-100-10 Dense model at
   batch 32, against the same step written by hand in NumPy (forward, backward, Adam update
   in place). Target: at most 1.3x.
2. A Conv2D(32, 3x3) forward on 32x28x28x1, against the fastest NumPy formulation found
   (einsum over the strided window view; im2col and per-tap matmuls are timed too). Target:
   at most 2x.

Run: python benchmarks/bench_keras.py
"""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
import autotrace as tf  # noqa: E402
from timing import per_call, report  # noqa: E402

BETA_1, BETA_2, EPSILON, LR = 0.9, 0.999, 1e-7, 0.001


def mlp_data(seed=0):
    rng = np.random.default_rng(seed)
    x = rng.random((32, 784), dtype=np.float32)
    y = rng.integers(0, 10, 32).astype(np.int32)
    return x, y


def keras_train_step():
    model = tf.keras.Sequential([tf.keras.Input((784,)),
                                 tf.keras.layers.Dense(100, activation="relu"),
                                 tf.keras.layers.Dense(10)])
    optimizer = tf.keras.optimizers.Adam(learning_rate=LR)
    loss_fn = tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True)

    @tf.function
    def train_step(x, y):
        with tf.GradientTape() as tape:
            loss = loss_fn(y, model(x, training=True))
        gradients = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(gradients, model.trainable_variables))
        return loss
    return train_step, model


class NumpyAdamMLP:
    """The same step by hand: forward, softmax cross-entropy, backward, Adam in place."""

    def __init__(self, weights):
        self.params = [w.copy() for w in weights]
        self.m = [np.zeros_like(w) for w in weights]
        self.v = [np.zeros_like(w) for w in weights]
        self.t = 0

    def step(self, x, labels):
        w1, b1, w2, b2 = self.params
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
        dh = dlogits @ w2.T
        dpre = dh * (pre > 0)
        grads = [x.T @ dpre, dpre.sum(axis=0), h.T @ dlogits, dlogits.sum(axis=0)]
        self.t += 1
        alpha = float(LR * np.sqrt(1 - BETA_2 ** self.t) / (1 - BETA_1 ** self.t))
        for p, g, m, v in zip(self.params, grads, self.m, self.v):
            m += (g - m) * (1 - BETA_1)
            v += (g * g - v) * (1 - BETA_2)
            p -= alpha * m / (np.sqrt(v) + EPSILON)
        return loss


def check_same_step():
    """Both steps compute the same loss and update (so the times compare like for like)."""
    x, y = mlp_data()
    train_step, model = keras_train_step()
    by_hand = NumpyAdamMLP([w.numpy() for w in model.trainable_variables])
    for _ in range(3):
        ours, theirs = float(train_step(x, y)), by_hand.step(x, y)
        assert abs(ours - theirs) < 1e-4 * max(1.0, abs(theirs)), (ours, theirs)
    for w, p in zip(model.trainable_variables, by_hand.params):
        np.testing.assert_allclose(w.numpy(), p, rtol=1e-4, atol=1e-6)


def time_train_step():
    x, y = mlp_data()
    train_step, model = keras_train_step()
    xt, yt = tf.constant(x), tf.constant(y)
    train_step(xt, yt)
    by_hand = NumpyAdamMLP([w.numpy() for w in model.trainable_variables])
    return per_call(lambda: train_step(xt, yt)), per_call(lambda: by_hand.step(x, y))


swv = np.lib.stride_tricks.sliding_window_view


def numpy_conv_formulations(x, w):
    """Ways to write a 3x3 'valid' convolution in NumPy; the fastest is the baseline."""
    kh, kw, c, o = w.shape
    oh, ow = x.shape[1] - kh + 1, x.shape[2] - kw + 1

    def einsum():
        return np.einsum("nhwcij,ijco->nhwo", swv(x, (kh, kw), axis=(1, 2)), w,
                         optimize=True)

    def im2col():
        windows = swv(x, (kh, kw), axis=(1, 2)).transpose(0, 1, 2, 4, 5, 3)
        return (windows.reshape(-1, kh * kw * c) @ w.reshape(-1, o)).reshape(
            x.shape[0], oh, ow, o)

    def per_tap():
        out = np.zeros((x.shape[0], oh, ow, o), x.dtype)
        for i in range(kh):
            for j in range(kw):
                out += x[:, i:i + oh, j:j + ow, :] @ w[i, j]
        return out
    return {"einsum": einsum, "im2col": im2col, "per_tap": per_tap}


def time_conv_forward():
    rng = np.random.default_rng(0)
    x = rng.random((32, 28, 28, 1), dtype=np.float32)
    layer = tf.keras.layers.Conv2D(32, 3, use_bias=False)
    layer(x[:1])
    w = layer.kernel.numpy()
    formulations = numpy_conv_formulations(x, w)
    for fn in formulations.values():
        np.testing.assert_allclose(fn(), layer(x).numpy(), rtol=1e-4, atol=1e-5)
    times = {name: per_call(fn) for name, fn in formulations.items()}
    fastest = min(times, key=times.get)
    xt = tf.constant(x)
    forward = tf.function(lambda x: layer(x))
    forward(xt)
    return per_call(lambda: layer(xt)), per_call(lambda: forward(xt)), times[fastest], fastest


def main():
    check_same_step()
    step, by_hand = time_train_step()
    eager_conv, traced_conv, numpy_conv, fastest = time_conv_forward()
    report([("train step 784-100-10, batch 32, Adam", step, by_hand, 1.3),
            ("Conv2D(32, 3x3) forward, eager layer", eager_conv, numpy_conv, 2.0),
            ("Conv2D(32, 3x3) forward, traced", traced_conv, numpy_conv, 2.0)],
           "Keras building blocks vs hand-written NumPy (conv baseline: %s)" % fastest)


if __name__ == "__main__":
    main()
