"""Running graphs: the reference interpreter (and, for traced functions, compiled code)."""
