"""The Layer class, point by point as seed 003 (Chollet's "Inside TensorFlow: tf.keras")
lists it; each test names its point."""
import os
import shutil

import numpy as np
import pytest

import autotrace as tf
from autotrace import keras


class Linear(keras.layers.Layer):
    """Seed 003: the simplest custom layer, weights made in __init__ (input_dim known)."""

    def __init__(self, units=32, input_dim=32):
        super().__init__()
        self.w = self.add_weight(shape=(input_dim, units), initializer="random_normal")
        self.b = self.add_weight(shape=(units,), initializer="zeros")

    def call(self, inputs):
        return tf.matmul(inputs, self.w) + self.b


class LazyLinear(keras.layers.Layer):
    """Seed 003: weights made by build() on the first call, from the input's shape."""

    def __init__(self, units=32, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.build_shapes = []

    def build(self, input_shape):
        self.build_shapes.append(input_shape)
        self.w = self.add_weight(shape=(input_shape[-1], self.units),
                                 initializer="random_normal", name="w")
        self.b = self.add_weight(shape=(self.units,), initializer="zeros", name="b")

    def call(self, inputs):
        return tf.matmul(inputs, self.w) + self.b

    def get_config(self):
        return {**super().get_config(), "units": self.units}


class ComputeSum(keras.layers.Layer):
    """Seed 003: a non-trainable weight, updated by call."""

    def __init__(self, input_dim):
        super().__init__()
        self.total = self.add_weight(shape=(input_dim,), initializer="zeros", trainable=False,
                                     name="total")

    def call(self, inputs):
        self.total.assign_add(tf.reduce_sum(inputs, axis=0))
        return self.total


class MLPBlock(keras.layers.Layer):
    """Seed 003: layers nested in a layer (attributes, a list and a dict)."""

    def __init__(self):
        super().__init__()
        self.linear_1 = LazyLinear(32)
        self.hidden = [LazyLinear(32), LazyLinear(16)]
        self.heads = {"out": LazyLinear(1)}

    def call(self, inputs):
        x = tf.nn.relu(self.linear_1(inputs))
        for layer in self.hidden:
            x = tf.nn.relu(layer(x))
        return self.heads["out"](x)


class ActivityRegularizationLayer(keras.layers.Layer):
    """Seed 003: a layer adding a loss while it runs."""

    def __init__(self, rate=1e-2):
        super().__init__()
        self.rate = rate

    def call(self, inputs):
        self.add_loss(self.rate * tf.reduce_sum(inputs))
        return inputs


def test_point_01_layer_tracks_weights_losses_and_metrics():
    class Tracked(keras.layers.Layer):
        def __init__(self):
            super().__init__()
            self.inner = ActivityRegularizationLayer(0.5)
            self.mean = keras.metrics.Mean(name="seen")

        def call(self, x):
            self.mean.update_state(x)
            return self.inner(x)

    layer = Tracked()
    layer(np.ones((2, 2), np.float32))
    assert [float(loss) for loss in layer.losses] == [2.0]
    assert [m.name for m in layer.metrics] == ["seen"]
    assert float(layer.metrics[0].result()) == 1.0
    assert layer.weights == []  # metric state is not a weight


def test_point_02_what_layers_do_not_do():
    # No gradients unless a tape watches; no batch-axis rule (any leading size works);
    # inputs are converted and cast to the layer's dtype rather than type-checked.
    layer = Linear(2, 3)
    out = layer(np.ones((5, 3)))       # float64 NumPy input
    assert out.dtype == tf.float32 and out.shape == (5, 2)
    assert layer(np.ones((1, 3), np.float32)).shape == (1, 2)
    with tf.GradientTape() as tape:
        y = tf.reduce_sum(layer(np.ones((1, 3), np.float32)))
    assert tape.gradient(y, layer.w).shape == (3, 2)


def test_point_03_weights_created_in_init_when_input_size_is_known():
    layer = Linear(4, 2)
    assert [w.shape.as_list() for w in layer.weights] == [[2, 4], [4]]
    x = np.ones((2, 2), np.float32)
    np.testing.assert_allclose(layer(x).numpy(), x @ layer.w.numpy() + layer.b.numpy(),
                               rtol=1e-6)


def test_point_04_lazy_build_on_first_call_with_the_input_shape():
    layer = LazyLinear(4)
    assert not layer.built and layer.weights == []
    layer(np.ones((3, 5), np.float32))
    layer(np.ones((7, 5), np.float32))
    assert layer.built and layer.build_shapes == [(3, 5)]
    assert [(w.name, w.path, tuple(w.shape.as_list())) for w in layer.weights] == [
        ("w", "lazy_linear/w", (5, 4)), ("b", "lazy_linear/b", (4,))]


def test_point_05_non_trainable_weights():
    layer = ComputeSum(2)
    layer(np.ones((2, 2), np.float32))
    assert layer(np.ones((2, 2), np.float32)).numpy().tolist() == [4.0, 4.0]
    assert layer.trainable_weights == [] and len(layer.non_trainable_weights) == 1
    with tf.GradientTape() as tape:
        y = tf.reduce_sum(layer(np.ones((1, 2), np.float32)))
    assert tape.gradient(y, layer.total) is None  # not watched: not trainable


def test_point_06_nested_layers_are_tracked_in_attributes_lists_and_dicts():
    block = MLPBlock()
    assert block(np.ones((3, 64), np.float32)).shape == (3, 1)
    assert [w.shape.as_list() for w in block.trainable_weights] == [
        [64, 32], [32], [32, 32], [32], [32, 16], [16], [16, 1], [1]]
    assert [w.path for w in block.weights[:2]] == ["mlp_block/lazy_linear/w",
                                                   "mlp_block/lazy_linear/b"]
    block.hidden.append(LazyLinear(1))  # appended after assignment: tracked too
    block.hidden[-1](np.ones((1, 16), np.float32))
    assert len(block.weights) == 10
    assert isinstance(block, tf.Module) and len(block.trainable_variables) == 10


def test_point_07_training_loop_with_a_layer_loss_and_optimizer():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(64, 3)).astype(np.float32)
    y = x @ np.array([[1.0], [-2.0], [0.5]], np.float32) + 0.3
    dataset = [(x[i:i + 16], y[i:i + 16]) for i in range(0, 64, 16)]
    layer = LazyLinear(1)
    loss_fn = keras.losses.MeanSquaredError()
    optimizer = keras.optimizers.SGD(learning_rate=0.1)
    losses = []
    for _ in range(20):
        for xb, yb in dataset:
            with tf.GradientTape() as tape:
                loss = loss_fn(yb, layer(xb))
            grads = tape.gradient(loss, layer.trainable_weights)
            optimizer.apply_gradients(zip(grads, layer.trainable_weights))
            losses.append(float(loss))
    assert losses[-1] < 1e-3 < losses[0]
    np.testing.assert_allclose(layer.w.numpy().ravel(), [1.0, -2.0, 0.5], atol=0.02)


