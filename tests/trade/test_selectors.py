"""Reads: where to buy (public facts only), a product's event history, distances around a destination."""

from datetime import date

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from tests.factories import make_product
from tests.trade.builders import HANOI, LAO_CAI, SA_PA, certified_product, make_event, make_outlet
from trade import selectors
from trade.models import SalesChannel
from trade.services_channels import sales_channel_add
from trade.services_events import event_participation_add
from trade.services_outlets import outlet_product_add, outlet_set_open

pytestmark = pytest.mark.django_db


def test_it_lists_channels_and_open_outlets_with_public_fields_only():
    product = certified_product()
    sales_channel_add(actor=None, product=product, kind="shopee", url="https://shopee.vn/che-shan")
    open_shop = make_outlet(name="Cửa hàng Sa Pa", position=SA_PA)
    closed = make_outlet(name="Cửa hàng đã đóng", position=LAO_CAI)
    outlet_product_add(actor=None, outlet=open_shop, product=product, since=date(2026, 1, 5))
    outlet_product_add(actor=None, outlet=closed, product=product)
    outlet_set_open(actor=None, outlet=closed, is_open=False)

    found = selectors.where_to_buy(product)

    assert [c["url"] for c in found["channels"]] == ["https://shopee.vn/che-shan"]
    assert [o["name"] for o in found["outlets"]] == ["Cửa hàng Sa Pa"]
    assert set(found["outlets"][0]) == {
        "id", "name", "kind", "kind_label", "address", "commune", "latitude", "longitude",
        "opening_hours", "website", "url", "since",
    }  # fmt: skip
    assert "added_by" not in found["outlets"][0]


def test_it_renders_where_to_buy_and_an_empty_state():
    product = certified_product()
    with translation.override("en"):
        empty = render_to_string(
            "trade/_where_to_buy.html", {"where_to_buy": selectors.where_to_buy(product)}
        )
        sales_channel_add(
            actor=None, product=product, kind=SalesChannel.Kind.FACEBOOK, url="https://www.facebook.com/htx"
        )
        outlet_product_add(actor=None, outlet=make_outlet(name="Siêu thị Lào Cai"), product=product)
        full = render_to_string("trade/_where_to_buy.html", {"where_to_buy": selectors.where_to_buy(product)})
    assert "No shops or online channels are listed for this product yet." in empty
    assert "https://www.facebook.com/htx" in full and "Facebook page" in full
    assert "Siêu thị Lào Cai" in full


def test_it_lists_a_products_events_newest_first():
    product = certified_product()
    older = make_event(name="Hội chợ 2025", start=date(2025, 3, 1), end=date(2025, 3, 4))
    newer = make_event(name="Tuần hàng 2026", start=date(2026, 6, 1), end=date(2026, 6, 2), kind="promotion")
    make_event(name="Hội chợ khác")
    for event in (older, newer):
        event_participation_add(actor=None, event=event, product=product)

    assert [e.name for e in selectors.events_of(product)] == ["Tuần hàng 2026", "Hội chợ 2025"]
    with translation.override("en"):
        html = render_to_string(
            "trade/_product_events.html", {"product_events": selectors.events_of(product)}
        )
        empty = render_to_string("trade/_product_events.html", {"product_events": []})
    assert html.index("Tuần hàng 2026") < html.index("Hội chợ 2025")
    assert "01/06/2026–02/06/2026" in html
    assert "has not taken part in any trade fair" in empty


def test_it_does_not_list_a_product_under_an_outlet_it_is_not_stocked_at():
    product = certified_product()
    make_outlet(position=HANOI, province="Hà Nội")
    assert selectors.where_to_buy(product) == {"channels": [], "outlets": []}


# --- distances and the suggested route ------------------------------------------------------------


def test_it_measures_great_circle_distances_between_known_places():
    from traceability.geo import distance_km

    # Sa Pa town to Lào Cai city: ~21 km as the crow flies (~33 km by the winding QL4D road).
    assert 20.5 < distance_km(SA_PA, LAO_CAI) < 21.5
    # Hà Nội to Hồ Chí Minh City (Nhà thờ Đức Bà): ~1,140 km.
    assert 1130 < distance_km(HANOI, (10.7798, 106.6990)) < 1150
    assert distance_km(SA_PA, SA_PA) == 0


def test_it_finds_outlets_within_the_chosen_distance_only():
    from tests.trade.builders import make_destination
    from trade.selectors_tourism import nearby

    destination = make_destination(position=SA_PA, name="Bản Cát Cát")
    near = make_outlet(name="Cửa hàng Sa Pa", position=(22.3356, 103.8430))
    far = make_outlet(name="Siêu thị Lào Cai", position=LAO_CAI)
    make_outlet(name="Cửa hàng Hà Nội", position=HANOI, province="Hà Nội")

    assert [p.obj for p in nearby(destination, 20).outlets] == [near]
    found = nearby(destination, 25)
    assert [p.obj for p in found.outlets] == [near, far]
    assert round(found.outlets[1].km) == 21


def test_it_offers_products_stocked_nearby_and_tourism_products_of_nearby_destinations():
    from tests.trade.builders import make_destination
    from trade.selectors_tourism import nearby

    tea = certified_product(name="Chè Shan tuyết Sa Pa")
    hidden = make_product(name="Chè chưa chứng nhận")
    far_tea = certified_product(name="Chè Lào Cai xa")
    shop = make_outlet(position=(22.3356, 103.8430))
    outlet_product_add(actor=None, outlet=shop, product=tea)
    outlet_product_add(actor=None, outlet=shop, product=hidden)
    outlet_product_add(actor=None, outlet=make_outlet(position=LAO_CAI), product=far_tea)
    homestay = certified_product(name="Homestay Tả Van", category="QD26-26")
    here = make_destination(position=SA_PA, name="Bản Cát Cát")
    make_destination(position=(22.3030, 103.8890), name="Tả Van", product=homestay)

    found = nearby(here, 10)
    assert [item.product for item in found.products] == [tea, homestay]
    assert found.products[1].places == ["Tả Van"]
    assert hidden not in [item.product for item in nearby(here, 100).products]


def test_it_orders_the_route_by_nearest_neighbour_with_legs_in_km():
    from tests.trade.builders import make_destination
    from trade.selectors_tourism import nearby

    here = make_destination(position=(22.0, 104.0), name="Điểm xuất phát")
    a = make_outlet(name="A", position=(22.0, 104.05))  # ~5.2 km east
    b = make_destination(position=(22.0, 104.15), name="B")  # ~10.3 km further east
    c = make_outlet(name="C", position=(22.0, 103.97))  # ~3.1 km west of the start

    found = nearby(here, 30)
    # Nearest first (C, west), then from C the nearest is A (east), then B.
    assert [place.obj for place, _km in found.route] == [c, a, b]
    legs = [round(km, 1) for _place, km in found.route]
    assert legs == [3.1, 8.2, 10.3]
    assert round(found.route_km, 1) == 21.7


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (None, (20.0, False)),
        ("", (20.0, False)),
        ("35", (35.0, False)),
        ("7,5", (7.5, False)),
        ("0", (1.0, True)),
        ("-4", (1.0, True)),
        ("5000", (100.0, True)),
        ("abc", (20.0, True)),
        ("nan", (20.0, True)),
        ("inf", (20.0, True)),
        ("1e400", (20.0, True)),
    ],
)
def test_it_reads_the_distance_parameter_within_a_sane_range(raw, expected):
    from trade.selectors_tourism import distance_parse

    assert distance_parse(raw) == expected
