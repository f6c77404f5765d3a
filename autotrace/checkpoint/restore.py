"""Restoring a checkpoint into Python objects, matched by the object graph's names.

The checkpoint's root node is matched with the root object; then each named child in the
checkpoint with the Python child of the same name, recursively. A variable node gives its
value to the Python Variable it is matched with (dtype and shape checked). A child the
checkpoint has but the Python object does not have yet (a Keras layer not built yet, an
attribute assigned later) is restored when it appears: a Module's attribute assignment
restores it (deferred restoration), and an optimizer's slot variable is restored when the
optimizer creates it.
"""
from ..core.context import init_scope
from ..ops.variables import Module, Variable
from .format import object_paths
from .object_graph import ObjectGraph, is_trackable, trackable_children, slot_variables

__all__ = ["Restoration", "CheckpointLoadStatus", "InitializationOnlyStatus"]

DEFERRED = "_deferred_restorations"        # Module attribute: {name: callback(value)}
DEFERRED_SLOTS = "_deferred_slot_restorations"  # optimizer: {(variable ref, slot): callback}


class Restoration:
    """One restore: the document, and which checkpoint nodes matched which objects."""

    def __init__(self, document):
        self.document = document
        self.matched = {}         # node -> Python object
        self.restored = set()     # variable nodes whose values were assigned
        self._pending_slots = []  # (optimizer, slot record) waiting for their variable
        self.paths = object_paths(document.records)

    def match(self, node, obj):
        """Match checkpoint node `node` with `obj`, then their children by name."""
        try:
            self._match(node, obj)
        finally:
            self.document.close()  # reopened if a deferred restoration reads later

    def _match(self, node, obj):
        queue = [(node, obj)]
        while queue:
            node, obj = queue.pop(0)
            if node in self.matched:
                continue
            self.matched[node] = obj
            record = self.document.records[node]
            if "variable" in record:
                self._restore_variable(node, obj)
                continue
            children = trackable_children(obj)
            for name, child in record.get("children", {}).items():
                if name in children:
                    queue.append((child, children[name]))
                else:
                    self._defer(_target(obj), name, child)
            for slot in record.get("slot_variables", []):
                self._pending_slots.append((obj, slot))
        self._match_slots()

    def _restore_variable(self, node, obj):
        where = self.paths[node]
        if not isinstance(obj, Variable):
            raise ValueError("The checkpoint has a variable at %s, but the object there is %s"
                             % (where, _describe(obj)))
        value = self.document.value(node, where)
        if value.dtype != obj.dtype.np:
            raise ValueError("Cannot restore %s: the checkpoint holds a %s value but variable "
                             "%r has dtype %s" % (where, value.dtype.name if value.dtype.kind
                                                  != "O" else "string", obj.name,
                                                  obj.dtype.name))
        if not obj.shape.is_compatible_with(value.shape):
            raise ValueError("Cannot restore %s: the checkpoint holds a value of shape %s but "
                             "variable %r has shape %s" % (where, list(value.shape), obj.name,
                                                           obj.shape))
        with init_scope():
            obj.assign(value)
        self.restored.add(node)

    def _defer(self, obj, name, node):
        """Restore `obj.name` when it is assigned (Modules only: their __setattr__ asks)."""
        if not isinstance(obj, Module):
            return
        pending = obj.__dict__.get(DEFERRED)
        if pending is None:
            pending = {}
            object.__setattr__(obj, DEFERRED, pending)

        def restore_when_assigned(value):
            if not is_trackable(value):
                return False
            self.match(node, value)
            return True
        pending[name] = restore_when_assigned

    def _match_slots(self):
        waiting = []
        for optimizer, slot in self._pending_slots:
            variable = self.matched.get(slot["original"])
            if variable is None:
                waiting.append((optimizer, slot))
                continue
            existing = {(id(v), s): sv for v, s, sv in slot_variables(optimizer)}
            found = existing.get((id(variable), slot["slot"]))
            if found is not None:
                self.match(slot["node"], found)
            elif isinstance(variable, Variable):
                self._defer_slot(optimizer, variable, slot)
        self._pending_slots = waiting

    def _defer_slot(self, optimizer, variable, slot):
        pending = optimizer.__dict__.setdefault(DEFERRED_SLOTS, {})
        pending[(variable.ref(), slot["slot"])] = lambda created: self.match(slot["node"],
                                                                              created)

    # -- what matched ------------------------------------------------------------------------
    def unresolved_values(self):
        return [n for n in range(len(self.document.records))
                if self.document.has_value(n) and n not in self.restored]

    def unmatched_objects(self, root):
        """[(object, its path)] of the objects reachable from `root` that matched nothing."""
        matched = {id(o) for o in self.matched.values()}
        graph = ObjectGraph(root)
        return [(obj, graph.path_text(i)) for i, obj in enumerate(graph.nodes)
                if id(obj) not in matched and (isinstance(obj, (Variable, Module)) or
                                               hasattr(type(obj), "_trackable_children"))]


