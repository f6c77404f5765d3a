"""The key index explains a retrace as scanning the whole cache would, in constant time
(issue 11 §3). Checked on random call sequences against the exhaustive scan."""
import numpy as np
from hypothesis import given, settings, strategies as st

import autotrace as tf
from autotrace.tracing.key_index import KeyIndex
from autotrace.tracing.signature import explain_difference, generalize, key_and_leaves

NAMES = ("x", "n", "opts")

tensors = st.builds(lambda dtype, shape: np.zeros(shape, dtype),
                    st.sampled_from([np.float32, np.int32]),
                    st.lists(st.integers(1, 3), max_size=2).map(tuple))
leaves = st.one_of(tensors, st.integers(0, 2), st.sampled_from(["a", "b"]), st.none())
arguments = st.tuples(leaves, st.integers(0, 2),
                      st.one_of(st.dictionaries(st.sampled_from("ab"), leaves, min_size=1),
                                st.lists(leaves, max_size=2)))


def differences(new, old, relaxing=False):
    reasons = []
    for name, n, o in zip(NAMES, new, old):
        reasons += explain_difference(name, n, o, relaxing)
    return reasons


def exhaustive_nearest(keys, new):
    """What explaining used to do: every cached key, fewest reasons, most recent on ties."""
    best = None
    for old in reversed(keys):
        reasons = differences(new, old)
        if best is None or len(reasons) < len(best):
            best = reasons
    return best


@settings(max_examples=60, deadline=None)
@given(st.lists(arguments, min_size=2, max_size=25))
def test_index_explains_like_the_exhaustive_scan(calls):
    index, keys = KeyIndex(), []
    for values in calls:
        key, _ = key_and_leaves(values)
        if key in index:
            continue
        if keys:
            want = exhaustive_nearest(keys, key)
            _, got = index.nearest(key, lambda old: differences(key, old))
            if len(want) <= 1:
                assert got == want  # the same text whenever one difference explains it
            else:  # otherwise a reason list at most as long as the latest trace's
                assert len(got) <= len(differences(key, keys[-1]))
        index.add(key)
        keys.append(key)


@settings(max_examples=60, deadline=None)
@given(st.lists(arguments, min_size=2, max_size=25))
def test_index_generalises_like_the_exhaustive_scan(calls):
    index, keys = KeyIndex(), []
    for values in calls:
        key, _ = key_and_leaves(values)
        want = next((g for g in (generalize(key, old) for old in reversed(keys))
                     if g is not None), None)
        old = index.latest_generalizable(key)
        assert (generalize(key, old) if old is not None else None) == want
        index.add(key)
        keys.append(key)


def test_explanation_is_against_the_nearest_trace_not_the_latest():
    @tf.function
    def f(x, n, opts):
        return x * n

    f(tf.constant([1.0]), 2, {"a": 1})
    for n in range(3, 40):  # many traces in between, none nearer than the first
        f(tf.constant([1], tf.int32), n, {"a": 2})
    f(tf.constant([1.0]), 2, {"a": 2})
    assert f.trace_history()[-1].reasons == [
        "argument opts['a']: Python int 1 -> 2; pass autotrace.constant(opts['a']) to share "
        "one trace"]
