"""Issue 8's catalogue in a real browser: a visitor goes from the home page to a province, a product
(its story in English by the language switch) and its producer; axe-core finds no serious or
critical accessibility violation on the home, search, browse, product and producer pages; the
product page's share tags (Open Graph, JSON-LD) are what Zalo and Facebook read; with JavaScript
off the browse filters and the product page still work. Screenshots in e2e/artifacts."""

import json
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from registry.models import Recognition
from registry.services import packaging_add, product_update
from registry.services_evidence import recognition_create
from tests.certificates.factories import import_past
from tests.factories import commune, make_entity, make_product
from traceability import lookup

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"
STORIES = {
    "vi": {
        "name": "Chè Shan tuyết Suối Giàng",
        "short_description": "Chè xanh búp từ cây Shan tuyết cổ thụ.",
        "story": "<p>Ở độ cao trên 1.300 m, giữa mây núi Suối Giàng…</p>",
    },
    "en": {
        "name": "Suối Giàng Shan Tuyết Tea",
        "short_description": "Green bud tea from ancient Shan Tuyết trees.",
        "story": "<p>Above 1,300 m, in the clouds of Suối Giàng…</p>",
    },
    "ja": {"name": "スオイザン緑茶", "story": "<p>標高1,300メートル…</p>"},
}
AXE_RUN = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 3).map(n => n.target.join(" "))}));
}"""


def _axe(page, name: str) -> None:
    """No serious or critical violation (minor and moderate ones are printed, not failed)."""
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate(AXE_RUN)
    assert page.evaluate("typeof axe.version") == "string"  # the rules really ran
    bad = [v for v in violations if v["impact"] in ("serious", "critical")]
    print(f"axe {name}: {len(violations)} violation(s), {len(bad)} serious or critical")
    for v in violations:
        print(f"  {v['impact']} {v['id']} {v['nodes']}")
    assert not bad, f"{name}: {json.dumps(bad, ensure_ascii=False, indent=1)}"


def _context(browser, **options):
    # The site's CSP allows only its own scripts; the test injects axe-core, so the context lets it.
    context = browser.new_context(
        locale="vi-VN", viewport={"width": 1280, "height": 900}, bypass_csp=True, **options
    )
    context.set_default_timeout(10_000)
    return context


@pytest.fixture
def catalogue(settings, live_server):
    settings.OCOP_PUBLIC_BASE_URL = live_server.url
    lookup.cache_clear()
    producer = make_entity(
        legal_name="Hợp tác xã Chè Suối Giàng",
        description="Hợp tác xã trồng và chế biến chè Shan tuyết cổ thụ.",
        phone="0912 345 678",
    )
    tea = make_product(
        entity=producer, name=STORIES["vi"]["name"], price_min_vnd=120000, price_max_vnd=450000
    )
    product_update(actor=None, product=tea, translations=STORIES)
    packaging_add(actor=None, product=tea, size=100, unit="g", gtin="8930000000019")
    recognition_create(actor=None, entity=producer, product=tea, kind=Recognition.Kind.VIETGAP, number="VG-1")
    recognition_create(
        actor=None, entity=producer, product=tea, kind=Recognition.Kind.EXPORT_MARKET, note="Nhật Bản; Pháp"
    )
    valid_until = timezone.localdate() + timedelta(days=600)
    import_past(product=tea, stars=4, valid_until=valid_until)
    other = make_product(
        entity=make_entity(commune_obj=commune("Lạng Sơn"), legal_name="Hợp tác xã Hồi Lạng Sơn"),
        name="Hoa hồi Lạng Sơn",
        category="QD26-10",
    )
    import_past(product=other, stars=3, valid_until=valid_until)
    lookup.cache_clear()
    return tea, producer


def test_a_visitor_browses_reads_a_product_and_its_producer_accessibly(
    browser, live_server, artifacts, catalogue
):
    tea, producer = catalogue
    context = _context(browser)
    page = context.new_page()

    page.goto(f"{live_server.url}/")
    expect(page.get_by_test_id("home-featured")).to_contain_text(STORIES["vi"]["name"])
    expect(page.get_by_test_id("home-search")).to_be_visible()
    page.screenshot(path=artifacts / "catalogue-01-home.png", full_page=True)
    _axe(page, "home")

    page.goto(f"{live_server.url}/search/?q=tra+shan+tuyet")
    page.screenshot(path=artifacts / "catalogue-02-search.png", full_page=True)
    _axe(page, "search")

    page.goto(f"{live_server.url}/")
    page.get_by_test_id("home-provinces").get_by_role("link", name="Tỉnh Lào Cai").click()
    expect(page).to_have_url(re.compile(rf"/catalogue/\?province={tea.province_id}$"))
    expect(page.get_by_test_id("browse-results")).to_contain_text(STORIES["vi"]["name"])
    expect(page.get_by_test_id("browse-results")).not_to_contain_text("Hoa hồi Lạng Sơn")
    page.screenshot(path=artifacts / "catalogue-03-browse.png", full_page=True)
    _axe(page, "browse")

    page.get_by_test_id("browse-results").get_by_role("link", name=STORIES["vi"]["name"]).click()
    expect(page.get_by_test_id("catalogue-product-name")).to_have_text(STORIES["vi"]["name"])
    expect(page.get_by_test_id("catalogue-certificate")).to_contain_text("★★★★")
    expect(page.get_by_test_id("catalogue-export-markets")).to_contain_text("Nhật Bản")
    page.get_by_test_id("catalogue-langs").locator("a[hreflang=en]").click()
    expect(page.get_by_test_id("catalogue-story")).to_contain_text("Above 1,300 m")
    expect(page.get_by_test_id("catalogue-product-name")).to_have_text(STORIES["en"]["name"])
    page.screenshot(path=artifacts / "catalogue-04-product-english.png", full_page=True)
    _axe(page, "product")

    page.get_by_test_id("catalogue-producer-link").click()
    expect(page.get_by_test_id("catalogue-producer-name")).to_have_text(producer.legal_name)
    expect(page.locator("main")).not_to_contain_text("0912 345 678")
    page.screenshot(path=artifacts / "catalogue-05-producer.png", full_page=True)
    _axe(page, "producer")
    context.close()


def test_a_shared_product_link_carries_its_title_image_and_json_ld(
    browser, live_server, artifacts, catalogue
):
    tea, producer = catalogue
    context = _context(browser)
    page = context.new_page()
    page.goto(f"{live_server.url}/catalogue/products/{tea.pk}/")

    def meta(prop: str) -> str:
        return page.locator(f'meta[property="{prop}"]').get_attribute("content") or ""

    url = f"{live_server.url}/catalogue/products/{tea.pk}/"
    assert meta("og:title") == STORIES["vi"]["name"]
    assert meta("og:url") == url and page.locator("link[rel=canonical]").get_attribute("href") == url
    assert meta("og:description") == STORIES["vi"]["short_description"]
    assert meta("og:locale") == "vi_VN"
    image = meta("og:image")
    assert image == f"{live_server.url}/catalogue/products/{tea.pk}/card.png"
    card = page.request.get(image)
    assert card.ok and card.headers["content-type"] == "image/png"
    (artifacts / "catalogue-06-share-card.png").write_bytes(card.body())

    blocks = page.locator('script[type="application/ld+json"]').all_text_contents()
    assert len(blocks) == 1
    data = json.loads(blocks[0])
    assert data["@type"] == "Product" and data["name"] == STORIES["vi"]["name"]
    assert data["image"] == [image] and data["brand"]["name"] == producer.legal_name
    assert data["hasCertification"]["name"] == "OCOP 4★" and "aggregateRating" not in data
    assert data["offers"]["priceCurrency"] == "VND" and data["offers"]["lowPrice"] == 120000
    context.close()


def test_the_catalogue_works_without_javascript(browser, live_server, artifacts, catalogue):
    tea, _producer = catalogue
    context = _context(browser, java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/catalogue/")
    filters = page.get_by_test_id("browse-filters")
    filters.locator("select[name=star]").select_option("3")
    filters.get_by_test_id("browse-submit").click()
    expect(page).to_have_url(re.compile(r"star=3"))
    expect(page.get_by_test_id("browse-results")).to_contain_text("Hoa hồi Lạng Sơn")
    expect(page.get_by_test_id("browse-results")).not_to_contain_text(STORIES["vi"]["name"])
    page.screenshot(path=artifacts / "catalogue-07-no-javascript-browse.png", full_page=True)

    page.goto(f"{live_server.url}/catalogue/products/{tea.pk}/?lang=ja")
    expect(page.get_by_test_id("catalogue-story")).to_contain_text("標高1,300メートル")
    expect(page.get_by_test_id("catalogue-certificate")).to_contain_text("★★★★")
    page.screenshot(path=artifacts / "catalogue-08-no-javascript-product.png", full_page=True)
    context.close()
