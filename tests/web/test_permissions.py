"""The permission matrix: every role × action × (inside / outside jurisdiction), through the pages
and the API, asserting allow or deny as the user would experience it."""

import json

import pytest
from django.test import Client

from registry.models import Entity, Product, Role
from registry.services_people import api_token_create
from tests.factories import commune, make_entity, make_product, make_user, with_role

pytestmark = pytest.mark.django_db

ROLES = [
    "national",
    "province_in",
    "province_out",
    "commune_in",
    "commune_out",
    "council",
    "member_own",
    "member_other",
    "public",
]
# Who may see and change a draft product (and its entity) of a Lào Cai commune.
ALLOWED = {"national", "province_in", "commune_in", "member_own"}


@pytest.fixture
def world():
    home = commune("Lào Cai", "Mù Cang Chải")
    away = commune("Lạng Sơn")
    entity = make_entity(commune_obj=home, legal_name="HTX Thổ cẩm Mông")
    draft = make_product(entity=entity, name="Khăn thổ cẩm", category="QD26-22", commune=home)
    certified = make_product(
        entity=entity, name="Váy thổ cẩm", category="QD26-22", commune=home, status=Product.Status.CERTIFIED
    )
    other_entity = make_entity(commune_obj=away)
    users = {
        "national": with_role(make_user(), Role.Kind.NATIONAL),
        "province_in": with_role(make_user(), Role.Kind.PROVINCE, province=home.province),
        "province_out": with_role(make_user(), Role.Kind.PROVINCE, province=away.province),
        "commune_in": with_role(make_user(), Role.Kind.COMMUNE, commune=home),
        "commune_out": with_role(make_user(), Role.Kind.COMMUNE, commune=away),
        "council": with_role(make_user(), Role.Kind.COUNCIL),
        "member_own": with_role(make_user(), Role.Kind.ENTITY_MEMBER, entity=entity),
        "member_other": with_role(make_user(), Role.Kind.ENTITY_MEMBER, entity=other_entity),
        "public": None,
    }
    return {"entity": entity, "draft": draft, "certified": certified, "users": users, "home": home}


def _client(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _entity_post(entity: Entity, **changes) -> dict:
    data = {
        "kind": entity.kind,
        "legal_name": entity.legal_name,
        "tax_code": entity.tax_code,
        "representative": entity.representative,
        "phone": "",
        "email": "",
        "address": entity.address,
        "province": entity.province_id,
        "commune": entity.commune_id,
        "founded_year": "",
        "members_count": 0,
        "workers_count": entity.workers_count,
        "women_count": 0,
        "ethnic_minority_count": 0,
        "description": "",
        "gln": "",
    }
    data.update(changes)
    return data


def _product_post(product: Product, name: str) -> dict:
    return {"category": product.category_id, "commune": product.commune_id, "name_vi": name}


def _outcome_get(response) -> bool:
    return response.status_code == 200


@pytest.mark.parametrize("role", ROLES)
def test_view_entity_page(world, role):
    response = _client(world["users"][role]).get(f"/entities/{world['entity'].pk}/")
    # The public and council members see this entity's certified product, but entity pages are for
    # signed-in users; the public is sent to log in.
    expected = role in ALLOWED or role in {"province_out", "commune_out", "council", "member_other"}
    assert _outcome_get(response) is expected
    if role == "public":
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("role", ROLES)
def test_view_draft_product_page(world, role):
    response = _client(world["users"][role]).get(f"/products/{world['draft'].pk}/")
    assert _outcome_get(response) is (role in ALLOWED)
    if role not in ALLOWED:
        assert response.status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_view_certified_product_page(world, role):
    response = _client(world["users"][role]).get(f"/products/{world['certified'].pk}/")
    assert response.status_code == 200


@pytest.mark.parametrize("role", ROLES)
def test_edit_entity_page(world, role):
    entity = world["entity"]
    response = _client(world["users"][role]).post(
        f"/entities/{entity.pk}/edit/", _entity_post(entity, representative="Giàng A Páo")
    )
    entity.refresh_from_db()
    changed = entity.representative == "Giàng A Páo"
    assert changed is (role in ALLOWED), response.status_code
    if not changed:
        assert response.status_code in (302, 403, 404)


@pytest.mark.parametrize("role", ROLES)
def test_edit_draft_product_page(world, role):
    product = world["draft"]
    _client(world["users"][role]).post(f"/products/{product.pk}/edit/", _product_post(product, "Khăn mới"))
    product.refresh_from_db()
    assert (product.translation("vi").name == "Khăn mới") is (role in ALLOWED)


@pytest.mark.parametrize("role", ROLES)
def test_edit_certified_product_page(world, role):
    # Seeing a published product never means being able to change it.
    product = world["certified"]
    _client(world["users"][role]).post(f"/products/{product.pk}/edit/", _product_post(product, "Váy mới"))
    product.refresh_from_db()
    assert (product.translation("vi").name == "Váy mới") is (role in ALLOWED)


@pytest.mark.parametrize("role", ROLES)
def test_add_packaging_page(world, role):
    product = world["draft"]
    _client(world["users"][role]).post(f"/products/{product.pk}/packagings/", {"size": "1", "unit": "piece"})
    assert product.packagings.exists() is (role in ALLOWED)


@pytest.mark.parametrize("role", ROLES)
def test_register_entity_page(world, role):
    home = world["home"]
    data = _entity_post(world["entity"], tax_code="5300777777", legal_name="HTX Mới")
    _client(world["users"][role]).post("/entities/new/", data)
    # Only officials of the commune's jurisdiction register entities there.
    assert Entity.objects.filter(tax_code="5300777777").exists() is (
        role in {"national", "province_in", "commune_in"}
    ), home


@pytest.mark.parametrize("role", ROLES)
def test_api_get_draft_product(world, role):
    response = _client(world["users"][role]).get(f"/api/products/{world['draft'].pk}")
    assert (response.status_code == 200) is (role in ALLOWED)
    if role not in ALLOWED:
        assert response.status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_api_list_products(world, role):
    response = _client(world["users"][role]).get("/api/products")
    ids = {item["id"] for item in response.json()["items"]}
    assert world["certified"].pk in ids
    assert (world["draft"].pk in ids) is (role in ALLOWED)


@pytest.mark.parametrize("role", ROLES)
def test_api_patch_product_with_token(world, role):
    product = world["draft"]
    user = world["users"][role]
    headers = {}
    if user is not None:
        _token, key = api_token_create(actor=user, name="test")
        headers["HTTP_AUTHORIZATION"] = f"Bearer {key}"
    response = Client().patch(
        f"/api/products/{product.pk}",
        data=json.dumps({"translations": {"vi": {"name": "Khăn API"}}}),
        content_type="application/json",
        **headers,
    )
    product.refresh_from_db()
    assert (product.translation("vi").name == "Khăn API") is (role in ALLOWED)
    expected = 200 if role in ALLOWED else (401 if user is None else 404)
    assert response.status_code == expected
