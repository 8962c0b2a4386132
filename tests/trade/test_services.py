"""Writes: channels, outlets and stock links, trade events and participations, destinations. Each bad
input is refused with a message a user can act on, and leaves nothing behind."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from audit.models import AuditEvent
from registry.models import Product
from tests.factories import commune, make_product
from tests.trade.builders import LAO_CAI, SA_PA, certified_product, make_destination, make_event, make_outlet
from trade.models import (
    Destination,
    DestinationTranslation,
    EventParticipation,
    Outlet,
    OutletProduct,
    SalesChannel,
    TradeEvent,
)
from trade.services_channels import sales_channel_add, sales_channel_remove
from trade.services_events import event_participation_add, trade_event_create, trade_event_update
from trade.services_outlets import outlet_create, outlet_product_add, outlet_product_remove, outlet_update
from trade.services_tourism import destination_create, destination_update

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def _outlet_data(**overrides):
    data = {
        "name": "Cửa hàng OCOP Sa Pa",
        "kind": "souvenir",
        "address": "Số 6 đường Cầu Mây",
        "commune": commune("Lào Cai", "Sa Pa"),
        "latitude": "22.3356",
        "longitude": "103.843",
    }
    return data | overrides


def _message(caught, field):
    return caught.value.message_dict[field][0]


# --- sales channels -----------------------------------------------------------------------------------


def test_it_adds_a_channel_for_the_producer_and_audits_it(product, producer):
    channel = sales_channel_add(
        actor=producer, product=product, kind="shopee", url="https://shopee.vn/che", label="Gian hàng"
    )
    assert (channel.kind, channel.url, channel.label) == ("shopee", "https://shopee.vn/che", "Gian hàng")
    event = AuditEvent.objects.get(action="sales_channel.create")
    assert event.actor == producer and event.after["url"] == "https://shopee.vn/che"


def test_it_refuses_a_platform_link_on_another_domain_and_saves_nothing(product, producer):
    with pytest.raises(ValidationError) as caught:
        sales_channel_add(actor=producer, product=product, kind="lazada", url="https://lazada-sale.shop/che")
    assert _message(caught, "url") == "A Lazada link must be on lazada.vn, not on lazada-sale.shop."
    assert not SalesChannel.objects.exists()
    assert not AuditEvent.objects.filter(action="sales_channel.create").exists()


def test_it_refuses_an_unknown_channel_kind(product, producer):
    with pytest.raises(ValidationError) as caught:
        sales_channel_add(actor=producer, product=product, kind="myspace", url="https://myspace.com/x")
    assert _message(caught, "kind") == "Choose a kind of channel."
    assert not SalesChannel.objects.exists()


def test_it_refuses_the_same_link_twice(product, producer):
    sales_channel_add(actor=producer, product=product, kind="tiki", url="https://tiki.vn/che")
    with pytest.raises(ValidationError) as caught:
        sales_channel_add(actor=producer, product=product, kind="tiki", url="https://tiki.vn/che")
    assert _message(caught, "url") == "This link is already listed for the product."
    assert SalesChannel.objects.count() == 1


def test_it_refuses_markup_in_a_channel_label(product, producer):
    with pytest.raises(ValidationError) as caught:
        sales_channel_add(
            actor=producer, product=product, kind="tiki", url="https://tiki.vn/che", label="<b>x</b>"
        )
    assert "HTML is not allowed" in _message(caught, "label")
    assert not SalesChannel.objects.exists()


def test_it_refuses_channels_of_another_entitys_product(product, other_producer, hanoi_official):
    for outsider in (other_producer, hanoi_official):
        with pytest.raises(PermissionDenied):
            sales_channel_add(actor=outsider, product=product, kind="tiki", url="https://tiki.vn/che")
    channel = sales_channel_add(actor=None, product=product, kind="tiki", url="https://tiki.vn/che")
    with pytest.raises(PermissionDenied):
        sales_channel_remove(actor=other_producer, channel=channel)
    assert SalesChannel.objects.count() == 1


def test_it_removes_a_channel_with_an_audit_event(product, producer):
    channel = sales_channel_add(actor=producer, product=product, kind="tiki", url="https://tiki.vn/che")
    sales_channel_remove(actor=producer, channel=channel)
    assert not SalesChannel.objects.exists()
    assert AuditEvent.objects.get(action="sales_channel.delete").before["url"] == "https://tiki.vn/che"


# --- outlets ------------------------------------------------------------------------------------------


def test_it_creates_an_outlet_for_a_province_official(lao_cai_official):
    outlet = outlet_create(actor=lao_cai_official, **_outlet_data())
    assert outlet.province_id == commune("Lào Cai").province_id
    assert outlet.latitude == Decimal("22.335600") and outlet.name_folded == "cua hang ocop sa pa"
    assert AuditEvent.objects.filter(action="outlet.create", object_id=str(outlet.pk)).exists()


def test_it_refuses_an_outlet_outside_vietnam(lao_cai_official):
    with pytest.raises(ValidationError) as caught:
        outlet_create(actor=lao_cai_official, **_outlet_data(latitude="48.8566", longitude="2.3522"))
    assert _message(caught, "latitude").startswith("This position is not in Vietnam.")
    assert not Outlet.objects.exists()


def test_it_explains_swapped_coordinates(lao_cai_official):
    with pytest.raises(ValidationError) as caught:
        outlet_create(actor=lao_cai_official, **_outlet_data(latitude="103.843", longitude="22.3356"))
    assert "check that the two are not swapped" in _message(caught, "latitude")
    assert not Outlet.objects.exists()


@pytest.mark.parametrize("bad", ["abc", "", "NaN", "Infinity"])
def test_it_refuses_a_position_that_is_not_a_number(lao_cai_official, bad):
    with pytest.raises(ValidationError) as caught:
        outlet_create(actor=lao_cai_official, **_outlet_data(longitude=bad))
    assert _message(caught, "longitude") == "Enter a number in decimal degrees, e.g. 22.336 or 103.844."
    assert not Outlet.objects.exists()


def test_it_refuses_an_outlet_without_name_or_address(lao_cai_official):
    with pytest.raises(ValidationError) as caught:
        outlet_create(actor=lao_cai_official, **_outlet_data(name=" ", address=""))
    errors = caught.value.message_dict
    assert errors["name"] == ["Give the outlet's name."]
    assert errors["address"] == ["Give the outlet's address, so visitors can find it without a map."]
    assert not Outlet.objects.exists()


def test_it_refuses_an_outlet_with_an_insecure_website(lao_cai_official):
    with pytest.raises(ValidationError) as caught:
        outlet_create(actor=lao_cai_official, **_outlet_data(website="http://shop.example.vn"))
    assert "must start with https://" in _message(caught, "website")
    assert not Outlet.objects.exists()


def test_it_refuses_outlets_to_producers_and_to_officials_of_another_province(producer, hanoi_official):
    for actor in (producer, hanoi_official):
        with pytest.raises(PermissionDenied):
            outlet_create(actor=actor, **_outlet_data())
    assert not Outlet.objects.exists()


def test_it_lets_a_national_official_create_anywhere(national_official):
    assert outlet_create(actor=national_official, **_outlet_data()).pk


def test_it_refuses_to_move_an_outlet_into_another_province(hanoi_official):
    outlet = make_outlet(province="Hà Nội", position=(21.0285, 105.8542), name="Cửa hàng Hà Nội")
    with pytest.raises(PermissionDenied):
        outlet_update(actor=hanoi_official, outlet=outlet, commune=commune("Lào Cai"), latitude=22.33)
    outlet.refresh_from_db()
    assert outlet.province_id == commune("Hà Nội").province_id


def test_it_updates_an_outlet_with_before_and_after(lao_cai_official):
    outlet = make_outlet(name="Cửa hàng cũ")
    outlet_update(actor=lao_cai_official, outlet=outlet, name="Cửa hàng mới", reason="Đổi tên")
    outlet.refresh_from_db()
    assert outlet.name == "Cửa hàng mới" and outlet.name_folded == "cua hang moi"
    event = AuditEvent.objects.get(action="outlet.update")
    assert (event.before["name"], event.after["name"], event.reason) == (
        "Cửa hàng cũ",
        "Cửa hàng mới",
        "Đổi tên",
    )


# --- stock links --------------------------------------------------------------------------------------


def test_it_lets_the_producer_say_which_outlet_sells_the_product(product, producer):
    outlet = make_outlet()
    link = outlet_product_add(actor=producer, outlet=outlet, product=product, since=date(2026, 3, 1))
    assert (link.since, link.added_by) == (date(2026, 3, 1), producer)
    assert AuditEvent.objects.filter(action="outlet_product.create").exists()


def test_it_lets_the_outlets_official_list_a_certified_product_of_any_province(hanoi_official):
    outlet = make_outlet(province="Hà Nội", position=(21.0285, 105.8542))
    product = certified_product()  # a Lào Cai product
    assert (
        outlet_product_add(actor=hanoi_official, outlet=outlet, product=product).since == timezone.localdate()
    )


def test_it_refuses_the_outlets_official_a_product_that_is_not_certified(hanoi_official):
    outlet = make_outlet(province="Hà Nội", position=(21.0285, 105.8542))
    with pytest.raises(PermissionDenied):
        outlet_product_add(actor=hanoi_official, outlet=outlet, product=make_product())
    assert not OutletProduct.objects.exists()


def test_it_refuses_a_duplicate_stock_link(product, producer):
    outlet = make_outlet(name="Cửa hàng OCOP Sa Pa")
    outlet_product_add(actor=producer, outlet=outlet, product=product)
    with pytest.raises(ValidationError) as caught:
        outlet_product_add(actor=producer, outlet=outlet, product=product)
    assert _message(caught, "outlet") == "Cửa hàng OCOP Sa Pa already stocks this product."
    assert OutletProduct.objects.count() == 1


def test_it_refuses_a_stock_date_in_the_future(product, producer):
    with pytest.raises(ValidationError) as caught:
        outlet_product_add(
            actor=producer,
            outlet=make_outlet(),
            product=product,
            since=timezone.localdate() + timedelta(days=1),
        )
    assert _message(caught, "since") == "The date cannot be in the future."
    assert not OutletProduct.objects.exists()


def test_it_refuses_stock_at_a_closed_outlet(product, producer):
    from trade.services_outlets import outlet_set_open

    outlet = outlet_set_open(actor=None, outlet=make_outlet(), is_open=False)
    with pytest.raises(ValidationError) as caught:
        outlet_product_add(actor=producer, outlet=outlet, product=product)
    assert _message(caught, "outlet") == "This outlet is closed: it cannot stock products."
    assert not OutletProduct.objects.exists()


def test_it_refuses_another_entitys_stock_link(product, other_producer):
    outlet = make_outlet()
    with pytest.raises(PermissionDenied):
        outlet_product_add(actor=other_producer, outlet=outlet, product=product)
    link = outlet_product_add(actor=None, outlet=outlet, product=product)
    with pytest.raises(PermissionDenied):
        outlet_product_remove(actor=other_producer, link=link)
    assert OutletProduct.objects.count() == 1


# --- trade events -------------------------------------------------------------------------------------


def _event_data(**overrides):
    data = {
        "name": "Hội chợ OCOP Lào Cai 2026",
        "kind": "fair",
        "start_date": date(2026, 12, 10),
        "end_date": date(2026, 12, 14),
        "place": "Quảng trường Nguyễn Tri Phương",
        "province": commune("Lào Cai").province,
        "organiser": "Sở Công Thương",
    }
    return data | overrides


def test_it_creates_an_event_for_the_provinces_official(lao_cai_official):
    event = trade_event_create(actor=lao_cai_official, **_event_data())
    assert event.name == "Hội chợ OCOP Lào Cai 2026"
    assert AuditEvent.objects.filter(action="trade_event.create", object_id=str(event.pk)).exists()


def test_it_refuses_an_event_that_ends_before_it_starts(lao_cai_official):
    with pytest.raises(ValidationError) as caught:
        trade_event_create(actor=lao_cai_official, **_event_data(end_date=date(2026, 12, 9)))
    assert _message(caught, "end_date") == "The event cannot end before it starts: check the dates."
    assert not TradeEvent.objects.exists()


def test_it_refuses_an_event_without_place_or_organiser(lao_cai_official):
    with pytest.raises(ValidationError) as caught:
        trade_event_create(actor=lao_cai_official, **_event_data(place="", organiser=" ", kind="party"))
    errors = caught.value.message_dict
    assert errors["place"] == ["Say where the event takes place."]
    assert errors["organiser"] == ["Say who organises the event."]
    assert errors["kind"] == ["Choose a kind of event."]
    assert not TradeEvent.objects.exists()


def test_it_keeps_national_events_to_national_officials(lao_cai_official, national_official, producer):
    for actor in (lao_cai_official, producer):
        with pytest.raises(PermissionDenied):
            trade_event_create(actor=actor, **_event_data(province=None, place="Tokyo Big Sight"))
    assert trade_event_create(
        actor=national_official, **_event_data(province=None, place="Tokyo Big Sight")
    ).pk


def test_it_refuses_an_event_of_another_province(hanoi_official, lao_cai_official):
    with pytest.raises(PermissionDenied):
        trade_event_create(actor=hanoi_official, **_event_data())
    event = make_event(province=commune("Lào Cai").province)
    with pytest.raises(PermissionDenied):
        trade_event_update(actor=hanoi_official, event=event, name="Đổi tên")
    event.refresh_from_db()
    assert event.name != "Đổi tên"


def test_it_lets_a_producer_register_its_certified_product(product, producer):
    event = make_event()
    participation = event_participation_add(actor=producer, event=event, product=product)
    assert participation.added_by == producer
    assert AuditEvent.objects.filter(action="event_participation.create").exists()


def test_it_refuses_to_register_a_product_that_is_not_certified(entity, producer):
    draft = make_product(entity=entity)
    with pytest.raises(ValidationError) as caught:
        event_participation_add(actor=producer, event=make_event(), product=draft)
    assert "Only certified OCOP products" in _message(caught, "product")
    assert not EventParticipation.objects.exists()


def test_it_refuses_a_product_registered_twice(product, producer):
    event = make_event()
    event_participation_add(actor=producer, event=event, product=product)
    with pytest.raises(ValidationError) as caught:
        event_participation_add(actor=producer, event=event, product=product)
    assert _message(caught, "product") == "This product is already listed at this event."
    assert EventParticipation.objects.count() == 1


def test_it_refuses_a_producer_registering_another_entitys_product(product, other_producer):
    with pytest.raises(PermissionDenied):
        event_participation_add(actor=other_producer, event=make_event(), product=product)
    assert not EventParticipation.objects.exists()


def test_it_lets_the_events_official_list_any_certified_product(product, hanoi_official):
    event = make_event(province=commune("Hà Nội").province)
    assert event_participation_add(actor=hanoi_official, event=event, product=product).pk


# --- destinations -------------------------------------------------------------------------------------


def _destination_data(**overrides):
    data = {
        "kind": "community",
        "commune": commune("Lào Cai", "Sa Pa"),
        "latitude": SA_PA[0],
        "longitude": SA_PA[1],
        "translations": {"vi": {"name": "Bản Cát Cát", "description": "Bản người Mông"}},
    }
    return data | overrides


def test_it_creates_a_destination_with_its_content(lao_cai_official):
    destination = destination_create(
        actor=lao_cai_official,
        **_destination_data(
            translations={
                "vi": {"name": "Bản Cát Cát", "description": "Bản người Mông"},
                "ja": {"name": "カットカット村", "description": ""},
                "fr": {"name": "", "description": ""},
            }
        ),
    )
    langs = set(
        DestinationTranslation.objects.filter(destination=destination).values_list("language", flat=True)
    )
    assert langs == {"vi", "ja"}
    assert (
        AuditEvent.objects.get(action="destination.create").after["content"]["ja"]["name"] == "カットカット村"
    )


def test_it_requires_the_vietnamese_name(lao_cai_official):
    with pytest.raises(ValidationError) as caught:
        destination_create(
            actor=lao_cai_official, **_destination_data(translations={"en": {"name": "Cat Cat"}})
        )
    assert _message(caught, "name_vi") == "Give the destination's name in Vietnamese."
    assert not Destination.objects.exists()


def test_it_refuses_markup_in_a_description(lao_cai_official):
    data = _destination_data(
        translations={"vi": {"name": "Cát Cát", "description": "<script>alert(1)</script>"}}
    )
    with pytest.raises(ValidationError) as caught:
        destination_create(actor=lao_cai_official, **data)
    assert "HTML is not allowed" in _message(caught, "description_vi")
    assert not Destination.objects.exists()


def test_it_refuses_a_destination_outside_vietnam(lao_cai_official):
    with pytest.raises(ValidationError) as caught:
        destination_create(actor=lao_cai_official, **_destination_data(latitude=35.68, longitude=139.69))
    assert _message(caught, "latitude").startswith("This position is not in Vietnam.")
    assert not Destination.objects.exists()


def test_it_links_only_a_certified_tourism_product(lao_cai_official):
    tea = certified_product()
    with pytest.raises(ValidationError) as caught:
        destination_create(actor=lao_cai_official, **_destination_data(product=tea))
    assert _message(caught, "product").startswith("Link only an OCOP tourism product (group 6")
    tour = make_product(category="QD26-26")
    with pytest.raises(ValidationError) as caught:
        destination_create(actor=lao_cai_official, **_destination_data(product=tour))
    assert (
        _message(caught, "product")
        == "This tourism product is not certified: it cannot be shown to tourists."
    )
    assert not Destination.objects.exists()
    tour = certified_product(category="QD26-26")
    assert destination_create(actor=lao_cai_official, **_destination_data(product=tour)).product == tour


def test_it_refuses_destinations_of_another_province(hanoi_official, producer):
    for actor in (hanoi_official, producer):
        with pytest.raises(PermissionDenied):
            destination_create(actor=actor, **_destination_data())
    destination = make_destination()
    with pytest.raises(PermissionDenied):
        destination_update(actor=hanoi_official, destination=destination, kind="eco")
    destination.refresh_from_db()
    assert destination.kind == "community" and Destination.objects.count() == 1


def test_it_updates_a_destinations_content_and_drops_an_emptied_language(lao_cai_official):
    destination = make_destination(translations={"vi": {"name": "Cát Cát"}, "en": {"name": "Cat Cat"}})
    destination_update(
        actor=lao_cai_official,
        destination=destination,
        translations={"vi": {"name": "Bản Cát Cát"}, "en": {"name": ""}, "ko": {"name": "깟깟 마을"}},
    )
    names = dict(
        DestinationTranslation.objects.filter(destination=destination).values_list("language", "name")
    )
    assert names == {"vi": "Bản Cát Cát", "ko": "깟깟 마을"}
    event = AuditEvent.objects.get(action="destination.update")
    assert event.before["content"]["en"]["name"] == "Cat Cat" and "en" not in event.after["content"]


def test_it_refuses_the_database_an_event_ending_before_it_starts():
    """The rule is in the table too (CheckConstraint), for writes that bypass the service."""
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        TradeEvent.objects.create(
            name="x",
            kind="fair",
            start_date=date(2026, 2, 2),
            end_date=date(2026, 2, 1),
            place="x",
            organiser="x",
        )


def test_it_uses_real_places_for_the_builders():
    assert make_outlet(position=LAO_CAI).province_id == commune("Lào Cai").province_id
    assert Product.objects.count() == 0
