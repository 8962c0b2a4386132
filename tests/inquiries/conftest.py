"""Buyers, certified products with a declared capacity, and inquiries, made through the real services."""

from datetime import date, timedelta
from typing import Any

import pytest

from inquiries.models import BuyerProfile
from inquiries.services import inquiry_submit
from inquiries.services_buyers import buyer_register, buyer_verify
from registry.models import ProductCategory, Role
from tests.certificates.factories import make_certificate
from tests.factories import make_entity, make_product, make_user, province, tax_code, with_role

TODAY = date.today()
START = TODAY + timedelta(days=10)
# 30 days: a window of exactly one prorated month, so capacity over it = the monthly capacity.
END = START + timedelta(days=29)


def certified(*, capacity: int | None = 1000, unit: str = "kg", stars: int = 4, entity=None, **fields):
    """A certified product (valid certificate at `stars`) declaring `capacity` `unit` a month."""
    product = make_product(
        entity=entity or make_entity(), monthly_capacity=capacity, capacity_unit=unit, **fields
    )
    level = "central" if stars == 5 else "province"  # 5★ is recognised by the central council
    return make_certificate(product=product, stars=stars, level=level).product


def national():
    return with_role(make_user(), Role.Kind.NATIONAL)


def make_buyer(*, verified: bool = True, province_name: str = "Hà Nội", user=None, **fields) -> BuyerProfile:
    user = user or make_user()
    data: dict[str, Any] = {
        "organisation": "Siêu thị Xanh",
        "kind": BuyerProfile.Kind.SUPERMARKET,
        "tax_code": tax_code(),
        "phone": "0243 123 4567",
        "email": f"{user.username}@buyer.example",
        "province": province(province_name),
    }
    data.update(fields)
    buyer = buyer_register(actor=user, **data)
    if verified:
        buyer = buyer_verify(actor=national(), buyer=buyer)
    return buyer


def submit(buyer: BuyerProfile, *, quantity=1500, unit="kg", category="QD26-11", **fields):
    data = {
        "category": ProductCategory.objects.get(code=category),
        "quantity": quantity,
        "unit": unit,
        "delivery_start": START,
        "delivery_end": END,
        "destination_province": province("Hà Nội"),
        "destination_address": "Số 1 Tràng Tiền",
    }
    data.update(fields)
    return inquiry_submit(actor=buyer.user, buyer=buyer, **data)


def entity_member(entity):
    return with_role(make_user(), Role.Kind.ENTITY_MEMBER, entity=entity)


@pytest.fixture
def buyer(db):
    return make_buyer()


@pytest.fixture
def client(client, settings):
    """Pages in English: LocaleMiddleware would otherwise answer in Vietnamese, the default."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client
