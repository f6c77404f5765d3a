"""Dataset.save / Dataset.load and file caches, in an open format (never pickled).

A saved dataset is a directory:

    spec.json             {"format": "autotrace.dataset", "version": 1, "element_spec": ...,
                           "shards": [["shard_00000", [n_elements per chunk file...]], ...]}
    shard_00000/00000.npz one chunk of up to CHUNK elements: per component either one
                          stacked array "c<k>" (all elements of the same shape) or one array
                          per element "c<k>_<j>"; strings as UTF-8 bytes "c<k>_bytes" plus
                          "c<k>_lengths" and the shape "c<k>_shape"

Reading uses `np.load(..., allow_pickle=False)` and JSON: a file can only ever hold arrays.
"""
import json
import os
import shutil
import tempfile

import numpy as np

from ..core import dtypes
from ..core.errors import DataLossError, NotFoundError
from ..core.tensor_shape import TensorShape, TensorSpec
from . import structure
from .dataset import Dataset

__all__ = ["save", "load", "file_cache_elements", "encode_spec", "decode_spec"]

FORMAT, VERSION, CHUNK = "autotrace.dataset", 1, 1024
_SPEC_FILE = "spec.json"


# -- element specs as JSON ---------------------------------------------------------------------

def encode_spec(spec):
    if isinstance(spec, TensorSpec):
        return {"tensor": spec.dtype.name, "shape": spec.shape.as_list()
                if spec.shape.rank is not None else None}
    if isinstance(spec, dict):
        return {"dict": [[k, encode_spec(v)] for k, v in spec.items()]}
    if isinstance(spec, tuple) and hasattr(type(spec), "_fields"):
        return {"namedtuple": type(spec).__name__, "fields": list(spec._fields),
                "items": [encode_spec(v) for v in spec]}
    if isinstance(spec, tuple):
        return {"tuple": [encode_spec(v) for v in spec]}
    raise TypeError("Dataset.save: cannot save elements holding %r (only tensors in tuples, "
                    "dicts and namedtuples)" % (spec,))


def decode_spec(data):
    if not isinstance(data, dict):
        raise DataLossError("a saved dataset's element spec is malformed: %r" % (data,))
    if "tensor" in data:
        shape = data.get("shape")
        return TensorSpec(TensorShape(shape), dtypes.as_dtype(str(data["tensor"])))
    if "dict" in data:
        return {str(k): decode_spec(v) for k, v in data["dict"]}
    if "namedtuple" in data:
        import collections
        cls = collections.namedtuple(str(data["namedtuple"]), [str(f) for f in data["fields"]])
        return cls(*[decode_spec(v) for v in data["items"]])
    if "tuple" in data:
        return tuple(decode_spec(v) for v in data["tuple"])
    raise DataLossError("a saved dataset's element spec is malformed: %r" % (data,))


# -- chunks ------------------------------------------------------------------------------------

def _encode_component(k, parts, out):
    """Arrays for component k of a chunk of elements."""
    parts = [np.asarray(p) for p in parts]
    if parts[0].dtype.kind == "O":
        for j, p in enumerate(parts):
            flat = [bytes(b) for b in p.reshape(-1)]
            out["c%d_%d_bytes" % (k, j)] = np.frombuffer(b"".join(flat), np.uint8)
            out["c%d_%d_lengths" % (k, j)] = np.array([len(b) for b in flat], np.int64)
            out["c%d_%d_shape" % (k, j)] = np.array(p.shape, np.int64)
    elif len({p.shape for p in parts}) == 1:
        out["c%d" % k] = np.stack(parts)
    else:
        for j, p in enumerate(parts):
            out["c%d_%d" % (k, j)] = p


def _decode_component(k, n, arrays):
    if "c%d" % k in arrays:
        stacked = arrays["c%d" % k]
        return [stacked[j] for j in range(n)]
    if "c%d_0_bytes" % k in arrays:
        return [_strings(arrays["c%d_%d_bytes" % (k, j)], arrays["c%d_%d_lengths" % (k, j)],
                         arrays["c%d_%d_shape" % (k, j)]) for j in range(n)]
    return [arrays["c%d_%d" % (k, j)] for j in range(n)]


def _strings(data, lengths, shape):
    buffer, out, start = data.tobytes(), [], 0
    for length in lengths.tolist():
        out.append(buffer[start:start + length])
        start += length
    array = np.empty(len(out), dtype=object)
    array[:] = out
    return array.reshape(tuple(int(d) for d in shape))


def _write_chunk(path, rows, compress):
    arrays = {}
    for k, parts in enumerate(zip(*rows)):
        _encode_component(k, parts, arrays)
    (np.savez_compressed if compress else np.savez)(path, **arrays)


def _read_chunk(path, n, n_components):
    try:
        with np.load(path, allow_pickle=False) as arrays:
            columns = [_decode_component(k, n, arrays) for k in range(n_components)]
    except (OSError, ValueError, KeyError) as exc:
        raise DataLossError("cannot read the saved dataset chunk %s: %s" % (path, exc)) \
            from None
    return list(zip(*columns))


# -- save / load -------------------------------------------------------------------------------

class _ShardWriter:
    def __init__(self, directory, compress):
        self.directory, self.compress = directory, compress
        self.rows, self.counts = [], []
        os.makedirs(directory, exist_ok=True)

    def add(self, element):
        self.rows.append(element)
        if len(self.rows) == CHUNK:
            self.flush()

    def flush(self):
        if self.rows:
            _write_chunk(os.path.join(self.directory, "%05d.npz" % len(self.counts)),
                         self.rows, self.compress)
            self.counts.append(len(self.rows))
            self.rows = []


