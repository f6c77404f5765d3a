"""AutoGraph control-flow converter: `if`/`while`/`for` -> ag__.if_stmt / while_stmt / for_stmt,
which run plain Python for Python values and build graph cond / while loops for tensors."""
import numpy as np
import pytest

import autotrace as tf


def op_types(function, *args):
    return [op.type for op in function.get_concrete_function(*args).graph.get_operations()]


def branches(x, y):
    if x > 0:
        z = y * 2
    elif x == 0:
        z = y
    else:
        z = -y
    return z


GOLDEN_IF = '''\
def branches(x, y):
    z = ag__.Undefined('z')

    def if_true(z):
        z = (y * 2)
        return (z,)

    def if_false(z):

        def if_true_1(z):
            z = y
            return (z,)

        def if_false_1(z):
            z = (- y)
            return (z,)
        (z,) = ag__.if_stmt((x == 0), if_true_1, if_false_1, (z,), ('z',))
        return (z,)
    (z,) = ag__.if_stmt((x > 0), if_true, if_false, (z,), ('z',))
    return z
'''


def countdown(n):
    i = 0
    while n > 0:
        n = n - 1
        i += 2
    return i


GOLDEN_WHILE = '''\
def countdown(n):
    i = 0

    def loop_test(i, n):
        return (n > 0)

    def loop_body(i, n):
        n = (n - 1)
        i += 2
        return (i, n)
    (i, n) = ag__.while_stmt(loop_test, loop_body, (i, n), ('i', 'n'), None)
    return i
'''


def row_sums(m):
    total = 0.0
    for row in m:
        t = tf.reduce_sum(row)
        total += t
    return total


GOLDEN_FOR = '''\
def row_sums(m):
    total = 0.0

    def loop_body(itr, total):
        row = itr
        t = ag__.call(tf.reduce_sum, row)
        total += t
        return (total,)
    (total,) = ag__.for_stmt(m, None, loop_body, (total,), ('total',), None)
    return total
'''


@pytest.mark.parametrize("fn, golden", [(branches, GOLDEN_IF), (countdown, GOLDEN_WHILE),
                                        (row_sums, GOLDEN_FOR)])
def test_golden_code(fn, golden):
    assert tf.autograph.to_code(fn) == golden


def test_state_is_only_what_is_modified_and_used():
    code = tf.autograph.to_code(branches)
    # x and y are only read in the branches: they are not state of the `if`
    assert "(z,) = ag__.if_stmt((x > 0), if_true, if_false, (z,), ('z',))" in code
    # `t` is a temporary of the loop body: not carried by the loop
    assert "('total',)" in tf.autograph.to_code(row_sums)


# -- Python values -----------------------------------------------------------------------------

def mixed_python(xs, limit):
    out = []
    total = 0
    for x in xs:
        if x < 0:
            kind = "neg"
        elif x == 0:
            kind = "zero"
        else:
            kind = "pos"
        out.append(kind)
        total += x
    n = 0
    while total > limit:
        total -= 3
        n += 1
    for k, v in {"a": 1, "b": 2}.items():
        if v > limit:
            out.append(k)
    return out, total, n


@pytest.mark.parametrize("xs, limit", [([1, -2, 0, 5], 0), ([], 3), ([10, 20], 1), ([-1], -5)])
def test_python_values_behave_as_python(xs, limit):
    assert tf.autograph.convert(mixed_python)(xs, limit) == mixed_python(xs, limit)
    for x in (-1, 0, 2):
        assert tf.autograph.convert(branches)(x, 3) == branches(x, 3)
    assert tf.autograph.convert(countdown)(5) == countdown(5) == 10


def test_eager_tensors_outside_a_trace_run_as_python():
    converted = tf.autograph.convert(countdown)
    assert int(converted(tf.constant(3))) == 6
    assert float(tf.autograph.convert(row_sums)(tf.ones([2, 3]))) == 6.0


def maybe_defined(flag):
    if flag:
        y = 1
    return y


