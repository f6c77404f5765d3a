"""Execution context: which graph (if any) is being built, the active tapes, random seeds.

As in TensorFlow, the execution state is per thread (`state`, a `threading.local`): the graph
being built, the graph stack, the gradient tapes, the TF-1 default graph. One thread tracing
never turns another thread's eager ops symbolic, and a tape records only its own thread's ops.
Switches are process-wide (`process`), as TF's are: the global random seed and its op-seed
counter, `run_functions_eagerly`, `check_generated_code`, `disable_eager_execution`.

Every eager op asks "is this thread building a graph or recording a tape?". Reading a
thread-local attribute costs about three times a plain one, so the hot paths read
`process.all_eager` first: True while no thread at all builds a graph or records a tape (the
common case), when the per-thread state need not be consulted. Changes of a thread's graph or
tapes go through `set_graph`, `push_tape`, `remove_tape` and `swap_tapes`, which keep the
flag right.
"""
import os
import sys
import threading
import warnings

__all__ = ["state", "process", "executing_eagerly", "user_location", "graph_mode",
           "init_scope", "set_graph", "push_tape", "remove_tape", "swap_tapes",
           "recording_tapes"]


class _Process:
    """Process-wide settings (TF keeps these global too)."""

    __slots__ = ("all_eager", "busy_threads", "run_functions_eagerly", "check_generated_code",
                 "global_seed", "op_seed_counter", "eager_generators", "graph_mode_default",
                 "lock")

    def __init__(self):
        self.all_eager = True           # no thread builds a graph or records a tape
        self.busy_threads = 0           # threads building a graph or recording a tape
        self.run_functions_eagerly = False
        self.check_generated_code = False  # compare compiled calls with the interpreter
        self.global_seed = None         # random.set_seed
        self.op_seed_counter = 0        # derives op seeds when only the global seed is set
        self.eager_generators = {}      # (global, op) seed pair -> numpy Generator
        # compat.v1.disable_eager_execution(): makes each thread's TF-1 default graph (each
        # thread has its own, as in TF); None while eager execution is enabled.
        self.graph_mode_default = None
        self.lock = threading.RLock()


process = _Process()


class _ThreadState(threading.local):
    """One thread's execution state; each thread starts with a fresh one."""

    def __init__(self):
        self.graph_stack = []         # graphs pushed by Graph.as_default()
        self.tapes = []               # active GradientTapes (autodiff)
        self.global_graph = None      # get_default_graph() while executing eagerly
        self.busy = None              # a _BusyMark while building a graph or taping
        make_default = process.graph_mode_default
        self.eager_disabled_graph = make_default() if make_default is not None else None
        self.graph = self.eager_disabled_graph  # the Graph being built, None when eager
        _note_busy(self)


def _note_busy(s):
    """Keep process.all_eager right after thread state `s` changed its graph or tapes."""
    busy = s.graph is not None or bool(s.tapes)
    if busy is (s.busy is not None):
        return
    with process.lock:
        if busy:
            s.busy = _BusyMark()
        else:
            s.busy = None  # the mark's __del__ uncounts the thread


class _BusyMark:
    """Counts its thread in process.busy_threads while it lives. It lives in the thread's
    state, so a thread that ends while building a graph or taping (its state is dropped)
    is uncounted too."""

    def __init__(self):
        with process.lock:
            process.busy_threads += 1
            _update_all_eager()

    def __del__(self):
        with process.lock:
            process.busy_threads -= 1
            _update_all_eager()


def _update_all_eager():
    process.all_eager = process.busy_threads == 0 and process.graph_mode_default is None


state = _ThreadState()


def set_graph(graph):
    """Make `graph` (None: eager) this thread's graph being built; returns the previous one."""
    s = state
    previous, s.graph = s.graph, graph
    _note_busy(s)
    return previous


def push_tape(tape):
    s = state
    s.tapes.append(tape)
    _note_busy(s)


def remove_tape(tape):
    s = state
    s.tapes.remove(tape)
    _note_busy(s)


def swap_tapes(tapes):
    """Replace this thread's active tapes by `tapes`; returns the previous list."""
    s = state
    previous, s.tapes = s.tapes, list(tapes)
    _note_busy(s)
    return previous


def recording_tapes():
    """This thread's active tapes (an empty list when none records)."""
    return () if process.all_eager else state.tapes


def set_graph_mode_default(make_graph):
    """compat.v1: `make_graph()` gives each thread its default graph (None: eager again)."""
    with process.lock:
        process.graph_mode_default = make_graph
        _update_all_eager()


def reset_thread_state():
    """This thread executes eagerly, with no tape, graph stack or TF-1 default graph."""
    s = state
    s.graph_stack.clear()
    s.eager_disabled_graph = None
    s.global_graph = None
    set_graph(None)
    swap_tapes([])


def executing_eagerly():
    """True when ops run at once (no graph is being built).

    >>> import autotrace as tf
    >>> tf.executing_eagerly()
    True
    """
    return process.all_eager or state.graph is None


class graph_mode:
    """Context manager: build ops into `graph` (used by Graph.as_default and tracing)."""

    __slots__ = ("_graph", "_saved")

    def __init__(self, graph):
        self._graph = graph

    def __enter__(self):
        state.graph_stack.append(self._graph)
        self._saved = set_graph(self._graph)
        return self._graph

    def __exit__(self, *exc):
        state.graph_stack.pop()
        set_graph(self._saved)
        return False


class init_scope:
    """Context manager: leave every graph being built and execute eagerly (TF's init_scope).

    Variables created during a trace are initialised here, once, not in the traced graph."""

    __slots__ = ("_saved",)

    def __enter__(self):
        self._saved = set_graph(None)
        return None

    def __exit__(self, *exc):
        set_graph(self._saved)
        return False


_PACKAGE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep
_GENERATED_PREFIX = "<autotrace"


def is_internal(filename):
    """True for autotrace's own files and the code it generates (not the user's)."""
    return filename.startswith(_PACKAGE_DIR) or filename.startswith(_GENERATED_PREFIX)



def user_frame(depth=1):
    """The innermost stack frame outside autotrace (the user's code), or None."""
    frame = sys._getframe(depth)
    while frame is not None and is_internal(frame.f_code.co_filename):
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


def outward(graph):
    """`graph`, then each graph enclosing it (a cond branch's or a loop body's outer graphs),
    out to the outermost."""
    while graph is not None:
        yield graph
        graph = getattr(graph, "outer_graph", None)
