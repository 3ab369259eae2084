"""Upload to funnel chart, as a person waits for it: the real server (``streamlit run app.py``)
and Debian's chromium through Playwright. Each turn reads a different 100k-row workbook bare
(fastexcel to Arrow, in this process), uploads it in a fresh session on the Data page and opens
the Funnel page, timed from the browser sending the file until the funnel chart of that file is
drawn; then uploads it to a bare Streamlit app (benchmarks/bare_upload_app.py: fastexcel and one
Altair chart, nothing else) in the same browser: what Streamlit and the browser cost alone. The
three alternate; each ratio is taken per turn.

Needs the development packages (Playwright): ``./dev test`` installs them.
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path
from typing import Any

from common import header, row
from upload_memory import browser, new_session, server, upload_files

SOURCE_LINE = "Источник: {name}"


def bare_read(path: Path) -> float:
    import fastexcel

    started = time.perf_counter()
    fastexcel.read_excel(str(path)).load_sheet(0, header_row=2).to_arrow()
    return time.perf_counter() - started


def upload_to_chart(page: Any, path: Path) -> tuple[float, float]:
    """(seconds until the Data page shows the file loaded, until its funnel chart is drawn)."""
    from tests.e2e_support import nav, see, wait_chart, wait_idle

    nav(page, "Данные")
    see(page, "Предпросмотр")
    wait_idle(page)
    # The clock starts when the browser sends the file: Playwright's own staging of the file
    # (0.3-0.4 s) is no time a person waits after dropping it.
    sent: list[float] = []

    def on_request(request: Any) -> None:
        if request.method == "PUT" and not sent:
            sent.append(time.perf_counter())

    page.on("request", on_request)
    page.get_by_test_id("stFileUploaderDropzoneInput").first.set_input_files(str(path))
    page.get_by_text(SOURCE_LINE.format(name=path.name)).filter(visible=True).first.wait_for(
        timeout=180_000
    )
    started = sent[0]
    loaded = time.perf_counter() - started
    nav(page, "Воронка")
    see(page, SOURCE_LINE.format(name=path.name))
    wait_chart(page)
    wait_idle(page)
    page.remove_listener("request", on_request)
    return loaded, time.perf_counter() - started


def bare_app_to_chart(b: Any, url: str, path: Path) -> float:
    """Seconds from the browser sending ``path`` to the bare app until its chart is drawn."""
    from tests.e2e_support import wait_chart, wait_idle

    context = b.new_context(viewport={"width": 1400, "height": 1000}, locale="ru-RU")
    page = context.new_page()
    page.goto(url, timeout=60_000)
    page.get_by_test_id("stFileUploaderDropzoneInput").first.wait_for(state="attached")
    wait_idle(page)
    sent: list[float] = []
    page.on("request", lambda r: sent.append(time.perf_counter()) if r.method == "PUT" else None)
    page.get_by_test_id("stFileUploaderDropzoneInput").first.set_input_files(str(path))
    page.get_by_text(SOURCE_LINE.format(name=path.name)).first.wait_for(timeout=180_000)
    wait_chart(page)
    wait_idle(page)
    took = time.perf_counter() - sent[0]
    context.close()
    return took


def bench_upload_time(turns: int) -> None:
    files = upload_files(turns + 1)  # the first one warms the server's read workers up
    header(f"upload -> funnel chart in the browser: {turns} turns, different 100k-row .xlsx")
    bare, loaded, charted, ratios = [], [], [], []
    app, app_ratios = [], []
    with (
        server() as (url, _pid),
        server("benchmarks/bare_upload_app.py") as (bare_url, _bare_pid),
        browser() as b,
    ):
        context, page = new_session(b, url)
        upload_to_chart(page, files[0])
        context.close()
        bare_app_to_chart(b, bare_url, files[0])
        for path in files[1:]:
            t_bare = bare_read(path)
            context, page = new_session(b, url)
            t_loaded, t_chart = upload_to_chart(page, path)
            context.close()
            t_app = bare_app_to_chart(b, bare_url, path)
            bare.append(t_bare)
            loaded.append(t_loaded)
            charted.append(t_chart)
            ratios.append(t_chart / t_bare)
            app.append(t_app)
            app_ratios.append(t_chart / t_app)
    row("bare fastexcel read (to Arrow), median", f"{statistics.median(bare):.2f} s",
        number=statistics.median(bare), unit="s")  # fmt: skip
    row("upload -> the Data page says it is loaded, median", f"{statistics.median(loaded):.2f} s",
        number=statistics.median(loaded), unit="s")  # fmt: skip
    row("upload -> funnel chart drawn, median", f"{statistics.median(charted):.2f} s",
        number=statistics.median(charted), unit="s")  # fmt: skip
    ratio = statistics.median(ratios)
    row(
        "  ... against the bare read",
        f"{ratio:.2f}x ({min(ratios):.2f}-{max(ratios):.2f})",
        "target <= 1.5x",
        ratio <= 1.5,
        number=ratio,
        unit="x",
    )
    row("a bare Streamlit app: upload -> its one chart drawn, median",
        f"{statistics.median(app):.2f} s", number=statistics.median(app), unit="s")  # fmt: skip
    app_ratio = statistics.median(app_ratios)
    row(
        "  ... Voronka (Data page, then the Funnel page) against it",
        f"{app_ratio:.2f}x ({min(app_ratios):.2f}-{max(app_ratios):.2f})",
        number=app_ratio,
        unit="x",
    )