def _target(obj):
    """The object that holds the children of `obj` (a Checkpoint's root view: its root)."""
    return getattr(obj, "_restore_target", obj)


def _describe(obj):
    if isinstance(obj, Module):
        return "a %s object" % type(obj).__name__
    return "%r" % (obj,) if len(repr(obj)) < 60 else "a %s" % type(obj).__name__


class CheckpointLoadStatus:
    """What `Checkpoint.restore` returns: assertions about what matched.

    Restoration happens at once (and later, for objects created afterwards); these methods
    only check it."""

    def __init__(self, restoration, root, save_path):
        self._restoration = restoration
        self._root = root
        self.save_path = save_path

    def assert_consumed(self):
        """Every value in the checkpoint was restored, and every object matched."""
        unresolved = self._restoration.unresolved_values()
        if unresolved:
            paths = self._restoration.paths
            raise AssertionError(
                "%d value(s) in the checkpoint were not restored into any object: %s. The "
                "Python program has no object at these paths (yet); create them, or call "
                "expect_partial() if that is intended." % (
                    len(unresolved), ", ".join(paths[n] for n in unresolved[:10])))
        return self.assert_existing_objects_matched()

    def assert_existing_objects_matched(self):
        """Every object reachable from the root now was matched with the checkpoint."""
        unmatched = self._restoration.unmatched_objects(self._root)
        if unmatched:
            raise AssertionError(
                "Found %d Python object(s) not bound to values in the checkpoint, likely "
                "because the Python program changed: %s" % (
                    len(unmatched), ", ".join("%s at %s" % (_object_text(o), path)
                                              for o, path in unmatched[:10])))
        return self

    def assert_nontrivial_match(self):
        """Something besides the root object was matched."""
        if len(self._restoration.matched) <= 1:
            raise AssertionError("Nothing except the root object matched the checkpoint %s"
                                 % self.save_path)
        return self

    def expect_partial(self):
        """Say that a partial restore is intended (no warnings; returns self)."""
        return self

    def run_restore_ops(self, session=None):
        """Values are restored eagerly: nothing to run."""

    def initialize_or_restore(self, session=None):
        """Values are restored eagerly: nothing to run."""


class InitializationOnlyStatus(CheckpointLoadStatus):
    """`restore(None)`: nothing to restore (e.g. no checkpoint was saved yet)."""

    def __init__(self):
        super().__init__(None, None, None)

    def _nothing(self):
        raise AssertionError("No checkpoint specified (save_path=None); nothing is being "
                             "restored.")

    def assert_consumed(self):
        self._nothing()

    assert_existing_objects_matched = assert_nontrivial_match = assert_consumed


def _object_text(obj):
    if isinstance(obj, Variable):
        return "<Variable %r shape=%s dtype=%s>" % (obj.name, obj.shape, obj.dtype.name)
    return "<%s object>" % type(obj).__name__
