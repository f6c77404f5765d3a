"""`autotrace.compat.v1`: TensorFlow 1's graph + session model, for teaching it (seed 002).

Build a graph, then run parts of it with a Session; only the compute path of what you fetch
runs, so side effects (assign, Print) happen only when they are on that path.

>>> import autotrace as tf
>>> v1 = tf.compat.v1
>>> g = tf.Graph()
>>> with g.as_default():
...     x = v1.placeholder(tf.int32)
...     three = tf.constant(3)
...     total = x + three
>>> with v1.Session(graph=g) as sess:
...     print(sess.run(three), sess.run(total, feed_dict={x: 2}))
3 5
"""
import sys
import threading

import numpy as np

from ..core import dtypes, nest
from ..core.context import process, set_graph, set_graph_mode_default, state
from ..core.errors import FailedPreconditionError, InvalidArgumentError
from ..execution.interpreter import compute_path, run_graph
from ..core.graph import (_SESSIONS, Graph, Operation, control_dependencies,
                          get_default_graph as _global_graph, get_default_session,
                          reset_global_graph)
from ..ops import array_ops
from ..ops.constant_op import to_numpy
from ..ops.group_ops import group, no_op
from ..ops.logging_ops import Print
from ..ops.registry import apply
from ..ops.runtime import Runtime, cached_generator
from ..core.tensor import SymbolicTensor, Tensor
from ..core.tensor_shape import TensorShape
from ..ops.variables import GLOBAL_VARIABLES, TRAINABLE_VARIABLES, Variable

__all__ = ["placeholder", "placeholder_with_default", "Session", "InteractiveSession",
           "get_default_session", "get_variable", "global_variables_initializer",
           "initialize_all_variables", "variables_initializer", "global_variables",
           "trainable_variables", "assign", "assign_add", "assign_sub", "Print",
           "constant_initializer", "zeros_initializer", "ones_initializer",
           "disable_eager_execution", "enable_eager_execution", "executing_eagerly",
           "reset_default_graph", "get_default_graph", "variable_scope", "group", "no_op",
           "gradients", "train", "control_dependencies", "disable_v2_behavior",
           "enable_v2_behavior", "to_float", "to_int32", "expose_namespace"]


# -- modes -------------------------------------------------------------------------------------

def disable_eager_execution():
    """Build graphs by default (TF-1 style): ops go into the default graph until enabled.

    The mode is process-wide; the default graph is per thread, as in TF: a new thread builds
    into a fresh default graph of its own (use `with graph.as_default():` in the thread to
    share one)."""
    set_graph_mode_default(_new_default_graph)
    if state.eager_disabled_graph is None:
        state.eager_disabled_graph = _new_default_graph()
    set_graph(state.eager_disabled_graph)


def _new_default_graph():
    return Graph("default")


def enable_eager_execution():
    set_graph_mode_default(None)
    state.eager_disabled_graph = None
    set_graph(None)


def executing_eagerly():
    return process.all_eager or state.graph is None


def get_default_graph():
    """The graph being built (the TF-1 default graph when eager execution is disabled)."""
    if state.graph is not None:
        return state.graph
    return _global_graph()


def reset_default_graph():
    """Start a fresh default graph."""
    if state.graph_stack:
        raise AssertionError("reset_default_graph() was called inside `with graph."
                             "as_default():`; call it outside any graph context")
    if state.eager_disabled_graph is not None:
        state.eager_disabled_graph = _new_default_graph()
        set_graph(state.eager_disabled_graph)
    reset_global_graph()


def _building_graph(what):
    graph = state.graph
    if graph is None:
        raise RuntimeError(
            "%s needs a graph: it is part of the TF-1 graph model. Build inside `with "
            "autotrace.Graph().as_default():`, or call autotrace.compat.v1."
            "disable_eager_execution() first." % what)
    return graph


# -- placeholders ------------------------------------------------------------------------------

