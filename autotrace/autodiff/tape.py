"""GradientTape: records ops on watched tensors, then computes gradients in reverse.

Eagerly it records the ops it sees (with their values); inside a traced function it records
the graph ops being created, and `gradient` builds the gradient into the same graph.
Trainable variables are watched when they are read (unless watch_accessed_variables=False).

>>> import autotrace as tf
>>> w = tf.Variable(2.0)
>>> with tf.GradientTape() as tape:
...     loss = w * w + 3.0 * w
>>> float(tape.gradient(loss, w))
7.0
"""
import contextlib

from ..core import nest
from ..core.context import process, push_tape, remove_tape, state
from ..ops import array_ops
from ..ops.constant_op import convert_to_tensor
from ..core.tensor import Tensor
from ..core.type_spec import CompositeTensor
from .backprop import aggregate, backprop, differentiable

__all__ = ["GradientTape", "UnconnectedGradients"]


class UnconnectedGradients:
    """What `gradient` returns for a source the target does not depend on."""
    NONE = "none"
    ZERO = "zero"


def _variable_of(handle):
    from ..ops.state_ops import variable_of
    return variable_of(handle)


def _trainable_variable(t):
    """The trainable Variable behind the resource tensor `t`, or None."""
    if t.dtype._kind != "r":
        return None
    variable = _variable_of(t)
    return variable if variable is not None and variable.trainable else None


