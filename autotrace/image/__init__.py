"""`autotrace.image` (TensorFlow's tf.image): the image ops input pipelines use.

Resizing (bilinear, nearest, bicubic, area; TF 2's pixel centers), dtype conversion,
flips, rotations, crops and pads, brightness and contrast, random augmentations, and
decoding/encoding JPEG and PNG through Pillow (an optional extra, imported when first used).
Images are 3-D [height, width, channels] or 4-D [batch, height, width, channels].
"""
from .adjust import (adjust_brightness, adjust_contrast, adjust_gamma, convert_image_dtype,
                     grayscale_to_rgb, per_image_standardization, random_brightness,
                     random_contrast, rgb_to_grayscale)
from .codecs import (decode_bmp, decode_gif, decode_image, decode_jpeg, decode_png,
                     encode_jpeg, encode_png, is_jpeg)
from .geometry import (central_crop, crop_to_bounding_box, flip_left_right, flip_up_down,
                       pad_to_bounding_box, random_crop, random_flip_left_right,
                       random_flip_up_down, resize_with_crop_or_pad, rot90, transpose)
from .resize import ResizeMethod, resize

__all__ = ["resize", "ResizeMethod", "convert_image_dtype", "adjust_brightness",
           "adjust_contrast", "adjust_gamma", "rgb_to_grayscale", "grayscale_to_rgb",
           "per_image_standardization", "random_brightness", "random_contrast",
           "flip_left_right", "flip_up_down", "random_flip_left_right", "random_flip_up_down",
           "rot90", "transpose", "crop_to_bounding_box", "pad_to_bounding_box",
           "central_crop", "resize_with_crop_or_pad", "random_crop", "decode_jpeg",
           "decode_png", "decode_gif", "decode_bmp", "decode_image", "encode_jpeg",
           "encode_png", "is_jpeg"]
