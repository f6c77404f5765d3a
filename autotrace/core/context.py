"""Execution context: which graph (if any) is being built, the active tapes, random seeds.

One module-level `state` object: reading a plain attribute is the cheapest check we can make on
the hot path of every eager op (`state.graph is None` means eager). autotrace builds graphs on
one thread at a time; eager ops may run on any thread.
"""
import os
import sys
import warnings

__all__ = ["state", "executing_eagerly", "user_location", "graph_mode", "init_scope"]


class _State:
    __slots__ = ("graph", "tapes", "global_seed", "op_seed_counter", "eager_generators",
                 "run_functions_eagerly", "eager_disabled_graph", "graph_stack",
                 "trace_stack", "check_generated_code")

    def __init__(self):
        self.graph = None             # the Graph being built, or None when executing eagerly
        self.graph_stack = []         # graphs pushed by Graph.as_default()
        self.tapes = []               # active GradientTapes (autodiff)
        self.global_seed = None       # random.set_seed
        self.op_seed_counter = 0      # derives op seeds when only the global seed is set
        self.eager_generators = {}    # (global, op) seed pair -> numpy Generator, eager random ops
        self.run_functions_eagerly = False
        self.eager_disabled_graph = None  # compat.v1.disable_eager_execution()'s global graph
        self.trace_stack = []         # the traces (FuncGraphs) in progress, innermost last
        self.check_generated_code = False  # compare compiled calls with the interpreter


state = _State()


def executing_eagerly():
    """True when ops run at once (no graph is being built).

    >>> import autotrace as tf
    >>> tf.executing_eagerly()
    True
    """
    return state.graph is None


class graph_mode:
    """Context manager: build ops into `graph` (used by Graph.as_default and tracing)."""

    __slots__ = ("_graph", "_saved")

    def __init__(self, graph):
        self._graph = graph

    def __enter__(self):
        self._saved = state.graph
        state.graph_stack.append(self._graph)
        state.graph = self._graph
        return self._graph

    def __exit__(self, *exc):
        state.graph_stack.pop()
        state.graph = self._saved
        return False


class init_scope:
    """Context manager: leave every graph being built and execute eagerly (TF's init_scope).

    Variables created during a trace are initialised here, once, not in the traced graph."""

    __slots__ = ("_saved",)

    def __enter__(self):
        self._saved = state.graph
        state.graph = None
        return None

    def __exit__(self, *exc):
        state.graph = self._saved
        return False


_PACKAGE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep
_GENERATED_PREFIX = "<autotrace"


def _is_internal(filename):
    return filename.startswith(_PACKAGE_DIR) or filename.startswith(_GENERATED_PREFIX)


def user_frame(depth=1):
    """The innermost stack frame outside autotrace (the user's code), or None."""
    frame = sys._getframe(depth)
    while frame is not None and _is_internal(frame.f_code.co_filename):
        frame = frame.f_back
    return frame


def warn_at_user_line(message, category):
    """warnings.warn, attributed to the user's innermost line rather than autotrace's."""
    import warnings
    frame = user_frame(2)
    if frame is None:
        warnings.warn(message, category, stacklevel=2)
        return
    module_globals = frame.f_globals
    warnings.warn_explicit(message, category, frame.f_code.co_filename, frame.f_lineno,
                           module=module_globals.get("__name__"),
                           registry=module_globals.setdefault("__warningregistry__", {}))


def user_location(depth=2):
    """`file:line` of the innermost user frame: where an op or variable was created."""
    frame = user_frame(depth)
    if frame is None:
        return None
    return "%s:%d" % (frame.f_code.co_filename, frame.f_lineno)


# NumPy warns when a kernel produces inf or nan (1 / 0, log(0), overflow); TensorFlow returns
# them silently. Ignore exactly those warnings, and only when raised from autotrace's own code
# (kernels in autotrace.ops.*, compiled graphs in autotrace.execution.generated): free at run
# time, unlike np.errstate around every kernel call. Installed at import and checked again when
# the filter list object changes: `warnings.catch_warnings()` blocks swap it, and restore on exit
# a list that may lack the filter (e.g. autotrace imported during pytest's collection).
_FLOAT_WARNING_FILTER = dict(
    action="ignore", message=r"(divide by zero|overflow|invalid value|underflow) encountered",
    category=RuntimeWarning, module=r"autotrace\.")


filters_checked = None  # the warnings.filters list known to hold the filter


def ignore_numpy_float_warnings():
    """Install the filter unless the current filter list has it. Hot paths call this only
    when `warnings.filters is not filters_checked` (one identity test)."""
    global filters_checked
    for entry in warnings.filters:
        if entry[2] is RuntimeWarning and entry[3] is not None and \
                entry[3].pattern == _FLOAT_WARNING_FILTER["module"] and entry[0] == "ignore":
            break
    else:
        warnings.filterwarnings(**_FLOAT_WARNING_FILTER)
    filters_checked = warnings.filters
