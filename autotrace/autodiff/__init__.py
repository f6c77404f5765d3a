"""Automatic differentiation: GradientTape, the reverse walk, and gradient helpers."""
from .tape import GradientTape, UnconnectedGradients

__all__ = ["GradientTape", "UnconnectedGradients"]
