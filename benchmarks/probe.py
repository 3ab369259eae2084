"""Measurements that need a fresh process, one per run; each prints one JSON line.

``peak <file>``: peak RSS (VmHWM) over read + infer + prepare + funnel, against the frame.
``bare <file>``: peak RSS of the bare pandas/fastexcel read of the same file.
``cold <rows>``: the first funnel call of a process, then the warm median.
bench.py runs these; they are not meant to be run by hand.
"""

from __future__ import annotations

import gc
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from common import ROOT, deal_frame, proc_status, reset_peak

SAMPLE = ROOT / "sample_data" / "amocrm_export.csv"


def peak(path: Path) -> dict[str, float]:
    from funnel.detect.infer import infer_spec
    from funnel.io.readers import read_table
    from funnel.metrics import funnel
    from funnel.prepare import prepare

    def work(source: Path) -> tuple[float, Any]:
        table = read_table(source)
        after_read = proc_status()["VmHWM"]
        spec = infer_spec(table.frame).spec.with_changes(filter={})
        deals = prepare(table.frame, spec)
        by = [role for role in ("channel", "product") if role in deals.segments]
        funnel(deals, by).amount_at  # noqa: B018 (money is summed on first use)
        return after_read, table

    # A small file of the same kind first, so that the libraries the readers import on first
    # use count as the interpreter's, not as the read's.
    work(SAMPLE)
    gc.collect()
    idle = proc_status()["VmRSS"]
    reset = reset_peak()
    after_read, table = work(path)
    status = proc_status()
    return {
        "idle": idle,
        "peak": status["VmHWM"],
        "peak_read": after_read,
        "end": status["VmRSS"],
        "frame": float(table.frame.memory_usage(deep=True).sum()),
        "reset": reset,
    }


def bare(path: Path) -> dict[str, float]:
    import fastexcel
    import pandas as pd

    pd.read_csv(SAMPLE, sep=None, engine="python")  # the first use's imports, as above
    gc.collect()
    idle = proc_status()["VmRSS"]
    reset = reset_peak()
    if path.suffix == ".csv":
        frame = pd.read_csv(path, sep=";", encoding="cp1251")
    else:
        frame = fastexcel.read_excel(str(path)).load_sheet(0, header_row=2).to_pandas()
    status = proc_status()
    return {
        "idle": idle,
        "peak": status["VmHWM"],
        "frame": float(frame.memory_usage(deep=True).sum()),
        "reset": reset,
    }


def cold(n: int, warm_repeat: int = 7) -> dict[str, float]:
    from funnel.detect.infer import infer_spec
    from funnel.metrics import funnel
    from funnel.prepare import prepare

    frame = deal_frame(n)
    deals = prepare(frame, infer_spec(frame).spec.with_changes(filter={}))
    started = time.perf_counter()
    funnel(deals, ["channel", "product"])
    first = time.perf_counter() - started
    warm = []
    for _ in range(warm_repeat):
        started = time.perf_counter()
        funnel(deals, ["channel", "product"])
        warm.append(time.perf_counter() - started)
    return {"cold": first, "warm": statistics.median(warm)}


if __name__ == "__main__":
    what, arg = sys.argv[1], sys.argv[2]
    if what == "peak":
        result = peak(Path(arg))
    elif what == "bare":
        result = bare(Path(arg))
    else:
        result = cold(int(arg))
    print(json.dumps(result))
