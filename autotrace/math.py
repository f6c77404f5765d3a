"""`autotrace.math`: elementwise math, reductions and comparisons (TF's tf.math)."""
from .ops.math_ops import (abs, acos, add, add_n, argmax, argmin, asin, atan, atan2, ceil, conj,
                           cos, cosh, count_nonzero, div_no_nan, divide, equal, erf, exp, expm1,
                           floor, floordiv, floormod, greater, greater_equal, invert, is_finite,
                           is_inf, is_nan, less, less_equal, log, log1p, logical_and,
                           logical_not, logical_or, logical_xor, maximum, minimum, mod,
                           multiply, negative, not_equal, pow, realdiv, reciprocal, reduce_all,
                           reduce_any, reduce_logsumexp, reduce_max, reduce_mean, reduce_min,
                           reduce_prod, reduce_std, reduce_sum, reduce_variance, round, rsqrt,
                           sigmoid, sign, sin, sinh, sqrt, square, squared_difference, subtract,
                           tan, tanh, truediv)
from .ops.sort_ops import cumprod, cumsum, top_k
from .ops.segment_ops import (unsorted_segment_max, unsorted_segment_min,
                              unsorted_segment_prod, unsorted_segment_sum)

from .ops.complex_ops import angle, imag, real

floor_div = floordiv
divide_no_nan = div_no_nan
