"""The complete table of ONNX converters (importing this module imports onnx)."""
from . import (convert_array, convert_conv, convert_flow, convert_math,  # noqa: F401
               convert_nn)
from .table import CONVERTERS, REFUSED

__all__ = ["CONVERTERS", "REFUSED"]
