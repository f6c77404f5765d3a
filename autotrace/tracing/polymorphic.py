"""`autotrace.function`: trace a Python function once per input signature, cache the traced
ConcreteFunctions, and explain every retrace.

>>> import autotrace as tf
>>> @tf.function
... def scale(x, factor):
...     return x * factor
>>> scale(tf.constant([1.0, 2.0]), 3.0).numpy()
array([3., 6.], dtype=float32)
>>> scale(tf.constant([5.0, 6.0]), 3.0).numpy()   # same dtype, shape and factor: no retrace
array([15., 18.], dtype=float32)
>>> scale(tf.constant([1.0, 2.0]), 4.0).numpy()   # a new Python value: a new trace
array([4., 8.], dtype=float32)
>>> scale.experimental_get_tracing_count()
2
>>> print(scale.trace_history())
trace 1: first call
trace 2: argument factor: Python float 3.0 -> 4.0; pass autotrace.constant(factor) to share one trace
"""
import collections
import contextlib
import functools
import re
import threading
import time
import traceback
import types
import weakref

from ..core import nest
from ..core.context import (graph_mode, is_internal,
                            ignore_numpy_float_warnings, process, recording_tapes,
                            state, warn_at_user_line)
from ..core.errors import TraceBudgetExceededError
from ..core.graph import Operation
from ..ops.constant_op import convert_to_tensor
from ..control_flow.subgraphs import _a
from ..core.tensor import EagerTensor, SymbolicTensor, Tensor
from ..core.tensor_shape import TensorSpec
from ..core.type_spec import CompositeTensor, TypeSpec
from .compilers import check_jit_compile, compile_concrete_function, effective_jit_compile
from .concrete import ConcreteFunction, FunctionSpec, tensor_arguments
from ..core.func_graph import FuncGraph
from .key_index import KeyIndex, shapes_erased
from .signature import (describe_key, explain_difference, fast_signature, generalize,
                        is_tensor_key, key_and_leaves, key_fits, spec_structure_key, trace_arguments)

__all__ = ["function", "Function", "tracing_inside", "RetracingWarning", "TraceRecord"]

WARN_TRACES, WARN_WINDOW, MAX_WARNINGS = 5, 10, 2


class RetracingWarning(UserWarning):
    """autotrace.function retraced often; the message says which arguments caused it."""


TraceRecord = collections.namedtuple("TraceRecord", "number signature reasons seconds")
CacheInfo = collections.namedtuple("CacheInfo", "entries hits misses traces")


class TraceHistory(list):
    """The traces of a Function, oldest first; prints one line per trace with its cause."""

    def __str__(self):
        return "\n".join("trace %d: %s" % (r.number, "; ".join(r.reasons)) for r in self)


