"""`autotrace.function(jit_compile=True)`: traced graphs compiled with XLA through JAX.

    @autotrace.function(jit_compile=True)
    def step(x):
        return autotrace.reduce_sum(autotrace.exp(-x * x))

The optimised graph of each trace is lowered op by op to jax.numpy / jax.lax (cond and
while_loop to lax.cond and lax.while_loop, TensorArrays to preallocated buffers), compiled
once by jax.jit, and called with the variables passed in and written back. The optional
dependency is JAX (`pip install 'autotrace[jax]'`), imported when a function is first compiled.
See docs/jit.md.

This package registers itself as the "xla" compiler of autotrace.tracing (the front never
imports it): autotrace/__init__.py imports it.
"""
from ..tracing.compilers import register_compiler
from .compiler import JitFallbackWarning
from .unsupported import NO_LOWERING, XlaCompilationError

__all__ = ["XlaCompilationError", "JitFallbackWarning", "NO_LOWERING", "lowered_op_types"]


def _compile(concrete_function, fallback):
    from .compiler import compile_concrete_function
    return compile_concrete_function(concrete_function, fallback)


def lowered_op_types():
    """The op types that have an XLA lowering (imports JAX)."""
    from .lowerings import LOWERINGS
    return sorted(LOWERINGS)


register_compiler("xla", _compile)
