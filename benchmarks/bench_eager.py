"""Eager dispatch overhead: `x + y` on a 3-element tensor vs the bare NumPy expression.

Target (issue 2): at most 3x NumPy. TensorFlow's eager overhead is tens of microseconds.
Run: python benchmarks/bench_eager.py
"""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
import autotrace as tf  # noqa: E402
from timing import per_call, report  # noqa: E402


def main():
    a = np.array([1.0, 2.0, 3.0], np.float32)
    b = np.array([4.0, 5.0, 6.0], np.float32)
    x, y = tf.constant(a), tf.constant(b)
    rows = [
        ("x + y (3 floats)", per_call(lambda: x + y), per_call(lambda: a + b), 3.0),
        ("x * 2.0 (Python scalar)", per_call(lambda: x * 2.0), per_call(lambda: a * 2.0), 3.0),
        ("tf.add(x, y)", per_call(lambda: tf.add(x, y)), per_call(lambda: np.add(a, b)), None),
        ("tf.exp(x)", per_call(lambda: tf.exp(x)), per_call(lambda: np.exp(a)), None),
        ("tf.reduce_sum(x)", per_call(lambda: tf.reduce_sum(x)),
         per_call(lambda: np.sum(a)), None),
    ]
    report(rows, "Eager dispatch vs bare NumPy")


if __name__ == "__main__":
    main()
