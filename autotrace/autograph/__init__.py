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
import enum

from .loader import ConversionError, conversion_stats, convert, do_not_convert, to_code
from .operators import AutoGraphWarning


def set_loop_options(parallel_iterations=None, swap_memory=None, maximum_iterations=None,
                     shape_invariants=None):
    """Options for the loop this call opens (it must be the first statement of the loop body):
    `shape_invariants=[(variable, TensorShape), ...]` lets those loop variables change shape;
    `maximum_iterations` caps the loop. Outside converted code it does nothing."""


class Feature(enum.Enum):
    """TF's optional AutoGraph features (`tf.autograph.experimental.Feature`), accepted by
    `autotrace.function(experimental_autograph_options=...)` and `to_graph`/`to_code`.

    autotrace's AutoGraph always converts what these name (asserts, list appends, builtins
    such as len/range/print, `and`/`or`/`not` and comparisons on tensors, name scopes are not
    modelled), so naming them changes nothing; a name that is not a Feature is an error."""

    ALL = "ALL"
    AUTO_CONTROL_DEPS = "AUTO_CONTROL_DEPS"
    ASSERT_STATEMENTS = "ASSERT_STATEMENTS"
    BUILTIN_FUNCTIONS = "BUILTIN_FUNCTIONS"
    EQUALITY_OPERATORS = "EQUALITY_OPERATORS"
    LISTS = "LISTS"
    NAME_SCOPES = "NAME_SCOPES"


def check_features(features):
    """`features` (None, a Feature, or a list/tuple/set of them) as a tuple of Features."""
    if features is None:
        return ()
    items = features if isinstance(features, (list, tuple, set, frozenset)) else [features]
    for item in items:
        if not isinstance(item, Feature):
            raise TypeError("experimental_autograph_options takes "
                            "autotrace.autograph.experimental.Feature values, got %r" % (item,))
    return tuple(items)


def to_graph(entity, recursive=True, experimental_optional_features=None):
    """The AutoGraph-converted version of a function (TF's `tf.autograph.to_graph`): Python
    `if`/`while`/`for` on tensors become graph ops when it is called while tracing (or in a
    compat.v1 graph). Unlike autotrace.function it neither traces nor caches.

    >>> import autotrace as tf
    >>> def absolute(x):
    ...     if x > 0:
    ...         return x
    ...     return -x
    >>> absolute_graph = tf.autograph.to_graph(absolute)
    >>> int(tf.function(absolute_graph)(tf.constant(-3)))
    3
    """
    check_features(experimental_optional_features)
    converted = convert(entity)
    if converted is entity:
        from .loader import why_not_converted
        reason = why_not_converted(entity)
        if reason is not None:
            raise ConversionError("could not convert %s: %s"
                                  % (getattr(entity, "__name__", entity), reason))
    return converted


def set_verbosity(level, alsologtostdout=False):
    """Accepted for compatibility: autotrace's AutoGraph logs nothing (its errors and warnings
    name the user's line)."""


def trace(*args):
    """Print `args` when the code runs (TF's `tf.autograph.trace`, a Python print)."""
    print(*args)


def convert_for_function(python_function):
    """What autotrace.function traces when autograph=True: the converted function, or the
    function itself (with a warning) if it cannot be converted."""
    return convert(python_function)


class experimental:  # noqa: N801  (TF's namespace: autograph.experimental.set_loop_options)
    set_loop_options = staticmethod(set_loop_options)
    do_not_convert = staticmethod(do_not_convert)
    Feature = Feature


__all__ = ["convert", "to_code", "to_graph", "do_not_convert", "set_loop_options",
           "ConversionError", "AutoGraphWarning", "experimental", "conversion_stats",
           "Feature", "set_verbosity", "trace"]
