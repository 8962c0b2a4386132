"""Editing and removing an entity's raw-material areas: the edit page (the same form, prefilled, the
outline on the map), the Edit/Remove buttons of the list, and what the services refuse."""

import html
import json
import re
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from audit.models import AuditEvent
from registry.models import Role
from tests.factories import commune, make_entity, make_product, make_user, with_role
from tests.traceability.shapes import BOWTIE, POINT, SQUARE, WIDER, english_client
from traceability import services
from traceability.models import RawMaterialArea

pytestmark = pytest.mark.django_db


@pytest.fixture
def entity():
    return make_entity(commune_obj=commune("Lào Cai"))


@pytest.fixture
def member_user(entity):
    return with_role(make_user(), Role.Kind.ENTITY_MEMBER, entity=entity)


@pytest.fixture
def member(settings, member_user):
    return english_client(settings, member_user)


@pytest.fixture
def other_member(settings):
    """A member of another entity in the same commune."""
    other = make_entity(commune_obj=commune("Lào Cai"))
    return english_client(settings, with_role(make_user(), Role.Kind.ENTITY_MEMBER, entity=other))


@pytest.fixture
def area(entity):
    return services.raw_material_area_create(
        actor=None,
        entity=entity,
        name="Đồi chè Suối Giàng",
        kind="crop",
        crop="Chè Shan tuyết",
        geometry=SQUARE,
        standards="VietGAP",
        households=12,
    )


def _list(entity) -> str:
    return f"/entities/{entity.pk}/areas/"


def _edit(area) -> str:
    return f"/entities/{area.entity_id}/areas/{area.pk}/edit/"


def _remove(area) -> str:
    return f"/entities/{area.entity_id}/areas/{area.pk}/remove/"


def _data(**extra) -> dict:
    return {
        "name": "Đồi chè Suối Giàng mở rộng",
        "kind": "crop",
        "crop": "Chè Shan tuyết",
        "standards": "VietGAP",
        "households": "15",
        "geometry": json.dumps(WIDER),
        **extra,
    }


def _textarea(page: str) -> str:
    found = re.search(r"<textarea[^>]*data-area-geometry[^>]*>(.*?)</textarea>", page, re.S)
    assert found, "no geometry textarea"
    return html.unescape(found[1]).strip()


def _map_data(page: str) -> dict:
    found = re.search(r'<script id="areas-data" type="application/json">(.*?)</script>', page, re.S)
    assert found, "the page carries the areas for the map"
    return json.loads(found[1])


def _unchanged(area) -> bool:
    now = RawMaterialArea.objects.get(pk=area.pk)
    return (now.name, now.geometry, now.area_ha, now.households) == (
        area.name,
        area.geometry,
        area.area_ha,
        area.households,
    )


# --- the list page ---------------------------------------------------------------------------------


def test_each_row_of_the_list_has_edit_and_remove(member, area):
    page = member.get(_list(area.entity)).content.decode()
    assert f'href="{_edit(area)}"' in page and ">Edit</a>" in page
    assert f'action="{_remove(area)}"' in page and ">Remove</button>" in page
    assert 'data-label="Lots"' in page  # the phone layout still labels each cell


# --- editing ---------------------------------------------------------------------------------------


def test_the_edit_page_shows_the_form_filled_in_and_the_outline_for_the_map(member, area, entity):
    neighbour = services.raw_material_area_create(
        actor=None, entity=entity, name="Vườn quế", kind="forest", crop="Quế", geometry=POINT, area_ha="3"
    )
    response = member.get(_edit(area))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'value="Đồi chè Suối Giàng"' in page and 'value="VietGAP"' in page and 'value="12"' in page
    assert json.loads(_textarea(page)) == SQUARE  # area_map.js draws the textarea's GeoJSON
    # The other areas are on the map for reference; the edited one is not drawn twice.
    assert [feature["id"] for feature in _map_data(page)["features"]] == [neighbour.pk]
    assert 'name="draw_mode" value="polygon" checked' in page
    assert "/static/traceability/area_map.js" in page


