"""Products of tensors: matmul, tensordot, einsum, and conj, with their gradient rules.

>>> import autotrace as tf
>>> tf.matmul([[1.0, 2.0]], [[3.0], [4.0]]).numpy()
array([[11.]], dtype=float32)

Gradients of complex products use the conjugate of the other factor (TF's convention), so
d(a @ b) sends g @ adjoint(b) to a.
"""
import string

import numpy as np

from ..core.errors import InvalidArgumentError, InvalidShapeError
from ..core.tensor_shape import TensorShape
from . import array_ops
from .math_ops import _tensor, binary_operands, unbroadcast
from .registry import apply, defop
from .shapes import NUMERIC, broadcast_shapes, check_dtype, check_same_dtype, normalize_axis

__all__ = ["matmul", "conj", "tensordot", "einsum"]


# -- conj --------------------------------------------------------------------------------------

def conj(x, name=None):
    """Complex conjugate (the identity for real tensors)."""
    x = _tensor(x)
    if not x.dtype.is_complex:
        return x
    return apply(CONJ, (x,), None, name)


def _conj_infer(x):
    check_dtype("Conj", x, NUMERIC)
    return x.dtype, x.shape


CONJ = defop("Conj", np.conj, _conj_infer, grad=lambda op, g: [conj(g)])


# -- matmul ------------------------------------------------------------------------------------

def _matrix_dims(shape, transpose):
    dims = shape.as_tuple()
    rows, cols = dims[-2], dims[-1]
    return (cols, rows) if transpose else (rows, cols)


def _rank_error(label, shape):
    return InvalidShapeError(
        "MatMul: %s must have rank >= 2, got shape %s; reshape a vector to a matrix "
        "(e.g. autotrace.expand_dims(%s, 0)) or use autotrace.tensordot" % (label, shape, label))


def _matmul_infer(a, b, transpose_a, transpose_b):
    dtype = check_same_dtype("MatMul", (a, b), ("a", "b"))
    check_dtype("MatMul", a, NUMERIC, "a")
    ra, rb = a.shape.rank, b.shape.rank
    for label, t, rank in (("a", a, ra), ("b", b, rb)):
        if rank is not None and rank < 2:
            raise _rank_error(label, t.shape)
    if ra is None or rb is None:
        return dtype, None
    m, k1 = _matrix_dims(a.shape, transpose_a)
    k2, n = _matrix_dims(b.shape, transpose_b)
    if k1 is not None and k2 is not None and k1 != k2:
        raise InvalidShapeError(
            "MatMul: cannot multiply a (%s, shape %s) by b (%s, shape %s): %s has %d columns "
            "but %s has %d rows. The last dimension of the left matrix must equal the "
            "second-to-last of the right one; check the shapes or use transpose_a / "
            "transpose_b" % (a.dtype.name, a.shape, b.dtype.name, b.shape,
                             "transpose(a)" if transpose_a else "a", k1,
                             "transpose(b)" if transpose_b else "b", k2))
    batch = broadcast_shapes("MatMul", a.shape[:-2], b.shape[:-2])
    return dtype, batch.concatenate([m, n])


def _matmul(a, b, transpose_a, transpose_b):
    if a.ndim < 2 or b.ndim < 2:  # np.matmul would accept vectors; TF does not
        raise _rank_error("a" if a.ndim < 2 else "b", TensorShape(a.shape if a.ndim < 2
                                                                  else b.shape))
    if transpose_a:
        a = np.swapaxes(a, -1, -2)
    if transpose_b:
        b = np.swapaxes(b, -1, -2)
    return np.matmul(a, b)


def _matmul_grad(op, g):
    """d(a @ b): g @ b^H for a and a^H @ g for b (transposes and batch broadcasting kept;
    ^H is the conjugate transpose, as TF: a plain transpose for real tensors)."""
    a, b = conj(op.inputs[0]), conj(op.inputs[1])
    ta, tb = op.attrs["transpose_a"], op.attrs["transpose_b"]
    if not ta and not tb:
        da, db = matmul(g, b, transpose_b=True), matmul(a, g, transpose_a=True)
    elif not ta and tb:
        da, db = matmul(g, b), matmul(g, a, transpose_a=True)
    elif ta and not tb:
        da, db = matmul(b, g, transpose_b=True), matmul(a, g)
    else:
        da, db = matmul(b, g, transpose_a=True, transpose_b=True), \
            matmul(g, a, transpose_a=True, transpose_b=True)
    return [unbroadcast(da, op.inputs[0]), unbroadcast(db, op.inputs[1])]


