import json
from urllib.parse import parse_qs, urlsplit

import pytest

from audit.models import AuditEvent
from registry.models import Role
from registry.services import packaging_add
from registry.services_people import api_token_create
from tests.factories import make_entity, make_product, make_user, with_role
from traceability import epcis, services
from traceability.models import EpcisEvent

pytestmark = pytest.mark.django_db

BASE = "https://id.example.vn"
OWN_GTIN = "08930000000019"
OTHER_GTIN = "08930000000026"
CONTEXT = "https://ref.gs1.org/standards/epcis/epcis-context.jsonld"


@pytest.fixture
def client(client, settings):
    """Messages in English: the API otherwise answers in Vietnamese, the default language."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def own(english):
    entity = make_entity()
    product = make_product(entity=entity, status="certified")
    packaging = packaging_add(actor=None, product=product, size=100, unit="g", gtin=OWN_GTIN)
    user = with_role(make_user(), Role.Kind.ENTITY_MEMBER, entity=entity)
    _token, key = api_token_create(actor=user, name="erp")
    return {"entity": entity, "product": product, "packaging": packaging, "user": user, "key": key}


@pytest.fixture
def other_product():
    product = make_product(status="certified")
    packaging_add(actor=None, product=product, size=1, unit="kg", gtin=OTHER_GTIN)
    return product


def sgtin(gtin: str, serial: str) -> str:
    return f"{BASE}/01/{gtin}/21/{serial}"


def object_event(**fields) -> dict:
    event = {
        "type": "ObjectEvent",
        "eventID": "urn:uuid:6e7b6a8e-1b2c-4d5e-8f90-0123456789ab",
        "eventTime": "2026-05-01T08:00:00+07:00",
        "eventTimeZoneOffset": "+07:00",
        "action": "OBSERVE",
        "bizStep": "https://ref.gs1.org/cbv/BizStep-shipping",
        "disposition": "in_transit",
        "epcList": [sgtin(OWN_GTIN, "A1"), sgtin(OWN_GTIN, "A2")],
        "readPoint": {"id": "urn:epc:id:sgln:8930000.00001.0"},
        "bizLocation": {"id": "urn:epc:id:sgln:8930000.00001.0"},
    }
    event.update(fields)
    return {key: value for key, value in event.items() if value is not None}


def document(*events: dict) -> dict:
    return {
        "@context": [CONTEXT],
        "type": "EPCISDocument",
        "schemaVersion": "2.0",
        "creationDate": "2026-05-01T09:00:00+07:00",
        "epcisBody": {"eventList": list(events)},
    }


def capture(client, doc, *, key: str | None, content_type: str = "application/ld+json"):
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    body = doc if isinstance(doc, bytes) else json.dumps(doc)
    return client.post("/epcis/capture", data=body, content_type=content_type, headers=headers)


def query(client, key: str | None = None, **params):
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    return client.get("/epcis/events", params, headers=headers)


def event_ids(response) -> list[str]:
    body = response.json()
    return [e["eventID"] for e in body["epcisBody"]["queryResults"]["resultsBody"]["eventList"]]


# --- capture --------------------------------------------------------------------------------------


def test_it_captures_a_document_and_answers_202(client, own):
    response = capture(client, document(object_event()), key=own["key"])
    assert response.status_code == 202, response.content
    body = response.json()
    assert body["eventCount"] == 1
    assert response["Location"] == f"/epcis/capture/{body['captureID']}"
    event = EpcisEvent.objects.get()
    assert (event.event_type, event.biz_step, event.disposition) == ("ObjectEvent", "shipping", "in_transit")
    assert event.product == own["product"]
    assert event.captured_by == own["user"]
    assert event.epcs == [sgtin(OWN_GTIN, "A1"), sgtin(OWN_GTIN, "A2")]
    audit = AuditEvent.objects.get(action="epcis.capture")
    assert audit.after["events"] == [event.event_id]
    job = client.get(response["Location"], headers={"Authorization": f"Bearer {own['key']}"})
    assert job.json()["success"] is True
    assert event_ids(query(client)) == [event.event_id]


def test_it_generates_an_event_id_and_reads_every_cbv_spelling(client, own):
    doc = document(
        object_event(eventID=None, bizStep="https://ref.gs1.org/cbv/BizStep-commissioning", action="ADD"),
        object_event(eventID="urn:uuid:1", bizStep="commissioning", action="ADD"),
    )
    assert capture(client, doc, key=own["key"]).status_code == 202
    events = list(EpcisEvent.objects.order_by("id"))
    assert events[0].event_id.startswith("urn:uuid:")
    assert [e.biz_step for e in events] == ["commissioning", "commissioning"]
    # EPCIS 1.x URNs are refused in a 2.0 JSON document (GS1's schema), but a query may use them.
    urn = "urn:epcglobal:cbv:bizstep:commissioning"
    assert (
        capture(client, document(object_event(eventID="urn:uuid:2", bizStep=urn)), key=own["key"]).status_code
        == 400
    )
    assert len(event_ids(query(client, EQ_bizStep=urn))) == 2


def test_it_refuses_a_document_failing_the_schema(client, own):
    response = capture(client, document(object_event(eventTime=None)), key=own["key"])
    assert response.status_code == 400
    body = response.json()
    assert body["type"] == "epcisException:ValidationException"
    assert "eventTime" in body["title"]
    assert "$.epcisBody.eventList[0]" in body["title"]
    assert not EpcisEvent.objects.exists()


def test_it_refuses_what_is_not_json_or_not_a_document(client, own):
    response = capture(client, b"{not json", key=own["key"])
    assert response.status_code == 400
    assert "not valid JSON" in response.json()["title"]
    response = capture(client, object_event(), key=own["key"])
    assert response.status_code == 400
    assert "EPCISDocument" in response.json()["title"]
    response = capture(client, document(object_event()), key=own["key"], content_type="text/plain")
    assert response.status_code == 415
    assert not EpcisEvent.objects.exists()


def test_it_refuses_a_document_too_large(client, own, settings):
    settings.OCOP_EPCIS_MAX_BYTES = 200
    response = capture(client, document(object_event()), key=own["key"])
    assert response.status_code == 413
    assert response.json()["type"] == "epcisException:CaptureLimitExceededException"
    assert not EpcisEvent.objects.exists()


def test_it_refuses_an_extension_event_type(client, own):
    sensor = {
        "type": "SensorEvent",
        "eventTime": "2026-05-01T08:00:00+07:00",
        "eventTimeZoneOffset": "+07:00",
    }
    response = capture(client, document(object_event(), sensor), key=own["key"])
    assert response.status_code == 400
    assert "unknown event type SensorEvent" in response.json()["title"]
    assert not EpcisEvent.objects.exists()


def test_it_refuses_another_entitys_gtin_and_stores_nothing(client, own, other_product):
    ok = object_event()
    theirs = object_event(eventID="urn:uuid:2", epcList=[sgtin(OTHER_GTIN, "X1")])
    response = capture(client, document(ok, theirs), key=own["key"])
    assert response.status_code == 403
    assert sgtin(OTHER_GTIN, "X1") in response.json()["title"]
    assert not EpcisEvent.objects.exists()
    assert not AuditEvent.objects.filter(action="epcis.capture").exists()


def test_it_refuses_another_entitys_gtin_written_as_an_epc_urn(client, own, other_product):
    urn = "urn:epc:id:sgtin:8930000.000002.S1"
    response = capture(client, document(object_event(epcList=[urn])), key=own["key"])
    assert response.status_code == 403
    assert urn in response.json()["title"]
    assert not EpcisEvent.objects.exists()


def test_it_refuses_an_unknown_gtin_naming_the_epc(client, own):
    epc = sgtin("08930000000033", "Z9")
    response = capture(client, document(object_event(epcList=[epc])), key=own["key"])
    assert response.status_code == 400
    assert epc in response.json()["title"]
    assert "not registered" in response.json()["title"]


def test_it_needs_a_token(client, own):
    for key in (None, "ocop_not-a-key"):
        response = capture(client, document(object_event()), key=key)
        assert response.status_code == 401
        assert response["WWW-Authenticate"].startswith("Bearer")
    assert not EpcisEvent.objects.exists()


def test_it_refuses_an_event_id_already_captured(client, own):
    assert capture(client, document(object_event()), key=own["key"]).status_code == 202
    response = capture(client, document(object_event(eventID="urn:uuid:new"), object_event()), key=own["key"])
    assert response.status_code == 400
    assert "already captured" in response.json()["title"]
    assert EpcisEvent.objects.count() == 1


# --- query ----------------------------------------------------------------------------------------


@pytest.fixture
def captured(client, own):
    lgtin = f"{BASE}/01/{OWN_GTIN}/10/L7"
    doc = document(
        object_event(eventID="urn:uuid:e1", eventTime="2026-05-01T08:00:00+07:00"),
        object_event(
            eventID="urn:uuid:e2",
            eventTime="2026-05-02T08:00:00+07:00",
            action="ADD",
            bizStep="commissioning",
            epcList=[sgtin(OWN_GTIN, "B1")],
            quantityList=[{"epcClass": lgtin, "quantity": 10}],
            bizLocation={"id": "urn:epc:id:sgln:8930000.00002.0"},
        ),
        {
            "type": "AggregationEvent",
            "eventID": "urn:uuid:e3",
            "eventTime": "2026-05-03T08:00:00+07:00",
            "eventTimeZoneOffset": "+07:00",
            "action": "ADD",
            "bizStep": "packing",
            "parentID": f"{BASE}/00/089300000000000003",
            "childEPCs": [sgtin(OWN_GTIN, "A1")],
        },
    )
    response = capture(client, doc, key=own["key"])
    assert response.status_code == 202, response.content
    return {"lgtin": lgtin, "parent": f"{BASE}/00/089300000000000003"}


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, ["urn:uuid:e1", "urn:uuid:e2", "urn:uuid:e3"]),
        ({"eventType": "AggregationEvent"}, ["urn:uuid:e3"]),
        ({"EQ_bizStep": "commissioning"}, ["urn:uuid:e2"]),
        ({"EQ_bizStep": "https://ref.gs1.org/cbv/BizStep-shipping"}, ["urn:uuid:e1"]),
        ({"GE_eventTime": "2026-05-02T08:00:00+07:00"}, ["urn:uuid:e2", "urn:uuid:e3"]),
        ({"LT_eventTime": "2026-05-02T01:00:00Z"}, ["urn:uuid:e1"]),
        (
            {"GE_eventTime": "2026-05-02T00:00:00 07:00", "LT_eventTime": "2026-05-03T00:00:00+07:00"},
            ["urn:uuid:e2"],
        ),
        ({"MATCH_epc": sgtin(OWN_GTIN, "A1")}, ["urn:uuid:e1", "urn:uuid:e3"]),
        ({"MATCH_epc": sgtin(OWN_GTIN, "A")}, []),
        ({"MATCH_epc": sgtin(OWN_GTIN, "a1")}, []),
        ({"MATCH_epc": f"{BASE}/01/{OWN_GTIN}/10/L7"}, []),
        ({"MATCH_anyEPC": f"{BASE}/01/{OWN_GTIN}/10/L7"}, ["urn:uuid:e2"]),
        ({"MATCH_anyEPC": f"{BASE}/00/089300000000000003"}, ["urn:uuid:e3"]),
        ({"EQ_bizLocation": "urn:epc:id:sgln:8930000.00002.0"}, ["urn:uuid:e2"]),
    ],
)
def test_it_filters_events(client, captured, params, expected):
    response = query(client, **params)
    assert response.status_code == 200, response.content
    assert event_ids(response) == expected


def test_it_pages_with_next_page_tokens(client, captured):
    seen = []
    url = "/epcis/events?perPage=2"
    pages = 0
    while url:
        response = client.get(url)
        assert response.status_code == 200
        seen += event_ids(response)
        pages += 1
        link = response.headers.get("Link")
        url = ""
        if link:
            assert link.endswith('>; rel="next"')
            parts = urlsplit(link[1 : link.index(">")])
            assert parse_qs(parts.query)["perPage"] == ["2"]
            url = f"{parts.path}?{parts.query}"
    assert (pages, seen) == (2, ["urn:uuid:e1", "urn:uuid:e2", "urn:uuid:e3"])
    response = client.get("/epcis/events?perPage=1&MATCH_epc=" + sgtin(OWN_GTIN, "A1"))
    assert event_ids(response) == ["urn:uuid:e1"]
    assert 'rel="next"' in response["Link"]


@pytest.mark.parametrize(
    "params",
    [
        {"eventType": "SensorEvent"},
        {"GE_eventTime": "yesterday"},
        {"LT_eventTime": "2026-05-01T08:00:00"},
        {"perPage": "0"},
        {"perPage": "many"},
        {"nextPageToken": "forged"},
        {"EQ_bizstep": "commissioning"},
    ],
)
def test_it_refuses_bad_query_parameters(client, captured, params):
    response = query(client, **params)
    assert response.status_code == 400
    assert response.json()["type"] == "epcisException:QueryParameterException"


def test_the_query_document_follows_the_schema(client, captured):
    response = query(client)
    assert response["Content-Type"].startswith("application/ld+json")
    body = response.json()
    assert (body["type"], body["schemaVersion"], body["@context"]) == ("EPCISQueryDocument", "2.0", [CONTEXT])
    assert epcis.schema_errors(body) == []
    assert all(
        "recordTime" in event for event in body["epcisBody"]["queryResults"]["resultsBody"]["eventList"]
    )


def test_the_public_sees_only_events_of_certified_products(client, own):
    from registry.services import product_set_status

    capture(client, document(object_event()), key=own["key"])
    product_set_status(actor=None, product=own["product"], status="draft")
    assert event_ids(query(client)) == []
    assert event_ids(query(client, key=own["key"])) == ["urn:uuid:6e7b6a8e-1b2c-4d5e-8f90-0123456789ab"]
    assert query(client, key="ocop_wrong").status_code == 401


def test_events_naming_no_product_are_for_national_officials(client, own):
    doc = document(object_event(epcList=["urn:epc:id:giai:8930000.X1"]))
    assert capture(client, doc, key=own["key"]).status_code == 202
    assert event_ids(query(client, key=own["key"])) == []
    national = with_role(make_user(), Role.Kind.NATIONAL)
    _token, key = api_token_create(actor=national, name="ministry")
    assert len(event_ids(query(client, key=key))) == 1


# --- the platform's own events --------------------------------------------------------------------


def test_a_new_lot_records_its_commissioning(client, own, settings):
    settings.OCOP_PUBLIC_BASE_URL = BASE
    lot = services.lot_create(
        actor=own["user"], product=own["product"], packaging=own["packaging"], code="L-2026/01", quantity=500
    )
    event = EpcisEvent.objects.get()
    assert (event.lot, event.product, event.biz_step, event.action) == (
        lot,
        own["product"],
        "commissioning",
        "ADD",
    )
    epc_class = f"{BASE}/01/{OWN_GTIN}/10/L-2026%2F01"
    assert event.document["quantityList"] == [{"epcClass": epc_class, "quantity": 500}]
    response = query(client, EQ_bizStep="commissioning", MATCH_anyEPC=epc_class)
    assert event_ids(response) == [event.event_id]
    assert epcis.schema_errors(response.json()) == []


def test_a_lot_without_a_gtin_records_no_event(own):
    services.lot_create(actor=own["user"], product=own["product"], code="L2")
    assert not EpcisEvent.objects.exists()


def test_it_refuses_a_location_longer_than_it_stores(client, own):
    long_location = {"id": "urn:example:" + "x" * 260}
    response = capture(client, document(object_event(bizLocation=long_location)), key=own["key"])
    assert response.status_code == 400
    assert "bizLocation" in response.json()["title"]
    assert not EpcisEvent.objects.exists()
