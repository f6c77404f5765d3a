"""tf.image.resize: bilinear, nearest, bicubic and area, with TensorFlow 2's pixel centers.

Each method is separable: resizing is `W_rows @ image @ W_cols^T` over the height and width
axes, with interpolation matrices computed from the input and output sizes when the op runs
(so images of unknown size, e.g. decoded from files, resize as well). The gradient is the
same product with the matrices transposed.

>>> import autotrace as tf
>>> tf.image.resize([[[1.0], [3.0]]], [1, 4])[0, :, 0].numpy()
array([1. , 1.5, 2.5, 3. ], dtype=float32)
"""
import numpy as np

from ..core import dtypes
from ..core.errors import InvalidArgumentError
from ..core.tensor_shape import TensorShape
from ..ops import array_ops, math_ops
from ..ops.constant_op import constant_value, convert_to_tensor
from ..ops.registry import NO_GRADIENT, apply, defop

__all__ = ["resize", "ResizeMethod", "interpolation_matrix"]


class ResizeMethod:
    BILINEAR = "bilinear"
    NEAREST_NEIGHBOR = "nearest"
    BICUBIC = "bicubic"
    AREA = "area"
    LANCZOS3 = "lanczos3"
    LANCZOS5 = "lanczos5"
    GAUSSIAN = "gaussian"
    MITCHELLCUBIC = "mitchellcubic"


# -- interpolation matrices ([out, in]) -----------------------------------------------------

def _bilinear(n_in, n_out):
    scale = n_in / n_out
    x = (np.arange(n_out) + 0.5) * scale - 0.5
    low = np.floor(x)
    frac = x - low
    weights = np.zeros((n_out, n_in))
    rows = np.arange(n_out)
    np.add.at(weights, (rows, np.clip(low, 0, n_in - 1).astype(int)), 1 - frac)
    np.add.at(weights, (rows, np.clip(low + 1, 0, n_in - 1).astype(int)), frac)
    return weights


def _nearest(n_in, n_out):
    scale = np.float32(n_in / n_out)
    index = np.minimum(np.floor((np.arange(n_out, dtype=np.float32) + np.float32(0.5)) *
                                scale).astype(int), n_in - 1)
    weights = np.zeros((n_out, n_in))
    weights[np.arange(n_out), index] = 1.0
    return weights


def _keys_cubic(t, a=-0.5):
    t = np.abs(t)
    return np.where(t <= 1, ((a + 2) * t - (a + 3)) * t * t + 1,
                    np.where(t < 2, ((a * t - 5 * a) * t + 8 * a) * t - 4 * a, 0.0))


def _bicubic(n_in, n_out):
    """Keys' cubic (a = -0.5) at TF's 1/1024 steps; taps outside the image get no weight and
    the others are renormalised (TF 2's half-pixel bicubic)."""
    scale = n_in / n_out
    x = (np.arange(n_out) + 0.5) * scale - 0.5
    base = np.floor(x)
    t = np.rint((x - base) * 1024) / 1024
    weights = np.zeros((n_out, n_in))
    for o in range(n_out):
        taps = [(int(base[o]) + k, _keys_cubic(t[o] - k)) for k in (-1, 0, 1, 2)]
        inside = [(j, w) for j, w in taps if 0 <= j < n_in]
        total = sum(w for _, w in inside)
        for j, w in inside:
            weights[o, j] += w / total
    return weights


def _area(n_in, n_out):
    """Each output pixel averages the input it covers, by overlap."""
    scale = n_in / n_out
    weights = np.zeros((n_out, n_in))
    for o in range(n_out):
        start, stop = o * scale, (o + 1) * scale
        for i in range(int(np.floor(start)), min(n_in, int(np.ceil(stop)))):
            weights[o, i] = (min(stop, i + 1) - max(start, i)) / scale
    return weights


_MATRICES = {"bilinear": _bilinear, "nearest": _nearest, "bicubic": _bicubic, "area": _area}


def interpolation_matrix(method, n_in, n_out):
    """The [n_out, n_in] matrix that resizes one axis."""
    return _MATRICES[method](n_in, n_out)


# -- the ops ---------------------------------------------------------------------------------------

def _resize_kernel(images, size, method):
    height, width = (int(v) for v in np.asarray(size).reshape(-1))
    if height <= 0 or width <= 0:
        raise InvalidArgumentError("resize: the output size must be positive, got [%d, %d]"
                                   % (height, width))
    rows = interpolation_matrix(method, images.shape[1], height)
    cols = interpolation_matrix(method, images.shape[2], width)
    out = np.einsum("oh,bhwc,pw->bopc", rows, images.astype(np.float64), cols)
    return out.astype(_out_dtype(images.dtype, method))


