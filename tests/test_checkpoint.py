"""tf.train.Checkpoint / CheckpointManager: matching by names, deferred restoration, the
status assertions, and refusing malformed files."""
import doctest
import json
import os
import pickle
import zipfile

import numpy as np
import pytest

import autotrace as tf
from autotrace.checkpoint import FormatError


def _model(a=1.0, b=(2.0, 3.0), in_list=4.0):
    m = tf.Module()
    m.a = tf.Variable(a)
    m.sub = tf.Module()
    m.sub.b = tf.Variable(list(b))
    m.lst = [tf.Variable(in_list)]
    return m


@pytest.fixture
def saved(tmp_path):
    return tf.train.Checkpoint(model=_model()).save(str(tmp_path / "ckpt"))


def test_save_numbers_the_checkpoint_and_records_it_as_latest(tmp_path):
    ckpt = tf.train.Checkpoint(model=_model())
    first = ckpt.save(str(tmp_path / "ckpt"))
    second = ckpt.save(str(tmp_path / "ckpt"))
    assert [os.path.basename(first), os.path.basename(second)] == ["ckpt-1", "ckpt-2"]
    assert int(ckpt.save_counter.numpy()) == 2
    assert tf.train.latest_checkpoint(str(tmp_path)) == second
    assert sorted(os.listdir(tmp_path)) == ["checkpoint", "ckpt-1.json", "ckpt-1.npz",
                                            "ckpt-2.json", "ckpt-2.npz"]
    state = tf.train.get_checkpoint_state(str(tmp_path))
    assert state.all_model_checkpoint_paths == [first, second]


def test_values_are_matched_by_attribute_names_not_creation_order(saved):
    fresh = tf.Module()
    fresh.sub = tf.Module()
    fresh.sub.b = tf.Variable([0.0, 0.0])   # created first this time
    fresh.lst = [tf.Variable(0.0)]
    fresh.a = tf.Variable(0.0)
    tf.train.Checkpoint(model=fresh).restore(saved).assert_consumed()
    assert float(fresh.a.numpy()) == 1.0
    np.testing.assert_array_equal(fresh.sub.b.numpy(), [2.0, 3.0])
    assert float(fresh.lst[0].numpy()) == 4.0


def test_list_variables_names_values_by_object_path(saved):
    assert tf.train.list_variables(saved) == [
        ("model/a/.ATTRIBUTES/VARIABLE_VALUE", []),
        ("model/lst/0/.ATTRIBUTES/VARIABLE_VALUE", []),
        ("model/sub/b/.ATTRIBUTES/VARIABLE_VALUE", [2]),
        ("save_counter/.ATTRIBUTES/VARIABLE_VALUE", [])]
    np.testing.assert_array_equal(
        tf.train.load_variable(saved, "model/sub/b/.ATTRIBUTES/VARIABLE_VALUE"), [2.0, 3.0])


def test_variables_created_after_restore_are_restored_when_assigned(saved):
    fresh = tf.Module()
    status = tf.train.Checkpoint(model=fresh).restore(saved)
    fresh.a = tf.Variable(0.0)
    fresh.sub = tf.Module()
    fresh.sub.b = tf.Variable([0.0, 0.0])
    assert float(fresh.a.numpy()) == 1.0
    np.testing.assert_array_equal(fresh.sub.b.numpy(), [2.0, 3.0])
    with pytest.raises(AssertionError) as info:
        status.assert_consumed()
    assert str(info.value) == (
        "1 value(s) in the checkpoint were not restored into any object: "
        "(root).model.lst.0. The Python program has no object at these paths (yet); create "
        "them, or call expect_partial() if that is intended.")
    status.assert_existing_objects_matched()
    fresh.lst = [tf.Variable(0.0)]
    assert float(fresh.lst[0].numpy()) == 4.0
    assert status.assert_consumed() is status


def test_an_object_the_checkpoint_lacks_fails_assert_existing_objects_matched(saved):
    fresh = _model(0.0, (0.0, 0.0), 0.0)
    fresh.extra = tf.Variable(9.0, name="extra")
    status = tf.train.Checkpoint(model=fresh).restore(saved)
    with pytest.raises(AssertionError) as info:
        status.assert_existing_objects_matched()
    assert str(info.value) == (
        "Found 1 Python object(s) not bound to values in the checkpoint, likely because the "
        "Python program changed: <Variable 'extra:0' shape=() dtype=float32> at "
        "(root).model.extra")
    assert status.expect_partial() is status
    assert status.assert_nontrivial_match() is status
    assert float(fresh.extra.numpy()) == 9.0 and float(fresh.a.numpy()) == 1.0


