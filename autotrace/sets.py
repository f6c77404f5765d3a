"""`autotrace.sets`: set operations over the last dimension (TF's tf.sets)."""
from .sparse.set_ops import difference, intersection, size, union

__all__ = ["union", "intersection", "difference", "size"]
