"""ConcreteFunction: one traced graph, optimised and compiled, callable with tensors.

>>> import autotrace as tf
>>> @tf.function
... def f(x):
...     return x * 2.0 + 1.0
>>> cf = f.get_concrete_function(tf.TensorSpec([3], tf.float32))
>>> cf(tf.constant([1.0, 2.0, 3.0])).numpy()
array([3., 5., 7.], dtype=float32)
"""
import collections
import inspect

import numpy as np

from ..core import dtypes, nest
from ..core.context import process, recording_tapes, state
from ..core.errors import InvalidArgumentError, OpError
from ..execution.codegen import compile_graph
from ..execution.interpreter import run_graph
from ..execution.passes import optimize
from ..ops.constant_op import to_numpy
from ..ops.runtime import FunctionRuntime
from ..core.tensor import EagerTensor, SymbolicTensor, Tensor
from ..core.tensor_shape import TensorShape, TensorSpec
from ..core.func_graph import FuncGraph
from ..core.type_spec import CompositeTensor, TypeSpec
from .differential import call_checked
from .compilers import compile_concrete_function
from .inline import call_in_graph
from .signature import describe_key, is_tensor_key, key_and_leaves, key_fits

__all__ = ["ConcreteFunction", "FunctionSpec", "FunctionRuntime"]


class FunctionSpec:
    """How a Python function binds its arguments (with defaults applied)."""

    def __init__(self, python_function=None, drop_first=False, signature=None):
        if signature is None:
            signature = inspect.signature(python_function)
        params = list(signature.parameters.values())
        if drop_first:
            params = params[1:]
        self.signature = signature.replace(parameters=params)
        self.names = [p.name for p in params]
        self.kinds = [p.kind for p in params]
        # Plain positional parameters without defaults: calls can skip inspect's binding.
        self.positional_only_fast = all(
            p.kind == p.POSITIONAL_OR_KEYWORD and p.default is p.empty for p in params)
        self.n_params = len(params)

    def bind(self, args, kwargs):
        """Values per parameter (a tuple for *args, a dict for **kwargs)."""
        if not kwargs and len(args) == self.n_params and self.positional_only_fast:
            return args
        try:
            bound = self.signature.bind(*args, **kwargs)
        except TypeError as exc:
            raise TypeError("%s%s: %s" % (self.signature_name, self.signature, exc)) from None
        bound.apply_defaults()
        return tuple(bound.arguments[name] for name in self.names)

    signature_name = "function"

    def call_with(self, python_function, values, prefix=()):
        """Call `python_function` with per-parameter `values` (and leading `prefix` args)."""
        args, kwargs = list(prefix), {}
        for name, kind, value in zip(self.names, self.kinds, values):
            if kind == inspect.Parameter.VAR_POSITIONAL:
                args.extend(value)
            elif kind == inspect.Parameter.VAR_KEYWORD:
                kwargs.update(value)
            elif kind == inspect.Parameter.KEYWORD_ONLY:
                kwargs[name] = value
            else:
                args.append(value)
        return python_function(*args, **kwargs)


