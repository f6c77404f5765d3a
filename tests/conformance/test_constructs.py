"""Issue 10 §2: constructs TensorFlow converts (or should) that autotrace rejected or crashed on.

Each test runs the snippet as plain Python where Python has an answer, and traced; TF 2.21's
answer is stated where it differs.
"""
import collections
import functools

import numpy as np
import pytest

import autotrace as tf


def traced(fn, *args):
    return tf.function(fn)(*args).numpy()


# -- first assignment inside a graph loop ------------------------------------------------------

def last_double(n):
    for i in tf.range(n):
        y = i * 2
    return y


def first_set_inside_a_while(n):
    i = tf.constant(0)
    while i < n:
        last = tf.cast(i, tf.float32) * 0.5
        i += 1
    return last


def test_variable_first_assigned_in_a_tensor_loop():
    assert traced(last_double, tf.constant(3)) == 4               # TF: 4
    assert traced(first_set_inside_a_while, tf.constant(3)) == 1.0
    with pytest.raises(tf.errors.InvalidArgumentError,  # TF: the same check, same phrase
                       match="loop must iterate at least once to initialize y"):
        tf.function(last_double)(tf.constant(0))


def test_none_before_a_tensor_loop_is_replaced_like_undefined():
    def f(n):
        s = None
        for i in tf.range(n):
            s = i + 1
        return s
    assert traced(f, tf.constant(4)) == 4   # TF: 4 (None counts as "no value yet")


def test_variable_first_set_with_a_shape_that_changes():
    def f(n):
        for i in tf.range(n):
            z = tf.zeros([i])
        return z
    assert traced(f, tf.constant(3)).shape == (2,)


# -- return inside graph loops (TF 2.21: NotImplementedError) ---------------------------------

def find(xs, target):
    for i in tf.range(tf.shape(xs)[0]):
        if xs[i] == target:
            return i
    return -1


def nested_find(n):
    for i in tf.range(n):
        for j in tf.range(n):
            if i * j == 6:
                return i * 10 + j
    return -1


def first_square_above(n):
    i = tf.constant(0)
    while i < n:
        i += 1
        if i * i > n:
            return i
    return -i


def test_return_inside_a_tensor_for():
    """TF 2.21 raises NotImplementedError ("a return statement cannot be placed inside this
    TensorFlow loop") for this snippet; autotrace converts it."""
    assert traced(find, tf.constant([4, 7, 9]), tf.constant(7)) == 1
    assert traced(find, tf.constant([4, 7, 9]), tf.constant(5)) == -1
    assert find([4, 7, 9], 7) == 1  # Python (eagerly, tf.range iterates)


def test_return_inside_nested_loops_and_a_while():
    assert traced(nested_find, tf.constant(4)) == 23
    assert traced(nested_find, tf.constant(2)) == -1
    assert traced(first_square_above, tf.constant(10)) == 4
    assert traced(first_square_above, tf.constant(0)) == 0


def test_loop_that_may_end_without_returning_is_an_error_naming_it():
    def f(n):
        for i in tf.range(n):
            if i > 2:
                return i
    with pytest.raises(ValueError, match="the loop at .*:%d returns from inside, but when it "
                       "finishes without returning" % (f.__code__.co_firstlineno + 1)):
        tf.function(f)(tf.constant(5))


def test_return_under_a_python_condition_inside_a_graph_loop():
    """TF 2.21: NotImplementedError ("...depends on a static Python condition"); here the
    return that the trace never takes is simply not part of the loop."""
    def f(n, debug):
        total = tf.constant(0)
        for i in tf.range(n):
            if debug:
                return -1
            total += i
        return total
    assert traced(f, tf.constant(4), False) == 6
    assert traced(f, tf.constant(4), True) == -1


# -- match statements -------------------------------------------------------------------------

Point = collections.namedtuple("Point", "x y")


def dispatch(x, mode):
    match mode:
        case "double":
            y = x * 2
        case "neg" | "minus":
            y = -x
        case [a, b]:
            y = x + a + b
        case Point(x=q) if q > 0:
            y = x * q
        case _:
            return x
    if y > 0:
        return y
    return -y


