"""Nested structures of lists, tuples, namedtuples and dicts (TF's tf.nest).

Dicts flatten in sorted-key order; everything that is not a list, tuple or dict is a leaf.
With `expand_composites=True`, a composite tensor (RaggedTensor, SparseTensor, ...) or a
TypeSpec is not a leaf but stands for its flat components (see autotrace.type_spec).

>>> flatten({"b": [1, 2], "a": (3,)})
[3, 1, 2]
>>> pack_sequence_as({"b": [0, 0], "a": (0,)}, [7, 8, 9])  # values in sorted-key order
{'b': [8, 9], 'a': (7,)}
"""
import collections.abc

from .type_spec import CompositeTensor, TypeSpec

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
    """The leaves of `structure`, in order (composites as their components when
    `expand_composites`)."""
    if not is_nested(structure):
        flat = [structure]
    else:
        flat = []
        _flatten_into(structure, flat)
    if expand_composites:
        return _expand(flat)
    return flat


def _expand(flat):
    if not any(isinstance(x, (CompositeTensor, TypeSpec)) for x in flat):
        return flat
    out = []
    for x in flat:
        if isinstance(x, CompositeTensor):
            out.extend(x._type_spec._flat_components(x))
        elif isinstance(x, TypeSpec):
            out.extend(x._flat_tensor_specs())
        else:
            out.append(x)
    return out


def _component_count(leaf):
    if isinstance(leaf, CompositeTensor):
        return len(leaf._type_spec._flat_tensor_specs())
    if isinstance(leaf, TypeSpec):
        return len(leaf._flat_tensor_specs())
    return None


def _regroup(structure, flat):
    """The flat components grouped back into one item per (unexpanded) leaf: composites of
    `structure` are rebuilt from their components."""
    leaves, grouped, index = flatten(structure), [], 0
    for leaf in leaves:
        n = _component_count(leaf)
        if n is None:
            grouped.append(flat[index] if index < len(flat) else None)
            index += 1
            continue
        spec = leaf._type_spec if isinstance(leaf, CompositeTensor) else leaf
        grouped.append(spec._from_flat_components(flat[index:index + n]))
        index += n
    if index != len(flat):
        raise ValueError("Could not pack sequence: the structure has %d components but "
                         "flat_sequence has %d items. Structure: %s"
                         % (index, len(flat), _short(structure)))
    return grouped


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


def pack_sequence_as(structure, flat_sequence, expand_composites=False):
    """Rebuild `structure` with its leaves replaced, in order, by `flat_sequence` (with
    `expand_composites`, each composite of `structure` takes its components from it)."""
    flat = list(flat_sequence)
    if expand_composites and any(_component_count(x) is not None for x in flatten(structure)):
        flat = _regroup(structure, flat)
    if not is_nested(structure):
        if len(flat) != 1:
            raise ValueError("Could not pack sequence: the structure is a single leaf (%s) but "
                             "flat_sequence has %d items" % (_short(structure), len(flat)))
        return flat[0]
    leaves = len(flatten(structure))
    if leaves != len(flat):
        raise ValueError("Could not pack sequence: the structure has %d leaves but "
                         "flat_sequence has %d items. Structure: %s, flat_sequence: %s"
                         % (leaves, len(flat), _short(structure), _short(flat)))
    return _pack(structure, flat, 0)[0]


def _short(x):
    text = repr(x)
    return text if len(text) <= 200 else text[:197] + "..."


def _pack(template, flat, index):
    children = []
    for child in _children(template):
        if is_nested(child):
            packed, index = _pack(child, flat, index)
            children.append(packed)
        else:
            children.append(flat[index])
            index += 1
    return _rebuild(template, children), index


def assert_same_structure(nest1, nest2, check_types=True, expand_composites=False):
    """Raise unless the two structures nest the same way: ValueError for a different number
    of elements, different dict keys or a leaf against a sequence; TypeError (with
    check_types) for different sequence types, e.g. a list against a tuple. The message names
    the first difference."""
    problem = _first_difference(nest1, nest2, check_types, "")
    if problem:
        error, detail = problem
        raise error("The two structures don't have the same nested structure.\n\nFirst "
                    "structure: %s\n\nSecond structure: %s\n\nMore specifically: %s"
                    % (_short(nest1), _short(nest2), detail))


def _first_difference(a, b, check_types, path):
    where = "at %s" % path if path else "at the top level"
    if is_nested(a) != is_nested(b):
        seq, leaf = (a, b) if is_nested(a) else (b, a)
        return ValueError, "%s, %s is a sequence (%s) but %s is not (%s)" % (
            where, "the first" if seq is a else "the second", type(seq).__name__,
            "the second" if seq is a else "the first", _short(leaf))
    if not is_nested(a):
        return None
    if check_types and _kind(a) != _kind(b):
        return TypeError, "%s, the first is of type %s but the second of type %s" % (
            where, type(a).__name__, type(b).__name__)
    if isinstance(a, collections.abc.Mapping):
        if not isinstance(b, collections.abc.Mapping):
            return TypeError, "%s, the first is of type %s but the second of type %s" % (
                where, type(a).__name__, type(b).__name__)
        if set(a) != set(b):
            return ValueError, "%s, the dicts have different keys: %s vs %s" % (
                where, _sorted_keys(a), _sorted_keys(b))
    elif isinstance(b, collections.abc.Mapping):
        return TypeError, "%s, the first is of type %s but the second of type %s" % (
            where, type(a).__name__, type(b).__name__)
    elif len(a) != len(b):
        return ValueError, "%s, the first has %d elements but the second %d" % (
            where, len(a), len(b))
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


def map_structure(func, *structure, check_types=True, expand_composites=False):
    """Apply `func` to corresponding leaves; the result has the first structure's shape.

    >>> map_structure(lambda a, b: a + b, [1, (2, 3)], [10, (20, 30)])
    [11, (22, 33)]
    """
    if not callable(func):
        raise TypeError("map_structure: func must be callable, got %r" % (func,))
    if not structure:
        raise ValueError("map_structure needs at least one structure")
    for other in structure[1:]:
        assert_same_structure(structure[0], other, check_types=check_types)
    flats = [flatten(s, expand_composites) for s in structure]
    return pack_sequence_as(structure[0], [func(*leaves) for leaves in zip(*flats)],
                            expand_composites)
