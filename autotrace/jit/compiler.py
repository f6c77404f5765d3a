"""A ConcreteFunction compiled with XLA: its optimised graph lowered to JAX and jax.jit-ed,
with variables passed in and written back, and random keys carried from call to call.

The call path is kept thin: flat NumPy arguments in; the device copy of each variable reused
while the variable still holds the value this function wrote; outputs returned as NumPy
views of the results (no copies on CPU).

JAX is imported here, when the first function is compiled, never when autotrace is imported.
Tensors keep their dtypes: the compiled code runs with JAX's 64-bit types enabled (within
each call only), so float64 and int64 stay 64-bit while float32 stays float32.
"""
import contextlib
import threading

import numpy as np

from ..core.context import warn_at_user_line
from .unsupported import XlaCompilationError, unsupported_op_error

__all__ = ["compile_concrete_function", "XlaFunction", "JitFallbackWarning", "import_jax",
           "INSTALL_HINT", "placed"]

INSTALL_HINT = "pip install 'autotrace[jax]'"


class JitFallbackWarning(UserWarning):
    """jit_compile='auto' could not compile a function with XLA and runs it as NumPy code."""


def import_jax():
    """The jax module, or an ImportError that says how to install it."""
    try:
        import jax
    except ImportError:
        raise ImportError("autotrace.function(jit_compile=True) compiles with XLA through JAX, "
                          "which is not installed. Install it with: %s" % INSTALL_HINT) \
            from None
    return jax


def compile_concrete_function(concrete, fallback=False):
    """The callable running `concrete` with XLA (the compiler registered as "xla")."""
    try:
        return XlaFunction(concrete, fallback)
    except (XlaCompilationError, ImportError) as err:
        if not fallback:
            raise
        return _fall_back(concrete, err)


def _fall_back(concrete, err):
    reason = getattr(err, "reason", str(err))
    where = getattr(getattr(err, "op", None), "location", None)
    warn_at_user_line("autotrace.function(jit_compile='auto'): %s runs as NumPy code because "
                      "XLA cannot compile it: %s%s" % (concrete.name, reason, "" if where is None
                                                        else " (created at %s)" % where),
                      JitFallbackWarning)
    return concrete._compiled.fn


_PLACEMENT = threading.local()


@contextlib.contextmanager
def placed(placement):
    """Calls of compiled functions inside put their values where `placement` says (its
    `input(array)` and `variable(array)` give the device arrays): autotrace.distribute."""
    saved = getattr(_PLACEMENT, "current", None)
    _PLACEMENT.current = placement
    try:
        yield
    finally:
        _PLACEMENT.current = saved


