"""Training end to end: the seeds' scripts, exercise 13's loop, and optimizer arithmetic."""
import random

import numpy as np
import pytest

import autotrace as tf

v1 = tf.compat.v1


def test_seed_002_linear_regression_with_a_session():
    """Seed 002's script: the graph is built once; each sess.run feeds one example and runs
    the train op (whose side effect updates m and b)."""
    with tf.Graph().as_default():
        m = v1.get_variable("m", [], initializer=v1.constant_initializer(0.0))
        b = v1.get_variable("b", [], initializer=v1.constant_initializer(0.0))
        init = v1.global_variables_initializer()
        x = v1.placeholder(tf.float32)
        y = v1.placeholder(tf.float32)
        loss = tf.square(y - (m * x + b))
        train_op = v1.train.GradientDescentOptimizer(0.05).minimize(loss)
        sess = v1.Session()
        sess.run(init)
        rng = random.Random(0)
        true_m, true_b = rng.random(), rng.random()
        for _ in range(3000):
            xd = rng.random()
            last, _ = sess.run([loss, train_op], feed_dict={x: xd, y: true_m * xd + true_b})
        learned_m, learned_b = sess.run([m, b])
    assert abs(learned_m - true_m) < 0.01 and abs(learned_b - true_b) < 0.01
    assert last < 1e-4


def test_v1_gradients_are_graph_nodes():
    with tf.Graph().as_default():
        x = v1.placeholder(tf.float32)
        y = x * x * 3.0
        (dx,) = v1.gradients(y, [x])
        with v1.Session() as sess:
            assert sess.run(dx, feed_dict={x: 2.0}) == 12.0


def huber_loss(y, y_predicted, m=1.0):
    """Seed 004's Huber loss, with a Python conditional expression on a tensor."""
    t = y - y_predicted
    return 0.5 * t ** 2 if tf.abs(t) <= m else m * (tf.abs(t) - 0.5 * m)


def _huber_data():
    rng = np.random.default_rng(1)
    xs = rng.uniform(0, 5, 60).astype(np.float32)
    ys = 3.0 * xs + 2.0 + rng.normal(0, 0.3, 60).astype(np.float32)
    ys[::15] += 25.0  # outliers: the Huber loss keeps them from dominating
    return xs, ys


def test_seed_004_huber_regression_with_implicit_gradients():
    xs, ys = _huber_data()
    w, b = tf.eager.Variable(0.0), tf.eager.Variable(0.0)

    def loss_for_example(x, y):
        return huber_loss(y, x * w + b)

    grad_fn = tf.eager.implicit_value_and_gradients(loss_for_example)
    optimizer = tf.keras.optimizers.SGD(learning_rate=0.02)
    for _ in range(40):
        for x, y in zip(xs, ys):
            _, gradients = grad_fn(x, y)
            optimizer.apply_gradients(gradients)
    assert abs(w.numpy() - 3.0) < 0.15 and abs(b.numpy() - 2.0) < 0.4


def test_huber_regression_traced_with_a_python_if():
    xs, ys = _huber_data()
    w, b = tf.Variable(0.0), tf.Variable(0.0)
    optimizer = tf.keras.optimizers.SGD(learning_rate=0.02)

    @tf.function
    def step(x, y):
        with tf.GradientTape() as tape:
            loss = huber_loss(y, x * w + b)
        optimizer.apply_gradients(zip(tape.gradient(loss, [w, b]), [w, b]))
        return loss

    for _ in range(40):
        for x, y in zip(xs, ys):
            step(tf.constant(x), tf.constant(y))
    assert step.experimental_get_tracing_count() == 1
    assert abs(w.numpy() - 3.0) < 0.15 and abs(b.numpy() - 2.0) < 0.4


