"""Conversion of a function: source -> gast tree -> converters -> compiled function.

The source is parsed with the file's own line numbers and the converted tree is compiled
directly (compiler.py) with the user's file name, so tracebacks and the `created at
file:line` of ops point at the user's own lines. Results are cached per code object;
`to_code` shows the converted source (unparsed with astunparse).
"""
import dis
import functools
import inspect
import linecache
import sysconfig
import textwrap
import time
import types
import weakref

import gast

from ..core.context import warn_at_user_line
from . import analysis, compiler, translate
from .converters import (asserts, break_continue, calls, control_flow, expressions, lists,
                         returns)
from .converters.base import Context
from .templates import to_source

__all__ = ["convert", "convert_for_call", "to_code", "do_not_convert", "ConversionError",
           "conversion_stats"]

_CACHE = {}          # code object -> _Converted (or a _Failure)
_BY_FUNCTION = weakref.WeakKeyDictionary()   # function -> converted function


class ConversionError(Exception):
    """The source of a function could not be converted."""


class _Converted:
    """A conversion result for one code object: the code of the converted function. The tree
    it came from is not kept (hundreds of nodes per function, for as long as the program
    runs); to_code converts again."""

    def __init__(self, code, free_names, uses_class_cell, seconds):
        self.code = code
        self.free_names = free_names
        self.uses_class_cell = uses_class_cell
        self.seconds = seconds


class _Failure:
    def __init__(self, reason):
        self.reason = reason


# -- which functions to convert ----------------------------------------------------------------

_LIBRARY_ROOTS = tuple(sorted({p for p in (sysconfig.get_paths().get(k) for k in
                                           ("stdlib", "platstdlib", "purelib", "platlib"))
                               if p}, key=len, reverse=True))
_PACKAGE_ROOT = __file__.rsplit("autograph", 1)[0]
_LIBRARY_MODULES = ("autotrace", "numpy", "gast", "astunparse", "builtins")


def is_library(function):
    """True for code autotrace leaves as it is: itself, NumPy, the standard library and
    installed packages (user code in a project directory is converted)."""
    module = (getattr(function, "__module__", None) or "").split(".")[0]
    if module in _LIBRARY_MODULES:
        return True
    code = getattr(function, "__code__", None)
    if code is None:
        return True
    filename = code.co_filename
    if filename.startswith(_PACKAGE_ROOT):
        return True
    return any(filename.startswith(root) for root in _LIBRARY_ROOTS)


def why_not_converted(function):
    """Why convert() returned `function` unchanged (None if it was converted)."""
    function = getattr(function, "__func__", function)
    if getattr(function, "__autotrace_do_not_convert__", False):
        return "it is marked do_not_convert"
    if function in _BY_FUNCTION:
        return None
    result = _CACHE.get(getattr(function, "__code__", None))
    if isinstance(result, _Failure):
        return result.reason
    return None if isinstance(function, types.FunctionType) else "it is not a Python function"


def do_not_convert(function=None):
    """Decorator: call this function as it is from converted code (no AutoGraph)."""
    def mark(f):
        try:
            f.__autotrace_do_not_convert__ = True
        except AttributeError:
            pass
        return f
    return mark if function is None else mark(function)


# -- public entry points -----------------------------------------------------------------------

