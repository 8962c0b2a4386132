"""The back-office and public pages of channels, outlets and events: thin views over the services,
refusals shown as messages, forged posts (another product's, province's or entity's ids) answered
with 404 or a form error and nothing changed."""

import html
from datetime import date

import pytest

from tests.factories import commune, make_entity, make_product
from tests.trade.builders import SA_PA, certified_product, client_in, make_event, make_outlet
from trade.models import EventParticipation, Outlet, OutletProduct, SalesChannel, TradeEvent
from trade.services_channels import sales_channel_add
from trade.services_events import event_participation_add
from trade.services_outlets import outlet_product_add, outlet_set_open

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    return html.unescape(response.content.decode())


def _outlet_post(**overrides):
    data = {
        "name": "Cửa hàng OCOP Sa Pa",
        "kind": "souvenir",
        "address": "Số 6 đường Cầu Mây",
        "province": commune("Lào Cai").province_id,
        "commune": commune("Lào Cai", "Sa Pa").pk,
        "latitude": "22.3356",
        "longitude": "103.843",
        "opening_hours": "7:30–22:00",
        "website": "",
    }
    return data | overrides


# --- the producer's "where it is sold" page -------------------------------------------------------


def test_it_lets_the_producer_add_a_channel(product, producer):
    client = client_in("en", producer)
    response = client.post(
        f"/products/{product.pk}/sales/channels/", {"kind": "facebook", "url": "https://www.facebook.com/htx"}
    )
    assert response.status_code == 302
    page = _text(client.get(f"/products/{product.pk}/sales/"))
    assert "https://www.facebook.com/htx" in page and "The channel is added." in page


def test_it_shows_a_bad_channel_link_on_the_form_and_saves_nothing(product, producer):
    response = client_in("en", producer).post(
        f"/products/{product.pk}/sales/channels/", {"kind": "shopee", "url": "javascript:alert(1)"}
    )
    assert response.status_code == 200
    assert "Only secure links are accepted: the link must start with https://, not “javascript:”." in _text(
        response
    )
    assert not SalesChannel.objects.exists()


def test_it_hides_another_entitys_sales_page(product, other_producer):
    client = client_in("en", other_producer)
    assert client.get(f"/products/{product.pk}/sales/").status_code == 404
    response = client.post(
        f"/products/{product.pk}/sales/channels/", {"kind": "tiki", "url": "https://tiki.vn/x"}
    )
    assert response.status_code == 404
    assert not SalesChannel.objects.exists()


def test_it_refuses_a_forged_channel_removal_of_another_product(product, producer):
    other = certified_product()
    channel = sales_channel_add(actor=None, product=other, kind="tiki", url="https://tiki.vn/other")
    response = client_in("en", producer).post(f"/products/{product.pk}/sales/channels/{channel.pk}/remove/")
    assert response.status_code == 404
    assert SalesChannel.objects.filter(pk=channel.pk).exists()


def test_it_lets_the_producer_list_an_outlet_and_refuses_a_duplicate(product, producer):
    outlet = make_outlet(name="Cửa hàng OCOP Sa Pa")
    client = client_in("en", producer)
    assert client.post(f"/products/{product.pk}/sales/outlets/", {"outlet": outlet.pk}).status_code == 302
    response = client.post(f"/products/{product.pk}/sales/outlets/", {"outlet": outlet.pk})
    assert "Cửa hàng OCOP Sa Pa already stocks this product." in _text(response)
    assert OutletProduct.objects.count() == 1


def test_it_refuses_a_closed_outlet_in_a_forged_post(product, producer):
    outlet = outlet_set_open(actor=None, outlet=make_outlet(), is_open=False)
    response = client_in("en", producer).post(f"/products/{product.pk}/sales/outlets/", {"outlet": outlet.pk})
    assert "Choose an open outlet from the list." in _text(response)
    assert not OutletProduct.objects.exists()


def test_it_refuses_a_forged_stock_removal_of_another_product(product, producer):
    link = outlet_product_add(actor=None, outlet=make_outlet(), product=certified_product())
    response = client_in("en", producer).post(f"/products/{product.pk}/sales/outlets/{link.pk}/remove/")
    assert response.status_code == 404
    assert OutletProduct.objects.filter(pk=link.pk).exists()