def _out_dtype(dtype, method):
    """Nearest keeps the dtype; the others give float32 (float64 stays float64: the op is
    exact enough to check gradients in it; `resize` itself returns float32, as TF)."""
    if method == "nearest" or dtype == np.float64:
        return dtype
    return np.float32


def _resize_infer(images, size, method):
    if images.shape.rank not in (None, 4):
        raise InvalidArgumentError("resize: images must be 4-D [batch, height, width, "
                                   "channels], got shape %s" % images.shape)
    known = constant_value(size)
    dims = [None, None] if known is None else [int(v) for v in np.asarray(known).reshape(-1)]
    batch, channels = (images.shape[0], images.shape[3]) if images.shape.rank == 4 else \
        (None, None)
    dtype = dtypes.as_dtype(_out_dtype(images.dtype.np, method))
    return dtype, TensorShape([batch] + dims + [channels])


def _resize_grad_kernel(grads, images, method):
    rows = interpolation_matrix(method, images.shape[1], grads.shape[1])
    cols = interpolation_matrix(method, images.shape[2], grads.shape[2])
    out = np.einsum("oh,bopc,pw->bhwc", rows, grads.astype(np.float64), cols)
    return out.astype(images.dtype)


def _resize_grad(op, grad):
    return [apply(RESIZE_GRADS[op.attrs["method"]], (grad, op.inputs[0]),
                  {"method": op.attrs["method"]}), None]


def _resize_grad_infer(grads, images, method):
    return images.dtype, images.shape


# TensorFlow's op names; one kernel, the method as an attribute.
_OP_TYPES = {"bilinear": "ResizeBilinear", "nearest": "ResizeNearestNeighbor",
             "bicubic": "ResizeBicubic", "area": "ResizeArea"}
RESIZE_OPS = {m: defop(t, _resize_kernel, _resize_infer, grad=_resize_grad,
                       inputs=("images", "size"))
              for m, t in _OP_TYPES.items()}
RESIZE_GRADS = {m: defop(t + "Grad", _resize_grad_kernel, _resize_grad_infer,
                         grad=NO_GRADIENT, inputs=("grads", "original_image"))
                for m, t in _OP_TYPES.items()}


def _as_images(images):
    images = convert_to_tensor(images)
    rank = images.shape.rank
    if rank not in (3, 4):
        raise ValueError("resize: images must be 3-D [height, width, channels] or 4-D [batch, "
                         "height, width, channels], got shape %s" % images.shape)
    return images, rank == 3


def _aspect_size(images, size):
    """The size that fits the image in `size` keeping its aspect ratio."""
    height, width = images.shape[1], images.shape[2]
    if height is None or width is None:
        raise ValueError("resize: preserve_aspect_ratio needs a static image size")
    factor = min(size[0] / height, size[1] / width)
    return [max(1, int(round(height * factor))), max(1, int(round(width * factor)))]


def resize(images, size, method=ResizeMethod.BILINEAR, preserve_aspect_ratio=False,
           antialias=False, name=None):
    """Resize images (3-D or 4-D) to `size` = [height, width]. The result is float32,
    except for nearest neighbour, which keeps the dtype."""
    method = getattr(method, "value", method)
    if method not in RESIZE_OPS:
        raise ValueError("resize: method must be one of %s, got %r"
                         % (sorted(RESIZE_OPS), method))
    if antialias and method != "nearest":
        raise NotImplementedError("resize(antialias=True) is not implemented; resize without "
                                  "it (or first blur the image)")
    images, single = _as_images(images)
    if single:
        images = array_ops.expand_dims(images, 0)
    if images.dtype.is_complex or images.dtype.is_string or images.dtype.is_bool:
        raise TypeError("resize: images must be real numbers, got %s" % images.dtype.name)
    known = constant_value(size) if not isinstance(size, (list, tuple)) else size
    if preserve_aspect_ratio:
        size = _aspect_size(images, [int(v) for v in np.asarray(known).reshape(-1)])
    size = convert_to_tensor(size, dtypes.int32)
    if method != "nearest" and images.dtype is not dtypes.float32:
        images = math_ops.cast(images, dtypes.float32)
    out = apply(RESIZE_OPS[method], (images, size), {"method": method}, name)
    return array_ops.squeeze(out, [0]) if single else out