def test_variable_undefined_on_the_python_path_taken_raises_unbound_local_error():
    assert tf.autograph.convert(maybe_defined)(True) == 1
    with pytest.raises(UnboundLocalError):
        maybe_defined(False)
    with pytest.raises(UnboundLocalError):
        tf.autograph.convert(maybe_defined)(False)


def test_undefined_variable_used_in_an_operation_raises_unbound_local_error():
    def f(flag):
        if flag:
            y = 1
        return y + 1
    with pytest.raises(UnboundLocalError, match="'y' is used before assignment"):
        tf.autograph.convert(f)(False)


def make_counter():
    count = 0

    def bump(x):
        nonlocal count
        if x > 0:
            count = count + 1
        return count
    return bump


def test_nonlocal_written_in_a_branch():
    bump = make_counter()
    converted = tf.autograph.convert(bump)
    assert converted(1) == 1 and converted(-1) == 1 and converted(5) == 2


COUNTER = 0


def bump_global(x):
    global COUNTER
    if x > 0:
        COUNTER = COUNTER + 1
    return COUNTER


def test_global_written_in_a_branch():
    global COUNTER
    COUNTER = 0
    converted = tf.autograph.convert(bump_global)
    assert converted(1) == 1 and converted(-1) == 1 and converted(3) == 2
    assert COUNTER == 2


def walrus_loop(n):
    c = 0
    while (n := n - 1) > 0:
        c += 1
    return c, n


def test_walrus_in_a_while_condition():
    assert tf.autograph.convert(walrus_loop)(5) == walrus_loop(5) == (4, 0)
    assert [int(v) for v in tf.function(walrus_loop)(tf.constant(5))] == [4, 0]


# -- tensor `if` -------------------------------------------------------------------------------

def test_if_elif_else_on_tensors():
    f = tf.function(branches)
    for x in (-2, 0, 3):
        assert float(f(tf.constant(x), tf.constant(1.5))) == branches(x, 1.5)
    assert f.experimental_get_tracing_count() == 1
    assert op_types(f, tf.constant(1), tf.constant(1.5)).count("StatelessIf") == 1


def test_python_condition_inside_a_trace_picks_one_branch():
    @tf.function
    def f(x, training):
        if training:
            x = x * 2
        else:
            x = x + 1
        return x
    assert int(f(tf.constant(3), True)) == 6
    assert int(f(tf.constant(3), False)) == 4
    assert "StatelessIf" not in op_types(f, tf.constant(3), True)


def test_names_assigned_in_branches_become_outputs():
    @tf.function
    def f(x):
        a = x
        b = x * 0
        if x > 0:
            a = x + 1
            b = x * 2
            unused = x * 100  # noqa: F841  (not used after: not an output)
        else:
            a = x - 1
        return a, b
    for v in (-2, 3):
        a, b = f(tf.constant(v))
        assert (int(a), int(b)) == ((v + 1, 2 * v) if v > 0 else (v - 1, 0))
    cf = f.get_concrete_function(tf.constant(1))
    cond = [op for op in cf.graph.get_operations() if op.type == "StatelessIf"][0]
    assert len(cond.outputs) == 2


def test_python_values_assigned_in_tensor_branches_become_tensors():
    @tf.function
    def f(x):
        if x > 0:
            y = 1
            label = "pos"
        else:
            y = 2
            label = "neg"
        return y, label
    y, label = f(tf.constant(-5))
    assert int(y) == 2 and label.numpy() == b"neg"
    y, label = f(tf.constant(5))
    assert int(y) == 1 and label.numpy() == b"pos"


def test_branches_with_different_shapes_give_an_unknown_dimension():
    @tf.function
    def f(x):
        if x > 0:
            y = tf.ones([2])
        else:
            y = tf.ones([3])
        return y
    assert f(tf.constant(1)).shape == (2,)
    assert f(tf.constant(-1)).shape == (3,)
    assert f.get_concrete_function(tf.constant(1)).graph.structured_outputs.shape.as_list() \
        == [None]


def test_variable_assigned_in_one_branch_but_not_used_after_is_fine():
    @tf.function
    def f(x):
        if x > 0:
            tmp = x * 2
            x = tmp + 1
        return x
    assert int(f(tf.constant(3))) == 7 and int(f(tf.constant(-3))) == -3


