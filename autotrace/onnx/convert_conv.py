"""ONNX converters of convolution and pooling: autotrace's ops are NHWC with HWIO filters,
ONNX's NCHW with OIHW filters, so each op is wrapped in transposes. Padding: explicit pads from
the same geometry as the NumPy kernels when the spatial sizes are static, else ONNX's
SAME_UPPER (TF's SAME puts the extra padding after) or VALID."""
from ..ops.nn_conv_ops import _geometry
from .table import converter

_TO_NCHW, _TO_NHWC, _HWIO_TO_OIHW = [0, 3, 1, 2], [0, 2, 3, 1], [3, 2, 0, 1]


def _padding(op, x, kernel, strides, dilations):
    """ONNX's pads (or auto_pad) for the op's padding over input x (a graph tensor)."""
    padding = op.attrs["padding"]
    dims = x.shape.as_tuple()
    if dims is not None and None not in dims[1:3]:
        geometry = _geometry(dims, kernel, strides, dilations, padding)
        return {"pads": [g[1] for g in geometry] + [g[2] for g in geometry]}
    if isinstance(padding, tuple):
        (top, bottom), (left, right) = padding
        return {"pads": [top, left, bottom, right]}
    return {"auto_pad": "SAME_UPPER" if padding == "SAME" else "VALID"}


def _nhwc(scope, make):
    """`make(nchw_input)` run between the two transposes."""
    def wrapped(x):
        out = make(scope.node("Transpose", [x], perm=_TO_NCHW))
        return scope.node("Transpose", [out], perm=_TO_NHWC)
    return wrapped


@converter("Conv2D")
def _conv2d(scope, op, inputs):
    x, w = inputs
    kernel = op.inputs[1].shape.as_tuple()[:2]
    strides, dilations = list(op.attrs["strides"]), list(op.attrs["dilations"])
    weights = scope.node("Transpose", [w], perm=_HWIO_TO_OIHW)
    pads = _padding(op, op.inputs[0], kernel, strides, dilations)

    def conv(nchw):
        if pads.get("auto_pad") == "SAME_UPPER" and dilations != [1, 1]:
            # onnxruntime's SAME_UPPER refuses dilations: pad explicitly, at run time
            nchw = scope.node("Pad", [nchw, _same_pads(scope, nchw, kernel, strides,
                                                        dilations)])
            return scope.node("Conv", [nchw, weights], kernel_shape=list(kernel),
                              strides=strides, dilations=dilations)
        return scope.node("Conv", [nchw, weights], kernel_shape=list(kernel), strides=strides,
                          dilations=dilations, **pads)
    return _nhwc(scope, conv)(x)


def _same_pads(scope, nchw, kernel, strides, dilations):
    """ONNX Pad's pads for TF's SAME padding of an NCHW tensor, computed from its shape:
    total = max((ceil(size / stride) - 1) * stride + effective kernel - size, 0), the extra
    cell after."""
    size = scope.node("Slice", [scope.node("Shape", [nchw]), scope.ints([2]), scope.ints([4])])
    stride = scope.ints(strides)
    effective = scope.ints([(k - 1) * d + 1 for k, d in zip(kernel, dilations)])
    out = scope.node("Div", [scope.node("Add", [size, scope.node("Sub", [stride,
                                                                         scope.ints([1, 1])])]),
                             stride])
    total = scope.node("Sub", [scope.node("Add", [scope.node("Mul", [scope.node(
        "Sub", [out, scope.ints([1, 1])]), stride]), effective]), size])
    total = scope.node("Max", [total, scope.ints([0, 0])])
    before = scope.node("Div", [total, scope.ints([2, 2])])
    after = scope.node("Sub", [total, before])
    zeros = scope.ints([0, 0])
    return scope.node("Concat", [zeros, before, zeros, after], axis=0)


@converter("MaxPool", "AvgPool")
def _pool(scope, op, inputs):
    kernel, strides = list(op.attrs["ksize"]), list(op.attrs["strides"])
    pads = _padding(op, op.inputs[0], kernel, strides, (1, 1))
    onnx_type, extra = ("MaxPool", {}) if op.type == "MaxPool" else \
        ("AveragePool", {"count_include_pad": 0})
    return _nhwc(scope, lambda nchw: scope.node(
        onnx_type, [nchw], kernel_shape=kernel, strides=strides, **pads, **extra))(inputs[0])