def test_shape_and_dtype_mismatches_name_the_path(saved):
    wrong_shape = tf.Module()
    wrong_shape.a = tf.Variable([0.0, 1.0])
    with pytest.raises(ValueError) as info:
        tf.train.Checkpoint(model=wrong_shape).restore(saved)
    assert str(info.value) == ("Cannot restore (root).model.a: the checkpoint holds a value "
                               "of shape [] but variable 'Variable:0' has shape (2,)")
    wrong_dtype = tf.Module()
    wrong_dtype.a = tf.Variable(0)
    with pytest.raises(ValueError) as info:
        tf.train.Checkpoint(model=wrong_dtype).restore(saved)
    assert str(info.value) == ("Cannot restore (root).model.a: the checkpoint holds a float32 "
                               "value but variable 'Variable:0' has dtype int32")


def test_write_and_read_use_the_exact_path(tmp_path):
    ckpt = tf.train.Checkpoint(v=tf.Variable([1, 2]))
    path = ckpt.write(str(tmp_path / "exact"))
    assert path == str(tmp_path / "exact")
    assert sorted(os.listdir(tmp_path)) == ["exact.json", "exact.npz"]
    target = tf.train.Checkpoint(v=tf.Variable([0, 0]))
    target.read(path).assert_existing_objects_matched()
    np.testing.assert_array_equal(target.v.numpy(), [1, 2])


def test_restore_none_and_missing_paths():
    status = tf.train.Checkpoint(v=tf.Variable(1.0)).restore(None)
    with pytest.raises(AssertionError, match=r"No checkpoint specified \(save_path=None\)"):
        status.assert_consumed()
    with pytest.raises(tf.errors.NotFoundError) as info:
        tf.train.Checkpoint(v=tf.Variable(1.0)).restore("/nonexistent/ckpt")
    assert "missing the number of the save (e.g. the '-1' in 'path/to/ckpt-1')" in \
        str(info.value)


def test_checkpoint_refuses_objects_it_cannot_track():
    with pytest.raises(ValueError) as info:
        tf.train.Checkpoint(v=3)
    assert str(info.value) == ("Checkpoint expects v to be a trackable object (a Variable, a "
                               "Module, an optimizer, or a list/tuple/dict of them), got 3")


def test_root_object_children_are_the_checkpoints(tmp_path):
    path = tf.train.Checkpoint(root=_model()).write(str(tmp_path / "r"))
    assert [k for k, _ in tf.train.list_variables(path)] == [
        "a/.ATTRIBUTES/VARIABLE_VALUE", "lst/0/.ATTRIBUTES/VARIABLE_VALUE",
        "sub/b/.ATTRIBUTES/VARIABLE_VALUE"]
    fresh = tf.Module()
    tf.train.Checkpoint(root=fresh).read(path)
    fresh.a = tf.Variable(0.0)   # deferred onto the root object itself
    assert float(fresh.a.numpy()) == 1.0


def test_string_and_int64_variables_round_trip(tmp_path):
    ckpt = tf.train.Checkpoint(s=tf.Variable([b"ab", b"\xff"]), n=tf.Variable(2 ** 40,
                                                                             dtype=tf.int64))
    path = ckpt.write(str(tmp_path / "s"))
    target = tf.train.Checkpoint(s=tf.Variable([b"", b""]), n=tf.Variable(0, dtype=tf.int64))
    target.read(path).assert_consumed()
    assert list(target.s.numpy()) == [b"ab", b"\xff"]
    assert int(target.n.numpy()) == 2 ** 40


def _train_step(model, optimizer):
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(model.w * model.w * tf.constant([1.0, 3.0]))
    optimizer.apply_gradients(zip(tape.gradient(loss, [model.w]), [model.w]))