def placeholder(dtype, shape=None, name=None):
    """A graph input: a value must be fed for it whenever it is on the compute path."""
    _building_graph("placeholder()")
    return apply(array_ops.PLACEHOLDER, (),
                 {"dtype": dtypes.as_dtype(dtype), "shape": TensorShape(shape)},
                 name or "Placeholder")


def placeholder_with_default(input, shape, name=None):
    """A placeholder that takes `input`'s value when not fed."""
    _building_graph("placeholder_with_default()")
    t = array_ops.identity(input, name=name or "PlaceholderWithDefault")
    t.set_shape(TensorShape(shape).merge_with(t.shape) if TensorShape(shape).rank is not None
                else t.shape)
    return t


# -- sessions ----------------------------------------------------------------------------------

class Session(Runtime):
    """Runs parts of a graph. Variables of the graph get their values here (per session).

    `run(fetches, feed_dict)`: fetches is a tensor, op, variable, name, or a list/tuple/dict of
    them; only their compute path is evaluated.
    """

    def __init__(self, target="", graph=None, config=None):
        self.graph = graph if graph is not None else get_default_graph()
        self._values = {}        # id(variable) -> (variable, value): graph variables' storage
        self._generators = {}    # (seed, seed2) -> numpy Generator for random ops
        self._plans = {}         # (fetches, fed tensors, graph version) -> ops to run
        self._closed = False

    # -- Runtime protocol (used by stateful kernels) ---------------------------------------
    def read_variable(self, handle):
        var = handle.variable
        if var._graph is None:
            return var._value
        found = self._values.get(id(var))
        if found is None:
            short = var.name.split(":")[0]
            raise FailedPreconditionError(
                "Attempting to use uninitialized value %s: variable %r has no value in this "
                "Session yet. A variable's value lives in the session, not the graph; run its "
                "initializer first: sess.run(autotrace.compat.v1.global_variables_initializer())"
                " (or sess.run(%s.initializer))" % (short, short, short))
        return found[1]

    def write_variable(self, handle, value):
        var = handle.variable
        if var._graph is None:
            var._write_eager_value(value)
        else:
            self._values[id(var)] = (var, value)

    def generator(self, seed, seed2, reuse_stream=True):
        return cached_generator(self._generators, seed, seed2)

    def _set_variable(self, var, value):
        self._values[id(var)] = (var, to_numpy(value, var.dtype))

    # -- running ---------------------------------------------------------------------------
    def run(self, fetches, feed_dict=None, options=None, run_metadata=None):
        """Evaluate `fetches` (a nest); returns NumPy values in the same structure."""
        if self._closed:
            raise RuntimeError("Attempted to use a closed Session.")
        leaves = nest.flatten(fetches)
        targets = [self._as_fetch(f) for f in leaves]
        feeds = self._feeds(feed_dict or {})
        plan = (tuple(id(t) for t in targets), frozenset(feeds), self.graph.version)
        needed = self._plans.get(plan)
        if needed is None:  # the compute path of these fetches and feeds, planned once
            needed = compute_path(targets, feeds)
            self._check_placeholders(needed, feeds, targets)
            self._plans[plan] = needed
        values = run_graph(targets, feeds, self, ops=needed)
        results = [_numpy_result(v) for v in values]
        return nest.pack_sequence_as(fetches, results) if nest.is_nested(fetches) else results[0]

    def _as_fetch(self, f):
        if isinstance(f, str):
            f = self.graph.as_graph_element(f)
        if isinstance(f, Variable):
            if f._graph is None:
                with self.graph.as_default():
                    return f.read_value()
            f = f._snapshot
        if isinstance(f, SymbolicTensor):
            if f.graph is not self.graph:
                raise ValueError("Fetch %s belongs to graph %r, not this session's graph %r"
                                 % (f.name, f.graph.name, self.graph.name))
            return f
        if isinstance(f, Operation):
            return f
        if isinstance(f, Tensor):
            raise TypeError("Session.run fetched an eager tensor (%r); sessions run graph "
                            "tensors. Eager tensors already have values: use .numpy()" % (f,))
        raise TypeError("Cannot fetch %r (of type %s): fetches must be graph tensors, "
                        "operations, variables or their names" % (f, type(f).__name__))

    def _feeds(self, feed_dict):
        feeds = {}
        for key, value in feed_dict.items():
            if isinstance(key, str):
                key = self.graph.get_tensor_by_name(key)
            if not isinstance(key, SymbolicTensor):
                raise TypeError("feed_dict keys must be graph tensors (placeholders), got %r"
                                % (key,))
            arr = np.asarray(to_numpy(value, key.dtype))
            if not key.shape.is_compatible_with(arr.shape):
                raise ValueError("Cannot feed value of shape %s for tensor %r, which has shape "
                                 "%s" % (TensorShape(arr.shape), key.name, key.shape))
            # 0-d numbers are fed as NumPy scalars (as eager ops compute them); 0-d strings
            # stay object arrays, so kernels never see bare `bytes`.
            feeds[id(key)] = arr[()] if arr.ndim == 0 and arr.dtype.kind != "O" else arr
        return feeds

    def _check_placeholders(self, needed, feeds, targets):
        for op in needed:
            if op.type == "Placeholder" and id(op.outputs[0]) not in feeds:
                t = op.outputs[0]
                wanted = [x.name for x in targets if isinstance(x, SymbolicTensor)]
                raise InvalidArgumentError(
                    "You must feed a value for placeholder tensor %r with dtype %s and shape "
                    "%s: it is on the compute path of %s. Pass feed_dict={%s: value}."
                    % (op.name, t.dtype.name, t.shape, ", ".join(wanted) or "the fetched ops",
                       op.name), op=op)

    # -- context ---------------------------------------------------------------------------
    def close(self):
        self._closed = True

    def as_default(self):
        return _DefaultSession(self)

    def __enter__(self):
        _SESSIONS.stack.append(self)
        return self

    def __exit__(self, *exc):
        if _SESSIONS.stack and _SESSIONS.stack[-1] is self:
            _SESSIONS.stack.pop()
        self.close()
        return False


