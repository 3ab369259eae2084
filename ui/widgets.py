"""Small Streamlit pieces the pages share: the source banner, the page's data, the mapping's
download, the won-amount headline and pickers that keep their choice."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any, Literal, TypeVar, cast

import numpy as np
import streamlit as st

from funnel.deals import Deals
from funnel.values import NONE_LABEL
from ui import filters, state
from ui.i18n import (
    currency_sign,
    fmt_money,
    fmt_money_short,
    fmt_number,
    lang,
    plural_deals,
    quoted,
    t,
)
from ui.workspaces import opening

T = TypeVar("T")


def source_banner(ds: state.Dataset, *, offer_upload: bool = True) -> None:
    """Say where the numbers come from; on the sample, say so loudly and offer one's own."""
    sheet = f" / {ds.sheet}" if ds.sheet else ""
    if ds.is_sample and offer_upload:
        cols = st.columns([5, 1.5], vertical_alignment="center")
        cols[0].info(t("sample_note", name=ds.name))
        if cols[1].button(t("load_own"), type="primary", key="load_own"):
            st.switch_page("app_pages/data.py")
    elif ds.is_sample:
        st.info(t("sample_note", name=ds.name))
    # A Google Sheet's name holds a " · " of its own (title · tab): quoted, it reads as one name.
    name = quoted(ds.name) if ds.sheet_source is not None else ds.name
    n = len(ds.deals)
    st.caption(
        t(
            "source_note",
            name=name,
            sheet=sheet,
            deals=f"{fmt_number(n)} {plural_deals(n)}",
            stages=len(ds.deals.stages),
        )
    )
    if (history := opening.coverage_words(ds.coverage)) is not None:
        st.caption(history)  # what a client's repeated exports tell about the deals' stages


def page_data(title_key: str | None) -> tuple[state.Dataset, Deals, np.ndarray | None]:
    """Every data page's start: its title (None: the page writes its own), the flashed errors,
    the source line; the dataset, its deals and the sidebar filters' mask. Stops the page with a
    message when there is no data, or when the filters leave no deal."""
    if title_key is not None:
        st.title(t(title_key))
    state.show_errors()
    ds = state.current()
    if ds is None:
        st.warning(t("no_data"))
        st.page_link("app_pages/data.py", label=t("nav_data"))
        st.stop()
    if (draft := state.pending()) is not None:
        c1, c2 = st.columns([5, 1.2], vertical_alignment="center")
        c1.info(t("pending_elsewhere", name=draft.name, current=ds.name))
        c2.page_link("app_pages/data.py", label=t("pending_open"))
    source_banner(ds)
    mask = filters.current_mask(ds.deals)
    if mask is not None and not mask.any():
        st.warning(t("no_deals_filter"))
        st.stop()
    return ds, ds.deals, mask


def spec_download(ds: state.Editable, *, label: str, key: str, container: Any = None) -> None:
    """The current mapping (stages, roles, changes) as the YAML file it opens with next time."""
    (container or st).download_button(
        label,
        data=lambda: ds.spec.to_yaml().encode("utf-8"),  # written only when asked for
        file_name=f"{slug(ds.name.rsplit('.', 1)[0])}.voronka.yaml",
        mime="application/x-yaml",
        key=key,
        on_click="ignore",
    )


def slug(text: str) -> str:
    return re.sub(r"[^\w]+", "_", text, flags=re.UNICODE).strip("_").lower() or "voronka"


def currency_name(code: str) -> str:
    """A currency as people read it in a choice or a caption: "EUR (€)", "RUB (₽)", "CNY";
    the deals whose currency is not given, in words."""
    if code in ("", NONE_LABEL):
        return t("no_currency")
    sign = currency_sign(code)
    return f"{code} ({sign})" if sign and sign != code else code


HEADLINE_CHARS = 9  # what a fifth of a 1400 px page shows of a metric before it cuts it off


def won_amount_headline(deals: Any, total: Any, cur: int) -> tuple[str, str | None, str | None]:
    """The won amount for a KPI tile: short enough never to be cut off («28,2 млн ₽»), the full
    figure in its help, and the other currencies' wins under it; «—» without an amount column.
    """
    if "amount" not in deals.spec.columns:
        return "—", t("kpi_no_amount"), None
    currency = total.currencies[cur]
    full = fmt_money(float(total.won_amount[0, cur]), currency)
    text = (
        full
        if len(full) <= HEADLINE_CHARS
        else fmt_money_short(float(total.won_amount[0, cur]), currency)
    )
    others = [
        fmt_money_short(float(total.won_amount[0, i]), code)
        for i, code in enumerate(total.currencies)
        if i != cur and total.won_amount[0, i] > 0
    ]
    more = t("kpi_also_currencies", amounts=", ".join(others)) if others else None
    return text, full if text != full else None, more


def remembered_selectbox(
    label: str,
    options: Sequence[T],
    *,
    key: str,
    format_func: Callable[[T], str] = str,
    container: Any = None,
    width: int | Literal["stretch"] = "stretch",
) -> T:
    """A selectbox over stable values (codes, labels, None) that keeps its choice across the
    language switch and shows it in the new language.

    Streamlit 1.67 keeps the value of a keyed selectbox whose labels change, but the box goes on
    showing the old language's label (writing the value back through the session state cures
    that, except for None, which then shows as an empty box). So the widget is made anew for
    each language, starting from the value chosen last, which lives under a key of its own.
    """
    memory = f"{key}_chosen"
    last = st.session_state.get(memory)
    index = options.index(last) if last in options else 0
    value = (container or st).selectbox(
        label, options, index=index, format_func=format_func, key=f"{key}_{lang()}", width=width
    )
    st.session_state[memory] = value
    return value


def remembered_segmented(
    label: str,
    options: Sequence[T],
    *,
    key: str,
    format_func: Callable[[T], str] = str,
    container: Any = None,
    **kwargs: Any,
) -> T:
    """A required segmented control that keeps its choice across the language switch (made
    anew per language, like :func:`remembered_selectbox`, starting from the last choice)."""
    memory = f"{key}_chosen"
    last = st.session_state.get(memory)
    default = last if last in options else options[0]
    value = (container or st).segmented_control(
        label,
        options,
        format_func=format_func,
        default=default,
        required=True,
        key=f"{key}_{lang()}",
        **kwargs,
    )
    chosen = cast(T, default if value is None else value)
    st.session_state[memory] = chosen
    return chosen
