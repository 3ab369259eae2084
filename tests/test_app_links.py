"""The view in the address bar: a link opens the filters, breakdown, period and language it
names, a change is written back into the link, and what a link asks for that the data lacks is
said and left out."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.conftest import APP

COMPARE = "app_pages/compare.py"


def open_link(query: dict, *, lang: str | None = "ru", page: str | None = None) -> AppTest:
    app = AppTest.from_file(APP, default_timeout=90)
    if page:
        app.switch_page(page)  # the link's path
    if lang:
        app.session_state["lang"] = lang
    app.query_params.update(query)
    app.run()
    assert not app.exception, app.exception
    return app


def _channels(app: AppTest) -> list[str]:
    return list(app.multiselect(key=_key(app, "channel")).options)


def _key(app: AppTest, role: str) -> str:
    return next(w.key for w in app.multiselect if w.key and w.key.startswith(f"flt_{role}_"))


def _tiles(app: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in app.metric}


def test_a_link_s_filter_is_what_picking_it_by_hand_gives():
    by_hand = open_link({})
    channel = _channels(by_hand)[0]
    by_hand.multiselect(key=_key(by_hand, "channel")).set_value([channel]).run()
    linked = open_link({"f.channel": channel})
    assert linked.multiselect(key=_key(linked, "channel")).value == [channel]
    assert _tiles(linked) == _tiles(by_hand)
    assert _tiles(linked) != _tiles(open_link({}))  # the filter changed the figures


def test_a_change_is_written_into_the_link_and_a_reload_keeps_it():
    app = open_link({})
    assert app.query_params.get("f.channel") is None
    channel = _channels(app)[1]
    app.multiselect(key=_key(app, "channel")).set_value([channel]).run()
    link = dict(app.query_params)
    assert link["f.channel"] in (channel, [channel])
    assert link["lang"] == "ru"
    reloaded = open_link(link, lang=None)  # a new session: nothing but the link
    assert reloaded.multiselect(key=_key(reloaded, "channel")).value == [channel]
    assert _tiles(reloaded) == _tiles(app)


def test_the_language_and_the_breakdown_come_from_the_link():
    assert open_link({"lang": "en"}, lang=None).title[0].value == "Funnel"
    app = open_link({"lang": "en", "by": "product"}, lang=None, page=COMPARE)
    # the page's own memory of its breakdown (its labels are worded in the session's language)
    assert app.session_state["compare_by_chosen"] == "product"
    assert any(s.key == "compare_by_en" for s in app.selectbox)


def test_what_the_data_lacks_is_said_and_the_rest_applied():
    app = open_link({"f.channel": ["Нет такого канала"], "x": "1", "period": "day"})
    notes = [c.value for c in app.sidebar.caption]
    note = next(n for n in notes if "Из ссылки не применено" in n)
    assert "f.channel" in note and "x" in note and "period" in note
    assert app.multiselect(key=_key(app, "channel")).value == []
    app.run()  # said once, not on every rerun
    assert not any("Из ссылки не применено" in c.value for c in app.sidebar.caption)


def test_a_hostile_link_is_text_that_goes_nowhere():
    app = open_link(
        {
            "by": "__import__('os').system('id')",
            "ws": "../../etc/passwd",
            "from": "2026-99-99",
            "f.channel": "<script>alert(1)</script>",
        }
    )
    assert not app.exception and not app.error
    note = next(c.value for c in app.sidebar.caption if "Из ссылки не применено" in c.value)
    for name in ("by", "ws", "from", "f.channel"):
        assert name in note
