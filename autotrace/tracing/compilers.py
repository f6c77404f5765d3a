"""Compilers a ConcreteFunction can be handed to instead of NumPy code generation:
`autotrace.function(jit_compile=True)`.

The front knows compilers only by name. A wing registers itself here when autotrace is
imported (autotrace.jit registers "xla"), so tracing never imports a compiler and stays below
them in the package DAG.

A compiler is `compile(concrete_function, fallback) -> callable`: the callable takes the flat
argument values (NumPy arrays, in the order of the graph's inputs) and returns the tuple of
output values, exactly as the generated NumPy code does. With `fallback=True` a compiler that
cannot compile the function warns and returns the NumPy code instead of raising.
"""

__all__ = ["register_compiler", "compile_concrete_function", "check_jit_compile",
           "set_default_jit_compile", "effective_jit_compile"]

_COMPILERS = {}
_DEFAULT = [None]  # what jit_compile=None means: tf.config.optimizer.set_jit

# jit_compile=None/False: NumPy code; True: XLA or an error; "auto": XLA, or NumPy code with a
# warning when the function cannot be compiled (autotrace's own; TF has no per-function
# fallback, only the global auto-clustering of tf.config.optimizer.set_jit).
JIT_COMPILE_VALUES = (None, False, True, "auto")


def register_compiler(name, compile_function):
    """Make `compile_function` the compiler called `name` (see the module docstring)."""
    _COMPILERS[name] = compile_function


def check_jit_compile(value):
    """The jit_compile argument of autotrace.function, checked."""
    if not any(value is v or (isinstance(v, str) and value == v) for v in JIT_COMPILE_VALUES):
        raise ValueError("jit_compile must be None, False, True or 'auto', got %r" % (value,))
    return value


def set_default_jit_compile(value):
    """What functions with jit_compile=None do (autotrace.config.optimizer.set_jit)."""
    _DEFAULT[0] = check_jit_compile(value)


def effective_jit_compile(jit_compile):
    """A function's jit_compile, its default (None) resolved."""
    return _DEFAULT[0] if jit_compile is None else jit_compile


def compile_concrete_function(concrete_function, jit_compile):
    """The callable running `concrete_function` compiled by XLA (jit_compile True/"auto")."""
    compiler = _COMPILERS.get("xla")
    if compiler is None:
        raise RuntimeError("jit_compile=%r needs the XLA compiler, which registers itself when "
                           "autotrace is imported (import autotrace, not only autotrace.tracing)"
                           % (jit_compile,))
    return compiler(concrete_function, fallback=jit_compile == "auto")
