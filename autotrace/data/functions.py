"""User functions of dataset elements (`map`, `filter`, `scan`, ...), traced once.

`StructuredFunction(fn, args_spec, step)` wraps `fn` in `autotrace.function` and traces it
for the argument specs: as in TensorFlow, Python side effects happen then (once), while
`autotrace.print` and other stateful ops run per element. Per element the compiled graph runs
on flat NumPy values (`call_flat`). A function whose graph is *elementwise* (every op maps
each element on its own, shapes aligned: `(x - mean) / std`, casts, comparisons) can also run
on a whole batch in one call (`call_batched`), which `batch` uses for in-memory data.
"""
import warnings

import numpy as np

from ..core import nest
from ..core.context import executing_eagerly, state, user_location
from ..core.tensor import SymbolicTensor
from ..core.tensor_shape import TensorSpec
from ..tracing import Function, RetracingWarning, function, tracing_inside
from . import components, structure

__all__ = ["StructuredFunction", "element_args", "ELEMENTWISE_OPS"]

# Ops that map each element independently, broadcasting like NumPy (checked against the
# registry by the tests).
ELEMENTWISE_OPS = frozenset("""
    Identity Cast Neg Abs Sign Square Sqrt Rsqrt Exp Log Log1p Expm1 Sin Cos Tan Asin Acos Atan
    Sinh Cosh Tanh Sigmoid Round Floor Ceil Reciprocal Invert LogicalNot IsNan IsInf IsFinite
    AddV2 Sub Mul RealDiv FloorDiv FloorMod Pow Maximum Minimum SquaredDifference Atan2
    LogicalAnd LogicalOr BitwiseAnd BitwiseOr BitwiseXor Equal NotEqual Less LessEqual Greater
    GreaterEqual DivNoNan SelectV2 ClipByValue Relu Relu6 Elu Selu Softplus Softsign
""".split())


def element_args(element_spec):
    """How an element is passed to a function: a tuple as positional arguments, anything
    else as one argument (TF's rule; namedtuples and dicts are one argument)."""
    return element_spec if type(element_spec) is tuple else (element_spec,)


class StructuredFunction:
    """`func` traced for arguments of `args_spec` (a tuple: one spec nest per argument)."""

    def __init__(self, func, args_spec, step, where=None):
        if not callable(func):
            raise TypeError("%s: expected a function, got %r (at %s)"
                            % (step, func, where or user_location()))
        self.python_function = func
        self.step = step
        self.where = where or user_location()
        self.args_spec = tuple(args_spec)
        self._function = self._traced_function(func)
        self.concrete = self._trace()
        # Tensors of the function traced around this one that it reads (captures): the
        # step holding it is built at run time with their values (`bound`).
        self.captures = [outer for outer, _ in self.concrete.graph.captures]
        self._captured = []
        self.output_structure, self.output_spec = self._outputs()
        self.flat_input_spec = [s for a in self.args_spec for s in structure.flatten(a)]
        self.flat_output_spec = structure.flatten(self.output_spec)
        self.stateful = bool(self.concrete.graph.stateful_ops)
        # Plain tensors in and out: pipeline values are the compiled function's arguments.
        self._plain = all(type(s) is TensorSpec for s in self.flat_input_spec +
                          self.flat_output_spec)
        self.batchable = self._plain and not self.stateful and is_elementwise(
            self.concrete, len(self.flat_input_spec))

    @staticmethod
    def _traced_function(func):
        """An autotrace.function of `func`: the user's own when executing eagerly; a fresh
        one inside a trace (its trace may capture that trace's tensors)."""
        if isinstance(func, Function):
            if executing_eagerly():
                return func
            func = func.python_function
        with warnings.catch_warnings():  # building pipelines repeatedly wraps the same
            warnings.simplefilter("ignore", RetracingWarning)  # code again: not a mistake
            return function(func, name=_function_name(func))

    def _trace(self):
        args = [structure.map_structure(_argument_spec, s) for s in self.args_spec]
        enclosing = None if executing_eagerly() else state.graph
        try:
            with tracing_inside(enclosing):
                return self._function.get_concrete_function(*args)
        except TypeError as exc:
            if "argument" not in str(exc):
                raise
            raise TypeError("%s at %s: the function cannot take the element: %s. It is called "
                            "with %d argument(s) of structure %s" % (
                                self.step, self.where, exc, len(args),
                                ", ".join(structure.describe(s) for s in self.args_spec))) \
                from None

    def _outputs(self):
        returned = self.concrete.structured_outputs
        if returned is None or any(leaf is None for leaf in nest.flatten(returned)):
            raise TypeError("%s at %s: the function returned %s; it must return a tensor or "
                            "a nest (tuple, dict) of tensors for each element"
                            % (self.step, self.where, _describe_return(returned)))
        as_tuples = _lists_to_tuples(returned)
        return as_tuples, structure.map_structure(_spec_of_output, as_tuples)

    # -- calling -----------------------------------------------------------------------------
    def bound(self, captured):
        """This function with the run-time values of its captured tensors."""
        copy = object.__new__(StructuredFunction)
        copy.__dict__.update(self.__dict__)
        copy._captured = list(captured)
        return copy

    def call_flat(self, values):
        """The function on one element's flat values -> flat output values."""
        if self._plain:
            return tuple(_value(v) for v in self.concrete.call_flat(
                list(values) + self._captured))
        arrays = components.arrays_of(self.flat_input_spec, values)
        outputs = [_value(v) for v in self.concrete.call_flat(arrays + self._captured)]
        return components.values_from_arrays(self.flat_output_spec, outputs)

    def call_batched(self, batch):
        """An elementwise function on a whole batch (flat stacked values)."""
        return tuple(self.concrete.call_flat(list(batch) + self._captured))

    def __repr__(self):
        return "<%s function %s>" % (self.step, _function_name(self.python_function))

    def short(self):
        return _function_name(self.python_function)


