"""The `ag__` namespace of converted code: run-time operators that decide, when the code runs,
between plain Python (Python values) and graph ops (tensors of a graph being traced)."""
from .calls import assert_stmt, call, list_append, list_concat, list_extend
from .control_flow import AutoGraphWarning, if_exp, if_stmt, loop_options, match_subject
from .loops import for_stmt, while_stmt
from .logical import and_, compare_chain, not_, or_
from .variables import (Undefined, UndefinedReturnValue, is_undefined, ld, ldu,
                        retval, set_attr, set_item)

__all__ = ["assert_stmt", "call", "list_append", "list_concat", "list_extend", "AutoGraphWarning", "for_stmt", "if_exp",
           "if_stmt", "loop_options", "match_subject", "while_stmt", "and_", "compare_chain", "not_", "or_",
           "Undefined", "UndefinedReturnValue", "is_undefined", "ld", "ldu", "retval",
           "set_attr", "set_item"]
