"""The mapping editor of the Data page: column roles, won/lost values and stages, with a funnel
preview that follows every edit; "Apply" turns them back into a Spec.

It maps a loaded dataset or a file waiting for its first mapping (a :class:`state.Draft`); the
checks of an edit live in :mod:`funnel.spec_edit`, the words for them here.
"""

from __future__ import annotations

import dataclasses
import hashlib

import pandas as pd
import streamlit as st

from funnel.deals import Deals
from funnel.metrics import funnel
from funnel.spec import ROLES, Spec
from funnel.spec_edit import (
    STAGE_COLUMNS,
    Problem,
    cell_text,
    check_edit,
    date_like_columns,
    move_row,
    proposed_rows,
    rows_to_stages,
    stage_rows,
)
from funnel.values import labels_by_count
from ui import memo, state
from ui.i18n import dim_label, fmt_date, fmt_number, fmt_pct, lang, quoted, t

# The roles a deal list maps, the two that place a deal in the funnel first. The event-time
# role belongs to stage histories; the deal list editor leaves it out.
EDITABLE_ROLES = (
    "stage",
    "status",
    "deal",
    "title",
    "pipeline",
    "channel",
    "product",
    "owner",
    "amount",
    "currency",
    "created",
    "closed",
    "lost_stage",
    "won_at",
    "lost_at",
    "loss_reason",
)
assert set(EDITABLE_ROLES) == set(ROLES) - {"at"}
NO_DATE = "—"  # the date-column cell of a stage with none
PREVIEW_ROWS = 2000  # rows sampled for a column's value preview
PREVIEW_VALUES = 3
PREVIEW_SCAN = 100  # the most common raw values written out to find the few shown


def _preview(frame: pd.DataFrame, column: str) -> str:
    """A few distinct values of a column, most common first: «a», «b», «c» …

    The values are counted first and only the few shown are written out (a date through
    Babel costs as much as the counting of the whole sample)."""
    counts = frame[column].head(PREVIEW_ROWS).value_counts(sort=True)
    dates = pd.api.types.is_datetime64_any_dtype(frame[column])
    texts: dict[str, int] = {}
    # The most common raw values only: a column of names has as many values as rows, and
    # writing out each (cell_text) cost more than counting them.
    for value, n in counts.head(PREVIEW_SCAN).items():
        text = str(value) if dates else cell_text(value)  # value_counts leaves out NaT
        if text:
            texts[text] = texts.get(text, 0) + int(n)
    if not texts:
        return t("preview_empty")
    top = sorted(texts, key=lambda k: -texts[k])[:PREVIEW_VALUES]
    if dates:
        top = [fmt_date(pd.Timestamp(k)) for k in top]
    shown = [quoted(v if len(v) <= 28 else v[:27] + "…") for v in top]
    more = len(texts) > PREVIEW_VALUES or len(counts) > PREVIEW_SCAN
    return ", ".join(shown) + (" …" if more else "")


def _previews(src: state.Editable) -> dict[str, str]:
    """Every column's preview, made once per dataset shown (and language)."""
    return memo.remember(
        "editor_previews",
        (state.version(), src.name, lang()),
        lambda: {str(c): _preview(src.frame, c) for c in src.frame.columns},
    )


def columns_table(src: state.Editable) -> pd.DataFrame:
    """Every column of the file with a few of its values and the role it is mapped to."""
    roles: dict[str, list[str]] = {}
    for role, header in src.spec.columns.items():
        roles.setdefault(header, []).append(dim_label(role))
    for stage in src.spec.stages:
        if stage.column:
            roles.setdefault(stage.column, []).append(t("role_stage_date", stage=stage.name))
    headers = [str(c) for c in src.frame.columns]
    return pd.DataFrame(
        {
            t("columns_col"): headers,
            t("columns_values"): [_previews(src).get(h, "") for h in headers],
            t("columns_role"): [", ".join(roles.get(h, [])) or "—" for h in headers],
        }
    )


