"""AutoGraph errors and warnings: type and message (exact text for the main ones), and the
source map: tracebacks and op locations of converted code point at the user's own lines."""
import inspect
import traceback
import warnings

import pytest

import autotrace as tf
from autotrace.autograph import AutoGraphWarning

HERE = __file__


def line_of(function, text, nth=0):
    """The line number in this file of the nth source line of `function` containing `text`."""
    function = getattr(function, "python_function", function)
    lines, first = inspect.getsourcelines(function)
    hits = [first + i for i, line in enumerate(lines) if text in line]
    return hits[nth]


def where(function, text):
    return "%s:%d" % (HERE, line_of(function, text))


# -- variables undefined on a path --------------------------------------------------------------

@tf.function
def one_branch(x):
    if x > 0:
        y = x
    return y


def test_variable_defined_in_one_branch_only():
    with pytest.raises(ValueError) as e:
        one_branch(tf.constant(1))
    assert str(e.value) == (
        "'y' is assigned in the true branch of the `if` at %s but not in the false branch, and "
        "it is used after the `if` (TensorFlow: \"'y' must also be initialized in the else "
        "branch\"). The condition is a tensor, so both branches are traced into the graph and "
        "either may run: 'y' needs a value on both paths. Assign it before the `if`, or in the "
        "false branch too." % where(one_branch, "if x > 0"))


def test_variable_defined_only_in_the_false_branch():
    @tf.function
    def f(x):
        if x > 0:
            pass
        else:
            z = x
        return z
    with pytest.raises(ValueError, match="'z' is assigned in the false branch of the `if` at "
                       "%s but not in the true branch" % where(f, "if x > 0")):
        f(tf.constant(1))


@tf.function
def branch_dtypes(x):
    if x > 0:
        y = x
    else:
        y = tf.cast(x, tf.float32)
    return y


def test_different_dtypes_in_the_two_branches():
    with pytest.raises(TypeError) as e:
        branch_dtypes(tf.constant(1))
    assert str(e.value) == (
        "the `if` at %s: 'y' has dtype int32 in the main branch, but dtype float32 in the else "
        "branch; both branches must give it one dtype: cast one of them, e.g. "
        "autotrace.cast(..., autotrace.int32)" % where(branch_dtypes, "if x > 0"))


def test_none_in_one_branch():
    @tf.function
    def f(x):
        y = None
        if x > 0:
            y = x
        return y
    with pytest.raises(ValueError, match="'y' is None in the false branch of the `if` at %s"
                       % where(f, "if x > 0")):
        f(tf.constant(1))


@tf.function
def undefined_before_loop(n):
    for i in tf.range(n):
        s = s + i  # noqa: F821
    return s


def test_loop_variable_undefined_before_a_tensor_loop():
    with pytest.raises(ValueError) as e:
        undefined_before_loop(tf.constant(3))
    assert str(e.value) == (
        "'s' has no value before the loop at %s, and the loop reads it before giving it one "
        "('s' is used before assignment) (TensorFlow: \"'s' must be defined before the "
        "loop\"). The loop is a graph loop (its condition is a tensor), so every variable it "
        "carries needs a value: initialise 's' before the loop."
        % where(undefined_before_loop, "for i in tf.range(n)"))


def test_loop_variable_undefined_before_a_tensor_while():
    @tf.function
    def f(n):
        i = 0
        while i < n:
            last = i * 2 if i > 0 else last  # noqa: F821
            i += 1
        return last
    with pytest.raises(ValueError, match="'last' has no value before the loop at %s"
                       % where(f, "while i < n")):
        f(tf.constant(3))