class _DefaultSession:
    def __init__(self, session):
        self._session = session

    def __enter__(self):
        _SESSIONS.stack.append(self._session)
        return self._session

    def __exit__(self, *exc):
        _SESSIONS.stack.remove(self._session)
        return False


class InteractiveSession(Session):
    """A Session that makes itself the default on creation (for shells and notebooks)."""

    def __init__(self, target="", graph=None, config=None):
        super().__init__(target, graph, config)
        _SESSIONS.stack.append(self)

    def close(self):
        if self in _SESSIONS.stack:
            _SESSIONS.stack.remove(self)
        super().close()


def _numpy_result(value):
    if value is None:
        return None
    if isinstance(value, np.ndarray):
        return value[()] if value.ndim == 0 else value
    return value


def _tensor_eval(self, feed_dict=None, session=None):
    """Evaluate this graph tensor in `session` (default: the default session)."""
    return (session or get_default_session()).run(self, feed_dict)


SymbolicTensor.eval = _tensor_eval


# -- variables ---------------------------------------------------------------------------------

class _VariableScope:
    def __init__(self, name, reuse):
        self.name = name
        self.reuse = reuse


_SCOPES = []


class variable_scope:
    """Prefix for get_variable names; `reuse=True` returns existing variables (sharing).

    Prefer passing variables around explicitly: sharing by name is a TF-1 habit that seed
    002 advises against."""

    def __init__(self, name_or_scope, reuse=None, default_name=None):
        self._scope = _VariableScope(name_or_scope or default_name, reuse)

    def __enter__(self):
        _SCOPES.append(self._scope)
        return self._scope

    def __exit__(self, *exc):
        _SCOPES.pop()
        return False


