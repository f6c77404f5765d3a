"""Signature keys: what a call's arguments look like to the trace cache, and why two differ.

A key holds, per parameter of the Python function:
- tensors, NumPy arrays and NumPy scalars: `(numpy dtype, shape)` (shape dims may be None in
  a generalised key);
- Python scalars, strings and None: `(type, value)`;
- lists, tuples, dicts, namedtuples: `("list"|"tuple"|"dict"|"namedtuple", ..., children)`;
- Variables: by identity; other objects: by hash and equality; both held weakly;
- composite tensors (RaggedTensor, SparseTensor, ...): their TypeSpec (a ragged tensor is keyed
  by dtype, ragged rank and shape, never by its row lengths); its components are leaves.

Walking the arguments for the key also collects the tensor leaves (their NumPy values), in the
order the traced graph's placeholders expect them.
"""
import math
import operator
import weakref

import numpy as np

from ..core import dtypes
from ..core.tensor import EagerTensor, SymbolicTensor
from ..core.tensor_shape import TensorShape, TensorSpec
from ..core.type_spec import CompositeTensor, TypeSpec

__all__ = ["key_and_leaves", "is_tensor_key", "key_fits", "generalize", "explain_difference",
           "describe_key", "WeakKey"]

_PYTHON_SCALARS = (bool, int, float, complex, str, bytes, type(None))


class WeakKey:
    """A hashable key for an object held weakly: by identity (Variables) or hash/equality."""

    __slots__ = ("_ref", "_hash", "_by_identity", "_strong", "__weakref__")

    def __init__(self, obj, by_identity):
        self._by_identity = by_identity
        self._hash = id(obj) if by_identity else hash(obj)
        try:
            self._ref = weakref.ref(obj)
            self._strong = None
        except TypeError:  # not weak-referenceable (e.g. a tuple subclass): hold it
            self._ref = None
            self._strong = obj

    def get(self):
        return self._strong if self._ref is None else self._ref()

    def __hash__(self):
        return self._hash

    def __eq__(self, other):
        if not isinstance(other, WeakKey) or other._by_identity != self._by_identity:
            return False
        mine, theirs = self.get(), other.get()
        if mine is None or theirs is None:
            return False
        if self._by_identity:
            return mine is theirs
        return self._hash == other._hash and bool(mine == theirs)

    def __repr__(self):
        return "WeakKey(%r)" % (self.get(),)


# -- building keys -----------------------------------------------------------------------------

def _tensor_leaf(value, leaves):
    """Key of a tensor-like leaf, appending its NumPy value to `leaves`."""
    if type(value) is EagerTensor:
        array = value._value
    elif isinstance(value, (np.ndarray, np.generic)):
        array = value
        if array.dtype.kind in "US":
            array = np.asarray(EagerTensor(np.asarray(array)).numpy(), dtype=object)
    else:
        raise TypeError(value)
    leaves.append(array)
    return (array.dtype, array.shape)


def _key(value, leaves):
    t = type(value)
    if t is EagerTensor or isinstance(value, (np.ndarray, np.generic)):
        return _tensor_leaf(value, leaves)
    if t in _PYTHON_SCALARS:
        if t is float and math.isnan(value):
            return (float, "nan")
        return (t, value)
    if isinstance(value, TensorSpec):
        leaves.append(None)  # get_concrete_function(spec): a tensor of that spec, no value
        return spec_key(value)
    if isinstance(value, CompositeTensor):
        spec = value._type_spec
        for part in spec._flat_components(value):
            if isinstance(part, SymbolicTensor):
                _key(part, leaves)  # raises: a symbolic tensor outside its graph
            leaves.append(part._value)
        return spec
    if isinstance(value, TypeSpec):
        leaves.extend([None] * len(value._flat_tensor_specs()))
        return value
    if isinstance(value, SymbolicTensor):
        raise TypeError("A symbolic tensor (%s) cannot be passed to a traced function outside "
                        "the graph that created it" % value.name)
    if isinstance(value, (list, tuple)):
        children = tuple(_key(v, leaves) for v in value)
        if hasattr(t, "_fields"):
            return ("namedtuple", t, children)
        return ("list" if isinstance(value, list) else "tuple", children)
    if isinstance(value, dict):
        keys = sorted(value, key=_sort_key)
        return ("dict", tuple((k, _key(value[k], leaves)) for k in keys))
    if getattr(value, "_autotrace_variable", False):
        return WeakKey(value, by_identity=True)
    try:
        return WeakKey(value, by_identity=False)
    except TypeError:
        raise TypeError(
            "Argument of type %s cannot be part of an autotrace.function signature: it is not "
            "hashable, and non-tensor arguments are matched by hash and equality. Pass tensors, "
            "or make the object hashable." % type(value).__name__) from None


