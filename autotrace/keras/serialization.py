"""Keras object configs: `serialize` turns an object into
{'module', 'class_name', 'config', 'registered_name'}; `deserialize` makes it again from the
names it knows (built-ins of one namespace, custom objects in scope, registered classes).
Nothing is evaluated: a config names classes, it never carries code.

>>> from autotrace import keras
>>> keras.utils.serialize_keras_object(keras.initializers.Zeros())
{'module': 'keras.initializers', 'class_name': 'Zeros', 'config': {}, 'registered_name': None}
"""
import threading

__all__ = ["serialize_keras_object", "deserialize_keras_object", "register_keras_serializable",
           "get_registered_name", "get_registered_object", "custom_object_scope",
           "CustomObjectScope", "get_custom_objects"]

_REGISTERED = {}          # 'package>name' -> class or function
_REGISTERED_NAMES = {}    # class or function -> 'package>name'
_GLOBAL_CUSTOM = {}       # get_custom_objects()
_BUILTINS = {}            # 'keras.layers' -> {class name: class}, filled by each namespace


class _Scopes(threading.local):
    def __init__(self):
        self.stack = []


_SCOPES = _Scopes()


def register_keras_serializable(package="Custom", name=None):
    """Decorator: make a class or function known to `deserialize` as 'package>name'."""
    def decorator(obj):
        registered = "%s>%s" % (package, name or obj.__name__)
        if isinstance(obj, type) and not hasattr(obj, "get_config"):
            raise ValueError("Cannot register a class that does not have a get_config() "
                             "method.")
        _REGISTERED[registered] = obj
        _REGISTERED_NAMES[obj] = registered
        return obj
    return decorator


def get_registered_name(obj):
    return _REGISTERED_NAMES.get(obj, getattr(obj, "__name__", type(obj).__name__))


def get_registered_object(name, custom_objects=None, module_objects=None):
    """The class or function known as `name`, or None."""
    for table in [*reversed(_SCOPES.stack), _GLOBAL_CUSTOM, custom_objects or {}]:
        if name in table:
            return table[name]
    if name in _REGISTERED:
        return _REGISTERED[name]
    if module_objects and name in module_objects:
        return module_objects[name]
    return None


def register_builtins(module, objects):
    """Record the classes of a Keras namespace ('keras.layers') for deserialization."""
    _BUILTINS.setdefault(module, {}).update(objects)


def builtin_objects(module):
    return dict(_BUILTINS.get(module, {}))


def get_custom_objects():
    """The global dict of custom objects (name -> class or function) deserialize consults."""
    return _GLOBAL_CUSTOM


class CustomObjectScope:
    """`with custom_object_scope({'MyLayer': MyLayer}):` makes names known to deserialize."""

    def __init__(self, *custom_objects):
        self._objects = {}
        for table in custom_objects:
            self._objects.update(table or {})

    def __enter__(self):
        _SCOPES.stack.append(self._objects)
        return self

    def __exit__(self, *exc):
        _SCOPES.stack.pop()
        return False


custom_object_scope = CustomObjectScope


def _public_module(obj):
    cls = obj if isinstance(obj, type) else type(obj)
    return getattr(cls, "_keras_module", None) or cls.__module__


def serialize_keras_object(obj):
    """A JSON-friendly description of `obj` (None, plain values and lists pass through)."""
    if obj is None or isinstance(obj, (str, int, float, bool)):
        return obj
    if isinstance(obj, (list, tuple)):
        return [serialize_keras_object(x) for x in obj]
    if isinstance(obj, dict):
        return {k: serialize_keras_object(v) for k, v in obj.items()}
    if hasattr(obj, "get_config"):
        registered = _REGISTERED_NAMES.get(type(obj))
        return {"module": _public_module(obj), "class_name": type(obj).__name__,
                "config": obj.get_config(), "registered_name": registered}
    if callable(obj):
        name = getattr(obj, "__name__", None)
        return {"module": getattr(obj, "__module__", None), "class_name": "function",
                "config": name, "registered_name": _REGISTERED_NAMES.get(obj, name)}
    raise TypeError("Cannot serialize object %r of type %s" % (obj, type(obj)))


def deserialize_keras_object(config, module_objects=None, custom_objects=None,
                             printable_module_name="object"):
    """Rebuild an object from `serialize_keras_object`'s output (or a bare name)."""
    if config is None or isinstance(config, (int, float, bool)):
        return config
    if isinstance(config, str):
        found = get_registered_object(config, custom_objects, module_objects)
        if found is None:
            raise ValueError("Could not interpret %s identifier: %s" % (printable_module_name,
                                                                        config))
        return found
    if not isinstance(config, dict) or "class_name" not in config:
        raise ValueError("Could not interpret %s identifier: %r" % (printable_module_name,
                                                                    config))
    class_name, inner = config["class_name"], config.get("config")
    if class_name == "function":
        name = config.get("registered_name") or inner
        found = (get_registered_object(name, custom_objects, module_objects)
                 or get_registered_object(inner, custom_objects, module_objects))
        if found is None:
            raise ValueError("Unknown %s function: %r. Please ensure it is registered with "
                             "`keras.utils.register_keras_serializable` or passed in "
                             "`custom_objects`." % (printable_module_name, inner))
        return found
    cls = (get_registered_object(config.get("registered_name") or class_name, custom_objects,
                                 module_objects)
           or get_registered_object(class_name, custom_objects, module_objects))
    if cls is None:
        raise TypeError("Could not locate class '%s'. Make sure custom classes are decorated "
                        "with `@keras.saving.register_keras_serializable()` or passed in "
                        "`custom_objects`. Full object config: %r" % (class_name, config))
    if hasattr(cls, "from_config"):
        return cls.from_config(inner or {})
    return cls(**(inner or {}))


def get_object(identifier, module_objects, kind, custom_objects=None):
    """What `keras.<kind>s.get` returns: None for None; the object a name or a config dict
    describes (a class named by a string is instantiated with its defaults); an instance
    or any callable as it is (a class is instantiated)."""
    if identifier is None:
        return None
    if isinstance(identifier, (dict, str)):
        found = deserialize_keras_object(identifier, module_objects, custom_objects, kind)
        return found() if isinstance(found, type) else found
    if callable(identifier):
        return identifier() if isinstance(identifier, type) else identifier
    raise ValueError("Could not interpret %s identifier: %s" % (kind, identifier))