def test_variable_first_assigned_in_a_tensor_loop_and_used_after():
    """As in TF: the loop starts from a stand-in, and a run that iterates zero times is an
    error ("loop must iterate at least once to initialize t")."""
    @tf.function
    def f(n):
        for i in tf.range(n):
            t = i * 2
        return t
    assert int(f(tf.constant(3))) == 4
    with pytest.raises(tf.errors.InvalidArgumentError) as e:
        f(tf.constant(0))
    assert str(e.value).startswith(
        "assertion failed: [The loop at %s ran zero times, so t, first assigned inside it, "
        "has no value after it: loop must iterate at least once to initialize t. Give it a "
        "value before the loop.]" % where(f, "for i in tf.range(n)"))


def test_loop_variable_none_before_the_loop():
    @tf.function
    def f(n):
        s = None
        for i in tf.range(n):
            s = i
        return s
    # As in TF, None before the loop is a value to replace, as an undefined one is.
    assert int(f(tf.constant(3))) == 2
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match="loop must iterate at least once to initialize s"):
        f(tf.constant(0))


def test_non_scalar_conditions():
    @tf.function
    def f(x):
        if x > 0:
            x = x + 1
        return x
    with pytest.raises(ValueError, match="the `if` at %s: the predicate must be a scalar bool "
                       "tensor, got a bool tensor of shape \\(2,\\) \\(TensorFlow: \"condition "
                       "of if statement expected to be `tf.bool` scalar\"\\); reduce it first"
                       % where(f, "if x > 0")):
        f(tf.constant([1, 2]))

    @tf.function
    def g(x):
        while x > 0:
            x = x - 1
        return x
    with pytest.raises(ValueError, match="the condition of the loop at %s: the predicate must "
                       "be a scalar bool tensor" % where(g, "while x > 0")):
        g(tf.constant([1, 2]))


def test_iterating_a_scalar_tensor():
    @tf.function
    def f(x):
        s = 0
        for v in x:
            s += v
        return s
    with pytest.raises(TypeError, match="Cannot iterate over a scalar tensor \\(at %s\\)"
                       % where(f, "for v in x")):
        f(tf.constant(3))


# -- loop variables changing shape or dtype ------------------------------------------------------

@tf.function
def doubling(n):
    v = tf.ones([1])
    for i in tf.range(n):
        v = tf.concat([v, v], 0)
    return v


def test_loop_variable_changing_shape():
    with pytest.raises(ValueError) as e:
        doubling(tf.constant(3))
    assert str(e.value) == (
        "the loop at %s: 'v' has shape (1,) before the loop, but shape (2,) after one "
        "iteration. A loop variable must keep its shape; to let it change, call autotrace.autograph."
        "experimental.set_loop_options(shape_invariants=[(v, autotrace.TensorShape([None]))]) "
        "at the top of the loop body (None marks a dimension that may change)"
        % where(doubling, "for i in tf.range(n)"))


def test_shape_invariants_let_the_shape_change():
    @tf.function
    def f(n):
        v = tf.ones([1])
        for i in tf.range(n):
            tf.autograph.experimental.set_loop_options(
                shape_invariants=[(v, tf.TensorShape([None]))])
            v = tf.concat([v, v], 0)
        return v
    for n in (0, 1, 3):
        assert f(tf.constant(n)).shape == (2 ** n,)
    assert f.experimental_get_tracing_count() == 1

    @tf.function
    def g(n):
        v = tf.ones([1])
        while tf.size(v) < n:
            tf.autograph.set_loop_options(shape_invariants=[(v, tf.TensorShape([None]))])
            v = tf.concat([v, v], 0)
        return v
    assert g(tf.constant(5)).shape == (8,)


def test_shape_invariant_for_a_value_that_is_not_a_loop_variable():
    @tf.function
    def f(n):
        v = tf.ones([1])
        w = tf.ones([1])
        for i in tf.range(n):
            tf.autograph.experimental.set_loop_options(
                shape_invariants=[(w, tf.TensorShape([None]))])
            v = tf.concat([v, v], 0)
        return v
    with pytest.raises(ValueError, match="set_loop_options: a shape invariant names a value "
                       "that is not a variable of the loop at"):
        f(tf.constant(2))


