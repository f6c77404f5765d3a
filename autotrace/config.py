"""`autotrace.config`: global switches (TF's tf.config)."""
from .context import state

__all__ = ["run_functions_eagerly", "functions_run_eagerly"]


def run_functions_eagerly(run_eagerly):
    """Run every autotrace.function as plain Python (no tracing): for debugging with print
    statements and a debugger. Turn it off again to get graphs back."""
    state.run_functions_eagerly = bool(run_eagerly)


def functions_run_eagerly():
    return state.run_functions_eagerly
