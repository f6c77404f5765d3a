"""keras.losses and keras.metrics: values are TF 2.21 / Keras 3.15's answers for the same
inputs (noted beside each), configs are Keras's keys, reductions and sample weights."""
import numpy as np
import pytest

import autotrace as tf
from autotrace import keras

LOSSES, METRICS = keras.losses, keras.metrics
Y_TRUE = np.array([[0.0, 1.0], [1.0, 0.0]], np.float32)
Y_PRED = np.array([[0.6, 0.4], [0.4, 0.6]], np.float32)


def values(t):
    return np.asarray(t).tolist()


def test_loss_functions_match_tf():
    approx = lambda v: pytest.approx(v, rel=1e-5)  # noqa: E731
    assert values(LOSSES.mse(Y_TRUE, Y_PRED)) == approx([0.36, 0.36])
    assert values(LOSSES.mae(Y_TRUE, Y_PRED)) == approx([0.6, 0.6])
    assert values(LOSSES.huber(Y_TRUE, Y_PRED)) == approx([0.18, 0.18])
    assert values(LOSSES.log_cosh(Y_TRUE, Y_PRED)) == approx([0.17013526] * 2)
    assert values(LOSSES.kld(Y_TRUE, Y_PRED)) == approx([0.9162892] * 2)
    assert values(LOSSES.hinge(Y_TRUE, Y_PRED)) == approx([1.1, 1.1])
    assert values(LOSSES.categorical_crossentropy(Y_TRUE, Y_PRED)) == approx([0.9162907] * 2)
    assert values(LOSSES.binary_crossentropy(Y_TRUE, Y_PRED)) == approx([0.91629076] * 2)
    assert values(LOSSES.sparse_categorical_crossentropy(np.array([0, 1]), Y_PRED)) == \
        approx([0.5108256] * 2)


def test_loss_classes_reduce_and_weight_as_tf():
    mse = LOSSES.MeanSquaredError
    assert float(mse()(Y_TRUE, Y_PRED)) == pytest.approx(0.36)
    assert float(mse(reduction="sum")(Y_TRUE, Y_PRED)) == pytest.approx(0.72)
    assert values(mse(reduction=None)(Y_TRUE, Y_PRED)) == pytest.approx([0.36, 0.36])
    weights = np.array([1.0, 0.0])
    assert float(mse()(Y_TRUE, Y_PRED, sample_weight=weights)) == pytest.approx(0.18)
    assert float(mse(reduction="mean_with_sample_weight")(Y_TRUE, Y_PRED, weights)) == \
        pytest.approx(0.36)
    scce = LOSSES.SparseCategoricalCrossentropy()
    assert float(scce(np.array([0, 1]), Y_PRED, sample_weight=np.array([2.0, 1.0]))) == \
        pytest.approx(0.76623833, rel=1e-5)
    assert float(LOSSES.CategoricalCrossentropy(label_smoothing=0.1)(Y_TRUE, Y_PRED)) == \
        pytest.approx(0.89601743, rel=1e-5)
    assert float(LOSSES.BinaryCrossentropy(from_logits=True)(Y_TRUE, Y_PRED)) == \
        pytest.approx(0.7752516, rel=1e-5)
    logits = np.array([[2.0, 1.0, 0.1]], np.float32)
    assert float(LOSSES.SparseCategoricalCrossentropy(from_logits=True)([0], logits)) == \
        pytest.approx(-np.log(np.exp(2) / np.exp(logits).sum()), rel=1e-6)
    with pytest.raises(ValueError, match="Invalid value for argument `reduction`. Expected one "
                                         "of {'mean', 'mean_with_sample_weight', 'none', "
                                         "'sum_over_batch_size', 'sum', None}. Received: "
                                         "reduction=bad"):
        mse(reduction="bad")


def test_loss_configs_and_get():
    assert LOSSES.MeanSquaredError().get_config() == {"name": "mean_squared_error",
                                                      "reduction": "sum_over_batch_size"}
    assert LOSSES.BinaryCrossentropy().get_config() == {
        "name": "binary_crossentropy", "reduction": "sum_over_batch_size",
        "from_logits": False, "label_smoothing": 0.0, "axis": -1}
    assert LOSSES.SparseCategoricalCrossentropy(from_logits=True).get_config() == {
        "name": "sparse_categorical_crossentropy", "reduction": "sum_over_batch_size",
        "from_logits": True, "ignore_class": None}
    assert LOSSES.get("mse") is LOSSES.mean_squared_error
    assert isinstance(LOSSES.get("MeanSquaredError"), LOSSES.MeanSquaredError)
    assert LOSSES.serialize(LOSSES.MeanSquaredError()) == {
        "module": "keras.losses", "class_name": "MeanSquaredError",
        "config": {"name": "mean_squared_error", "reduction": "sum_over_batch_size"},
        "registered_name": None}
    again = LOSSES.deserialize(LOSSES.serialize(LOSSES.Huber(delta=2.0)))
    assert again.get_config()["delta"] == 2.0


