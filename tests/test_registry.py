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
