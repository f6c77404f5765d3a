"""The built-in layers: values against NumPy (Keras 3's answers checked by hand with the
reference TF 2.21), output shapes symbolic and eager, configs that round-trip."""
import numpy as np
import pytest

import autotrace as tf
from autotrace import keras
from tests.test_nn_conv_ops import reference_conv2d

L = keras.layers
RNG = np.random.default_rng(1)
X2 = RNG.normal(size=(4, 5)).astype(np.float32)
X3 = RNG.normal(size=(2, 6, 3)).astype(np.float32)
X4 = RNG.normal(size=(2, 7, 6, 3)).astype(np.float32)


def check(layer, x, expected, rtol=1e-5, atol=1e-6):
    """The layer's value, its symbolic output shape (batch unknown) and its config."""
    out = layer(x)
    np.testing.assert_allclose(np.asarray(out), expected, rtol=rtol, atol=atol)
    symbolic = layer(keras.Input(x.shape[1:], dtype=str(np.asarray(x).dtype)))
    assert symbolic.shape == (None,) + tuple(out.shape.as_list()[1:])
    assert tuple(layer.compute_output_shape((None,) + x.shape[1:])) == symbolic.shape
    clone = type(layer).from_config(layer.get_config())
    assert clone.get_config() == layer.get_config()
    return out


def test_dense_activation_and_config():
    layer = L.Dense(3, activation="relu", name="d")
    out = layer(X2)
    expected = np.maximum(X2 @ layer.kernel.numpy() + layer.bias.numpy(), 0)
    check(layer, X2, expected)
    assert layer.get_config()["activation"] == "relu"
    # a rank-3 input: the kernel applies to the last axis
    np.testing.assert_allclose(L.Dense(2, kernel_initializer="ones")(X3).numpy(),
                               np.repeat(X3.sum(-1, keepdims=True), 2, -1), rtol=1e-5)
    assert out.dtype == tf.float32


def test_activation_dropout_identity_masking():
    check(L.Activation("sigmoid"), X2, 1 / (1 + np.exp(-X2)))
    check(L.Dropout(0.3), X2, X2)                       # inference: identity
    check(L.Identity(), X2, X2)
    assert (L.Dropout(1.0)(X2, training=True).numpy() == 0).all()
    masked = L.Masking(0.0)(np.array([[[1.0], [0.0]]], np.float32))
    assert masked._keras_mask.numpy().tolist() == [[True, False]]


def test_flatten_reshape_permute_repeat():
    check(L.Flatten(), X4, X4.reshape(2, -1))
    check(L.Reshape((3, -1)), X3, X3.reshape(2, 3, 6))
    check(L.Permute((2, 1)), X3, X3.transpose(0, 2, 1))
    check(L.RepeatVector(2), X2, np.repeat(X2[:, None], 2, axis=1))
    check(L.Flatten(data_format="channels_first"), X4, X4.transpose(0, 2, 3, 1).reshape(2, -1))


def test_padding_cropping_upsampling():
    check(L.ZeroPadding2D(((1, 2), (0, 1))), X4, np.pad(X4, ((0, 0), (1, 2), (0, 1), (0, 0))))
    check(L.ZeroPadding1D(2), X3, np.pad(X3, ((0, 0), (2, 2), (0, 0))))
    check(L.Cropping2D(((1, 0), (2, 1))), X4, X4[:, 1:, 2:-1])
    check(L.UpSampling2D(2), X4, X4.repeat(2, axis=1).repeat(2, axis=2))


