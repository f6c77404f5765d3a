"""`python -m autotrace inspect FILE.py:FUNCTION --args ...`, run in-process."""
import os
import sys
import textwrap
import warnings

import pytest

from autotrace.__main__ import main
from autotrace.tracing.polymorphic import RetracingWarning

SOURCE = '''\
import autotrace as tf


def scale(x, n):
    if tf.reduce_sum(x) > 0:
        y = x * n
    else:
        y = -x
    return y


@tf.function(input_signature=[tf.TensorSpec([None], tf.float32)])
def double(x):
    return x * 2.0


def broken(x):
    return x + undefined_name


LIMIT = 3
'''

# The converted code is AutoGraph's (pinned by its own golden tests): filled in by the test.
GOLDEN = '''\
== AutoGraph-converted code of scale (example.py) ==
{converted}
== Calls ==
[1] scale(tf.constant([1.0, 2.0]), 2)
    result: <tf.Tensor: shape=(2,), dtype=float32, numpy=array([2., 4.], dtype=float32)>
    trace 1 -> scale: first call
[2] scale(tf.constant([1.0, 2.0]), 3)
    result: <tf.Tensor: shape=(2,), dtype=float32, numpy=array([3., 6.], dtype=float32)>
    trace 2 -> scale_2: argument n: Python int 2 -> 3; pass autotrace.constant(n) to share \
one trace

== Concrete function scale ==
-- signature --
Input Parameters:
  x (POSITIONAL_OR_KEYWORD): TensorSpec(shape=(2,), dtype=tf.float32, name=None)
  n (POSITIONAL_OR_KEYWORD): Literal[2]
Output Type:
  TensorSpec(shape=(2,), dtype=tf.float32, name=None)
Captures:
  None
-- graph --
scale(x) -> Identity
x         : float32[2] = Placeholder
Sum       : float32[]  = Sum(x)
Greater/y : float32[]  = Const {value=0.0}
Greater   : bool[]     = Greater(Sum, Greater/y)
cond      : float32[2] = StatelessIf(Greater, x)
  then_branch(x) -> mul:
    x     : float32[2] = Placeholder
    mul/y : float32[]  = Const {value=2.0}
    mul   : float32[2] = Mul(x, mul/y)
  else_branch(x) -> Neg:
    x   : float32[2] = Placeholder
    Neg : float32[2] = Neg(x)
Identity  : float32[2] = Identity(cond)

== Concrete function scale_2 ==
-- signature --
Input Parameters:
  x (POSITIONAL_OR_KEYWORD): TensorSpec(shape=(2,), dtype=tf.float32, name=None)
  n (POSITIONAL_OR_KEYWORD): Literal[3]
Output Type:
  TensorSpec(shape=(2,), dtype=tf.float32, name=None)
Captures:
  None
-- graph --
scale(x) -> Identity
x         : float32[2] = Placeholder
Sum       : float32[]  = Sum(x)
Greater/y : float32[]  = Const {value=0.0}
Greater   : bool[]     = Greater(Sum, Greater/y)
cond      : float32[2] = StatelessIf(Greater, x)
  then_branch(x) -> mul:
    x     : float32[2] = Placeholder
    mul/y : float32[]  = Const {value=3.0}
    mul   : float32[2] = Mul(x, mul/y)
  else_branch(x) -> Neg:
    x   : float32[2] = Placeholder
    Neg : float32[2] = Neg(x)
Identity  : float32[2] = Identity(cond)

== Trace history ==
trace 1: first call
trace 2: argument n: Python int 2 -> 3; pass autotrace.constant(n) to share one trace

'''