def test_point_08_add_loss_in_call_is_collected_and_reset_at_each_outer_call():
    class Outer(keras.layers.Layer):
        def __init__(self):
            super().__init__()
            self.reg = ActivityRegularizationLayer(1.0)

        def call(self, x):
            return self.reg(x)

    layer = Outer()
    layer(np.ones((1, 3), np.float32))
    assert [float(v) for v in layer.losses] == [3.0]
    layer(np.full((1, 3), 2.0, np.float32))
    assert [float(v) for v in layer.losses] == [6.0]  # not accumulated across calls
    assert [float(v) for v in layer.reg.losses] == [6.0]


def test_point_08_add_loss_callable_is_evaluated_when_losses_are_read():
    layer = Linear(1, 2)
    layer.add_loss(lambda: tf.reduce_sum(tf.abs(layer.w)))
    expected = np.abs(layer.w.numpy()).sum()
    assert float(layer.losses[0]) == pytest.approx(expected)
    layer.w.assign(layer.w * 2.0)
    assert float(layer.losses[0]) == pytest.approx(2 * expected)


def test_point_09_total_loss_is_model_loss_plus_model_losses():
    model = keras.Sequential([keras.Input((2,)),
                              keras.layers.Dense(1, kernel_initializer="ones",
                                                 kernel_regularizer=keras.regularizers.L2(0.1)),
                              ActivityRegularizationLayer(0.01)])
    x, y = np.ones((4, 2), np.float32), np.zeros((4, 1), np.float32)
    with tf.GradientTape() as tape:
        pred = model(x)
        main = keras.losses.mean_squared_error(y, pred)
        loss = tf.reduce_mean(main) + tf.add_n(model.losses)
    # mse = 4, L2 = 0.1 * 2, activity = 0.01 * sum(pred) = 0.08
    assert sorted(round(float(v), 5) for v in model.losses) == [0.08, 0.2]
    assert float(loss) == pytest.approx(4.28)
    grads = tape.gradient(loss, model.trainable_weights)
    # d/dk: mse 2*2*1 = 4 per input weight, L2 0.2*k = 0.2, activity 0.01*4 = 0.04
    np.testing.assert_allclose(grads[0].numpy(), [[4.24], [4.24]], rtol=1e-5)


