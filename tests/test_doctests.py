"""Run the >>> examples in the docstrings of the engine (funnel) and the app's shared pieces (ui),
so the documented behaviour stays true."""

from __future__ import annotations

import doctest
import importlib
import pkgutil
from pathlib import Path

import pytest

import funnel
import ui

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = {"funnel": funnel, "ui": ui}
SKIP = {"funnel.__main__"}  # runs the CLI when imported

# Each package itself (its facade), then every module of every subpackage (funnel.detect,
# funnel.io, ui.strings, ...). ui has no __init__.py: a namespace package, walked the same way.
MODULES = sorted(
    {
        *(name for name, pkg in PACKAGES.items() if getattr(pkg, "__file__", None)),
        *(
            m.name
            for name, pkg in PACKAGES.items()
            for m in pkgutil.walk_packages(pkg.__path__, f"{name}.")
            if m.name not in SKIP
        ),
    }
)


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0, f"{result.failed} doctest(s) failed in {name}"


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def test_every_module_with_an_example_is_run():
    """A module written with >>> examples but missed by the walk above (a folder without
    __init__.py under funnel, say) would never have them checked."""
    with_examples = {
        _module_name(path)
        for name in PACKAGES
        for path in (ROOT / name).rglob("*.py")
        if ">>> " in path.read_text(encoding="utf-8")
    }
    assert with_examples, "no module with examples found: is the walk looking in the right place?"
    assert with_examples - SKIP <= set(MODULES), sorted(with_examples - set(MODULES))
    assert {"funnel", "funnel.stats", "ui.i18n", "ui.strings.trends"} <= with_examples
