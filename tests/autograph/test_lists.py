"""AutoGraph lists converter: `items.append(x)` on a local list inside a loop/if ->
`items = ag__.list_append(items, x, 'items')`. In a tensor loop the list becomes a TensorArray,
stacked into one tensor after the loop; in a Python loop it stays a Python list."""
import numpy as np
import pytest

import autotrace as tf
from autotrace.core.tensor import SymbolicTensor


def doubles(n):
    out = []
    for i in tf.range(n):
        out.append(i * 2)
    return out


GOLDEN = '''\
def doubles(n):
    out = []

    def loop_body(itr, out):
        i = itr
        out = ag__.list_append(out, (i * 2), 'out')
        return (out,)
    (out,) = ag__.for_stmt(ag__.call(tf.range, n), None, loop_body, (out,), ('out',), None)
    return out
'''


def test_golden_code():
    assert tf.autograph.to_code(doubles) == GOLDEN


def python_lists(xs):
    evens, odds = [], []
    for x in xs:
        if x % 2:
            odds.append(x)
        else:
            evens.append(x)
    i = 0
    while i < 2:
        evens.append(-i)
        i += 1
    return evens, odds


@pytest.mark.parametrize("xs", [[], [1, 2, 3, 4], [7]])
def test_python_values_behave_as_python(xs):
    assert tf.autograph.convert(python_lists)(xs) == python_lists(xs)


def test_append_outside_control_flow_is_left_alone():
    def f(x):
        out = []
        out.append(x)
        return out
    assert "ag__.list_append" not in tf.autograph.to_code(f)
    assert tf.autograph.convert(f)(3) == [3]


# -- tensor loops -------------------------------------------------------------------------------

def test_append_in_a_tensor_for_loop_gives_a_stacked_tensor():
    f = tf.function(doubles)
    for n in (1, 3, 6):
        result = f(tf.constant(n))
        assert result.dtype == tf.int32
        np.testing.assert_array_equal(result.numpy(), np.arange(n) * 2)
    assert f.experimental_get_tracing_count() == 1


def test_append_in_a_tensor_loop_that_runs_zero_times():
    result = tf.function(doubles)(tf.constant(0))
    assert result.dtype == tf.int32 and result.shape == (0,)


def test_append_vectors_in_a_tensor_loop():
    @tf.function
    def f(n):
        out = []
        for i in tf.range(n):
            out.append(tf.fill([2], i))
        return out
    np.testing.assert_array_equal(f(tf.constant(3)).numpy(), [[0, 0], [1, 1], [2, 2]])


def test_prefilled_list_keeps_its_elements():
    @tf.function
    def f(n):
        out = [tf.constant(10)]
        for i in tf.range(n):
            out.append(i)
        return out
    np.testing.assert_array_equal(f(tf.constant(3)).numpy(), [10, 0, 1, 2])


def test_append_in_a_tensor_while_loop():
    @tf.function
    def f(n):
        out = []
        i = 0
        while i < n:
            out.append(i * i)
            i += 1
        return out
    np.testing.assert_array_equal(f(tf.constant(4)).numpy(), [0, 1, 4, 9])


def test_append_in_a_python_loop_inside_a_trace_stays_a_list():
    @tf.function
    def f(x):
        out = []
        for i in range(3):
            out.append(x * i)
        return out
    result = f(tf.constant(2))
    assert isinstance(result, list) and [int(v) for v in result] == [0, 2, 4]


GLOBAL_LIST = []


def append_to_global(n):
    for i in range(n):
        GLOBAL_LIST.append(i)
    return n


def test_global_list_is_left_alone():
    code = tf.autograph.to_code(append_to_global)
    assert "ag__.call(GLOBAL_LIST.append, i)" in code and "list_append" not in code
    del GLOBAL_LIST[:]
    assert tf.autograph.convert(append_to_global)(3) == 3
    assert GLOBAL_LIST == [0, 1, 2]


def test_closure_list_is_left_alone():
    acc = []

    def f(n):
        for i in range(n):
            acc.append(i)
        return n
    assert "list_append" not in tf.autograph.to_code(f)
    tf.autograph.convert(f)(3)
    assert acc == [0, 1, 2]


def test_closure_list_in_a_tensor_loop_is_a_trace_time_side_effect():
    acc = []

    @tf.function
    def f(n):
        for i in tf.range(n):
            acc.append(i)
        return n
    f(tf.constant(3))
    f(tf.constant(5))
    assert len(acc) == 1 and isinstance(acc[0], SymbolicTensor)  # appended once, while tracing


def test_attribute_list_is_left_alone():
    class Holder:
        def __init__(self):
            self.items = []

        def fill(self, n):
            for i in range(n):
                self.items.append(i)
            return self.items
    assert "list_append" not in tf.autograph.to_code(Holder.fill)
    assert tf.autograph.convert(Holder().fill)(2) == [0, 1]


def test_list_changed_in_a_tensor_branch_is_an_error():
    @tf.function
    def f(x):
        out = []
        if x > 0:
            out.append(x)
        return out
    with pytest.raises(ValueError, match="The Python list 'out' is changed in a branch of the"):
        f(tf.constant(1))


def test_conditional_append_in_a_tensor_loop():
    @tf.function
    def odd_with_continue(n):
        out = []
        for i in tf.range(n):
            if i % 2 == 0:
                continue
            out.append(i)
        return out

    @tf.function
    def odd_with_if(n):
        out = []
        for i in tf.range(n):
            if i % 2 == 1:
                out.append(i * 10)
        return out
    np.testing.assert_array_equal(odd_with_continue(tf.constant(7)).numpy(), [1, 3, 5])
    np.testing.assert_array_equal(odd_with_if(tf.constant(6)).numpy(), [10, 30, 50])


def test_append_until_a_tensor_break():
    @tf.function
    def f(n):
        out = []
        for i in tf.range(n):
            if i > 3:
                break
            out.append(i)
        return out
    np.testing.assert_array_equal(f(tf.constant(10)).numpy(), [0, 1, 2, 3])
    np.testing.assert_array_equal(f(tf.constant(2)).numpy(), [0, 1])
