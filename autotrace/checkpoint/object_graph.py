"""The object graph: what a checkpoint or a SavedModel saves, found from a root object.

Nodes are the trackable objects reachable from the root: Modules (their attributes, in
name order), Variables, lists, tuples and dicts holding trackables, and objects that name
their own children (`_trackable_children()`, e.g. optimizers). An edge is an attribute name
(or a list index, or a dict key). Objects are matched by these names when restoring, never by
the order they were created in. A variable's checkpoint key is its shortest path from the
root, as in TensorFlow: `model/dense/kernel/.ATTRIBUTES/VARIABLE_VALUE`.

Optimizer slot variables (`_slot_variables()`: (variable, slot name, slot variable) triples)
are keyed by the variable they belong to:
`model/w/.OPTIMIZER_SLOT/optimizer/momentum/.ATTRIBUTES/VARIABLE_VALUE`.
"""
import collections

from ..ops.variables import Module, Variable

__all__ = ["ObjectGraph", "trackable_children", "is_trackable", "VALUE_SUFFIX"]

VALUE_SUFFIX = ".ATTRIBUTES/VARIABLE_VALUE"


def is_trackable(value):
    """Does a checkpoint follow `value`? Variables, Modules, objects naming their children,
    and lists/tuples/dicts (string keys) holding any of these."""
    if isinstance(value, (Variable, Module)) or _has_protocol(value):
        return True
    if isinstance(value, (list, tuple)):
        return any(is_trackable(v) for v in value)
    if isinstance(value, dict):
        return all(type(k) is str for k in value) and any(is_trackable(v)
                                                          for v in value.values())
    return False


def _has_protocol(value):
    return callable(getattr(type(value), "_trackable_children", None))


def trackable_children(obj):
    """{name: child} of `obj` in the object graph, in a fixed order."""
    if _has_protocol(obj):
        items = list(obj._trackable_children().items())
    elif isinstance(obj, Module):
        items = sorted(vars(obj).items())
    elif isinstance(obj, dict):
        items = list(obj.items()) if all(type(k) is str for k in obj) else []
    elif isinstance(obj, (list, tuple)):
        items = [(str(i), v) for i, v in enumerate(obj)]
    else:
        items = []
    return collections.OrderedDict((k, v) for k, v in items if is_trackable(v))


def slot_variables(obj):
    found = getattr(obj, "_slot_variables", None)
    return list(found()) if callable(found) else []


def kind_of(obj):
    if isinstance(obj, Variable):
        return "variable"
    for kind in (list, tuple, dict):
        if type(obj) is kind:
            return kind.__name__
    return "object"


def escape(name):
    """A path component of a checkpoint key ('/' and '.' escaped, as TensorFlow does)."""
    return name.replace(".", "..").replace("/", ".S")


class ObjectGraph:
    """The nodes reachable from `root`, numbered breadth first (the root is node 0).

    `nodes[i]` is the object, `children[i]` its [(name, node)], `paths[i]` the names on its
    shortest path from the root; `slots[i]` the (variable node, slot name, slot node) triples
    of an optimizer."""

    def __init__(self, root):
        self.nodes, self.children, self.paths, self.slots = [], [], [], []
        self._ids = {}
        self._add(root, [])
        queue = collections.deque([0])
        while queue:
            index = queue.popleft()
            for name, child in self.children_of(self.nodes[index]).items():
                known = self._ids.get(id(child))
                if known is None:
                    known = self._add(child, self.paths[index] + [name])
                    queue.append(known)
                self.children[index].append((name, known))
        for index in range(len(self.nodes)):
            self.slots[index] = self._slots(index)

    def children_of(self, obj):
        return trackable_children(obj)

    def _add(self, obj, path):
        self._ids[id(obj)] = len(self.nodes)
        self.nodes.append(obj)
        self.children.append([])
        self.paths.append(path)
        self.slots.append([])
        return len(self.nodes) - 1

    def _slots(self, index):
        found = []
        for variable, slot_name, slot in slot_variables(self.nodes[index]):
            original = self._ids.get(id(variable))
            if original is None:
                continue  # a slot of a variable this graph does not save
            node = self._ids.get(id(slot))
            if node is None:
                node = self._add(slot, None)
            found.append((original, slot_name, node))
        return found

    def node_of(self, obj):
        return self._ids.get(id(obj))

    def key(self, index):
        """The checkpoint key of the value of node `index` (a variable)."""
        path = self.paths[index]
        if path is not None:
            return "/".join([escape(n) for n in path] + [VALUE_SUFFIX])
        for owner, triples in enumerate(self.slots):
            for original, slot_name, node in triples:
                if node == index:
                    return "/".join([escape(n) for n in self.paths[original]] +
                                    [".OPTIMIZER_SLOT"] +
                                    [escape(n) for n in self.paths[owner]] +
                                    [escape(slot_name), VALUE_SUFFIX])
        raise KeyError(index)

    def path_text(self, index):
        path = self.paths[index]
        return "(root)" + "".join("." + n for n in path) if path is not None else \
            "(a slot variable)"