AUTO_REUSE = "auto_reuse"


def _scoped_name(name):
    prefix = "/".join(s.name for s in _SCOPES if s.name)
    return prefix + "/" + name if prefix else name


def _reuse():
    for scope in reversed(_SCOPES):
        if scope.reuse is not None:
            return scope.reuse
    return None


def _var_store(graph):
    store = getattr(graph, "_v1_variable_store", None)
    if store is None:
        store = graph._v1_variable_store = {}
    return store


def get_variable(name, shape=None, dtype=None, initializer=None, trainable=True,
                 regularizer=None, collections=None, **kwargs):
    """A named variable of the graph; names are unique in the graph (unless reusing).

    `initializer` is an initializer (called with shape and dtype), a tensor or a value.
    Without one, floating variables use Glorot-uniform and integer ones zeros, as TF-1.
    """
    full_name = _scoped_name(name)
    graph = state.graph
    store = _var_store(graph) if graph is not None else {}
    reuse = _reuse()
    if full_name in store:
        if reuse in (True, AUTO_REUSE):
            return store[full_name]
        raise ValueError("Variable %s already exists, disallowed. Names of get_variable "
                         "variables are unique in a graph; keep a Python reference to the "
                         "variable and use it again, or set reuse=True in a variable_scope"
                         % full_name)
    if reuse is True:
        raise ValueError("Variable %s does not exist, but reuse=True was set" % full_name)
    dtype = dtypes.as_dtype(dtype) if dtype is not None else None
    initial = _initial_value(full_name, shape, dtype, initializer)
    var = Variable(initial, trainable=trainable, name=full_name, dtype=dtype)
    store[full_name] = var
    return var


def _initial_value(name, shape, dtype, initializer):
    from ..training import initializers
    if initializer is None:
        dt = dtype or dtypes.float32
        initializer = initializers.GlorotUniform() if dt.is_floating else initializers.Zeros()
    if callable(initializer) and not isinstance(initializer, (Tensor, Variable)):
        if shape is None:
            raise ValueError("get_variable(%r): the shape must be given when the initializer "
                             "is a function" % name)
        init, dims, dt = initializer, list(TensorShape(shape)), dtype or dtypes.float32
        return lambda: init(dims, dt)
    if shape is not None:
        value = to_numpy(initializer, dtype) if not isinstance(initializer, Tensor) \
            else initializer
        if not TensorShape(shape).is_compatible_with(np.shape(value) if not isinstance(
                value, Tensor) else value.shape):
            raise ValueError("get_variable(%r): initializer value does not have shape %s"
                             % (name, TensorShape(shape)))
        return value
    return initializer


def global_variables():
    graph = state.graph
    return graph.get_collection(GLOBAL_VARIABLES) if graph is not None else []


def trainable_variables():
    graph = state.graph
    return graph.get_collection(TRAINABLE_VARIABLES) if graph is not None else []


def variables_initializer(var_list, name="init"):
    """An op that runs the initializers of `var_list`."""
    graph = state.graph
    if graph is None:
        return None
    with graph.control_dependencies([v.initializer for v in var_list if v.initializer]):
        return no_op(name=name)


def global_variables_initializer():
    """An op that initialises every variable of the graph when run: `sess.run(init)`.

    It is a node like any other: creating it changes nothing; running it in a Session does."""
    graph = state.graph
    if graph is None:
        return None
    return variables_initializer(graph.get_collection(GLOBAL_VARIABLES))


initialize_all_variables = global_variables_initializer


def assign(ref, value, validate_shape=None, use_locking=None, name=None):
    """`ref.assign(value)`; in a graph, a node whose evaluation performs the assignment."""
    return ref.assign(value, name=name)


def assign_add(ref, value, use_locking=None, name=None):
    return ref.assign_add(value, name=name)


def assign_sub(ref, value, use_locking=None, name=None):
    return ref.assign_sub(value, name=name)