@pytest.fixture(autouse=True)
def no_rewrap_warning():
    """Each test loads `scale` afresh; its code objects compare equal across files, so
    autotrace.function's "applied 10 times" RetracingWarning would fire on stderr."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RetracingWarning)
        yield


@pytest.fixture
def example(tmp_path):
    path = tmp_path / "example.py"
    path.write_text(SOURCE)
    return str(path)


def run(capsys, *argv):
    status = main(["inspect", *argv])
    out, err = capsys.readouterr()
    return status, out, err


def test_golden_output_of_two_calls_with_a_retrace(capsys, example):
    status, out, err = run(capsys, example + ":scale", "--args", "tf.constant([1.0, 2.0]), 2",
                           "--args", "tf.constant([1.0, 2.0]), 3")
    assert (status, err) == (0, "")
    assert out == GOLDEN.replace("{converted}", _converted_scale(example))


def _converted_scale(path):
    """to_code of the file's `scale`, loaded on its own."""
    import importlib.util

    import autotrace as tf
    spec = importlib.util.spec_from_file_location("example_for_golden", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    code = tf.autograph.to_code(module.scale)
    assert code.startswith("def scale(x, n):\n") and "ag__.if_stmt(" in code
    return code


def test_output_is_deterministic(capsys, example):
    argv = [example + ":scale", "--args", "tf.constant([1.0, 2.0]), 2", "--optimized",
            "--source", "--dot"]
    first = run(capsys, *argv)
    assert first == run(capsys, *argv)
    assert "0x" not in first[1]


def test_same_signature_reuses_the_trace_and_keywords_work(capsys, example):
    status, out, _ = run(capsys, example + ":scale", "--args", "tf.constant([1.0, 2.0]), 2",
                         "--args", "x=tf.constant([5.0, 6.0]), n=LIMIT - 1")
    assert status == 0
    assert "[2] scale(x=tf.constant([5.0, 6.0]), n=LIMIT - 1)\n" in out
    assert "    no new trace: reused scale\n" in out
    assert "== Concrete function scale_2 ==" not in out


def test_tensor_specs_trace_without_running(capsys, example):
    status, out, _ = run(capsys, example + ":scale",
                         "--args", "tf.TensorSpec([None], tf.float32), 2")
    assert status == 0
    assert "[1] scale.get_concrete_function(tf.TensorSpec([None], tf.float32), 2)\n" \
           "    trace 1 -> scale: first call\n" in out
    assert "result:" not in out
    assert "x         : float32[?] = Placeholder" in out


def test_optimized_source_and_dot_sections(capsys, example):
    status, out, _ = run(capsys, example + ":scale", "--args", "tf.constant([1.0]), 2",
                         "--optimized", "--source", "--dot")
    assert status == 0
    titles = [line for line in out.splitlines() if line.startswith("-- ")]
    assert titles == ["-- signature --", "-- graph --", "-- optimized graph --",
                      "-- generated source --", "-- DOT of the graph --",
                      "-- DOT of the optimized graph --"]
    assert "def scale(x):" in out
    assert 'digraph "scale" {' in out and 'digraph "scale_optimized" {' in out
    assert 'subgraph "cluster_cond:then_branch" {' in out


def test_dot_dir_writes_a_file_per_graph(capsys, example, tmp_path):
    target = tmp_path / "dots"
    status, out, _ = run(capsys, example + ":scale", "--args", "tf.constant([1.0]), 2",
                         "--args", "tf.constant([1.0]), 3", "--optimized",
                         "--dot-dir", str(target))
    assert status == 0
    assert sorted(os.listdir(target)) == ["scale.dot", "scale_2.dot", "scale_2_optimized.dot",
                                          "scale_optimized.dot"]
    assert (target / "scale_2.dot").read_text().startswith('digraph "scale_2" {')
    assert "wrote %s\n" % os.path.join(str(target), "scale.dot") in out
    assert "digraph" not in out


def test_decorated_function_is_used_as_it_is(capsys, example):
    status, out, _ = run(capsys, example + ":double")
    assert status == 0
    assert "(no --args: traced the input_signature)" in out
    assert "x        : float32[?] = Placeholder" in out
    assert "== Trace history ==\ntrace 1: first call\n" in out


def test_loading_leaves_sys_path_and_modules_as_they_were(capsys, example):
    path, modules = list(sys.path), set(sys.modules)
    assert run(capsys, example + ":double")[0] == 0
    assert sys.path == path and "example" not in sys.modules
    assert set(sys.modules) - modules <= {"autotrace.core.visualize"}


def test_sibling_modules_can_be_imported(capsys, tmp_path):
    (tmp_path / "helper_mod.py").write_text("FACTOR = 4.0\n")
    (tmp_path / "user.py").write_text(textwrap.dedent('''\
        import helper_mod

        def f(x):
            return x * helper_mod.FACTOR
        '''))
    status, out, _ = run(capsys, str(tmp_path / "user.py") + ":f", "--args",
                         "tf.constant(1.0)")
    assert status == 0 and "numpy=4.0>" in out
    sys.modules.pop("helper_mod", None)


# -- errors: a message on stderr, exit status 2, no traceback ----------------------------------

@pytest.mark.parametrize("argv, message", [
    (["missing.py:f"], "no such file: missing.py"),
    (["{example}"], "expected FILE.py:FUNCTION"),
    (["{example}:nope"], "has no function 'nope' (functions defined there: broken, double, "
                         "scale)"),
    (["{example}:LIMIT"], "example.py:LIMIT is not a function (type int)"),
    (["{example}:scale", "--args", "1,,"], "--args '1,,' is not a call's argument list: "
                                           "invalid syntax"),
    (["{example}:scale", "--args", "1), (2"], "--args '1), (2' is not a call's argument list"),
    (["{example}:scale", "--args", "foo"], "--args 'foo': NameError: name 'foo' is not "
                                           "defined"),
    (["{example}:scale"], "scale takes arguments (x, n): give example arguments with --args"),
    (["{example}:broken", "--args", "tf.constant(1.0)"],
     "broken(tf.constant(1.0)) failed: NameError: name 'undefined_name' is not defined "
     "(at example.py:18)"),
    (["{example}:scale", "--args", "tf.constant([1.0]), 2", "--args", "tf.constant('a'), 2"],
     "scale(tf.constant('a'), 2) failed: "),
])
def test_user_errors(capsys, example, argv, message):
    argv = [a.replace("{example}", example) for a in argv]
    status, out, err = run(capsys, *argv)
    assert status == 2
    assert err.startswith("autotrace inspect: error: ") and message in err
    assert "Traceback" not in err and err.count("\n") == 1


def test_a_file_that_fails_to_load(capsys, tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("x = 1\nraise ValueError('boom')\n")
    status, _, err = run(capsys, str(bad) + ":f")
    assert status == 2
    assert err == "autotrace inspect: error: loading %s failed: ValueError: boom " \
                  "(at bad.py:2)\n" % bad
    bad.write_text("def f(x):\n    return x +\n")
    status, _, err = run(capsys, str(bad) + ":f")
    assert status == 2 and "loading %s failed: SyntaxError: " % bad in err


def test_help_describes_inspect(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["--help"])
    assert exit_info.value.code == 0
    assert "inspect" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        main(["inspect", "--help"])
    text = capsys.readouterr().out
    assert "FILE.py:FUNCTION" in text and "--args" in text and "--dot-dir" in text
    assert "exit status" in text


def test_tour_still_works(capsys):
    assert main(["tour", "--list"]) == 0
    assert capsys.readouterr().out.strip()


def test_bad_args_are_reported_before_any_output(capsys, example):
    status, out, err = run(capsys, example + ":scale", "--args", "tf.constant([1.0]), 2",
                           "--args", "nope(")
    assert status == 2 and out == "" and "--args 'nope('" in err


def test_functions_without_parameters_are_called(capsys, tmp_path):
    (tmp_path / "noargs.py").write_text(
        "import autotrace as tf\n\ndef make():\n    return tf.constant(1) + 2\n\n"
        "def fails():\n    return tf.constant([1, 2]) + tf.constant([1, 2, 3])\n")
    status, out, _ = run(capsys, str(tmp_path / "noargs.py") + ":make")
    assert status == 0 and "(no --args: called make())" in out
    status, _, err = run(capsys, str(tmp_path / "noargs.py") + ":fails")
    assert status == 2 and "fails() failed: " in err and "(at noargs.py:7)" in err
