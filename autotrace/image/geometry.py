"""Geometric image ops: flips, rotations, transposes, crops and pads, and their random
forms. They are built from autotrace ops (reverse, slice, pad, where), so they trace, and
gradients flow through them. Images are 3-D [height, width, channels] or 4-D batches.

>>> import autotrace as tf
>>> image = tf.reshape(tf.range(6.0), [2, 3, 1])
>>> tf.image.flip_left_right(image)[..., 0].numpy()
array([[2., 1., 0.],
       [5., 4., 3.]], dtype=float32)
"""
import numpy as np

from ..core import dtypes
from ..ops import array_ops, manip_ops, math_ops, pad_ops, random_ops
from ..ops.constant_op import constant_value, convert_to_tensor

__all__ = ["flip_left_right", "flip_up_down", "random_flip_left_right",
           "random_flip_up_down", "rot90", "transpose", "crop_to_bounding_box",
           "pad_to_bounding_box", "central_crop", "resize_with_crop_or_pad", "random_crop"]


def _image(image, what):
    image = convert_to_tensor(image)
    if image.shape.rank not in (3, 4):
        raise ValueError("%s: image must be 3-D [height, width, channels] or 4-D [batch, "
                         "height, width, channels], got shape %s" % (what, image.shape))
    return image


def _axes(image):
    """(height axis, width axis) of a 3-D or 4-D image."""
    return (0, 1) if image.shape.rank == 3 else (1, 2)


def flip_left_right(image):
    """Mirror the width axis."""
    image = _image(image, "flip_left_right")
    return manip_ops.reverse(image, [_axes(image)[1]])


def flip_up_down(image):
    """Mirror the height axis."""
    image = _image(image, "flip_up_down")
    return manip_ops.reverse(image, [_axes(image)[0]])


def _random_flip(image, axis_index, seed, what):
    image = _image(image, what)
    axis = _axes(image)[axis_index]
    flipped = manip_ops.reverse(image, [axis])
    if image.shape.rank == 3:
        coin = math_ops.less(random_ops.uniform([], seed=seed), 0.5)
    else:  # one coin per image of the batch
        coin = array_ops.reshape(math_ops.less(random_ops.uniform(
            array_ops.shape(image)[:1], seed=seed), 0.5), [-1, 1, 1, 1])
        coin = math_ops.logical_and(coin, array_ops.ones_like(image, dtypes.bool))
    return array_ops.where(coin, flipped, image)


def random_flip_left_right(image, seed=None):
    """Mirror the width axis with probability 1/2 (each image of a batch on its own)."""
    return _random_flip(image, 1, seed, "random_flip_left_right")


def random_flip_up_down(image, seed=None):
    return _random_flip(image, 0, seed, "random_flip_up_down")


def transpose(image, name=None):
    """Swap height and width."""
    image = _image(image, "transpose")
    perm = [1, 0, 2] if image.shape.rank == 3 else [0, 2, 1, 3]
    return array_ops.transpose(image, perm)


def rot90(image, k=1, name=None):
    """Rotate by 90 degrees counter-clockwise, `k` times."""
    image = _image(image, "rot90")
    k = int(k) % 4
    for _ in range(k):
        image = flip_up_down(transpose(image))
    return image


def _size_of(image):
    """Static (height, width) of an image (ValueError when unknown)."""
    h_axis, w_axis = _axes(image)
    height, width = image.shape[h_axis], image.shape[w_axis]
    if height is None or width is None:
        return array_ops.shape(image)[h_axis], array_ops.shape(image)[w_axis]
    return height, width


def _box(image, top, left, height, width):
    begin = [top, left, 0] if image.shape.rank == 3 else [0, top, left, 0]
    size = [height, width, -1] if image.shape.rank == 3 else [-1, height, width, -1]
    return begin, size


