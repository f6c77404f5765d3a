"""Control flow: cond, while_loop, switch_case and case, executed eagerly, traced by
autotrace.function (compiled code, checked against the interpreter by conftest) and built in a
compat.v1 graph run by a Session."""
import collections
import io
import time

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import autotrace as tf

v1 = tf.compat.v1
Point = collections.namedtuple("Point", "x y")


# -- helpers -----------------------------------------------------------------------------------

def _numpy(values):
    return [np.asarray(v.numpy() if hasattr(v, "numpy") else v) for v in tf.nest.flatten(values)]


def run_all_modes(build, *inputs):
    """{mode: flat NumPy results} of build(*tensors): eagerly, in an autotrace.function and in
    a compat.v1 graph (placeholders fed) run by a Session."""
    arrays = [np.asarray(tf.constant(x).numpy()) for x in inputs]
    results = {"eager": _numpy(build(*[tf.constant(a) for a in arrays])),
               "function": _numpy(tf.function(build)(*[tf.constant(a) for a in arrays]))}
    graph = tf.Graph()
    with graph.as_default():
        placeholders = [v1.placeholder(tf.as_dtype(a.dtype), a.shape) for a in arrays]
        out = tf.nest.flatten(build(*placeholders))
    with v1.Session(graph=graph) as sess:
        results["session"] = [np.asarray(v) for v in
                              sess.run(out, feed_dict=dict(zip(placeholders, arrays)))]
    return results


def check_all_modes(build, inputs, expected):
    """build(*inputs) gives `expected` (flat list; values and dtypes) in every mode."""
    expected = [np.asarray(e) for e in expected]
    for mode, got in run_all_modes(build, *inputs).items():
        assert len(got) == len(expected), mode
        for g, e in zip(got, expected):
            assert g.dtype == e.dtype, "%s: dtype %s != %s" % (mode, g.dtype, e.dtype)
            np.testing.assert_allclose(g, e, err_msg=mode, rtol=1e-6)


def message(excinfo):
    return str(excinfo.value)


# -- cond: which branch runs -------------------------------------------------------------------

def test_eager_cond_runs_only_the_chosen_branch():
    ran = []
    true_fn = lambda: ran.append("true") or tf.constant(1)   # noqa: E731
    false_fn = lambda: ran.append("false") or tf.constant(2)  # noqa: E731
    assert tf.cond(tf.constant(True), true_fn, false_fn).numpy() == 1
    assert ran == ["true"]
    assert tf.cond(tf.constant(3) > 5, true_fn, false_fn).numpy() == 2
    assert ran == ["true", "false"]


def test_eager_cond_returns_what_the_branch_returns():
    assert tf.cond(tf.constant(True), lambda: "big", lambda: "small") == "big"
    assert tf.cond(tf.constant(0), lambda: 1, lambda: (2, None)) == (2, None)  # as TF eagerly


@pytest.mark.parametrize("pred, expected", [(True, 30), (False, -3)])
def test_python_bool_predicate_chooses_statically_while_tracing(pred, expected):
    traced = []

    @tf.function
    def f(x):
        return tf.cond(pred, lambda: traced.append("true") or x * 10,
                       lambda: traced.append("false") or -x)
    assert f(tf.constant(3)).numpy() == expected
    assert traced == ["true" if pred else "false"]
    assert "If" not in f.get_concrete_function(tf.constant(3)).graph.as_text()


def test_tensor_predicate_traces_both_branches_once_and_computes_the_right_one():
    traced = []

    @tf.function
    def f(x):
        def true_fn():
            traced.append("true")
            return x * 10

        def false_fn():
            traced.append("false")
            return -x
        return tf.cond(x > 0, true_fn, false_fn)
    assert f(tf.constant(3)).numpy() == 30
    assert traced == ["true", "false"]
    assert f(tf.constant(-4)).numpy() == 4
    assert f(tf.constant(0)).numpy() == 0
    assert traced == ["true", "false"]
    assert f.experimental_get_tracing_count() == 1


@pytest.mark.parametrize("x, expected", [(3.0, 6.0), (-3.0, 9.0)])
def test_cond_in_every_mode(x, expected):
    check_all_modes(lambda x: tf.cond(x > 0, lambda: x * 2.0, lambda: x * x), [np.float32(x)],
                    [np.float32(expected)])


@pytest.mark.parametrize("x, expected", [(-10, -2), (-1, -1), (1, 1), (10, 2)])
def test_nested_conds(x, expected):
    def build(x):
        return tf.cond(x > 0,
                       lambda: tf.cond(x > 5, lambda: tf.constant(2), lambda: tf.constant(1)),
                       lambda: tf.cond(x < -5, lambda: tf.constant(-2), lambda: tf.constant(-1)))
    check_all_modes(build, [np.int32(x)], [np.int32(expected)])


def test_cond_shapes_merge_to_the_most_specific_shape():
    @tf.function
    def f(x):
        return (tf.cond(x > 0, lambda: tf.zeros([2, 3]), lambda: tf.ones([4, 3])),
                tf.cond(x > 0, lambda: tf.zeros([2]), lambda: tf.zeros([2, 1])))
    first, second = f.get_concrete_function(tf.constant(1)).structured_outputs
    assert first.shape.as_list() == [None, 3]
    assert second.shape.rank is None
    assert f(tf.constant(-1))[0].shape == (4, 3)


# -- cond: captures and state ------------------------------------------------------------------

def test_branches_capture_arguments_intermediates_and_eager_tensors():
    offset = tf.constant([10.0, 20.0])  # an eager tensor from the closure

    def build(x, y):
        scaled = x * 3.0                  # an intermediate value of the enclosing graph
        return tf.cond(tf.reduce_sum(x) > 0, lambda: scaled + offset + y,
                       lambda: scaled - offset)
    check_all_modes(build, [np.float32([1, 2]), np.float32(1)], [np.float32([14, 27])])
    check_all_modes(build, [np.float32([-1, -2]), np.float32(1)], [np.float32([-13, -26])])


