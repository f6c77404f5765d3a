"""Neural-network ops (TF's tf.nn): activations, softmax, cross-entropies, moments, dropout.

The family lives in three modules, re-exported here (`autotrace.nn` is this module's `__all__`):

- nn_activation_ops: relu, elu, selu, softplus, softsign, leaky_relu, relu6, silu, softmax,
  log_softmax, bias_add, and the activations' derivative ops (ReluGrad, SoftplusGrad...);
- nn_loss_ops: the cross-entropies, moments, l2_loss, l2_normalize, dropout;
- nn_conv_ops: conv2d, conv1d, conv2d_transpose, max/avg pooling and their gradient ops.

Kernels are numerically stable: softmax subtracts the maximum, softplus never overflows,
cross-entropies work on log-probabilities. Every op declares its gradient.

>>> import autotrace as tf
>>> tf.nn.relu([-1.0, 2.0]).numpy()
array([0., 2.], dtype=float32)
>>> tf.nn.softmax([0.0, 1000.0]).numpy()
array([0., 1.], dtype=float32)
"""
from . import nn_activation_ops, nn_conv_ops, nn_loss_ops
from .nn_activation_ops import *  # noqa: F401,F403
from .nn_activation_ops import (ACTIVATION_OPS, BIAS_ADD, BIAS_ADD_GRAD, ELU_GRAD, LEAKY_RELU,
                                LEAKY_RELU_GRAD, LOG_SOFTMAX, RELU_GRAD, SELU_GRAD, SOFTMAX,
                                SOFTPLUS_GRAD, SOFTSIGN_GRAD, softmax_jvp)
from .nn_conv_ops import *  # noqa: F401,F403
from .nn_loss_ops import *  # noqa: F401,F403
from .nn_loss_ops import SOFTMAX_XENT, SPARSE_SOFTMAX_XENT  # noqa: F401

__all__ = list(nn_activation_ops.__all__) + list(nn_loss_ops.__all__) + \
    list(nn_conv_ops.__all__)

# The op types declared by this family (for checks that each declares its gradient).
OPDEFS = list(ACTIVATION_OPS.values()) + [
    LEAKY_RELU, SOFTMAX, LOG_SOFTMAX, BIAS_ADD, BIAS_ADD_GRAD, RELU_GRAD, ELU_GRAD, SELU_GRAD,
    SOFTPLUS_GRAD, SOFTSIGN_GRAD, LEAKY_RELU_GRAD, SOFTMAX_XENT, SPARSE_SOFTMAX_XENT] + \
    nn_conv_ops.OPDEFS



def embedding_lookup(params, ids, max_norm=None, name=None):
    """The rows of `params` at `ids` (a tensor, or a RaggedTensor for a ragged result): a
    gather, whose gradient is IndexedSlices (only the rows looked up). `params` may be a
    list of one tensor or variable; rows longer than `max_norm` are scaled down to it.

    >>> import autotrace as tf
    >>> table = tf.constant([[0.0, 0.0], [1.0, 1.0], [2.0, 2.0]])
    >>> tf.nn.embedding_lookup(table, [2, 0]).numpy()
    array([[2., 2.],
           [0., 0.]], dtype=float32)
    """
    from .gather_ops import gather
    if isinstance(params, (list, tuple)):
        if len(params) != 1:
            raise NotImplementedError("embedding_lookup: partitioned params (a list of %d "
                                      "tensors) are not supported; pass one tensor"
                                      % len(params))
        params = params[0]
    rows = gather(params, ids, name=name)
    if max_norm is None:
        return rows
    from .math_ops import cast, maximum, reduce_sum, rsqrt
    norms_sq = reduce_sum(rows * rows, axis=-1, keepdims=True)
    limit = cast(max_norm, rows.dtype)
    scale = limit * rsqrt(maximum(norms_sq, limit * limit))
    return rows * scale


__all__.append("embedding_lookup")
