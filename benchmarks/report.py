"""The issue-6 benchmark report: six workloads timed in autotrace, hand-written NumPy, and
TensorFlow and JAX when they are installed, printed as a table of ratios.

Run: python benchmarks/report.py [--quick] [--markdown]

  --quick     tiny timing budgets, so the whole report runs in a few seconds (a smoke test)
  --markdown  print the table as Markdown, for pasting into the README

TensorFlow and JAX are optional and imported only here; the report says when they are absent.
Every framework's result is checked against the NumPy baseline before anything is timed.
"""
import argparse
import datetime
import os
import platform
import sys
import time
import warnings
from dataclasses import dataclass, field

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import autotrace as tf  # noqa: E402
from bench_function import mlp_weights, numpy_mlp  # noqa: E402
from bench_gradients import data as training_data, make_train_step, numpy_step  # noqa: E402
from timing import format_time, per_call  # noqa: E402

LOOP_ITERATIONS = 5000
CHAIN_SIZE = 1_000_000
# Small, so that thousands of timed steps stay in the same regime: at 0.1 the MLP memorises
# its 256 random labels and the underflowing softmax makes every framework's step slower.
LEARNING_RATE = 1e-3
OTHERS = ("numpy", "tf", "jax")
COLUMN_NAMES = {"autotrace": "autotrace", "numpy": "NumPy", "tf": "TF", "jax": "JAX"}

FOOTNOTES = [
    "Ratios are autotrace time / other time: below 1x, autotrace is faster. Each time is the "
    "best of several repeats, taken in rounds that interleave the frameworks so that noise on "
    "a shared machine hits them alike; all on CPU, with each framework's default threading.",
    "[1] First call of a freshly made function (autotrace: trace + optimise + compile + run; "
    "TF: tf.function trace + graph build + run; JAX: jax.jit trace + XLA compile + run), best "
    "of several fresh functions. The NumPy column is one plain evaluation of the same function, "
    "so that ratio says how many eager NumPy evaluations one trace costs; the TF and JAX "
    "ratios compare first call with first call.",
    "[2] %d iterations of `acc = acc * 0.99 + x` on 3 floats, time per iteration. autotrace "
    "and TF: tf.while_loop inside tf.function; JAX: lax.fori_loop under jax.jit; NumPy: a "
    "Python while loop." % LOOP_ITERATIONS,
    "[3] Forward, sparse softmax cross-entropy, gradients and an SGD update of the four "
    "parameters. autotrace and TF: GradientTape + keras SGD inside tf.function; JAX: "
    "value_and_grad under jax.jit, returning the new parameters; NumPy: forward and backward "
    "written out by hand, updating in place.",
]


@dataclass
class Budget:
    """How long to time each measurement."""
    min_time: float  # per round, for timing.per_call
    repeat: int
    rounds: int
    fresh_functions: int  # per round, for the first-call workload


FULL = Budget(min_time=0.2, repeat=7, rounds=5, fresh_functions=4)
QUICK = Budget(min_time=0.002, repeat=2, rounds=1, fresh_functions=2)


@dataclass
class Frameworks:
    """The optional frameworks, None when not importable."""
    tf: object = None
    jax: object = None


@dataclass
class Row:
    name: str
    seconds: dict = field(default_factory=dict)  # "autotrace"/"numpy"/"tf"/"jax" -> seconds

    def ratio(self, other):
        base = self.seconds.get(other)
        return None if base is None else self.seconds["autotrace"] / base


class ResultMismatch(AssertionError):
    pass


# ---------------------------------------------------------------- optional frameworks

def load_tensorflow():
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    try:
        import tensorflow
    except ImportError:
        return None
    # The first-call workload retraces on purpose; TF would log a warning each time.
    tensorflow.get_logger().setLevel("ERROR")
    return tensorflow


def load_jax():
    try:
        import jax
        import jax.numpy  # noqa: F401
    except ImportError:
        return None
    return jax


def load_frameworks():
    return Frameworks(tf=load_tensorflow(), jax=load_jax())


# ---------------------------------------------------------------- measuring