def test_only_the_taken_branch_assigns_the_variable():
    v = tf.Variable(10)

    @tf.function
    def f(x):
        def true_fn():
            v.assign_add(x)
            return v.read_value()

        def false_fn():
            v.assign_sub(1)
            return v.read_value() * 100
        return tf.cond(x > 0, true_fn, false_fn)
    assert f(tf.constant(5)).numpy() == 15 and v.numpy() == 15
    assert f(tf.constant(-5)).numpy() == 1400 and v.numpy() == 14
    assert f(tf.constant(1)).numpy() == 15 and v.numpy() == 15
    assert f.experimental_get_tracing_count() == 1
    assert tf.cond(tf.constant(False), lambda: v.assign(0), lambda: v.assign(7)).numpy() == 7
    assert v.numpy() == 7


def test_branch_assignments_in_a_session():
    graph = tf.Graph()
    with graph.as_default():
        x = v1.placeholder(tf.int32, [])
        v = tf.Variable(5)
        y = tf.cond(x > 0, lambda: v.assign_add(x), lambda: v.assign_sub(1))
        init = v1.global_variables_initializer()
    with v1.Session(graph=graph) as sess:
        sess.run(init)
        assert sess.run(y, {x: 3}) == 8
        assert sess.run(y, {x: -3}) == 7
        assert sess.run(v) == 7


def test_branches_reading_variables_and_returning_ops():
    v = tf.Variable(2.0)

    @tf.function
    def f(x):
        return (tf.cond(x > 0, lambda: v * x, lambda: v),
                tf.cond(x > 0, lambda: v.assign_add(1.0, read_value=False), tf.no_op))
    value, op = f(tf.constant(3.0))
    assert value.numpy() == 6.0 and op is None and v.numpy() == 3.0
    assert f(tf.constant(-3.0))[0].numpy() == 3.0 and v.numpy() == 3.0
    # The variable is used only inside branches; the concrete function still knows it.
    assert f.get_concrete_function(tf.constant(1.0)).variables == (v,)


# -- cond: outputs -----------------------------------------------------------------------------

@pytest.mark.parametrize("x, a, b", [(2, 2, 4), (-2, 2, -6)])
def test_branches_return_nested_structures_with_none_leaves(x, a, b):
    @tf.function
    def f(x):
        return tf.cond(x > 0, lambda: {"a": x, "b": (x * 2, None)},
                       lambda: {"a": -x, "b": (x * 3, None)})
    out = f(tf.constant(x))
    assert set(out) == {"a", "b"} and out["b"][1] is None
    assert (out["a"].numpy(), out["b"][0].numpy()) == (a, b)


def test_branches_returning_none_or_lists_keep_their_structure():
    @tf.function
    def f(x):
        return tf.cond(x > 0, lambda: None, lambda: None), \
            tf.cond(x > 0, lambda: [x], lambda: [x + 1])
    none, single = f(tf.constant(1))
    assert none is None
    assert isinstance(single, list) and single[0].numpy() == 1


@pytest.mark.parametrize("x, expected", [(2.5, 1.0), (-2.5, -2.5)])
def test_a_python_number_takes_the_dtype_of_the_other_branch(x, expected):
    @tf.function
    def f(x):
        return tf.cond(x > 0, lambda: 1, lambda: x)
    out = f(tf.constant(x))
    assert out.dtype == tf.float32 and out.numpy() == expected


# -- cond: errors ------------------------------------------------------------------------------

def _traced(fn, *args):
    return tf.function(fn)(*args)


def test_cond_structure_mismatch_names_both_structures():
    with pytest.raises(ValueError) as e:
        _traced(lambda x: tf.cond(x > 0, lambda: (x, x), lambda: x), tf.constant(2))
    assert message(e) == ("cond: true_fn and false_fn must return the same structure, but "
                          "true_fn returned (int32[], int32[]) and false_fn returned int32[]")
    with pytest.raises(ValueError, match=r"true_fn returned \{'a': int32\[\]\} and false_fn "
                                         r"returned \{'b': int32\[\]\}"):
        _traced(lambda x: tf.cond(x > 0, lambda: {"a": x}, lambda: {"b": x}), tf.constant(2))


def test_cond_none_against_a_tensor_is_a_structure_error():
    with pytest.raises(TypeError) as e:
        _traced(lambda x: tf.cond(x > 0, lambda: None, lambda: x), tf.constant(2))
    assert message(e) == ("cond: true_fn and false_fn must return the same structure, but "
                          "output 0 is None in true_fn and an int32 tensor in false_fn")


def test_cond_dtype_mismatch_names_the_output_and_both_dtypes():
    with pytest.raises(TypeError) as e:
        _traced(lambda x: tf.cond(x > 0, lambda: x, lambda: tf.cast(x, tf.float32)),
                tf.constant(2))
    assert message(e) == ("cond: true_fn and false_fn must return the same dtypes, but output 0 "
                          "is int32 in true_fn and float32 in false_fn; cast one of them, e.g. "
                          "autotrace.cast(..., autotrace.int32)")
    with pytest.raises(TypeError, match=r"output 1 \(\['b'\]\[0\]\) is int32 in true_fn and "
                                        r"float32 in false_fn"):
        _traced(lambda x: tf.cond(x > 0, lambda: {"a": x, "b": (x,)},
                                  lambda: {"a": x, "b": (tf.cast(x, tf.float32),)}),
                tf.constant(2))
    with pytest.raises(TypeError, match="output 0 is float32 in true_fn and int32 in false_fn"):
        _traced(lambda x: tf.cond(x > 0, lambda: 1.5, lambda: 2), tf.constant(2))