class ConcreteFunction:
    """A traced graph with a fixed input signature; calls run its compiled code."""

    def __init__(self, graph, spec, key, name, trace_args, jit_compile=None):
        self.graph = graph
        self.name = name
        self._spec = spec
        self._key = key
        self._trace_args = trace_args
        self._runtime = FunctionRuntime()
        self.optimized_graph = optimize(graph, FuncGraph(name + "_optimized"))
        if process.check_generated_code:  # the test suite's check of tracing and optimising
            graph.verify()
            self.optimized_graph.verify()
        self._compiled = compile_graph(self.optimized_graph, name, self._runtime)
        self._fn = self._compiled.fn
        self._jit_compile = jit_compile
        if jit_compile:
            self._fn = compile_concrete_function(self, jit_compile)
        self._single_output = isinstance(graph.structured_outputs, SymbolicTensor)  # fast path
        self._output_template = nest.flatten(graph.structured_outputs)
        self._replayable = None  # may the differential check run a call twice? (on first use)

    # -- inspection ------------------------------------------------------------------------
    @property
    def inputs(self):
        return list(self.graph.inputs)

    @property
    def outputs(self):
        return list(self.graph.outputs)

    @property
    def structured_outputs(self):
        return self.graph.structured_outputs

    @property
    def structured_input_signature(self):
        """(positional args, keyword-only args): TensorSpecs for tensors, values otherwise."""
        specs = nest.map_structure(_spec_of, list(self._trace_args))
        args, kwargs = [], {}
        for name, kind, value in zip(self._spec.names, self._spec.kinds, specs):
            if kind == inspect.Parameter.KEYWORD_ONLY:
                kwargs[name] = value
            elif kind == inspect.Parameter.VAR_KEYWORD:
                kwargs.update(value)
            elif kind == inspect.Parameter.VAR_POSITIONAL:
                args.extend(value)
            else:
                args.append(value)
        return tuple(args), kwargs

    @property
    def variables(self):
        return tuple(v for v, _ in self.graph._variable_handles.values())

    @property
    def trainable_variables(self):
        return tuple(v for v in self.variables if v.trainable)

    @property
    def captured_inputs(self):
        """Eager tensors (captured by value) and variable handles the graph uses."""
        tensors = [t for t, _ in self.graph._captured_constants.values()]
        return tensors + [v._handle for v in self.variables]

    @property
    def generated_source(self):
        """The Python source the optimised graph was compiled to."""
        return self._compiled.source

    def pretty_printed_signature(self, verbose=True):
        lines = ["Input Parameters:"]
        for name, kind, value in zip(self._spec.names, self._spec.kinds, self._trace_args):
            lines.append("  %s (%s): %s" % (name, kind.name,
                                             _describe_input(value, named=False)))
        if not self._spec.names:
            lines.append("  None")
        lines.append("Output Type:")
        lines.append("  " + _type_text(_output_type(self.graph.structured_outputs)))
        lines.append("Captures:")
        captures = self.captured_inputs
        if not captures:
            lines.append("  None")
        for t in captures:
            lines.append("  " + (describe_key((t._value.dtype, t._value.shape))
                                 if not hasattr(t._value, "variable")
                                 else "resource handle of %s" % t._value.variable.name))
        return "\n".join(lines)

    def export_python(self, path):
        """Write this function as standalone Python: `path` (a .py file) and the .npz of
        its arrays next to it, which run with NumPy alone (no autotrace). The file holds the
        generated code and the autotrace kernels it calls; variables keep their current
        values (`module.variables`). Returns (the .py path, the .npz path).

        >>> import autotrace as tf, tempfile, os, importlib.util
        >>> @tf.function
        ... def f(x):
        ...     return tf.reduce_sum(x * 2.0)
        >>> path = os.path.join(tempfile.mkdtemp(), "double_sum.py")
        >>> _ = f.get_concrete_function(tf.TensorSpec([3])).export_python(path)
        >>> spec = importlib.util.spec_from_file_location("double_sum", path)
        >>> module = importlib.util.module_from_spec(spec); spec.loader.exec_module(module)
        >>> float(module.f([1.0, 2.0, 3.0]))
        12.0
        """
        from .standalone import export_python
        return export_python(self, path)

    def to_dot(self, optimized=False):
        """Graphviz DOT text of the traced graph, or of the optimised one."""
        from ..core.visualize import to_dot
        return to_dot(self.optimized_graph) if optimized else to_dot(self)

    def _repr_svg_(self):  # Jupyter: a picture when Graphviz is installed
        from ..core.visualize import repr_svg
        return repr_svg(self)

    def _repr_html_(self):  # Jupyter without Graphviz: the printed graph
        from ..core.visualize import repr_html
        return repr_html(self)

    def __repr__(self):
        return "<ConcreteFunction %s(%s)>" % (self.name, ", ".join(
            "%s: %s" % (n, describe_key(k)) for n, k in zip(self._spec.names, self._key)))

    def __str__(self):
        """As TF prints one: `ConcreteFunction Input Parameters: ...`."""
        return "ConcreteFunction " + self.pretty_printed_signature()

    @property
    def function_type(self):
        """The traced signature as TF's FunctionType: parameters with their types (a
        TensorSpec, or `Literal[value]` for a Python value bound into the trace) and the
        output type.

        >>> import autotrace as tf
        >>> @tf.function
        ... def f(x, training):
        ...     return x * 2.0 if training else x
        >>> print(f.get_concrete_function(tf.TensorSpec([None], tf.float32), True).function_type)
        (x: TensorSpec(shape=(None,), dtype=autotrace.float32, name=None), training: Literal[True]) -> TensorSpec(shape=(None,), dtype=autotrace.float32, name=None)
        """
        return FunctionType(self)

    # -- calling ---------------------------------------------------------------------------
    def __call__(self, *args, **kwargs):
        """Call with arguments that fit the traced signature (checked, with a clear error).
        Called while another graph is being built, it adds its ops to that graph. Python
        values the trace was made with may be left out: they are bound into it."""
        if self.graph.captures:
            raise TypeError(
                "ConcreteFunction %s uses tensors of the function traced around it (%s), so it "
                "can only run with their values, inside that function: it was traced by "
                "tracing_inside (a dataset function)." % (self.name, ", ".join(
                    outer.name for outer, _ in self.graph.captures)))
        values = self._bind(args, kwargs)
        if state.graph is not None:
            return call_in_graph(self, values)
        leaves = self._check_call(values)
        return self._call_flat(leaves, tensor_arguments(values) if recording_tapes() else None)

    def _bind(self, args, kwargs):
        try:
            return self._spec.bind(args, kwargs)
        except TypeError:
            values = self._bind_tensors_only(args, kwargs)
            if values is None:
                raise
            return values

    def _bind_tensors_only(self, args, kwargs):
        """Values per parameter when the call gives only the tensor arguments (positionally
        in order, or by name) and leaves out the Python values bound into the trace; None if
        the call does not fit that either."""
        bound = _python_bound(self._spec, self._trace_args)
        if not bound:
            return None
        args, kwargs, values = list(args), dict(kwargs), []
        for name, kind in zip(self._spec.names, self._spec.kinds):
            if kind in (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD):
                return None
            if name in kwargs:
                values.append(kwargs.pop(name))
            elif name in bound:
                values.append(bound[name])
            elif args and kind != inspect.Parameter.KEYWORD_ONLY:
                values.append(args.pop(0))
            else:
                return None
        return None if args or kwargs else tuple(values)

    def _check_call(self, values):
        leaves = []
        for name, value, traced in zip(self._spec.names, values, self._key):
            _fit_argument(self, name, value, traced, leaves)
        return leaves

    def _call_flat(self, leaves, tensors=None):
        """Run on the flat tensor arguments (NumPy values); `tensors` are the argument
        objects, needed only when gradient tapes are recording."""
        if tensors is not None and not process.all_eager and state.tapes:
            from ..autodiff.function_grad import call_recorded
            return call_recorded(self, leaves, tensors)
        if process.check_generated_code and not self._jit_compile:
            results = call_checked(self, leaves)
        else:  # _run inlined: this is the path of every cached call
            try:
                results = self._fn(*leaves)
            except Exception as exc:
                error = self._runtime_error(exc)
                if error is exc:
                    raise
                raise error from None
        if self._single_output:
            return _eager(results[0])
        return self._pack(results)

    def call_flat(self, leaves):
        """Run on flat argument values (NumPy, in the order of `inputs`) and return the flat
        output values (NumPy, in the order of `outputs`). No argument checks and no gradient
        recording: for callers that check their arguments once, as tf.data does."""
        if process.check_generated_code and not self._jit_compile:
            return call_checked(self, leaves)
        return self._run(leaves)

    def _run(self, leaves):
        """The compiled function's results; its errors name the op and the user's line.
        (Inlined in _call_flat.)"""
        try:
            return self._fn(*leaves)
        except Exception as exc:
            error = self._runtime_error(exc)
            if error is exc:
                raise  # already attributed: keep its own cause
            raise error from None

    def _pack_tensors(self, outputs):
        """Outputs (eager tensors already) in the function's output structure."""
        if self._single_output:
            return outputs[0]
        return self._pack_values(iter(outputs))

    def _pack(self, results):
        return self._pack_values(_eager(r) for r in results)

    def _pack_values(self, tensors):
        """The output structure around the eager output tensors (composites rebuilt from
        their components)."""
        flat = []
        for leaf in self._output_template:
            if isinstance(leaf, SymbolicTensor):
                flat.append(next(tensors))
            elif isinstance(leaf, CompositeTensor):
                spec = leaf._type_spec
                parts = [next(tensors) if isinstance(part, SymbolicTensor) else part
                         for part in spec._flat_components(leaf)]
                flat.append(spec._from_flat_components(parts))
            else:
                flat.append(leaf)
        return nest.pack_sequence_as(self.graph.structured_outputs, flat)

    def _runtime_error(self, exc):
        """The exception, attributed to the op (and the user's line) it came from."""
        op = self._failing_op(exc)
        if isinstance(exc, OpError):
            if exc.op is None:
                exc.op = op
            return exc
        if op is None:
            return exc
        return InvalidArgumentError("%s (op %r) failed: %s" % (op.type, op.name, exc), op=op)

    def _failing_op(self, exc):
        tb = exc.__traceback__
        found = None
        while tb is not None:
            if tb.tb_frame.f_code.co_filename == self._compiled.filename:
                found = self._compiled.op_at(tb.tb_lineno)
            tb = tb.tb_next
        return found

    def run_reference(self, *args, **kwargs):
        """Run the traced (unoptimised) graph with the reference interpreter; for tests."""
        leaves = self._check_call(self._spec.bind(args, kwargs))
        feeds = {id(ph): v for ph, v in zip(self.graph.inputs, leaves)}
        fetches = list(self.graph.outputs) + list(self.graph.stateful_ops)
        values = run_graph(fetches, feeds, self._runtime)[:len(self.graph.outputs)]
        if self._single_output:
            return _eager(values[0])
        return self._pack(values)


