"""The resolver caches what it read per process; a change made in another process (another gunicorn
worker, the admin, an import) must reach it within OCOP_RESOLVER_GENERATION_CHECK_SECONDS, not after
the cache's lifetime. "Another process" is played here by writing the rows and the generation
directly, without touching this process's cache."""

import pytest
from django.db.models import F

from registry.services import packaging_add, packaging_remove
from tests.factories import make_product
from traceability import lookup, services
from traceability.models import ResolverGeneration, ResolverLink
from traceability.resolver import resolve

pytestmark = pytest.mark.django_db

GTIN = "8930000000019"


@pytest.fixture(autouse=True)
def _fresh_cache(settings):
    settings.OCOP_RESOLVER_CACHE_SECONDS = 3600
    lookup.cache_clear()
    lookup._generation.update(seen=None, next_check=0.0)
    yield
    lookup.cache_clear()


def _pip(path=f"/01/0{GTIN}"):
    return resolve(method="GET", path=path, query="linkType=gs1:pip")


def _expire_check():
    lookup._generation["next_check"] = 0.0


def _other_process_links(packaging, target):
    ResolverLink.objects.create(
        packaging=packaging, link_type="gs1:pip", title="Trang", language="vi", target=target
    )
    assert ResolverGeneration.objects.filter(pk=1).update(value=F("value") + 1) == 1


def test_a_link_added_by_another_process_is_followed_after_the_generation_check():
    product = make_product(status="certified")
    packaging = packaging_add(actor=None, product=product, size=1, unit="kg", gtin=GTIN)
    assert _pip().status == 404  # read and cached: no pip link yet
    _other_process_links(packaging, "https://htx.example/che")
    assert _pip().status == 404, "within the check interval the cache still answers"
    _expire_check()
    answer = _pip()
    assert answer.status == 307
    assert dict(answer.headers)["Location"] == "https://htx.example/che"


def test_without_a_new_generation_the_cache_answers_for_its_lifetime():
    product = make_product(status="certified")
    packaging = packaging_add(actor=None, product=product, size=1, unit="kg", gtin=GTIN)
    assert _pip().status == 404
    ResolverLink.objects.create(
        packaging=packaging, link_type="gs1:pip", title="T", language="vi", target="https://x.example/"
    )
    _expire_check()
    assert _pip().status == 404, "a row written behind the services' back is not seen before the TTL"


def test_a_gtin_added_or_removed_reaches_the_resolver_at_once_through_the_services():
    product = make_product(status="certified")
    assert resolve(method="GET", path=f"/01/0{GTIN}", query="").status == 404
    packaging = packaging_add(actor=None, product=product, size=1, unit="kg", gtin=GTIN)
    assert resolve(method="GET", path=f"/01/0{GTIN}", query="").status == 307
    packaging_remove(actor=None, packaging=packaging)
    assert resolve(method="GET", path=f"/01/0{GTIN}", query="").status == 404


def test_a_service_write_moves_the_generation_other_processes_read():
    product = make_product(status="certified")
    packaging = packaging_add(actor=None, product=product, size=1, unit="kg", gtin=GTIN)
    before = ResolverGeneration.objects.get(pk=1).value
    services.resolver_link_add(
        actor=None,
        packaging=packaging,
        link_type="gs1:pip",
        title="Trang",
        language="vi",
        target="https://htx.example/che",
    )
    assert ResolverGeneration.objects.get(pk=1).value == before + 1
