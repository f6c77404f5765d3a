"""`autotrace.data` (TensorFlow's tf.data): input pipelines whose functions are traced.

    import autotrace as tf

    ds = tf.data.Dataset.from_tensor_slices((features, labels))
    ds = ds.shuffle(1000).map(normalise).batch(32).prefetch(tf.data.AUTOTUNE)
    for x, y in ds:                  # eagerly, or inside an autotrace.function: a graph loop
        ...

See dataset.py for the design, and docs/data.md for the guide.
"""
from .dataset import (AUTOTUNE, INFINITE as INFINITE_CARDINALITY, UNKNOWN as
                      UNKNOWN_CARDINALITY, Dataset, DatasetSpec, DatasetV2)
from .iterators import Iterator, IteratorSpec, Optional
from .options import (AutoShardPolicy, AutotuneOptions, DistributeOptions, OptimizationOptions,
                      Options, ThreadingOptions)
from .readers import FixedLengthRecordDataset, TextLineDataset, TFRecordDataset
from . import experimental

__all__ = ["Dataset", "DatasetV2", "DatasetSpec", "Iterator", "IteratorSpec", "Options", "ThreadingOptions",
           "TextLineDataset", "TFRecordDataset", "FixedLengthRecordDataset", "AUTOTUNE",
           "INFINITE_CARDINALITY", "UNKNOWN_CARDINALITY", "experimental"]
