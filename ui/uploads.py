"""A file dropped on the Data page is read once, whichever page the next run draws.

The router reads a waiting upload before it draws the sidebar and the page: someone who drops
a file and at once clicks another page finds the new data there, and the run that reads a file
also draws it.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from ui import state
from ui.i18n import t
from ui.workspaces import exports

DEALS = "upload"  # the Data page's uploader of the deals file
# What the readers open (funnel.io.readers); every uploader of a table offers the same.
FILE_TYPES = ["xlsx", "xlsm", "xlsb", "xls", "ods", "csv", "tsv", "txt"]


def new_upload(key: str) -> tuple[str, bytes, Callable[[], None]] | None:
    """The uploaded file of widget ``key`` when it differs from the last one handled, and the
    call that marks it handled.

    It is marked only once its loading has ended (loaded, or refused with a message): a run
    interrupted while reading it (another rerun arrived, as happens when many people upload at
    once) leaves it unmarked, and the next run reads it again instead of dropping it."""
    uploaded = st.session_state.get(key)
    if uploaded is None or not hasattr(uploaded, "file_id"):
        return None
    # Streamlit gives each upload its own id: comparing it costs nothing on a rerun, where
    # hashing the bytes of a 200 MB file would cost every click.
    seen = f"{key}_seen"
    if st.session_state.get(seen) == uploaded.file_id:
        return None

    def handled() -> None:
        st.session_state[seen] = uploaded.file_id

    return uploaded.name, uploaded.getvalue(), handled


def take_deals_file(*, flash: bool = True) -> bool:
    """Read a new deals file waiting in the Data page's uploader; True when it was loaded.

    The router calls it before anything that shows the data is drawn (the sidebar's client,
    filters and pipeline), so the run that reads a file goes on to show it: no second run.
    ``flash`` leaves the Data page a note that it was loaded; a refusal is in the errors the
    page shows."""
    new = new_upload(DEALS)
    if new is None:
        return False
    name, data, handled = new
    with st.spinner(t("loading")):
        ok = exports.load_upload(data, name)
        handled()
    if ok:
        draft = state.pending()
        if flash and (draft is None or draft.name != name):
            st.session_state["flash_ok"] = t("loaded", name=name)
    return ok