def convert(function, warn=True):
    """The AutoGraph-converted version of `function` (same name, docstring and signature).

    If its source cannot be had (REPL, exec, builtins) or conversion fails, `function` itself
    is returned, with one warning saying why (unless warn=False)."""
    if isinstance(function, types.MethodType):
        converted = convert(function.__func__, warn)
        return types.MethodType(converted, function.__self__)
    if getattr(function, "__autotrace_do_not_convert__", False):
        return function
    if isinstance(function, functools.partial):  # the function it calls is converted
        inner = convert(function.func, warn)
        return function if inner is function.func else functools.partial(
            inner, *function.args, **function.keywords)
    if not isinstance(function, types.FunctionType):
        call_method = getattr(type(function), "__call__", None)
        if isinstance(call_method, types.FunctionType):
            return types.MethodType(convert(call_method, warn), function)
        return function
    found = _BY_FUNCTION.get(function)
    if found is not None:
        return found
    if compiler.is_generated(function.__code__):  # a lambda or def of converted code
        return function
    result = _convert_code(function)
    if isinstance(result, _Failure):
        if warn:
            _warn_once(function, result.reason)
        return function
    try:
        converted = _instantiate(function, result)
    except ConversionError as exc:
        if warn:
            _warn_once(function, str(exc))
        return function
    _BY_FUNCTION[function] = converted
    return converted


def convert_for_call(function):
    """For `ag__.call`: the converted function for user code, or None to call it as is."""
    if getattr(function, "__autotrace_do_not_convert__", False) or is_library(function):
        return None
    if compiler.is_generated(function.__code__):  # a lambda or def of converted code
        return None
    if inspect.isgeneratorfunction(function) or inspect.iscoroutinefunction(function):
        return None
    converted = convert(function)
    return None if converted is function else converted


def to_code(function, recursive=True, experimental_optional_features=None):
    """The converted source of `function`, as readable Python. (`recursive` and the features
    are TF's parameters: called functions are converted when they run, whatever they are.)"""
    if isinstance(function, types.MethodType):
        function = function.__func__
    python_function = getattr(function, "python_function", function)
    result = _convert_code(python_function)
    if isinstance(result, _Failure):
        raise ConversionError("%s could not be converted: %s"
                              % (getattr(python_function, "__name__", python_function),
                                 result.reason))
    tree, _ = _convert_tree(python_function, python_function.__code__)
    return to_source(tree) + "\n"


def conversion_stats(function):
    """Seconds the conversion of `function` took (it is done once per code object)."""
    result = _CACHE.get(getattr(function, "__code__", None))
    return getattr(result, "seconds", None)


# -- conversion --------------------------------------------------------------------------------

_WARNED = set()


def _warn_once(function, reason):
    code = getattr(function, "__code__", None)
    key = code or id(function)
    if key in _WARNED:
        return
    _WARNED.add(key)
    from .operators.control_flow import AutoGraphWarning
    warn_at_user_line(
        "AutoGraph could not convert %s: %s. It will run as written: Python `if`, `while` and "
        "`for` on tensors inside it will not become graph control flow. Silence this with "
        "@autotrace.autograph.do_not_convert on the function, or autograph=False."
        % (getattr(function, "__qualname__", function), reason), AutoGraphWarning)


def _convert_code(function):
    code = function.__code__
    found = _CACHE.get(code)
    if found is None:
        started = time.perf_counter()
        try:
            found = _convert_source(function, code, started)
        except ConversionError as exc:
            found = _Failure(str(exc))
        _CACHE[code] = found
    return found


def _source_lines(function, code):
    filename = code.co_filename
    if filename.startswith("<") and filename.endswith(">") and not linecache.getlines(
            filename):
        raise ConversionError("its source code is not available (it was defined in an "
                              "interactive session or with exec)")
    try:
        lines, first_line = inspect.getsourcelines(code)  # not __wrapped__'s
    except (OSError, TypeError) as exc:
        raise ConversionError("its source code is not available (%s)" % exc) from None
    return lines, first_line


def _parse(function, code):
    if code.co_name == "<lambda>" and hasattr(code, "co_positions"):
        found = _parse_lambda_by_position(function, code)
        if found is not None:
            return found
    if hasattr(code, "co_positions"):
        found = _parse_def_by_positions(function, code)
        if found is not None:
            return found
    lines, first_line = _source_lines(function, code)
    source = textwrap.dedent("".join(lines))
    try:
        module = _parse_at(source, first_line)
    except SyntaxError:
        # A lambda inside a larger expression: parse the line(s) it is on, as an expression.
        module = _parse_fragment(source, first_line)
    return _find_function(module, function, code)


