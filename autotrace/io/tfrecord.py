"""TFRecord files: TensorFlow's record framing, so files interoperate with TF's.

Each record is stored as

    uint64 length (little-endian) | uint32 masked CRC-32C of those 8 bytes |
    data[length]                  | uint32 masked CRC-32C of the data

optionally inside a GZIP or ZLIB stream. Reading checks both CRCs: a damaged file raises
DataLossError naming the file and the offset.

>>> import os, tempfile, autotrace as tf
>>> path = os.path.join(tempfile.mkdtemp(), "x.tfrecord")
>>> with tf.io.TFRecordWriter(path) as writer:
...     writer.write(b"hello")
>>> open(path, "rb").read().hex()
'0500000000000000eab2043e68656c6c6fbb1f1c19'
"""
import gzip
import os
import struct
import zlib

from ..core.errors import DataLossError, InvalidArgumentError, NotFoundError
from .crc32c import masked_crc32c

__all__ = ["TFRecordWriter", "TFRecordOptions", "TFRecordCompressionType", "read_records",
           "compression_of"]

_LENGTH = struct.Struct("<Q")
_CRC = struct.Struct("<I")


class TFRecordCompressionType:
    NONE, ZLIB, GZIP = 0, 1, 2


_NAMES = {None: "", "": "", "NONE": "", "ZLIB": "ZLIB", "GZIP": "GZIP",
          TFRecordCompressionType.NONE: "", TFRecordCompressionType.ZLIB: "ZLIB",
          TFRecordCompressionType.GZIP: "GZIP"}


class TFRecordOptions:
    """Options of a TFRecord file: its compression ("", "ZLIB" or "GZIP")."""

    def __init__(self, compression_type=None, flush_mode=None, input_buffer_size=None,
                 output_buffer_size=None, window_bits=None, compression_level=None,
                 compression_method=None, mem_level=None, compression_strategy=None):
        self.compression_type = compression_of(compression_type)
        self.compression_level = compression_level


def compression_of(value):
    """A compression name ("", "ZLIB", "GZIP") from a name, an enum value or options."""
    if isinstance(value, TFRecordOptions):
        return value.compression_type
    if isinstance(value, bytes):
        value = value.decode()
    key = value.upper() if isinstance(value, str) else value
    if key not in _NAMES:
        raise InvalidArgumentError("Unsupported compression type %r: use '', 'ZLIB' or 'GZIP'"
                                   % (value,))
    return _NAMES[key]


def frame(record):
    """One record in TFRecord framing."""
    header = _LENGTH.pack(len(record))
    return b"".join((header, _CRC.pack(masked_crc32c(header)), record,
                     _CRC.pack(masked_crc32c(record))))


class TFRecordWriter:
    """Writes records (bytes) to a TFRecord file.

    >>> import autotrace as tf
    >>> with tf.io.TFRecordWriter(path) as writer:   # doctest: +SKIP
    ...     writer.write(b"one record")
    """

    def __init__(self, path, options=None):
        self._path = os.fspath(path)
        compression = compression_of(options)
        level = getattr(options, "compression_level", None)
        level = 6 if level is None else level
        raw = open(self._path, "wb")
        if compression == "GZIP":
            self._file = gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=level, mtime=0)
            self._raw = raw
        elif compression == "ZLIB":
            self._file, self._raw = raw, raw
            self._zlib = zlib.compressobj(level)
        else:
            self._file, self._raw = raw, raw
        self._compression = compression

    def write(self, record):
        """Append one record (bytes, or a scalar string tensor)."""
        if hasattr(record, "numpy"):
            record = record.numpy()
        if isinstance(record, str):
            record = record.encode()
        data = frame(bytes(record))
        if self._compression == "ZLIB":
            data = self._zlib.compress(data)
        self._file.write(data)

    def flush(self):
        if self._compression == "ZLIB":
            self._file.write(self._zlib.flush(zlib.Z_SYNC_FLUSH))
        self._file.flush()

    def close(self):
        if self._file is None:
            return
        if self._compression == "ZLIB":
            self._file.write(self._zlib.flush())
        self._file.close()
        if self._raw is not self._file:
            self._raw.close()
        self._file = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False


def _open(path, compression):
    try:
        raw = open(path, "rb")
    except FileNotFoundError:
        raise NotFoundError("%s; No such file or directory" % path) from None
    if compression == "GZIP":
        return gzip.GzipFile(fileobj=raw, mode="rb")
    if compression == "ZLIB":
        return _ZlibReader(raw)
    return raw


class _ZlibReader:
    """A file-like reader of a zlib stream."""

    def __init__(self, raw):
        self._raw, self._z, self._buffer = raw, zlib.decompressobj(), b""

    def read(self, n):
        while len(self._buffer) < n:
            chunk = self._raw.read(1 << 16)
            if not chunk:
                self._buffer += self._z.flush()
                break
            self._buffer += self._z.decompress(chunk)
        out, self._buffer = self._buffer[:n], self._buffer[n:]
        return out

    def close(self):
        self._raw.close()


def read_records(path, compression=""):
    """The records of a TFRecord file, CRCs checked."""
    f = _open(path, compression)
    offset = 0
    try:
        while True:
            header = f.read(12)
            if not header:
                return
            if len(header) < 12:
                raise DataLossError("truncated record at offset %d in %s" % (offset, path))
            length_bytes, (crc,) = header[:8], _CRC.unpack(header[8:])
            if masked_crc32c(length_bytes) != crc:
                raise DataLossError("corrupted record at offset %d in %s: the length's CRC "
                                    "does not match" % (offset, path))
            (length,) = _LENGTH.unpack(length_bytes)
            body = f.read(length + 4)
            if len(body) < length + 4:
                raise DataLossError("truncated record at offset %d in %s" % (offset, path))
            data, (crc,) = body[:length], _CRC.unpack(body[length:])
            if masked_crc32c(data) != crc:
                raise DataLossError("corrupted record at offset %d in %s: the data's CRC does "
                                    "not match" % (offset, path))
            yield data
            offset += 16 + length
    finally:
        f.close()
