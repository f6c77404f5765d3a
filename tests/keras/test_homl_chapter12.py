"""HOML chapter 12 ("Custom models and training with TensorFlow"): each custom component,
restated with `import autotrace as tf` and checked by value. compile()/fit() belong to the
next issue, so the components are exercised in custom training loops, as the chapter's last
section does. Data: California housing's shape (8 features, one target)."""
import numpy as np
import pytest

import autotrace as tf
from autotrace import keras

RNG = np.random.default_rng(12)
X_train = RNG.normal(size=(256, 8)).astype(np.float32)
TRUE_W = RNG.normal(size=(8, 1)).astype(np.float32)
y_train = (X_train @ TRUE_W + 0.5 + 0.1 * RNG.normal(size=(256, 1))).astype(np.float32)


# -- custom loss functions ---------------------------------------------------------------------

def huber_fn(y_true, y_pred):
    error = y_true - y_pred
    is_small_error = tf.abs(error) < 1
    squared_loss = tf.square(error) / 2
    linear_loss = tf.abs(error) - 0.5
    return tf.where(is_small_error, squared_loss, linear_loss)


def create_huber(threshold=1.0):
    def huber_fn(y_true, y_pred):
        error = y_true - y_pred
        is_small_error = tf.abs(error) < threshold
        squared_loss = tf.square(error) / 2
        linear_loss = threshold * tf.abs(error) - threshold ** 2 / 2
        return tf.where(is_small_error, squared_loss, linear_loss)
    return huber_fn


class HuberLoss(keras.losses.Loss):
    def __init__(self, threshold=1.0, **kwargs):
        self.threshold = threshold
        super().__init__(**kwargs)

    def call(self, y_true, y_pred):
        error = y_true - y_pred
        is_small_error = tf.abs(error) < self.threshold
        squared_loss = tf.square(error) / 2
        linear_loss = self.threshold * tf.abs(error) - self.threshold ** 2 / 2
        return tf.where(is_small_error, squared_loss, linear_loss)

    def get_config(self):
        base_config = super().get_config()
        return {**base_config, "threshold": self.threshold}


def test_huber_function_and_class_agree_with_keras_huber():
    y_true = np.array([[0.0], [1.0], [3.0], [-2.0]], np.float32)
    y_pred = np.array([[0.5], [1.2], [0.0], [2.0]], np.float32)
    errors = np.abs(y_true - y_pred)
    expected = np.where(errors < 2.0, errors ** 2 / 2, 2.0 * errors - 2.0)
    np.testing.assert_allclose(create_huber(2.0)(y_true, y_pred).numpy(), expected)
    np.testing.assert_allclose(huber_fn(y_true, y_pred).numpy(),
                               np.where(errors < 1, errors ** 2 / 2, errors - 0.5))
    loss = HuberLoss(2.0)
    assert float(loss(y_true, y_pred)) == pytest.approx(expected.mean())
    assert float(keras.losses.Huber(delta=2.0)(y_true, y_pred)) == pytest.approx(
        expected.mean())
    config = loss.get_config()
    assert config == {"name": "huber_loss", "reduction": "sum_over_batch_size",
                      "threshold": 2.0}
    assert HuberLoss.from_config(config).threshold == 2.0
    # sample weights, and the loss traced inside a function (Keras makes losses TF functions)
    weighted = loss(y_true, y_pred, sample_weight=np.array([1.0, 0.0, 1.0, 0.0]))
    assert float(weighted) == pytest.approx((expected[0] + expected[2]).sum() / 4)
    traced = tf.function(lambda a, b: loss(a, b))
    assert float(traced(y_true, y_pred)) == pytest.approx(expected.mean())


# -- custom activation, initializer, regularizer, constraint ----------------------------------

def my_softplus(z):
    return tf.math.log(tf.exp(z) + 1.0)


def my_glorot_initializer(shape, dtype=tf.float32):
    stddev = tf.sqrt(2. / (shape[0] + shape[1]))
    return tf.random.normal(shape, stddev=stddev, dtype=dtype)


def my_l1_regularizer(weights):
    return tf.reduce_sum(tf.abs(0.01 * weights))


def my_positive_weights(weights):
    return tf.where(weights < 0., tf.zeros_like(weights), weights)


