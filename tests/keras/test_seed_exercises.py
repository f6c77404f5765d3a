"""Seed 001 (HOML chapter 12), exercises 12 and 13, run as written with `import autotrace as
tf`: only the data (Fashion-MNIST/CIFAR-10 downloads) and the number of steps are stand-ins."""
import gzip
from collections import OrderedDict

import numpy as np
import pytest

import autotrace as tf


# -- exercise 12: a custom LayerNormalization equals keras.layers.LayerNormalization -----------

class LayerNormalization(tf.keras.layers.Layer):
    def __init__(self, eps=0.001, **kwargs):
        super().__init__(**kwargs)
        self.eps = eps

    def build(self, batch_input_shape):
        self.alpha = self.add_weight(
            name="alpha", shape=batch_input_shape[-1:],
            initializer="ones")
        self.beta = self.add_weight(
            name="beta", shape=batch_input_shape[-1:],
            initializer="zeros")
        super().build(batch_input_shape)  # must be at the end

    def call(self, X):
        mean, variance = tf.nn.moments(X, axes=-1, keepdims=True)
        return self.alpha * (X - mean) / (tf.sqrt(variance + self.eps)) + self.beta

    def compute_output_shape(self, batch_input_shape):
        return batch_input_shape

    def get_config(self):
        base_config = super().get_config()
        return {**base_config, "eps": self.eps}


def test_exercise_12_custom_layer_normalization_matches_keras():
    # CIFAR-10's shape and pixel range: (n, 32, 32, 3) uint8
    X_train = np.random.default_rng(0).integers(0, 256, (64, 32, 32, 3)).astype(np.uint8)
    X = X_train.astype(np.float32)

    custom_layer_norm = LayerNormalization()
    keras_layer_norm = tf.keras.layers.LayerNormalization()

    difference = tf.reduce_mean(tf.keras.losses.mean_absolute_error(
        keras_layer_norm(X), custom_layer_norm(X)))
    assert float(difference) < 1e-6
    # and both are the hand-computed layer normalization
    mean = X.mean(axis=-1, keepdims=True)
    expected = (X - mean) / np.sqrt(X.var(axis=-1, keepdims=True) + 0.001)
    np.testing.assert_allclose(keras_layer_norm(X).numpy(), expected, rtol=1e-4, atol=1e-4)
    assert [w.name for w in custom_layer_norm.weights] == ["alpha", "beta"]
    config = custom_layer_norm.get_config()
    assert config["eps"] == 0.001 and config["name"] == custom_layer_norm.name
    assert LayerNormalization.from_config(config).eps == 0.001


# -- exercise 13: custom training loops on Fashion MNIST's shapes -------------------------------

def _write_fashion_mnist(home, n_train=6000, n_test=500, seed=0):
    """A learnable stand-in for Fashion-MNIST in Keras's cache layout: class k brightens a
    band of rows (noisy)."""
    folder = home / "datasets" / "fashion-mnist"
    folder.mkdir(parents=True)
    rng = np.random.default_rng(seed)
    for split, n in (("train", n_train), ("t10k", n_test)):
        y = rng.integers(0, 10, n).astype(np.uint8)
        x = rng.integers(0, 200, (n, 28, 28)).astype(np.uint8)
        for k in range(10):
            x[y == k, 2 * k:2 * k + 3, :] //= 4
            x[y == k, 2 * k:2 * k + 3, :] += 40
        for kind, header, data in (("labels-idx1", 8, y), ("images-idx3", 16, x)):
            with gzip.open(folder / ("%s-%s-ubyte.gz" % (split, kind)), "wb") as f:
                f.write(bytes(header) + data.tobytes())


@pytest.fixture
def fashion_mnist(tmp_path, monkeypatch):
    _write_fashion_mnist(tmp_path)
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    (X_train_full, y_train_full), (X_test, y_test) = \
        tf.keras.datasets.fashion_mnist.load_data()
    assert X_train_full.shape == (6000, 28, 28) and X_train_full.dtype == np.uint8
    X_train_full = X_train_full.astype(np.float32) / 255.
    X_valid, X_train = X_train_full[:5000], X_train_full[5000:]
    y_valid, y_train = y_train_full[:5000], y_train_full[5000:]
    return X_train, y_train, X_valid, y_valid


