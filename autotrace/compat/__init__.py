"""`autotrace.compat.v1`: the TF-1 graph + session API, for teaching the graph model, beside
the rest of the namespace (as TF's tf.compat.v1); `autotrace.compat.v2` is autotrace itself."""
from . import v1