def test_match_runs_as_python():
    for mode in ["double", "minus", [1, 2], Point(3, 0), "other"]:
        expected = dispatch(5, mode)
        assert traced(dispatch, tf.constant(5), mode) == expected  # TF: the same


def test_match_on_a_tensor_with_value_patterns_is_a_clear_error():
    def f(x):
        match x:
            case 1:
                return 10
        return 0
    assert f(1) == 10
    with pytest.raises(tf.errors.OperatorNotAllowedInGraphError) as info:
        tf.function(f)(tf.constant(1))
    assert "The `match` at %s:%d compares its subject" % (__file__,
                                                         f.__code__.co_firstlineno + 1) \
        in str(info.value)


# -- chained comparisons ----------------------------------------------------------------------

def in_range(x):
    if 0 < x < 5:
        return x
    return -x


def test_chained_comparison_on_tensors():
    for x in (3, 7, -1):
        assert traced(in_range, tf.constant(x)) == in_range(x)   # TF: converted like `and`


def test_chained_comparison_evaluates_each_operand_once():
    calls = []

    def middle(x):
        calls.append(1)
        return x

    def f(x):
        return 0 < middle(x) < 10
    assert f(3) and len(calls) == 1
    calls.clear()
    assert bool(tf.function(f)(tf.constant(3)))
    assert len(calls) == 1


# -- list concatenation in a graph loop -------------------------------------------------------

def concatenated(n):
    s = []
    for i in tf.range(n):
        s = s + [i]
    return s


def extended(n):
    s = [tf.constant(10)]
    for i in tf.range(n):
        s += [i * 2, i * 3]
    return s


def test_list_concatenation_in_a_tensor_loop():
    """TF 2.21: TypeError ("'s' does not have the same nested structure after one
    iteration"); autotrace accumulates as it does for append."""
    np.testing.assert_array_equal(traced(concatenated, tf.constant(3)), [0, 1, 2])
    np.testing.assert_array_equal(traced(extended, tf.constant(2)), [10, 0, 0, 2, 3])


def test_list_concatenation_keeps_python_semantics_for_python_loops():
    def f(n):
        s = []
        for i in range(n):
            s = s + [i]
        alias = s
        s += [9]
        return len(s) + 10 * len(alias)
    assert f(2) == 33 and traced(f, 2) == 33


# -- functools.partial ------------------------------------------------------------------------

def scaled_abs(x, k):
    if x > 0:
        return x * k
    return -x


def test_partial_of_a_user_function_is_converted():
    triple = functools.partial(scaled_abs, k=3)
    assert triple(2) == 6
    assert tf.function(triple)(tf.constant(2)).numpy() == 6    # TF: 6
    assert tf.function(triple)(tf.constant(-2)).numpy() == 2
    assert traced(lambda x: functools.partial(scaled_abs, k=3)(x), tf.constant(2)) == 6


# -- private names ----------------------------------------------------------------------------

class _Counter:
    def __init__(self):
        self.__step = 3

    @tf.function
    def advance(self, x):
        if x > 0:
            return x + self.__step
        return x

    def nested(self, x):
        __scale = 2

        def inner():
            return self.__step * __scale
        if x > 0:
            return inner()
        return x


def test_private_names_are_mangled_in_converted_methods():
    counter = _Counter()
    assert counter.advance(tf.constant(1)).numpy() == 4            # TF: 4
    assert counter.nested(1) == 6
    assert traced(counter.nested, tf.constant(1)) == 6


# -- a while loop whose only state is a variable ----------------------------------------------

def test_tensor_while_whose_only_state_is_a_variable():
    v = tf.Variable(0)

    def f():
        while v < 10:
            v.assign_add(1)
        return v.read_value()
    assert traced(f) == 10                                          # TF: 10


# -- set_loop_options with other loop variables ------------------------------------------------

Pair = collections.namedtuple("Pair", "a b")


def test_shape_invariants_alongside_structured_loop_variables():
    def f(n):
        x = tf.zeros([0])
        p = Pair(tf.constant(0), tf.constant(1))
        for _ in tf.range(n):
            tf.autograph.experimental.set_loop_options(
                shape_invariants=[(x, tf.TensorShape([None]))])
            x = tf.concat([x, [1.0]], 0)
            p = Pair(p.a + 1, p.b)
        return x, p
    x, p = tf.function(f)(tf.constant(2))
    np.testing.assert_array_equal(x.numpy(), [1.0, 1.0])             # TF: the same
    assert (int(p.a), int(p.b)) == (2, 1)