def test_merging_layers():
    a, b = X2, RNG.normal(size=(4, 5)).astype(np.float32)
    check_merge = [(L.Add(), a + b), (L.Subtract(), a - b), (L.Multiply(), a * b),
                   (L.Average(), (a + b) / 2), (L.Maximum(), np.maximum(a, b)),
                   (L.Minimum(), np.minimum(a, b)),
                   (L.Concatenate(), np.concatenate([a, b], -1)),
                   (L.Dot(axes=1), (a * b).sum(1, keepdims=True))]
    for layer, expected in check_merge:
        np.testing.assert_allclose(layer([a, b]).numpy(), expected, rtol=1e-5, err_msg=layer.name)
        symbolic = layer([keras.Input((5,)), keras.Input((5,))])
        assert symbolic.shape == (None,) + expected.shape[1:]
    assert keras.layers.concatenate([a, b], axis=0).shape == (8, 5)
    with pytest.raises(ValueError, match="A merge layer should be called on a list of at least "
                                         "2 inputs. Got 1 inputs"):
        L.Add()([a])
    with pytest.raises(ValueError, match="requires inputs with matching shapes except for the "
                                         "concatenation axis"):
        L.Concatenate()([a, X3])


def test_layer_normalization_and_unit_normalization():
    mean, var = X3.mean(-1, keepdims=True), X3.var(-1, keepdims=True)
    check(L.LayerNormalization(), X3, (X3 - mean) / np.sqrt(var + 1e-3), rtol=1e-4, atol=1e-5)
    axes = L.LayerNormalization(axis=[1, 2], epsilon=0.0)
    m, v = X3.mean((1, 2), keepdims=True), X3.var((1, 2), keepdims=True)
    check(axes, X3, (X3 - m) / np.sqrt(v), rtol=1e-4, atol=1e-5)
    assert [w.shape.as_list() for w in axes.weights] == [[6, 3], [6, 3]]
    check(L.UnitNormalization(), X2, X2 / np.linalg.norm(X2, axis=-1, keepdims=True),
          rtol=1e-5)


