"""Complex numbers: `complex` (from real and imaginary parts), `real`, `imag` and `angle`
(TF's tf.complex, tf.math.real/imag/angle), with gradients in TF's convention (the gradient
of a real loss with respect to z is dL/dx + i dL/dy).

>>> import autotrace as tf
>>> z = tf.complex([1.0, -3.0], [2.0, -4.0])
>>> tf.math.real(z).numpy(), tf.math.imag(z).numpy()
(array([ 1., -3.], dtype=float32), array([ 2., -4.], dtype=float32))
"""
import numpy as np

from ..core import dtypes
from ..core.errors import DTypeMismatchError
from .array_ops import as_tensor
from .constant_op import convert_to_tensor
from .creation_ops import zeros_like
from .dispatch import UNARY_ELEMENTWISE, dispatchable
from .registry import apply, defop
from .shapes import NUMERIC, broadcast_shapes, check_dtype

__all__ = ["complex", "real", "imag", "angle"]

_COMPLEX_OF = {dtypes.float32: dtypes.complex64, dtypes.float64: dtypes.complex128}


# -- complex -----------------------------------------------------------------------------------

def _complex_infer(real, imag, Tout):
    if real.dtype is not imag.dtype or real.dtype not in _COMPLEX_OF:
        raise DTypeMismatchError("Complex: real and imag must both be float32 or both float64, "
                                 "got %s and %s" % (real.dtype.name, imag.dtype.name))
    return Tout, broadcast_shapes("Complex", real.shape, imag.shape)


def _complex_kernel(real, imag, Tout):
    return (np.asarray(real) + 1j * np.asarray(imag)).astype(Tout.np)


def _complex_grad(op, g):
    from .math_ops import unbroadcast
    x, y = op.inputs
    return [unbroadcast(real(g), x), unbroadcast(imag(g), y)]


COMPLEX = defop("Complex", _complex_kernel, _complex_infer, inputs=("real", "imag"),
                eager_check=True, grad=_complex_grad)


@dispatchable
def complex(real, imag, name=None):
    """real + i * imag, elementwise with broadcasting: float32 parts give complex64, float64
    parts complex128.

    >>> complex(1.0, 2.0).numpy()
    (1+2j)
    """
    real, imag = _part(real, imag), _part(imag, real)
    return apply(COMPLEX, (real, imag), {"Tout": _COMPLEX_OF.get(real.dtype, dtypes.complex64)},
                 name)


def _part(value, other):
    if hasattr(value, "dtype") and not isinstance(value, np.ndarray):
        return as_tensor(value)
    dtype = getattr(other, "dtype", None) if not isinstance(other, np.ndarray) else None
    return convert_to_tensor(value, dtype if dtype in _COMPLEX_OF else None)


# -- real, imag, angle -------------------------------------------------------------------------

def _part_infer(op_type):
    def infer(input):
        check_dtype(op_type, input, "c")
        return input.dtype.real_dtype, input.shape
    return infer


def _zero_imag_like(g, z):
    from .math_ops import cast
    return cast(g, z.dtype)


def _real_grad(op, g):
    return [_zero_imag_like(g, op.inputs[0])]


def _imag_grad(op, g):
    return [complex(zeros_like(g), g)]


def _angle_grad(op, g):
    """angle = atan2(y, x): the gradient is g * (-y + i x) / |z|^2."""
    from .math_ops import div_no_nan, square
    z = op.inputs[0]
    x, y = real(z), imag(z)
    norm2 = square(x) + square(y)
    return [complex(div_no_nan(-g * y, norm2), div_no_nan(g * x, norm2))]


REAL = defop("Real", np.real, _part_infer("Real"), accepts="c", grad=_real_grad)
IMAG = defop("Imag", np.imag, _part_infer("Imag"), accepts="c", grad=_imag_grad)
ANGLE = defop("Angle", np.angle, _part_infer("Angle"), accepts="c", grad=_angle_grad)


@dispatchable
def real(input, name=None):
    """The real part of each element (a real tensor is returned as it is)."""
    input = as_tensor(input)
    if not input.dtype.is_complex:
        check_dtype("Real", input, NUMERIC)
        return input
    return apply(REAL, (input,), None, name)


@dispatchable
def imag(input, name=None):
    """The imaginary part of each element (zeros for a real tensor)."""
    input = as_tensor(input)
    if not input.dtype.is_complex:
        check_dtype("Imag", input, NUMERIC)
        return zeros_like(input)
    return apply(IMAG, (input,), None, name)


@dispatchable
def angle(input, name=None):
    """The argument of each element, atan2(imag, real): for a real tensor pi where it is
    negative, else 0.

    >>> angle([1.0, -2.0]).numpy()
    array([0.       , 3.1415927], dtype=float32)
    """
    input = as_tensor(input)
    if not input.dtype.is_complex:
        from .index_ops import where
        from .math_ops import less
        check_dtype("Angle", input, "f")
        zeros = zeros_like(input)
        return where(less(input, zeros), zeros + np.pi, zeros, name=name)
    return apply(ANGLE, (input,), None, name)


UNARY_ELEMENTWISE.update([real, imag, angle])
