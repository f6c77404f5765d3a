"""Dispatch: public ops accept composite tensors (RaggedTensor, SparseTensor) through a table.

A public op converts its arguments to tensors; a composite argument refuses
(CompositeArgumentError, see autotrace.type_spec). The op catches that and calls `dispatch`,
which finds the handler registered for (op, the composite's type), or, for an elementwise op,
the handler registered for all unary / binary elementwise ops of that type. Plain tensors never
reach this module: the check costs nothing on the eager hot path.

Packages above the op layer register handlers; the op layer never imports them:

    dispatch.register(math_ops.reduce_sum, RaggedTensor, ragged_reduce_sum)
    dispatch.register_elementwise(RaggedTensor, unary=ragged_unary, binary=ragged_binary)

>>> import autotrace as tf
>>> tf.math.sin(tf.ragged.constant([[0.0], []]))
<tf.RaggedTensor [[0.0], []]>
"""
import functools

from ..core.type_spec import CompositeArgumentError, CompositeTensor

__all__ = ["dispatch", "dispatchable", "register", "register_elementwise",
           "UNARY_ELEMENTWISE", "BINARY_ELEMENTWISE", "CompositeArgumentError"]

_HANDLERS = {}          # (api function, composite type) -> handler(*args, **kwargs)
_UNARY_HANDLERS = {}    # composite type -> handler(api, x, **kwargs)
_BINARY_HANDLERS = {}   # composite type -> handler(api, x, y, **kwargs)
UNARY_ELEMENTWISE = set()
BINARY_ELEMENTWISE = set()


def register(api, composite_type, handler):
    """Call `handler(*args, **kwargs)` when `api` gets a `composite_type` argument."""
    _HANDLERS[(api, composite_type)] = handler


def register_elementwise(composite_type, unary=None, binary=None):
    """Handlers for every elementwise op: `unary(api, x, **kw)`, `binary(api, x, y, **kw)`."""
    if unary is not None:
        _UNARY_HANDLERS[composite_type] = unary
    if binary is not None:
        _BINARY_HANDLERS[composite_type] = binary


def _composites(args, kwargs):
    found = [a for a in args if isinstance(a, CompositeTensor)]
    found += [v for v in kwargs.values() if isinstance(v, CompositeTensor)]
    for a in list(args) + list(kwargs.values()):  # e.g. tf.concat([rt1, rt2], axis=0)
        if isinstance(a, (list, tuple)):
            found += [x for x in a if isinstance(x, CompositeTensor)]
    return found


def dispatch(api, args, kwargs, error=None):
    """Run the handler for `api` and the composite arguments; a clear TypeError if none."""
    composites = _composites(args, kwargs)
    for value in composites:
        kind = type(value)
        for cls in kind.__mro__:
            handler = _HANDLERS.get((api, cls))
            if handler is not None:
                return handler(*args, **kwargs)
            if api in UNARY_ELEMENTWISE and cls in _UNARY_HANDLERS:
                return _UNARY_HANDLERS[cls](api, *args, **kwargs)
            if api in BINARY_ELEMENTWISE and cls in _BINARY_HANDLERS:
                return _BINARY_HANDLERS[cls](api, *args, **kwargs)
    if not composites and error is not None:
        raise error
    names = sorted({type(v).__name__ for v in composites})
    advice = "".join(sorted({getattr(v, "_conversion_advice", "") for v in composites}))
    raise TypeError("%s does not support %s arguments%s"
                    % (_api_name(api), " or ".join(names), advice)) from None


def _api_name(api):
    return "autotrace.%s" % getattr(api, "__name__", repr(api))


def dispatchable(fn):
    """Make a public op accept composite arguments through the dispatch table."""
    @functools.wraps(fn)
    def api(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except CompositeArgumentError as error:
            return dispatch(api, args, kwargs, error)
    return api