def _sort_key(k):
    return (type(k).__name__, k)


def key_and_leaves(values):
    """(key, leaves) for a sequence of argument values (one per parameter)."""
    leaves = []
    return tuple(_key(v, leaves) for v in values), leaves


# -- the fast signature of a cached call ----------------------------------------------------------
#
# Building the full key of a nested argument costs more than the NumPy work of a small
# function. Calls of common shapes (eager tensors, Python scalars and strings in plain lists,
# tuples and dicts) get a flat signature instead: one tuple, with the leaves in the order of the
# full key (dict items by sorted key). A Function maps it to the ConcreteFunction the full key
# found, so the next call with the same signature skips the full key.

_FAST_SCALARS = frozenset((bool, int, float, complex, str, bytes, type(None)))
_LIST, _TUPLE, _DICT = "list", "tuple", "dict"  # container marks (a type mark starts a scalar)
_TENSOR = "tensor"  # where a tensor leaf is: {'x': t, 'y': 0} and {'x': 0, 'y': t} differ
_DICT_ORDERS = {}  # a dict's keys in insertion order -> the same keys in the full key's order


def fast_signature(values):
    """(signature, leaves) for per-parameter `values`, or None if a value is of a kind only
    the full key describes (then call `key_and_leaves`)."""
    structure, leaves = [], []
    if not _walk_fast(values, structure, leaves):
        return None
    return (tuple(structure), tuple(map(_DTYPE_AND_SHAPE, leaves))), leaves


_DTYPE_AND_SHAPE = operator.attrgetter("dtype", "shape")


def _walk_fast(values, structure, leaves):
    """Collect the values of the eager tensors in `values` (in the full key's order) and the
    rest of their description: containers and their sizes, scalars with their types."""
    for value in values:
        t = type(value)
        if t is EagerTensor:
            structure.append(_TENSOR)
            leaves.append(value._value)
        elif t is list or t is tuple:
            structure.append(_LIST if t is list else _TUPLE)
            structure.append(len(value))
            if not _walk_fast(value, structure, leaves):
                return False
        elif t is dict:
            names = tuple(value)
            order = _DICT_ORDERS.get(names)
            if order is None:
                order = _dict_order(names)
                if order is None:
                    return False
            structure.append(_DICT)
            structure.append(names)
            if not _walk_fast(map(value.__getitem__, order), structure, leaves):
                return False
        elif t in _FAST_SCALARS and (t is not float or value == value):  # NaN: full key
            structure.append(t)
            structure.append(value)
        else:
            return False
    return True


def _dict_order(names):
    if not all(type(k) is str for k in names) or len(_DICT_ORDERS) > 4096:
        return None
    order = _DICT_ORDERS[names] = tuple(sorted(names))
    return order


def spec_key(spec):
    """The key a TensorSpec stands for (used by get_concrete_function and input_signature)."""
    return (spec.dtype.np, spec.shape.as_tuple() if spec.shape.rank is not None else None)


