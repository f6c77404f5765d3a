"""ONNX converters of the math ops: elementwise, comparisons, cast, reductions, products."""
import numpy as np

from .table import converter

# op type -> ONNX op type computing it directly from the same inputs
DIRECT = {
    "Abs": "Abs", "Neg": "Neg", "Sign": "Sign", "Sqrt": "Sqrt", "Exp": "Exp", "Log": "Log",
    "Sin": "Sin", "Cos": "Cos", "Tan": "Tan", "Asin": "Asin", "Acos": "Acos", "Atan": "Atan",
    "Sinh": "Sinh", "Cosh": "Cosh", "Tanh": "Tanh", "Sigmoid": "Sigmoid", "Round": "Round",
    "Floor": "Floor", "Ceil": "Ceil", "Reciprocal": "Reciprocal", "LogicalNot": "Not",
    "IsNan": "IsNaN", "IsInf": "IsInf", "Invert": "BitwiseNot", "AddV2": "Add", "Sub": "Sub",
    "Mul": "Mul", "RealDiv": "Div", "Pow": "Pow", "Maximum": "Max", "Minimum": "Min",
    "LogicalAnd": "And", "LogicalOr": "Or", "BitwiseAnd": "BitwiseAnd",
    "BitwiseOr": "BitwiseOr", "BitwiseXor": "BitwiseXor", "Equal": "Equal", "Less": "Less",
    "LessEqual": "LessOrEqual", "Greater": "Greater", "GreaterEqual": "GreaterOrEqual",
    "Identity": "Identity", "StopGradient": "Identity", "Erf": "Erf",
}


def _direct(onnx_type):
    return lambda scope, op, inputs: scope.node(onnx_type, inputs)


for _type, _onnx in DIRECT.items():
    converter(_type)(_direct(_onnx))


def _one(scope, op, like=0):
    return scope.const(np.ones((), op.inputs[like].dtype.np))


@converter("AddN")
def _add_n(scope, op, inputs):
    total = inputs[0]  # chained Adds: ONNX's Sum takes floats only
    for name in inputs[1:]:
        total = scope.node("Add", [total, name])
    return total


@converter("Square")
def _square(scope, op, inputs):
    return scope.node("Mul", [inputs[0], inputs[0]])


@converter("Rsqrt")
def _rsqrt(scope, op, inputs):
    return scope.node("Reciprocal", [scope.node("Sqrt", inputs)])


@converter("Log1p")
def _log1p(scope, op, inputs):
    return scope.node("Log", [scope.node("Add", [inputs[0], _one(scope, op)])])


@converter("Expm1")
def _expm1(scope, op, inputs):
    return scope.node("Sub", [scope.node("Exp", inputs), _one(scope, op)])


@converter("IsFinite")
def _is_finite(scope, op, inputs):
    bad = scope.node("Or", [scope.node("IsNaN", inputs), scope.node("IsInf", inputs)])
    return scope.node("Not", [bad])


@converter("NotEqual")
def _not_equal(scope, op, inputs):
    return scope.node("Not", [scope.node("Equal", inputs)])


@converter("SquaredDifference")
def _squared_difference(scope, op, inputs):
    d = scope.node("Sub", inputs)
    return scope.node("Mul", [d, d])


@converter("FloorMod")
def _floor_mod(scope, op, inputs):
    x, y = inputs
    if op.inputs[0].dtype.is_integer:
        return scope.node("Mod", [x, y], fmod=0)  # Python's sign convention
    floor = scope.node("Floor", [scope.node("Div", [x, y])])
    return scope.node("Sub", [x, scope.node("Mul", [floor, y])])


@converter("FloorDiv")
def _floor_div(scope, op, inputs):
    x, y = inputs
    if op.inputs[0].dtype.is_integer:  # ONNX's Div truncates; (x - x mod y) / y floors
        rest = scope.node("Mod", [x, y], fmod=0)
        return scope.node("Div", [scope.node("Sub", [x, rest]), y])
    return scope.node("Floor", [scope.node("Div", [x, y])])


@converter("DivNoNan")
def _div_no_nan(scope, op, inputs):
    x, y = inputs
    zero = scope.const(np.zeros((), op.inputs[1].dtype.np))
    is_zero = scope.node("Equal", [y, zero])
    safe = scope.node("Where", [is_zero, _one(scope, op, 1), y])
    return scope.node("Where", [is_zero, zero, scope.node("Div", [x, safe])])