def check_results(workload, framework, run, expected_calls, tolerance):
    """Call `run` once per expected result and compare, so a wrong workload is never timed."""
    for number, expected in enumerate(expected_calls, 1):
        got = np.asarray(run())
        try:
            np.testing.assert_allclose(got, expected, **tolerance)
        except AssertionError as error:
            raise ResultMismatch("%s: the %s result of call %d does not match the NumPy "
                                 "baseline, so it was not timed.%s"
                                 % (workload, COLUMN_NAMES[framework], number, error)) from None


def measure(name, runs, expected_calls, tolerance, budget, per=1):
    """Check then time each zero-argument callable in `runs` (framework -> callable)."""
    row = Row(name)
    for framework, run in runs.items():
        check_results(name, framework, run, expected_calls, tolerance)
    time_in_rounds(row, runs, lambda run: per_call(run, budget.min_time, budget.repeat) / per,
                   budget)
    return row


def time_in_rounds(row, runs, timer, budget):
    """Keep each framework's best time over several rounds. The rounds interleave the
    frameworks, so a noisy stretch of the shared machine does not land on one of them only."""
    for _ in range(budget.rounds):
        for framework, run in runs.items():
            seconds = timer(run)
            row.seconds[framework] = min(seconds, row.seconds.get(framework, seconds))


def best_first_call(make_and_call, count):
    """Best time of `make_and_call()`, which builds a fresh function and calls it once."""
    times = []
    for _ in range(count):
        start = time.perf_counter()
        make_and_call()
        times.append(time.perf_counter() - start)
    return min(times)


# ---------------------------------------------------------------- workloads
# autotrace and TensorFlow share one source for each workload: `m` is either module.

def cached_call(fw, budget):
    a = np.array([1.0, 2.0, 3.0], np.float32)
    runs = {"numpy": lambda: a * 2.0 + 1.0}
    for key, m in (("autotrace", tf), ("tf", fw.tf)):
        if m is not None:
            runs[key] = bind(m.function(lambda x: x * 2.0 + 1.0), m.constant(a))
    if fw.jax is not None:
        jitted = fw.jax.jit(lambda x: x * 2.0 + 1.0)
        runs["jax"] = bind_blocking(jitted, fw.jax.numpy.asarray(a))
    return measure("cached call, x * 2.0 + 1.0 on 3 floats", runs, [a * 2.0 + 1.0],
                   dict(rtol=1e-6), budget)


def make_ten_ops(exp, sqrt, total):
    """A fresh closure each call, so no framework can reuse an earlier trace of it."""
    def ten_ops(x):
        y = x * 2.0 + 1.0
        y = exp(-y) - x
        y = y * y + x
        return sqrt(total(y * 0.5)) / 3.0
    return ten_ops


def first_call(fw, budget):
    a = np.array([1.0, 2.0, 3.0], np.float32)
    numpy_ten_ops = make_ten_ops(np.exp, np.sqrt, np.sum)
    expected = numpy_ten_ops(a)
    makers = {}
    for key, m in (("autotrace", tf), ("tf", fw.tf)):
        if m is not None:
            makers[key] = first_call_of_tf_like(m, m.constant(a))
    if fw.jax is not None:
        jnp = fw.jax.numpy
        x = jnp.asarray(a)
        makers["jax"] = lambda: fw.jax.jit(make_ten_ops(jnp.exp, jnp.sqrt, jnp.sum))(
            x).block_until_ready()
    row = Row("first call of a 10-op function [1]")
    with warnings.catch_warnings():
        # Wrapping the same code again and again is the point here; autotrace warns about it.
        warnings.simplefilter("ignore", tf.tracing.RetracingWarning)
        for key, make_and_call in makers.items():
            check_results(row.name, key, make_and_call, [expected], dict(rtol=1e-5))
        time_in_rounds(row, makers, lambda run: best_first_call(run, budget.fresh_functions),
                       budget)
    time_in_rounds(row, {"numpy": lambda: numpy_ten_ops(a)},
                   lambda run: per_call(run, budget.min_time, budget.repeat), budget)
    return row


def first_call_of_tf_like(m, x):
    return lambda: m.function(make_ten_ops(m.exp, m.sqrt, m.reduce_sum))(x)