class MyL1Regularizer(keras.regularizers.Regularizer):
    def __init__(self, factor):
        self.factor = factor

    def __call__(self, weights):
        return tf.reduce_sum(tf.abs(self.factor * weights))

    def get_config(self):
        return {"factor": self.factor}


def test_custom_activation_initializer_regularizer_and_constraint():
    tf.random.set_seed(42)
    layer = keras.layers.Dense(1, activation=my_softplus,
                               kernel_initializer=my_glorot_initializer,
                               kernel_regularizer=my_l1_regularizer,
                               kernel_constraint=my_positive_weights)
    out = layer(X_train[:4])
    kernel = layer.kernel.numpy()
    np.testing.assert_allclose(out.numpy(), np.log1p(np.exp(X_train[:4] @ kernel)), rtol=1e-5)
    assert kernel.std() < 1.5  # drawn with stddev sqrt(2 / 9)
    assert float(layer.losses[0]) == pytest.approx(0.01 * np.abs(kernel).sum(), rel=1e-5)
    assert layer.kernel.constraint is my_positive_weights
    layer.kernel.assign(layer.kernel.constraint(layer.kernel))
    assert (layer.kernel.numpy() >= 0).all() and (layer.kernel.numpy() == np.maximum(kernel,
                                                                                    0)).all()
    classy = keras.layers.Dense(1, kernel_regularizer=MyL1Regularizer(0.5))
    classy(X_train[:1])
    assert float(classy.losses[0]) == pytest.approx(0.5 * np.abs(classy.kernel.numpy()).sum(),
                                                    rel=1e-5)
    config = classy.get_config()["kernel_regularizer"]
    assert config["class_name"] == "MyL1Regularizer" and config["config"] == {"factor": 0.5}


# -- a streaming metric --------------------------------------------------------------------------

class HuberMetric(keras.metrics.Metric):
    def __init__(self, threshold=1.0, **kwargs):
        super().__init__(**kwargs)  # handles base args (e.g., dtype)
        self.threshold = threshold
        self.huber_fn = create_huber(threshold)
        self.total = self.add_weight("total", initializer="zeros")
        self.count = self.add_weight("count", initializer="zeros")

    def update_state(self, y_true, y_pred, sample_weight=None):
        sample_metrics = self.huber_fn(y_true, y_pred)
        self.total.assign_add(tf.reduce_sum(sample_metrics))
        self.count.assign_add(tf.cast(tf.size(y_true), tf.float32))

    def result(self):
        return self.total / self.count

    def get_config(self):
        base_config = super().get_config()
        return {**base_config, "threshold": self.threshold}


def test_huber_metric_streams_over_batches():
    metric = HuberMetric(2.0)
    assert [v.path for v in metric.variables] == ["huber_metric/total", "huber_metric/count"]
    assert float(metric(tf.constant([[2.0]]), tf.constant([[1.0]]))) == 0.5
    assert float(metric(tf.constant([[0.0], [5.0]]), tf.constant([[1.0], [10.0]]))) == 3.0
    assert float(metric.result()) == 3.0  # (0.5 + 0.5 + 8) / 3
    metric.reset_state()
    assert metric.variables[0].numpy() == 0 and metric.variables[1].numpy() == 0
    assert metric.get_config() == {"name": "huber_metric", "dtype": "float32",
                                   "threshold": 2.0}
    mean = keras.metrics.Mean()      # HOML's precision example: streaming vs per batch
    mean([1.0, 2.0])
    mean([3.0])
    assert float(mean.result()) == 2.0


# -- custom layers and models ----------------------------------------------------------------