def spec_structure_key(spec):
    """The key of a (nest of) TensorSpec(s) from an input_signature."""
    if isinstance(spec, TensorSpec):
        return spec_key(spec)
    if isinstance(spec, TypeSpec):
        return spec
    if isinstance(spec, dict):
        return ("dict", tuple((k, spec_structure_key(spec[k])) for k in sorted(spec,
                                                                                key=_sort_key)))
    children = tuple(spec_structure_key(s) for s in spec)
    if hasattr(type(spec), "_fields"):
        return ("namedtuple", type(spec), children)
    return ("list" if isinstance(spec, list) else "tuple", children)


def is_tensor_key(key):
    return type(key) is tuple and len(key) == 2 and isinstance(key[0], np.dtype)


# -- matching and generalising -----------------------------------------------------------------

def _shape_fits(shape, general):
    if general is None:
        return True
    if shape is None or len(shape) != len(general):
        return False
    return all(g is None or s == g for s, g in zip(shape, general))


def key_fits(key, general):
    """True if a call with `key` can use the trace made for the (generalised) key `general`."""
    if is_tensor_key(general):
        return is_tensor_key(key) and key[0] == general[0] and _shape_fits(key[1], general[1])
    if isinstance(general, TypeSpec):
        return isinstance(key, TypeSpec) and key.is_subtype_of(general)
    if type(general) is tuple and type(key) is tuple and len(general) == len(key):
        return all(key_fits(k, g) for k, g in zip(key, general))
    return key == general


def generalize(key, other):
    """The most specific key both fit (tensor dims that differ become None), or None."""
    if is_tensor_key(key) and is_tensor_key(other):
        if key[0] != other[0]:
            return None
        a, b = TensorShape(key[1]), TensorShape(other[1])
        return (key[0], a.most_specific_compatible_shape(b).as_tuple())
    if isinstance(key, TypeSpec) and isinstance(other, TypeSpec):
        return key.most_specific_common_supertype([other])
    if type(key) is tuple and type(other) is tuple and len(key) == len(other):
        parts = []
        for k, o in zip(key, other):
            g = generalize(k, o)
            if g is None and not (k is None and o is None):
                return None
            parts.append(g)
        return tuple(parts)
    return key if key == other else None


# -- describing keys and their differences -----------------------------------------------------

def _shape_text(shape):
    return str(TensorShape(shape))


def describe_key(key):
    """Readable form of one argument's key: `float32[3]`, `Python int 3`, `list of 2`."""
    if is_tensor_key(key):
        return "%s%s" % (dtypes.as_dtype(key[0]).name, TensorShape(key[1]).short())
    if isinstance(key, TypeSpec):
        return key.short()
    if isinstance(key, WeakKey):
        obj = key.get()
        if key._by_identity:
            return "Variable %r" % (obj.name if obj is not None else "(deleted)")
        return "%s object %r" % (type(obj).__name__, obj)
    kind = key[0]
    if kind in ("list", "tuple"):
        return "%s of %d" % (kind, len(key[1]))
    if kind == "dict":
        return "dict with keys %s" % [k for k, _ in key[1]]
    if kind == "namedtuple":
        return key[1].__name__
    if key[0] is type(None):
        return "None"
    value = key[1] if key[1] != "nan" or key[0] is not float else float("nan")
    return "Python %s %r" % (key[0].__name__, value)


