"""The view in the address bar, in a real browser: a filter picked in the sidebar is in the
link, a reload (F5) keeps it, and the link opened in a fresh browser shows the same figures."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.e2e_support import (
    ARTIFACTS,
    E2E_MARKS,
    expect_metric,
    metric,
    open_app,
    wait_chart,
    wait_idle,
)

pytestmark = E2E_MARKS


def test_a_filter_survives_a_reload_and_travels_in_the_link(page, server):
    everything = metric(page)
    box = page.get_by_test_id("stSidebar").get_by_test_id("stMultiSelect").filter(has_text="Канал")
    box.click()
    # one channel (Streamlit's list starts with a "Select all" entry)
    option = page.get_by_role("option").filter(has_not_text="Select all").first
    channel = option.inner_text().strip()
    option.click()
    page.keyboard.press("Escape")
    # the link changes once the run with the filter has gone through; then the figures are its
    expect(page).to_have_url(re.compile(r"[?&]f\.channel="), timeout=60_000)
    expect(page.get_by_test_id("stMetricValue").first).not_to_have_text(everything, timeout=60_000)
    wait_idle(page)
    filtered = metric(page)
    link = page.url

    page.reload()
    wait_chart(page)
    expect_metric(page, filtered)
    expect(box).to_contain_text(channel)
    page.screenshot(path=str(ARTIFACTS / "e2e_links_after_reload.png"))

    # the link in a fresh browser (no cookies, no session): the same view
    other = page.context.browser.new_context(
        viewport={"width": 1400, "height": 1000}, locale="ru-RU"
    )
    try:
        fresh = other.new_page()
        open_app(fresh, link)
        expect_metric(fresh, filtered)
        boxes = fresh.get_by_test_id("stSidebar").get_by_test_id("stMultiSelect")
        expect(boxes.filter(has_text="Канал")).to_contain_text(channel)
    finally:
        other.close()
