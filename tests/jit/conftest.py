"""After a full run, every op type with an XLA lowering must have been lowered by a
differential check (tests/jit/differential.py), as every gradient rule must have been checked
against finite differences (tests/conftest.py)."""
import pytest

from tests.conftest import _is_full_run


def pytest_sessionfinish(session, exitstatus):
    if exitstatus != 0 or not _is_full_run(session.config):
        return
    try:
        from autotrace.jit.lowerings import LOWERINGS
    except ImportError:  # no JAX: the jit tests were skipped
        return
    from tests.jit.differential import CHECKED_OP_TYPES
    missing = sorted(set(LOWERINGS) - CHECKED_OP_TYPES - {"Placeholder"})
    if missing:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        reporter.write_line(
            "\nXLA lowerings never checked against the NumPy path (add a case to "
            "tests/jit/test_differential.py that uses them): %s" % ", ".join(missing), red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
