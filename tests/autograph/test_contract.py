"""The converter -> operator contract is named: the return converter names a function's
return-value variable with RETURN_VALUE_PREFIX, and the control-flow operators recognise it by
`is_return_value_name` (it may stay undefined on a path that did not return)."""
import re

import autotrace as tf
from autotrace.autograph.operators.variables import RETURN_VALUE_PREFIX, is_return_value_name


def early_return(x):
    if x > 0:
        return x
    return -x


def test_the_converted_return_variable_is_what_the_operators_recognise():
    code = tf.autograph.to_code(early_return)
    names = set(re.findall(r"\b(%s\w*)\s*=" % RETURN_VALUE_PREFIX, code))
    assert names and all(is_return_value_name(n) for n in names)
    assert not is_return_value_name("result")


def test_a_return_on_one_tensor_path_only_is_staged():
    f = tf.function(early_return)
    assert float(f(tf.constant(-2.0))) == 2.0 and float(f(tf.constant(3.0))) == 3.0
