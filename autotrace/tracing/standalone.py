"""`ConcreteFunction.export_python(path)`: the compiled function as one Python file (plus an
.npz of its arrays) that runs with NumPy alone.

The file holds the generated code as it runs inside autotrace, and the definitions it needs
from autotrace's own source, found by following the names they use (the kernels, and what
the kernels use in turn: a helper, an error class, `TensorShape`...), each copied once from
its module. Names that two modules both define are renamed where they refer to the global
(never a local of the same name). Values become Python expressions: numbers and strings as
literals, arrays in the .npz, objects rebuilt as pickle would rebuild them (but written out
as code, in our own file: nothing is unpickled when it runs); variables become plain holders
of their values.
"""
import ast
import builtins
import copyreg
import functools
import keyword
import math
import os
import re
import sys
import textwrap
import types

import numpy as np

from ..ops.runtime import Runtime, cached_generator
from ..ops.variables import ResourceHandle
from .python_source import bound_names, call_globals, globals_of, module_source, rename_globals

__all__ = ["export_python", "ExportPythonError"]

_NUMPY_NAMESPACES = ("numpy", "numpy.random", "numpy.linalg", "numpy.fft")

_PRELUDE = '''\
class _Variable:
    """A variable of the exported function: holds its value (read and assigned by it)."""

    def __init__(self, name, value, shape, dtype):
        self.name, self.value, self.shape, self.dtype = name, value, shape, dtype

    def _read_eager_value(self):
        return self.value

    def _write_eager_value(self, value):
        self.value = value

    def numpy(self):
        return self.value

    def __repr__(self):
        return "<variable %s: %r>" % (self.name, self.value)


class _Runtime:
    """Where the exported function's state lives: variables hold their values; each seeded
    random op keeps one stream."""

    def __init__(self, cached_generator):
        self.generators, self._cached = {}, cached_generator

    def read_variable(self, handle):
        return handle.variable.value

    def write_variable(self, handle, value):
        handle.variable.value = value

    def generator(self, seed, seed2, reuse_stream=True):
        return self._cached(self.generators, seed, seed2)


def _rebuild(cls, args, state):
    obj = cls.__new__(cls, *args)
    for key, value in (state or {}).items():
        object.__setattr__(obj, key, value)
    return obj


def _check(name, value, dtype, shape):
    array = np.asarray(value, dtype=dtype)
    if len(array.shape) != len(shape) or any(
            d is not None and d != n for d, n in zip(shape, array.shape)):
        raise ValueError("argument %s must have shape %s, got %s"
                         % (name, [d if d is not None else "?" for d in shape], array.shape))
    return array
'''


class ExportPythonError(ValueError):
    """Something the function uses cannot be written as standalone Python."""


def export_python(cf, path):
    """Write `cf` (a ConcreteFunction) as `path` (.py) and its arrays as the .npz next to
    it; returns the paths. See ConcreteFunction.export_python."""
    path = os.fspath(path)
    stem, ext = os.path.splitext(path)
    if ext != ".py":
        raise ValueError("export_python writes a .py file; got the path %r" % path)
    fn = cf._compiled.fn
    writer = _Writer(os.path.basename(stem) + ".npz")
    writer.reserve(name for name in fn.__globals__ if name != fn.__name__)
    bindings = []
    for name, value in fn.__globals__.items():
        if not name.startswith("__") and name != fn.__name__:
            try:
                bindings.append((name, writer.expr(value, name)))
                writer.finish()
            except ExportPythonError as exc:
                raise ExportPythonError("Cannot export %s as standalone Python: %s%s" % (
                    cf.name, _op_using(cf.optimized_graph, value), exc)) from None
    compiled = writer.fresh("_compiled_" + fn.__name__)
    source = cf._compiled.source.replace("def %s(" % fn.__name__, "def %s(" % compiled, 1)
    text = writer.module_text(cf, compiled, [(n, e) for n, e in bindings if n != e], source)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    np.savez(stem + ".npz", **writer.arrays)
    return path, stem + ".npz"


def _op_using(graph, value):
    """`op 'name' (Type, created at file:line): ` for the op whose kernel is `value`."""
    for op in _all_ops(graph):
        kernel = op.opdef.kernel
        if value is kernel or (isinstance(value, functools.partial) and
                               value.func is kernel and value.keywords == op.attrs):
            where = ", created at %s" % op.location if op.location else ""
            return "op %r (%s%s): " % (op.name, op.type, where)
    return ""


def _all_ops(graph):
    for op in graph.get_operations():
        yield op
        for _, sub in (op.opdef.subgraphs(op) if op.opdef.subgraphs else ()):
            yield from _all_ops(sub)


