"""ONNX converters of the neural-network ops: activations, softmax, cross-entropies, bias_add,
and the simplest activation gradients."""
import numpy as np

from .convert_array import one_hot
from .table import converter

_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_SCALE = 1.0507009873554804934193349852946
_CHANNELS_FIRST = ("NCHW", "NCW", "NCDHW", "NC...")


@converter("Relu", "Elu", "Softplus", "Softsign")
def _activation(scope, op, inputs):
    return scope.node(op.type, inputs)


@converter("Selu")
def _selu(scope, op, inputs):
    return scope.node("Selu", inputs, alpha=_SELU_ALPHA, gamma=_SELU_SCALE)


@converter("LeakyRelu")
def _leaky_relu(scope, op, inputs):
    return scope.node("LeakyRelu", inputs, alpha=float(op.attrs["alpha"]))


@converter("Softmax", "LogSoftmax")
def _softmax(scope, op, inputs):
    return scope.node(op.type, inputs, axis=op.attrs["axis"])


@converter("SoftmaxCrossEntropyWithLogits")
def _xent(scope, op, inputs):
    logits, labels = inputs
    axis = op.attrs["axis"]
    log_probs = scope.node("LogSoftmax", [logits], axis=axis)
    picked = scope.node("ReduceSum", [scope.node("Mul", [labels, log_probs]),
                                      scope.ints([axis])], keepdims=0)
    backprop = scope.node("Sub", [scope.node("Exp", [log_probs]), labels])
    return [scope.node("Neg", [picked]), backprop]


@converter("SparseSoftmaxCrossEntropyWithLogits")
def _sparse_xent(scope, op, inputs):
    logits, labels = inputs
    log_probs = scope.node("LogSoftmax", [logits], axis=-1)
    depth = scope.node("Gather", [scope.node("Shape", [logits]), scope.const(np.int64(-1))], axis=0)
    dtype = op.inputs[0].dtype.np
    hot = one_hot(scope, labels, depth, scope.const(np.ones((), dtype)),
                  scope.const(np.zeros((), dtype)))
    picked = scope.node("ReduceSum", [scope.node("Mul", [hot, log_probs]), scope.ints([-1])],
                        keepdims=0)
    return [scope.node("Neg", [picked]), scope.node("Sub", [scope.node("Exp", [log_probs]), hot])]


@converter("BiasAdd")
def _bias_add(scope, op, inputs):
    value, bias = inputs
    if op.attrs["data_format"] in _CHANNELS_FIRST:
        rank = op.inputs[0].shape.rank
        bias = scope.node("Reshape", [bias, scope.ints([-1] + [1] * (rank - 2))])
    return scope.node("Add", [value, bias])


@converter("BiasAddGrad")
def _bias_add_grad(scope, op, inputs):
    rank = op.inputs[0].shape.rank
    axis = (1 if op.attrs["data_format"] in _CHANNELS_FIRST else -1) % rank
    return scope.node("ReduceSum", [inputs[0], scope.ints([i for i in range(rank) if i != axis])],
                      keepdims=0)


@converter("ReluGrad")
def _relu_grad(scope, op, inputs):
    gradients, features = inputs
    zero = scope.const(np.zeros((), op.inputs[0].dtype.np))
    return scope.node("Where", [scope.node("Greater", [features, zero]), gradients, zero])


@converter("LeakyReluGrad")
def _leaky_relu_grad(scope, op, inputs):
    gradients, features = inputs
    dtype = op.inputs[0].dtype.np
    zero, alpha = scope.const(np.zeros((), dtype)), scope.const(np.asarray(op.attrs["alpha"],
                                                                           dtype))
    return scope.node("Where", [scope.node("Greater", [features, zero]), gradients,
                                scope.node("Mul", [gradients, alpha])])
