"""A tourist on a phone opens the tourism map (the vendored Leaflet draws a marker per destination and
shop), opens a destination, widens the distance and sees more shops, products and the suggested
route. Without JavaScript the same page still lists everything."""

import re

import pytest
from playwright.sync_api import expect

from tests.trade.builders import LAO_CAI, SA_PA, certified_product, make_destination, make_outlet
from trade.services_outlets import outlet_product_add

pytestmark = pytest.mark.browser


def _data():
    here = make_destination(
        position=SA_PA,
        translations={
            "vi": {"name": "Bản Cát Cát", "description": "Bản của người Mông dưới chân Sa Pa."},
            "en": {"name": "Cát Cát village", "description": "A Hmong village below Sa Pa town."},
        },
    )
    make_destination(
        position=(22.3030, 103.8890), kind="eco", translations={"vi": {"name": "Thung lũng Tả Van"}}
    )
    tea = certified_product(name="Chè Shan tuyết Sa Pa")
    near = make_outlet(name="Cửa hàng OCOP Sa Pa", position=(22.3356, 103.8430))
    far = make_outlet(name="Siêu thị Lào Cai", kind="supermarket", position=LAO_CAI)
    outlet_product_add(actor=None, outlet=near, product=tea)
    outlet_product_add(actor=None, outlet=far, product=tea)
    return here


def test_a_tourist_finds_products_and_shops_near_a_destination(mobile_page, live_server, artifacts):
    here = _data()
    page = mobile_page
    page.route("**/tile.openstreetmap.org/**", lambda route: route.abort())  # no network in tests
    leaflet = []
    page.on(
        "response", lambda r: leaflet.append(r.url) if "/static/vendor/leaflet/leaflet.js" in r.url else None
    )

    page.goto(f"{live_server.url}/tourism/?lang=en")
    map_box = page.get_by_test_id("tourism-map")
    expect(map_box).to_have_class(re.compile(r"\bleaflet-container\b"))
    expect(page.locator("path.places-marker-destination")).to_have_count(2)
    expect(page.locator("path.places-marker-outlet")).to_have_count(2)
    assert leaflet and leaflet[0].startswith(live_server.url)  # vendored, not a CDN
    page.screenshot(path=artifacts / "tourism-01-map.png", full_page=True)

    page.locator("path.places-marker-destination").first.click(force=True)
    expect(page.locator(".leaflet-popup-content a")).to_be_visible()
    page.screenshot(path=artifacts / "tourism-02-marker-popup.png")

    page.get_by_test_id("destinations").get_by_role("link", name="Cát Cát village").click()
    expect(page).to_have_url(re.compile(rf"/tourism/{here.pk}/"))
    expect(page.get_by_test_id("destination-name")).to_have_text("Cát Cát village")
    expect(page.get_by_test_id("nearby-outlets")).to_contain_text("Cửa hàng OCOP Sa Pa")
    expect(page.get_by_test_id("nearby-outlets")).not_to_contain_text("Siêu thị Lào Cai")
    expect(page.get_by_test_id("nearby-products")).to_contain_text("Chè Shan tuyết Sa Pa")
    expect(page.locator("path.places-route")).to_have_count(1)
    page.screenshot(path=artifacts / "tourism-03-destination.png", full_page=True)

    page.get_by_test_id("km").fill("30")
    page.get_by_test_id("km-form").get_by_role("button").click()
    expect(page).to_have_url(re.compile(r"km=30"))
    expect(page.get_by_test_id("nearby-outlets")).to_contain_text("Siêu thị Lào Cai")
    route = page.get_by_test_id("route")
    expect(route).to_contain_text("Thung lũng Tả Van")
    expect(route).to_contain_text("Siêu thị Lào Cai")
    expect(page.get_by_test_id("route-total")).to_contain_text(re.compile(r"Total: about \d+ km"))
    page.screenshot(path=artifacts / "tourism-04-wider-distance.png", full_page=True)

    page.get_by_test_id("tourist-langs").get_by_role("link", name="日本語").click()
    expect(page.get_by_test_id("route")).to_contain_text("おすすめルート")
    expect(page.get_by_test_id("fallback-note")).to_contain_text("ベトナム語で表示しています")
    page.screenshot(path=artifacts / "tourism-05-japanese.png", full_page=True)


def test_the_tourism_pages_list_everything_without_javascript(browser, live_server, artifacts):
    here = _data()
    context = browser.new_context(
        locale="en-GB", java_script_enabled=False, viewport={"width": 390, "height": 844}, is_mobile=True
    )
    page = context.new_page()
    page.route("**/tile.openstreetmap.org/**", lambda route: route.abort())
    page.goto(f"{live_server.url}/tourism/?lang=en")
    expect(page.get_by_test_id("tourism-map")).not_to_have_class(re.compile(r"leaflet-container"))
    expect(page.get_by_test_id("destinations")).to_contain_text("Cát Cát village")
    expect(page.get_by_test_id("outlets")).to_contain_text("Siêu thị Lào Cai")
    page.screenshot(path=artifacts / "tourism-06-no-javascript-map.png", full_page=True)

    page.goto(f"{live_server.url}/tourism/{here.pk}/?lang=en&km=30")
    expect(page.get_by_test_id("nearby-products")).to_contain_text("Chè Shan tuyết Sa Pa")
    expect(page.get_by_test_id("route")).to_contain_text("Siêu thị Lào Cai")
    page.screenshot(path=artifacts / "tourism-07-no-javascript-destination.png", full_page=True)
    context.close()
