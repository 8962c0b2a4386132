"""Public reads at /api/trade/: outlets, events, destinations and what is near them, where to buy."""

from datetime import date

import pytest
from django.test import Client

from tests.factories import make_product
from tests.trade.builders import LAO_CAI, SA_PA, certified_product, make_destination, make_event, make_outlet
from trade.services_channels import sales_channel_add
from trade.services_events import event_participation_add
from trade.services_outlets import outlet_product_add, outlet_set_open

pytestmark = pytest.mark.django_db


def test_it_lists_open_outlets_paginated_and_filtered():
    make_outlet(name="Cửa hàng OCOP Sa Pa", kind="souvenir")
    make_outlet(name="Siêu thị Lào Cai", kind="supermarket", position=LAO_CAI)
    outlet_set_open(actor=None, outlet=make_outlet(name="Đã đóng"), is_open=False)
    body = Client().get("/api/trade/outlets").json()
    assert body["count"] == 2
    assert {o["name"] for o in body["items"]} == {"Cửa hàng OCOP Sa Pa", "Siêu thị Lào Cai"}
    body = Client().get("/api/trade/outlets?kind=supermarket").json()
    assert [o["name"] for o in body["items"]] == ["Siêu thị Lào Cai"]
    assert body["items"][0]["latitude"] == pytest.approx(LAO_CAI[0])


def test_it_answers_404_for_a_closed_or_unknown_outlet():
    closed = outlet_set_open(actor=None, outlet=make_outlet(), is_open=False)
    assert Client().get(f"/api/trade/outlets/{closed.pk}").status_code == 404
    assert Client().get("/api/trade/outlets/999999").status_code == 404


def test_it_lists_events_and_shows_an_events_certified_products():
    past = make_event(name="Hội chợ 2020", start=date(2020, 1, 1), end=date(2020, 1, 2))
    make_event(name="Hội chợ 2099", start=date(2099, 1, 1), end=date(2099, 1, 2))
    event_participation_add(actor=None, event=past, product=certified_product(name="Chè công khai"))
    assert [e["name"] for e in Client().get("/api/trade/events?when=past").json()["items"]] == [
        "Hội chợ 2020"
    ]
    assert [e["name"] for e in Client().get("/api/trade/events?when=upcoming").json()["items"]] == [
        "Hội chợ 2099"
    ]
    body = Client().get(f"/api/trade/events/{past.pk}").json()
    assert [p["name"] for p in body["products"]] == ["Chè công khai"]


def test_it_gives_destinations_in_the_asked_language_with_fallback():
    make_destination(translations={"vi": {"name": "Bản Cát Cát"}, "en": {"name": "Cát Cát village"}})
    make_destination(position=LAO_CAI, translations={"vi": {"name": "Chợ Cốc Lếu"}})
    items = Client().get("/api/trade/destinations?lang=en").json()["items"]
    assert [(d["name"], d["language"]) for d in items] == [("Cát Cát village", "en"), ("Chợ Cốc Lếu", "vi")]


def test_it_gives_what_is_near_a_destination():
    here = make_destination(position=SA_PA, translations={"vi": {"name": "Bản Cát Cát"}})
    tea = certified_product(name="Chè Shan tuyết")
    shop = make_outlet(name="Cửa hàng Sa Pa", position=(22.3356, 103.843))
    outlet_product_add(actor=None, outlet=shop, product=tea)
    make_outlet(name="Siêu thị Lào Cai", position=LAO_CAI)
    body = Client().get(f"/api/trade/destinations/{here.pk}/nearby?km=10").json()
    assert body["km"] == 10
    assert [o["name"] for o in body["outlets"]] == ["Cửa hàng Sa Pa"]
    assert [p["name"] for p in body["products"]] == ["Chè Shan tuyết"]
    assert [r["name"] for r in body["route"]] == ["Cửa hàng Sa Pa"]
    assert Client().get(f"/api/trade/destinations/{here.pk}/nearby?km=abc").json()["km"] == 20
    assert Client().get(f"/api/trade/destinations/{here.pk}/nearby?km=900").json()["km"] == 100


def test_it_tells_where_to_buy_a_certified_product_only():
    tea = certified_product()
    sales_channel_add(actor=None, product=tea, kind="shopee", url="https://shopee.vn/tea")
    outlet_product_add(actor=None, outlet=make_outlet(name="Cửa hàng Sa Pa"), product=tea)
    body = Client().get(f"/api/trade/products/{tea.pk}/where-to-buy").json()
    assert body["channels"] == [{"kind": "shopee", "label": "Shopee", "url": "https://shopee.vn/tea"}]
    assert [o["name"] for o in body["outlets"]] == ["Cửa hàng Sa Pa"]
    draft = make_product(category="QD26-04")
    assert Client().get(f"/api/trade/products/{draft.pk}/where-to-buy").status_code == 404
