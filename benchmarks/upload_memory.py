"""Server memory per upload, measured on the real server: ``streamlit run app.py`` on a free
port (as the browser tests start it), Debian's chromium through Playwright, one browser context
(one user session) per upload of a different 100k-row workbook, kept open. The server's RSS is
read from /proc after each upload and after the sessions close.

Needs the development packages (Playwright): ``./dev test`` installs them.
"""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from common import header, mib, proc_status, row, xlsx_input

ROWS = 100_000
# Streamlit may drop a closed session's state this long after its websocket went away (the
# default is 120 s); shortened here so that the "after they close" figure comes in a minute.
SESSION_TTL = 10


def upload_files(k: int) -> list[Path]:
    """``k`` different shared-strings workbooks of 100k deals (other seeds, other numbers)."""
    return [xlsx_input(ROWS, seed=100 + i) for i in range(k)]


def frame_bytes(path: Path) -> float:
    from funnel.io.readers import read_table

    return float(read_table(path).frame.memory_usage(deep=True).sum())


def children(pid: int) -> list[int]:
    out = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            out.append(int(entry))
    return out


def tree_rss(pid: int) -> float:
    """RSS of ``pid`` and every process below it (the read workers' forkserver)."""
    total = 0.0
    todo = [pid]
    while todo:
        p = todo.pop()
        try:
            total += proc_status(p)["VmRSS"]
        except (OSError, KeyError):
            continue
        todo.extend(children(p))
    return total


@contextmanager
def server(script: str = "app.py") -> Iterator[tuple[str, int]]:
    """The app server of the browser tests (or one running another ``script``); yields its URL
    and its process id."""
    from tests.e2e_support import app_server

    # MALLOC_ARENA_MAX as ./dev app sets it (an arena per session's thread strands memory)
    env = {
        "STREAMLIT_SERVER_DISCONNECTED_SESSION_TTL": str(SESSION_TTL),
        "MALLOC_ARENA_MAX": os.environ.get("MALLOC_ARENA_MAX", "2"),
    }
    before = set(children(os.getpid()))
    with app_server(env=env, script=script) as url:
        (pid,) = set(children(os.getpid())) - before
        yield url, pid


@contextmanager
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    from tests.e2e_support import BROWSER_ARGS, CHROMIUM

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=BROWSER_ARGS)
        try:
            yield b
        finally:
            b.close()


def new_session(b: Any, url: str) -> tuple[Any, Any]:
    """A fresh context (its own Streamlit session) on the app's first screen."""
    from tests.e2e_support import open_app

    context = b.new_context(viewport={"width": 1400, "height": 1000}, locale="ru-RU")
    page = context.new_page()
    open_app(page, url)
    return context, page


RUNNING = "[data-testid=stStatusWidgetRunningIcon], [data-testid=stStatusWidgetRunningManIcon]"
MESSAGES = "[data-testid=stAlertContentError], [data-testid=stAlertContentWarning]"


def outcome(page: Any, name: str) -> tuple[str, str]:
    """What the page shows now: ("loaded" | "said why" | "working" | "idle", detail)."""
    if page.get_by_text(f"Источник: {name}").filter(visible=True).count():
        return "loaded", ""
    # A file that loads with a warning about its data shows the warning before its source line:
    # a message is the outcome only once the run has ended without the source line.
    if page.locator(RUNNING).count() or page.locator("[data-stale=true]").count():
        return "working", ""
    crash = page.get_by_test_id("stException")
    if crash.count():
        return "said why", crash.first.inner_text()[:120]
    messages = page.locator(MESSAGES)
    if messages.count():
        return "said why", messages.first.inner_text()[:120]
    return "idle", ""


def put_file(page: Any, path: Path, wait: float = 180.0) -> tuple[str, str]:
    """Upload ``path`` on the Data page; the outcome once it is loaded, said why, or stayed
    idle ten seconds with neither (lost), or ``wait`` seconds passed (still working)."""
    from tests.e2e_support import nav, see, wait_idle

    nav(page, "Данные")
    see(page, "Предпросмотр")
    wait_idle(page)
    page.get_by_test_id("stFileUploaderDropzoneInput").first.set_input_files(str(path))
    started = time.monotonic()
    idle_since = None
    while time.monotonic() - started < wait:
        state, detail = outcome(page, path.name)
        if state in ("loaded", "said why"):
            return state, detail
        now = time.monotonic()
        if state == "idle":
            idle_since = idle_since or now
            if now - idle_since >= 10:
                return "lost (no message)", ""
        else:
            idle_since = None
        time.sleep(0.5)
    return "still working", ""


