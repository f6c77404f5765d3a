"""File readers: TextLineDataset, TFRecordDataset, FixedLengthRecordDataset, list_files,
CsvDataset and make_csv_dataset.

Files are opened when a pass reaches them, one after the other (or `num_parallel_reads` at a
time, interleaved element by element as TensorFlow interleaves them). Compression: "",
"GZIP" or "ZLIB".
"""
import csv
import gzip
import io
import zlib

import numpy as np

from ..core import dtypes
from ..core.errors import InvalidArgumentError, NotFoundError
from ..core.tensor import EagerTensor
from ..core.tensor_shape import TensorSpec
from ..io import io_ops
from ..io.tfrecord import compression_of, read_records
from .dataset import Dataset
from .graph_ops import build, stage, static_value

__all__ = ["TextLineDataset", "TFRecordDataset", "FixedLengthRecordDataset", "list_files",
           "CsvDataset", "make_csv_dataset"]

_STRING = TensorSpec([], dtypes.string)


def _scalar_bytes(data):
    out = np.empty((), dtype=object)
    out[()] = data
    return out


def _file_names(filenames, step):
    """File names as Python strings (from a string, a list, or a string tensor)."""
    if isinstance(filenames, EagerTensor):
        filenames = filenames._value
    if isinstance(filenames, (str, bytes)):
        filenames = [filenames]
    names = [f.decode() if isinstance(f, bytes) else str(f)
             for f in np.asarray(filenames, dtype=object).reshape(-1)]
    if not names:
        raise InvalidArgumentError("%s: no file names given" % step)
    return names


def _open_bytes(path, compression):
    try:
        raw = open(path, "rb")
    except FileNotFoundError:
        raise NotFoundError("%s; No such file or directory" % path) from None
    with raw:
        data = raw.read()
    if compression == "GZIP":
        return gzip.decompress(data)
    if compression == "ZLIB":
        return zlib.decompress(data)
    return data


class _FileDataset(Dataset):
    """Elements read from a list of files (a subclass reads one file)."""

    def __init__(self, filenames, compression_type=None, num_parallel_reads=None):
        super().__init__(_STRING)
        self._files = filenames
        self._compression = compression_of(compression_type)
        reads = static_value(num_parallel_reads, self._step_name()) \
            if num_parallel_reads is not None else 1
        self._parallel = max(1, reads if reads != -1 else 2)

    def _names(self):
        if isinstance(self._files, Dataset):
            return [bytes(v[0][()]).decode() for v in self._files._elements()]
        return _file_names(self._files, self._step_name())

    def _elements(self):
        names = self._names()
        if self._parallel == 1:
            for name in names:
                yield from self._read(name)
            return
        yield from _round_robin([self._read(n) for n in names], self._parallel)


def _round_robin(streams, cycle):
    """Elements of `cycle` streams at a time, one from each in turn (interleave order)."""
    pending, active = list(streams), []
    while pending or active:
        while len(active) < cycle and pending:
            active.append(pending.pop(0))
        for stream in list(active):
            element = next(stream, None)
            if element is None:
                active.remove(stream)
            else:
                yield element


class TextLineDataset(_FileDataset):
    """One element per line of the files (the line without its newline).

    >>> import autotrace as tf
    >>> ds = tf.data.TextLineDataset(["a.txt", "b.txt"])   # doctest: +SKIP
    """

    _op_type = "TextLineDataset"
    _method = "TextLineDataset"

    def __init__(self, filenames, compression_type=None, buffer_size=None,
                 num_parallel_reads=None, name=None):
        super().__init__(filenames, compression_type, num_parallel_reads)
        stage(self, TextLineDataset, (filenames, compression_type, buffer_size,
                                      num_parallel_reads), {})

    def _read(self, name):
        data = _open_bytes(name, self._compression)
        lines = data.split(b"\n")
        if lines and lines[-1] == b"":
            lines.pop()
        for line in lines:
            yield (_scalar_bytes(line[:-1] if line.endswith(b"\r") else line),)



class TFRecordDataset(_FileDataset):
    """One element per record of TFRecord files (CRCs checked)."""

    _op_type = "TFRecordDataset"
    _method = "TFRecordDataset"

    def __init__(self, filenames, compression_type=None, buffer_size=None,
                 num_parallel_reads=None, name=None):
        super().__init__(filenames, compression_type, num_parallel_reads)
        stage(self, TFRecordDataset, (filenames, compression_type, buffer_size,
                                      num_parallel_reads), {})

    def _read(self, name):
        for record in read_records(name, self._compression):
            yield (_scalar_bytes(record),)