def tf_like_loop(m, n, **function_options):
    @m.function(**function_options)
    def loop(x):
        _, acc = m.while_loop(lambda i, acc: i < n,
                              lambda i, acc: (i + 1, acc * 0.99 + x), [0, m.zeros_like(x)])
        return acc
    return loop


def jax_loop(jax, n):
    @jax.jit
    def loop(x):
        return jax.lax.fori_loop(0, n, lambda i, acc: acc * 0.99 + x, jax.numpy.zeros_like(x))
    return loop


def numpy_loop(x, n):
    acc = np.zeros_like(x)
    i = 0
    while i < n:
        acc = acc * 0.99 + x
        i += 1
    return acc


def tensor_loop(fw, budget):
    n = LOOP_ITERATIONS
    a = np.array([1.0, 2.0, 3.0], np.float32)
    runs = {"numpy": lambda: numpy_loop(a, n)}
    for key, m in (("autotrace", tf), ("tf", fw.tf)):
        if m is not None:
            runs[key] = bind(tf_like_loop(m, n), m.constant(a))
    if fw.jax is not None:
        runs["jax"] = bind_blocking(jax_loop(fw.jax, n), fw.jax.numpy.asarray(a))
    return measure("tensor loop, per iteration [2]", runs, [numpy_loop(a, n)],
                   dict(rtol=1e-4), budget, per=n)


def tf_like_mlp(m, weights):
    params = [m.Variable(p) for p in weights]

    @m.function
    def forward(x):
        h = m.nn.relu(m.matmul(x, params[0]) + params[1])
        return m.nn.softmax(m.matmul(h, params[2]) + params[3])
    return forward


def jax_mlp(jax):
    @jax.jit
    def forward(params, x):
        w1, b1, w2, b2 = params
        h = jax.nn.relu(x @ w1 + b1)
        return jax.nn.softmax(h @ w2 + b2, axis=-1)
    return forward


def mlp_forward(fw, budget):
    x, *weights = mlp_weights()
    runs = {"numpy": lambda: numpy_mlp(x, *weights)}
    for key, m in (("autotrace", tf), ("tf", fw.tf)):
        if m is not None:
            runs[key] = bind(tf_like_mlp(m, weights), m.constant(x))
    if fw.jax is not None:
        params = [fw.jax.numpy.asarray(p) for p in weights]
        runs["jax"] = bind_blocking(jax_mlp(fw.jax), params, fw.jax.numpy.asarray(x))
    return measure("MLP forward, 256x784 -> 100 -> 10", runs, [numpy_mlp(x, *weights)],
                   dict(rtol=1e-4, atol=1e-6), budget)


def jax_train_step(jax, weights):
    jnp = jax.numpy

    def loss_of(params, x, y):
        w1, b1, w2, b2 = params
        logits = jax.nn.relu(x @ w1 + b1) @ w2 + b2
        picked = jnp.take_along_axis(jax.nn.log_softmax(logits), y[:, None], axis=1)
        return -jnp.mean(picked)

    @jax.jit
    def step(params, x, y):
        loss, grads = jax.value_and_grad(loss_of)(params, x, y)
        return [p - LEARNING_RATE * g for p, g in zip(params, grads)], loss

    state = [[jnp.asarray(p) for p in weights]]

    def run(x, y):
        state[0], loss = step(state[0], x, y)
        return loss.block_until_ready()
    return run


def numpy_losses(x, labels, weights, steps):
    params = [p.copy() for p in weights]
    return [numpy_step(params, x, labels, np.float32(LEARNING_RATE)) for _ in range(steps)]


def mlp_train_step(fw, budget):
    x, labels, *weights = training_data()
    np_params = [p.copy() for p in weights]
    runs = {"numpy": lambda: numpy_step(np_params, x, labels, np.float32(LEARNING_RATE))}
    for key, m in (("autotrace", tf), ("tf", fw.tf)):
        if m is not None:
            train_step, _ = make_train_step(m, weights, LEARNING_RATE)
            runs[key] = bind(train_step, m.constant(x), m.constant(labels))
    if fw.jax is not None:
        jnp = fw.jax.numpy
        runs["jax"] = bind(jax_train_step(fw.jax, weights), jnp.asarray(x), jnp.asarray(labels))
    # Later losses only match if the gradients and the update were right; with the small
    # learning rate each step moves the loss by about 2e-4 relative, hence the tight rtol.
    return measure("MLP SGD train step [3]", runs, numpy_losses(x, labels, weights, 3),
                   dict(rtol=3e-6), budget)


