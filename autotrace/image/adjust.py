"""Pixel-value image ops: dtype conversion, brightness, contrast, grayscale,
standardization, and random brightness/contrast. Built from autotrace ops (they trace and
differentiate).

>>> import autotrace as tf
>>> tf.image.convert_image_dtype(tf.constant([0, 255], tf.uint8), tf.float32).numpy()
array([0., 1.], dtype=float32)
"""
import numpy as np

from ..core import dtypes
from ..ops import array_ops, manip_ops, math_ops, random_ops
from ..ops.constant_op import convert_to_tensor

__all__ = ["convert_image_dtype", "adjust_brightness", "adjust_contrast", "rgb_to_grayscale",
           "grayscale_to_rgb", "per_image_standardization", "random_brightness",
           "random_contrast", "adjust_gamma"]


def _max(dtype):
    return 1.0 if dtype.is_floating else dtype.max


def convert_image_dtype(image, dtype, saturate=False, name=None):
    """Convert between image dtypes, scaling values: floats span [0, 1], integers [0, MAX]
    (as TensorFlow: float -> int multiplies by MAX + 0.5 and truncates)."""
    image = convert_to_tensor(image)
    dtype = dtypes.as_dtype(dtype)
    if not (image.dtype.is_floating or image.dtype.is_integer) or not (
            dtype.is_floating or dtype.is_integer):
        raise TypeError("convert_image_dtype: images must be integers or floats, got %s -> %s"
                        % (image.dtype.name, dtype.name))
    source = image.dtype
    if source is dtype:
        return image
    if source.is_integer and dtype.is_integer:
        in_max, out_max = source.max, dtype.max
        if in_max > out_max:
            scale = (in_max + 1) // (out_max + 1)
            return math_ops.cast(math_ops.floordiv(image, scale), dtype)
        scale = (out_max + 1) // (in_max + 1)
        return math_ops.multiply(math_ops.cast(image, dtype), scale)
    if source.is_integer:  # int -> float
        return math_ops.multiply(math_ops.cast(image, dtype), 1.0 / source.max)
    if dtype.is_integer:  # float -> int
        scaled = math_ops.multiply(image, dtype.max + 0.5)
        if saturate:
            scaled = math_ops.clip_by_value(scaled, float(dtype.min), float(dtype.max))
        return math_ops.cast(scaled, dtype)
    return math_ops.cast(image, dtype)


def _float_image(image):
    image = convert_to_tensor(image)
    return image, image.dtype


def _restore(image, dtype):
    return image if image.dtype is dtype else convert_image_dtype(image, dtype, saturate=True)


def adjust_brightness(image, delta):
    """Add `delta` to every value (in [0, 1] units for integer images)."""
    image, original = _float_image(image)
    flt = convert_image_dtype(image, dtypes.float32) if not original.is_floating else image
    return _restore(math_ops.add(flt, math_ops.cast(delta, flt.dtype)), original)


def adjust_contrast(images, contrast_factor):
    """Move each channel of each image away from (or towards) its mean by `contrast_factor`."""
    images, original = _float_image(images)
    flt = convert_image_dtype(images, dtypes.float32) if not original.is_floating else images
    mean = math_ops.reduce_mean(flt, axis=[-3, -2], keepdims=True)
    factor = math_ops.cast(contrast_factor, flt.dtype)
    return _restore(math_ops.add(math_ops.multiply(math_ops.subtract(flt, mean), factor),
                                 mean), original)


def adjust_gamma(image, gamma=1, gain=1):
    """`gain * image ** gamma` (in [0, 1] units for integer images)."""
    image, original = _float_image(image)
    flt = convert_image_dtype(image, dtypes.float32) if not original.is_floating else image
    return _restore(math_ops.multiply(math_ops.pow(flt, math_ops.cast(gamma, flt.dtype)),
                                      math_ops.cast(gain, flt.dtype)), original)


_LUMA = np.array([0.2989, 0.5870, 0.1140])


def rgb_to_grayscale(images, name=None):
    """The luma of RGB images (ITU-R 601 weights), one channel, in the input's dtype."""
    images, original = _float_image(images)
    flt = convert_image_dtype(images, dtypes.float32) if not original.is_floating else images
    gray = math_ops.reduce_sum(math_ops.multiply(flt, _LUMA.astype(flt.dtype.np)), axis=-1,
                               keepdims=True)
    return convert_image_dtype(gray, original)


def grayscale_to_rgb(images, name=None):
    """One channel repeated three times."""
    images = convert_to_tensor(images)
    return manip_ops.tile(images, [1] * (images.shape.rank - 1) + [3])


def per_image_standardization(image):
    """Each image scaled to zero mean and unit variance (the deviation bounded below by
    1/sqrt(number of values), as TensorFlow)."""
    image = convert_to_tensor(image)
    if not image.dtype.is_floating:
        image = math_ops.cast(image, dtypes.float32)
    axes = [-1, -2, -3]
    count = math_ops.cast(math_ops.reduce_prod(array_ops.shape(image)[-3:]), image.dtype)
    mean = math_ops.reduce_mean(image, axis=axes, keepdims=True)
    std = math_ops.reduce_std(image, axis=axes, keepdims=True)
    floor = math_ops.rsqrt(count)
    return math_ops.divide(math_ops.subtract(image, mean), math_ops.maximum(std, floor))


def random_brightness(image, max_delta, seed=None):
    """adjust_brightness by a delta drawn from [-max_delta, max_delta)."""
    if max_delta < 0:
        raise ValueError("random_brightness: max_delta must be non-negative, got %r"
                         % (max_delta,))
    delta = random_ops.uniform([], -max_delta, max_delta, seed=seed)
    return adjust_brightness(image, delta)


def random_contrast(image, lower, upper, seed=None):
    """adjust_contrast by a factor drawn from [lower, upper)."""
    if not 0 <= lower < upper:
        raise ValueError("random_contrast: need 0 <= lower < upper, got %r, %r"
                         % (lower, upper))
    factor = random_ops.uniform([], lower, upper, seed=seed)
    return adjust_contrast(image, factor)