# -- generators -------------------------------------------------------------------------------

def _gen(x):
    if x > 0:
        yield x
    yield -x


def test_tensor_control_flow_in_a_generator_is_not_implemented():
    assert sum(_gen(2)) == 0
    with pytest.raises(NotImplementedError) as info:   # TF: OperatorNotAllowedInGraphError
        tf.function(lambda x: sum(_gen(x)))(tf.constant(2))  # with "generators are not
    assert "in the generator _gen, at %s:%d" % (__file__,       # supported" as the cause
                                                  _gen.__code__.co_firstlineno + 1) \
        in str(info.value)
    assert isinstance(info.value, tf.errors.OperatorNotAllowedInGraphError)


def test_tracing_a_generator_function_is_not_implemented():
    def gen(x):
        yield x
    with pytest.raises(NotImplementedError) as info:   # TF: TypeError (also true here)
        tf.function(gen)(tf.constant(1))
    assert isinstance(info.value, TypeError)
    assert "gen is a generator function (it yields, at %s:%d)" % (
        __file__, gen.__code__.co_firstlineno) in str(info.value)


def test_a_python_generator_inside_a_function_still_runs():
    def f(x):
        def multiples():
            for k in range(3):
                yield k * x
        return sum(multiples())
    assert traced(f, tf.constant(2)) == 6                       # TF: 6


# -- `in` on a symbolic tensor ----------------------------------------------------------------

def test_in_on_a_symbolic_tensor_explains_the_fix():
    def f(x):
        return 2 in x
    assert f([1, 2])
    with pytest.raises(TypeError) as info:                       # TF: TypeError, bare
        tf.function(f)(tf.constant([1, 2]))
    assert "autotrace.reduce_any(autotrace.equal(tensor, value))" in str(info.value)
    assert traced(lambda x: tf.reduce_any(tf.equal(x, 2)), tf.constant([1, 2]))


# -- unbounded recursion ----------------------------------------------------------------------

@tf.function
def _countdown(n):
    if n > 0:
        return _countdown(n - 1)
    return n


def test_unbounded_recursion_names_the_function_and_the_call():
    with pytest.raises(RecursionError) as info:                  # TF: StagingError
        _countdown(tf.constant(2))
    assert "_countdown calls itself at %s:%d" % (
        __file__, _countdown.python_function.__code__.co_firstlineno + 3) in str(info.value)


def test_recursion_that_python_values_end_still_works():
    @tf.function
    def power(x, n):
        if n == 0:
            return tf.ones_like(x)
        return x * power(x, n - 1)
    assert power(tf.constant(2.0), 3).numpy() == 8.0


# -- tf.stack after an append loop ------------------------------------------------------------

def stack_after_append(n):
    out = []
    for i in tf.range(n):
        out.append(i * i)
    return tf.stack(out)


def test_stack_after_an_append_loop():
    """TF 2.21: InaccessibleTensorError (the appended tensors belong to the loop body);
    autotrace's list comes out of the graph loop stacked, and stacking it again is it."""
    np.testing.assert_array_equal(traced(stack_after_append, tf.constant(3)), [0, 1, 4])
    np.testing.assert_array_equal(stack_after_append(3).numpy(), [0, 1, 4])  # eagerly


def test_stack_of_one_tensor_moves_its_rows_axis():
    t = tf.constant(np.arange(6).reshape(2, 3))
    np.testing.assert_array_equal(tf.stack(t, axis=1).numpy(), np.stack(list(t.numpy()),
                                                                         axis=1))
    np.testing.assert_array_equal(tf.stack(t, axis=-1).numpy(), np.arange(6).reshape(2, 3).T)


# -- function names that are not ASCII identifiers --------------------------------------------

@pytest.mark.parametrize("name", ["ﬁx", "a²", "a b-c", "λ"])
def test_any_function_name_compiles(name):
    def f(x):
        return x * 2
    f.__name__ = name
    assert traced(f, tf.constant(2)) == 4
    assert tf.function(lambda x: x + 1, name=name)(tf.constant(1)).numpy() == 2
