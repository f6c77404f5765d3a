"""TypeSpec and CompositeTensor: values made of several tensors, described by a spec.

A composite tensor (RaggedTensor, SparseTensor, IndexedSlices, TensorArray) is a Python object
holding plain tensors, its *components*. Its `_type_spec` describes it without values (dtype,
static shape, ragged rank, ...) and knows how to take it apart and put it back together:

    spec = value._type_spec
    parts = spec._to_components(value)        # a list of tensors
    again = spec._from_components(parts)      # an equal value

Everything that moves values across a boundary goes through this protocol: a traced function's
signature key is the spec (so ragged tensors retrace by dtype, ragged rank and shape, never by
row lengths), its placeholders are the component specs, its outputs are the components; loop
variables of while_loop and outputs of cond travel as components; `nest.flatten(...,
expand_composites=True)` lists components in place of the composite.

A spec is identified by `_serialize()`, a tuple of Python values and TensorShapes: equality,
hashing, subtyping (`is_subtype_of`: shapes may be more general, everything else equal) and
`most_specific_common_supertype` are all computed from it.

>>> from autotrace.tensor_shape import TensorSpec
>>> class PairSpec(TypeSpec):
...     value_type = tuple
...     def __init__(self, shape): self._shape = TensorShape(shape)
...     def _serialize(self): return (self._shape,)
...     @property
...     def _component_specs(self): return [TensorSpec(self._shape), TensorSpec(self._shape)]
>>> PairSpec([2]).is_subtype_of(PairSpec([None]))
True
"""
from .tensor_shape import TensorShape, TensorSpec

__all__ = ["TypeSpec", "CompositeTensor", "CompositeArgumentError", "type_spec_from_value",
           "is_composite"]


class CompositeArgumentError(TypeError):
    """A composite tensor was given where a plain tensor is needed. Public ops catch it and
    look for a handler in the dispatch table (autotrace.ops.dispatch)."""

    def __init__(self, value, message=None):
        self.value = value
        super().__init__(message or (
            "%s cannot be converted to a Tensor%s" % (type(value).__name__,
                                                      getattr(value, "_conversion_advice", ""))))


class TypeSpec:
    """The spec of a composite tensor. Subclasses define `value_type`, `_serialize()`,
    `_component_specs`, `_to_components(value)` and `_from_components(components)`."""

    __slots__ = ()
    value_type = None

    # -- the protocol (subclasses) -------------------------------------------------------------
    def _serialize(self):
        raise NotImplementedError

    @property
    def _component_specs(self):
        """TensorSpecs (or nested TypeSpecs) of the components, in order."""
        raise NotImplementedError

    def _to_components(self, value):
        raise NotImplementedError

    def _from_components(self, components):
        raise NotImplementedError

    def _with_serialized(self, fields):
        """A spec of the same kind from serialized fields (used to build supertypes)."""
        return type(self)(*fields)

    # -- flattening ----------------------------------------------------------------------------
    def _flat_tensor_specs(self):
        """The component TensorSpecs with nested TypeSpecs expanded."""
        flat = []
        for spec in self._component_specs:
            if isinstance(spec, TypeSpec):
                flat.extend(spec._flat_tensor_specs())
            else:
                flat.append(spec)
        return flat

    def _flat_components(self, value):
        """The value's components as a flat list of tensors (nested composites expanded)."""
        flat = []
        for spec, part in zip(self._component_specs, self._to_components(value)):
            if isinstance(spec, TypeSpec):
                flat.extend(spec._flat_components(part))
            else:
                flat.append(part)
        return flat

    def _from_flat_components(self, flat):
        """Inverse of `_flat_components`: consume the flat tensors, rebuild the value."""
        parts, index = [], 0
        for spec in self._component_specs:
            if isinstance(spec, TypeSpec):
                n = len(spec._flat_tensor_specs())
                parts.append(spec._from_flat_components(flat[index:index + n]))
                index += n
            else:
                parts.append(flat[index])
                index += 1
        return self._from_components(parts)

    # -- comparisons ---------------------------------------------------------------------------
    def __eq__(self, other):
        return type(other) is type(self) and self._serialize() == other._serialize()

    def __ne__(self, other):
        return not self == other

    def __hash__(self):
        return hash((type(self), self._serialize()))

    def is_subtype_of(self, other):
        """True if every value of this spec is also a value of `other` (shapes may be more
        general in `other`; everything else must be equal)."""
        if type(other) is not type(self):
            return False
        return all(_fields_agree(a, b, "is_subtype_of")
                   for a, b in zip(self._serialize(), other._serialize()))

    def is_compatible_with(self, spec_or_value):
        other = spec_or_value if isinstance(spec_or_value, TypeSpec) else \
            getattr(spec_or_value, "_type_spec", None)
        if type(other) is not type(self):
            return False
        return all(_fields_agree(a, b, "is_compatible_with")
                   for a, b in zip(self._serialize(), other._serialize()))

    def most_specific_common_supertype(self, others):
        """The most specific spec both this and every one of `others` are subtypes of (shapes
        generalised dim by dim), or None if there is none."""
        fields = list(self._serialize())
        for other in others:
            if type(other) is not type(self):
                return None
            merged = []
            for a, b in zip(fields, other._serialize()):
                field = _field_supertype(a, b)
                if field is _NO_SUPERTYPE:
                    return None
                merged.append(field)
            fields = merged
        return self._with_serialized(fields)

    def most_specific_compatible_type(self, other):
        result = self.most_specific_common_supertype([other])
        if result is None:
            raise ValueError("No TypeSpec is compatible with both %r and %r" % (self, other))
        return result

    def short(self):
        """Compact text for signatures and retrace explanations."""
        return repr(self)


