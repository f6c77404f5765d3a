"""`autotrace.strings`: string ops (TF's tf.strings)."""
from .ops.string_ops import *  # noqa: F401,F403
from .ops.string_join_ops import reduce_join, unsorted_segment_join
from .ops.unicode_ops import unicode_encode, unicode_script, unicode_transcode
from .ragged.ragged_string_ops import (bytes_split, ngrams, split, unicode_decode,
                                      unicode_decode_with_offsets, unicode_split)