def test_cond_python_number_that_does_not_fit_the_other_branch():
    with pytest.raises(TypeError) as e:
        _traced(lambda x: tf.cond(x > 0, lambda: 1.5, lambda: x), tf.constant(2))
    assert message(e) == ("cond: output 0 is 1.5 in true_fn but an int32 tensor in false_fn, and "
                          "1.5 cannot be an int32 value (it is not a whole number); cast the "
                          "tensor, or return a number that fits")


def test_cond_predicate_must_be_a_bool_scalar():
    with pytest.raises(tf.errors.InvalidArgumentError) as e:
        _traced(lambda x: tf.cond(x, lambda: x, lambda: x), tf.constant(2))
    assert message(e) == ("cond: the predicate must be a scalar bool tensor, got an int32 tensor "
                          "of shape (); compare first, e.g. x > 0")
    assert isinstance(e.value, TypeError)  # TF raises TypeError for this while tracing
    bad_shape = ("cond: the predicate must be a scalar bool tensor, got a bool tensor of shape "
                 "(2,); reduce it first, e.g. autotrace.reduce_all(...)")
    with pytest.raises(tf.errors.InvalidArgumentError) as e:
        _traced(lambda x: tf.cond(x > 0, lambda: x, lambda: x), tf.constant([2, 3]))
    assert message(e) == bad_shape
    with pytest.raises(tf.errors.InvalidArgumentError) as e:  # eagerly too
        tf.cond(tf.constant([True, False]), lambda: 1, lambda: 2)
    assert message(e) == bad_shape


def test_eager_cond_accepts_a_non_bool_scalar_like_tensorflow():
    assert tf.cond(tf.constant(2), lambda: "yes", lambda: "no") == "yes"
    assert tf.cond(tf.constant(0.0), lambda: "yes", lambda: "no") == "no"


def test_cond_branches_must_be_callables():
    with pytest.raises(TypeError, match="^cond: true_fn must be callable, got 1$"):
        tf.cond(tf.constant(True), 1, lambda: 2)
    with pytest.raises(TypeError, match="^cond: false_fn must be callable, got None$"):
        tf.cond(tf.constant(True), lambda: 1)


def test_a_tensor_leaking_out_of_a_branch_is_reported():
    leaked = []

    @tf.function
    def f(x):
        tf.cond(x > 0, lambda: leaked.append(x * 2) or x, lambda: x)
        return leaked[0]
    with pytest.raises(tf.errors.InaccessibleTensorError, match="trace of 'true_fn'"):
        f(tf.constant(1))


# -- cond: printed graph and generated code ----------------------------------------------------

def _cond_function():
    @tf.function
    def f(x, y):
        return tf.cond(x > 0, lambda: x * y, lambda: x - 1)
    return f.get_concrete_function(tf.constant(3), tf.constant(4))


def test_cond_graph_text():
    assert _cond_function().graph.as_text() == """\
f(x, y) -> Identity
x         : int32[] = Placeholder
y         : int32[] = Placeholder
Greater/y : int32[] = Const {value=0}
Greater   : bool[]  = Greater(x, Greater/y)
cond      : int32[] = StatelessIf(Greater, x, y)
  then_branch(x, y) -> mul:
    x   : int32[] = Placeholder
    y   : int32[] = Placeholder
    mul : int32[] = Mul(x, y)
  else_branch(x, y) -> sub:
    x     : int32[] = Placeholder
    y     : int32[] = Placeholder
    sub/y : int32[] = Const {value=1}
    sub   : int32[] = Sub(x, sub/y)
Identity  : int32[] = Identity(cond)"""


def test_cond_generated_source():
    cf = _cond_function()
    assert cf.generated_source == """\
def f(x, y):
    Greater = x > c_Greater_y
    if Greater:
        mul = x * y
        cond = mul
    else:
        sub = x - c_sub_y
        cond = sub
    del Greater
    return (cond,)
"""
    assert cf(tf.constant(3), tf.constant(4)).numpy() == 12
    assert cf(tf.constant(-3), tf.constant(4)).numpy() == -4


# -- while_loop: values ------------------------------------------------------------------------

@pytest.mark.parametrize("n", [0, 1, 10])
def test_counter_and_sum_in_every_mode(n):
    def build(n):
        return tf.while_loop(lambda i, s: i < n, lambda i, s: (i + 1, s + i), (0, 0))
    check_all_modes(build, [np.int32(n)], [np.int32(n), np.int32(sum(range(n)))])


def test_accumulation_matches_a_python_loop():
    def python_loop(n):
        a, b, total = 0.0, 1.0, 0.0
        for _ in range(n):
            a, b, total = b, a + b, total + a * a
        return [np.float32(a), np.float32(b), np.float32(total)]

    def build(n):
        _, a, b, total = tf.while_loop(
            lambda i, a, b, t: i < n, lambda i, a, b, t: (i + 1, b, a + b, t + a * a),
            (0, 0.0, 1.0, 0.0))
        return a, b, total
    for n in (0, 1, 7, 20):
        check_all_modes(build, [np.int32(n)], python_loop(n))


def test_loop_over_tensors_with_shapes():
    rotation = np.array([[0.0, -1.0], [1.0, 0.0]], dtype=np.float32)

    def build(x):
        i, y = tf.while_loop(lambda i, y: i < 3, lambda i, y: (i + 1, tf.matmul(y, rotation)),
                             (0, x))
        return y
    x = np.arange(6, dtype=np.float32).reshape(3, 2)
    check_all_modes(build, [x], [x @ rotation @ rotation @ rotation])


def test_eager_loop_is_a_python_loop():
    calls = collections.Counter()

    def cond(i):
        calls["cond"] += 1
        return i < 4

    def body(i):
        calls["body"] += 1
        assert isinstance(i, tf.Tensor) and tf.executing_eagerly()
        return i + 1
    assert tf.while_loop(cond, body, [tf.constant(0)])[0].numpy() == 4
    assert calls == {"cond": 5, "body": 4}
    out, = tf.while_loop(lambda i: i < 10, lambda i: i * 2, [1])  # Python values in the body,
    assert isinstance(out, tf.Tensor) and out.numpy() == 16       # tensors out, as TF's