class Dense(tf.Module):
    def __init__(self, n_in, n_out, activation=None, seed=0):
        super().__init__()
        rng = np.random.default_rng(seed)
        limit = np.sqrt(6.0 / (n_in + n_out))
        self.w = tf.Variable(rng.uniform(-limit, limit, (n_in, n_out)).astype(np.float32))
        self.b = tf.Variable(np.zeros(n_out, np.float32))
        self.activation = activation

    def __call__(self, x):
        y = tf.matmul(x, self.w) + self.b
        return self.activation(y) if self.activation else y


def test_exercise_13_custom_loop_with_two_optimizers():
    """A persistent tape, one loss, two optimizers for the lower and upper layers; mean loss
    and accuracy computed by hand; the model learns a synthetic 3-class problem."""
    rng = np.random.default_rng(0)
    centers = rng.normal(0, 3, (3, 8)).astype(np.float32)
    labels = rng.integers(0, 3, 600)
    X = (centers[labels] + rng.normal(0, 1, (600, 8))).astype(np.float32)
    lower, upper = Dense(8, 16, tf.nn.relu, seed=1), Dense(16, 3, seed=2)
    lower_opt = tf.keras.optimizers.SGD(learning_rate=0.05)
    upper_opt = tf.keras.optimizers.Nadam(learning_rate=0.01)

    @tf.function
    def train_step(x, y):
        with tf.GradientTape(persistent=True) as tape:
            logits = upper(lower(x))
            loss = tf.reduce_mean(
                tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits))
        for layer, opt in ((lower, lower_opt), (upper, upper_opt)):
            grads = tape.gradient(loss, layer.trainable_variables)
            opt.apply_gradients(zip(grads, layer.trainable_variables))
        accuracy = tf.reduce_mean(tf.cast(
            tf.equal(tf.argmax(logits, axis=1, output_type=tf.int64),
                     tf.cast(y, tf.int64)), tf.float32))
        return loss, accuracy

    history = []
    for epoch in range(8):
        losses, accuracies = [], []
        for start in range(0, 600, 32):
            loss, acc = train_step(X[start:start + 32], labels[start:start + 32])
            losses.append(float(loss))
            accuracies.append(float(acc))
        history.append((np.mean(losses), np.mean(accuracies)))
    assert history[-1][0] < history[0][0] * 0.5
    assert history[-1][1] > 0.9
    # batch of 32, last batch of 24, and (as TF counts) the first trace, which made variables
    assert train_step.experimental_get_tracing_count() == 3


# -- optimizer arithmetic against NumPy re-implementations of Keras 3's rules ------------------

def _run(optimizer, grads, start):
    v = tf.Variable(np.array(start, np.float32))
    for g in grads:
        optimizer.apply_gradients([(tf.constant(np.array(g, np.float32)), v)])
    return v.numpy()


GRADS = [[0.5, -1.0], [0.2, 0.3], [-0.4, 0.8]]
START = [1.0, 2.0]


def _np_adam(lr=0.001, b1=0.9, b2=0.999, eps=1e-7):
    v, m, s = np.array(START), np.zeros(2), np.zeros(2)
    for t, g in enumerate(np.array(GRADS), 1):
        m += (g - m) * (1 - b1)
        s += (g * g - s) * (1 - b2)
        alpha = lr * np.sqrt(1 - b2 ** t) / (1 - b1 ** t)
        v -= m * alpha / (np.sqrt(s) + eps)
    return v


def _np_sgd_momentum(lr=0.1, momentum=0.9, nesterov=False):
    v, m = np.array(START), np.zeros(2)
    for g in np.array(GRADS):
        m = m * momentum - g * lr
        v = v + (m * momentum - g * lr if nesterov else m)
    return v


def _np_rmsprop(lr=0.001, rho=0.9, eps=1e-7):
    v, s = np.array(START), np.zeros(2)
    for g in np.array(GRADS):
        s = rho * s + (1 - rho) * g * g
        v -= lr * g / np.sqrt(s + eps)
    return v


