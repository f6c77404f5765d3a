"""`saved_model.save`: an object's variables, its traced functions and their graphs, written
to a directory:

    saved_model.json            objects, concrete functions, signatures, graphs
    constants.npz               the large constants of the graphs
    variables/variables.json    the variables as a checkpoint (autotrace.train.Checkpoint
    variables/variables.npz     can restore them)
"""
import os

from ..checkpoint.files import ArrayCodec, write_arrays, write_json
from ..checkpoint.format import VERSION, object_records
from ..checkpoint.object_graph import ObjectGraph
from ..ops.variables import Module, Variable
from ..tracing.concrete import ConcreteFunction
from ..tracing.polymorphic import BoundFunction, Function
from .functions import encode_structure, function_record, signature_record
from .graph_json import GraphWriter

__all__ = ["save", "FORMAT", "SAVED_MODEL_FILE", "DEFAULT_SERVING_SIGNATURE_DEF_KEY"]

FORMAT = "autotrace.saved_model"
SAVED_MODEL_FILE = "saved_model.json"
CONSTANTS_FILE = "constants.npz"
VARIABLES_PREFIX = os.path.join("variables", "variables")
DEFAULT_SERVING_SIGNATURE_DEF_KEY = "serving_default"
_FUNCTION_TYPES = (Function, BoundFunction, ConcreteFunction)


class SavedObjectGraph(ObjectGraph):
    """The checkpoint's object graph plus the traced functions of each Module: its methods
    decorated with autotrace.function, and Functions or ConcreteFunctions in attributes
    (and `root_functions`, more functions of the root)."""

    def __init__(self, root, root_functions=None):
        self._root, self._root_functions = root, root_functions or {}
        super().__init__(root)

    def children_of(self, obj):
        children = super().children_of(obj)
        if isinstance(obj, Module):
            for name, fn in functions_of(obj).items():
                children.setdefault(name, fn)
        if obj is self._root:
            for name, fn in self._root_functions.items():
                children.setdefault(name, fn)
        return children


def functions_of(obj):
    """{name: Function/BoundFunction/ConcreteFunction} held by `obj` (methods bound)."""
    found = {}
    for klass in reversed(type(obj).__mro__):
        for name, attr in vars(klass).items():
            if isinstance(attr, Function):
                found[name] = getattr(obj, name)
    for name, value in vars(obj).items():
        if isinstance(value, _FUNCTION_TYPES):
            found[name] = value
    return dict(sorted(found.items()))


def concrete_functions_of(fn):
    """The traces of `fn` to save; a function with an input_signature is traced if it was
    never called."""
    if isinstance(fn, ConcreteFunction):
        return [fn]
    traced = fn.concrete_functions
    if not traced and fn.input_signature is not None:
        traced = [fn.get_concrete_function()]
    return traced


def save(obj, export_dir, signatures=None, options=None):
    """Save `obj` (a Module, e.g. a Keras model) to the directory `export_dir`: its
    variables, its child objects by attribute, and every traced signature of its
    autotrace.function methods, as graphs in an open format (JSON + .npz). `load` brings
    them back in a process that does not have the Python code.

    `signatures`: the serving signatures, `{name: function}` or one function (named
    'serving_default'); a function here is an autotrace.function with an input_signature or a
    ConcreteFunction. By default, the one method of `obj` with an input_signature, if there
    is exactly one.

    >>> import autotrace as tf, tempfile
    >>> class Scale(tf.Module):
    ...     def __init__(self):
    ...         super().__init__()
    ...         self.factor = tf.Variable(2.0)
    ...     @tf.function(input_signature=[tf.TensorSpec([None], tf.float32)])
    ...     def __call__(self, x):
    ...         return x * self.factor
    >>> path = tempfile.mkdtemp()
    >>> tf.saved_model.save(Scale(), path)
    >>> loaded = tf.saved_model.load(path)
    >>> loaded(tf.constant([1.0, 2.0])).numpy()
    array([2., 4.], dtype=float32)
    >>> loaded.signatures["serving_default"](x=tf.constant([3.0]))["output_0"].numpy()
    array([6.], dtype=float32)
    """
    if not isinstance(obj, Module) and not hasattr(type(obj), "_trackable_children"):
        raise ValueError("saved_model.save expects a Module (or a Keras model), got %r"
                         % (obj,))
    export_dir = os.fspath(export_dir)
    default = _default_signature(obj) if signatures is None else None
    if default is not None:
        # A Keras model: its serving function, also the loaded object's __call__.
        signatures = {DEFAULT_SERVING_SIGNATURE_DEF_KEY: default}
    extra = {"__call__": default} if default is not None and \
        "__call__" not in functions_of(obj) else {}
    graph = SavedObjectGraph(obj, extra)
    variable_nodes = {id(o): i for i, o in enumerate(graph.nodes) if isinstance(o, Variable)}
    writer = GraphWriter(variable_nodes, "the function")
    variables = ArrayCodec()
    records = object_records(graph, variables)
    concrete, cf_index = [], {}
    for index, fn in enumerate(graph.nodes):
        if isinstance(fn, _FUNCTION_TYPES):
            records[index] = _function_node(fn, graph.path_text(index), writer, concrete,
                                            cf_index)
    document = {"format": FORMAT, "version": VERSION, "objects": records,
                "concrete_functions": concrete,
                "signatures": _signatures(obj, signatures, writer, concrete),
                "graphs": writer.graphs}
    os.makedirs(os.path.join(export_dir, "variables"), exist_ok=True)
    write_arrays(os.path.join(export_dir, VARIABLES_PREFIX + ".npz"), variables.arrays)
    write_json(os.path.join(export_dir, VARIABLES_PREFIX + ".json"), {
        "format": "autotrace.checkpoint", "version": VERSION,
        "objects": object_records(ObjectGraph(obj), ArrayCodec())})
    write_arrays(os.path.join(export_dir, CONSTANTS_FILE), writer.arrays)
    write_json(os.path.join(export_dir, SAVED_MODEL_FILE), document)


