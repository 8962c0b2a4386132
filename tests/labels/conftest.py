import pytest
from django.test import Client

from labels.services import templates_load
from registry.models import Role
from registry.services import packaging_add
from tests.factories import commune, make_entity, make_product, make_user, with_role
from traceability import lookup, services

GTIN = "8930000000019"
BASE = "https://ocop.example.vn"


@pytest.fixture(autouse=True)
def _setup(settings, db):
    settings.OCOP_PUBLIC_BASE_URL = BASE
    settings.OCOP_LABELS_WORKERS = 2
    lookup.cache_clear()
    templates_load()
    yield
    lookup.cache_clear()


def client_for(settings, user=None, language="en") -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def product():
    entity = make_entity(commune_obj=commune("Lào Cai"))
    return make_product(entity=entity, status="certified", name="Chè Shan tuyết Suối Giàng")


@pytest.fixture
def packaging(product):
    return packaging_add(actor=None, product=product, size=100, unit="g", gtin=GTIN)


@pytest.fixture
def lot(product, packaging):
    from datetime import date

    return services.lot_create(
        actor=None, product=product, packaging=packaging, code="L-2026/01", expiry_date=date(2027, 3, 1)
    )


@pytest.fixture
def serial_range(product, packaging, lot):
    return services.serials_issue(actor=None, product=product, packaging=packaging, lot=lot, count=40)


@pytest.fixture
def member_user(product):
    return with_role(make_user(), Role.Kind.ENTITY_MEMBER, entity=product.entity)


@pytest.fixture
def member(settings, member_user):
    return client_for(settings, member_user)
