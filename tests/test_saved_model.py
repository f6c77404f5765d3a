"""tf.saved_model: save a Module's variables and traced functions, load them without the
Python code (in another process), call and train them; refuse bad files."""
import doctest
import json
import os
import pickle
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

import autotrace as tf
from autotrace.saved_model import ExportError, FormatError

REPO = Path(tf.__file__).resolve().parent.parent

MODEL_SOURCE = '''
import autotrace as tf


class Regressor(tf.Module):
    """Variables in a child module and a list; a traced method with a tensor `if` and a
    tensor `while` loop."""

    def __init__(self):
        super().__init__()
        self.w = tf.Variable([[0.5], [-1.0]], name="w")
        self.head = tf.Module()
        self.head.b = tf.Variable([0.25], name="b")
        self.scales = [tf.Variable(2.0, name="scale")]
        self.calls = tf.Variable(0, trainable=False, name="calls")

    @tf.function(input_signature=[tf.TensorSpec([None, 2], tf.float32)])
    def predict(self, x):
        self.calls.assign_add(1)
        y = tf.matmul(x, self.w) + self.head.b
        if tf.reduce_sum(y) > 0:
            y = y * self.scales[0]
        else:
            y = y - 1.0
        i = tf.constant(0)
        while i < 3:
            y = y + 0.5 * tf.tanh(y)
            i += 1
        return y

    @tf.function
    def describe(self, x, n=2):
        return {"sum": tf.reduce_sum(x) * n, "max": tf.reduce_max(x)}


class Classifier(tf.keras.Model):
    """A subclassed Keras model, built by its first call."""

    def __init__(self):
        super().__init__()
        self.hidden = tf.keras.layers.Dense(4, activation="relu")
        self.out = tf.keras.layers.Dense(2)

    def call(self, x):
        return self.out(self.hidden(x))
'''

TRAIN_STEP = '''
def keras_step(model, x):
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(tf.square(model(x)))
    for g, v in zip(tape.gradient(loss, model.trainable_variables), model.trainable_variables):
        v.assign_sub(0.05 * g)
    return model(x).numpy()


def train_step(model, x, target):
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(tf.square(model.predict(x) - target))
    grads = tape.gradient(loss, model.trainable_variables)
    for g, v in zip(grads, model.trainable_variables):
        v.assign_sub(0.1 * g)
    return loss
'''

SAVE_SCRIPT = '''
import json, sys
import numpy as np
import autotrace as tf
from model_def import Classifier, Regressor
''' + TRAIN_STEP + '''
model = Regressor()
x = tf.constant([[1.0, 2.0], [3.0, -1.0]])
x_neg = tf.constant([[-4.0, 3.0]])
target = tf.constant([[1.0], [0.0]])
train_step(model, x, target)
model.describe(tf.constant([1.0, 5.0]))
model.describe(tf.constant([[1.0]]), n=3)
tf.saved_model.save(model, sys.argv[1])
tf.random.set_seed(3)
classifier = Classifier()
features = np.array([[1.0, -2.0, 0.5], [0.0, 3.0, 1.0]], np.float32)
classifier(features)
tf.saved_model.save(classifier, sys.argv[1] + "_keras")
expected = {
    "predict": model.predict(x).numpy().tolist(),
    "predict_neg": model.predict(x_neg).numpy().tolist(),
    "describe": model.describe(tf.constant([1.0, 5.0]))["sum"].numpy().tolist(),
    "describe3": model.describe(tf.constant([[1.0]]), n=3)["sum"].numpy().tolist(),
    "loss": float(train_step(model, x, target)),
    "variables": {v.name: v.numpy().tolist() for v in model.trainable_variables},
    "keras": classifier(features).numpy().tolist(),
    "keras_step": keras_step(classifier, features).tolist(),
}
json.dump(expected, open(sys.argv[2], "w"))
'''

