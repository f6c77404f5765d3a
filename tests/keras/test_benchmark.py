"""benchmarks/bench_keras.py compares like with like: its Keras train step and its NumPy step
compute the same losses and updates, and each NumPy convolution formulation equals the Conv2D
layer. No timing here (speed targets live in benchmarks/)."""
import importlib.util
import os

import numpy as np

PATH = os.path.join(os.path.dirname(__file__), os.pardir, os.pardir, "benchmarks",
                    "bench_keras.py")


def load(monkeypatch):
    monkeypatch.syspath_prepend(os.path.dirname(PATH))
    spec = importlib.util.spec_from_file_location("bench_keras", PATH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_benchmarked_steps_agree(monkeypatch):
    bench = load(monkeypatch)
    bench.check_same_step()
    rng = np.random.default_rng(0)
    x = rng.random((2, 6, 6, 1), dtype=np.float32)
    w = rng.random((3, 3, 1, 4), dtype=np.float32)
    results = [fn() for fn in bench.numpy_conv_formulations(x, w).values()]
    for other in results[1:]:
        np.testing.assert_allclose(other, results[0], rtol=1e-5)
