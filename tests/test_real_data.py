"""Real public data, zero touch: read, infer, prepare and count with no hand-made spec.

Each folder of ``tests/data/real`` holds the files as published, where they came from and
their licence (``SOURCE.md``), and ``expected.json`` written by ``expected.py`` with plain pandas.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from funnel.detect.infer import infer_spec
from funnel.io.readers import read_table
from funnel.metrics import funnel
from funnel.prepare import prepare

REAL = Path(__file__).parent / "data" / "real"


@pytest.fixture(scope="module")
def maven():
    table = read_table(REAL / "maven_crm" / "sales_pipeline.csv")
    inference = infer_spec(table.frame)
    deals = prepare(table.frame, inference.spec)
    expected = json.loads((REAL / "maven_crm" / "expected.json").read_text(encoding="utf-8"))
    return inference, deals, expected


def test_maven_total_is_exact(maven) -> None:
    inference, deals, expected = maven
    counts = funnel(deals)
    assert list(inference.spec.stage_names) == expected["stages"]
    assert counts.reached[0].tolist() == expected["reached"]
    assert (int(counts.won[0]), int(counts.lost[0]), int(counts.open[0])) == (
        expected["won"],
        expected["lost"],
        expected["open"],
    )
    assert counts.lost_at[0].tolist() == expected["lost_at"]
    assert float(counts.won_amount[0, 0]) == expected["won_amount"]
    # engage_date proves where every loss happened: no lower bound
    assert int(counts.lost_stage_unknown[0]) == 0
    assert not inference.spec.guessed


@pytest.mark.parametrize(("role", "column"), [("product", "product"), ("owner", "sales_agent")])
def test_maven_segments_are_exact(maven, role: str, column: str) -> None:
    inference, deals, expected = maven
    assert inference.spec.columns[role] == column
    counts = funnel(deals, role)
    got = {
        labels[0]: (counts.reached[g].tolist(), int(counts.won[g]), int(counts.lost[g]))
        for g, labels in enumerate(counts.labels)
        if counts.deals[g]
    }
    want = {k: (v["reached"], v["won"], v["lost"]) for k, v in expected["by"][column].items()}
    assert got == want