def test_zero_iterations_return_the_loop_vars():
    @tf.function
    def f(x):
        return tf.while_loop(lambda x: x < 0, lambda x: x - 1, [x])
    assert f(tf.constant(5))[0].numpy() == 5
    assert tf.while_loop(lambda x: x < 0, lambda x: x - 1, [5])[0].numpy() == 5


def test_loop_vars_keep_their_structure():
    @tf.function
    def f(n):
        return (tf.while_loop(lambda i, d: i < n,
                              lambda i, d: (i + 1, {"a": d["a"] * 2, "b": (d["b"][0] + 1.0,)}),
                              (0, {"a": 1, "b": (0.5,)})),
                tf.while_loop(lambda x, y: x < n, lambda x, y: Point(x + 1, y * 3), Point(0, 1)),
                tf.while_loop(lambda i: i < n, lambda i: i + 1, 0))
    (i, d), point, bare = f(tf.constant(4))
    assert i.numpy() == 4 and d["a"].numpy() == 16 and d["b"][0].numpy() == 4.5
    assert isinstance(d["b"], tuple) and isinstance(point, Point)
    assert (point.x.numpy(), point.y.numpy()) == (4, 81)
    assert bare.numpy() == 4  # a bare loop variable is returned bare


@pytest.mark.parametrize("start, body", [
    (Point(0, 1), lambda p: Point(p.x + 1, p.y * 2)),
    ({"x": 0, "y": 1}, lambda d: {"x": d["x"] + 1, "y": d["y"] * 2})])
def test_body_of_one_loop_variable_may_return_it_bare(start, body):
    def loop():
        return tf.while_loop(lambda v: tf.nest.flatten(v)[0] < 5, body, [start])
    for out in (loop(), tf.function(loop)()):
        assert isinstance(out, list) and type(out[0]) is type(start)
        assert [int(v) for v in tf.nest.flatten(out)] == [5, 32]


@pytest.mark.parametrize("maximum_iterations, expected", [(0, 0), (3, 3), (100, 10), (-1, 0)])
def test_maximum_iterations(maximum_iterations, expected):
    def build(m):
        return tf.while_loop(lambda i: i < 10, lambda i: i + 1, [0], maximum_iterations=m)
    check_all_modes(build, [np.int32(maximum_iterations)], [np.int32(expected)])
    assert tf.while_loop(lambda i: i < 10, lambda i: i + 1, [0],
                         maximum_iterations=maximum_iterations)[0].numpy() == expected


def test_body_captures_outer_tensors():
    scale = tf.constant(2.0)

    def build(x, step):
        shift = step * 10.0
        _, y = tf.while_loop(lambda i, y: i < 3, lambda i, y: (i + 1, y * scale + shift),
                             (0, x))
        return y
    check_all_modes(build, [np.float32([1, 2]), np.float32(0.5)], [np.float32([43, 51])])


@pytest.mark.parametrize("n, m", [(0, 3), (4, 0), (4, 3)])
def test_nested_while_loops(n, m):
    def build(n, m):
        def outer_body(i, total):
            _, total = tf.while_loop(lambda j, t: j < m, lambda j, t: (j + 1, t + i * j),
                                     (0, total))
            return i + 1, total
        return tf.while_loop(lambda i, t: i < n, outer_body, (0, 0))[1]
    expected = sum(i * j for i in range(n) for j in range(m))
    check_all_modes(build, [np.int32(n), np.int32(m)], [np.int32(expected)])


@pytest.mark.parametrize("n", [0, 5, 10])
def test_cond_inside_while_and_while_inside_cond(n):
    def build(n):
        def body(i, s):
            return i + 1, tf.cond(i % 2 == 0, lambda: s + i, lambda: s - i)
        alternating = tf.while_loop(lambda i, s: i < n, body, (0, 0))[1]
        doubled = tf.cond(n > 3, lambda: tf.while_loop(lambda k: k < n, lambda k: k * 2, [1])[0],
                          lambda: -n)
        return alternating, doubled
    expected_doubled = 1
    while n > 3 and expected_doubled < n:
        expected_doubled *= 2
    check_all_modes(build, [np.int32(n)],
                    [np.int32(sum(i if i % 2 == 0 else -i for i in range(n))),
                     np.int32(expected_doubled if n > 3 else -n)])


def test_string_loop_variables():
    out = tf.function(lambda n: tf.while_loop(lambda i, s: i < n,
                                              lambda i, s: (i + 1, tf.strings.join([s, "a"])),
                                              (0, "")))(tf.constant(3))
    assert out[1].numpy() == b"aaa"


# -- while_loop: shapes and dtypes -------------------------------------------------------------

def _grow(n, **kwargs):
    return tf.while_loop(lambda x: tf.shape(x)[0] < n, lambda x: tf.concat([x, x], 0),
                         [tf.ones([1])], **kwargs)[0]


def test_a_growing_loop_variable_needs_a_shape_invariant():
    f = tf.function(lambda n: _grow(n, shape_invariants=[tf.TensorShape([None])]))
    assert f(tf.constant(5)).numpy().tolist() == [1.0] * 8
    assert f.get_concrete_function(tf.constant(5)).structured_outputs.shape.as_list() == [None]
    assert _grow(tf.constant(5)).shape == (8,)  # eagerly the shape may change


def test_a_growing_loop_variable_without_invariant_names_both_shapes_and_the_fix():
    with pytest.raises(ValueError) as e:
        tf.function(_grow)(tf.constant(5))
    assert message(e) == (
        "while_loop: loop_vars[0] enters the loop with shape (1,) but body returns shape (2,). "
        "A loop variable must keep its shape; to let it change, pass shape_invariants with "
        "autotrace.TensorShape([None]) for loop_vars[0] (None marks a dimension that may change)")


