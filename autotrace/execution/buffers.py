"""Buffer reuse in generated code: elementwise ops write into arrays that are dead.

    Neg = np.negative(x)
    mul = np.multiply(Neg, x, out=Neg)      # Neg dies here: its array takes the product
    Exp = np.exp(mul, out=mul)

NumPy allocates a new array for every `a * b`; a chain of named intermediates therefore
touches fresh memory at each step, where the same chain written as one expression would let
NumPy reuse its temporaries. The plan below gives each elementwise op an array to write into
when one is free, deciding at code-generation time from the graph alone:

- only arrays the generated code made itself are ever written: outputs of elementwise ufunc
  ops (never a caller's argument, a constant, a variable's value or anything a kernel may
  return a view of);
- an array is free once its value is dead, provided every op that read it is elementwise
  (those keep no reference): a value read by any other op (a reshape may return a view, a
  cond may pass it through) is never written again; values returned by the function are
  never free, so a returned array is never overwritten, in this call or a later one (buffers
  live for one call only: nothing is kept between calls);
- the array written must have the result's dtype and shape: a dying input whose shape is the
  broadcast result's, or a free array of the same fully known shape and dtype;
- results must be bitwise those of the allocating call. Ops that round exactly (+, -, *, /,
  sqrt, comparisons...) give the same values whatever the memory layout; transcendental ones
  (exp, sin, pow...) may take another NumPy loop when the output's layout differs from the
  input's, so they write only into their own dying input, or into 1-D arrays;
- small arrays are left to NumPy (below `MIN_ELEMENTS` allocation costs nothing), so the code
  of small functions reads as before.
"""
import numpy as np

__all__ = ["plan_buffers", "elementwise_ufunc", "MIN_ELEMENTS"]

MIN_ELEMENTS = 1024

# Ops whose kernel wraps a ufunc (for values that are not strings); other ops count when
# their kernel is a NumPy ufunc itself.
UFUNC_KERNELS = {"AddV2": np.add, "Reciprocal": np.reciprocal, "Sign": np.sign}

# Correctly rounded (or exact) ufuncs: each element's result does not depend on the loop
# NumPy picks.
EXACT_UFUNCS = frozenset([
    np.add, np.subtract, np.multiply, np.true_divide, np.negative, np.absolute, np.square,
    np.sqrt, np.maximum, np.minimum, np.fmax, np.fmin, np.floor, np.ceil, np.rint, np.trunc,
    np.sign, np.reciprocal, np.equal, np.not_equal, np.less, np.less_equal, np.greater,
    np.greater_equal, np.logical_and, np.logical_or, np.logical_xor, np.logical_not,
    np.bitwise_and, np.bitwise_or, np.bitwise_xor, np.invert, np.isnan, np.isinf,
    np.isfinite])

_NUMERIC_KINDS = "biufc"


def elementwise_ufunc(op):
    """The NumPy ufunc computing `op` (one output, inputs as given), or None."""
    ufunc = UFUNC_KERNELS.get(op.type)
    if ufunc is None:
        ufunc = op.opdef.kernel
        if not isinstance(ufunc, np.ufunc) or op.attrs:
            return None
    if ufunc.nout != 1 or ufunc.nin != len(op.inputs) or len(op.outputs) != 1:
        return None
    opdef = op.opdef
    if op.control_inputs or opdef.stateful or opdef.uses_runtime or opdef.emit is not None:
        return None
    if any(t.dtype.np.kind not in _NUMERIC_KINDS for t in list(op.inputs) + op.outputs):
        return None
    return ufunc


class BufferPlan:
    """Where each op of a straight-line list writes, and when dead names may be dropped.

    `out[i]`: the tensor whose array op i writes into (by id), if any. `held`: ids of dead
    tensors whose array waits for a later op: their name is kept until `release_at[i]`."""

    def __init__(self):
        self.ufuncs = {}        # op index -> ufunc, for every elementwise op
        self.out = {}           # op index -> id of the tensor whose array it writes into
        self.held = set()
        self.release_at = {}    # op index -> ids of held tensors to drop after it


def plan_buffers(ops, keep, last_use):
    """The BufferPlan of `ops` (in program order); `keep`: ids of tensors never written
    (inputs and outputs of the graph); `last_use`: id(tensor) -> index of its last reader."""
    plan = BufferPlan()
    for i, op in enumerate(ops):
        ufunc = elementwise_ufunc(op)
        if ufunc is not None:
            plan.ufuncs[i] = ufunc
    owned = _owned_tensors(ops, plan.ufuncs, keep)
    free = {}  # (dtype, shape) -> [tensor], arrays dead before the current op
    for i, op in enumerate(ops):
        dying = _dying_inputs(op, i, owned, last_use)
        if i in plan.ufuncs and _worth_writing(op.outputs[0]):
            chosen = _pick_buffer(op, plan.ufuncs[i], dying, free)
            if chosen is not None:
                plan.out[i] = id(chosen)
                if any(t is chosen for t in dying):
                    dying = [t for t in dying if t is not chosen]
                else:  # one of the free arrays: its name was held till now
                    plan.held.add(id(chosen))
                    plan.release_at.setdefault(i, []).append(id(chosen))
        for t in dying:
            if t.shape.is_fully_defined():
                free.setdefault(_key(t), []).append(t)
    return plan


def _owned_tensors(ops, ufuncs, keep):
    """Tensors made by elementwise ops and read by elementwise ops only (so no view of
    them exists), other than the graph's inputs and outputs."""
    made = {id(op.outputs[0]): op.outputs[0] for i, op in enumerate(ops) if i in ufuncs
            and op.outputs[0].shape.rank}
    for i, op in enumerate(ops):
        if i not in ufuncs:
            for t in op.inputs:
                made.pop(id(t), None)
    return {tid for tid in made if tid not in keep}


def _dying_inputs(op, i, owned, last_use):
    dying = {}
    for t in op.inputs:
        if id(t) in owned and last_use.get(id(t)) == i:
            dying[id(t)] = t
    return list(dying.values())


def _worth_writing(out):
    if not out.shape.rank:
        return False  # 0-d results are NumPy scalars, not arrays
    n = out.shape.num_elements()
    return n is None or n >= MIN_ELEMENTS


def _pick_buffer(op, ufunc, dying, free):
    out = op.outputs[0]
    for t in dying:
        if t.dtype == out.dtype and _holds_result(t, op):
            if ufunc in EXACT_UFUNCS or len(op.inputs) == 1 or out.shape.rank == 1:
                return t
    if not out.shape.is_fully_defined():
        return None
    if ufunc not in EXACT_UFUNCS and out.shape.rank != 1:
        return None
    candidates = free.get(_key(out))
    return candidates.pop() if candidates else None


def _holds_result(t, op):
    """Is the shape of input `t` the shape of the (broadcast) result, whatever the unknown
    dimensions turn out to be? Each dimension must be t's own: known and equal to the
    result's, or one that every other input leaves alone (absent or 1)."""
    mine, result = t.shape.dims, op.outputs[0].shape.dims
    if mine is None or result is None or len(mine) != len(result):
        return False
    others = [o.shape.dims for o in op.inputs if o is not t]
    if any(dims is None for dims in others):
        return False
    for axis, (d, r) in enumerate(zip(mine, result)):
        if d is not None and d == r and d != 1:
            continue
        for dims in others:
            k = axis - (len(mine) - len(dims))
            if k >= 0 and dims[k] != 1:
                if d == 1 or d is None or dims[k] != d:
                    return False
    return True


def _key(t):
    return (t.dtype, t.shape.as_tuple())
