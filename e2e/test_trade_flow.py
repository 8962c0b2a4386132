"""A province official adds a souvenir shop on a phone: the commune list follows the province, a tap
on the map fills in latitude and longitude, and the outlet's page shows it on a small map."""

import re

import pytest
from playwright.sync_api import expect

from registry.models import Role
from tests.factories import commune, make_user, with_role
from trade.models import Outlet

pytestmark = pytest.mark.browser


def test_an_official_places_an_outlet_on_the_map(mobile_page, live_server, log_in, artifacts):
    lao_cai = commune("Lào Cai", "Sa Pa")
    official = with_role(make_user(), Role.Kind.PROVINCE, province=lao_cai.province)
    page = mobile_page
    page.route("**/tile.openstreetmap.org/**", lambda route: route.abort())
    log_in(page, official)
    page.goto(f"{live_server.url}/outlets/new/")

    page.locator("#id_name").fill("Cửa hàng OCOP Sa Pa")
    page.locator("#id_kind").select_option("souvenir")
    page.locator("#id_address").fill("Số 6 đường Cầu Mây")
    page.locator("#id_province").select_option(lao_cai.province_id)
    expect(page.locator(f"#id_commune option[value='{lao_cai.pk}']")).to_have_count(1)  # htmx filled it
    page.locator("#id_commune").select_option(lao_cai.pk)
    map_box = page.get_by_test_id("position-map")
    expect(map_box).to_have_class(re.compile(r"\bleaflet-container\b"))
    box = map_box.bounding_box()
    map_box.click(position={"x": box["width"] / 2, "y": box["height"] / 2})
    expect(page.locator("#id_latitude")).to_have_value(re.compile(r"^1\d\.\d{6}$"))
    expect(page.locator("#id_longitude")).to_have_value(re.compile(r"^10\d\.\d{6}$"))
    expect(page.locator("path.places-marker-picked")).to_have_count(1)
    page.screenshot(path=artifacts / "trade-01-outlet-position.png", full_page=True)
    page.get_by_test_id("outlet-form").locator("button[type=submit]").click()

    outlet = Outlet.objects.get()
    expect(page).to_have_url(re.compile(rf"/outlets/{outlet.pk}/$"))
    expect(page.get_by_test_id("outlet-address")).to_contain_text("Số 6 đường Cầu Mây")
    expect(page.locator("path.places-marker-outlet")).to_have_count(1)
    assert outlet.commune == lao_cai and 102 < outlet.longitude < 118
    page.screenshot(path=artifacts / "trade-02-outlet-page.png", full_page=True)
