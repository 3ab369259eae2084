"""Several pipelines in one export: listed largest first; a spec proposed for each one."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from funnel.detect.pipelines import infer_pipeline, pipeline_values
from funnel.io.readers import read_table
from funnel.metrics import funnel
from funnel.prepare import prepare

SAMPLE = Path(__file__).resolve().parent.parent / "sample_data" / "amocrm_export.xlsx"


def test_pipeline_values_group_spellings_and_skip_blanks():
    frame = pd.DataFrame({"p": ["B", "a", "A ", "A", None, ""]})
    assert pipeline_values(frame, "p") == ["A", "B"]


def test_each_pipeline_gets_its_own_stages():
    frame = read_table(SAMPLE).frame
    assert sorted(pipeline_values(frame, "Воронка")) == [
        "Двери",
        "Носители информации",
        "Системы безопасности",
    ]
    doors = infer_pipeline(frame, "Воронка", "Двери")
    assert doors.spec.filter["pipeline"] == ("Двери",)
    assert "Интерес уточнён" in doors.spec.stage_names
    assert "Знакомство" not in doors.spec.stage_names  # a stage of another pipeline
    total = funnel(prepare(frame, doors.spec))
    assert total.deals[0] == 900
