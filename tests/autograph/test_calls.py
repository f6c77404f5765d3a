"""AutoGraph calls converter: calls -> `ag__.call(f, ...)`, which converts user functions
recursively, leaves library code alone and handles a few builtins on tensors."""
import functools
import math

import numpy as np
import pytest

import autotrace as tf
from autotrace.autograph import loader


def sign_helper(x):
    if x > 0:
        return x
    return -x


def uses_helpers(x):
    y = sign_helper(x) + len([1, 2])
    return max(y, abs(x)), np.float32(math.sqrt(4.0))


GOLDEN = '''\
def uses_helpers(x):
    y = (ag__.call(sign_helper, x) + ag__.call(len, [1, 2]))
    return (ag__.call(max, y, ag__.call(abs, x)), ag__.call(np.float32, ag__.call(math.sqrt, 4.0)))
'''


def test_golden_code():
    assert tf.autograph.to_code(uses_helpers) == GOLDEN


@pytest.mark.parametrize("x", [-3, 0, 2, 2.5])
def test_python_values_behave_as_python(x):
    assert tf.autograph.convert(uses_helpers)(x) == uses_helpers(x)


# -- user functions are converted recursively --------------------------------------------------

def test_helper_with_tensor_if_called_from_a_traced_function():
    @tf.function
    def f(x):
        return sign_helper(x) * 10
    for v in [-3, 0, 4]:
        assert int(f(tf.constant(v))) == abs(v) * 10
    assert f.experimental_get_tracing_count() == 1
    types = [op.type for op in f.get_concrete_function(tf.constant(1)).graph.get_operations()]
    assert "StatelessIf" in types


def test_conversion_goes_several_levels_deep():
    def level2(x):
        while x > 10:
            x = x - 10
        return x

    def level1(x):
        if x < 0:
            x = -x
        return level2(x)

    @tf.function
    def f(x):
        return level1(x)
    for v in [-25, 3, 47, 20]:
        assert int(f(tf.constant(v))) == level1(v)
    assert [level1(v) for v in [-25, 3, 47, 20]] == [5, 3, 7, 10]


def test_library_functions_are_not_converted():
    for fn in (np.mean, math.sqrt, tf.reduce_sum, functools.reduce, print, len):
        assert loader.convert_for_call(fn) is None
    assert loader.is_library(np.mean) and loader.is_library(tf.reduce_sum)
    assert not loader.is_library(sign_helper)
    assert loader.convert_for_call(sign_helper) is not None

    @tf.function
    def f(x):
        return tf.reduce_sum(x) + np.float32(math.sqrt(4.0))
    assert float(f(tf.constant([1.0, 2.0]))) == 5.0


def test_do_not_convert_helper_is_called_as_is():
    @tf.autograph.do_not_convert
    def raw(x):
        if x > 0:
            return x
        return -x
    assert loader.convert_for_call(raw) is None
    assert tf.autograph.convert(raw) is raw

    @tf.function
    def f(x):
        return raw(x)
    with pytest.raises(tf.errors.OperatorNotAllowedInGraphError, match="as a Python bool"):
        f(tf.constant(1))
    assert int(tf.function(lambda: raw(3))()) == 3  # Python values are fine


def test_do_not_convert_with_parentheses_and_experimental_alias():
    @tf.autograph.do_not_convert()
    def a(x):
        return x

    @tf.autograph.experimental.do_not_convert
    def b(x):
        return x
    assert tf.autograph.convert(a) is a and tf.autograph.convert(b) is b


def test_autograph_false_does_not_convert():
    @tf.function(autograph=False)
    def f(x):
        if x > 0:
            return x
        return -x
    with pytest.raises(tf.errors.OperatorNotAllowedInGraphError):
        f(tf.constant(1))


def test_traced_function_called_from_another_is_called_as_is():
    @tf.function
    def inner(x):
        if x > 0:
            return x
        return -x

    @tf.function
    def outer(x):
        return inner(x) * 2
    assert int(outer(tf.constant(-3))) == 6


# -- methods, callable objects, super() ---------------------------------------------------------

class Base:
    def scale(self, x):
        if x > 0:
            return x * 2
        return x


class Child(Base):
    def scale(self, x):
        y = super().scale(x)
        if y > 5:
            y = y - 5
        return y


CHILD_GOLDEN = '''\
def scale(self, x):
    y = ag__.call(super(__class__, self).scale, x)

    def if_true(y):
        y = (y - 5)
        return (y,)

    def if_false(y):
        return (y,)
    (y,) = ag__.if_stmt((y > 5), if_true, if_false, (y,), ('y',))
    return y
'''


def test_super_in_a_converted_method():
    assert tf.autograph.to_code(Child.scale) == CHILD_GOLDEN
    converted = tf.autograph.convert(Child().scale)
    for v in (-1, 2, 4, 10):
        assert converted(v) == Child().scale(v)

    @tf.function
    def f(x):
        return Child().scale(x)
    for v in (-1, 2, 4, 10):
        assert int(f(tf.constant(v))) == Child().scale(v)
    assert f.experimental_get_tracing_count() == 1


