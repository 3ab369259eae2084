"""The notices in English for the CLI and the JSON report: one template per notice code.

The core hands out codes and parameters (funnel/notices.py); the app words them in its own
catalogue (ui/), in both languages. A name from the file is quoted «like this».
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from funnel.detect.infer import ORDER_GUESS_REASONS
from funnel.notices import Notice

# What the stage order was read from (``detect_order_evidence``'s ``basis``).
ORDER_BASIS = {
    "history": "the stage history (the order deals entered each stage)",
    "numbered": "the numbers the stage names start with",
    "stage_dates": "the stage dates",
    "date_fill": "the dates: deals at later stages have more of them filled",
    "probability": "the win probability, which rises stage by stage",
    "crm_default": "the CRM's default pipeline",
    "lexicon": "the stage names, read as common sales steps",
    "frequency": "deal counts alone",
    "single": "the only stage",
}
# What a count of unmapped stage values counts (``unmapped_stage``'s ``rows``).
ROWS = {"deals": "deals", "history": "stage history rows"}


def quote(value: object) -> str:
    return f"«{value}»"


def _listing(values: Sequence[Any], sep: str = ", ") -> str:
    return sep.join(quote(v) for v in values)


def _counted(values: Mapping[str, int], limit: int = 8) -> str:
    """The most common values first, each with its count: «a» (3), «(empty)» (1)."""
    shown = sorted(values.items(), key=lambda kv: -kv[1])[:limit]
    return ", ".join(f"{quote(k or '(empty)')} ({n})" for k, n in shown)


def _s(count: int) -> str:
    """The plural ending of an English noun after ``count``."""
    return "" if count == 1 else "s"


def _filter(flt: Mapping[str, Sequence[str]]) -> str:
    return "; ".join(f"{role}: {', '.join(values)}" for role, values in flt.items())


def _order_evidence(p: Mapping[str, Any]) -> str:
    crm = f" ({p['crm']})" if p.get("crm") else ""
    return f"Stage order from {ORDER_BASIS.get(p['basis'], p['basis'])}{crm}."


def _order_guess(p: Mapping[str, Any]) -> str:
    reason = ORDER_GUESS_REASONS[p["reason"]].format(stages=_listing(p["stages"]))
    return f"The stage order is a guess: {reason}. Check it and reorder 'stages'."


def _bitrix(p: Mapping[str, Any]) -> str:
    prefixes = ", ".join(x or "none" for x in p["prefixes"])
    main = p["main"] or "the main pipeline"
    return (
        f"Stage values carry Bitrix24 pipeline prefixes ({prefixes}); the stages proposed are "
        f"those of {main} only. Map the «Направление» column as 'pipeline' and filter on it to "
        "switch."
    )


def _money(amount: float) -> str:
    """An amount as a person reads it: 35,000 or 1,234.50."""
    return f"{amount:,.0f}" if float(amount).is_integer() else f"{amount:,.2f}"


def _spend_rows(p: Mapping[str, Any], one: str, many: str, then: str) -> str:
    """A notice listing spend rows (``rows``, ``amount``, ``first_rows``, ``values``); ``one``
    and ``many`` say what they are after one row or several."""
    n = p["rows"]
    rows = ", ".join(map(str, p["first_rows"])) + (" …" if n > len(p["first_rows"]) else "")
    shown = f" ({_listing(p['values'])})" if p.get("values") else ""
    return (
        f"{n} row{_s(n)} of the spend table {one if n == 1 else many}{shown}, "
        f"{_money(p['amount'])} in all (row{_s(n)} {rows}): {then}."
    )


def _other_currency(p: Mapping[str, Any]) -> str:
    other = ", ".join(f"{_money(v)} {k}" for k, v in p["other"].items())
    return (
        f"Spend in another currency than the deals' {p['currency'] or 'amounts'} is kept apart, "
        f"never added: {other}."
    )


TEMPLATES: dict[str, Callable[[Mapping[str, Any]], str]] = {
    # ---- reading the file ----
    "title_rows_skipped": lambda p: (
        f"{p['count']} title row{_s(p['count'])} above the header skipped"
    ),
    "two_row_header": lambda p: "two-row header: group and field names combined",
    "junk_rows_dropped": lambda p: (
        f"{p['count']} blank, separator or totals row{_s(p['count'])} dropped"
    ),
    "empty_columns_dropped": lambda p: f"{p['count']} empty unnamed column{_s(p['count'])} dropped",
    "sheet_chosen": lambda p: (
        f"sheet {quote(p['sheet'])} chosen as the largest table of {p['count']} sheets"
    ),
    # ---- detection: what the proposed spec rests on ----
    "detect_events_marks_stage": lambda p: (
        f"Each row of the second file marks {quote(p['stage'])} for the deal named in "
        f"{quote(p['key'])}."
    ),
    "detect_payment_is_won": lambda p: (
        f"Nothing says a deal was won: the date in {quote(p['column'])} (the payment) is taken "
        "as the day it was won."
    ),
    "detect_stage_date_match": lambda p: (
        f"{quote(p['column'])} holds the date deals reached {quote(p['stage'])}: lost deals with "
        "it are placed there."
    ),
    "detect_order_evidence": _order_evidence,
    "detect_order_guess": _order_guess,
    "detect_date_pipelines": lambda p: (
        "Stage date columns cover several pipelines; the stages proposed are those of "
        f"{quote(p['chosen'])}. The columns of "
        f"{', '.join(x or '(no pipeline)' for x in p['others'])} are left out: edit 'stages' to "
        "use them."
    ),
    "detect_history_no_key": lambda p: (
        "The stage history shares no deal ID or deal name column with the deal list: map one "
        "in 'events.columns' (deal or title) and in 'columns'."
    ),
    "detect_history_columns": lambda p: (
        "The stage history needs a deal, a stage and a date column."
    ),
    "detect_history_by_title": lambda p: (
        f"The stage history names deals by {quote(p['column'])}, not by an ID: deals with the "
        "same name are counted as one."
    ),
    "detect_pipelines": lambda p: (
        f"The export holds {p['n']} pipelines; the spec keeps the largest, "
        f"{quote(p['largest'])} ({p['count']} deals), and its stages. The others "
        f"({_listing(p['others'])}) have their own stages: to see one, edit 'filter' to its "
        "name and re-run the inference on it, or edit 'stages'."
    ),
    "detect_bitrix_prefixes": _bitrix,
    "detect_no_stage": lambda p: (
        "No stage column found: map the column holding each deal's stage (e.g. «Этап сделки», "
        "'Deal Stage') as 'stage', or add one date column per stage."
    ),
    "detect_no_amount": lambda p: (
        "No amount column found: money figures (revenue lost, what a fix is worth) will be "
        "missing. Map the deal value column as 'amount'."
    ),
    "detect_no_created": lambda p: (
        "No creation date found: breakdowns by week, month or quarter will be missing. Map "
        "the deal's creation date as 'created'."
    ),
    "detect_lost_stage_unknown": lambda p: (
        f"The export shows lost deals only as {_listing(p['values'], ' / ')}: the stage at "
        "which they were lost is unknown. Add a 'stage at loss' column or a stage history."
    ),
    "detect_paid_is_won": lambda p: (
        f"No value says a deal was won: {quote(p['value'])} (paid) counts as won."
    ),
    "detect_paid_is_stage": lambda p: (
        f"No value says a deal was won; {quote(p['value'])} is kept as a stage. If it means "
        "the deal is won, move it to 'won'."
    ),
    "detect_no_outcomes": lambda p: (
        "No value marks deals as won or lost: add a status column or list the won and lost "
        "values in 'won' / 'lost'."
    ),
    # ---- preparing the deals under a spec ----
    "filtered_out": lambda p: (
        f"{p['count']} rows left out by the spec's filter {_filter(p['filter'])}"
    ),
    "events_unmatched": lambda p: (
        f"{p['count']} of {p['total']} rows of the second file match no deal of the list and "
        "are left out."
    ),
    "lost_stage_unknown": lambda p: (
        f"{p['count']} of {p['lost']} lost deals do not say at which stage they were lost, so "
        "they count for the first stage only and every figure below the first stage is a "
        "lower bound. Add a 'stage at loss' column (lost_stage) or upload the stage history."
    ),
    "unmapped_stage": lambda p: (
        f"{p['count']} {ROWS[p['rows']]} have a stage value that is not in the spec's stages, "
        f"won or lost and were left out: {_counted(p['values'])}. Add these values to a "
        "stage's 'match', or to won/lost."
    ),
    "stage_value_absent": lambda p: (
        f"these values of the spec never occur in the data: {_listing(p['values'])}"
    ),
    "history_only_deals": lambda p: (
        f"{p['count']} deals of the stage history are not in the deal list; they are counted, "
        "with no channel, product or amount."
    ),
    "unplaced_deals": lambda p: (
        f"{p['count']} deals have no stage the spec knows and were left out."
    ),
    "absurd_amounts": lambda p: (
        f"{p['count']} deals have an amount no deal has (a quadrillion or more, or infinite): "
        f"rows {', '.join(map(str, p['row_numbers']))}"
        + (f" (deals {', '.join(p['deal_ids'])})" if p.get("deal_ids") else "")
        + " of the data. Money figures that include them mean nothing: fix the amounts."
    ),
    # ---- spend and channel economics ----
    "spend_total_rows": lambda p: _spend_rows(
        p, "is a total", "are totals", "left out so that nothing is counted twice"
    ),
    "spend_period_unread": lambda p: _spend_rows(
        p,
        "has a period that cannot be read",
        "have a period that cannot be read",
        "left out; write the month as 2026-03 or March 2026",
    ),
    "spend_scaled": lambda p: (
        f"The amounts under '{p['column']}' are written in {p['unit']}: every figure counts them "
        f"multiplied by {p['factor']:,.0f}."
    ),
    "spend_negative": lambda p: _spend_rows(
        p,
        "has a negative amount",
        "have a negative amount",
        "kept as written; check whether it is a refund",
    ),
    "spend_no_channel": lambda p: (
        f"The spend table names no channel: all of its {_money(p['amount'])} is counted as "
        "spend on no channel. Add a channel column, or name the channel in the spec's "
        "'spend.channel'."
    ),
    "spend_other_currency": _other_currency,
    "spend_no_created": lambda p: (
        "The spend has periods but the deals have no creation date: spend cannot be put against "
        "the leads of its months, so all of it is counted against all deals. Map 'created'."
    ),
    "spend_no_role": lambda p: (
        f"The deals have no {quote(p['role'])} to match the spend to: every spend name is "
        "listed as unmatched. Map that role in the spec, or change 'spend.by'."
    ),
    "spend_outside_data": lambda p: (
        f"None of the spend's periods overlaps the deals' dates: {_money(p['amount'])} left "
        "out. Is it the spend of another year or another export?"
    ),
}


def notice_text(notice: Notice) -> str:
    """One notice as an English sentence.

    >>> notice_text(Notice("events_unmatched", {"count": 2, "total": 40}))
    '2 of 40 rows of the second file match no deal of the list and are left out.'
    """
    return TEMPLATES[notice.code](notice.params)