def rss(pid: int) -> float:
    return float(proc_status(pid)["VmRSS"])


def settle(pid: int, seconds: float = 3.0) -> float:
    """The server's RSS once the run that just ended has let go of its temporaries."""
    time.sleep(seconds)
    return rss(pid)


def bench_upload_memory(k: int) -> None:
    from tests.e2e_support import wait_idle

    files = upload_files(k)
    frame = frame_bytes(files[0])
    header(f"server RSS per upload: {k} sessions, each a different {ROWS // 1000}k-row .xlsx")
    row("one loaded frame (memory_usage(deep=True))", mib(frame), number=frame, unit="B")
    with server() as (url, pid), browser() as b:
        fresh = settle(pid, 2)
        row(
            "fresh server (no session yet, the app not imported)",
            mib(fresh),
            number=fresh,
            unit="B",
        )
        sessions = [new_session(b, url)[0]]
        idle = settle(pid)
        row("server after one session drew the sample (idle)", mib(idle), number=idle, unit="B")
        growth = []
        for i, path in enumerate(files, 1):
            context, page = new_session(b, url)
            sessions.append(context)
            before = settle(pid, 1)
            started = time.perf_counter()
            state, detail = put_file(page, path)
            took = time.perf_counter() - started
            if state != "loaded":
                row(f"upload {i}: {state} after {took:.0f} s", detail[:60] or "-", ok=False)
                continue
            wait_idle(page)
            after = settle(pid)
            growth.append(after - before)
            row(
                f"upload {i} ({took:.1f} s): RSS after, this upload's growth",
                f"{mib(after)}, +{(after - before) / frame:.1f}x",
                "target <= 2.5x frame",
                (after - before) <= 2.5 * frame,
                number=after - before,
                unit="B",
            )
        if len(growth) < k:
            row(
                "uploads that did not load",
                f"{k - len(growth)} of {k}",
                "target: 0",
                False,
                number=k - len(growth),
                unit="uploads",
            )
        per = statistics.median(growth) if growth else float("nan")
        row(
            "growth per upload (median, session already open)",
            f"{mib(per)} = {per / frame:.1f}x frame",
            "target <= 2.5x frame",
            per <= 2.5 * frame,
            number=per,
            unit="B",
        )
        loaded = rss(pid)
        user = (loaded - idle) / k
        row(
            f"per active user: (RSS with {k} more sessions - idle) / {k}",
            f"{mib(user)} = {user / frame:.1f}x frame",
            number=user,
            unit="B",
        )
        tree = tree_rss(pid)
        row("server with its read workers (process tree)", mib(tree), number=tree, unit="B")
        for context in sessions:
            context.close()
        closed = _after_close(pid, idle + frame)
        limit = 1.5 * (idle + frame)
        row(
            f"after every session closed (session TTL {SESSION_TTL} s)",
            mib(closed),
            f"target <= 1.5x (idle + frame) = {mib(limit)}",
            closed <= limit,
            number=closed,
            unit="B",
        )


def _after_close(pid: int, goal: float, wait: float = SESSION_TTL + 50) -> float:
    """The server's RSS once closed sessions may have been freed (Streamlit's TTL and the app's
    sweep of closed sessions, every 5 s, have passed), polled until it is back within 1.5x
    ``goal`` or ``wait`` seconds passed."""
    started = time.monotonic()
    time.sleep(SESSION_TTL + 12)
    value = rss(pid)
    while time.monotonic() - started < wait and value > 1.5 * goal:
        time.sleep(5)
        value = rss(pid)
    return value


if __name__ == "__main__":
    import argparse

    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--uploads", type=int, default=6)
    bench_upload_memory(p.parse_args().uploads)
