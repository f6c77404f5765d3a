"""The table of ONNX converters, keyed by op type (filled by the convert_* modules, which
import onnx; this module does not), and the reasons for the ops that are refused.

A converter is `fn(scope, op, inputs) -> output name(s)`: it adds ONNX nodes to `scope` (see
exporter.Scope) computing the op from the ONNX value names of its inputs. An op type in
neither table is refused with a generic message naming it.
"""

from ..core.errors import InvalidArgumentError

__all__ = ["CONVERTERS", "REFUSED", "converter", "OnnxExportError"]


class OnnxExportError(InvalidArgumentError):
    """A function cannot be exported to ONNX; the message names the op and the user's line."""


CONVERTERS = {}


def converter(*op_types):
    """Register the decorated function as the ONNX converter of `op_types`."""
    def register(fn):
        for t in op_types:
            if t in CONVERTERS:
                raise ValueError("op type %r has two ONNX converters" % t)
            CONVERTERS[t] = fn
        return fn
    return register


_PYTHON = "it runs Python code, which an ONNX model cannot hold"
_STATE = ("an ONNX model has no state to assign to: export a function that returns the new "
          "value instead (variables are exported as constants, with the values they hold)")
_RANDOM = ("onnxruntime draws other random numbers, and an exported model should compute the "
           "same numbers as the function")
_GRADIENT_LOOP = "it keeps a while_loop's values for a gradient; export the forward function"

REFUSED = {
    "EagerPyFunc": _PYTHON, "PyFunc": _PYTHON, "PyFuncStateless": _PYTHON,
    "AssignVariableOp": _STATE, "AssignAddVariableOp": _STATE, "AssignSubVariableOp": _STATE,
    "ResourceScatterAdd": _STATE, "ResourceScatterSub": _STATE, "ResourceScatterUpdate": _STATE,
    "RandomUniform": _RANDOM, "RandomStandardNormal": _RANDOM, "TruncatedNormal": _RANDOM,
    "RandomUniformInt": _RANDOM, "RandomShuffle": _RANDOM, "Multinomial": _RANDOM,
    "EmptyStack": _GRADIENT_LOOP, "StackPush": _GRADIENT_LOOP, "StackPop": _GRADIENT_LOOP,
    "StackSize": _GRADIENT_LOOP,
    "Where": "its output's shape depends on its input's values; use where(condition, x, y)",
}
