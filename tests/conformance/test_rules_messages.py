"""Issue 10 §3: the rules of tracing and their errors as TensorFlow has them: the error class
TF raises for each staging error, TF's canonical phrase inside autotrace's own explanation
(so a search for TF's message finds the case), and TF's printed forms."""

import pytest

import autotrace as tf


def error_of(fn, *args):
    """The exception tracing `fn` raises for `args`."""
    with pytest.raises(Exception) as info:
        tf.function(fn)(*args)
    return info.value


# -- variables created on every call ----------------------------------------------------------

def test_variable_on_every_call_is_refused_on_the_first_call():
    def f(x):
        v = tf.Variable(1.0)
        return x * v
    error = error_of(f, tf.constant(2.0))            # TF: ValueError on the first call
    assert type(error) is ValueError
    assert "tf.function only supports singleton tf.Variables created on the first call" \
        in str(error)


# -- error classes ----------------------------------------------------------------------------

def deleted_in_both_branches(x):
    y = 1
    if x > 0:
        del y
    else:
        del y
    return x


def deleted_in_one_branch(x):
    y = 1
    if x > 0:
        del y
    return y


def test_del_in_both_branches_of_a_tensor_if_is_allowed():
    assert deleted_in_both_branches(1) == 1
    assert tf.function(deleted_in_both_branches)(tf.constant(1)).numpy() == 1   # TF: 1


def test_del_in_one_branch_is_tfs_value_error():
    with pytest.raises(UnboundLocalError):
        deleted_in_one_branch(1)                      # Python
    error = error_of(deleted_in_one_branch, tf.constant(1))
    assert type(error) is ValueError                  # TF: ValueError, same phrase
    assert "'y' must also be initialized in the main branch" in str(error)


def test_read_after_del_on_a_python_path_says_used_before_assignment():
    def f(x, drop):
        y = x
        if drop:
            del y
        return y
    error = error_of(f, tf.constant(1), True)
    assert isinstance(error, UnboundLocalError)       # Python's class
    assert "'y' is used before assignment" in str(error)   # TF's phrase


def structure_changes(n):
    x = (tf.constant(0),)
    for i in tf.range(n):
        x = (i, i)
    return x


def test_loop_variable_changing_structure_is_a_type_error():
    error = error_of(structure_changes, tf.constant(2))
    assert type(error) is TypeError                   # TF: TypeError, same phrase
    assert "'x' does not have the same nested structure after one iteration" in str(error)


def test_tensor_break_in_a_python_loop_is_not_implemented():
    def f(x):
        for v in [1, 2, 3]:
            if x > v:
                break
        return x
    error = error_of(f, tf.constant(2))
    assert isinstance(error, NotImplementedError)     # TF: NotImplementedError, same phrase
    assert "break and return statements which depend on a TF condition are not supported " \
           "in Python for loops" in str(error)


# -- TF's phrases inside autotrace's messages -------------------------------------------------

def one_branch(x):
    if x > 0:
        y = x
    return y


def none_in_a_branch(x):
    if x > 0:
        y = None
    else:
        y = x
    return y


def dtypes_differ_in_branches(x):
    if x > 0:
        y = tf.constant(1.0)
    else:
        y = tf.constant(1)
    return y


def structures_differ_in_branches(x):
    if x > 0:
        y = (x, x)
    else:
        y = x
    return y


def dtype_changes_in_loop(n):
    x = tf.constant(0)
    for i in tf.range(n):
        x = tf.cast(i, tf.float32)
    return x


def shape_changes_in_loop(n):
    x = tf.zeros([2])
    for _ in tf.range(n):
        x = tf.concat([x, x], 0)
    return x


def none_after_an_iteration(n):
    x = tf.constant(0)
    for _ in tf.range(n):
        x = None
    return x


def read_before_defined_in_loop(n):
    for i in tf.range(n):
        s = s + i  # noqa: F821
    return s


def defined_only_in_loop(n):
    for i in tf.range(n):
        y = i
    return y


def int_condition(x):
    if x:
        x = x + 1
    return x


def vector_condition(x):
    while x > 0:
        x = x - 1
    return x


def implicit_none(x):
    if x > 0:
        return x


