"""What the pickers offer: the dimensions to break the deals down by."""

from __future__ import annotations

import dataclasses

import pytest

from funnel.filters import segment_dims
from funnel.prepare import prepare
from tests.strategies import SPEC, small_frame


def _deals(pipelines: list[str] | None = None, *, owner: bool = False, created: bool = True):
    frame = small_frame()
    columns = dict(SPEC.columns)
    if pipelines is not None:
        frame["Воронка"] = [pipelines[i % len(pipelines)] for i in range(len(frame))]
        columns["pipeline"] = "Воронка"
    if owner:
        frame["Менеджер"] = "Анна"
        columns["owner"] = "Менеджер"
    if not created:
        frame = frame.drop(columns=["Создана"])
        del columns["created"]
    return prepare(frame, dataclasses.replace(SPEC, columns=columns))


@pytest.mark.parametrize(
    ("deals", "periods", "expected"),
    [
        ({}, False, ["channel"]),
        ({}, True, ["channel", "month", "quarter"]),
        ({"created": False}, True, ["channel"]),  # no creation date: no periods
        # roles in their fixed order, one owner or not: a one-person team still plans by it
        ({"owner": True}, False, ["channel", "owner"]),
        # a spec filtered to one pipeline has nothing to split by it
        ({"pipelines": ["Продажи"]}, False, ["channel"]),
        ({"pipelines": ["Продажи", "Партнёры"]}, False, ["channel", "pipeline"]),
        ({"pipelines": ["Продажи", "Партнёры"]}, True, ["channel", "pipeline", "month", "quarter"]),
    ],
)
def test_segment_dims(deals, periods, expected):
    assert segment_dims(_deals(**deals), periods=periods) == expected
