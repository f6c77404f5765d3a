"""AutoGraph conversion speed (issue 4): converting a 15-line function with nested control flow
(done once per function). Target: at most 2 ms.

Run: python benchmarks/bench_autograph.py
"""
import os
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
import autotrace as tf  # noqa: E402
from autotrace.autograph import loader  # noqa: E402
from timing import format_time  # noqa: E402


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


def convert_time():
    times = []
    for _ in range(30):
        loader._CACHE.pop(nested.__code__, None)
        loader._BY_FUNCTION.pop(nested, None)
        start = time.perf_counter()
        tf.autograph.convert(nested)
        times.append(time.perf_counter() - start)
    return min(times), sorted(times)[len(times) // 2]


def main():
    best, median = convert_time()
    lines = nested.__code__.co_firstlineno
    print("AutoGraph conversion of a 15-line function with nested loops and ifs")
    print("  best %s, median %s  (target <= 2 ms: %s)" % (format_time(best), format_time(median),
                                                        "ok" if median <= 2e-3 else "MISS"))
    del lines


if __name__ == "__main__":
    main()