class _Cache:
    """Traces of one Function (or of one instance, for methods).

    Safe to share between threads: a key is traced by one thread while later callers with
    the same key wait for that trace (`in_progress`); different keys trace in parallel.
    Lookups of finished traces take no lock."""

    def __init__(self, owner):
        self.owner = owner
        self.exact = {}          # key -> ConcreteFunction
        self.index = KeyIndex()  # the keys of `exact`, for explaining retraces
        self.by_signature = {}   # fast signature of a call -> ConcreteFunction (see signature)
        # Keys with unknown dimensions (reduce_retracing, TensorSpecs with None), grouped by
        # the key with shapes erased (only those can fit): [(key, ConcreteFunction)]
        self.general = {}
        self.history = TraceHistory()
        self.variable_traces = 0  # first traces that created variables (traced again)
        self.calls = 0
        self.trace_calls = collections.deque(maxlen=WARN_TRACES)
        self.warnings = 0
        self.lock = threading.RLock()  # guards the fields above while traces are added
        self.in_progress = {}    # key -> _TraceInProgress

    def lookup(self, key):
        cf = self.exact.get(key)
        if cf is not None:
            return cf
        if self.general:
            for general, cf in self.general.get(shapes_erased(key), ()):
                if key_fits(key, general):
                    return cf
        return None

    def check_variable_creation(self, variable, graph):
        """The first-call rule: variables may be created only during the first trace (the
        second trace of the first call, `graph.first_trace_variables`, may create none)."""
        reasons = graph.trace_reasons
        if graph.first_trace_variables:
            first = graph.first_trace_variables[0]
            raise ValueError(
                "%s creates a new Variable each time it is traced: its first trace created "
                "one (at %s), and the second trace that follows on the first call created "
                "another, at %s. A function decorated with autotrace.function may create "
                "variables only during its first trace (TensorFlow: \"tf.function only "
                "supports singleton tf.Variables created on the first call\"), so it traces "
                "twice when its first trace creates some, and the second must create none. "
                "Create the variable outside the function, or only once, e.g. `if self.v is "
                "None: self.v = autotrace.Variable(...)`."
                % (self.owner.describe(), first.location, variable.location))
        if self.history:
            raise ValueError(
                "%s created a Variable on a later trace (trace %d: %s). A function decorated "
                "with autotrace.function may create variables only during its first trace "
                "(TensorFlow: \"tf.function only supports singleton tf.Variables created on "
                "the first call\"); otherwise every new trace would make new variables. The "
                "variable was created at %s. Create it outside the function, or only once, "
                "e.g. `if self.v is None: self.v = autotrace.Variable(...)`."
                % (self.owner.describe(), len(self.history) + 1,
                   "; ".join(reasons), variable.location))

    def claim(self, key):
        """Wait until `key` is traced or no thread traces it. Returns its ConcreteFunction,
        or None when the caller must trace it (then it must call `release(key)` after)."""
        while True:
            with self.lock:
                cf = self.lookup(key)
                if cf is not None:
                    return cf
                running = self.in_progress.get(key)
                me = threading.get_ident()
                if running is None:
                    self.in_progress[key] = _TraceInProgress(me)
                    return None
                if running.thread == me:  # the trace asks for itself (get_concrete_function)
                    return None
            running.done.wait()  # then look again: a failed trace leaves the key to retry

    def release(self, key):
        with self.lock:
            running = self.in_progress.get(key)
            if running is None or running.thread != threading.get_ident():
                return
            del self.in_progress[key]
        running.done.set()


class _TraceInProgress:
    __slots__ = ("thread", "done")

    def __init__(self, thread):
        self.thread = thread
        self.done = threading.Event()


class _TraceViews:
    """What a Function and a bound method share: the call (`_function` runs with the trace
    cache `_cache`, the leading arguments `_prefix`), and views of the trace cache."""

    __slots__ = ()

    def __call__(self, *args, **kwargs):
        # The cached call of one tensor argument (a layer, a step) is the common case, so it
        # is handled here, in the frame of the call itself.
        function, cache = self._function, self._cache
        if process.run_functions_eagerly or not (process.all_eager or state.graph is None):
            return function._call_inline(self._prefix, args, kwargs)
        cache.calls += 1
        if function._one_tensor and len(args) == 1 and not kwargs:
            arg = args[0]
            if type(arg) is EagerTensor:
                value = arg._value
                cf = cache.exact.get(((value.dtype, value.shape),))
                if cf is not None:
                    return cf._call_flat([value], None if process.all_eager or not state.tapes
                                         else args)
        return function._call(cache, self._prefix, args, kwargs)

    def experimental_get_tracing_count(self):
        """How many times the function was traced: the traces kept, and (as TF counts them)
        the first traces that created variables and were followed by a second one."""
        return len(self._cache.history) + self._cache.variable_traces

    def trace_history(self):
        """Every trace so far with the reason it happened (which argument differed, how)."""
        return self._cache.history

    def cache_info(self):
        return _cache_info(self._cache)

    @property
    def concrete_functions(self):
        return list(self._cache.exact.values())

    def experimental_get_compiler_ir(self, *args, **kwargs):
        """The program XLA compiles for these arguments (as TF's): returns a function of
        `stage` ('hlo': before XLA's optimisations; 'optimized_hlo': after them) giving its
        text. Needs JAX; works with or without jit_compile.

        >>> import autotrace as tf
        >>> f = tf.function(lambda x: x * 2.0, jit_compile=True)
        >>> print(f.experimental_get_compiler_ir(tf.constant(1.0))(stage="hlo"))  # doctest: +SKIP
        HloModule jit__lowered, ...
        """
        concrete = self.get_concrete_function(*args, **kwargs)
        leaves = concrete._check_call(concrete._spec.bind(args, kwargs))
        compiled = getattr(concrete._fn, "compiler_ir", None) and concrete._fn
        if compiled is None:
            compiled = compile_concrete_function(concrete, True)

        def compiler_ir(stage="hlo", device_name=None, platform_name=None):
            return compiled.compiler_ir(leaves, stage)
        return compiler_ir

    def pretty_printed_concrete_signatures(self, verbose=True):
        """The signature of every trace, as TF prints them (one block per trace)."""
        return "\n\n".join(cf.pretty_printed_signature() for cf in self._cache.exact.values())


