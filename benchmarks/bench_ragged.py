"""Elementwise math on a ragged tensor vs the same op on its flat NumPy array.

Target (issue 13): within 1.5x of NumPy with 10^6 flat values (a ragged op works on the flat
values and keeps the row partition, so only dispatch is added). A traced function is compared
with the same traced function on the flat values as a dense tensor (the generated code's own
cost against NumPy is issue 18's). Also reported: a row reduction and to_tensor, against
hand-written NumPy.
Run: python benchmarks/bench_ragged.py
"""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
import autotrace as tf  # noqa: E402
from timing import per_call, report  # noqa: E402

N_VALUES = 1_000_000
N_ROWS = 10_000


def ragged_data(seed=0):
    rng = np.random.default_rng(seed)
    cuts = np.sort(rng.choice(np.arange(1, N_VALUES), N_ROWS - 1, replace=False))
    splits = np.concatenate([[0], cuts, [N_VALUES]]).astype(np.int64)
    values = rng.standard_normal(N_VALUES).astype(np.float32)
    return values, splits


def main():
    values, splits = ragged_data()
    rt = tf.RaggedTensor.from_row_splits(values, splits)
    traced_sin = tf.function(lambda x: tf.math.sin(x) * 2.0 + 1.0, autograph=False)
    traced_dense = tf.function(lambda x: tf.math.sin(x) * 2.0 + 1.0, autograph=False)
    flat = tf.constant(values)
    lengths = np.diff(splits)

    def numpy_row_sums():
        return np.add.reduceat(values, splits[:-1]) * (lengths > 0)

    def numpy_to_tensor():
        dense = np.zeros((N_ROWS, lengths.max()), np.float32)
        rows = np.repeat(np.arange(N_ROWS), lengths)
        cols = np.arange(N_VALUES) - splits[rows]
        dense[rows, cols] = values
        return dense

    np.testing.assert_allclose(tf.reduce_sum(rt, axis=1), numpy_row_sums(), rtol=1e-3,
                               atol=1e-3)
    np.testing.assert_array_equal(rt.to_tensor(), numpy_to_tensor())
    rows = [
        ("tf.math.sin(rt), 10^6 values", per_call(lambda: tf.math.sin(rt)),
         per_call(lambda: np.sin(values)), 1.5),
        ("rt * 2.0", per_call(lambda: rt * 2.0),
         per_call(lambda: values * np.float32(2.0)), 1.5),
        ("rt * 2.0 + 1.0 (NumPy reuses a temporary)", per_call(lambda: rt * 2.0 + 1.0),
         per_call(lambda: values * np.float32(2.0) + np.float32(1.0)), None),
        ("traced sin(rt)*2+1 vs traced on flat", per_call(lambda: traced_sin(rt)),
         per_call(lambda: traced_dense(flat)), 1.5),
        ("tf.reduce_sum(rt, axis=1)", per_call(lambda: tf.reduce_sum(rt, axis=1)),
         per_call(numpy_row_sums), None),
        ("rt.to_tensor()", per_call(lambda: rt.to_tensor()), per_call(numpy_to_tensor), None),
    ]
    report(rows, "Ragged tensors (10^6 flat values, 10^4 rows) vs NumPy on the flat values")


if __name__ == "__main__":
    main()
