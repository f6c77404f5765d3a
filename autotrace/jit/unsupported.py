"""Ops with no XLA lowering, each with the reason, and the error that names them.

Every registered op type is either in the lowering table (table.py, and checked against the
NumPy path by tests/jit/test_differential.py) or here. A new op is in neither until its author
adds a lowering (autotrace/jit/lower_*.py) or a row here saying why XLA cannot run it;
tests/jit/test_coverage.py fails naming it until then.
"""
from ..core.errors import InvalidArgumentError

__all__ = ["NO_LOWERING", "XlaCompilationError", "unsupported_op_error"]

_PYTHON = ("it runs Python code, which XLA cannot compile (TensorFlow refuses it under "
           "jit_compile too)")
_STRINGS = "XLA has no string type (TensorFlow refuses string ops under jit_compile too)"

_DATA = ("it builds or reads a tf.data pipeline (Python objects holding files, generators and "
         "threads); XLA runs tensors only (TensorFlow keeps tf.data outside XLA too)")
_FILES = "it reads or writes files, which XLA cannot do"
_RESIZE = ("image resizing is not lowered yet (its interpolation matrices are made from the "
           "image's size when the op runs; a lowering would build them from the static shape)")

NO_LOWERING = {
    "EagerPyFunc": _PYTHON,
    "PyFunc": _PYTHON,
    "PyFuncStateless": _PYTHON,
    "PartitionedCall": "it records a call made eagerly under a GradientTape; it is never in a "
                       "traced graph",
    "TensorSliceDataset": _DATA,
    "TensorDataset": _DATA,
    "RangeDataset": _DATA,
    "ZipDataset": _DATA,
    "ConcatenateDataset": _DATA,
    "GeneratorDataset": _DATA,
    "RandomDataset": _DATA,
    "MapDataset": _DATA,
    "ParallelMapDataset": _DATA,
    "FilterDataset": _DATA,
    "BatchDataset": _DATA,
    "PaddedBatchDataset": _DATA,
    "RaggedBatchDataset": _DATA,
    "UnbatchDataset": _DATA,
    "RebatchDataset": _DATA,
    "WindowDataset": _DATA,
    "ShuffleDataset": _DATA,
    "RepeatDataset": _DATA,
    "TakeDataset": _DATA,
    "SkipDataset": _DATA,
    "TakeWhileDataset": _DATA,
    "ShardDataset": _DATA,
    "CacheDataset": _DATA,
    "PrefetchDataset": _DATA,
    "EnumerateDataset": _DATA,
    "FlatMapDataset": _DATA,
    "InterleaveDataset": _DATA,
    "ScanDataset": _DATA,
    "UniqueDataset": _DATA,
    "GroupByWindowDataset": _DATA,
    "OptionsDataset": _DATA,
    "IgnoreErrorsDataset": _DATA,
    "AssertCardinalityDataset": _DATA,
    "DirectedInterleaveDataset": _DATA,
    "SampleFromDatasets": _DATA,
    "TFRecordDataset": _DATA,
    "TextLineDataset": _DATA,
    "FixedLengthRecordDataset": _DATA,
    "CSVDataset": _DATA,
    "LoadDataset": _DATA,
    "DatasetCardinality": _DATA,
    "MakeIterator": _DATA,
    "IteratorGetNext": _DATA,
    "IteratorHasNext": _DATA,
    "IteratorGetNextAsOptional": _DATA,
    "OptionalGetValue": _DATA,
    "ReduceDataset": _DATA,
    "DatasetToSingleElement": _DATA,
    "DecodeJpeg": _STRINGS,
    "DecodePng": _STRINGS,
    "DecodeGif": _STRINGS,
    "DecodeBmp": _STRINGS,
    "DecodeImage": _STRINGS,
    "EncodeJpeg": _STRINGS,
    "EncodePng": _STRINGS,
    "IsJpeg": _STRINGS,
    "ResizeBilinear": _RESIZE,
    "ResizeNearestNeighbor": _RESIZE,
    "ResizeBicubic": _RESIZE,
    "ResizeArea": _RESIZE,
    "ResizeBilinearGrad": _RESIZE,
    "ResizeNearestNeighborGrad": _RESIZE,
    "ResizeBicubicGrad": _RESIZE,
    "ResizeAreaGrad": _RESIZE,
    "ReadFile": _FILES,
    "WriteFile": _FILES,
    "MatchingFiles": _FILES,
    "DecodeRaw": _STRINGS,
    "DecodeCSV": _STRINGS,
    "SerializeTensor": _STRINGS,
    "ParseTensor": _STRINGS,
    "AsString": _STRINGS,
    "StaticRegexFullMatch": _STRINGS,
    "StaticRegexReplace": _STRINGS,
    "StringFormat": _STRINGS,
    "StringJoin": _STRINGS,
    "StringLength": _STRINGS,
    "StringLower": _STRINGS,
    "StringStrip": _STRINGS,
    "StringToNumber": _STRINGS,
    "StringUpper": _STRINGS,
    "StringSplitToRagged": _STRINGS,
    "RaggedTensorToString": _STRINGS,
    "SparseTensorToString": _STRINGS,
    "StringBytesSplit": _STRINGS,
    "StringNGrams": _STRINGS,
    "UnicodeDecodeWithOffsets": _STRINGS,
    "UnicodeSplit": _STRINGS,
    "Substr": _STRINGS,
    "ReduceJoin": _STRINGS,
    "UnsortedSegmentJoin": _STRINGS,
    "UnicodeEncode": _STRINGS,
    "UnicodeTranscode": _STRINGS,
    "UnicodeScript": "it looks code points up in ICU's script table, a string-processing op "
                     "TensorFlow has no XLA kernel for either",
    "Where": "its output's shape depends on the values of its input (how many are true), "
             "and XLA compiles for fixed shapes; use autotrace.where(condition, x, y) with "
             "three arguments instead",
    "RaggedRange": "how many values it makes depends on the values of its inputs, and XLA "
                   "compiles for fixed shapes",
    "RaggedRowIds": "how many values it makes depends on the row splits' values, and XLA "
                    "compiles for fixed shapes",
    "RaggedValuesFromDense": "how many values it reads depends on the row splits' values, and "
                             "XLA compiles for fixed shapes",
    "SparseToSparseSetOperation": "how many values a set operation keeps depends on the "
                                  "values, and XLA compiles for fixed shapes",
    "SetSize": "counting the distinct values of each row of a sparse set is not lowered yet "
               "(it needs a sort of each row's values)",
}


class XlaCompilationError(InvalidArgumentError):
    """A function cannot be compiled with jit_compile=True: an op XLA cannot run, or a shape
    or size known only at run time. (TensorFlow raises InvalidArgumentError for both.)

    `reason` is the message without the advice on what to do instead."""

    def __init__(self, message, op=None, advice=None):
        super().__init__(message if advice is None else message + " " + advice, op=op)
        self.reason = message


def unsupported_op_error(op):
    reason = NO_LOWERING.get(op.type) or "autotrace has no XLA lowering for it yet"
    return XlaCompilationError(
        "%s (op %r): autotrace.function(jit_compile=True) cannot compile this op: %s."
        % (op.type, op.name, reason), op=op,
        advice="Run this function without jit_compile, or pass jit_compile='auto' to run it "
               "as NumPy code with a warning.")
