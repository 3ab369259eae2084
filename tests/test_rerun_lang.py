"""The UI language is read from the session once per run of the script: a switch takes effect
on the next run, as the sidebar switch's own rerun brings it; outside a run it is read as it
is."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest


def _page() -> None:
    import streamlit as st

    from ui.i18n import lang, t

    st.session_state.setdefault("lang", "ru")
    st.write(f"first {lang()} {t('kpi_deals')}")
    st.session_state["lang"] = "en" if lang() == "ru" else "ru"  # as a widget would, mid-run
    st.write(f"then {lang()}")


def test_the_language_is_read_once_per_run_and_anew_on_the_next():
    at = AppTest.from_function(_page)
    at.run()
    assert not at.exception, at.exception
    assert [m.value for m in at.markdown] == ["first ru Сделок", "then ru"]
    at.run()
    assert [m.value for m in at.markdown] == ["first en Deals", "then en"]
    at.session_state["lang"] = "ru"
    at.run()
    assert [m.value for m in at.markdown] == ["first ru Сделок", "then ru"]


def _no_language_yet() -> None:
    import streamlit as st

    from ui.i18n import lang

    before = lang()  # nothing in the session yet: Russian, and not kept for the run
    st.session_state["lang"] = "en"
    st.write(f"{before} {lang()}")


def test_a_run_that_finds_no_language_reads_again():
    at = AppTest.from_function(_no_language_yet)
    at.run()
    assert not at.exception, at.exception
    assert at.markdown[0].value == "ru en"


def test_outside_a_run_the_session_decides():
    import ui.i18n as i18n

    assert i18n.lang() in i18n.LANGS