def test_point_10_get_config_and_from_config_round_trip():
    layer = LazyLinear(7, name="seven")
    config = layer.get_config()
    assert config == {"name": "seven", "trainable": True,
                      "dtype": {"module": "keras", "class_name": "DTypePolicy",
                                "config": {"name": "float32"}, "registered_name": None},
                      "units": 7}
    clone = LazyLinear.from_config(config)
    assert (clone.units, clone.name) == (7, "seven")
    dense = keras.layers.Dense(3, activation="relu", kernel_regularizer="l2", name="d")
    again = keras.layers.Dense.from_config(dense.get_config())
    assert again.get_config() == dense.get_config()


def test_point_10_custom_layer_config_is_automatic_for_plain_constructor_arguments():
    class Scale(keras.layers.Layer):
        def __init__(self, factor=2.0, **kwargs):
            super().__init__(**kwargs)
            self.factor = factor

        def call(self, x):
            return x * self.factor

    config = Scale(3.0, name="scale").get_config()
    assert config["factor"] == 3.0 and config["name"] == "scale"
    assert Scale.from_config(config).factor == 3.0


def test_point_11_training_argument_is_propagated_to_nested_layers():
    class Block(keras.layers.Layer):
        def __init__(self):
            super().__init__()
            self.dropout = keras.layers.Dropout(0.5, seed=1)
            self.seen = []

        def call(self, x, training=None):
            self.seen.append(training)
            return self.dropout(x)   # no training argument passed: inherited

    class Net(keras.Model):
        def __init__(self):
            super().__init__()
            self.block = Block()

        def call(self, x):
            return self.block(x)

    net = Net()
    x = np.ones((200, 10), np.float32)
    assert (net(x).numpy() == 1).all()                     # inference by default
    dropped = net(x, training=True).numpy()
    assert set(np.unique(dropped)) == {0.0, 2.0} and 0.4 < (dropped == 0).mean() < 0.6
    assert net.block.seen == [None, True]
    assert (net(x, training=False).numpy() == 1).all()


def test_point_11_batch_normalization_training_semantics():
    bn = keras.layers.BatchNormalization(momentum=0.5, epsilon=0.0)
    x = np.array([[1.0, 10.0], [3.0, 30.0]], np.float32)
    out = bn(x, training=True).numpy()
    np.testing.assert_allclose(out, [[-1, -1], [1, 1]], rtol=1e-5)
    np.testing.assert_allclose(bn.moving_mean.numpy(), [1.0, 10.0])
    np.testing.assert_allclose(bn.moving_variance.numpy(), [1.0, 50.5])
    inference = bn(x).numpy()   # moving statistics
    np.testing.assert_allclose(inference, (x - [1.0, 10.0]) / np.sqrt([1.0, 50.5]), rtol=1e-5)
    assert [w.name for w in bn.non_trainable_weights] == ["moving_mean", "moving_variance"]
    bn.trainable = False        # frozen: inference mode even when training
    np.testing.assert_allclose(bn(x, training=True).numpy(), inference, rtol=1e-6)
    np.testing.assert_allclose(bn.moving_mean.numpy(), [1.0, 10.0])
    assert bn.trainable_weights == []


