"""Fixtures shared by the tests: the app's first screen, the sample files' deals, and the
browser tests' app server and page (built in tests/e2e_support.py)."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings
from streamlit.testing.v1 import AppTest

from funnel.deals import Deals
from funnel.store import Limits, Store, open_store
from tests import pg

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
SAMPLES = ROOT / "sample_data"

# Property tests draw the same examples on every run, so that a run on a busy CI machine is
# repeatable and a failure is the code's, not the draw's; HYPOTHESIS_EXPLORE=1 draws new ones
# (how the faults the spend reader's tests pin were found).
settings.register_profile("repeatable", derandomize=True)
settings.register_profile("explore", derandomize=False)
settings.load_profile("explore" if os.environ.get("HYPOTHESIS_EXPLORE") else "repeatable")

# Workspaces made by the tests (the app's and the browser tests' servers inherit this) go to a
# folder of this test process, never into ./data of the person running them.
os.environ.setdefault("VORONKA_DATA_DIR", tempfile.mkdtemp(prefix="voronka-tests-"))


def _scan_installed_components_once() -> None:
    """Each new AppTest scans every installed distribution's metadata for Streamlit
    components (0.2 s of CPU, hundreds of AppTests in the suite); what is installed does not
    change during a test run, so the scan is made once per test process."""
    from streamlit.components.v2 import manifest_scanner

    if not hasattr(manifest_scanner.scan_component_manifests, "cache_info"):
        manifest_scanner.scan_component_manifests = cache(  # type: ignore[method-assign]
            manifest_scanner.scan_component_manifests
        )


_scan_installed_components_once()


@pytest.fixture(autouse=True)
def own_store(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test saves its workspaces into a store of its own: what one test uploads is never a
    client another test sees (the app opens its store once per process, so it is reopened)."""
    monkeypatch.setenv("VORONKA_DATA_DIR", str(tmp_path_factory.mktemp("store")))
    import sys

    if (workspace := sys.modules.get("ui.workspaces.workspace")) is not None:
        workspace._opened.clear()


@pytest.fixture
def at() -> AppTest:
    """The app's first screen in Russian, run once, with no exception."""
    app = AppTest.from_file(APP, default_timeout=90)
    app.session_state["lang"] = "ru"
    app.run()
    assert not app.exception, app.exception
    return app


# ---- the sample files ------------------------------------------------------------------------


@cache
def _amocrm_pipeline(slug: str) -> Deals:
    from funnel.io.readers import read_table
    from funnel.prepare import prepare
    from funnel.spec import Spec

    frame = read_table(SAMPLES / "amocrm_export.xlsx").frame
    text = (SAMPLES / f"amocrm_export.{slug}.spec.yaml").read_text(encoding="utf-8")
    return prepare(frame, Spec.from_yaml(text))


@pytest.fixture(scope="session")
def sample_doors() -> Deals:
    """The amoCRM sample's doors pipeline with its saved mapping (the script change of
    2026-03-01 among its marked changes). Shared by the session: read it, never change it."""
    return _amocrm_pipeline("doors")


@pytest.fixture(scope="session")
def sample_security() -> Deals:
    """The amoCRM sample's security pipeline with its saved mapping: slow wins, one landing
    page change on 2026-01-12. Shared by the session: read it, never change it."""
    return _amocrm_pipeline("security")


@pytest.fixture(scope="session")
def sample_register() -> Deals:
    """The doors register (stage dates, no status) with the mapping detection infers."""
    from funnel.detect.infer import infer_spec
    from funnel.io.readers import read_table
    from funnel.prepare import prepare

    frame = read_table(SAMPLES / "register_doors.xlsx").frame
    return prepare(frame, infer_spec(frame).spec)


# ---- browser tests ---------------------------------------------------------------------------
# One app server per test module (the module's `app_env` may add environment variables, e.g.
# the fake Google's address), one fresh browser page per test. They override pytest-playwright's
# fixtures of the same names, which would look for a browser Playwright downloaded itself.


@pytest.fixture(scope="module")
def app_env() -> dict[str, str]:
    """Extra environment of the module's app server; a module overrides it when it needs to."""
    return {}


@pytest.fixture(scope="module")
def server(app_env: dict[str, str]) -> Iterator[str]:
    """The URL of a ``streamlit run app.py`` on a free loopback port, for the whole module."""
    from tests.e2e_support import app_server

    with app_server(env=app_env) as url:
        yield url


@pytest.fixture
def page(server: str) -> Iterator[Any]:
    """A fresh page in Debian's chromium, on the app's first screen once the sample's funnel is
    drawn; the test fails if the browser ever left localhost."""
    from tests.e2e_support import browser_page, open_app

    with browser_page() as pg:
        open_app(pg, server)
        yield pg


# ---- the store's PostgreSQL ------------------------------------------------------------------


@pytest.fixture(scope="session")
def postgres() -> Iterator[Any]:
    """A throwaway PostgreSQL server for the session (one per test worker, on a unix socket in
    its own folder; see tests/pg.py); the tests that need it are skipped, with the reason,
    where none can be started."""
    from tests import pg

    try:
        server = pg.start()
    except pg.Unavailable as exc:
        pytest.skip(f"no PostgreSQL for the store tests: {exc}")
    try:
        yield server
    finally:
        server.stop()


# ---- the workspace store, on SQLite and on a throwaway PostgreSQL ---------------------------

# Small limits, so that a test reaches them with a few bytes.
STORE_LIMITS = Limits(file_bytes=1_000, workspace_bytes=2_500, archive_members=50)


@pytest.fixture(params=pg.BACKENDS)
def fresh_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Callable[[], str]]:
    """Makes a new empty database per call, on each backend (tests/pg.py)."""
    yield from pg.databases(request, tmp_path)


@pytest.fixture
def url(fresh_url: Callable[[], str]) -> str:
    return fresh_url()


@pytest.fixture
def store(url: str) -> Iterator[Store]:
    with open_store(url, limits=STORE_LIMITS) as opened:
        yield opened