class Function(_TraceViews):
    """A Python function traced into graphs, one ConcreteFunction per input signature."""

    _autotrace_function = True  # converted code calls it as it is (it converts itself)

    def __init__(self, python_function, input_signature=None, autograph=True,
                 reduce_retracing=False, jit_compile=None, name=None, max_traces=None,
                 on_exceed="warn", experimental_relax_shapes=None, _is_method=False):
        if on_exceed not in ("warn", "raise"):
            raise ValueError("on_exceed must be 'warn' or 'raise', got %r" % (on_exceed,))
        self._python_function = python_function
        self._name = name or getattr(python_function, "__name__", type(python_function).__name__)
        self._autograph = autograph
        self._reduce_retracing = bool(reduce_retracing or experimental_relax_shapes)
        self._jit_compile = check_jit_compile(jit_compile)
        self._max_traces = max_traces
        self._on_exceed = on_exceed
        self._is_method = _is_method
        self._options = dict(input_signature=input_signature, autograph=autograph,
                             reduce_retracing=self._reduce_retracing, jit_compile=jit_compile,
                             name=name, max_traces=max_traces, on_exceed=on_exceed)
        self._method_function = None  # the per-instance variant, made on first `obj.method`
        self._spec = FunctionSpec(python_function, drop_first=_is_method)
        self._spec.signature_name = self._name
        self._input_signature = _normalize_signature(input_signature, self._spec)
        self._fast = self._spec.positional_only_fast and self._input_signature is None
        self._n_params = self._spec.n_params
        self._one_tensor = self._fast and self._n_params == 1
        self._function, self._prefix = self, ()  # as a bound method has (see _TraceViews)
        self._cache = _Cache(self)
        self._instance_caches = {}
        self._converted = None
        functools.update_wrapper(self, python_function, updated=())
        _note_function(self)

    # -- public API ------------------------------------------------------------------------
    @property
    def python_function(self):
        return self._python_function

    @property
    def input_signature(self):
        return self._input_signature

    @property
    def function_spec(self):
        return self._spec

    def describe(self):
        return "autotrace.function %s()" % self._name

    def get_concrete_function(self, *args, **kwargs):
        """The ConcreteFunction for these arguments (values or TensorSpecs), tracing if
        needed. With an input_signature and no arguments, the signature's."""
        return self._concrete(self._cache, (), args, kwargs)


    def __get__(self, instance, owner):
        """Accessed on an instance, a Function is a method: `self` is bound, not traced,
        and each instance gets its own trace cache."""
        if instance is None:
            return self
        method = self._method_function
        if method is None:
            method = self._method_function = Function(self._python_function, _is_method=True,
                                                      **self._options)
        entry = method._instance_caches.get(id(instance))
        if entry is not None and entry[0]() is instance:  # this instance's cache
            return BoundFunction(method, instance, entry[1])
        return BoundFunction(method, instance)

    def __repr__(self):
        return "<autotrace.function %s>" % self._name

    # -- calling ---------------------------------------------------------------------------
    def _call(self, cache, prefix, args, kwargs):
        """A call executing eagerly, counted already (see _TraceViews.__call__)."""
        if self._fast and not kwargs and len(args) == self._n_params:
            key, leaves = [], []
            for a in args:
                if type(a) is not EagerTensor:
                    break
                v = a._value
                key.append((v.dtype, v.shape))
                leaves.append(v)
            else:
                cf = cache.exact.get(tuple(key))
                if cf is not None:
                    return cf._call_flat(leaves, None if process.all_eager or not state.tapes
                                                    else args)
        values = self._spec.bind(args, kwargs)
        fast = fast_signature(values) if self._input_signature is None else None
        if fast is not None:
            cf = cache.by_signature.get(fast[0])
            if cf is not None:
                return cf._call_flat(fast[1], tensor_arguments(values) if recording_tapes()
                                     else None)
        key, leaves = self._key(values)
        cf = cache.lookup(key)
        if cf is None:
            cf = self._trace(cache, prefix, values, key)
        if fast is not None:
            cache.by_signature[fast[0]] = cf
        return cf._call_flat(leaves, tensor_arguments(values) if recording_tapes() else None)

    def _call_inline(self, prefix, args, kwargs):
        """Inside another trace (or with run_functions_eagerly): just run the Python code."""
        fn = self._python_function if process.run_functions_eagerly else self._traceable()
        return fn(*(prefix + tuple(args)), **kwargs)

    def _key(self, values):
        if self._input_signature is None:
            return key_and_leaves(values)
        return _key_from_signature(self, values)

    def _concrete(self, cache, prefix, args, kwargs):
        if not args and not kwargs and self._input_signature is not None:
            args = self._input_signature
        values = self._spec.bind(tuple(args), kwargs)
        key, _ = (key_and_leaves(values) if self._input_signature is None
                  else _key_from_signature(self, values, specs_ok=True))
        cf = cache.lookup(key)
        if cf is None:
            cf = self._trace(cache, prefix, values, key)
        return cf

    # -- tracing ---------------------------------------------------------------------------
    def _traceable(self):
        """The function to trace: AutoGraph-converted when autograph=True."""
        if self._converted is None:
            self._converted = _convert(self._python_function, self._autograph)
        return self._converted

    def _autograph_status(self):
        if not self._autograph:
            return "off"
        from ..autograph.loader import why_not_converted
        self._traceable()
        if self._converted is not self._python_function:
            return "converted"
        return why_not_converted(self._python_function) or "converted"

    def _trace(self, cache, prefix, values, key):
        """The ConcreteFunction for `key`, traced once even when many threads ask at once."""
        cf = cache.claim(key)
        if cf is not None:
            return cf
        try:
            return self._trace_now(cache, prefix, values, key)
        finally:
            cache.release(key)

    def _trace_now(self, cache, prefix, values, key):
        with cache.lock:
            reasons = _reasons(cache, key, self._spec.names, self._reduce_retracing)
            if self._reduce_retracing and cache.exact:
                key = _generalised(cache, key)
        self._check_budget(cache, reasons)
        started = time.perf_counter()
        ignore_numpy_float_warnings()
        graph, trace_args = self._trace_graph(cache, prefix, values, key, reasons)
        if graph.created_variables and not cache.history:
            # The first trace made variables: trace once more, as TensorFlow does on the first
            # call, and keep that trace. It must make none (a function that creates a
            # variable each time it runs is refused now, not at some later retrace).
            graph, trace_args = self._trace_graph(cache, prefix, values, key, reasons,
                                                  graph.created_variables)
            with cache.lock:
                cache.variable_traces += 1
        with cache.lock:  # numbered and published in one step; compiling is quick
            number = len(cache.history) + 1
            cf = ConcreteFunction(graph, self._spec, key, "%s_%d" % (self._name, number)
                                  if number > 1 else self._name, trace_args,
                                  jit_compile=effective_jit_compile(self._jit_compile))
            cache.exact[key] = cf
            cache.index.add(key)
            if any(isinstance(k, TypeSpec) or k[1] is None or None in k[1]
                   for k in _tensor_keys(key)):
                cache.general.setdefault(shapes_erased(key), []).append((key, cf))
            seconds = time.perf_counter() - started
            cache.history.append(TraceRecord(number, _signature_text(self._spec, key),
                                             reasons, seconds))
            self._after_trace(cache)
        return cf

    def _trace_graph(self, cache, prefix, values, key, reasons, first_trace_variables=()):
        """One trace of the function for `key`: (the finished FuncGraph, its arguments)."""
        enclosing, _ENCLOSING.graph = _ENCLOSING.graph, None  # for this trace only
        graph = FuncGraph(self._name, outer_graph=enclosing, creator=cache)
        graph.trace_reasons = reasons
        graph.first_trace_variables = first_trace_variables
        graph.autograph = self._autograph_status()
        with graph_mode(graph):
            trace_args = trace_arguments(values, key, self._spec.names, graph)
            try:
                outputs = self._spec.call_with(self._traceable(), trace_args, prefix)
            except RecursionError as exc:
                raise _explained_recursion(self, exc) from None
            structured = nest.map_structure(_output_leaf, outputs) if outputs is not None \
                else None
        graph.structured_outputs = structured
        graph.outputs = [t for t in nest.flatten(structured, expand_composites=True)
                         if isinstance(t, SymbolicTensor)]
        graph.finished = True
        return graph, trace_args

    def _check_budget(self, cache, reasons):
        if self._max_traces is None or len(cache.history) < self._max_traces:
            return
        message = ("%s needs trace %d, beyond its budget of max_traces=%d: %s"
                   % (self.describe(), len(cache.history) + 1, self._max_traces,
                      "; ".join(reasons)))
        if self._on_exceed == "raise":
            raise TraceBudgetExceededError(message)
        warn_at_user_line(message, RetracingWarning)

    def _after_trace(self, cache):
        cache.trace_calls.append(cache.calls)
        if (len(cache.trace_calls) == WARN_TRACES and cache.warnings < MAX_WARNINGS
                and cache.calls - cache.trace_calls[0] < WARN_WINDOW):
            cache.warnings += 1
            recent = cache.history[-WARN_TRACES:]
            warn_at_user_line(
                "%s was traced %d times in its last %d calls. Tracing is slow; each trace "
                "and its cause:\n%s\nSee .trace_history() for all traces. (Shown at most "
                "%d times per function.)" % (
                    self.describe(), WARN_TRACES, min(WARN_WINDOW, cache.calls),
                    "\n".join("  trace %d: %s" % (r.number, "; ".join(r.reasons))
                              for r in recent), MAX_WARNINGS),
                RetracingWarning)


