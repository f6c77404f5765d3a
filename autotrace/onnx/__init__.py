"""ONNX export: `autotrace.onnx.export(fn, path)` writes a traced function as an ONNX model
that onnxruntime (or any ONNX runtime) runs without autotrace or Python.

    @autotrace.function(input_signature=[autotrace.TensorSpec([None, 4], autotrace.float32)])
    def predict(x):
        return autotrace.nn.softmax(autotrace.matmul(x, w) + b)

    autotrace.onnx.export(predict, "predict.onnx")

The optimised graph is converted op by op (opset 18): cond becomes If, switch_case nested Ifs,
while_loop Loop, a TensorArray an ONNX sequence; variables are written in as constants with
the values they hold. Ops with no
ONNX equivalent are refused with an error naming the op and the user's line. Needs the `onnx`
extra (`pip install 'autotrace[onnx]'`: onnx and onnxruntime). See docs/onnx.md.
"""
import warnings

from .table import OnnxExportError

__all__ = ["export", "OnnxExportError", "exported_op_types", "INSTALL_HINT"]

INSTALL_HINT = "pip install 'autotrace[onnx]'"


def _import_onnx():
    try:
        import onnx  # the library (this package is autotrace.onnx)
    except ImportError:
        raise ImportError("autotrace.onnx.export writes models with the onnx library, which is "
                          "not installed. Install it with: %s" % INSTALL_HINT) from None
    return onnx


def export(fn_or_concrete_function, path, input_signature=None):
    """Write `fn_or_concrete_function` to `path` as an ONNX model; returns the model proto.

    `fn_or_concrete_function` is a ConcreteFunction, or an autotrace.function: traced for
    `input_signature` (TensorSpecs; None dimensions become symbolic ONNX dimensions), else for
    its own input_signature, else its only trace. The model's inputs are named after the
    function's arguments; its outputs `output_0`, `output_1`, ... (or the keys of a returned
    dict). The model is checked with onnx.checker before it is written.
    """
    onnx = _import_onnx()
    from . import converters  # noqa: F401  (fills the table)
    from .exporter import build_model
    concrete = _concrete_function(fn_or_concrete_function, input_signature)
    graph = concrete.optimized_graph
    model, dropped = build_model(graph, _input_names(concrete), _output_names(concrete),
                                 "%s, exported by autotrace" % concrete.name)
    onnx.checker.check_model(model, full_check=True)
    onnx.save(model, str(path))
    if dropped:
        warnings.warn("autotrace.onnx.export left out %d op(s) with effects on the host, which "
                      "an ONNX model cannot have: %s" % (len(dropped), ", ".join(
                          "%s (%s, created at %s)" % (op.name, op.type, op.location)
                          for op in dropped)), stacklevel=2)
    return model


def exported_op_types():
    """The op types the exporter converts (imports onnx)."""
    _import_onnx()
    from .converters import CONVERTERS
    return sorted(CONVERTERS)


def _concrete_function(fn, input_signature):
    if hasattr(fn, "optimized_graph"):
        return fn
    if not hasattr(fn, "get_concrete_function"):
        raise TypeError("autotrace.onnx.export needs an autotrace.function or a "
                        "ConcreteFunction, got %r" % (fn,))
    if input_signature is not None:
        return fn.get_concrete_function(*input_signature)
    if getattr(fn, "input_signature", None) is not None:
        return fn.get_concrete_function()
    traces = fn.concrete_functions
    if len(traces) != 1:
        raise ValueError("autotrace.onnx.export(%s): pass input_signature= (a list of "
                         "TensorSpecs): the function has %d traces, and the export needs "
                         "one" % (getattr(fn, "__name__", fn), len(traces)))
    return traces[0]


def _input_names(concrete):
    names = []
    for ph in concrete.graph.inputs:
        names.append(ph.op.name)
    return names


def _output_names(concrete):
    structured = concrete.structured_outputs
    if isinstance(structured, dict) and len(structured) == len(concrete.outputs):
        return [str(k) for k in sorted(structured)]
    return ["output_%d" % i for i in range(len(concrete.outputs))]
