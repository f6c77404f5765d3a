"""Learning-rate schedules: callables from the optimizer's step to a learning rate.

>>> schedule = ExponentialDecay(0.1, decay_steps=10, decay_rate=0.5)
>>> float(schedule(20))
0.025
"""
from ..ops import math_ops
from ..ops.constant_op import convert_to_tensor

__all__ = ["LearningRateSchedule", "ExponentialDecay", "PiecewiseConstantDecay",
           "InverseTimeDecay"]


class LearningRateSchedule:
    def __call__(self, step):
        raise NotImplementedError

    def get_config(self):
        return {}


def _float_step(step, like):
    return math_ops.cast(convert_to_tensor(step), like.dtype)


class _StepDecay(LearningRateSchedule):
    """A decay driven by step / decay_steps (floored if staircase): the shared part of the
    exponential and inverse-time schedules."""

    def __init__(self, initial_learning_rate, decay_steps, decay_rate, staircase=False,
                 name=None):
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps, self.decay_rate, self.staircase = decay_steps, decay_rate, staircase

    def __call__(self, step):
        initial = convert_to_tensor(self.initial_learning_rate)
        p = _float_step(step, initial) / math_ops.cast(self.decay_steps, initial.dtype)
        if self.staircase:
            p = math_ops.floor(p)
        return self._decay(initial, math_ops.cast(self.decay_rate, initial.dtype), p)


class ExponentialDecay(_StepDecay):
    """initial_learning_rate * decay_rate ** (step / decay_steps) (floored if staircase)."""

    def __init__(self, initial_learning_rate, decay_steps, decay_rate, staircase=False,
                 name=None):
        if decay_steps <= 0:
            raise ValueError("ExponentialDecay: decay_steps must be > 0, got %r" % decay_steps)
        super().__init__(initial_learning_rate, decay_steps, decay_rate, staircase, name)

    @staticmethod
    def _decay(initial, rate, p):
        return initial * math_ops.pow(rate, p)

    def get_config(self):
        return {"initial_learning_rate": self.initial_learning_rate,
                "decay_steps": self.decay_steps, "decay_rate": self.decay_rate,
                "staircase": self.staircase}


class InverseTimeDecay(_StepDecay):
    """initial_learning_rate / (1 + decay_rate * step / decay_steps)."""

    @staticmethod
    def _decay(initial, rate, p):
        return initial / (1 + rate * p)


class PiecewiseConstantDecay(LearningRateSchedule):
    """values[i] while step <= boundaries[i] (values[-1] after the last boundary)."""

    def __init__(self, boundaries, values, name=None):
        if len(values) != len(boundaries) + 1:
            raise ValueError("PiecewiseConstantDecay needs one more value than boundaries")
        self.boundaries, self.values = list(boundaries), list(values)

    def __call__(self, step):
        step = convert_to_tensor(step)
        result = convert_to_tensor(self.values[-1])
        for boundary, value in reversed(list(zip(self.boundaries, self.values))):
            from ..ops.array_ops import where
            result = where(step <= math_ops.cast(boundary, step.dtype),
                           convert_to_tensor(value, result.dtype), result)
        return result