def test_loop_variable_changing_dtype():
    @tf.function
    def f(n):
        v = tf.constant(1)
        for i in tf.range(n):
            v = tf.cast(v, tf.float32)
        return v
    with pytest.raises(TypeError) as e:
        f(tf.constant(3))
    assert str(e.value) == (
        "the loop at %s: 'v' has dtype int32 before the loop, but dtype float32 after one "
        "iteration; a loop variable must keep its dtype (cast in the body, or start with a "
        "float32 value)"
        % where(f, "for i in tf.range(n)"))


# -- jumps that cannot be staged ------------------------------------------------------------------

@tf.function
def break_in_python_list_loop(x):
    s = 0
    for v in [1, 2, 3]:
        if x > v:
            break
        s += v
    return s


def test_tensor_break_in_a_loop_over_a_python_list():
    with pytest.raises(NotImplementedError) as e:  # TF's class (and ours, as before)
        break_in_python_list_loop(tf.constant(2))
    assert isinstance(e.value, tf.errors.OperatorNotAllowedInGraphError)
    assert str(e.value) == (
        "The loop at %s iterates over a Python list, but its `break` (or `return`) depends on "
        "a tensor. A Python loop is unrolled while tracing and cannot stop at a value known "
        "only at run time (TensorFlow: \"break and return statements which depend on a TF "
        "condition are not supported in Python for loops\"). Iterate over a tensor instead "
        "(e.g. `for i in autotrace.range(n)`), which makes a graph loop."
        % where(break_in_python_list_loop, "for v in [1, 2, 3]"))


def test_return_inside_a_tensor_loop_works():
    """TF 2.21 raises NotImplementedError here; autotrace converts it."""
    @tf.function
    def f(n):
        i = 0
        while i < n:
            if i > 3:
                return i
            i += 1
        return -1
    assert int(f(tf.constant(10))) == 4
    assert int(f(tf.constant(2))) == -1


def test_return_value_errors_do_not_name_internal_variables():
    @tf.function
    def none_on_one_path(x):
        if x > 0:
            return x
        return None

    @tf.function
    def dtype_per_path(x):
        if x > 0:
            return x
        return tf.cast(x, tf.float32)
    with pytest.raises(ValueError) as e1:
        none_on_one_path(tf.constant(1))
    with pytest.raises(TypeError) as e2:
        dtype_per_path(tf.constant(1))
    for e in (e1, e2):
        assert "retval_" not in str(e.value) and "return value" in str(e.value)
    assert str(e1.value) == (
        "The function's return value is None on one path and an int32 tensor on another: "
        "whether the `return` at %s runs depends on a tensor condition, so every path is "
        "traced into the graph, and every `return` must give a value (return a tensor on "
        "every path, not None)." % where(none_on_one_path.python_function, "return None"))
    assert str(e2.value) == (
        "The function's return value is a float32 tensor on one path and an int32 tensor on "
        "another: whether the `return` at %s runs depends on a tensor condition, so every "
        "path is traced into the graph, and every `return` must give the same dtype (cast one "
        "of them, e.g. autotrace.cast(..., autotrace.float32))."
        % where(dtype_per_path.python_function, "return tf.cast"))


def test_return_structure_mismatch_is_explained():
    @tf.function
    def f(x):
        if x > 0:
            return x, x
        return x
    with pytest.raises(TypeError) as e:
        f(tf.constant(1))
    assert str(e.value) == (
        "The function's return value is an int32 tensor on one path and 2 values (an int32 "
        "tensor, an int32 tensor) on another: whether the `return` at %s runs depends on a "
        "tensor condition, so every path is traced into the graph, and every `return` must "
        "give the same structure." % where(f.python_function, "        return x\n"))


# -- warnings -----------------------------------------------------------------------------------

