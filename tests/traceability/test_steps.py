import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from registry.models import Role
from registry.services import packaging_add
from tests.factories import commune, image_upload, make_entity, make_product, make_user, province, with_role
from traceability import epcis, lookup, services, steps
from traceability.models import EpcisEvent

pytestmark = pytest.mark.django_db

BASE = "https://ocop.example.vn"
GTIN = "8930000000019"
LEAF_GTIN = "8930000000026"
SQUARE = {
    "type": "Polygon",
    "coordinates": [[[104.6, 21.6], [104.601, 21.6], [104.601, 21.601], [104.6, 21.601], [104.6, 21.6]]],
}


@pytest.fixture(autouse=True)
def _setup(settings, tmp_path):
    settings.OCOP_PUBLIC_BASE_URL = BASE
    settings.MEDIA_ROOT = tmp_path
    lookup.cache_clear()
    yield
    lookup.cache_clear()


def _client(settings, user=None) -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def farm():
    entity = make_entity(commune_obj=commune("Lào Cai"))
    tea = make_product(entity=entity, status="certified", name="Chè Shan tuyết Suối Giàng")
    leaf = make_product(entity=entity, status="certified", name="Mật ong bạc hà")
    tea_pack = packaging_add(actor=None, product=tea, size=100, unit="g", gtin=GTIN)
    leaf_pack = packaging_add(actor=None, product=leaf, size=1, unit="kg", gtin=LEAF_GTIN)
    area = services.raw_material_area_create(
        actor=None, entity=entity, name="Đồi chè Suối Giàng", kind="crop", crop="Chè", geometry=SQUARE
    )
    leaves = services.lot_create(actor=None, product=leaf, packaging=leaf_pack, code="LEAF-1")
    tea_lot = services.lot_create(actor=None, product=tea, packaging=tea_pack, code="TEA-1")
    user = with_role(make_user(), Role.Kind.ENTITY_MEMBER, entity=entity)
    return {
        "entity": entity,
        "tea": tea,
        "leaf": leaf,
        "area": area,
        "leaves": leaves,
        "tea_lot": tea_lot,
        "user": user,
    }


def _uri(gtin: str, lot: str) -> str:
    return f"{BASE}/01/0{gtin}/10/{lot}"


def _record(farm, kind, *, product=None, lot=None, **extra):
    data = {"when": timezone.now() - timedelta(hours=1), **extra}
    return steps.step_record(
        actor=farm["user"],
        product=product or farm["tea"],
        kind=kind,
        lot=lot or farm["tea_lot"],
        **data,
    )


def _document_errors(event: EpcisEvent) -> list[str]:
    return epcis.schema_errors(epcis.query_document([event]))


def test_it_records_a_harvest_as_a_commissioning_at_the_area(farm, english):
    event = _record(
        farm,
        "harvest",
        product=farm["leaf"],
        lot=farm["leaves"],
        quantity=Decimal("120.5"),
        unit="KGM",
        area=farm["area"],
    )
    doc = event.document
    assert (event.event_type, event.action, event.biz_step) == ("ObjectEvent", "ADD", "commissioning")
    assert doc["quantityList"] == [{"epcClass": _uri(LEAF_GTIN, "LEAF-1"), "quantity": 120.5, "uom": "KGM"}]
    assert doc["bizLocation"] == {"id": f"{BASE}/areas/{farm['area'].pk}"}
    assert (event.product, event.lot) == (farm["leaf"], farm["leaves"])
    assert list(farm["leaves"].raw_material_areas.all()) == [farm["area"]]
    assert _document_errors(event) == []


def test_it_records_production_and_sets_the_input_lots(farm, english):
    event = _record(farm, "produce", quantity=200, unit="", input_lots=[farm["leaves"]])
    doc = event.document
    assert (event.event_type, event.biz_step) == ("TransformationEvent", "commissioning")
    assert doc["inputQuantityList"] == [{"epcClass": _uri(LEAF_GTIN, "LEAF-1")}]
    assert doc["outputQuantityList"] == [{"epcClass": _uri(GTIN, "TEA-1"), "quantity": 200}]
    # The first GTIN named is the input's; the step still belongs to the lot it was recorded on.
    assert (event.product, event.lot) == (farm["tea"], farm["tea_lot"])
    assert list(farm["tea_lot"].input_lots.all()) == [farm["leaves"]]
    assert _document_errors(event) == []


