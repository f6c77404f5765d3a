import pytest

import autotrace as tf
from autotrace.core.context import reset_thread_state


@pytest.fixture(autouse=True)
def fresh_state():
    """Each test starts eager, with no global seed and no leftover graph or tape."""
    tf.compat.v1.enable_eager_execution()
    reset_thread_state()
    tf.random.set_seed(None)
    tf.config.run_functions_eagerly(False)
    tf.config.check_generated_code(True)  # every traced call is checked against the interpreter
    yield
    tf.compat.v1.enable_eager_execution()
    reset_thread_state()


# -- every differentiable op is checked against finite differences ------------------------------
#
# tf.test.check_gradients / compute_gradient record the op types they differentiate
# (autotrace/test.py). After a full run of the suite, every op type with a gradient rule must
# be among them, or listed here with the test that checks it otherwise.

CHECKED_ELSEWHERE = {
    "Conj": "complex inputs, which check_gradients does not take: hand-checked in "
            "test_math_grad.py::test_complex_gradients_follow_tf_conjugate_convention",
}


def _is_full_run(config):
    selected = config.option.keyword or config.option.markexpr or getattr(config.option, "lf", False)
    args = [a for a in config.args if a]
    return not selected and all("::" not in a and not a.endswith(".py") for a in args)


def pytest_sessionfinish(session, exitstatus):
    if exitstatus != 0 or not _is_full_run(session.config):
        return
    from autotrace.test import CHECKED_OP_TYPES
    from autotrace.ops.registry import NO_GRADIENT, REGISTRY
    missing = sorted(t for t, op in REGISTRY.items()
                     if op.grad is not None and op.grad is not NO_GRADIENT
                     and t not in CHECKED_OP_TYPES and t not in CHECKED_ELSEWHERE)
    if missing:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        reporter.write_line("\nGradient rules never checked against finite differences "
                            "(add a tf.test.check_gradients case): %s" % ", ".join(missing),
                            red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
