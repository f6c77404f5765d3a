"""The `ag__` namespace of converted code: run-time operators that decide, when the code runs,
between plain Python (Python values) and graph ops (tensors of a graph being traced)."""
from .calls import assert_stmt, call, list_append
from .control_flow import AutoGraphWarning, if_exp, if_stmt, loop_options
from .loops import for_stmt, while_stmt
from .logical import and_, not_, or_
from .variables import (Undefined, UndefinedReturnValue, is_undefined, ld, ldu,
                        retval, set_attr, set_item)

__all__ = ["assert_stmt", "call", "list_append", "AutoGraphWarning", "for_stmt", "if_exp",
           "if_stmt", "loop_options", "while_stmt", "and_", "not_", "or_", "Undefined",
           "UndefinedReturnValue", "is_undefined", "ld", "ldu", "retval",
           "set_attr", "set_item"]
