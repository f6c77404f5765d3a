"""Ragged tensors through autotrace.function (keys, input_signature, outputs), converted
control flow, and gradients."""
import numpy as np
import pytest

import autotrace as tf

R = tf.RaggedTensor
check = tf.test.check_gradients


def test_ragged_argument_and_result_retrace_by_spec_not_row_lengths():
    @tf.function
    def double(x):
        return x * 2

    assert double(tf.ragged.constant([[1, 2], [3]])).to_list() == [[2, 4], [6]]
    assert double(tf.ragged.constant([[1], [2, 3, 4]])).to_list() == [[2], [4, 6, 8]]
    assert double.experimental_get_tracing_count() == 1  # other row lengths: same trace
    double(tf.ragged.constant([[1], [2], [3]]))
    double(tf.ragged.constant([[1.0], [2.0]]))
    assert str(double.trace_history()) == (
        "trace 1: first call\n"
        "trace 2: argument x: RaggedTensor(int32[2,?], ragged_rank=1) -> "
        "RaggedTensor(int32[3,?], ragged_rank=1)\n"
        "trace 3: argument x: RaggedTensor(int32[3,?], ragged_rank=1) -> "
        "RaggedTensor(float32[2,?], ragged_rank=1)")
    cf = double.get_concrete_function(tf.ragged.constant([[1, 2], [3]]))
    assert cf.pretty_printed_signature() == (
        "Input Parameters:\n"
        "  x (POSITIONAL_OR_KEYWORD): RaggedTensorSpec(TensorShape([2, None]), "
        "tf.int32, 1, tf.int64)\n"
        "Output Type:\n"
        "  RaggedTensorSpec(TensorShape([2, None]), tf.int32, 1, tf.int64)\n"
        "Captures:\n"
        "  None")


def test_input_signature_with_ragged_spec():
    @tf.function(input_signature=[tf.RaggedTensorSpec([None, None], tf.float32)])
    def row_sums(rt):
        return tf.reduce_sum(rt, axis=1)

    np.testing.assert_array_equal(row_sums(tf.ragged.constant([[1.0, 2.0], [3.0]])), [3, 3])
    np.testing.assert_array_equal(row_sums(tf.ragged.constant([[1.0], [], [2.0]])), [1, 0, 2])
    assert row_sums.experimental_get_tracing_count() == 1
    with pytest.raises(TypeError, match="does not fit its input_signature: expected "
                       r"RaggedTensorSpec\(TensorShape\(\[None, None\]\), tf.float32"):
        row_sums(tf.ragged.constant([[1]]))
    spec = tf.RaggedTensorSpec([None, None], tf.float32)
    cf = row_sums.get_concrete_function(spec)
    np.testing.assert_array_equal(cf(tf.ragged.constant([[4.0, 1.0]])), [5.0])


def test_for_row_in_ragged_is_a_graph_loop():
    @tf.function
    def longest(rt):
        best = tf.constant(0, tf.int64)
        for row in rt:
            best = tf.maximum(best, tf.size(row, out_type=tf.int64))
        return best

    assert int(longest(tf.ragged.constant([[1, 2], [3, 4, 5], []]))) == 3
    ops = [op.type for op in longest.get_concrete_function(
        tf.ragged.constant([[1]])).graph.get_operations()]
    assert "While" in ops or "StatelessWhile" in ops
    assert longest.experimental_get_tracing_count() <= 2


def test_ragged_through_cond_and_while():
    @tf.function
    def branch(rt, flag):
        if flag > 0:
            out = rt * 2.0
        else:
            out = rt + 1.0
        return out

    rt = tf.ragged.constant([[1.0, 2.0], [3.0]])
    assert branch(rt, tf.constant(1)).to_list() == [[2.0, 4.0], [6.0]]
    assert branch(rt, tf.constant(-1)).to_list() == [[2.0, 3.0], [4.0]]

    @tf.function
    def repeat(rt):
        i = tf.constant(0)
        while i < 3:
            rt = rt * 2.0
            i += 1
        return rt

    assert repeat(rt).to_list() == [[8.0, 16.0], [24.0]]
    out = tf.while_loop(lambda i, r: i < 2, lambda i, r: (i + 1, r + 1.0),
                        [tf.constant(0), rt])
    assert out[1].to_list() == [[3.0, 4.0], [5.0]]


def test_cond_branches_must_agree_on_ragged():
    rt = tf.ragged.constant([[1.0]])

    @tf.function
    def mixed(flag):
        return tf.cond(flag, lambda: rt, lambda: tf.constant([1.0]))

    with pytest.raises(TypeError) as info:
        mixed(tf.constant(True))
    assert str(info.value) == ("cond: true_fn and false_fn must return the same structure, but "
                               "output 0 is a float32 RaggedTensor in true_fn and a float32 "
                               "tensor in false_fn")