def test_shape_error_names_nested_loop_variables_and_keeps_known_dimensions():
    def build(x):
        return tf.while_loop(lambda i, d: i < 3,
                             lambda i, d: (i + 1, {"m": tf.concat([d["m"], d["m"]], 1)}),
                             (0, {"m": x}))
    with pytest.raises(ValueError, match=r"loop_vars\[1\]\['m'\] enters the loop with shape "
                                         r"\(2, 3\) but body returns shape \(2, 6\).*"
                                         r"autotrace.TensorShape\(\[2, None\]\)"):
        tf.function(build)(tf.zeros([2, 3]))


def test_body_output_less_specific_than_the_loop_variable_is_an_error():
    @tf.function
    def f(x, n):
        return tf.while_loop(lambda x: tf.reduce_sum(x) < 100, lambda x: x[:n] * 2, [x])
    with pytest.raises(ValueError, match=r"loop_vars\[0\] enters the loop with shape \(3,\) but "
                                         r"body returns shape \(None,\)"):
        f(tf.constant([1, 2, 3]), tf.constant(3))


def test_shape_invariants_structure_and_fit_are_checked():
    x = tf.constant([1, 2, 3])
    f = tf.function(lambda x, inv: tf.while_loop(lambda x: x[0] < 100, lambda x: x * 2, [x],
                                                 shape_invariants=inv))
    with pytest.raises(ValueError) as e:
        f(x, [tf.TensorShape([2])])
    assert message(e) == ("while_loop: loop_vars[0] enters the loop with shape (3,), which does "
                          "not fit its shape invariant (2,)")
    with pytest.raises(ValueError) as e:
        f(x, [[None]])
    assert message(e) == ("while_loop: shape_invariants must have the structure of loop_vars, "
                          "with a TensorShape (or None) for each tensor, but loop_vars is "
                          "[int32[3]] and shape_invariants is [[None]]")
    assert f(x, [None])[0].numpy().tolist() == [128, 256, 384]
    single = tf.function(lambda x: tf.while_loop(lambda x: x[0] < 100, lambda x: x * 2, x,
                                                 shape_invariants=tf.TensorShape([None])))
    assert single(x).numpy().tolist() == [128, 256, 384]


def test_loop_variable_must_keep_its_dtype():
    with pytest.raises(TypeError) as e:
        _traced(lambda n: tf.while_loop(lambda i: i < n, lambda i: tf.cast(i, tf.float32), [0]),
                tf.constant(5))
    assert message(e) == ("while_loop: loop_vars[0] enters the loop as int32 but body returns "
                          "float32; a loop variable must keep its dtype (cast in body, or start "
                          "with a float32 value)")


def test_body_returning_a_python_number_adopts_the_loop_variable_dtype():
    out = _traced(lambda x: tf.while_loop(lambda x: x < 1.0, lambda x: 2, [x]), tf.constant(0.5))
    assert out[0].dtype == tf.float32 and out[0].numpy() == 2.0
    with pytest.raises(TypeError) as e:
        _traced(lambda x: tf.while_loop(lambda x: x < 0, lambda x: 2.5, [x]), tf.constant(1))
    assert message(e) == ("while_loop: body returns 2.5 for loop_vars[0], which is int32, and 2.5 "
                          "cannot be an int32 value (it is not a whole number)")


@pytest.mark.parametrize("traced", [False, True])
def test_body_returning_the_wrong_structure(traced):
    def build(n):
        return tf.while_loop(lambda i, j: i < n, lambda i, j: (i + 1,), [0, 0])
    with pytest.raises(ValueError) as e:
        _traced(build, tf.constant(3)) if traced else build(tf.constant(3))
    returned = "(int32[],)" if traced else "(1,)"
    assert message(e) == ("while_loop: body must return the same structure as loop_vars, but "
                          "loop_vars is [0, 0] and body returned %s" % returned)


def test_while_loop_argument_errors():
    with pytest.raises(tf.errors.InvalidArgumentError) as e:
        _traced(lambda n: tf.while_loop(lambda i: i, lambda i: i + 1, [0]), tf.constant(1))
    assert message(e) == ("while_loop cond: the predicate must be a scalar bool tensor, got an "
                          "int32 tensor of shape (); compare first, e.g. x > 0")
    with pytest.raises(ValueError, match=r"^while_loop: loop_vars\[1\] is None; every loop "
                                         r"variable must be a tensor"):
        _traced(lambda n: tf.while_loop(lambda i, x: i < n, lambda i, x: (i + 1, x), [0, None]),
                tf.constant(1))
    with pytest.raises(TypeError, match="^while_loop: body must be callable, got 3$"):
        tf.while_loop(lambda i: i < 3, 3, [0])
    with pytest.raises(ValueError, match=r"^while_loop needs at least one loop variable"):
        tf.while_loop(lambda: False, lambda: [], [])


@pytest.mark.parametrize("value, error, text", [
    (2.0, TypeError, "a float32 tensor of shape ()"),
    ([2, 3], ValueError, "an int32 tensor of shape (2,)")])
def test_maximum_iterations_must_be_a_scalar_integer(value, error, text):
    expected = "while_loop: maximum_iterations must be a scalar integer, got " + text
    for run in (lambda: tf.while_loop(lambda i: i < 3, lambda i: i + 1, [0],
                                      maximum_iterations=value),
                lambda: _traced(lambda m: tf.while_loop(lambda i: i < 3, lambda i: i + 1, [0],
                                                        maximum_iterations=m),
                                tf.constant(value))):
        with pytest.raises(error) as e:
            run()
        assert isinstance(e.value, tf.errors.InvalidArgumentError)
        assert message(e) == expected