def _matmul_source(op, args, outs, ctx):
    """Generated code: `a @ b` (transposed operands call the kernel)."""
    if op.attrs["transpose_a"] or op.attrs["transpose_b"]:
        return None
    return ["%s = %s @ %s" % (outs[0], args[0], args[1])]


MATMUL = defop("MatMul", _matmul, _matmul_infer, inputs=("a", "b"), accepts=NUMERIC,
               grad=_matmul_grad, emit=_matmul_source)


def matmul(a, b, transpose_a=False, transpose_b=False, adjoint_a=False, adjoint_b=False,
           name=None):
    """Matrix product of the last two dimensions (leading dimensions broadcast as batches).

    >>> matmul([[1.0, 2.0]], [[3.0], [4.0]]).numpy()
    array([[11.]], dtype=float32)
    """
    a, b = binary_operands("MatMul", a, b, ("a", "b"))
    if adjoint_a:
        a, transpose_a = conj(a), not transpose_a
    if adjoint_b:
        b, transpose_b = conj(b), not transpose_b
    return apply(MATMUL, (a, b), {"transpose_a": bool(transpose_a),
                                  "transpose_b": bool(transpose_b)}, name)


# -- tensordot ---------------------------------------------------------------------------------

def _tensordot_axes(axes, ra, rb):
    if isinstance(axes, int):
        if axes < 0 or axes > min(ra, rb):
            raise InvalidArgumentError("tensordot: axes=%d is out of range for ranks %d and %d"
                                       % (axes, ra, rb))
        return list(range(ra - axes, ra)), list(range(axes))
    axes_a, axes_b = axes
    axes_a = [axes_a] if isinstance(axes_a, int) else list(axes_a)
    axes_b = [axes_b] if isinstance(axes_b, int) else list(axes_b)
    axes_a = [normalize_axis("Tensordot", x, ra) for x in axes_a]
    axes_b = [normalize_axis("Tensordot", x, rb) for x in axes_b]
    if len(axes_a) != len(axes_b):
        raise InvalidArgumentError("tensordot: %d axes of a but %d axes of b"
                                   % (len(axes_a), len(axes_b)))
    return axes_a, axes_b


def tensordot(a, b, axes, name=None):
    """Sum of products over `axes` of a and b (an int n: last n of a with first n of b; or a
    pair of axis lists). Built from transpose, reshape and matmul, so it differentiates."""
    a, b = binary_operands("Tensordot", a, b, ("a", "b"))
    ra, rb = a.shape.rank, b.shape.rank
    if ra is None or rb is None:
        raise InvalidArgumentError("tensordot needs inputs of known rank")
    axes_a, axes_b = _tensordot_axes(axes, ra, rb)
    sa, sb = a.shape.as_list(), b.shape.as_list()
    for i, j in zip(axes_a, axes_b):
        if sa[i] is not None and sb[j] is not None and sa[i] != sb[j]:
            raise InvalidShapeError("tensordot: a's axis %d has length %d but b's axis %d has "
                                    "length %d" % (i, sa[i], j, sb[j]))
    free_a = [i for i in range(ra) if i not in axes_a]
    free_b = [i for i in range(rb) if i not in axes_b]
    if None in sa or None in sb:
        raise InvalidArgumentError("tensordot needs fully known shapes, got %s and %s"
                                   % (a.shape, b.shape))
    size = lambda dims: int(np.prod(dims)) if dims else 1  # noqa: E731
    a2 = array_ops.reshape(array_ops.transpose(a, free_a + axes_a),
                           [size([sa[i] for i in free_a]), size([sa[i] for i in axes_a])])
    b2 = array_ops.reshape(array_ops.transpose(b, axes_b + free_b),
                           [size([sb[i] for i in axes_b]), size([sb[i] for i in free_b])])
    out = matmul(a2, b2)
    return array_ops.reshape(out, [sa[i] for i in free_a] + [sb[i] for i in free_b], name=name)


# -- einsum ------------------------------------------------------------------------------------

