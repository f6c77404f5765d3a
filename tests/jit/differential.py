"""The differential check of jit_compile=True: one function, run on the NumPy path and
compiled by XLA, must give the same dtypes, shapes and values (within floating-point
tolerance: XLA's exp or sin may differ from NumPy's in the last bits)."""
import numpy as np

import autotrace as tf
from autotrace.jit.lowering import recording_op_types

CHECKED_OP_TYPES = set()  # every op type lowered by a differential check so far

# (rtol, atol) per dtype kind and size
_TOLERANCES = {np.dtype(np.float16): (2e-3, 1e-3), np.dtype(np.float32): (3e-5, 1e-6),
               np.dtype(np.float64): (1e-12, 1e-14), np.dtype(np.complex64): (3e-5, 1e-6),
               np.dtype(np.complex128): (1e-12, 1e-14)}


def check_both_paths(make, *args, input_signature=None, tolerance=None):
    """Call `make()` (a function, made afresh for each path so each gets its own variables)
    traced on the NumPy path and with jit_compile=True; assert the results agree. Returns the
    compiled path's result."""
    expected = tf.function(make(), input_signature=input_signature)(*args)
    jitted = tf.function(make(), input_signature=input_signature, jit_compile=True)
    with recording_op_types() as seen:
        got = jitted(*args)
    assert_same(expected, got, tolerance)
    CHECKED_OP_TYPES.update(seen)
    return got


def assert_same(expected, got, tolerance=None):
    want_leaves, got_leaves = tf.nest.flatten(expected), tf.nest.flatten(got)
    assert len(want_leaves) == len(got_leaves)
    for i, (want, have) in enumerate(zip(want_leaves, got_leaves)):
        where = "output %d" % i
        assert want is not None, "%s is None: a case must compute something" % where
        want, have = _value(want), _value(have)
        assert want.dtype == have.dtype, "%s: dtype %s on the NumPy path, %s under XLA" % (
            where, want.dtype, have.dtype)
        assert want.shape == have.shape, "%s: shape %s on the NumPy path, %s under XLA" % (
            where, want.shape, have.shape)
        if want.dtype.kind in "fc":
            rtol, atol = tolerance or _TOLERANCES[want.dtype]
            np.testing.assert_allclose(have, want, rtol=rtol, atol=atol, err_msg=where)
        else:
            np.testing.assert_array_equal(have, want, err_msg=where)


def _value(x):
    if isinstance(x, tf.Tensor):
        return np.asarray(x.numpy())
    return np.asarray(x)


def check_both_paths_by(check, make, *args, input_signature=None):
    """For ops whose results differ by design (random draws) or are seen elsewhere (printed
    text, raised errors): `check(result, path)` runs on each path's result, for "numpy" and
    "xla"; returns the two results."""
    results = {}
    for path, jit in (("numpy", None), ("xla", True)):
        fn = tf.function(make(), input_signature=input_signature, jit_compile=jit)
        with recording_op_types() as seen:
            results[path] = fn(*args)
        check(results[path], path)
        if jit:
            CHECKED_OP_TYPES.update(seen)
    return results["numpy"], results["xla"]