def test_it_renames_and_redraws_an_area_and_measures_it_again(member, area, entity):
    assert Decimal("0.99") <= area.area_ha <= Decimal("1.01")
    response = member.post(_edit(area), _data(), follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == _list(entity)
    page = response.content.decode()
    assert "The area Đồi chè Suối Giàng mở rộng was saved." in page
    area.refresh_from_db()
    assert area.name == "Đồi chè Suối Giàng mở rộng" and area.households == 15
    assert area.geometry == WIDER
    assert Decimal("1.98") <= area.area_ha <= Decimal("2.02")
    assert str(area.area_ha) in page  # the list shows the new hectares
    assert RawMaterialArea.objects.count() == 1  # edited, not added


def test_a_lot_stays_linked_to_an_edited_area(member, area, entity):
    product = make_product(entity=entity, status="certified")
    lot = services.lot_create(actor=None, product=product, code="L-2026")
    services.lot_areas_set(actor=None, lot=lot, areas=[area])
    assert member.post(_edit(area), _data()).status_code == 302
    assert list(lot.raw_material_areas.values_list("name", flat=True)) == ["Đồi chè Suối Giàng mở rộng"]


def test_a_point_keeps_its_declared_hectares_when_edited(member, entity):
    point = services.raw_material_area_create(
        actor=None,
        entity=entity,
        name="Ao cá",
        kind="aquaculture",
        crop="Cá hồi",
        geometry=POINT,
        area_ha="2.5",
    )
    page = member.get(_edit(point)).content.decode()
    assert 'value="2.50"' in page and 'name="draw_mode" value="point" checked' in page
    data = _data(name="Ao cá", kind="aquaculture", crop="Cá hồi", geometry=json.dumps(POINT), area_ha="4")
    assert member.post(_edit(point), data).status_code == 302
    point.refresh_from_db()
    assert point.area_ha == Decimal("4.00")


@pytest.mark.parametrize(
    ("geometry", "message"),
    [
        (json.dumps(BOWTIE), "The outline crosses itself"),
        ("{not json", "it is not even JSON"),
        (json.dumps({"type": "Point", "coordinates": [21.6, 104.6]}), "The area is not in Vietnam"),
        ("", "Draw the area on the map"),
    ],
)
def test_a_bad_outline_on_edit_changes_nothing_and_says_why(member, area, geometry, message):
    response = member.post(_edit(area), _data(geometry=geometry))
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert 'value="Đồi chè Suối Giàng mở rộng"' in page  # what was typed is kept for another try
    assert _unchanged(area)
    assert not AuditEvent.objects.filter(action="raw_material_area.update").exists()


def test_an_empty_name_on_edit_is_refused(member, area):
    response = member.post(_edit(area), _data(name="   "))
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert _unchanged(area)


def test_an_edit_is_audited_with_before_and_after(member, member_user, area):
    member.post(_edit(area), _data())
    event = AuditEvent.objects.get(action="raw_material_area.update", object_id=str(area.pk))
    assert event.actor == member_user
    assert (
        event.before["name"] == "Đồi chè Suối Giàng" and event.after["name"] == "Đồi chè Suối Giàng mở rộng"
    )
    assert Decimal(event.before["area_ha"]) < Decimal(event.after["area_ha"])


def test_saving_an_unchanged_area_writes_no_audit_event(member, area):
    unchanged = _data(name=area.name, households="12", geometry=json.dumps(SQUARE))
    response = member.post(_edit(area), unchanged, follow=True)
    assert "was saved" in response.content.decode()
    assert not AuditEvent.objects.filter(action="raw_material_area.update").exists()


# --- removing --------------------------------------------------------------------------------------


def test_an_unused_area_is_removed_and_audited(member, member_user, area, entity):
    response = member.post(_remove(area), follow=True)
    assert response.redirect_chain[-1][0] == _list(entity)
    page = response.content.decode()
    assert "The area Đồi chè Suối Giàng was removed." in page
    assert "No raw-material areas yet." in page
    assert not RawMaterialArea.objects.filter(pk=area.pk).exists()
    event = AuditEvent.objects.get(action="raw_material_area.remove", object_id=str(area.pk))
    assert event.actor == member_user and event.before["name"] == "Đồi chè Suối Giàng"


def test_an_area_that_supplied_a_lot_is_not_removed(member, area, entity):
    product = make_product(entity=entity, status="certified")
    lot = services.lot_create(actor=None, product=product, code="L-2026")
    services.lot_areas_set(actor=None, lot=lot, areas=[area])
    response = member.post(_remove(area), follow=True)
    page = response.content.decode()
    assert "This area supplied 1 lot (L-2026); it cannot be removed." in page
    assert 'data-testid="areas"' in page and "Đồi chè Suối Giàng" in page  # still listed
    assert RawMaterialArea.objects.filter(pk=area.pk).exists()
    assert list(lot.raw_material_areas.all()) == [area]
    assert not AuditEvent.objects.filter(action="raw_material_area.remove").exists()


def test_the_refusal_names_a_few_lots_and_counts_them_all(area, entity):
    product = make_product(entity=entity, status="certified")
    for n in range(7):
        lot = services.lot_create(actor=None, product=product, code=f"L-{n}")
        services.lot_areas_set(actor=None, lot=lot, areas=[area])
    with pytest.raises(ValidationError, match=r"This area supplied 7 lots \(L-0, L-1, L-2, L-3, L-4, …\)"):
        services.raw_material_area_remove(actor=None, area=area)
    assert RawMaterialArea.objects.filter(pk=area.pk).exists()


def test_remove_takes_only_a_post_with_a_csrf_token(settings, member_user, area):
    client = english_client(settings, member_user)
    assert client.get(_remove(area)).status_code == 405
    guarded = Client(enforce_csrf_checks=True)
    guarded.force_login(member_user)
    assert guarded.post(_remove(area)).status_code == 403
    assert RawMaterialArea.objects.filter(pk=area.pk).exists()


# --- who may --------------------------------------------------------------------------------------


def test_another_entitys_member_gets_404_and_changes_nothing(other_member, area):
    assert other_member.get(_edit(area)).status_code == 404
    assert other_member.post(_edit(area), _data()).status_code == 404
    assert other_member.post(_remove(area)).status_code == 404
    assert _unchanged(area)
    assert not AuditEvent.objects.filter(
        action__in=["raw_material_area.update", "raw_material_area.remove"]
    ).exists()


def test_an_area_is_not_reached_through_another_entitys_address(settings, area):
    """A member of entity B asking for A's area under B's own address: not found either."""
    other = make_entity(commune_obj=commune("Lào Cai"))
    client = english_client(settings, with_role(make_user(), Role.Kind.ENTITY_MEMBER, entity=other))
    assert client.get(f"/entities/{other.pk}/areas/{area.pk}/edit/").status_code == 404
    assert client.post(f"/entities/{other.pk}/areas/{area.pk}/remove/").status_code == 404
    assert _unchanged(area)


def test_the_services_refuse_someone_who_does_not_manage_the_entity(area):
    outsider = with_role(make_user(), Role.Kind.ENTITY_MEMBER, entity=make_entity())
    with pytest.raises(PermissionDenied):
        services.raw_material_area_update(
            actor=outsider, area=area, name="X", kind="crop", crop="Chè", geometry=WIDER
        )
    with pytest.raises(PermissionDenied):
        services.raw_material_area_remove(actor=outsider, area=area)
    assert _unchanged(area)


def test_anonymous_users_are_sent_to_log_in(settings, area):
    response = english_client(settings).get(_edit(area))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