class FixedLengthRecordDataset(_FileDataset):
    """Records of `record_bytes` bytes each, after `header_bytes` and before
    `footer_bytes` of every file."""

    _op_type = "FixedLengthRecordDataset"
    _method = "FixedLengthRecordDataset"

    def __init__(self, filenames, record_bytes, header_bytes=None, footer_bytes=None,
                 buffer_size=None, compression_type=None, num_parallel_reads=None,
                 name=None):
        super().__init__(filenames, compression_type, num_parallel_reads)
        self._record = int(static_value(record_bytes, "FixedLengthRecordDataset"))
        self._header = int(header_bytes or 0)
        self._footer = int(footer_bytes or 0)
        if self._record <= 0:
            raise InvalidArgumentError("FixedLengthRecordDataset: record_bytes must be "
                                       "positive, got %d" % self._record)
        stage(self, FixedLengthRecordDataset, (filenames, record_bytes, header_bytes,
                                               footer_bytes, buffer_size, compression_type,
                                               num_parallel_reads), {})

    def _read(self, name):
        data = _open_bytes(name, self._compression)
        body = data[self._header:len(data) - self._footer]
        if len(body) % self._record:
            raise InvalidArgumentError(
                "FixedLengthRecordDataset: %s has %d bytes of records, not a multiple of "
                "record_bytes=%d" % (name, len(body), self._record))
        for start in range(0, len(body), self._record):
            yield (_scalar_bytes(body[start:start + self._record]),)



class ListFilesDataset(Dataset):
    _op_type = "TensorSliceDataset"
    _method = "list_files"

    def __init__(self, patterns):
        super().__init__(_STRING)
        found = io_ops.matching_files(patterns)._value
        if not len(found):
            raise InvalidArgumentError("Dataset.list_files() at %s: No files matched pattern: "
                                       "%s" % (self._location, ", ".join(
                                           _file_names(patterns, "list_files"))))
        self._found = found

    def _cardinality(self):
        return len(self._found)

    def _elements(self):
        return ((self._found[i, ...],) for i in range(len(self._found)))


def list_files(file_pattern, shuffle=None, seed=None):
    files = build(ListFilesDataset, file_pattern)
    if shuffle is None or shuffle:
        files = files.shuffle(max(1, files._cardinality()), seed=seed)
    return files


# -- CSV ---------------------------------------------------------------------------------------

def _column_dtype(default, i):
    if isinstance(default, (type, dtypes.DType)) or isinstance(default, str) and \
            default in ("int32", "int64", "float32", "float64", "string"):
        return dtypes.as_dtype(default), None
    value = default.numpy() if hasattr(default, "numpy") else default
    if isinstance(value, (list, tuple)) or np.ndim(value) == 1:
        items = list(np.asarray(value, dtype=object).reshape(-1))
        if not items:
            raise ValueError("CsvDataset: record_defaults[%d] is empty, which gives no dtype; "
                             "give a dtype for a required column" % i)
        value = items[0]
    array = np.asarray(value)
    if array.dtype.kind in "US" or isinstance(value, (str, bytes)):
        return dtypes.string, value.encode() if isinstance(value, str) else value
    if isinstance(value, float):
        return dtypes.float32, value
    if isinstance(value, bool):
        return dtypes.bool, value
    if isinstance(value, int):
        return dtypes.int32, value
    return dtypes.dtype_of_value(array), array.item()


class CsvDataset(Dataset):
    """One element per CSV record: a tuple of scalar tensors, typed by `record_defaults`
    (a default value per column, or a dtype for a required column)."""

    _op_type = "CSVDataset"
    _method = "CsvDataset"

    def __init__(self, filenames, record_defaults, compression_type=None, buffer_size=None,
                 header=False, field_delim=",", use_quote_delim=True, na_value="",
                 select_cols=None, exclude_cols=None, name=None):
        columns = [_column_dtype(d, i) for i, d in enumerate(record_defaults)]
        super().__init__(tuple(TensorSpec([], dt) for dt, _ in columns))
        self._columns = columns
        self._files = filenames
        self._compression = compression_of(compression_type)
        self._header = bool(header)
        self._delim, self._quote, self._na = field_delim, bool(use_quote_delim), na_value
        if select_cols is not None and exclude_cols is not None:
            raise ValueError("CsvDataset: give select_cols or exclude_cols, not both")
        self._select = None if select_cols is None else list(select_cols)
        self._exclude = None if exclude_cols is None else set(exclude_cols)
        stage(self, CsvDataset, (filenames, record_defaults), dict(
            compression_type=compression_type, header=header, field_delim=field_delim,
            use_quote_delim=use_quote_delim, na_value=na_value, select_cols=select_cols,
            exclude_cols=exclude_cols))

    def _chosen(self, fields):
        if self._select is not None:
            return [fields[i] for i in self._select if i < len(fields)]
        if self._exclude is not None:
            return [f for i, f in enumerate(fields) if i not in self._exclude]
        return fields

    def _elements(self):
        for name in _file_names(self._files, "CsvDataset"):
            text = _open_bytes(name, self._compression).decode()
            rows = csv.reader(io.StringIO(text), delimiter=self._delim,
                              quotechar='"' if self._quote else None,
                              quoting=csv.QUOTE_MINIMAL if self._quote else csv.QUOTE_NONE)
            for line, fields in enumerate(rows):
                if line == 0 and self._header or not fields:
                    continue
                yield self._record(name, line, self._chosen(fields))

    def _record(self, name, line, fields):
        if len(fields) != len(self._columns):
            raise InvalidArgumentError("%s: %s line %d has %d fields; expected %d"
                                       % (self._where(), name, line + 1, len(fields),
                                          len(self._columns)))
        return tuple(_csv_value(text, dtype, default, k, name, line, self._na,
                                self._where())
                     for k, (text, (dtype, default)) in enumerate(zip(fields,
                                                                       self._columns)))