def test_optimizer_slots_restore_when_the_optimizer_creates_them(tmp_path):
    def build():
        m = tf.Module()
        m.w = tf.Variable([1.0, -2.0])
        return m, tf.keras.optimizers.Adam(0.1)
    model, opt = build()
    _train_step(model, opt)
    _train_step(model, opt)
    path = tf.train.Checkpoint(model=model, optimizer=opt).save(str(tmp_path / "c"))
    assert [k for k, _ in tf.train.list_variables(path)] == [
        "model/w/.ATTRIBUTES/VARIABLE_VALUE",
        "model/w/.OPTIMIZER_SLOT/optimizer/m/.ATTRIBUTES/VARIABLE_VALUE",
        "model/w/.OPTIMIZER_SLOT/optimizer/v/.ATTRIBUTES/VARIABLE_VALUE",
        "optimizer/iterations/.ATTRIBUTES/VARIABLE_VALUE",
        "save_counter/.ATTRIBUTES/VARIABLE_VALUE"]
    _train_step(model, opt)
    fresh_model, fresh_opt = build()
    status = tf.train.Checkpoint(model=fresh_model, optimizer=fresh_opt).restore(path)
    assert int(fresh_opt.iterations.numpy()) == 2
    _train_step(fresh_model, fresh_opt)   # creates the slots: they get the saved moments
    np.testing.assert_array_equal(fresh_model.w.numpy(), model.w.numpy())
    status.assert_consumed()


def test_manager_keeps_the_last_n_and_numbers_by_the_save_counter(tmp_path):
    ckpt = tf.train.Checkpoint(v=tf.Variable(1.0))
    manager = tf.train.CheckpointManager(ckpt, str(tmp_path), max_to_keep=2)
    assert manager.latest_checkpoint is None and manager.checkpoints == []
    paths = [manager.save() for _ in range(3)]
    assert [os.path.basename(p) for p in paths] == ["ckpt-1", "ckpt-2", "ckpt-3"]
    assert manager.save(checkpoint_number=10) == str(tmp_path / "ckpt-10")
    assert int(ckpt.save_counter.numpy()) == 4
    assert manager.checkpoints == [str(tmp_path / "ckpt-3"), str(tmp_path / "ckpt-10")]
    assert sorted(os.listdir(tmp_path)) == ["checkpoint", "ckpt-10.json", "ckpt-10.npz",
                                            "ckpt-3.json", "ckpt-3.npz"]
    assert tf.train.latest_checkpoint(str(tmp_path)) == str(tmp_path / "ckpt-10")
    reopened = tf.train.CheckpointManager(ckpt, str(tmp_path), max_to_keep=2)
    assert reopened.checkpoints == manager.checkpoints


def test_manager_restore_or_initialize_and_step_interval(tmp_path):
    v = tf.Variable(5.0)
    step = tf.Variable(0, dtype=tf.int64)
    ckpt = tf.train.Checkpoint(v=v)
    initialised = []
    manager = tf.train.CheckpointManager(ckpt, str(tmp_path), max_to_keep=None,
                                         step_counter=step, checkpoint_interval=10,
                                         init_fn=lambda: initialised.append(True))
    assert manager.restore_or_initialize() is None and initialised == [True]
    assert manager.save() is not None
    step.assign(5)
    assert manager.save() is None           # the interval has not passed
    step.assign(10)
    saved_path = manager.save()
    assert os.path.basename(saved_path) == "ckpt-2"
    v.assign(0.0)
    assert manager.restore_or_initialize() == saved_path
    assert float(v.numpy()) == 5.0


def test_checkpoint_doctests():
    from autotrace.checkpoint import checkpoint, manager, state
    for module in (checkpoint, manager, state):
        assert doctest.testmod(module).failed == 0


# -- refusing malformed and malicious files ----------------------------------------------------

def _refused(path, match):
    with pytest.raises(FormatError, match=match):
        tf.train.Checkpoint(model=_model(0.0, (0.0, 0.0), 0.0)).restore(path)


def test_a_pickle_in_place_of_the_values_is_refused(saved):
    with open(saved + ".npz", "wb") as f:
        pickle.dump({"payload": os.system}, f)
    _refused(saved, r"c.*\.npz is not an \.npz archive")


def test_an_object_array_in_the_values_is_refused_without_unpickling(saved):
    with open(saved + ".npz", "rb") as f:
        arrays = dict(np.load(f))
    arrays["model/a/.ATTRIBUTES/VARIABLE_VALUE"] = np.array(None, dtype=object)
    with open(saved + ".npz", "wb") as f:
        np.savez(f, **arrays)   # the object array is pickled inside the .npy
    _refused(saved, r"array 'model/a/.ATTRIBUTES/VARIABLE_VALUE' \(for \(root\)\.model\.a\) "
                    r"cannot be read without unpickling")


def _edit_json(path, edit):
    with open(path + ".json") as f:
        data = json.load(f)
    edit(data)
    with open(path + ".json", "w") as f:
        json.dump(data, f)