def random_batch(X, y, batch_size=32):
    idx = np.random.randint(len(X), size=batch_size)
    return X[idx], y[idx]


def test_exercise_13a_custom_training_loop(fashion_mnist):
    trange = pytest.importorskip("tqdm").trange
    X_train, y_train, X_valid, y_valid = fashion_mnist
    tf.keras.backend.clear_session()
    np.random.seed(42)
    tf.random.set_seed(42)
    model = tf.keras.Sequential([
        tf.keras.layers.Flatten(input_shape=[28, 28]),
        tf.keras.layers.Dense(100, activation="relu"),
        tf.keras.layers.Dense(10, activation="softmax"),
    ])
    n_epochs = 3
    n_steps = 15
    optimizer = tf.keras.optimizers.Nadam(learning_rate=0.01)
    loss_fn = tf.keras.losses.sparse_categorical_crossentropy
    mean_loss = tf.keras.metrics.Mean()
    metrics = [tf.keras.metrics.SparseCategoricalAccuracy()]
    history = []
    with trange(1, n_epochs + 1, desc="All epochs") as epochs:
        for epoch in epochs:
            with trange(1, n_steps + 1, desc=f"Epoch {epoch}/{n_epochs}") as steps:
                for step in steps:
                    X_batch, y_batch = random_batch(X_train, y_train)
                    with tf.GradientTape() as tape:
                        y_pred = model(X_batch)
                        main_loss = tf.reduce_mean(loss_fn(y_batch, y_pred))
                        loss = tf.add_n([main_loss] + model.losses)
                    gradients = tape.gradient(loss, model.trainable_variables)
                    optimizer.apply_gradients(zip(gradients, model.trainable_variables))
                    for variable in model.variables:
                        if variable.constraint is not None:
                            variable.assign(variable.constraint(variable))
                    status = OrderedDict()
                    mean_loss(loss)
                    status["loss"] = mean_loss.result().numpy()
                    for metric in metrics:
                        metric(y_batch, y_pred)
                        status[metric.name] = metric.result().numpy()
                    steps.set_postfix(status)
                y_pred = model(X_valid)
                status["val_loss"] = np.mean(loss_fn(y_valid, y_pred))
                status["val_accuracy"] = np.mean(tf.keras.metrics.sparse_categorical_accuracy(
                    tf.constant(y_valid, dtype=np.float32), y_pred))
                steps.set_postfix(status)
            history.append(status)
            for metric in [mean_loss] + metrics:
                metric.reset_states()
    assert [v.path for v in model.trainable_variables] == [
        "sequential/dense/kernel", "sequential/dense/bias",
        "sequential/dense_1/kernel", "sequential/dense_1/bias"]
    assert history[-1]["loss"] < 0.7 * history[0]["loss"]
    assert history[-1]["val_loss"] < 0.7 * history[0]["val_loss"]
    assert history[-1]["val_accuracy"] > 0.5
    assert int(optimizer.iterations.numpy()) == n_epochs * n_steps


