"""How a layer's call is made: what its `call` signature accepts, the shapes `build`
receives, masks carried by inputs, the constructor arguments kept for `get_config`."""
import inspect
import warnings

from ...core import nest
from ...core.tensor import Tensor
from .keras_tensor import KerasTensor

__all__ = ["CallInfo", "auto_config", "input_shape_arg", "shapes_for_build",
           "keras_tensors_for", "mask_of"]


class CallInfo:
    """What a class's `call` signature accepts, computed once per class."""

    def __init__(self, call):
        signature = inspect.signature(call)
        params = list(signature.parameters.values())
        self.signature = signature
        self.names = [p.name for p in params]
        self.has_training = "training" in self.names
        self.has_mask = "mask" in self.names
        self.has_var_kwargs = any(p.kind is p.VAR_KEYWORD for p in params)
        self.training_default = signature.parameters["training"].default \
            if self.has_training else None
        if self.training_default is inspect.Parameter.empty:
            self.training_default = None
        positional = [p for p in params if p.kind in (p.POSITIONAL_ONLY,
                                                      p.POSITIONAL_OR_KEYWORD)]
        self.first_arg = positional[0].name if positional else None


def auto_config(cls, args, kwargs):
    """The constructor arguments, kept for the default get_config of custom layers (None if
    they cannot be replayed: positional-only or *args)."""
    try:
        bound = inspect.signature(cls.__init__).bind(None, *args, **kwargs)
    except TypeError:
        return None
    bound.apply_defaults()
    config = {}
    for name, value in list(bound.arguments.items())[1:]:
        param = bound.signature.parameters[name]
        if param.kind is param.VAR_POSITIONAL:
            if value:
                return None
        elif param.kind is param.VAR_KEYWORD:
            config.update(value)
        elif param.kind is param.POSITIONAL_ONLY:
            return None
        else:
            config[name] = value
    config.pop("name", None)
    return config


def input_shape_arg(input_shape, input_dim, batch_input_shape, batch_size):
    if input_dim is not None:
        input_shape = (input_dim,)
    if batch_input_shape is not None:
        return tuple(batch_input_shape)[1:]
    if input_shape is not None:
        warnings.warn("Do not pass an `input_shape`/`input_dim` argument to a layer. When "
                      "using Sequential models, prefer using an `Input(shape)` object as the "
                      "first layer in the model instead.", UserWarning, stacklevel=4)
        return tuple(input_shape)
    return None


def _shape_of(x):
    if isinstance(x, (Tensor, KerasTensor)) or hasattr(x, "_autotrace_variable"):
        shape = x.shape
        return tuple(shape.as_list()) if hasattr(shape, "as_list") else tuple(shape)
    return None


def shapes_for_build(layer, args, kwargs):
    """Keyword arguments for `build`: the first input's shape(s) for a one-argument build;
    otherwise `<argument>_shape` for each tensor argument of call."""
    info = layer._call_info()
    params = [p for p in inspect.signature(type(layer).build).parameters.values()][1:]
    first = args[0] if args else kwargs.get(info.first_arg)
    first_shape = nest.map_structure(_shape_of, first) if first is not None else None
    if len(params) <= 1 or params[1].kind is params[1].VAR_KEYWORD:
        name = params[0].name if params else "input_shape"
        if params and params[0].kind in (params[0].VAR_POSITIONAL, params[0].VAR_KEYWORD):
            return {}
        layer._build_shapes_dict = {name: first_shape}
        return {name: first_shape}
    bound = info.signature.bind_partial(*args, **kwargs).arguments
    shapes = {}
    for p in params:
        argument = p.name[:-len("_shape")] if p.name.endswith("_shape") else p.name
        if argument in bound and bound[argument] is not None:
            shapes[p.name] = nest.map_structure(_shape_of, bound[argument])
    layer._build_shapes_dict = dict(shapes)
    return shapes


def keras_tensors_for(shape, dtype):
    """KerasTensors for a shape, or a nest of shapes (tuples of ints/None are leaves)."""
    if _is_shape(shape):
        return KerasTensor(tuple(shape.as_list()) if hasattr(shape, "as_list") else shape,
                           dtype)
    if isinstance(shape, dict):
        return {k: keras_tensors_for(v, dtype) for k, v in shape.items()}
    return type(shape)(keras_tensors_for(s, dtype) for s in shape) \
        if isinstance(shape, (list, tuple)) else shape


def _is_shape(shape):
    if hasattr(shape, "as_list"):
        return True
    return isinstance(shape, (list, tuple)) and all(d is None or isinstance(d, int)
                                                    for d in shape)


def mask_of(x):
    if x is None or isinstance(x, Tensor):
        return getattr(x, "_keras_mask", None)
    if isinstance(x, (list, tuple, dict)):
        masks = nest.map_structure(lambda t: getattr(t, "_keras_mask", None), x)
        return masks if any(m is not None for m in nest.flatten(masks)) else None
    return None