def test_print_of_a_tensor_warns_once_per_call_site(capsys):
    @tf.function
    def f(x):
        print("first", x)
        for _ in range(3):
            print("in loop", x)
        return x
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        f(tf.constant(1))
        f(tf.constant(2.0))   # a second trace: the same call sites do not warn again
        f(tf.constant(3))     # no trace
    ours = [w for w in caught if issubclass(w.category, AutoGraphWarning)]
    assert [(w.filename, w.lineno) for w in ours] == [
        (HERE, line_of(f, 'print("first", x)')), (HERE, line_of(f, 'print("in loop", x)'))]
    assert str(ours[0].message) == (
        "print() at %s is Python's print: it runs once, while the function is traced, and "
        "shows symbolic tensors (no values yet). To print values every time the function "
        "runs, use autotrace.print(...)." % where(f, 'print("first", x)'))
    out = capsys.readouterr().out
    assert out.count("first") == 2 and out.count("in loop") == 6   # two traces only


def test_print_of_python_values_does_not_warn(capsys):
    @tf.function
    def f(x, label):
        print("label is", label)
        return x
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        f(tf.constant(1), "a")
    assert not [w for w in caught if issubclass(w.category, AutoGraphWarning)]
    assert capsys.readouterr().out == "label is a\n"


def test_large_unrolled_loop_warns():
    @tf.function
    def f(x):
        for i in range(150):
            x = x + 1
            x = x * 1
            x = x - 1
            x = x + 1
            x = x * 1
            x = x - 1
        return x
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert int(f(tf.constant(7))) == 7
    ours = [w for w in caught if issubclass(w.category, AutoGraphWarning)]
    assert len(ours) == 1
    assert (ours[0].filename, ours[0].lineno) == (HERE, line_of(f, "for i in range(150)"))
    assert str(ours[0].message).startswith(
        "Large unrolled loop detected: the Python for loop at %s has run 100 iterations while "
        "tracing and added 1200 ops to the graph" % where(f, "for i in range(150)"))
    assert "autotrace.range" in str(ours[0].message)


def test_small_unrolled_loop_does_not_warn():
    @tf.function
    def f(x):
        for i in range(120):
            x = x + i
        return x
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        f(tf.constant(0))
    assert not [w for w in caught if issubclass(w.category, AutoGraphWarning)]


def test_large_unrolled_loop_with_cheap_body_warns():
    @tf.function
    def f(x):
        for i in range(300):
            x = x + 1
            x = x * 1
            x = x - 1
            x = x + 1
        return x
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        f(tf.constant(0))
    assert len(f.get_concrete_function(tf.constant(0)).graph.get_operations()) > 2000
    assert [w for w in caught if "Large unrolled loop detected" in str(w.message)]


# -- source unavailable: fallback ----------------------------------------------------------------

EXEC_SOURCE = '''
def from_exec(x):
    total = 0
    for v in x:
        if v > 0:
            total += v
    return total
'''


def test_function_without_source_falls_back_with_one_warning():
    namespace = {}
    exec(EXEC_SOURCE, namespace)
    from_exec = namespace["from_exec"]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        converted = tf.autograph.convert(from_exec)
        again = tf.autograph.convert(from_exec)
        traced = tf.function(from_exec)
        assert traced([1, -2, 3]) == 4            # Python control flow still works
    assert converted is from_exec and again is from_exec
    assert converted([1, -2, 3]) == 4
    ours = [w for w in caught if issubclass(w.category, AutoGraphWarning)]
    assert len(ours) == 1
    assert str(ours[0].message) == (
        "AutoGraph could not convert from_exec: its source code is not available (it was "
        "defined in an interactive session or with exec). It will run as written: Python "
        "`if`, `while` and `for` on tensors inside it will not become graph control flow. "
        "Silence this with @autotrace.autograph.do_not_convert on the function, or "
        "autograph=False.")
    assert ours[0].filename == HERE     # attributed to the caller's line, not autotrace's
    with pytest.raises(tf.autograph.ConversionError, match="from_exec could not be converted: "
                       "its source code is not available"):
        tf.autograph.to_code(from_exec)