def test_conditions_mixing_python_and_tensors():
    @tf.function
    def f(x, flag):
        if flag and x > 0:
            return x
        return -x
    assert int(f(tf.constant(3), False)) == -3
    assert int(f(tf.constant(3), True)) == 3
    assert int(f(tf.constant(-3), True)) == 3


# -- while ------------------------------------------------------------------------------------

def test_while_with_a_tensor_condition():
    f = tf.function(countdown)
    for n in (0, 1, 7):
        assert int(f(tf.constant(n))) == 2 * n
    assert f.experimental_get_tracing_count() == 1
    assert op_types(f, tf.constant(1)).count("StatelessWhile") == 1


def test_while_with_python_condition_and_tensor_state_is_unrolled():
    @tf.function
    def f(x):
        k = 0
        while k < 3:
            x = x * 2
            k += 1
        return x
    assert int(f(tf.constant(1))) == 8
    types = op_types(f, tf.constant(1))
    assert "StatelessWhile" not in types and types.count("Mul") == 3


def test_while_whose_python_condition_becomes_a_tensor():
    @tf.function
    def f(n):
        i = 0
        while i < n:   # i is a Python int, n a tensor: the condition is a tensor
            i = i + 1
        return i
    assert int(f(tf.constant(4))) == 4


def test_while_with_tuple_state():
    @tf.function
    def fib(n):
        a, b = 0, 1
        for _ in tf.range(n):
            a, b = b, a + b
        return a
    assert [int(fib(tf.constant(n))) for n in range(10)] == [0, 1, 1, 2, 3, 5, 8, 13, 21, 34]
    assert fib.experimental_get_tracing_count() == 1


def test_maximum_iterations_loop_option():
    @tf.function
    def f(n):
        i = 0
        while i < n:
            tf.autograph.experimental.set_loop_options(maximum_iterations=5)
            i += 1
        return i
    assert int(f(tf.constant(100))) == 5
    assert int(f(tf.constant(3))) == 3


# -- for ----------------------------------------------------------------------------------------

def test_for_over_tf_range():
    @tf.function
    def f(n):
        s = 0
        for i in tf.range(n):
            s += i * i
        return s
    for n in (0, 1, 5):
        assert int(f(tf.constant(n))) == sum(i * i for i in range(n))
    assert f.experimental_get_tracing_count() == 1


def test_for_over_tf_range_with_negative_step():
    @tf.function
    def f(a, b, d):
        s = 0
        for i in tf.range(a, b, d):
            s = s * 10 + i
        return s
    for a, b, d in [(5, 0, -1), (0, 5, 2), (3, 3, 1), (9, 1, -3)]:
        expected = 0
        for i in range(a, b, d):
            expected = expected * 10 + i
        assert int(f(tf.constant(a), tf.constant(b), tf.constant(d))) == expected


def test_for_over_python_range_with_tensor_arguments():
    @tf.function
    def f(n):
        s = 0
        for i in range(n):
            s += i
        return s
    assert int(f(tf.constant(5))) == 10
    assert op_types(f, tf.constant(5)).count("StatelessWhile") == 1


def test_for_over_the_rows_of_a_matrix():
    f = tf.function(row_sums)
    for shape in ((3, 2), (1, 4), (0, 2)):
        m = np.arange(np.prod(shape), dtype=np.float32).reshape(shape)
        assert float(f(tf.constant(m))) == pytest.approx(float(m.sum()))

    @tf.function(input_signature=[tf.TensorSpec([None, 2], tf.float32)])
    def g(m):
        s = tf.zeros([2])
        for row in m:
            s += row
        return s
    for n in (0, 1, 5):
        np.testing.assert_array_equal(g(tf.ones([n, 2])).numpy(), [n, n])
    assert g.experimental_get_tracing_count() == 1