def _np_adagrad(lr=0.001, init=0.1, eps=1e-7):
    v, acc = np.array(START), np.full(2, init)
    for g in np.array(GRADS):
        acc += g * g
        v -= lr * g / np.sqrt(acc + eps)
    return v


def _np_nadam(lr=0.001, b1=0.9, b2=0.999, eps=1e-7):
    v, m, s, u_product = np.array(START), np.zeros(2), np.zeros(2), 1.0
    for t, g in enumerate(np.array(GRADS), 1):
        u_product *= b1 * (1 - 0.5 * 0.96 ** t)
        u_t = b1 * (1 - 0.5 * 0.96 ** t)
        u_t1 = b1 * (1 - 0.5 * 0.96 ** (t + 1))
        m += (g - m) * (1 - b1)
        s += (g * g - s) * (1 - b2)
        m_hat = u_t1 * m / (1 - u_product * u_t1) + (1 - u_t) * g / (1 - u_product)
        v -= m_hat * lr / (np.sqrt(s / (1 - b2 ** t)) + eps)
    return v


@pytest.mark.parametrize("make, reference", [
    (lambda: tf.keras.optimizers.SGD(0.1), lambda: np.array(START) - 0.1 * np.sum(GRADS, 0)),
    (lambda: tf.keras.optimizers.SGD(0.1, momentum=0.9), _np_sgd_momentum),
    (lambda: tf.keras.optimizers.SGD(0.1, momentum=0.9, nesterov=True),
     lambda: _np_sgd_momentum(nesterov=True)),
    (lambda: tf.keras.optimizers.RMSprop(), _np_rmsprop),
    (lambda: tf.keras.optimizers.Adam(), _np_adam),
    (lambda: tf.keras.optimizers.Nadam(), _np_nadam),
    (lambda: tf.keras.optimizers.Adagrad(), _np_adagrad),
])
def test_optimizer_updates_match_keras_rules(make, reference):
    np.testing.assert_allclose(_run(make(), GRADS, START), reference(), rtol=1e-5)


def test_optimizer_defaults_are_keras_defaults():
    assert tf.keras.optimizers.SGD().get_config()["learning_rate"] == 0.01
    adam = tf.keras.optimizers.Adam().get_config()
    assert (adam["learning_rate"], adam["beta_1"], adam["beta_2"], adam["epsilon"]) == \
        (0.001, 0.9, 0.999, 1e-7)
    assert tf.keras.optimizers.RMSprop().get_config()["rho"] == 0.9
    assert tf.keras.optimizers.Adagrad().get_config()["initial_accumulator_value"] == 0.1


def test_learning_rate_schedule_and_minimize():
    schedule = tf.keras.optimizers.schedules.ExponentialDecay(0.1, decay_steps=1, decay_rate=0.5)
    opt = tf.keras.optimizers.SGD(learning_rate=schedule)
    v = tf.Variable(0.0)
    for _ in range(3):
        opt.minimize(lambda: 2.0 * v, [v])  # gradient 2 each step: lr 0.1, 0.05, 0.025
    assert np.isclose(v.numpy(), -2 * (0.1 + 0.05 + 0.025))
    assert int(opt.iterations.numpy()) == 3


def test_optimizer_slots_are_created_on_the_first_trace_only():
    v = tf.Variable([1.0, 2.0])
    opt = tf.keras.optimizers.Adam(0.1)

    @tf.function
    def step(scale):
        with tf.GradientTape() as tape:
            loss = tf.reduce_sum(v * v) * scale
        opt.apply_gradients(zip([tape.gradient(loss, v)], [v]))

    step(1.0)
    step(2.0)  # a second trace: the slots exist, so no variable is created
    assert len(opt.variables) == 3  # iterations, m, v
    assert int(opt.iterations.numpy()) == 2


def test_apply_gradients_without_any_gradient_is_an_error():
    with pytest.raises(ValueError, match="No gradients provided"):
        tf.keras.optimizers.SGD().apply_gradients([(None, tf.Variable(1.0))])