class BoundFunction(_TraceViews):
    """A Function bound to an instance (a method): one trace cache per instance, held
    weakly by the Function; the bound object holds the instance, so calls never fail."""

    __slots__ = ("_function", "_instance", "_prefix", "_cache", "__weakref__")

    def __init__(self, function, instance, cache=None):
        self._function = function
        self._instance = instance
        self._prefix = (instance,)
        self._cache = cache if cache is not None else _instance_cache(function, instance)

    def get_concrete_function(self, *args, **kwargs):
        return self._function._concrete(self._cache, (self._instance,), args, kwargs)

    @property
    def python_function(self):
        return self._function.python_function

    @property
    def input_signature(self):
        return self._function.input_signature

    def __repr__(self):
        return "<bound autotrace.function %s of %r>" % (self._function._name, self._instance)


def _instance_cache(function, instance):
    caches = function._instance_caches
    entry = caches.get(id(instance))
    if entry is not None and entry[0]() is instance:
        return entry[1]
    with function._cache.lock:  # two threads binding the same new instance share one cache
        entry = caches.get(id(instance))
        if entry is not None and entry[0]() is instance:
            return entry[1]
        return _new_instance_cache(function, instance, caches)


def _new_instance_cache(function, instance, caches):
    cache = _Cache(function)
    try:
        ref = weakref.ref(instance, lambda _, key=id(instance): caches.pop(key, None))
    except TypeError:  # no weak references: keep the instance (and its traces) alive
        ref = _StrongRef(instance)
    caches[id(instance)] = (ref, cache)
    return cache