def test_point_12_model_has_top_level_features():
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2, name="hidden")],
                             name="net")
    assert model.get_layer("hidden") is model.layers[0]
    assert model.get_layer(index=0).name == "hidden"
    with pytest.raises(ValueError, match=r"No such layer: nope. Existing layers are: "
                                         r"\['hidden'\]."):
        model.get_layer("nope")
    lines = []
    model.summary(print_fn=lines.append)
    assert lines[0].startswith('Model: "net"')
    assert not hasattr(keras.layers.Dense(1), "summary")


def test_point_13_run_eagerly_flag_and_dynamic_models_run_python_as_written():
    calls = []

    class Eager(keras.Model):
        def __init__(self):
            super().__init__(dynamic=True)

        def call(self, x):
            calls.append(type(x).__name__)
            return x * 2.0

    model = Eager()
    assert model.dynamic and model.run_eagerly is False
    model.run_eagerly = True
    model(np.ones((1, 2), np.float32))
    assert calls == ["EagerTensor"]


def test_point_14_functional_model_generates_call_build_and_get_config():
    inputs = keras.Input((4,), name="x")
    hidden = keras.layers.Dense(3, activation="relu", name="h")(inputs)
    outputs = keras.layers.Dense(1, name="out")(hidden)
    model = keras.Model(inputs, outputs, name="f")
    assert model.built and [w.path for w in model.weights] == ["h/kernel", "h/bias",
                                                               "out/kernel", "out/bias"]
    x = np.random.default_rng(0).normal(size=(5, 4)).astype(np.float32)
    h, out = model.get_layer("h"), model.get_layer("out")
    expected = np.maximum(x @ h.kernel.numpy() + h.bias.numpy(), 0) @ out.kernel.numpy() \
        + out.bias.numpy()
    np.testing.assert_allclose(model(x).numpy(), expected, rtol=1e-5)
    config = model.get_config()
    assert [layer["name"] for layer in config["layers"]] == ["x", "h", "out"]
    assert config["input_layers"] == ["x", 0, 0] and config["output_layers"] == ["out", 0, 0]
    clone = keras.Model.from_config(config)
    clone.set_weights(model.get_weights())
    np.testing.assert_allclose(clone(x).numpy(), model(x).numpy(), rtol=1e-6)


def test_point_15_functional_model_is_a_dag_of_layers_no_data_flows_while_built():
    ran = []

    class Probe(keras.layers.Layer):
        def call(self, x):
            ran.append(type(x).__name__)
            return x

    inputs = keras.Input((2,))
    outputs = Probe()(inputs)
    model = keras.Model(inputs, outputs)
    assert ran == ["SymbolicTensor"]          # shape inference only: a placeholder
    with pytest.raises(TypeError, match="symbolic placeholder"):
        outputs.numpy()
    model(np.ones((1, 2), np.float32))
    assert ran == ["SymbolicTensor", "EagerTensor"]


def test_point_16_keras_history_records_the_construction():
    inputs = keras.Input((3,), name="in")
    dense = keras.layers.Dense(3, name="d")
    a = dense(inputs)
    b = dense(a * 2.0)
    assert a._keras_history == (dense, 0, 0) and b._keras_history == (dense, 1, 0)
    node = dense._inbound_nodes[1]
    assert node.input_tensors[0]._keras_history.operation.name == "multiply"
    assert [n.operation.name for n in node.parent_nodes] == ["multiply"]
    assert inputs._keras_history.operation.name == "in"


def test_point_17_input_compatibility_checked_before_and_after_build():
    dense = keras.layers.Dense(3)
    with pytest.raises(ValueError) as before:
        dense(np.ones((4,), np.float32))
    assert str(before.value) == (
        "Input 0 with name 'None' of layer 'dense' is incompatible with the layer: expected "
        "min_ndim=2, found ndim=1. Full shape received: (4,)")
    assert not dense.built
    dense(np.ones((2, 4), np.float32))
    with pytest.raises(ValueError) as after:
        dense(np.ones((2, 5), np.float32))
    assert str(after.value) == (
        "Input 0 with name 'None' of layer 'dense' is incompatible with the layer: expected "
        "axis -1 of input shape to have value 4, but received input with shape (2, 5)")
    with pytest.raises(ValueError, match="expected axis -1 of input shape to have value 4"):
        dense(keras.Input((5,)))


