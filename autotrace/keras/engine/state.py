"""Per-thread Keras state: the layer-call context (training flag, the entry layer), the name
scope that gives weights their paths, symbolic (functional-API) inference, autocast."""
import itertools
import threading


class _KerasState(threading.local):
    def __init__(self):
        self.call_context = None     # CallContext of the outermost layer call in progress
        self.name_scopes = []        # (layer, name) of the layers entered, outermost first
        self.symbolic_depth = 0      # >0 while a layer runs on placeholders for shape inference
        self.autocast_dtype = None   # compute dtype variables are read as (mixed precision)


STATE = _KerasState()
_GENERATIONS = itertools.count(1)


class CallContext:
    """Shared by the nested layer calls under one outermost call. `generation` numbers the
    outermost calls: losses added under an older one are stale (the cheap form of Keras's
    clearing of every sublayer's losses at each outermost call)."""

    __slots__ = ("entry_layer", "training", "generation")

    def __init__(self, entry_layer, training=None):
        self.entry_layer = entry_layer
        self.training = training
        self.generation = next(_GENERATIONS)


class layer_scope:  # noqa: N801
    """Enter a layer: weights created inside get paths like 'model/dense/kernel' (entering
    the layer already entered last adds nothing)."""

    __slots__ = ("_layer", "_pushed")

    def __init__(self, layer):
        self._layer = layer

    def __enter__(self):
        scopes = STATE.name_scopes
        self._pushed = not scopes or scopes[-1][0] is not self._layer
        if self._pushed:
            scopes.append((self._layer, self._layer.name))

    def __exit__(self, *exc):
        if self._pushed:
            STATE.name_scopes.pop()
        return False


def current_path(name):
    return "/".join([scope_name for _, scope_name in STATE.name_scopes] + [name])


class symbolic_scope:  # noqa: N801
    """Inference of output specs on placeholders: weights are made eagerly meanwhile."""

    def __enter__(self):
        STATE.symbolic_depth += 1

    def __exit__(self, *exc):
        STATE.symbolic_depth -= 1
        return False


def in_symbolic_scope():
    return STATE.symbolic_depth > 0


class autocast_scope:  # noqa: N801
    """Inside, float weights read as `dtype` (a mixed-precision layer's compute dtype)."""

    __slots__ = ("_dtype", "_saved")

    def __init__(self, dtype):
        self._dtype = dtype

    def __enter__(self):
        self._saved = STATE.autocast_dtype
        STATE.autocast_dtype = self._dtype

    def __exit__(self, *exc):
        STATE.autocast_dtype = self._saved
        return False