def crop_to_bounding_box(image, offset_height, offset_width, target_height, target_width):
    """The box of `target_height` x `target_width` at (`offset_height`, `offset_width`)."""
    image = _image(image, "crop_to_bounding_box")
    height, width = _size_of(image)
    if isinstance(height, int) and all(isinstance(v, int) for v in (
            offset_height, offset_width, target_height, target_width)):
        if offset_height < 0 or offset_width < 0 or target_height <= 0 or target_width <= 0 \
                or offset_height + target_height > height or \
                offset_width + target_width > width:
            raise ValueError("crop_to_bounding_box: the box (offset %d, %d, size %d x %d) does "
                             "not fit in the %d x %d image" % (offset_height, offset_width,
                                                              target_height, target_width,
                                                              height, width))
    begin, size = _box(image, offset_height, offset_width, target_height, target_width)
    return pad_ops.slice(image, begin, size)


def pad_to_bounding_box(image, offset_height, offset_width, target_height, target_width):
    """Zero-pad to `target_height` x `target_width`, the image at the offsets."""
    image = _image(image, "pad_to_bounding_box")
    height, width = _size_of(image)
    bottom = target_height - offset_height - height
    right = target_width - offset_width - width
    if isinstance(bottom, int) and isinstance(right, int) and (
            bottom < 0 or right < 0 or offset_height < 0 or offset_width < 0):
        raise ValueError("pad_to_bounding_box: a %d x %d image does not fit in %d x %d at "
                         "offset (%d, %d)" % (height, width, target_height, target_width,
                                              offset_height, offset_width))
    paddings = [[offset_height, bottom], [offset_width, right], [0, 0]]
    if image.shape.rank == 4:
        paddings = [[0, 0]] + paddings
    return pad_ops.pad(image, paddings)


def central_crop(image, central_fraction):
    """The central part: `central_fraction` of the height and of the width."""
    image = _image(image, "central_crop")
    if not 0.0 < central_fraction <= 1.0:
        raise ValueError("central_crop: central_fraction must be in (0, 1], got %r"
                         % (central_fraction,))
    height, width = _size_of(image)
    if not isinstance(height, int):
        raise ValueError("central_crop needs a static image size")
    top = int((height - height * central_fraction) / 2)
    left = int((width - width * central_fraction) / 2)
    return crop_to_bounding_box(image, top, left, height - 2 * top, width - 2 * left)


def resize_with_crop_or_pad(image, target_height, target_width):
    """Crop (centrally) or zero-pad (evenly) to `target_height` x `target_width`."""
    image = _image(image, "resize_with_crop_or_pad")
    height, width = _size_of(image)
    if not isinstance(height, int):
        raise ValueError("resize_with_crop_or_pad needs a static image size")
    crop_top, crop_left = max(0, (height - target_height) // 2), \
        max(0, (width - target_width) // 2)
    image = crop_to_bounding_box(image, crop_top, crop_left, min(height, target_height),
                                 min(width, target_width))
    pad_top = max(0, (target_height - height) // 2)
    pad_left = max(0, (target_width - width) // 2)
    return pad_to_bounding_box(image, pad_top, pad_left, target_height, target_width)


def random_crop(value, size, seed=None, name=None):
    """A random box of shape `size` (same rank as `value`) inside `value`."""
    value = convert_to_tensor(value)
    size = [int(s) for s in np.asarray(constant_value(convert_to_tensor(size))).reshape(-1)]
    shape = value.shape.as_list() if value.shape.rank is not None else None
    if shape is None or len(shape) != len(size):
        raise ValueError("random_crop: size %s must have the rank of value %s"
                         % (size, value.shape))
    if any(d is not None and s > d for s, d in zip(size, shape)):
        raise ValueError("random_crop: size %s does not fit in value of shape %s"
                         % (size, value.shape))
    limit = math_ops.add(math_ops.subtract(array_ops.shape(value), size), 1)
    offset = math_ops.floormod(random_ops.uniform(
        [len(size)], maxval=np.iinfo(np.int32).max, dtype=dtypes.int32, seed=seed), limit)
    return pad_ops.slice(value, offset, size)
