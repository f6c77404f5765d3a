"""`autotrace.keras`: where TF users look for optimizers (tf.keras.optimizers)."""
from . import optimizers
