"""tf.data.Options: settings carried by a dataset and merged from its inputs.

Options are typed: an unknown name is an AttributeError, a value of the wrong type a
TypeError (as in TensorFlow). Options left unset (None) take their defaults. autotrace uses
`deterministic` (parallel map order); the others are kept for compatibility.

>>> import autotrace as tf
>>> options = tf.data.Options()
>>> options.deterministic = False
>>> tf.data.Dataset.range(3).with_options(options).options().deterministic
False
"""
from .dataset import Dataset

__all__ = ["Options", "ThreadingOptions", "AutotuneOptions", "OptimizationOptions",
           "DistributeOptions", "AutoShardPolicy", "options_of", "with_options"]


class AutoShardPolicy:
    OFF, AUTO, FILE, DATA, HINT = -1, 0, 1, 2, 3


class _OptionsBase:
    """Typed option fields: `_FIELDS` maps a name to (type, default); groups of options
    are nested _OptionsBase objects."""

    _FIELDS = {}
    _GROUPS = {}

    def __init__(self):
        object.__setattr__(self, "_values", {})
        for name, cls in self._GROUPS.items():
            self._values[name] = cls()

    def __getattr__(self, name):
        values = object.__getattribute__(self, "_values")
        if name in values:
            return values[name]
        if name in self._FIELDS:
            return self._FIELDS[name][1]
        raise AttributeError("%s has no option %r" % (type(self).__name__, name))

    def __setattr__(self, name, value):
        if name in self._GROUPS:
            raise AttributeError("Cannot replace the option group %r on %s; set its fields"
                                 % (name, type(self).__name__))
        if name not in self._FIELDS:
            raise AttributeError("Cannot set the property %s on %s." % (name,
                                                                         type(self).__name__))
        kind = self._FIELDS[name][0]
        if value is not None and not isinstance(value, kind) or \
                (kind is int and isinstance(value, bool)):
            raise TypeError('Property "%s" must be of type %s, got: %r (type: %s)'
                            % (name, kind, value, type(value)))
        self._values[name] = value

    def _merged(self, other):
        """Fields set here win over `other`'s (used to combine a dataset's options with its
        inputs')."""
        result = type(self)()
        for name in self._FIELDS:
            mine = self._values.get(name)
            theirs = other._values.get(name)
            if mine is not None or theirs is not None:
                result._values[name] = mine if mine is not None else theirs
        for name in self._GROUPS:
            result._values[name] = self._values[name]._merged(other._values[name])
        return result

    def __eq__(self, other):
        return type(other) is type(self) and self._values == other._values

    def __repr__(self):
        set_fields = {k: v for k, v in self._values.items()
                      if not isinstance(v, _OptionsBase)}
        return "%s(%s)" % (type(self).__name__, ", ".join("%s=%r" % kv
                                                          for kv in set_fields.items()))


class ThreadingOptions(_OptionsBase):
    _FIELDS = {"max_intra_op_parallelism": (int, None), "private_threadpool_size": (int, None)}


class AutotuneOptions(_OptionsBase):
    _FIELDS = {"enabled": (bool, None), "cpu_budget": (int, None), "ram_budget": (int, None),
               "autotune_algorithm": (int, None), "initial_parallelism": (int, None),
               "min_parallelism": (int, None)}


class OptimizationOptions(_OptionsBase):
    _FIELDS = {name: (bool, None) for name in (
        "apply_default_optimizations", "filter_fusion", "filter_parallelization",
        "inject_prefetch", "map_and_batch_fusion", "map_and_filter_fusion", "map_fusion",
        "map_parallelization", "noop_elimination", "parallel_batch",
        "seq_interleave_prefetch", "shuffle_and_repeat_fusion")}


class DistributeOptions(_OptionsBase):
    _FIELDS = {"auto_shard_policy": (int, None), "num_devices": (int, None)}


class Options(_OptionsBase):
    """Options of a dataset (see the module docstring)."""

    _FIELDS = {"deterministic": (bool, None), "experimental_deterministic": (bool, None),
               "experimental_slack": (bool, None), "experimental_external_state_policy":
               (int, None), "experimental_symbolic_checkpoint": (bool, None),
               "experimental_warm_start": (bool, None), "dataset_name": (str, None),
               "framework_type": (list, None)}
    _GROUPS = {"threading": ThreadingOptions, "autotune": AutotuneOptions,
               "experimental_optimization": OptimizationOptions,
               "experimental_distribute": DistributeOptions}

    @property
    def experimental_threading(self):
        return self.threading

    def merge(self, options):
        """These options with `options`' set fields added (ours win)."""
        return self._merged(options)


class OptionsDataset(Dataset):
    _op_type = "OptionsDataset"
    _method = "with_options"

    def __init__(self, input_dataset, options):
        if not isinstance(options, Options):
            raise TypeError("Dataset.with_options expects autotrace.data.Options, got %r"
                            % (options,))
        super().__init__(input_dataset.element_spec, (input_dataset,))
        self._options = options

    def _cardinality(self):
        return self._inputs[0]._cardinality()

    def _index_plan(self):
        return self._inputs[0]._index_plan()

    def _elements(self):
        return self._inputs[0]._elements()


def options_of(dataset):
    """The options of `dataset`: its own (if it sets any) over its inputs', nearest
    first."""
    result = Options()
    stack = [dataset]
    while stack:
        node = stack.pop()
        own = getattr(node, "_options", None)
        if own is not None:
            result = result._merged(own)
        stack.extend(reversed(node._inputs))
    return result


def with_options(dataset, options):
    from .graph_ops import build
    return build(OptionsDataset, dataset, options)