class GradientTape:
    """Record operations for automatic differentiation.

    Args:
      persistent: allow several `gradient` calls (the records are kept).
      watch_accessed_variables: watch trainable variables automatically when read.
    """

    def __init__(self, persistent=False, watch_accessed_variables=True):
        self._persistent = persistent
        self._watch_accessed = watch_accessed_variables
        self._ops = []
        self._watched = set()         # ids of tensors gradients flow from
        self._keep = []               # references keeping watched tensors (and their ids) alive
        self._variables = {}          # id(variable) -> (variable, handle tensor)
        self._graph = None
        self._used = False
        self._recording = False

    # -- context ---------------------------------------------------------------------------
    def __enter__(self):
        self._graph = state.graph
        self._push()
        return self

    def __exit__(self, *exc):
        self._pop()
        return False

    def _push(self):
        if not self._recording:
            push_tape(self)
            self._recording = True

    def _pop(self):
        if self._recording:
            remove_tape(self)
            self._recording = False

    @contextlib.contextmanager
    def stop_recording(self):
        """Ops run inside are not recorded by this tape."""
        was = self._recording
        self._pop()
        try:
            yield
        finally:
            if was:
                self._push()

    def reset(self):
        """Forget everything recorded so far (watched variables included)."""
        self._release()
        self._variables.clear()

    def _release(self):
        """Drop the records once a non-persistent tape has given its gradients; the watched
        variables stay listed (watched_variables() still shows them, as in TF)."""
        self._ops.clear()
        self._watched.clear()
        self._keep.clear()

    # -- watching --------------------------------------------------------------------------
    def watch(self, tensor):
        """Watch tensors (or variables): gradients can be taken with respect to them."""
        for t in _gradient_leaves(nest.flatten(tensor)):
            if getattr(t, "_autotrace_variable", False):
                self._watch_variable(t, self._handle(t))
            elif isinstance(t, Tensor):
                if not differentiable(t):
                    continue  # integers carry no gradient (TF logs a warning and skips too)
                self._watched.add(id(t))
                self._keep.append(t)
            else:
                raise TypeError("GradientTape.watch expects tensors or variables, got %r" % (t,))

    def _handle(self, variable):
        graph = self._graph
        return variable._handle if graph is None else graph.variable_handle(variable)

    def _watch_variable(self, variable, handle):
        if id(variable) not in self._variables:
            self._variables[id(variable)] = (variable, handle)
        self._watched.add(id(handle))
        self._keep.append(handle)

    def watched_variables(self):
        """The variables this tape watches, in the order they were first watched."""
        return tuple(v for v, _ in self._variables.values())

    # -- recording -------------------------------------------------------------------------
    def _record(self, op):
        if getattr(op, "graph", None) is not self._graph:
            return  # ops of other graphs (e.g. cond branches) are recorded as their op
        if self._watch_accessed:
            for t in op.inputs:
                variable = _trainable_variable(t)
                if variable is not None:
                    self._watch_variable(variable, t)
        if any(id(t) in self._watched for t in op.inputs):
            self._ops.append(op)
            for out in op.outputs:
                self._watched.add(id(out))

    def _would_record(self, graph, inputs):
        """Would `_record` keep an op of `graph` over `inputs`? (Asked before it is built.)"""
        if graph is not self._graph:
            return False
        for t in inputs:
            if id(t) in self._watched:
                return True
            if self._watch_accessed and _trainable_variable(t) is not None:
                return True
        return False

    # -- gradients -------------------------------------------------------------------------
    def gradient(self, target, sources, output_gradients=None,
                 unconnected_gradients=UnconnectedGradients.NONE):
        """d(sum of target) / d(sources), in the structure of `sources`.

        `output_gradients` weights the targets (default: ones); `unconnected_gradients`
        is 'none' (None for unconnected sources) or 'zero'."""
        if self._used and not self._persistent:
            raise RuntimeError("A non-persistent GradientTape can only be used to compute one "
                               "set of gradients (or jacobians); use "
                               "GradientTape(persistent=True) to call gradient() several times")
        self._used = True
        if unconnected_gradients not in (UnconnectedGradients.NONE, UnconnectedGradients.ZERO):
            raise ValueError("unconnected_gradients must be 'none' or 'zero', got %r"
                             % (unconnected_gradients,))
        # A Variable as a target stands for its handle, as a source does: the gradient of
        # a variable with respect to itself is ones (TF: `r = v0` chosen by an `if`).
        targets = [self._source_tensor(t) if getattr(t, "_autotrace_variable", False)
                   else _as_tensor(t) for t in _gradient_leaves(nest.flatten(target))]
        composite_sources = nest.flatten(sources)
        flat_sources = _gradient_leaves(composite_sources)
        source_tensors = [self._source_tensor(s) for s in flat_sources]
        if output_gradients is not None:
            output_gradients = _gradient_leaves(nest.flatten(output_gradients))
        seeds = self._seeds(targets, output_gradients)
        # A tensor the tape never watched (nor computed from a watched one) has no gradient,
        # even when it is an input of a recorded op (but a target is its own gradient).
        tracked = {id(t) for t in source_tensors if id(t) in self._watched or id(t) in seeds}
        with self.stop_recording():
            grads = backprop(self._ops, seeds, tracked, aggregate, keep_sparse=True)
            results = [self._result(grads.get(id(t)) if id(t) in tracked else None, s, t,
                                    unconnected_gradients)
                       for s, t in zip(flat_sources, source_tensors)]
        if process.check_generated_code and self._graph is not None:
            self._graph.verify()  # the test suite's check: gradients keep the graph sound
        if not self._persistent:
            self._release()
        return nest.pack_sequence_as(sources, _regroup_gradients(composite_sources, results))

    def _source_tensor(self, source):
        if getattr(source, "_autotrace_variable", False):
            found = self._variables.get(id(source))
            return found[1] if found is not None else self._handle(source)
        if isinstance(source, Tensor):
            return source
        raise TypeError("GradientTape.gradient: sources must be tensors or variables, got %r"
                        % (source,))

    def _seeds(self, targets, output_gradients):
        seeds = {}
        given = nest.flatten(output_gradients) if output_gradients is not None else \
            [None] * len(targets)
        if len(given) != len(targets):
            raise ValueError("output_gradients has %d entries for %d targets"
                             % (len(given), len(targets)))
        for t, g in zip(targets, given):
            if not differentiable(t):
                continue
            if t.dtype._kind == "r":  # a variable's handle: the gradient of its value
                variable = _variable_of(t)
                seed = array_ops.ones(variable.shape.as_list(), variable.dtype) if g is None \
                    else convert_to_tensor(g, variable.dtype)
            else:
                seed = array_ops.ones_like(t) if g is None else convert_to_tensor(g, t.dtype)
            seeds[id(t)] = seed if id(t) not in seeds else aggregate([seeds[id(t)], seed], t)
        return seeds

    @staticmethod
    def _result(grad, source, tensor, unconnected):
        if grad is None:
            if unconnected == UnconnectedGradients.ZERO:
                value = source.read_value() if getattr(source, "_autotrace_variable",
                                                       False) else tensor
                return array_ops.zeros_like(value)
            return None
        return grad

    def jacobian(self, target, sources, unconnected_gradients=UnconnectedGradients.NONE,
                 parallel_iterations=None, experimental_use_pfor=True):
        """The full Jacobian: shape target.shape + source.shape, for each source."""
        target = _as_tensor(target)
        size = target.shape.num_elements()
        if size is None:
            raise ValueError("jacobian needs a target of fully known shape, got %s"
                             % target.shape)
        flat_sources = nest.flatten(sources)
        rows = [[] for _ in flat_sources]
        persistent, self._persistent = self._persistent, True
        try:
            for i in range(size):
                weight = array_ops.reshape(array_ops.one_hot(i, size, dtype=target.dtype),
                                           target.shape.as_list())
                grads = nest.flatten(self.gradient(target, flat_sources, weight,
                                                   unconnected_gradients))
                for row, g, s in zip(rows, grads, flat_sources):
                    row.append(g if g is not None else None)
        finally:
            self._persistent = persistent
        result = []
        for row, s in zip(rows, flat_sources):
            if all(g is None for g in row):
                result.append(None)
                continue
            shape = _shape_of(s)
            stacked = array_ops.stack([g if g is not None else array_ops.zeros(shape, target.dtype)
                                       for g in row])
            result.append(array_ops.reshape(stacked, target.shape.as_list() + list(shape)))
        if not self._persistent:
            self._release()
        return nest.pack_sequence_as(sources, result)

    def batch_jacobian(self, target, source, unconnected_gradients=UnconnectedGradients.NONE,
                       parallel_iterations=None, experimental_use_pfor=True):
        """Per-example Jacobians: target [b, ...] and source [b, ...] give [b, t..., s...],
        assuming example i of the target depends only on example i of the source."""
        target = _as_tensor(target)
        if target.shape.rank is None or not target.shape[1:].is_fully_defined():
            raise ValueError("batch_jacobian needs a target with known non-batch dimensions")
        inner = target.shape[1:].as_list()
        n = int(_prod(inner))
        persistent, self._persistent = self._persistent, True
        columns = []
        try:
            for j in range(n):  # weight example-wise output element j of every example
                unit = array_ops.reshape(array_ops.one_hot(j, n, dtype=target.dtype), [1] + inner)
                weight = array_ops.broadcast_to(unit, array_ops.shape(target))
                columns.append(self.gradient(target, source, weight, unconnected_gradients))
        finally:
            self._persistent = persistent
        if all(c is None for c in columns):
            return None
        stacked = array_ops.stack(columns, axis=1)           # [b, n, source dims...]
        source_inner = _shape_of(source)[1:]
        result = array_ops.reshape(stacked, [-1] + inner + list(source_inner))
        if not self._persistent:
            self._release()
        return result


