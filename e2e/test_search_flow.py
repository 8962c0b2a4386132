"""Issue 8's forgiving search on a phone: a visitor types without accents and with a typo, sees
which spelling the results are for, narrows them by a facet link and opens a product. The page
works without JavaScript (forms and links only); the screenshot is e2e/artifacts/search-01-typos.png."""

import re

import pytest
from playwright.sync_api import expect

from tests.market.conftest_search import public

pytestmark = pytest.mark.browser


def test_a_visitor_finds_tea_typed_with_a_typo_on_a_phone(mobile_page, live_server, artifacts):
    tea = public(
        "Trà Shan Tuyết Suối Giàng",
        stars=4,
        place=("Lào Cai", "Mường Khương"),
        category="QD26-11",
        entity_name="Hợp tác xã Chè Suối Giàng",
    )
    public(
        "Mật ong bạc hà Đồng Văn",
        stars=4,
        place=("Tuyên Quang", "Đồng Văn"),
        category="QD26-04",
        entity_name="Hợp tác xã Ong Đồng Văn",
    )
    mobile_page.goto(f"{live_server.url}/search/")
    mobile_page.get_by_role("searchbox").fill("che san tuyet")
    mobile_page.get_by_role("searchbox").press("Enter")
    expect(mobile_page.get_by_test_id("search-corrected")).to_contain_text("che shan tuyet")
    results = mobile_page.get_by_test_id("search-hit")
    expect(results).to_have_count(1)
    expect(results.first).to_contain_text("Trà Shan Tuyết Suối Giàng")
    mobile_page.screenshot(path=artifacts / "search-01-typos.png", full_page=True)

    mobile_page.get_by_test_id("facet-star").get_by_role("link").first.click()
    expect(mobile_page).to_have_url(re.compile(r"star=4"))
    expect(mobile_page.get_by_test_id("search-hit")).to_have_count(1)

    mobile_page.get_by_test_id("search-hit").get_by_role("link").click()
    expect(mobile_page).to_have_url(re.compile(rf"/catalogue/products/{tea.pk}/$"))


def test_the_search_page_works_without_javascript(browser, live_server):
    public(
        "Cá hồi Sa Pa",
        stars=3,
        place=("Lào Cai", "Sa Pa"),
        category="QD26-08",
        entity_name="Công ty Cá hồi Hoàng Liên",
    )
    context = browser.new_context(java_script_enabled=False, locale="vi-VN")
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/search/")
        page.get_by_role("searchbox").fill("salmon sapa")
        page.get_by_test_id("search-form").get_by_role("button").click()
        expect(page.get_by_test_id("search-hit")).to_contain_text("Cá hồi Sa Pa")
    finally:
        context.close()
