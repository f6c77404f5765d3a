"""The differential check (`autotrace.config.check_generated_code(True)`, on in the test
suite): each call of a compiled function is run again by the reference interpreter on the
traced, unoptimised graph, and both must agree.

A call with side effects is checked too when its effects can be replayed: the state it may
change (the function's variables, its random streams) is snapshot before the compiled call,
put back for the interpreter's run, and the two runs must leave the same variable values;
the compiled call's state is what the program keeps. Ops whose effect is elsewhere (printing,
calling Python, raising from an assertion) cannot run twice unseen, so a graph holding one is
not checked.
"""
import threading

import numpy as np

from ..execution.interpreter import run_graph
from ..ops.registry import recomputable

__all__ = ["call_checked", "replayable"]

# Checked calls run one at a time: a replay puts variables back to their values before the
# call, which must not undo another thread's call in between.
_LOCK = threading.RLock()


def call_checked(cf, leaves):
    """Call the compiled function of `cf`, then check the call against the interpreter."""
    if cf._replayable is None:
        cf._replayable = replayable(cf.graph)
    if not cf._replayable:  # not checked: no lock (its call may wait on another thread's,
        return cf._run(leaves)  # e.g. a dataset's prefetch thread running a map function)
    with _LOCK:
        before = cf._runtime.snapshot(cf.variables)
        results = cf._run(leaves)
        check_against_reference(cf, leaves, results, before)
    return results


def replayable(graph):
    """May a call of `graph` run a second time under the check?"""
    return all(_replayable_op(op) for op in graph.stateful_ops)


def _replayable_op(op):
    opdef = op.opdef
    if opdef.subgraphs is not None:  # cond / while: what their sub-graphs do
        return all(_replayable_op(inner) for _, sub in opdef.subgraphs(op)
                   for inner in sub.stateful_ops)
    # Effects on the runtime's state are snapshot; recomputable ones (TensorArray writes)
    # are pure.
    return opdef.uses_runtime or recomputable(op)


def check_against_reference(cf, leaves, results, before):
    """Run the traced graph of `cf` with the interpreter from the state `before` the compiled
    call; raise AssertionError unless outputs and resulting variables agree."""
    if any(v is None for v in leaves):
        return
    runtime = cf._runtime
    after = runtime.snapshot(cf.variables)
    runtime.restore(before)
    try:
        graph = cf.graph
        feeds = {id(ph): v for ph, v in zip(graph.inputs, leaves)}
        expected = run_graph(list(graph.outputs) + list(graph.stateful_ops), feeds, runtime)
        for i, (want, got) in enumerate(zip(expected, results)):
            _assert_same_value(cf.name, "output %d" % i, want, got)
        for variable, got in after.variables:
            _assert_same_value(cf.name, "variable %s" % variable.name,
                               variable._read_eager_value(), got)
    finally:
        runtime.restore(after)


def _assert_same_value(name, what, want, got):
    want, got = np.asarray(want), np.asarray(got)
    same = (want.shape == got.shape and want.dtype == got.dtype and
            (np.array_equal(want, got, equal_nan=want.dtype.kind in "fc")
             if want.dtype.kind != "O" else want.tolist() == got.tolist()))
    if not same:
        raise AssertionError(
            "generated code of %s disagrees with the reference interpreter on %s:\n"
            "interpreter: %r\ngenerated:   %r" % (name, what, want, got))
