"""Convolution and pooling (TF's tf.nn.conv2d, conv1d, conv2d_transpose, max_pool2d,
avg_pool2d and their 1-D forms), with their gradient ops.

The ops work on NHWC tensors (batch, height, width, channels) and HWIO filters (height,
width, in channels, out channels); the public functions also take NCHW/NCW by transposing,
and the 1-D forms add a height of 1. Attributes: `strides` and `dilations` as (height,
width) pairs, `padding` "SAME", "VALID" or explicit ((top, bottom), (left, right)).

Kernels are im2col: a strided window view of the padded input
(np.lib.stride_tricks.sliding_window_view) copied once into a matrix of patches, multiplied
with the filter matrix (one BLAS call). Gradients are ops of their own, as in TensorFlow:
Conv2DBackpropInput (a col2im: each filter tap's contribution added back to a strided slice)
and Conv2DBackpropFilter (patches^T @ gradient); MaxPoolGrad sends each gradient to the
first maximum of its window, AvgPoolGrad spreads it over the window's valid cells. The
gradient ops are linear in the gradient they carry, so their own gradients are the forward
ops again (MaxPoolGradGrad picks the maximum's entry back out): every order works.

>>> import numpy as np, autotrace as tf
>>> x = np.arange(16, dtype=np.float32).reshape(1, 4, 4, 1)
>>> tf.nn.max_pool2d(x, 2, 2, "VALID").numpy().ravel()
array([ 5.,  7., 13., 15.], dtype=float32)
"""
import numpy as np

from ..core.errors import InvalidArgumentError, InvalidShapeError
from ..core.tensor import Tensor
from ..core.tensor_shape import TensorShape
from . import array_ops
from .constant_op import constant_value, convert_to_tensor
from .registry import apply, defop
from .shapes import check_dtype, check_same_dtype

__all__ = ["conv2d", "conv1d", "conv2d_transpose", "max_pool2d", "avg_pool2d", "max_pool1d",
           "avg_pool1d", "max_pool", "avg_pool"]

FLOAT_ONLY = "f"

sliding_window_view = np.lib.stride_tricks.sliding_window_view


# -- geometry ------------------------------------------------------------------------------------

