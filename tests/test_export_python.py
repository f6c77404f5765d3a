"""ConcreteFunction.export_python: one .py file and an .npz that run with NumPy alone."""
import doctest
import importlib.util
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import autotrace as tf
from autotrace.tracing.standalone import ExportPythonError


def _load(path):
    name = os.path.splitext(os.path.basename(path))[0]
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class Model(tf.Module):
    def __init__(self):
        super().__init__()
        self.w = tf.Variable([1.0, 2.0], name="w")
        self.calls = tf.Variable(0, name="calls")

    @tf.function
    def predict(self, x):
        self.calls.assign_add(1)
        y = tf.reduce_sum(x * self.w, axis=1)
        if tf.reduce_sum(y) > 0:
            y = y * 2.0
        i = tf.constant(0)
        while i < 3:
            y = y + tf.nn.relu(y)
            i += 1
        return y[0], tf.argmax(y)


def test_exported_function_runs_in_a_process_without_autotrace(tmp_path):
    model = Model()
    cf = model.predict.get_concrete_function(tf.TensorSpec([None, 2]))
    py, npz = cf.export_python(str(tmp_path / "predict.py"))
    assert (py, npz) == (str(tmp_path / "predict.py"), str(tmp_path / "predict.npz"))
    x = np.array([[1.0, 2.0], [3.0, -4.0], [0.5, 0.5]], np.float32)
    first, index = cf(x)
    script = textwrap.dedent("""
        import sys
        sys.modules["autotrace"] = None   # any import of autotrace would fail
        import numpy as np
        import predict
        first, index = predict.predict(np.array(%r, np.float32))
        print(repr(first), repr(index), int(predict.variables["calls:0"].value))
        """ % x.tolist())
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            cwd=str(tmp_path), env=dict(os.environ, PYTHONPATH=str(tmp_path)),
                            timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "%r %r 1\n" % (np.float32(first), np.int64(index))


def test_variables_keep_their_values_and_assignments(tmp_path):
    model = Model()
    cf = model.predict.get_concrete_function(tf.TensorSpec([1, 2]))
    model.w.assign([3.0, -1.0])   # the export takes the values at export time
    exported = _load(cf.export_python(str(tmp_path / "counter.py"))[0])
    assert sorted(exported.variables) == ["calls:0", "w:0"]
    np.testing.assert_array_equal(exported.variables["w:0"].value, [3.0, -1.0])
    for _ in range(3):
        got = exported.predict([[1.0, 1.0]])
    assert int(exported.variables["calls:0"].value) == 3
    np.testing.assert_allclose(got[0], cf(tf.constant([[1.0, 1.0]]))[0].numpy())
    with pytest.raises(ValueError, match=r"argument x must have shape \[1, 2\], got \(2,\)"):
        exported.predict([1.0, 1.0])


@tf.function
def strings_and_arrays(words, n):
    ta = tf.TensorArray(tf.float32, size=0, dynamic_size=True)
    for i in tf.range(n):
        ta = ta.write(i, tf.cast(i, tf.float32) * 1.5)
    upper = tf.strings.upper(words)
    return upper, tf.strings.regex_replace(words, "a+", "-"), ta.stack(), \
        tf.random.uniform([3], seed=7)


def test_strings_tensor_arrays_and_seeded_random_ops(tmp_path):
    tf.random.set_seed(1)
    words = np.array([b"banana", b"kiwi"], dtype=object)
    cf = strings_and_arrays.get_concrete_function(words, tf.constant(4))
    exported = _load(cf.export_python(str(tmp_path / "strings.py"))[0])
    want = cf(words, tf.constant(4))   # both start their seeded streams afresh
    got = exported.strings_and_arrays(words, 4)
    assert [list(g) for g in got[:2]] == [list(w.numpy()) for w in want[:2]]
    np.testing.assert_array_equal(got[2], want[2].numpy())
    np.testing.assert_array_equal(got[3], want[3].numpy())


def test_a_train_step_with_gradients_and_an_optimizer(tmp_path):
    w = tf.Variable([0.5, -1.0, 2.0], name="w")
    optimizer = tf.keras.optimizers.Adam(0.1)

    @tf.function
    def train_step(x):
        with tf.GradientTape() as tape:
            y = w * x
            i = tf.constant(0)
            while i < 2:
                y = tf.sin(y)
                i += 1
            loss = tf.reduce_sum(y * y)
        optimizer.apply_gradients([(tape.gradient(loss, w), w)])
        return loss

    x = tf.constant([1.0, 2.0, 3.0])
    cf = train_step.get_concrete_function(x)
    exported = _load(cf.export_python(str(tmp_path / "train.py"))[0])
    for _ in range(3):
        want = cf(x).numpy()
        got = exported.train_step(x.numpy())
        assert got == want
    np.testing.assert_array_equal(exported.variables["w:0"].value, w.numpy())


def test_python_callbacks_cannot_be_exported(tmp_path):
    @tf.function
    def calls_python(x):
        return tf.numpy_function(lambda a: a + 1, [x], tf.float32)
    cf = calls_python.get_concrete_function(tf.TensorSpec([2]))
    with pytest.raises(ExportPythonError) as info:
        cf.export_python(str(tmp_path / "py.py"))
    line = calls_python.python_function.__code__.co_firstlineno + 2
    assert str(info.value).startswith(
        "Cannot export calls_python as standalone Python: op 'PyFunc' (PyFunc, created at "
        "%s:%d): it calls the Python function " % (__file__, line)), str(info.value)
    with pytest.raises(ValueError, match="writes a .py file"):
        cf.export_python(str(tmp_path / "py.txt"))


def test_export_python_doctest():
    from autotrace.tracing import concrete
    finder = doctest.DocTestFinder()
    tests = [t for t in finder.find(concrete) if t.name.endswith("export_python")]
    runner = doctest.DocTestRunner()
    for test in tests:
        runner.run(test)
    assert tests and runner.failures == 0
