"""The raw-material areas page of an entity (list, map, add by GeoJSON/upload) and the lot → areas
form on the product traceability page."""

import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from registry.models import Role
from tests.factories import commune, make_entity, make_product, make_user, with_role
from tests.traceability.shapes import BOWTIE, SQUARE, english_client
from traceability import services
from traceability.models import Lot, RawMaterialArea

pytestmark = pytest.mark.django_db


@pytest.fixture
def entity():
    return make_entity(commune_obj=commune("Lào Cai"))


@pytest.fixture
def member(settings, entity):
    return english_client(settings, with_role(make_user(), Role.Kind.ENTITY_MEMBER, entity=entity))


@pytest.fixture
def outsider(settings):
    """An official of another province."""
    return english_client(
        settings, with_role(make_user(), Role.Kind.PROVINCE, province=commune("Hà Nội").province)
    )


def _page(entity) -> str:
    return f"/entities/{entity.pk}/areas/"


def _add(entity) -> str:
    return f"/entities/{entity.pk}/areas/add/"


def _data(**extra) -> dict:
    return {
        "name": "Đồi chè Suối Giàng",
        "kind": "crop",
        "crop": "Chè Shan tuyết",
        "households": "12",
        **extra,
    }


def _area(entity, geometry=SQUARE, name="Đồi chè") -> RawMaterialArea:
    return services.raw_material_area_create(
        actor=None, entity=entity, name=name, kind="crop", crop="Chè", geometry=geometry
    )


def test_a_member_adds_a_polygon_by_pasting_geojson_and_sees_its_hectares(member, entity):
    response = member.post(_add(entity), _data(geometry=json.dumps(SQUARE), standards="VietGAP"), follow=True)
    assert response.status_code == 200
    area = RawMaterialArea.objects.get(entity=entity)
    assert area.geometry["type"] == "Polygon" and area.households == 12
    html = response.content.decode()
    assert "Đồi chè Suối Giàng" in html and "VietGAP" in html
    assert str(area.area_ha) in html  # 1.00 (or 0.99/1.01): measured, shown in the list
    assert "1.0" in html or "0.99" in html
    data = json.loads(
        re.search(r'<script id="areas-data" type="application/json">(.*?)</script>', html, re.S)[1]
    )
    assert data["features"][0]["geometry"]["type"] == "Polygon"
    assert data["features"][0]["properties"]["name"] == "Đồi chè Suối Giàng"


def test_a_member_uploads_a_geojson_file(member, entity):
    collection = {
        "type": "FeatureCollection",
        "features": [{"type": "Feature", "properties": {}, "geometry": SQUARE}],
    }
    upload = SimpleUploadedFile("doi-che.geojson", json.dumps(collection).encode(), "application/geo+json")
    response = member.post(_add(entity), {**_data(), "geometry_file": upload})
    assert response.status_code == 302
    assert RawMaterialArea.objects.get(entity=entity).geometry["type"] == "Polygon"


def test_a_point_carries_its_declared_area(member, entity):
    point = {"type": "Point", "coordinates": [104.6, 21.6]}
    response = member.post(_add(entity), _data(geometry=json.dumps(point), area_ha="12.5"))
    assert response.status_code == 302
    assert str(RawMaterialArea.objects.get(entity=entity).area_ha) == "12.50"


def test_a_self_intersecting_polygon_is_refused_with_the_values_kept(member, entity):
    response = member.post(_add(entity), _data(geometry=json.dumps(BOWTIE)))
    assert response.status_code == 200
    html = response.content.decode()
    assert "crosses itself" in html
    assert 'value="Đồi chè Suối Giàng"' in html  # the form keeps what was typed
    assert not RawMaterialArea.objects.exists()


def test_no_geometry_at_all_is_explained(member, entity):
    response = member.post(_add(entity), _data())
    assert response.status_code == 200
    assert "Draw the area on the map" in response.content.decode()
    assert not RawMaterialArea.objects.exists()