# -- while_loop: state, printing, speed --------------------------------------------------------

def test_assign_add_in_the_body_runs_every_iteration():
    v = tf.Variable(0)

    @tf.function
    def f(n):
        def body(i):
            v.assign_add(i)
            return i + 1
        return tf.while_loop(lambda i: i < n, body, [0])
    assert f(tf.constant(5))[0].numpy() == 5 and v.numpy() == 10
    assert f(tf.constant(3))[0].numpy() == 3 and v.numpy() == 13
    cf = f.get_concrete_function(tf.constant(0))
    assert cf.run_reference(tf.constant(2))[0].numpy() == 2 and v.numpy() == 14
    assert cf.graph.get_operations()[-2].type == "While"  # before the output's Identity


def test_while_loop_with_assignments_in_a_session():
    graph = tf.Graph()
    with graph.as_default():
        n = v1.placeholder(tf.int32, [])
        v = tf.Variable(0)

        def body(i):
            v.assign_add(i)
            return i + 1
        out = tf.while_loop(lambda i: i < n, body, [0])
        init = v1.global_variables_initializer()
    with v1.Session(graph=graph) as sess:
        sess.run(init)
        assert sess.run(out, {n: 4}) == [4] and sess.run(v) == 6
        assert sess.run(out, {n: 3}) == [3] and sess.run(v) == 9


def test_print_in_the_body_prints_every_iteration_of_every_call():
    out = io.StringIO()

    @tf.function
    def f(n):
        def body(i):
            tf.print("step", i, output_stream=out)
            return i + 1
        return tf.while_loop(lambda i: i < n, body, [0])
    f(tf.constant(3))
    assert out.getvalue() == "step 0\nstep 1\nstep 2\n"
    f(tf.constant(2))
    assert out.getvalue() == "step 0\nstep 1\nstep 2\nstep 0\nstep 1\n"
    assert f.experimental_get_tracing_count() == 1


def test_a_thousand_iterations_are_fast_and_traced_once():
    @tf.function
    def f(n):
        return tf.while_loop(lambda i, s: i < n,
                             lambda i, s: (i + 1, s + tf.cast(i, tf.float32) * 0.5), (0, 0.0))
    f(tf.constant(1))
    start = time.perf_counter()
    i, s = f(tf.constant(1000))
    assert time.perf_counter() - start < 0.5
    assert (i.numpy(), s.numpy()) == (1000, np.float32(sum(range(1000)) * 0.5))
    assert f.experimental_get_tracing_count() == 1


# -- while_loop: printed graph and generated code ----------------------------------------------

def test_while_graph_text_and_generated_source():
    @tf.function
    def f(n, m):
        return tf.while_loop(lambda i, s: i < n, lambda i, s: (i + 1, s + i), (0, 0),
                             maximum_iterations=m)
    cf = f.get_concrete_function(tf.constant(10), tf.constant(100))
    assert cf.graph.as_text() == """\
f(n, m) -> (Identity, Identity_1)
n          : int32[] = Placeholder
m          : int32[] = Placeholder
Const      : int32[] = Const {value=0}
Const_1    : int32[] = Const {value=0}
while      : (int32[], int32[]) = StatelessWhile(Const, Const_1, n, m) {n_vars=2, has_max=True}
  cond(i, s, n) -> Less:
    i    : int32[] = Placeholder
    s    : int32[] = Placeholder
    n    : int32[] = Placeholder
    Less : bool[]  = Less(i, n)
  body(i, s, n) -> (add, add_1):
    i     : int32[] = Placeholder
    s     : int32[] = Placeholder
    n     : int32[] = Placeholder
    add/y : int32[] = Const {value=1}
    add   : int32[] = AddV2(i, add/y)
    add_1 : int32[] = AddV2(s, i)
Identity   : int32[] = Identity(while)
Identity_1 : int32[] = Identity(while:1)"""
    assert cf.generated_source == """\
def f(n, m):
    while_0, while_1 = c_Const, c_Const
    iteration = 0
    max_iterations = int(m)
    while iteration < max_iterations:
        Less = while_0 < n
        if not Less: break
        add = while_0 + c_add_y
        add_1 = while_1 + while_0
        while_0, while_1 = add, add_1
        iteration += 1
    return (while_0, while_1,)
"""
    assert [t.numpy() for t in cf(tf.constant(10), tf.constant(100))] == [10, 45]
    assert [t.numpy() for t in cf(tf.constant(10), tf.constant(4))] == [4, 6]


# -- switch_case -------------------------------------------------------------------------------

BRANCHES = [lambda: tf.constant(10), lambda: tf.constant(11), lambda: tf.constant(12)]


@pytest.mark.parametrize("index, expected", [(0, 10), (1, 11), (2, 12), (3, 12), (-1, 12)])
def test_switch_case_out_of_range_runs_the_last_branch(index, expected):
    check_all_modes(lambda i: tf.switch_case(i, BRANCHES), [np.int32(index)], [np.int32(expected)])


@pytest.mark.parametrize("index, expected", [(0, 10), (1, 11), (2, 99), (-1, 99)])
def test_switch_case_dict_with_default(index, expected):
    def build(i):
        return tf.switch_case(i, {1: lambda: i + 10, 0: lambda: tf.constant(10)},
                              default=lambda: tf.constant(99))
    check_all_modes(build, [np.int32(index)], [np.int32(expected)])


def test_switch_case_with_tensor_index_traces_every_branch_once():
    traced = []

    def branch(k):
        return lambda: traced.append(k) or tf.constant(k * 1.5)

    @tf.function
    def f(i):
        return tf.switch_case(i, [branch(0), branch(1)], default=lambda: 7)
    assert [f(tf.constant(i)).numpy() for i in (0, 1, 5)] == [0.0, 1.5, 7.0]
    assert traced == [0, 1] and f.experimental_get_tracing_count() == 1


