"""Bad input to tf.data gets a clear error of TensorFlow's class naming the dataset step and
the user's line (the whole message is pinned)."""
import inspect
import re

import numpy as np
import pytest

import autotrace as tf

Dataset = tf.data.Dataset
HERE = __file__


def line_of(marker):
    """The line of this file holding `marker` (so the pinned messages survive edits)."""
    for number, text in enumerate(open(HERE).read().split("\n"), 1):
        if marker in text and "line_of" not in text:
            return number
    raise AssertionError(marker)


def message(excinfo):
    return str(excinfo.value).replace(HERE, "test_errors.py")


def test_mismatched_first_dimensions():
    with pytest.raises(ValueError) as excinfo:
        Dataset.from_tensor_slices(([1, 2], [1, 2, 3]))  # mismatch
    assert message(excinfo) == (
        "Dataset.from_tensor_slices() at test_errors.py:%d: all components must have the "
        "same size in their first dimension (one element per row), but component 0 has 2 "
        "rows and component 1 has 3 (Dimensions 2 and 3 are not compatible)"
        % line_of("# mismatch"))


def test_batch_of_zero():
    with pytest.raises(tf.errors.InvalidArgumentError) as excinfo:
        Dataset.range(3).batch(0)  # zero
    assert message(excinfo) == (
        "Dataset.batch() at test_errors.py:%d: batch_size must be greater than zero, got 0 "
        "(Batch size must be greater than zero.)" % line_of("# zero"))


def test_generator_yielding_the_wrong_dtype_or_shape_or_structure():
    def gen():
        yield 1.0
        yield "a"
    ds = Dataset.from_generator(gen, output_signature=tf.TensorSpec([], tf.float32))  # dtype
    with pytest.raises(tf.errors.InvalidArgumentError) as excinfo:
        list(ds.as_numpy_iterator())
    assert message(excinfo).startswith(
        "Dataset.from_generator() at test_errors.py:%d: `generator` yielded an element that "
        "could not be converted to the expected type. The expected type was float32, but the "
        "element was 'a' (" % line_of("# dtype"))

    def ragged():
        yield [1.0]
        yield [1.0, 2.0]
    ds = Dataset.from_generator(ragged, output_signature=tf.TensorSpec([1], tf.float32))  # shp
    with pytest.raises(tf.errors.InvalidArgumentError) as excinfo:
        list(ds.as_numpy_iterator())
    assert message(excinfo) == (
        "Dataset.from_generator() at test_errors.py:%d: `generator` yielded an element of "
        "shape (2,) where an element of shape (1,) was expected (the element)"
        % line_of("# shp"))

    ds = Dataset.from_generator(lambda: iter([(1, 2, 3)]), output_signature=(  # structure
        tf.TensorSpec([], tf.int32), tf.TensorSpec([], tf.int32)))
    with pytest.raises(TypeError, match=r"yielded \(1, 2, 3\), which does not match the "
                                        r"structure of output_signature \(int32\[\], int32\[\]\)"):
        list(ds.as_numpy_iterator())


def test_map_function_returning_none_or_taking_the_wrong_arguments():
    with pytest.raises(TypeError) as excinfo:
        Dataset.range(3).map(lambda x: None)  # none
    assert message(excinfo) == (
        "Dataset.map() at test_errors.py:%d: the function returned None; it must return a "
        "tensor or a nest (tuple, dict) of tensors for each element" % line_of("# none"))
    with pytest.raises(TypeError, match=r"Dataset.map\(\) at test_errors.py:\d+: the function "
                                        r"cannot take the element: .* It is called with 2 "
                                        r"argument\(s\) of structure int32\[\], int32\[\]"):
        try:
            Dataset.from_tensor_slices(([1], [2])).map(lambda x: x)
        except TypeError as e:
            raise TypeError(str(e).replace(HERE, "test_errors.py")) from None


def test_map_function_returning_different_structures_on_two_paths():
    def uneven(x):
        if x > 0:
            return x, x
        return x
    with pytest.raises((TypeError, ValueError), match=r"test_errors.py:\d+"):
        try:
            Dataset.range(3).map(uneven)
        except (TypeError, ValueError) as e:
            raise type(e)(str(e).replace(HERE, "test_errors.py")) from None


def test_scan_state_changing_structure_names_the_step():
    with pytest.raises(TypeError, match=r"Dataset.scan\(\) at .*test_errors.py:\d+: the "
                                        r"function must return a state of the same structure"):
        Dataset.range(3).scan(np.int64(0), lambda s, x: ((s, s), x))


def test_an_error_inside_a_map_function_names_the_op_and_line():
    def check(x):
        tf.debugging.assert_less(x, tf.constant(2, tf.int64), message="too big")  # assert
        return x
    ds = Dataset.range(5).map(check)
    with pytest.raises(tf.errors.InvalidArgumentError) as excinfo:
        list(ds.as_numpy_iterator())
    assert "too big" in message(excinfo)
    assert "test_errors.py:%d" % line_of("# assert") in message(excinfo)


def test_other_bad_arguments():
    with pytest.raises(tf.errors.InvalidArgumentError, match="buffer_size must be a positive"):
        Dataset.range(3).shuffle(-5)
    with pytest.raises(tf.errors.InvalidArgumentError, match="num_shards must be >= 1"):
        Dataset.range(3).shard(0, 0)
    with pytest.raises(TypeError, match="Dataset.zip expects a"):
        Dataset.zip((Dataset.range(2), [1, 2]))
    with pytest.raises(TypeError, match="the function must return a Dataset"):
        Dataset.range(3).flat_map(lambda x: x)
    with pytest.raises(ValueError, match="scalar bool"):
        Dataset.range(3).filter(lambda x: tf.cast(x, tf.float32))
    with pytest.raises(RuntimeError, match="only supported when executing eagerly"):
        tf.function(lambda: Dataset.range(2).as_numpy_iterator())()


def test_python_loop_over_a_dataset_without_autograph_is_stopped():
    ds = Dataset.range(3)

    @tf.function(autograph=False)
    def total():
        s = tf.constant(0, tf.int64)
        for x in ds:
            s += x
        return s
    with pytest.raises(ValueError, match=r"An unusually high number of get_next\(\) calls "
                                         r"\(33\) .*autograph=False"):
        total()
