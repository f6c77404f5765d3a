"""Models: the functional API (several inputs and outputs, shared layers, models as layers),
Sequential (list, add, pop, nesting), subclassed models, and summary() pinned against the
tables Keras 3 (TF 2.21) prints for the same models."""
import numpy as np
import pytest

import autotrace as tf
from autotrace import keras

L = keras.layers


@pytest.fixture(autouse=True)
def eighty_columns(monkeypatch):
    """summary() sizes its table to the terminal, as Keras; the goldens are for 80 columns."""
    monkeypatch.setenv("COLUMNS", "80")


def summary_text(model, **kwargs):
    lines = []
    model.summary(print_fn=lines.append, **kwargs)
    return lines[0]


SEQUENTIAL_SUMMARY = """\
Model: "sequential"
┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━┓
┃ Layer (type)                    ┃ Output Shape           ┃       Param # ┃
┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━┩
│ flatten (Flatten)               │ (None, 784)            │             0 │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│ dense (Dense)                   │ (None, 100)            │        78,500 │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│ dense_1 (Dense)                 │ (None, 10)             │         1,010 │
└─────────────────────────────────┴────────────────────────┴───────────────┘
 Total params: 79,510 (310.59 KB)
 Trainable params: 79,510 (310.59 KB)
 Non-trainable params: 0 (0.00 B)
"""


def test_sequential_summary_as_keras_prints_it():
    model = keras.Sequential([L.Flatten(input_shape=[28, 28]), L.Dense(100, activation="relu"),
                              L.Dense(10, activation="softmax")])
    assert summary_text(model) == SEQUENTIAL_SUMMARY
    assert [v.path for v in model.variables] == [
        "sequential/dense/kernel", "sequential/dense/bias", "sequential/dense_1/kernel",
        "sequential/dense_1/bias"]


SUBCLASSED_UNBUILT = """\
Model: "m"
┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━┓
┃ Layer (type)                    ┃ Output Shape           ┃       Param # ┃
┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━┩
│ dense (Dense)                   │ ?                      │   0 (unbuilt) │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│ dense_1 (Dense)                 │ ?                      │   0 (unbuilt) │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│ dense_2 (Dense)                 │ ?                      │   0 (unbuilt) │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│ dense_3 (Dense)                 │ ?                      │   0 (unbuilt) │
└─────────────────────────────────┴────────────────────────┴───────────────┘
 Total params: 0 (0.00 B)
 Trainable params: 0 (0.00 B)
 Non-trainable params: 0 (0.00 B)
"""

SUBCLASSED_BUILT = """\
Model: "m"
┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━┓
┃ Layer (type)                    ┃ Output Shape           ┃       Param # ┃
┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━┩
│ dense (Dense)                   │ (2, 4)                 │            24 │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│ dense_1 (Dense)                 │ (2, 3)                 │            15 │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│ dense_2 (Dense)                 │ (2, 2)                 │             8 │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│ dense_3 (Dense)                 │ (2, 1)                 │             3 │
└─────────────────────────────────┴────────────────────────┴───────────────┘
 Total params: 50 (200.00 B)
 Trainable params: 50 (200.00 B)
 Non-trainable params: 0 (0.00 B)
"""


