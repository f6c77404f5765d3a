"""`autotrace.test`: testing helpers (TF's tf.test): gradient checking."""
from .tools.gradient_checker import GradientCheckError, check_gradients, compute_gradient

__all__ = ["compute_gradient", "check_gradients", "GradientCheckError"]