class MyDense(keras.layers.Layer):
    def __init__(self, units, activation=None, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.activation = keras.activations.get(activation)

    def build(self, batch_input_shape):
        self.kernel = self.add_weight(
            name="kernel", shape=[batch_input_shape[-1], self.units],
            initializer="glorot_normal")
        self.bias = self.add_weight(
            name="bias", shape=[self.units], initializer="zeros")
        super().build(batch_input_shape)  # must be at the end

    def call(self, X):
        return self.activation(X @ self.kernel + self.bias)

    def compute_output_shape(self, batch_input_shape):
        return tf.TensorShape(batch_input_shape.as_list()[:-1] + [self.units])

    def get_config(self):
        base_config = super().get_config()
        return {**base_config, "units": self.units,
                "activation": keras.activations.serialize(self.activation)}


class MyMultiLayer(keras.layers.Layer):
    def call(self, X):
        X1, X2 = X
        return X1 + X2, X1 * X2


class AddGaussianNoise(keras.layers.Layer):
    def __init__(self, stddev, **kwargs):
        super().__init__(**kwargs)
        self.stddev = stddev

    def call(self, X, training=None):
        if training:
            noise = tf.random.normal(tf.shape(X), stddev=self.stddev)
            return X + noise
        else:
            return X


def test_my_dense_multi_input_and_noise_layers():
    layer = MyDense(3, activation="relu")
    out = layer(X_train[:5])
    np.testing.assert_allclose(out.numpy(), np.maximum(
        X_train[:5] @ layer.kernel.numpy(), 0), rtol=1e-5)
    assert MyDense.from_config(layer.get_config()).units == 3
    inputs = keras.Input((8,))
    model = keras.Model(inputs, MyDense(2)(inputs))
    assert model.output_shape == (None, 2)
    a, b = MyMultiLayer()((X_train[:2], X_train[2:4]))
    np.testing.assert_allclose(b.numpy(), X_train[:2] * X_train[2:4])
    noise = AddGaussianNoise(0.1)
    assert (noise(X_train).numpy() == X_train).all()
    noisy = noise(X_train, training=True).numpy() - X_train
    assert 0.08 < noisy.std() < 0.12
    exponential_layer = keras.layers.Lambda(lambda x: tf.exp(x))
    assert exponential_layer(tf.constant([0.0])).numpy().tolist() == [1.0]

    # Inside a traced function the tensor `if training:` of the call is converted.
    @tf.function
    def apply(x, training):
        return noise(x, training=training)
    assert (apply(X_train, tf.constant(False)).numpy() == X_train).all()
    assert (apply(X_train, tf.constant(True)).numpy() != X_train).any()


class ResidualBlock(keras.layers.Layer):
    def __init__(self, n_layers, n_neurons, **kwargs):
        super().__init__(**kwargs)
        self.hidden = [keras.layers.Dense(n_neurons, activation="relu",
                                          kernel_initializer="he_normal")
                       for _ in range(n_layers)]

    def call(self, inputs):
        Z = inputs
        for layer in self.hidden:
            Z = layer(Z)
        return inputs + Z


class ResidualRegressor(keras.Model):
    def __init__(self, output_dim, **kwargs):
        super().__init__(**kwargs)
        self.hidden1 = keras.layers.Dense(30, activation="relu",
                                          kernel_initializer="he_normal")
        self.block1 = ResidualBlock(2, 30)
        self.block2 = ResidualBlock(2, 30)
        self.out = keras.layers.Dense(output_dim)

    def call(self, inputs):
        Z = self.hidden1(inputs)
        for _ in range(1 + 3):
            Z = self.block1(Z)
        Z = self.block2(Z)
        return self.out(Z)


def test_residual_regressor_tracks_shared_blocks_and_trains():
    tf.random.set_seed(42)
    model = ResidualRegressor(1)
    model(X_train[:2])
    assert [layer.name for layer in model.layers] == ["dense", "residual_block",
                                                      "residual_block_1", "dense_5"]
    assert len(model.trainable_variables) == 2 + 4 + 4 + 2    # block1 reused 4 times
    lines = []
    model.summary(print_fn=lines.append)
    assert " Total params: 4,021 (15.71 KB)" in lines[0]
    optimizer = keras.optimizers.Nadam(learning_rate=0.002)
    loss_fn = keras.losses.mean_squared_error

    @tf.function
    def train_step(x, y):
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(loss_fn(y, model(x)))
        grads = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(grads, model.trainable_variables))
        return loss
    first = float(train_step(X_train, y_train))
    for _ in range(60):
        last = float(train_step(X_train, y_train))
    assert last < 0.2 * first


class ReconstructingRegressor(keras.Model):
    """HOML's model with a reconstruction loss; its metric is tracked as Keras 3 does (a
    Metric attribute updated in call; Keras 3 removed add_metric)."""

    def __init__(self, output_dim, **kwargs):
        super().__init__(**kwargs)
        self.hidden = [keras.layers.Dense(30, activation="selu",
                                          kernel_initializer="lecun_normal")
                       for _ in range(5)]
        self.out = keras.layers.Dense(output_dim)
        self.reconstruction_mean = keras.metrics.Mean(name="reconstruction_error")

    def build(self, batch_input_shape):
        n_inputs = batch_input_shape[-1]
        self.reconstruct = keras.layers.Dense(n_inputs)
        super().build(batch_input_shape)

    def call(self, inputs, training=None):
        Z = inputs
        for layer in self.hidden:
            Z = layer(Z)
        reconstruction = self.reconstruct(Z)
        recon_loss = tf.reduce_mean(tf.square(reconstruction - inputs))
        self.add_loss(0.05 * recon_loss)
        if training:
            self.reconstruction_mean.update_state(recon_loss)
        return self.out(Z)


