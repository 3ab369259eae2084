"""Server-side cost of a rerun: the Funnel page after a sidebar filter change, after the
deals/money switch and with nothing changed, run through Streamlit's AppTest (the script runs as
on the server; no browser, no network), against a trivial page that draws one small Altair
chart, timed in turns with it. Then one profiled pass says where the time goes: Altair and its
JSON-schema validation, Streamlit, the project's own functions.

Both pages run on one script cache, as on a server, which compiles a script once: AppTest on its
own compiles every script again on each run. What that compiling costs is printed apart."""

from __future__ import annotations

import cProfile
import pstats
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from common import ROOT, header, row, xlsx_input

APP = str(ROOT / "app.py")
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TARGET_MS = 50.0


def trivial_page() -> None:
    """The baseline: one widget and one small Altair chart, drawn the ordinary way."""
    import altair as alt
    import pandas as pd
    import streamlit as st

    choice = st.segmented_control("Measure", ["a", "b"], default="a", key="pick", required=True)
    data = pd.DataFrame({"stage": list("ABCDE"), "n": [50, 30, 20, 10, 5]})
    if choice == "b":
        data["n"] = data["n"] * 2
    st.altair_chart(alt.Chart(data).mark_bar().encode(x="n:Q", y="stage:N"))


# ---- profiling the script thread -------------------------------------------------------------
# AppTest runs the page in a thread of its own; cProfile sees only the thread that enables it.

_PROFILER: cProfile.Profile | None = None


def _patch_runner() -> None:
    from streamlit.testing.v1.local_script_runner import LocalScriptRunner

    if getattr(LocalScriptRunner, "_bench_patched", False):
        return
    original = LocalScriptRunner._run_script_thread

    def profiled(self: Any) -> None:
        profiler = _PROFILER
        if profiler is not None:
            profiler.enable()
        try:
            original(self)
        finally:
            if profiler is not None:
                profiler.disable()

    LocalScriptRunner._run_script_thread = profiled  # type: ignore[method-assign]
    LocalScriptRunner._bench_patched = True  # type: ignore[attr-defined]


# ---- scripts compiled once, as a server does ---------------------------------------------------

_SCRIPTS: Any = None


def _share_script_cache() -> None:
    """AppTest makes a new script cache for every run, so app.py and the page are parsed,
    rewritten for Streamlit's magic and compiled again on each rerun; a server keeps one cache
    for all sessions. Every AppTest run here gets that one cache."""
    global _SCRIPTS
    from streamlit.runtime.scriptrunner.script_cache import ScriptCache
    from streamlit.testing.v1 import app_test, local_script_runner

    if _SCRIPTS is None:
        _SCRIPTS = ScriptCache()
        # Two makers: the pages' cache (app_test) and the main script's (the script runner's).
        app_test.ScriptCache = lambda: _SCRIPTS  # type: ignore[attr-defined]
        local_script_runner.ScriptCache = lambda: _SCRIPTS  # type: ignore[attr-defined]


def compile_cost(repeat: int = 9) -> float:
    """Median time to make the bytecode of app.py and the Funnel page as AppTest does on each
    run (read, magic, compile)."""
    from streamlit.runtime.scriptrunner.script_cache import ScriptCache

    took = []
    for _ in range(repeat):
        fresh = ScriptCache()
        started = time.perf_counter()
        for script in (APP, str(ROOT / "app_pages" / "funnel.py")):
            fresh.get_bytecode(script)
        took.append(time.perf_counter() - started)
    return statistics.median(took)


# ---- the app ---------------------------------------------------------------------------------


def _quiet() -> None:
    """AppTest's own session warnings (there is no browser session) are not findings."""
    from streamlit.logger import get_logger, set_log_level

    set_log_level("error")
    get_logger("streamlit").setLevel("ERROR")


def _check(at: Any, what: str) -> None:
    if at.exception:
        raise RuntimeError(f"{what}: the app raised: {at.exception[0].value}")


