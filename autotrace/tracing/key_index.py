"""An index of a trace cache's signature keys: which earlier key to explain a retrace against,
and which to generalise with (reduce_retracing), found without scanning the cache.

A key is a tree: per parameter, a leaf (tensor key, Python value, weak key) or a container
(list, tuple, namedtuple, dict) of subtrees. Explaining a retrace against an earlier key gives
one reason per differing subtree, so the best comparison is a key differing in one subtree.
The index finds, in time that grows with the key's size but not with the cache:
- for each subtree position, among the keys equal to the new one everywhere else (one bucket
  per position, keyed by a hash of the rest of the key), the most recent two with different
  subtrees there: one of them differs from the new key's subtree at its top, a single reason;
- the most recent key of the same skeleton (the same containers), and the most recent key;
and `nearest` returns whichever of those has the fewest differences (the most recent on ties).
That is what comparing against every cached key gives whenever one difference explains the
retrace; with several differences it may pick another key with as many or more reasons, but
never more than the latest trace's.

`latest_generalizable` is exact: reduce_retracing generalises with the most recent key equal
to the new one up to tensor shapes, and those are indexed by the key with shapes erased.
"""
from ..core.tensor_shape import TensorShape
from ..core.type_spec import TypeSpec
from .signature import is_tensor_key

__all__ = ["KeyIndex", "shapes_erased"]

_CONTAINERS = ("list", "tuple", "namedtuple", "dict")
_MODULUS = (1 << 61) - 1


def _is_container(key):
    return type(key) is tuple and len(key) >= 2 and isinstance(key[0], str) \
        and key[0] in _CONTAINERS


def _children(key):
    return [child for _, child in key[1]] if key[0] == "dict" else list(key[-1])


def _node_signature(key):
    """A container's own part (kind, length, dict keys, namedtuple class); a leaf itself."""
    if not _is_container(key):
        return key
    if key[0] == "dict":
        return ("dict", tuple(k for k, _ in key[1]))
    return key[:-1] + (len(key[-1]),)


def _subtree_hashes(key, path, out):
    """Hash of the subtree `key` at `path`; records (path, hash, node signature) of every
    subtree in `out`."""
    signature = _node_signature(key)
    total = hash((path, signature))
    if _is_container(key):
        for i, child in enumerate(_children(key)):
            total += _subtree_hashes(child, path + (i,), out)
    total %= _MODULUS
    out.append((path, total, signature))
    return total


def _buckets(key):
    """((path, hash of the key without the subtree at path), the subtree's node signature)
    for every subtree of `key`."""
    subtrees = []
    total = sum(_subtree_hashes(k, (i,), subtrees) for i, k in enumerate(key)) % _MODULUS
    return [((path, (total - h) % _MODULUS), signature) for path, h, signature in subtrees]


def _equal_except_at(a, b, path):
    """Are keys `a` and `b` equal everywhere but the subtree at `path`?"""
    if len(a) != len(b):
        return False
    head, rest = path[0], path[1:]
    for i, (x, y) in enumerate(zip(a, b)):
        if i != head:
            if x != y:
                return False
        elif rest:
            if not (_is_container(x) and _is_container(y)) or \
                    _node_signature(x) != _node_signature(y):
                return False
            if not _equal_except_at(_children(x), _children(y), rest):
                return False
    return True


def _skeleton(key):
    if not _is_container(key):
        return None
    return (_node_signature(key), tuple(_skeleton(c) for c in _children(key)))


def _without_shapes(key):
    """`key` with tensor shapes erased: keys that generalise with each other share this."""
    if is_tensor_key(key):
        return ("tensor", key[0])
    if isinstance(key, TypeSpec):  # subtypes differ only in shapes (see core/type_spec.py)
        return (type(key), _erase_shapes(key._serialize()))
    if _is_container(key):
        if key[0] == "dict":
            return ("dict", tuple((k, _without_shapes(c)) for k, c in key[1]))
        return key[:-1] + (tuple(_without_shapes(c) for c in key[-1]),)
    return key


def _erase_shapes(field):
    if isinstance(field, TensorShape):
        return "shape"
    if isinstance(field, TypeSpec):
        return _without_shapes(field)
    if isinstance(field, (tuple, list)):
        return tuple(_erase_shapes(f) for f in field)
    return field


def shapes_erased(key):
    """A signature key with tensor shapes erased: keys that can generalise with (or fit)
    each other share it."""
    return tuple(_without_shapes(k) for k in key)


class KeyIndex:
    """Signature keys in the order they were added, indexed as described above."""

    def __init__(self):
        self._order = {}          # key -> position in the order of adding
        self._by_skeleton = {}    # skeleton -> most recent key
        # (subtree path, hash of the rest of the key) -> [(node signature there, key)]: the
        # latest two keys with different signatures, the most recent first
        self._by_rest = {}
        self._by_dtypes = {}      # key without shapes -> most recent key
        self._latest = None

    def add(self, key):
        self._order[key] = len(self._order)
        self._by_skeleton[tuple(_skeleton(k) for k in key)] = key
        for bucket, signature in _buckets(key):
            entries = self._by_rest.get(bucket)
            if entries is None:
                self._by_rest[bucket] = [(signature, key)]
                continue
            entries[:] = [(signature, key)] + [e for e in entries if e[0] != signature][:1]
        self._by_dtypes[shapes_erased(key)] = key
        self._latest = key

    def candidates(self, key):
        """Earlier keys worth explaining `key` against, most recent first."""
        found = set()
        for bucket, _ in _buckets(key):
            for _, old in self._by_rest.get(bucket, ()):
                if old not in found and _equal_except_at(old, key, bucket[0]):  # no collision
                    found.add(old)
        for old in (self._by_skeleton.get(tuple(_skeleton(k) for k in key)), self._latest):
            if old is not None:
                found.add(old)
        return sorted(found, key=self._order.get, reverse=True)

    def nearest(self, key, differences):
        """The candidate with the fewest `differences(old)` (a list), the most recent on
        ties; returns (old key, its differences), or (None, None) for an empty index."""
        best, best_reasons = None, None
        for old in self.candidates(key):
            reasons = differences(old)
            if best_reasons is None or len(reasons) < len(best_reasons):
                best, best_reasons = old, reasons
        return best, best_reasons

    def latest_generalizable(self, key):
        """The most recent key equal to `key` up to tensor shapes, or None."""
        return self._by_dtypes.get(shapes_erased(key))

    def __contains__(self, key):
        return key in self._order

    def __len__(self):
        return len(self._order)