class _StrongRef:
    def __init__(self, obj):
        self._obj = obj

    def __call__(self):
        return self._obj


# -- helpers ---------------------------------------------------------------------------------

# The functions AutoGraph generates for branches and loop bodies.
_GENERATED_NAME = re.compile(r"(if_true|if_false|loop_body|loop_test|extra_test)(_\d+)?$")


def _explained_recursion(function, exc):
    """Python's RecursionError while tracing, explained: which user function calls itself,
    where (the user frame that repeats most in the traceback)."""
    if getattr(exc, "explained", False):
        return exc
    frames = [f for f in traceback.extract_tb(exc.__traceback__)
              if not is_internal(f.filename)]
    names = collections.Counter(f.name for f in frames if not _GENERATED_NAME.match(f.name))
    if not names:
        return exc
    name = names.most_common(1)[0][0]
    calls = collections.Counter((caller.filename, caller.lineno) for caller, callee
                                in zip(frames, frames[1:]) if callee.name == name)
    if not calls:
        return exc
    (filename, line), _ = calls.most_common(1)[0]
    error = RecursionError(
        "%s: tracing recursed without end (maximum recursion depth exceeded): %s calls itself "
        "at %s:%d, and the recursion does not stop while tracing. A recursion that a tensor "
        "condition ends never ends in a trace: tracing runs both branches of a tensor `if`, "
        "the recursive call included (TensorFlow fails here too). Write it as a loop (a "
        "`while` on tensors, which becomes a graph loop), or end the recursion with a Python "
        "value." % (function.describe(), name, filename, line))
    error.explained = True
    return error