def test_an_oversized_or_foreign_upload_is_refused(member, entity, settings):
    settings.OCOP_GEOJSON_MAX_BYTES = 200
    big = SimpleUploadedFile("big.geojson", json.dumps(SQUARE).encode() + b" " * 300)
    response = member.post(_add(entity), {**_data(), "geometry_file": big})
    assert response.status_code == 200
    assert "too large" in response.content.decode()
    shp = SimpleUploadedFile("area.shp", b"\x00\x00\x27\x0a")
    response = member.post(_add(entity), {**_data(), "geometry_file": shp})
    assert ".geojson" in response.content.decode()
    assert not RawMaterialArea.objects.exists()


def test_another_provinces_official_gets_404_and_writes_nothing(outsider, entity):
    assert outsider.get(_page(entity)).status_code == 404
    response = outsider.post(_add(entity), _data(geometry=json.dumps(SQUARE)))
    assert response.status_code == 404
    assert not RawMaterialArea.objects.exists()


def test_anonymous_users_are_sent_to_log_in(settings, entity):
    response = english_client(settings).get(_page(entity))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_page_loads_only_local_scripts_and_styles_and_embeds_the_areas(member, entity):
    _area(entity)
    html = member.get(_page(entity)).content.decode()
    sources = re.findall(r'<script[^>]*\ssrc="([^"]*)"', html) + re.findall(
        r'<link[^>]*\shref="([^"]*)"', html
    )
    assert sources and all(src.startswith("/static/") for src in sources), sources
    assert "/static/vendor/leaflet/leaflet.js" in sources
    assert "/static/traceability/area_map.js" in sources
    # No inline script other than the json_script data block.
    scripts = re.findall(r"<script(?![^>]*\ssrc=)([^>]*)>", html)
    assert scripts == [' id="areas-data" type="application/json"']
    assert 'data-tile-url="https://tile.openstreetmap.org/{z}/{x}/{y}.png"' in html


def test_the_entity_page_links_the_areas_page_for_its_managers(member, outsider, entity):
    assert _page(entity) in member.get(f"/entities/{entity.pk}/").content.decode()


def test_the_csp_allows_the_tile_server(member, entity):
    response = member.get(_page(entity))
    csp = response.headers.get("Content-Security-Policy", "")
    assert "https://tile.openstreetmap.org" in csp


# --- lot → areas on the product traceability page ---------------------------------------------------


@pytest.fixture
def lot(entity):
    product = make_product(entity=entity, status="certified")
    return services.lot_create(actor=None, product=product, code="L-2026")


def _lot_areas(lot) -> str:
    return f"/products/{lot.product_id}/trace/lots/{lot.pk}/areas/"


def test_the_lot_form_links_a_lot_to_its_producers_area(member, lot, entity):
    area = _area(entity)
    page = member.get(f"/products/{lot.product_id}/trace/").content.decode()
    assert _lot_areas(lot) in page and _page(entity) in page
    response = member.post(_lot_areas(lot), {"areas": [area.pk]}, follow=True)
    assert response.status_code == 200
    assert list(Lot.objects.get(pk=lot.pk).raw_material_areas.all()) == [area]
    assert "Đồi chè" in response.content.decode()
    assert member.post(_lot_areas(lot), {}).status_code == 302  # none: unlinked
    assert not lot.raw_material_areas.exists()


def test_the_lot_form_refuses_another_entitys_area(member, lot):
    foreign = _area(make_entity(commune_obj=commune("Lào Cai")), name="Vùng khác")
    response = member.post(_lot_areas(lot), {"areas": [foreign.pk]})
    assert response.status_code == 200
    assert "valid choice" in response.content.decode()
    assert not lot.raw_material_areas.exists()


def test_an_outsider_cannot_set_a_lots_areas(outsider, lot, entity):
    area = _area(entity)
    assert outsider.post(_lot_areas(lot), {"areas": [area.pk]}).status_code == 404
    assert not lot.raw_material_areas.exists()