_NO_SUPERTYPE = object()


def _fields_agree(a, b, relation):
    """Shapes and nested specs by `relation` ("is_subtype_of", "is_compatible_with"),
    everything else by equality."""
    if (isinstance(a, TensorShape) and isinstance(b, TensorShape)) or \
            (isinstance(a, TypeSpec) and isinstance(b, TypeSpec)):
        return getattr(a, relation)(b)
    return a == b


def _field_supertype(a, b):
    if isinstance(a, TensorShape) and isinstance(b, TensorShape):
        return a.most_specific_compatible_shape(b)
    if isinstance(a, TypeSpec) and isinstance(b, TypeSpec):
        merged = a.most_specific_common_supertype([b])
        return _NO_SUPERTYPE if merged is None else merged
    return a if a == b else _NO_SUPERTYPE


class CompositeTensor:
    """Base of values made of several tensors (see the module docstring). Subclasses define
    `_type_spec`. Converting one to a plain tensor raises CompositeArgumentError unless the
    subclass says how (IndexedSlices densifies)."""

    __slots__ = ()
    # NumPy operators defer to ours (`ndarray + ragged` -> RaggedTensor.__radd__).
    __array_priority__ = 200
    __array_ufunc__ = None
    _conversion_advice = ""

    @property
    def _type_spec(self):
        raise NotImplementedError

    def _as_tensor(self, dtype=None):
        raise CompositeArgumentError(self)

    # -- gradients: which components carry them ------------------------------------------------
    def _gradient_components(self):
        """The components a gradient flows through (default: all floating ones)."""
        return [c for c in self._type_spec._flat_components(self) if c.dtype.is_floating]

    def _with_gradient_components(self, grads):
        """This value with its gradient components replaced by `grads` (None if all are)."""
        raise NotImplementedError(
            "Gradients with respect to a %s are not supported" % type(self).__name__)


def is_composite(value):
    return isinstance(value, CompositeTensor)


def type_spec_from_value(value):
    """The TypeSpec (or TensorSpec) describing `value`."""
    if isinstance(value, CompositeTensor):
        return value._type_spec
    shape, dtype = getattr(value, "shape", None), getattr(value, "dtype", None)
    if shape is not None and dtype is not None:
        return TensorSpec(shape, dtype)
    raise TypeError("Could not build a TypeSpec for %r of type %s"
                    % (value, type(value).__name__))