def _output_leaf(value):
    """What a traced function's output leaf becomes: an Identity of a tensor of the function's
    graph for tensors and Variables (TF's traced graphs end in Identity ops, `Identity:0`...;
    the optimiser drops them); None for ops; composites as they are; Python numbers, strings
    and arrays become constant tensors, as in TensorFlow; other objects are an error."""
    out = _output_tensor(value)
    if isinstance(out, SymbolicTensor):
        from ..ops.array_ops import identity
        return identity(out)
    return out


def _output_tensor(value):
    if isinstance(value, types.GeneratorType):
        raise _generator_error(value)
    if isinstance(value, Tensor) or getattr(value, "_autotrace_variable", False):
        return state.graph.graph_tensor(value)
    if isinstance(value, CompositeTensor):  # components become tensors of this graph
        spec = value._type_spec
        return spec._from_flat_components([state.graph.graph_tensor(part)
                                           for part in spec._flat_components(value)])
    if isinstance(value, Operation) or value is None:
        return None
    try:  # Python numbers, strings and arrays become tensors, as in TensorFlow
        return state.graph.graph_tensor(convert_to_tensor(value))
    except (TypeError, ValueError):
        raise TypeError(
            "%s returned %r (a %s), which is not a tensor and cannot become one. A function "
            "traced by autotrace.function returns tensors, Python numbers, strings, arrays "
            "and None, in any nest of lists, tuples and dicts; keep other objects outside the "
            "function." % (state.graph.name, value, type(value).__name__)) from None


class GeneratorFunctionError(TypeError, NotImplementedError):
    """autotrace.function was given a generator function. A NotImplementedError (AutoGraph
    does not convert generators) and the TypeError TensorFlow raises for its result."""


def _generator_error(generator):
    code = generator.gi_code
    return GeneratorFunctionError(
        "%s is a generator function (it yields, at %s:%d): autotrace.function traces "
        "functions that return tensors, and AutoGraph does not convert generators "
        "(TensorFlow: \"generators are not supported\"). Return a list or a stacked tensor "
        "instead of yielding, or iterate the generator outside the function."
        % (code.co_name, code.co_filename, code.co_firstlineno))


class _Enclosing(threading.local):
    graph = None


_ENCLOSING = _Enclosing()


@contextlib.contextmanager
def tracing_inside(graph):
    """Traces made in this block (by `get_concrete_function`) may read tensors of `graph`,
    the function graph being built: they become captured inputs of the ConcreteFunction
    (`graph.captures`), which its caller passes after the arguments (`call_flat`). This is
    how dataset functions defined inside a traced function use its tensors, as in TF."""
    saved, _ENCLOSING.graph = _ENCLOSING.graph, graph
    try:
        yield
    finally:
        _ENCLOSING.graph = saved


def _tensor_keys(key):
    for k in key:
        if is_tensor_key(k) or isinstance(k, TypeSpec):
            yield k
        elif type(k) is tuple and k and k[0] in ("list", "tuple", "namedtuple", "dict"):
            children = k[-1]
            if k[0] == "dict":
                children = [c for _, c in children]
            yield from _tensor_keys(children)