MODEL_DOT = """digraph "m" {
  graph [rankdir=TB, dpi=200];
  node [shape=box, fontname="Helvetica", fontsize=10];
  "a" [label="a (InputLayer)\\nin: (None, 4) | out: (None, 4)"];
  "d1" [label="d1 (Dense)\\nin: (None, 4) | out: (None, 5)"];
  "b" [label="b (InputLayer)\\nin: (None, 3) | out: (None, 3)"];
  "cat" [label="cat (Concatenate)\\nin: [(None, 5), (None, 3)] | out: (None, 8)"];
  "out" [label="out (Dense)\\nin: (None, 8) | out: (None, 1)"];
  "a" -> "d1";
  "d1" -> "cat";
  "b" -> "cat";
  "cat" -> "out";
}
"""


def test_point_18_plotting_the_model_graph(tmp_path):
    # (Whole-model saving comes with compile/fit, the next issue.)
    a, b = keras.Input((4,), name="a"), keras.Input((3,), name="b")
    x = keras.layers.Concatenate(name="cat")([keras.layers.Dense(5, name="d1")(a), b])
    model = keras.Model([a, b], keras.layers.Dense(1, name="out")(x), name="m")
    assert keras.utils.model_to_dot(model, show_shapes=True) == MODEL_DOT
    written = keras.utils.plot_model(model, to_file=str(tmp_path / "m.dot"), show_shapes=True)
    assert open(written).read() == MODEL_DOT
    if shutil.which("dot") is None:
        with pytest.raises(RuntimeError, match="needs Graphviz's `dot` program"):
            keras.utils.plot_model(model, to_file=str(tmp_path / "m.png"))
    else:
        assert os.path.getsize(keras.utils.plot_model(model, str(tmp_path / "m.svg"))) > 0
    with pytest.raises(ValueError, match="needs a functional or Sequential model that is "
                                         "built"):
        keras.utils.model_to_dot(keras.Sequential([keras.layers.Dense(1)]))


def test_point_19_automatic_masking():
    class MaskedMean(keras.layers.Layer):
        def call(self, x, mask=None):
            weights = tf.cast(mask, x.dtype)[..., None]
            return tf.reduce_sum(x * weights, axis=1) / tf.reduce_sum(weights, axis=1)

    tokens = np.array([[1, 2, 0, 0], [3, 0, 0, 0]], np.int32)
    embedding = keras.layers.Embedding(5, 2, mask_zero=True,
                                       embeddings_initializer="ones")
    inputs = keras.Input((4,), dtype="int32")
    embedded = embedding(inputs)
    assert embedded._keras_mask is not None and embedded._keras_mask.dtype == "bool"
    model = keras.Model(inputs, MaskedMean()(embedded))
    embedding.embeddings.assign(np.arange(10, dtype=np.float32).reshape(5, 2))
    np.testing.assert_allclose(model(tokens).numpy(), [[3.0, 4.0], [6.0, 7.0]])
    eager = embedding(tokens)
    assert eager._keras_mask.numpy().tolist() == [[True, True, False, False],
                                                  [True, False, False, False]]
    sequential = keras.Sequential([embedding, MaskedMean()])
    np.testing.assert_allclose(sequential(tokens).numpy(), [[3.0, 4.0], [6.0, 7.0]])


