"""`autotrace.config`: global switches (TF's tf.config)."""
from .core.context import process
from .tracing.compilers import effective_jit_compile, set_default_jit_compile

__all__ = ["run_functions_eagerly", "functions_run_eagerly", "check_generated_code",
           "optimizer"]


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


class _Optimizer:
    """`autotrace.config.optimizer` (TF's tf.config.optimizer): the JIT switch."""

    @staticmethod
    def set_jit(enabled):
        """TF's switch for XLA auto-clustering. Here: with "autoclustering" (or True), every
        autotrace.function left at jit_compile=None compiles with XLA where it can, as with
        jit_compile="auto" (a function XLA cannot compile runs as NumPy code, with a warning);
        False or "" turns it off. Takes effect for traces made afterwards.

        >>> import autotrace as tf
        >>> tf.config.optimizer.set_jit("autoclustering")
        >>> tf.config.optimizer.get_jit()
        'autoclustering'
        >>> tf.config.optimizer.set_jit(False)
        """
        if enabled in (True, "autoclustering"):
            set_default_jit_compile("auto")
        elif enabled in (False, None, ""):
            set_default_jit_compile(None)
        else:
            raise ValueError("set_jit takes 'autoclustering', True, False or '', got %r"
                             % (enabled,))

    @staticmethod
    def get_jit():
        """'autoclustering' when set_jit turned it on, else ''."""
        return "autoclustering" if effective_jit_compile(None) else ""


optimizer = _Optimizer()