def _function_node(fn, path, writer, concrete, cf_index):
    indices = []
    for cf in concrete_functions_of(fn):
        if id(cf) not in cf_index:
            writer.function_name = "%s (traced as %s)" % (path, cf.name)
            graph_index = writer.add_graph(cf.optimized_graph)
            cf_index[id(cf)] = len(concrete)
            concrete.append(function_record(cf, graph_index, writer.function_name))
        indices.append(cf_index[id(cf)])
    signature = None if isinstance(fn, ConcreteFunction) else fn.input_signature
    return {"kind": "function", "function": {
        "name": _function_name(fn), "concrete_functions": indices,
        "input_signature": None if signature is None else encode_structure(tuple(signature))}}


def _function_name(fn):
    if isinstance(fn, ConcreteFunction):
        return fn.name
    if isinstance(fn, BoundFunction):
        return fn._function._name
    return fn._name


def _default_signature(obj):
    """The serving function an object offers when none of its methods has an
    input_signature (a Keras model's `_default_save_signature`), or None."""
    candidates = [fn for fn in functions_of(obj).values()
                  if not isinstance(fn, ConcreteFunction) and fn.input_signature is not None]
    offer = getattr(obj, "_default_save_signature", None)
    if candidates or not callable(offer):
        return None
    return offer()


def _signatures(obj, signatures, writer, concrete):
    """{name: index of the signature's concrete function record}."""
    if signatures is None:
        with_signature = [fn for fn in functions_of(obj).values()
                          if not isinstance(fn, ConcreteFunction) and
                          fn.input_signature is not None]
        signatures = {DEFAULT_SERVING_SIGNATURE_DEF_KEY: with_signature[0]} \
            if len(with_signature) == 1 else {}
    elif not isinstance(signatures, dict):
        signatures = {DEFAULT_SERVING_SIGNATURE_DEF_KEY: signatures}
    found = {}
    for key, fn in signatures.items():
        if not isinstance(key, str) or not key:
            raise ValueError("Signature names must be non-empty strings, got %r" % (key,))
        cf, input_signature = _signature_function(key, fn)
        writer.function_name = "the signature %r (%s)" % (key, cf.name)
        graph_index = writer.add_graph(cf.optimized_graph)
        found[key] = len(concrete)
        concrete.append(signature_record(cf, graph_index, key, input_signature))
    return found


def _signature_function(key, fn):
    if isinstance(fn, ConcreteFunction):
        return fn, None
    if isinstance(fn, (Function, BoundFunction)) and fn.input_signature is not None:
        return fn.get_concrete_function(), fn.input_signature
    raise ValueError(
        "The signature %r must be an autotrace.function with an input_signature, or a "
        "ConcreteFunction (e.g. f.get_concrete_function(autotrace.TensorSpec(...))); got %r"
        % (key, fn))

