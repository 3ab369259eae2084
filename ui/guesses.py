"""What the mapping rests on without proof (``Spec.guessed``), said where the numbers are: a
warning with the reason, a button to the editor and one to confirm the mapping as it is."""

from __future__ import annotations

import dataclasses

import streamlit as st

from ui import state
from ui.i18n import STRINGS, dim_label, quoted, t

DATA_PAGE = "app_pages/data.py"


def _reason(ds: state.Dataset) -> str:
    """Why the stage order is a guess, from detection's notice when it gave one."""
    for notice in ds.inference.warnings:
        if notice.code == "detect_order_guess":
            reason = str((notice.params or {}).get("reason", ""))
            if f"guess_reason_{reason}" in STRINGS:
                return t(f"guess_reason_{reason}")
    return t("guess_reason_unknown")


def sentences(ds: state.Dataset) -> list[str]:
    """One sentence per guessed subject of the current mapping, in the UI's language."""
    out = []
    for subject in ds.spec.guessed:
        if subject == "stage_order":
            out.append(t("guess_stage_order", reason=_reason(ds)))
        elif subject == "outcomes":
            out.append(t("guess_outcomes"))
        elif subject.startswith("role:"):
            role = subject.removeprefix("role:")
            column = ds.spec.columns.get(role)
            out.append(
                t(
                    "guess_role",
                    role=dim_label(role),
                    column=quoted(column) if column else t("role_none"),
                )
            )
        else:
            out.append(t("guess_other"))
    return out


def confirm(ds: state.Dataset) -> bool:
    """The mapping as it is, confirmed: applied with nothing guessed (and so remembered)."""
    return state.apply_spec(dataclasses.replace(ds.spec, guessed={}))


def note(ds: state.Dataset, *, key: str) -> None:
    """The warning at the top of a page whose numbers rest on a guess; nothing otherwise."""
    said = sentences(ds)
    if not said:
        return
    with st.container(border=True):
        st.warning(" ".join(said) + " " + t("guess_check"))
        c1, c2, _ = st.columns([1.2, 1.4, 3])
        if c1.button(t("guess_open_editor"), key=f"guess_edit_{key}"):
            st.switch_page(DATA_PAGE)
        if c2.button(t("guess_confirm"), key=f"guess_ok_{key}", type="primary") and confirm(ds):
            st.session_state["flash_ok_guess"] = t("guess_confirmed")
            st.rerun()
    state.show_errors()


def flash() -> None:
    """Say once that the mapping was confirmed (after the rerun that dropped the note)."""
    if (msg := st.session_state.pop("flash_ok_guess", None)) is not None:
        st.success(msg)