def _einsum_infer(*inputs, equation):
    dtype = check_same_dtype("Einsum", inputs, ["inputs[%d]" % i for i in range(len(inputs))])
    lhs, _, rhs = equation.replace(" ", "").partition("->")
    specs = lhs.split(",")
    if len(specs) != len(inputs):
        raise InvalidArgumentError("Einsum: equation %r names %d inputs but %d were given"
                                   % (equation, len(specs), len(inputs)))
    if "..." in equation or not rhs and "->" not in equation:
        return dtype, _einsum_shape_by_example(inputs, equation)
    sizes = {}
    for spec, t in zip(specs, inputs):
        if t.shape.rank is not None and len(spec) != t.shape.rank:
            raise InvalidShapeError("Einsum: %r has %d labels but input has shape %s"
                                    % (spec, len(spec), t.shape))
        for label, dim in zip(spec, t.shape.as_tuple() or ()):
            known = sizes.get(label)
            if None not in (dim, known) and known != dim and 1 not in (known, dim):
                raise InvalidShapeError("Einsum: label %r has length %d in one input and %d in "
                                        "another" % (label, known, dim))
            if dim is not None and (label not in sizes or sizes[label] in (None, 1)):
                sizes[label] = dim
            sizes.setdefault(label, None)
    return dtype, [sizes.get(label) for label in rhs]


def _einsum_shape_by_example(inputs, equation):
    if not all(t.shape.is_fully_defined() for t in inputs):
        return None
    dummies = [np.zeros(t.shape.as_list(), t.dtype.np) for t in inputs]
    return np.einsum(equation, *dummies).shape


def _einsum(*inputs, equation):
    return np.einsum(equation, *inputs, optimize=len(inputs) > 2)


def _explicit_equation(equation, ranks):
    """(input subscripts, output subscript) with '...' spelled out as letters and the
    implicit output (labels used once, sorted) made explicit."""
    lhs, arrow, rhs = equation.replace(" ", "").partition("->")
    specs = lhs.split(",")
    if "..." in equation:
        if any(r is None for r in ranks):
            raise InvalidArgumentError("Einsum gradient: %r has an ellipsis, so the ranks of "
                                       "the inputs must be known" % equation)
        free = [c for c in string.ascii_letters if c not in equation]
        widths = [r - (len(s) - 3) if "..." in s else 0 for s, r in zip(specs, ranks)]
        letters = "".join(free[:max(widths)])
        specs = [s.replace("...", letters[len(letters) - w:]) for s, w in zip(specs, widths)]
        rhs = rhs.replace("...", letters) if arrow else rhs
    else:
        letters = ""
    if not arrow:
        joined = "".join(specs)
        rhs = letters + "".join(sorted(c for c in set(joined) if joined.count(c) == 1
                                       and c not in letters))
    return specs, rhs


def _einsum_grad(op, g):
    """Einsum's gradient is an einsum: for input i, the output's subscript and the other
    inputs (conjugated) give input i's subscript. Labels only input i has are restored with
    a ones operand of its shape; a label repeated in input i (a diagonal) with an identity."""
    inputs = op.inputs
    specs, out = _explicit_equation(op.attrs["equation"], [t.shape.rank for t in inputs])
    grads = []
    for i, x in enumerate(inputs):
        others = [(s, conj(t)) for j, (s, t) in enumerate(zip(specs, inputs)) if j != i]
        grads.append(_einsum_input_grad(g, out, others, specs[i], x))
    return grads


def _einsum_input_grad(g, out, others, spec, x):
    operands = [(out, g)] + others
    free = iter(c for c in string.ascii_letters if c not in "".join([out, spec] +
                                                                  [s for s, _ in others]))
    target, seen = "", set()
    for pos, label in enumerate(spec):
        if label not in seen:
            seen.add(label)
            target += label
            continue
        fresh = next(free)  # a repeated label: the gradient lies on the diagonal
        target += fresh
        operands.append((label + fresh, _identity(x, pos)))
    known = "".join(s for s, _ in operands)
    if any(label not in known for label in spec):
        operands.append((spec, array_ops.ones_like(x)))
    equation = ",".join(s for s, _ in operands) + "->" + target
    grad = einsum(equation, *[t for _, t in operands])
    return unbroadcast(grad, x)  # labels of length 1 in x that broadcast against others


def _identity(x, axis):
    n = x.shape.as_tuple()[axis]
    if n is None:
        raise InvalidArgumentError("Einsum gradient: a label repeated in one input (a "
                                   "diagonal) needs its length known, got shape %s" % x.shape)
    return array_ops.eye(n, dtype=x.dtype)


EINSUM = defop("Einsum", _einsum, _einsum_infer, inputs=("inputs",), eager_check=True,
               grad=_einsum_grad)


def einsum(equation, *inputs, name=None, **kwargs):
    """Einstein summation, e.g. einsum('ij,jk->ik', a, b) is a matrix product."""
    tensors = [_tensor(t) for t in inputs]
    if len(tensors) > 1:
        check_same_dtype("Einsum", tensors, ["inputs[%d]" % i for i in range(len(tensors))])
    return apply(EINSUM, tensors, {"equation": equation}, name)
