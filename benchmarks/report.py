"""How long the client report takes: its content, the HTML (charts drawn to SVG) and the PDF,
for the sample's largest pipeline and for 100,000 synthetic deals.

Targets (issue 14): the whole document under 10 s for the sample, under 30 s for 100k deals.
The tests check what the report holds; its speed is measured here, where a busy machine cannot
fail a correct change.

    cd benchmarks && ../.venv/bin/python report.py [--repeat N]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date
from typing import Any

import numpy as np
import pandas as pd
from common import OUTCOMES, ROOT, STAGES, deal_frame, header, row

sys.path.insert(0, str(ROOT))

TARGETS = {"sample": 10.0, "100k": 30.0}


def sample_deals() -> Any:
    from funnel.io.readers import read_table
    from funnel.prepare import prepare
    from funnel.spec import Spec

    frame = read_table(ROOT / "sample_data" / "amocrm_export.xlsx").frame
    spec = Spec.from_file(ROOT / "sample_data" / "amocrm_export.security.spec.yaml")
    return prepare(frame, spec)


def synthetic_deals(n: int) -> Any:
    from funnel.prepare import prepare
    from funnel.spec import Change, Spec, Stage

    spec = Spec(
        columns={
            "deal": "ID",
            "title": "Название сделки",
            "amount": "Бюджет ",
            "owner": "Ответственный",
            "created": "Дата создания сделки",
            "stage": "Этап сделки",
            "pipeline": "Воронка",
            "channel": "Источник",
            "product": "Продукт",
            "loss_reason": "Причина отказа",
            "lost_stage": "Этап отказа",
            "closed": "Дата закрытия",
        },
        stages=tuple(Stage(s) for s in STAGES),
        won=(OUTCOMES[0],),
        lost=(OUTCOMES[1],),
        changes=(Change(date(2025, 9, 1), "Новый скрипт"),),
    )
    frame = deal_frame(n)
    # Every section filled: where each lost deal was lost, and when each closed deal closed.
    rng = np.random.default_rng(11)
    lost = frame["Этап сделки"] == OUTCOMES[1]
    frame["Этап отказа"] = np.where(lost, rng.choice(STAGES, n), "")
    closed = frame["Этап сделки"].isin(OUTCOMES)
    days = pd.to_timedelta(rng.integers(1, 120, n), unit="D")
    frame["Дата закрытия"] = (frame["Дата создания сделки"] + days).where(closed)
    return prepare(frame, spec)


def phases(deals: Any, language: str) -> dict[str, float]:
    """Seconds for the content, the HTML and the PDF of one report."""
    from funnel.document.content import client_report
    from funnel.document.html import to_html
    from funnel.document.pdf import to_pdf

    took: dict[str, float] = {}
    started = time.perf_counter()
    report = client_report(deals, title="Benchmark", source="bench", language=language)
    took["content"] = time.perf_counter() - started
    started = time.perf_counter()
    html = to_html(report)
    took["html"] = time.perf_counter() - started
    started = time.perf_counter()
    pdf = to_pdf(report, html)
    took["pdf"] = time.perf_counter() - started
    took["pages_kb"] = len(pdf) / 1024
    return took


def bench(name: str, make: Callable[[], Any], repeat: int) -> None:
    started = time.perf_counter()
    deals = make()
    prepared = time.perf_counter() - started
    header(f"client report, {name}: {len(deals):,} deals (median of {repeat})")
    row("prepare the deals (not part of the report)", f"{prepared:.2f} s", number=prepared)
    from funnel.document.content import client_report

    sections = client_report(deals, language="ru").sections
    row("sections", f"{len(sections)}", " ".join(sections), number=len(sections))
    runs = [phases(deals, "ru") for _ in range(repeat)]
    median = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
    for key in ("content", "html", "pdf"):
        row(f"  {key}", f"{median[key]:.2f} s", number=median[key], unit="s")
    html_total = median["content"] + median["html"]
    pdf_total = html_total + median["pdf"]
    target = TARGETS[name]
    row(
        "HTML (content + charts + page)",
        f"{html_total:.2f} s",
        f"target < {target:.0f} s",
        html_total < target,
        number=html_total,
        unit="s",
    )
    row(
        "PDF (the HTML, then laid out)",
        f"{pdf_total:.2f} s",
        f"target < {target:.0f} s",
        pdf_total < target,
        number=pdf_total,
        unit="s",
    )
    row("PDF size", f"{median['pages_kb']:.0f} KiB", number=median["pages_kb"], unit="KiB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    phases(synthetic_deals(2_000), "ru")  # imports and vl-convert's engine warmed once
    bench("sample", sample_deals, args.repeat)
    bench("100k", lambda: synthetic_deals(100_000), args.repeat)


if __name__ == "__main__":
    main()
