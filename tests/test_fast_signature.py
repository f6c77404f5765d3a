"""The fast signature of a cached call (issue 11 §4) agrees with the full signature key:
calls with equal fast signatures have equal keys, and the same leaves in the same order."""
import numpy as np
from hypothesis import given, settings, strategies as st

import autotrace as tf
from autotrace.tracing.signature import fast_signature, key_and_leaves

tensors = st.builds(lambda dtype, shape, fill: tf.constant(np.full(shape, fill, dtype)),
                    st.sampled_from([np.float32, np.int32, np.float64]),
                    st.lists(st.integers(0, 2), max_size=2).map(tuple), st.integers(0, 3))
scalars = st.one_of(st.integers(-2, 2), st.booleans(), st.floats(allow_nan=True, width=32),
                    st.sampled_from(["a", "b", b"a"]), st.none())
values = st.recursive(st.one_of(tensors, scalars),
                      lambda children: st.one_of(
                          st.lists(children, max_size=3),
                          st.lists(children, max_size=3).map(tuple),
                          st.dictionaries(st.sampled_from(["x", "y", "z"]), children,
                                          max_size=3)),
                      max_leaves=8)


def same_leaves(a, b):
    return len(a) == len(b) and all(x is y for x, y in zip(a, b))


@settings(max_examples=150, deadline=None)
@given(st.lists(values, min_size=1, max_size=3), st.lists(values, min_size=1, max_size=3))
def test_fast_signature_agrees_with_the_full_key(first, second):
    for call in (first, second):
        fast = fast_signature(call)
        if fast is not None:  # same leaves, in the order the traced placeholders take them
            assert same_leaves(fast[1], key_and_leaves(call)[1])
    a, b = fast_signature(first), fast_signature(second)
    if a is not None and b is not None and a[0] == b[0]:
        assert key_and_leaves(first)[0] == key_and_leaves(second)[0]


def test_dicts_in_any_insertion_order_share_a_trace():
    traces = []

    @tf.function
    def f(batch):
        traces.append(1)
        return batch["a"] - batch["b"]

    one, two = tf.constant(1.0), tf.constant(2.0)
    assert float(f({"a": one, "b": two})) == -1.0
    assert float(f({"b": two, "a": one})) == -1.0  # the fast path keeps the key's order
    assert float(f({"b": one, "a": two})) == 1.0
    assert len(traces) == 1


def test_structured_calls_still_retrace_on_what_the_key_sees():
    @tf.function
    def f(batch, n):
        return tf.add_n(batch["xs"]) * n

    xs = [tf.constant([1.0, 2.0]), tf.constant([3.0, 4.0])]
    assert f({"xs": xs}, 2).numpy().tolist() == [8.0, 12.0]
    assert f({"xs": xs}, 2).numpy().tolist() == [8.0, 12.0]
    assert f({"xs": xs}, 3).numpy().tolist() == [12.0, 18.0]                # new Python value
    assert f({"xs": xs[:1]}, 3).numpy().tolist() == [3.0, 6.0]              # shorter list
    assert f({"xs": [tf.constant([1, 2])]}, 3).numpy().tolist() == [3, 6]  # new dtype
    assert f({"xs": xs}, True).numpy().tolist() == [4.0, 6.0]             # bool, not int 1
    assert f.experimental_get_tracing_count() == 5
    assert f.cache_info().hits == 1
