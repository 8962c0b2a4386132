"""Shared data of the search tests (imported explicitly: tests/market is shared with the catalogue
tests). Public products made through the real services and certificates — a tea, a salmon, a honey
with a French text and a VietGAP recognition, a rice — and next to them products the public must
never see (a draft, a revoked one) whose names would match the same searches."""

from dataclasses import dataclass

import pytest
from django.utils import timezone

from certificates.services_lifecycle import certificate_revoke
from market import search
from registry.models import Product, Recognition
from registry.services import product_update
from registry.services_evidence import recognition_create
from tests.certificates.factories import make_certificate
from tests.factories import commune, make_entity, make_product


@dataclass
class SearchCatalogue:
    tea: Product
    salmon: Product
    honey: Product
    rice: Product
    draft: Product
    revoked: Product


def public(
    name: str, *, stars: int, place: tuple[str, str], category: str, entity_name: str, **texts
) -> Product:
    entity = make_entity(commune_obj=commune(*place), legal_name=entity_name)
    product = make_product(entity=entity, name=name, category=category)
    if texts:
        product_update(actor=None, product=product, translations=texts)
    make_certificate(stars=stars, product=product, level="central" if stars == 5 else "province")
    product.refresh_from_db()
    return product


@pytest.fixture(name="search_caches", autouse=True)
def search_caches_fixture():
    """Province and group labels and the vocabulary are cached per process; tests roll back rows."""
    search.caches_clear()
    yield
    search.caches_clear()


@pytest.fixture(name="search_catalogue")
def search_catalogue_fixture(db) -> SearchCatalogue:
    tea = public(
        "Trà Shan Tuyết Suối Giàng",
        stars=4,
        place=("Lào Cai", "Mường Khương"),
        category="QD26-11",
        entity_name="Hợp tác xã Chè Suối Giàng",
        en={"name": "Suoi Giang Shan Tuyet tea", "short_description": "Green tea from ancient trees."},
    )
    salmon = public(
        "Cá hồi Sa Pa",
        stars=3,
        place=("Lào Cai", "Sa Pa"),
        category="QD26-08",
        entity_name="Công ty Cá hồi Hoàng Liên",
    )
    honey = public(
        "Mật ong bạc hà Đồng Văn",
        stars=5,
        place=("Tuyên Quang", "Đồng Văn"),
        category="QD26-04",
        entity_name="Hợp tác xã Ong Đồng Văn",
        vi={
            "name": "Mật ong bạc hà Đồng Văn",
            "story": "<p>Ong lấy mật từ <strong>hoa bạc hà</strong> trên cao nguyên đá.</p>",
        },
        fr={"name": "Miel de menthe de Dong Van", "short_description": "Miel du plateau karstique."},
    )
    recognition_create(actor=None, entity=honey.entity, product=honey, kind=Recognition.Kind.VIETGAP)
    rice = public(
        "Gạo Séng Cù Bát Xát",
        stars=3,
        place=("Lào Cai", "Bát Xát"),
        category="QD26-03",
        entity_name="Hợp tác xã Nông nghiệp Bát Xát",
    )
    draft = make_product(
        entity=make_entity(commune_obj=commune("Lào Cai", "Sa Pa"), legal_name="Hợp tác xã Bí Mật"),
        name="Trà Shan Tuyết Bí Mật",
    )
    revoked = public(
        "Cá hồi Tam Đường",
        stars=3,
        place=("Lai Châu", "Sin Suối Hồ"),
        category="QD26-08",
        entity_name="Hợp tác xã Cá Tam Đường",
    )
    certificate = revoked.certificates.get()
    certificate_revoke(
        actor=None, certificate=certificate, ground="b", reason="Kiểm tra", decided_on=timezone.localdate()
    )
    revoked.refresh_from_db()
    return SearchCatalogue(tea, salmon, honey, rice, draft, revoked)


def ids(result) -> list[int]:
    return result.product_ids
