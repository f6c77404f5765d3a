"""map_fn: apply a function to each element along the first dimension, and stack the results.

Executing eagerly it is a Python loop. While a graph is being built it is a `while_loop` over
TensorArrays, so the number of elements may be unknown until run time, the function is traced
once, and gradients flow through it.

>>> import autotrace as tf
>>> tf.map_fn(lambda row: tf.reduce_sum(row), tf.constant([[1, 2], [3, 4]])).numpy()
array([3, 7], dtype=int32)
"""
from ..core import nest
from ..core.context import state
from ..core.dtypes import as_dtype
from ..core.tensor_shape import TensorSpec
from ..ops import array_ops
from ..ops.dispatch import dispatchable
from ..ops.constant_op import convert_to_tensor
from .subgraphs import _a
from ..ops.tensor_array_ops import TensorArray
from .while_ops import while_loop

__all__ = ["map_fn"]


@dispatchable
def map_fn(fn, elems, dtype=None, parallel_iterations=None, back_prop=True,
           swap_memory=False, infer_shape=True, name=None, fn_output_signature=None):
    """`stack([fn(x) for x in unstack(elems)])`, for a tensor or a nest of tensors `elems`
    (all unstacked along their first dimension; `fn` gets the same nest of slices).

    As in TensorFlow, `fn` returns the structure of `elems` unless `fn_output_signature`
    (or the older `dtype`) says otherwise: a dtype, a TensorSpec, or a nest of them. Output
    dtypes not given are taken from the first result.

    >>> import autotrace as tf
    >>> squares = tf.map_fn(lambda x: (x, x * x), tf.constant([1, 2, 3]),
    ...                     fn_output_signature=(tf.int32, tf.int32))
    >>> squares[1].numpy()
    array([1, 4, 9], dtype=int32)
    """
    flat = [convert_to_tensor(e) for e in nest.flatten(elems)]
    if not flat:
        raise ValueError("map_fn: elems must hold at least one tensor, got %r" % (elems,))
    for t in flat:
        if t.shape.rank == 0:
            raise ValueError("map_fn: elems are unstacked along their first dimension, but %s "
                             "is a scalar" % _describe(t))
    _check_lengths(flat)
    signature = fn_output_signature if fn_output_signature is not None else dtype
    template = _output_template(elems, signature)
    if state.graph is None:
        return _eager_map(fn, elems, flat, template)
    return _graph_map(fn, elems, flat, template, infer_shape)


def _describe(t):
    return "%s tensor of shape %s" % (_a(t.dtype.name), t.shape)


def _check_lengths(flat):
    lengths = {t.shape[0] for t in flat if t.shape.rank is not None and t.shape[0] is not None}
    if len(lengths) > 1:
        raise ValueError("map_fn: all elems must have the same first dimension, got %s"
                         % ", ".join(_describe(t) for t in flat))


def _output_template(elems, signature):
    """The output nest with a dtype per leaf (None: learned from the first result)."""
    if signature is None:
        return nest.map_structure(lambda t: None, elems)
    return nest.map_structure(lambda s: s.dtype if isinstance(s, TensorSpec) else as_dtype(s),
                              signature)


def _leaves(result, template):
    leaves = nest.flatten(result)
    expected = len(nest.flatten(template))
    if len(leaves) != expected:
        raise ValueError(
            "map_fn: fn returned %d tensor(s), but %d were expected: fn must return the "
            "structure of elems unless fn_output_signature says otherwise (a dtype for one "
            "tensor, e.g. autotrace.float32; a tuple of dtypes for several)"
            % (len(leaves), expected))
    return leaves


def _eager_map(fn, elems, flat, template):
    n = flat[0].shape[0]
    results = [_leaves(fn(nest.pack_sequence_as(elems, [t[i] for t in flat])), template)
               for i in range(n)]
    if not results:
        raise ValueError("map_fn: elems is empty, so the result's shape is unknown when "
                         "executing eagerly")
    dtypes_ = nest.flatten(template)
    columns = [array_ops.stack([convert_to_tensor(v, d) for v in column])
               for column, d in zip(zip(*results), dtypes_)]
    return nest.pack_sequence_as(template, columns)


def _graph_map(fn, elems, flat, template, infer_shape):
    n = array_ops.shape(flat[0])[0]
    inputs = [TensorArray(t.dtype, size=n, infer_shape=infer_shape).unstack(t) for t in flat]
    outputs = [TensorArray(d, size=n, infer_shape=infer_shape, dynamic_size=d is None)
               for d in nest.flatten(template)]

    def body(i, *arrays):
        result = fn(nest.pack_sequence_as(elems, [a.read(i) for a in inputs]))
        return [i + 1] + [a.write(i, v) for a, v in zip(arrays, _leaves(result, template))]

    final = while_loop(lambda i, *_: i < n, body, [0] + outputs, name="map")
    return nest.pack_sequence_as(template, [a.stack() for a in final[1:]])
