"""Training helpers: optimizers (Keras 3's update rules), learning-rate schedules and
initializers; public as autotrace.optimizers, autotrace.schedules, autotrace.initializers."""