class M(keras.Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.d1 = L.Dense(4)
        self.blocks = [L.Dense(3), L.Dense(2)]
        self.out = L.Dense(1)

    def call(self, x):
        x = self.d1(x)
        for b in self.blocks:
            x = b(x)
        return self.out(x)


def test_subclassed_model_layers_get_layer_and_summary():
    m = M()
    assert summary_text(m) == SUBCLASSED_UNBUILT
    m(np.ones((2, 5), np.float32))
    assert summary_text(m) == SUBCLASSED_BUILT
    assert [layer.name for layer in m.layers] == ["dense", "dense_1", "dense_2", "dense_3"]
    assert repr(m) == "<M name=m, built=True>" and repr(m.get_layer("dense_1")) == \
        "<Dense name=dense_1, built=True>"
    with pytest.raises(ValueError, match=r"No such layer: zzz. Existing layers are: \['dense', "
                                         r"'dense_1', 'dense_2', 'dense_3'\]."):
        m.get_layer("zzz")


MULTI_SUMMARY = """\
Model: "multi"
┏━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━┓
┃ Layer (type)        ┃ Output Shape      ┃    Param # ┃ Connected to      ┃
┡━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━┩
│ a (InputLayer)      │ (None, 4)         │          0 │ -                 │
├─────────────────────┼───────────────────┼────────────┼───────────────────┤
│ b (InputLayer)      │ (None, 3)         │          0 │ -                 │
├─────────────────────┼───────────────────┼────────────┼───────────────────┤
│ shared (Dense)      │ (None, 5)         │         25 │ a[0][0],          │
│                     │                   │            │ dense_1[0][0]     │
├─────────────────────┼───────────────────┼────────────┼───────────────────┤
│ dense (Dense)       │ (None, 5)         │         20 │ b[0][0]           │
├─────────────────────┼───────────────────┼────────────┼───────────────────┤
│ cat (Concatenate)   │ (None, 10)        │          0 │ shared[0][0],     │
│                     │                   │            │ dense[0][0]       │
├─────────────────────┼───────────────────┼────────────┼───────────────────┤
│ dense_1 (Dense)     │ (None, 4)         │         44 │ cat[0][0]         │
└─────────────────────┴───────────────────┴────────────┴───────────────────┘
 Total params: 89 (356.00 B)
 Trainable params: 89 (356.00 B)
 Non-trainable params: 0 (0.00 B)
"""

NARROW_SUMMARY = """\
Model: "multi"
┏━━━━━━━━━━━━━━┳━━━━━━━━━━━━┳━━━━━━━┳━━━━━━━━━━━━┓
┃              ┃ Output     ┃ Param ┃ Connected  ┃
┃ Layer (type) ┃ Shape      ┃     # ┃ to         ┃
┡━━━━━━━━━━━━━━╇━━━━━━━━━━━━╇━━━━━━━╇━━━━━━━━━━━━┩
│ a            │ (None, 4)  │     0 │ -          │
│ (InputLayer) │            │       │            │
├──────────────┼────────────┼───────┼────────────┤
│ b            │ (None, 3)  │     0 │ -          │
│ (InputLayer) │            │       │            │
├──────────────┼────────────┼───────┼────────────┤
│ shared       │ (None, 5)  │    25 │ a[0][0],   │
│ (Dense)      │            │       │ dense_1[0… │
├──────────────┼────────────┼───────┼────────────┤
│ dense        │ (None, 5)  │    20 │ b[0][0]    │
│ (Dense)      │            │       │            │
├──────────────┼────────────┼───────┼────────────┤
│ cat          │ (None, 10) │     0 │ shared[0]… │
│ (Concatenat… │            │       │ dense[0][… │
├──────────────┼────────────┼───────┼────────────┤
│ dense_1      │ (None, 4)  │    44 │ cat[0][0]  │
│ (Dense)      │            │       │            │
└──────────────┴────────────┴───────┴────────────┘
 Total params: 89 (356.00 B)
 Trainable params: 89 (356.00 B)
 Non-trainable params: 0 (0.00 B)
"""


def multi_input_model():
    a, b = keras.Input((4,), name="a"), keras.Input((3,), name="b")
    shared = L.Dense(5, name="shared")
    x = L.Concatenate(name="cat")([shared(a), L.Dense(5)(b)])
    y = shared(L.Dense(4)(x))
    return keras.Model({"a": a, "b": b}, [y, x], name="multi")


def test_functional_model_with_two_inputs_two_outputs_and_a_shared_layer():
    model = multi_input_model()
    assert summary_text(model) == MULTI_SUMMARY
    assert summary_text(model, line_length=50) == NARROW_SUMMARY
    assert [layer.name for layer in model.layers] == ["a", "b", "shared", "dense", "cat",
                                                      "dense_1"]
    assert [t.name for t in model.inputs] == ["a", "b"] and len(model.outputs) == 2
    a = np.ones((2, 4), np.float32)
    b = np.full((2, 3), 2.0, np.float32)
    y, x = model({"a": a, "b": b})
    shared, dense, dense_1 = (model.get_layer(n) for n in ("shared", "dense", "dense_1"))
    first = a @ shared.kernel.numpy() + shared.bias.numpy()
    x_want = np.concatenate([first, b @ dense.kernel.numpy() + dense.bias.numpy()], -1)
    y_want = (x_want @ dense_1.kernel.numpy() + dense_1.bias.numpy()) @ shared.kernel.numpy() \
        + shared.bias.numpy()
    np.testing.assert_allclose(x.numpy(), x_want, rtol=1e-5)
    np.testing.assert_allclose(y.numpy(), y_want, rtol=1e-5)
    with pytest.raises(ValueError, match='Missing data for input "b"'):
        model({"a": a})
    clone = keras.Model.from_config(model.get_config())
    clone.set_weights(model.get_weights())
    for got, want in zip(clone({"a": a, "b": b}), (y, x)):
        np.testing.assert_allclose(got.numpy(), want.numpy(), rtol=1e-6)


def test_models_used_as_layers_and_in_traced_functions():
    inner_in = keras.Input((3,))
    inner = keras.Model(inner_in, L.Dense(2, activation="relu")(inner_in), name="inner")
    outer_in = keras.Input((3,))
    outer = keras.Model(outer_in, L.Dense(1)(inner(outer_in)), name="outer")
    assert outer.layers[1] is inner and len(outer.weights) == 4
    x = np.random.default_rng(0).normal(size=(5, 3)).astype(np.float32)
    expected = outer(x).numpy()
    traced = tf.function(lambda x: outer(x))
    np.testing.assert_allclose(traced(x).numpy(), expected, rtol=1e-6)
    seq = keras.Sequential([inner, L.Dense(1)])          # a functional model in a Sequential
    assert seq(x).shape == (5, 1) and seq.output_shape == (None, 1)


def test_graph_disconnected_and_bad_outputs_are_explained():
    a, b = keras.Input((2,), name="a"), keras.Input((2,), name="b")
    out = L.Add()([a, b])
    with pytest.raises(ValueError) as error:
        keras.Model(a, out)
    assert str(error.value) == (
        "Output with path `` is not connected to `inputs`: it depends on <KerasTensor "
        "shape=(None, 2), dtype=float32, sparse=False, ragged=False, name=b>, which is not "
        "among the model's inputs (a). Graph disconnected: add it to `inputs`.")
    with pytest.raises(ValueError, match="All `inputs` and `outputs` values must be "
                                         "KerasTensors"):
        keras.Model(a, np.ones(2))


def test_sequential_add_pop_build_and_nesting():
    model = keras.Sequential(name="seq")
    model.add(L.Dense(3))
    assert not model.built
    with pytest.raises(AttributeError, match="Sequential model 'seq' has no defined input "
                                             "shape yet."):
        model.input_shape
    model.build((None, 4))
    assert model.built and model.output_shape == (None, 3)
    model.add(L.Dense(2))
    assert model.output_shape == (None, 2) and len(model.weights) == 4
    assert model.pop().units == 2 and model.output_shape == (None, 3)
    with pytest.raises(ValueError, match="should have unique names"):
        model.add(keras.layers.Dense(1, name=model.layers[0].name))
    with pytest.raises(ValueError, match="Only instances of `keras.Layer` can be added to a "
                                         "Sequential model"):
        model.add(lambda x: x)
    lazy = keras.Sequential([L.Dense(2)])
    assert lazy(np.ones((3, 4), np.float32)).shape == (3, 2)
    inner = keras.Sequential([keras.Input((4,)), L.Dense(3)], name="inner")
    outer = keras.Sequential([inner, L.Dense(1)], name="outer")
    text = summary_text(outer, expand_nested=True)
    assert "│ inner (Sequential)              │ (None, 3)              │            15 │" \
        in text
    assert "│    └ dense_3 (Dense)            │ (None, 3)              │            15 │" \
        in text
    config = outer.get_config()
    assert [c["class_name"] for c in config["layers"]] == ["InputLayer", "Sequential", "Dense"]
    rebuilt = keras.Sequential.from_config(config)
    assert rebuilt.output_shape == (None, 1)


def test_show_trainable_and_frozen_layers():
    model = keras.Sequential([keras.Input((4,)), L.Dense(3), L.BatchNormalization(),
                              L.Dropout(0.5)])
    model.layers[0].trainable = False
    text = summary_text(model, show_trainable=True)
    assert "┃ Layer (type)                ┃ Output Shape          ┃    Param # ┃ Trai… ┃" \
        in text
    assert "│ dense (Dense)               │ (None, 3)             │         15 │   N   │" \
        in text
    assert "│ dropout (Dropout)           │ (None, 3)             │          0 │   -   │" \
        in text
    assert text.endswith(" Total params: 27 (108.00 B)\n Trainable params: 6 (24.00 B)\n"
                         " Non-trainable params: 21 (84.00 B)\n")
    assert len(model.trainable_weights) == 2 and len(model.non_trainable_weights) == 4


def test_model_build_runs_call_symbolically_for_a_subclassed_model():
    model = M()
    model.build((None, 5))
    assert model.built and all(layer.built for layer in model.layers)
    assert model.count_params() == 50


def test_a_subclass_may_pass_inputs_and_outputs_to_model_init():
    class WithHead(keras.Model):
        def __init__(self, units):
            inputs = keras.Input((3,), name="x")
            outputs = L.Dense(units, name="head")(inputs)
            super().__init__(inputs=inputs, outputs=outputs, name="with_head")
            self.units = units

        def describe(self):
            return "%d units on %s" % (self.units, self.layers[1].name)

    model = WithHead(2)
    assert isinstance(model, WithHead) and isinstance(model, keras.Model)
    assert model.describe() == "2 units on head" and model.output_shape == (None, 2)
    assert model(np.ones((4, 3), np.float32)).shape == (4, 2)
    assert [w.path for w in model.weights] == ["head/kernel", "head/bias"]
