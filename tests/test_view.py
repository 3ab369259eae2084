"""A view as a link's query: read as plain text, every value checked, what cannot be used named."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ui.view import MAX_CHARS, MAX_PARAMS, MAX_VALUES, View, from_query, to_query

DIMS = ("channel", "product", "month")


def read(params: dict) -> tuple[View, list[str]]:
    return from_query(params, dims=DIMS)


def test_a_whole_view_is_read():
    view, ignored = read(
        {
            "ws": "k3J_9-x",
            "src": "42",
            "pipeline": "Опт",
            "from": "2026-01-01",
            "to": "2026-03-31",
            "f.channel": ["Сайт", "Звонок"],
            "f.product": "Двери",
            "by": "channel",
            "period": "week",
            "lang": "en",
        }
    )
    assert ignored == []
    assert view == View(
        workspace="k3J_9-x",
        source="42",
        pipeline="Опт",
        created_from=date(2026, 1, 1),
        created_to=date(2026, 3, 31),
        filters={"channel": ("Сайт", "Звонок"), "product": ("Двери",)},
        by="channel",
        period="week",
        lang="en",
    )


@pytest.mark.parametrize(
    ("params", "ignored"),
    [
        ({"ws": "../../etc/passwd"}, ["ws"]),
        ({"ws": "a" * 65}, ["ws"]),
        ({"src": "1;DROP TABLE"}, ["src"]),
        ({"from": "2026-02-30"}, ["from"]),
        ({"from": "01.02.2026"}, ["from"]),
        ({"from": "2026-03-01", "to": "2026-01-01"}, ["from", "to"]),
        ({"by": "__class__"}, ["by"]),
        ({"by": "owner"}, ["by"]),  # a role, but not a breakdown this view offers
        ({"period": "fortnight"}, ["period"]),
        ({"period": "day"}, ["period"]),  # no page offers it
        ({"lang": "de"}, ["lang"]),
        ({"f.secret_column": "x"}, ["f.secret_column"]),
        ({"f.channel": ""}, ["f.channel"]),
        ({"f.channel": ["x"] * (MAX_VALUES + 1)}, ["f.channel"]),
        ({"f.channel": "я" * (MAX_CHARS + 1)}, ["f.channel"]),
        ({"period": ["week", "month"]}, ["period"]),  # one value only
        ({"pipeline": ""}, ["pipeline"]),
        ({"x": "1", "utm_source": "mail"}, ["x", "utm_source"]),
        # what would run if evaluated or unpickled stays text and goes nowhere
        ({"by": "__import__('os').system('id')"}, ["by"]),
        ({"ws": "gASVCAAAAAAAAACMBHBvc2l4lC4="}, ["ws"]),
    ],
)
def test_what_cannot_be_used_is_named_and_the_rest_kept(params, ignored):
    view, got = read({**params, "period": params.get("period", "month")})
    assert got == ignored
    if "period" not in ignored:
        assert view.period == "month"


def test_too_many_parameters_are_cut_at_the_limit():
    params = {f"p{i}": "1" for i in range(MAX_PARAMS + 5)}
    params["lang"] = "en"  # past the limit: not read
    view, ignored = read(params)
    assert view.lang is None and len(ignored) == MAX_PARAMS + 6


def test_repeated_filter_values_are_kept_once_in_order():
    view, _ = read({"f.channel": ["Сайт", "Звонок", "Сайт", ""]})
    assert view.filters == {"channel": ("Сайт", "Звонок")}


def test_an_empty_link_is_the_default_view():
    assert read({}) == (View(), [])


_text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=30)


@given(
    pipeline=st.none() | _text,
    channel=st.lists(_text, max_size=5, unique=True),
    days=st.lists(st.dates(date(2000, 1, 1), date(2100, 1, 1)), min_size=2, max_size=2).map(sorted),
    by=st.sampled_from([None, *DIMS]),
    period=st.sampled_from([None, "week", "month", "quarter"]),
)
def test_a_view_survives_its_own_link(pipeline, channel, days, by, period):
    view = View(
        pipeline=pipeline,
        created_from=days[0],
        created_to=days[1],
        filters={"channel": tuple(channel)} if channel else {},
        by=by,
        period=period,
    )
    assert read(to_query(view)) == (view, [])
