"""Shared by the browser tests: small deal exports (CSV in any encoding, XLSX), a running app
server and a Playwright page in Debian's chromium that must stay on localhost."""

from __future__ import annotations

import atexit
import contextlib
import io
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pandas as pd
import pytest

STAGES = ("Новая заявка", "Переговоры", "Счёт выставлен")
WON, LOST = "Успешно реализовано", "Закрыто и не реализовано"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def small_deals(n: int = 40, *, seed: int = 0) -> pd.DataFrame:
    """``n`` deals over three stages plus won/lost, two channels, amounts, creation dates."""
    states = [*STAGES, WON, LOST]
    rows = []
    for i in range(n):
        rows.append(
            {
                "ID": 1000 + i,
                "Название сделки": f"Сделка {i}",
                "Этап сделки": states[(i * 7 + seed) % len(states)],
                "Бюджет": 10_000 * (1 + (i % 5)),
                "Источник": "Сайт" if i % 3 else "Звонок",
                "Дата создания": f"{1 + i % 28:02d}.0{1 + i % 9}.2025",
            }
        )
    return pd.DataFrame(rows)


def csv_bytes(frame: pd.DataFrame, encoding: str = "cp1251", sep: str = ";") -> bytes:
    return frame.to_csv(index=False, sep=sep).encode(encoding)


def xlsx_bytes(frame: pd.DataFrame) -> bytes:
    buf = io.BytesIO()
    frame.to_excel(buf, index=False, sheet_name="Сделки")
    return buf.getvalue()


# ---- the walkthrough's hand-check file, as exported: a title row, blank rows, cp1251 ----
MESSY_CSV = """Выгрузка сделок;;;;;;;;;;;
;;;;;;;;;;;
№;Клиент;Менеджер;Канал;Продукт;Сумма, руб.;Дата создания;Дата: Квалификация;Дата: КП отправлено;Дата: Договор;Дата закрытия;Статус
1;ООО Альфа;Анна;Сайт;Двери;100 000;01.03.2025;01.03.2025;05.03.2025;15.03.2025;20.03.2025;Выиграна
2;ООО Бета;Анна;Сайт;Окна;200 000;02.03.2025;02.03.2025;08.03.2025;10.03.2025;24.03.2025;Выиграна
3;ООО Гамма;Борис;Сайт;Двери;150 000;03.03.2025;03.03.2025;05.03.2025;;10.03.2025;Проиграна
4;ООО Дельта;Борис;Сайт;Окна;;04.03.2025;04.03.2025;12.03.2025;20.03.2025;22.03.2025;Выиграна
;;;;;;;;;;;
5;ООО Эпсилон;Анна;Звонок;Двери;50 000;05.03.2025;05.03.2025;06.03.2025;16.03.2025;30.03.2025;Выиграна
6;ООО Зета;Борис;Звонок;Окна;80 000;06.03.2025;06.03.2025;;;10.03.2025;Проиграна
7;ООО Эта;Анна;Звонок;Двери;120 000;10.03.2025;10.03.2025;13.03.2025;;;В работе
8;ООО Тета;Анна;Сайт;Окна;90 000;01.04.2025;01.04.2025;20.04.2025;;;В работе
9;ООО Йота;Борис;Сайт;Двери;60 000;15.04.2025;15.04.2025;;;;В работе
;;;;;;;;;;;
10;ООО Каппа;Анна;Выставка;Окна;300 000;01.04.2025;01.04.2025;;;;В работе
11;ООО Лямбда;Борис;Выставка;Двери;250 000;02.04.2025;02.04.2025;04.04.2025;;05.04.2025;Проиграна
12;ООО Мю;Борис;Выставка;Окна;;03.04.2025;03.04.2025;;;06.04.2025;Проиграна
"""  # noqa: E501


# ---- a real app server and browser ---------------------------------------------------------

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]"}
BROWSER_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
E2E_MARKS = [
    pytest.mark.e2e,
    pytest.mark.skipif(not shutil.which(CHROMIUM), reason=f"no chromium at {CHROMIUM}"),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def app_server(env: dict[str, str] | None = None, script: str = "app.py") -> Iterator[str]:
    """``streamlit run app.py`` (or another ``script`` of the project) on a free loopback port;
    yields its URL, stops it after."""
    port = free_port()
    # A workspace store of its own unless ``env`` names one: servers of other test modules,
    # running at the same time on other workers, must neither list this one's workspaces in
    # their sidebar (a test picking "the first box" there got the workspace's) nor wait on its
    # database's write lock.
    data_dir = tempfile.mkdtemp(prefix="voronka-e2e-")
    full_env = {
        **os.environ,
        "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false",
        "VORONKA_DATA_DIR": data_dir,
        **(env or {}),
    }
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            script,
            "--server.headless",
            "true",
            "--server.address",
            "127.0.0.1",
            "--server.port",
            str(port),
            "--browser.gatherUsageStats",
            "false",
            "--server.fileWatcherType",
            "none",
        ],
        cwd=ROOT,
        env=full_env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("streamlit did not start within 60 s")
            # between two health checks, wait for the one other thing that can happen: an exit
            try:
                code = proc.wait(timeout=0.3)
            except subprocess.TimeoutExpired:
                continue
            raise RuntimeError(f"streamlit exited with code {code} before it answered")
        yield url
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        shutil.rmtree(data_dir, ignore_errors=True)