def test_exercise_13b_two_optimizers_each_update_their_own_layers(fashion_mnist):
    trange = pytest.importorskip("tqdm").trange
    X_train, y_train, X_valid, y_valid = fashion_mnist
    tf.keras.backend.clear_session()
    np.random.seed(42)
    tf.random.set_seed(42)
    lower_layers = tf.keras.Sequential([
        tf.keras.layers.Flatten(input_shape=[28, 28]),
        tf.keras.layers.Dense(100, activation="relu"),
    ])
    upper_layers = tf.keras.Sequential([
        tf.keras.layers.Dense(10, activation="softmax"),
    ])
    model = tf.keras.Sequential([
        lower_layers, upper_layers
    ])
    lower_optimizer = tf.keras.optimizers.SGD(learning_rate=1e-4)
    upper_optimizer = tf.keras.optimizers.Nadam(learning_rate=1e-3)
    n_epochs = 2
    n_steps = 15
    loss_fn = tf.keras.losses.sparse_categorical_crossentropy
    mean_loss = tf.keras.metrics.Mean()
    metrics = [tf.keras.metrics.SparseCategoricalAccuracy()]
    history = []
    first_step = {}
    with trange(1, n_epochs + 1, desc="All epochs") as epochs:
        for epoch in epochs:
            with trange(1, n_steps + 1, desc=f"Epoch {epoch}/{n_epochs}") as steps:
                for step in steps:
                    X_batch, y_batch = random_batch(X_train, y_train)
                    before = [v.numpy() for v in model.trainable_variables]
                    with tf.GradientTape(persistent=True) as tape:
                        y_pred = model(X_batch)
                        main_loss = tf.reduce_mean(loss_fn(y_batch, y_pred))
                        loss = tf.add_n([main_loss] + model.losses)
                    for layers, optimizer in ((lower_layers, lower_optimizer),
                                              (upper_layers, upper_optimizer)):
                        gradients = tape.gradient(loss, layers.trainable_variables)
                        optimizer.apply_gradients(zip(gradients, layers.trainable_variables))
                        if not first_step.get(optimizer.name):
                            first_step[optimizer.name] = (before, gradients)
                    del tape
                    for variable in model.variables:
                        if variable.constraint is not None:
                            variable.assign(variable.constraint(variable))
                    status = OrderedDict()
                    mean_loss(loss)
                    status["loss"] = mean_loss.result().numpy()
                    for metric in metrics:
                        metric(y_batch, y_pred)
                        status[metric.name] = metric.result().numpy()
                    steps.set_postfix(status)
                    if epoch == 1 and step == 1:
                        after_first = [v.numpy() for v in model.trainable_variables]
                y_pred = model(X_valid)
                status["val_loss"] = np.mean(loss_fn(y_valid, y_pred))
                status["val_accuracy"] = np.mean(tf.keras.metrics.sparse_categorical_accuracy(
                    tf.constant(y_valid, dtype=np.float32), y_pred))
                steps.set_postfix(status)
            history.append(status)
            for metric in [mean_loss] + metrics:
                metric.reset_states()
    assert history[-1]["loss"] < history[0]["loss"]
    assert history[-1]["val_loss"] < history[0]["val_loss"]
    # Each optimizer stepped once per batch, on its own variables only.
    assert int(lower_optimizer.iterations.numpy()) == n_epochs * n_steps
    assert int(upper_optimizer.iterations.numpy()) == n_epochs * n_steps
    lower_vars = {id(v) for v in lower_layers.trainable_variables}
    upper_vars = {id(v) for v in upper_layers.trainable_variables}
    assert len(lower_vars) == len(upper_vars) == 2 and not lower_vars & upper_vars
    assert all(id(key.deref()) in upper_vars for key, _ in upper_optimizer._slots)
    # The first step: the lower layers moved by exactly -1e-4 * gradient (plain SGD), the
    # upper layers exactly as a fresh Nadam moves copies of them with the same gradients.
    before, gradients = first_step[lower_optimizer.name]
    for old, new, g in zip(before[:2], after_first[:2], gradients):
        np.testing.assert_allclose(new, old - 1e-4 * g.numpy(), rtol=1e-5, atol=1e-8)
    before, gradients = first_step[upper_optimizer.name]
    copies = [tf.Variable(old) for old in before[2:]]
    tf.keras.optimizers.Nadam(learning_rate=1e-3).apply_gradients(zip(gradients, copies))
    for copy, new, old in zip(copies, after_first[2:], before[2:]):
        np.testing.assert_allclose(new, copy.numpy(), rtol=1e-6, atol=1e-7)
        assert np.abs(new - old).max() > 1e-4