def test_losses_inside_traced_functions_and_masks():
    loss = LOSSES.MeanSquaredError()
    traced = tf.function(lambda a, b: loss(a, b))
    assert float(traced(Y_TRUE, Y_PRED)) == pytest.approx(0.36)
    pred = tf.constant(Y_PRED)
    pred._keras_mask = tf.constant([True, False])
    # the masked example is left out of both the sum and the count
    assert float(loss(Y_TRUE, pred)) == pytest.approx(0.36)


def test_streaming_mean_and_sum():
    mean = METRICS.Mean()
    assert float(mean([1.0, 2.0, 3.0])) == 2.0
    assert float(mean(4.0, sample_weight=2.0)) == pytest.approx(2.8)
    mean.reset_state()
    assert float(mean.result()) == 0.0
    total = METRICS.Sum()
    total.update_state([1.0, 2.0])
    total.update_state(3.0)
    assert float(total.result()) == 6.0
    assert [v.path for v in mean.variables] == ["mean/total", "mean/count"]
    mean.update_state(5.0)
    mean.reset_states()   # Keras 2's name, as HOML uses it
    assert float(mean.result()) == 0.0


def test_metric_values_match_tf():
    y_true = [0, 1, 1, 0, 1]
    y_pred = [0.1, 0.8, 0.4, 0.6, 0.9]
    expected = {METRICS.Precision: 0.6666667, METRICS.Recall: 0.6666667,
                METRICS.BinaryAccuracy: 0.6}
    for cls, value in expected.items():
        metric = cls()
        metric.update_state(y_true, y_pred)
        assert float(metric.result()) == pytest.approx(value, rel=1e-5), cls.__name__
    auc = METRICS.AUC()
    auc.update_state(y_true, y_pred)
    assert float(auc.result()) == pytest.approx(0.8333334, rel=1e-5)
    pr = METRICS.AUC(curve="PR")
    pr.update_state(y_true, y_pred)
    assert float(pr.result()) == pytest.approx(0.904106, rel=1e-4)
    two = METRICS.Precision(thresholds=[0.3, 0.7])
    two.update_state(y_true, y_pred)
    assert values(two.result()) == pytest.approx([0.75, 1.0])
    assert values(METRICS.sparse_categorical_accuracy(
        np.array([1.0, 2.0]), np.array([[0.1, 0.8, 0.1], [0.5, 0.3, 0.2]]))) == [1.0, 0.0]
    assert float(METRICS.RootMeanSquaredError()(np.array([[1.0, 2.0]]),
                                                np.array([[2.0, 4.0]]))) == \
        pytest.approx(1.5811388)
    top2 = METRICS.TopKCategoricalAccuracy(k=2)
    assert float(top2(np.array([[0, 0, 1], [0, 1, 0]]),
                      np.array([[0.1, 0.8, 0.1], [0.5, 0.3, 0.2]], np.float32))) == 1.0
    assert float(METRICS.Accuracy()([1, 2, 3], [1, 2, 4])) == pytest.approx(2 / 3)
    counts = METRICS.TruePositives()
    counts.update_state(y_true, y_pred, sample_weight=[1, 2, 3, 4, 5])
    assert float(counts.result()) == 7.0


def test_metric_configs_names_and_get():
    assert METRICS.SparseCategoricalAccuracy().get_config() == {
        "name": "sparse_categorical_accuracy", "dtype": "float32"}
    assert METRICS.BinaryAccuracy().get_config() == {"name": "binary_accuracy",
                                                     "dtype": "float32", "threshold": 0.5}
    assert METRICS.Precision().get_config() == {"name": "precision", "dtype": "float32",
                                                "thresholds": None, "top_k": None,
                                                "class_id": None}
    assert METRICS.AUC().get_config() == {
        "name": "auc", "dtype": "float32", "num_thresholds": 200, "curve": "ROC",
        "summation_method": "interpolation", "multi_label": False, "num_labels": None,
        "label_weights": None, "from_logits": False}
    assert repr(METRICS.Mean()) == "<Mean name=mean>"
    wrapper = METRICS.MeanMetricWrapper(fn=METRICS.mse)
    assert wrapper.name == "mean_metric_wrapper" and float(wrapper([[1.0]], [[3.0]])) == 4.0
    assert METRICS.get("accuracy") is METRICS.accuracy
    assert isinstance(METRICS.get("AUC"), METRICS.AUC)


def test_metric_updates_inside_a_traced_step():
    accuracy = METRICS.SparseCategoricalAccuracy()

    @tf.function
    def update(y, p):
        accuracy.update_state(y, p)
        return accuracy.result()
    update([1, 0], [[0.2, 0.8], [0.3, 0.7]])
    assert float(update([1, 0], [[0.2, 0.8], [0.9, 0.1]])) == 0.75
