"""Smoke test of benchmarks/bench_jit.py in quick mode: each workload is checked against
NumPy on every path and gets a row. No timing assertions (figures live in the benchmark)."""
import os
import sys

import pytest

pytest.importorskip("jax")

BENCHMARKS = os.path.join(os.path.dirname(__file__), os.pardir, os.pardir, "benchmarks")


def test_quick_jit_benchmark_checks_and_reports_every_workload(monkeypatch, capsys):
    monkeypatch.syspath_prepend(BENCHMARKS)
    monkeypatch.setitem(sys.modules, "tensorflow", None)
    import bench_jit
    rows = bench_jit.main(["--quick", "--markdown"])
    out = capsys.readouterr().out
    assert [row.name for row in rows] == ["tensor loop", "elementwise chain", "MLP train step"]
    for row in rows:
        assert {"autotrace-xla", "autotrace", "jax"} <= set(row.seconds)
        assert row.first_call["autotrace-xla"] > 0 and "| %s |" % row.name in out
