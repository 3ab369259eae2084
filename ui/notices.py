"""Engine notices and errors in the user's language, each with what to do about it."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import streamlit as st

from funnel.errors import FunnelError
from funnel.notices import Notice
from ui.i18n import STRINGS, currency_sign, fmt_money, fmt_number, quoted, role_label, t

# Notices that change how the numbers must be read are warnings; the rest are information.
WARNING_CODES = {
    "lost_stage_unknown",
    "unmapped_stage",
    "unplaced_deals",
    "absurd_amounts",
    "detect_no_stage",
    "detect_lost_stage_unknown",
    "detect_order_guess",
    "events_unmatched",
}


def _values_text(values: Any, limit: int = 6) -> str:
    """Values from the file, quoted, the most common first when counted: «a» (3), «b» (1)."""
    if isinstance(values, Mapping):
        items = sorted(values.items(), key=lambda kv: -kv[1])
        shown = [f"{quoted(k or t('empty_value'))} ({fmt_number(n)})" for k, n in items[:limit]]
    else:
        items = list(values or ())
        shown = [quoted(v or t("empty_value")) for v in items[:limit]]
    more = len(items) - limit
    return ", ".join(shown) + (f" … (+{more})" if more > 0 else "")


def _filter_text(flt: Mapping[str, Any]) -> str:
    return "; ".join(f"{role_label(role)}: {_values_text(v)}" for role, v in flt.items())


def _words(params: Mapping[str, Any]) -> dict[str, Any]:
    """A notice's parameters as the catalogue's templates take them, in the current language."""
    out = dict(params)
    for name in ("count", "lost", "total", "n"):
        if isinstance(out.get(name), int | float):
            out[name] = fmt_number(out[name])
    for name in ("values", "others"):
        if name in out:
            out[name] = _values_text(out[name])
    if "stages" in out:
        out["stages"] = _values_text(out["stages"]) or "—"
    if "prefixes" in out:
        out["prefixes"] = ", ".join(p or t("bitrix_no_prefix") for p in out["prefixes"])
    if "filter" in out:
        out["filter"] = _filter_text(out["filter"])
    if "rows" in out:
        out["rows"] = t(f"unmapped_rows_{out['rows']}")
    if isinstance(out.get("amount"), int | float):
        out["amount"] = fmt_money(out["amount"], out.get("currency") or "")
    if isinstance(out.get("other"), Mapping):  # spend kept apart, by currency
        out["other"] = ", ".join(fmt_money(v, c) for c, v in out["other"].items())
    if "currency" in out:
        out["currency"] = currency_sign(out["currency"]) or out["currency"] or "—"
    if "role" in out:
        out["role"] = role_label(str(out["role"]))
    for name in ("row_numbers", "deal_ids", "first_rows"):
        if name in out:
            out[name] = ", ".join(map(str, out[name])) or "—"
    out.setdefault("deal_ids", "—")
    if "reason" in out:
        out["reason"] = t(f"guess_reason_{out['reason']}")
    if "unit" in out:  # a spend table's amounts written in thousands or millions
        out["unit"] = t(f"spend_unit_{out['unit']}")
        out["factor"] = fmt_number(out["factor"])
    if "basis" in out:
        out["basis"] = t(f"order_basis_{out['basis']}", crm=out.get("crm") or "CRM")
    return out


def notice_text(notice: Notice) -> str:
    """One notice as a sentence in the current language, with its fix.

    Every code the core emits has its ``n_<code>`` entry in both languages (a test scans the
    core for the codes), so there is no English fallback here.
    """
    return t(f"n_{notice.code}", **_words(notice.params))


def render(notices: Iterable[Notice]) -> None:
    notices = list(notices)
    # A detection guess ("lost deals show no stage") is dropped where the prepared deals state
    # the same fact with its numbers (notice code "lost_stage_unknown" for "detect_lost_...").
    counted = {n.code for n in notices}
    for notice in notices:
        if notice.code.removeprefix("detect_") in counted and notice.code.startswith("detect_"):
            continue
        text = notice_text(notice)
        if notice.code in WARNING_CODES:
            st.warning(text)
        else:
            st.info(text)


def _problem(problem: Mapping[str, str]) -> str:
    """One way a mapping file departs from the schema: the key and what it should hold."""
    expected = problem.get("expected") or ""
    words = t(f"spec_expected_{expected}") if f"spec_expected_{expected}" in STRINGS else expected
    if not problem.get("key"):
        return t("spec_problem_top", expected=words)
    return t("spec_problem", key=problem["key"], expected=words)


def error_text(exc: FunnelError) -> str:
    """A domain error as a message: what went wrong, where, and what was expected."""
    params: dict[str, Any] = dict(exc.params or {})
    if exc.code == "missing_column":
        names = params.get("suggestions") or []
        hint = t("error_hint", names=", ".join(quoted(n) for n in names)) if names else ""
        role = str(params.get("role", ""))
        return t(
            "error_missing_column",
            role=role_label(role) if role else "",
            column=exc.column or "",
            hint=hint,
        )
    key = f"read_{exc.code}"
    if type(exc).__name__ == "InputError" and key in STRINGS:
        limit = params.get("limit_bytes")
        # The error's own simple params (an e-mail to share with, a host) fill the message too.
        extra = {
            k: v
            for k, v in params.items()
            if isinstance(v, str | int) and k not in ("file", "limit", "sheets", "detail")
        }
        extra.setdefault("column", exc.column or "")
        for name in ("found", "max"):  # the limits, written the UI's way (10 000, 1 048 576)
            if isinstance(params.get(name), int | float):
                extra[name] = fmt_number(params[name])
        return t(
            key,
            **extra,
            file=exc.file or "",
            limit=fmt_number(int(limit) // 2**20) if limit else "",
            sheets=", ".join(quoted(s) for s in params.get("sheets") or ()),
        )
    if type(exc).__name__ == "StoreError":
        return _store_text(exc.code, params, exc.file)
    key = f"spec_{exc.code}"
    problems = params.get("problems")
    if type(exc).__name__ == "SpecError" and problems:
        return t("spec_problems", file=exc.file or "", problems="; ".join(map(_problem, problems)))
    if type(exc).__name__ == "SpecError" and key in STRINGS:
        return t(
            key,
            file=exc.file or "",
            row=exc.row or "?",
            column=exc.column or "",
            role=params.get("role", ""),
            keys=", ".join(map(str, params.get("keys") or ())),
            message=exc.message,
        )
    where = t("error_where", row=exc.row) if exc.row is not None else ""
    expected = t("error_expected", expected=exc.expected) if exc.expected else ""
    column = f" {quoted(exc.column)}" if exc.column else ""
    message = f"{exc.message}{column}{where}.{expected}"
    if type(exc).__name__ == "SpecError":
        return t("error_spec", message=message, code=exc.code)
    return t("error_read", file=exc.file or "", message=message, code=exc.code)


def _store_text(code: str, params: dict[str, Any], file: str | None) -> str:
    """A workspace save or load refused (:class:`funnel.store.StoreError`), in words."""
    if code == "too_big":
        found, most = int(params.get("found") or 0), int(params.get("max") or 0)
        key = f"store_too_big_{params.get('limit')}"
        return t(
            key if key in STRINGS else "store_too_big",
            file=quoted(file) if file else "",
            found=fmt_number(found / 2**20, 1),
            max=fmt_number(most // 2**20),
            found_kb=fmt_number(-(-found // 1024)),
            max_kb=fmt_number(most // 1024),
        )
    member = params.get("member")
    return t(
        f"store_{code}" if f"store_{code}" in STRINGS else "store_database",
        max=fmt_number(int(params.get("max") or 0)),
        name=str(params.get("name") or ""),
        member=f" ({quoted(member)})" if member else "",
    )
