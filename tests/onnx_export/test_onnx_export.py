"""autotrace.onnx.export as a user sees it: signatures and symbolic dimensions, names of
inputs and outputs, a model onnx.checker accepts, and clear errors for what ONNX cannot hold."""
import sys

import numpy as np
import pytest

onnx = pytest.importorskip("onnx")
pytest.importorskip("onnxruntime")

import autotrace as tf  # noqa: E402
from tests.jit.test_jit import line_of  # noqa: E402
from tests.onnx_export.differential import run_onnx  # noqa: E402


def test_a_signature_with_none_dims_exports_symbolic_dimensions(tmp_path):
    w = tf.Variable(np.arange(6, dtype=np.float32).reshape(3, 2))

    @tf.function(input_signature=[tf.TensorSpec([None, 3], tf.float32)])
    def predict(features):
        logits = tf.matmul(features, w)
        return {"probabilities": tf.nn.softmax(logits), "classes": tf.argmax(logits, 1)}

    model = tf.onnx.export(predict, tmp_path / "predict.onnx")
    onnx.checker.check_model(onnx.load(str(tmp_path / "predict.onnx")), full_check=True)
    assert [i.name for i in model.graph.input] == ["features"]
    assert [o.name for o in model.graph.output] == ["classes", "probabilities"]
    dims = model.graph.input[0].type.tensor_type.shape.dim
    assert dims[0].dim_param and dims[1].dim_value == 3
    assert {o.domain: o.version for o in model.opset_import}[""] >= 17
    for batch in (1, 5):
        x = np.random.default_rng(batch).normal(size=(batch, 3)).astype(np.float32)
        classes, probabilities = run_onnx(tmp_path / "predict.onnx", [x])
        expected = predict(x)
        np.testing.assert_array_equal(classes, expected["classes"].numpy())
        np.testing.assert_allclose(probabilities, expected["probabilities"].numpy(), rtol=1e-6)


def test_which_trace_is_exported(tmp_path):
    fn = tf.function(lambda x: x * 2.0)
    with pytest.raises(ValueError, match="pass input_signature= .* the function has 0 traces"):
        tf.onnx.export(fn, tmp_path / "none.onnx")
    fn(tf.constant([1.0]))
    tf.onnx.export(fn, tmp_path / "one.onnx")  # its only trace
    fn(tf.constant([[1.0]]))
    with pytest.raises(ValueError, match="the function has 2 traces"):
        tf.onnx.export(fn, tmp_path / "two.onnx")
    tf.onnx.export(fn, tmp_path / "given.onnx",
                   input_signature=[tf.TensorSpec([None], tf.float32)])
    assert run_onnx(tmp_path / "given.onnx", [np.ones(4, np.float32)])[0].tolist() == [2.0] * 4
    tf.onnx.export(fn.get_concrete_function(tf.TensorSpec([2], tf.float32)),
                   tmp_path / "concrete.onnx")


def calls_python(x):
    return tf.py_function(lambda a: a * 2.0, [x], tf.float32)


COUNTER = tf.Variable(1.0)


def assigns(x):
    return COUNTER.assign_add(tf.reduce_sum(x))


def test_ops_onnx_cannot_hold_are_refused_naming_the_op_and_line(tmp_path):
    x = tf.constant([1.0, 2.0])
    with pytest.raises(tf.onnx.OnnxExportError) as info:
        tf.onnx.export(tf.function(calls_python).get_concrete_function(x), tmp_path / "a.onnx")
    assert str(info.value) == (
        "EagerPyFunc (op 'EagerPyFunc'): cannot be exported to ONNX: it runs Python code, "
        "which an ONNX model cannot hold.\n  [op 'EagerPyFunc' (EagerPyFunc) created at %s]"
        % line_of(calls_python, "tf.py_function"))
    with pytest.raises(tf.onnx.OnnxExportError, match="AssignAddVariableOp .*an ONNX model "
                                                       "has no state to assign to"):
        tf.onnx.export(tf.function(assigns).get_concrete_function(x), tmp_path / "b.onnx")
    with pytest.raises(tf.onnx.OnnxExportError, match="Cumprod .*has no conversion for it"):
        tf.onnx.export(tf.function(tf.math.cumprod).get_concrete_function(x), tmp_path / "c.onnx")
    assert isinstance(info.value, tf.errors.InvalidArgumentError)
    assert not (tmp_path / "a.onnx").exists()


def test_without_onnx_the_error_says_how_to_install_it(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "onnx", None)
    with pytest.raises(ImportError) as info:
        tf.onnx.export(tf.function(lambda x: x).get_concrete_function(tf.constant(1.0)),
                       tmp_path / "m.onnx")
    assert str(info.value) == ("autotrace.onnx.export writes models with the onnx library, which "
                               "is not installed. Install it with: pip install "
                               "'autotrace[onnx]'")


def test_a_keras_model_exports_and_runs_in_onnxruntime(tmp_path):
    tf.random.set_seed(0)
    model = tf.keras.Sequential([tf.keras.layers.Conv2D(4, 3, activation="relu"),
                                 tf.keras.layers.MaxPooling2D(2), tf.keras.layers.Flatten(),
                                 tf.keras.layers.Dense(3, activation="softmax")])
    predict = tf.function(lambda images: model(images),
                          input_signature=[tf.TensorSpec([None, 6, 6, 1], tf.float32)])
    tf.onnx.export(predict, tmp_path / "model.onnx")
    x = np.random.default_rng(0).normal(size=(5, 6, 6, 1)).astype(np.float32)
    (got,) = run_onnx(tmp_path / "model.onnx", [x])
    np.testing.assert_allclose(got, model(x).numpy(), rtol=1e-5, atol=1e-6)
