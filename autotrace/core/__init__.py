"""The IR core: dtypes, shapes and TensorSpec, tensors (eager and symbolic), the graph
(Graph, Operation, FuncGraph) and its printed forms, the execution context, nest, errors.

Everything else builds on this package; it imports nothing above it."""