def test_it_sends_anonymous_visitors_to_log_in(product):
    response = client_in("en").get(f"/products/{product.pk}/sales/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# --- outlets ------------------------------------------------------------------------------------------


def test_it_lists_open_outlets_for_the_public_with_filters():
    make_outlet(name="Cửa hàng OCOP Sa Pa", kind="souvenir")
    make_outlet(name="Siêu thị Lào Cai", kind="supermarket")
    make_outlet(name="Quầy sân bay Nội Bài", kind="airport", province="Hà Nội", position=(21.2187, 105.8042))
    outlet_set_open(actor=None, outlet=make_outlet(name="Cửa hàng đã đóng"), is_open=False)
    client = client_in("en")
    page = _text(client.get("/outlets/"))
    assert "Cửa hàng OCOP Sa Pa" in page and "Quầy sân bay Nội Bài" in page and "Cửa hàng đã đóng" not in page
    page = _text(client.get("/outlets/", {"kind": "supermarket"}))
    assert "Siêu thị Lào Cai" in page and "Cửa hàng OCOP Sa Pa" not in page
    page = _text(client.get("/outlets/", {"province": commune("Hà Nội").province_id}))
    assert "Quầy sân bay Nội Bài" in page and "Siêu thị Lào Cai" not in page
    assert "No outlets match." in _text(client.get("/outlets/", {"query": "không có"}))


def test_it_paginates_the_outlet_list(settings):
    settings.PAGE_SIZE = 2
    for n in range(3):
        make_outlet(name=f"Cửa hàng {n}")
    client = client_in("en")
    assert "Page 1 of 2" in _text(client.get("/outlets/"))
    assert "Cửa hàng 2" in _text(client.get("/outlets/?page=2"))


def test_it_shows_an_outlet_with_its_address_and_certified_products():
    outlet = make_outlet(name="Cửa hàng OCOP Sa Pa", address="Số 6 đường Cầu Mây")
    outlet_product_add(actor=None, outlet=outlet, product=certified_product(name="Chè Shan tuyết công khai"))
    outlet_product_add(
        actor=None, outlet=outlet, product=make_product(name="Chè nháp riêng", category="QD26-04")
    )
    page = _text(client_in("en").get(f"/outlets/{outlet.pk}/"))
    assert "Số 6 đường Cầu Mây" in page
    assert "Chè Shan tuyết công khai" in page and "Chè nháp riêng" not in page
    assert "the address above is enough to find the outlet" in page  # the no-JavaScript note


def test_it_hides_a_closed_outlet_from_the_public_but_not_from_its_officials(lao_cai_official):
    outlet = outlet_set_open(actor=None, outlet=make_outlet(), is_open=False)
    assert client_in("en").get(f"/outlets/{outlet.pk}/").status_code == 404
    assert client_in("en", lao_cai_official).get(f"/outlets/{outlet.pk}/").status_code == 200


def test_it_lets_an_official_add_an_outlet(lao_cai_official):
    client = client_in("en", lao_cai_official)
    assert 'data-map-lat=""' in _text(client.get("/outlets/new/"))
    response = client.post("/outlets/new/", _outlet_post())
    outlet = Outlet.objects.get()
    assert response["Location"] == f"/outlets/{outlet.pk}/"
    assert outlet.commune == commune("Lào Cai", "Sa Pa")


def test_it_shows_a_position_outside_vietnam_and_saves_nothing(lao_cai_official):
    response = client_in("en", lao_cai_official).post(
        "/outlets/new/", _outlet_post(latitude="103.843", longitude="22.3356")
    )
    assert "This position is not in Vietnam." in _text(response)
    assert not Outlet.objects.exists()


def test_it_refuses_a_forged_commune_or_province(lao_cai_official):
    client = client_in("en", lao_cai_official)
    hanoi = commune("Hà Nội")
    page = _text(client.post("/outlets/new/", _outlet_post(commune=hanoi.pk)))
    assert "Choose a commune of the chosen province." in page
    page = _text(client.post("/outlets/new/", _outlet_post(province=hanoi.province_id, commune=hanoi.pk)))
    assert "Choose one of your provinces." in page
    assert not Outlet.objects.exists()


def test_it_refuses_the_outlet_form_to_producers(producer):
    assert client_in("en", producer).post("/outlets/new/", _outlet_post()).status_code == 403
    assert not Outlet.objects.exists()


def test_it_hides_the_edit_page_from_another_provinces_official(hanoi_official):
    outlet = make_outlet(name="Cửa hàng OCOP Sa Pa")
    client = client_in("en", hanoi_official)
    assert client.get(f"/outlets/{outlet.pk}/edit/").status_code == 404
    assert client.post(f"/outlets/{outlet.pk}/edit/", _outlet_post(name="Đổi tên")).status_code == 404
    assert client.post(f"/outlets/{outlet.pk}/open/", {"open": "0"}).status_code == 404
    outlet.refresh_from_db()
    assert outlet.name == "Cửa hàng OCOP Sa Pa" and outlet.is_open


def test_it_lets_the_outlets_official_list_a_product_of_the_province(lao_cai_official):
    outlet = make_outlet()
    product = certified_product(name="Chè Shan tuyết Suối Giàng")
    client = client_in("en", lao_cai_official)
    assert client.post(f"/outlets/{outlet.pk}/products/", {"product": product.pk}).status_code == 302
    assert "Chè Shan tuyết Suối Giàng" in _text(client.get(f"/outlets/{outlet.pk}/"))


def test_it_refuses_a_forged_product_from_another_province_on_the_outlet_form(lao_cai_official):
    outlet = make_outlet()
    hanoi_product = certified_product(entity=make_entity(commune_obj=commune("Hà Nội")))
    response = client_in("en", lao_cai_official).post(
        f"/outlets/{outlet.pk}/products/", {"product": hanoi_product.pk}
    )
    assert "Choose a certified product of your province from the list." in _text(response)
    assert not OutletProduct.objects.exists()


def test_it_edits_an_outlet(lao_cai_official):
    outlet = make_outlet(name="Cửa hàng cũ", position=SA_PA)
    client = client_in("en", lao_cai_official)
    assert "Cửa hàng cũ" in _text(client.get(f"/outlets/{outlet.pk}/edit/"))
    client.post(f"/outlets/{outlet.pk}/edit/", _outlet_post(name="Cửa hàng mới", commune=outlet.commune_id))
    outlet.refresh_from_db()
    assert outlet.name == "Cửa hàng mới"


# --- events -------------------------------------------------------------------------------------------


def test_it_lists_upcoming_and_past_events(settings):
    make_event(name="Hội chợ đã qua", start=date(2020, 5, 1), end=date(2020, 5, 3))
    make_event(name="Hội chợ sắp tới", start=date(2099, 5, 1), end=date(2099, 5, 3))
    client = client_in("en")
    page = _text(client.get("/events/"))
    assert "Hội chợ sắp tới" in page and "Hội chợ đã qua" not in page
    page = _text(client.get("/events/?when=past"))
    assert "Hội chợ đã qua" in page and "Hội chợ sắp tới" not in page
    assert "No upcoming events." in _text(client.get("/events/?kind=exhibition"))


def test_it_shows_an_events_certified_products():
    event = make_event(name="Hội chợ OCOP Lào Cai")
    event_participation_add(actor=None, event=event, product=certified_product(name="Chè dự hội chợ"))
    page = _text(client_in("en").get(f"/events/{event.pk}/"))
    assert "Hội chợ OCOP Lào Cai" in page and "Chè dự hội chợ" in page


def test_it_lets_an_official_create_an_event_and_explains_bad_dates(lao_cai_official):
    client = client_in("en", lao_cai_official)
    data = {
        "name": "Hội chợ OCOP Lào Cai 2026",
        "kind": "fair",
        "start_date": "2026-12-10",
        "end_date": "2026-12-09",
        "place": "Quảng trường",
        "province": commune("Lào Cai").province_id,
        "organiser": "Sở Công Thương",
    }
    page = _text(client.post("/events/new/", data))
    assert "The event cannot end before it starts: check the dates." in page
    assert not TradeEvent.objects.exists()
    assert client.post("/events/new/", data | {"end_date": "2026-12-14"}).status_code == 302
    assert TradeEvent.objects.get().end_date == date(2026, 12, 14)


def test_it_refuses_a_forged_province_on_the_event_form(lao_cai_official):
    data = {
        "name": "Hội chợ",
        "kind": "fair",
        "start_date": "2026-12-10",
        "end_date": "2026-12-10",
        "place": "Hà Nội",
        "province": commune("Hà Nội").province_id,
        "organiser": "Sở",
    }
    page = _text(client_in("en", lao_cai_official).post("/events/new/", data))
    assert "Choose one of your provinces." in page
    assert not TradeEvent.objects.exists()


def test_it_lets_a_producer_register_its_product_for_an_event(product, producer):
    event = make_event()
    client = client_in("en", producer)
    assert "List a product at this event" in _text(client.get(f"/events/{event.pk}/"))
    assert client.post(f"/events/{event.pk}/products/", {"product": product.pk}).status_code == 302
    assert EventParticipation.objects.get().product == product


def test_it_refuses_a_producer_registering_another_entitys_product(product, other_producer):
    event = make_event()
    response = client_in("en", other_producer).post(f"/events/{event.pk}/products/", {"product": product.pk})
    assert "Choose one of the certified products offered." in _text(response)
    assert not EventParticipation.objects.exists()


def test_it_refuses_a_forged_participation_removal(product, producer, other_producer):
    event = make_event()
    participation = event_participation_add(actor=producer, event=event, product=product)
    client = client_in("en", other_producer)
    response = client.post(f"/events/{event.pk}/products/{participation.pk}/remove/")
    assert response.status_code == 302
    assert "You do not have permission to change this record." in _text(client.get(f"/events/{event.pk}/"))
    other_event = make_event()
    assert client.post(f"/events/{other_event.pk}/products/{participation.pk}/remove/").status_code == 404
    assert EventParticipation.objects.filter(pk=participation.pk).exists()


def test_it_hides_the_event_edit_page_from_another_province(hanoi_official):
    event = make_event(province=commune("Lào Cai").province, name="Hội chợ Lào Cai")
    assert client_in("en", hanoi_official).post(f"/events/{event.pk}/edit/", {"name": "x"}).status_code == 404
    event.refresh_from_db()
    assert event.name == "Hội chợ Lào Cai"
