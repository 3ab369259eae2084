"""The error boundary every page runs in: an unexpected error costs the page one short message
with a reference, never a traceback, a file path or the data already loaded."""

from __future__ import annotations

import logging
from typing import Any

import streamlit as st

from ui import state
from ui.i18n import t

log = logging.getLogger(__name__)


def run(page: Any) -> None:
    """Run a page; on an unexpected error say so in the UI's language with a reference, log
    the details, and offer the data shown before the current source when there was one.

    Streamlit's own control flow (rerun, stop, switch page) is a BaseException and passes."""
    try:
        page.run()
    except Exception:
        ref = state.reference()
        log.exception("page %r failed; reference %s", getattr(page, "title", page), ref)
        st.error(t("error_page", ref=ref))
        before = state.previous()
        current = state.current()
        if before is not None and current is not None:
            st.button(
                t("error_restore", name=before.name, current=current.name),
                key="error_restore",
                on_click=state.restore_previous,
            )
