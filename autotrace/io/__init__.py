"""`autotrace.io` (TensorFlow's tf.io): files, TFRecords, and the decoding ops that input
pipelines use (they are ops, so they run inside traced and dataset functions)."""
from . import gfile
from .io_ops import (decode_csv, decode_raw, matching_files, parse_tensor, read_file,
                     serialize_tensor, write_file)
from .tfrecord import TFRecordCompressionType, TFRecordOptions, TFRecordWriter

__all__ = ["read_file", "write_file", "decode_raw", "decode_csv", "serialize_tensor",
           "parse_tensor", "matching_files", "TFRecordWriter", "TFRecordOptions",
           "TFRecordCompressionType", "gfile"]
