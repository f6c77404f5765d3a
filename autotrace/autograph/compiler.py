"""A converted gast tree -> Python code -> a function with the original's globals and closure.

Line numbers need no fixing here: the source is parsed with the file's own line numbers, and
every node a converter generates takes the position of the statement or expression it stands
for (templates.copy_location), so a traceback through converted code shows the user's line.
"""
import types

import gast

from . import operators
from .templates import function_def, position
from .translate import to_ast

__all__ = ["compile_function", "instantiate", "CompileError", "CONVERTED_NAME",
           "is_generated"]

CONVERTED_NAME = "ag__converted"
_FACTORY = "__autotrace_factory__"


def is_generated(code):
    """True for the code of a converted function or of a lambda or def nested in one (their
    qualified names start with the factory's; the converted function's own uses the `ag__`
    cell). Calls of these from converted code run them as they are: converting them again
    "from their source" would find the user's text at their positions, or a fragment of it,
    and lose what the first conversion did (e.g. private-name mangling)."""
    return "ag__" in code.co_freevars or \
        getattr(code, "co_qualname", "").startswith(_FACTORY)


class CompileError(Exception):
    """The converted tree did not compile (a bug in a converter, or a construct it mishandles)."""


def compile_function(root, code, free_names):
    """The code object of the converted def (or lambda) `root`, compiled with the user's file
    name, inside a factory whose parameters are `ag__` and the original free variables (so
    the new code reads them as closure cells). Named and qualified as `code` is."""
    factory_params = ["ag__"] + [n for n in free_names if n != "ag__"]
    pos = position(root)
    if isinstance(root, gast.Lambda):
        body = [gast.Return(value=root, **pos)]
    else:
        # Under its own name the def would shadow the global it may call (recursion).
        root.name = CONVERTED_NAME
        body = [root, gast.Return(value=gast.Name(root.name, gast.Load(), None, None, **pos),
                                  **pos)]
    factory = function_def(_FACTORY, factory_params, body, pos)
    try:
        module_code = compile(to_ast(gast.Module(body=[factory], type_ignores=[])),
                              code.co_filename, "exec")
    except (SyntaxError, ValueError, TypeError, AttributeError) as exc:
        raise CompileError("the converted code did not compile (%s)" % _explain(exc)) from None
    finally:
        if not isinstance(root, gast.Lambda):
            root.name = code.co_name  # the tree given to to_code shows the user's name
    factory_code = next(c for c in module_code.co_consts if isinstance(c, types.CodeType))
    wanted = "<lambda>" if isinstance(root, gast.Lambda) else CONVERTED_NAME
    inner = [c for c in factory_code.co_consts if isinstance(c, types.CodeType)
             and c.co_name == wanted]
    if not inner:
        raise CompileError("internal: the converted code object was not found")
    names = {"co_name": code.co_name}
    if hasattr(code, "co_qualname"):
        names["co_qualname"] = code.co_qualname
    return inner[0].replace(**names)


def _explain(exc):
    message = str(exc)
    if "lineno" in message or "col_offset" in message:
        return "internal: a generated node has no source position: %s" % message
    return message


def instantiate(function, code):
    """A new function object running `code` (converted from `function`) with `function`'s
    globals, defaults and closure cells, plus a cell holding `ag__`."""
    cells = dict(zip(function.__code__.co_freevars, function.__closure__ or ()))
    closure = []
    for name in code.co_freevars:
        if name == "ag__":
            closure.append(types.CellType(operators))
        elif name in cells:
            closure.append(cells[name])
        else:
            raise CompileError("internal: no closure cell for %r" % name)
    converted = types.FunctionType(code, function.__globals__, function.__name__,
                                   function.__defaults__, tuple(closure) or None)
    converted.__kwdefaults__ = function.__kwdefaults__
    converted.__doc__ = function.__doc__
    converted.__qualname__ = function.__qualname__
    converted.__module__ = function.__module__
    converted.__dict__.update(function.__dict__)
    converted.__autotrace_converted_from__ = function
    converted.__wrapped__ = function
    return converted