LOAD_SCRIPT = '''
import json, sys
import numpy as np
import autotrace as tf
try:
    import model_def
except ImportError:
    pass
else:
    raise AssertionError("the defining file is importable")
''' + TRAIN_STEP + '''
expected = json.load(open(sys.argv[2]))
model = tf.saved_model.load(sys.argv[1])
x = tf.constant([[1.0, 2.0], [3.0, -1.0]])
target = tf.constant([[1.0], [0.0]])
np.testing.assert_allclose(model.predict(x).numpy(), expected["predict"], rtol=1e-6)
np.testing.assert_allclose(model.predict(tf.constant([[-4.0, 3.0]])).numpy(),
                           expected["predict_neg"], rtol=1e-6)
served = model.signatures["serving_default"](x=x)
np.testing.assert_allclose(served["output_0"].numpy(), expected["predict"], rtol=1e-6)
assert model.describe(tf.constant([1.0, 5.0]))["sum"].numpy() == expected["describe"]
assert model.describe(tf.constant([[1.0]]), n=3)["sum"].numpy() == expected["describe3"]
assert int(model.calls.numpy()) == 4   # the saved counter kept counting after loading
loss = train_step(model, x, target)
np.testing.assert_allclose(float(loss), expected["loss"], rtol=1e-6)
for v in model.trainable_variables:
    np.testing.assert_allclose(v.numpy(), expected["variables"][v.name], rtol=1e-6)
keras_model = tf.saved_model.load(sys.argv[1] + "_keras")
features = np.array([[1.0, -2.0, 0.5], [0.0, 3.0, 1.0]], np.float32)
np.testing.assert_allclose(keras_model(features).numpy(), expected["keras"], rtol=1e-6)
served = keras_model.signatures["serving_default"](inputs=features)["output_0"]
np.testing.assert_allclose(served.numpy(), expected["keras"], rtol=1e-6)
np.testing.assert_allclose(keras_step(keras_model, features), expected["keras_step"],
                           rtol=1e-5)
print("ok", sorted(v.name for v in model.trainable_variables),
      len(keras_model.trainable_variables))
'''


