"""Concrete functions as JSON records, and back as ConcreteFunctions.

    {"name": "f", "graph": 0,
     "parameters": [{"name": "x", "kind": "POSITIONAL_OR_KEYWORD"},
                    {"name": "n", "kind": "POSITIONAL_OR_KEYWORD", "default": 2}],
     "arguments": [{"tensor_spec": {"dtype": "float32", "shape": [null, 2], "name": "x"}}, 2],
     "outputs": {"dict": {"y": {"output": 0}}}}

`arguments` holds what the function was traced with, per parameter: TensorSpecs where it
took tensors (in the order of the graph's inputs), Python values as they were; `outputs` the
structure it returned, `{"output": i}` standing for the graph's output i. Nests are written
with the attribute schema (autotrace.core.attr_codec), plus namedtuples:
`{"namedtuple": {"type": "Point", "fields": {"x": ..., "y": ...}}}`.
"""
import collections
import inspect

from ..checkpoint.files import FormatError
from ..core import nest
from ..core.attr_codec import AttrCodec, AttrFormatError, UnencodableAttrError
from ..core.tensor import SymbolicTensor
from ..core.tensor_shape import TensorSpec
from ..core.type_spec import CompositeTensor, TypeSpec
from ..tracing.concrete import ConcreteFunction, FunctionSpec
from ..tracing.signature import key_and_leaves
from .graph_json import ExportError, rename_node

__all__ = ["function_record", "signature_record", "build_concrete_function",
           "encode_structure", "decode_structure", "with_saved_namedtuples"]

_P = inspect.Parameter
_KINDS = {k.name: k for k in (_P.POSITIONAL_ONLY, _P.POSITIONAL_OR_KEYWORD, _P.VAR_POSITIONAL,
                              _P.KEYWORD_ONLY, _P.VAR_KEYWORD)}


class _Output:
    """A leaf of a written output structure: the graph's output `index`."""

    def __init__(self, index):
        self.index = index


class _Composite:
    """A composite leaf of a written output structure: its spec and the graph outputs that
    are its components."""

    def __init__(self, spec, indices):
        self.spec, self.indices = spec, indices


class StructureCodec(AttrCodec):
    """The attribute schema, plus namedtuples and graph-output leaves."""

    def encode(self, value):
        if isinstance(value, _Output):
            return {"output": value.index}
        if isinstance(value, _Composite):
            return {"composite": {"spec": self.encode(value.spec), "outputs": value.indices}}
        if isinstance(value, tuple) and hasattr(type(value), "_fields"):
            return {"namedtuple": {"type": type(value).__name__, "fields": {
                f: self.encode(v) for f, v in zip(value._fields, value)}}}
        return super().encode(value)

    def decode(self, data):
        if type(data) is dict and len(data) == 1:
            if "output" in data:
                if type(data["output"]) is not int or data["output"] < 0:
                    raise AttrFormatError("an output reference is an int >= 0")
                return _Output(data["output"])
            if "namedtuple" in data:
                return self._namedtuple(data["namedtuple"])
            if "composite" in data:
                payload = data["composite"]
                if type(payload) is not dict or set(payload) != {"spec", "outputs"} or \
                        type(payload["outputs"]) is not list or \
                        any(type(i) is not int or i < 0 for i in payload["outputs"]):
                    raise AttrFormatError("a composite output is {spec, outputs}")
                spec = self.decode(payload["spec"])
                if not isinstance(spec, TypeSpec):
                    raise AttrFormatError("a composite output's spec is a TypeSpec")
                return _Composite(spec, payload["outputs"])
        return super().decode(data)

    def _namedtuple(self, payload):
        if type(payload) is not dict or set(payload) != {"type", "fields"} or \
                type(payload["fields"]) is not dict or type(payload["type"]) is not str:
            raise AttrFormatError("a namedtuple is {type, fields}")
        names = [payload["type"]] + list(payload["fields"])
        if not all(n.isidentifier() and not n.startswith("_") for n in names):
            raise AttrFormatError("a namedtuple's type and fields are identifiers not "
                                  "starting with '_'")
        key = (payload["type"], tuple(payload["fields"]))
        cls = _NAMEDTUPLES.get(key)
        if cls is None:
            cls = _NAMEDTUPLES[key] = collections.namedtuple(*key)
        return cls(*[self.decode(v) for v in payload["fields"].values()])


# The namedtuple classes of loaded signatures, by (name, fields): the caller's own class of
# that name and fields is taken for it (see `with_saved_namedtuples`).
_NAMEDTUPLES = {}


