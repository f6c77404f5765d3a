"""AutoGraph conversion speed (issue 4): converting a 15-line function with nested control flow
(done once per function). Target: at most 2 ms. With TensorFlow installed, its AutoGraph
converts the same function too, for a ratio.

Run: python benchmarks/bench_autograph.py
"""
import itertools
import os
import sys
import time
import types

sys.path.insert(0, os.path.dirname(__file__))
import autotrace as tf  # noqa: E402
from timing import format_time  # noqa: E402

TARGET = 2e-3


def nested(x, n):
    total = tf.zeros_like(x)
    count = 0
    for i in tf.range(n):
        if tf.reduce_sum(x) > 0:
            total += x * tf.cast(i, tf.float32)
        elif i % 3 == 0:
            total -= x
        else:
            continue
        j = 0
        while j < i:
            total = total * 0.5
            j += 1
        count += 1
    return total, count


_COPIES = itertools.count()


def fresh_copy(function):
    """The same function with a code object equal to no other (an unused constant added):
    conversion caches are keyed by code object, so each copy is converted from scratch,
    source lookup included."""
    code = function.__code__
    code = code.replace(co_consts=code.co_consts + ("copy %d" % next(_COPIES),))
    return types.FunctionType(code, function.__globals__, function.__name__)


def conversion_times(convert, repeats=30):
    """(best, median) seconds of `convert(fresh copy of nested)`."""
    times = []
    for _ in range(repeats):
        copy = fresh_copy(nested)
        start = time.perf_counter()
        convert(copy)
        times.append(time.perf_counter() - start)
    times.sort()
    return times[0], times[len(times) // 2]


def tensorflow_converter():
    try:
        import tensorflow
    except ImportError:
        return None
    return lambda function: tensorflow.autograph.to_graph(function)


def main():
    convert = tf.autograph.convert
    convert(fresh_copy(nested))  # warm: templates parsed, modules imported
    best, median = conversion_times(convert)
    print("AutoGraph conversion of a 15-line function with nested loops and ifs")
    print("  autotrace:  best %s, median %s  (target <= 2 ms: %s)"
          % (format_time(best), format_time(median), "ok" if median <= TARGET else "MISS"))
    tf_convert = tensorflow_converter()
    if tf_convert is None:
        print("  TensorFlow: not installed")
        return
    tf_convert(fresh_copy(nested))
    tf_best, tf_median = conversion_times(tf_convert, repeats=10)
    print("  TensorFlow: best %s, median %s  (autotrace / TF: %.2fx)"
          % (format_time(tf_best), format_time(tf_median), median / tf_median))


if __name__ == "__main__":
    main()