@pytest.mark.parametrize(
    ("kind", "biz_step", "disposition"),
    [("pack", "packing", ""), ("ship", "shipping", "in_transit"), ("receive", "receiving", "")],
)
def test_it_records_pack_ship_and_receive_as_observations(farm, english, kind, biz_step, disposition):
    event = _record(farm, kind, quantity=50, unit="", destination="Cửa hàng OCOP Hà Nội")
    assert (event.event_type, event.action, event.biz_step, event.disposition) == (
        "ObjectEvent",
        "OBSERVE",
        biz_step,
        disposition,
    )
    assert event.epcs == [_uri(GTIN, "TEA-1")]
    assert _document_errors(event) == []
    if kind == "ship":
        assert event.document["ocop:note"] == "Cửa hàng OCOP Hà Nội"
        assert event.document["destinationList"][0]["type"] == "owning_party"


def test_a_lot_without_a_gtin_gets_a_platform_uri(farm, english):
    bare = services.lot_create(actor=None, product=farm["tea"], code="NOGTIN")
    event = _record(farm, "pack", lot=bare)
    assert event.epcs == [f"{BASE}/lots/{bare.pk}"]
    assert (event.product, event.lot) == (farm["tea"], bare)
    assert _document_errors(event) == []


def _refused(farm, kind, field, message, **extra):
    before = EpcisEvent.objects.count()
    with pytest.raises(ValidationError) as exc:
        _record(farm, kind, **extra)
    assert message in " ".join(exc.value.message_dict[field])
    assert EpcisEvent.objects.count() == before


def test_it_refuses_to_ship_a_recalled_lot(farm, english):
    services.lot_recall(actor=None, lot=farm["tea_lot"], reason="Mốc")
    farm["tea_lot"].refresh_from_db()
    _refused(farm, "ship", "lot", "This lot is recalled", destination="Chợ Sa Pa")


def test_it_refuses_another_entitys_area_and_lot(farm, english):
    other = make_entity(commune_obj=commune("Hà Nội"))
    other_area = services.raw_material_area_create(
        actor=None, entity=other, name="Khác", kind="crop", crop="Chè", geometry=SQUARE
    )
    other_lot = services.lot_create(actor=None, product=make_product(entity=other), code="X-1")
    _refused(farm, "harvest", "area", "another producer", quantity=5, unit="KGM", area=other_area)
    _refused(farm, "produce", "input_lots", "own lots", quantity=5, input_lots=[other_lot])
    _refused(farm, "pack", "lot", "another product", lot=other_lot)
    assert not farm["tea_lot"].input_lots.exists()


def test_it_refuses_bad_quantities_and_future_dates(farm, english):
    _refused(farm, "harvest", "quantity", "Enter the quantity", area=farm["area"], unit="KGM")
    _refused(farm, "pack", "quantity", "greater than zero", quantity=-3)
    _refused(farm, "pack", "when", "future", when=timezone.now() + timedelta(days=2))


def _url(product) -> str:
    return f"/products/{product.pk}/trace/steps/new/"


def test_another_provinces_official_gets_404_and_a_forged_post_writes_nothing(farm, settings):
    official = with_role(make_user(), Role.Kind.PROVINCE, province=province("Hà Nội"))
    client = _client(settings, official)
    assert client.get(_url(farm["tea"])).status_code == 404
    before = EpcisEvent.objects.count()
    response = client.post(
        _url(farm["tea"]), {"kind": "pack", "lot": farm["tea_lot"].pk, "when": "2026-01-01T08:00"}
    )
    assert response.status_code == 404
    assert EpcisEvent.objects.count() == before


def test_it_refuses_a_photo_that_is_not_an_image(farm, settings):
    client = _client(settings, farm["user"])
    before = EpcisEvent.objects.count()
    fake = SimpleUploadedFile("leaf.jpg", b"#!/bin/sh\necho not an image\n", content_type="image/jpeg")
    when = timezone.localtime() - timedelta(hours=1)
    response = client.post(
        _url(farm["tea"]),
        {"kind": "pack", "lot": farm["tea_lot"].pk, "when": when.strftime("%Y-%m-%dT%H:%M"), "photo": fake},
    )
    assert response.status_code == 200
    assert "This file is not a valid image" in response.content.decode()
    assert EpcisEvent.objects.count() == before


