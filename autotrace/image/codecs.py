"""Image decoding and encoding (JPEG, PNG, GIF, BMP) through Pillow, an optional extra:
`pip install "autotrace[pillow]"`. Pillow is imported when an image is first decoded or
encoded; without it these ops raise ImportError saying how to install it.

They are ops, so they run inside traced and dataset functions:

    ds = tf.data.Dataset.list_files("images/*.jpg").map(
        lambda path: tf.image.decode_jpeg(tf.io.read_file(path), channels=3))
"""
import io

import numpy as np

from ..core import dtypes
from ..core.errors import InvalidArgumentError
from ..core.tensor import Tensor
from ..core.tensor_shape import TensorShape
from ..ops.constant_op import convert_to_tensor
from ..ops.registry import NO_GRADIENT, apply, defop
from ..ops.shapes import check_dtype

__all__ = ["decode_jpeg", "decode_png", "decode_image", "decode_gif", "decode_bmp",
           "encode_jpeg", "encode_png", "is_jpeg"]

INSTALL = 'pip install "autotrace[pillow]"   (or: pip install pillow)'


def pillow():
    """The PIL.Image module, or ImportError with the install command."""
    try:
        from PIL import Image
    except ImportError:
        raise ImportError("Decoding and encoding images (autotrace.image.decode_* / encode_*) "
                          "needs Pillow, an optional extra of autotrace. Install it with:\n    "
                          + INSTALL) from None
    return Image


_MODES = {1: "L", 2: "LA", 3: "RGB", 4: "RGBA"}


def _bytes(value):
    item = np.asarray(value, dtype=object)[()] if not isinstance(value, bytes) else value
    return item if isinstance(item, bytes) else bytes(item)


def _to_array(picture, channels, dtype):
    if channels:
        picture = picture.convert(_MODES[channels])
    elif picture.mode not in ("L", "LA", "RGB", "RGBA", "I;16", "I;16B"):
        picture = picture.convert("RGBA" if "A" in picture.getbands() else "RGB")
    array = np.asarray(picture)
    if array.ndim == 2:
        array = array[:, :, None]
    if dtype is dtypes.uint16:
        return array.astype(np.uint16)
    return array.astype(np.uint8)


def _decode_kernel(contents, channels, dtype, formats, op_type, expand_animations):
    Image = pillow()
    data = _bytes(contents)
    try:
        picture = Image.open(io.BytesIO(data))
        picture.load()
    except Exception as exc:
        raise InvalidArgumentError("%s: the input is not a decodable image (%s)"
                                   % (op_type, exc)) from None
    if formats and picture.format not in formats:
        raise InvalidArgumentError("%s: expected %s data, got %s" % (
            op_type, " or ".join(formats), picture.format))
    frames = getattr(picture, "n_frames", 1)
    if picture.format == "GIF" and expand_animations:
        images = []
        for i in range(frames):
            picture.seek(i)
            images.append(_to_array(picture, channels or 3, dtype))
        return np.stack(images)
    return _to_array(picture, channels, dtype)


def _decode_infer(contents, channels, dtype, formats, op_type, expand_animations):
    check_dtype(op_type, contents, "s", "contents")
    if contents.shape.rank not in (0, None):
        raise InvalidArgumentError("%s: contents must be a scalar string, got shape %s"
                                   % (op_type, contents.shape))
    if formats == ("GIF",) and expand_animations:
        return dtype, TensorShape([None, None, None, 3])
    return dtype, TensorShape([None, None, channels or None])


# One op type per TF decoder, one kernel; `formats` restricts what each accepts.
_DECODERS = {"DecodeJpeg": ("JPEG",), "DecodePng": ("PNG",), "DecodeGif": ("GIF",),
             "DecodeBmp": ("BMP",), "DecodeImage": ()}
DECODE_OPS = {name: defop(name, _decode_kernel, _decode_infer, grad=NO_GRADIENT,
                          inputs=("contents",))
              for name in _DECODERS}


def _contents(contents, op_type):
    t = contents if isinstance(contents, Tensor) else convert_to_tensor(contents,
                                                                          dtypes.string)
    check_dtype(op_type, t, "s", "contents")
    return t


def _channels(channels, op_type):
    if channels not in (0, 1, 2, 3, 4):
        raise ValueError("%s: channels must be 0 (as stored), 1, 2, 3 or 4, got %r"
                         % (op_type, channels))
    return channels


