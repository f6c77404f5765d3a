"""`python -m autotrace inspect FILE.py:FUNCTION [--args ARGS]...`: what autotrace makes of
a function in a file: its AutoGraph-converted code, then, for each `--args`, one call (or,
with TensorSpecs, one trace without running), and for every trace its concrete signature,
its graph (optionally optimised, as DOT, and as generated Python) and why it was traced.

Each `--args` is the argument list of one call, written as between the call's parentheses,
with `tf` (autotrace), `np` (numpy) and the file's globals in scope:

    python -m autotrace inspect model.py:step --args "tf.constant([1.0, 2.0]), 2" \\
        --args "tf.constant([1.0, 2.0]), n=3" --args "tf.TensorSpec([None], tf.float32), 2"

User errors (no such file or function, a bad --args, a failing trace) are reported on stderr
with exit status 2, without a Python traceback.
"""
import argparse
import ast
import contextlib
import importlib.util
import os
import re
import sys
import traceback

import numpy as np

__all__ = ["add_parser", "run", "InspectError"]

_COLLECT = "_autotrace_call_arguments_"

EXAMPLES = """\
--args is the argument list of ONE call, as written between the call's parentheses
(keywords allowed), evaluated with tf (autotrace), np (numpy) and the file's globals in
scope. Repeat it for several calls: each new signature is a new trace, and the report says
why. Arguments holding a TensorSpec are traced without running (get_concrete_function).
The file is imported as a module named after it (its `if __name__ == "__main__":` block
does not run); an undecorated function is wrapped with tf.function.

examples:
  python -m autotrace inspect model.py:step --args "tf.constant([1.0, 2.0]), 2"
  python -m autotrace inspect model.py:step --args "tf.constant([1.0]), 2" \\
      --args "tf.constant([1.0]), 3" --optimized --source
  python -m autotrace inspect model.py:step --args "tf.TensorSpec([None], tf.float32), 2" \\
      --dot-dir graphs/

exit status: 0 on success, 2 on a user error (message on stderr)."""


class InspectError(Exception):
    """A user error: printed on stderr, exit status 2."""