def _parse_at(source, first_line):
    """gast.parse, with line numbers those of the file where `source` starts at `first_line`
    (blank lines before it cost the parser next to nothing; renumbering a tree would not)."""
    return translate.parse("\n" * (first_line - 1) + source)


_PROLOGUE = {"RESUME", "COPY_FREE_VARS", "MAKE_CELL", "RETURN_GENERATOR", "NOP"}


def _parse_def_by_positions(function, code):
    """A def's source from its first line (decorators included) to the last line its
    bytecode covers (Python 3.11+): inspect's block finder tokenizes the file, which is most
    of the cost of getting the source. None if that text does not parse to the def (e.g. a
    trailing `else: pass` has no bytecode): then inspect is asked."""
    lines = linecache.getlines(code.co_filename, function.__globals__)
    last = _last_line(code)
    if not lines or last is None or last > len(lines):
        return None
    source = textwrap.dedent("".join(lines[code.co_firstlineno - 1:last]))
    try:
        module = _parse_at(source, code.co_firstlineno)
    except SyntaxError:
        return None
    node = module.body[0] if len(module.body) == 1 else None
    if not isinstance(node, (gast.FunctionDef, gast.AsyncFunctionDef)) or \
            node.name != code.co_name:
        return None
    return node


def _last_line(code):
    ends = [p[1] for p in code.co_positions() if p[1] is not None]
    ends += [_last_line(c) or 0 for c in code.co_consts if isinstance(c, types.CodeType)]
    return max(ends) if ends else None


def _parse_lambda_by_position(function, code):
    """A lambda's own source, found from the positions its bytecode records (Python 3.11+):
    this tells apart several lambdas on one line, which matching by arguments cannot."""
    spans = [i.positions for i in dis.get_instructions(code) if i.opname not in _PROLOGUE]
    spans = [p for p in spans if None not in p  # zero-width: bookkeeping, not source
             and (p.lineno, p.col_offset) != (p.end_lineno, p.end_col_offset)]
    lines = linecache.getlines(code.co_filename, function.__globals__)
    if not spans or not lines:
        return None
    start = min((p.lineno, p.col_offset) for p in spans)
    end = max((p.end_lineno, p.end_col_offset) for p in spans)
    if end[0] > len(lines):
        return None
    chunk = [line.encode("utf-8") for line in lines[start[0] - 1:end[0]]]
    chunk[-1] = chunk[-1][:end[1]]
    chunk[0] = chunk[0][start[1]:]
    body = b"".join(chunk).decode("utf-8", "replace")
    text = "lambda %s: (%s\n)" % (_lambda_params(code), body)
    try:
        module = _parse_at(text, start[0])
    except SyntaxError:
        return None
    return module.body[0].value


def _lambda_params(code):
    names = list(code.co_varnames)
    positional, kwonly = code.co_argcount, code.co_kwonlyargcount
    params = names[:positional]
    at = positional + kwonly
    if code.co_flags & inspect.CO_VARARGS:
        params.append("*" + names[at])
        at += 1
    elif kwonly:
        params.append("*")
    params.extend(names[positional:positional + kwonly])
    if code.co_flags & inspect.CO_VARKEYWORDS:
        params.append("**" + names[at])
    if code.co_posonlyargcount:
        params.insert(code.co_posonlyargcount, "/")
    return ", ".join(params)


def _parse_fragment(source, first_line):
    text = source.strip().rstrip(",;\\")
    first_line += len(source) - len(source.lstrip("\n"))
    for candidate in (text, "(" + text + ")", text.split("=", 1)[-1].strip()):
        try:
            return _parse_at(candidate, first_line)
        except SyntaxError:
            continue
    raise ConversionError("its source line could not be parsed on its own")


