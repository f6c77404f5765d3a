"""What the non-array values of a graph become under XLA: TensorArray lists and the stacks of
a while_loop's gradient, as JAX pytrees of preallocated arrays (XLA needs fixed sizes).

    JaxList(buffer [size, *element_shape], size)   a TensorList; `buffer` None until first
                                                  written (its element shape is unknown
                                                  before), reading as zeros
    JaxStack(buffer [capacity, ...], size)         a stack of per-iteration values; `buffer`
                                                  None until the first push

A buffer made on first write cannot come into being inside a loop body or a cond branch
alone: the lowering of control flow looks at what the sub-graph makes (jax.eval_shape) and
allocates zeros before the loop or cond (see allocate_like).
"""
import numpy as np
import jax
import jax.numpy as jnp
from jax.tree_util import register_pytree_node_class

__all__ = ["JaxList", "JaxStack", "allocate_like"]


@register_pytree_node_class
class JaxList:
    """A TensorList: `size` elements of `dtype` (a NumPy dtype) in `buffer`."""

    def __init__(self, buffer, size, dtype):
        self.buffer = buffer
        self.size = size
        self._dtype = None if dtype is None else np.dtype(dtype)

    @property
    def dtype(self):
        """The element dtype (a NumPy dtype; None before the first write if not declared)."""
        return self._dtype if self.buffer is None else self.buffer.dtype

    @property
    def allocated(self):
        return self.buffer is not None

    @property
    def element_shape(self):
        return None if self.buffer is None else tuple(self.buffer.shape[1:])

    def with_buffer(self, buffer):
        return JaxList(buffer, buffer.shape[0], None)

    def zeros(self, element_shape):
        return self.with_buffer(jnp.zeros((self.size,) + tuple(element_shape), self.dtype))

    def tree_flatten(self):
        # The metadata must not depend on the buffer, which JAX replaces by tracers.
        if self.buffer is None:
            return (), (self.size, self._dtype, False)
        return (self.buffer,), (self.size, None, True)

    @classmethod
    def tree_unflatten(cls, aux, children):
        size, dtype, allocated = aux
        return cls(children[0] if allocated else None, size, dtype)

    def __repr__(self):
        return "<JaxList of %d %s%s>" % (self.size, self.dtype, "" if self.buffer is None else
                                         " elements %s" % (self.element_shape,))


@register_pytree_node_class
class JaxStack:
    """A stack of up to `capacity` values (each a pytree of arrays); `size` is how many are
    on it (an int32 array: it changes inside loops)."""

    def __init__(self, buffer, size, capacity):
        self.buffer = buffer
        self.size = size
        self.capacity = capacity

    @property
    def allocated(self):
        return self.buffer is not None

    def tree_flatten(self):
        if self.buffer is None:
            return (self.size,), (self.capacity, False)
        return (self.buffer, self.size), (self.capacity, True)

    @classmethod
    def tree_unflatten(cls, aux, children):
        capacity, allocated = aux
        if not allocated:
            return cls(None, children[0], capacity)
        return cls(children[0], children[1], capacity)

    def __repr__(self):
        return "<JaxStack capacity %s>" % (self.capacity,)


def _is_container(x):
    return isinstance(x, (JaxList, JaxStack))


def allocate_like(value, spec):
    """`value` with each unallocated list or stack given the zero buffers of its counterpart in
    `spec` (the shapes a sub-graph produced, from jax.eval_shape)."""
    if isinstance(value, JaxList) and isinstance(spec, JaxList):
        if value.buffer is None and spec.buffer is not None:
            return value.with_buffer(jnp.zeros(spec.buffer.shape, spec.buffer.dtype))
        return value
    if isinstance(value, JaxStack) and isinstance(spec, JaxStack):
        if value.buffer is None and spec.buffer is not None:
            return JaxStack(zeros_like_spec(spec.buffer), value.size, spec.capacity)
        if value.buffer is not None and spec.buffer is not None:
            return JaxStack(allocate_like(value.buffer, spec.buffer), value.size,
                            value.capacity)
        return value
    if isinstance(value, (list, tuple)):
        return type(value)(allocate_like(v, s) for v, s in zip(value, spec))
    return value


def zeros_like_spec(spec):
    """Zero arrays shaped like the leaves of `spec` (arrays or ShapeDtypeStructs)."""
    return jax.tree_util.tree_map(lambda s: jnp.zeros(s.shape, s.dtype), spec)


def needs_allocation(value):
    """Does `value` (a pytree) hold an unallocated list or stack (also inside a stack)?"""
    for x in jax.tree_util.tree_leaves(value, is_leaf=_is_container):
        if _is_container(x):
            if x.buffer is None:
                return True
            if isinstance(x, JaxStack) and needs_allocation(x.buffer):
                return True
    return False
