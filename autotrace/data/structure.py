"""The structure of dataset elements: nests of tuples, namedtuples and dicts whose leaves
are tensors (tf.data's rule: a Python *list* is one tensor, not a structure).

Inside the pipeline an element travels flat: a tuple of NumPy values, one per component, in
`flatten` order. The user sees it packed into `element_spec`'s structure of tensors.

>>> flatten(({"b": 1, "a": [2, 3]}, 4))
[[2, 3], 1, 4]
"""
import collections.abc

import numpy as np

from ..core import dtypes
from ..ops.constant_op import to_numpy
from ..core.tensor import EagerTensor, SymbolicTensor, Tensor
from ..core.tensor_shape import TensorShape, TensorSpec
from . import components

__all__ = ["flatten", "pack", "map_structure", "normalize", "spec_of",
           "describe", "batched_spec", "unbatched_spec", "to_tensors", "is_structure",
           "same_structure"]


def is_structure(x):
    """Tuples (namedtuples too) and mappings nest; everything else is a component."""
    return isinstance(x, (tuple, collections.abc.Mapping))


def _children(x):
    if isinstance(x, collections.abc.Mapping):
        return [x[k] for k in sorted(x)]
    return list(x)


def flatten(x):
    """The components of an element (or of a structure of specs), in order."""
    if not is_structure(x):
        return [x]
    out = []
    for child in _children(x):
        if is_structure(child):
            out.extend(flatten(child))
        else:
            out.append(child)
    return out


def _rebuild(template, children):
    if isinstance(template, collections.abc.Mapping):
        by_key = dict(zip(sorted(template), children))
        return type(template)((k, by_key[k]) for k in template) if type(template) is not dict \
            else {k: by_key[k] for k in template}
    if hasattr(type(template), "_fields"):
        return type(template)(*children)
    return tuple(children) if type(template) is tuple else type(template)(children)


def pack(template, flat):
    """`template`'s structure with its components replaced by `flat`, in order."""
    if not is_structure(template):
        return flat[0]
    return _pack(template, iter(flat))


def _pack(template, it):
    return _rebuild(template, [_pack(c, it) if is_structure(c) else next(it)
                               for c in _children(template)])


def map_structure(fn, x):
    return pack(x, [fn(c) for c in flatten(x)])


def same_structure(a, b):
    """True when `a` and `b` nest the same way (same tuple lengths and dict keys)."""
    if is_structure(a) != is_structure(b):
        return False
    if not is_structure(a):
        return True
    if isinstance(a, collections.abc.Mapping) != isinstance(b, collections.abc.Mapping):
        return False
    if isinstance(a, collections.abc.Mapping) and sorted(a) != sorted(b):
        return False
    if len(a) != len(b) or hasattr(type(a), "_fields") != hasattr(type(b), "_fields"):
        return False
    return all(same_structure(x, y) for x, y in zip(_children(a), _children(b)))


# -- components --------------------------------------------------------------------------------

def component(value, dtype=None):
    """One component as a tensor: eager from Python/NumPy values, symbolic values as they
    are (while a graph is being built). Composite values (datasets) pass through."""
    if isinstance(value, Tensor):
        return value
    if getattr(value, "_autotrace_variable", False):
        return value.read_value()
    if hasattr(value, "_type_spec"):  # composite values (datasets) are components too
        return value
    array = to_numpy(value, None if dtype is None else dtypes.as_dtype(dtype))
    if array is value:  # the caller's own array: the dataset must not change when it does
        array = array.copy()
    return EagerTensor(array)


def normalize(element):
    """An element (nest of Python/NumPy values and tensors) as a nest of tensors."""
    return map_structure(component, element)


def spec_of(value):
    """The spec of one component."""
    spec = getattr(value, "_type_spec", None)
    if spec is not None:
        return spec
    return TensorSpec(value.shape, value.dtype)


def describe(element_spec):
    """Short text of an element spec: `(float32[], int32[2])`."""
    if isinstance(element_spec, collections.abc.Mapping):
        return "{%s}" % ", ".join("%r: %s" % (k, describe(element_spec[k]))
                                  for k in sorted(element_spec))
    if is_structure(element_spec):
        return "(%s)" % ", ".join(describe(c) for c in element_spec)
    short = getattr(element_spec, "short", None)
    return short() if callable(short) else repr(element_spec)


def parenthesized(element_spec):
    """`describe` in parentheses: `(int64[])`, `(float32[], int32[])`."""
    text = describe(element_spec)
    return text if type(element_spec) is tuple else "(%s)" % text


def batched_spec(spec, batch_dim, ragged=False):
    """A component spec with a leading batch dimension (int or None)."""
    return components.batch_spec(spec, batch_dim, ragged)


def unbatched_spec(spec, what):
    """A component spec without its leading dimension (ValueError for scalars)."""
    return components.row_spec(spec, what)


def to_tensors(element_spec, flat):
    """A flat tuple of NumPy values packed as the user sees it: tensors in the spec's nest."""
    return packer(element_spec)(flat)


def packer(element_spec):
    """A function packing flat values as `to_tensors` does, made once per spec (iteration
    is a hot path: a tuple of plain tensors takes a shortcut)."""
    flat_specs = flatten(element_spec)
    plain = all(type(s) is TensorSpec for s in flat_specs)
    if plain and not is_structure(element_spec):
        return lambda flat: EagerTensor(flat[0])
    if plain and type(element_spec) is tuple and len(flat_specs) == len(element_spec):
        return lambda flat: tuple(map(EagerTensor, flat))
    return lambda flat: pack(element_spec, [_tensor(s, v) for s, v in zip(flat_specs, flat)])


def _tensor(spec, value):
    return components.user_value(spec, value)


def to_numpy_structure(element_spec, flat):
    """For as_numpy_iterator: NumPy values (bytes for scalar strings) in the spec's nest."""
    def value(spec, v):
        if type(spec) is not TensorSpec:
            shown = _tensor(spec, v)
            return shown.numpy() if isinstance(shown, EagerTensor) else shown
        if isinstance(v, np.ndarray):
            if v.ndim == 0:
                return v[()]
            if v.base is not None:  # a view of the dataset's own data: the caller may write
                return v.copy()
        return v
    return pack(element_spec, [value(s, v) for s, v in zip(flatten(element_spec), flat)])
