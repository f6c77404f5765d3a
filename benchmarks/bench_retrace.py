"""Retracing stays constant-time as the trace cache grows (issue 11 §3).

10,000 calls of one function, each with a new Python value (so each call traces and its
retrace is explained against an earlier trace). The last 1,000 calls may take at most 1.2x
the first 1,000: explaining a retrace looks up the comparison trace in an index instead of
scanning every cached signature.

Run: python benchmarks/bench_retrace.py [calls]
"""
import gc
import os
import sys
import time
import warnings

sys.path.insert(0, os.path.dirname(__file__))
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import autotrace as tf  # noqa: E402
from timing import format_time  # noqa: E402

TARGET = 1.2


def retrace_times(calls):
    """CPU seconds per call of `calls` retracing calls, in call order (CPU time of this
    thread: on a shared machine, time spent waiting for a core is not the code's cost)."""
    @tf.function
    def step(x, config, n):
        y = x * config["scale"] + config["shift"]
        return tf.reduce_sum(y * y) + n

    x = tf.constant([1.0, 2.0, 3.0])
    config = {"scale": tf.constant(2.0), "shift": tf.constant(0.5)}
    times = []
    gc.disable()  # collections of the growing heap would be charged to random calls
    try:
        for n in range(calls):
            start = time.thread_time()
            step(x, config, n)
            times.append(time.thread_time() - start)
    finally:
        gc.enable()
    assert step.experimental_get_tracing_count() == calls
    assert str(step.trace_history()[-1].reasons[0]).startswith("argument n: Python int")
    return times


def main(calls=10_000):
    warnings.simplefilter("ignore", tf.tracing.RetracingWarning)
    times = retrace_times(calls)
    block = max(1, calls // 10)
    first, last = sum(times[:block]) / block, sum(times[-block:]) / block
    # The median of each block too: single slow calls on a shared machine move the mean.
    med_first = sorted(times[:block])[block // 2]
    med_last = sorted(times[-block:])[block // 2]
    ratio = last / first
    print("Retracing: %d calls, each a new trace" % calls)
    print("%-40s %12s" % ("first %d calls, mean per call" % block, format_time(first)))
    print("%-40s %12s" % ("last %d calls, mean per call" % block, format_time(last)))
    print("%-40s %11.2fx  target <=%gx %s" % ("last / first (mean)", ratio, TARGET,
                                              "ok" if ratio <= TARGET else "MISS"))
    print("%-40s %11.2fx" % ("last / first (median)", med_last / med_first))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
