"""Op definitions and the table of them: what an Operation of the graph IR is an instance of.

An `OpDef` holds everything about one op type (kernel, shape/dtype rule, gradient, flags);
`REGISTRY` maps each type name to its OpDef. The op families in `autotrace/ops/` fill the
table with `defop`; the graph itself looks up the few op types it creates on its own
(`Const` for captured eager tensors, `Placeholder` for inputs, `VarHandleOp` for variables) by
name, so the core needs no import of the op layer.
"""
from .tensor_shape import TensorShape

__all__ = ["OpDef", "defop", "REGISTRY", "NO_GRADIENT", "lookup", "recomputable"]

REGISTRY = {}


class _NoGradient:
    def __repr__(self):
        return "NO_GRADIENT"


NO_GRADIENT = _NoGradient()  # declared non-differentiable: gradients through it are None


class OpDef:
    """Everything about one op type. See the module docstring."""

    __slots__ = ("type", "kernel", "infer", "grad", "stateful", "uses_runtime",
                 "input_names", "multi_output", "doc", "fold", "eager_check", "accepts",
                 "subgraphs", "rewrite_subgraphs", "is_stateful", "recompute", "emit",
                 "forwards", "static_fold", "gradient_form",
                 "subgraph_signatures")

    def __init__(self, type, kernel, infer, grad=None, stateful=False, uses_runtime=False,
                 inputs=("x",), multi_output=False, fold=True, eager_check=False, accepts=None,
                 subgraphs=None, rewrite_subgraphs=None, is_stateful=None, recompute=None,
                 emit=None, forwards=False, static_fold=None, gradient_form=None,
                 subgraph_signatures=None, doc=None):
        self.type = type
        self.kernel = kernel
        self.infer = infer
        self.grad = grad
        self.stateful = stateful
        self.uses_runtime = uses_runtime
        self.input_names = inputs
        self.multi_output = multi_output
        self.fold = fold and not stateful
        # Run the shape rule before the kernel when executing eagerly too: for ops whose
        # NumPy kernel would accept bad input silently (e.g. promote mixed dtypes).
        self.eager_check = eager_check
        # NumPy dtype kinds the first input may have ('f', 'i', 'u', 'b', 'c', 'O'), checked
        # when executing eagerly (the shape rule checks them while building graphs).
        self.accepts = None if accepts is None else accepts.replace("s", "O")
        # Ops holding sub-graphs (cond, while): `subgraphs(op)` lists (label, graph) for
        # printing; `rewrite_subgraphs(attrs, fn)` returns attrs with fn applied to each
        # sub-graph (optimisation); `is_stateful(attrs)` says if an instance has side effects.
        # `subgraph_signatures(op)` lists (label, graph, the (dtype, shape)s it takes, those
        # it gives) for the graph verifier.
        self.subgraphs = subgraphs
        self.rewrite_subgraphs = rewrite_subgraphs
        self.subgraph_signatures = subgraph_signatures
        self.is_stateful = is_stateful
        # May a gradient re-run this op (to get values it needs) instead of saving its forward
        # outputs? Yes for pure kernels; no for reads, random draws and side effects. A
        # callable decides per instance, from the attrs (see `recomputable`).
        self.recompute = (not stateful and not uses_runtime) if recompute is None else recompute
        # `gradient_form(inputs, attrs) -> (inputs, attrs)`: the op as a gradient replays it
        # (autodiff/replay.py), built with what its own gradient needs (a loop's accumulators).
        self.gradient_form = gradient_form
        # Facts the optimiser and the code generator use. `emit(op, args, outs, ctx)`: the
        # generated source of one op (a list of lines), or None to call the kernel (see
        # execution/codegen.py). `forwards`: the output is the first input unchanged (Identity,
        # StopGradient): the optimiser drops the op. `static_fold(shape, np_dtype)`: the output
        # computed from the input's static shape, folded when that shape is fully known.
        self.emit = emit
        self.forwards = forwards
        self.static_fold = static_fold
        self.doc = doc

    def __repr__(self):
        return "<OpDef %s>" % self.type

    def output_specs(self, inputs, attrs):
        """[(dtype, TensorShape), ...] for symbolic outputs, from the op's shape rule."""
        result = self.infer(*inputs, **attrs)
        if not self.multi_output:
            result = (result,)
        return [(dtype, shape if isinstance(shape, TensorShape) else TensorShape(shape))
                for dtype, shape in result]


def recomputable(op):
    """May a gradient re-run `op` rather than save its outputs (OpDef.recompute)?"""
    rule = op.opdef.recompute
    return rule(op.attrs) if callable(rule) else rule


def defop(type, kernel, infer, **options):
    """Declare an op type (see OpDef) and add it to the registry."""
    if type in REGISTRY:
        raise ValueError("op type %r is declared twice" % type)
    opdef = OpDef(type, kernel, infer, **options)
    REGISTRY[type] = opdef
    return opdef


def lookup(type):
    try:
        return REGISTRY[type]
    except KeyError:
        raise KeyError("No op type %r is registered" % type) from None