def test_gradients_through_ragged_ops():
    splits = [0, 2, 2, 5]
    w = np.arange(15, dtype=np.float64).reshape(3, 5) / 7.0

    def padded(values):
        rt = R.from_row_splits(values, splits)
        return rt.to_tensor(default_value=0.5, shape=[3, 5]) * w

    check(padded, [np.array([0.3, -1.2, 0.7, 2.0, -0.4])])
    check(lambda d: tf.reduce_sum(R.from_row_splits(tf.constant([1.0, 2.0, 3.0], tf.float64),
                                                    [0, 1, 3]).to_tensor(default_value=d)),
          [np.array(0.25)])

    def row_stats(values):
        rt = R.from_row_splits(values, splits)
        return (tf.reduce_sum(rt, axis=1) + tf.reduce_max(rt, axis=1) * 0.0
                + tf.reduce_mean(tf.sin(rt), axis=1))

    check(lambda v: tf.reduce_sum(R.from_row_splits(v, splits), axis=1),
          [np.array([0.3, -1.2, 0.7, 2.0, -0.4])])
    check(lambda v: tf.reduce_mean(tf.sin(R.from_row_splits(v, [0, 2, 5])), axis=1),
          [np.array([0.3, -1.2, 0.7, 2.0, -0.4])])
    check(lambda v: tf.reduce_max(R.from_row_splits(v, [0, 2, 5]), axis=1),
          [np.array([0.3, -1.2, 0.7, 2.0, -0.4])])
    check(lambda v: tf.reduce_min(R.from_row_splits(v, [0, 2, 5]), axis=1),
          [np.array([0.3, -1.2, 0.7, 2.0, -0.4])])
    check(lambda v: tf.reduce_prod(R.from_row_splits(v, [0, 2, 5]), axis=1),
          [np.array([0.3, -1.2, 0.7, 2.0, -0.4])])
    check(lambda v: tf.math.unsorted_segment_prod(v, [0, 0, 1, 1, 1], 2),
          [np.array([0.0, -1.2, 0.0, 0.0, -0.4])])
    check(lambda v: tf.reduce_sum(R.from_nested_row_splits(v, [[0, 2, 3], [0, 2, 3, 5]]),
                                  axis=1).flat_values,
          [np.array([0.3, -1.2, 0.7, 2.0, -0.4])])
    check(lambda v: tf.math.unsorted_segment_prod(v, [0, 0, 1, 1, 1], 2),
          [np.array([0.0, -1.2, 0.7, 0.0, -0.4])])
    from autotrace.ragged import ragged_ops
    check(lambda d: ragged_ops.values_from_dense(d, [tf.constant([0, 2, 3], tf.int64)]),
          [np.arange(6.0).reshape(2, 3)])


def test_gradient_tape_with_ragged_source():
    x = tf.ragged.constant([[1.0, 2.0], [3.0]])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.reduce_sum(tf.reduce_max(x * x, axis=1))
    grad = tape.gradient(y, x)
    assert isinstance(grad, tf.RaggedTensor) and grad.to_list() == [[0.0, 4.0], [6.0]]

    @tf.function
    def loss(rt):
        with tf.GradientTape() as tape:
            tape.watch(rt)
            y = tf.reduce_sum(rt.to_tensor() ** 2)
        return tape.gradient(y, rt)

    assert loss(x).to_list() == [[2.0, 4.0], [6.0]]


def test_ragged_loop_variable_that_gains_rows_needs_a_spec_invariant():
    @tf.function
    def grow(n):
        rt = tf.ragged.constant([[0]])
        i = tf.constant(1)
        while i < n:
            rt = tf.concat([rt, tf.ragged.range([i])], axis=0)
            i += 1
        return rt

    with pytest.raises(ValueError) as info:
        grow(tf.constant(4))
    assert str(info.value).endswith(
        "'rt' is RaggedTensor(int32[1,?], ragged_rank=1) before the loop but "
        "RaggedTensor(int32[?,?], ragged_rank=1) after one iteration; to let it change so, "
        "pass set_loop_options(shape_invariants=[(rt, RaggedTensorSpec(TensorShape([None, "
        "None]), tf.int32, 1, tf.int64))])")

    @tf.function
    def grow_declared(n):
        rt = tf.ragged.constant([[0]])
        for i in tf.range(1, n):
            tf.autograph.experimental.set_loop_options(
                shape_invariants=[(rt, tf.RaggedTensorSpec([None, None], tf.int32))])
            rt = tf.concat([rt, tf.ragged.range([i])], axis=0)
        return rt

    assert grow_declared(tf.constant(4)).to_list() == [[0], [0], [0, 1], [0, 1, 2]]