def test_for_over_a_tensor_array():
    @tf.function
    def f(x):
        ta = tf.TensorArray(tf.float32, size=0, dynamic_size=True)
        for i in tf.range(tf.shape(x)[0]):
            ta = ta.write(i, x[i] * 2.0)
        s = tf.constant(0.0)
        for v in ta:
            s += v
        return s, ta.stack()
    s, stacked = f(tf.constant([1.0, 2.0, 3.0]))
    assert float(s) == 12.0
    np.testing.assert_array_equal(stacked.numpy(), [2.0, 4.0, 6.0])


def test_for_over_a_python_list_is_unrolled():
    @tf.function
    def f(x):
        for k in [1, 2, 3]:
            x = x * k
        return x
    assert int(f(tf.constant(2))) == 12
    types = op_types(f, tf.constant(2))
    assert "StatelessWhile" not in types and types.count("Mul") == 3


def test_python_range_is_unrolled_but_tf_range_makes_one_while():
    @tf.function
    def unrolled(x):
        for i in range(5):
            x = x + i
        return x

    @tf.function
    def looped(x):
        for i in tf.range(5):
            x = x + i
        return x
    assert int(unrolled(tf.constant(1))) == int(looped(tf.constant(1))) == 11
    u = op_types(unrolled, tf.constant(1))
    g = op_types(looped, tf.constant(1))
    assert u.count("AddV2") == 5 and "StatelessWhile" not in u
    assert g.count("StatelessWhile") == 1 and "AddV2" not in g  # the add is in the body


def test_nested_tensor_loops_with_an_if():
    @tf.function
    def f(m):
        total = tf.constant(0.0)
        for i in tf.range(tf.shape(m)[0]):
            for j in tf.range(tf.shape(m)[1]):
                if m[i, j] > 0:
                    total += m[i, j]
        return total
    rng = np.random.RandomState(0)
    for _ in range(3):  # same shape, new values: one trace
        m = rng.randn(3, 4).astype(np.float32)
        assert float(f(tf.constant(m))) == pytest.approx(float(m[m > 0].sum()), rel=1e-6)
    assert f.experimental_get_tracing_count() == 1
    m = rng.randn(4, 1).astype(np.float32)
    assert float(f(tf.constant(m))) == pytest.approx(float(m[m > 0].sum()), rel=1e-6)
    assert op_types(f, tf.constant(np.ones((2, 3), np.float32))).count("StatelessWhile") == 1


def test_python_loop_inside_a_tensor_loop():
    @tf.function
    def f(n):
        s = 0
        for i in tf.range(n):
            for k in (1, 2):
                s += i * k
        return s
    assert int(f(tf.constant(3))) == 9


def test_loop_target_used_after_the_loop():
    @tf.function
    def f(n):
        i = -1
        for i in tf.range(n):
            pass
        return i
    assert int(f(tf.constant(4))) == 3
    assert int(f(tf.constant(0))) == -1


def test_body_temporaries_are_not_loop_state():
    @tf.function
    def f(n):
        s = 0
        for i in tf.range(n):
            t = i * 2
            s += t
        return s
    assert int(f(tf.constant(4))) == 12


def test_control_flow_in_branches_with_try_and_with():
    @tf.function
    def f(x):
        if x > 0:
            try:
                y = x + 1
            except ValueError:
                y = x
        else:
            with tf.name_scope("neg"):
                y = x - 1
        return y
    assert int(f(tf.constant(4))) == 5 and int(f(tf.constant(-4))) == -5


def test_structured_loop_state():
    @tf.function
    def f(n):
        state = {"count": tf.constant(0), "scale": (tf.constant(1.0), tf.constant(2))}
        for i in tf.range(n):
            state = {"count": state["count"] + i,
                     "scale": (state["scale"][0] * 2.0, state["scale"][1] + 1)}
        return state
    out = f(tf.constant(4))
    assert int(out["count"]) == 6 and float(out["scale"][0]) == 16.0
    assert int(out["scale"][1]) == 6


def test_variables_updated_in_tensor_control_flow():
    v = tf.Variable(0)

    @tf.function
    def f(n):
        for i in tf.range(n):
            if i % 2 == 0:
                v.assign_add(i)
        return v.read_value()
    assert int(f(tf.constant(5))) == 6
    assert int(f(tf.constant(3))) == 8