_PLAYWRIGHT: Any = None
_BROWSER: Any = None


def _browser() -> Any:
    """One Chromium per test process, launched on first use (again if it went away).

    Launching it cost about a second of CPU for every browser test; each test now gets a new
    context of it instead: its own cookies, storage and cache, which is all a fresh browser
    means to the app."""
    global _PLAYWRIGHT, _BROWSER
    if _BROWSER is not None and _BROWSER.is_connected():
        return _BROWSER
    if _PLAYWRIGHT is None:
        from playwright.sync_api import sync_playwright

        _PLAYWRIGHT = sync_playwright().start()
        atexit.register(_stop_browser)
    _BROWSER = _PLAYWRIGHT.chromium.launch(
        executable_path=CHROMIUM, headless=True, args=BROWSER_ARGS
    )
    return _BROWSER


def _stop_browser() -> None:
    global _PLAYWRIGHT, _BROWSER
    with contextlib.suppress(Exception):
        if _BROWSER is not None:
            _BROWSER.close()
    with contextlib.suppress(Exception):
        if _PLAYWRIGHT is not None:
            _PLAYWRIGHT.stop()
    _PLAYWRIGHT = _BROWSER = None


@contextmanager
def browser_page(locale: str = "ru-RU") -> Iterator[Any]:
    """A page in a fresh context of Debian's chromium; fails if the browser left localhost."""
    ARTIFACTS.mkdir(exist_ok=True)
    foreign: list[str] = []
    context = _browser().new_context(viewport={"width": 1400, "height": 1000}, locale=locale)
    try:
        pg = context.new_page()

        def check(request: Any) -> None:
            host = urlparse(request.url).hostname or ""
            if (
                request.url.startswith(("http:", "https:", "ws:", "wss:"))
                and host not in LOCAL_HOSTS
            ):
                foreign.append(request.url)

        pg.on("request", check)
        yield pg
    finally:
        with contextlib.suppress(Exception):
            context.close()
    assert not foreign, f"the browser left localhost: {foreign}"


def metric(pg: Any, index: int = 0) -> str:
    """The text of the ``index``-th metric once the run is over (call it once the page shows
    what the run is for: before that, the run may not have started)."""
    wait_idle(pg)
    return pg.get_by_test_id("stMetricValue").nth(index).inner_text(timeout=60_000).strip()


def expect_metric(pg: Any, value: str, index: int = 0, timeout: float = 60_000) -> None:
    """Wait until the ``index``-th metric reads ``value``; fail with what it read otherwise.

    A metric read right after a navigation can still be the previous run's: waiting for the
    expected text, not reading once, is what makes the check hold under load.
    """
    from playwright.sync_api import expect

    expect(pg.get_by_test_id("stMetricValue").nth(index)).to_have_text(value, timeout=timeout)


def see(pg: Any, text: str, timeout: float = 60_000) -> None:
    """Wait until ``text`` is on screen (data grids keep hidden copies of their cells)."""
    pg.get_by_text(text).filter(visible=True).first.wait_for(timeout=timeout)


def absent(pg: Any, text: str, *, after: str) -> None:
    """Assert ``text`` is not shown, once ``after`` (what the same run shows) is on screen and
    the run is over: a negative check made before the page is drawn proves nothing."""
    see(pg, after)
    wait_idle(pg)
    assert pg.get_by_text(text).count() == 0, f"{text!r} is shown"


def drop(pg: Any, path: Path) -> None:
    """Put a file into the Data page's deals uploader (what follows is the caller's to wait for)."""
    nav(pg, "Данные")
    see(pg, "Предпросмотр")
    # The Data page's run must be over before the file goes in: a file set while it still runs
    # can be dropped by the rerun.
    wait_idle(pg)
    pg.get_by_test_id("stFileUploaderDropzoneInput").first.set_input_files(
        str(path), timeout=60_000
    )