def _output_size(size, kernel, stride, dilation, padding):
    """(output size, pad before, pad after) along one spatial axis (size None: unknown)."""
    effective = (kernel - 1) * dilation + 1
    if isinstance(padding, tuple):
        before, after = padding
        if size is None:
            return None, before, after
        return (size + before + after - effective) // stride + 1, before, after
    if size is None:
        return None, 0, 0
    if padding == "VALID":
        return max((size - effective) // stride + 1, 0), 0, 0
    out = -(-size // stride)
    total = max((out - 1) * stride + effective - size, 0)
    return out, total // 2, total - total // 2


def _geometry(in_shape, kernel, strides, dilations, padding):
    """[(out, before, after)] for the two spatial axes of an NHWC shape."""
    pads = padding if isinstance(padding, tuple) else (padding, padding)
    return [_output_size(in_shape[1 + i], kernel[i], strides[i], dilations[i], pads[i])
            for i in range(2)]


def _pad(x, geometry, value=0):
    widths = ((0, 0), geometry[0][1:], geometry[1][1:], (0, 0))
    if not any(widths[1]) and not any(widths[2]):
        return x
    return np.pad(x, widths, constant_values=value)


def _windows(padded, kernel, strides, dilations, out_hw):
    """The (N, OH, OW, KH, KW, C) view of every window (no copy)."""
    (kh, kw), (sh, sw), (dh, dw) = kernel, strides, dilations
    view = sliding_window_view(padded, ((kh - 1) * dh + 1, (kw - 1) * dw + 1), axis=(1, 2))
    view = view[:, :out_hw[0] * sh:sh, :out_hw[1] * sw:sw, :, ::dh, ::dw]
    return view.transpose(0, 1, 2, 4, 5, 3)


def _patches(windows):
    """The windows as a (N * OH * OW, KH * KW * C) matrix: the one copy of im2col, in the
    order of an HWIO filter reshaped to (KH * KW * C, O)."""
    n, oh, ow, kh, kw, c = windows.shape
    return windows.reshape(n * oh * ow, kh * kw * c)


def _scatter_windows(columns, padded_shape, kernel, strides, dilations, out_hw):
    """Adjoint of _windows: add columns[n, oh, ow, i, j, c] back to the input cell each came
    from, one strided slice per filter tap."""
    (kh, kw), (sh, sw), (dh, dw) = kernel, strides, dilations
    result = np.zeros(padded_shape, columns.dtype)
    oh, ow = out_hw
    for i in range(kh):
        for j in range(kw):
            rows = slice(i * dh, i * dh + (oh - 1) * sh + 1, sh)
            cols = slice(j * dw, j * dw + (ow - 1) * sw + 1, sw)
            result[:, rows, cols, :] += columns[:, :, :, i, j, :]
    return result


def _unpad(x, geometry):
    (_, top, bottom), (_, left, right) = geometry
    return x[:, top:x.shape[1] - bottom, left:x.shape[2] - right, :]


# -- checks (shared by the shape rules and the public functions) ---------------------------------

def _check_rank(op_type, x, rank, arg, layout):
    if x.rank is not None and x.rank != rank:
        raise InvalidShapeError("%s: %s must have rank %d (%s), got shape %s"
                                % (op_type, arg, rank, layout, x))


def _check_channels(op_type, input_shape, filter_shape):
    c, k = input_shape[3] if input_shape.rank else None, \
        filter_shape[2] if filter_shape.rank else None
    if c is not None and k is not None and c != k:
        raise InvalidShapeError(
            "%s: input has %d channels (last dimension of %s) but the filter expects %d "
            "(dimension 2 of %s, [height, width, in_channels, out_channels])"
            % (op_type, c, input_shape, k, filter_shape))


def _out_shape(op_type, input_shape, kernel, strides, dilations, padding, channels):
    if input_shape.rank is None:
        return TensorShape([None, None, None, channels])
    geometry = _geometry(input_shape.as_list(), kernel, strides, dilations, padding)
    for (out, _, _), axis in zip(geometry, ("height", "width")):
        if out is not None and out <= 0:
            raise InvalidArgumentError(
                "%s: the window (kernel %s, dilations %s) does not fit in the input's %s "
                "(input shape %s, padding %s): the output would be empty"
                % (op_type, kernel, dilations, axis, input_shape, padding))
    return TensorShape([input_shape[0], geometry[0][0], geometry[1][0], channels])


def _kernel_hw(filter_shape):
    return (filter_shape[0], filter_shape[1]) if filter_shape.rank else (None, None)


# -- Conv2D and its gradients ------------------------------------------------------------------

# Below this many multiply-adds per output value, einsum over the window view (no im2col
# copy) is faster than a copy plus a matrix product (e.g. a first layer on gray images).
_EINSUM_BELOW = 16


def _conv2d(x, w, strides, padding, dilations):
    kernel = w.shape[:2]
    geometry = _geometry(x.shape, kernel, strides, dilations, padding)
    out_hw = (geometry[0][0], geometry[1][0])
    windows = _windows(_pad(x, geometry), kernel, strides, dilations, out_hw)
    kh, kw, c, o = w.shape
    if kh * kw * c < _EINSUM_BELOW:
        return np.einsum("nhwijc,ijco->nhwo", windows, w, optimize=True)
    return (_patches(windows) @ w.reshape(kh * kw * c, o)).reshape(x.shape[0], out_hw[0],
                                                                    out_hw[1], o)


def _conv2d_infer(input, filter, strides, padding, dilations):
    dtype = check_same_dtype("Conv2D", (input, filter), ("input", "filter"))
    check_dtype("Conv2D", input, FLOAT_ONLY, "input")
    _check_rank("Conv2D", input.shape, 4, "input", "[batch, height, width, channels]")
    _check_rank("Conv2D", filter.shape, 4, "filter",
                "[height, width, in_channels, out_channels]")
    _check_channels("Conv2D", input.shape, filter.shape)
    channels = filter.shape[3] if filter.shape.rank else None
    kernel = _kernel_hw(filter.shape)
    if None in kernel:
        return dtype, TensorShape([input.shape[0] if input.shape.rank else None, None, None,
                                   channels])
    return dtype, _out_shape("Conv2D", input.shape, kernel, strides, dilations, padding,
                             channels)


def _conv2d_grad(op, grad):
    x, w = op.inputs
    attrs = dict(op.attrs)
    dx = apply(CONV2D_BACKPROP_INPUT, (array_ops.shape(x), w, grad), attrs)
    dw = apply(CONV2D_BACKPROP_FILTER, (x, array_ops.shape(w), grad), attrs)
    return [dx, dw]


CONV2D = defop("Conv2D", _conv2d, _conv2d_infer, grad=_conv2d_grad, inputs=("input", "filter"),
               accepts=FLOAT_ONLY, eager_check=True)


def _conv2d_backprop_input(input_sizes, w, dy, strides, padding, dilations):
    input_sizes = tuple(int(d) for d in input_sizes)
    kernel = w.shape[:2]
    geometry = _geometry(input_sizes, kernel, strides, dilations, padding)
    out_hw = (geometry[0][0], geometry[1][0])
    n, (kh, kw, c, o) = input_sizes[0], w.shape
    _check_backprop_shape("Conv2DBackpropInput", dy.shape, (n,) + out_hw + (o,), input_sizes)
    columns = (dy.reshape(-1, o) @ w.reshape(kh * kw * c, o).T).reshape(
        n, out_hw[0], out_hw[1], kh, kw, c)
    padded_shape = (n, input_sizes[1] + geometry[0][1] + geometry[0][2],
                    input_sizes[2] + geometry[1][1] + geometry[1][2], c)
    padded = _scatter_windows(columns, padded_shape, kernel, strides, dilations, out_hw)
    return np.ascontiguousarray(_unpad(padded, geometry))


def _backprop_infer(op_type, tensor_arg, layout):
    """The shape rule of the two gradient ops: BackpropInput(input_sizes, filter, dy) and
    BackpropFilter(input, filter_sizes, dy). The output's shape is the value of the sizes
    input when it is known while building."""
    def infer(first, second, out_backprop, strides, padding, dilations):
        tensor, sizes = (second, first) if tensor_arg == "filter" else (first, second)
        dtype = check_same_dtype(op_type, (tensor, out_backprop), (tensor_arg, "out_backprop"))
        check_dtype(op_type, tensor, FLOAT_ONLY, tensor_arg)
        ranked, name = (out_backprop, "out_backprop") if tensor_arg == "filter" \
            else (tensor, tensor_arg)
        _check_rank(op_type, ranked.shape, 4, name, layout)
        static = _static_sizes(sizes)
        return dtype, TensorShape(static if static is not None else [None] * 4)
    return infer


def _check_backprop_shape(op_type, got, want, input_shape):
    if tuple(got) != tuple(want):
        raise InvalidArgumentError(
            "%s: out_backprop has shape %s, but the convolution of an input of shape %s with "
            "these strides and padding gives %s" % (op_type, TensorShape(got),
                                                    TensorShape(input_shape),
                                                    TensorShape(want)))


def _static_sizes(sizes_tensor):
    """The value of a shape tensor when it is known while building (else None)."""
    value = constant_value(sizes_tensor)
    return None if value is None else [int(d) for d in np.asarray(value)]


def _backprop_input_grad(op, grad):
    """Linear in the filter and the incoming gradient: conv2d and backprop-filter again."""
    _, w, dy = op.inputs
    attrs = dict(op.attrs)
    return [None, apply(CONV2D_BACKPROP_FILTER, (grad, array_ops.shape(w), dy), attrs),
            apply(CONV2D, (grad, w), attrs)]


CONV2D_BACKPROP_INPUT = defop("Conv2DBackpropInput", _conv2d_backprop_input,
                              _backprop_infer("Conv2DBackpropInput", "filter",
                                              "[batch, out_height, out_width, out_channels]"),
                              grad=_backprop_input_grad,
                              inputs=("input_sizes", "filter", "out_backprop"))


def _conv2d_backprop_filter(x, filter_sizes, dy, strides, padding, dilations):
    kh, kw, c, o = (int(d) for d in filter_sizes)
    geometry = _geometry(x.shape, (kh, kw), strides, dilations, padding)
    out_hw = (geometry[0][0], geometry[1][0])
    _check_backprop_shape("Conv2DBackpropFilter", dy.shape, x.shape[:1] + out_hw + (o,),
                          x.shape)
    windows = _windows(_pad(x, geometry), (kh, kw), strides, dilations, out_hw)
    return (_patches(windows).T @ dy.reshape(-1, o)).reshape(kh, kw, c, o)


def _backprop_filter_grad(op, grad):
    x, _, dy = op.inputs
    attrs = dict(op.attrs)
    return [apply(CONV2D_BACKPROP_INPUT, (array_ops.shape(x), grad, dy), attrs), None,
            apply(CONV2D, (x, grad), attrs)]


CONV2D_BACKPROP_FILTER = defop("Conv2DBackpropFilter", _conv2d_backprop_filter,
                               _backprop_infer("Conv2DBackpropFilter", "input",
                                               "[batch, height, width, channels]"),
                               grad=_backprop_filter_grad,
                               inputs=("input", "filter_sizes", "out_backprop"))


# -- pooling -----------------------------------------------------------------------------------

def _pool_windows(x, ksize, strides, padding, fill):
    geometry = _geometry(x.shape, ksize, strides, (1, 1), padding)
    out_hw = (geometry[0][0], geometry[1][0])
    return _windows(_pad(x, geometry, fill), ksize, strides, (1, 1), out_hw), geometry, out_hw


def _max_pool(x, ksize, strides, padding):
    fill = -np.inf if x.dtype.kind == "f" else np.iinfo(x.dtype).min
    windows, _, _ = _pool_windows(x, ksize, strides, padding, fill)
    return windows.max(axis=(3, 4))


def _valid_counts(shape, ksize, strides, padding):
    """How many real (unpadded) cells each window covers: (1, OH, OW, 1)."""
    ones = np.ones((1, shape[1], shape[2], 1), np.float64)
    windows, _, _ = _pool_windows(ones, ksize, strides, padding, 0)
    return windows.sum(axis=(3, 4))


def _avg_pool(x, ksize, strides, padding):
    windows, _, _ = _pool_windows(x, ksize, strides, padding, 0)
    counts = _valid_counts(x.shape, ksize, strides, padding)
    return (windows.sum(axis=(3, 4)) / counts).astype(x.dtype)


def _pool_infer(op_type, kinds):
    def infer(value, ksize, strides, padding):
        check_dtype(op_type, value, kinds, "input")
        _check_rank(op_type, value.shape, 4, "input", "[batch, height, width, channels]")
        channels = value.shape[3] if value.shape.rank else None
        return value.dtype, _out_shape(op_type, value.shape, ksize, strides, (1, 1), padding,
                                       channels)
    return infer


def _max_pool_grad(op, grad):
    x = op.inputs[0]
    return [apply(MAX_POOL_GRAD, (x, op.outputs[0], grad), dict(op.attrs))]


MAX_POOL = defop("MaxPool", _max_pool, _pool_infer("MaxPool", "fiu"), grad=_max_pool_grad,
                 inputs=("input",), accepts="fiu")


def _argmax_positions(x, ksize, strides, padding):
    """For each window, the flat index (i * KW + j) of its first maximum."""
    fill = -np.inf if x.dtype.kind == "f" else np.iinfo(x.dtype).min
    windows, geometry, out_hw = _pool_windows(x, ksize, strides, padding, fill)
    flat = _flat_windows(windows)
    return flat.argmax(axis=-1), geometry, out_hw


def _flat_windows(windows):
    """(N, OH, OW, C, KH * KW): each window's cells on the last axis."""
    n, oh, ow, kh, kw, c = windows.shape
    return windows.transpose(0, 1, 2, 5, 3, 4).reshape(n, oh, ow, c, kh * kw)


def _max_pool_grad_kernel(x, y, grad, ksize, strides, padding):
    positions, geometry, out_hw = _argmax_positions(x, ksize, strides, padding)
    kh, kw = ksize
    one_hot = positions[..., None] == np.arange(kh * kw)
    columns = (grad[..., None] * one_hot).reshape(grad.shape + (kh, kw)).transpose(
        0, 1, 2, 4, 5, 3)
    padded_shape = (x.shape[0], x.shape[1] + geometry[0][1] + geometry[0][2],
                    x.shape[2] + geometry[1][1] + geometry[1][2], x.shape[3])
    padded = _scatter_windows(columns.astype(grad.dtype), padded_shape, ksize, strides,
                              (1, 1), out_hw)
    return np.ascontiguousarray(_unpad(padded, geometry))


def _pool_grad_infer(op_type):
    def infer(orig_input, orig_output, grad, ksize, strides, padding):
        check_same_dtype(op_type, (orig_input, grad), ("orig_input", "grad"))
        return grad.dtype, orig_input.shape
    return infer


def _max_pool_grad_grad(op, grad):
    x, y, _ = op.inputs
    return [None, None, apply(MAX_POOL_GRAD_GRAD, (x, y, grad), dict(op.attrs))]


MAX_POOL_GRAD = defop("MaxPoolGrad", _max_pool_grad_kernel, _pool_grad_infer("MaxPoolGrad"),
                      grad=_max_pool_grad_grad, inputs=("orig_input", "orig_output", "grad"))


def _max_pool_grad_grad_kernel(x, y, grad, ksize, strides, padding):
    """The entry of `grad` (shaped like the input) at each window's first maximum."""
    positions, geometry, out_hw = _argmax_positions(x, ksize, strides, padding)
    flat = _flat_windows(_windows(_pad(grad, geometry), ksize, strides, (1, 1), out_hw))
    return np.take_along_axis(flat, positions[..., None], axis=-1)[..., 0]


def _max_pool_grad_grad_infer(orig_input, orig_output, grad, ksize, strides, padding):
    check_same_dtype("MaxPoolGradGrad", (orig_input, grad), ("orig_input", "grad"))
    return grad.dtype, orig_output.shape


def _max_pool_grad_grad_grad(op, grad):
    x, y, _ = op.inputs
    return [None, None, apply(MAX_POOL_GRAD, (x, y, grad), dict(op.attrs))]


MAX_POOL_GRAD_GRAD = defop("MaxPoolGradGrad", _max_pool_grad_grad_kernel,
                           _max_pool_grad_grad_infer, grad=_max_pool_grad_grad_grad,
                           inputs=("orig_input", "orig_output", "grad"))


def _avg_pool_grad(op, grad):
    return [apply(AVG_POOL_GRAD, (array_ops.shape(op.inputs[0]), grad), dict(op.attrs))]


AVG_POOL = defop("AvgPool", _avg_pool, _pool_infer("AvgPool", FLOAT_ONLY), grad=_avg_pool_grad,
                 inputs=("input",), accepts=FLOAT_ONLY)


def _avg_pool_grad_kernel(input_sizes, grad, ksize, strides, padding):
    shape = tuple(int(d) for d in input_sizes)
    geometry = _geometry(shape, ksize, strides, (1, 1), padding)
    out_hw = (geometry[0][0], geometry[1][0])
    share = grad / _valid_counts(shape, ksize, strides, padding)
    n, oh, ow, c = grad.shape
    columns = np.broadcast_to(share[:, :, :, None, None, :], (n, oh, ow) + tuple(ksize) + (c,))
    padded_shape = (shape[0], shape[1] + geometry[0][1] + geometry[0][2],
                    shape[2] + geometry[1][1] + geometry[1][2], shape[3])
    padded = _scatter_windows(columns.astype(grad.dtype), padded_shape, ksize, strides, (1, 1),
                              out_hw)
    return np.ascontiguousarray(_unpad(padded, geometry))


def _avg_pool_grad_infer(input_sizes, grad, ksize, strides, padding):
    check_dtype("AvgPoolGrad", grad, FLOAT_ONLY, "grad")
    sizes = _static_sizes(input_sizes)
    return grad.dtype, TensorShape(sizes if sizes is not None else [None] * 4)


def _avg_pool_grad_grad(op, grad):
    return [None, apply(AVG_POOL, (grad,), dict(op.attrs))]


AVG_POOL_GRAD = defop("AvgPoolGrad", _avg_pool_grad_kernel, _avg_pool_grad_infer,
                      grad=_avg_pool_grad_grad, inputs=("orig_input_shape", "grad"))


# -- public functions --------------------------------------------------------------------------

def _pair_attr(fn_name, arg, value, spatial=2, layout_rank=4):
    """An int, or a list of `spatial` or `layout_rank` ints (batch and channel entries 1)."""
    if isinstance(value, Tensor):
        raise TypeError("%s: %s must be Python ints (known while building), not a tensor"
                        % (fn_name, arg))
    if isinstance(value, (int, np.integer)):
        values = (int(value),) * spatial
    else:
        values = tuple(int(v) for v in value)
        if len(values) == layout_rank:
            if values[0] != 1 or values[-1] != 1:
                raise InvalidArgumentError("%s: %s along the batch and channel dimensions must "
                                           "be 1, got %s" % (fn_name, arg, list(values)))
            values = values[1:-1]
        elif len(values) == 1:
            values = values * spatial
        if len(values) != spatial:
            raise InvalidArgumentError("%s: %s must be an int or a list of 1, %d or %d ints, "
                                       "got %s" % (fn_name, arg, spatial, layout_rank,
                                                   list(values)))
    if any(v < 1 for v in values):
        raise InvalidArgumentError("%s: %s must be positive, got %s" % (fn_name, arg,
                                                                        list(values)))
    return values


def _padding_attr(fn_name, padding, channels_first):
    if isinstance(padding, str):
        if padding.upper() not in ("SAME", "VALID"):
            raise InvalidArgumentError("%s: padding must be 'SAME', 'VALID' or explicit "
                                       "[[0, 0], [top, bottom], [left, right], [0, 0]], got %r"
                                       % (fn_name, padding))
        return padding.upper()
    pairs = [tuple(int(v) for v in pair) for pair in padding]
    if len(pairs) == 4:
        batch, channel = (pairs[0], pairs[1]) if channels_first else (pairs[0], pairs[3])
        if batch != (0, 0) or channel != (0, 0):
            raise InvalidArgumentError("%s: explicit padding of the batch and channel "
                                       "dimensions must be 0, got %s" % (fn_name, padding))
        pairs = pairs[2:] if channels_first else pairs[1:3]
    if len(pairs) != 2 or any(v < 0 for pair in pairs for v in pair):
        raise InvalidArgumentError("%s: explicit padding must be non-negative (before, after) "
                                   "pairs, got %s" % (fn_name, padding))
    return tuple(pairs)


def _to_nhwc(x, channels_first):
    return array_ops.transpose(x, [0, 2, 3, 1]) if channels_first else x


def _from_nhwc(x, channels_first):
    return array_ops.transpose(x, [0, 3, 1, 2]) if channels_first else x


def _layout(fn_name, data_format, last, first):
    if data_format in (None, last):
        return False
    if data_format == first:
        return True
    raise InvalidArgumentError("%s: data_format must be %r or %r, got %r"
                               % (fn_name, last, first, data_format))


def _float_pair(fn_name, x, w):
    x = x if isinstance(x, Tensor) else convert_to_tensor(x)
    w = w if isinstance(w, Tensor) else convert_to_tensor(w, x.dtype)
    return x, w


def conv2d(input, filters, strides, padding, data_format="NHWC", dilations=None, name=None):
    """2-D convolution (cross-correlation, as TF) of NHWC `input` with HWIO `filters`.

    `padding`: "SAME" (output size ceil(size / stride)), "VALID" (only full windows) or
    explicit [[0, 0], [top, bottom], [left, right], [0, 0]].
    """
    first = _layout("conv2d", data_format, "NHWC", "NCHW")
    x, w = _float_pair("conv2d", input, filters)
    attrs = {"strides": _pair_attr("conv2d", "strides", strides),
             "padding": _padding_attr("conv2d", padding, first),
             "dilations": _pair_attr("conv2d", "dilations", 1 if dilations is None
                                     else dilations)}
    if attrs["strides"] != (1, 1) and attrs["dilations"] != (1, 1):
        raise InvalidArgumentError("conv2d: strides > 1 together with dilations > 1 are not "
                                   "supported (TensorFlow refuses them too)")
    return _from_nhwc(apply(CONV2D, (_to_nhwc(x, first), w), attrs, name), first)


def conv2d_transpose(input, filters, output_shape, strides, padding="SAME", data_format="NHWC",
                     dilations=None, name=None):
    """The transpose (gradient) of conv2d: `filters` is HWOI ([height, width, output
    channels, input channels]) and `output_shape` the NHWC shape of the result."""
    first = _layout("conv2d_transpose", data_format, "NHWC", "NCHW")
    x, w = _float_pair("conv2d_transpose", input, filters)
    if first:
        output_shape = [output_shape[0], output_shape[2], output_shape[3], output_shape[1]]
    attrs = {"strides": _pair_attr("conv2d_transpose", "strides", strides),
             "padding": _padding_attr("conv2d_transpose", padding, first),
             "dilations": _pair_attr("conv2d_transpose", "dilations",
                                     1 if dilations is None else dilations)}
    sizes = convert_to_tensor(output_shape, "int32")
    return _from_nhwc(apply(CONV2D_BACKPROP_INPUT, (sizes, w, _to_nhwc(x, first)), attrs, name),
                      first)


def _add_height(x, channels_first):
    return array_ops.expand_dims(x, 2 if channels_first else 1)


def _drop_height(x, channels_first):
    return array_ops.squeeze(x, [2 if channels_first else 1])


def conv1d(input, filters, stride, padding, data_format="NWC", dilations=None, name=None):
    """1-D convolution of NWC `input` with WIO `filters` (a conv2d over a height of 1)."""
    first = _layout("conv1d", data_format, "NWC", "NCW")
    x, w = _float_pair("conv1d", input, filters)
    width = _pair_attr("conv1d", "stride", stride, 1, 3)[0]
    dilation = _pair_attr("conv1d", "dilations", 1 if dilations is None else dilations, 1, 3)[0]
    if not isinstance(padding, str):
        pairs = [tuple(p) for p in padding]
        padding = [(0, 0), (0, 0)] + pairs[-2:] if first else \
            [(0, 0), (0, 0), pairs[-2], (0, 0)]
    out = conv2d(_add_height(x, first), array_ops.expand_dims(w, 0), (1, width), padding,
                 "NCHW" if first else "NHWC", (1, dilation), name)
    return _drop_height(out, first)


def _pool2d(fn_name, opdef, input, ksize, strides, padding, data_format, name):
    first = _layout(fn_name, data_format, "NHWC", "NCHW")
    x = input if isinstance(input, Tensor) else convert_to_tensor(input)
    if isinstance(padding, str) and padding.upper() not in ("SAME", "VALID"):
        raise InvalidArgumentError("%s: padding must be 'SAME' or 'VALID', got %r"
                                   % (fn_name, padding))
    attrs = {"ksize": _pair_attr(fn_name, "ksize", ksize),
             "strides": _pair_attr(fn_name, "strides", strides),
             "padding": _padding_attr(fn_name, padding, first)}
    return _from_nhwc(apply(opdef, (_to_nhwc(x, first),), attrs, name), first)


def max_pool2d(input, ksize, strides, padding, data_format="NHWC", name=None):
    """The maximum of each ksize window (moved by strides) of an NHWC input."""
    return _pool2d("max_pool2d", MAX_POOL, input, ksize, strides, padding, data_format, name)


def avg_pool2d(input, ksize, strides, padding, data_format="NHWC", name=None):
    """The mean of each ksize window of an NHWC input (padding cells are not counted)."""
    return _pool2d("avg_pool2d", AVG_POOL, input, ksize, strides, padding, data_format, name)


def _pool1d(fn_name, pool2d, input, ksize, strides, padding, data_format, name):
    first = _layout(fn_name, data_format, "NWC", "NCW")
    x = input if isinstance(input, Tensor) else convert_to_tensor(input)
    size = _pair_attr(fn_name, "ksize", ksize, 1, 3)[0]
    stride = _pair_attr(fn_name, "strides", strides, 1, 3)[0]
    out = pool2d(_add_height(x, first), (1, size), (1, stride), padding,
                 "NCHW" if first else "NHWC", name)
    return _drop_height(out, first)


def max_pool1d(input, ksize, strides, padding, data_format="NWC", name=None):
    """The maximum of each window of an NWC input."""
    return _pool1d("max_pool1d", max_pool2d, input, ksize, strides, padding, data_format, name)


def avg_pool1d(input, ksize, strides, padding, data_format="NWC", name=None):
    """The mean of each window of an NWC input."""
    return _pool1d("avg_pool1d", avg_pool2d, input, ksize, strides, padding, data_format, name)


def _pool_nd(fn_name, pool1d, pool2d, input, ksize, strides, padding, data_format, name):
    x = input if isinstance(input, Tensor) else convert_to_tensor(input)
    rank = x.shape.rank
    if rank == 3:
        return pool1d(x, ksize, strides, padding, data_format or "NWC", name)
    if rank == 4:
        return pool2d(x, ksize, strides, padding, data_format or "NHWC", name)
    raise InvalidShapeError("%s: input must have rank 3 or 4 (1-D or 2-D pooling), got shape %s"
                            % (fn_name, x.shape))


def max_pool(input, ksize, strides, padding, data_format=None, name=None):
    """max_pool1d or max_pool2d, by the input's rank."""
    return _pool_nd("max_pool", max_pool1d, max_pool2d, input, ksize, strides, padding,
                    data_format, name)


def avg_pool(input, ksize, strides, padding, data_format=None, name=None):
    """avg_pool1d or avg_pool2d, by the input's rank."""
    return _pool_nd("avg_pool", avg_pool1d, avg_pool2d, input, ksize, strides, padding,
                    data_format, name)


OPDEFS = [CONV2D, CONV2D_BACKPROP_INPUT, CONV2D_BACKPROP_FILTER, MAX_POOL, MAX_POOL_GRAD,
          MAX_POOL_GRAD_GRAD, AVG_POOL, AVG_POOL_GRAD]
