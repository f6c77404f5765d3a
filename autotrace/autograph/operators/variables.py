"""Values of variables that have none yet: `Undefined` (any use says so) and the return value
of a function that has not returned yet."""

__all__ = ["Undefined", "UndefinedReturnValue", "PartialReturnValue", "retval", "is_undefined",
           "ld", "ldu", "set_attr", "set_item"]


class Undefined:
    """The value of a variable that was not assigned on the path that ran, e.g. assigned only
    in an `if` branch that did not run. Any use raises an error naming the variable."""

    __slots__ = ("name",)

    def __init__(self, name):
        object.__setattr__(self, "name", name)

    def _error(self):
        error = UnboundLocalError(
            "%r is used before assignment: it is assigned only on a path (a branch or a loop) "
            "that did not run. Give it a value before the `if` or loop." % self.name)
        error.name = self.name
        return error

    def __getattr__(self, attr):
        if attr.startswith("__") and attr.endswith("__"):
            raise AttributeError(attr)
        raise self._error()

    def __repr__(self):
        return "Undefined(%r)" % self.name

    def __bool__(self):
        raise self._error()

    def __iter__(self):
        raise self._error()

    def __call__(self, *args, **kwargs):
        raise self._error()


def _raise_on_use(name):
    def method(self, *args):
        raise self._error()
    method.__name__ = name
    return method


for _op in ("add", "sub", "mul", "truediv", "floordiv", "mod", "pow", "matmul", "and", "or",
            "xor", "lt", "le", "gt", "ge", "getitem", "neg", "abs", "len", "int", "float",
            "index", "array"):
    setattr(Undefined, "__%s__" % _op, _raise_on_use("__%s__" % _op))
for _op in ("add", "sub", "mul", "truediv", "floordiv", "mod", "pow", "matmul"):
    setattr(Undefined, "__r%s__" % _op, _raise_on_use("__r%s__" % _op))


class UndefinedReturnValue(Undefined):
    """The return value before any `return` ran (from the return-statement converter)."""

    def __init__(self):
        super().__init__("<return value>")


class PartialReturnValue:
    """The return value after a tensor `if` (or loop) that returned on some paths only:
    `value` is what those paths returned; `where` and `branch` name the statement and the path
    that did not return. A later `return` on that path makes the value whole again; reaching
    the end of the function with it is an error (a graph cannot return "nothing" on a path
    chosen at run time)."""

    __slots__ = ("value", "where", "branch")

    def __init__(self, value, where, branch):
        self.value, self.where, self.branch = value, where, branch

    def error(self):
        if self.branch == "loop":
            what = ("the loop at %s returns from inside, but when it finishes without "
                    "returning, the function reaches its end without a `return`. The loop is "
                    "a graph loop (its condition is a tensor), so it is traced once for every "
                    "number of iterations, and each way out must return a value of the same "
                    "kind" % self.where)
        else:
            what = ("the `if` at %s returns in one branch, but on its %s branch the function "
                    "reaches its end without a `return`. The condition is a tensor, so both "
                    "paths are traced into the graph and each must return a value of the "
                    "same kind (TensorFlow: \"the %s branch must also have a return "
                    "statement.\")" % (self.where, self.branch,
                                         "else" if self.branch == "else" else "main"))
        return ValueError("The function can end without returning a value: %s. Add a `return` "
                          "on that path (e.g. after the `%s`)."
                          % (what, "loop" if self.branch == "loop" else "if"))


# The contract between the return converter (converters/returns.py) and these operators: the
# variable holding a function's return value is named with this prefix, so `if_stmt` and the
# loops recognise it and let it stay undefined on the paths that did not return.
RETURN_VALUE_PREFIX = "retval_"


def is_return_value_name(name):
    """Is `name` a converted function's return-value variable (RETURN_VALUE_PREFIX)?"""
    return name.startswith(RETURN_VALUE_PREFIX)


def retval(value):
    """The function's result: None if no `return` statement ran."""
    if isinstance(value, PartialReturnValue):
        raise value.error()
    return None if isinstance(value, UndefinedReturnValue) else value


def is_undefined(value):
    return isinstance(value, Undefined)



def ld(value):
    """A read of a variable that may have no value on the path that ran (`ag__.ld(y)`)."""
    if isinstance(value, Undefined) and not isinstance(value, UndefinedReturnValue):
        raise value._error()
    return value


def ldu(load, name):
    """The value of an attribute or item carried through control flow (`self.total`), or
    Undefined(name) if it does not exist yet."""
    try:
        return load()
    except (AttributeError, KeyError, IndexError):
        return Undefined(name)


def set_attr(obj, name, value):
    """Store a carried attribute; Undefined means it did not exist, so it is removed."""
    if not isinstance(value, Undefined):
        setattr(obj, name, value)
    elif name in getattr(obj, "__dict__", ()):
        delattr(obj, name)


def set_item(obj, key, value):
    """Store a carried item; Undefined means a mapping had no such key, so it is removed."""
    if not isinstance(value, Undefined):
        obj[key] = value
    elif isinstance(obj, dict):
        obj.pop(key, None)
