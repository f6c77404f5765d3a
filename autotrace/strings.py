"""`autotrace.strings`: string ops (TF's tf.strings)."""
from .ops.string_ops import *  # noqa: F401,F403
from .ragged.ragged_string_ops import (bytes_split, ngrams, split, unicode_decode,
                                      unicode_decode_with_offsets, unicode_split)