def _function_name(func):
    name = getattr(func, "__name__", None) or type(func).__name__
    return "lambda" if name == "<lambda>" else name


def _argument_spec(spec):
    """The spec to trace a component with: a ragged row of ragged rank 0 is a dense
    tensor; other composite specs (datasets, ragged, sparse) make composite placeholders."""
    if components.kind_of(spec) is components.DENSE:
        return TensorSpec(spec.shape, spec.dtype)
    return spec


def _value(v):
    """A kernel output as a pipeline value (compiled code may hand back bare bytes)."""
    if isinstance(v, bytes):
        arr = np.empty((), dtype=object)
        arr[()] = v
        return arr
    return v


def _lists_to_tuples(value):
    """tf.data's rule for returned structures: a Python list nests like a tuple."""
    if isinstance(value, list):
        return tuple(_lists_to_tuples(v) for v in value)
    if isinstance(value, tuple):
        children = [_lists_to_tuples(v) for v in value]
        return type(value)(*children) if hasattr(type(value), "_fields") else tuple(children)
    if isinstance(value, dict):
        return type(value)((k, _lists_to_tuples(v)) for k, v in value.items())
    return value


def _spec_of_output(leaf):
    if isinstance(leaf, SymbolicTensor):
        return TensorSpec(leaf.shape, leaf.dtype)
    return structure.spec_of(leaf)


def _describe_return(returned):
    if returned is None:
        return "None"
    return "a structure with None in it (%r)" % (returned,)


# -- elementwise analysis --------------------------------------------------------------------

def is_elementwise(concrete, n_args):
    """True if running the compiled graph on a batch (a leading dimension added to each of
    the first `n_args` inputs; later ones are captures) gives each element's result
    stacked: only elementwise ops, every input-derived tensor of the same known rank as the
    inputs it comes from, constants of no higher rank, and every output derived from an
    input."""
    graph = concrete.optimized_graph
    rank = {}  # id(tensor) -> rank of an input-derived tensor
    for ph in graph.inputs[:n_args]:
        if ph.shape.rank is None:
            return False
        rank[id(ph)] = ph.shape.rank
    for op in graph.get_operations():
        if op.type in ("Placeholder", "Const"):
            continue
        if op.type not in ELEMENTWISE_OPS or op.stateful:
            return False
        ranks = {rank[id(t)] for t in op.inputs if id(t) in rank}
        if not ranks:
            continue  # a constant expression
        if len(ranks) != 1:
            return False
        r = ranks.pop()
        if any(id(t) not in rank and (t.shape.rank is None or t.shape.rank > r)
               for t in op.inputs):
            return False
        for out in op.outputs:
            if out.shape.rank != r:
                return False
            rank[id(out)] = r
    return bool(graph.outputs) and all(id(t) in rank for t in graph.outputs)
