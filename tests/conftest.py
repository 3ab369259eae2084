"""Fixtures shared by the app tests."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parent.parent / "app.py")


@pytest.fixture
def at() -> AppTest:
    """The app's first screen in Russian, run once, with no exception."""
    app = AppTest.from_file(APP, default_timeout=90)
    app.session_state["lang"] = "ru"
    app.run()
    assert not app.exception, app.exception
    return app
