"""The differential check of ONNX export: a function exported to ONNX (checked by
onnx.checker) and run by onnxruntime must give the NumPy path's dtypes, shapes and values."""
import numpy as np

import autotrace as tf
from autotrace.onnx.exporter import recording_op_types
from tests.jit.differential import assert_same

CHECKED_OP_TYPES = set()  # every op type converted by a differential check so far


def run_onnx(path, args):
    import onnxruntime
    session = onnxruntime.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    feeds = {i.name: np.asarray(a.numpy() if isinstance(a, tf.Tensor) else a)
             for i, a in zip(session.get_inputs(), args)}
    return session.run(None, feeds)


def check_exported(fn, *args, tmp_path, input_signature=None, tolerance=None):
    """Export `fn` (traced for `input_signature`, else for the arguments) and assert
    onnxruntime computes what the NumPy path computes; returns onnxruntime's results."""
    function = tf.function(fn, input_signature=input_signature)
    expected = function(*args)
    path = tmp_path / ("%s.onnx" % fn.__name__)
    with recording_op_types() as seen:
        tf.onnx.export(function.get_concrete_function(*args) if input_signature is None
                       else function, path)
    got = run_onnx(path, args)
    assert_same(tf.nest.flatten(expected), got, tolerance)
    CHECKED_OP_TYPES.update(seen)
    return got