class _Box:
    pass


def test_attribute_assigned_in_a_tensor_loop_is_loop_state():
    @tf.function
    def f(n):
        box = _Box()
        box.total = tf.constant(0)
        for i in tf.range(n):
            box.total = box.total + i
        return box.total
    assert int(f(tf.constant(4))) == 6


def box_loop(box, n):
    for i in tf.range(n):
        box.total = box.total + i
    return box.total


GOLDEN_COMPOSITE = '''\
def box_loop(box, n):

    def loop_body(itr, box_total):
        ag__.set_attr(box, 'total', box_total)
        i = itr
        box.total = (box.total + i)
        return (ag__.ldu((lambda : box.total), 'box.total'),)
    (box_total,) = ag__.for_stmt(ag__.call(tf.range, n), None, loop_body, \
(ag__.ldu((lambda : box.total), 'box.total'),), ('box.total',), None)
    ag__.set_attr(box, 'total', box_total)
    return box.total'''


def test_composite_state_golden_code():
    assert tf.autograph.to_code(box_loop).strip() == GOLDEN_COMPOSITE


class _Counter(tf.Module):
    def __init__(self):
        super().__init__()
        self.count = 0
        self.table = {"k": 1}

    @tf.function
    def run(self, n):
        i = 0
        while i < n:
            self.count += 2
            self.table["k"] *= 2
            i += 1
        if n > 2:
            self.flag = n * 10
        else:
            self.flag = n
        return self.count, self.table["k"], self.flag


def test_attributes_and_items_of_self_are_carried_through_tensor_loops_and_ifs():
    counter = _Counter()
    count, item, flag = counter.run(tf.constant(3))
    assert (int(count), int(item), int(flag)) == (6, 8, 30)
    count, item, flag = _Counter().run(tf.constant(1))
    assert (int(count), int(item), int(flag)) == (2, 2, 1)
    graph = counter.run.get_concrete_function(tf.constant(3)).graph
    assert [op.type for op in graph.operations].count("StatelessWhile") == 1


def test_python_path_does_not_create_missing_attributes():
    def maybe_set(o, flag):
        if flag:
            o.missing = 1
        return hasattr(o, "missing")
    converted = tf.autograph.convert(maybe_set)
    assert converted(_Box(), False) is False
    assert converted(_Box(), True) is True


def test_attribute_set_in_one_tensor_branch_only_is_named():
    @tf.function
    def f(x):
        box = _Box()
        if x > 0:
            box.value = x
        return box.value
    with pytest.raises(ValueError, match="'box.value' is assigned in the true branch"):
        f(tf.constant(1))


def test_attribute_first_set_in_a_tensor_loop_needs_one_iteration():
    """As a variable first assigned in the loop (and as in TF): it works when the loop runs,
    and a loop that runs zero times is a run-time error naming it."""
    @tf.function
    def f(n):
        box = _Box()
        for i in tf.range(n):
            box.total = i
        return box.total
    assert int(f(tf.constant(3))) == 2
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match="loop must iterate at least once to initialize box.total"):
        f(tf.constant(0))


def test_a_generator_defined_inside_a_converted_function_stays_python():
    @tf.function
    def sum_of_multiples(x):
        def multiples():
            for i in range(4):
                if i % 2:
                    yield x * i
        return tf.add_n(list(multiples()))
    assert float(sum_of_multiples(tf.constant(2.0))) == 8.0
    assert "def multiples():\n        for i in ag__.call(range, 4):\n            if (i % 2):" in tf.autograph.to_code(
        sum_of_multiples)


def test_a_variable_read_only_by_a_later_closure_is_carried_out_of_the_if():
    # The def reads x when g is called: x is live after the `if`, so the branch's value counts.
    @tf.function
    def f(n):
        x = tf.constant(0)
        if n > 0:
            x = tf.constant(1)

        def g():
            return x * 10
        return g()
    assert int(f(tf.constant(3))) == 10
    assert int(f(tf.constant(-1))) == 0