def add_parser(commands):
    """Add the `inspect` sub-command to an argparse sub-parsers object."""
    parser = commands.add_parser(
        "inspect", help="show the AutoGraph code, traces, graphs and retrace reasons of a "
                        "function in a file",
        description="Inspect how autotrace converts and traces FILE.py:FUNCTION.",
        epilog=EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("target", metavar="FILE.py:FUNCTION",
                        help="a Python file and a function (or attribute path) in it")
    parser.add_argument("--args", action="append", default=[], metavar="ARGS",
                        help="the arguments of one call, e.g. \"tf.constant([1.0]), 3\" "
                             "(repeatable)")
    parser.add_argument("--optimized", action="store_true",
                        help="also print each optimised graph")
    parser.add_argument("--source", action="store_true",
                        help="also print the Python source each graph was compiled to")
    parser.add_argument("--dot", action="store_true",
                        help="also print each graph as Graphviz DOT")
    parser.add_argument("--dot-dir", metavar="DIR",
                        help="write each graph as DIR/NAME.dot instead of printing it")
    return parser


def run(args, out=None, err=None):
    """Run the command for parsed `args`; returns the exit status (0, or 2 on user error)."""
    out = out or sys.stdout
    err = err or sys.stderr
    try:
        _inspect(args, out)
    except InspectError as exc:
        out.flush()
        err.write("autotrace inspect: error: %s\n" % exc)
        return 2
    return 0


# -- the report ------------------------------------------------------------------------------

def _inspect(args, out):
    path, attr = _split_target(args.target)
    with _loaded_module(path) as module:
        target = _find_function(module, attr, path)
        function = _as_function(target)
        calls = [_parse_arguments(text, module) for text in args.args]
        label = "%s (%s)" % (attr, os.path.basename(path))
        _section(out, "AutoGraph-converted code of " + label, _converted_code(function))
        _section(out, "Calls", _run_calls(function, attr, args.args, calls, path))
        for cf in function.concrete_functions:
            _report_concrete(out, cf, args)
        _section(out, "Trace history", str(function.trace_history()))


def _section(out, title, body):
    out.write("== %s ==\n%s\n\n" % (title, body.rstrip("\n")))


def _subsection(out, title, body):
    out.write("-- %s --\n%s\n" % (title, body.rstrip("\n")))


def _converted_code(function):
    from .. import autograph
    if not getattr(getattr(function, "_function", function), "_autograph", True):
        return "(autograph=False: the function is traced as written)"
    try:
        return autograph.to_code(function)
    except Exception as exc:  # noqa: BLE001 - shown, not fatal: tracing runs it unconverted
        return "(AutoGraph cannot convert it, so it is traced as written: %s)" % exc


def _run_calls(function, name, texts, calls, path):
    if not calls:
        return _trace_without_args(function, name, path)
    lines = []
    for number, (text, (args, kwargs)) in enumerate(zip(texts, calls), 1):
        lines += _one_call(function, name, number, text, args, kwargs, path)
    return "\n".join(lines)


def _one_call(function, name, number, text, args, kwargs, path):
    from ..core import nest
    from ..core.tensor_shape import TensorSpec
    specs = any(isinstance(leaf, TensorSpec) for leaf in nest.flatten([list(args), kwargs]))
    shown = "%s%s(%s)" % (name, ".get_concrete_function" if specs else "", text)
    before = len(function.trace_history())
    result = _attempt(shown, path, function.get_concrete_function if specs else function,
                      *args, **kwargs)
    lines = ["[%d] %s" % (number, shown)]
    if not specs:
        lines.append("    result: %r" % (result,))
    lines += _trace_lines(function, before, args, kwargs)
    return lines


def _trace_lines(function, before, args, kwargs):
    history = function.trace_history()
    names = [cf.name for cf in function.concrete_functions]
    new = history[before:]
    if not new:
        cf = function.get_concrete_function(*args, **kwargs)  # cached: no new trace
        return ["    no new trace: reused %s" % cf.name]
    return ["    trace %d -> %s: %s" % (r.number, names[r.number - 1], "; ".join(r.reasons))
            for r in new]


def _attempt(shown, path, fn, *args, **kwargs):
    """fn(*args, **kwargs); an exception (the user's code failed) becomes an InspectError."""
    try:
        return fn(*args, **kwargs)
    except Exception as exc:  # noqa: BLE001 - reported plainly, without a traceback
        raise InspectError("%s failed: %s" % (shown, _describe_exception(exc, path))) \
            from None


def _trace_without_args(function, name, path):
    """No --args: trace the input_signature, or call a function without parameters."""
    if function.concrete_functions:
        return "(no --args: showing the traces made while loading the file)"
    underlying = getattr(function, "_function", function)  # a method: its Function
    if underlying.input_signature is not None:
        _attempt(name + ".get_concrete_function()", path, function.get_concrete_function)
        return "(no --args: traced the input_signature)"
    params = underlying.function_spec.names
    if params:
        raise InspectError("%s takes arguments (%s): give example arguments with --args, e.g. "
                           "--args \"tf.constant([1.0, 2.0])%s\"" % (
                               name, ", ".join(params), ", 1" * (len(params) - 1)))
    _attempt(name + "()", path, function)
    return "(no --args: called %s())" % name


def _report_concrete(out, cf, args):
    out.write("== Concrete function %s ==\n" % cf.name)
    _subsection(out, "signature", cf.pretty_printed_signature())
    graphs = [("graph", cf.graph, cf.name)]
    if args.optimized:
        graphs.append(("optimized graph", cf.optimized_graph, cf.name + "_optimized"))
    for title, graph, _ in graphs:
        _subsection(out, title, graph.as_text() or "(no ops)")
    if args.source:
        _subsection(out, "generated source", cf.generated_source)
    if args.dot or args.dot_dir:
        for title, graph, file_name in graphs:
            _subsection(out, "DOT of the " + title, _dot(graph, cf, file_name, args.dot_dir))
    out.write("\n")


def _dot(graph, cf, file_name, directory):
    """The DOT text, or (with --dot-dir) where it was written."""
    from ..core.visualize import to_dot
    text = to_dot(graph, name=file_name)
    if not directory:
        return text
    try:
        os.makedirs(directory, exist_ok=True)
        path = os.path.join(directory, re.sub(r"[^\w.\-]", "_", file_name) + ".dot")
        with open(path, "w", encoding="utf-8") as f:
            f.write(text + "\n")
    except OSError as exc:
        raise InspectError("cannot write DOT files to %s: %s" % (directory, exc)) from None
    return "wrote " + path


# -- loading the file and the function -------------------------------------------------------

def _split_target(target):
    path, sep, attr = target.rpartition(":")
    if not sep or not path or not attr:
        raise InspectError("expected FILE.py:FUNCTION, got %r" % target)
    if not all(part.isidentifier() for part in attr.split(".")):
        raise InspectError("%r is not a function name (in %r)" % (attr, target))
    return path, attr


@contextlib.contextmanager
def _loaded_module(path):
    """Import the file as a module named after it, with its directory on sys.path; both
    are undone on exit."""
    if not os.path.isfile(path):
        raise InspectError("no such file: %s" % path)
    directory = os.path.dirname(os.path.abspath(path))
    name = _module_name(path)
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise InspectError("cannot import %s: not a Python source file" % path)
    module = importlib.util.module_from_spec(spec)
    sys.path.insert(0, directory)
    sys.modules[name] = module
    try:
        _execute(spec, module, path)
        yield module
    finally:
        sys.modules.pop(name, None)
        if directory in sys.path:
            sys.path.remove(directory)


def _module_name(path):
    stem = re.sub(r"\W", "_", os.path.splitext(os.path.basename(path))[0]) or "module"
    if stem[0].isdigit():
        stem = "_" + stem
    return stem if stem not in sys.modules else "__autotrace_inspect_%s__" % stem


def _execute(spec, module, path):
    try:
        spec.loader.exec_module(module)
    except SystemExit as exc:
        raise InspectError("loading %s failed: it called exit(%s)" % (path, exc.code)) \
            from None
    except Exception as exc:  # noqa: BLE001 - the user's file failed: report it plainly
        raise InspectError("loading %s failed: %s" % (path, _describe_exception(exc, path))) \
            from None


def _find_function(module, attr, path):
    obj = module
    for part in attr.split("."):
        if not hasattr(obj, part):
            raise InspectError("%s has no function %r (functions defined there: %s)"
                               % (path, attr, ", ".join(_defined_functions(module)) or "none"))
        obj = getattr(obj, part)
    if not callable(obj):
        raise InspectError("%s:%s is not a function (type %s)" % (path, attr, type(obj).__name__))
    return obj


def _defined_functions(module):
    return sorted(n for n, v in vars(module).items()
                  if callable(v) and not isinstance(v, type) and not n.startswith("_")
                  and getattr(v, "__module__", None) == module.__name__)


def _as_function(obj):
    """An autotrace.function as it is; anything else wrapped with tf.function."""
    from ..tracing.polymorphic import BoundFunction, Function, function
    if isinstance(obj, (Function, BoundFunction)):
        return obj
    try:
        return function(obj)
    except (TypeError, ValueError) as exc:
        raise InspectError("cannot wrap %r with tf.function: %s" % (obj, exc)) from None


# -- --args ----------------------------------------------------------------------------------

def _parse_arguments(text, module):
    """(args, kwargs) from the text of one call's argument list."""
    try:
        tree = ast.parse("%s(%s\n)" % (_COLLECT, text), mode="eval")
    except SyntaxError as exc:
        raise InspectError("--args %r is not a call's argument list: %s" % (text, exc.msg)) \
            from None
    call = tree.body
    if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Name)
            and call.func.id == _COLLECT):
        raise InspectError("--args %r is not a call's argument list" % text)
    namespace = _namespace(module)
    try:
        return eval(compile(tree, "<--args>", "eval"), namespace)  # noqa: S307 - the user's
    except Exception as exc:  # noqa: BLE001                         own expression
        raise InspectError("--args %r: %s" % (text, _describe_exception(exc))) from None


def _namespace(module):
    import autotrace
    namespace = dict(vars(module))
    namespace.update(tf=autotrace, autotrace=autotrace, np=np,
                     **{_COLLECT: lambda *args, **kwargs: (args, kwargs)})
    return namespace


def _describe_exception(exc, path=None):
    """`Type: message`, and where in the user's file it happened."""
    text = "%s: %s" % (type(exc).__name__, exc) if str(exc) else type(exc).__name__
    where = _user_line(exc, path) if path else None
    return text + (" (at %s)" % where if where else "")


def _user_line(exc, path):
    target = os.path.abspath(path)
    found = None  # the innermost frame in the file (a SyntaxError's text names its line)
    for frame in traceback.extract_tb(exc.__traceback__):
        if os.path.abspath(frame.filename) == target:
            found = "%s:%d" % (os.path.basename(path), frame.lineno)
    return found
