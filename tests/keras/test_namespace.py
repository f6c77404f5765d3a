"""The rest of keras: initializers, regularizers, constraints, activations, backend,
utils, ops, datasets (read from the cache, never unpickled), dtype policies, Keras weights
and optimizers on them."""
import gzip

import numpy as np
import pytest

import autotrace as tf
from autotrace import keras

INIT = keras.initializers


def test_initializer_values_and_configs():
    assert (INIT.Zeros()((2, 3)).numpy() == 0).all()
    assert INIT.Constant(2.5)((2,)).numpy().tolist() == [2.5, 2.5]
    assert (INIT.Identity(gain=3.0)((2, 2)).numpy() == 3 * np.eye(2)).all()
    orthogonal = INIT.Orthogonal(seed=1)((4, 4)).numpy()
    np.testing.assert_allclose(orthogonal @ orthogonal.T, np.eye(4), atol=1e-5)
    seeded = INIT.GlorotUniform(seed=3)
    first, second = seeded((30, 40)).numpy(), seeded((30, 40)).numpy()
    assert (first == second).all()        # a seeded initializer repeats (Keras 3)
    limit = np.sqrt(6 / 70)
    assert np.abs(first).max() <= limit and np.abs(first).max() > 0.9 * limit
    unseeded = INIT.GlorotUniform()
    assert (unseeded((5, 5)).numpy() != unseeded((5, 5)).numpy()).any()
    he = INIT.HeNormal(seed=0)((400, 300)).numpy()
    assert he.std() == pytest.approx(np.sqrt(2 / 400), rel=0.05)
    assert np.abs(he).max() <= 2 * np.sqrt(2 / 400) / 0.8796256610342398 + 1e-6
    assert INIT.VarianceScaling().get_config() == {
        "seed": None, "scale": 1.0, "mode": "fan_in", "distribution": "truncated_normal",
        "input_axes": None, "output_axes": None}
    assert INIT.GlorotUniform().get_config() == {"seed": None, "input_axes": None,
                                                 "output_axes": None}
    assert INIT.RandomNormal().get_config() == {"seed": None, "mean": 0.0, "stddev": 0.05}
    assert isinstance(INIT.get("he_normal"), INIT.HeNormal)
    assert INIT.get(INIT.serialize(INIT.Constant(3))).value == 3
    with pytest.raises(ValueError, match="Invalid `mode` argument"):
        INIT.VarianceScaling(mode="fan_sideways")


def test_set_random_seed_makes_initial_weights_repeat():
    def weights():
        keras.utils.set_random_seed(7)
        return keras.layers.Dense(3)(np.ones((1, 2), np.float32)).numpy()
    assert (weights() == weights()).all()


def test_regularizers_and_constraints():
    w = tf.constant([[1.0, -2.0], [3.0, -4.0]])
    assert float(keras.regularizers.L1(0.5)(w)) == 5.0
    assert float(keras.regularizers.L2(0.5)(w)) == 15.0
    assert float(keras.regularizers.L1L2(l1=0.1, l2=0.1)(w)) == pytest.approx(4.0)
    assert keras.regularizers.L1().get_config() == {"l1": 0.009999999776482582}
    assert keras.regularizers.L2().get_config() == {"l2": 0.01}
    assert isinstance(keras.regularizers.get("l2"), keras.regularizers.L2)
    with pytest.raises(ValueError, match="expected a non-negative float"):
        keras.regularizers.L2(-1.0)
    assert keras.constraints.NonNeg()(w).numpy().tolist() == [[1, 0], [3, 0]]
    norms = np.linalg.norm(keras.constraints.UnitNorm()(w).numpy(), axis=0)
    np.testing.assert_allclose(norms, [1, 1], rtol=1e-6)
    capped = keras.constraints.MaxNorm(2.0)(w).numpy()
    np.testing.assert_allclose(np.linalg.norm(capped, axis=0), [2, 2], rtol=1e-5)
    assert keras.constraints.MinMaxNorm().get_config() == {"min_value": 0.0, "max_value": 1.0,
                                                           "rate": 1.0, "axis": 0}
    layer = keras.layers.Dense(2, kernel_constraint="non_neg")
    layer(np.ones((1, 2), np.float32))
    assert isinstance(layer.kernel.constraint, keras.constraints.NonNeg)


