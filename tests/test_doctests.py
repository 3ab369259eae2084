"""Run the >>> examples in the engine's docstrings, so the documented behaviour stays true."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import funnel

# The facade in funnel/__init__.py, then every module of every subpackage (funnel.detect,
# funnel.io, ...), the packages themselves too.
MODULES = [
    "funnel",
    *sorted(
        m.name
        for m in pkgutil.walk_packages(funnel.__path__, "funnel.")
        if m.name not in ("funnel.__main__",)
    ),
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0, f"{result.failed} doctest(s) failed in {name}"
