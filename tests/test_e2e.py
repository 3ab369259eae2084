"""The app in a real browser: Debian's chromium driven by Playwright, on localhost only."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

import pytest

from tests.e2e_support import csv_bytes, small_deals, xlsx_bytes

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

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not shutil.which(CHROMIUM), reason=f"no chromium at {CHROMIUM}"),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server():
    port = _free_port()
    env = {**os.environ, "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false"}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            "app.py",
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
        env=env,
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
            if time.monotonic() > deadline or proc.poll() is not None:
                raise RuntimeError("streamlit did not start")
            time.sleep(0.3)
        yield url
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture
def page(server):
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=BROWSER_ARGS)
        context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="ru-RU")
        pg = context.new_page()
        foreign: list[str] = []

        def check(request) -> None:
            host = urlparse(request.url).hostname or ""
            if (
                request.url.startswith(("http:", "https:", "ws:", "wss:"))
                and host not in LOCAL_HOSTS
            ):
                foreign.append(request.url)

        pg.on("request", check)
        pg.foreign_requests = foreign  # type: ignore[attr-defined]
        yield pg
        context.close()
        browser.close()
    assert not foreign, f"the browser left localhost: {foreign}"


def _metric(pg, index: int = 0) -> str:
    return pg.get_by_test_id("stMetricValue").nth(index).inner_text().strip()


def _wait_chart(pg) -> None:
    pg.locator(
        "[data-testid=stVegaLiteChart] canvas, [data-testid=stVegaLiteChart] svg"
    ).first.wait_for(timeout=60_000)


def _nav(pg, label: str) -> None:
    pg.get_by_test_id("stSidebarNav").get_by_text(label, exact=True).click()


def _upload(pg, path: Path, name: str) -> None:
    _nav(pg, "Данные")
    pg.get_by_text("Предпросмотр").first.wait_for(timeout=60_000)
    pg.get_by_test_id("stFileUploaderDropzoneInput").first.set_input_files(str(path))
    pg.get_by_text(f"Источник: {name}").first.wait_for(timeout=60_000)


def test_sample_upload_compare_language(page, server, tmp_path):
    pg = page
    pg.goto(server)
    pg.get_by_text("демо-данные").first.wait_for(timeout=60_000)
    _wait_chart(pg)
    sample_deals = _metric(pg)
    assert sample_deals.replace("\u00a0", "").isdigit()
    pg.wait_for_timeout(800)
    pg.screenshot(path=str(ARTIFACTS / "e2e_01_sample_funnel.png"))

    xlsx = tmp_path / "сделки_май.xlsx"
    xlsx.write_bytes(xlsx_bytes(small_deals(30)))
    _upload(pg, xlsx, xlsx.name)
    pg.screenshot(path=str(ARTIFACTS / "e2e_02_data_xlsx.png"))
    _nav(pg, "Воронка")
    pg.get_by_text(f"Источник: {xlsx.name}").first.wait_for(timeout=60_000)
    _wait_chart(pg)
    assert _metric(pg) == "30"
    pg.screenshot(path=str(ARTIFACTS / "e2e_03_funnel_xlsx.png"))

    csv = tmp_path / "выгрузка.csv"
    csv.write_bytes(csv_bytes(small_deals(45, seed=2), encoding="cp1251"))
    _upload(pg, csv, csv.name)
    _nav(pg, "Воронка")
    pg.get_by_text(f"Источник: {csv.name}").first.wait_for(timeout=60_000)
    _wait_chart(pg)
    assert _metric(pg) == "45"
    pg.screenshot(path=str(ARTIFACTS / "e2e_04_funnel_csv_cp1251.png"))

    _nav(pg, "Сравнение")
    pg.get_by_text("Воронки рядом").first.wait_for(timeout=60_000)
    _wait_chart(pg)
    pg.wait_for_timeout(800)
    pg.screenshot(path=str(ARTIFACTS / "e2e_05_compare.png"))

    pg.get_by_text("English", exact=True).click()
    pg.get_by_text("Compare segments").first.wait_for(timeout=60_000)
    _wait_chart(pg)
    pg.wait_for_timeout(800)
    pg.screenshot(path=str(ARTIFACTS / "e2e_06_compare_en.png"))
    _nav(pg, "Funnel")
    pg.get_by_text("Weak points").first.wait_for(timeout=60_000)
    assert _metric(pg) == "45"
    pg.screenshot(path=str(ARTIFACTS / "e2e_07_funnel_en.png"))