class Scaler:
    def __init__(self, k):
        self.k = k

    def __call__(self, x):
        if x > 0:
            x = x * self.k
        return x


def test_callable_objects_are_converted():
    @tf.function
    def f(x):
        return Scaler(3)(x)
    assert int(f(tf.constant(4))) == 12
    assert int(f(tf.constant(-4))) == -4
    converted = tf.autograph.convert(Scaler(5))
    assert converted(2) == 10 and converted(-2) == -2


def test_methods_static_and_class_methods():
    class Model:
        def __init__(self):
            self.w = tf.constant(2)

        @staticmethod
        def clip(x):
            if x > 10:
                x = tf.constant(10)
            return x

        @classmethod
        def shift(cls, x):
            if x < 0:
                x = x + 100
            return x

        @tf.function
        def __call__(self, x):
            if x > 0:
                return self.clip(x * self.w)
            return self.shift(x)
    m = Model()
    assert [int(m(tf.constant(v))) for v in (3, 8, -1)] == [6, 10, 99]


def test_generators_are_called_as_is():
    def gen(n):
        for i in range(n):
            yield i

    @tf.function
    def f(x):
        for v in gen(3):
            x = x + v
        return x
    assert int(f(tf.constant(1))) == 4


def test_converted_results_are_cached():
    converted = tf.autograph.convert(sign_helper)
    assert tf.autograph.convert(sign_helper) is converted
    assert converted.__name__ == "sign_helper" and converted.__wrapped__ is sign_helper
    assert tf.autograph.conversion_stats(sign_helper) >= 0.0


def test_functools_partial_of_a_user_function_is_converted():
    def scaled(x, k):
        if x > 0:
            x = x * k
        return x

    @tf.function
    def f(x):
        return functools.partial(scaled, k=3)(x)
    assert int(f(tf.constant(2))) == 6
    assert int(f(tf.constant(-2))) == -2


def _decorate(fn):
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        return fn(*args, **kwargs)
    return wrapper


@_decorate
def decorated_helper(x):
    if x > 0:
        x = x + 10
    return x


def test_functools_wraps_decorated_helper_is_converted():
    @tf.function
    def f(x):
        return decorated_helper(x)
    assert int(f(tf.constant(2))) == 12
    assert int(f(tf.constant(-2))) == -2


def countdown(n):
    if n <= 0:
        return 0
    return n + countdown(n - 1)


def test_recursive_function_is_converted():
    assert tf.autograph.convert(countdown)(4) == 10

    @tf.function
    def f(x):
        return x * countdown(3)
    assert int(f(tf.constant(2))) == 12


# -- builtins on tensors ------------------------------------------------------------------------

def test_builtins_on_tensors_inside_a_trace():
    @tf.function
    def f(x):
        return max(x), min(x), len(x), int(x[0]), float(x[1]), max(x[0], x[2]), min(x[1], 2)
    values = f(tf.constant([3, 7, 1]))
    assert [v.numpy().item() for v in values] == [7, 1, 3, 3, 7.0, 3, 2]
    assert values[3].dtype == tf.int32 and values[4].dtype == tf.float32
    assert values[2].dtype == tf.int32  # the static length, returned as a tensor (as in TF)
    graph = f.get_concrete_function(tf.constant([3, 7, 1])).graph
    assert "Shape" not in [op.type for op in graph.operations]  # len() was a Python int


def test_len_of_a_dynamic_first_dimension_is_a_tensor():
    @tf.function(input_signature=[tf.TensorSpec([None], tf.int32)])
    def f(x):
        return len(x)
    for n in [0, 1, 5]:
        assert int(f(tf.constant(np.arange(n, dtype=np.int32)))) == n
    assert f.experimental_get_tracing_count() == 1


def test_len_of_a_scalar_tensor_is_an_error():
    @tf.function
    def f(x):
        return len(x)
    with pytest.raises(TypeError, match="len\\(\\) of a scalar tensor"):
        f(tf.constant(1))


def test_range_with_tensor_arguments_makes_a_graph_loop():
    @tf.function
    def f(start, n):
        s = 0
        for i in range(start, n):
            s += i
        return s
    for a, b in [(0, 5), (2, 7), (5, 2)]:
        assert int(f(tf.constant(a), tf.constant(b))) == sum(range(a, b))
    assert f.experimental_get_tracing_count() == 1
    types = [op.type for op in f.get_concrete_function(tf.constant(0), tf.constant(1)).graph
             .get_operations()]
    assert types.count("StatelessWhile") == 1


def test_builtins_with_python_values_are_python_builtins():
    def f(xs):
        return max(xs), min(xs, key=abs), len(xs), int("12"), float("1.5"), list(range(3))
    assert tf.autograph.convert(f)([3, -1, 2]) == f([3, -1, 2])


def test_builtins_on_eager_tensors_outside_a_trace():
    def f(x):
        s = 0
        for i in range(x):
            s += i
        return s, len(tf.constant([1, 2]))
    assert tf.autograph.convert(f)(tf.constant(4)) == (6, 2)