def _python_bound(spec, trace_args):
    """{parameter: value} for the parameters traced with Python values (no tensors in them):
    TF binds these into a ConcreteFunction."""
    bound = {}
    for name, kind, value in zip(spec.names, spec.kinds, trace_args):
        if kind in (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD):
            continue
        if not any(isinstance(leaf, (Tensor, CompositeTensor)) or
                   getattr(leaf, "_autotrace_variable", False)
                   for leaf in nest.flatten(value)):
            bound[name] = value
    return bound


class FunctionType:
    """A ConcreteFunction's signature as TensorFlow prints it (`cf.function_type`):
    `(x: TensorSpec(...), training: Literal[True]) -> TensorSpec(...)`. `parameters` maps
    each name to an inspect.Parameter whose annotation is its type; `output` is the output
    type (TensorSpecs in the output structure)."""

    def __init__(self, cf):
        params = []
        for name, kind, value in zip(cf._spec.names, cf._spec.kinds, cf._trace_args):
            params.append(inspect.Parameter(name, kind, annotation=_TypeText(
                _describe_input(value, named=False))))
        self.parameters = collections.OrderedDict((p.name, p) for p in params)
        self.output = _output_type(cf.graph.structured_outputs)

    def __str__(self):
        return "(%s) -> %s" % (", ".join("%s: %s" % (n, p.annotation)
                                          for n, p in self.parameters.items()),
                               _type_text(self.output))

    __repr__ = __str__