def with_saved_namedtuples(value):
    """`value` with each namedtuple whose name and fields a loaded signature knows rebuilt
    as that signature's class (the defining code, and so its class, is not loaded)."""
    if isinstance(value, tuple) and hasattr(type(value), "_fields"):
        cls = _NAMEDTUPLES.get((type(value).__name__, tuple(value._fields)), type(value))
        return cls(*[with_saved_namedtuples(v) for v in value])
    if type(value) in (list, tuple):
        return type(value)(with_saved_namedtuples(v) for v in value)
    if type(value) is dict:
        return {k: with_saved_namedtuples(v) for k, v in value.items()}
    return value


_CODEC = StructureCodec()
encode_structure, decode_structure = _CODEC.encode, _CODEC.decode


# -- writing -----------------------------------------------------------------------------------

def function_record(cf, graph_index, describe):
    """The record of ConcreteFunction `cf` whose optimised graph is `graph_index`; `describe`
    names it in errors."""
    return {"name": cf.name, "graph": graph_index,
            "parameters": [_parameter(p, describe) for p in
                           cf._spec.signature.parameters.values()],
            "arguments": [_encode_argument(name, value, describe) for name, value in
                          zip(cf._spec.names, cf._trace_args)],
            "outputs": _encode_outputs(cf.graph, describe)}


def _parameter(param, describe):
    record = {"name": param.name, "kind": param.kind.name}
    if param.default is not param.empty:
        try:
            record["default"] = _CODEC.encode(param.default)
        except UnencodableAttrError:
            record["default_not_saved"] = True
    return record


def _encode_argument(name, value, describe):
    def leaf(x):
        if isinstance(x, SymbolicTensor):
            return TensorSpec(x.shape, x.dtype, x.op.name)
        if isinstance(x, CompositeTensor):
            return x._type_spec
        if getattr(x, "_autotrace_variable", False):
            raise ExportError("Cannot save %s: it was traced with the variable %r as "
                              "argument %s; pass the variable's value, or read the variable "
                              "inside the function" % (describe, x.name, name))
        return x
    try:
        return _CODEC.encode(nest.map_structure(leaf, value))
    except UnencodableAttrError as exc:
        raise ExportError("Cannot save %s: argument %s was traced with %s, which cannot be "
                          "written as data; only tensors, Python numbers, strings, None, and "
                          "lists, tuples and dicts of them can be saved" % (describe, name,
                                                                            exc)) from None


def _encode_outputs(graph, describe):
    positions = {id(t): i for i, t in enumerate(graph.outputs)}

    def leaf(x):
        if isinstance(x, SymbolicTensor):
            return _Output(positions[id(x)])
        if isinstance(x, CompositeTensor):
            spec = x._type_spec
            return _Composite(spec, [positions[id(t)] for t in spec._flat_components(x)])
        if x is None:
            return None
        raise ExportError("Cannot save %s: it returns %r, which a saved function cannot "
                          "return (return tensors; a TensorArray can be returned stacked)"
                          % (describe, x))
    return _CODEC.encode(nest.map_structure(leaf, graph.structured_outputs))


def signature_outputs(cf, signature_key):
    """{name: output index} of a serving signature (TF's naming: a dict's keys, else
    output_0, output_1, ...), or ExportError if the outputs do not fit a signature."""
    structured = cf.graph.structured_outputs
    positions = {id(t): i for i, t in enumerate(cf.graph.outputs)}
    if isinstance(structured, dict):
        items = list(structured.items())
    elif isinstance(structured, (list, tuple)):
        items = [("output_%d" % i, t) for i, t in enumerate(structured)]
    else:
        items = [("output_0", structured)]
    for key, value in items:
        if not isinstance(key, str) or not isinstance(value, SymbolicTensor):
            raise ExportError(
                "Cannot use %s as the signature %r: its output %r is %r. A signature returns "
                "a tensor, a list or tuple of tensors, or a dict from strings to tensors."
                % (cf.name, signature_key, key, value))
    return {key: positions[id(value)] for key, value in items}


def signature_record(cf, graph_index, signature_key, input_signature=None):
    """A serving signature over `cf`: keyword-only tensor parameters named after the
    inputs (the input_signature's TensorSpec names where given), returning a dict."""
    names = [ph.op.name for ph in cf.graph.inputs]
    if input_signature is not None:
        specs = nest.flatten(list(input_signature))
        if len(specs) == len(names):
            names = [s.name or n for s, n in zip(specs, names)]
    for n in names:
        if not n.isidentifier() or names.count(n) > 1:
            raise ExportError("Cannot use %s as the signature %r: its input name %r is not "
                              "a unique Python identifier; name the inputs with "
                              "TensorSpec(..., name=...)" % (cf.name, signature_key, n))
    outputs = signature_outputs(cf, signature_key)
    return {"name": signature_key, "graph": graph_index,
            "parameters": [{"name": n, "kind": "KEYWORD_ONLY"} for n in names],
            "arguments": [_CODEC.encode(TensorSpec(ph.shape, ph.dtype, n))
                          for ph, n in zip(cf.graph.inputs, names)],
            "outputs": _CODEC.encode({k: _Output(i) for k, i in outputs.items()})}