def explain_difference(name, new, old, relaxing=False):
    """Reasons (strings) why argument `name` with key `new` could not use the trace for `old`
    (`relaxing`: the Function has reduce_retracing=True)."""
    if new == old or key_fits(new, old):
        return []
    if is_tensor_key(new) and is_tensor_key(old):
        if new[0] != old[0]:
            return ["argument %s: dtype %s -> %s; cast it to one dtype to share one trace"
                    % (name, dtypes.as_dtype(old[0]).name, dtypes.as_dtype(new[0]).name)]
        advice = ("reduce_retracing: this trace has None dimensions, so later shapes like "
                  "these share it" if relaxing else
                  "use reduce_retracing=True or an input_signature with None dimensions")
        return ["argument %s: shape %s -> %s; %s" % (name, _shape_text(old[1]),
                                                     _shape_text(new[1]), advice)]
    if _is_python_value(new) and _is_python_value(old) and new[0] is old[0]:
        return ["argument %s: Python %s %r -> %r; pass autotrace.constant(%s) to share one trace"
                % (name, new[0].__name__, old[1], new[1], name)]
    if isinstance(new, WeakKey) and isinstance(old, WeakKey) and new._by_identity:
        return ["argument %s: a different Variable (%s); variables are matched by identity"
                % (name, describe_key(new))]
    if (type(new) is tuple and type(old) is tuple and new[:1] == old[:1]
            and new[0] in ("list", "tuple", "namedtuple", "dict")):
        return _explain_container(name, new, old, relaxing)
    return ["argument %s: %s -> %s" % (name, describe_key(old), describe_key(new))]


def _is_python_value(key):
    return type(key) is tuple and len(key) == 2 and key[0] in _PYTHON_SCALARS


def _explain_container(name, new, old, relaxing):
    kind = new[0]
    if kind == "dict":
        old_items, new_items = dict(old[1]), dict(new[1])
        if set(old_items) != set(new_items):
            return ["argument %s: dict keys %s -> %s" % (name, sorted(old_items, key=str),
                                                         sorted(new_items, key=str))]
        reasons = []
        for k in new_items:
            reasons += explain_difference("%s[%r]" % (name, k), new_items[k], old_items[k],
                                          relaxing)
        return reasons
    new_children, old_children = new[-1], old[-1]
    if len(new_children) != len(old_children) or (kind == "namedtuple" and new[1] is not old[1]):
        return ["argument %s: %s -> %s" % (name, describe_key(old), describe_key(new))]
    reasons = []
    for i, (n, o) in enumerate(zip(new_children, old_children)):
        reasons += explain_difference("%s[%d]" % (name, i), n, o, relaxing)
    return reasons


def spec_from_key(key, name=None):
    return TensorSpec(TensorShape(key[1]), dtypes.as_dtype(key[0]), name)


def trace_arguments(values, keys, names, graph):
    """The arguments to trace the Python function with: tensor leaves become placeholders of
    `graph` (added to graph.inputs, in leaf order); everything else is passed as is."""
    return [_with_placeholders(v, k, n, graph) for v, k, n in zip(values, keys, names)]


def _with_placeholders(value, key, name, graph):
    if is_tensor_key(key):
        if isinstance(value, TensorSpec) and value.name:  # get_concrete_function(spec)
            name = value.name
        ph = graph.add_placeholder(dtypes.as_dtype(key[0]), TensorShape(key[1]), name)
        graph.inputs.append(ph)
        return ph
    if isinstance(key, TypeSpec):
        return composite_placeholders(key, name, graph)
    if type(key) is not tuple or key[0] not in ("list", "tuple", "dict", "namedtuple"):
        return value
    if key[0] == "dict":
        rebuilt = {k: _with_placeholders(value[k], child, "%s_%s" % (name, k), graph)
                   for k, child in key[1]}
        return rebuilt if type(value) is dict else type(value)(
            (k, rebuilt[k]) for k in value)
    children = [_with_placeholders(v, k, "%s_%d" % (name, i), graph)
                for i, (v, k) in enumerate(zip(value, key[-1]))]
    if key[0] == "namedtuple":
        return key[1](*children)
    if key[0] == "list":
        return children if type(value) is list else type(value)(children)
    return tuple(children) if type(value) is tuple else type(value)(children)


def composite_placeholders(spec, name, graph):
    """A composite of `spec` whose components are new placeholders of `graph` (inputs)."""
    placeholders = []
    for i, part in enumerate(spec._flat_tensor_specs()):
        ph = graph.add_placeholder(part.dtype, part.shape, name if i == 0 else "%s_%d" % (name, i))
        graph.inputs.append(ph)
        placeholders.append(ph)
    return spec._from_flat_components(placeholders)
