"""`saved_model.load`: rebuild the saved objects, variables and functions from a directory,
checking everything read (see graph_json for the graphs, checkpoint.files for the files)."""
import os

from ..checkpoint.files import ArrayFile, FormatError, read_json
from ..checkpoint.format import KINDS, Document, check_header
from ..core.attr_codec import AttrFormatError
from ..core.context import init_scope
from ..core.tensor_shape import TensorShape
from ..ops.variables import Variable
from .functions import build_concrete_function, decode_structure
from .graph_json import GraphReader
from .restored import RESTORED_CALL, RestoredFunction, RestoredModule
from .save import CONSTANTS_FILE, FORMAT, SAVED_MODEL_FILE, VARIABLES_PREFIX

__all__ = ["load", "load_objects", "read_document"]

_RESERVED = frozenset(dir(RestoredModule)) | {"signatures"}


def read_document(export_dir):
    """(the checked saved_model.json, a Document of its objects) of a SavedModel."""
    path = os.path.join(export_dir, SAVED_MODEL_FILE)
    if not os.path.exists(path):
        raise OSError("SavedModel file does not exist at: %s (no %s there)"
                      % (export_dir, SAVED_MODEL_FILE))
    data = read_json(path, "SavedModel")
    check_header(data, FORMAT, path, "SavedModel")
    values = ArrayFile(os.path.join(export_dir, VARIABLES_PREFIX + ".npz"),
                       "SavedModel variables")
    document = Document(data, values, export_dir, "SavedModel", KINDS + ("function",))
    return data, document


def load(export_dir, tags=None, options=None):
    """Load a SavedModel written by `save`: the root object with its attributes (child
    objects, Variables, functions callable with every saved trace) and `signatures`.
    Works without the Python code that defined the objects; nothing read is unpickled or
    executed, and a malformed file is refused with a FormatError naming the part."""
    return load_objects(export_dir)[0]


def load_objects(export_dir):
    """(root, the object records, the restored object of each record) of a SavedModel: for
    tools that describe what was saved (`python -m autotrace show`)."""
    export_dir = os.fspath(export_dir)
    data, document = read_document(export_dir)
    try:
        loader = _Loader(export_dir, data, document)
        root = loader.root()
    finally:
        document.close()
    return root, loader.records, loader.objects


class _Loader:
    def __init__(self, export_dir, data, document):
        self.what = "SavedModel %s" % export_dir
        self.data = data
        self.records = document.records
        self.objects = [None] * len(self.records)
        self._tuples_building = set()
        for node, record in enumerate(self.records):
            if record["kind"] == "variable":
                self.objects[node] = self._variable(document, node, record["variable"])
            elif record["kind"] in ("object", "list", "dict"):
                self.objects[node] = {"object": lambda r=record: RestoredModule(_class(r)),
                                      "list": list, "dict": dict}[record["kind"]]()
        constants = os.path.join(export_dir, CONSTANTS_FILE)
        self.reader = GraphReader(data.get("graphs", []), self.objects,
                                  ArrayFile(constants, "SavedModel constants")
                                  if os.path.exists(constants) else None, self.what)
        try:
            self.concrete = self._concrete_functions()
        finally:
            self.reader.close()
        for node, record in enumerate(self.records):
            if record["kind"] == "function":
                self.objects[node] = self._function(record, node)
        for node, record in enumerate(self.records):
            self._attach_children(node, record)

    def root(self):
        root = self.objects[0]
        if not isinstance(root, RestoredModule):
            raise FormatError("%s: the root object must be an object (a Module)" % self.what)
        signatures = self.data.get("signatures", {})
        if type(signatures) is not dict:
            raise FormatError("%s: \"signatures\" maps names to concrete functions" % self.what)
        object.__setattr__(root, "signatures", {
            name: self._concrete_at(i, "signature %r" % name) for name, i in signatures.items()})
        return root

    # -- pieces ----------------------------------------------------------------------------
    def _variable(self, document, node, record):
        where = "variable %s (object %d)" % (record["name"], node)
        value = document.value(node, where)
        try:
            with init_scope():
                return Variable(value, trainable=record["trainable"],
                                name=record["name"].split(":")[0],
                                shape=TensorShape(tuple(record["shape"])
                                                  if record["shape"] is not None else None))
        except (ValueError, TypeError) as exc:
            raise FormatError("%s: %s: %s" % (self.what, where, exc)) from None

    def _concrete_functions(self):
        records = self.data.get("concrete_functions", [])
        if type(records) is not list:
            raise FormatError("%s: \"concrete_functions\" must be a list" % self.what)
        built = []
        for i, record in enumerate(records):
            where = "%s, concrete function %d" % (self.what, i)
            index = record.get("graph") if type(record) is dict else None
            graph = self.reader.graph(index, fresh=True)
            built.append(build_concrete_function(record, graph, where))
        return built

    def _concrete_at(self, index, what):
        if type(index) is not int or not 0 <= index < len(self.concrete):
            raise FormatError("%s: %s refers to concrete function %r, which is out of range"
                              % (self.what, what, index))
        return self.concrete[index]

    def _function(self, record, node):
        info = record.get("function")
        where = "object %d" % node
        if type(info) is not dict or set(info) != {"name", "concrete_functions",
                                                   "input_signature"} or \
                type(info["name"]) is not str or type(info["concrete_functions"]) is not list:
            raise FormatError("%s: %s: a function record is {name, concrete_functions, "
                              "input_signature}" % (self.what, where))
        try:
            signature = None if info["input_signature"] is None else \
                decode_structure(info["input_signature"])
        except AttrFormatError as exc:
            raise FormatError("%s: %s: input_signature: %s" % (self.what, where, exc)) from None
        return RestoredFunction(info["name"], [
            self._concrete_at(i, where) for i in info["concrete_functions"]], signature)

    def _attach_children(self, node, record):
        children = record.get("children", {})
        if not children:
            return
        kind, target = record["kind"], self.objects[node]
        where = "%s, object %d" % (self.what, node)
        if kind in ("variable", "function"):
            raise FormatError("%s: a %s has no children" % (where, kind))
        if kind == "object":
            for name, child in children.items():
                if name == "__call__" and self.records[child]["kind"] == "function":
                    name = RESTORED_CALL
                elif not name or not name.isprintable() or name in _RESERVED or \
                        name.startswith("__"):
                    raise FormatError("%s: %r cannot be an attribute name of a restored "
                                      "object" % (where, name))
                object.__setattr__(target, name, self._object(child))
        elif kind == "list":
            target.extend(self._object(children[k]) for k in _indices(children, where))
        elif kind == "dict":
            target.update((k, self._object(c)) for k, c in children.items())

    def _object(self, node):
        if self.records[node]["kind"] == "tuple":
            return self._tuple(node)
        return self.objects[node]

    def _tuple(self, node):
        if node in self._tuples_building:
            raise FormatError("%s, object %d: a tuple contains itself" % (self.what, node))
        self._tuples_building.add(node)
        children = self.records[node].get("children", {})
        keys = _indices(children, "%s, object %d" % (self.what, node))
        result = tuple(self._object(children[k]) for k in keys)
        self._tuples_building.discard(node)
        return result


def _indices(children, where):
    """A list's or tuple's child names in index order (items the object graph does not
    follow, like strings, were not saved: the restored list holds the saved ones)."""
    if not all(k.isdigit() and k == str(int(k)) for k in children):
        raise FormatError("%s: a list's children are named by their indices" % where)
    return sorted(children, key=int)


def _class(record):
    name = record.get("class", "Module")
    return name if type(name) is str and name.isidentifier() else "Module"
