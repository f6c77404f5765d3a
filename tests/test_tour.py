"""The tour: every chapter runs live, shows the values it explains, and fails only where it
means to."""
import io
import re

import pytest

from autotrace.tools import tour
from autotrace.__main__ import main


@pytest.fixture(scope="module")
def full_tour():
    out = io.StringIO()
    tour.run_tour(color=False, out=out)
    return out.getvalue()


def test_every_chapter_runs(full_tour):
    for number, chapter in enumerate(tour.CHAPTERS, 1):
        assert "── %d. %s" % (number, chapter.title) in full_tour
    assert len(tour.CHAPTERS) == 10


def test_only_the_intended_errors_appear(full_tour):
    errors = re.findall(r"^    (\w+(?:\.\w+)*Error): ", full_tour, re.M)
    assert errors == ["autotrace.errors.DTypeMismatchError",
                      "autotrace.errors.InvalidArgumentError",  # the unfed placeholder
                      "ValueError",                             # a variable on a later trace
                      "ValueError",                             # defined in one branch only
                      "TypeError"]                              # outside the input_signature


@pytest.mark.parametrize("expected", [
    "<dtype: 'int32'> <dtype: 'int64'>",          # seed exercise 3
    "doubled = 4\n    printing: [2]\n    printed = 2",  # seed 002: Print on the path only
    "tracing with factor 2.0\n    traces: 1",
    "trace 2: argument factor: Python float 2.0 -> 3.0",
    "tf.print: 1\n    tf.print: 2\n    list length: 1",
    "counter: 2",
    "Python range : 42 ops\n    tf.range     : 7 ops",  # each with its output's Identity
    "111 8",
    "tracing the true branch\n    tracing the false branch",
    "traces: 2",
    "mul       : float32[]    = Const {value=6.0}",   # constant folding shown
    "27.0 40.5",
    "[2.0, 12.0]",                                 # seed 004
])
def test_live_values(full_tour, expected):
    assert expected in full_tour


def test_frozen_numpy_random_repeats(full_tour):
    number = r"[0-9.e+-]+"
    line = re.search(r"^    (%s) (%s)\n    %s \(a new trace" % (number, number, number), full_tour,
                     re.M)
    assert line and line.group(1) == line.group(2)


def test_cli_list_one_chapter_and_errors(capsys):
    assert main(["tour", "--list"]) == 0
    listing = capsys.readouterr().out
    assert listing.splitlines()[0] == " 1. Eager tensors, and the graph + session model"
    assert main(["tour", "4", "--no-color"]) == 0
    out = capsys.readouterr().out
    assert "── 4. np.random is frozen" in out and "\033[" not in out
    with pytest.raises(SystemExit, match="There is no chapter 11"):
        main(["tour", "11"])
