"""How big a client's workspace grows and how fast it opens: weekly CSV exports of one CRM
saved as snapshots in a SQLite store, then the client opened as the app opens it (the latest
export read, the earlier ones read for their stage moves, the history built and the deals
prepared), against reading and preparing the latest export alone in the same run.

    cd benchmarks && ../.venv/bin/python workspace.py [--rows N] [--weeks 2,4,12] [--repeat R]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time

import numpy as np
import pandas as pd
from common import OUTCOMES, ROOT, STAGES, deal_frame, header, mib, row

sys.path.insert(0, str(ROOT))

from funnel.io.readers import read_table
from funnel.prepare import prepare
from funnel.snapshots import history_from_snapshots
from funnel.spec import Spec, Stage
from funnel.store import open_store

SPEC = Spec(
    columns={
        "deal": "ID",
        "title": "Название сделки",
        "amount": "Бюджет ",
        "created": "Дата создания сделки",
        "stage": "Этап сделки",
        "channel": "Источник",
        "product": "Продукт",
    },
    stages=tuple(Stage(s) for s in STAGES),
    won=(OUTCOMES[0],),
    lost=(OUTCOMES[1],),
)


def weekly_exports(rows: int, weeks: int, seed: int = 5) -> list[bytes]:
    """``weeks`` CSV exports of one CRM a week apart: each week a third of the open deals move
    one stage on, a tenth are won or lost, and new deals arrive."""
    rng = np.random.default_rng(seed)
    frame = deal_frame(rows)[list(SPEC.columns.values())].copy()
    order = [*STAGES]
    stage = frame["Этап сделки"].to_numpy(dtype=object)
    stage[np.isin(stage, OUTCOMES)] = STAGES[0]  # every deal open at first
    shown = rows * 2 // 3  # the rest arrive over the weeks
    out = []
    for _ in range(weeks):
        now = frame.iloc[:shown].assign(**{"Этап сделки": stage[:shown]})
        out.append(now.to_csv(index=False, sep=";").encode("utf-8"))
        open_ = np.flatnonzero(np.isin(stage[:shown], order))
        moving = open_[rng.random(len(open_)) < 0.33]
        at = np.array([order.index(s) for s in stage[moving]])
        stage[moving] = np.array([*order, OUTCOMES[0]], dtype=object)[at + 1]
        closing = open_[rng.random(len(open_)) < 0.1]
        stage[closing] = rng.choice(OUTCOMES, len(closing))
        shown = min(rows, shown + rows // (3 * max(weeks, 1)))
    return out


def median_s(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--weeks", default="2,4,12")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    weeks = sorted(int(w) for w in args.weeks.split(","))
    exports = weekly_exports(args.rows, max(weeks))
    header(f"A client's workspace: weekly exports of {args.rows:,} deals (CSV)")
    with tempfile.TemporaryDirectory() as folder, open_store(f"sqlite:///{folder}/ws.db") as db:
        ws = db.create_workspace("Бенчмарк")
        version = ws.version
        save_times = []
        source_id = ""
        for i, data in enumerate(exports):
            taken = pd.Timestamp("2026-01-05", tz="UTC") + pd.Timedelta(weeks=i)
            t0 = time.perf_counter()
            if i == 0:
                saved = db.add_file(ws.id, "crm.csv", data, version=version, taken=taken)
                source_id = saved.item.source_id
            else:
                saved = db.add_snapshot(ws.id, source_id, data, version=version, taken=taken)
            save_times.append(time.perf_counter() - t0)
            version = saved.version
        shots = db.snapshots(ws.id, source_id)
        row(
            "one export saved (median)",
            f"{statistics.median(save_times) * 1000:.0f} ms",
            f"{mib(len(exports[-1]))} each",
        )

        def read(shot) -> pd.DataFrame:
            data = db.snapshot_bytes(ws.id, shot.id)
            return read_table(data, name=shot.file_name).frame

        for count in weeks:
            chosen = shots[:count]

            def alone(chosen=chosen) -> None:
                prepare(read(chosen[-1]), SPEC, source="crm.csv")

            def with_history(chosen=chosen) -> None:
                snaps = [(s.taken.date(), read(s)) for s in chosen]
                made = history_from_snapshots(snaps, SPEC)
                prepare(made.deal_list, made.spec, events=made.events, source="crm.csv")

            base = median_s(alone, args.repeat)
            opened = median_s(with_history, args.repeat)
            stored = sum(s.size for s in chosen)
            row(
                f"open with {count} exports",
                f"{opened:.2f} s",
                f"{opened / base:.1f}x the latest alone ({base:.2f} s); files {mib(stored)}",
            )
        t0 = time.perf_counter()
        archive = db.export_workspace(ws.id)
        row("export to zip", f"{time.perf_counter() - t0:.2f} s", f"{mib(len(archive))} zip")
    limits = db.limits
    print(f"limits: a file {mib(limits.file_bytes)}, a workspace {mib(limits.workspace_bytes)}")


if __name__ == "__main__":
    main()