def open_app(upload: Path | None) -> tuple[Any, float]:
    """The app on its Funnel page (the sample, or ``upload`` loaded through the Data page);
    returns it with the time of that page's first run after the data came."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(APP, default_timeout=300)
    at.session_state["lang"] = "ru"
    started = time.perf_counter()
    at.run()
    first = time.perf_counter() - started
    _check(at, "first screen")
    if upload is not None:
        at.switch_page("app_pages/data.py").run()
        at.file_uploader(key="upload").set_value((upload.name, upload.read_bytes(), XLSX_MIME))
        at.run()
        _check(at, "upload")
        if at.session_state["dataset"].name != upload.name:
            raise RuntimeError(f"the upload of {upload.name} did not load")
        at.switch_page("app_pages/funnel.py")
        started = time.perf_counter()
        at.run()
        first = time.perf_counter() - started
        _check(at, "funnel page")
    return at, first


def filter_changes(at: Any) -> Callable[[], None]:
    """Each call picks another channel in the sidebar filter (one, another, none, ...)."""
    version = at.session_state["dataset_version"]
    key = f"flt_channel_{version}"
    labels = list(at.multiselect(key=key).options)
    states = [[labels[0]], [labels[1]], [], [labels[0], labels[1]]]
    turn = [0]

    def change() -> None:
        turn[0] += 1
        at.multiselect(key=key).set_value(states[turn[0] % len(states)]).run()

    return change


def measure_changes(at: Any) -> Callable[[], None]:
    """Each call switches the funnel between deals and money (the chart's own widget)."""
    key = "funnel_measure_ru"
    options = ["deals", "money"]
    turn = [0]

    def change() -> None:
        turn[0] += 1
        at.segmented_control(key=key).set_value(options[turn[0] % 2]).run()

    return change


def nothing_changes(at: Any) -> Callable[[], None]:
    """Each call reruns the page with the same widgets (what a click elsewhere costs)."""

    def change() -> None:
        at.run()

    return change


def trivial_changes() -> Callable[[], None]:
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_function(trivial_page)
    at.run()
    turn = [0]

    def change() -> None:
        turn[0] += 1
        at.segmented_control(key="pick").set_value("ab"[turn[0] % 2]).run()

    change()  # the first change imports and warms what the page uses
    return change


def _timed(fn: Callable[[], None]) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def where_time_goes(change: Callable[[], None], runs: int, top: int = 14) -> None:
    """Profile ``runs`` reruns; print time by package and the heaviest calls."""
    global _PROFILER
    _PROFILER = cProfile.Profile()
    for _ in range(runs):
        change()
    profiler, _PROFILER = _PROFILER, None
    stats = pstats.Stats(profiler)
    raw: dict[Any, Any] = stats.stats  # type: ignore[attr-defined]
    total = sum(tt for (_, _, tt, _, _) in raw.values())
    by_part: dict[str, float] = {}
    for (filename, _, _), (_, _, tt, _, _) in raw.items():
        by_part[_part(filename)] = by_part.get(_part(filename), 0.0) + tt
    print(f"  where a rerun's time goes ({runs} reruns profiled; self time, ms per rerun):")
    for part, tt in sorted(by_part.items(), key=lambda kv: -kv[1])[:8]:
        print(f"    {part:<40} {tt / runs * 1000:8.1f} ms  {tt / total:5.0%}")
    print("  heaviest calls (cumulative ms per rerun; altair, jsonschema and the project's):")
    shown = 0
    for (filename, line, name), (_, _, _, ct, _) in sorted(raw.items(), key=lambda kv: -kv[1][3]):
        part = _part(filename)
        if part in ("altair", "jsonschema") or part.startswith("project"):
            where = f"{_short(filename)}:{line} {name}"
            print(f"    {where:<70} {ct / runs * 1000:8.1f} ms")
            shown += 1
            if shown == top:
                break
    print("  named calls (cumulative ms per rerun; they nest, so they do not add up):")
    for label, part, names in NAMED:
        took = max(
            (ct for (f, _, n), (_, _, _, ct, _) in raw.items() if n in names and part in f),
            default=0.0,
        )
        print(f"    {label:<70} {took / runs * 1000:8.1f} ms")
    print("  (cProfile slows Altair's many small calls more than the rest: compare the parts,")
    print("  not their sum, with the medians above)")


NAMED = (
    ("Altair: Chart.to_dict (spec building, validation if asked)", "altair/", {"to_dict"}),
    ("Altair: JSON-schema validation", "altair/", {"validate_jsonschema", "_validate"}),
    ("Altair: chart construction (encode)", "altair/", {"encode"}),
    (
        "Streamlit: st.altair_chart / st.vega_lite_chart",
        "streamlit/",
        {"altair_chart", "vega_lite_chart"},
    ),
    ("project: funnel.metrics.funnel", "funnel/metrics.py", {"funnel"}),
    (
        "project: funnel.charts.funnel.funnel_chart (Altair)",
        "funnel/charts/funnel.py",
        {"funnel_chart"},
    ),
    (
        "project: funnel.charts.funnel.funnel_spec (its dict)",
        "funnel/charts/funnel.py",
        {"funnel_spec"},
    ),
    ("project: ui.charts.show_chart", "ui/charts.py", {"show_chart"}),
    ("project: ui.tables.show_table (the stage table)", "ui/tables.py", {"show_table"}),
    ("project: ui.tables.text_table (its cells written)", "ui/tables.py", {"text_table"}),
    ("project: funnel.report.summary.stage_table", "funnel/report/summary.py", {"stage_table"}),
    ("project: ui.charts.chart_downloads", "ui/charts.py", {"chart_downloads"}),
    ("project: ui.leaks.section (weak points)", "ui/leaks.py", {"section"}),
    ("project: funnel.diagnostics.weak_points", "funnel/diagnostics.py", {"weak_points"}),
    ("project: ui.i18n.lang (the language, read once per run)", "ui/i18n.py", {"lang"}),
    ("project: ui.boundary.run, the whole page", "ui/boundary.py", {"run"}),
)


def _part(filename: str) -> str:
    if "site-packages/" in filename:
        return filename.split("site-packages/", 1)[1].split("/", 1)[0]
    if filename.startswith(str(ROOT)):
        rel = filename[len(str(ROOT)) + 1 :]
        return f"project: {rel.split('/', 1)[0]}"
    return "python (stdlib, builtins)"


def _short(filename: str) -> str:
    for cut in ("site-packages/", f"{ROOT}/"):
        if cut in filename:
            return filename.split(cut, 1)[1]
    return filename


def _quartiles(values: list[float]) -> tuple[float, float]:
    q = statistics.quantiles(values, n=4)
    return q[0], q[2]


def bench_rerun(reruns: int, *, with_upload: bool) -> None:
    """Median server-side rerun of the Funnel page after a filter change, after the measure
    switch and with nothing changed, each against the trivial page's rerun, in turns."""
    _patch_runner()
    _share_script_cache()
    _quiet()
    upload = xlsx_input(100_000) if with_upload else None
    label = "100k deals" if upload is not None else "the sample"
    header(f"Rerun of the Funnel page on {label} (AppTest, server side, median of {reruns})")
    at, first = open_app(upload)
    _quiet()  # after the app's first run: Streamlit sets its log level as it starts
    row(
        f"first Funnel run after the data came ({label})",
        f"{first * 1000:.0f} ms",
        number=first,
        unit="s",
    )
    compiling = compile_cost()
    row(
        "  compiling app.py and the page (AppTest: every run; server: once)",
        f"{compiling * 1000:.1f} ms",
        number=compiling,
        unit="s",
    )
    trivial = trivial_changes()
    _quiet()
    for what, change in (
        ("a sidebar channel filter change", filter_changes(at)),
        ("the deals/money switch", measure_changes(at)),
        ("a rerun with nothing changed", nothing_changes(at)),
    ):
        change()  # the first of each kind builds what later ones may reuse; not counted
        ours, base = [], []
        for _ in range(reruns):
            ours.append(_timed(change))
            base.append(_timed(trivial))
            _check(at, what)
        t_ours, t_base = statistics.median(ours), statistics.median(base)
        ratios = [o / b for o, b in zip(ours, base, strict=True)]
        ratio = statistics.median(ratios)
        low, high = _quartiles(ratios)
        row(
            "  trivial page (one Altair chart): widget change",
            f"{t_base * 1000:.1f} ms",
            number=t_base,
            unit="s",
        )
        q1, q3 = _quartiles(ours)
        row(
            f"  Funnel page ({label}): {what}",
            f"{t_ours * 1000:.1f} ms ({q1 * 1000:.0f}-{q3 * 1000:.0f})",
            f"target <= {TARGET_MS:.0f} ms",
            t_ours * 1000 <= TARGET_MS,
            number=t_ours,
            unit="s",
        )
        row(
            "  ... against the trivial page",
            f"{ratio:.1f}x ({low:.1f}-{high:.1f})",
            "target <= 3x",
            ratio <= 3,
            number=ratio,
            unit="x",
        )
    print("  (in brackets: the middle half of the runs, a measure of the noise)")
    where_time_goes(filter_changes(at), max(5, reruns // 2))


if __name__ == "__main__":
    import argparse

    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--reruns", type=int, default=15)
    p.add_argument("--upload", action="store_true", help="also with 100k deals uploaded")
    args = p.parse_args()
    bench_rerun(args.reruns, with_upload=False)
    if args.upload:
        bench_rerun(args.reruns, with_upload=True)