def test_switch_case_with_python_index_runs_one_branch():
    traced = []

    @tf.function
    def f(x):
        return tf.switch_case(1, [lambda: traced.append(0) or x,
                                  lambda: traced.append(1) or x * 2])
    assert f(tf.constant(4)).numpy() == 8 and traced == [1]


def test_stateful_branches_of_switch_case_run_only_when_chosen():
    v = tf.Variable(0)

    @tf.function
    def f(i):
        return tf.switch_case(i, [lambda: v.assign_add(1), lambda: v.assign_add(10)],
                              default=lambda: v.assign_add(100))
    assert [f(tf.constant(i)).numpy() for i in (0, 1, 7, 1)] == [1, 11, 111, 121]
    assert v.numpy() == 121
    ops = f.get_concrete_function(tf.constant(0)).graph.get_operations()
    assert ops[-2].type == "Case"  # the stateful form (then the output's Identity)


def test_switch_case_generated_source():
    @tf.function
    def f(i, x):
        return tf.switch_case(i, [lambda: x * 2.0, lambda: x + 1.0], default=lambda: x)
    cf = f.get_concrete_function(tf.constant(0), tf.constant(1.0))
    assert cf.generated_source == """\
def f(i, x):
    if i == 0:
        mul = x * c_mul_y
        switch_case = mul
    elif i == 1:
        add = x + c_add_y
        switch_case = add
    else:
        switch_case = x
    return (switch_case,)
"""
    assert "switch_case : float32[] = StatelessCase(i, x)\n  branch 0(x) -> mul:" in \
        cf.graph.as_text()


def test_switch_case_errors():
    with pytest.raises(tf.errors.InvalidArgumentError) as e:
        _traced(lambda i: tf.switch_case(i, BRANCHES), tf.constant(1.0))
    assert message(e) == ("switch_case: branch_index must be a scalar integer tensor, got a "
                          "float32 tensor; cast it, e.g. autotrace.cast(i, autotrace.int32)")
    assert isinstance(e.value, TypeError)  # as TensorFlow
    with pytest.raises(tf.errors.InvalidArgumentError, match="got shape \\(2,\\)"):
        tf.switch_case(tf.constant([0, 1]), BRANCHES)
    with pytest.raises(ValueError) as e:
        _traced(lambda i: tf.switch_case(i, [lambda: 1, lambda: 2, lambda: (1, 2)]),
                tf.constant(1))
    assert message(e) == ("switch_case: all branches must return the same structure, but branch 0 "
                          "returned 1 and branch 2 returned (1, 2)")
    with pytest.raises(TypeError) as e:
        _traced(lambda i: tf.switch_case(i, [lambda: 1, lambda: 2], default=lambda: 3.5),
                tf.constant(1))
    assert message(e) == ("switch_case: all branches must return the same dtypes, but output 0 "
                          "is int32 in branch 0 and float32 in default; cast one of them, e.g. "
                          "autotrace.cast(..., autotrace.int32)")
    with pytest.raises(ValueError, match=r"^switch_case: the keys of branch_fns must be 0..n-1, "
                                         r"got \[0, 2\]$"):
        tf.switch_case(0, {0: lambda: 1, 2: lambda: 2})
    with pytest.raises(ValueError, match="^switch_case needs at least one branch"):
        tf.switch_case(0, [])
    with pytest.raises(TypeError, match=r"^switch_case: branch_fns\[1\] must be callable, got 2$"):
        tf.switch_case(0, [lambda: 1, 2])


# -- case --------------------------------------------------------------------------------------

def _case(x, **kwargs):
    return tf.case([(x > 5, lambda: x * 10), (x > 2, lambda: x + 100)], **kwargs)


@pytest.mark.parametrize("x, expected", [(0, -1), (3, 103), (4, 104), (6, 60)])
def test_case_first_true_predicate_wins_else_default(x, expected):
    check_all_modes(lambda x: _case(x, default=lambda: x - 1), [np.int32(x)], [np.int32(expected)])


def test_case_is_one_case_op_over_all_fns():
    traced = []

    @tf.function
    def f(x):
        return tf.case([(x > 5, lambda: traced.append(0) or x),
                        (x > 2, lambda: traced.append(1) or x)],
                       default=lambda: traced.append("default") or x)
    f(tf.constant(1))
    assert traced == [0, 1, "default"]
    ops = f.get_concrete_function(tf.constant(1)).graph.get_operations()
    assert [op.type for op in ops if op.type.endswith("Case") or op.type.endswith("If")] == \
        ["StatelessCase"]


@pytest.mark.parametrize("x, expected", [(0, -1), (3, 103)])
def test_case_exclusive_with_at_most_one_true_predicate(x, expected):
    check_all_modes(lambda x: _case(x, default=lambda: x - 1, exclusive=True), [np.int32(x)],
                    [np.int32(expected)])


def test_case_exclusive_raises_when_two_predicates_are_true():
    with pytest.raises(tf.errors.InvalidArgumentError) as e:
        _case(tf.constant(6), default=lambda: tf.constant(0), exclusive=True)
    assert message(e) == ("case: exclusive=True, but more than one predicate is True (those of "
                          "pred_fn_pairs[0] and pred_fn_pairs[1])")
    graph_message = (r"^assertion failed: \[case: exclusive=True, but more than one predicate "
                     r"is True; the predicates:\] \[1 1\]")
    with pytest.raises(tf.errors.InvalidArgumentError, match=graph_message):
        _traced(lambda x: _case(x, default=lambda: -x, exclusive=True), tf.constant(6))
    graph = tf.Graph()
    with graph.as_default():
        x = v1.placeholder(tf.int32, [])
        y = _case(x, default=lambda: -x, exclusive=True)
    with v1.Session(graph=graph) as sess:
        assert sess.run(y, {x: 3}) == 103
        with pytest.raises(tf.errors.InvalidArgumentError, match=graph_message):
            sess.run(y, {x: 6})


