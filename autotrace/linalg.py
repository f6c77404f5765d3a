"""`autotrace.linalg`: linear algebra (TF's tf.linalg): products, structure (bands,
diagonals, transposes), solves and inverses, decompositions, norms.

>>> import autotrace as tf
>>> tf.linalg.det([[1.0, 2.0], [3.0, 4.0]]).numpy()
-2.0
"""
from .ops.creation_ops import eye
from .ops.linalg_ops import einsum, matmul, tensordot
from .ops.linalg_decomposition_ops import (cholesky, eigh, eigvalsh, matrix_rank, pinv, qr,
                                           svd)
from .ops.linalg_solve_ops import (cholesky_solve, det, expm, inv, logdet, lstsq, slogdet,
                                   solve, triangular_solve)
from .ops.matrix_structure_ops import (adjoint, band_part, cross, diag, diag_part,
                                       matrix_transpose, matvec, set_diag, tensor_diag,
                                       tensor_diag_part, trace)
from .ops.nn_loss_ops import l2_normalize
from .ops.norm_ops import global_norm, norm, normalize
