"""InputSpec: what a layer accepts (rank, dtype, sizes of some axes), checked on every call
before `build` and again after it (build may set the spec from the first input), with an
error naming the layer, what it expected and what it got.

>>> from autotrace import keras
>>> spec = keras.InputSpec(ndim=2, axes={-1: 3})
>>> spec
InputSpec(ndim=2, axes={-1: 3})
"""
from ...core import nest
from .. import backend

__all__ = ["InputSpec", "assert_input_compatibility"]


class InputSpec:
    """Expectations about one input: dtype, full shape, ndim (exact, min, max), sizes of
    given axes. `allow_last_axis_squeeze` accepts a trailing axis of size 1 or its
    absence."""

    def __init__(self, dtype=None, shape=None, ndim=None, max_ndim=None, min_ndim=None,
                 axes=None, allow_last_axis_squeeze=False, name=None, optional=False):
        self.dtype = backend.standardize_dtype(dtype) if dtype is not None else None
        if shape is not None:
            self.shape = backend.standardize_shape(shape)
            self.ndim = len(self.shape)
        else:
            self.shape, self.ndim = None, ndim
        self.max_ndim, self.min_ndim = max_ndim, min_ndim
        self.name, self.optional = name, optional
        self.allow_last_axis_squeeze = allow_last_axis_squeeze
        try:
            self.axes = {int(k): v for k, v in (axes or {}).items()}
        except (ValueError, TypeError, AttributeError):
            raise TypeError("Argument `axes` must be a dict with integer keys. Received: "
                            "axes=%s" % (axes,)) from None
        if self.axes and (self.ndim is not None or self.max_ndim is not None):
            max_dim = (self.ndim if self.ndim else self.max_ndim) - 1
            if max(self.axes) > max_dim:
                raise ValueError("Axis %d is greater than the maximum allowed value: %d"
                                 % (max(self.axes), max_dim))

    def __repr__(self):
        parts = [("dtype", self.dtype), ("shape", self.shape), ("ndim", self.ndim),
                 ("max_ndim", self.max_ndim), ("min_ndim", self.min_ndim),
                 ("axes", self.axes)]
        return "InputSpec(%s)" % ", ".join("%s=%s" % (k, v) for k, v in parts if v)

    def get_config(self):
        return {"dtype": self.dtype, "shape": self.shape, "ndim": self.ndim,
                "max_ndim": self.max_ndim, "min_ndim": self.min_ndim, "axes": self.axes}

    @classmethod
    def from_config(cls, config):
        return cls(**config)


def _incompatible(index, spec, layer_name, what):
    return ValueError("Input %d with name '%s' of layer '%s' is incompatible with the layer: "
                      "%s" % (index, spec.name, layer_name, what))


def _check_one(index, x, spec, layer_name):
    if not hasattr(x, "shape"):
        raise ValueError("Inputs to a layer should be tensors. Got '%s' (of type %s) as input "
                         "for layer '%s'." % (x, type(x), layer_name))
    shape = backend.standardize_shape(x.shape)
    ndim = len(shape)
    if spec.ndim is not None and not spec.allow_last_axis_squeeze and ndim != spec.ndim:
        raise _incompatible(index, spec, layer_name, "expected ndim=%d, found ndim=%d. Full "
                            "shape received: %s" % (spec.ndim, ndim, shape))
    if spec.max_ndim is not None and ndim > spec.max_ndim:
        raise _incompatible(index, spec, layer_name, "expected max_ndim=%d, found ndim=%d"
                            % (spec.max_ndim, ndim))
    if spec.min_ndim is not None and ndim < spec.min_ndim:
        raise _incompatible(index, spec, layer_name, "expected min_ndim=%d, found ndim=%d. "
                            "Full shape received: %s" % (spec.min_ndim, ndim, shape))
    if spec.dtype is not None and backend.standardize_dtype(x.dtype) != spec.dtype:
        raise _incompatible(index, spec, layer_name, "expected dtype=%s, found dtype=%s"
                            % (spec.dtype, backend.standardize_dtype(x.dtype)))
    for axis, value in spec.axes.items():
        if value is not None and -ndim <= axis < ndim and shape[axis] not in (value, None):
            raise _incompatible(index, spec, layer_name, "expected axis %d of input shape to "
                                "have value %s, but received input with shape %s"
                                % (axis, value, shape))
    if spec.shape is not None:
        spec_shape = spec.shape
        if spec.allow_last_axis_squeeze:
            shape = shape[:-1] if shape and shape[-1] == 1 else shape
            spec_shape = spec_shape[:-1] if spec_shape and spec_shape[-1] == 1 else spec_shape
        for want, got in zip(spec_shape, shape):
            if want is not None and got is not None and want != got:
                raise _incompatible(index, spec, layer_name, "expected shape=%s, found "
                                    "shape=%s" % (spec.shape, shape))


def assert_input_compatibility(input_spec, inputs, layer_name):
    """Raise a ValueError naming the layer if `inputs` do not fit `input_spec`."""
    if not input_spec:
        return
    specs = nest.flatten(input_spec)
    if isinstance(inputs, dict) and all(spec.name for spec in specs):
        missing = [spec.name for spec in specs if spec.name not in inputs]
        if missing:
            raise ValueError('Missing data for input "%s". You passed a data dictionary with '
                             'keys %s. Expected the following keys: %s'
                             % (missing[0], list(inputs), [s.name for s in specs]))
        inputs = [inputs[spec.name] for spec in specs]
    flat = nest.flatten(inputs)
    if len(flat) != len(specs):
        raise ValueError('Layer "%s" expects %d input(s), but it received %d input tensors. '
                         'Inputs received: %s' % (layer_name, len(specs), len(flat), flat))
    for index, (x, spec) in enumerate(zip(flat, specs)):
        if spec is None or (x is None and spec.optional):
            continue
        _check_one(index, x, spec, layer_name)
