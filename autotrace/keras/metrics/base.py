"""The streaming Metric API: state variables updated batch after batch.

    metric = keras.metrics.Mean()
    metric.update_state([1.0, 2.0])       # or metric([1.0, 2.0]), which also returns result()
    metric.result()                       # the value over everything seen since reset_state()
    metric.reset_state()

A custom metric subclasses Metric: its state comes from `add_variable`/`add_weight` in
`__init__`, `update_state` assigns to it (with autotrace ops, so it also runs inside a
traced function), `result` computes from it.
"""
from ...ops import array_ops, math_ops
from .. import backend, initializers
from ..engine.state import layer_scope
from ..engine.variables import KerasVariable
from ..losses import as_tensor, same_rank
from ..serialization import serialize_keras_object

__all__ = ["Metric", "Mean", "Sum", "MeanMetricWrapper"]


class Metric:
    """Base class of metrics. See the module docstring."""

    _keras_module = "keras.metrics"
    _is_keras_metric = True

    def __init__(self, dtype=None, name=None):
        self.name = name or backend.to_snake_case(type(self).__name__)
        self._dtype = backend.standardize_dtype(dtype) if dtype is not None \
            else backend.floatx()
        self._variables = []

    @property
    def dtype(self):
        return self._dtype

    @property
    def variables(self):
        return list(self._variables)

    def add_variable(self, shape=(), initializer=None, dtype=None, aggregation="sum",
                     name=None):
        """A state variable (non-trainable), zero by default."""
        with layer_scope(self):
            variable = KerasVariable(initializers.get(initializer or "zeros"), shape,
                                     dtype or self._dtype, trainable=False,
                                     aggregation=aggregation, name=name or "variable")
        self._variables.append(variable)
        return variable

    def add_weight(self, *args, shape=(), initializer=None, dtype=None, name=None, **kwargs):
        """add_variable, also accepting Keras 2's add_weight(name, shape, ...) order."""
        if args and isinstance(args[0], str):
            name, args = args[0], args[1:]
        if args:
            shape, args = args[0], args[1:]
        if args:
            raise TypeError("add_weight() takes at most (name, shape) positionally")
        return self.add_variable(shape=shape, initializer=initializer, dtype=dtype, name=name,
                                 aggregation=kwargs.get("aggregation", "sum"))

    def update_state(self, *args, **kwargs):
        raise NotImplementedError("%s must implement update_state()" % type(self).__name__)

    def result(self):
        raise NotImplementedError("%s must implement result()" % type(self).__name__)

    def reset_state(self):
        """Set every state variable back to zero."""
        for v in self._variables:
            v.assign(math_ops.cast(0, v.dtype) * v.read_value())

    def reset_states(self):
        """Keras 2's name of reset_state."""
        self.reset_state()

    def __call__(self, *args, **kwargs):
        """update_state(...), then return result()."""
        self.update_state(*args, **kwargs)
        return self.result()

    def get_config(self):
        return {"name": self.name, "dtype": self._dtype}

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def __repr__(self):
        return "<%s name=%s>" % (type(self).__name__, self.name)

    __str__ = __repr__


class _Reduce(Metric):
    """Weighted sum (and count) of the values it sees."""

    reduction = "sum"

    def __init__(self, name=None, dtype=None):
        super().__init__(dtype=dtype, name=name)
        self.total = self.add_variable(name="total")
        if self.reduction != "sum":
            self.count = self.add_variable(name="count")

    def update_state(self, values, sample_weight=None):
        values = as_tensor(values, self._dtype)
        if sample_weight is not None:
            weights = same_rank(values, as_tensor(sample_weight, self._dtype))
            weights = weights * array_ops.ones_like(values)
            values = values * weights
        self.total.assign_add(math_ops.reduce_sum(values))
        if self.reduction != "sum":
            count = math_ops.reduce_sum(weights) if sample_weight is not None else \
                math_ops.cast(array_ops.size(values), self._dtype)
            self.count.assign_add(count)

    def result(self):
        if self.reduction == "sum":
            return math_ops.cast(self.total, self._dtype)
        return math_ops.div_no_nan(self.total, self.count)


class Sum(_Reduce):
    """The (weighted) sum of all values seen."""


class Mean(_Reduce):
    """The (weighted) mean of all values seen."""

    reduction = "mean"


class MeanMetricWrapper(Mean):
    """The mean of `fn(y_true, y_pred, **kwargs)` over everything seen (accuracy, losses
    used as metrics...)."""

    def __init__(self, fn, name=None, dtype=None, **kwargs):
        super().__init__(name=name, dtype=dtype)
        self._fn, self._fn_kwargs = fn, kwargs

    def update_state(self, y_true, y_pred, sample_weight=None):
        mask = getattr(y_pred, "_keras_mask", None)
        values = self._fn(y_true, y_pred, **self._fn_kwargs)
        if mask is not None:
            mask = math_ops.cast(mask, self._dtype)
            sample_weight = mask if sample_weight is None else \
                mask * as_tensor(sample_weight, self._dtype)
        super().update_state(values, sample_weight)

    def get_config(self):
        config = super().get_config()
        if type(self) is MeanMetricWrapper:
            config["fn"] = serialize_keras_object(self._fn)
        config.update({k: v for k, v in self._fn_kwargs.items()})
        return config