def test_reconstruction_loss_through_add_loss():
    tf.random.set_seed(1)
    model = ReconstructingRegressor(1)
    out = model(X_train[:32])
    assert out.shape == (32, 1) and len(model.losses) == 1
    reconstruct = model.reconstruct
    hidden = X_train[:32]
    for layer in model.hidden:
        hidden = layer(hidden).numpy()
    expected = 0.05 * np.mean((hidden @ reconstruct.kernel.numpy() + reconstruct.bias.numpy()
                               - X_train[:32]) ** 2)
    assert float(model.losses[0]) == pytest.approx(expected, rel=1e-4)
    assert [m.name for m in model.metrics] == ["reconstruction_error"]
    optimizer = keras.optimizers.Adam(0.01)

    @tf.function
    def train_step(x, y):
        with tf.GradientTape() as tape:
            y_pred = model(x, training=True)
            loss = tf.reduce_mean(keras.losses.mse(y, y_pred)) + tf.add_n(model.losses)
        grads = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(grads, model.trainable_variables))
        return loss, model.losses[0]
    first_total, first_recon = train_step(X_train, y_train)
    for _ in range(40):
        total, recon = train_step(X_train, y_train)
    assert float(total) < 0.5 * float(first_total) and float(recon) < float(first_recon)
    assert model.metrics[0].count.numpy() == 41


# -- the custom training loop -----------------------------------------------------------------

def random_batch(X, y, batch_size=32):
    idx = np.random.randint(len(X), size=batch_size)
    return X[idx], y[idx]


def print_status_bar(iteration, total, loss, metrics=None):
    metrics = " - ".join(["{}: {:.4f}".format(m.name, m.result())
                          for m in [loss] + (metrics or [])])
    end = "" if iteration < total else "\n"
    return "\r{}/{} - ".format(iteration, total) + metrics + end


def test_custom_training_loop_with_mean_loss_and_metrics():
    np.random.seed(42)
    tf.random.set_seed(42)
    l2_reg = keras.regularizers.l2(0.05)
    model = keras.models.Sequential([
        keras.layers.Dense(30, activation="elu", kernel_initializer="he_normal",
                           kernel_regularizer=l2_reg),
        keras.layers.Dense(1, kernel_regularizer=l2_reg)
    ])
    n_epochs = 5
    batch_size = 32
    n_steps = len(X_train) // batch_size
    optimizer = keras.optimizers.Nadam(learning_rate=0.01)
    loss_fn = keras.losses.mean_squared_error
    mean_loss = keras.metrics.Mean()
    metrics = [keras.metrics.MeanAbsoluteError()]
    history = []
    for epoch in range(1, n_epochs + 1):
        for step in range(1, n_steps + 1):
            X_batch, y_batch = random_batch(X_train, y_train)
            with tf.GradientTape() as tape:
                y_pred = model(X_batch, training=True)
                main_loss = tf.reduce_mean(loss_fn(y_batch, y_pred))
                loss = tf.add_n([main_loss] + model.losses)
            gradients = tape.gradient(loss, model.trainable_variables)
            optimizer.apply_gradients(zip(gradients, model.trainable_variables))
            for variable in model.variables:
                if variable.constraint is not None:
                    variable.assign(variable.constraint(variable))
            mean_loss(loss)
            for metric in metrics:
                metric(y_batch, y_pred)
            status = print_status_bar(step * batch_size, len(y_train), mean_loss, metrics)
        history.append((float(mean_loss.result()), float(metrics[0].result())))
        for metric in [mean_loss] + metrics:
            metric.reset_state()
    assert status.startswith("\r256/256 - mean: ") and "mean_absolute_error: " in status
    assert len(model.losses) == 2
    assert history[-1][0] < 0.5 * history[0][0]
    assert history[-1][1] < history[0][1]