def _run(script, *args, cwd):
    env = dict(os.environ, PYTHONPATH=str(REPO))
    result = subprocess.run([sys.executable, "-c", script] + [str(a) for a in args],
                            capture_output=True, text=True, cwd=str(cwd), env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_saved_module_runs_and_trains_in_a_process_without_its_source(tmp_path):
    source_dir, elsewhere = tmp_path / "src", tmp_path / "elsewhere"
    source_dir.mkdir()
    elsewhere.mkdir()
    (source_dir / "model_def.py").write_text(MODEL_SOURCE)
    export, expected = tmp_path / "export", tmp_path / "expected.json"
    _run(SAVE_SCRIPT, export, expected, cwd=source_dir)
    out = _run(LOAD_SCRIPT, export, expected, cwd=elsewhere)
    assert out == "ok ['b:0', 'scale:0', 'w:0'] 4\n"


# -- in one process ----------------------------------------------------------------------------

class Model(tf.Module):
    def __init__(self):
        super().__init__()
        self.v = tf.Variable([1.0, 2.0, 3.0], name="v")
        self.optimizer = tf.keras.optimizers.Adam(0.1)

    @tf.function
    def tensor_array(self, x):
        ta = tf.TensorArray(tf.float32, size=0, dynamic_size=True)
        for i in tf.range(tf.shape(x)[0]):
            ta = ta.write(i, x[i] * 2.0)
        return ta.stack()

    @tf.function
    def uses_variable_in_branches(self, x):
        if tf.reduce_sum(x) > 0:
            r = x * self.v
        else:
            r = x - self.v
        return r

    @tf.function
    def strings(self, s):
        return tf.strings.upper(s), tf.strings.regex_replace(s, "a+", "b")

    @tf.function
    def train(self, x):
        with tf.GradientTape() as tape:
            y = self.v * x
            i = tf.constant(0)
            while i < 2:
                y = tf.sin(y)
                i += 1
            loss = tf.reduce_sum(y)
        self.optimizer.apply_gradients([(tape.gradient(loss, self.v), self.v)])
        return loss

    @tf.function
    def slicing(self, x, k):
        return x[1:, ::2], x[k], x[..., tf.newaxis], tf.gather(x, [0, 0])

    @tf.function
    def switch(self, i, x):
        return tf.switch_case(i, [lambda: x, lambda: x * 2.0, lambda: -x])

    @tf.function
    def mapped(self, x):
        return tf.map_fn(tf.reduce_sum, x)


X = np.array([[1.0, -2.0, 3.0], [4.0, 5.0, -6.0]], np.float32)
CALLS = [("tensor_array", (X,)), ("uses_variable_in_branches", (X[0],)),
         ("uses_variable_in_branches", (-9 * X[0],)),
         ("strings", (np.array([b"aab", b"xa"], dtype=object),)), ("train", (X[0],)),
         ("slicing", (X, np.int32(1))), ("switch", (np.int32(1), X)),
         ("switch", (np.int32(7), X)), ("mapped", (X,))]


def _flat_values(result):
    return [np.asarray(t) for t in tf.nest.flatten(result)]


@pytest.fixture(scope="module")
def saved_model(tmp_path_factory):
    model = Model()
    for name, args in CALLS:
        getattr(model, name)(*args)
    path = tmp_path_factory.mktemp("saved") / "model"
    tf.saved_model.save(model, str(path))
    model.saved_v = model.v.numpy()
    return model, str(path)


def test_every_saved_trace_gives_the_same_values_after_loading(saved_model):
    model, path = saved_model
    loaded = tf.saved_model.load(path)
    for m in (model, loaded):
        m.v.assign([1.0, 2.0, 3.0])
    for name, args in CALLS:
        want = _flat_values(getattr(model, name)(*args))
        got = _flat_values(getattr(loaded, name)(*args))
        assert len(want) == len(got), name
        for w, g in zip(want, got):
            assert w.dtype == g.dtype and w.shape == g.shape, name
            np.testing.assert_array_equal(w, g, err_msg=name)
    # the traced train step used the optimizer's slots: they were saved and keep going
    np.testing.assert_array_equal(model.v.numpy(), loaded.v.numpy())


def test_gradients_flow_through_loaded_functions_with_control_flow(saved_model):
    model, path = saved_model
    loaded = tf.saved_model.load(path)
    for m in (model, loaded):
        m.v.assign([1.0, 2.0, 3.0])
    x = tf.constant([2.0, -1.0, 0.5])
    grads = []
    for m in (model, loaded):
        with tf.GradientTape() as tape:
            y = tf.reduce_sum(m.uses_variable_in_branches(x) ** 2)
        grads.append(tape.gradient(y, m.v).numpy())
    np.testing.assert_allclose(grads[1], grads[0])
    np.testing.assert_allclose(grads[1], 2 * x.numpy() ** 2 * [1.0, 2.0, 3.0])


def test_loaded_objects_keep_their_attributes_and_variables(saved_model):
    _, path = saved_model
    loaded = tf.saved_model.load(path)
    assert repr(loaded) == "<restored Model>"
    assert [v.name for v in loaded.trainable_variables] == ["v:0"]
    assert loaded.v.trainable and loaded.v.shape == tf.TensorShape([3])
    assert int(loaded.optimizer.iterations.numpy()) == 1
    assert repr(loaded.train) == "<restored function train with 1 saved trace(s)>"
    assert loaded.signatures == {}   # no method has an input_signature


def test_a_call_that_fits_no_saved_trace_names_the_saved_ones(saved_model):
    _, path = saved_model
    loaded = tf.saved_model.load(path)
    with pytest.raises(ValueError) as info:
        loaded.switch(tf.constant(1), tf.constant([1, 2]))
    assert str(info.value) == (
        "switch (loaded from a SavedModel) has no saved trace that fits the call "
        "switch(int32[], int32[2]). It was saved with these traces:\n"
        "  switch(i: int32[], x: float32[2,3])\n"
        "A loaded function has no Python code to trace again: call it with arguments that "
        "fit one of them, or trace the function with this signature before saving it.")


def test_checkpoint_restores_a_saved_models_variables(saved_model):
    model, path = saved_model
    fresh = Model()
    tf.train.Checkpoint(root=fresh).read(path).expect_partial()
    np.testing.assert_array_equal(fresh.v.numpy(), model.saved_v)
    assert int(fresh.optimizer.iterations.numpy()) == 1


class Served(tf.Module):
    def __init__(self):
        super().__init__()
        self.w = tf.Variable(3.0)

    @tf.function(input_signature=[tf.TensorSpec([None], tf.float32),
                                  tf.TensorSpec([], tf.int32, name="count")])
    def pair(self, x, n):
        return x * self.w, tf.cast(n, tf.float32)

    @tf.function(input_signature=[tf.TensorSpec([None], tf.float32)])
    def named(self, x):
        return {"y": x, "z": x + 1.0}


def test_signatures_take_keyword_tensors_and_return_dicts(tmp_path):
    model = Served()
    tf.saved_model.save(model, str(tmp_path / "a"), signatures={
        "pair": model.pair, "named": model.named.get_concrete_function()})
    loaded = tf.saved_model.load(str(tmp_path / "a"))
    assert sorted(loaded.signatures) == ["named", "pair"]
    pair = loaded.signatures["pair"]
    assert pair.structured_input_signature == ((), {
        "x": tf.TensorSpec([None], tf.float32, "x"),
        "count": tf.TensorSpec([], tf.int32, "count")})
    result = pair(x=tf.constant([1.0, 2.0]), count=tf.constant(4))
    assert sorted(result) == ["output_0", "output_1"]
    np.testing.assert_array_equal(result["output_0"].numpy(), [3.0, 6.0])
    assert float(result["output_1"]) == 4.0
    named = loaded.signatures["named"](x=tf.constant([1.0]))
    assert {k: v.numpy().tolist() for k, v in named.items()} == {"y": [1.0], "z": [2.0]}
    with pytest.raises(TypeError, match="missing a required argument: 'count'"):
        pair(x=tf.constant([1.0]))


def test_default_signature_is_the_one_method_with_an_input_signature(tmp_path):
    class One(tf.Module):
        @tf.function(input_signature=[tf.TensorSpec([2], tf.float32)])
        def f(self, x):
            return x + 1.0
    tf.saved_model.save(One(), str(tmp_path / "one"))
    assert list(tf.saved_model.load(str(tmp_path / "one")).signatures) == ["serving_default"]
    tf.saved_model.save(Served(), str(tmp_path / "two"))   # two candidates: none chosen
    assert tf.saved_model.load(str(tmp_path / "two")).signatures == {}


def test_signature_outputs_must_be_flat(tmp_path):
    class Nested(tf.Module):
        @tf.function(input_signature=[tf.TensorSpec([None], tf.float32)])
        def f(self, x):
            return [x, (x,)]
    with pytest.raises(ExportError, match=r"its output 'output_1' is \(<tf.Tensor"):
        tf.saved_model.save(Nested(), str(tmp_path / "n"))


def test_functions_calling_python_cannot_be_saved(tmp_path):
    class UsesPython(tf.Module):
        @tf.function(input_signature=[tf.TensorSpec([None], tf.float32)])
        def f(self, x):
            return tf.numpy_function(lambda a: a * 2, [x], tf.float32)
    with pytest.raises(ExportError) as info:
        tf.saved_model.save(UsesPython(), str(tmp_path / "p"))
    message = str(info.value)
    line = UsesPython.f.python_function.__code__.co_firstlineno + 2
    assert message.startswith("Cannot save (root).f (traced as f): op 'PyFunc' "
                              "(numpy_function, created at %s:%d) calls Python code"
                              % (__file__, line)), message


def test_untracked_variables_cannot_be_saved(tmp_path):
    outside = tf.Variable(1.0, name="outside")

    class Leaky(tf.Module):
        @tf.function(input_signature=[tf.TensorSpec([], tf.float32)])
        def f(self, x):
            return x * outside
    with pytest.raises(ExportError, match=r"it uses the variable 'outside:0' \(created at "
                                          r".*test_saved_model.py:\d+\), which is not "
                                          r"reachable from the object being saved"):
        tf.saved_model.save(Leaky(), str(tmp_path / "l"))


def test_saved_model_doctests():
    import importlib
    save_module = importlib.import_module("autotrace.saved_model.save")
    assert doctest.testmod(save_module).failed == 0


# -- refusing malformed and malicious files ----------------------------------------------------

class Tiny(tf.Module):
    def __init__(self):
        super().__init__()
        self.w = tf.Variable([1.0, 2.0], name="w")
        self.table = tf.Variable(tf.zeros([20]), name="table")

    @tf.function(input_signature=[tf.TensorSpec([2], tf.float32)])
    def f(self, x):
        y = x * self.w + tf.gather(tf.constant(np.arange(20.0, dtype=np.float32)),
                                   tf.cast(x, tf.int32))
        if tf.reduce_sum(y) > 0:
            y = y * 2.0
        return y


@pytest.fixture
def tiny(tmp_path):
    path = tmp_path / "tiny"
    tf.saved_model.save(Tiny(), str(path))
    return path


def _edit(path, edit):
    doc_path = path / "saved_model.json"
    data = json.loads(doc_path.read_text())
    edit(data)
    doc_path.write_text(json.dumps(data))


def _nodes(data, graph=0):
    return {n["name"]: n for n in data["graphs"][graph]["nodes"]}


def _refused(path, pattern):
    with pytest.raises(FormatError) as info:
        tf.saved_model.load(str(path))
    assert __import__("re").search(pattern, str(info.value)), str(info.value)
    return str(info.value)


def test_the_tiny_model_loads(tiny):
    np.testing.assert_allclose(tf.saved_model.load(str(tiny)).f([1.0, 3.0]).numpy(),
                               [4.0, 18.0])


def test_unknown_op_is_refused_naming_the_node(tiny):
    _edit(tiny, lambda d: _nodes(d)["mul"].update(op="ShellExec"))
    message = _refused(tiny, "op type 'ShellExec' is not registered")
    assert "graph 0 ('f_optimized'), node 3 ('mul')" in message


def test_python_calling_ops_are_never_loaded(tiny):
    def to_py_func(d):
        _nodes(d)["mul"].update(op="PyFunc", attrs={"func": "os.system", "Tout": []})
    _edit(tiny, to_py_func)
    _refused(tiny, r"node 3 \('mul'\): op type PyFunc runs Python code and is never loaded")


@pytest.mark.parametrize("attrs, pattern", [
    ({"func": {"python": "__import__('os').system('echo owned')"}},
     "attribute 'func': unknown attribute type tag 'python'"),
    ({"func": {"pickle": "gASVIQAAAAAAAACMAm9zlIwGc3lzdGVtlJOUjAVlY2hvIJSFlFKULg=="}},
     "unknown attribute type tag 'pickle'"),
    ({"out": {"tensor": {"dtype": "float32", "shape": [2], "values": [0, 0]}}},
     "the Mul op takes no attributes, got out"),
    ({"axis": {"dict": {"a": 1}, "extra": 2}}, "an object with one type tag"),
])
def test_attributes_holding_code_or_foreign_values_are_refused(tiny, attrs, pattern):
    _edit(tiny, lambda d: _nodes(d)["mul"].update(attrs=attrs))
    _refused(tiny, r"node 3 \('mul'\)(: attribute '\w+')?: .*" + pattern)


@pytest.mark.parametrize("edit, pattern", [
    (lambda d: _nodes(d)["mul"].update(inputs=["x", "nowhere"]),
     r"node 3 \('mul'\): input 'nowhere' refers to no earlier node"),
    (lambda d: _nodes(d)["mul"].update(inputs=["x", "add"]),   # a later node
     r"node 3 \('mul'\): input 'add' refers to no earlier node"),
    (lambda d: _nodes(d)["mul"].update(inputs=["x", "ReadVariableOp:3"]),
     r"input 'ReadVariableOp:3' is out of range: node 'ReadVariableOp' has 1 output"),
    (lambda d: _nodes(d)["cond"]["attrs"].update(then_branch={"graph": 99}),
     r"node \d+ \('cond'\): attribute 'then_branch': .*graph 99 is out of range"),
    (lambda d: _nodes(d)["cond"]["attrs"].update(then_branch={"graph": 0}),
     r"graph 0 contains itself"),
    (lambda d: _nodes(d)["w"]["attrs"].update(variable={"variable_handle": 77}),
     r"node 1 \('w'\): attribute 'variable': a variable reference 77 names no variable"),
    (lambda d: d["concrete_functions"][0].update(graph=5), r"graph 5 is out of range"),
    (lambda d: d["signatures"].update(serving_default=9),
     r"signature 'serving_default' refers to concrete function 9, which is out of range"),
    (lambda d: d["objects"][0]["children"].update(w=42),
     r"object 0: child 'w' refers to object 42, which is out of range"),
    (lambda d: d["objects"][0]["children"].update(__class__=1),
     r"object 0: '__class__' cannot be an attribute name"),
])
def test_references_out_of_range_are_refused(tiny, edit, pattern):
    _edit(tiny, edit)
    _refused(tiny, pattern)


@pytest.mark.parametrize("edit, pattern", [
    (lambda d: _nodes(d)["mul"].update(outputs=[["float32", [3]]]),
     r"node 3 \('mul'\): declares output 0 as float32\[3\], but the Mul op gives float32\[2\]"),
    (lambda d: _nodes(d)["mul"].update(outputs=[["float64", [2]]]),
     r"declares output 0 as float64\[2\], but the Mul op gives float32\[2\]"),
    (lambda d: _nodes(d)["x"]["attrs"].update(dtype={"dtype": "float33"}),
     r"node 0 \('x'\): attribute 'dtype': unknown dtype name 'float33'"),
    (lambda d: _nodes(d)["mul"].update(op="MatMul", attrs={"transpose_a": True,
                                                           "transpose_b": False}),
     r"node 3 \('mul'\): the MatMul op rejects its inputs or attributes"),
    (lambda d: _nodes(d)["Sum"]["attrs"].update(axis=["not an axis"]),
     r"the Sum op rejects its inputs or attributes"),
    (lambda d: [o for o in d["objects"] if o.get("variable", {}).get("name") == "w:0"][0]
     ["variable"]["value"].update(dtype="int64"),
     r"array 'w/.ATTRIBUTES/VARIABLE_VALUE' \(for variable w:0 \(object 2\)\) is float32\[2\], "
     r"but the file declares int64\[2\]"),
    (lambda d: d["graphs"][0]["nodes"].append(dict(d["graphs"][0]["nodes"][3])),
     r"node \d+ \('mul'\): a second node named 'mul'"),
    (lambda d: d.update(format="pickle"), r"is not an autotrace SavedModel"),
    (lambda d: d["graphs"][2]["nodes"].append(dict(d["graphs"][2]["nodes"][0], name="extra"))
     or d["graphs"][2]["inputs"].append("extra"),
     r"graph 0 \('f_optimized'\): op 'cond' of graph 'f_optimized': its else_branch takes "
     r"2 tensors, the op expects 1"),
])
def test_wrong_dtypes_shapes_and_structure_are_refused(tiny, edit, pattern):
    _edit(tiny, edit)
    _refused(tiny, pattern)


def test_truncated_and_malformed_json_is_refused(tiny):
    doc = tiny / "saved_model.json"
    text = doc.read_text()
    doc.write_text(text[:len(text) // 2])
    _refused(tiny, r"saved_model.json is not valid JSON")
    doc.write_text(text.replace('"version": 1', '"version": 1, "version": 1'))
    _refused(tiny, r"the key 'version' appears twice")


def test_pickles_are_refused_wherever_they_are_put(tiny):
    payload = pickle.dumps({"x": os.system})
    (tiny / "saved_model.json").write_bytes(payload)
    _refused(tiny, "is not valid JSON")


def test_a_pickle_in_place_of_the_variables_is_refused(tiny):
    (tiny / "variables" / "variables.npz").write_bytes(pickle.dumps({"x": os.system}))
    _refused(tiny, r"variables.npz is not an \.npz archive")


def test_an_object_array_among_the_constants_is_refused(tiny):
    with np.load(tiny / "constants.npz") as f:
        arrays = dict(f)
    assert arrays, "the tiny model has a large constant"
    key = sorted(arrays)[0]
    arrays[key] = np.array([os.system] * arrays[key].size, dtype=object)
    with open(tiny / "constants.npz", "wb") as f:
        np.savez(f, **arrays)
    _refused(tiny, r"constants.npz: array %r .* cannot be read without unpickling" % key)


# -- python -m autotrace show --------------------------------------------------------------------

def test_show_lists_signatures_functions_variables_and_objects(tmp_path, capsys):
    from autotrace.__main__ import main
    model = Served()
    model.head = tf.Module()
    model.head.bias = tf.Variable([0.0, 1.0], name="bias")
    model.head.steps = tf.Variable(0, trainable=False, name="steps")
    path = str(tmp_path / "served")
    tf.saved_model.save(model, path, signatures=model.pair)
    assert main(["show", path]) == 0
    assert capsys.readouterr().out == textwrap.dedent("""\
        Signatures:
          serving_default(*, x: float32[?], count: int32[]) -> {output_0: float32[?], output_1: float32[]}

        Functions:
          (root).named
            named(x: float32[?]) -> {y: float32[?], z: float32[?]}
          (root).pair
            pair(x: float32[?], n: int32[]) -> (float32[?], float32[])

        Variables:
          (root).head.bias   bias:0      float32[2]  trainable
          (root).head.steps  steps:0     int32[]
          (root).w           Variable:0  float32[]   trainable

        Objects:
          (root)       Served
          (root).head  Module
        """)


def test_show_reports_a_refused_file(tiny, capsys):
    from autotrace.__main__ import main
    _edit(tiny, lambda d: _nodes(d)["mul"].update(op="ShellExec"))
    assert main(["show", str(tiny)]) == 1
    assert "op type 'ShellExec' is not registered" in capsys.readouterr().err


def test_a_keras_model_serves_its_call_by_default(tmp_path):
    inputs = tf.keras.Input((3,), name="features")
    outputs = {"logits": tf.keras.layers.Dense(2, name="head")(inputs)}
    model = tf.keras.Model(inputs, outputs)
    path = str(tmp_path / "functional")
    tf.saved_model.save(model, path)
    loaded = tf.saved_model.load(path)
    serve = loaded.signatures["serving_default"]
    assert serve.structured_input_signature == ((), {
        "inputs": tf.TensorSpec([None, 3], tf.float32, "inputs")})
    x = np.array([[1.0, 0.5, -2.0]], np.float32)
    np.testing.assert_allclose(serve(inputs=x)["logits"].numpy(),
                               model(x)["logits"].numpy(), rtol=1e-6)
    np.testing.assert_allclose(loaded(x)["logits"].numpy(), model(x)["logits"].numpy(),
                               rtol=1e-6)
    assert sorted(v.name for v in loaded.trainable_variables) == ["bias:0", "kernel:0"]


class Composites(tf.Module):
    def __init__(self):
        super().__init__()
        self.scale = tf.Variable(2.0)

    @tf.function(input_signature=[tf.RaggedTensorSpec([None, None], tf.float32)])
    def row_sums(self, rt):
        return tf.reduce_sum(rt * self.scale, axis=1)

    @tf.function
    def scaled(self, rt):
        return rt * self.scale, {"rows": rt.nrows()}

    @tf.function
    def densify(self, st):
        return tf.sparse.to_dense(st) * self.scale


def test_ragged_and_sparse_arguments_and_outputs_round_trip(tmp_path, capsys):
    from autotrace.__main__ import main
    model = Composites()
    rt = tf.ragged.constant([[1.0, 2.0], [3.0]])
    st = tf.sparse.SparseTensor([[0, 1], [1, 0]], [1.0, 2.0], [2, 2])
    model.scaled(rt)
    model.densify(st)
    path = str(tmp_path / "composites")
    tf.saved_model.save(model, path)
    loaded = tf.saved_model.load(path)
    np.testing.assert_array_equal(loaded.row_sums(rt).numpy(), [6.0, 6.0])
    scaled, info = loaded.scaled(rt)
    assert isinstance(scaled, tf.RaggedTensor) and scaled.to_list() == [[2.0, 4.0], [6.0]]
    assert int(info["rows"]) == 2
    np.testing.assert_array_equal(loaded.densify(st).numpy(), [[0.0, 2.0], [4.0, 0.0]])
    with tf.GradientTape() as tape:
        total = tf.reduce_sum(loaded.row_sums(rt))
    assert float(tape.gradient(total, loaded.scale)) == 6.0
    assert main(["show", path]) == 0
    assert "    scaled(rt: RaggedTensor(float32[2,?], ragged_rank=1)) -> (RaggedTensor(" \
        "float32[2,?], ragged_rank=1), {rows: int64[]})\n" in capsys.readouterr().out


def test_a_type_spec_of_a_class_this_process_lacks_is_refused(tmp_path):
    model = Composites()
    path = tmp_path / "ragged"
    tf.saved_model.save(model, str(path))
    _edit(path, lambda d: d["concrete_functions"][0]["arguments"][0]["type_spec"].update(
        type="Popen"))
    _refused(path, r"concrete function 0 \('row_sums'\): no TypeSpec class named 'Popen'")


def test_loaded_functions_can_be_called_and_trained_inside_a_traced_function(tmp_path):
    def train(model):
        optimizer = tf.keras.optimizers.SGD(0.01)

        @tf.function
        def step(x):
            with tf.GradientTape() as tape:
                loss = tf.reduce_sum(model.predict(x) ** 2)
            grads = tape.gradient(loss, model.trainable_variables)
            optimizer.apply_gradients(zip(grads, model.trainable_variables))
            return loss
        x = tf.constant([[1.0, 2.0], [3.0, -1.0]])
        return [float(step(x)) for _ in range(3)], \
            [v.numpy() for v in model.trainable_variables]

    original = _regressor(tmp_path)
    path = str(tmp_path / "regressor")
    tf.saved_model.save(original, path)
    loaded = tf.saved_model.load(path)
    want, got = train(original), train(loaded)
    np.testing.assert_allclose(got[0], want[0], rtol=1e-6)
    for a, b in zip(got[1], want[1]):
        np.testing.assert_allclose(a, b, rtol=1e-6)


def _regressor(directory):
    import importlib.util
    source = directory / "regressor_def.py"
    source.write_text(MODEL_SOURCE)
    spec = importlib.util.spec_from_file_location("regressor_def", source)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.Regressor()


Point = __import__("collections").namedtuple("Point", "x y")


class Signatures(tf.Module):
    @tf.function
    def star(self, *xs, scale=2.0, **named):
        return tf.add_n(list(xs)) * scale + named["bias"]

    @tf.function
    def nested(self, d, p, flag=True, name="n"):
        return {"s": d["a"] + d["b"][0], "p": p.x * p.y, "flag": tf.constant(flag),
                "name": name}


def test_varargs_keywords_defaults_dicts_and_namedtuples_round_trip(tmp_path):
    model = Signatures()
    a = tf.constant([1.0, 2.0])
    calls = [("star", (a, a, a), {"bias": tf.constant(1.0)}),
             ("star", (a,), {"scale": 3.0, "bias": tf.constant(0.5)}),
             ("nested", ({"a": a, "b": [a]}, Point(a, a * 3)), {"flag": False})]
    want = [getattr(model, name)(*args, **kwargs) for name, args, kwargs in calls]
    path = str(tmp_path / "signatures")
    tf.saved_model.save(model, path)
    loaded = tf.saved_model.load(path)
    for (name, args, kwargs), expected in zip(calls, want):
        got = getattr(loaded, name)(*args, **kwargs)   # the caller's own Point class
        assert [np.asarray(t).tolist() for t in tf.nest.flatten(got)] == \
            [np.asarray(t).tolist() for t in tf.nest.flatten(expected)], name
    assert loaded.nested.concrete_functions[0].structured_input_signature[0][1] == Point(
        tf.TensorSpec([2], tf.float32, "p_0"), tf.TensorSpec([2], tf.float32, "p_1"))


def test_a_concrete_function_of_a_keras_call_as_the_signature(tmp_path):
    model = tf.keras.Sequential([tf.keras.layers.Dense(3), tf.keras.layers.Dense(1)])
    x = np.ones((2, 4), np.float32)
    model(x)
    signature = tf.function(model.call).get_concrete_function(
        tf.TensorSpec([None, 4], tf.float32, name="x"))
    assert signature.structured_input_signature[0][0] == tf.TensorSpec([None, 4], tf.float32,
                                                                        "x")
    path = str(tmp_path / "keras_call")
    tf.saved_model.save(model, path, signatures=signature)
    serve = tf.saved_model.load(path).signatures["serving_default"]
    np.testing.assert_allclose(serve(x=x)["output_0"].numpy(), model(x).numpy(), rtol=1e-6)
