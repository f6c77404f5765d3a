"""Where things sit among a While op's inputs, in one place.

    inputs = [own loop variables..., stacks..., counter, captures..., max_iterations]
              \\________________ loop variables ____/

The loop variables come first: the loop's own, then, in a loop built for its gradient, one
accumulator stack per value the gradient needs and an iteration counter
(`accumulators.py`). Then the tensors the cond and body capture from the enclosing graph, and
the maximum number of iterations when there is one. The cond and the body take the loop
variables and the captures, in that order; the body returns the loop variables; the op
outputs the final loop variables.

The op's attributes say it: `n_vars` (all loop variables), `has_max`, and `stacks` (the number
of accumulator stacks; absent when the loop accumulates nothing).
"""

__all__ = ["WhileLayout"]


class WhileLayout:
    """The layout of one While op's inputs (see the module docstring)."""

    __slots__ = ("n_own", "n_stacks", "has_max")

    def __init__(self, n_own, has_max, n_stacks=0):
        self.n_own = n_own
        self.n_stacks = n_stacks
        self.has_max = bool(has_max)

    @classmethod
    def of(cls, op):
        return cls.from_attrs(op.attrs)

    @classmethod
    def from_attrs(cls, attrs):
        return cls.of_counts(attrs["n_vars"], attrs["has_max"], attrs.get("stacks") or 0)

    @classmethod
    def of_counts(cls, n_vars, has_max, stacks=0):
        """From the attributes: all loop variables, has_max, the number of stacks."""
        return cls(n_vars - (stacks + 1 if stacks else 0), has_max, stacks)

    @property
    def accumulating(self):
        return self.n_stacks > 0

    @property
    def n_vars(self):
        """All loop variables: the loop's own, the stacks and the counter."""
        return self.n_own + (self.n_stacks + 1 if self.n_stacks else 0)

    def attrs(self):
        """The op attributes that record this layout."""
        attrs = {"n_vars": self.n_vars, "has_max": self.has_max}
        if self.n_stacks:
            attrs["stacks"] = self.n_stacks
        return attrs

    def with_stacks(self, n_stacks):
        return WhileLayout(self.n_own, self.has_max, n_stacks)

    # -- reading inputs (of the op, its kernel or its emitter) -----------------------------
    def loop_vars(self, inputs):
        return list(inputs[:self.n_vars])

    def own_vars(self, inputs):
        return list(inputs[:self.n_own])

    def stacks(self, inputs):
        return list(inputs[self.n_own:self.n_own + self.n_stacks])

    def counter(self, inputs):
        return inputs[self.n_own + self.n_stacks] if self.n_stacks else None

    def captures(self, inputs):
        return list(inputs[self.n_vars:len(inputs) - self.has_max])

    def max_iterations(self, inputs):
        return inputs[-1] if self.has_max else None

    def subgraph_args(self, inputs):
        """What the cond and the body take: the loop variables, then the captures."""
        return list(inputs[:len(inputs) - self.has_max])

    def capture_position(self, j):
        """The position of capture `j` among the op's inputs."""
        return self.n_vars + j

    # -- building inputs -------------------------------------------------------------------
    def inputs(self, own, captures, max_iterations=None, stacks=(), counter=None):
        extra = list(stacks) + ([counter] if self.n_stacks else [])
        return list(own) + extra + list(captures) + ([max_iterations] if self.has_max else [])
