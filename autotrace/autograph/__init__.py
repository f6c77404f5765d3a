"""AutoGraph: convert Python control flow on tensors into graph ops, with gast.

`autotrace.function` traces the converted version of a function (autograph=True), so plain
Python `if`, `while` and `for` work on tensors:

>>> import autotrace as tf
>>> @tf.function
... def collatz(n):
...     steps = 0
...     while n != 1:
...         if n % 2 == 0:
...             n = n // 2
...         else:
...             n = 3 * n + 1
...         steps += 1
...     return steps
>>> int(collatz(tf.constant(27)))
111
"""
from .loader import ConversionError, conversion_stats, convert, do_not_convert, to_code
from .operators import AutoGraphWarning


def set_loop_options(parallel_iterations=None, swap_memory=None, maximum_iterations=None,
                     shape_invariants=None):
    """Options for the loop this call opens (it must be the first statement of the loop body):
    `shape_invariants=[(variable, TensorShape), ...]` lets those loop variables change shape;
    `maximum_iterations` caps the loop. Outside converted code it does nothing."""


def convert_for_function(python_function):
    """What autotrace.function traces when autograph=True: the converted function, or the
    function itself (with a warning) if it cannot be converted."""
    return convert(python_function)


class experimental:  # noqa: N801  (TF's namespace: autograph.experimental.set_loop_options)
    set_loop_options = staticmethod(set_loop_options)
    do_not_convert = staticmethod(do_not_convert)


__all__ = ["convert", "to_code", "do_not_convert", "set_loop_options", "ConversionError",
           "AutoGraphWarning", "experimental", "conversion_stats"]
