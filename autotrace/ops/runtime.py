"""The Runtime: where the state a graph reads and writes lives, outside the graph.

Kernels of ops declared with `uses_runtime=True` (variable reads and writes, random draws,
control flow running its sub-graphs) receive a Runtime as their first argument, and generated
code reaches it as `rt`. Three runtimes implement the one protocol, `Runtime`:
`EagerRuntime` (ops executed eagerly: variables hold their own values), `FunctionRuntime`
(compiled functions: one random stream per seeded op for the life of the ConcreteFunction;
its state can be snapshot and restored, for the differential check of generated code) and
compat.v1's Session (the values of graph variables are the session's).
"""
import abc

import numpy as np

from ..core.context import process

__all__ = ["Runtime", "EagerRuntime", "FunctionRuntime", "EAGER_RUNTIME", "cached_generator",
           "seeded_generator", "UNSEEDED_GENERATOR", "StateSnapshot"]


class Runtime(abc.ABC):
    """The protocol every runtime implements (and all that is asked of one)."""

    @abc.abstractmethod
    def read_variable(self, handle):
        """The value of the variable behind the resource `handle` (a NumPy value)."""

    @abc.abstractmethod
    def write_variable(self, handle, value):
        """Set the value of the variable behind `handle`."""

    @abc.abstractmethod
    def generator(self, seed, seed2, reuse_stream=True):
        """The NumPy Generator a random op with these seeds draws from."""


class EagerRuntime(Runtime):
    """State outside the graph for ops executed eagerly: variables hold their own values;
    random generators are shared per (global seed, op seed) pair, as TF's kernel cache."""

    def read_variable(self, handle):
        return handle.variable._read_eager_value()

    def write_variable(self, handle, value):
        handle.variable._write_eager_value(value)

    def generator(self, seed, seed2, reuse_stream=True):
        """The stream for a random op. Ops with an explicit op seed keep one stream per seed
        pair across eager calls; counter-derived seeds are used once, so are not kept."""
        if seed is not None and not reuse_stream:
            return seeded_generator(seed, seed2)
        return cached_generator(process.eager_generators, seed, seed2)


def cached_generator(generators, seed, seed2):
    """The stream kept in `generators` for (seed, seed2), made on first use; the shared
    unseeded stream when there is no seed. Every Runtime's `generator` comes down to this."""
    if seed is None:
        return UNSEEDED_GENERATOR
    gen = generators.get((seed, seed2))
    if gen is None:
        gen = generators[(seed, seed2)] = seeded_generator(seed, seed2)
    return gen


UNSEEDED_GENERATOR = np.random.default_rng()


def seeded_generator(seed, seed2):
    return np.random.Generator(np.random.Philox(key=[seed, seed2]))


EAGER_RUNTIME = EagerRuntime()


class FunctionRuntime(EagerRuntime):
    """Run-time state for compiled functions: variables are eager (they hold their values);
    each seeded random op keeps one stream for the life of the ConcreteFunction."""

    def __init__(self):
        self._generators = {}

    def read_variable(self, handle):
        variable = handle.variable
        if variable._graph is None:  # the common case, one call less on every read
            return variable._value
        return variable._read_eager_value()

    def generator(self, seed, seed2, reuse_stream=True):
        return cached_generator(self._generators, seed, seed2)

    def snapshot(self, variables):
        """The state a call may change: the values of `variables` and the random streams
        (this runtime's, and the shared unseeded one)."""
        return StateSnapshot(
            [(v, np.copy(v._read_eager_value())) for v in variables],
            {key: gen.bit_generator.state for key, gen in self._generators.items()},
            UNSEEDED_GENERATOR.bit_generator.state)

    def restore(self, snapshot):
        """Put back the state of `snapshot`: streams made since are forgotten, so a replay
        makes them again from their seeds."""
        for variable, value in snapshot.variables:
            variable._write_eager_value(np.copy(value))
        for key in list(self._generators):
            if key not in snapshot.streams:
                del self._generators[key]
        for key, gen in self._generators.items():
            gen.bit_generator.state = snapshot.streams[key]
        UNSEEDED_GENERATOR.bit_generator.state = snapshot.unseeded


class StateSnapshot:
    """Values of variables and states of random streams, taken by FunctionRuntime.snapshot."""

    __slots__ = ("variables", "streams", "unseeded")

    def __init__(self, variables, streams, unseeded):
        self.variables = variables  # [(Variable, NumPy value)]
        self.streams = streams      # (seed, seed2) -> bit generator state
        self.unseeded = unseeded
