"""Timing helpers shared by the benchmark scripts: best-of-N per-call times and ratios.

The machine is shared and noisy, so each figure is the minimum over several repeats, and
results are reported as ratios against a baseline timed in the same run.
"""
import time
import timeit


def per_call(fn, min_time=0.2, repeat=7):
    """Best observed seconds per call of `fn()`."""
    timer = timeit.Timer(fn)
    number, elapsed = 1, 0.0
    while elapsed < min_time / repeat:
        number *= 2
        elapsed = timer.timeit(number)
    return min(timer.repeat(repeat=repeat, number=number)) / number


def format_time(seconds):
    for unit, scale in (("s", 1.0), ("ms", 1e-3), ("us", 1e-6), ("ns", 1e-9)):
        if seconds >= scale:
            return "%.3g %s" % (seconds / scale, unit)
    return "%.3g ns" % (seconds / 1e-9)


def report(rows, title):
    """Print rows of (workload, seconds, baseline seconds, target ratio or None)."""
    print(title)
    print("%-40s %12s %12s %8s %8s" % ("workload", "autotrace", "baseline", "ratio", "target"))
    for name, ours, base, target in rows:
        ratio = ours / base
        verdict = "" if target is None else ("ok" if ratio <= target else "MISS")
        print("%-40s %12s %12s %7.2fx %7s %s" % (name, format_time(ours), format_time(base),
                                                   ratio, "<=%gx" % target if target else "",
                                                   verdict))


def per_call_pair(fn, baseline, rounds=9, min_time=0.05):
    """Best seconds per call of `fn()` and of `baseline()`, timed in alternating rounds so a
    noisy stretch of a shared machine does not land on one side only, in CPU time of this
    thread (time spent waiting for a core is not counted)."""
    best = [float("inf"), float("inf")]
    timers = [timeit.Timer(fn, timer=time.thread_time),
              timeit.Timer(baseline, timer=time.thread_time)]
    numbers = []
    for timer in timers:
        number, elapsed = 1, 0.0
        while elapsed < min_time:
            number *= 2
            elapsed = timer.timeit(number)
        numbers.append(number)
    for _ in range(rounds):
        for i, timer in enumerate(timers):
            best[i] = min(best[i], timer.timeit(numbers[i]) / numbers[i])
    return best[0], best[1]
