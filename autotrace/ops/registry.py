"""The op registry: every op is declared once, with everything about it side by side.

    ADD = defop("AddV2", kernel=np.add, infer=broadcast_infer, inputs=("x", "y"))

declares the op type `AddV2`: its NumPy kernel, its shape/dtype rule for symbolic outputs, its
gradient rule (`grad`, or NO_GRADIENT), and whether it is stateful (never pruned, never folded,
run in program order). `apply(ADD, (x, y))` is the one entry point: executing eagerly it runs
the kernel now; while a graph is being built it appends an Operation and returns symbolic
tensors.

Ops whose NumPy kernel would accept bad input silently (mixed dtypes that NumPy promotes)
set `eager_check=True`: their shape rule also runs before the kernel when executing eagerly.

Kernels take the input values positionally and the attributes as keywords. Ops that touch
state kept outside the graph (variables, random generators) set `uses_runtime=True`: their
kernel receives the Runtime first (ops/runtime.py: eager, a Session, or a compiled function
each have one).
"""
import warnings

from ..core import context as _context
from ..core.context import process, state
from ..core.op_def import NO_GRADIENT, REGISTRY, OpDef, defop, lookup, recomputable  # noqa: F401
from ..core.errors import InvalidArgumentError, OpError
from ..core.tensor import EagerTensor, Tensor
from ..core.tensor_shape import TensorShape
from .runtime import EAGER_RUNTIME, EagerRuntime, cached_generator  # noqa: F401

__all__ = ["OpDef", "defop", "apply", "REGISTRY", "NO_GRADIENT", "EagerRuntime",
           "EAGER_RUNTIME", "lookup", "recomputable", "cached_generator"]



def apply(opdef, inputs, attrs=None, name=None):
    """Run `opdef` now (eager) or add it to the graph being built; returns its output(s).

    `inputs` are Tensors (or, while building a graph, anything `Graph.create_op` can convert);
    `attrs` a dict of Python values passed to the kernel as keywords.
    """
    if process.all_eager:
        return _run_eager(opdef, inputs, attrs)
    graph = state.graph
    if graph is None:
        return _run_eager(opdef, inputs, attrs)
    op = graph.create_op(opdef, inputs, attrs or {}, name)
    if state.tapes:
        _record_on_tapes(op)
    if opdef.multi_output:
        return op.outputs if op.outputs else op  # an op without outputs stands for itself
    return op.outputs[0]


def _run_eager(opdef, inputs, attrs):
    if warnings.filters is not _context.filters_checked:
        _context.ignore_numpy_float_warnings()
    values = [t._value for t in inputs]
    if opdef.eager_check or (opdef.accepts is not None and
                             values[0].dtype.kind not in opdef.accepts):
        opdef.output_specs(inputs, attrs or {})  # raises the op's own error for bad input
    try:
        if opdef.uses_runtime:
            values.insert(0, EAGER_RUNTIME)
        result = opdef.kernel(*values, **attrs) if attrs else opdef.kernel(*values)
    except OpError:
        raise
    except Exception as exc:  # NumPy's own error: explain it in the op's terms
        raise explain_kernel_failure(opdef, inputs, attrs or {}, exc) from None
    if opdef.multi_output:
        outputs = [EagerTensor(v) for v in result]
    else:
        outputs = EagerTensor(result)
    if not process.all_eager and state.tapes:
        _record_on_tapes(EagerOp(opdef, inputs, outputs if opdef.multi_output else [outputs],
                                 attrs))
    return outputs


class EagerOp:
    """A record of an op executed eagerly, shaped like an Operation (inputs, outputs, attrs)
    so the same gradient rules serve eager tapes and graphs."""

    __slots__ = ("opdef", "inputs", "outputs", "attrs", "graph")

    def __init__(self, opdef, inputs, outputs, attrs, graph=None):
        self.opdef = opdef
        self.inputs = tuple(inputs)
        self.outputs = outputs
        self.attrs = attrs or {}
        self.graph = graph  # None for eager ops; a record standing in a graph's walk has one

    type = property(lambda self: self.opdef.type)
    name = property(lambda self: self.opdef.type)

    def get_attr(self, name):
        return self.attrs[name]


def _record_on_tapes(op):
    for tape in list(state.tapes):
        tape._record(op)


def explain_kernel_failure(opdef, inputs, attrs, exc):
    """Turn a kernel's NumPy exception into an error naming the op, shapes and dtypes.

    The op's shape rule usually knows what was wrong, so it is asked first."""
    try:
        opdef.output_specs(inputs, attrs)
    except OpError as rule_error:
        return rule_error
    except (ValueError, TypeError) as rule_error:
        return InvalidArgumentError("%s: %s" % (opdef.type, rule_error))
    return InvalidArgumentError("%s failed on inputs %s: %s" % (
        opdef.type, describe_inputs(opdef, inputs), exc))


def describe_inputs(opdef, inputs):
    parts = []
    for i, t in enumerate(inputs):
        label = opdef.input_names[i] if i < len(opdef.input_names) else "input %d" % i
        if isinstance(t, Tensor):
            parts.append("%s: %s%s" % (label, t.dtype.name, t.shape.short()))
        else:
            parts.append("%s: %r" % (label, t))
    return "(" + ", ".join(parts) + ")"


def spec_text(dtype, shape):
    return "%s%s" % (dtype.name, TensorShape(shape).short())