def test_a_producer_records_steps_on_the_page_and_reads_the_journey(farm, settings):
    client = _client(settings, farm["user"])
    page = client.get(f"/products/{farm['tea'].pk}/trace/").content.decode()
    assert f"{_url(farm['tea'])}?kind=ship" in page
    form = client.get(_url(farm["tea"]) + "?kind=harvest").content.decode()
    assert "Harvest only" in form
    assert re.search(r'value="harvest"[^>]*checked', form)  # the button pressed on the trace page
    now = timezone.localtime()
    posts = [
        {
            "kind": "produce",
            "lot": farm["tea_lot"].pk,
            "quantity": "200",
            "unit": "",
            "input_lots": [farm["leaves"].pk],
            "when": (now - timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"),
        },
        {
            "kind": "pack",
            "lot": farm["tea_lot"].pk,
            "unit": "",
            "photo": image_upload(),
            "when": (now - timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        },
        {
            "kind": "ship",
            "lot": farm["tea_lot"].pk,
            "quantity": "150",
            "unit": "",
            "destination": "Cửa hàng OCOP Hà Nội",
            "when": (now - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        },
    ]
    for data in posts:
        response = client.post(_url(farm["tea"]), data)
        assert response.status_code == 302, response.content.decode()[:2000]
    page = client.get(f"/products/{farm['tea'].pk}/trace/").content.decode()
    assert "recorded" in page  # the message after the last step
    journey = page[page.index('data-testid="journey"') :]
    # In the order they happened (eventTime), not the order they were typed in; the lots'
    # commissioning was recorded just now, after the steps' times.
    positions = [journey.index(word) for word in ("Produce", "Pack", "Ship", "Lot created")]
    assert positions == sorted(positions)
    assert "Cửa hàng OCOP Hà Nội" in journey and "150" in journey
    pack = EpcisEvent.objects.get(biz_step="packing")
    assert pack.document["ocop:photo"].startswith("trace_steps/")
    assert _document_errors(pack) == []


def test_the_epcis_query_finds_the_steps_by_the_lots_class(farm, settings):
    for kind in ("pack", "ship"):
        _record(farm, kind, destination="Chợ Bắc Hà")
    client = _client(settings)
    response = client.get("/epcis/events", {"MATCH_anyEPC": _uri(GTIN, "TEA-1")})
    assert response.status_code == 200
    body = response.json()
    steps_found = [
        event["bizStep"] for event in body["epcisBody"]["queryResults"]["resultsBody"]["eventList"]
    ]
    assert steps_found == ["commissioning", "packing", "shipping"]
    assert epcis.schema_errors(body) == []


def test_lot_inputs_add_keeps_earlier_inputs(farm):
    more = services.lot_create(actor=None, product=farm["leaf"], code="LEAF-2")
    services.lot_inputs_add(actor=None, lot=farm["tea_lot"], inputs=[farm["leaves"]])
    services.lot_inputs_add(actor=None, lot=farm["tea_lot"], inputs=[more])
    assert set(farm["tea_lot"].input_lots.all()) == {farm["leaves"], more}


def test_an_area_a_harvest_was_recorded_at_cannot_be_removed(farm, english):
    from django.core.exceptions import ValidationError

    from traceability.models import RawMaterialArea
    from traceability.services import raw_material_area_remove

    _record(
        farm,
        "harvest",
        product=farm["leaf"],
        lot=farm["leaves"],
        quantity=Decimal("5"),
        unit="KGM",
        area=farm["area"],
    )
    farm["area"].lots.clear()  # no lot links it any more: only the recorded harvest does
    with pytest.raises(ValidationError) as exc:
        raw_material_area_remove(actor=farm["user"], area=farm["area"])
    assert "Harvests from this area were recorded" in str(exc.value)
    assert RawMaterialArea.objects.filter(pk=farm["area"].pk).exists()