class _TypeText(str):
    def __repr__(self):
        return str(self)


def _output_type(structured):
    def describe(leaf):
        if isinstance(leaf, SymbolicTensor):
            return TensorSpec(leaf.shape, leaf.dtype)
        if isinstance(leaf, CompositeTensor):
            return leaf._type_spec
        return leaf
    return None if structured is None else nest.map_structure(describe, structured)


def _type_text(value):
    """TF's printed type of an output structure: Dict[['k', T], ...], Tuple[...], List[...]."""
    if isinstance(value, dict):
        return "Dict[%s]" % ", ".join("[%r, %s]" % (k, _type_text(value[k]))
                                      for k in sorted(value))
    if isinstance(value, tuple):
        return "Tuple[%s]" % ", ".join(_type_text(v) for v in value)
    if isinstance(value, list):
        return "List[%s]" % ", ".join(_type_text(v) for v in value)
    return repr(value)


def _eager(value):
    """An output value as an eager tensor: graphs pass a 0-d string as plain `bytes`, which an
    eager tensor holds as a 0-d object array."""
    if isinstance(value, bytes):
        array = np.empty((), dtype=object)
        array[()] = value
        value = array
    return EagerTensor(value)


def tensor_arguments(values):
    """The tensor-like argument objects, in the order of the flat leaves (for tapes);
    composites contribute their components."""
    return [v if isinstance(v, Tensor) else EagerTensor(np.asarray(v))
            for v in nest.flatten(list(values), expand_composites=True)
            if isinstance(v, (Tensor, np.ndarray, np.generic))]