def _gradient_leaves(flat):
    """Composite tensors (RaggedTensor, SparseTensor) stand for the components gradients flow
    through (their values)."""
    out = []
    for x in flat:
        if isinstance(x, CompositeTensor):
            out.extend(x._gradient_components())
        else:
            out.append(x)
    return out


def _regroup_gradients(sources, grads):
    """One gradient per source: a composite source gets a composite gradient (e.g. a ragged
    tensor's gradient is a ragged tensor of the same rows), or None."""
    out, it = [], iter(grads)
    for source in sources:
        if isinstance(source, CompositeTensor):
            parts = [next(it) for _ in source._gradient_components()]
            out.append(None if all(p is None for p in parts)
                       else source._with_gradient_components(parts))
        else:
            out.append(next(it))
    return out


def recorded(inputs):
    """Will an active tape record the op about to be built over `inputs` in the graph being
    built (so that its gradient may be asked)? Control flow builds what its gradient needs
    into an op (a loop's accumulators) only then."""
    graph = state.graph
    return any(tape._would_record(graph, inputs) for tape in state.tapes)


def _as_tensor(value):
    if getattr(value, "_autotrace_variable", False):
        return value.read_value()
    return convert_to_tensor(value)


def _shape_of(source):
    shape = source.shape
    if not shape.is_fully_defined():
        raise ValueError("jacobian needs sources of fully known shape, got %s" % shape)
    return shape.as_list()


def _prod(dims):
    result = 1
    for d in dims:
        result *= d
    return result
