"""The complete table of ONNX converters (importing this module imports onnx)."""
from . import (convert_array, convert_conv, convert_flow, convert_lists,  # noqa: F401
               convert_math, convert_nn)
from .table import CONVERTERS, REFUSED

__all__ = ["CONVERTERS", "REFUSED"]