def test_values_that_disagree_with_their_declaration_are_refused(saved):
    def wrong_dtype(data):
        data["objects"][3]["variable"]["value"]["dtype"] = "float64"
    _edit_json(saved, wrong_dtype)
    _refused(saved, r"is float32\[\], but the file declares float64\[\]")


def test_an_array_larger_than_declared_is_refused_before_reading(saved):
    with open(saved + ".npz", "rb") as f:
        arrays = dict(np.load(f))
    arrays["model/a/.ATTRIBUTES/VARIABLE_VALUE"] = np.zeros(100000, np.float32)
    with open(saved + ".npz", "wb") as f:
        np.savez(f, **arrays)
    _refused(saved, r"is larger than its declared float32\[\]")


@pytest.mark.parametrize("text, match", [
    ('{"format": "autotrace.checkpoint", "version": 1, "objects": [', "is not valid JSON"),
    ('{"format": "autotrace.checkpoint", "version": 1, "objects": [], "objects": []}',
     "the key 'objects' appears twice"),
    ('{"format": "autotrace.checkpoint", "version": 1, "objects": [{"kind": "object", '
     '"children": {"a": 7}}]}', r"child 'a' refers to object 7, which is out of range"),
    ('{"format": "autotrace.checkpoint", "version": 1, "objects": [{"kind": "object", '
     '"children": {"a": NaN}}]}', "NaN is not JSON"),
    ('{"format": "pickle", "version": 1, "objects": []}', "is not an autotrace checkpoint"),
    ('{"format": "autotrace.checkpoint", "version": 1, "objects": [{"kind": "code"}]}',
     "needs a \"kind\" among"),
    ('[' * 100000 + ']' * 100000, "nested too deeply"),
])
def test_malformed_object_graphs_are_refused(saved, text, match):
    with open(saved + ".json", "w") as f:
        f.write(text)
    _refused(saved, match)


def test_a_truncated_values_archive_is_refused(saved):
    with open(saved + ".npz", "rb") as f:
        data = f.read()
    with open(saved + ".npz", "wb") as f:
        f.write(data[:len(data) // 2])
    with pytest.raises(FormatError):
        tf.train.Checkpoint(model=_model(0.0, (0.0, 0.0), 0.0)).restore(saved)
    assert zipfile.is_zipfile(saved + ".npz") is False


def test_keras_layers_built_after_restore_get_their_values(tmp_path):
    def make():
        return tf.keras.Sequential([tf.keras.layers.Dense(4, activation="relu"),
                                    tf.keras.layers.Dense(1)])
    x = np.array([[1.0, 2.0, -1.0]], np.float32)
    model = make()
    want = model(x).numpy()   # builds the layers (and adds an InputLayer in front)
    path = tf.train.Checkpoint(model=model).write(str(tmp_path / "keras"))
    assert [k for k, _ in tf.train.list_variables(path)] == [
        "model/layer-0/bias/.ATTRIBUTES/VARIABLE_VALUE",
        "model/layer-0/kernel/.ATTRIBUTES/VARIABLE_VALUE",
        "model/layer-1/bias/.ATTRIBUTES/VARIABLE_VALUE",
        "model/layer-1/kernel/.ATTRIBUTES/VARIABLE_VALUE"]
    fresh = make()                       # not built: no weights yet
    status = tf.train.Checkpoint(model=fresh).read(path)
    np.testing.assert_array_equal(fresh(x).numpy(), want)   # built now, and restored
    status.assert_consumed()


def test_manager_keeps_one_checkpoint_per_interval_beyond_max_to_keep(tmp_path, monkeypatch):
    import autotrace.checkpoint.manager as manager_module
    clock = iter([0.0, 1000.0, 4000.0, 4500.0, 9000.0])
    monkeypatch.setattr(manager_module.time, "time", lambda: next(clock))
    ckpt = tf.train.Checkpoint(v=tf.Variable(1.0))
    manager = tf.train.CheckpointManager(ckpt, str(tmp_path), max_to_keep=1,
                                         keep_checkpoint_every_n_hours=1.0)
    for _ in range(4):   # saved at t = 1000, 4000, 4500, 9000 s (created at t = 0)
        manager.save()
    # ckpt-1 (1000 s) is within the first hour: deleted; ckpt-2 (4000 s) is more than an
    # hour after the start: kept for good; ckpt-3 (4500 s) is within the hour after it.
    assert sorted(f for f in os.listdir(tmp_path) if f.endswith(".json")) == [
        "ckpt-2.json", "ckpt-4.json"]
    assert manager.checkpoints == [str(tmp_path / "ckpt-4")]
