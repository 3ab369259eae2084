"""Benchmark: every figure printed beside a bare baseline measured in the same run.

Run with ``./dev bench [what ...] [--quick] [--json FILE]`` (inputs are built once into
benchmarks/data/, which git ignores). Targets are printed, never asserted: machines here are
shared and noisy. Timings are medians of bare and project runs taken in turns (A B A B ...), a
ratio per pair. What can be measured:

- ``load``: shared-strings .xlsx (as Excel writes it) to a typed frame with detection done,
  against the bare fastexcel read (<= 1.2x) and one typing every row as Voronka must, through
  the app's guarded worker too, and the naive openpyxl read; the inline-strings workbook,
  labelled; 500k rows (< 4 s); a 1M-row cp1251 CSV against pandas.read_csv.
- ``funnel``: infer_spec on 1M rows (< 0.5 s); the funnel by channel x product on 1M deals
  against numpy.bincount (<= 2x), cold (first call of a fresh process) and warm; filtered.
- ``memory``: peak RSS of a fresh process over read + infer + prepare + funnel of 1M deals, as
  a multiple of the frame (<= 3x), beside the bare read's.
- ``overtime``: the over-time pages' engine calls on 1M deals (< 0.5 s each).
- ``rerun``: the Funnel page's server-side rerun after a widget change (AppTest), on the sample
  and with 100k deals uploaded (<= 50 ms, <= 3x a trivial page), and where its time goes.
- ``uploads``: the real server in Chromium: upload -> funnel chart against the bare read, in
  turns (<= 1.5x; benchmarks/upload_time.py); K uploads of different 100k-row files: RSS per
  upload and after the sessions close (benchmarks/upload_memory.py).
- ``concurrent``: twenty sessions upload at once: loaded, said why, lost
  (benchmarks/concurrent_uploads.py).

Without ``what``, all but the two browser ones run; ``all`` runs everything.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
from common import (
    OWNERS,
    ROOT,
    csv_input,
    deal_frame,
    header,
    median_of,
    mib,
    paired,
    row,
    timed,
    write_json,
    xlsx_input,
)

from funnel.detect.infer import infer_spec
from funnel.filters import Filters, mask
from funnel.io.readers import read_table
from funnel.metrics import funnel
from funnel.prepare import prepare

HERE = Path(__file__).resolve().parent
SUITES = ("load", "funnel", "memory", "overtime", "rerun", "uploads", "concurrent")
DEFAULT = SUITES[:5]


def bench_xlsx(n: int, pairs: int, *, shared_strings: bool = True, naive: bool = False) -> None:
    import fastexcel

    from funnel.io import guard

    path = xlsx_input(n, shared_strings=shared_strings)
    kind = "shared strings" if shared_strings else "INLINE strings (not what Excel writes)"
    name = f"{n // 1000}k .xlsx, {kind}"
    header(name)

    def bare() -> None:
        fastexcel.read_excel(str(path)).load_sheet(0, header_row=2).to_arrow()

    def ours() -> None:
        infer_spec(read_table(path).frame)

    t_bare, t_ours, ratio = paired(bare, ours, pairs, warmup=n <= 100_000)
    row("bare fastexcel read (to Arrow)", f"{t_bare:.3f} s", number=t_bare, unit="s")
    row("read_table + infer_spec", f"{t_ours:.3f} s", number=t_ours, unit="s")
    if n <= 100_000:
        row(
            "load + detection vs bare",
            f"{ratio:.2f}x",
            "target <= 1.2x",
            ratio <= 1.2,
            number=ratio,
            unit="x",
        )
    else:
        row("load + detection vs bare", f"{ratio:.2f}x", number=ratio, unit="x")
        row(
            "load + detection",
            f"{t_ours:.2f} s",
            "target < 4 s",
            t_ours < 4,
            number=t_ours,
            unit="s",
        )
    if not shared_strings or n > 100_000:
        return

    def bare_typed() -> None:  # as Voronka must read: every row typed, not the first 1000
        fastexcel.read_excel(str(path)).load_sheet(
            0, header_row=2, schema_sample_rows=None
        ).to_arrow()

    t_typed, _, ratio = paired(bare_typed, ours, pairs)
    row("bare read typing every row (what a text cell at row 5000 needs)", f"{t_typed:.3f} s",
        number=t_typed, unit="s")  # fmt: skip
    row("  load + detection vs that read", f"{ratio:.2f}x", number=ratio, unit="x")
    data = path.read_bytes()

    def app_path() -> None:  # what the server does with an upload: a bounded worker reads it
        infer_spec(guard.read_table(data, name=path.name).frame)

    t_bare, t_app, ratio = paired(bare, app_path, pairs)
    row("the app's path (guarded worker) + infer_spec", f"{t_app:.3f} s", number=t_app, unit="s")
    row("  ... vs bare", f"{ratio:.2f}x", number=ratio, unit="x")
    if naive:
        t_naive = timed(lambda: pd.read_excel(path, engine="openpyxl", header=2))
        row(
            "naive pandas.read_excel (openpyxl), once", f"{t_naive:.2f} s", number=t_naive, unit="s"
        )
        row(
            "  ... Voronka's load + detection is faster by",
            f"{t_naive / t_ours:.1f}x",
            number=t_naive / t_ours,
            unit="x",
        )


def bench_csv(n: int, pairs: int) -> None:
    path = csv_input(n)
    header(f"{n // 1000}k-row cp1251 .csv")
    t_bare, t_ours, ratio = paired(
        lambda: pd.read_csv(path, sep=";", encoding="cp1251"), lambda: read_table(path), pairs
    )
    row("bare pandas.read_csv", f"{t_bare:.3f} s", number=t_bare, unit="s")
    row("read_table (typed, clean)", f"{t_ours:.3f} s", number=t_ours, unit="s")
    row("  ... vs bare", f"{ratio:.2f}x", number=ratio, unit="x")


def bench_infer(n: int, repeat: int) -> None:
    """Inference reads every kind of evidence on a sample: it must not grow with the rows."""
    header(f"detection on {n // 1000}k rows")
    for label, frame in (("amoCRM-like", deal_frame(n)), ("stage-date register", dated_frame(n))):
        t = median_of(lambda f=frame: infer_spec(f), repeat)
        row(f"infer_spec, {label}", f"{t:.3f} s", "target < 0.5 s", t < 0.5, number=t, unit="s")


def probe(*args: str) -> dict[str, float]:
    """One measurement in a fresh interpreter (benchmarks/probe.py)."""
    out = subprocess.run(
        [sys.executable, str(HERE / "probe.py"), *args],
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def bench_funnel(n: int, pairs: int, cold_runs: int) -> None:
    header(f"funnel on {n // 1000}k deals")
    frame = deal_frame(n)
    deals = prepare(frame, infer_spec(frame).spec.with_changes(filter={}))
    ch, pr = deals.segments["channel"], deals.segments["product"]
    codes = (ch.codes.astype(np.int64) * len(pr.labels) + pr.codes) * (len(deals.stages) * 4)
    codes = codes + deals.base_code
    size = len(ch.labels) * len(pr.labels) * len(deals.stages) * 4
    t_floor, t_funnel, ratio = paired(
        lambda: np.bincount(codes, minlength=size),
        lambda: funnel(deals, ["channel", "product"]),
        pairs,
    )
    row(
        "bare numpy.bincount over the same codes",
        f"{t_floor * 1000:.1f} ms",
        number=t_floor,
        unit="s",
    )
    row("funnel by channel x product, warm", f"{t_funnel * 1000:.1f} ms", number=t_funnel, unit="s")
    row("  ... vs bare", f"{ratio:.2f}x", "target <= 2x", ratio <= 2, number=ratio, unit="x")
    colds = [probe("cold", str(n)) for _ in range(cold_runs)]
    t_cold = statistics.median(c["cold"] for c in colds)
    t_warm = statistics.median(c["warm"] for c in colds)
    row(
        f"funnel, cold: first call of a fresh process (median of {cold_runs})",
        f"{t_cold * 1000:.1f} ms",
        number=t_cold,
        unit="s",
    )
    row("  ... the same processes' warm calls", f"{t_warm * 1000:.1f} ms", number=t_warm, unit="s")
    t_money = median_of(lambda: funnel(deals, ["channel", "product"]).amount_at, pairs)
    row("  ... with the amounts summed too", f"{t_money * 1000:.1f} ms", number=t_money, unit="s")
    filters = Filters(
        created_from=date(2025, 3, 1),
        created_to=date(2026, 2, 28),
        values={"owner": ("Иванов", "Петров")},
    )
    t_filtered = median_of(
        lambda: funnel(deals, ["channel", "product"], mask=mask(deals, filters)), pairs
    )
    row(
        "  ... with a date range and an owner filter",
        f"{t_filtered * 1000:.1f} ms",
        "target < 40 ms",
        t_filtered < 0.040,
        number=t_filtered,
        unit="s",
    )


def bench_memory(n: int) -> None:
    """Peak RSS (VmHWM) of a fresh process; the interpreter and libraries loaded before the
    read are subtracted, as they are paid once per server, not per dataset."""
    path = csv_input(n)
    header(f"peak memory, {n // 1000}k deals from the cp1251 .csv (process RSS, fresh process)")
    ours, bare = probe("peak", str(path)), probe("bare", str(path))
    if not ours["reset"]:
        print("  (could not reset VmHWM: the peaks include the imports)")
    frame = ours["frame"]
    row("the loaded frame (memory_usage(deep=True))", mib(frame), number=frame, unit="B")
    row("interpreter + libraries before the read", mib(ours["idle"]), number=ours["idle"], unit="B")
    row(
        "peak RSS, read + infer + prepare + funnel",
        mib(ours["peak"]),
        number=ours["peak"],
        unit="B",
    )
    grown = (ours["peak"] - ours["idle"]) / frame
    row(
        "  ... what the work added, as a multiple of the frame",
        f"{grown:.2f}x frame",
        "target <= 3x",
        grown <= 3,
        number=grown,
        unit="x",
    )
    whole = ours["peak"] / frame
    row(
        "  ... the whole process, as a multiple of the frame",
        f"{whole:.2f}x frame",
        number=whole,
        unit="x",
    )
    read_only = (ours["peak_read"] - ours["idle"]) / frame
    row("  ... of which the read alone", f"{read_only:.2f}x frame", number=read_only, unit="x")
    bare_grown = (bare["peak"] - bare["idle"]) / bare["frame"]
    row(
        "bare pandas.read_csv: what it added, vs its own frame",
        f"{bare_grown:.2f}x frame",
        number=bare_grown,
        unit="x",
    )


def dated_frame(n: int, seed: int = 5) -> pd.DataFrame:
    """A register with a stage column and bare-named stage-date columns (n rows)."""
    rng = np.random.default_rng(seed)
    names = ["Дата заявки", "Квалификация", "Встреча", "КП", "Счёт", "Оплата"]
    values = [
        "Новая заявка",
        "Квалификация",
        "Встреча проведена",
        "КП отправлено",
        "Счёт выставлен",
        "Оплата получена",
    ]
    furthest = rng.integers(0, len(names), n)
    start = np.datetime64("2025-01-01", "ns") + rng.integers(0, 400, n).astype("timedelta64[D]")
    frame = {"ID": np.arange(1, n + 1), "Этап": np.array(values)[furthest]}
    for k, name in enumerate(names):
        when = start + np.timedelta64(3 * k, "D")
        frame[name] = np.where(furthest >= k, when, np.datetime64("NaT"))
    frame["Менеджер"] = rng.choice(OWNERS, n)
    return pd.DataFrame(frame)


def main() -> None:
    p = argparse.ArgumentParser(
        description=__doc__.splitlines()[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("what", nargs="*", choices=[*SUITES, "all"], help="what to measure")
    p.add_argument(
        "--quick",
        action="store_true",
        help="skip the 500k .xlsx, the 1M .csv read and the naive openpyxl read",
    )
    p.add_argument("--pairs", type=int, default=7, help="bare/project pairs per timing")
    p.add_argument("--reruns", type=int, default=15, help="reruns per widget change")
    p.add_argument("--uploads", type=int, default=6, help="uploads for the memory script")
    p.add_argument("--sessions", type=int, default=20, help="sessions uploading at once")
    p.add_argument("--json", metavar="FILE", help="also write the figures as JSON")
    args = p.parse_args()
    what = set(args.what) or set(DEFAULT)
    if "all" in what:
        what = set(SUITES)
    print(f"{'measure':<60} {'value':>22}   target")
    if "load" in what:
        bench_xlsx(100_000, args.pairs, naive=not args.quick)
        bench_xlsx(100_000, args.pairs, shared_strings=False)
        if not args.quick:
            bench_xlsx(500_000, 3)
            bench_csv(1_000_000, 3)
    if "funnel" in what:
        bench_infer(1_000_000, 3)
        bench_funnel(1_000_000, max(args.pairs, 5), cold_runs=3)
    if "memory" in what:
        bench_memory(1_000_000)
    if "overtime" in what:
        from overtime import bench_over_time

        bench_over_time(1_000_000, 3)
    if "rerun" in what:
        from rerun import bench_rerun

        bench_rerun(args.reruns, with_upload=False)
        bench_rerun(args.reruns, with_upload=True)
    if "uploads" in what:
        from upload_memory import bench_upload_memory
        from upload_time import bench_upload_time

        bench_upload_time(max(args.pairs, 5))
        bench_upload_memory(args.uploads)
    if "concurrent" in what:
        from concurrent_uploads import bench_concurrent

        bench_concurrent(args.sessions)
    print(f"\n(medians; python {sys.version.split()[0]}; figures from one run on this machine)")
    if args.json:
        write_json(args.json)


if __name__ == "__main__":
    main()