def test_batch_normalization_in_a_traced_training_step():
    bn = L.BatchNormalization(momentum=0.0, epsilon=0.0)

    @tf.function
    def step(x, training):
        return bn(x, training=training)
    out = step(tf.constant(X2), True).numpy()
    np.testing.assert_allclose(out, (X2 - X2.mean(0)) / X2.std(0), rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(bn.moving_mean.numpy(), X2.mean(0), rtol=1e-5)
    np.testing.assert_allclose(step(tf.constant(X2), False).numpy(), out, rtol=1e-4,
                               atol=1e-4)


def test_embedding_gradients_are_sparse_rows():
    emb = L.Embedding(10, 3, embeddings_initializer="ones")
    ids = np.array([[1, 2], [2, 9]])
    check(emb, ids, np.ones((2, 2, 3)))
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(emb(ids))
    grad = tape.gradient(loss, emb.embeddings)
    dense = tf.convert_to_tensor(grad).numpy()
    assert dense[:, 0].tolist() == [0, 1, 2, 0, 0, 0, 0, 0, 0, 1]
    keras.optimizers.SGD(0.5).apply_gradients([(grad, emb.embeddings)])
    assert emb.embeddings.numpy()[:, 0].tolist() == [1, 0.5, 0, 1, 1, 1, 1, 1, 1, 0.5]


def test_lambda_rescaling_normalization():
    np.testing.assert_allclose(L.Lambda(lambda t: t * 2.0)(X2).numpy(), X2 * 2)
    check(L.Rescaling(1 / 255.0, offset=-1.0), np.full((1, 2), 255, np.uint8), [[0.0, 0.0]])
    norm = L.Normalization()
    norm.adapt(X2)
    check(norm, X2, (X2 - X2.mean(0)) / X2.std(0), rtol=1e-4, atol=1e-5)
    batches = [X2[:2], X2[2:]]                 # adapt over an iterable of batches
    streamed = L.Normalization()
    streamed.adapt(batches)
    np.testing.assert_allclose(streamed.mean.numpy().ravel(), X2.mean(0), rtol=1e-5)
    fixed = L.Normalization(mean=2.0, variance=4.0)
    check(fixed, X2, (X2 - 2.0) / 2.0)
    with pytest.raises(ValueError, match="Cannot `adapt` a Normalization layer that is "
                                         "initialized with static `mean` and `variance`"):
        fixed.adapt(X2)
    with pytest.raises(ValueError, match="Requested the deserialization of a Lambda layer "
                                         "whose function is a Python lambda"):
        L.Lambda.from_config(L.Lambda(lambda t: t).get_config())


def test_conv2d_layer_matches_direct_loops():
    layer = L.Conv2D(4, 3, strides=2, padding="same", activation="relu")
    out = layer(X4)
    expected = np.maximum(reference_conv2d(X4, layer.kernel.numpy(), 2, "SAME")
                          + layer.bias.numpy(), 0)
    check(layer, X4, expected, rtol=1e-4, atol=1e-5)
    assert out.shape == (2, 4, 3, 4)
    assert layer.get_config()["kernel_size"] == (3, 3)
    first = L.Conv2D(2, (2, 3), data_format="channels_first")
    xf = X4.transpose(0, 3, 1, 2)
    got = first(xf).numpy()
    want = reference_conv2d(X4, first.kernel.numpy(), 1, "VALID") + first.bias.numpy()
    np.testing.assert_allclose(got, want.transpose(0, 3, 1, 2), rtol=1e-4, atol=1e-5)


def test_conv1d_causal_and_transpose():
    layer = L.Conv1D(2, 3, padding="causal", dilation_rate=2, kernel_initializer="ones",
                     use_bias=False)
    x = np.arange(6, dtype=np.float32).reshape(1, 6, 1)
    # out[t] = x[t] + x[t - 2] + x[t - 4] (zeros before the start)
    check(layer, x, np.array([0, 1, 2, 4, 6, 9], np.float32).reshape(1, 6, 1).repeat(2, -1))
    up = L.Conv2DTranspose(2, 3, strides=2, padding="same")
    assert up(X4).shape == (2, 14, 12, 2)
    assert up.compute_output_shape((None, 7, 6, 3)) == (None, 14, 12, 2)


def test_pooling_layers():
    check(L.MaxPooling2D(), X4, X4[:, :6, :6].reshape(2, 3, 2, 3, 2, 3).max((2, 4)))
    check(L.AveragePooling2D(2), X4, X4[:, :6, :6].reshape(2, 3, 2, 3, 2, 3).mean((2, 4)),
          rtol=1e-5)
    check(L.MaxPooling1D(2), X3, X3.reshape(2, 3, 2, 3).max(2))
    check(L.AveragePooling1D(3), X3, X3.reshape(2, 2, 3, 3).mean(2), rtol=1e-5)
    check(L.GlobalAveragePooling2D(), X4, X4.mean((1, 2)), rtol=1e-5)
    check(L.GlobalMaxPooling2D(keepdims=True), X4, X4.max((1, 2), keepdims=True))
    check(L.GlobalAveragePooling1D(), X3, X3.mean(1), rtol=1e-5)
    check(L.GlobalMaxPooling1D(), X3, X3.max(1))
    masked = L.GlobalAveragePooling1D()(X3, mask=np.array([[1, 1, 0, 0, 0, 0],
                                                           [1, 1, 1, 1, 1, 1]], bool))
    np.testing.assert_allclose(masked.numpy(), [X3[0, :2].mean(0), X3[1].mean(0)], rtol=1e-5)
    assert L.MaxPool2D is L.MaxPooling2D


def test_a_small_convnet_trains_in_a_traced_step():
    model = keras.Sequential([keras.Input((8, 8, 1)), L.Conv2D(4, 3, activation="relu"),
                              L.MaxPooling2D(), L.Flatten(), L.Dense(2)])
    x = RNG.normal(size=(16, 8, 8, 1)).astype(np.float32)
    y = (x[:, :4].sum((1, 2, 3)) > x[:, 4:].sum((1, 2, 3))).astype(np.int32)
    optimizer = keras.optimizers.Adam(0.02)
    loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)

    @tf.function
    def step(x, y):
        with tf.GradientTape() as tape:
            loss = loss_fn(y, model(x, training=True))
        optimizer.apply_gradients(zip(tape.gradient(loss, model.trainable_variables),
                                      model.trainable_variables))
        return loss
    losses = [float(step(x, y)) for _ in range(30)]
    assert losses[-1] < 0.5 * losses[0]
    assert step.experimental_get_tracing_count() == 2  # TF counts the variable-making trace