def _find_function(module, function, code):
    if code.co_name == "<lambda>":
        lambdas = [n for n in gast.walk(module) if isinstance(n, gast.Lambda)]
        wanted = list(code.co_varnames[:code.co_argcount])
        matches = [n for n in lambdas if [a.id for a in n.args.args] == wanted]
        if len(matches) != 1:
            raise ConversionError("the lambda is not the only one with these arguments on its "
                                  "source line")
        return matches[0]
    for node in gast.walk(module):
        if isinstance(node, (gast.FunctionDef, gast.AsyncFunctionDef)) and \
                node.name == code.co_name:
            return node
    raise ConversionError("its definition was not found in its source")


def _convert_source(function, code, started):
    root, uses_class = _convert_tree(function, code)
    free_names = list(code.co_freevars)
    if uses_class and "__class__" not in free_names:
        free_names.append("__class__")
    try:
        compiled = compiler.compile_function(root, code, free_names)
    except compiler.CompileError as exc:
        raise ConversionError(str(exc)) from None
    return _Converted(compiled, free_names, uses_class, time.perf_counter() - started)


def _convert_tree(function, code):
    """(the converted gast tree, whether it uses the __class__ cell)."""
    node = _parse(function, code)
    prefix = _mangling_prefix(function, code)
    if prefix is not None:
        _mangle(node, prefix)
    names, declares, closures = analysis.scope_names(node)
    ctx = Context(names, code.co_filename, declares, closures)
    if isinstance(node, gast.Lambda):
        root, uses_class = _expression_level(node, ctx, None)
    else:
        node.decorator_list = []
        node.returns = None
        for converter in (asserts, lists, returns, break_continue):  # statement level
            node = converter.transform(node, ctx)
        # Before control flow (as in TF), so it need not visit the code control flow adds.
        node, uses_class = _expression_level(node, ctx, _first_param(node))
        root = control_flow.transform(node, ctx)
    return root, uses_class


def _mangling_prefix(function, code):
    """`_Class__` if `function` is defined in a class (its qualified name says which) and its
    compiled code holds names Python mangled (`self.__x` is `self._Class__x`), else None: the
    converted code is compiled outside the class, so it must spell them mangled itself."""
    parts = getattr(function, "__qualname__", "").split(".")[:-1]
    while parts and parts[-1] == "<locals>":
        parts = parts[:-2]  # a function nested in a function: look at the enclosing one
    owner = parts[-1].lstrip("_") if parts else ""
    if not owner:
        return None
    prefix = "_%s__" % owner
    return prefix if _code_names_start_with(code, prefix) else None


def _code_names_start_with(code, prefix):
    names = code.co_names + code.co_varnames + code.co_cellvars + code.co_freevars
    if any(n.startswith(prefix) for n in names):
        return True
    return any(_code_names_start_with(c, prefix) for c in code.co_consts
               if isinstance(c, types.CodeType))


def _is_private(name):
    return name.startswith("__") and not name.endswith("__") and "." not in name


def _mangle(tree, prefix):
    """Python's private-name mangling, done on the tree: `__x` -> `_Class__x` in names,
    attributes, keyword arguments and nested definitions."""
    for node in analysis.walk(tree):
        for field in ("id", "attr", "arg", "name"):
            value = getattr(node, field, None)
            if isinstance(value, str) and _is_private(value) and not isinstance(
                    node, gast.alias):
                setattr(node, field, prefix + value[2:])


class _ExpressionLevel(calls.CallConverter, expressions.ExpressionConverter):
    """The call and expression converters rewrite different nodes (calls; conditional and
    logical expressions), so one traversal of the tree serves both."""


def _expression_level(node, ctx, first_param):
    converter = _ExpressionLevel(ctx, first_param)
    return converter.visit(node), converter.uses_class_cell


def _first_param(node):
    args = node.args.posonlyargs + node.args.args
    return args[0].id if args else None


def _instantiate(function, result):
    try:
        return compiler.instantiate(function, result.code)
    except compiler.CompileError as exc:
        raise ConversionError(str(exc)) from None
