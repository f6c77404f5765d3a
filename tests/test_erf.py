"""tf.math.erf: values against Python's math.erf over the whole line, dtypes, gradient."""
import math

import numpy as np

import autotrace as tf


def test_erf_values_and_dtypes():
    xs = np.concatenate([np.linspace(-7, 7, 2001), [0.0, 1e-12, -2.5, 2.5, np.inf, -np.inf]])
    want = np.array([math.erf(v) for v in xs])
    np.testing.assert_allclose(tf.math.erf(xs).numpy(), want, rtol=0, atol=3e-15)
    np.testing.assert_allclose(tf.math.erf(xs.astype(np.float32)).numpy(), want, atol=1e-7)
    assert tf.math.erf(np.float32(0.5)).dtype == tf.float32
    assert float(tf.math.erf(tf.constant(1.0))) == np.float32(math.erf(1.0))
    assert np.isnan(tf.math.erf(np.nan).numpy())


def test_erf_gradient():
    tf.test.check_gradients(tf.math.erf, [np.linspace(-3, 3, 7)])
    tf.test.check_gradients(tf.math.erf, [np.array([-1.5, 0.3, 2.7])], order=2)
