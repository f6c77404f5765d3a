"""After a full run, every op type the ONNX exporter converts must have been converted by a
differential check (tests/onnx_export/differential.py)."""
import pytest

from tests.conftest import _is_full_run


def pytest_sessionfinish(session, exitstatus):
    if exitstatus != 0 or not _is_full_run(session.config):
        return
    try:
        import onnxruntime  # noqa: F401
        from autotrace.onnx.converters import CONVERTERS
    except ImportError:  # no onnx: the export tests were skipped
        return
    from tests.onnx_export.differential import CHECKED_OP_TYPES
    missing = sorted(set(CONVERTERS) - CHECKED_OP_TYPES)
    if missing:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        reporter.write_line(
            "\nONNX converters never checked against the NumPy path (add a case to "
            "tests/onnx_export/test_onnx_differential.py that uses them): %s"
            % ", ".join(missing), red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
