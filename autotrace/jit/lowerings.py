"""The complete table of XLA lowerings (importing this module imports JAX)."""
from . import (lower_array, lower_composite, lower_control_flow, lower_conv,  # noqa: F401
               lower_linalg, lower_lists, lower_math, lower_nn, lower_state)
from .table import LOWERINGS

__all__ = ["LOWERINGS"]