PHRASES = [  # (snippet, arguments, TF's class, TF's message (or its start))
    (one_branch, (1,), ValueError, "'y' must also be initialized in the else branch"),
    (none_in_a_branch, (1,), ValueError, "'y' is None at the end of the main branch."),
    (dtypes_differ_in_branches, (1,), TypeError,
     "'y' has dtype float32 in the main branch, but dtype int32 in the else branch"),
    (structures_differ_in_branches, (1,), TypeError,
     "'y' must have the same nested structure in the main and else branches"),
    (dtype_changes_in_loop, (2,), TypeError,
     "'x' has dtype int32 before the loop, but dtype float32 after one iteration"),
    (shape_changes_in_loop, (2,), ValueError,
     "'x' has shape (2,) before the loop, but shape (4,) after one iteration"),
    (none_after_an_iteration, (2,), ValueError, "'x' is None at the end of the iteration"),
    (read_before_defined_in_loop, (2,), ValueError, "'s' must be defined before the loop"),
    (int_condition, (1,), ValueError,
     "condition of if statement expected to be `tf.bool` scalar"),
    (vector_condition, ([1, 2],), ValueError,
     "condition of while loop expected to be `tf.bool` scalar"),
    (implicit_none, (1,), ValueError, "the else branch must also have a return statement."),
]


@pytest.mark.parametrize("fn, args, tf_class, tf_phrase", PHRASES,
                         ids=[p[0].__name__ for p in PHRASES])
def test_staging_errors_have_tfs_class_and_phrase(fn, args, tf_class, tf_phrase):
    error = error_of(fn, *[tf.constant(a) for a in args])
    assert isinstance(error, tf_class)
    assert tf_phrase in str(error)
    # ... inside autotrace's explanation, which names the user's line
    assert "%s:" % __file__ in str(error)


def test_loop_that_must_run_once_says_tfs_phrase_at_run_time():
    f = tf.function(defined_only_in_loop)
    assert f(tf.constant(3)).numpy() == 2
    with pytest.raises(tf.errors.InvalidArgumentError,       # TF: the same class
                       match="loop must iterate at least once to initialize y"):
        f(tf.constant(0))


# -- .numpy() of a symbolic tensor ------------------------------------------------------------

def test_numpy_of_a_leaked_tensor_is_also_an_attribute_error():
    leaked = []

    @tf.function
    def f(x):
        leaked.append(x * 2)
        return x
    f(tf.constant(1))
    with pytest.raises(AttributeError) as info:      # TF: AttributeError (no .numpy)
        leaked[0].numpy()
    assert isinstance(info.value, tf.errors.InaccessibleTensorError)
    assert "belongs to the trace of" in str(info.value)


def test_numpy_while_tracing_is_also_an_attribute_error():
    caught = []

    @tf.function
    def f(x):
        try:
            x.numpy()
        except AttributeError as error:               # what TF code writes
            caught.append(error)
        return x
    f(tf.constant(1))
    assert isinstance(caught[0], NotImplementedError)
    assert "has no value yet" in str(caught[0])


# -- printed symbolic tensors -----------------------------------------------------------------

def test_symbolic_tensors_print_as_tf_with_double_quotes():
    printed = []

    @tf.function
    def f(x):
        printed.append(str(x))
        printed.append(str(x + 1.0))
        return x
    f(tf.constant(1.0))
    assert printed == ['Tensor("x:0", shape=(), dtype=float32)',        # TF's form
                       'Tensor("add:0", shape=(), dtype=float32)']
    g = tf.Graph()
    with g.as_default():
        c = tf.constant(1.0, name="c")
    assert str(c) == 'Tensor("c:0", shape=(), dtype=float32)'


def test_variables_print_without_a_value_while_tracing():
    v = tf.Variable(0.0)
    printed = []

    @tf.function
    def f():
        printed.append(repr(v))
        printed.append(repr(v.assign(1.0)))
        return v.read_value()
    f()
    assert printed == ["<tf.Variable 'Variable:0' shape=() dtype=float32>",  # TF: the same
                       "<tf.Variable 'UnreadVariable' shape=() dtype=float32>"]