def _reasons(cache, key, names, relaxing):
    """Why `key` needs a new trace: its differences from the nearest earlier key (found by
    the cache's index, in constant time)."""
    if not cache.history:
        return ["first call"]

    def differences(old):
        reasons = []
        for name, new_k, old_k in zip(names, key, old):
            reasons += explain_difference(name, new_k, old_k, relaxing)
        return reasons
    _, best = cache.index.nearest(key, differences)
    return best or ["a new signature"]


def _generalised(cache, key):
    """reduce_retracing: the most specific key that covers this call and the most recent
    earlier one it can be generalised with."""
    old = cache.index.latest_generalizable(key)
    general = generalize(key, old) if old is not None else None
    return key if general is None else general


def _signature_text(spec, key):
    return "(%s)" % ", ".join("%s: %s" % (n, describe_key(k)) for n, k in zip(spec.names, key))


def _cache_info(cache):
    traces = [(r.signature, r.seconds) for r in cache.history]
    return CacheInfo(len(cache.exact), cache.calls - len(cache.history), len(cache.history),
                     traces)


def _normalize_signature(input_signature, spec):
    if input_signature is None:
        return None
    signature = tuple(input_signature)
    for leaf in nest.flatten(list(signature)):
        if not isinstance(leaf, (TensorSpec, TypeSpec)):
            raise TypeError("input_signature must contain only TensorSpecs (or TypeSpecs such "
                            "as RaggedTensorSpec), got %r" % (leaf,))
    if len(signature) > spec.n_params and not any(k.name == "VAR_POSITIONAL"
                                                   for k in spec.kinds):
        raise TypeError("input_signature has %d entries but the function takes %d arguments"
                        % (len(signature), spec.n_params))
    return signature


def _key_from_signature(function, values, specs_ok=False):
    """Fit the call to the input_signature: convert, check, and return (key, leaves)."""
    signature = function._input_signature
    keys, leaves = [], []
    for i, (name, value) in enumerate(zip(function._spec.names, values)):
        if i >= len(signature):  # parameters beyond the signature are keyed as usual
            key, extra = key_and_leaves([value])
            keys.append(key[0])
            leaves.extend(extra)
            continue
        spec = signature[i]
        if isinstance(spec, TypeSpec):
            leaves.extend(_fit_type_spec(function, name, spec, value, specs_ok))
            keys.append(spec)
            continue
        if isinstance(spec, TensorSpec):  # the whole value (a list too) is one tensor
            leaves.append(_fit_spec(function, name, spec, value, specs_ok))
            keys.append(spec_structure_key(spec))
            continue
        try:
            nest.assert_same_structure(spec, value, check_types=False)
        except (ValueError, TypeError):
            raise TypeError("%s: argument %s does not match the input_signature %r; got %r"
                            % (function.describe(), name, spec, value)) from None
        for s, v in zip(nest.flatten(spec), nest.flatten(value)):
            if isinstance(s, TypeSpec):
                leaves.extend(_fit_type_spec(function, name, s, v, specs_ok))
            else:
                leaves.append(_fit_spec(function, name, s, v, specs_ok))
        keys.append(spec_structure_key(spec))
    return tuple(keys), leaves


def _fit_type_spec(function, name, spec, value, specs_ok):
    """The component values of a composite argument that fits its input_signature TypeSpec."""
    got = value if isinstance(value, TypeSpec) else getattr(value, "_type_spec", None)
    if isinstance(value, TypeSpec) and not specs_ok:
        got = None
    if got is None or not got.is_subtype_of(spec):
        raise TypeError("%s: argument %s does not fit its input_signature: expected %r, got %s"
                        % (function.describe(), name, spec,
                           repr(got) if got is not None else repr(value)))
    if isinstance(value, TypeSpec):
        return [None] * len(spec._flat_tensor_specs())
    parts = got._flat_components(value)
    if any(isinstance(p, SymbolicTensor) for p in parts):
        raise TypeError("%s: argument %s is a symbolic tensor" % (function.describe(), name))
    return [p._value for p in parts]


