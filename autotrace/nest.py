"""Nested structures of lists, tuples, namedtuples and dicts (TF's tf.nest).

Dicts flatten in sorted-key order; everything that is not a list, tuple or dict is a leaf.

>>> flatten({"b": [1, 2], "a": (3,)})
[3, 1, 2]
>>> pack_sequence_as({"b": [0, 0], "a": (0,)}, [7, 8, 9])
{'a': (7,), 'b': [8, 9]}
"""
import collections.abc

__all__ = ["is_nested", "flatten", "pack_sequence_as", "map_structure",
           "assert_same_structure", "flatten_with_paths"]


def is_nested(x):
    return isinstance(x, (list, tuple, dict, collections.abc.Mapping))


def _is_namedtuple(x):
    return isinstance(x, tuple) and hasattr(type(x), "_fields")


def _sorted_keys(mapping):
    try:
        return sorted(mapping)
    except TypeError:
        raise TypeError("nest: dict keys must be sortable, got %r" % list(mapping)) from None


def _children(x):
    if isinstance(x, collections.abc.Mapping):
        return [x[k] for k in _sorted_keys(x)]
    return list(x)


def flatten(structure, expand_composites=False):
    """The leaves of `structure`, in order."""
    if not is_nested(structure):
        return [structure]
    out = []
    _flatten_into(structure, out)
    return out


def _flatten_into(x, out):
    if isinstance(x, (list, tuple)):
        for child in x:
            if is_nested(child):
                _flatten_into(child, out)
            else:
                out.append(child)
    elif isinstance(x, collections.abc.Mapping):
        for key in _sorted_keys(x):
            child = x[key]
            if is_nested(child):
                _flatten_into(child, out)
            else:
                out.append(child)
    else:
        out.append(x)


def flatten_with_paths(structure, prefix=()):
    """[(path, leaf)], where a path is a tuple of indices and keys."""
    if not is_nested(structure):
        return [(prefix, structure)]
    out = []
    if isinstance(structure, collections.abc.Mapping):
        items = [(k, structure[k]) for k in _sorted_keys(structure)]
    else:
        items = list(enumerate(structure))
    for key, child in items:
        out.extend(flatten_with_paths(child, prefix + (key,)))
    return out


def _rebuild(template, children):
    if isinstance(template, collections.abc.Mapping):
        keys = _sorted_keys(template)
        by_key = dict(zip(keys, children))
        if type(template) is dict:
            return {k: by_key[k] for k in template}
        return type(template)((k, by_key[k]) for k in template)
    if _is_namedtuple(template):
        return type(template)(*children)
    if isinstance(template, tuple):
        return tuple(children) if type(template) is tuple else type(template)(children)
    return list(children) if type(template) is list else type(template)(children)


def pack_sequence_as(structure, flat_sequence):
    """Rebuild `structure` with its leaves replaced, in order, by `flat_sequence`."""
    flat = list(flat_sequence)
    if not is_nested(structure):
        if len(flat) != 1:
            raise ValueError("Structure is a leaf but %d values were given" % len(flat))
        return flat[0]
    result, used = _pack(structure, flat, 0)
    if used != len(flat):
        raise ValueError("Structure has %d leaves but %d values were given" % (used, len(flat)))
    return result


def _pack(template, flat, index):
    children = []
    for child in _children(template):
        if is_nested(child):
            packed, index = _pack(child, flat, index)
            children.append(packed)
        else:
            if index >= len(flat):
                raise ValueError("Too few values to pack into the structure")
            children.append(flat[index])
            index += 1
    return _rebuild(template, children), index


def assert_same_structure(a, b, check_types=True):
    """Raise ValueError (naming the first difference) unless a and b nest the same way."""
    problem = _first_difference(a, b, check_types, "")
    if problem:
        raise ValueError("The two structures don't have the same nested structure: %s" % problem)


def _first_difference(a, b, check_types, path):
    if is_nested(a) != is_nested(b):
        return "at %s one is a %s and the other a %s" % (path or "the top",
                                                          type(a).__name__, type(b).__name__)
    if not is_nested(a):
        return None
    if check_types and _kind(a) != _kind(b):
        return "at %s: %s vs %s" % (path or "the top", type(a).__name__, type(b).__name__)
    if isinstance(a, collections.abc.Mapping):
        if set(a) != set(b):
            return "at %s: keys %s vs %s" % (path or "the top", sorted(a), sorted(b))
    elif len(a) != len(b):
        return "at %s: length %d vs %d" % (path or "the top", len(a), len(b))
    keys = _sorted_keys(a) if isinstance(a, collections.abc.Mapping) else range(len(a))
    for k in keys:
        found = _first_difference(a[k], b[k], check_types, "%s[%r]" % (path, k))
        if found:
            return found
    return None


def _kind(x):
    if _is_namedtuple(x):
        return type(x)
    if isinstance(x, collections.abc.Mapping):
        return dict
    return list if isinstance(x, list) else tuple


def map_structure(func, *structures):
    """Apply `func` to corresponding leaves; the result has the first structure's shape."""
    if not structures:
        raise ValueError("map_structure needs at least one structure")
    for other in structures[1:]:
        assert_same_structure(structures[0], other)
    flats = [flatten(s) for s in structures]
    return pack_sequence_as(structures[0], [func(*leaves) for leaves in zip(*flats)])