def _roles(src: state.Editable, v: int) -> dict[str, str]:
    """A choice per role, with what detection proposed (and how sure) and the chosen column's
    values under it."""
    spec, proposed = src.spec, src.inference.spec.columns
    confidence = {(g.column, g.role): g.confidence for g in src.inference.guesses if g.role}
    headers = [str(c) for c in src.frame.columns]
    none = t("role_none")
    picked: dict[str, str] = {}
    cols = st.columns(4)
    for i, role in enumerate(EDITABLE_ROLES):
        if i and i % 4 == 0:
            cols = st.columns(4)  # a row of its own: captions of any length keep rows aligned
        box = cols[i % 4]
        current = spec.columns.get(role)
        options = [none, *headers]
        index = options.index(current) if current in options else 0
        choice = box.selectbox(dim_label(role), options, index=index, key=f"role_{role}_{v}")
        words = []
        if role in proposed:
            sure = confidence.get((proposed[role], role))
            words.append(
                t(
                    "role_proposed",
                    column=quoted(proposed[role]),
                    sure=f" ({fmt_pct(sure)})" if sure is not None else "",
                )
            )
        elif choice == none:
            words.append(t("role_not_found"))
        if choice != none:
            picked[role] = choice
            words.append(_previews(src).get(choice, ""))
        box.caption(" · ".join(words))
    if "at" in spec.columns:
        picked["at"] = spec.columns["at"]
    return picked


def _outcome_values(src: state.Editable, picked: dict[str, str]) -> list[str]:
    """Distinct values of the stage and status columns, most common first.

    Counted once per table and pair of columns: every edit reruns the page, and counting
    200,000 rows on each rerun made the editor lag behind the clicks."""
    headers = [picked[r] for r in ("stage", "status") if picked.get(r) in src.frame.columns]
    return memo.remember(
        "editor_outcome_values",
        (state.version(), src.name, tuple(headers)),
        lambda: labels_by_count(*(src.frame[h].head(200_000) for h in headers)),
    )


def _digest(rows: pd.DataFrame) -> str:
    return hashlib.sha256(rows.to_json().encode()).hexdigest()[:8]


def _problem_text(problem: Problem) -> str:
    params = dict(problem.params)
    if "outcome" in params:
        params["outcome"] = t(f"edit_outcome_{params['outcome']}")
    for name in ("name", "first_name", "value", "column"):
        if name in params:
            params[name] = quoted(params[name])
    text = t(f"edit_{problem.code}", **params)
    return t("edit_row", row=problem.row) + text if problem.row is not None else text


def _preview_deals(src: state.Editable, spec: Spec) -> Deals:
    """The deals ``spec`` gives: those shown when it is the mapping in use (a file just loaded,
    a page rerun with no edit), else prepared once per edit. Preparing 100,000 deals (and the
    earlier exports' history) again on every rerun of the Data page cost 0.2-2 s a click."""
    if isinstance(src, state.Dataset) and spec == src.spec:
        return src.deals
    # the key is compared, never hashed: a spec (it holds dicts) is compared field by field
    return memo.remember(
        "editor_preview", (state.version(), src.name, spec), lambda: state.prepared(src, spec)[0]
    )


def _preview_table(src: state.Editable, spec: Spec) -> None:
    """The funnel of the edited mapping, stage by stage: what "Apply" would show."""
    try:
        deals = _preview_deals(src, spec)
        counts = funnel(deals)
    except Exception as exc:  # the preview only informs; Apply says what is wrong
        st.caption(t("edit_preview_none", kind=type(exc).__name__))
        return
    reached = [int(x) for x in counts.reached[0]]
    table = pd.DataFrame(
        {
            t("col_stage"): [*counts.stages, t("won_row")],
            t("col_reached"): [fmt_number(n) for n in [*reached, int(counts.won[0])]],
        }
    )
    st.columns([2, 3])[0].table(table, border="horizontal")
    left = len(src.frame) - len(deals)
    st.caption(
        t(
            "edit_preview_caption",
            deals=fmt_number(len(deals)),
            rows=fmt_number(len(src.frame)),
            left=fmt_number(left),
        )
    )


def _move_buttons(rows: pd.DataFrame, moved: str, context: tuple, v: int) -> None:
    """A stage and two buttons that move it one place up or down the funnel; the table is
    redrawn in the new order with every edit in it kept."""
    names = [n for n in (cell_text(x) for x in rows["name"]) if n]
    if len(names) < 2:
        return
    pick, up, down, _ = st.columns([3, 1, 1, 3], vertical_alignment="bottom")
    name = pick.selectbox(t("stage_move"), names, key=f"move_pick_{v}")
    step = -1 if up.button(t("stage_up"), key=f"move_up_{v}") else 0
    step = 1 if down.button(t("stage_down"), key=f"move_down_{v}") else step
    if step and name:
        st.session_state[moved] = (context, move_row(rows, name, step))
        st.rerun()