def upload(pg: Any, path: Path) -> None:
    """Put a file into the Data page's uploader and wait until the app says it is the source."""
    drop(pg, path)
    try:
        see(pg, f"Источник: {path.name}")
    except Exception as exc:
        # Say what the page showed instead: a refusal, a status line, or the file still waiting.
        ARTIFACTS.mkdir(exist_ok=True)
        pg.screenshot(path=str(ARTIFACTS / f"upload_failed_{path.stem}.png"), full_page=True)
        shown = [a.inner_text() for a in pg.get_by_test_id("stAlert").all()]
        shown += [s.inner_text() for s in pg.get_by_test_id("stExpander").all()[:3]]
        run = pg.get_by_test_id("stApp").get_attribute("data-test-script-state")
        raise AssertionError(
            f"{path.name} did not become the source; the script is {run}, the page shows {shown}"
        ) from exc


def open_app(pg: Any, url: str) -> None:
    """Open the app and wait until its first screen (the sample's funnel) is drawn and idle."""
    pg.goto(url, timeout=60_000)
    # an app that raises shows its traceback instead: say so now rather than after a timeout
    crash = pg.get_by_test_id("stException")
    try:
        crash.or_(pg.get_by_text("демо-данные").filter(visible=True)).first.wait_for(timeout=60_000)
    except Exception as exc:
        # a first screen still drawing and one that never started say different things
        ARTIFACTS.mkdir(exist_ok=True)
        pg.screenshot(path=str(ARTIFACTS / "first_screen_failed.png"), full_page=True)
        app = pg.get_by_test_id("stApp")
        states = [app.get_attribute(f"data-test-{k}-state") for k in ("script", "connection")]
        raise AssertionError(f"no first screen; the app's script, connection: {states}") from exc
    assert not crash.count(), f"the app raised on its first screen: {crash.first.inner_text()}"
    wait_chart(pg)
    wait_idle(pg)


def wait_idle(pg: Any, timeout: float = 60_000) -> None:
    """Wait until Streamlit has finished its run: the app says its script is not running, it is
    connected, and no element is greyed (stale).

    Call it after the page shows what the action was for (a text, a chart): before that, the
    run may not have started yet. The running-man icon is no sign that the run is over: it
    shows only half a second into a run, and on a busy machine the Data page was seen still
    running, with no icon and nothing greyed, in five checks out of six; a file dropped then
    was lost. The app's own ``data-test-script-state`` says whether the script runs.
    """
    pg.wait_for_function(
        """() => {
            const app = document.querySelector('[data-testid=stApp]');
            return !!app
                && app.getAttribute('data-test-script-state') === 'notRunning'
                && app.getAttribute('data-test-connection-state') === 'CONNECTED'
                && !document.querySelector('[data-stale=true]');
        }""",
        timeout=timeout,
    )
    pg.wait_for_function("document.fonts.status === 'loaded'", timeout=timeout)


def wait_count(locator: Any, at_least: int, timeout: float = 60_000) -> None:
    """Wait until ``locator`` matches at least ``at_least`` elements."""
    locator.nth(at_least - 1).wait_for(timeout=timeout)


def wait_chart(pg: Any) -> None:
    pg.locator(
        "[data-testid=stVegaLiteChart] canvas, [data-testid=stVegaLiteChart] svg"
    ).first.wait_for(timeout=60_000)


def nav(pg: Any, label: str) -> None:
    pg.get_by_test_id("stSidebarNav").get_by_text(label, exact=True).click(timeout=60_000)


def chosen(box: Any, option: str) -> bool:
    """Whether the selectbox (its input's value) or multiselect (its tags) holds ``option``."""
    values = box.locator("input").evaluate_all("els => els.map(e => e.value)")
    return option in values or option in box.inner_text().split("\n")


def pick(pg: Any, testid: str, label: str, option: str, *, within: Any = None) -> None:
    """Choose ``option`` in the selectbox or multiselect (``testid``) labelled exactly ``label``,
    inside ``within`` (a locator; the whole page by default)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    from playwright.sync_api import expect

    scope = within if within is not None else pg
    box = scope.get_by_test_id(testid).filter(has=pg.get_by_text(label, exact=True)).first
    box.wait_for(timeout=60_000)
    # A rerun still under way redraws the box and closes its list, or detaches the option
    # being clicked: try again until the box holds the choice.
    for _ in range(10):
        if chosen(box, option):
            return
        try:
            box.get_by_role("combobox").click(timeout=10_000)
            pg.get_by_role("option", name=option, exact=True).click(timeout=3_000)
            pg.keyboard.press("Escape")
            if testid == "stMultiSelect":
                expect(box).to_contain_text(option, timeout=10_000)
            else:
                expect(box.locator("input")).to_have_value(option, timeout=10_000)
        except (PlaywrightTimeout, AssertionError):
            pg.keyboard.press("Escape")
    assert chosen(box, option), f"{label}: {option} not chosen"
