"""The package layout is a DAG (docs/architecture.md): no import cycle between packages,
counting the imports made inside functions, and each layer of the data path imports only the
layers below it."""
import ast
from pathlib import Path

import autotrace

PACKAGE = Path(autotrace.__file__).parent

# Bottom to top; each may import only those before it. Packages not listed here (compat,
# training, tools, keras and the other wings) sit above all of them.
LAYERS = ["core", "ops", "execution", "autodiff", "control_flow", "autograph", "tracing"]


def module_paths(package_dir=PACKAGE, name="autotrace"):
    """{module name: path} of every module under `package_dir`."""
    found = {}
    for path in sorted(package_dir.rglob("*.py")):
        parts = list(path.relative_to(package_dir).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join([name] + parts)] = path
    return found


def imports_of(module, path, modules):
    """(imported module, line) for every import statement of the module, wherever it is (at
    the top, inside a function or a class)."""
    is_package = path.name == "__init__.py"
    package = module if is_package else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[:len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([node.module] if node.module else []))
            # `from package import module` imports the module; `from module import name`
            # imports the module.
            targets = [base + "." + a.name if base + "." + a.name in modules else base
                       for a in node.names]
        else:
            continue
        for target in targets:
            while target not in modules and "." in target:
                target = target.rpartition(".")[0]
            if target in modules:
                yield target, node.lineno


def unit_of(module):
    """What the DAG is made of: a sub-package of autotrace (with everything under it), or a
    module at the root (autotrace.math, the package facade `autotrace` itself)."""
    parts = module.split(".")
    if len(parts) > 1 and (PACKAGE / parts[1]).is_dir():
        return ".".join(parts[:2])
    return module


def package_graph(modules):
    """{unit: {imported unit: [(module, line), ...]}} over every import of every module."""
    graph = {}
    for module, path in modules.items():
        edges = graph.setdefault(unit_of(module), {})
        for target, line in imports_of(module, path, modules):
            if unit_of(target) != unit_of(module):
                edges.setdefault(unit_of(target), []).append((module, line))
    return graph


def find_cycle(graph):
    """A list of units forming an import cycle (first unit repeated at the end), or None."""
    state, stack = {}, []

    def visit(unit):
        state[unit] = "open"
        stack.append(unit)
        for nxt in sorted(graph.get(unit, {})):
            if state.get(nxt) == "open":
                return stack[stack.index(nxt):] + [nxt]
            if nxt not in state:
                found = visit(nxt)
                if found:
                    return found
        stack.pop()
        state[unit] = "done"
        return None

    for unit in sorted(graph):
        if unit not in state:
            found = visit(unit)
            if found:
                return found
    return None


def _evidence(graph, a, b):
    return ", ".join("%s:%d" % where for where in graph[a][b][:3])


def test_no_import_cycle_between_packages():
    graph = package_graph(module_paths())
    cycle = find_cycle(graph)
    assert cycle is None, "import cycle between packages:\n" + "\n".join(
        "  %s -> %s  (%s)" % (a, b, _evidence(graph, a, b)) for a, b in zip(cycle, cycle[1:]))


def test_each_layer_imports_only_the_layers_below_it():
    graph = package_graph(module_paths())
    rank = {"autotrace." + name: i for i, name in enumerate(LAYERS)}
    upward = ["  %s -> %s  (%s)" % (a, b, _evidence(graph, a, b))
              for a in sorted(rank) for b in sorted(graph.get(a, {}))
              if b not in rank or rank[b] > rank[a]]
    assert not upward, "imports from a lower layer to a higher one:\n" + "\n".join(upward)


def test_every_layer_exists():
    assert all((PACKAGE / name / "__init__.py").is_file() for name in LAYERS)


def test_the_walk_counts_imports_inside_functions(tmp_path):
    pkg = tmp_path / "autotrace"
    (pkg / "low").mkdir(parents=True)
    (pkg / "high").mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "low" / "__init__.py").write_text("")
    (pkg / "high" / "__init__.py").write_text("")
    (pkg / "high" / "api.py").write_text("from ..low import base\n")
    (pkg / "low" / "base.py").write_text("def late():\n    from ..high import api\n")
    modules = module_paths(pkg)
    assert sorted(imports_of("autotrace.low.base", modules["autotrace.low.base"], modules)) == \
        [("autotrace.high.api", 2)]
    graph = {"autotrace.high": {"autotrace.low": [("autotrace.high.api", 1)]},
             "autotrace.low": {"autotrace.high": [("autotrace.low.base", 2)]}}
    assert find_cycle(graph) == ["autotrace.high", "autotrace.low", "autotrace.high"]
    assert find_cycle({"a": {"b": []}, "b": {}}) is None
