"""Twenty people upload at once: the real server, one browser context (one session) each, every
session on the Data page and idle, then a different 100k-row workbook put into each uploader in
quick succession. Each session's outcome is one of: loaded (the page names the file as its
source), said why (an error or warning on the page), still working at the deadline, or lost (the
page is idle, shows no message and does not have the file). Server RSS is printed before, at
the peak seen while polling, after the uploads and after the sessions close.

Needs the development packages (Playwright): ``./dev test`` installs them.
"""

from __future__ import annotations

import time
from collections import Counter

from common import header, mib, row
from upload_memory import (
    ROWS,
    SESSION_TTL,
    _after_close,
    browser,
    frame_bytes,
    new_session,
    outcome,
    rss,
    server,
    settle,
    upload_files,
)

DEADLINE = 300.0  # seconds for all the uploads to end, one way or another


def bench_concurrent(sessions: int) -> None:
    from tests.e2e_support import nav, see, wait_idle

    files = upload_files(sessions)
    frame = frame_bytes(files[0])
    header(f"{sessions} sessions upload a different {ROWS // 1000}k-row .xlsx at once")
    row("one loaded frame (memory_usage(deep=True))", mib(frame), number=frame, unit="B")
    with server() as (url, pid), browser() as b:
        warm, _ = new_session(b, url)  # imports the app and draws the sample once
        idle = settle(pid)
        row("server after one session drew the sample (idle)", mib(idle), number=idle, unit="B")
        pages = []
        for _ in range(sessions):
            context, page = new_session(b, url)
            nav(page, "Данные")
            see(page, "Предпросмотр")
            wait_idle(page)
            pages.append((context, page))
        ready = settle(pid, 1)
        row(f"{sessions} sessions open on the sample", mib(ready), number=ready, unit="B")
        started = time.monotonic()
        for (_, page), path in zip(pages, files, strict=True):
            page.get_by_test_id("stFileUploaderDropzoneInput").first.set_input_files(str(path))
        spread = time.monotonic() - started
        results: dict[int, tuple[str, str, float]] = {}
        idle_since: dict[int, float] = {}
        peak = rss(pid)
        while len(results) < sessions and time.monotonic() - started < DEADLINE:
            time.sleep(1)
            peak = max(peak, rss(pid))
            for i, ((_, page), path) in enumerate(zip(pages, files, strict=True)):
                if i in results:
                    continue
                state, detail = outcome(page, path.name)
                now = time.monotonic() - started
                if state in ("loaded", "said why"):
                    results[i] = (state, detail.replace(path.name, "<file>"), now)
                elif state == "idle":
                    # idle with nothing to show for it, and still so ten seconds later: lost
                    first = idle_since.setdefault(i, now)
                    if now - first >= 10:
                        results[i] = ("lost (no message)", "", now)
                else:
                    idle_since.pop(i, None)
        for i in range(sessions):
            results.setdefault(i, ("still working at the deadline", "", DEADLINE))
        counts = Counter(state for state, _, _ in results.values())
        row("files put into the uploaders within", f"{spread:.1f} s", number=spread, unit="s")
        for state in ("loaded", "said why", "lost (no message)", "still working at the deadline"):
            n = counts.get(state, 0)
            target = (
                "target: all" if state == "loaded" else ("target: 0" if "lost" in state else "")
            )
            ok = (n == sessions) if state == "loaded" else (n == 0 if "lost" in state else None)
            row(f"  {state}", f"{n} of {sessions}", target, ok, number=n, unit="sessions")
        reasons = Counter(detail for state, detail, _ in results.values() if state == "said why")
        for detail, n in reasons.most_common(3):
            print(f"    {n} x said: {detail!r}")
        done = sorted(t for state, _, t in results.values() if state == "loaded")
        if done:
            row(
                "  last successful load, after the files went in",
                f"{done[-1]:.0f} s",
                number=done[-1],
                unit="s",
            )
        row("server RSS, peak seen while loading", mib(peak), number=peak, unit="B")
        loaded = settle(pid)
        n_loaded = counts.get("loaded", 0)
        limit = idle + n_loaded * 2.5 * frame
        row(
            f"server RSS with the {n_loaded} loaded sessions open",
            mib(loaded),
            f"target <= idle + {n_loaded} x 2.5 frames = {mib(limit)}",
            loaded <= limit,
            number=loaded,
            unit="B",
        )
        warm.close()
        for context, _ in pages:
            context.close()
        closed = _after_close(pid, idle + frame)
        limit = 1.5 * (idle + frame)
        row(
            f"after the sessions closed (session TTL {SESSION_TTL} s)",
            mib(closed),
            f"target <= 1.5x (idle + frame) = {mib(limit)}",
            closed <= limit,
            number=closed,
            unit="B",
        )


if __name__ == "__main__":
    import argparse

    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sessions", type=int, default=20)
    bench_concurrent(p.parse_args().sessions)
