"""The examples in the docstrings of autotrace.data, autotrace.io and autotrace.image run."""
import doctest
import importlib
import pkgutil

import pytest

import autotrace  # noqa: F401


def modules():
    for package in ("autotrace.data", "autotrace.io", "autotrace.image"):
        root = importlib.import_module(package)
        for info in pkgutil.iter_modules(root.__path__, package + "."):
            yield info.name


@pytest.mark.parametrize("name", sorted(modules()))
def test_docstring_examples(name):
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