def tf_like_chain(m, **function_options):
    return m.function(lambda x: m.exp(-x * x) * 0.5 + m.sin(x), **function_options)


def elementwise_chain(fw, budget):
    a = np.random.default_rng(0).uniform(-3, 3, CHAIN_SIZE).astype(np.float32)
    runs = {"numpy": lambda: np.exp(-a * a) * 0.5 + np.sin(a)}
    for key, m in (("autotrace", tf), ("tf", fw.tf)):
        if m is not None:
            runs[key] = bind(tf_like_chain(m), m.constant(a))
    if fw.jax is not None:
        jnp = fw.jax.numpy
        chain = fw.jax.jit(lambda x: jnp.exp(-x * x) * 0.5 + jnp.sin(x))
        runs["jax"] = bind_blocking(chain, jnp.asarray(a))
    return measure("elementwise chain, 1e6 float32", runs, [np.exp(-a * a) * 0.5 + np.sin(a)],
                   dict(rtol=1e-5, atol=1e-6), budget)


WORKLOADS = [cached_call, first_call, tensor_loop, mlp_forward, mlp_train_step,
             elementwise_chain]


def bind(fn, *args):
    return lambda: fn(*args)


def bind_blocking(fn, *args):
    """JAX dispatches asynchronously: wait for the result, or only the dispatch is timed."""
    return lambda: fn(*args).block_until_ready()


# ---------------------------------------------------------------- the report

def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def machine_info(fw):
    info = [("CPU", cpu_model()),
            ("cores", str(os.cpu_count())),
            ("OS", platform.platform()),
            ("Python", platform.python_version()),
            ("NumPy", np.__version__),
            ("autotrace", tf.__version__)]
    info.append(("TensorFlow", fw.tf.__version__ if fw.tf else
                 "not installed (pip install tensorflow to compare)"))
    info.append(("JAX", fw.jax.__version__ if fw.jax else
                 "not installed (pip install jax to compare)"))
    info.append(("date", datetime.date.today().isoformat()))
    return info


def format_ratio(ratio):
    return "" if ratio is None else "%.2fx" % ratio


def table_cells(row):
    seconds = row.seconds
    cells = [row.name, format_time(seconds["autotrace"])]
    for other in OTHERS:
        cells.append(format_time(seconds[other]) if other in seconds else "")
        cells.append(format_ratio(row.ratio(other)))
    return cells


def table_header():
    header = ["workload", "autotrace"]
    for other in OTHERS:
        header += [COLUMN_NAMES[other], "ratio vs " + COLUMN_NAMES[other]]
    return header


def render_table(rows, markdown):
    lines = [table_header()] + [table_cells(row) for row in rows]
    if markdown:
        rule = ["---"] + ["---:"] * (len(lines[0]) - 1)
        return ["| " + " | ".join(cells) + " |" for cells in [lines[0], rule] + lines[1:]]
    widths = [max(len(cells[i]) for cells in lines) for i in range(len(lines[0]))]
    return ["  ".join(cell.ljust(w) if i == 0 else cell.rjust(w)
                      for i, (cell, w) in enumerate(zip(cells, widths))).rstrip()
            for cells in lines]


def render(rows, fw, markdown):
    bullet = "- " if markdown else ""
    lines = ["autotrace benchmark report", ""]
    lines += ["%s%s: %s" % (bullet, key, value) for key, value in machine_info(fw)]
    lines += [""] + render_table(rows, markdown) + [""]
    lines += [("%s\n" % note) if markdown else note for note in FOOTNOTES]
    return "\n".join(lines).rstrip("\n")


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true",
                        help="tiny timing budgets, for a smoke test")
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table")
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    budget = QUICK if args.quick else FULL
    fw = load_frameworks()
    try:
        rows = [workload(fw, budget) for workload in WORKLOADS]
    except ResultMismatch as error:
        sys.exit("benchmark report aborted: %s" % error)
    print(render(rows, fw, args.markdown))
    return rows


if __name__ == "__main__":
    main()
