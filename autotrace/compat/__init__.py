"""`autotrace.compat.v1`: the TF-1 graph + session API, for teaching the graph model."""
from . import v1
