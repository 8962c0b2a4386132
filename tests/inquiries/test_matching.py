"""An inquiry is matched at once: one producer when one can supply it all, else a consolidated offer;
capacity is prorated over the window, converted between units and reduced by accepted shares."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError

from audit.models import AuditEvent
from inquiries.models import Inquiry, OfferShare
from inquiries.services_answers import offer_share_accept, offer_share_decline
from tests.factories import commune, make_entity
from tests.inquiries.conftest import END, START, certified, entity_member, make_buyer, submit

pytestmark = pytest.mark.django_db


def _shares(inquiry) -> list[tuple[int, int, str]]:
    return [(s.product_id, s.quantity, s.status) for s in inquiry.shares.order_by("id")]


def test_it_proposes_the_whole_quantity_to_one_producer_who_can_supply_it(buyer):
    best = certified(capacity=1000, stars=4)
    certified(capacity=2000, stars=3)

    inquiry = submit(buyer, quantity=900)

    assert _shares(inquiry) == [(best.pk, 900, "proposed")]
    assert (inquiry.status, inquiry.unmet_quantity) == (Inquiry.Status.OFFERED, 0)
    assert AuditEvent.objects.filter(action="inquiry.submit").count() == 1
    assert AuditEvent.objects.filter(action="offer_share.propose").count() == 1


def test_it_prefers_one_producer_able_to_supply_all_over_a_higher_star_that_cannot(buyer):
    certified(capacity=1000, stars=4)
    big = certified(capacity=2000, stars=3)

    inquiry = submit(buyer, quantity=1500)

    assert _shares(inquiry) == [(big.pk, 1500, "proposed")]


def test_it_prefers_a_producer_of_the_buyers_province_at_the_same_star(buyer):
    certified(capacity=5000, stars=4)
    local = certified(capacity=1000, stars=4, entity=make_entity(commune_obj=commune("Hà Nội")))

    inquiry = submit(buyer, quantity=800)

    assert _shares(inquiry) == [(local.pk, 800, "proposed")]


def test_it_consolidates_an_order_too_big_for_one_producer_with_exact_shares(buyer):
    five_star = certified(capacity=1000, stars=5)
    four_star = certified(capacity=800, stars=4)
    certified(capacity=600, stars=4)

    inquiry = submit(buyer, quantity=1500)

    assert _shares(inquiry) == [(five_star.pk, 1000, "proposed"), (four_star.pk, 500, "proposed")]
    assert (inquiry.status, inquiry.unmet_quantity) == (Inquiry.Status.OFFERED, 0)


def test_it_records_a_partly_covered_inquiry_and_the_unmet_quantity(buyer):
    a = certified(capacity=1000, stars=4)
    b = certified(capacity=800, stars=3)

    inquiry = submit(buyer, quantity=5000)

    assert _shares(inquiry) == [(a.pk, 1000, "proposed"), (b.pk, 800, "proposed")]
    assert (inquiry.status, inquiry.unmet_quantity) == (Inquiry.Status.PARTLY_COVERED, 3200)


def test_it_leaves_an_inquiry_open_when_nobody_matches(buyer):
    certified(capacity=1000, category="QD26-11")
    certified(capacity=None)  # no declared capacity
    uncertified_entity = make_entity()
    from tests.factories import make_product

    make_product(entity=uncertified_entity, monthly_capacity=9000, capacity_unit="kg")  # a draft

    inquiry = submit(buyer, quantity=100, category="QD26-12")

    assert inquiry.shares.count() == 0
    assert (inquiry.status, inquiry.unmet_quantity) == (Inquiry.Status.OPEN, 100)


def test_it_converts_a_capacity_in_tonnes_to_an_inquiry_in_kilograms(buyer):
    product = certified(capacity=2, unit="tấn")

    inquiry = submit(buyer, quantity=1500, unit="kg")

    assert _shares(inquiry) == [(product.pk, 1500, "proposed")]


def test_it_offers_whole_tonnes_only_from_a_capacity_in_kilograms(buyer):
    product = certified(capacity=1500, unit="kg")

    inquiry = submit(buyer, quantity=2, unit="tấn")

    assert _shares(inquiry) == [(product.pk, 1, "proposed")]
    assert inquiry.unmet_quantity == 1


def test_it_does_not_match_units_that_measure_something_else(buyer):
    certified(capacity=10000, unit="hộp")
    boxes = certified(capacity=300, unit="Hộp")

    by_weight = submit(buyer, quantity=100, unit="kg")
    by_box = submit(buyer, quantity=200, unit="hop")

    assert by_weight.shares.count() == 0
    assert by_box.shares.get().quantity == 200
    assert by_box.shares.get().product_id != boxes.pk  # the larger capacity at the same star first


def test_it_prorates_the_monthly_capacity_over_a_short_window(buyer):
    product = certified(capacity=1000)

    inquiry = submit(buyer, quantity=1000, delivery_end=START + timedelta(days=14))  # 15 days

    assert _shares(inquiry) == [(product.pk, 500, "proposed")]
    assert inquiry.unmet_quantity == 500


def test_it_narrows_the_match_to_product_names_with_every_keyword(buyer):
    certified(capacity=1000, name="Chè xanh Bắc Hà")
    shan = certified(
        capacity=1000,
        name="Chè Shan Tuyết Suối Giàng",
        entity=make_entity(commune_obj=commune("Lào Cai", "Mù Cang")),
    )

    inquiry = submit(buyer, quantity=100, keywords="shan tuyet")

    assert _shares(inquiry) == [(shan.pk, 100, "proposed")]


def test_it_proposes_one_product_per_producer_entity(buyer):
    entity = make_entity()
    best = certified(capacity=600, stars=4, entity=entity)
    certified(capacity=600, stars=3, entity=entity)

    inquiry = submit(buyer, quantity=1000)

    assert _shares(inquiry) == [(best.pk, 600, "proposed")]
    assert inquiry.unmet_quantity == 400


def test_it_takes_capacity_already_booked_by_an_accepted_share(buyer):
    product = certified(capacity=1000)
    first = submit(buyer, quantity=800)
    offer_share_accept(actor=entity_member(product.entity), share=first.shares.get())

    second = submit(make_buyer(), quantity=500)

    assert _shares(second) == [(product.pk, 200, "proposed")]
    assert (second.status, second.unmet_quantity) == (Inquiry.Status.PARTLY_COVERED, 300)


def test_it_counts_a_booked_share_only_for_the_overlapping_days(buyer):
    product = certified(capacity=1000)
    first = submit(buyer, quantity=1000)  # the whole of START..END (30 days)
    offer_share_accept(actor=entity_member(product.entity), share=first.shares.get())

    # 15 days overlap the first window, 15 days after it: 1,000 over 30 days = 500 free.
    later = submit(
        make_buyer(),
        quantity=1000,
        delivery_start=START + timedelta(days=15),
        delivery_end=END + timedelta(days=15),
    )

    assert _shares(later) == [(product.pk, 500, "proposed")]


def test_it_refuses_to_accept_a_share_whose_capacity_another_accepted_share_took(buyer, english):
    product = certified(capacity=1000)
    member = entity_member(product.entity)
    first = submit(buyer, quantity=800)
    second = submit(make_buyer(), quantity=800)  # proposed before anything was accepted
    offer_share_accept(actor=member, share=first.shares.get())

    share = second.shares.get()
    with pytest.raises(ValidationError) as refused:
        offer_share_accept(actor=member, share=share)

    assert "it can supply 200 kg more in this window, not 800" in refused.value.messages[0]
    share.refresh_from_db()
    second.refresh_from_db()
    assert (share.status, second.status) == (OfferShare.Status.PROPOSED, Inquiry.Status.OFFERED)
    assert not AuditEvent.objects.filter(action="offer_share.accept", object_id=str(share.pk)).exists()


def test_it_covers_an_inquiry_when_every_share_is_accepted(buyer):
    a = certified(capacity=1000, stars=5)
    b = certified(capacity=800, stars=4)
    inquiry = submit(buyer, quantity=1500)
    share_a, share_b = inquiry.shares.order_by("id")

    offer_share_accept(actor=entity_member(a.entity), share=share_a)
    inquiry.refresh_from_db()
    assert inquiry.status == Inquiry.Status.OFFERED
    offer_share_accept(actor=entity_member(b.entity), share=share_b)
    inquiry.refresh_from_db()

    assert (inquiry.status, inquiry.unmet_quantity) == (Inquiry.Status.COVERED, 0)
    event = AuditEvent.objects.filter(action="offer_share.accept").last()
    assert event.after == {"status": "accepted"} and event.actor_id is not None


def test_it_proposes_a_declined_share_to_the_next_producer_not_yet_asked(buyer):
    a = certified(capacity=1000, stars=5)
    b = certified(capacity=800, stars=4)
    c = certified(capacity=600, stars=3)
    inquiry = submit(buyer, quantity=1500)
    share_b = inquiry.shares.get(product=b)

    offer_share_decline(actor=entity_member(b.entity), share=share_b, reason="Mất mùa năm nay")

    inquiry.refresh_from_db()
    assert _shares(inquiry) == [(a.pk, 1000, "proposed"), (b.pk, 500, "declined"), (c.pk, 500, "proposed")]
    assert (inquiry.status, inquiry.unmet_quantity) == (Inquiry.Status.OFFERED, 0)
    share_b.refresh_from_db()
    assert share_b.decline_reason == "Mất mùa năm nay" and share_b.responded_at is not None
    assert AuditEvent.objects.get(action="offer_share.decline").reason == "Mất mùa năm nay"


def test_it_records_the_rest_as_unmet_when_nobody_is_left_to_ask(buyer):
    a = certified(capacity=1000, stars=5)
    b = certified(capacity=800, stars=4)
    inquiry = submit(buyer, quantity=1500)

    offer_share_decline(actor=entity_member(b.entity), share=inquiry.shares.get(product=b), reason="Hết hàng")

    inquiry.refresh_from_db()
    assert _shares(inquiry) == [(a.pk, 1000, "proposed"), (b.pk, 500, "declined")]
    assert (inquiry.status, inquiry.unmet_quantity) == (Inquiry.Status.PARTLY_COVERED, 500)


def test_it_withdraws_every_share_when_the_buyer_cancels(buyer):
    from inquiries.services import inquiry_cancel

    a = certified(capacity=1000)
    inquiry = submit(buyer, quantity=800)
    offer_share_accept(actor=entity_member(a.entity), share=inquiry.shares.get())

    inquiry_cancel(actor=buyer.user, inquiry=inquiry, reason="Đổi kế hoạch")

    inquiry.refresh_from_db()
    assert inquiry.status == Inquiry.Status.CANCELLED
    assert _shares(inquiry) == [(a.pk, 800, "withdrawn")]
    # The capacity is free again for the next buyer.
    assert submit(make_buyer(), quantity=1000).shares.get().quantity == 1000


@pytest.mark.django_db(transaction=True)
def test_two_producers_answers_racing_for_one_capacity_book_it_once(reference_data, monkeypatch):
    """Two inquiries were both proposed 800 of a 1,000 kg product; the member accepts both at the same
    moment from two sessions. The product row's lock lets one through; the other is refused."""
    import threading
    import time

    from django.db import OperationalError, connection

    from inquiries import matching

    computed = matching.available_over

    def slow_available_over(*args, **kwargs):
        # Hold the answer a moment, so that without the lock both sessions would read the same
        # free capacity before either writes.
        answer = computed(*args, **kwargs)
        time.sleep(0.5)
        return answer

    monkeypatch.setattr(matching, "available_over", slow_available_over)

    product = certified(capacity=1000)
    member = entity_member(product.entity)
    shares = [
        submit(make_buyer(), quantity=800).shares.get(),
        submit(make_buyer(), quantity=800).shares.get(),
    ]
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def accept(share):
        try:
            barrier.wait(timeout=10)
            offer_share_accept(actor=member, share=share)
            outcomes.append("accepted")
        except ValidationError:
            outcomes.append("refused")
        except OperationalError:  # SQLite refuses a second writer outright instead of waiting
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=accept, args=(share,)) for share in shares]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes) == ["accepted", "refused"]
    assert OfferShare.objects.filter(product=product, status="accepted").count() == 1


def test_it_closes_inquiries_whose_window_ended_and_withdraws_unanswered_shares(buyer):
    import io

    from django.core.management import call_command

    a = certified(capacity=1000, stars=5)
    certified(capacity=800, stars=4)
    inquiry = submit(buyer, quantity=1500)
    offer_share_accept(actor=entity_member(a.entity), share=inquiry.shares.get(product=a))
    Inquiry.objects.filter(pk=inquiry.pk).update(delivery_end=START - timedelta(days=30))

    call_command("close_ended_inquiries", stdout=io.StringIO())

    inquiry.refresh_from_db()
    assert inquiry.status == Inquiry.Status.CLOSED
    assert sorted(inquiry.shares.values_list("status", flat=True)) == ["accepted", "withdrawn"]
    assert AuditEvent.objects.get(action="inquiry.close").reason == "delivery window ended"
