"""Shared data of the catalogue tests (imported explicitly: tests/market is shared with the search
tests). A certified tea with three languages, a 4★ certificate, a photo, a packaging with a GTIN, a
VietGAP recognition and export markets; next to it products the public must never see."""

from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from django.utils import timezone

from registry.models import Entity, Product, Recognition
from registry.services import packaging_add, product_image_add, product_update
from registry.services_evidence import recognition_create
from tests.certificates.factories import import_past
from tests.factories import commune, image_upload, make_entity, make_product
from traceability import lookup

STORY = {
    "vi": {
        "name": "Chè Shan tuyết Suối Giàng",
        "short_description": "Chè xanh búp từ cây Shan tuyết cổ thụ.",
        "story": "<p>Ở độ cao trên 1.300 m, giữa mây núi Suối Giàng…</p>",
        "usage": "Hãm 3 phút.",
    },
    "en": {
        "name": "Suối Giàng Shan Tuyết Tea",
        "short_description": "Green bud tea from ancient Shan Tuyết trees.",
        "story": "<p>Above 1,300 m, in the clouds of Suối Giàng…</p>",
        "usage": "Steep 3 minutes.",
    },
    "ja": {"name": "スオイザン緑茶", "story": "<p>標高1,300メートル…</p>"},
}
GTIN = "8930000000019"
TAX_CODE = "5300999999"
PHONE = "0912 345 678"
EMAIL = "htx.suoigiang@example.org"
REPRESENTATIVE = "Nguyễn Thị Bí Mật"


@dataclass
class Catalogue:
    tea: Product
    producer: Entity
    draft: Product
    registered: Product
    expired: Product
    other_province: Product


@pytest.fixture(name="fresh_cache")
def fresh_cache_fixture():
    """The product page and cards are kept in the resolver's per-process cache: no test sees another's."""
    lookup.cache_clear()
    yield
    lookup.cache_clear()


def _certified(product: Product, *, stars: int = 4) -> Product:
    import_past(product=product, stars=stars, valid_until=timezone.localdate() + timedelta(days=600))
    product.refresh_from_db()
    return product


@pytest.fixture(name="catalogue")
def catalogue_fixture(fresh_cache) -> Catalogue:
    producer = make_entity(
        legal_name="Hợp tác xã Chè Suối Giàng",
        tax_code=TAX_CODE,
        phone=PHONE,
        email=EMAIL,
        representative=REPRESENTATIVE,
        description="Hợp tác xã trồng và chế biến chè Shan tuyết cổ thụ.",
        workers_count=37,
    )
    tea = make_product(entity=producer, name=STORY["vi"]["name"], price_min_vnd=120000, price_max_vnd=450000)
    tea = product_update(actor=None, product=tea, translations=STORY)
    packaging_add(actor=None, product=tea, size=100, unit="g", gtin=GTIN, description="Hộp giấy")
    product_image_add(actor=None, product=tea, upload=image_upload(), alt_text="Hộp chè Shan tuyết")
    recognition_create(
        actor=None,
        entity=producer,
        product=tea,
        kind=Recognition.Kind.VIETGAP,
        number="VG-123",
        issuer="Sở NN",
    )
    recognition_create(
        actor=None,
        entity=producer,
        product=tea,
        kind=Recognition.Kind.EXPORT_MARKET,
        note="Nhật Bản; Liên minh châu Âu",
        valid_from=date(2024, 1, 1),
    )
    tea = _certified(tea, stars=4)
    draft = make_product(entity=producer, name="Chè nháp chưa công bố")
    registered = make_product(entity=producer, name="Chè đã đăng ký", status="registered")
    expired = make_product(entity=producer, name="Chè hết hạn", status="expired")
    elsewhere = make_entity(commune_obj=commune("Lạng Sơn"), legal_name="Hợp tác xã Hồi Lạng Sơn")
    other = _certified(make_product(entity=elsewhere, name="Hoa hồi Lạng Sơn", category="QD26-10"), stars=3)
    return Catalogue(tea, producer, draft, registered, expired, other)