def test_exec_function_with_tensor_control_flow_fails_clearly():
    namespace = {"tf": tf}
    exec("def g(x):\n    if x > 0:\n        return x\n    return -x\n", namespace)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        f = tf.function(namespace["g"])
        with pytest.raises(tf.errors.OperatorNotAllowedInGraphError):
            f(tf.constant(1))


def test_do_not_convert_silences_the_fallback_warning():
    namespace = {}
    exec(EXEC_SOURCE, namespace)
    quiet = tf.autograph.do_not_convert(namespace["from_exec"])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert tf.function(quiet)([1, 2]) == 3
    assert not [w for w in caught if issubclass(w.category, AutoGraphWarning)]


# -- source map: tracebacks and op locations -----------------------------------------------------

@tf.function
def raises_in_branch(x):
    y = x + 1
    if x > 0:
        raise ValueError("user error in a branch")
    return y


def user_frames(exc, names):
    return [f for f in traceback.extract_tb(exc.__traceback__) if f.name in names]


def test_user_exception_in_a_branch_points_at_the_user_lines():
    with pytest.raises(ValueError, match="user error in a branch") as e:
        raises_in_branch(tf.constant(1))
    frames = user_frames(e.value, {"raises_in_branch", "if_true"})
    assert [(f.filename, f.lineno, f.name) for f in frames] == [
        (HERE, line_of(raises_in_branch, "if x > 0"), "raises_in_branch"),
        (HERE, line_of(raises_in_branch, "raise ValueError"), "if_true")]
    assert not [f for f in traceback.extract_tb(e.value.__traceback__)
                if f.filename.startswith("<")]
    assert frames[-1].line == 'raise ValueError("user error in a branch")'


@tf.function
def shape_error_in_loop(x):
    y = x + 1
    for i in tf.range(3):
        y = y + tf.ones([4])
    return y


def test_op_error_in_a_loop_body_points_at_the_user_line():
    with pytest.raises(ValueError, match="cannot be broadcast") as e:
        shape_error_in_loop(tf.ones([3]))
    frames = user_frames(e.value, {"shape_error_in_loop", "loop_body"})
    assert [(f.filename, f.lineno, f.name) for f in frames] == [
        (HERE, line_of(shape_error_in_loop, "for i in tf.range(3)"), "shape_error_in_loop"),
        (HERE, line_of(shape_error_in_loop, "y = y + tf.ones([4])"), "loop_body")]


def test_error_in_a_helper_called_from_converted_code():
    def helper(x):
        if tf.reduce_sum(x) > 0:
            x = x + tf.ones([5])
        return x

    @tf.function
    def f(x):
        return helper(x) * 2
    with pytest.raises(ValueError) as e:
        f(tf.ones([2]))
    frames = user_frames(e.value, {"f", "helper", "if_true"})
    assert [(f.lineno, f.name) for f in frames] == [
        (line_of(f, "return helper(x) * 2"), "f"),
        (line_of(helper, "if tf.reduce_sum(x) > 0"), "helper"),
        (line_of(helper, "x = x + tf.ones([5])"), "if_true")]
    assert all(f.filename == HERE for f in frames)


def test_op_locations_point_at_the_user_lines():
    @tf.function
    def f(x):
        y = x * 2
        if x > 0:
            z = y + 1
        else:
            z = y - 1
        return z
    graph = f.get_concrete_function(tf.constant(1)).graph
    by_type = {op.type: op for op in graph.get_operations()}
    assert by_type["Mul"].location == where(f, "y = x * 2")
    assert by_type["StatelessIf"].location == where(f, "if x > 0")
    then_ops = by_type["StatelessIf"].attrs["then_branch"].get_operations()
    else_ops = by_type["StatelessIf"].attrs["else_branch"].get_operations()
    assert [op.location for op in then_ops if op.type == "AddV2"] == [where(f, "z = y + 1")]
    assert [op.location for op in else_ops if op.type == "Sub"] == [where(f, "z = y - 1")]


