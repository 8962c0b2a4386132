"""An entity member draws a raw-material area on the map with a phone: clicks add the corners,
"Finish outline" writes the GeoJSON into the form, the area is saved and listed with its hectares."""

import re

import pytest
from playwright.sync_api import expect

from registry.models import Role
from tests.factories import commune, make_entity, make_user, with_role
from traceability.models import RawMaterialArea

pytestmark = pytest.mark.browser


def test_a_member_draws_an_area_on_the_map(mobile_page, live_server, log_in, artifacts):
    entity = make_entity(commune_obj=commune("Lào Cai"))
    user = with_role(make_user(), Role.Kind.ENTITY_MEMBER, entity=entity)
    # No tiles in tests: the map still takes clicks on its grey background.
    mobile_page.route("**/tile.openstreetmap.org/**", lambda route: route.abort())
    log_in(mobile_page, user)
    mobile_page.goto(f"{live_server.url}/entities/{entity.pk}/areas/")

    map_box = mobile_page.get_by_test_id("area-map")
    expect(map_box).to_have_class(re.compile(r"\bleaflet-container\b"))  # the script ran
    for _ in range(10):  # zoom in (5 → 15) so the outline is a hill, not a province
        mobile_page.locator(".leaflet-control-zoom-in").click()
        mobile_page.wait_for_timeout(350)  # each zoom animates; clicks during it are ignored
    for x, y in ((120, 90), (240, 90), (240, 200), (120, 200)):
        map_box.click(position={"x": x, "y": y})
    mobile_page.locator("[data-area-finish]").click()
    expect(mobile_page.locator("#area_geometry")).to_have_value(re.compile(r'^\{"type":"Polygon"'))
    mobile_page.locator("#area_name").fill("Đồi chè Suối Giàng")
    mobile_page.locator("#area_crop").fill("Chè Shan tuyết")
    mobile_page.screenshot(path=artifacts / "areas-drawing.png", full_page=True)
    mobile_page.locator("#add-area button[type=submit]").click()

    expect(mobile_page.get_by_test_id("areas")).to_contain_text("Đồi chè Suối Giàng")
    area = RawMaterialArea.objects.get(entity=entity)
    assert area.geometry["type"] == "Polygon" and area.area_ha
    expect(mobile_page.locator("path.leaflet-interactive")).to_have_count(1)
    mobile_page.screenshot(path=artifacts / "areas.png", full_page=True)
