import json

import pytest
from django.test import Client

from registry.models import Entity, Product, Role
from registry.services_people import api_token_create, api_token_revoke
from tests.factories import commune, make_entity, make_product, make_user, with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def member_token():
    entity = make_entity(commune_obj=commune("Lạng Sơn"))
    user = with_role(make_user(), Role.Kind.ENTITY_MEMBER, entity=entity)
    token, key = api_token_create(actor=user, name="shop sync")
    return entity, user, token, key


def _post(url, payload, key=None):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"} if key else {}
    return Client().post(url, data=json.dumps(payload), content_type="application/json", **headers)


def test_it_creates_a_product_with_a_token(member_token):
    entity, _user, _token, key = member_token
    response = _post(
        "/api/products",
        {
            "entity": entity.pk,
            "category": "QD26-01",
            "price_min_vnd": 60000,
            "translations": {"vi": {"name": "Na Chi Lăng"}, "en": {"name": "Chi Lang custard apple"}},
        },
        key,
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert {t["language"]: t["name"] for t in body["translations"]} == {
        "vi": "Na Chi Lăng",
        "en": "Chi Lang custard apple",
    }
    assert Product.objects.get(pk=body["id"]).entity == entity


def test_it_refuses_writes_without_a_token(member_token):
    entity, *_ = member_token
    response = _post(
        "/api/products", {"entity": entity.pk, "category": "QD26-01", "translations": {"vi": {"name": "Na"}}}
    )
    assert response.status_code == 401
    assert not Product.objects.filter(entity=entity).exists()


def test_a_revoked_token_no_longer_works(member_token):
    entity, user, token, key = member_token
    api_token_revoke(actor=user, token=token)
    response = _post(
        "/api/products",
        {"entity": entity.pk, "category": "QD26-01", "translations": {"vi": {"name": "Na"}}},
        key,
    )
    assert response.status_code == 401


def test_validation_errors_name_the_field_in_the_callers_language(member_token):
    entity, _user, _token, key = member_token
    payload = {"entity": entity.pk, "category": "QD26-01", "translations": {"vi": {"name": "<b>Na</b>"}}}
    headers = {"HTTP_AUTHORIZATION": f"Bearer {key}", "HTTP_ACCEPT_LANGUAGE": "vi"}
    response = Client().post(
        "/api/products", data=json.dumps(payload), content_type="application/json", **headers
    )
    assert response.status_code == 422
    assert "name_vi" in response.json()["detail"]
    assert "HTML" in response.json()["detail"]["name_vi"][0]
    assert not Product.objects.filter(entity=entity).exists()


def test_a_member_cannot_create_a_product_for_another_entity(member_token):
    _entity, _user, _token, key = member_token
    other = make_entity(commune_obj=commune("Lào Cai"))
    response = _post(
        "/api/products",
        {"entity": other.pk, "category": "QD26-01", "translations": {"vi": {"name": "Na"}}},
        key,
    )
    assert response.status_code == 404
    assert not Product.objects.filter(entity=other).exists()


def test_an_official_creates_an_entity_and_bad_tax_codes_are_refused():
    lang_son = commune("Lạng Sơn")
    official = with_role(make_user(), Role.Kind.PROVINCE, province=lang_son.province)
    _token, key = api_token_create(actor=official, name="import")
    payload = {
        "kind": "cooperative",
        "legal_name": "HTX Hồng Bảo Lâm",
        "tax_code": "4900123456",
        "representative": "Hoàng Văn Bảo",
        "address": "Thôn Nà Pàn",
        "commune": lang_son.code,
    }
    assert _post("/api/entities", payload, key).status_code == 201
    bad = _post("/api/entities", {**payload, "tax_code": "49001234"}, key)
    assert bad.status_code == 422 and "tax_code" in bad.json()["detail"]
    dup = _post("/api/entities", payload, key)
    assert dup.status_code == 422
    assert Entity.objects.filter(legal_name="HTX Hồng Bảo Lâm").count() == 1


def test_the_public_api_lists_only_published_products():
    certified = make_product(status=Product.Status.CERTIFIED)
    draft = make_product()
    ids = {p["id"] for p in Client().get("/api/products").json()["items"]}
    assert certified.pk in ids and draft.pk not in ids


def test_places_api_finds_a_commune_by_its_former_name():
    names = [c["name"] for c in Client().get("/api/places/communes", {"q": "che cu nha"}).json()]
    assert names[0] == "Xã Mù Cang Chải"


def test_the_openapi_document_describes_the_endpoints():
    spec = Client().get("/api/openapi.json").json()
    assert spec["openapi"].startswith("3.1")
    assert {"/api/products", "/api/entities", "/api/places/provinces"} <= set(spec["paths"])