def test_activations_by_name_and_function():
    x = tf.constant([-2.0, 0.0, 3.0])
    act = keras.activations
    assert act.get("relu")(x).numpy().tolist() == [0, 0, 3]
    assert act.relu(x, negative_slope=0.5, max_value=2.0).numpy().tolist() == [-1, 0, 2]
    assert act.get(None) is act.linear and act.serialize(act.softmax) == "softmax"
    np.testing.assert_allclose(act.elu(x, alpha=2.0).numpy(), [2 * (np.exp(-2) - 1), 0, 3],
                               rtol=1e-6)
    np.testing.assert_allclose(act.hard_sigmoid(x).numpy(), [1 / 6, 0.5, 1.0], rtol=1e-6)
    np.testing.assert_allclose(act.gelu(tf.constant([-2.0, 0.5, 3.0])).numpy(),
                               [-0.04550026, 0.34573123, 2.9959502], rtol=1e-5)   # TF's
    np.testing.assert_allclose(act.gelu(x, approximate=True).numpy(),
                               [-0.04540229, 0.0, 2.9963627], rtol=1e-5)
    with pytest.raises(ValueError, match="Cannot apply softmax to a tensor that is 1D"):
        act.softmax(x)
    with pytest.raises(ValueError, match="Could not interpret activation function identifier"):
        act.get("nope")


def test_backend_utils_and_serialization():
    backend = keras.backend
    assert (backend.floatx(), backend.epsilon(), backend.image_data_format()) == (
        "float32", 1e-7, "channels_last")
    keras.layers.Dense(1)
    backend.clear_session()
    assert keras.layers.Dense(1).name == "dense"
    assert backend.standardize_dtype(int) == "int64" and backend.standardize_dtype(
        tf.float16) == "float16"
    assert keras.utils.to_categorical([[1], [0]], 3).tolist() == [[0, 1, 0], [1, 0, 0]]
    np.testing.assert_allclose(keras.utils.normalize([[3.0, 4.0]]), [[0.6, 0.8]])

    @keras.utils.register_keras_serializable(package="Tests")
    class Doubler(keras.layers.Layer):
        def call(self, x):
            return 2 * x

    config = keras.utils.serialize_keras_object(Doubler(name="twice"))
    assert config["registered_name"] == "Tests>Doubler"
    assert keras.utils.deserialize_keras_object(config).name == "twice"
    with keras.utils.custom_object_scope({"Doubler": Doubler}):
        assert keras.utils.get_registered_object("Doubler") is Doubler
    inputs = keras.Input((2,))
    assert keras.utils.get_source_inputs(keras.layers.Dense(1)(inputs * 2.0))[0] is inputs
    with pytest.raises(RuntimeError, match="autotrace does not download files"):
        keras.utils.get_file("x.npz", "https://example.com/x.npz")


def test_keras_ops_compute_and_record_symbolic_operations():
    ops = keras.ops
    x = np.array([[1.0, -2.0], [3.0, 4.0]], np.float32)
    assert ops.sum(x, axis=1).numpy().tolist() == [-1, 7]
    assert ops.argmax(x).numpy() == 3 and ops.matmul(x, x).numpy().tolist() == [[-5, -10],
                                                                               [15, 10]]
    assert ops.one_hot([1, 0], 3).numpy().tolist() == [[0, 1, 0], [1, 0, 0]]
    assert ops.arange(3).dtype == tf.int32 and ops.arange(0.0, 1.0, 0.5).dtype == tf.float32
    assert ops.concatenate([x, x], axis=0).shape == (4, 2)
    inputs = keras.Input((2,))
    outputs = ops.relu(ops.add(inputs, 1.0)) * ops.sum(inputs, axis=1, keepdims=True)
    model = keras.Model(inputs, outputs)
    assert [layer.name for layer in model._operations] == ["input_layer", "add", "relu", "sum",
                                                          "multiply"]
    np.testing.assert_allclose(model(x).numpy(), np.maximum(x + 1, 0) * x.sum(1, keepdims=True))
    with pytest.raises(TypeError, match="A KerasTensor is a symbolic placeholder"):
        tf.reduce_sum(inputs)
    with pytest.raises(tf.errors.OperatorNotAllowedInGraphError, match="Python bool"):
        bool(inputs)


def test_keras_variables_are_variables_with_paths():
    layer = keras.layers.Dense(2, name="d")
    layer(np.ones((1, 3), np.float32))
    kernel = layer.kernel
    assert isinstance(kernel, tf.Variable) and isinstance(kernel, keras.Variable)
    assert (kernel.name, kernel.path, kernel.trainable) == ("kernel", "d/kernel", True)
    assert repr(layer.bias) == "<Variable path=d/bias, shape=(2,), dtype=float32, value=[0. 0.]>"
    optimizer = keras.optimizers.SGD(0.5)
    optimizer.apply_gradients([(tf.ones_like(kernel), kernel)])
    assert (layer.kernel.numpy() == kernel.numpy()).all()
    layer.trainable = False
    assert not kernel.trainable and layer.trainable_weights == []
    layer.trainable = True
    assert kernel.trainable
    with pytest.raises(ValueError, match="Shapes used to initialize variables must be "
                                         "fully-defined"):
        keras.layers.Layer().add_weight(shape=(None, 2))


