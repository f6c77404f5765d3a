"""The machinery under `autotrace.keras`: variables, Layer, KerasTensor and nodes, the
functional DAG, Model, Sequential, summaries and serialization."""