@converter("Atan2")
def _atan2(scope, op, inputs):
    y, x = inputs
    dtype = op.inputs[0].dtype.np
    zero, pi = scope.const(np.zeros((), dtype)), scope.const(np.asarray(np.pi, dtype))
    half = scope.const(np.asarray(np.pi / 2, dtype))
    base = scope.node("Atan", [scope.node("Div", [y, x])])
    y_neg = scope.node("Less", [y, zero])
    shifted = scope.node("Where", [y_neg, scope.node("Sub", [base, pi]),
                                   scope.node("Add", [base, pi])])
    on_axis = scope.node("Where", [y_neg, scope.node("Neg", [half]), half])
    on_axis = scope.node("Where", [scope.node("Equal", [y, zero]), zero, on_axis])
    out = scope.node("Where", [scope.node("Less", [x, zero]), shifted, base])
    return scope.node("Where", [scope.node("Equal", [x, zero]), on_axis, out])


@converter("Cast")
def _cast(scope, op, inputs):
    return scope.cast(inputs[0], op.attrs["DstT"].np)


# -- reductions --------------------------------------------------------------------------------

def _axes(scope, op):
    axis = op.attrs["axis"]
    if axis is None:
        return []
    return [scope.ints(list(axis))]


REDUCTIONS = {"Sum": "ReduceSum", "Prod": "ReduceProd", "Max": "ReduceMax", "Min": "ReduceMin"}


def _reduction(onnx_type):
    def convert(scope, op, inputs):
        return scope.node(onnx_type, inputs[:1] + _axes(scope, op),
                          keepdims=int(op.attrs["keepdims"]))
    return convert


for _type, _onnx in REDUCTIONS.items():
    converter(_type)(_reduction(_onnx))


@converter("Mean")
def _mean(scope, op, inputs):
    if not op.inputs[0].dtype.is_integer:
        return scope.node("ReduceMean", inputs[:1] + _axes(scope, op),
                          keepdims=int(op.attrs["keepdims"]))
    # TF's integer mean truncates toward zero, as ONNX's integer Div does
    total = scope.node("ReduceSum", inputs[:1] + _axes(scope, op),
                       keepdims=int(op.attrs["keepdims"]))
    sizes = scope.node("Shape", inputs[:1])
    axis = op.attrs["axis"]
    picked = sizes if axis is None else scope.node("Gather", [sizes, scope.ints(list(axis))])
    count = scope.cast(scope.node("ReduceProd", [picked], keepdims=0), op.inputs[0].dtype.np)
    return scope.node("Div", [total, count])


@converter("All", "Any")
def _all_any(scope, op, inputs):
    as_int = scope.cast(inputs[0], np.int32)
    onnx_type = "ReduceMin" if op.type == "All" else "ReduceMax"
    reduced = scope.node(onnx_type, [as_int] + _axes(scope, op),
                         keepdims=int(op.attrs["keepdims"]))
    return scope.cast(reduced, np.bool_)


@converter("ArgMax", "ArgMin")
def _arg(scope, op, inputs):
    found = scope.node(op.type, inputs, axis=op.attrs["axis"], keepdims=0,
                       select_last_index=0)
    return scope.cast(found, op.attrs["output_type"].np)


# -- products and scans ------------------------------------------------------------------------

def _swap_last(scope, name, rank):
    perm = list(range(rank))
    perm[-1], perm[-2] = perm[-2], perm[-1]
    return scope.node("Transpose", [name], perm=perm)


@converter("MatMul")
def _matmul(scope, op, inputs):
    a, b = inputs
    if op.attrs["transpose_a"]:
        a = _swap_last(scope, a, op.inputs[0].shape.rank)
    if op.attrs["transpose_b"]:
        b = _swap_last(scope, b, op.inputs[1].shape.rank)
    return scope.node("MatMul", [a, b])


@converter("Einsum")
def _einsum(scope, op, inputs):
    return scope.node("Einsum", inputs, equation=op.attrs["equation"].replace(" ", ""))


@converter("Cumsum")
def _cumsum(scope, op, inputs):
    return scope.node("CumSum", [inputs[0], scope.const(np.int64(op.attrs["axis"]))],
                      exclusive=int(op.attrs["exclusive"]), reverse=int(op.attrs["reverse"]))