def test_dtype_policies_cast_inputs_and_keep_float32_weights():
    layer = keras.layers.Dense(3, dtype="mixed_float16")
    out = layer(np.ones((2, 4), np.float32))
    assert (out.dtype, layer.kernel.dtype, layer.compute_dtype, layer.dtype) == (
        tf.float16, tf.float32, "float16", "float32")
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(tf.cast(layer(np.ones((2, 4))), tf.float32))
    assert tape.gradient(loss, layer.kernel).dtype == tf.float32
    assert keras.layers.Dense(2)(np.ones((1, 3), np.float64)).dtype == tf.float32
    assert keras.layers.Dense(2)(np.ones((1, 3), np.int32)).dtype == tf.float32
    assert keras.layers.Dense(2, dtype="float64")(np.ones((1, 3), np.float32)).dtype == \
        tf.float64
    keras.mixed_precision.set_global_policy("mixed_float16")
    try:
        assert keras.layers.Dense(2).dtype_policy == keras.DTypePolicy("mixed_float16")
    finally:
        keras.mixed_precision.set_global_policy("float32")
    assert repr(keras.DTypePolicy("float32")) == '<DTypePolicy "float32">'
    with pytest.raises(ValueError, match="Cannot convert 'int7' to a mixed precision "
                                         "DTypePolicy"):
        keras.DTypePolicy("int7")


def _write_gz(path, header, data):
    with gzip.open(path, "wb") as f:
        f.write(bytes(header) + data.tobytes())


def test_datasets_read_keras_cache_files_and_explain_missing_ones(tmp_path, monkeypatch):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    with pytest.raises(FileNotFoundError) as missing:
        keras.datasets.mnist.load_data()
    assert str(missing.value) == (
        "keras.datasets.mnist.load_data(): mnist.npz is not in the Keras cache. autotrace does "
        "not download datasets; fetch https://storage.googleapis.com/tensorflow/"
        "tf-keras-datasets/mnist.npz and put it at %s/datasets/mnist.npz (the folder Keras "
        "itself uses; set KERAS_HOME to use another)." % tmp_path)
    cache = tmp_path / "datasets"
    cache.mkdir()
    images = np.arange(2 * 28 * 28, dtype=np.uint8).reshape(2, 28, 28)
    np.savez(cache / "mnist.npz", x_train=images, y_train=np.array([3, 4], np.uint8),
             x_test=images[:1], y_test=np.array([5], np.uint8))
    (x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
    assert (x_train == images).all() and y_test.tolist() == [5]
    np.savez(cache / "boston_housing.npz", x=np.arange(20.0).reshape(10, 2), y=np.arange(10.0))
    (xb, yb), (xt, yt) = keras.datasets.boston_housing.load_data()
    assert len(xb) == 8 and len(xt) == 2 and sorted(yb.tolist() + yt.tolist()) == list(range(10))
    np.savez(cache / "pickled.npz", x=np.array([{"a": 1}], dtype=object), y=np.arange(1))
    with pytest.raises(ValueError, match="allow_pickle=False"):
        keras.datasets.boston_housing.load_data(path="pickled.npz")
    folder = cache / "cifar-10-batches-py"
    folder.mkdir()
    with pytest.raises(FileNotFoundError, match="autotrace never unpickles files"):
        keras.datasets.cifar10.load_data()
    binary = cache / "cifar-10-batches-bin"
    binary.mkdir()
    record = np.concatenate([[7], np.arange(3072) % 256]).astype(np.uint8)
    for name in ["data_batch_%d.bin" % i for i in range(1, 6)] + ["test_batch.bin"]:
        (binary / name).write_bytes(np.tile(record, 2).tobytes())
    (x_train, y_train), (x_test, y_test) = keras.datasets.cifar10.load_data()
    assert x_train.shape == (10, 32, 32, 3) and y_train.shape == (10, 1)
    assert y_test[0, 0] == 7 and x_test[0, 0, 1].tolist() == [1, 1024 % 256 + 1, 2049 % 256]
    fashion = cache / "fashion-mnist"
    fashion.mkdir()
    for split, n in (("train", 3), ("t10k", 2)):
        _write_gz(fashion / ("%s-labels-idx1-ubyte.gz" % split), [0] * 8,
                  np.arange(n, dtype=np.uint8))
        _write_gz(fashion / ("%s-images-idx3-ubyte.gz" % split), [0] * 16,
                  np.zeros((n, 28, 28), np.uint8))
    (x_train, y_train), (x_test, y_test) = keras.datasets.fashion_mnist.load_data()
    assert x_train.shape == (3, 28, 28) and y_test.tolist() == [0, 1]