class _Writer:
    """Collects the file's top-level statements. A value that needs a statement of its own
    (a definition copied from autotrace, a module-level dict, an object to rebuild) gets a
    name at once; its statement is written at once when it is needed while a statement runs
    (`lazy=False`), or later when it is only needed inside a function body (`lazy=True`), so
    that definitions which use each other all come out in an order that runs."""

    def __init__(self, npz_name):
        self.npz_name = npz_name
        self.statements = []     # top-level source, in an order that runs
        self.taken = set(dir(builtins)) | set(keyword.kwlist) | {
            "np", "os", "functools", "types", "_W", "_Variable", "_rebuild",
            "_check", "variables", "_Runtime"}
        self.imports = {"numpy": "np", "os": "os", "functools": "functools",
                        "types": "types"}
        self.arrays = {}
        self.variables = {}      # export name of the holder -> (variable name, value expr)
        self._names = {}         # key -> export name (or {name: export name} for a statement)
        self._emitters = {}      # key -> function writing the statement(s)
        self._emitted, self._emitting, self._called = set(), set(), set()
        self._queue = []
        self._keep = []          # values whose id is used as a key
        self._namespaces = {}    # module name -> export name of its namespace
        self._defining = {}      # id(value) -> [(module, name)], built on first use

    def reserve(self, names):
        self.taken.update(names)

    def fresh(self, hint):
        base = "".join(c if c.isalnum() or c == "_" else "_" for c in hint) or "value"
        if base[0].isdigit():
            base = "_" + base
        name, n = base, 1
        while name in self.taken:
            n += 1
            name = "%s_%d" % (base, n)
        self.taken.add(name)
        return name

    # -- statements, written when needed ---------------------------------------------------
    def _deferred(self, key, hint, lazy, emit, name=None):
        """The export name for `key` (`name`, or a fresh one from `hint`), whose statement
        `emit(name)` writes."""
        if key not in self._names:
            self._names[key] = name or self.fresh(hint)
            self._emitters[key] = emit
            if lazy:
                self._queue.append(key)
        if not lazy:
            self._emit(key)
        return self._names[key]

    def _emit(self, key):
        if key in self._emitted or key in self._emitting:
            return
        self._emitting.add(key)
        self._emitters[key](self._names[key])
        self._emitting.discard(key)
        self._emitted.add(key)

    def finish(self):
        """Write the statements only needed inside function bodies."""
        while self._queue:
            self._emit(self._queue.pop(0))

    # -- values as expressions -------------------------------------------------------------
    def expr(self, value, hint="value", lazy=False):
        """A Python expression (in the exported file) for `value`."""
        if value is None or type(value) in (bool, int, str, bytes):
            return repr(value)
        if type(value) is float:
            return repr(value) if math.isfinite(value) else "float(%r)" % repr(value)
        if type(value) is complex:
            return "complex(%s, %s)" % (self.expr(value.real), self.expr(value.imag))
        if value is Ellipsis:
            return "..."
        kind = type(value)
        if kind in (tuple, list, set, frozenset):
            items = [self.expr(v, hint, lazy) for v in value]
            text = ", ".join(items) + ("," if kind is tuple and len(items) == 1 else "")
            return {tuple: "(%s)", list: "[%s]", set: "{%s}" if items else "set(%s)",
                    frozenset: "frozenset([%s])"}[kind] % text
        if kind is dict:
            return "{%s}" % ", ".join("%s: %s" % (self.expr(k, hint, lazy),
                                                  self.expr(v, hint, lazy))
                                      for k, v in value.items())
        if kind is slice:
            return "slice(%s, %s, %s)" % tuple(self.expr(v, hint, lazy) for v in (
                value.start, value.stop, value.step))
        if isinstance(value, np.ndarray):
            return self._array(value, hint)
        if isinstance(value, np.generic):
            return self._scalar(value)
        if isinstance(value, np.dtype):
            return "np.dtype(%r)" % value.str
        if isinstance(value, re.Pattern):
            return "%s.compile(%r, %d)" % (self._import(re), value.pattern, value.flags)
        if isinstance(value, types.ModuleType):
            return self._import(value)
        if isinstance(value, functools.partial):
            args = [self.expr(value.func, hint, lazy)] + \
                [self.expr(a, hint, lazy) for a in value.args] + \
                ["%s=%s" % (k, self.expr(v, k, lazy)) for k, v in value.keywords.items()]
            return "functools.partial(%s)" % ", ".join(args)
        if isinstance(value, ResourceHandle):
            return "%s(%s)" % (self.define(sys.modules[ResourceHandle.__module__],
                                           "ResourceHandle", called=True),
                               self._variable(value.variable))
        if isinstance(value, Runtime):
            return "_Runtime(%s)" % self.expr(cached_generator, lazy=lazy)
        named = self._named(value, lazy)
        if named is not None:
            return named
        self._keep.append(value)
        if isinstance(value, (types.FunctionType, type)):
            return self._deferred(("nested", id(value)), hint, lazy,
                                  lambda name: self._nested_function(value, name))
        return self._deferred(("object", id(value)), hint, lazy,
                              lambda name: self._reduced(value, name))

    def _array(self, array, hint):
        if array.dtype.kind == "O":
            return "np.array(%s, dtype=object).reshape(%r)" % (
                self.expr(array.reshape(-1).tolist()), array.shape)
        key = self.fresh("a_" + hint)
        self.arrays[key] = array
        return "_W[%r]" % key

    def _scalar(self, value):
        if isinstance(value, (np.bytes_, np.str_)):
            return repr(value.item())
        if value.dtype.kind == "c":
            return "np.%s(%s)" % (value.dtype.name, self.expr(complex(value)))
        return "np.%s(%s)" % (value.dtype.type.__name__, self.expr(value.item()))

    def _variable(self, variable):
        """The holder of a variable's value (its current value, in the .npz)."""
        key = ("variable", id(variable))
        if key not in self._names:
            self._keep.append(variable)
            holder = self._names[key] = self.fresh("v_" + variable.name.split(":")[0])
            self.variables[holder] = "_Variable(%r, %s, %s, %s)" % (
                variable.name, self._array(np.asarray(variable.numpy()), holder),
                self.expr(variable.shape, "shape"), self.expr(variable.dtype, "dtype"))
        return self._names[key]

    def _import(self, module):
        name = module.__name__
        if name.split(".")[0] == "autotrace":
            raise ExportPythonError("the module %s itself cannot be exported" % name)
        alias = self.imports.get(name)
        if alias is None:
            alias = self.fresh(name.replace(".", "_"))
            self.imports[name] = alias
        return alias

    def _named(self, value, lazy):
        """The expression for a value defined at the top level of a module (numpy's, a
        standard module's, builtins, or autotrace's: then its definition is copied)."""
        name = getattr(value, "__name__", None)
        if isinstance(name, str) and getattr(builtins, name, None) is value:
            return name
        for namespace in _NUMPY_NAMESPACES:
            module = sys.modules.get(namespace)
            if module is not None and isinstance(name, str) and \
                    getattr(module, name, None) is value:
                return "%s.%s" % ("np" if namespace == "numpy" else self._import(module),
                                  name)
        module = sys.modules.get(getattr(value, "__module__", None) or "")
        qualname = getattr(value, "__qualname__", "")
        if isinstance(value, (types.FunctionType, type)) and module is not None:
            if not module.__name__.startswith("autotrace"):
                if module.__name__.split(".")[0] not in sys.stdlib_module_names:
                    raise ExportPythonError("it calls the Python function %s of %s, which "
                                            "is neither NumPy, the standard library nor "
                                            "autotrace" % (qualname, module.__name__))
                if "." not in qualname and getattr(module, qualname, None) is value:
                    return "%s.%s" % (self._import(module), qualname)
                return None
            if "." not in qualname and getattr(module, qualname, None) is value:
                return self.define(module, qualname, lazy)
            return None
        found = self._defining_binding(value)
        if found is not None:
            return self.define(*found, lazy=lazy)
        return None

    def _defining_binding(self, value):
        """(module, name) of the autotrace module whose top-level assignment makes `value`."""
        if not self._defining:
            for module in list(sys.modules.values()):
                if getattr(module, "__name__", "").startswith("autotrace.") and \
                        getattr(module, "__file__", None):
                    for name, v in vars(module).items():
                        if not isinstance(v, (types.ModuleType, types.FunctionType, type,
                                              int, str, bool, float, type(None))):
                            self._defining.setdefault(id(v), []).append((module, name))
        for module, name in self._defining.get(id(value), ()):
            index = module_source(module).binding(name)
            if index is not None and not isinstance(module_source(module).body[index],
                                                    (ast.Import, ast.ImportFrom)):
                return module, name
        return None

    def _reduced(self, value, name):
        """`name = ...`: an object rebuilt from its class and state, as pickle's protocol
        2 describes it (written as code: nothing is unpickled)."""
        try:
            reduced = value.__reduce_ex__(2)
        except Exception as exc:
            raise ExportPythonError("%r cannot be written as Python (%s)" % (value, exc)) \
                from None
        if isinstance(reduced, str) or len(reduced) < 2:
            raise ExportPythonError("%r cannot be written as Python" % (value,))
        func, args = reduced[0], reduced[1]
        state = reduced[2] if len(reduced) > 2 else None
        if isinstance(state, tuple) and len(state) == 2 and \
                all(p is None or type(p) is dict for p in state):
            state = dict(state[0] or {}, **(state[1] or {}))
        if (state is not None and type(state) is not dict) or any(
                len(reduced) > i and reduced[i] is not None for i in (3, 4, 5)):
            raise ExportPythonError("%r cannot be written as Python (its state is not a "
                                    "plain dict of attributes)" % (value,))
        if func is copyreg.__newobj__:
            cls, args = args[0], args[1:]
            text = "_rebuild(%s, %s, %s)" % (self._callee(cls), self.expr(tuple(args)),
                                             self.expr(state, name))
        else:
            if state:
                raise ExportPythonError("%r cannot be written as Python" % (value,))
            text = "%s(%s)" % (self._callee(func), ", ".join(self.expr(a, name)
                                                             for a in args))
        self.statements.append("%s = %s" % (name, text))

    def _callee(self, func):
        """`func` (a class or function), called when the file runs."""
        module = sys.modules.get(getattr(func, "__module__", None) or "")
        qualname = getattr(func, "__qualname__", "")
        if module is not None and module.__name__.startswith("autotrace") and \
                "." not in qualname and getattr(module, qualname, None) is func:
            return self.define(module, qualname, called=True)
        return self.expr(func)

    # -- definitions copied from autotrace -------------------------------------------------
    def define(self, module, name, lazy=False, called=False):
        """The export name of `module`'s top-level `name`, its definition copied into the
        file (with what it needs). `called`: a statement calls it as it runs, so what its
        body uses (a class: its __init__ and __new__) must be written first too."""
        source = module_source(module)
        index = source.binding(name)
        if index is None:
            raise ExportPythonError("the definition of %s.%s was not found in its source"
                                    % (module.__name__, name))
        key = (module.__name__, index)
        if key not in self._names:
            self._names[key] = {n: self.fresh(n) for n in bound_names(source.body[index])}
            self._emitters[key] = lambda names: self._copy_statement(module, index, names)
            if lazy:
                self._queue.append(key)
        if not lazy:
            self._emit(key)
        if called and key not in self._called:
            self._called.add(key)
            body, attributes = call_globals(source.text(source.body[index]))
            self._resolve(module, body - set(self._names[key]), attributes, {}, lazy=False,
                          called=body)
        return self._names[key][name]

    def _copy_statement(self, module, index, names):
        source = module_source(module)
        text = source.text(source.body[index])
        eager, lazy, attributes, called = globals_of(text)
        mapping = dict(names)
        # What runs when the statement runs is written before it; what its functions use
        # when called only needs a name now.
        self._resolve(module, eager - set(mapping), attributes, mapping, lazy=False,
                      called=called)
        self._resolve(module, lazy - set(mapping), attributes, mapping, lazy=True)
        self.statements.append(rename_globals(text, mapping))

    def _resolve(self, module, names, attributes, mapping, lazy, called=()):
        """Add to `mapping` the export expression of the globals `names` of `module`: the
        module's own top-level definitions are copied, module-level data (dicts, lists...)
        written from its current value under its own name, imported names found where they
        are defined."""
        source = module_source(module)
        for name in sorted(names):
            if name not in vars(module):
                continue  # a builtin
            value = vars(module)[name]
            index = source.binding(name)
            if isinstance(value, types.ModuleType):
                mapping[name] = self._namespace(value, attributes.get(name, ()), lazy) \
                    if value.__name__.startswith("autotrace") else self._import(value)
            elif type(value) in (dict, list, set, tuple):
                self._keep.append(value)
                mapping[name] = self._deferred(
                    ("data", id(value)), name, lazy,
                    lambda export, v=value, n=name: self.statements.append(
                        "%s = %s" % (export, self.expr(v, n))))
            elif index is not None and not isinstance(source.body[index],
                                                      (ast.Import, ast.ImportFrom)):
                mapping[name] = self.define(module, name, lazy, called=name in called)
            elif name in called and isinstance(value, (types.FunctionType, type)) and \
                    getattr(value, "__module__", "").startswith("autotrace"):
                home = sys.modules[value.__module__]
                mapping[name] = self.define(home, value.__qualname__, lazy, called=True)
            else:
                mapping[name] = self.expr(value, name, lazy)

    def _namespace(self, module, attributes, lazy):
        """A namespace standing for an autotrace module used as `module.attribute`."""
        ns = self._namespaces.get(module.__name__)
        if ns is None:
            ns = self._namespaces[module.__name__] = self.fresh(module.__name__.split(".")[-1])
            self.statements.append("%s = types.SimpleNamespace()" % ns)
        for attribute in sorted(attributes):
            if attribute in vars(module):
                value = vars(module)[attribute]
                self._deferred(("attribute", ns, attribute), attribute, lazy,
                               lambda export, v=value, a=attribute: self.statements.append(
                                   "%s = %s" % (export, self.expr(v, a))),
                               name="%s.%s" % (ns, attribute))
        return ns

    def _nested_function(self, fn, name):
        """`name = ...`: a function defined inside another (a closure, a lambda), rebuilt
        by a maker function taking its free variables."""
        module = sys.modules.get(fn.__module__ or "")
        if module is None or not module.__name__.startswith("autotrace"):
            raise ExportPythonError("the function %s cannot be exported (its source is not "
                                    "part of autotrace)" % fn.__qualname__)
        source = module_source(module)
        node = source.find_function(fn.__code__)
        if node is None:
            raise ExportPythonError("the source of %s was not found" % fn.__qualname__)
        free = list(fn.__code__.co_freevars)
        text = textwrap.dedent(source.text(node))
        mapping = {}
        eager, lazy, attributes, _ = globals_of(text)
        self._resolve(module, (eager | lazy) - set(free), attributes, mapping, lazy=True)
        body = rename_globals(text, mapping)
        maker = self.fresh("_make_" + name)
        inner = body if not isinstance(node, ast.Lambda) else "_f = " + body
        returned = node.name if not isinstance(node, ast.Lambda) else "_f"
        cells = [self.expr(c.cell_contents, v) for c, v in zip(fn.__closure__ or (), free)]
        self.statements.append("def %s(%s):\n%s\n    return %s\n\n\n%s = %s(%s)" % (
            maker, ", ".join(free), textwrap.indent(inner, "    "), returned, name, maker,
            ", ".join(cells)))

    # -- the file --------------------------------------------------------------------------
    def module_text(self, cf, fn_name, bindings, generated):
        imports = ["import %s as %s" % (m, a) if m.split(".")[-1] != a or "." in m
                   else "import %s" % m for m, a in sorted(self.imports.items())]
        entry = self.fresh(cf.name)
        params = [ph.op.name for ph in cf.optimized_graph.inputs]
        args = [self.fresh(p) for p in params]
        checks = ["    %s = _check(%r, %s, np.%s, %r)" % (
            a, p, a, ph.dtype.np.name if ph.dtype.np.kind != "O" else "object_",
            tuple(ph.shape.as_list()) if ph.shape.rank is not None else ())
            for a, p, ph in zip(args, params, cf.optimized_graph.inputs)
            if ph.shape.rank is not None]
        single = len(cf.optimized_graph.outputs) == 1
        parts = [
            '"""%s, exported from autotrace: runs with NumPy alone.\n\n'
            '    import %s\n    outputs = %s.%s(%s)\n\n'
            'Inputs: %s.\nReturns %s (NumPy arrays). Variables: `variables` (name -> holder '
            'with .value).\n"""' % (
                cf.name, os.path.splitext(self.npz_name)[0],
                os.path.splitext(self.npz_name)[0], entry, ", ".join(params),
                ", ".join("%s %s%s" % (p, ph.dtype.name, ph.shape.short())
                          for p, ph in zip(params, cf.optimized_graph.inputs)) or "none",
                "one array" if single else "a tuple of %d arrays"
                % len(cf.optimized_graph.outputs)),
            "\n".join(imports),
            "_W = np.load(os.path.join(os.path.dirname(os.path.abspath(__file__)), %r),\n"
            "             allow_pickle=False)" % self.npz_name,
            _PRELUDE.rstrip()]
        parts += self.statements
        parts += ["%s = %s" % item for item in self.variables.items()]
        parts.append("variables = {%s}" % ", ".join(
            "%s.name: %s" % (holder, holder) for holder in self.variables))
        parts += ["%s = %s" % (name, value) for name, value in bindings]
        parts.append(generated.rstrip())
        parts.append("def %s(%s):\n    \"\"\"Run the exported function.\"\"\"\n%s%s"
                     "    outputs = %s(%s)\n    return %s" % (
                         entry, ", ".join(args), "\n".join(checks),
                         "\n" if checks else "", fn_name, ", ".join(args),
                         "outputs[0]" if single else "outputs"))
        return "\n\n\n".join(p.strip("\n") for p in parts) + "\n"
