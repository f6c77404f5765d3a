"""The op registry as a whole: every op declares its gradient (a rule or NO_GRADIENT)."""
import autotrace as tf  # noqa: F401  (imports every op family)
from autotrace.ops.registry import NO_GRADIENT, REGISTRY

# Ops that are never differentiated through: internal plumbing whose rule is irrelevant.
NEVER_DIFFERENTIATED = {"PartitionedCall"}


def test_every_op_declares_its_gradient():
    undeclared = sorted(t for t, opdef in REGISTRY.items()
                        if opdef.grad is None and t not in NEVER_DIFFERENTIATED)
    assert undeclared == []


def test_registry_is_large_and_uses_tensorflow_names():
    for name in ("AddV2", "MatMul", "Sum", "ReadVariableOp", "AssignVariableOp", "StridedSlice",
                 "StatelessIf", "StatelessWhile", "TensorListSetItem", "PrintV2", "Assert",
                 "SparseSoftmaxCrossEntropyWithLogits", "RandomUniform"):
        assert name in REGISTRY
    assert len(REGISTRY) > 150


def test_stateful_ops_are_marked():
    stateful = {t for t, opdef in REGISTRY.items() if opdef.stateful}
    assert {"AssignVariableOp", "PrintV2", "Assert", "RandomUniform",
            "TensorListSetItem"} <= stateful
    assert "ReadVariableOp" not in stateful and "AddV2" not in stateful


def test_no_gradient_ops_are_really_not_differentiable():
    assert REGISTRY["ArgMax"].grad is NO_GRADIENT
    assert REGISTRY["Shape"].grad is NO_GRADIENT
    assert callable(REGISTRY["Softmax"].grad)


# -- ops are found by grep -----------------------------------------------------------------------

def _package_sources():
    import pathlib
    root = pathlib.Path(tf.__file__).parent
    return sorted(root.rglob("*.py"))


def test_no_name_is_published_through_globals():
    import ast
    offenders = []
    for path in _package_sources():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "globals":
                offenders.append("%s:%d" % (path.name, node.lineno))
    assert offenders == []


TABLE_DECLARATIONS = {"unary": 1, "bool_unary": 1, "binary": 1, "comparison": 1,
                      "reduction": 1, "activation": 1, "_binary_check": 2, "_sign_check": 2}


def test_each_table_row_is_bound_to_its_public_name():
    """`sin = unary("Sin", "sin", ...)`: the name bound is the function's public name."""
    import ast
    rows = 0
    for path in _package_sources():
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call) and \
                    getattr(node.value.func, "id", None) in TABLE_DECLARATIONS:
                position = TABLE_DECLARATIONS[node.value.func.id]
                assert node.value.args[position].value == node.targets[0].id, \
                    "%s:%d" % (path.name, node.lineno)
                rows += 1
    assert rows > 70
