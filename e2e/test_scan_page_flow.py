"""Issue 7's Done-when, on a phone: a demo label's URI opens the scan page; the story is read in
English and in Japanese (the language switch); Listen makes the speech call in Japanese; a fake is
reported; a province official finds the report in the review queue. Screenshots in e2e/artifacts."""

import re

import pytest
from playwright.sync_api import expect

from registry.models import Role
from registry.services import packaging_add, product_update
from tests.factories import make_product, make_user, with_role
from traceability import lookup
from traceability.demo import demo_trace_load

pytestmark = pytest.mark.browser

STORIES = {
    "vi": {
        "name": "Chè Shan tuyết Suối Giàng",
        "story": "<p>Ở độ cao trên 1.300 m, giữa mây núi Suối Giàng…</p>",
    },
    "en": {
        "name": "Suối Giàng Shan Tuyết Tea",
        "story": "<p>Above 1,300 m, in the clouds of Suối Giàng…</p>",
    },
    "ja": {"name": "スオイザン緑茶", "story": "<p>標高1,300メートルを超えるスオイザンの雲の中に…</p>"},
}
# Headless Chromium has no voices: the page's call to speechSynthesis.speak is recorded instead.
SPEECH_SPY = """
window.__spoken = [];
const spy = { speak: (u) => window.__spoken.push({ lang: u.lang, text: u.text }), cancel: () => {} };
Object.defineProperty(window, "speechSynthesis", { value: spy, configurable: true });
"""


def test_a_visitor_reads_listens_and_reports_and_an_official_sees_it(
    mobile_page, browser, live_server, log_in, artifacts, settings
):
    settings.OCOP_PUBLIC_BASE_URL = live_server.url
    lookup.cache_clear()
    product = make_product(status="certified", name=STORIES["vi"]["name"])
    product_update(actor=None, product=product, translations=STORIES)
    packaging_add(actor=None, product=product, size=100, unit="g", gtin="8930000000019")
    uri = demo_trace_load()
    assert uri is not None

    mobile_page.add_init_script(SPEECH_SPY)
    mobile_page.goto(uri)
    assert "/scan/01/08930000000019/10/" in mobile_page.url
    expect(mobile_page.get_by_test_id("scan-product")).to_have_text(STORIES["vi"]["name"])
    expect(mobile_page.get_by_test_id("scan-first-check")).to_be_visible()

    mobile_page.locator("[data-testid=scan-langs] a[hreflang=en]").click()
    expect(mobile_page.get_by_test_id("scan-story")).to_contain_text("Above 1,300 m")
    expect(mobile_page.get_by_test_id("scan-product")).to_have_text(STORIES["en"]["name"])
    mobile_page.screenshot(path=artifacts / "scan-page-01-english.png", full_page=True)

    mobile_page.locator("[data-testid=scan-langs] a[hreflang=ja]").click()
    expect(mobile_page.get_by_test_id("scan-story")).to_contain_text("標高1,300メートル")
    expect(mobile_page.locator("html")).to_have_attribute("lang", "ja")
    mobile_page.get_by_test_id("listen").click()
    spoken = mobile_page.evaluate("window.__spoken")
    assert len(spoken) == 1 and spoken[0]["lang"] == "ja-JP" and "標高1,300メートル" in spoken[0]["text"]
    expect(mobile_page.get_by_test_id("listen")).to_have_text("停止")  # the page speaks Japanese too
    mobile_page.screenshot(path=artifacts / "scan-page-02-japanese-listening.png", full_page=True)

    mobile_page.get_by_test_id("scan-report-link").click()
    report = mobile_page.get_by_test_id("scan-report")
    report.locator("select[name=problem]").select_option("looks_fake")
    report.locator("[name=where_bought]").fill("Chợ Bắc Hà, quầy số 12")
    report.locator("[name=message]").fill("Tem in mờ, nắp hộp khác màu, giá < 50.000đ")
    mobile_page.screenshot(path=artifacts / "scan-page-03-report.png", full_page=True)
    report.locator("button[type=submit]").click()
    # The report page keeps the scan page's language (Japanese here).
    expect(mobile_page.locator("main")).to_contain_text("ありがとうございます")

    official = with_role(make_user(), Role.Kind.PROVINCE, province=product.province)
    context = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    log_in(page, official)
    page.goto(f"{live_server.url}/reviews/")
    case = page.get_by_test_id("review-case").filter(has_text="Chợ Bắc Hà")
    expect(case).to_have_count(1)
    expect(case.get_by_test_id("report-message")).to_have_text("Tem in mờ, nắp hộp khác màu, giá < 50.000đ")
    page.screenshot(path=artifacts / "scan-page-04-review-queue.png", full_page=True)
    context.close()


def test_the_lots_raw_material_area_is_drawn_on_a_map_only_when_asked(
    mobile_page, live_server, artifacts, settings
):
    from traceability import services

    settings.OCOP_PUBLIC_BASE_URL = live_server.url
    lookup.cache_clear()
    product = make_product(status="certified", name=STORIES["vi"]["name"])
    packaging_add(actor=None, product=product, size=100, unit="g", gtin="8930000000019")
    uri = demo_trace_load()
    area = services.raw_material_area_create(
        actor=None,
        entity=product.entity,
        name="Đồi chè Pang Cáng",
        kind="crop",
        crop="Chè Shan tuyết",
        geometry={
            "type": "Polygon",
            "coordinates": [[[104.6, 21.6], [104.61, 21.6], [104.61, 21.61], [104.6, 21.61], [104.6, 21.6]]],
        },
    )
    services.lot_areas_set(actor=None, lot=product.lots.get(), areas=[area])
    mobile_page.route("**/tile.openstreetmap.org/**", lambda route: route.abort())  # no network in tests
    loaded = []
    mobile_page.on("request", lambda request: loaded.append(request.url))
    mobile_page.goto(uri)
    expect(mobile_page.get_by_test_id("scan-journey")).to_contain_text("Đồi chè Pang Cáng")
    assert not any("leaflet" in url for url in loaded)  # not on the first load
    mobile_page.get_by_test_id("scan-map-button").click()
    expect(mobile_page.get_by_test_id("scan-map")).to_have_class(re.compile(r"\bleaflet-container\b"))
    expect(mobile_page.locator("#scan-map path.leaflet-interactive")).to_have_count(1)
    expect(mobile_page.get_by_test_id("scan-map-button")).to_be_hidden()
    mobile_page.screenshot(path=artifacts / "scan-page-05-area-map.png", full_page=True)
