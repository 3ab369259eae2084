"""The engine against the simulation behind the sample files (sample_data/truth.json).

Where a file keeps the stage at loss (the register's dates, Pipedrive's kept stage) the engine
must reproduce the true funnel exactly; where it does not (amoCRM, Bitrix24 snapshots) it must
reproduce what the file supports and flag the lower bound.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from funnel.detect.infer import infer_spec
from funnel.io.readers import read_table
from funnel.metrics import funnel
from funnel.prepare import prepare
from funnel.report.words import notice_text
from funnel.spec import Spec

SAMPLES = Path(__file__).resolve().parent.parent / "sample_data"
TRUTH = json.loads((SAMPLES / "truth.json").read_text(encoding="utf-8"))
AMO = TRUTH["files"]["amocrm_export.xlsx"]["pipelines"]


# The confirmed mapping of each pipeline, as saved next to the sample files.
SLUG = {
    "Системы безопасности": "security",
    "Носители информации": "media",
    "Двери": "doors",
    "Security systems": "security",
    "Storage media": "media",
    "Doors": "doors",
}


def _saved(file_stem: str, pipeline: str) -> Spec:
    name = f"{file_stem}.{SLUG[pipeline]}.spec.yaml"
    return Spec.from_yaml((SAMPLES / name).read_text(encoding="utf-8"), source=name)


def test_register_needs_no_hand_edit():
    table = read_table(SAMPLES / "register_doors.xlsx")
    inference = infer_spec(table.frame)
    truth = TRUTH["files"]["register_doors.xlsx"]["pipelines"]["Двери"]
    assert inference.spec.layout == "stage_dates"
    assert list(inference.spec.stage_names) == list(truth["reached"])
    total = funnel(prepare(table.frame, inference.spec))
    assert dict(zip(total.stages, total.reached[0].tolist(), strict=True)) == truth["reached"]
    assert (total.won[0], total.lost[0], total.open[0]) == (
        truth["won"],
        truth["lost"],
        truth["open"],
    )
    assert total.won_amount[0, 0] == pytest.approx(truth["won_amount"])
    assert total.lost_stage_unknown[0] == 0


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
@pytest.mark.parametrize("pipeline", list(AMO))
def test_amocrm_with_its_stage_at_loss_field_gives_the_true_funnel(fmt, pipeline):
    table = read_table(SAMPLES / f"amocrm_export.{fmt}")
    truth = AMO[pipeline]
    inference = infer_spec(table.frame)
    # Detection finds every role of the saved mapping, the stage-at-loss field included.
    saved = _saved("amocrm_export", pipeline)
    for role in ("stage", "pipeline", "channel", "product", "amount", "created", "lost_stage"):
        assert inference.spec.columns[role] == saved.columns[role]
    assert set(inference.spec.won) == set(saved.won)
    # With the confirmed stage order of this pipeline (a snapshot does not carry it):
    assert list(saved.stage_names) == list(truth["reached"])
    total = funnel(prepare(table.frame, saved))
    reached = dict(zip(total.stages, total.reached[0].tolist(), strict=True))
    assert reached == truth["reached"]
    assert (total.won[0], total.lost[0], total.open[0]) == (
        truth["won"],
        truth["lost"],
        truth["open"],
    )
    assert total.lost_stage_unknown[0] == 0
    assert total.won_amount[0, 0] == pytest.approx(truth["won_amount"])


@pytest.mark.parametrize("pipeline", list(AMO))
def test_amocrm_without_that_field_gives_the_provable_lower_bound(pipeline):
    frame = read_table(SAMPLES / "amocrm_export.xlsx").frame.drop(columns=["Этап отказа"])
    truth = AMO[pipeline]
    inference = infer_spec(frame)
    said = " ".join(map(notice_text, inference.warnings))
    assert "stage at which they were lost is unknown" in said
    saved = _saved("amocrm_export", pipeline)
    spec = saved.with_changes(columns={r: h for r, h in saved.columns.items() if r != "lost_stage"})
    deals = prepare(frame, spec)
    total = funnel(deals)
    reached = dict(zip(total.stages, total.reached[0].tolist(), strict=True))
    assert reached == truth["reached_observable"]
    assert total.lost_stage_unknown[0] == truth["lost"]
    # the true funnel is never below what the file proves
    assert all(truth["reached"][s] >= n for s, n in reached.items())
    assert any(n.code == "lost_stage_unknown" for n in deals.notices)


def test_pipedrive_reproduces_the_true_funnel():
    table = read_table(SAMPLES / "pipedrive_deals.csv")
    truth = TRUTH["files"]["pipedrive_deals.csv"]["pipelines"]
    for pipeline, figures in truth.items():
        stages = list(figures["reached"])
        spec = _saved("pipedrive_deals", pipeline)
        assert list(spec.stage_names) == stages
        total = funnel(prepare(table.frame, spec))
        assert dict(zip(stages, total.reached[0].tolist(), strict=True)) == figures["reached"]
        assert total.won[0] == figures["won"] and total.lost_stage_unknown[0] == 0
        assert total.won_amount[0, 0] == pytest.approx(figures["won_amount"])


def test_bitrix_cp1251_matches_the_amocrm_numbers():
    table = read_table(SAMPLES / "bitrix_deals.csv")
    assert table.encoding == "cp1251" and table.delimiter == ";"
    inference = infer_spec(table.frame)
    spec = inference.spec
    for pipeline, figures in AMO.items():
        one = spec.with_changes(
            stages=tuple(type(spec.stages[0])(name=s) for s in figures["reached"]),
            filter={"pipeline": (pipeline,)},
        )
        total = funnel(prepare(table.frame, one))
        assert total.deals[0] == figures["deals"]
        assert total.won[0] == figures["won"]
        assert total.won_amount[0, 0] == pytest.approx(figures["won_amount"])


ZERO_TOUCH = [("amocrm_export.xlsx", "Воронка", "amocrm_export.xlsx", p) for p in AMO] + [
    ("pipedrive_deals.csv", "Deal - Pipeline", "pipedrive_deals.csv", p)
    for p in TRUTH["files"]["pipedrive_deals.csv"]["pipelines"]
]


@pytest.mark.parametrize(("name", "pipeline_column", "truth_file", "pipeline"), ZERO_TOUCH)
def test_each_pipeline_needs_no_hand_edit(name, pipeline_column, truth_file, pipeline):
    """Inferred on one pipeline's rows (as the app's pipeline switch does), with no saved spec:
    the stage order and every count are the truth's, the stage at loss field included."""
    frame = read_table(SAMPLES / name).frame
    rows = frame[frame[pipeline_column] == pipeline]
    truth = TRUTH["files"][truth_file]["pipelines"][pipeline]
    inference = infer_spec(rows)
    assert list(inference.spec.stage_names) == list(truth["reached"])
    assert not inference.spec.guessed
    total = funnel(prepare(rows, inference.spec))
    assert dict(zip(total.stages, total.reached[0].tolist(), strict=True)) == truth["reached"]
    assert (total.won[0], total.lost[0]) == (truth["won"], truth["lost"])
    assert total.lost_stage_unknown[0] == 0
