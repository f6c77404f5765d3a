"""Every registered op is either compiled by XLA (a lowering in autotrace/jit/lower_*.py) or
refused with a reason (autotrace.jit.NO_LOWERING): never neither, never both. Other modules
add ops all the time; this test names any op that is in neither table and says what to do."""
import importlib
import pkgutil

import pytest

pytest.importorskip("jax")

import autotrace  # noqa: E402
from autotrace.jit import NO_LOWERING  # noqa: E402
from autotrace.jit.lowerings import LOWERINGS  # noqa: E402
from autotrace.ops.registry import REGISTRY  # noqa: E402

WHAT_TO_DO = (
    "For each, either add an XLA lowering: a function (lw, op, *inputs) -> output computing "
    "the op with jax.numpy / jax.lax, registered with @lowering(\"OpType\") in "
    "autotrace/jit/lower_*.py (see table.py), plus a case using the op in "
    "tests/jit/test_differential.py; or, if XLA cannot run it, a row in NO_LOWERING "
    "(autotrace/jit/unsupported.py) saying why.")


def all_op_types():
    """Every op type declared by any autotrace module (some modules declare ops when first
    imported, so all are imported; those needing an extra that is missing are skipped)."""
    for module in pkgutil.walk_packages(autotrace.__path__, "autotrace."):
        if module.name.endswith("__main__"):
            continue
        try:
            importlib.import_module(module.name)
        except ImportError:
            continue
    return set(REGISTRY)


def test_every_op_is_lowered_or_refused_with_a_reason():
    ops = all_op_types()
    neither = sorted(ops - set(LOWERINGS) - set(NO_LOWERING))
    assert not neither, ("op types with neither an XLA lowering nor a row in NO_LOWERING: %s. "
                         % ", ".join(neither) + WHAT_TO_DO)
    both = sorted(set(LOWERINGS) & set(NO_LOWERING))
    assert not both, "op types both lowered and listed in NO_LOWERING: %s" % ", ".join(both)


def test_the_tables_name_only_registered_ops():
    ops = all_op_types()
    stale = sorted((set(LOWERINGS) | set(NO_LOWERING)) - ops)
    assert not stale, "the XLA tables name op types no module declares: %s" % ", ".join(stale)


def test_every_refusal_has_a_reason():
    assert all(isinstance(r, str) and len(r) > 20 for r in NO_LOWERING.values())
