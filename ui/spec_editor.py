"""The mapping editor of the Data page: column roles and stages, turned back into a Spec."""

from __future__ import annotations

import dataclasses

import pandas as pd
import streamlit as st

from funnel.spec import ROLES, Spec, Stage
from funnel.values import labels_by_count
from ui import state
from ui.i18n import dim_label, fmt_pct, t

# The event-time role belongs to stage histories; the deal list editor leaves it out.
EDITABLE_ROLES = tuple(r for r in ROLES if r != "at")
STAGE_COLUMNS = ("order", "name", "match", "group", "column", "on")


def stage_rows(spec: Spec) -> pd.DataFrame:
    """The spec's stages as editable rows (match values comma-separated)."""
    return pd.DataFrame(
        {
            "order": list(range(1, len(spec.stages) + 1)),
            "name": [s.name for s in spec.stages],
            "match": [", ".join(s.match) for s in spec.stages],
            "group": [s.group or "" for s in spec.stages],
            "column": [s.column or "" for s in spec.stages],
            "on": [True] * len(spec.stages),
        }
    )


def stages_from_rows(rows: pd.DataFrame) -> tuple[Stage, ...]:
    """Edited rows back to stages: sorted by order, excluded and nameless rows dropped."""
    rows = rows.copy()
    rows["order"] = pd.to_numeric(rows["order"], errors="coerce")
    rows = rows.sort_values("order", kind="stable", na_position="last")
    stages = []
    for _, row in rows.iterrows():
        name = str(row.get("name") or "").strip()
        if not name or not bool(row.get("on", True)):
            continue
        match = tuple(v.strip() for v in str(row.get("match") or "").split(",") if v.strip())
        group = str(row.get("group") or "").strip() or None
        column = str(row.get("column") or "").strip() or None
        stages.append(Stage(name=name, match=match or (name,), group=group, column=column))
    return tuple(stages)


def _stage_values(ds: state.Dataset, columns: dict[str, str]) -> list[str]:
    """Distinct values of the stage and status columns, most common first."""
    headers = [columns[r] for r in ("stage", "status") if columns.get(r) in ds.frame.columns]
    return labels_by_count(*(ds.frame[h] for h in headers))


def show(ds: state.Dataset) -> None:
    """Roles and stages in one form; 'Apply' rebuilds the spec and re-prepares the deals."""
    spec = ds.spec
    v = state.version()
    confidence = {g.column: g.confidence for g in ds.inference.guesses if g.role}
    headers = [str(c) for c in ds.frame.columns]
    none = t("role_none")
    with st.form(key=f"spec_form_{v}", border=False):
        st.subheader(t("roles_title"))
        st.caption(t("roles_caption"))
        picked: dict[str, str] = {}
        cols = st.columns(4)
        for i, role in enumerate(EDITABLE_ROLES):
            current = spec.columns.get(role)
            options = [none, *headers]
            index = options.index(current) if current in options else 0
            label = dim_label(role)
            if current in confidence:
                label += f" ({fmt_pct(confidence[current])})"
            choice = cols[i % 4].selectbox(label, options, index=index, key=f"role_{role}_{v}")
            if choice != none:
                picked[role] = choice
        if "at" in spec.columns:
            picked["at"] = spec.columns["at"]

        st.subheader(t("stages_title"))
        st.caption(t("stages_caption"))
        rows = stage_rows(spec)
        column_config = {
            "order": st.column_config.NumberColumn(t("stage_order"), min_value=0, step=1),
            "name": st.column_config.TextColumn(t("stage_name"), required=True),
            "match": st.column_config.TextColumn(t("stage_match"), width="large"),
            "group": st.column_config.TextColumn(t("stage_group")),
            "column": st.column_config.TextColumn(t("stage_date_col")),
            "on": st.column_config.CheckboxColumn(t("stage_on")),
        }
        order = list(STAGE_COLUMNS)
        if spec.layout != "stage_dates":
            order.remove("column")
        edited = st.data_editor(
            rows,
            hide_index=True,
            num_rows="dynamic",
            column_config=column_config,
            column_order=order,
            key=f"stages_{v}",
        )
        values = _stage_values(ds, picked)
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
        submitted = st.form_submit_button(t("apply"), type="primary")
    if submitted:
        flt = {r: vals for r, vals in spec.filter.items() if r in picked or r not in ROLES}
        new = dataclasses.replace(
            spec,
            columns=picked,
            stages=stages_from_rows(pd.DataFrame(edited)),
            won=tuple(won),
            lost=tuple(lost),
            filter=flt,
        )
        if not new.stages:
            state.flash_error(t("error_spec", message="no stages"))
        elif state.apply_spec(new):
            st.session_state["flash_ok"] = t("applied")
            st.rerun()