class XlaFunction:
    """Calls run the jax.jit-compiled lowering of a ConcreteFunction's optimised graph."""

    def __init__(self, concrete, fallback=False):
        self._jax = jax = import_jax()
        from . import lowerings, lowering
        from .lower_state import initial_key
        self._lowering = lowering
        graph = concrete.optimized_graph
        check_lowerable(graph, lowerings.LOWERINGS)
        self._concrete = concrete
        self._graph = graph
        self._fallback = fallback
        self._numpy_fn = None  # set when 'auto' falls back at the first call
        self.variables = _variables(graph, lowering)
        self._written = lowering.written_state(graph)
        self._var_keys = [("var", id(v)) for v in self.variables]
        self._written_vars = [(i, v) for i, (v, key) in
                              enumerate(zip(self.variables, self._var_keys))
                              if key in self._written]
        self._streams = [key for key in self._written if key[0] == "rng"]
        with jax.enable_x64(True):
            self._keys = [initial_key(stream[1]) for stream in self._streams]
        self._device_values = [None] * len(self.variables)  # (NumPy value, device array)
        # Calls that read and write state (variables, random keys) run one at a time: two
        # threads must not draw the same random numbers or lose an update.
        self._lock = threading.Lock() if self._written else contextlib.nullcontext()
        self._jitted = jax.jit(_named(self._lowered, concrete.name))

    # -- what jax.jit traces -------------------------------------------------------------------
    def _lowered(self, args, variable_values, keys):
        lowering = self._lowering
        state = dict(zip(self._var_keys, variable_values))
        state.update(zip(self._streams, keys))
        lw = lowering.Lowering(state, self._written, lowering.Session())
        outputs = lowering.lower_graph(self._graph, list(args), lw)
        written = [lw.state[self._var_keys[i]] for i, _ in self._written_vars]
        return outputs, written, [lw.state[k] for k in self._streams]

    # -- calling -------------------------------------------------------------------------------
    def __call__(self, *args):
        if self._numpy_fn is not None:
            return self._numpy_fn(*args)
        with self._lock:
            return self._call(args)

    def _call(self, args):
        args, values = self._arguments(args)
        jax = self._jax
        try:
            with jax.enable_x64(True):
                outputs, written, self._keys = self._jitted(args, values, self._keys)
        except jax.errors.JaxRuntimeError:
            from .lower_state import take_host_failure
            error = take_host_failure()
            if error is None:
                raise
            raise error from None
        except XlaCompilationError as err:
            if not self._fallback:
                raise
            self._numpy_fn = _fall_back(self._concrete, err)
            return self._numpy_fn(*args)
        for (i, variable), value in zip(self._written_vars, written):
            array = np.asarray(value)
            variable._write_eager_value(array)
            self._device_values[i] = (array, value)
        return tuple(np.asarray(o) for o in outputs)

    def _arguments(self, args):
        """The call's arguments and variable values, where the current placement puts them."""
        placement = getattr(_PLACEMENT, "current", None)
        if placement is not None:
            args = tuple(placement.input(a) for a in args)
        return args, [self._device_value(i, v, placement)
                      for i, v in enumerate(self.variables)]

    def _device_value(self, i, variable, placement=None):
        """The variable's value for the call: the device array this function last wrote when
        the variable still holds it (no copy) and it is placed as wanted, else its NumPy value
        (placed)."""
        value = variable._read_eager_value()
        known = self._device_values[i]
        if known is not None and known[0] is value and (
                placement is None or placement.holds(known[1])):
            return known[1]
        if placement is None:
            return value
        device_value = placement.variable(value)
        self._device_values[i] = (value, device_value)
        return device_value

    def compiler_ir(self, args, stage="hlo"):
        """The program XLA compiles for these argument values: 'hlo' (StableHLO text, before
        XLA's optimisations) or 'optimized_hlo' (after them)."""
        args, values = self._arguments(tuple(args))
        with self._jax.enable_x64(True):
            lowered = self._jitted.lower(args, values, self._keys)
            if stage == "hlo":
                return lowered.as_text(dialect="hlo")
            if stage == "optimized_hlo":
                return lowered.compile().as_text()
        raise ValueError("stage must be 'hlo' or 'optimized_hlo', got %r" % (stage,))


def _named(method, name):
    """A function calling `method`, named `name` (XLA names its program after it)."""
    def call(args, variable_values, keys):
        return method(args, variable_values, keys)
    call.__name__ = call.__qualname__ = "".join(c if c.isalnum() else "_" for c in name)
    return call


def check_lowerable(graph, table):
    """Raise XlaCompilationError naming the first op (in any sub-graph) without a lowering,
    or an output XLA cannot return."""
    from .lowering import walk_ops
    for op in walk_ops(graph):
        if op.type not in table:
            raise unsupported_op_error(op)
    for t in graph.outputs:
        if t.dtype.is_string:
            raise XlaCompilationError(
                "autotrace.function(jit_compile=True) cannot return %s, a string tensor: XLA "
                "has no string type" % t.name, op=t.op)


def _variables(graph, lowering):
    """The variables the graph uses, in a fixed order."""
    found = {}
    for op in lowering.walk_ops(graph):
        if op.type == "VarHandleOp":
            variable = op.attrs["variable"].variable
            found.setdefault(id(variable), variable)
    return list(found.values())