def test_run_time_error_names_the_op_and_user_line():
    @tf.function
    def f(x, i):
        if i >= 0:
            v = x[i]
        else:
            v = x[0]
        return v
    with pytest.raises(tf.errors.InvalidArgumentError) as e:
        f(tf.constant([1, 2]), tf.constant(5))
    assert where(f, "v = x[i]") in str(e.value)


# -- a tensor used as a Python bool: advice fits how the function was converted ---------------

def test_bool_of_a_tensor_with_autograph_off_says_so():
    @tf.function(autograph=False)
    def f(x):
        if x > 0:
            return x
        return -x
    with pytest.raises(tf.errors.OperatorNotAllowedInGraphError) as e:
        f(tf.constant(1))
    assert str(e.value) == (
        "Using a symbolic tensor (Greater:0) as a Python bool is not allowed: while a graph is "
        "being built the tensor has no value yet, so Python cannot choose a branch (at %s). f "
        "is traced with autograph=False, so its Python `if`, `while` and `for` are not "
        "converted: remove autograph=False, or use autotrace.cond / autotrace.while_loop "
        "directly." % where(f, "if x > 0"))


def test_iterating_a_tensor_in_a_comprehension_names_what_autograph_converts():
    @tf.function
    def f(x):
        return [y for y in x]
    with pytest.raises(tf.errors.OperatorNotAllowedInGraphError) as e:
        f(tf.constant([1, 2]))
    assert str(e.value) == (
        "Iterating over a symbolic tensor (x:0) is not allowed: while a graph is being built "
        "its elements are not Python values (at %s). AutoGraph converted f, but not this use: "
        "it converts `if`, `while` and `for` statements, `and`/`or`/`not` and `x if c else "
        "y`, not comprehensions, generator expressions or library code. Write a `for` "
        "statement, or use autotrace.where, autotrace.boolean_mask or autotrace.map_fn."
        % where(f, "return [y for y in x]"))


def test_bool_of_a_tensor_in_unconvertible_code_gives_the_reason():
    namespace = {"tf": tf}
    exec("def g(x):\n    return x if x > 0 else -x\n", namespace)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", AutoGraphWarning)
        f = tf.function(namespace["g"])
        with pytest.raises(tf.errors.OperatorNotAllowedInGraphError) as e:
            f(tf.constant(1))
    assert "AutoGraph could not convert g (its source code is not available (it was defined " \
        "in an interactive session or with exec)), so it runs as written." in str(e.value)


def test_bool_of_a_tensor_in_a_v1_graph_suggests_tracing():
    with tf.Graph().as_default():
        x = tf.compat.v1.placeholder(tf.float32, [])
        with pytest.raises(tf.errors.OperatorNotAllowedInGraphError) as e:
            bool(x > 0)
    assert str(e.value).endswith(
        "Trace the code with autotrace.function, which converts Python `if`, `while` and "
        "`for` on tensors to graph control flow, or use autotrace.cond / autotrace.while_loop "
        "directly.")


def test_a_vector_loop_condition_is_reported_before_the_body_is_traced():
    @tf.function
    def halve_until_one(n):
        while n != 1:
            if n % 2 == 0:
                n = n // 2
        return n
    with pytest.raises(tf.errors.InvalidShapeError) as e:
        halve_until_one(tf.constant([4, 8]))
    assert str(e.value) == (
        "the condition of the loop at %s: the predicate must be a scalar bool tensor, got a "
        "bool tensor of shape (2,) (TensorFlow: \"condition of while loop expected to be "
        "`tf.bool` scalar\"); reduce it first, e.g. autotrace.reduce_all(...)"
        % where(halve_until_one, "while n != 1"))
