"""`python -m autotrace show DIR`: what a SavedModel holds (TensorFlow's `saved_model_cli
show`): its serving signatures, its functions with every saved trace, its variables and its
objects. The SavedModel is loaded with the same checks as `autotrace.saved_model.load`
(nothing in it is unpickled or executed)."""
import sys

from ..checkpoint.format import object_paths
from ..core import nest
from ..core.errors import OpError
from ..core.tensor import SymbolicTensor
from ..core.type_spec import CompositeTensor
from ..ops.variables import Variable
from ..saved_model.load import load_objects
from ..saved_model.restored import RestoredFunction
from ..tracing.signature import describe_key

__all__ = ["add_parser", "run", "describe"]


def add_parser(commands):
    parser = commands.add_parser(
        "show", help="list a SavedModel's signatures, functions, variables and objects",
        description="Describe the SavedModel in DIR (written by autotrace.saved_model.save).")
    parser.add_argument("directory", metavar="DIR", help="the SavedModel directory")
    return parser


def run(args, out=None):
    out = out or sys.stdout
    try:
        text = describe(args.directory)
    except (OpError, OSError) as exc:
        print("error: %s" % exc, file=sys.stderr)
        return 1
    out.write(text + "\n")
    return 0


def describe(directory):
    """The text `show` prints for the SavedModel in `directory`."""
    root, records, objects = load_objects(directory)
    paths = object_paths(records)
    lines = ["Signatures:"]
    for name, cf in sorted(root.signatures.items()):
        lines.append("  %s" % _signature_line(name, cf, keyword_only=True))
    if not root.signatures:
        lines.append("  (none)")
    lines += ["", "Functions:"]
    functions = [(paths[i], obj) for i, obj in enumerate(objects)
                 if isinstance(obj, RestoredFunction) and i in paths]
    for path, fn in sorted(functions, key=lambda item: item[0]):
        lines.append("  %s" % path)
        for cf in fn.concrete_functions:
            lines.append("    %s" % _signature_line(fn.__name__, cf))
        if not fn.concrete_functions:
            lines.append("    (never traced before saving: not callable)")
    if not functions:
        lines.append("  (none)")
    lines += ["", "Variables:"]
    variables = sorted((paths[i], obj) for i, obj in enumerate(objects)
                       if isinstance(obj, Variable) and i in paths)
    rows = [(path, v.name, "%s%s" % (v.dtype.name, v.shape.short()),
             "trainable" if v.trainable else "") for path, v in variables]
    lines += _table(rows) or ["  (none)"]
    lines += ["", "Objects:"]
    lines += _table(sorted((paths[i], _kind(record)) for i, record in enumerate(records)
                           if i in paths and record["kind"] not in ("variable", "function")))
    return "\n".join(lines)


def _signature_line(name, cf, keyword_only=False):
    params = ", ".join("%s: %s" % (n, describe_key(k)) for n, k in zip(cf._spec.names,
                                                                         cf._key))
    return "%s(%s%s) -> %s" % (name, "*, " if keyword_only and params else "", params,
                               _structure(cf.structured_outputs))


def _structure(value):
    if isinstance(value, SymbolicTensor):
        return value.dtype.name + value.shape.short()
    if isinstance(value, CompositeTensor):
        return describe_key(value._type_spec)
    if value is None:
        return "None"
    if isinstance(value, dict):
        return "{%s}" % ", ".join("%s: %s" % (k, _structure(v)) for k, v in value.items())
    if isinstance(value, list):
        return "[%s]" % ", ".join(_structure(v) for v in value)
    if isinstance(value, tuple):
        return "(%s%s)" % (", ".join(_structure(v) for v in value),
                           "," if len(value) == 1 else "")
    return repr(nest.flatten(value))


def _kind(record):
    if record["kind"] == "object":
        return record.get("class", "object")
    return record["kind"]


def _table(rows):
    if not rows:
        return []
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return [("  " + "  ".join(c.ljust(w) for c, w in zip(row, widths))).rstrip()
            for row in rows]

