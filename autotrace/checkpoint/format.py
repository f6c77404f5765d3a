"""The checkpoint format: `PREFIX.json` (the object graph) and `PREFIX.npz` (the values).

    {"format": "autotrace.checkpoint", "version": 1,
     "objects": [
       {"kind": "object", "class": "Checkpoint", "children": {"model": 1, "save_counter": 3}},
       {"kind": "object", "class": "Dense", "children": {"w": 2}},
       {"kind": "variable", "variable": {"name": "w:0", "trainable": true, "shape": [2],
        "value": {"dtype": "float32", "shape": [2],
                  "data": "model/w/.ATTRIBUTES/VARIABLE_VALUE"}}},
       ...]}

`data` names the array in the .npz; string values are written inline (`values`). An
optimizer's node lists its slot variables: `"slot_variables": [{"original": 2, "slot":
"momentum", "node": 7}]`. docs/saving.md describes the format in full.
"""
from ..core.attr_codec import AttrFormatError, decode_dtype, decode_shape, encode_shape
from .files import ArrayCodec, ArrayFile, FormatError, read_json, write_arrays, write_json
from .object_graph import kind_of

__all__ = ["write_checkpoint", "read_checkpoint", "Document", "FORMAT", "object_paths"]

FORMAT = "autotrace.checkpoint"
VERSION = 1
KINDS = ("object", "variable", "list", "tuple", "dict")


def object_records(graph, codec):
    """The "objects" list of an ObjectGraph: one record per node."""
    records = []
    for index, obj in enumerate(graph.nodes):
        record = {"kind": kind_of(obj)}
        if record["kind"] == "object":
            record["class"] = type(obj).__name__
        if graph.children[index]:
            record["children"] = {name: node for name, node in graph.children[index]}
        if record["kind"] == "variable":
            record["variable"] = variable_record(obj, graph.key(index), codec)
        if graph.slots[index]:
            record["slot_variables"] = [{"original": o, "slot": s, "node": n}
                                        for o, s, n in graph.slots[index]]
        records.append(record)
    return records


def variable_record(variable, key, codec):
    return {"name": variable.name, "trainable": variable.trainable,
            "shape": encode_shape(variable.shape),
            "value": codec.encode_array(variable.numpy(), key=key, inline=-1)}


def write_checkpoint(prefix, graph):
    """Write the values of an ObjectGraph's variables to PREFIX.json / PREFIX.npz."""
    codec = ArrayCodec()
    document = {"format": FORMAT, "version": VERSION, "objects": object_records(graph, codec)}
    write_arrays(prefix + ".npz", codec.arrays)
    write_json(prefix + ".json", document)
    return prefix


class Document:
    """A checkpoint read back, its object records checked against the format."""

    def __init__(self, data, array_file, path, what="checkpoint", kinds=KINDS):
        self.path, self.what = path, what
        self.codec = ArrayCodec(array_file)
        self.records = check_objects(data.get("objects"), "%s %s" % (what, path), kinds)

    def close(self):
        if self.codec.array_file is not None:
            self.codec.array_file.close()

    def has_value(self, node):
        return "variable" in self.records[node]

    def value(self, node, where):
        """The array of variable node `node` (dtype and shape checked against the record)."""
        header = self.records[node]["variable"]["value"]
        try:
            if "data" in header and type(header["data"]) is str:
                return self.codec.array_file.read(
                    header["data"], decode_dtype(header["dtype"]),
                    decode_shape(header["shape"], "a value's shape", known=True), where)
            return self.codec.decode_array(header)
        except AttrFormatError as exc:
            raise FormatError("%s %s: the value of %s: %s" % (self.what, self.path, where,
                                                               exc)) from None


def read_checkpoint(prefix):
    """The Document at PREFIX (.json and .npz)."""
    data = read_json(prefix + ".json", "checkpoint")
    check_header(data, FORMAT, prefix + ".json", "checkpoint")
    return Document(data, ArrayFile(prefix + ".npz", "checkpoint values"), prefix)


def check_header(data, expected, path, what):
    if data.get("format") != expected:
        raise FormatError("%s %s is not an autotrace %s (its \"format\" is %r, expected %r)"
                          % (what, path, what, data.get("format"), expected))
    if data.get("version") != VERSION:
        raise FormatError("%s %s has version %r; this autotrace reads version %d"
                          % (what, path, data.get("version"), VERSION))


def check_objects(records, where, kinds=KINDS):
    """Validate the "objects" list: kinds, children and slot references in range, variable
    records well formed. Returns the list."""
    if type(records) is not list or not records:
        raise FormatError("%s: \"objects\" must be a non-empty list" % where)
    n = len(records)
    for i, record in enumerate(records):
        at = "%s, object %d" % (where, i)
        if type(record) is not dict or record.get("kind") not in kinds:
            raise FormatError("%s: an object record needs a \"kind\" among %s"
                              % (at, ", ".join(kinds)))
        children = record.get("children", {})
        if type(children) is not dict:
            raise FormatError("%s: \"children\" must map names to object numbers" % at)
        for name, node in children.items():
            _check_node(node, n, "%s: child %r" % (at, name))
        for slot in record.get("slot_variables", []):
            if type(slot) is not dict or set(slot) != {"original", "slot", "node"} or \
                    type(slot["slot"]) is not str:
                raise FormatError("%s: a slot variable record is {original, slot, node}" % at)
            _check_node(slot["original"], n, "%s: slot %r" % (at, slot["slot"]))
            _check_node(slot["node"], n, "%s: slot %r" % (at, slot["slot"]))
        if (record["kind"] == "variable") != ("variable" in record):
            raise FormatError("%s: a variable object has a \"variable\" record, and only it"
                              % at)
        if "variable" in record:
            _check_variable(record["variable"], at)
    return records


def _check_node(node, n, at):
    if type(node) is not int or not 0 <= node < n:
        raise FormatError("%s refers to object %r, which is out of range (there are %d)"
                          % (at, node, n))


def _check_variable(record, at):
    if type(record) is not dict or not {"name", "trainable", "shape", "value"} <= set(record):
        raise FormatError("%s: a variable record has name, trainable, shape and value" % at)
    if type(record["name"]) is not str or type(record["trainable"]) is not bool:
        raise FormatError("%s: a variable's name is a string and trainable a boolean" % at)
    value = record["value"]
    try:
        decode_shape(record["shape"], "a variable's shape")
        if type(value) is not dict:
            raise AttrFormatError("a variable's value is a tensor header")
        decode_dtype(value.get("dtype"))
        decode_shape(value.get("shape"), "a value's shape", known=True)
    except AttrFormatError as exc:
        raise FormatError("%s: %s" % (at, exc)) from None


def object_paths(records):
    """A readable path for each node, `(root).model.dense.kernel`, breadth first."""
    paths = {0: "(root)"}
    queue = [0]
    while queue:
        node = queue.pop(0)
        for name, child in records[node].get("children", {}).items():
            if child not in paths:
                paths[child] = paths[node] + "." + name
                queue.append(child)
        for slot in records[node].get("slot_variables", []):
            if slot["node"] not in paths and slot["original"] in paths:
                paths[slot["node"]] = "%s's %r slot" % (paths[slot["original"]], slot["slot"])
                queue.append(slot["node"])
    return {n: paths.get(n, "object %d" % n) for n in range(len(records))}
