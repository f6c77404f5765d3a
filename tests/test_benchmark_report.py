"""Smoke test of benchmarks/report.py in quick mode: every workload runs, is checked against
NumPy and gets a row; absent frameworks are reported as absent. No timing assertions."""
import importlib.util
import os
import sys

import pytest

REPORT_PATH = os.path.join(os.path.dirname(__file__), os.pardir, "benchmarks", "report.py")


@pytest.fixture
def report(monkeypatch):
    # None in sys.modules makes the import raise ImportError, whatever is installed.
    monkeypatch.setitem(sys.modules, "tensorflow", None)
    monkeypatch.setitem(sys.modules, "jax", None)
    monkeypatch.syspath_prepend(os.path.dirname(REPORT_PATH))
    spec = importlib.util.spec_from_file_location("benchmark_report", REPORT_PATH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def markdown_rows(text):
    table = [line for line in text.splitlines() if line.startswith("| ")]
    header, _rule, *rows = table
    return header, [[cell.strip() for cell in row.strip("|").split("|")] for row in rows]


def test_quick_report_has_one_checked_row_per_workload(report, capsys):
    rows = report.main(["--quick", "--markdown"])
    out = capsys.readouterr().out
    header, cells = markdown_rows(out)
    assert "ratio vs NumPy" in header
    assert len(cells) == len(report.WORKLOADS) == 6
    assert [row[0] for row in cells] == [row.name for row in rows]
    for row in cells:
        ratio_vs_numpy = float(row[3].rstrip("x"))
        assert ratio_vs_numpy > 0
        assert row[4:] == ["", "", "", ""]  # no TF or JAX cells
    assert "TensorFlow: not installed (pip install tensorflow to compare)" in out
    assert "JAX: not installed (pip install jax to compare)" in out

    plain = report.render(rows, report.Frameworks(), markdown=False)
    for row in rows:
        assert row.name in plain


def test_mismatch_aborts_before_timing(report):
    runs = {"numpy": lambda: 1.0, "autotrace": lambda: 2.0}
    with pytest.raises(report.ResultMismatch, match="autotrace result of call 1"):
        report.measure("demo", runs, [1.0], dict(rtol=1e-6), report.QUICK)
