"""AutoGraph loader: conversion from source with the user's file and line numbers, closure
cells, caching per code object, lambdas, and the readability of `to_code`."""
import inspect

import numpy as np

import autotrace as tf
from autotrace.autograph import loader


def first_negative_per_row(m):
    """Index of the first negative value of each row (-1 if none)."""
    found = []
    for row in m:
        index = -1
        j = 0
        for v in row:
            if v < 0:
                index = j
                break
            j += 1
        found.append(index)
    return found


READABLE = '''\
def first_negative_per_row(m):
    'Index of the first negative value of each row (-1 if none).'
    found = []

    def loop_body(itr, found):
        row = itr
        index = (- 1)
        j = 0
        break_ = False

        def extra_test(break_, index, j):
            return ag__.not_(break_)

        def loop_body_1(itr_1, break_, index, j):
            v = itr_1

            def if_true(break_, index):
                index = j
                break_ = True
                return (break_, index)

            def if_false(break_, index):
                return (break_, index)
            (break_, index) = ag__.if_stmt((v < 0), if_true, if_false, (break_, index), \
('break_', 'index'))

            def if_true_1(j):
                j += 1
                return (j,)

            def if_false_1(j):
                return (j,)
            (j,) = ag__.if_stmt(ag__.not_(break_), if_true_1, if_false_1, (j,), ('j',))
            return (break_, index, j)
        (break_, index, j) = ag__.for_stmt(row, extra_test, loop_body_1, (break_, index, j), \
('break_', 'index', 'j'), None)
        found = ag__.list_append(found, index, 'found')
        return (found,)
    (found,) = ag__.for_stmt(m, None, loop_body, (found,), ('found',), None)
    return found
'''


def test_to_code_of_a_nested_loop_with_if_and_break():
    assert tf.autograph.to_code(first_negative_per_row) == READABLE


def test_nested_loop_with_break_behaves_as_python_and_in_a_graph():
    data = [[1, -2, 3], [4, 5, 6], [-7, 8, 9]]
    assert tf.autograph.convert(first_negative_per_row)(data) == [1, -1, 0]
    f = tf.function(first_negative_per_row)
    m = np.array(data, np.int32)
    np.testing.assert_array_equal(f(tf.constant(m)).numpy(), [1, -1, 0])
    np.testing.assert_array_equal(f(tf.constant(-m)).numpy(), [0, 0, 1])
    assert f.experimental_get_tracing_count() == 1


def test_to_code_accepts_traced_functions_and_methods():
    traced = tf.function(first_negative_per_row)
    assert tf.autograph.to_code(traced) == READABLE

    class K:
        def m(self, x):
            return x

    assert tf.autograph.to_code(K().m) == "def m(self, x):\n    return x\n"


def test_converted_code_keeps_the_user_file_and_lines():
    converted = tf.autograph.convert(first_negative_per_row)
    code = converted.__code__
    original = first_negative_per_row.__code__
    assert code.co_filename == original.co_filename == __file__
    assert code.co_name == "first_negative_per_row"
    assert code.co_firstlineno == original.co_firstlineno
    # every line of the converted function is a line of the original function
    lines, first = inspect.getsourcelines(first_negative_per_row)
    own = set(range(first, first + len(lines)))
    inner = [c for c in code.co_consts if inspect.iscode(c)]
    for c in [code] + inner:
        assert {line for _, _, line in c.co_lines() if line is not None} <= own


def test_name_docstring_defaults_and_signature_are_kept():
    def f(a, b=2, *rest, scale=3, **extra):
        """Doc."""
        if a > 0:
            a = a * scale
        return a + b + len(rest) + len(extra)
    converted = tf.autograph.convert(f)
    assert converted.__name__ == "f" and converted.__doc__ == "Doc."
    assert converted.__qualname__ == f.__qualname__
    assert inspect.signature(converted) == inspect.signature(f)
    for args, kwargs in [((1,), {}), ((1, 5, 6, 7), {"scale": 10, "z": 0}), ((-1,), {})]:
        assert converted(*args, **kwargs) == f(*args, **kwargs)


def test_closure_cells_stay_live():
    k = 1

    def f(x):
        if x > 0:
            x = x + k
        return x
    converted = tf.autograph.convert(f)
    assert converted(1) == 2
    k = 100
    assert converted(1) == 101 == f(1)


def make_adder(k):
    def add(x):
        if x > 0:
            x = x + k
        return x
    return add


def test_cache_is_per_code_object():
    a, b = make_adder(1), make_adder(100)
    ca, cb = tf.autograph.convert(a), tf.autograph.convert(b)
    assert ca(1) == 2 and cb(1) == 101
    assert ca.__code__ is cb.__code__                       # converted once
    assert tf.autograph.convert(a) is ca                     # per function object
    assert loader._CACHE[a.__code__] is loader._CACHE[b.__code__]


def test_lambdas_are_converted():
    f = tf.function(lambda x: x if x > 0 else -x)
    assert [int(f(tf.constant(v))) for v in (-2, 3)] == [2, 3]
    g = lambda x: x * 2 if x > 0 else -x  # noqa: E731
    assert tf.autograph.to_code(g) == "(lambda x: ag__.if_exp((x > 0), (lambda : (x * 2)), " \
        "(lambda : (- x))))\n"
    assert tf.autograph.convert(g)(3) == 6


def test_generated_names_do_not_clash_with_user_names():
    def f(x):
        if_true = 10
        loop_body = 20
        if x > 0:
            x = x + if_true
        for i in range(2):
            x = x + loop_body
        return x
    code = tf.autograph.to_code(f)
    assert "def if_true_1(x)" in code and "def loop_body_1(itr, x)" in code
    assert tf.autograph.convert(f)(1) == f(1) == 51
    assert int(tf.function(f)(tf.constant(-1))) == 39


def trailing_else_pass(x):
    if x > 0:
        x = x * 2
    else:
        pass


def ends_in_a_multiline_call(x):
    if x > 0:
        x = -x
    return (x,
            x
            + 1)


def test_source_found_from_positions_or_inspect_for_awkward_endings():
    # The last line the bytecode covers is `x = x * 2`: the cut text ends in `else:` and does
    # not parse, so the full source comes from inspect.
    converted = tf.autograph.convert(trailing_else_pass)
    assert converted is not trailing_else_pass
    assert converted(3) is None
    assert "def if_false(x):\n        pass" in tf.autograph.to_code(trailing_else_pass)
    converted = tf.autograph.convert(ends_in_a_multiline_call)
    assert converted(2) == (-2, -1)
    f = tf.function(ends_in_a_multiline_call)
    assert [int(v) for v in f(tf.constant(2))] == [-2, -1]
