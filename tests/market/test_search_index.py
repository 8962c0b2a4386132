"""The search index follows every change made through the services, with no manual step."""

import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from certificates.services_lifecycle import certificate_revoke
from market.models import SearchDocument, SearchState
from market.search import search_products
from market.services_search import search_index_rebuild, search_index_refresh
from registry.models import Recognition
from registry.services import entity_update, product_set_status, product_update
from registry.services_evidence import recognition_create
from tests.certificates.factories import make_certificate
from tests.factories import commune, make_entity, make_product
from tests.market.conftest_search import ids, search_caches_fixture, search_catalogue_fixture  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db


def find(query: str, per_page: int = 0, **filters):
    return search_products(query, filters=filters, page=1, language="vi", per_page=per_page)


def test_it_finds_a_new_name_right_after_a_product_update(search_catalogue):
    assert ids(find("ca hoi sa pa")) == [search_catalogue.salmon.pk]
    product_update(
        actor=None, product=search_catalogue.salmon, translations={"vi": {"name": "Cá tầm Hoàng Liên"}}
    )
    assert ids(find("ca tam hoang lien")) == [search_catalogue.salmon.pk]
    # Still made in Sa Pa by "Công ty Cá hồi Hoàng Liên": found for those words, under its new name.
    assert [hit.name for hit in find("ca hoi sa pa").hits] == ["Cá tầm Hoàng Liên"]


def test_it_learns_the_words_of_a_new_name_for_typo_correction(search_catalogue):
    product_update(
        actor=None, product=search_catalogue.rice, translations={"vi": {"name": "Gạo Séng Cù Mường Khương"}}
    )
    result = find("gao seng cu muong khuong")
    assert ids(result) == [search_catalogue.rice.pk]
    assert ids(find("seng cuu")) == [search_catalogue.rice.pk]


def test_it_drops_a_product_that_stops_being_public(search_catalogue):
    certificate = search_catalogue.salmon.certificates.get()
    certificate_revoke(
        actor=None, certificate=certificate, ground="b", reason="Hậu kiểm", decided_on=timezone.localdate()
    )
    assert ids(find("ca hoi sa pa")) == []
    assert not SearchDocument.objects.filter(product=search_catalogue.salmon).exists()


def test_it_adds_a_product_when_it_is_certified(search_catalogue):
    product = make_product(
        entity=make_entity(commune_obj=commune("Lào Cai", "Sa Pa")),
        name="Rượu táo mèo Sa Pa",
        category="QD26-15",
    )
    assert product.pk not in ids(find("ruou tao meo"))
    make_certificate(stars=4, product=product)
    result = find("ruou tao meo")
    assert ids(result) == [product.pk]
    assert result.hits[0].star == 4


def test_it_follows_a_producer_rename(search_catalogue):
    entity_update(actor=None, entity=search_catalogue.honey.entity, legal_name="Hợp tác xã Mật ong Lũng Cú")
    assert ids(find("lung cu")) == [search_catalogue.honey.pk]
    assert find("mat ong").hits[0].producer == "Hợp tác xã Mật ong Lũng Cú"


def test_it_counts_a_new_recognition(search_catalogue):
    recognition_create(
        actor=None, entity=search_catalogue.rice.entity, product=None, kind=Recognition.Kind.ORGANIC
    )
    assert ids(find("", recognition="organic")) == [search_catalogue.rice.pk]


def test_it_never_indexes_a_draft_that_changes(search_catalogue):
    product_update(
        actor=None, product=search_catalogue.draft, translations={"vi": {"name": "Trà Shan Tuyết Bí Mật Mới"}}
    )
    product_set_status(actor=None, product=search_catalogue.draft, status="registered")
    assert search_catalogue.draft.pk not in ids(find("bi mat"))
    assert search_catalogue.draft.pk not in ids(find("", per_page=100))


def test_it_refreshes_only_when_the_audit_log_moved(search_catalogue, django_assert_max_num_queries):
    find("tra")
    assert search_index_refresh() == 0
    with django_assert_max_num_queries(4):  # state, vocabulary cached, facets, page
        find("tra shan tuyet")


def test_it_rebuilds_from_the_command(search_catalogue):
    SearchDocument.objects.all().delete()
    out = io.StringIO()
    call_command("search_index", "--rebuild", stdout=out)
    assert out.getvalue().startswith("Search index rebuilt: 4 public products")
    assert ids(find("ca hoi sa pa")) == [search_catalogue.salmon.pk]
    out = io.StringIO()
    call_command("search_index", stdout=out)
    assert out.getvalue().startswith("Search index refreshed: 0 products looked at")


def test_it_builds_the_index_on_the_first_search(search_catalogue):
    SearchState.objects.all().delete()
    SearchDocument.objects.all().delete()
    assert ids(find("ca hoi sa pa")) == [search_catalogue.salmon.pk]
    assert search_index_rebuild() == 4
