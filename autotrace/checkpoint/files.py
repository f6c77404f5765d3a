"""Reading and writing the files of checkpoints and SavedModels, safely.

JSON is parsed strictly (no NaN/Infinity constants, no duplicate keys); arrays are read from
`.npz` files with `allow_pickle=False`, each checked against the dtype and shape the JSON
declares before its data is read. Nothing read is ever unpickled, evaluated or executed.
Writes go to a temporary file renamed into place, so a crash never leaves half a file.
"""
import json
import os
import tempfile
import zipfile

import numpy as np

from ..core.attr_codec import AttrCodec, AttrFormatError
from ..core.errors import DataLossError, NotFoundError

__all__ = ["FormatError", "read_json", "write_json", "ArrayFile", "write_arrays", "ArrayCodec"]

_HEADER_ALLOWANCE = 1 << 16  # bytes of .npy header allowed beyond an array's data


class FormatError(DataLossError):
    """A checkpoint or SavedModel file is malformed, or holds something it must not (a
    pickle, code, an unknown op): it is refused. The message names the file and the part."""


def read_json(path, what):
    """The JSON document at `path` (a dict), or FormatError naming `what` it should be."""
    try:
        with open(path, "rb") as f:
            raw = f.read()
    except FileNotFoundError:
        raise NotFoundError("%s not found: %s" % (what, path)) from None
    try:
        text = raw.decode("utf-8")
        data = json.loads(text, object_pairs_hook=_no_duplicate_keys,
                          parse_constant=_no_constants)
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise FormatError("%s %s is not valid JSON (%s): refusing to load it"
                          % (what, path, _reason(exc))) from None
    if type(data) is not dict:
        raise FormatError("%s %s must hold a JSON object at the top" % (what, path))
    return data


def _reason(exc):
    if isinstance(exc, RecursionError):
        return "nested too deeply"
    if isinstance(exc, UnicodeDecodeError):
        return "not UTF-8 text"
    return str(exc)


def _no_duplicate_keys(pairs):
    result = {}
    for k, v in pairs:
        if k in result:
            raise ValueError("the key %r appears twice in one object" % k)
        result[k] = v
    return result


def _no_constants(name):
    raise ValueError("%s is not JSON" % name)


def write_json(path, data):
    _write_atomically(path, lambda f: f.write(dumps(data).encode("utf-8")))


def dumps(value, indent=""):
    """JSON text with one line for what fits in about 100 characters and for everything
    nested four levels deep (a graph's node, a variable's value), the rest indented."""
    flat = json.dumps(value, allow_nan=False, separators=(", ", ": "))
    if len(flat) + len(indent) <= 100 or len(indent) >= 4 or not value or \
            not isinstance(value, (dict, list)):
        return flat
    inner = indent + " "
    if isinstance(value, dict):
        items = ["%s%s: %s" % (inner, json.dumps(k), dumps(v, inner)) for k, v in value.items()]
        return "{\n%s\n%s}" % (",\n".join(items), indent)
    return "[\n%s\n%s]" % (",\n".join(inner + dumps(v, inner) for v in value), indent)


def _write_atomically(path, write):
    directory = os.path.dirname(os.path.abspath(path))
    os.makedirs(directory, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as f:
            write(f)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.remove(tmp)
        raise


# -- arrays ------------------------------------------------------------------------------------

def storable(array):
    """The array as NumPy can store without pickling: dtypes from other packages (bfloat16)
    as unsigned integers of their width; the JSON keeps the real dtype."""
    array = np.asarray(array, order="C")
    if array.dtype.kind == "O":
        raise TypeError("object arrays (strings) cannot be stored in .npz without pickling")
    if array.dtype.type.__module__ != "numpy":
        return array.view("u%d" % array.dtype.itemsize)
    return array


def write_arrays(path, arrays):
    """Write {key: array} as an uncompressed .npz (string arrays are not allowed here)."""
    stored = {k: storable(v) for k, v in arrays.items()}
    _write_atomically(path, lambda f: np.savez(f, **stored))


class ArrayFile:
    """The arrays of one .npz file, read on demand with their declared dtype and shape
    checked first (so a crafted file cannot make us read more than it says). The file is
    open while arrays are being read, until `close()` (a later read opens it again)."""

    def __init__(self, path, what):
        self.path, self.what = path, what
        self._zip = None
        self._sizes = {info.filename: info.file_size for info in self._open().infolist()}

    def _open(self):
        if self._zip is None:
            try:
                self._zip = zipfile.ZipFile(self.path)
            except FileNotFoundError:
                raise NotFoundError("%s not found: %s" % (self.what, self.path)) from None
            except (zipfile.BadZipFile, OSError, ValueError) as exc:
                raise FormatError("%s %s is not an .npz archive (%s): refusing to load it"
                                  % (self.what, self.path, exc)) from None
        return self._zip

    def keys(self):
        return [name[:-4] for name in self._sizes if name.endswith(".npy")]

    def __contains__(self, key):
        return key + ".npy" in self._sizes

    def read(self, key, dtype, shape, where):
        """The array `key`, which must have `dtype` (a DType) and `shape` (a tuple);
        `where` names it in errors."""
        member = key + ".npy"
        if member not in self._sizes:
            raise FormatError("%s %s has no array %r (for %s)" % (self.what, self.path, key,
                                                                   where))
        stored = np.dtype("u%d" % dtype.np.itemsize) if dtype.np.type.__module__ != "numpy" \
            else dtype.np
        expected = int(np.prod(shape, dtype=np.int64)) * stored.itemsize
        if self._sizes[member] > expected + _HEADER_ALLOWANCE:
            raise FormatError("%s %s: array %r (for %s) is larger than its declared %s%s"
                              % (self.what, self.path, key, where, dtype.name, list(shape)))
        try:
            with self._open().open(member) as f:
                array = np.lib.format.read_array(f, allow_pickle=False)
        except (ValueError, OSError, zipfile.BadZipFile, EOFError) as exc:
            raise FormatError("%s %s: array %r (for %s) cannot be read without unpickling or "
                              "is damaged (%s): refused" % (self.what, self.path, key, where,
                                                            exc)) from None
        if array.dtype != stored or array.shape != tuple(shape):
            raise FormatError("%s %s: array %r (for %s) is %s%s, but the file declares %s%s"
                              % (self.what, self.path, key, where, array.dtype,
                                 list(array.shape), dtype.name, list(shape)))
        return array.view(dtype.np) if stored != dtype.np else array

    def close(self):
        if self._zip is not None:
            self._zip.close()
            self._zip = None


class ArrayCodec(AttrCodec):
    """An AttrCodec whose large arrays live in an .npz file: collected in `arrays` while
    writing; read from `array_file` (an ArrayFile) while loading."""

    def __init__(self, array_file=None):
        self.arrays = {}
        self.array_file = array_file

    def store_array(self, array, key=None):
        key = key or "array_%d" % len(self.arrays)
        if key in self.arrays:
            raise ValueError("two arrays are stored under the key %r" % key)
        self.arrays[key] = array
        return key

    def load_array(self, reference, dtype, shape):
        if type(reference) is not str:
            raise AttrFormatError("an array reference is a string key, got %r" % (reference,))
        if self.array_file is None:
            raise AttrFormatError("an array reference %r, but there is no array file"
                                  % reference)
        return self.array_file.read(reference, dtype, shape, "array %r" % reference)