def show(src: state.Editable) -> None:
    """Roles, outcomes and stages; each edit reruns the preview, "Apply" applies the mapping."""
    spec = src.spec
    v = state.version()
    st.subheader(t("roles_title"))
    if not spec.stages:
        st.warning(t("ask_stage"))
    st.caption(t("roles_caption"))
    picked = _roles(src, v)

    date_columns = memo.remember(
        "editor_date_columns",
        (state.version(), src.name),
        lambda: date_like_columns(src.frame),
    )
    dated: list[str] = []
    if not spec.stages:
        dated = st.multiselect(
            t("ask_date_columns"), date_columns, key=f"ask_dates_{v}", placeholder=t("none_yet")
        )

    values = _outcome_values(src, picked)
    c1, c2 = st.columns(2)
    won = c1.multiselect(
        t("won_values"),
        list(dict.fromkeys([*spec.won, *values])),
        default=list(spec.won),
        key=f"won_{v}",
    )
    lost = c2.multiselect(
        t("lost_values"),
        list(dict.fromkeys([*spec.lost, *values])),
        default=list(spec.lost),
        key=f"lost_{v}",
    )

    st.subheader(t("stages_title"))
    stage_column = picked.get("stage") or picked.get("status")
    retake = f"stages_from_column_{v}"
    was = spec.columns.get("stage") or spec.columns.get("status")
    # A stage column chosen anew: offer its values as the stages (the old ones stay until then).
    if (
        spec.stages
        and stage_column
        and stage_column != was
        and st.button(t("stages_from_column", column=quoted(stage_column)), key=f"retake_{v}")
    ):
        st.session_state[retake] = stage_column
        st.session_state.pop(f"stages_moved_{v}", None)
    moved = f"stages_moved_{v}"  # the rows as the up/down buttons left them, and for what
    context = (stage_column, st.session_state.get(retake), tuple(dated))
    if moved in st.session_state and st.session_state[moved][0] == context:
        base = st.session_state[moved][1].copy()
    elif spec.stages and not (stage_column and st.session_state.get(retake) == stage_column):
        base = stage_rows(spec.stages)
    else:
        base = proposed_rows(
            src.frame, stage_column=stage_column, date_columns=dated, outcomes=[*won, *lost]
        )
    # Empty text cells as "": the grid would write a missing value as "None" (an empty date
    # column too, so it is a dash there, an option of its own).
    for col in ("match", "group", "column"):
        empty = NO_DATE if col == "column" else ""
        base[col] = pd.Series(
            [cell_text(x) or empty for x in base[col]], index=base.index, dtype=object
        )
    base["on"] = pd.Series([True if pd.isna(x) else bool(x) for x in base["on"]], dtype=bool)
    st.caption(t("stages_caption"))
    options = list(dict.fromkeys([NO_DATE, *date_columns, *base["column"]]))
    column_config = {
        "order": st.column_config.NumberColumn(t("stage_order"), min_value=0, step=1),
        "name": st.column_config.TextColumn(t("stage_name")),
        "match": st.column_config.TextColumn(t("stage_match"), width="large", default=""),
        "group": st.column_config.TextColumn(t("stage_group"), default=""),
        "column": st.column_config.SelectboxColumn(
            t("stage_date_col"), options=options, default=NO_DATE
        ),
        "on": st.column_config.CheckboxColumn(t("stage_on"), default=True),
    }
    edited = st.data_editor(
        base,
        hide_index=True,
        num_rows="dynamic",
        column_config=column_config,
        column_order=list(STAGE_COLUMNS),
        key=f"stages_{v}_{_digest(base)}",
    )
    rows = pd.DataFrame(edited)
    rows["column"] = [None if c == NO_DATE else c for c in rows["column"]]
    _move_buttons(rows, moved, context, v)
    problems = check_edit(
        rows,
        won=won,
        lost=lost,
        columns=picked,
        headers=[str(c) for c in src.frame.columns],
        events=spec.events is not None,
    )
    new = dataclasses.replace(
        spec,
        columns=picked,
        stages=rows_to_stages(rows),
        won=tuple(won),
        lost=tuple(lost),
        filter={r: vals for r, vals in spec.filter.items() if r in picked or r not in ROLES},
        guessed={},  # a mapping a person applied is no guess
    )
    # An empty table is the question asked above still open, not a mistake to point at.
    waiting = rows.empty
    for problem in [] if waiting else problems:
        st.error(_problem_text(problem))

    st.markdown(f"**{t('edit_preview_title')}**")
    if waiting:
        st.caption(t("edit_preview_waiting"))
    elif problems:
        st.caption(t("edit_preview_blocked"))
    else:
        _preview_table(src, new)

    if st.button(t("apply"), type="primary", key=f"apply_{v}"):
        if problems:
            st.error(t("edit_not_applied" if not waiting else "edit_no_stages"))
        elif state.apply_edit(new):
            st.session_state.pop(retake, None)
            st.session_state["flash_ok"] = t("applied")
            st.rerun()
