"""Unsorted segment reductions: result[s] reduces the rows of `data` whose segment id is s
(UnsortedSegmentSum lives in gather_ops, as the adjoint of gather; max, min and prod here).

Ragged reductions over a ragged axis are segment reductions over the rows. An empty segment
holds the reduction's identity: the lowest value for max, the highest for min, 1 for prod (as
TensorFlow).

>>> import autotrace as tf
>>> tf.math.unsorted_segment_max([1.0, 5.0, 2.0], [0, 0, 2], 3).numpy()
array([ 5.0000000e+00, -3.4028235e+38,  2.0000000e+00], dtype=float32)
"""
import numpy as np

from ..core.errors import InvalidArgumentError
from .array_ops import as_array, as_tensor, scalar_value
from .gather_ops import (_index_tensor, _unsorted_segment_sum_infer, gather,
                         sorted_segments_into, unsorted_segment_sum)
from .registry import apply, defop

__all__ = ["unsorted_segment_sum", "unsorted_segment_max", "unsorted_segment_min",
           "unsorted_segment_prod"]


def _lowest(dtype):
    return np.finfo(dtype).min if dtype.kind == "f" else np.iinfo(dtype).min


def _highest(dtype):
    return np.finfo(dtype).max if dtype.kind == "f" else np.iinfo(dtype).max


def _segment_kernel(op_type, ufunc, initial):
    def kernel(data, segment_ids, num_segments):
        data, ids = as_array(data), np.asarray(segment_ids)
        n = scalar_value(op_type, "num_segments", num_segments)
        bad = ids >= n
        if bad.any():
            pos = tuple(int(p) for p in np.argwhere(bad)[0])
            raise InvalidArgumentError("%s: segment_ids%s = %d is not in [0, %d) "
                                       "(num_segments)" % (op_type, list(pos), ids[pos], n))
        out = np.full((n,) + data.shape[ids.ndim:], initial(data.dtype), data.dtype)
        if not sorted_segments_into(out, ufunc, data, ids):
            keep = ids >= 0  # negative ids are dropped, as TF
            ufunc.at(out, ids[keep], data[keep])
        return out
    return kernel


def _segment_infer(op_type):
    def infer(data, segment_ids, num_segments):
        if data.dtype.is_complex or data.dtype.is_string or data.dtype.is_bool:
            raise InvalidArgumentError("%s: data must be a real number tensor, got %s"
                                       % (op_type, data.dtype.name))
        return _unsorted_segment_sum_infer(data, segment_ids, num_segments)
    return infer


def _kept(ids, like):
    """segment ids clipped to >= 0, and a mask of the rows with ids >= 0, shaped like `like`."""
    from .array_ops import reshape
    from .math_ops import maximum
    keep = ids >= 0
    rank = like.shape.rank
    if rank is not None and ids.shape.rank is not None and rank > ids.shape.rank:
        keep = reshape(keep, list(ids.shape.as_list()) + [1] * (rank - ids.shape.rank)
                       if ids.shape.is_fully_defined() else
                       _with_ones(ids, rank - ids.shape.rank))
    return maximum(ids, 0), keep


def _with_ones(ids, extra):
    from .array_ops import shape
    from .creation_ops import ones
    from .manip_ops import concat
    return concat([shape(ids), ones([extra], shape(ids).dtype)], axis=0)


def _extremum_grad(op, g):
    """The gradient goes to the rows equal to their segment's result, shared among ties."""
    from .creation_ops import zeros_like
    from .index_ops import where
    from .math_ops import cast, equal, truediv
    data, ids, n = op.inputs
    safe, keep = _kept(ids, data)
    chosen = equal(data, gather(op.outputs[0], safe))
    count = unsorted_segment_sum(cast(chosen, g.dtype), ids, n)
    share = gather(truediv(g, count), safe)
    picked = where(chosen, share, zeros_like(share))
    return [where(keep, picked, zeros_like(picked)), None, None]


def _prod_grad(op, g):
    """d prod / d x_i is the product of the other rows of the segment (zeros handled)."""
    from .creation_ops import ones_like, zeros_like
    from .index_ops import where
    from .math_ops import cast, equal, truediv
    data, ids, n = op.inputs
    safe, keep = _kept(ids, data)
    is_zero = equal(data, zeros_like(data))
    nonzero = where(is_zero, ones_like(data), data)
    prod_nonzero = gather(unsorted_segment_prod(nonzero, ids, n), safe)
    zeros = gather(unsorted_segment_sum(cast(is_zero, data.dtype), ids, n), safe)
    none_zero, one_zero = equal(zeros, zeros_like(zeros)), equal(zeros, ones_like(zeros))
    others = where(is_zero, where(one_zero, prod_nonzero, zeros_like(data)),
                   where(none_zero, truediv(prod_nonzero, nonzero), zeros_like(data)))
    result = others * gather(g, safe)
    return [where(keep, result, zeros_like(result)), None, None]


_SEGMENT_OPS = [
    # type, ufunc, identity, gradient
    ("UnsortedSegmentMax", np.maximum, _lowest, _extremum_grad),
    ("UnsortedSegmentMin", np.minimum, _highest, _extremum_grad),
    ("UnsortedSegmentProd", np.multiply, lambda dtype: dtype.type(1), _prod_grad),
]
SEGMENT_OPS = {
    op_type: defop(op_type, _segment_kernel(op_type, ufunc, identity),
                   _segment_infer(op_type), grad=grad,
                   inputs=("data", "segment_ids", "num_segments"), eager_check=True)
    for op_type, ufunc, identity, grad in _SEGMENT_OPS}


def _segment_fn(op_type):
    opdef = SEGMENT_OPS[op_type]

    def fn(data, segment_ids, num_segments, name=None):
        data, ids = as_tensor(data), _index_tensor(segment_ids)
        return apply(opdef, (data, ids, as_tensor(num_segments)), None, name)
    fn.__name__ = fn.__qualname__ = "unsorted_segment_" + op_type[len("UnsortedSegment"):].lower()
    return fn


unsorted_segment_max = _segment_fn("UnsortedSegmentMax")
unsorted_segment_max.__doc__ = "Largest row of `data` per segment (lowest value if empty)."
unsorted_segment_min = _segment_fn("UnsortedSegmentMin")
unsorted_segment_min.__doc__ = "Smallest row of `data` per segment (highest value if empty)."
unsorted_segment_prod = _segment_fn("UnsortedSegmentProd")
unsorted_segment_prod.__doc__ = "Product of the rows of `data` per segment (1 if empty)."
