"""Tracing (`autotrace.function`): the trace cache, FuncGraphs, ConcreteFunctions."""
from .concrete import ConcreteFunction
from .polymorphic import Function, RetracingWarning, function

__all__ = ["function", "Function", "ConcreteFunction", "RetracingWarning"]
