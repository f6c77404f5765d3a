"""jit_compile=True against JAX: the workloads of issue 17 §4, compiled by XLA both ways.

Run: python benchmarks/bench_jit.py [--quick] [--markdown]

Each workload is the same program as in report.py: autotrace with jit_compile=True (its graph
lowered to JAX and compiled by jax.jit), JAX written by hand and jax.jit-ed, and autotrace's
NumPy path for context. Times are per call (per iteration for the loop); the first-call
column is the time of the first call of a fresh function (trace + lower + XLA compile + run).
autotrace's tensors hold NumPy arrays, so each call copies its inputs to JAX's device, where
the JAX baseline keeps its inputs; the MLP row also times JAX given the NumPy batch.
Targets (ratio of autotrace-XLA to JAX): tensor loop <= 2x, elementwise chain <= 1.5x, MLP
training step <= 1x. JAX is required; every result is checked against NumPy before timing.
"""
import argparse
import os
import sys
import time
import warnings

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import autotrace as tf  # noqa: E402
from bench_gradients import data as training_data, make_train_step  # noqa: E402
from report import (CHAIN_SIZE, FULL, LEARNING_RATE, LOOP_ITERATIONS, QUICK, Row,  # noqa: E402
                    bind, bind_blocking, check_results, jax_loop, jax_train_step, load_jax,
                    measure, numpy_losses, numpy_loop, tf_like_chain, tf_like_loop)
from timing import format_time  # noqa: E402

TARGETS = {"tensor loop": 2.0, "elementwise chain": 1.5, "MLP train step": 1.0}


def first_call(make_and_call):
    """Seconds of `make_and_call()`: the first call of a freshly made function."""
    start = time.perf_counter()
    make_and_call()
    return time.perf_counter() - start


def blocked(fn):
    """A JAX result is ready only when block_until_ready returns (JAX dispatches
    asynchronously)."""
    return lambda *args: fn(*args).block_until_ready()


def loop_workload(jax, budget):
    n = LOOP_ITERATIONS
    a = np.array([1.0, 2.0, 3.0], np.float32)
    x, jx = tf.constant(a), jax.numpy.asarray(a)
    makers = {"autotrace-xla": lambda: tf_like_loop(tf, n, jit_compile=True),
              "autotrace": lambda: tf_like_loop(tf, n),
              "jax": lambda: blocked(jax_loop(jax, n))}
    inputs = {"autotrace-xla": x, "autotrace": x, "jax": jx}
    return _timed("tensor loop", makers, inputs, [numpy_loop(a, n)], dict(rtol=1e-4), budget,
                  per=n)


def chain_workload(jax, budget):
    a = np.random.default_rng(0).uniform(-3, 3, CHAIN_SIZE).astype(np.float32)
    jnp = jax.numpy
    makers = {"autotrace-xla": lambda: tf_like_chain(tf, jit_compile=True),
              "autotrace": lambda: tf_like_chain(tf),
              "jax": lambda: blocked(jax.jit(lambda x: jnp.exp(-x * x) * 0.5 + jnp.sin(x)))}
    inputs = {"autotrace-xla": tf.constant(a), "autotrace": tf.constant(a),
              "jax": jnp.asarray(a)}
    return _timed("elementwise chain", makers, inputs, [np.exp(-a * a) * 0.5 + np.sin(a)],
                  dict(rtol=1e-5, atol=1e-6), budget)


def mlp_workload(jax, budget):
    x, labels, *weights = training_data()
    jnp = jax.numpy
    makers = {"autotrace-xla": lambda: make_train_step(tf, weights, LEARNING_RATE,
                                                       jit_compile=True)[0],
              "autotrace": lambda: make_train_step(tf, weights, LEARNING_RATE)[0],
              "jax": lambda: jax_train_step(jax, weights),
              "jax-numpy-inputs": lambda: jax_train_step(jax, weights)}
    inputs = {"autotrace-xla": (tf.constant(x), tf.constant(labels)),
              "autotrace": (tf.constant(x), tf.constant(labels)),
              "jax": (jnp.asarray(x), jnp.asarray(labels)),
              "jax-numpy-inputs": (x, labels)}
    return _timed("MLP train step", makers, inputs, numpy_losses(x, labels, weights, 3),
                  dict(rtol=3e-6), budget)


def _timed(name, makers, inputs, expected, tolerance, budget, per=1):
    """Check each framework against NumPy (on the fresh function, so its first call is
    timed), then time calls of the same function."""
    runs, first = {}, {}
    for key, make in makers.items():
        args = inputs[key] if isinstance(inputs[key], tuple) else (inputs[key],)
        fn = make()
        start = time.perf_counter()
        fn(*args)
        first[key] = time.perf_counter() - start
        fresh = make()  # its results must start from the initial state, like NumPy's
        check_results(name, "jax" if key.startswith("jax") else "autotrace",
                      bind(fresh, *args), expected, tolerance)
        runs[key] = bind(fn, *args)
    row = measure(name, runs, [], tolerance, budget, per=per)
    row.first_call = first
    return row


WORKLOADS = [loop_workload, chain_workload, mlp_workload]


def render(rows, markdown):
    header = ["workload", "autotrace XLA", "JAX", "ratio vs JAX", "target", "NumPy path",
              "JAX, NumPy inputs", "first call: autotrace XLA", "first call: JAX"]
    lines = [header]
    for row in rows:
        s = row.seconds
        ratio = s["autotrace-xla"] / s["jax"]
        numpy_inputs = s.get("jax-numpy-inputs")
        lines.append([row.name, format_time(s["autotrace-xla"]), format_time(s["jax"]),
                      "%.2fx" % ratio, "<= %gx" % TARGETS[row.name],
                      format_time(s["autotrace"]),
                      "" if numpy_inputs is None else format_time(numpy_inputs),
                      format_time(row.first_call["autotrace-xla"]),
                      format_time(row.first_call["jax"])])
    if markdown:
        rule = ["---"] + ["---:"] * (len(header) - 1)
        return "\n".join("| " + " | ".join(cells) + " |" for cells in [header, rule] + lines[1:])
    widths = [max(len(cells[i]) for cells in lines) for i in range(len(header))]
    return "\n".join("  ".join(c.ljust(w) if i == 0 else c.rjust(w)
                               for i, (c, w) in enumerate(zip(cells, widths)))
                     for cells in lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="tiny budgets, a smoke test")
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table")
    args = parser.parse_args(argv)
    jax = load_jax()
    if jax is None:
        sys.exit("bench_jit needs JAX: pip install 'autotrace[jax]'")
    budget = QUICK if args.quick else FULL
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", tf.tracing.RetracingWarning)
        rows = [workload(jax, budget) for workload in WORKLOADS]
    print("jit_compile=True vs JAX (times per call; the loop per iteration; JAX %s)\n"
          % jax.__version__)
    print(render(rows, args.markdown))
    return rows


if __name__ == "__main__":
    main()
