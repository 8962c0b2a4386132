"""Producers' "Buyer requests": only their entities' shares; accept and decline; forged ids refused."""

import pytest
from django.core.exceptions import PermissionDenied

from audit.models import AuditEvent
from inquiries.models import Inquiry, OfferShare
from inquiries.services import inquiry_cancel
from inquiries.services_answers import offer_share_accept, offer_share_decline
from registry.models import Role
from tests.factories import make_user, with_role
from tests.inquiries.conftest import certified, entity_member, make_buyer, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def offer(buyer):
    """An inquiry of 1,500 kg consolidated from two producers (1,000 + 500)."""
    a = certified(capacity=1000, stars=5)
    b = certified(capacity=800, stars=4)
    inquiry = submit(buyer, quantity=1500, note="Giao hàng tại kho Nội Bài")
    return inquiry, inquiry.shares.get(product=a), inquiry.shares.get(product=b)


def test_it_lists_only_the_shares_of_the_members_entities(client, english, offer):
    inquiry, share_a, share_b = offer
    client.force_login(entity_member(share_a.entity))

    text = client.get("/buyer-requests/").content.decode()

    assert f'id="share-{share_a.pk}"' in text and f'id="share-{share_b.pk}"' not in text
    assert "Siêu thị Xanh" in text and "Giao hàng tại kho Nội Bài" in text
    assert "0243 123 4567" not in text  # the buyer's contacts wait for the producer's acceptance


def test_it_says_when_there_are_no_requests(client, english):
    client.force_login(entity_member(certified().entity))
    assert "No buyer requests for your products yet." in client.get("/buyer-requests/").content.decode()


def test_it_refuses_the_page_to_someone_who_is_not_a_producer(client, buyer):
    client.force_login(buyer.user)
    assert client.get("/buyer-requests/").status_code == 403


def test_the_producer_accepts_and_then_sees_the_verified_buyers_contacts(client, english, offer):
    inquiry, share_a, _ = offer
    client.force_login(entity_member(share_a.entity))

    response = client.post(f"/buyer-requests/{share_a.pk}/accept/", follow=True)

    text = response.content.decode()
    assert "You accepted your share" in text
    assert "0243 123 4567" in text
    share_a.refresh_from_db()
    assert share_a.status == OfferShare.Status.ACCEPTED and share_a.responded_by is not None


def test_the_producer_declines_with_a_reason_and_the_rest_goes_to_another_producer(client, english, offer):
    inquiry, _, share_b = offer
    c = certified(capacity=600, stars=3)
    client.force_login(entity_member(share_b.entity))

    response = client.post(f"/buyer-requests/{share_b.pk}/decline/", {"reason": "Mất mùa"}, follow=True)

    assert "You declined your share" in response.content.decode()
    assert inquiry.shares.get(product=c).quantity == 500


def test_it_refuses_a_decline_without_a_reason_and_changes_nothing(client, english, offer):
    inquiry, _, share_b = offer
    client.force_login(entity_member(share_b.entity))

    response = client.post(f"/buyer-requests/{share_b.pk}/decline/", {"reason": ""}, follow=True)

    assert "Say why you decline" in response.content.decode()
    share_b.refresh_from_db()
    assert share_b.status == OfferShare.Status.PROPOSED
    assert inquiry.shares.count() == 2
    assert not AuditEvent.objects.filter(action="offer_share.decline").exists()


def test_it_refuses_html_in_a_decline_reason(client, english, offer):
    _, _, share_b = offer
    client.force_login(entity_member(share_b.entity))
    response = client.post(f"/buyer-requests/{share_b.pk}/decline/", {"reason": "<b>Không</b>"}, follow=True)
    assert "HTML is not allowed in this field; write plain text." in response.content.decode()
    share_b.refresh_from_db()
    assert share_b.status == OfferShare.Status.PROPOSED


def test_a_forged_post_for_another_entitys_share_is_not_found_and_changes_nothing(client, offer):
    _, share_a, share_b = offer
    client.force_login(entity_member(share_a.entity))

    assert client.post(f"/buyer-requests/{share_b.pk}/accept/").status_code == 404
    assert client.post(f"/buyer-requests/{share_b.pk}/decline/", {"reason": "x"}).status_code == 404

    share_b.refresh_from_db()
    assert share_b.status == OfferShare.Status.PROPOSED
    assert not AuditEvent.objects.filter(action__in=["offer_share.accept", "offer_share.decline"]).exists()


def test_the_services_refuse_anyone_but_the_entitys_members(offer):
    _, share_a, _ = offer
    official = with_role(make_user(), Role.Kind.PROVINCE, province=share_a.entity.province)
    for actor in (official, make_user(), entity_member(certified().entity)):
        with pytest.raises(PermissionDenied):
            offer_share_accept(actor=actor, share=share_a)
        with pytest.raises(PermissionDenied):
            offer_share_decline(actor=actor, share=share_a, reason="x")
    share_a.refresh_from_db()
    assert share_a.status == OfferShare.Status.PROPOSED


def test_a_share_is_answered_once_and_not_after_the_buyer_cancelled(client, english, offer, buyer):
    inquiry, share_a, share_b = offer
    member_a = entity_member(share_a.entity)
    client.force_login(member_a)
    client.post(f"/buyer-requests/{share_a.pk}/accept/")

    again = client.post(f"/buyer-requests/{share_a.pk}/accept/", follow=True).content.decode()
    assert "This share was already answered (Accepted)." in again

    inquiry_cancel(actor=buyer.user, inquiry=inquiry)
    client.force_login(entity_member(share_b.entity))
    share_b.refresh_from_db()
    assert share_b.status == OfferShare.Status.WITHDRAWN
    late = client.post(f"/buyer-requests/{share_b.pk}/accept/", follow=True).content.decode()
    assert "This share was already answered (Withdrawn)." in late


def test_it_refuses_answers_once_the_inquiry_is_no_longer_live(offer, english):
    inquiry, share_a, _ = offer
    Inquiry.objects.filter(pk=inquiry.pk).update(status=Inquiry.Status.CLOSED)
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        offer_share_accept(actor=entity_member(share_a.entity), share=share_a)
    assert "there is nothing to answer" in refused.value.messages[0]


def test_a_buyer_cannot_cancel_another_buyers_inquiry_through_the_service(offer):
    inquiry, _, _ = offer
    with pytest.raises(PermissionDenied):
        inquiry_cancel(actor=make_buyer().user, inquiry=inquiry)
    inquiry.refresh_from_db()
    assert inquiry.status == Inquiry.Status.OFFERED