@pytest.mark.parametrize("x, expected", [(3, 103), (6, 60)])
def test_case_without_default_uses_the_last_pair(x, expected):
    check_all_modes(_case, [np.int32(x)], [np.int32(expected)])


def test_case_without_default_raises_when_no_predicate_is_true():
    with pytest.raises(tf.errors.InvalidArgumentError) as e:
        _case(tf.constant(0))
    assert message(e) == ("case: no predicate is True and there is no default; the predicates "
                          "are [False, False]")
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match=r"^assertion failed: \[case: no predicate is True and there is no "
                             r"default; the predicates:\] \[0 0\]"):
        _traced(_case, tf.constant(0))


def test_case_with_python_predicates_and_dict_pairs():
    assert tf.case([(False, lambda: 1), (True, lambda: 2)], default=lambda: 3) == 2
    assert tf.case({False: lambda: 1}, default=lambda: 3) == 3
    assert tf.case([], default=lambda: 4) == 4


def test_case_exclusive_without_default_counts_every_predicate():
    # TF skips the last predicate here (it only checks the pairs before the implicit default),
    # although its documentation says all are checked; we check all.
    with pytest.raises(tf.errors.InvalidArgumentError, match="more than one predicate is True"):
        _traced(lambda x: _case(x, exclusive=True), tf.constant(6))


def test_case_errors():
    with pytest.raises(ValueError) as e:
        _traced(lambda x: tf.case([(x > 0, lambda: x), (x > 1, lambda: (x, x))]), tf.constant(1))
    assert message(e) == ("case: all branches must return the same structure, but "
                          "pred_fn_pairs[0] returned int32[] and pred_fn_pairs[1] returned "
                          "(int32[], int32[])")
    with pytest.raises(TypeError, match=r"^case: pred_fn_pairs\[0\] must be a \(predicate, "
                                        r"callable\) pair, got bool\[\]$"):
        tf.case([tf.constant(True)])
    with pytest.raises(TypeError, match=r"^case: the fn of pred_fn_pairs\[0\] must be callable"):
        tf.case([(tf.constant(True), 1)])
    with pytest.raises(ValueError, match="^case needs at least one"):
        tf.case([])
    with pytest.raises(tf.errors.InvalidArgumentError, match="^case: the predicate must be a "
                                                             "scalar bool tensor, got an int32"):
        _traced(lambda x: tf.case([(x, lambda: x)], default=lambda: x), tf.constant(1))


# -- differential: eager against traced ------------------------------------------------------

def _program(x, n, k):
    def body(i, acc):
        step = tf.switch_case(i % 3, [lambda: acc + i, lambda: acc * 2, lambda: acc - k])
        return i + 1, tf.cond(step > 100, lambda: step - 100, lambda: step)
    _, acc = tf.while_loop(lambda i, acc: i < n, body, (0, x), maximum_iterations=k * 4)
    return tf.case([(acc < 0, lambda: -acc), (acc > 50, lambda: acc // 2)], default=lambda: acc)


_TRACED_PROGRAM = tf.function(_program)


@settings(max_examples=40, deadline=None)
@given(st.integers(-20, 20), st.integers(0, 12), st.integers(1, 4))
def test_eager_and_traced_control_flow_agree(x, n, k):
    args = [tf.constant(v) for v in (x, n, k)]
    eager = _program(*args).numpy()
    assert _TRACED_PROGRAM(*args).numpy() == eager  # conftest checks the interpreter too
    assert _TRACED_PROGRAM.experimental_get_tracing_count() == 1
    acc = x
    for i in range(min(n, k * 4)):
        acc = [acc + i, acc * 2, acc - k][i % 3]
        acc = acc - 100 if acc > 100 else acc
    assert eager == (-acc if acc < 0 else acc // 2 if acc > 50 else acc)


# -- the AutoGraph interface -------------------------------------------------------------------

def test_cond_with_reconciles_branches_and_names_outputs():
    from autotrace.control_flow import cond_with

    def fill(graphs, results):  # what AutoGraph does for a value set in one branch only
        return [results[0], (results[1][0], 7)]

    @tf.function
    def f(x):
        return cond_with(x > 0, lambda: (x * 2, x), lambda: (x, None), fill)
    assert [t.numpy() for t in f(tf.constant(3))] == [6, 3]
    assert [t.numpy() for t in f(tf.constant(-3))] == [-3, 7]

    @tf.function
    def g(x):
        return cond_with(x > 0, lambda: (x, x), lambda: (x, tf.cast(x, tf.float32)),
                         names=("y", "z"), where="f.py:3")
    with pytest.raises(TypeError) as e:
        g(tf.constant(1))
    assert message(e) == ("the `if` at f.py:3: 'z' has dtype int32 in the main branch, but "
                          "dtype float32 in the else branch; both branches must give it one "
                          "dtype: cast one of them, e.g. autotrace.cast(..., autotrace.int32)")


def test_while_loop_errors_name_autograph_variables():
    @tf.function
    def f(n):
        return tf.while_loop(lambda i, s: i < n, lambda i, s: (i + 1, tf.concat([s, s], 0)),
                             [0, tf.ones([1])], _names=("i", "s"), _where="f.py:7")
    with pytest.raises(ValueError) as e:
        f(tf.constant(3))
    assert message(e) == (
        "the loop at f.py:7: 's' has shape (1,) before the loop, but shape (2,) after one "
        "iteration. A loop variable must keep its shape; to let it change, call autotrace.autograph."
        "experimental.set_loop_options(shape_invariants=[(s, autotrace.TensorShape([None]))]) "
        "at the top of the loop body (None marks a dimension that may change)")


def test_module_examples():
    import doctest
    from autotrace import control_flow
    assert doctest.testmod(control_flow).failed == 0
