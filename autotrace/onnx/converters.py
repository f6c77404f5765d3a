"""The complete table of ONNX converters (importing this module imports onnx)."""
from . import convert_array, convert_flow, convert_math, convert_nn  # noqa: F401
from .table import CONVERTERS, REFUSED

__all__ = ["CONVERTERS", "REFUSED"]
