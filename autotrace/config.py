"""`autotrace.config`: global switches (TF's tf.config)."""
from .core.context import process

__all__ = ["run_functions_eagerly", "functions_run_eagerly", "check_generated_code"]


def run_functions_eagerly(run_eagerly):
    """Run every autotrace.function as plain Python (no tracing): for debugging with print
    statements and a debugger. Turn it off again to get graphs back."""
    process.run_functions_eagerly = bool(run_eagerly)


def functions_run_eagerly():
    return process.run_functions_eagerly


def check_generated_code(enabled=True):
    """Debugging aid: every call of a traced function also runs its graph with the reference
    interpreter and raises AssertionError if the compiled code disagrees. Slow; the test
    suite turns it on. Functions with side effects are not double-run."""
    process.check_generated_code = bool(enabled)
