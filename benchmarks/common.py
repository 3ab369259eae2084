"""What every benchmark script shares: the synthetic deal exports, interleaved timing and the
printed (and optionally JSON) result rows."""

from __future__ import annotations

import gc
import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

STAGES = ["Первичный контакт", "Переговоры", "Принимают решение", "Согласование договора"]
OUTCOMES = ["Успешно реализовано", "Закрыто и не реализовано"]
CHANNELS = ["Контекстная реклама", "Email-рассылка", "Холодные звонки", "Рекомендации", "Выставка"]
PRODUCTS = ["СКУД", "Видеонаблюдение", "Сигнализация", "Флешки", "Двери", "Чехлы"]
OWNERS = ["Иванов", "Петров", "Сидорова", "Кузнецова", "Смирнов", "Попов"]


def deal_frame(n: int, seed: int = 7) -> pd.DataFrame:
    """An amoCRM-like deal list with n rows (typed: numbers, datetimes, text)."""
    rng = np.random.default_rng(seed)
    stage = rng.choice(STAGES + OUTCOMES, n, p=[0.3, 0.15, 0.1, 0.05, 0.15, 0.25])
    created = np.datetime64("2025-01-01") + rng.integers(0, 600 * 24 * 60, n).astype(
        "timedelta64[m]"
    )
    return pd.DataFrame(
        {
            "ID": np.arange(1, n + 1),
            "Название сделки": [f"Сделка #{i}" for i in range(n)],
            "Бюджет ": rng.integers(1, 3000, n) * 1000.0,
            "Ответственный": rng.choice(OWNERS, n),
            "Дата создания сделки": created.astype("datetime64[ns]"),
            "Этап сделки": stage,
            "Воронка": "Основная",
            "Источник": rng.choice(CHANNELS, n),
            "Продукт": rng.choice(PRODUCTS, n),
            "Причина отказа": np.where(stage == OUTCOMES[1], "Дорого", ""),
        }
    )


def build_xlsx(path: Path, n: int, *, shared_strings: bool = True, seed: int = 7) -> None:
    """A title row above the header, then the deals. With ``shared_strings`` (the default) the
    text goes into ``xl/sharedStrings.xml`` as Excel, LibreOffice and the CRMs' exports write it;
    without, every string is written inline (xlsxwriter's ``constant_memory``), a file few real
    users have and a faster one to read."""
    import xlsxwriter

    df = deal_frame(n, seed)
    wb = xlsxwriter.Workbook(str(path), {"constant_memory": not shared_strings})
    ws = wb.add_worksheet("Сделки")
    datefmt = wb.add_format({"num_format": "dd.mm.yyyy hh:mm"})
    ws.write_row(0, 0, ["Выгрузка сделок"])
    ws.write_row(2, 0, list(df.columns))
    cols = [df[c].to_numpy() for c in df.columns]
    for i in range(n):
        r = i + 3
        for j, col in enumerate(cols):
            v = col[i]
            if j == 4:
                ws.write_datetime(r, j, pd.Timestamp(v).to_pydatetime(), datefmt)
            elif isinstance(v, str):
                ws.write_string(r, j, v)
            else:
                ws.write_number(r, j, float(v))
    wb.close()


def build_csv(path: Path, n: int, seed: int = 7) -> None:
    """A cp1251, semicolon-separated export with Russian number and date formats."""
    df = deal_frame(n, seed)
    df["Дата создания сделки"] = df["Дата создания сделки"].dt.strftime("%d.%m.%Y %H:%M:%S")
    df["Бюджет "] = df["Бюджет "].map(lambda v: f"{v:,.2f}".replace(",", " ").replace(".", ","))
    df.to_csv(path, sep=";", index=False, encoding="cp1251")


def xlsx_input(n: int, *, shared_strings: bool = True, seed: int = 7) -> Path:
    """The workbook of ``n`` rows in benchmarks/data/, built on first use."""
    kind = "shared" if shared_strings else "inline"
    suffix = "" if seed == 7 else f"_s{seed}"
    path = DATA / f"deals_{n // 1000}k_{kind}{suffix}.xlsx"
    if not path.exists():
        DATA.mkdir(exist_ok=True)
        started = time.perf_counter()
        build_xlsx(path, n, shared_strings=shared_strings, seed=seed)
        print(f"(built {path.name} in {time.perf_counter() - started:.1f} s)", flush=True)
    return path


def csv_input(n: int, seed: int = 7) -> Path:
    suffix = "" if seed == 7 else f"_s{seed}"
    path = DATA / f"deals_{n // 1000}k_cp1251{suffix}.csv"
    if not path.exists():
        DATA.mkdir(exist_ok=True)
        build_csv(path, n, seed)
    return path


# ---- timing ---------------------------------------------------------------------------------


def timed(fn: Callable[[], object]) -> float:
    gc.collect()
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def median_of(fn: Callable[[], object], repeat: int) -> float:
    return statistics.median(timed(fn) for _ in range(repeat))


def paired(
    bare: Callable[[], object], ours: Callable[[], object], pairs: int, warmup: bool = True
) -> tuple[float, float, float]:
    """Bare and project runs interleaved (A B A B ...), so a noisy neighbour hits both alike.
    Returns the median bare time, the median project time and the median of the per-pair
    ratios. One untimed run of each first, unless ``warmup`` is off, fills the page cache."""
    if warmup:
        bare()
        ours()
    t_bare, t_ours = [], []
    for _ in range(pairs):
        t_bare.append(timed(bare))
        t_ours.append(timed(ours))
    ratios = [o / b for b, o in zip(t_bare, t_ours, strict=True)]
    return statistics.median(t_bare), statistics.median(t_ours), statistics.median(ratios)


# ---- memory ---------------------------------------------------------------------------------


def proc_status(pid: int | str = "self") -> dict[str, int]:
    """VmRSS, VmHWM (peak RSS) and the like from /proc, in bytes."""
    out: dict[str, int] = {}
    with open(f"/proc/{pid}/status") as fh:
        for line in fh:
            key, _, rest = line.partition(":")
            if key.startswith("Vm") and rest.strip().endswith("kB"):
                out[key] = int(rest.split()[0]) * 1024
    return out


def reset_peak() -> bool:
    """Reset this process's VmHWM to its current RSS (Linux: write 5 to clear_refs)."""
    try:
        with open("/proc/self/clear_refs", "w") as fh:
            fh.write("5")
        return True
    except OSError:
        return False


def mib(n: float) -> str:
    return f"{n / 2**20:.0f} MiB"


# ---- output ---------------------------------------------------------------------------------

RESULTS: list[dict[str, Any]] = []


def row(
    name: str,
    value: str,
    target: str = "",
    ok: bool | None = None,
    *,
    number: float | None = None,
    unit: str = "",
) -> None:
    """Print one figure; keep it (with its raw number) for ``--json``."""
    mark = "" if ok is None else ("  OK" if ok else "  MISSED")
    print(f"{name:<60} {value:>22}   {target}{mark}", flush=True)
    RESULTS.append(
        {"name": name, "value": number, "unit": unit, "shown": value, "target": target, "ok": ok}
    )


def header(title: str) -> None:
    print(f"\n== {title}", flush=True)


def machine() -> dict[str, Any]:
    return {
        "cpus": os.cpu_count(),
        "python": sys.version.split()[0],
        "date": time.strftime("%Y-%m-%d"),
    }


def write_json(path: str) -> None:
    with open(path, "w", encoding="utf-8") as fh:
        json.dump({"machine": machine(), "results": RESULTS}, fh, ensure_ascii=False, indent=1)
    print(f"(results written to {path})")