def _write_dataset(dataset, path, compress, shard_func=None):
    spec = encode_spec(dataset.element_spec)
    writers = {}
    shard_of = None if shard_func is None else _shard_function(dataset, shard_func)
    for element in dataset._checked_elements():
        shard = 0 if shard_of is None else int(shard_of.call_flat(element)[0])
        if shard not in writers:
            writers[shard] = _ShardWriter(os.path.join(path, "shard_%05d" % shard), compress)
        writers[shard].add(element)
    for writer in writers.values():
        writer.flush()
    shards = [["shard_%05d" % s, writers[s].counts] for s in sorted(writers)]
    meta = {"format": FORMAT, "version": VERSION, "element_spec": spec,
            "compression": "GZIP" if compress else None, "shards": shards}
    with open(os.path.join(path, _SPEC_FILE), "w", encoding="utf-8") as f:
        json.dump(meta, f)


def _shard_function(dataset, shard_func):
    from .functions import StructuredFunction, element_args
    fn = StructuredFunction(shard_func, element_args(dataset.element_spec),
                            "Dataset.save() shard_func")
    if not isinstance(fn.output_spec, TensorSpec) or not fn.output_spec.dtype.is_integer:
        raise TypeError("Dataset.save: shard_func must return a scalar integer tensor")
    return fn


def _compress(compression):
    if compression not in (None, "", "GZIP"):
        raise ValueError("Dataset.save: compression must be None or 'GZIP', got %r"
                         % (compression,))
    return compression == "GZIP"


def save(dataset, path, compression=None, shard_func=None):
    """Write `dataset` to the directory `path` (replacing what was there)."""
    path = os.fspath(path)
    compress = _compress(compression)
    parent = os.path.dirname(os.path.abspath(path))
    os.makedirs(parent, exist_ok=True)
    staging = tempfile.mkdtemp(prefix=".saving-", dir=parent)
    try:
        _write_dataset(dataset, staging, compress, shard_func)
        if os.path.exists(path):
            shutil.rmtree(path)
        os.replace(staging, path)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _read_meta(path):
    spec_file = os.path.join(path, _SPEC_FILE)
    if not os.path.exists(spec_file):
        raise NotFoundError("Dataset.load: %s is not a saved dataset (it has no %s)"
                            % (path, _SPEC_FILE))
    try:
        with open(spec_file, encoding="utf-8") as f:
            meta = json.load(f)
    except (OSError, ValueError) as exc:
        raise DataLossError("Dataset.load: cannot read %s: %s" % (spec_file, exc)) from None
    if not isinstance(meta, dict) or meta.get("format") != FORMAT:
        raise DataLossError("Dataset.load: %s is not an autotrace saved dataset" % spec_file)
    return meta


class LoadDataset(Dataset):
    _op_type = "LoadDataset"
    _method = "load"

    def __init__(self, path, element_spec=None):
        self._path = os.fspath(path)
        meta = _read_meta(self._path)
        spec = decode_spec(meta["element_spec"])
        if element_spec is not None and element_spec != spec:
            raise ValueError("Dataset.load: element_spec %r differs from the saved one %r"
                             % (element_spec, spec))
        super().__init__(spec)
        self._shards = [(str(name), [int(n) for n in counts]) for name, counts in
                        meta["shards"]]

    def _cardinality(self):
        return sum(sum(counts) for _, counts in self._shards)

    def _elements(self):
        n_components = len(self._flat_spec)
        for name, counts in self._shards:
            for i, n in enumerate(counts):
                chunk = os.path.join(self._path, os.path.basename(name), "%05d.npz" % i)
                yield from _read_chunk(chunk, n, n_components)


def load(path, element_spec=None):
    return LoadDataset(path, element_spec)


# -- file caches ---------------------------------------------------------------------------------

def file_cache_elements(dataset, filename):
    """Elements of `dataset`, cached in files under `filename`: read from there if a
    complete pass was cached before (by this or an earlier program), else computed and
    written, the cache being kept only when the pass completes."""
    directory = filename + ".cache"
    if os.path.exists(os.path.join(directory, _SPEC_FILE)):
        cached = LoadDataset(directory)
        if cached.element_spec != dataset.element_spec:
            raise ValueError("Dataset.cache(%r): the cached elements have spec %r, but the "
                             "dataset's is %r; delete %s to rebuild the cache"
                             % (filename, cached.element_spec, dataset.element_spec,
                                directory))
        yield from cached._elements()
        return
    parent = os.path.dirname(os.path.abspath(directory))
    os.makedirs(parent, exist_ok=True)
    staging = tempfile.mkdtemp(prefix=".caching-", dir=parent)
    writer = _ShardWriter(os.path.join(staging, "shard_00000"), False)
    complete = False
    try:
        for element in dataset._elements():
            writer.add(element)
            yield element
        writer.flush()
        meta = {"format": FORMAT, "version": VERSION,
                "element_spec": encode_spec(dataset.element_spec), "compression": None,
                "shards": [["shard_00000", writer.counts]]}
        with open(os.path.join(staging, _SPEC_FILE), "w", encoding="utf-8") as f:
            json.dump(meta, f)
        if not os.path.exists(directory):
            os.replace(staging, directory)
            complete = True
    finally:
        if not complete:
            shutil.rmtree(staging, ignore_errors=True)