def _decode(op_type, contents, channels=0, dtype=dtypes.uint8, expand_animations=True,
            name=None):
    pillow()  # missing Pillow is an ImportError here, at the caller's line
    dtype = dtypes.as_dtype(dtype)
    if dtype not in (dtypes.uint8, dtypes.uint16):
        raise TypeError("%s: dtype must be uint8 or uint16, got %s" % (op_type, dtype.name))
    return apply(DECODE_OPS[op_type], (_contents(contents, op_type),),
                 {"channels": _channels(channels, op_type), "dtype": dtype,
                  "formats": _DECODERS[op_type], "op_type": op_type,
                  "expand_animations": bool(expand_animations)}, name)


def decode_jpeg(contents, channels=0, ratio=1, fancy_upscaling=True,
                try_recover_truncated=False, acceptable_fraction=1, dct_method="",
                name=None):
    """A JPEG image as a uint8 tensor [height, width, channels]."""
    return _decode("DecodeJpeg", contents, channels, name=name)


def decode_png(contents, channels=0, dtype=dtypes.uint8, name=None):
    """A PNG image as a uint8 (or uint16) tensor [height, width, channels]."""
    return _decode("DecodePng", contents, channels, dtype, name=name)


def decode_gif(contents, name=None):
    """A GIF's frames as a uint8 tensor [frames, height, width, 3]."""
    return _decode("DecodeGif", contents, 3, name=name)


def decode_bmp(contents, channels=0, name=None):
    return _decode("DecodeBmp", contents, channels, name=name)


def decode_image(contents, channels=None, dtype=dtypes.uint8, name=None,
                 expand_animations=True):
    """Any of JPEG, PNG, GIF, BMP (GIF animations as [frames, h, w, 3] unless
    `expand_animations=False`)."""
    return _decode("DecodeImage", contents, channels or 0, dtype,
                   expand_animations=expand_animations, name=name)


def _encode_kernel(image, format, quality, compression):
    Image = pillow()
    array = np.asarray(image)
    if array.ndim != 3 or array.shape[2] not in (1, 2, 3, 4):
        raise InvalidArgumentError("Encode%s: image must be [height, width, channels] with 1 "
                                   "to 4 channels, got shape %s" % (format.title(),
                                                                    array.shape))
    mode = _MODES[array.shape[2]]
    if format == "JPEG" and mode not in ("L", "RGB"):
        raise InvalidArgumentError("EncodeJpeg: image must have 1 or 3 channels, got %d"
                                   % array.shape[2])
    picture = Image.fromarray(array[:, :, 0] if mode == "L" else array, mode)
    out = io.BytesIO()
    options = {"quality": quality} if format == "JPEG" else {"compress_level": compression}
    picture.save(out, format=format, **options)
    result = np.empty((), dtype=object)
    result[()] = out.getvalue()
    return result


def _encode_infer(image, format, quality, compression):
    if image.dtype is not dtypes.uint8:
        raise InvalidArgumentError("Encode%s: image must be uint8, got %s"
                                   % (format.title(), image.dtype.name))
    if image.shape.rank not in (3, None):
        raise InvalidArgumentError("Encode%s: image must be 3-D [height, width, channels], "
                                   "got shape %s" % (format.title(), image.shape))
    return dtypes.string, TensorShape([])


ENCODE_JPEG = defop("EncodeJpeg", _encode_kernel, _encode_infer, grad=NO_GRADIENT,
                    inputs=("image",))
ENCODE_PNG = defop("EncodePng", _encode_kernel, _encode_infer, grad=NO_GRADIENT,
                   inputs=("image",))


def encode_jpeg(image, format="", quality=95, progressive=False, optimize_size=False,
                chroma_downsampling=True, density_unit="in", x_density=300, y_density=300,
                xmp_metadata="", name=None):
    """A uint8 image as JPEG bytes (a scalar string)."""
    pillow()
    return apply(ENCODE_JPEG, (convert_to_tensor(image),),
                 {"format": "JPEG", "quality": int(quality), "compression": None}, name)


def encode_png(image, compression=-1, name=None):
    """A uint8 image as PNG bytes (a scalar string)."""
    pillow()
    level = 6 if compression == -1 else int(compression)
    return apply(ENCODE_PNG, (convert_to_tensor(image),),
                 {"format": "PNG", "quality": None, "compression": level}, name)


IS_JPEG = defop("IsJpeg", lambda contents: np.bool_(_bytes(contents)[:3] == b"\xff\xd8\xff"),
                lambda contents: (dtypes.bool, TensorShape([])), grad=NO_GRADIENT,
                inputs=("contents",))


def is_jpeg(contents, name=None):
    """True if the bytes start like a JPEG file."""
    return apply(IS_JPEG, (_contents(contents, "IsJpeg"),), None, name)
