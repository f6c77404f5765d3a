"""Tracing (`autotrace.function`): the trace cache, FuncGraphs, ConcreteFunctions."""
from .concrete import ConcreteFunction
from .polymorphic import Function, RetracingWarning, function, tracing_inside

__all__ = ["function", "Function", "ConcreteFunction", "RetracingWarning", "tracing_inside"]
