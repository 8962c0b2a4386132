"""The catalogue keeps its product pages per process (market.views_catalogue); every service that
changes what a page shows moves the generation, so the next visitor sees the change at once."""

import pytest
from django.test import Client

from registry.models import Recognition
from registry.services import entity_update
from registry.services_evidence import recognition_create
from tests.market.conftest_catalogue import catalogue_fixture, fresh_cache_fixture  # noqa: F401 (fixtures)
from tests.trade.builders import make_event
from trade.services_events import event_participation_add

pytestmark = pytest.mark.django_db


def _page(url: str) -> str:
    client = Client()
    client.cookies["django_language"] = "en"
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_a_new_recognition_a_renamed_producer_and_a_fair_show_on_the_next_visit(catalogue):
    url = f"/catalogue/products/{catalogue.tea.pk}/"
    first = _page(url)
    assert "GlobalGAP" not in first and "Hội chợ OCOP Tây Bắc" not in first

    recognition_create(
        actor=None, entity=catalogue.producer, product=catalogue.tea, kind=Recognition.Kind.GLOBALGAP
    )
    entity_update(actor=None, entity=catalogue.producer, legal_name="Hợp tác xã Chè Shan tuyết Suối Giàng")
    event_participation_add(actor=None, event=make_event(name="Hội chợ OCOP Tây Bắc"), product=catalogue.tea)

    page = _page(url)
    assert "GlobalGAP" in page
    assert "Hợp tác xã Chè Shan tuyết Suối Giàng" in page
    assert "Hội chợ OCOP Tây Bắc" in page