def gradients(ys, xs, grad_ys=None, name="gradients", **kwargs):
    """TF-1's tf.gradients: gradient graph nodes of sum(ys) with respect to xs."""
    from ..autodiff.graph_gradients import gradients as graph_gradients
    return graph_gradients(ys, xs, grad_ys, name)


class _Train:
    """`compat.v1.train`: the TF-1 optimizers the seed uses."""

    class GradientDescentOptimizer:
        """Plain gradient descent for graphs: `minimize(loss)` adds one node that, when run,
        computes the gradient of loss for every variable on its path and steps each."""

        def __init__(self, learning_rate, use_locking=False, name="GradientDescent"):
            self.learning_rate = learning_rate
            self.name = name

        def compute_gradients(self, loss, var_list=None):
            graph = _building_graph("GradientDescentOptimizer.compute_gradients()")
            var_list = list(var_list) if var_list is not None else \
                graph.get_collection(TRAINABLE_VARIABLES)
            grads = gradients(loss, var_list)
            return list(zip(grads, var_list))

        def apply_gradients(self, grads_and_vars, global_step=None, name=None):
            updates = [v.assign_sub(g * self.learning_rate) for g, v in grads_and_vars
                       if g is not None]
            if not updates:
                raise ValueError("No gradients: the loss does not depend on any of the "
                                 "variables")
            if global_step is not None:
                updates.append(global_step.assign_add(1))
            return group(*updates, name=name or self.name)

        def minimize(self, loss, global_step=None, var_list=None, name=None):
            return self.apply_gradients(self.compute_gradients(loss, var_list), global_step,
                                        name)


train = _Train()


def constant_initializer(value=0):
    from ..training.initializers import Constant
    return Constant(value)


def zeros_initializer():
    from ..training.initializers import Zeros
    return Zeros()


def ones_initializer():
    from ..training.initializers import Ones
    return Ones()


# -- the rest of the tf namespace ---------------------------------------------------------------

def disable_v2_behavior():
    """TF-1 behaviour: graphs by default (here, what disable_eager_execution does)."""
    disable_eager_execution()


def enable_v2_behavior():
    enable_eager_execution()


def to_float(x, name="ToFloat"):
    """TF-1's tf.to_float: cast to float32."""
    from ..ops.math_ops import cast
    return cast(x, dtypes.float32, name=name)


def to_int32(x, name="ToInt32"):
    from ..ops.math_ops import cast
    return cast(x, dtypes.int32, name=name)


# TF-1 names of functions TF 2 moved (tf.compat.v1.random_normal is tf.random.normal, ...).
_V1_NAMES = {"random_normal": ("random", "normal"), "random_uniform": ("random", "uniform"),
             "truncated_normal": ("random", "truncated_normal"),
             "set_random_seed": ("random", "set_seed"), "div": ("math", "divide"),
             "log": ("math", "log")}

_TF = None  # the autotrace namespace, handed over by the package once it is complete


def expose_namespace(namespace):
    """Make all of autotrace reachable here, as TF's tf.compat.v1 holds all of tf beside the
    graph/session API (`tf.compat.v1.constant`, `tf.compat.v1.nn.relu`); the names defined
    in this module come first. Called by the package (this module cannot import it)."""
    global _TF
    _TF = namespace


def __getattr__(name):
    if _TF is not None and not name.startswith("__"):
        if name in _V1_NAMES:
            module, attr = _V1_NAMES[name]
            return getattr(getattr(_TF, module), attr)
        try:
            return getattr(_TF, name)
        except AttributeError:
            pass
    raise AttributeError("module 'autotrace.compat.v1' has no attribute %r" % name)


def __dir__():
    own = set(vars(sys.modules[__name__]))
    if _TF is None:
        return sorted(own)
    return sorted(own | set(_V1_NAMES) | {n for n in dir(_TF) if not n.startswith("_")})