def _fit_spec(function, name, spec, value, specs_ok):
    if specs_ok and isinstance(value, TensorSpec):
        if not spec.shape.is_compatible_with(value.shape) or spec.dtype != value.dtype:
            raise TypeError("%s: argument %s: %r does not fit the input_signature's %r"
                            % (function.describe(), name, value, spec))
        return None
    if isinstance(value, SymbolicTensor):
        raise TypeError("%s: argument %s is a symbolic tensor" % (function.describe(), name))
    try:
        tensor = convert_to_tensor(value, spec.dtype) if not isinstance(value, EagerTensor) \
            else value
    except (TypeError, ValueError):
        tensor = None
    if tensor is None or tensor.dtype != spec.dtype or not spec.shape.is_compatible_with(
            tensor.shape):
        got = ("%s tensor of shape %s" % (_a(tensor.dtype.name), tensor.shape)
               if tensor is not None else repr(value))
        raise TypeError("%s: argument %s does not fit its input_signature: expected %r, got %s"
                        % (function.describe(), name, spec, got))
    return tensor._value


def _convert(python_function, autograph):
    """The function to trace: AutoGraph-converted when autograph=True."""
    if not autograph:
        return python_function
    from .. import autograph as ag
    return ag.convert_for_function(python_function)


_FUNCTIONS_BY_CODE = collections.defaultdict(int)  # (file, line, name) -> wrappers made


def _note_function(function):
    """Warn once when the same Python function is wrapped again and again (e.g. by calling
    autotrace.function inside a loop): each wrapper traces anew."""
    code = getattr(function._python_function, "__code__", None)
    if code is None or is_internal(code.co_filename):  # autotrace's own wrappers
        return
    # Keyed by place, not by code object: equal code in two files compares equal.
    key = (code.co_filename, code.co_firstlineno, code.co_name)
    _FUNCTIONS_BY_CODE[key] += 1
    if _FUNCTIONS_BY_CODE[key] == 10:
        warn_at_user_line(
            "autotrace.function was applied to %s (%s:%d) 10 times. Each call of "
            "autotrace.function makes a new Function with an empty trace cache, so every "
            "wrapper traces again. Decorate the function once, outside loops."
            % (function._name, code.co_filename, code.co_firstlineno), RetracingWarning)


def function(func=None, input_signature=None, autograph=True, reduce_retracing=False,
             jit_compile=None, name=None, experimental_relax_shapes=None, max_traces=None,
             on_exceed="warn", experimental_autograph_options=None, **unsupported):
    """Compile a Python function into graphs: `@function`, `@function(...)` or
    `function(f, ...)`.

    Args:
      input_signature: TensorSpecs fixing the argument types (None dims allowed): one trace.
      autograph: convert Python `if`/`while`/`for` on tensors into graph control flow.
      reduce_retracing: after a second shape, trace a generalised (None-dimension) version.
        `experimental_relax_shapes` is an alias.
      jit_compile: True compiles each trace with XLA through JAX (the `jax` extra:
        pip install 'autotrace[jax]'); ops XLA cannot run are an error naming the op.
        "auto" compiles when it can, else warns and runs the NumPy code. See docs/jit.md.
      max_traces, on_exceed: a budget of traces; past it, 'warn' (default) or 'raise'.
      experimental_autograph_options: autograph.experimental.Feature values (checked; the
        features they name are always on in autotrace's AutoGraph).
    """
    if unsupported:
        raise TypeError("autotrace.function got unexpected arguments: %s"
                        % ", ".join(sorted(unsupported)))
    from .. import autograph as ag
    ag.check_features(experimental_autograph_options)
    options = dict(input_signature=input_signature, autograph=autograph,
                   reduce_retracing=reduce_retracing, jit_compile=jit_compile, name=name,
                   experimental_relax_shapes=experimental_relax_shapes,
                   max_traces=max_traces, on_exceed=on_exceed)
    if func is None:
        return lambda f: _wrap(f, options)
    return _wrap(func, options)


def _wrap(func, options):
    if isinstance(func, staticmethod):
        return staticmethod(Function(func.__func__, **options))
    if isinstance(func, classmethod):
        return _ClassMethod(Function(func.__func__, _is_method=True, **options))
    if isinstance(func, Function):
        return func
    return Function(func, **options)


class _ClassMethod:
    def __init__(self, function):
        self._function = function

    def __get__(self, instance, owner):
        return BoundFunction(self._function, owner)