def _fit_argument(cf, name, value, traced, leaves):
    """Check a call argument against the traced key, collecting tensor leaves."""
    if is_tensor_key(traced):
        leaves.append(_as_array(cf, name, value, traced))
        return
    key, _ = key_and_leaves([value])
    if key_fits(key[0], traced):
        key_and_leaves_into(value, leaves)
        return
    if type(traced) is tuple and len(traced) == 2 and not isinstance(traced[0], str):
        raise TypeError("ConcreteFunction %s was constructed with %s value %r in %s, but was "
                        "called with %s" % (_signature_text(cf), traced[0].__name__, traced[1],
                                             name, describe_key(key[0])))
    raise TypeError("ConcreteFunction %s: argument %s was traced as %s but the call passed %s"
                    % (_signature_text(cf), name, describe_key(traced), describe_key(key[0])))


def key_and_leaves_into(value, leaves):
    leaves.extend(key_and_leaves([value])[1])


def _as_array(cf, name, value, traced):
    dtype, shape = traced
    if type(value) is EagerTensor:
        array = value._value
    elif isinstance(value, (np.ndarray, np.generic)):
        array = value
    elif isinstance(value, SymbolicTensor):
        raise TypeError("ConcreteFunction %s: argument %s is a symbolic tensor" %
                        (_signature_text(cf), name))
    else:
        try:
            array = to_numpy(value, dtypes.as_dtype(dtype))
        except (TypeError, ValueError) as exc:
            raise TypeError("ConcreteFunction %s: argument %s must be a %s tensor; %s"
                            % (_signature_text(cf), name, describe_key(traced), exc)) from None
    if array.dtype != dtype or not TensorShape(shape).is_compatible_with(array.shape):
        raise TypeError("ConcreteFunction %s expects argument %s to be a %s tensor, but it was "
                        "called with a %s tensor" % (_signature_text(cf), name,
                                                     describe_key(traced),
                                                     describe_key((array.dtype, array.shape))))
    return array


def _signature_text(cf):
    return "%s(%s)" % (cf.name, ", ".join(cf._spec.names))


def _spec_of(value):
    if isinstance(value, SymbolicTensor):
        return TensorSpec(value.shape, value.dtype, value.op.name)
    if isinstance(value, CompositeTensor):
        return value._type_spec
    return value


def _describe_input(value, named=True):
    if nest.is_nested(value):
        return repr(nest.map_structure(_spec_of, value))
    spec = _spec_of(value)
    if not named and isinstance(spec, TensorSpec):
        spec = TensorSpec(spec.shape, spec.dtype)
    if isinstance(spec, (TensorSpec, TypeSpec)):
        return repr(spec)
    if getattr(value, "_autotrace_variable", False):
        return "Variable %r (matched by identity)" % value.name
    return "Literal[%r]" % (value,)

