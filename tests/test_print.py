"""autotrace.print: TensorFlow's tf.print formatting; it prints when the op runs."""
import sys

import numpy as np

import autotrace as tf

v1 = tf.compat.v1


def printed(*args, **kwargs):
    import io
    buffer = io.StringIO()
    tf.print(*args, output_stream=buffer, **kwargs)
    return buffer.getvalue()


def test_formats_like_tensorflow():
    assert printed(tf.constant([1.0, 2.0, 3.5]), tf.constant(2.5), tf.range(10), "hi") == \
        "[1 2 3.5] 2.5 [0 1 2 ... 7 8 9] hi\n"
    assert printed(tf.constant([[1, 2], [3, 4]])) == "[[1 2]\n [3 4]]\n"
    assert printed(tf.constant(["a", "b"])) == '["a" "b"]\n'
    assert printed(tf.constant("a"), "b") == '"a" b\n'  # tensors quoted, Python str not
    assert printed(tf.constant(True), tf.constant([1e-5, 1e10]), tf.constant(1.0)) == \
        "1 [1e-05 1e+10] 1\n"
    assert printed(tf.constant(3.14159265), tf.constant([0.1, 0.25]),
                   tf.constant(np.float64(1 / 3))) == "3.14159274 [0.1 0.25] 0.33333333333333331\n"
    assert printed(tf.reshape(tf.range(8), [2, 2, 2])) == "[[[0 1]\n  [2 3]]\n\n [[4 5]\n  [6 7]]]\n"


def test_python_structures_sep_end_and_summarize():
    assert printed("a", 1, [1, tf.constant(2)], {"k": tf.constant(3)}, sep=", ", end="!\n") == \
        "a, 1, [1, 2], {'k': 3}!\n"
    assert printed(tf.range(10), summarize=-1) == "[0 1 2 3 4 5 6 7 8 9]\n"
    assert printed(tf.range(10), summarize=1) == "[0 ... 9]\n"


def test_defaults_to_stderr(capsys):
    tf.print("to stderr")
    assert capsys.readouterr().err == "to stderr\n"
    tf.print("to stdout", output_stream=sys.stdout)
    assert capsys.readouterr().out == "to stdout\n"


def test_in_a_graph_it_is_a_stateful_op_that_prints_when_run(capsys):
    g = tf.Graph()
    with g.as_default():
        x = v1.placeholder(tf.float32)
        op = tf.print("x is", x, output_stream=sys.stdout)
    assert op.type == "PrintV2" and op.stateful
    assert capsys.readouterr().out == ""
    with v1.Session(graph=g) as sess:
        sess.run(op, feed_dict={x: 1.5})
        sess.run(op, feed_dict={x: 2.5})
    assert capsys.readouterr().out == "x is 1.5\nx is 2.5\n"


def test_eager_print_returns_none():
    assert tf.print("x", output_stream=sys.stdout) is None