# -- reading -----------------------------------------------------------------------------------

class _NotSaved:
    """The default of a parameter whose default value could not be saved."""

    def __repr__(self):
        return "<default not saved>"


NOT_SAVED = _NotSaved()


def build_concrete_function(record, graph, where):
    """A ConcreteFunction from its record and its (freshly rebuilt) graph."""
    if type(record) is not dict or not {"name", "graph", "parameters", "arguments",
                                        "outputs"} <= set(record):
        raise FormatError("%s: a concrete function has name, graph, parameters, arguments "
                          "and outputs" % where)
    name = record["name"]
    if type(name) is not str or not name:
        raise FormatError("%s: a concrete function's name is a string" % where)
    where = "%s (%r)" % (where, name)
    try:
        signature = _signature(record["parameters"])
        arguments = _decode_list(record["arguments"], "arguments")
        outputs = _CODEC.decode(record["outputs"])
    except (AttrFormatError, ValueError, TypeError) as exc:
        raise FormatError("%s: %s" % (where, exc)) from None
    if len(arguments) != len(signature.parameters):
        raise FormatError("%s: %d parameters but %d arguments" % (
            where, len(signature.parameters), len(arguments)))
    trace_args = _with_placeholders(arguments, graph, where)
    graph.structured_outputs = _with_outputs(outputs, graph, where)
    graph.outputs = [t for t in nest.flatten(graph.structured_outputs, expand_composites=True)
                     if isinstance(t, SymbolicTensor)]
    spec = FunctionSpec(signature=signature)
    spec.signature_name = name
    key, _ = key_and_leaves(arguments)
    return ConcreteFunction(graph, spec, key, name, trace_args)


def _signature(params):
    if type(params) is not list:
        raise ValueError("parameters must be a list")
    built = []
    for p in params:
        if type(p) is not dict or not {"name", "kind"} <= set(p) or \
                not set(p) <= {"name", "kind", "default", "default_not_saved"}:
            raise ValueError("a parameter is {name, kind[, default]}")
        if type(p["name"]) is not str or not p["name"].isidentifier() or \
                p["kind"] not in _KINDS:
            raise ValueError("a parameter has an identifier name and a kind among %s"
                             % ", ".join(_KINDS))
        default = inspect.Parameter.empty
        if "default" in p:
            default = _CODEC.decode(p["default"])
        elif p.get("default_not_saved"):
            default = NOT_SAVED
        built.append(inspect.Parameter(p["name"], _KINDS[p["kind"]], default=default))
    return inspect.Signature(built)


def _decode_list(value, what):
    if type(value) is not list:
        raise ValueError("%s must be a list" % what)
    return [_CODEC.decode(v) for v in value]


def _with_placeholders(arguments, graph, where):
    """The arguments with each TensorSpec leaf replaced by the graph's next input."""
    inputs = iter(graph.inputs)
    count = [0]

    def placeholder(x):
        ph = next(inputs, None)
        count[0] += 1
        if ph is None or ph.dtype is not x.dtype or not ph.shape.is_compatible_with(x.shape):
            raise FormatError("%s: argument tensor %d (%s) does not match the graph's input "
                              "%s" % (where, count[0] - 1, x.short(),
                                      "(none)" if ph is None else ph.dtype.name +
                                      ph.shape.short()))
        return ph

    def leaf(x):
        if isinstance(x, TypeSpec):  # a composite: its components are the next inputs
            return x._from_flat_components([placeholder(s) for s in x._flat_tensor_specs()])
        if not isinstance(x, TensorSpec):
            return x
        ph = placeholder(x)
        if x.name and x.name != ph.op.name:
            rename_node(graph, ph.op, x.name)  # a signature's input takes its keyword's name
        return ph
    result = [nest.map_structure(leaf, a) for a in arguments]
    if count[0] != len(graph.inputs):
        raise FormatError("%s: the arguments hold %d tensors but the graph has %d inputs"
                          % (where, count[0], len(graph.inputs)))
    return result


def _with_outputs(outputs, graph, where):
    def output(index):
        if index >= len(graph.outputs):
            raise FormatError("%s: output %d is out of range (the graph has %d outputs)"
                              % (where, index, len(graph.outputs)))
        return graph.outputs[index]

    def leaf(x):
        if isinstance(x, _Output):
            return output(x.index)
        if isinstance(x, _Composite):
            if len(x.indices) != len(x.spec._flat_tensor_specs()):
                raise FormatError("%s: a composite output of %d components lists %d outputs"
                                  % (where, len(x.spec._flat_tensor_specs()),
                                     len(x.indices)))
            return x.spec._from_flat_components([output(i) for i in x.indices])
        if x is not None:
            raise FormatError("%s: an output is a graph output or null, got %r" % (where, x))
        return x
    return nest.map_structure(leaf, outputs)
