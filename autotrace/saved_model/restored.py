"""What `saved_model.load` gives back: Modules with the saved attributes, and functions that
call the saved traces."""
from ..core.context import recording_tapes, state
from ..ops.variables import Module
from ..tracing.concrete import tensor_arguments
from ..tracing.inline import symbolic_key
from .functions import with_saved_namedtuples
from ..tracing.signature import describe_key, key_and_leaves, key_fits

__all__ = ["RestoredModule", "RestoredFunction"]


class RestoredModule(Module):
    """A Module loaded from a SavedModel: its attributes are the saved object's (variables,
    child objects, functions); `variables` and `trainable_variables` work as for any Module.
    The root object also has `signatures`."""

    def __init__(self, class_name):
        super().__init__(name=_snake(class_name))
        self._saved_class = class_name

    def __call__(self, *args, **kwargs):
        """Calls the saved `__call__` method (objects saved without one are not callable)."""
        restored = self.__dict__.get(RESTORED_CALL)
        if restored is None:
            raise TypeError("This restored %s was saved without a traced __call__ method"
                            % self._saved_class)
        return restored(*args, **kwargs)

    def __repr__(self):
        return "<restored %s>" % self._saved_class


# A saved `__call__` is kept here: Python looks special methods up on the class.
RESTORED_CALL = "_restored_call"


def _snake(name):
    out = "".join("_" + c.lower() if c.isupper() else c for c in name).lstrip("_")
    return out or "module"


class RestoredFunction:
    """A traced function loaded from a SavedModel: a call runs the saved trace whose
    signature fits the arguments (as a Function's cache would). There is no Python code
    behind it, so a call that fits no saved trace is an error."""

    def __init__(self, name, concrete_functions, input_signature):
        self.__name__ = name
        self._concrete = list(concrete_functions)
        self.input_signature = input_signature

    @property
    def concrete_functions(self):
        return list(self._concrete)

    def __call__(self, *args, **kwargs):
        args, kwargs = with_saved_namedtuples((args, kwargs))
        if state.graph is not None:  # inside a trace: the saved graph's ops join it
            return self._match_in_graph(args, kwargs)(*args, **kwargs)
        cf, values, leaves = self._match(args, kwargs)
        return cf._call_flat(leaves, tensor_arguments(values) if recording_tapes() else None)

    def _match_in_graph(self, args, kwargs):
        bound = []
        for cf in self._concrete:
            try:
                values = cf._spec.bind(args, kwargs)
            except TypeError:
                continue
            if all(key_fits(k, t) for k, t in zip(symbolic_key(values), cf._key)):
                return cf
            bound.append(cf)
        if len(bound) == 1:  # e.g. Python numbers for a tensor argument: converted
            return bound[0]
        raise ValueError(self._no_match(args, kwargs))

    def get_concrete_function(self, *args, **kwargs):
        """The saved trace that fits these arguments (tensors, values or TensorSpecs); with
        no arguments, the only one."""
        if not args and not kwargs and len(self._concrete) == 1:
            return self._concrete[0]
        for cf in self._concrete:
            try:
                values = cf._spec.bind(args, kwargs)
            except TypeError:
                continue
            if key_fits(key_and_leaves(values)[0], tuple(cf._key)):
                return cf
        raise ValueError(self._no_match(args, kwargs))

    def _match(self, args, kwargs):
        for cf in self._concrete:
            try:
                values = cf._spec.bind(args, kwargs)
                leaves = cf._check_call(values)
            except TypeError:
                continue
            return cf, values, leaves
        raise ValueError(self._no_match(args, kwargs))

    def _no_match(self, args, kwargs):
        try:
            key = symbolic_key(list(args) + list(kwargs.values()))
            got = ", ".join([describe_key(k) for k in key[:len(args)]] +
                            ["%s=%s" % (n, describe_key(k))
                             for n, k in zip(kwargs, key[len(args):])])
        except TypeError:
            got = "(arguments that cannot be described)"
        options = "\n".join("  %s(%s)" % (self.__name__, ", ".join(
            "%s: %s" % (n, describe_key(k)) for n, k in zip(cf._spec.names, cf._key)))
            for cf in self._concrete) or "  (none: the function was never traced before " \
                                         "it was saved)"
        return ("%s (loaded from a SavedModel) has no saved trace that fits the call "
                "%s(%s). It was saved with these traces:\n%s\nA loaded function has no "
                "Python code to trace again: call it with arguments that fit one of them, "
                "or trace the function with this signature before saving it."
                % (self.__name__, self.__name__, got, options))

    def __repr__(self):
        return "<restored function %s with %d saved trace(s)>" % (self.__name__,
                                                                   len(self._concrete))