def test_point_20_a_layer_called_on_symbolic_inputs():
    events = []

    class Steps(keras.layers.Layer):
        def build(self, input_shape):
            events.append(("build", input_shape))
            self.w = self.add_weight(shape=(input_shape[-1],), initializer="ones")

        def call(self, x):
            events.append(("call", type(x).__name__, tf.executing_eagerly()))
            if tf.reduce_sum(x) > 0:      # a tensor condition: AutoGraph makes it a cond
                return x * self.w
            return -x

    layer = Steps()
    layer.input_spec = keras.InputSpec(ndim=2)
    inputs = keras.Input((3,))
    with pytest.raises(ValueError, match="expected ndim=2, found ndim=3"):
        layer(keras.Input((3, 3)))            # 1. checked before build
    outputs = layer(inputs)
    assert events == [("build", (None, 3)), ("call", "SymbolicTensor", False)]
    assert isinstance(outputs, keras.KerasTensor) and outputs.shape == (None, 3)
    assert layer._inbound_nodes[-1].output_tensors == [outputs]
    model = keras.Model(inputs, outputs)
    assert model(np.array([[1.0, 2.0, 3.0]], np.float32)).numpy().tolist() == [[1, 2, 3]]
    assert model(np.array([[-1.0, 0.0, 0.0]], np.float32)).numpy().tolist() == [[1, 0, 0]]


def test_point_21_dynamic_layers_use_compute_output_shape_for_symbolic_inputs():
    calls = []

    class NumpySort(keras.layers.Layer):
        def __init__(self, **kwargs):
            super().__init__(dynamic=True, **kwargs)

        def call(self, x):
            calls.append(type(x).__name__)
            return tf.constant(np.sort(x.numpy(), axis=-1))   # arbitrary Python: eager only

        def compute_output_shape(self, input_shape):
            return input_shape

    inputs = keras.Input((3,))
    outputs = NumpySort()(inputs)
    assert calls == [] and outputs.shape == (None, 3)     # call never ran symbolically
    model = keras.Model(inputs, keras.layers.Dense(1, kernel_initializer="ones")(outputs))
    assert model(np.array([[3.0, 1.0, 2.0]], np.float32)).numpy().tolist() == [[6.0]]
    assert calls == ["EagerTensor"]


def test_dynamic_layer_without_compute_output_shape_explains_itself():
    class Dyn(keras.layers.Layer):
        def __init__(self):
            super().__init__(dynamic=True)

        def call(self, x):
            return x

    with pytest.raises(NotImplementedError, match="Layer Dyn is dynamic"):
        Dyn()(keras.Input((2,)))


def test_dynamic_layer_inside_a_traced_function_still_runs_eagerly():
    calls = []

    class NumpySquare(keras.layers.Layer):
        def __init__(self):
            super().__init__(dynamic=True)

        def call(self, x):
            calls.append(tf.executing_eagerly())
            return tf.constant(np.square(x.numpy()))   # NumPy: only possible eagerly

        def compute_output_shape(self, input_shape):
            return input_shape

    layer = NumpySquare()

    @tf.function
    def f(x):
        y = layer(x)
        assert y.shape.as_list() == [None, 2]
        return y
    spec_f = tf.function(f.python_function, input_signature=[tf.TensorSpec([None, 2])])
    assert spec_f(np.array([[1.0, 2.0]], np.float32)).numpy().tolist() == [[1.0, 4.0]]
    assert spec_f(np.array([[3.0, 2.0]], np.float32)).numpy().tolist() == [[9.0, 4.0]]
    assert calls == [True, True]                      # at each call, eagerly

    class Weighted(NumpySquare):
        def build(self, input_shape):
            self.w = self.add_weight(shape=(2,))

    weighted = Weighted()
    weighted.build((None, 2))
    with pytest.raises(TypeError, match="is dynamic \\(dynamic=True\\), so its call runs "
                                        "eagerly, as written, and it has trainable weights"):
        tf.function(lambda x: weighted(x))(np.ones((1, 2), np.float32))


def test_add_metric_is_gone_as_in_keras_3():
    with pytest.raises(NotImplementedError, match="Layer `add_metric\\(\\)` method is "
                                                  "deprecated"):
        keras.layers.Layer().add_metric(1.0)


def test_automatic_config_refuses_values_it_cannot_write():
    class Wrapper(keras.layers.Layer):
        def __init__(self, inner, scale=1.0, **kwargs):
            super().__init__(**kwargs)
            self.inner, self.scale = inner, scale

        def call(self, x):
            return self.inner(x) * self.scale

    with pytest.raises(NotImplementedError, match=r"Object Wrapper was created by passing "
                                                  r"non-serializable argument values in "
                                                  r"`__init__\(\)` \(inner\)"):
        Wrapper(keras.layers.Dense(1)).get_config()