def _csv_value(text, dtype, default, column, name, line, na_value, where):
    if text == "" or (na_value and text == na_value):
        if default is None:
            raise InvalidArgumentError("%s: field %d is required but missing in record %d "
                                       "of %s" % (where, column, line + 1, name))
        value = default
    elif dtype.is_string:
        value = text.encode()
    else:
        try:
            value = int(text) if dtype.is_integer else float(text)
        except ValueError:
            raise InvalidArgumentError("%s: field %d of record %d of %s is not a valid %s: %r"
                                       % (where, column, line + 1, name, dtype.name, text)) \
                from None
    if dtype.is_string:
        return _scalar_bytes(value)
    return dtype.np.type(value)


def _infer_column(values):
    """int32, int64, float32 or string, from sample values (TF's inference order)."""
    kind = dtypes.int32
    for v in values:
        if v == "":
            continue
        try:
            n = int(v)
            if kind is dtypes.int32 and not -2 ** 31 <= n < 2 ** 31:
                kind = dtypes.int64
            continue
        except ValueError:
            pass
        try:
            float(v)
            kind = dtypes.float32 if kind is not dtypes.string else kind
        except ValueError:
            return dtypes.string
    return kind


def _default_for(dtype):
    if dtype.is_string:
        return [b""]
    return [dtype.np.type(0)] if dtype.is_integer else [0.0]


def make_csv_dataset(file_pattern, batch_size, column_names=None, column_defaults=None,
                     label_name=None, select_columns=None, field_delim=",",
                     use_quote_delim=True, na_value="", header=True, num_epochs=None,
                     shuffle=True, shuffle_buffer_size=10000, shuffle_seed=None,
                     prefetch_buffer_size=None, num_parallel_reads=None, sloppy=False,
                     num_rows_for_inference=100, compression_type=None, ignore_errors=False,
                     encoding="utf-8"):
    """Batches of CSV rows as dicts of column tensors (and labels when `label_name` is
    given); column names from the header, dtypes inferred from the first rows."""
    files = io_ops.matching_files(file_pattern)._value
    if not len(files):
        raise InvalidArgumentError("make_csv_dataset: no files matched %r" % (file_pattern,))
    names = [f.decode() for f in files]
    compression = compression_of(compression_type)
    sample = list(csv.reader(io.StringIO(_open_bytes(names[0], compression).decode(encoding)),
                             delimiter=field_delim))
    if column_names is None:
        if not header:
            raise ValueError("make_csv_dataset: give column_names when header=False")
        column_names = sample[0]
    rows = sample[1:] if header else sample
    column_names = list(column_names)
    indices = list(range(len(column_names)))
    if select_columns is not None:
        indices = [c if isinstance(c, int) else column_names.index(c) for c in select_columns]
    if column_defaults is None:
        column_defaults = [_default_for(_infer_column(
            [r[i] for r in rows[:num_rows_for_inference] if i < len(r)])) for i in indices]
    keys = [column_names[i] for i in indices]
    if label_name is not None and label_name not in keys:
        raise ValueError("make_csv_dataset: label_name %r is not a column (%s)"
                         % (label_name, keys))
    ds = CsvDataset(names, column_defaults, compression_type=compression, header=header,
                    field_delim=field_delim, use_quote_delim=use_quote_delim,
                    na_value=na_value,
                    select_cols=indices if select_columns is not None else None)
    ds = ds.map(_row_to_dict(keys, label_name))
    if ignore_errors:
        ds = ds.ignore_errors()
    if shuffle:
        ds = ds.shuffle(shuffle_buffer_size, seed=shuffle_seed)
    ds = ds.repeat(num_epochs)
    ds = ds.batch(batch_size)
    return ds.prefetch(prefetch_buffer_size if prefetch_buffer_size is not None else -1)


def _row_to_dict(keys, label_name):
    import collections

    def to_dict(*columns):
        features = collections.OrderedDict(zip(keys, columns))
        if label_name is None:
            return features
        label = features.pop(label_name)
        return features, label
    return to_dict
